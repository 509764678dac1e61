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

/// Takes the counts `update` reports (those >= 0) into `into` and keeps the others. Usage reports
/// are cumulative totals (message_start then message_delta; some OpenAI-compatible providers repeat
/// them in every chunk): the latest wins, never a sum.
inline void mergeUsage(Usage & into, const Usage & update)
{
	if (update.input_tokens >= 0)
		into.input_tokens = update.input_tokens;
	if (update.output_tokens >= 0)
		into.output_tokens = update.output_tokens;
	if (update.cache_creation_input_tokens >= 0)
		into.cache_creation_input_tokens = update.cache_creation_input_tokens;
	if (update.cache_read_input_tokens >= 0)
		into.cache_read_input_tokens = update.cache_read_input_tokens;
}

} // namespace ccc::anthropic
