#pragma once
#include "model/event_stream.h"

namespace ccc::admin
{

/// EventStreamOpener over the browser's EventSource (same origin, so the session cookie goes
/// along). The browser queues what arrives; pumpEventSources() delivers it at the start of each
/// frame, so model callbacks run between frames on the UI thread. Every EventSource error is
/// reported as StreamEvent::Error and the EventSource is closed: reconnecting (with backoff) is
/// the owner's decision, not the browser's fixed `retry`.
EventStreamOpener makeWebEventStream();

/// Delivers the events queued since the last call (call once per frame, before drawing).
void pumpEventSources();

} // namespace ccc::admin
