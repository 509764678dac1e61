#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "ccc/sse/parser.h"

// Property: any split of the input yields the same events as feeding it whole, and the events' raw
// bytes concatenate to a prefix of the input.
namespace
{

bool sameEvents(const std::vector<ccc::sse::Event> & a, const std::vector<ccc::sse::Event> & b)
{
	if (a.size() != b.size())
		return false;
	for (size_t i = 0; i < a.size(); ++i)
	{
		if (a[i].event != b[i].event || a[i].data != b[i].data || a[i].id != b[i].id || a[i].raw != b[i].raw
			|| a[i].hasData != b[i].hasData)
			return false;
	}
	return true;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t * bytes, size_t size)
{
	if (size < 1)
		return 0;
	// The first byte seeds the chunk sizes.
	unsigned seed = bytes[0];
	std::string_view input(reinterpret_cast<const char *>(bytes) + 1, size - 1);

	std::vector<ccc::sse::Event> whole;
	ccc::sse::Parser p1;
	p1.feed(input, whole);
	p1.finish(whole);

	std::vector<ccc::sse::Event> split;
	ccc::sse::Parser p2;
	size_t i = 0;
	while (i < input.size())
	{
		seed = seed * 1103515245u + 12345u;
		size_t n = 1 + (seed >> 16) % 9;
		n = std::min(n, input.size() - i);
		p2.feed(input.substr(i, n), split);
		i += n;
		p2.feed(std::string_view(), split); // empty feeds are harmless
	}
	p2.finish(split);
	if (!sameEvents(whole, split))
		std::abort();

	std::string raw;
	for (const auto & e : whole)
		raw += e.raw;
	if (input.substr(0, raw.size()) != raw)
		std::abort();

	// serialize() output parses back to the same event/data.
	for (const auto & e : whole)
	{
		if (e.event.find_first_of("\r\n") != std::string::npos || e.data.find('\r') != std::string::npos)
			continue;
		std::vector<ccc::sse::Event> back;
		ccc::sse::Parser p3;
		p3.feed(ccc::sse::serialize(e.event, e.data), back);
		if (back.size() != 1 || back[0].event != e.event || back[0].data != e.data)
			std::abort();
	}
	return 0;
}
