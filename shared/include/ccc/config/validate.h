#pragma once
#include "ccc/config/diagnostic.h"
#include "ccc/config/model.h"

namespace ccc::config
{

/// Checks a config read by configFromJson. Returns every finding (never stops at the first),
/// each naming its key path, e.g. `endpoints[2].auth_type: must be one of api_key, auth_token, oauth`.
/// Pure and exception-free: the service, --check-config and the browser admin all call it.
Diagnostics validate(const Config & config);

/// The built-in tagger types (the original's seven, its documented `method`, and ours).
const std::vector<std::string> & builtinTaggerTypes();

} // namespace ccc::config
