#include "AnthropicFixtures.h"

#include <atomic>

namespace ccc::test
{

namespace
{

using OJ = nlohmann::ordered_json;

std::atomic<int> gId{1};

std::string nextId(const char * prefix)
{
	return std::string(prefix) + std::to_string(gId.fetch_add(1));
}

OJ usageJson(const FakeUsage & u, int outputTokens)
{
	return OJ{{"input_tokens", u.inputTokens},
		{"cache_creation_input_tokens", u.cacheCreationInputTokens},
		{"cache_read_input_tokens", u.cacheReadInputTokens},
		{"cache_creation", {{"ephemeral_5m_input_tokens", u.cacheCreationInputTokens}, {"ephemeral_1h_input_tokens", 0}}},
		{"output_tokens", outputTokens},
		{"service_tier", "standard"}};
}

SseEvent ev(const std::string & name, const OJ & data)
{
	return SseEvent{name, data.dump(), ""};
}

SseEvent messageStart(const std::string & model, const OJ & usage)
{
	return ev("message_start",
		OJ{{"type", "message_start"},
			{"message",
				{{"id", nextId("msg_fake_")}, {"type", "message"}, {"role", "assistant"}, {"model", model},
					{"content", OJ::array()}, {"stop_reason", nullptr}, {"stop_sequence", nullptr}, {"usage", usage}}}});
}

SseEvent ping()
{
	// The real API writes this one with a space after the colon.
	return SseEvent{"ping", R"({"type": "ping"})", ""};
}

SseEvent blockStop(int index)
{
	return ev("content_block_stop", OJ{{"type", "content_block_stop"}, {"index", index}});
}

SseEvent messageDelta(const std::string & stopReason, const FakeUsage & u)
{
	return ev("message_delta",
		OJ{{"type", "message_delta"}, {"delta", {{"stop_reason", stopReason}, {"stop_sequence", nullptr}}},
			{"usage",
				{{"input_tokens", u.inputTokens}, {"cache_creation_input_tokens", u.cacheCreationInputTokens},
					{"cache_read_input_tokens", u.cacheReadInputTokens}, {"output_tokens", u.outputTokens}}}});
}

SseEvent messageStop()
{
	return ev("message_stop", OJ{{"type", "message_stop"}});
}

void appendTextBlock(std::vector<SseEvent> & out, int index, const std::string & text, bool withPing)
{
	out.push_back(ev("content_block_start",
		OJ{{"type", "content_block_start"}, {"index", index}, {"content_block", {{"type", "text"}, {"text", ""}}}}));
	if (withPing)
		out.push_back(ping());
	for (const auto & piece : splitText(text))
		out.push_back(ev("content_block_delta",
			OJ{{"type", "content_block_delta"}, {"index", index}, {"delta", {{"type", "text_delta"}, {"text", piece}}}}));
	out.push_back(blockStop(index));
}

OJ messageJson(const std::string & model, OJ content, const std::string & stopReason, const FakeUsage & u)
{
	return OJ{{"id", nextId("msg_fake_")}, {"type", "message"}, {"role", "assistant"}, {"model", model},
		{"content", std::move(content)}, {"stop_reason", stopReason}, {"stop_sequence", nullptr},
		{"usage", usageJson(u, u.outputTokens)}};
}

OJ chunkJson(const std::string & id, const std::string & model, OJ delta, const OJ & finishReason)
{
	return OJ{{"id", id}, {"object", "chat.completion.chunk"}, {"created", 1767225600}, {"model", model},
		{"system_fingerprint", "fp_fake"},
		{"choices", OJ::array({OJ{{"index", 0}, {"delta", std::move(delta)}, {"logprobs", nullptr}, {"finish_reason", finishReason}}})}};
}

OJ openaiUsage(const FakeUsage & u)
{
	return OJ{{"prompt_tokens", u.inputTokens}, {"completion_tokens", u.outputTokens},
		{"total_tokens", u.inputTokens + u.outputTokens},
		{"prompt_tokens_details", {{"cached_tokens", u.cacheReadInputTokens}}}};
}

SseEvent dataOnly(const OJ & j)
{
	return SseEvent{"", j.dump(), ""};
}

} // namespace

std::vector<std::string> splitText(const std::string & text, size_t parts)
{
	std::vector<std::string> out;
	if (text.empty())
		return out;
	size_t want = std::max<size_t>(1, std::min(parts, text.size()));
	size_t size = (text.size() + want - 1) / want;
	size_t pos = 0;
	while (pos < text.size())
	{
		size_t end = std::min(text.size(), pos + size);
		// Never split inside a UTF-8 sequence.
		while (end < text.size() && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80)
			++end;
		out.push_back(text.substr(pos, end - pos));
		pos = end;
	}
	return out;
}

std::string anthropicMessage(const std::string & text, const std::string & model, FakeUsage usage)
{
	return messageJson(model, OJ::array({OJ{{"type", "text"}, {"text", text}}}), "end_turn", usage).dump();
}

std::string anthropicToolUseMessage(const std::string & toolName, const std::string & inputJson,
	const std::string & model, FakeUsage usage)
{
	OJ input = OJ::parse(inputJson, nullptr, false);
	if (input.is_discarded())
		input = OJ::object();
	return messageJson(model,
		OJ::array({OJ{{"type", "tool_use"}, {"id", nextId("toolu_fake_")}, {"name", toolName}, {"input", input}}}),
		"tool_use", usage)
		.dump();
}

std::vector<SseEvent> anthropicStream(const std::string & text, const std::string & model, FakeUsage usage)
{
	std::vector<SseEvent> out;
	out.push_back(messageStart(model, usageJson(usage, 1)));
	appendTextBlock(out, 0, text, true);
	out.push_back(messageDelta("end_turn", usage));
	out.push_back(messageStop());
	return out;
}

std::vector<SseEvent> anthropicToolUseStream(const std::string & toolName, const std::string & inputJson,
	const std::string & leadingText, const std::string & model, FakeUsage usage)
{
	std::vector<SseEvent> out;
	out.push_back(messageStart(model, usageJson(usage, 1)));
	int index = 0;
	if (!leadingText.empty())
		appendTextBlock(out, index++, leadingText, true);
	out.push_back(ev("content_block_start",
		OJ{{"type", "content_block_start"}, {"index", index},
			{"content_block", {{"type", "tool_use"}, {"id", nextId("toolu_fake_")}, {"name", toolName}, {"input", OJ::object()}}}}));
	if (leadingText.empty())
		out.push_back(ping());
	// The real API opens with an empty partial_json, then sends the arguments in pieces.
	std::vector<std::string> pieces = splitText(inputJson, 4);
	pieces.insert(pieces.begin(), "");
	for (const auto & piece : pieces)
		out.push_back(ev("content_block_delta",
			OJ{{"type", "content_block_delta"}, {"index", index}, {"delta", {{"type", "input_json_delta"}, {"partial_json", piece}}}}));
	out.push_back(blockStop(index));
	out.push_back(messageDelta("tool_use", usage));
	out.push_back(messageStop());
	return out;
}

std::vector<SseEvent> anthropicThinkingStream(const std::string & thinking, const std::string & text,
	const std::string & model, FakeUsage usage)
{
	std::vector<SseEvent> out;
	out.push_back(messageStart(model, usageJson(usage, 1)));
	out.push_back(ev("content_block_start",
		OJ{{"type", "content_block_start"}, {"index", 0},
			{"content_block", {{"type", "thinking"}, {"thinking", ""}, {"signature", ""}}}}));
	out.push_back(ping());
	for (const auto & piece : splitText(thinking))
		out.push_back(ev("content_block_delta",
			OJ{{"type", "content_block_delta"}, {"index", 0}, {"delta", {{"type", "thinking_delta"}, {"thinking", piece}}}}));
	out.push_back(ev("content_block_delta",
		OJ{{"type", "content_block_delta"}, {"index", 0},
			{"delta", {{"type", "signature_delta"}, {"signature", kFakeThinkingSignature}}}}));
	out.push_back(blockStop(0));
	appendTextBlock(out, 1, text, false);
	out.push_back(messageDelta("end_turn", usage));
	out.push_back(messageStop());
	return out;
}

std::string anthropicThinkingMessage(const std::string & thinking, const std::string & text,
	const std::string & model, FakeUsage usage)
{
	return messageJson(model,
		OJ::array({OJ{{"type", "thinking"}, {"thinking", thinking}, {"signature", kFakeThinkingSignature}},
			OJ{{"type", "text"}, {"text", text}}}),
		"end_turn", usage)
		.dump();
}

std::string anthropicError(const std::string & type, const std::string & message)
{
	return OJ{{"type", "error"}, {"error", {{"type", type}, {"message", message}}}}.dump();
}

std::string overloadedErrorJson()
{
	return anthropicError("overloaded_error", "Overloaded");
}

Response overloadedResponse(const std::string & retryAfter)
{
	Response r = Response::json(529, overloadedErrorJson());
	if (!retryAfter.empty())
		r.retryAfter(retryAfter);
	return r;
}

std::vector<SseEvent> anthropicStreamMidError(const std::string & model)
{
	std::vector<SseEvent> out;
	out.push_back(messageStart(model, usageJson(FakeUsage{}, 1)));
	out.push_back(SseEvent{"error", overloadedErrorJson(), ""});
	return out;
}

std::vector<SseEvent> anthropicStreamZeroUsage(const std::string & text, const std::string & model)
{
	std::vector<SseEvent> out = anthropicStream(text, model, FakeUsage{0, 0, 0, 0});
	// OpenAI-converting fakes send message_start with a bare all-zero usage object.
	OJ start = OJ::parse(out[0].data);
	start["message"]["usage"] = OJ{{"input_tokens", 0}, {"output_tokens", 0}};
	out[0].data = start.dump();
	return out;
}

std::vector<SseEvent> anthropicStreamMalformedData(const std::string & text, const std::string & model)
{
	std::vector<SseEvent> out = anthropicStream(text, model);
	size_t deltas = 0;
	for (auto & e : out)
	{
		if (e.event == "content_block_delta" && ++deltas == 2)
		{
			e.data = e.data.substr(0, e.data.size() / 2); // cut mid-JSON
			break;
		}
	}
	if (deltas < 2) // text too short for two deltas: break the first one
		for (auto & e : out)
			if (e.event == "content_block_delta")
			{
				e.data = e.data.substr(0, e.data.size() / 2);
				break;
			}
	return out;
}

std::vector<SseEvent> anthropicStreamWithoutMessageStop(const std::string & text, const std::string & model)
{
	std::vector<SseEvent> out = anthropicStream(text, model);
	out.pop_back();
	return out;
}

std::string anthropicCountTokens(int inputTokens)
{
	return OJ{{"input_tokens", inputTokens}}.dump();
}

std::string streamText(const std::vector<SseEvent> & events)
{
	std::string text;
	for (const auto & e : events)
	{
		if (e.event != "content_block_delta")
			continue;
		auto j = nlohmann::json::parse(e.data, nullptr, false);
		if (!j.is_discarded() && j.contains("delta") && j["delta"].value("type", "") == "text_delta")
			text += j["delta"].value("text", "");
	}
	return text;
}

std::string sseBody(const std::vector<SseEvent> & events)
{
	std::string out;
	for (const auto & e : events)
		out += e.serialize();
	return out;
}

std::string openaiChatCompletion(const std::string & text, const std::string & model, FakeUsage usage)
{
	return OJ{{"id", nextId("chatcmpl-fake")}, {"object", "chat.completion"}, {"created", 1767225600}, {"model", model},
		{"choices",
			OJ::array({OJ{{"index", 0}, {"message", {{"role", "assistant"}, {"content", text}, {"refusal", nullptr}}},
				{"logprobs", nullptr}, {"finish_reason", "stop"}}})},
		{"usage", openaiUsage(usage)}, {"system_fingerprint", "fp_fake"}}
		.dump();
}

std::string openaiToolCallCompletion(const std::string & toolName, const std::string & argumentsJson,
	const std::string & model, FakeUsage usage)
{
	OJ call{{"id", nextId("call_fake_")}, {"type", "function"}, {"function", {{"name", toolName}, {"arguments", argumentsJson}}}};
	return OJ{{"id", nextId("chatcmpl-fake")}, {"object", "chat.completion"}, {"created", 1767225600}, {"model", model},
		{"choices",
			OJ::array({OJ{{"index", 0},
				{"message", {{"role", "assistant"}, {"content", nullptr}, {"tool_calls", OJ::array({call})}, {"refusal", nullptr}}},
				{"logprobs", nullptr}, {"finish_reason", "tool_calls"}}})},
		{"usage", openaiUsage(usage)}, {"system_fingerprint", "fp_fake"}}
		.dump();
}

namespace
{

void finishOpenai(std::vector<SseEvent> & out, const std::string & id, const std::string & model,
	const std::string & finishReason, const FakeUsage & usage, bool withUsage)
{
	out.push_back(dataOnly(chunkJson(id, model, OJ::object(), finishReason)));
	if (withUsage)
	{
		OJ u = chunkJson(id, model, OJ::object(), nullptr);
		u["choices"] = OJ::array();
		u["usage"] = openaiUsage(usage);
		out.push_back(dataOnly(u));
	}
	out.push_back(SseEvent{"", "[DONE]", ""});
}

} // namespace

std::vector<SseEvent> openaiChatStream(const std::string & text, const std::string & model, FakeUsage usage, bool withUsage)
{
	std::string id = nextId("chatcmpl-fake");
	std::vector<SseEvent> out;
	out.push_back(dataOnly(chunkJson(id, model, OJ{{"role", "assistant"}, {"content", ""}, {"refusal", nullptr}}, nullptr)));
	for (const auto & piece : splitText(text))
		out.push_back(dataOnly(chunkJson(id, model, OJ{{"content", piece}}, nullptr)));
	finishOpenai(out, id, model, "stop", usage, withUsage);
	return out;
}

std::vector<SseEvent> openaiToolCallStream(const std::string & toolName, const std::string & argumentsJson,
	const std::string & model, FakeUsage usage, bool withUsage)
{
	std::string id = nextId("chatcmpl-fake");
	std::vector<SseEvent> out;
	out.push_back(dataOnly(chunkJson(id, model, OJ{{"role", "assistant"}, {"content", nullptr}}, nullptr)));
	out.push_back(dataOnly(chunkJson(id, model,
		OJ{{"tool_calls",
			OJ::array({OJ{{"index", 0}, {"id", nextId("call_fake_")}, {"type", "function"},
				{"function", {{"name", toolName}, {"arguments", ""}}}}})}},
		nullptr)));
	for (const auto & piece : splitText(argumentsJson, 4))
		out.push_back(dataOnly(chunkJson(id, model,
			OJ{{"tool_calls", OJ::array({OJ{{"index", 0}, {"function", {{"arguments", piece}}}}})}}, nullptr)));
	finishOpenai(out, id, model, "tool_calls", usage, withUsage);
	return out;
}

} // namespace ccc::test
