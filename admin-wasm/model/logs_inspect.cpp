#include "model/logs_inspect.h"

#include <map>

#include <nlohmann/json.hpp>

#include "ccc/anthropic/stream_validator.h"
#include "ccc/anthropic/usage.h"
#include "ccc/sse/parser.h"

namespace ccc::admin
{

namespace
{

using Json = nlohmann::json;

constexpr size_t kPreview = 120;

std::string str(const Json & j, const char * key)
{
	auto it = j.find(key);
	return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

int64_t num(const Json & j, const char * key, int64_t dflt = -1)
{
	auto it = j.find(key);
	return it != j.end() && it->is_number_integer() ? it->get<int64_t>() : dflt;
}

std::string compact(const Json & j)
{
	return j.dump(-1, ' ', false, Json::error_handler_t::replace);
}

/// Counts UTF-8 characters (not bytes): what the user reads as "characters".
size_t utf8Chars(std::string_view s)
{
	size_t n = 0;
	for (unsigned char c : s)
		if ((c & 0xC0) != 0x80)
			++n;
	return n;
}

/// The first line, at most kPreview characters (cut on a UTF-8 boundary).
std::string preview(std::string_view s)
{
	size_t nl = s.find('\n');
	std::string_view line = s.substr(0, nl);
	if (line.size() <= kPreview)
		return std::string(line) + (nl != std::string_view::npos ? " ..." : "");
	size_t cut = kPreview;
	while (cut > 0 && (static_cast<unsigned char>(line[cut]) & 0xC0) == 0x80)
		--cut;
	return std::string(line.substr(0, cut)) + " ...";
}

/// tool_result content: a string or an array of blocks; returns its text (images counted by name).
std::string toolResultText(const Json & content)
{
	if (content.is_string())
		return content.get<std::string>();
	std::string out;
	if (content.is_array())
		for (const Json & b : content)
		{
			if (!b.is_object())
				continue;
			if (str(b, "type") == "text")
				out += str(b, "text");
			else
				out += "[" + str(b, "type") + "]";
		}
	return out;
}

anthropic::Usage readUsage(const Json & u)
{
	anthropic::Usage out;
	if (!u.is_object())
		return out;
	out.input_tokens = num(u, "input_tokens");
	out.output_tokens = num(u, "output_tokens");
	out.cache_creation_input_tokens = num(u, "cache_creation_input_tokens");
	out.cache_read_input_tokens = num(u, "cache_read_input_tokens");
	return out;
}

bool jsonObjectOrEmpty(const std::string & s)
{
	if (s.find_first_not_of(" \t\r\n") == std::string::npos)
		return true;
	const Json j = Json::parse(s, nullptr, false);
	return !j.is_discarded() && j.is_object();
}

bool looksLikeSse(std::string_view body)
{
	size_t b = body.find_first_not_of(" \t\r\n");
	if (b == std::string_view::npos)
		return false;
	std::string_view t = body.substr(b);
	return t.rfind("event:", 0) == 0 || t.rfind("data:", 0) == 0 || t.rfind(":", 0) == 0;
}

RebuiltBlock blockFromJson(const Json & cb)
{
	RebuiltBlock b;
	b.type = str(cb, "type");
	if (b.type == "text")
		b.text = str(cb, "text");
	else if (b.type == "thinking")
	{
		b.text = str(cb, "thinking");
		b.has_signature = !str(cb, "signature").empty();
	}
	else if (b.type == "redacted_thinking")
		b.has_signature = !str(cb, "data").empty();
	b.tool_id = str(cb, "id");
	b.tool_name = str(cb, "name");
	auto in = cb.find("input");
	if (in != cb.end() && in->is_object() && !in->empty())
		b.input_json = compact(*in);
	return b;
}

void readError(const Json & j, ResponseInspection & out)
{
	const Json & e = j.contains("error") && j["error"].is_object() ? j["error"] : j;
	out.upstream_error = str(e, "type");
	const std::string msg = str(e, "message");
	if (!msg.empty())
		out.upstream_error += (out.upstream_error.empty() ? "" : ": ") + msg;
}

void readMessage(const Json & m, ResponseInspection & out)
{
	out.message_id = str(m, "id");
	out.model = str(m, "model");
	out.stop_reason = str(m, "stop_reason");
	out.stop_sequence = str(m, "stop_sequence");
	out.usage = readUsage(m.value("usage", Json()));
	auto content = m.find("content");
	if (content != m.end() && content->is_array())
		for (const Json & cb : *content)
			if (cb.is_object())
				out.blocks.push_back(blockFromJson(cb));
}

void inspectStream(std::string_view body, ResponseInspection & out)
{
	out.streamed = true;
	sse::Parser parser;
	std::vector<sse::Event> events;
	parser.feed(body, events);
	parser.finish(events);
	anthropic::StreamValidator validator;
	anthropic::Check firstBad;
	std::map<int, size_t> byIndex; // SSE block index -> blocks position
	for (const sse::Event & e : events)
	{
		++out.event_count;
		const anthropic::Check c = validator.onEvent(e);
		if (!c.ok() && firstBad.ok())
			firstBad = c;
		const Json d = Json::parse(e.data, nullptr, false);
		InspectedEvent ie;
		ie.name = e.event.empty() && d.is_object() ? str(d, "type") : e.event;
		ie.bytes = e.raw.size();
		if (d.is_object())
		{
			ie.index = static_cast<int>(num(d, "index", -1));
			const std::string type = str(d, "type");
			if (type == "message_start" && d.contains("message") && d["message"].is_object())
			{
				const Json & m = d["message"];
				out.message_id = str(m, "id");
				out.model = str(m, "model");
				anthropic::mergeUsage(out.usage, readUsage(m.value("usage", Json())));
				ie.detail = out.model;
			}
			else if (type == "content_block_start" && d.contains("content_block") && d["content_block"].is_object())
			{
				RebuiltBlock b = blockFromJson(d["content_block"]);
				b.closed = false;
				b.input_json.clear(); // the deltas carry the input; the start's {} is a placeholder
				ie.detail = b.type + (b.tool_name.empty() ? "" : " " + b.tool_name);
				byIndex[ie.index] = out.blocks.size();
				out.blocks.push_back(std::move(b));
			}
			else if (type == "content_block_delta" && d.contains("delta") && d["delta"].is_object())
			{
				const Json & delta = d["delta"];
				const std::string dt = str(delta, "type");
				ie.detail = dt;
				auto it = byIndex.find(ie.index);
				if (it != byIndex.end())
				{
					RebuiltBlock & b = out.blocks[it->second];
					if (dt == "text_delta")
						b.text += str(delta, "text");
					else if (dt == "thinking_delta")
						b.text += str(delta, "thinking");
					else if (dt == "signature_delta")
						b.has_signature = b.has_signature || !str(delta, "signature").empty();
					else if (dt == "input_json_delta")
						b.input_json += str(delta, "partial_json");
				}
			}
			else if (type == "content_block_stop")
			{
				auto it = byIndex.find(ie.index);
				if (it != byIndex.end())
					out.blocks[it->second].closed = true;
			}
			else if (type == "message_delta")
			{
				if (d.contains("delta") && d["delta"].is_object())
				{
					out.stop_reason = str(d["delta"], "stop_reason");
					out.stop_sequence = str(d["delta"], "stop_sequence");
				}
				anthropic::mergeUsage(out.usage, readUsage(d.value("usage", Json())));
				ie.detail = out.stop_reason;
			}
			else if (type == "error")
			{
				readError(d, out);
				ie.detail = out.upstream_error;
			}
		}
		else
			ie.detail = "invalid JSON";
		if (out.events.size() < ResponseInspection::kMaxEvents)
			out.events.push_back(std::move(ie));
	}
	for (RebuiltBlock & b : out.blocks)
		if (b.type == "tool_use" || b.type == "server_tool_use" || !b.input_json.empty())
			b.input_valid = jsonObjectOrEmpty(b.input_json);
	const anthropic::Check end = validator.finish();
	if (!firstBad.ok())
		out.validation = firstBad.message;
	else if (!end.ok())
		out.validation = end.message;
	if (parser.overflowed())
		out.validation = "an SSE line exceeds the parser's limit";
	out.parsed = out.event_count > 0;
	if (!out.parsed)
		out.error = "no SSE event in the body";
}

} // namespace

int64_t estimateTokens(std::string_view text)
{
	int64_t ascii = 0, other = 0;
	for (unsigned char c : text)
	{
		if (c < 0x80)
			++ascii;
		else if ((c & 0xC0) != 0x80)
			++other;
	}
	return (ascii + 3) / 4 + other;
}

RequestInspection inspectRequestBody(std::string_view body)
{
	RequestInspection out;
	const Json j = Json::parse(body.begin(), body.end(), nullptr, false);
	if (j.is_discarded())
	{
		out.error = body.empty() ? "empty body" : "not JSON (possibly truncated)";
		return out;
	}
	if (!j.is_object())
	{
		out.error = "not a JSON object";
		return out;
	}
	out.parsed = true;
	out.model = str(j, "model");
	out.max_tokens = num(j, "max_tokens");
	out.stream = j.value("stream", Json(false)).is_boolean() && j.value("stream", false);
	if (j.contains("thinking") && j["thinking"].is_object())
	{
		out.thinking = str(j["thinking"], "type");
		const int64_t budget = num(j["thinking"], "budget_tokens");
		if (budget >= 0)
			out.thinking += " (" + std::to_string(budget) + ")";
	}

	std::string countedSystem, countedTools, countedMessages;
	if (j.contains("system"))
	{
		const Json & s = j["system"];
		if (s.is_string())
		{
			out.system_text = s.get<std::string>();
			out.system_blocks = 1;
		}
		else if (s.is_array())
			for (const Json & b : s)
				if (b.is_object())
				{
					++out.system_blocks;
					if (!out.system_text.empty())
						out.system_text += "\n\n";
					out.system_text += str(b, "text");
				}
		countedSystem = out.system_text;
	}
	if (j.contains("tools") && j["tools"].is_array())
		for (const Json & t : j["tools"])
		{
			if (!t.is_object())
				continue;
			InspectedTool tool;
			tool.name = str(t, "name");
			tool.type = t.contains("type") ? str(t, "type") : "custom";
			if (t.contains("input_schema"))
				tool.schema_bytes = compact(t["input_schema"]).size();
			const std::string desc = str(t, "description");
			tool.description_chars = utf8Chars(desc);
			countedTools += compact(t);
			out.tools.push_back(std::move(tool));
		}

	std::map<std::string, size_t> pairById; // tool id -> pairs index
	if (j.contains("messages") && j["messages"].is_array())
	{
		for (const Json & m : j["messages"])
		{
			if (!m.is_object())
				continue;
			InspectedMessage msg;
			msg.role = str(m, "role");
			const int mi = static_cast<int>(out.messages.size());
			auto content = m.find("content");
			if (content != m.end() && content->is_string())
			{
				const std::string t = content->get<std::string>();
				msg.blocks.push_back({"text", preview(t), "", false, false, utf8Chars(t)});
				countedMessages += t;
			}
			else if (content != m.end() && content->is_array())
				for (const Json & b : *content)
				{
					if (!b.is_object())
						continue;
					InspectedBlock ib;
					ib.type = str(b, "type");
					std::string text;
					if (ib.type == "text")
						text = str(b, "text");
					else if (ib.type == "thinking")
						text = str(b, "thinking");
					else if (ib.type == "tool_use" || ib.type == "server_tool_use")
					{
						ib.tool_id = str(b, "id");
						text = b.contains("input") ? compact(b["input"]) : "";
						ib.preview = str(b, "name");
						auto [it, fresh] = pairById.emplace(ib.tool_id, out.pairs.size());
						if (fresh)
							out.pairs.push_back({ib.tool_id, ib.preview, mi, -1, false});
						else if (out.pairs[it->second].use_message < 0)
							out.pairs[it->second].use_message = mi, out.pairs[it->second].name = ib.preview;
					}
					else if (ib.type == "tool_result")
					{
						ib.tool_id = str(b, "tool_use_id");
						ib.is_error = b.value("is_error", Json(false)).is_boolean() && b.value("is_error", false);
						text = b.contains("content") ? toolResultText(b["content"]) : "";
						auto [it, fresh] = pairById.emplace(ib.tool_id, out.pairs.size());
						if (fresh)
							out.pairs.push_back({ib.tool_id, "", -1, mi, ib.is_error});
						else if (out.pairs[it->second].result_message < 0)
						{
							out.pairs[it->second].result_message = mi;
							out.pairs[it->second].is_error = ib.is_error;
						}
					}
					if (ib.preview.empty())
						ib.preview = preview(text);
					ib.chars = utf8Chars(text);
					countedMessages += text;
					msg.blocks.push_back(std::move(ib));
				}
			out.messages.push_back(std::move(msg));
		}
	}
	// A result must come after its use: one that precedes it (or has none) is unmatched too.
	for (ToolPair & p : out.pairs)
		if (p.use_message >= 0 && p.result_message >= 0 && p.result_message <= p.use_message)
			p.result_message = -1, ++out.unmatched_results;
	for (const ToolPair & p : out.pairs)
	{
		if (p.use_message >= 0 && p.result_message < 0)
			++out.unmatched_uses;
		if (p.use_message < 0)
			++out.unmatched_results;
	}
	for (InspectedMessage & m : out.messages)
		for (InspectedBlock & b : m.blocks)
			if (b.type == "tool_use" || b.type == "tool_result")
			{
				auto it = pairById.find(b.tool_id);
				const ToolPair & p = out.pairs[it->second];
				b.unmatched = p.use_message < 0 || p.result_message < 0;
			}

	out.estimated_system_tokens = estimateTokens(countedSystem);
	out.estimated_tools_tokens = estimateTokens(countedTools);
	out.estimated_messages_tokens = estimateTokens(countedMessages);
	out.estimated_tokens = out.estimated_system_tokens + out.estimated_tools_tokens + out.estimated_messages_tokens;
	out.total_chars = utf8Chars(countedSystem) + utf8Chars(countedTools) + utf8Chars(countedMessages);
	return out;
}

double cacheEfficiency(const anthropic::Usage & u)
{
	auto v = [](int64_t x) { return x > 0 ? static_cast<double>(x) : 0.0; };
	const double total = v(u.input_tokens) + v(u.cache_read_input_tokens) + v(u.cache_creation_input_tokens);
	if (total <= 0)
		return -1;
	return v(u.cache_read_input_tokens) / total;
}

ResponseInspection inspectResponseBody(std::string_view body, bool streamedHint)
{
	ResponseInspection out;
	if (looksLikeSse(body) || (streamedHint && !body.empty() && body.find_first_not_of(" \t\r\n") != std::string_view::npos
			&& body[body.find_first_not_of(" \t\r\n")] != '{'))
		inspectStream(body, out);
	else
	{
		const Json j = Json::parse(body.begin(), body.end(), nullptr, false);
		if (j.is_discarded() || !j.is_object())
			out.error = body.empty() ? "empty body" : "neither an SSE stream nor a JSON object (possibly truncated)";
		else if (str(j, "type") == "error" || (j.contains("error") && !j.contains("content")))
		{
			out.parsed = true;
			readError(j, out);
		}
		else if (j.contains("content") && j["content"].is_array())
		{
			out.parsed = true;
			readMessage(j, out);
			for (RebuiltBlock & b : out.blocks)
				if (b.type == "tool_use")
					b.input_valid = true;
		}
		else
			out.error = "not an Anthropic message (an OpenAI-format body?)";
	}
	out.cache_efficiency = cacheEfficiency(out.usage);
	return out;
}

} // namespace ccc::admin
