#include "internal.h"

namespace ccc::openai
{

using detail::Json;
using detail::OJson;

namespace detail
{

OJson usageJson(const anthropic::Usage & u, int64_t estimatedInput)
{
	OJson j;
	j["input_tokens"] = u.input_tokens >= 0 ? u.input_tokens : std::max<int64_t>(0, estimatedInput);
	j["output_tokens"] = u.output_tokens >= 0 ? u.output_tokens : 0;
	j["cache_creation_input_tokens"] = u.cache_creation_input_tokens >= 0 ? u.cache_creation_input_tokens : 0;
	j["cache_read_input_tokens"] = u.cache_read_input_tokens >= 0 ? u.cache_read_input_tokens : 0;
	return j;
}

sse::Event makeEvent(const OJson & data)
{
	sse::Event ev;
	ev.event = data["type"].get<std::string>();
	ev.data = dump(data);
	ev.raw = sse::serialize(ev.event, ev.data);
	ev.hasData = true;
	return ev;
}

void eventsFromMessage(const OJson & message, std::vector<sse::Event> & out)
{
	OJson start = message;
	start["content"] = OJson::array();
	start["stop_reason"] = nullptr;
	start["stop_sequence"] = nullptr;
	OJson startUsage{{"input_tokens", message["usage"]["input_tokens"]}, {"output_tokens", 0}};
	start["usage"] = startUsage;
	out.push_back(makeEvent(OJson{{"type", "message_start"}, {"message", start}}));
	int index = 0;
	for (const auto & block : message["content"])
	{
		std::string type = block["type"].get<std::string>();
		OJson cb;
		OJson delta;
		if (type == "text")
		{
			cb = OJson{{"type", "text"}, {"text", ""}};
			delta = OJson{{"type", "text_delta"}, {"text", block["text"]}};
		}
		else if (type == "thinking")
		{
			cb = OJson{{"type", "thinking"}, {"thinking", ""}, {"signature", ""}};
			delta = OJson{{"type", "thinking_delta"}, {"thinking", block["thinking"]}};
		}
		else
		{
			cb = OJson{{"type", "tool_use"}, {"id", block["id"]}, {"name", block["name"]}, {"input", OJson::object()}};
			delta = OJson{{"type", "input_json_delta"}, {"partial_json", dump(block["input"])}};
		}
		out.push_back(makeEvent(OJson{{"type", "content_block_start"}, {"index", index}, {"content_block", cb}}));
		out.push_back(makeEvent(OJson{{"type", "content_block_delta"}, {"index", index}, {"delta", delta}}));
		out.push_back(makeEvent(OJson{{"type", "content_block_stop"}, {"index", index}}));
		++index;
	}
	out.push_back(makeEvent(OJson{{"type", "message_delta"},
		{"delta", OJson{{"stop_reason", message["stop_reason"]}, {"stop_sequence", message["stop_sequence"]}}},
		{"usage", message["usage"]}}));
	out.push_back(makeEvent(OJson{{"type", "message_stop"}}));
}

} // namespace detail

namespace
{

/// Text of a message `content`: a string, or the text parts of an array.
std::string contentText(const Json & content)
{
	if (content.is_string())
		return content.get<std::string>();
	std::string text;
	if (content.is_array())
		for (const auto & part : content)
			if (part.is_object() && part.contains("text") && part["text"].is_string())
				text += part["text"].get<std::string>();
	return text;
}

std::string stringField(const Json & obj, const char * key)
{
	if (!obj.is_object())
		return "";
	auto it = obj.find(key);
	return it != obj.end() && it->is_string() ? it->get<std::string>() : "";
}

bool convertParsed(const Json & body, std::string_view raw, const ResponseOptions & options, ResponseResult & result)
{
	if (!body.is_object())
	{
		result.error = "the upstream response is not a JSON object";
		return false;
	}
	if (body.contains("error") && !body["error"].is_null())
	{
		result.upstreamError = true;
		result.error = detail::errorMessage(body);
		return false;
	}
	auto choices = body.find("choices");
	if (choices == body.end() || !choices->is_array() || choices->empty() || !(*choices)[0].is_object())
	{
		result.error = "no choices in the upstream response";
		return false;
	}
	const Json & choice = (*choices)[0];
	auto msgIt = choice.find("message");
	if (msgIt == choice.end() || !msgIt->is_object())
	{
		result.error = "choices[0] has no message";
		return false;
	}
	const Json & message = *msgIt;
	std::string id = detail::messageId(stringField(body, "id"), raw);

	OJson content = OJson::array();
	std::string reasoning = stringField(message, "reasoning_content");
	if (reasoning.empty())
		reasoning = stringField(message, "reasoning");
	if (!reasoning.empty())
		content.push_back(OJson{{"type", "thinking"}, {"thinking", reasoning}, {"signature", ""}});
	std::string text = message.contains("content") ? contentText(message["content"]) : "";
	std::string refusal = stringField(message, "refusal");
	bool refused = false;
	if (!detail::isBlank(text))
		content.push_back(OJson{{"type", "text"}, {"text", text}});
	else if (!refusal.empty())
	{
		content.push_back(OJson{{"type", "text"}, {"text", refusal}});
		refused = true;
	}
	bool hadToolCalls = false;
	auto calls = message.find("tool_calls");
	if (calls != message.end() && calls->is_array())
	{
		for (size_t i = 0; i < calls->size(); ++i)
		{
			const Json & call = (*calls)[i];
			const Json fn = call.is_object() && call.contains("function") ? call["function"] : Json();
			std::string name = stringField(fn, "name");
			if (name.empty())
			{
				result.error = "tool call " + std::to_string(i) + " has no function name";
				return false;
			}
			std::string callId = stringField(call, "id");
			if (callId.empty())
				callId = detail::toolUseId(id + "/" + std::to_string(i));
			std::string args;
			if (!detail::finalizeArguments(name, stringField(fn, "arguments"), options, args))
			{
				result.error = "tool call " + std::to_string(i) + " (" + name + ") has arguments that are not a JSON object";
				return false;
			}
			content.push_back(OJson{{"type", "tool_use"}, {"id", callId}, {"name", name},
				{"input", OJson::parse(args, nullptr, false)}});
			hadToolCalls = true;
		}
	}

	std::string stopSequence;
	std::string reason = detail::stopReason(stringField(choice, "finish_reason"), hadToolCalls, text,
		stringField(choice, "stop_reason").empty() ? stringField(choice, "matched_stop") : stringField(choice, "stop_reason"),
		options.stopSequences, stopSequence);
	if (refused && reason == "end_turn")
		reason = "refusal";

	anthropic::Usage usage = detail::usageFrom(body.contains("usage") ? body["usage"] : Json());
	OJson usageJ = detail::usageJson(usage, options.estimatedInputTokens);
	// As the stream converter reports it: what the client was told for input/output, cache counters
	// only when the upstream reported them (-1 otherwise).
	result.usage = usage;
	result.usage.input_tokens = usageJ["input_tokens"].get<int64_t>();
	result.usage.output_tokens = usageJ["output_tokens"].get<int64_t>();

	OJson out;
	out["id"] = id;
	out["type"] = "message";
	out["role"] = "assistant";
	out["model"] = options.clientModel.empty() ? stringField(body, "model") : options.clientModel;
	out["content"] = std::move(content);
	out["stop_reason"] = reason;
	out["stop_sequence"] = stopSequence.empty() ? OJson(nullptr) : OJson(stopSequence);
	out["usage"] = std::move(usageJ);
	result.stopReason = reason;
	result.body = detail::dump(out);
	result.ok = true;
	return true;
}

} // namespace

namespace detail
{

/// Used by the stream converter for an upstream that ignored `stream: true`.
bool convertToMessage(std::string_view raw, const ResponseOptions & options, ResponseResult & result, OJson & message)
{
	Json body = parse(raw);
	if (body.is_discarded())
	{
		result.error = "the upstream response is not JSON";
		return false;
	}
	if (!convertParsed(body, raw, options, result))
		return false;
	message = OJson::parse(result.body, nullptr, false);
	return true;
}

} // namespace detail

ResponseResult convertResponse(std::string_view openaiBody, const ResponseOptions & options)
{
	ResponseResult result;
	try
	{
		OJson message;
		detail::convertToMessage(openaiBody, options, result, message);
	}
	catch (const std::exception & e)
	{
		result = ResponseResult();
		result.error = std::string("cannot convert the upstream response: ") + e.what();
	}
	return result;
}

} // namespace ccc::openai
