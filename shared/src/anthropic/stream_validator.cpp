#include "ccc/anthropic/stream_validator.h"

#include <nlohmann/json.hpp>

#include "anthropic/checks_internal.h"
#include "json/scan_internal.h"

namespace ccc::anthropic
{

using nlohmann::json;

namespace
{

bool isKnownEvent(std::string_view name)
{
	return name == "message_start" || name == "content_block_start" || name == "content_block_delta"
		|| name == "content_block_stop" || name == "message_delta" || name == "message_stop" || name == "ping"
		|| name == "error";
}

const json * member(const json & obj, const char * key)
{
	if (!obj.is_object())
		return nullptr;
	auto it = obj.find(key);
	return it == obj.end() ? nullptr : &*it;
}

const std::string * stringMember(const json & obj, const char * key)
{
	const json * v = member(obj, key);
	return v && v->is_string() ? v->get_ptr<const std::string *>() : nullptr;
}

} // namespace

namespace detail
{

bool intMember(const json & obj, const char * key, int64_t & out)
{
	const json * v = member(obj, key);
	if (!v)
		return false;
	if (v->is_number_unsigned())
	{
		uint64_t u = v->get<uint64_t>();
		if (u > uint64_t(INT64_MAX))
			return false;
		out = int64_t(u);
		return true;
	}
	if (v->is_number_integer())
	{
		out = v->get<int64_t>();
		return true;
	}
	return false;
}

bool isFakeUsage(const json & usage, bool atStart)
{
	// The OpenAI-shaped all-zero usage some relays invent. A usage carrying Anthropic's own
	// input_tokens and output_tokens is real unless every count is zero (judged at message_start
	// only, `atStart`).
	if (!usage.is_object())
		return false;
	if (usage.contains("input_tokens") && usage.contains("output_tokens"))
	{
		if (!atStart)
			return false;
		// Anthropic-named but entirely zero, cache included: no real prompt costs 0 tokens, so
		// this is a relay's placeholder too (output_tokens alone is often 0 or 1 and means nothing).
		int64_t in = -1, out = -1, created = 0, read = 0;
		intMember(usage, "input_tokens", in);
		intMember(usage, "output_tokens", out);
		intMember(usage, "cache_creation_input_tokens", created);
		intMember(usage, "cache_read_input_tokens", read);
		return in == 0 && out == 0 && created == 0 && read == 0;
	}
	static const char * const kKeys[] = {"prompt_tokens", "completion_tokens", "total_tokens"};
	for (const char * k : kKeys)
	{
		int64_t v = 0;
		if (!intMember(usage, k, v) || v != 0)
			return false;
	}
	return true;
}

const char * badUsageField(const json & usage)
{
	static const char * const kKeys[] = {"input_tokens", "output_tokens", "cache_creation_input_tokens",
		"cache_read_input_tokens"};
	for (const char * k : kKeys)
	{
		const json * v = member(usage, k);
		if (!v || v->is_null())
			continue;
		int64_t n = 0;
		if (!intMember(usage, k, n) || n < 0)
			return k;
	}
	return nullptr;
}

void mergeUsage(const json & usage, Usage & into)
{
	int64_t v = 0;
	if (intMember(usage, "input_tokens", v) && v >= 0)
		into.input_tokens = v;
	if (intMember(usage, "output_tokens", v) && v >= 0)
		into.output_tokens = v;
	if (intMember(usage, "cache_creation_input_tokens", v) && v >= 0)
		into.cache_creation_input_tokens = v;
	if (intMember(usage, "cache_read_input_tokens", v) && v >= 0)
		into.cache_read_input_tokens = v;
}

/// Fills an UpstreamError check from an error object ({"type":"error","error":{...}} or {"error":...}).
void describeUpstreamError(const json & data, std::string_view raw, Check & c)
{
	c.violation = Violation::UpstreamError;
	c.errorPayload.assign(raw.data(), raw.size());
	const json * err = member(data, "error");
	std::string message;
	if (err && err->is_object())
	{
		if (const std::string * t = stringMember(*err, "type"))
			c.errorType = *t;
		if (const std::string * m = stringMember(*err, "message"))
			message = *m;
	}
	else if (err && err->is_string())
		message = err->get<std::string>();
	c.message = "upstream error";
	if (!c.errorType.empty())
		c.message += " " + c.errorType;
	if (!message.empty())
		c.message += ": " + message;
}

} // namespace detail

using namespace detail;

namespace
{

/// A JSON value for a message, cut to a readable length.
std::string brief(const json & v)
{
	std::string s = v.dump();
	if (s.size() > 200)
	{
		s.resize(200);
		s += "...";
	}
	return s;
}

} // namespace

namespace
{

/// Which block types a known delta type may target. Deltas and blocks we do not know (new API
/// features) are not judged; known pairs that do not match are.
bool deltaFitsBlock(std::string_view delta, std::string_view block, bool & known)
{
	known = true;
	static const std::string_view kKnownBlocks[] = {"text", "thinking", "redacted_thinking", "tool_use",
		"server_tool_use"};
	bool blockKnown = false;
	for (auto b : kKnownBlocks)
		blockKnown = blockKnown || b == block;
	if (delta == "text_delta" || delta == "citations_delta")
		return !blockKnown || block == "text";
	if (delta == "input_json_delta")
		return !blockKnown || block == "tool_use" || block == "server_tool_use";
	if (delta == "thinking_delta" || delta == "signature_delta")
		return !blockKnown || block == "thinking";
	known = false;
	return true;
}

const char * deltaField(std::string_view delta)
{
	if (delta == "text_delta")
		return "text";
	if (delta == "input_json_delta")
		return "partial_json";
	if (delta == "thinking_delta")
		return "thinking";
	if (delta == "signature_delta")
		return "signature";
	return nullptr;
}

/// A tool's streamed input must form one JSON object (an empty stream means the start's input).
enum class JsonShape { Object, Other, Incomplete };
JsonShape shapeOf(std::string_view text)
{
	const char * b = text.data();
	const char * e = b + text.size();
	const char * p = ccc::json::detail::skipWs(b, e);
	if (p == e)
		return JsonShape::Object;
	const char * end = ccc::json::detail::skipValue(p, e);
	if (!end || ccc::json::detail::skipWs(end, e) != e)
		return JsonShape::Incomplete;
	return *p == '{' ? JsonShape::Object : JsonShape::Other;
}

} // namespace

Check StreamValidator::onEvent(const sse::Event & event)
{
	++_events;
	if (_failed.violation != Violation::None)
		return _failed;
	auto fail = [this](Violation v, std::string message) {
		_failed.violation = v;
		_failed.message = std::move(message);
		return _failed;
	};

	std::string_view name = event.event;
	if (!event.hasData)
	{
		// Anthropic always sends data; a bare `event: ping` or an `id:`/`retry:`-only block is
		// harmless, anything else is not.
		if (name == "ping" || name.empty())
			return Check();
		if (name == "error")
		{
			_failed.errorPayload.clear();
			return fail(Violation::UpstreamError, "upstream error event without data");
		}
		return fail(Violation::Malformed, "event '" + std::string(name) + "' has no data");
	}
	if (event.data == "[DONE]")
	{
		// An OpenAI-style terminator some relays append; harmless once the message is complete.
		if (_stopped)
			return Check();
		return fail(Violation::Malformed, "data [DONE] before message_stop");
	}

	// nlohmann stops at a NUL byte and would accept "{...}\0garbage": such data is malformed.
	json data = event.data.find('\0') == std::string::npos ? json::parse(event.data, nullptr, false)
															 : json(json::value_t::discarded);
	if (data.is_discarded() || !data.is_object())
	{
		if (name == "error")
		{
			_failed.errorPayload = event.data;
			return fail(Violation::UpstreamError, "upstream error event with unparsable data");
		}
		return fail(Violation::Malformed,
			"event '" + std::string(name) + "': data is not a JSON object: " + event.data.substr(0, 200));
	}
	const std::string * type = stringMember(data, "type");
	if (name == "error" || (type && *type == "error") || (!type && data.contains("error")))
	{
		describeUpstreamError(data, event.data, _failed);
		return _failed;
	}
	if (!type)
		return fail(Violation::Malformed, "event '" + std::string(name) + "': data has no string 'type'");
	if (name.empty())
		name = *type;
	else if (name != *type)
		return fail(Violation::Malformed, "event name '" + std::string(name) + "' differs from data.type '" + *type + "'");
	if (!isKnownEvent(name))
		return fail(Violation::Malformed, "unknown event '" + std::string(name) + "'");

	if (name == "ping")
		return Check();
	if (_phase == Phase::Stopped)
		return fail(Violation::Malformed, std::string(name) + " after message_stop");

	if (name == "message_start")
	{
		if (_phase != Phase::BeforeStart)
			return fail(Violation::Malformed, "second message_start");
		const json * msg = member(data, "message");
		if (!msg || !msg->is_object())
			return fail(Violation::Malformed, "message_start: 'message' is not an object");
		const std::string * id = stringMember(*msg, "id");
		if (!id)
			return fail(Violation::Malformed, "message_start: message.id missing");
		const std::string * mtype = stringMember(*msg, "type");
		if (!mtype || *mtype != "message")
			return fail(Violation::Malformed, "message_start: message.type is not \"message\"");
		const std::string * role = stringMember(*msg, "role");
		if (!role || *role != "assistant")
			return fail(Violation::Malformed, "message_start: message.role is not \"assistant\"");
		const std::string * model = stringMember(*msg, "model");
		if (!model)
			return fail(Violation::Malformed, "message_start: message.model missing");
		const json * usage = member(*msg, "usage");
		if (!usage || !usage->is_object())
			return fail(Violation::Malformed, "message_start: message.usage is not an object");
		if (isFakeUsage(*usage))
			return fail(Violation::FakeUsage,
				"message_start: usage is the all-zero prompt/completion/total_tokens fake: " + brief(*usage));
		int64_t n = 0;
		if (!intMember(*usage, "input_tokens", n) && !intMember(*usage, "output_tokens", n))
			return fail(Violation::Malformed, "message_start: usage has neither input_tokens nor output_tokens");
		if (const char * bad = badUsageField(*usage))
			return fail(Violation::Malformed, std::string("message_start: usage.") + bad + " is not a non-negative integer");
		mergeUsage(*usage, _usage);
		_messageId = *id;
		_model = *model;
		_phase = Phase::InMessage;
		return Check();
	}

	if (_phase == Phase::BeforeStart)
		return fail(Violation::Malformed, std::string(name) + " before message_start");

	if (name == "content_block_start")
	{
		if (_phase == Phase::InBlock)
			return fail(Violation::Malformed, "content_block_start while block " + std::to_string(_openIndex) + " is open");
		if (_phase == Phase::AfterDelta)
			return fail(Violation::Malformed, "content_block_start after message_delta");
		int64_t index = -1;
		if (!intMember(data, "index", index))
			return fail(Violation::Malformed, "content_block_start: index missing");
		if (index != _nextIndex)
			return fail(Violation::Malformed, "content_block_start: index " + std::to_string(index) + ", expected "
				+ std::to_string(_nextIndex));
		const json * block = member(data, "content_block");
		const std::string * btype = block ? stringMember(*block, "type") : nullptr;
		if (!btype)
			return fail(Violation::Malformed, "content_block_start: content_block.type missing");
		if (*btype == "tool_use" || *btype == "server_tool_use")
		{
			if (!stringMember(*block, "id") || !stringMember(*block, "name"))
				return fail(Violation::Malformed, "content_block_start: " + *btype + " without id or name");
			_collectJson = true;
		}
		else
			_collectJson = false;
		_openIndex = int(index);
		_openType = *btype;
		_partialJson.clear();
		_phase = Phase::InBlock;
		_proven = true;
		return Check();
	}

	if (name == "content_block_delta")
	{
		if (_phase != Phase::InBlock)
			return fail(Violation::Malformed, "content_block_delta outside a content block");
		int64_t index = -1;
		if (!intMember(data, "index", index) || index != _openIndex)
			return fail(Violation::Malformed, "content_block_delta: index does not match open block "
				+ std::to_string(_openIndex));
		const json * delta = member(data, "delta");
		const std::string * dtype = delta ? stringMember(*delta, "type") : nullptr;
		if (!dtype)
			return fail(Violation::Malformed, "content_block_delta: delta.type missing");
		bool known = false;
		if (!deltaFitsBlock(*dtype, _openType, known))
			return fail(Violation::Malformed, "content_block_delta: " + *dtype + " in a " + _openType + " block");
		if (const char * field = deltaField(*dtype))
		{
			const std::string * text = stringMember(*delta, field);
			if (!text)
				return fail(Violation::Malformed, "content_block_delta: " + *dtype + " without string '" + field + "'");
			if (*dtype == "input_json_delta")
			{
				_collectJson = true;
				_partialJson += *text;
			}
		}
		return Check();
	}

	if (name == "content_block_stop")
	{
		if (_phase != Phase::InBlock)
			return fail(Violation::Malformed, "content_block_stop outside a content block");
		int64_t index = -1;
		if (!intMember(data, "index", index) || index != _openIndex)
			return fail(Violation::Malformed, "content_block_stop: index does not match open block "
				+ std::to_string(_openIndex));
		if (_collectJson)
		{
			switch (shapeOf(_partialJson))
			{
			case JsonShape::Object:
				break;
			case JsonShape::Incomplete:
				return fail(Violation::Truncated, "content_block_stop: " + _openType + " input JSON is incomplete ("
					+ std::to_string(_partialJson.size()) + " bytes)");
			case JsonShape::Other:
				return fail(Violation::Malformed, "content_block_stop: " + _openType + " input is not a JSON object");
			}
		}
		_partialJson.clear();
		_partialJson.shrink_to_fit();
		_collectJson = false;
		_openIndex = -1;
		_openType.clear();
		++_nextIndex;
		_phase = Phase::InMessage;
		return Check();
	}

	if (name == "message_delta")
	{
		if (_phase == Phase::InBlock)
			return fail(Violation::Malformed, "message_delta while block " + std::to_string(_openIndex) + " is open");
		const json * delta = member(data, "delta");
		if (!delta || !delta->is_object())
			return fail(Violation::Malformed, "message_delta: 'delta' is not an object");
		const json * stop = member(*delta, "stop_reason");
		if (!stop || !(stop->is_string() || stop->is_null()))
			return fail(Violation::Malformed, "message_delta: delta.stop_reason missing");
		if (stop->is_string())
			_stopReason = stop->get<std::string>();
		if (const json * usage = member(data, "usage"))
		{
			if (!usage->is_object())
				return fail(Violation::Malformed, "message_delta: usage is not an object");
			if (isFakeUsage(*usage, false))
				return fail(Violation::FakeUsage,
					"message_delta: usage is the all-zero prompt/completion/total_tokens fake: " + brief(*usage));
			if (const char * bad = badUsageField(*usage))
				return fail(Violation::Malformed, std::string("message_delta: usage.") + bad + " is not a non-negative integer");
			mergeUsage(*usage, _usage);
		}
		_phase = Phase::AfterDelta;
		_proven = true;
		return Check();
	}

	// message_stop
	if (_phase == Phase::InBlock)
		return fail(Violation::Malformed, "message_stop while block " + std::to_string(_openIndex) + " is open");
	if (_phase != Phase::AfterDelta)
		return fail(Violation::Malformed, "message_stop without message_delta");
	if (_stopReason.empty())
		return fail(Violation::Malformed, "message_stop but no message_delta carried a stop_reason");
	_phase = Phase::Stopped;
	_stopped = true;
	_proven = true;
	return Check();
}

Check StreamValidator::finish() const
{
	if (_failed.violation != Violation::None)
		return _failed;
	Check c;
	if (_stopped)
		return c;
	if (_phase == Phase::BeforeStart)
	{
		// Nothing, or only pings: the upstream never started a message.
		c.violation = Violation::Empty;
		c.message = _events ? "stream ended before message_start (only pings)" : "empty stream";
		return c;
	}
	c.violation = Violation::Truncated;
	if (_phase == Phase::InBlock)
		c.message = "stream ended inside content block " + std::to_string(_openIndex) + " (" + _openType + ")";
	else
		c.message = "stream ended without message_stop";
	return c;
}

} // namespace ccc::anthropic
