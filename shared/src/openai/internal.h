#pragma once
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "ccc/anthropic/usage.h"
#include "ccc/openai/convert.h"

// Helpers shared by the request, response and stream converters (not part of the public API).
namespace ccc::openai::detail
{

using Json = nlohmann::json;
using OJson = nlohmann::ordered_json;

/// Compact JSON text; invalid UTF-8 is replaced rather than throwing.
std::string dump(const OJson & j);
std::string dump(const Json & j);

/// Parses without throwing; discarded value when invalid.
Json parse(std::string_view text);

/// "msg_" + upstream id (kept when it already starts with msg_), or a stable id derived from `seed`.
std::string messageId(const std::string & upstreamId, std::string_view seed);
/// "toolu_" + a stable id derived from `seed` (used when the upstream omits a tool call id).
std::string toolUseId(std::string_view seed);

/// Usage from an OpenAI usage object (prompt/completion tokens, cached tokens from
/// prompt_tokens_details.cached_tokens or DeepSeek's prompt_cache_hit_tokens). input_tokens is the
/// uncached part, as Anthropic reports it. Fields stay -1 when the upstream did not send them.
anthropic::Usage usageFrom(const Json & usage);

/// Maps finish_reason to an Anthropic stop_reason; `stopSequence` receives the matched sequence.
std::string stopReason(const std::string & finishReason, bool hadToolCalls, const std::string & textTail,
	const std::string & matchedStop, const std::vector<std::string> & stopSequences, std::string & stopSequence);

/// Checks and, where allowed, repairs tool call arguments into a JSON object text.
/// Returns false when they cannot be turned into a JSON object.
bool finalizeArguments(const std::string & toolName, const std::string & arguments, const ResponseOptions & options,
	std::string & jsonOut);

/// The text of an OpenAI error object (error.message, or the error string).
std::string errorMessage(const Json & body);

bool isBlank(std::string_view s);

/// Anthropic usage JSON: input/output always present (input falls back to `estimatedInput`), cache
/// counters present (0 when unknown) so the shape matches what Anthropic sends.
OJson usageJson(const anthropic::Usage & usage, int64_t estimatedInput);

/// One Anthropic SSE event (event name = data.type; `raw` serialised).
sse::Event makeEvent(const OJson & data);

/// The event sequence of a complete Anthropic message (used when an upstream answers a streaming
/// request with a plain JSON completion).
void eventsFromMessage(const OJson & message, std::vector<sse::Event> & out);

/// convertResponse, also giving the message as JSON.
bool convertToMessage(std::string_view raw, const ResponseOptions & options, ResponseResult & result, OJson & message);

} // namespace ccc::openai::detail
