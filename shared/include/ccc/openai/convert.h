#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ccc/anthropic/usage.h"
#include "ccc/sse/parser.h"

/// Anthropic Messages <-> OpenAI Chat Completions conversion, so Claude Code can be served by
/// GPT, GLM, Kimi, Qwen, DeepSeek and other OpenAI-compatible endpoints without noticing.
/// Pure and incremental: the streaming converter turns each upstream chunk into Anthropic events
/// as it arrives (never "aggregate then synthesise").
namespace ccc::openai
{

struct RequestOptions
{
	std::string model;                         ///< model to send (after the endpoint's rewrite)
	std::string maxTokensField = "max_tokens"; ///< max_tokens | max_completion_tokens | max_output_tokens
	std::optional<int64_t> maxTokensLimit;     ///< clamp max_tokens to this
	bool reorderSystemFirst = false;           ///< merge every system message into the first one
	/// JSON Schema keywords removed from tool schemas; nullopt = defaultStripKeywords().
	std::optional<std::vector<std::string>> stripSchemaKeywords;
	bool keepThinkingHistory = false;          ///< send assistant thinking as reasoning_content
};

/// The keywords stripped by default ($schema, propertyNames, const, exclusiveMinimum, ...).
const std::vector<std::string> & defaultStripKeywords();

struct RequestResult
{
	bool ok = false;
	std::string body;       ///< the OpenAI Chat Completions request JSON
	bool stream = false;    ///< the client asked for a stream
	std::string errorField; ///< on failure: the Anthropic field that could not be converted, e.g. messages[3].content[1]
	std::string error;      ///< on failure: why (the proxy answers 400 invalid_request_error with it)
};

/// Converts an Anthropic Messages request body. Unknown Anthropic fields are dropped, never
/// forwarded. GPT-5 family quirks (temperature 1, max_completion_tokens) are applied by model name.
RequestResult convertRequest(std::string_view anthropicBody, const RequestOptions & options);

struct ResponseResult
{
	bool ok = false;
	std::string body;           ///< the Anthropic message JSON
	/// As reported to the client: input (falls back to estimatedInputTokens) and output always set;
	/// cache counters -1 when the upstream did not report them.
	anthropic::Usage usage;
	std::string stopReason;
	bool upstreamError = false; ///< the body was an OpenAI error object (error.message in `error`)
	std::string error;
};

struct ResponseOptions
{
	std::string clientModel;            ///< model name reported back (the one the client asked for)
	std::vector<std::string> pythonFixTools = {"TodoWrite"}; ///< tools whose arguments get the Python-dict repair ("*": all)
	bool pythonFixEnabled = true;
	std::vector<std::string> stopSequences; ///< the request's stop_sequences (to report stop_sequence)
	/// input_tokens reported in message_start (OpenAI streams report usage only at the end; the
	/// real value follows in message_delta.usage) and when the upstream sends no usage at all.
	/// Typically estimateInputTokens(request).
	int64_t estimatedInputTokens = 0;
};

/// Converts a non-streaming Chat Completions response into an Anthropic message.
ResponseResult convertResponse(std::string_view openaiBody, const ResponseOptions & options);

/// Incremental OpenAI SSE -> Anthropic SSE conversion. Feed raw upstream bytes (split anywhere,
/// even inside a UTF-8 sequence or a data line); get Anthropic events (event + data JSON, `raw`
/// filled with the serialised form) ready to forward.
class StreamConverter
{
public:
	struct Options : ResponseOptions
	{
		bool allowMissingDone = false; ///< accept a stream that ends without `data: [DONE]` (iflow)
	};

	explicit StreamConverter(Options options);
	~StreamConverter();
	StreamConverter(const StreamConverter &) = delete;
	StreamConverter & operator=(const StreamConverter &) = delete;

	/// Converts what `bytes` completes. Returns false (with error()) when the upstream stream is
	/// malformed or carries an error object; events produced before the failure stay in `out`.
	bool feed(std::string_view bytes, std::vector<sse::Event> & out);

	/// End of the upstream stream: closes open blocks, emits message_delta and message_stop.
	/// Returns false when the stream was truncated (no finish_reason, or no [DONE] unless allowed).
	bool finish(std::vector<sse::Event> & out);

	const std::string & error() const;
	bool upstreamError() const;            ///< the failure was an error object sent by the upstream
	/// Merged message_start + message_delta usage as sent to the client (cache counters -1 when the
	/// upstream did not report them); complete once finish() succeeded.
	const anthropic::Usage & usage() const;

private:
	struct Impl;
	Impl * _impl;
};

/// Estimated input tokens of an Anthropic request (for count_tokens on OpenAI endpoints):
/// documented method in docs (characters of text, tool schemas and system; CJK counted denser).
int64_t estimateInputTokens(std::string_view anthropicBody);

/// The Python-dict repair for tool arguments ({'a': 'b'} -> {"a": "b"}); returns the repaired
/// JSON text, or nullopt when the input cannot be made valid JSON this way.
std::optional<std::string> repairPythonDict(std::string_view arguments);

} // namespace ccc::openai
