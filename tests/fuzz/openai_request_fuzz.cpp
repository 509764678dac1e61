#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "ccc/openai/convert.h"

// Properties: convertRequest never throws or crashes on any input; a successful conversion is a
// JSON object with model and messages, identical on a second run (byte-stable for prompt caches);
// a failure always says why. estimateInputTokens is deterministic and never negative.
extern "C" int LLVMFuzzerTestOneInput(const uint8_t * bytes, size_t size)
{
	if (size < 1)
		return 0;
	uint8_t flags = bytes[0];
	std::string_view body(reinterpret_cast<const char *>(bytes) + 1, size - 1);

	ccc::openai::RequestOptions o;
	o.model = (flags & 1) ? "gpt-5-mini" : "";
	o.reorderSystemFirst = flags & 2;
	o.keepThinkingHistory = flags & 4;
	if (flags & 8)
		o.maxTokensLimit = 1 + (flags >> 4);
	if (flags & 16)
		o.stripSchemaKeywords = std::vector<std::string>{"format", "const"};

	auto r = ccc::openai::convertRequest(body, o);
	if (r.ok)
	{
		auto j = nlohmann::json::parse(r.body, nullptr, false);
		if (j.is_discarded() || !j.is_object() || !j.contains("model") || !j["messages"].is_array())
			std::abort();
		auto again = ccc::openai::convertRequest(body, o);
		if (!again.ok || again.body != r.body)
			std::abort();
	}
	else if (r.error.empty())
		std::abort();

	int64_t n = ccc::openai::estimateInputTokens(body);
	if (n < 0 || n != ccc::openai::estimateInputTokens(body))
		std::abort();
	return 0;
}
