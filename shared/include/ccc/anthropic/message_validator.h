#pragma once
#include <string>
#include <string_view>

#include "ccc/anthropic/stream_validator.h"
#include "ccc/anthropic/usage.h"

namespace ccc::anthropic
{

struct MessageCheck : Check
{
	Usage usage;
	std::string stopReason;
	std::string model;
};

/// Validates a complete non-streaming Messages response body: a JSON object with type "message",
/// id, role "assistant", model, content (array of blocks each with a type; tool_use has id, name and
/// an object input), usage with input_tokens/output_tokens (the all-zero OpenAI-style fake is
/// Violation::FakeUsage). A body `{"type":"error",...}` (or any object with "error") is
/// Violation::UpstreamError with errorType set. Empty body -> Violation::Empty.
MessageCheck validateMessageBody(std::string_view body);

/// count_tokens responses: a JSON object with an integer input_tokens.
Check validateCountTokensBody(std::string_view body);

/// What a response body looks like, judged from its first bytes (after whitespace and a BOM),
/// never from its Content-Type: upstreams lie (SSE labelled application/json and the reverse).
/// JSON that merely contains "event:" or "data:" inside strings is JSON.
enum class BodyKind
{
	Unknown, ///< not enough bytes yet
	Json,    ///< starts with '{' or '['
	Sse,     ///< starts with "event:", "data:", ":" (comment), "id:" or "retry:"
	Other    ///< anything else (HTML error pages, plain text)
};
BodyKind sniffBody(std::string_view firstBytes);

} // namespace ccc::anthropic
