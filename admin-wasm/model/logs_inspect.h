#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "ccc/anthropic/usage.h"

/// Reading a logged Anthropic Messages request or response for the Logs panel's inspectors.
/// Everything is computed once when a detail arrives, never per frame. Nothing here throws.
namespace ccc::admin
{

/// An estimate of the tokens in `text`: about 4 ASCII characters per token, one per other
/// character (CJK and the like tokenise close to one token per character). It is NOT the
/// tokenizer's count; the UI says so.
int64_t estimateTokens(std::string_view text);

struct InspectedBlock
{
	std::string type;    ///< text | image | tool_use | tool_result | thinking | ... (as sent)
	std::string preview; ///< first line of the text / the tool name / the result's text (shortened)
	std::string tool_id; ///< tool_use.id or tool_result.tool_use_id
	bool unmatched = false; ///< a tool_use without a later tool_result, or a tool_result without an earlier tool_use
	bool is_error = false;  ///< tool_result.is_error
	size_t chars = 0;       ///< characters of the block's content (text, input JSON, result)
};

struct InspectedMessage
{
	std::string role;
	std::vector<InspectedBlock> blocks; ///< a string content is one "text" block
};

struct InspectedTool
{
	std::string name;
	std::string type;          ///< "custom" when absent (a server tool has its own type)
	size_t schema_bytes = 0;   ///< size of input_schema as compact JSON
	size_t description_chars = 0;
};

/// A tool_use and the tool_result answering it, matched by id.
struct ToolPair
{
	std::string id;
	std::string name;
	int use_message = -1;    ///< index in messages; -1 when the result has no tool_use
	int result_message = -1; ///< -1 when the tool_use got no result
	bool is_error = false;
};

struct RequestInspection
{
	bool parsed = false;
	std::string error;       ///< why not parsed (not JSON, not an object, body omitted)
	std::string model;
	int64_t max_tokens = -1;
	bool stream = false;
	std::string thinking;    ///< thinking.type (+ budget)
	std::string system_text; ///< every system text block, joined with blank lines
	size_t system_blocks = 0;
	std::vector<InspectedTool> tools;
	std::vector<InspectedMessage> messages;
	std::vector<ToolPair> pairs; ///< in order of first appearance
	size_t unmatched_uses = 0;
	size_t unmatched_results = 0;
	size_t total_chars = 0;   ///< characters counted for the estimate
	int64_t estimated_tokens = 0;
	int64_t estimated_system_tokens = 0;
	int64_t estimated_tools_tokens = 0;
	int64_t estimated_messages_tokens = 0;
};

RequestInspection inspectRequestBody(std::string_view body);

struct RebuiltBlock
{
	std::string type;    ///< text | thinking | redacted_thinking | tool_use | server_tool_use | ...
	std::string text;    ///< text / thinking text
	std::string tool_id;
	std::string tool_name;
	std::string input_json;  ///< tool_use input: the assembled input_json_delta fragments (or the message's input)
	bool input_valid = true; ///< input_json parses as a JSON object (empty counts as {})
	bool has_signature = false;
	bool closed = true;      ///< content_block_stop seen (always true for JSON responses)
};

struct InspectedEvent
{
	std::string name;   ///< the SSE event name (data.type when no `event:` field)
	int index = -1;     ///< content block index, -1 when none
	std::string detail; ///< delta type, stop reason, error text ...
	size_t bytes = 0;
};

struct ResponseInspection
{
	bool parsed = false;
	std::string error;        ///< why nothing could be read
	bool streamed = false;    ///< rebuilt from SSE events
	std::string message_id;
	std::string model;
	std::string stop_reason;
	std::string stop_sequence;
	anthropic::Usage usage;   ///< merged message_start + message_delta usage (or the message's)
	/// cache_read / (input + cache_read + cache_creation); -1 when no input was reported.
	double cache_efficiency = -1;
	std::vector<RebuiltBlock> blocks;
	std::vector<InspectedEvent> events; ///< at most kMaxEvents; event_count has the true number
	size_t event_count = 0;
	std::string validation;   ///< "" when the stream is a complete valid Messages stream; else why not
	std::string upstream_error; ///< an `error` event's / error body's type and message

	static constexpr size_t kMaxEvents = 5000;
};

/// Reads a response body: an SSE stream (`streamedHint` or text that looks like one) is rebuilt
/// event by event with shared/'s sse::Parser and anthropic::StreamValidator; a JSON message (or an
/// Anthropic error object) is read directly.
ResponseInspection inspectResponseBody(std::string_view body, bool streamedHint);

/// cache_read / (input + cache_read + cache_creation), unreported counts as 0; -1 when that sum is 0.
double cacheEfficiency(const anthropic::Usage & u);

} // namespace ccc::admin
