#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "ccc/anthropic/message_validator.h"

// Non-streaming bodies and body sniffing. Properties: no crash; an accepted message reports
// non-negative usage; sniffBody never changes its mind once it has decided on a prefix.
extern "C" int LLVMFuzzerTestOneInput(const uint8_t * bytes, size_t size)
{
	using namespace ccc::anthropic;
	std::string_view body(reinterpret_cast<const char *>(bytes), size);
	MessageCheck m = validateMessageBody(body);
	if (m.ok() && (m.usage.input_tokens < 0 || m.usage.output_tokens < 0))
		std::abort();
	if (!m.ok() && m.message.empty())
		std::abort();
	Check t = validateCountTokensBody(body);
	if (!t.ok() && t.message.empty())
		std::abort();

	BodyKind decided = BodyKind::Unknown;
	size_t limit = body.size() < 64 ? body.size() : 64;
	for (size_t n = 0; n <= limit; ++n)
	{
		BodyKind k = sniffBody(body.substr(0, n));
		if (decided != BodyKind::Unknown && k != decided)
			std::abort();
		if (k != BodyKind::Unknown)
			decided = k;
	}
	return 0;
}
