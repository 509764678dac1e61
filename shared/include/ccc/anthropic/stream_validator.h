#pragma once
#include <string>

#include "ccc/anthropic/usage.h"
#include "ccc/sse/parser.h"

namespace ccc::anthropic
{

/// Why a stream or body was rejected. The proxy maps these to outcome classes and retry rules.
enum class Violation
{
	None,
	UpstreamError, ///< the upstream sent `event: error` (or an error JSON body): overloaded, rate limit...
	FakeUsage,     ///< message_start usage is the all-zero OpenAI-style fake (prompt/completion/total = 0)
	Malformed,     ///< bad JSON, unknown event name, wrong order, bad index, missing required field
	Truncated,     ///< the stream ended before message_stop, or with a block still open, or
	               ///< with an incomplete input_json_delta at content_block_stop
	Empty          ///< no event at all (empty 200)
};

struct Check
{
	Violation violation = Violation::None;
	std::string message;      ///< human-readable, names the event and field
	std::string errorType;    ///< for UpstreamError: the upstream's error.type (e.g. overloaded_error)
	std::string errorPayload; ///< for UpstreamError: the upstream's data JSON, verbatim
	bool ok() const { return violation == Violation::None; }
};

/// A state machine fed the SSE events of one Anthropic Messages stream, in order. It knows what may
/// come next and what must still come, so the proxy can forward each event at once and still catch
/// a bad stream:
///   message_start -> (ping | content_block_start(i) -> content_block_delta(i)* -> content_block_stop(i))*
///   -> message_delta -> message_stop
/// `ping` may appear anywhere after message_start (and before it: some proxies send one first).
/// `error` anywhere is a Violation::UpstreamError.
/// Checks: event names (the `event:` field must equal data.type), JSON of every data line,
/// message_start.message has id/type "message"/role "assistant"/model/usage, usage is not the
/// all-zero fake, content block indexes start at 0 and increase by one, deltas target the open
/// block and match its type (text_delta->text, input_json_delta->tool_use, thinking_delta and
/// signature_delta->thinking ...), a tool_use block's concatenated partial_json parses as a JSON
/// object at its content_block_stop (empty means {}), message_delta has delta.stop_reason.
/// Unknown block/delta types are accepted (new API features) as long as the framing is right.
class StreamValidator
{
public:
	/// Feeds one event. Returns the first violation found (and keeps returning it afterwards).
	Check onEvent(const sse::Event & event);

	/// End of the upstream stream: Truncated unless message_stop was seen (Empty if nothing came).
	Check finish() const;

	/// True once the stream has proven itself: a valid message_start followed by its first
	/// content event (content_block_start, message_delta or message_stop). Until then the proxy
	/// holds the response back and can still fail over invisibly.
	bool proven() const { return _proven; }

	bool sawMessageStop() const { return _stopped; }
	const Usage & usage() const { return _usage; }   ///< merged message_start + message_delta usage
	const std::string & stopReason() const { return _stopReason; }
	const std::string & messageId() const { return _messageId; }
	const std::string & model() const { return _model; }
	size_t eventCount() const { return _events; }

private:
	// Implementation state (see stream_validator.cpp).
	enum class Phase { BeforeStart, InMessage, InBlock, AfterDelta, Stopped };
	Phase _phase = Phase::BeforeStart;
	int _nextIndex = 0;
	int _openIndex = -1;
	std::string _openType;
	std::string _partialJson;
	bool _collectJson = false; ///< the open block takes input_json_delta (tool_use and the like)
	bool _proven = false;
	bool _stopped = false;
	Check _failed;
	Usage _usage;
	std::string _stopReason, _messageId, _model;
	size_t _events = 0;
};

} // namespace ccc::anthropic
