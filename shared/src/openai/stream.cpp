#include <map>

#include "internal.h"

namespace ccc::openai
{

using detail::Json;
using detail::OJson;

namespace
{

/// One upstream tool call, keyed by its `index` (later chunks omit id and name).
struct ToolCall
{
	enum class State
	{
		Pending, ///< waiting for its name, or for the open tool block to finish
		Open,    ///< its tool_use block is the open block; arguments are being buffered
		Closed
	};
	std::string id, name, args;
	State state = State::Pending;
	int block = -1;
};

/// Keeps the last bytes of the text, enough to compare with the longest stop sequence.
void keepTail(std::string & tail, std::string_view add, size_t limit)
{
	tail.append(add.data(), add.size());
	if (tail.size() > limit)
		tail.erase(0, tail.size() - limit);
}

} // namespace

// Design: text and reasoning deltas are forwarded the moment they arrive. Tool call arguments are
// buffered per call while its tool_use block is open (the block starts as soon as its name is
// known), and sent as one input_json_delta when the block closes: only then can the arguments be
// checked to be a complete JSON object and repaired if they are not, which an already forwarded
// fragment could not be. Anthropic allows one open block at a time, so a new kind of content
// closes the open block first; a second tool call waits while the open call's arguments are still
// an incomplete JSON value (providers that interleave parallel calls), and follows once they are.
struct StreamConverter::Impl
{
	Options options;
	sse::Parser parser;
	std::vector<sse::Event> parsed;

	bool started = false;   ///< message_start sent
	bool completed = false; ///< message_stop sent
	bool failed = false;
	bool upstreamError = false;
	bool sawDone = false;
	bool sawData = false;
	std::string error;
	std::string rawBody; ///< bytes before the first data event (a non-SSE answer is a JSON body)

	anthropic::Usage upstreamUsage;
	anthropic::Usage reported;
	std::string id;
	std::string model;
	int nextIndex = 0;

	enum class Open
	{
		None,
		Text,
		Thinking,
		Tool
	};
	Open open = Open::None;
	int openIndex = -1;
	int64_t openTool = -1;
	std::string heldWhitespace; ///< text that is only whitespace so far: not worth a block (yet)
	std::string tail;
	size_t tailLimit = 0;
	std::string finishReason;
	std::string matchedStop;
	std::map<int64_t, ToolCall> calls;
	std::map<int64_t, int64_t> aliases; ///< upstream index -> our index, for providers that reuse indexes
	int64_t lastToolIndex = -1;

	explicit Impl(Options o) : options(std::move(o))
	{
		for (const auto & s : options.stopSequences)
			tailLimit = std::max(tailLimit, s.size());
	}

	bool fail(std::string message, bool fromUpstream = false)
	{
		if (!failed)
		{
			failed = true;
			upstreamError = fromUpstream;
			error = std::move(message);
		}
		return false;
	}

	void emit(std::vector<sse::Event> & out, const OJson & data) { out.push_back(detail::makeEvent(data)); }

	// ---- input -------------------------------------------------------------------------------

	bool onEvent(const sse::Event & ev, std::vector<sse::Event> & out)
	{
		if (!ev.hasData)
			return true;
		sawData = true;
		rawBody.clear();
		std::string_view data = ev.data;
		while (!data.empty() && (data.back() == ' ' || data.back() == '\r' || data.back() == '\n'))
			data.remove_suffix(1);
		while (!data.empty() && (data.front() == ' ' || data.front() == '\t'))
			data.remove_prefix(1);
		if (data.empty())
			return true;
		if (data == "[DONE]")
		{
			sawDone = true;
			return complete(out);
		}
		if (completed)
			return true; // nothing after the end matters (a stray usage repeat, say)
		Json chunk = detail::parse(data);
		if (ev.event == "error" && !(chunk.is_object() && chunk.contains("error")))
			return fail("upstream error in stream: " + std::string(data.substr(0, 200)), true);
		if (chunk.is_discarded())
			return fail("malformed upstream chunk (not JSON): " + std::string(data.substr(0, 200)));
		if (!chunk.is_object())
			return fail("malformed upstream chunk (not a JSON object)");
		if (ev.event == "error" || (chunk.contains("error") && !chunk["error"].is_null()))
		{
			std::string msg = detail::errorMessage(chunk);
			return fail("upstream error in stream: " + (msg.empty() ? std::string(data.substr(0, 200)) : msg), true);
		}
		return onChunk(chunk, data, out);
	}

	bool onChunk(const Json & chunk, std::string_view raw, std::vector<sse::Event> & out)
	{
		if (chunk.contains("usage"))
			anthropic::mergeUsage(upstreamUsage, detail::usageFrom(chunk["usage"]));
		if (!started)
			start(chunk, raw, out);
		auto choices = chunk.find("choices");
		if (choices == chunk.end() || !choices->is_array())
			return true; // usage-only chunk (choices null or absent)
		const Json * choice = nullptr;
		for (const auto & c : *choices)
			if (c.is_object() && (!c.contains("index") || c["index"] == 0))
			{
				choice = &c;
				break;
			}
		if (!choice)
			return true;
		if (choice->contains("usage"))
			anthropic::mergeUsage(upstreamUsage, detail::usageFrom((*choice)["usage"]));
		auto delta = choice->find("delta");
		if (delta != choice->end() && delta->is_object())
		{
			// DeepSeek/GLM/Qwen/vLLM: reasoning_content; OpenRouter and newer vLLM: reasoning. Some
			// send both with the same text, so one is used.
			auto reasoning = delta->find("reasoning_content");
			if (reasoning == delta->end() || !reasoning->is_string() || reasoning->get_ref<const std::string &>().empty())
				reasoning = delta->find("reasoning");
			if (reasoning != delta->end() && reasoning->is_string() && !reasoning->get_ref<const std::string &>().empty())
				if (!thinking(reasoning->get<std::string>(), out))
					return false;
			auto content = delta->find("content");
			if (content != delta->end() && content->is_string() && !content->get_ref<const std::string &>().empty())
				if (!text(content->get<std::string>(), out))
					return false;
			auto toolCalls = delta->find("tool_calls");
			if (toolCalls != delta->end() && toolCalls->is_array())
				for (const auto & tc : *toolCalls)
					if (tc.is_object() && !toolDelta(tc, out))
						return false;
		}
		auto fr = choice->find("finish_reason");
		if (fr != choice->end() && fr->is_string() && !fr->get_ref<const std::string &>().empty())
			finishReason = fr->get<std::string>();
		for (const char * k : {"stop_reason", "matched_stop"})
		{
			auto it = choice->find(k);
			if (it != choice->end() && it->is_string())
				matchedStop = it->get<std::string>();
		}
		return true;
	}

	// ---- output ------------------------------------------------------------------------------

	void start(const Json & chunk, std::string_view raw, std::vector<sse::Event> & out)
	{
		started = true;
		std::string upstreamId = chunk.contains("id") && chunk["id"].is_string() ? chunk["id"].get<std::string>() : "";
		id = detail::messageId(upstreamId, raw);
		model = options.clientModel;
		if (model.empty() && chunk.contains("model") && chunk["model"].is_string())
			model = chunk["model"].get<std::string>();
		int64_t input = upstreamUsage.input_tokens >= 0 ? upstreamUsage.input_tokens : std::max<int64_t>(0, options.estimatedInputTokens);
		reported.input_tokens = input;
		reported.output_tokens = 0;
		OJson message{{"id", id}, {"type", "message"}, {"role", "assistant"}, {"model", model},
			{"content", OJson::array()}, {"stop_reason", nullptr}, {"stop_sequence", nullptr},
			{"usage", OJson{{"input_tokens", input}, {"output_tokens", 0}}}};
		emit(out, OJson{{"type", "message_start"}, {"message", std::move(message)}});
	}

	void startBlock(std::vector<sse::Event> & out, Open kind, OJson block)
	{
		openIndex = nextIndex++;
		open = kind;
		emit(out, OJson{{"type", "content_block_start"}, {"index", openIndex}, {"content_block", std::move(block)}});
	}

	bool closeOpen(std::vector<sse::Event> & out)
	{
		if (open == Open::None)
			return true;
		if (open == Open::Tool)
		{
			ToolCall & call = calls[openTool];
			std::string json;
			if (!detail::finalizeArguments(call.name, call.args, options, json))
				return fail("tool call " + std::to_string(openTool) + " (" + call.name +
					") has arguments that are not a complete JSON object: " + call.args.substr(0, 200));
			emit(out, OJson{{"type", "content_block_delta"}, {"index", openIndex},
				{"delta", OJson{{"type", "input_json_delta"}, {"partial_json", json}}}});
			call.state = ToolCall::State::Closed;
			openTool = -1;
		}
		emit(out, OJson{{"type", "content_block_stop"}, {"index", openIndex}});
		open = Open::None;
		openIndex = -1;
		return true;
	}

	bool thinking(const std::string & delta, std::vector<sse::Event> & out)
	{
		if (open != Open::Thinking)
		{
			if (!closeOpen(out))
				return false;
			// signature stays empty: there is no Anthropic signature for another model's reasoning.
			startBlock(out, Open::Thinking, OJson{{"type", "thinking"}, {"thinking", ""}, {"signature", ""}});
		}
		emit(out, OJson{{"type", "content_block_delta"}, {"index", openIndex},
			{"delta", OJson{{"type", "thinking_delta"}, {"thinking", delta}}}});
		return true;
	}

	bool text(const std::string & delta, std::vector<sse::Event> & out)
	{
		std::string piece;
		if (open == Open::Text)
			piece = delta;
		else
		{
			// Whitespace alone (often "\n\n" between reasoning and tool calls) opens no block:
			// Anthropic rejects whitespace-only text blocks when the history is sent back.
			heldWhitespace += delta;
			if (detail::isBlank(heldWhitespace))
				return true;
			if (!closeOpen(out))
				return false;
			startBlock(out, Open::Text, OJson{{"type", "text"}, {"text", ""}});
			piece.swap(heldWhitespace);
		}
		if (tailLimit)
			keepTail(tail, piece, tailLimit);
		emit(out, OJson{{"type", "content_block_delta"}, {"index", openIndex},
			{"delta", OJson{{"type", "text_delta"}, {"text", piece}}}});
		return true;
	}

	/// True when the open tool call's arguments are already a complete JSON object.
	bool openToolComplete()
	{
		if (open != Open::Tool)
			return true;
		std::string json;
		const ToolCall & call = calls[openTool];
		return !detail::isBlank(call.args) && detail::finalizeArguments(call.name, call.args, options, json);
	}

	bool toolDelta(const Json & tc, std::vector<sse::Event> & out)
	{
		std::string callId = tc.contains("id") && tc["id"].is_string() ? tc["id"].get<std::string>() : "";
		int64_t index = -1;
		if (tc.contains("index") && tc["index"].is_number_integer())
		{
			int64_t upstream = tc["index"].get<int64_t>();
			auto alias = aliases.find(upstream);
			index = alias != aliases.end() ? alias->second : upstream;
			// Some providers number every parallel call 0: a different id at a used index is a new call.
			auto existing = calls.find(index);
			if (!callId.empty() && existing != calls.end() && !existing->second.id.empty() && existing->second.id != callId)
			{
				index = -1;
				for (auto & kv : calls)
					if (kv.second.id == callId)
						index = kv.first;
				if (index < 0)
					index = calls.rbegin()->first + 1;
				aliases[upstream] = index;
			}
		}
		else
		{
			// Providers that omit the index: a new id starts a new call, otherwise it continues the last.
			for (auto & kv : calls)
				if (!callId.empty() && kv.second.id == callId)
					index = kv.first;
			if (index < 0)
			{
				if (!callId.empty() || lastToolIndex < 0)
					index = calls.empty() ? 0 : calls.rbegin()->first + 1;
				else
					index = lastToolIndex;
			}
		}
		lastToolIndex = index;
		const Json fn = tc.contains("function") && tc["function"].is_object() ? tc["function"] : Json::object();
		std::string name = fn.contains("name") && fn["name"].is_string() ? fn["name"].get<std::string>() : "";
		std::string args = fn.contains("arguments") && fn["arguments"].is_string() ? fn["arguments"].get<std::string>() : "";
		ToolCall & call = calls[index];
		if (call.state == ToolCall::State::Closed)
		{
			if (!detail::isBlank(args) || (!name.empty() && name != call.name))
				return fail("tool call " + std::to_string(index) + " continued after its arguments were complete");
			return true;
		}
		if (call.id.empty() && !callId.empty())
			call.id = callId;
		if (call.name.empty() && !name.empty())
			call.name = name;
		call.args += args;
		return advanceTools(out);
	}

	/// Starts pending tool calls (lowest index first) while no incomplete tool call holds the
	/// open block.
	bool advanceTools(std::vector<sse::Event> & out)
	{
		for (auto & kv : calls)
		{
			ToolCall & call = kv.second;
			if (call.state != ToolCall::State::Pending || call.name.empty())
				continue;
			if (open == Open::Tool && !openToolComplete())
				return true;
			heldWhitespace.clear();
			if (!closeOpen(out))
				return false;
			if (call.id.empty())
				call.id = detail::toolUseId(id + "/" + std::to_string(kv.first));
			call.state = ToolCall::State::Open;
			openTool = kv.first;
			startBlock(out, Open::Tool,
				OJson{{"type", "tool_use"}, {"id", call.id}, {"name", call.name}, {"input", OJson::object()}});
			call.block = openIndex;
		}
		return true;
	}

	/// The upstream finished: close everything and send message_delta + message_stop.
	bool complete(std::vector<sse::Event> & out)
	{
		if (completed)
			return true;
		if (!started)
			return fail("the upstream stream ended before any chunk");
		if (finishReason.empty())
			return fail("the upstream stream ended without a finish_reason (truncated)");
		heldWhitespace.clear();
		if (!closeOpen(out))
			return false;
		// Calls still waiting (an interleaving provider) follow in index order.
		for (auto & kv : calls)
		{
			if (kv.second.state != ToolCall::State::Pending)
				continue;
			if (kv.second.name.empty())
				return fail("tool call " + std::to_string(kv.first) + " has no function name");
			if (!advanceTools(out) || !closeOpen(out))
				return false;
		}
		bool hadToolCalls = !calls.empty();
		std::string stopSequence;
		std::string reason =
			detail::stopReason(finishReason, hadToolCalls, tail, matchedStop, options.stopSequences, stopSequence);
		anthropic::mergeUsage(reported, upstreamUsage);
		if (reported.output_tokens < 0)
			reported.output_tokens = 0;
		OJson usage{{"output_tokens", reported.output_tokens}};
		if (upstreamUsage.input_tokens >= 0)
			usage["input_tokens"] = upstreamUsage.input_tokens;
		if (upstreamUsage.cache_read_input_tokens >= 0)
			usage["cache_read_input_tokens"] = upstreamUsage.cache_read_input_tokens;
		if (upstreamUsage.cache_creation_input_tokens >= 0)
			usage["cache_creation_input_tokens"] = upstreamUsage.cache_creation_input_tokens;
		emit(out, OJson{{"type", "message_delta"},
			{"delta", OJson{{"stop_reason", reason}, {"stop_sequence", stopSequence.empty() ? OJson(nullptr) : OJson(stopSequence)}}},
			{"usage", std::move(usage)}});
		emit(out, OJson{{"type", "message_stop"}});
		completed = true;
		stopReasonOut = reason;
		return true;
	}

	/// No data event at all: the upstream answered with a plain JSON body (an error object, or a
	/// completion because it ignored `stream: true`).
	bool fromBody(std::vector<sse::Event> & out)
	{
		if (detail::isBlank(rawBody))
			return fail("the upstream stream was empty");
		ResponseResult r;
		OJson message;
		if (!detail::convertToMessage(rawBody, options, r, message))
			return fail(r.upstreamError ? "upstream error: " + r.error : "the upstream sent no SSE data: " + r.error, r.upstreamError);
		detail::eventsFromMessage(message, out);
		reported = r.usage;
		stopReasonOut = r.stopReason;
		started = completed = true;
		return true;
	}

	std::string stopReasonOut;
};

StreamConverter::StreamConverter(Options options) : _impl(new Impl(std::move(options)))
{
}

StreamConverter::~StreamConverter()
{
	delete _impl;
}

bool StreamConverter::feed(std::string_view bytes, std::vector<sse::Event> & out)
{
	Impl & s = *_impl;
	if (s.failed)
		return false;
	try
	{
		// Keep the start of a body that may not be SSE at all (bounded: an error body is small).
		if (!s.sawData && s.rawBody.size() < (1u << 20))
			s.rawBody.append(bytes.data(), bytes.size());
		s.parsed.clear();
		s.parser.feed(bytes, s.parsed);
		if (s.parser.overflowed())
			return s.fail("an upstream SSE line is too long");
		for (const auto & ev : s.parsed)
			if (!s.onEvent(ev, out))
				return false;
	}
	catch (const std::exception & e)
	{
		return s.fail(std::string("cannot convert the upstream stream: ") + e.what());
	}
	return true;
}

bool StreamConverter::finish(std::vector<sse::Event> & out)
{
	Impl & s = *_impl;
	if (s.failed)
		return false;
	try
	{
		s.parsed.clear();
		s.parser.finish(s.parsed);
		for (const auto & ev : s.parsed)
			if (!s.onEvent(ev, out))
				return false;
		if (s.completed)
			return true;
		if (!s.sawData)
			return s.fromBody(out);
		if (!s.sawDone && !s.options.allowMissingDone)
			return s.fail(s.finishReason.empty() ? "the upstream stream ended without a finish_reason (truncated)"
			                                     : "the upstream stream ended without data: [DONE]");
		return s.complete(out);
	}
	catch (const std::exception & e)
	{
		return s.fail(std::string("cannot convert the upstream stream: ") + e.what());
	}
}

const std::string & StreamConverter::error() const
{
	return _impl->error;
}

bool StreamConverter::upstreamError() const
{
	return _impl->upstreamError;
}

const anthropic::Usage & StreamConverter::usage() const
{
	return _impl->reported;
}

} // namespace ccc::openai
