#pragma once
#include "model/http.h"

namespace ccc::admin
{

/// HttpTransport over emscripten_fetch, against the page's own origin (same-origin requests, so
/// the browser sends the admin session cookie). Non-2xx answers are delivered like 2xx ones, with
/// their status and body; only a failure to get any answer yields status 0.
HttpTransport makeWebTransport();

} // namespace ccc::admin
