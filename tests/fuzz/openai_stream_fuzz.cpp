#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "ccc/openai/convert.h"

// Properties, for any upstream bytes:
// - feeding them whole or in arbitrary pieces yields byte-identical Anthropic events and outcome;
// - every event's data is a JSON object whose type is the event name, and raw is its serialisation;
// - a successful finish ends with message_stop; block indexes start at 0 and rise by one;
// - convertResponse and repairPythonDict never crash, and a repaired text is valid JSON.
namespace
{

struct Outcome
{
	std::vector<ccc::sse::Event> events;
	bool ok = true;
	std::string error;
};

Outcome run(std::string_view input, unsigned seed, bool split, bool allowMissingDone)
{
	ccc::openai::StreamConverter::Options o;
	o.clientModel = "claude-test";
	o.allowMissingDone = allowMissingDone;
	o.stopSequences = {"END", "\n\n"};
	o.pythonFixTools = {"*"};
	ccc::openai::StreamConverter conv(o);
	Outcome out;
	size_t i = 0;
	while (i < input.size())
	{
		size_t n = input.size() - i;
		if (split)
		{
			seed = seed * 1103515245u + 12345u;
			n = std::min<size_t>(n, 1 + (seed >> 16) % 13);
		}
		if (!conv.feed(input.substr(i, n), out.events))
			out.ok = false;
		i += n;
	}
	if (!conv.finish(out.events))
		out.ok = false;
	out.error = conv.error();
	return out;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t * bytes, size_t size)
{
	if (size < 1)
		return 0;
	unsigned seed = bytes[0];
	std::string_view input(reinterpret_cast<const char *>(bytes) + 1, size - 1);
	bool allowMissingDone = seed & 1;

	Outcome whole = run(input, seed, false, allowMissingDone);
	Outcome pieces = run(input, seed, true, allowMissingDone);
	if (whole.ok != pieces.ok || whole.error != pieces.error || whole.events.size() != pieces.events.size())
		std::abort();
	for (size_t i = 0; i < whole.events.size(); ++i)
		if (whole.events[i].raw != pieces.events[i].raw)
			std::abort();

	int nextIndex = 0;
	for (const auto & ev : whole.events)
	{
		auto j = nlohmann::json::parse(ev.data, nullptr, false);
		if (!j.is_object() || !j["type"].is_string() || j["type"].get<std::string>() != ev.event)
			std::abort();
		if (ev.raw != ccc::sse::serialize(ev.event, ev.data))
			std::abort();
		if (ev.event == "content_block_start")
		{
			if (j["index"] != nextIndex)
				std::abort();
			++nextIndex;
		}
	}
	if (whole.ok && (whole.events.empty() || whole.events.back().event != "message_stop"))
		std::abort();
	if (!whole.ok && whole.error.empty())
		std::abort();

	ccc::openai::ResponseOptions ro;
	auto r = ccc::openai::convertResponse(input, ro);
	if (r.ok && nlohmann::json::parse(r.body, nullptr, false).is_discarded())
		std::abort();
	if (auto fixed = ccc::openai::repairPythonDict(input))
		if (nlohmann::json::parse(*fixed, nullptr, false).is_discarded())
			std::abort();
	return 0;
}
