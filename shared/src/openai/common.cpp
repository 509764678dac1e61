#include <algorithm>

#include "ccc/util/sha256.h"
#include "internal.h"

namespace ccc::openai
{

namespace detail
{

std::string dump(const OJson & j)
{
	return j.dump(-1, ' ', false, OJson::error_handler_t::replace);
}

std::string dump(const Json & j)
{
	return j.dump(-1, ' ', false, Json::error_handler_t::replace);
}

Json parse(std::string_view text)
{
	// nlohmann stops at a NUL byte and would accept "{...}\0garbage"; valid JSON never holds a raw NUL.
	if (text.find('\0') != std::string_view::npos)
		return Json(Json::value_t::discarded);
	return Json::parse(text.begin(), text.end(), nullptr, false);
}

std::string messageId(const std::string & upstreamId, std::string_view seed)
{
	if (!upstreamId.empty())
		return upstreamId.rfind("msg_", 0) == 0 ? upstreamId : "msg_" + upstreamId;
	// Stable for the same upstream bytes (tests stay deterministic), distinct for different ones.
	return "msg_" + util::sha256Hex(seed).substr(0, 24);
}

std::string toolUseId(std::string_view seed)
{
	return "toolu_" + util::sha256Hex(seed).substr(0, 24);
}

namespace
{

int64_t intField(const Json & obj, const char * key)
{
	if (!obj.is_object())
		return -1;
	auto it = obj.find(key);
	if (it == obj.end() || !it->is_number())
		return -1;
	if (it->is_number_float())
		return static_cast<int64_t>(it->get<double>());
	return it->get<int64_t>();
}

} // namespace

anthropic::Usage usageFrom(const Json & usage)
{
	anthropic::Usage u;
	if (!usage.is_object())
		return u;
	int64_t prompt = intField(usage, "prompt_tokens");
	u.output_tokens = intField(usage, "completion_tokens");
	int64_t cached = -1, written = -1;
	auto details = usage.find("prompt_tokens_details");
	if (details != usage.end() && details->is_object())
	{
		cached = intField(*details, "cached_tokens");
		written = intField(*details, "cache_write_tokens"); // OpenRouter
	}
	if (cached < 0)
		cached = intField(usage, "prompt_cache_hit_tokens"); // DeepSeek
	if (cached < 0)
		cached = intField(usage, "cached_tokens"); // some Chinese providers put it at the top
	// OpenAI's prompt_tokens includes the cached part; Anthropic's input_tokens does not.
	if (prompt >= 0)
		u.input_tokens = std::max<int64_t>(0, prompt - std::max<int64_t>(0, cached) - std::max<int64_t>(0, written));
	u.cache_read_input_tokens = cached;
	u.cache_creation_input_tokens = written;
	return u;
}

std::string stopReason(const std::string & finishReason, bool hadToolCalls, const std::string & textTail,
	const std::string & matchedStop, const std::vector<std::string> & stopSequences, std::string & stopSequence)
{
	stopSequence.clear();
	if (finishReason == "length")
		return "max_tokens";
	if (finishReason == "content_filter")
		return "refusal"; // the provider's safety filter stopped the answer, as Anthropic's refusal does
	// Some providers say "stop" after tool calls: the client must still run the tools.
	if (finishReason == "tool_calls" || finishReason == "function_call" || hadToolCalls)
		return hadToolCalls ? "tool_use" : "end_turn";
	// OpenAI drops the matched stop sequence from the text; vLLM/SGLang name it (stop_reason /
	// matched_stop); others leave it at the end of the text.
	if (!matchedStop.empty() && std::find(stopSequences.begin(), stopSequences.end(), matchedStop) != stopSequences.end())
	{
		stopSequence = matchedStop;
		return "stop_sequence";
	}
	for (const auto & s : stopSequences)
		if (!s.empty() && textTail.size() >= s.size() && textTail.compare(textTail.size() - s.size(), s.size(), s) == 0 &&
			s.size() > stopSequence.size())
			stopSequence = s;
	if (!stopSequence.empty())
		return "stop_sequence";
	return "end_turn";
}

bool finalizeArguments(const std::string & toolName, const std::string & arguments, const ResponseOptions & options,
	std::string & jsonOut)
{
	if (isBlank(arguments))
	{
		jsonOut = "{}";
		return true;
	}
	Json parsed = parse(arguments);
	if (!parsed.is_discarded())
	{
		if (parsed.is_object())
		{
			jsonOut = arguments;
			return true;
		}
		// Double-encoded arguments ("{\"a\":1}") seen from some providers.
		if (parsed.is_string())
		{
			Json inner = parse(parsed.get<std::string>());
			if (!inner.is_discarded() && inner.is_object())
			{
				jsonOut = dump(inner);
				return true;
			}
		}
		return false;
	}
	bool allowed = options.pythonFixEnabled &&
		std::any_of(options.pythonFixTools.begin(), options.pythonFixTools.end(),
			[&](const std::string & t) { return t == "*" || t == toolName; });
	if (!allowed)
		return false;
	auto repaired = repairPythonDict(arguments);
	if (!repaired)
		return false;
	Json fixed = parse(*repaired);
	if (fixed.is_discarded() || !fixed.is_object())
		return false;
	jsonOut = *repaired;
	return true;
}

std::string errorMessage(const Json & body)
{
	auto it = body.find("error");
	if (it == body.end())
		return "";
	if (it->is_string())
		return it->get<std::string>();
	if (it->is_object())
	{
		auto m = it->find("message");
		if (m != it->end() && m->is_string())
			return m->get<std::string>();
	}
	return dump(*it);
}

bool isBlank(std::string_view s)
{
	return std::all_of(s.begin(), s.end(), [](char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; });
}

} // namespace detail

namespace
{

bool isHex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

void appendEscapedControl(std::string & out, unsigned char c)
{
	static const char * hex = "0123456789abcdef";
	out += "\\u00";
	out.push_back(hex[c >> 4]);
	out.push_back(hex[c & 0xF]);
}

} // namespace

// A small tokenizer rather than the original's quote heuristics: Python's repr of a dict uses
// single-quoted strings (double-quoted when the text holds a single quote), True/False/None, and may
// end containers with a trailing comma. Strings are rewritten as JSON strings, everything else is
// copied, and the result must parse.
std::optional<std::string> repairPythonDict(std::string_view in)
{
	std::string out;
	out.reserve(in.size() + 16);
	size_t i = 0, n = in.size();
	while (i < n)
	{
		char c = in[i];
		if (c == '"')
		{
			// A JSON/Python double-quoted string: copied, control characters escaped.
			out.push_back('"');
			++i;
			bool closed = false;
			while (i < n)
			{
				char d = in[i];
				if (d == '\\' && i + 1 < n)
				{
					char e = in[i + 1];
					if (e == '\'')
						out.push_back('\'');
					else if (e == 'x' && i + 3 < n && isHex(in[i + 2]) && isHex(in[i + 3]))
					{
						out += "\\u00";
						out.push_back(in[i + 2]);
						out.push_back(in[i + 3]);
						i += 2;
					}
					else
					{
						out.push_back('\\');
						out.push_back(e);
					}
					i += 2;
					continue;
				}
				if (d == '"')
				{
					closed = true;
					++i;
					break;
				}
				if (static_cast<unsigned char>(d) < 0x20)
					appendEscapedControl(out, static_cast<unsigned char>(d));
				else
					out.push_back(d);
				++i;
			}
			if (!closed)
				return std::nullopt;
			out.push_back('"');
		}
		else if (c == '\'')
		{
			out.push_back('"');
			++i;
			bool closed = false;
			while (i < n)
			{
				char d = in[i];
				if (d == '\\' && i + 1 < n)
				{
					char e = in[i + 1];
					if (e == '\'')
						out.push_back('\'');
					else if (e == '"')
						out += "\\\"";
					else if (e == 'x' && i + 3 < n && isHex(in[i + 2]) && isHex(in[i + 3]))
					{
						out += "\\u00";
						out.push_back(in[i + 2]);
						out.push_back(in[i + 3]);
						i += 2;
					}
					else
					{
						out.push_back('\\');
						out.push_back(e);
					}
					i += 2;
					continue;
				}
				if (d == '\'')
				{
					closed = true;
					++i;
					break;
				}
				if (d == '"')
					out += "\\\"";
				else if (static_cast<unsigned char>(d) < 0x20)
					appendEscapedControl(out, static_cast<unsigned char>(d));
				else
					out.push_back(d);
				++i;
			}
			if (!closed)
				return std::nullopt;
			out.push_back('"');
		}
		else if (c == ',')
		{
			// Drop a trailing comma before a closing bracket.
			size_t j = i + 1;
			while (j < n && (in[j] == ' ' || in[j] == '\n' || in[j] == '\r' || in[j] == '\t'))
				++j;
			if (!(j < n && (in[j] == '}' || in[j] == ']')))
				out.push_back(',');
			++i;
		}
		else if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_')
		{
			size_t j = i;
			while (j < n && ((in[j] >= 'A' && in[j] <= 'Z') || (in[j] >= 'a' && in[j] <= 'z') || in[j] == '_' ||
				(in[j] >= '0' && in[j] <= '9')))
				++j;
			std::string_view word = in.substr(i, j - i);
			if (word == "True")
				out += "true";
			else if (word == "False")
				out += "false";
			else if (word == "None")
				out += "null";
			else
				out.append(word.data(), word.size());
			i = j;
		}
		else
		{
			out.push_back(c);
			++i;
		}
	}
	auto parsed = detail::parse(out);
	if (parsed.is_discarded())
		return std::nullopt;
	return out;
}

} // namespace ccc::openai
