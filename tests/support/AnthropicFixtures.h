#pragma once
#include <string>
#include <vector>

#include "FakeUpstream.h"

/// Canned protocol payloads shaped like the real APIs' (field names, order and event sequence as
/// the Anthropic Messages API and OpenAI Chat Completions send them), for fake upstreams.
/// Identifiers come from a process-wide counter ("msg_fake_<n>"): every call gives a new id, so
/// keep the returned string when a test compares bytes.
namespace ccc::test
{

constexpr const char * kFakeModel = "claude-sonnet-4-5-20250929";

struct FakeUsage
{
	int inputTokens = 25;
	int outputTokens = 12;
	int cacheCreationInputTokens = 0;
	int cacheReadInputTokens = 0;
};

/// Splits text into `parts` pieces of near-equal length (on UTF-8 boundaries); fewer when short.
std::vector<std::string> splitText(const std::string & text, size_t parts = 3);

// ---- Anthropic Messages API ----

/// A complete non-streaming message: {"id","type":"message","role":"assistant","model","content":
/// [{"type":"text","text"}],"stop_reason":"end_turn","stop_sequence":null,"usage":{...}}.
std::string anthropicMessage(const std::string & text, const std::string & model = kFakeModel, FakeUsage usage = {});
/// A non-streaming message whose content is one tool_use block (stop_reason "tool_use").
std::string anthropicToolUseMessage(const std::string & toolName, const std::string & inputJson,
	const std::string & model = kFakeModel, FakeUsage usage = {});

/// A complete text stream: message_start (usage with input_tokens, cache fields, output_tokens 1),
/// content_block_start, ping, content_block_delta text_delta x splitText(text), content_block_stop,
/// message_delta (stop_reason end_turn, usage with output_tokens), message_stop.
std::vector<SseEvent> anthropicStream(const std::string & text, const std::string & model = kFakeModel, FakeUsage usage = {});
/// A stream with an optional leading text block then a tool_use block whose input_json_delta
/// partial_json pieces concatenate to `inputJson`; stop_reason tool_use.
std::vector<SseEvent> anthropicToolUseStream(const std::string & toolName, const std::string & inputJson,
	const std::string & leadingText = "", const std::string & model = kFakeModel, FakeUsage usage = {});

/// Extended thinking: a thinking block (content_block_start {"type":"thinking","thinking":"",
/// "signature":""}, thinking_delta pieces, one signature_delta, stop) then a text block.
std::vector<SseEvent> anthropicThinkingStream(const std::string & thinking, const std::string & text,
	const std::string & model = kFakeModel, FakeUsage usage = {});
/// The non-streaming form: content [{"type":"thinking","thinking","signature"}, {"type":"text"}].
std::string anthropicThinkingMessage(const std::string & thinking, const std::string & text,
	const std::string & model = kFakeModel, FakeUsage usage = {});
/// The signature the thinking fixtures carry (opaque base64-looking text, as the API sends).
constexpr const char * kFakeThinkingSignature = "EqQBCkYIBhgCKkDfakeSignatureForTestsOnlyAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==";

/// {"type":"error","error":{"type":<type>,"message":<message>}} (the body of every API error).
std::string anthropicError(const std::string & type, const std::string & message);
/// {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}
std::string overloadedErrorJson();
/// A ready 529 response with the overloaded body (and Retry-After when given).
Response overloadedResponse(const std::string & retryAfter = "");

/// HTTP 200 SSE failure: message_start then `event: error` (overloaded_error), nothing else.
std::vector<SseEvent> anthropicStreamMidError(const std::string & model = kFakeModel);
/// A complete stream whose message_start usage is all zeros (what OpenAI-converting fakes send).
std::vector<SseEvent> anthropicStreamZeroUsage(const std::string & text, const std::string & model = kFakeModel);
/// A stream whose second content_block_delta has a data line with broken JSON.
std::vector<SseEvent> anthropicStreamMalformedData(const std::string & text, const std::string & model = kFakeModel);
/// A complete stream minus the final message_stop.
std::vector<SseEvent> anthropicStreamWithoutMessageStop(const std::string & text, const std::string & model = kFakeModel);
/// {"input_tokens":n}
std::string anthropicCountTokens(int inputTokens);
/// The text the client would assemble from a stream's text_delta events (for assertions).
std::string streamText(const std::vector<SseEvent> & events);
/// Concatenated serialized events (the exact body bytes of Response::sse(events)).
std::string sseBody(const std::vector<SseEvent> & events);

// ---- OpenAI Chat Completions ----

/// {"id":"chatcmpl-...","object":"chat.completion","created","model","choices":[{"index":0,
/// "message":{"role":"assistant","content","refusal":null},"logprobs":null,"finish_reason":"stop"}],
/// "usage":{"prompt_tokens","completion_tokens","total_tokens"}}
std::string openaiChatCompletion(const std::string & text, const std::string & model = "gpt-4o", FakeUsage usage = {});
/// A completion whose message has one tool call (content null, finish_reason "tool_calls").
std::string openaiToolCallCompletion(const std::string & toolName, const std::string & argumentsJson,
	const std::string & model = "gpt-4o", FakeUsage usage = {});
/// Data-only chunks: role chunk, content chunks (splitText), finish chunk (finish_reason stop),
/// then a usage chunk (choices []) when withUsage, then "data: [DONE]".
std::vector<SseEvent> openaiChatStream(const std::string & text, const std::string & model = "gpt-4o",
	FakeUsage usage = {}, bool withUsage = true);
/// Tool-call chunks: role chunk, a tool_calls chunk with id/type/name and empty arguments, the
/// arguments split over several chunks, finish chunk (tool_calls), usage chunk, [DONE].
std::vector<SseEvent> openaiToolCallStream(const std::string & toolName, const std::string & argumentsJson,
	const std::string & model = "gpt-4o", FakeUsage usage = {}, bool withUsage = true);

} // namespace ccc::test
