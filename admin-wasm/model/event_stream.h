#pragma once
#include <functional>
#include <string>

/// The admin's view of a server-sent event stream (GET /admin/api/events): the browser
/// implementation (platform/event_source.cpp) wraps an EventSource; native unit tests plug in a
/// fake. Like HttpTransport, everything runs on the one UI thread: callbacks are invoked between
/// frames, never during one, and never after the stream was closed.
namespace ccc::admin
{

struct StreamEvent
{
	enum class Kind
	{
		Open,    ///< the connection is established (also after the browser reconnected by itself)
		Message, ///< one event: `type` is its SSE event name ("request", "breaker"), `data` its data
		Error    ///< the connection failed or dropped; the owner decides whether to reconnect
	};
	Kind kind = Kind::Message;
	std::string type;
	std::string data;
};

using StreamEventSink = std::function<void(const StreamEvent & event)>;

/// Closes the stream it was returned for (idempotent); no callback follows.
using StreamCloser = std::function<void()>;

/// Opens the stream at `path` (same origin, so the session cookie goes along) and delivers its
/// events to `sink` until the returned closer is called.
using EventStreamOpener = std::function<StreamCloser(const std::string & path, StreamEventSink sink)>;

} // namespace ccc::admin
