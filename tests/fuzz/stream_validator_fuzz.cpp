#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <vector>

#include "ccc/anthropic/stream_validator.h"
#include "ccc/sse/parser.h"

// SSE bytes -> events -> the stream state machine. Properties: no crash or sanitizer report, the
// first violation sticks, and finish() agrees with it.
extern "C" int LLVMFuzzerTestOneInput(const uint8_t * bytes, size_t size)
{
	std::string_view input(reinterpret_cast<const char *>(bytes), size);
	std::vector<ccc::sse::Event> events;
	ccc::sse::Parser parser;
	parser.feed(input, events);
	parser.finish(events);

	ccc::anthropic::StreamValidator v;
	ccc::anthropic::Check first;
	for (const auto & e : events)
	{
		ccc::anthropic::Check c = v.onEvent(e);
		if (!first.ok())
		{
			if (c.violation != first.violation || c.message != first.message)
				std::abort();
		}
		else if (!c.ok())
		{
			first = c;
			// The payload is the event's data, verbatim.
			if (c.violation == ccc::anthropic::Violation::UpstreamError && !c.errorPayload.empty()
				&& c.errorPayload != e.data)
				std::abort();
		}
	}
	ccc::anthropic::Check end = v.finish();
	if (!first.ok() && end.violation != first.violation)
		std::abort();
	if (first.ok() && end.ok() && !v.sawMessageStop())
		std::abort();
	if (v.sawMessageStop() && !v.proven())
		std::abort();
	if (v.eventCount() != events.size())
		std::abort();
	return 0;
}
