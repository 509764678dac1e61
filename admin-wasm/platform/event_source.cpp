#include "platform/event_source.h"

#include <map>
#include <memory>
#include <string>

#include <emscripten.h>

namespace ccc::admin
{

namespace
{

// The JavaScript side: one EventSource per id; everything it reports goes into one queue of
// [id, kind, type, data] (kind 0 open, 1 message, 2 error) that the frame loop drains.
EM_JS(int, ccc_es_open, (const char * url), {
	if (!Module.cccEs)
		Module.cccEs = { next: 1, sources: {}, queue: [], current: null };
	var hub = Module.cccEs;
	var id = hub.next++;
	var es = new EventSource(UTF8ToString(url));
	hub.sources[id] = es;
	es.onopen = function() { hub.queue.push([id, 0, "", ""]); };
	es.onerror = function() {
		// Report once and stop the browser's own retry loop: the model reconnects with backoff.
		es.close();
		delete hub.sources[id];
		hub.queue.push([id, 2, "", ""]);
	};
	var onEvent = function(e) {
		if (!hub.sources[id])
			return;
		// Frames stop while the tab is hidden: past a bound, drop the stream like the service drops
		// a slow client; the model reconnects and reloads the figures instead of replaying a backlog.
		if (hub.queue.length >= 20000) {
			es.close();
			delete hub.sources[id];
			hub.queue.push([id, 2, "", ""]);
			return;
		}
		hub.queue.push([id, 1, e.type, typeof e.data === "string" ? e.data : ""]);
	};
	es.addEventListener("request", onEvent);
	es.addEventListener("breaker", onEvent);
	es.onmessage = onEvent;
	return id;
});
EM_JS(void, ccc_es_close, (int id), {
	var hub = Module.cccEs;
	if (!hub || !hub.sources[id])
		return;
	hub.sources[id].close();
	delete hub.sources[id];
});
/// Takes the next queued event (its id; 0 when the queue is empty).
EM_JS(int, ccc_es_next, (), {
	var hub = Module.cccEs;
	if (!hub || hub.queue.length === 0)
		return 0;
	hub.current = hub.queue.shift();
	return hub.current[0];
});
EM_JS(int, ccc_es_kind, (), {
	return Module.cccEs.current[1];
});
/// Byte length (with the terminating NUL) of the current event's type (which 2) or data (3).
EM_JS(int, ccc_es_length, (int which), {
	return lengthBytesUTF8(Module.cccEs.current[which]) + 1;
});
EM_JS(void, ccc_es_copy, (int which, char * out, int size), {
	stringToUTF8(Module.cccEs.current[which], out, size);
});

std::map<int, StreamEventSink> & sinks()
{
	static std::map<int, StreamEventSink> s;
	return s;
}

std::string currentString(int which)
{
	const int size = ccc_es_length(which);
	std::string s(static_cast<size_t>(size), '\0');
	ccc_es_copy(which, &s[0], size);
	s.resize(static_cast<size_t>(size > 0 ? size - 1 : 0));
	return s;
}

} // namespace

EventStreamOpener makeWebEventStream()
{
	return [](const std::string & path, StreamEventSink sink) -> StreamCloser {
		const int id = ccc_es_open(path.c_str());
		sinks()[id] = std::move(sink);
		return [id] {
			sinks().erase(id);
			ccc_es_close(id);
		};
	};
}

void pumpEventSources()
{
	// Bounded per frame so a burst cannot stall one frame; the rest waits for the next.
	for (int n = 0; n < 2000; ++n)
	{
		const int id = ccc_es_next();
		if (id == 0)
			return;
		auto it = sinks().find(id);
		if (it == sinks().end())
			continue; // closed meanwhile
		StreamEvent e;
		const int kind = ccc_es_kind();
		e.kind = kind == 0 ? StreamEvent::Kind::Open : kind == 1 ? StreamEvent::Kind::Message : StreamEvent::Kind::Error;
		if (e.kind == StreamEvent::Kind::Message)
		{
			e.type = currentString(2);
			e.data = currentString(3);
		}
		StreamEventSink sink = it->second; // the sink may close (erase) its own stream
		if (e.kind == StreamEvent::Kind::Error)
			sinks().erase(it);
		sink(e);
	}
}

} // namespace ccc::admin
