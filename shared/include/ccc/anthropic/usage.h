#pragma once
#include <cstdint>

namespace ccc::anthropic
{

/// Token usage as Anthropic reports it (message_start.message.usage, message_delta.usage, or a
/// non-streaming message's usage). -1 means "not reported".
struct Usage
{
	int64_t input_tokens = -1;
	int64_t output_tokens = -1;
	int64_t cache_creation_input_tokens = -1;
	int64_t cache_read_input_tokens = -1;
};

} // namespace ccc::anthropic
