#include "ccc/anthropic/message_validator.h"

#include <nlohmann/json.hpp>

#include "anthropic/checks_internal.h"

namespace ccc::anthropic
{

using nlohmann::json;
using namespace detail;

namespace
{

bool blank(std::string_view s)
{
	for (char c : s)
	{
		if (c != ' ' && c != '\t' && c != '\r' && c != '\n')
			return false;
	}
	return true;
}

const std::string * str(const json & obj, const char * key)
{
	auto it = obj.find(key);
	return it != obj.end() && it->is_string() ? it->get_ptr<const std::string *>() : nullptr;
}

template <typename C>
C failed(Violation v, std::string message)
{
	C c;
	c.violation = v;
	c.message = std::move(message);
	return c;
}

/// Parses a body that must be a JSON object; on failure fills `c` (Empty, Malformed or, for an
/// error object, UpstreamError).
template <typename C>
bool parseObject(std::string_view body, json & out, C & c)
{
	if (blank(body))
	{
		c = failed<C>(Violation::Empty, "empty body");
		return false;
	}
	// nlohmann stops at a NUL byte and would accept "{...}\0garbage": such a body is malformed.
	if (body.find('\0') == std::string_view::npos)
		out = json::parse(body.begin(), body.end(), nullptr, false);
	else
		out = json(json::value_t::discarded);
	if (out.is_discarded() || !out.is_object())
	{
		c = failed<C>(Violation::Malformed, "body is not a JSON object: " + std::string(body.substr(0, 200)));
		return false;
	}
	const std::string * type = str(out, "type");
	if ((type && *type == "error") || out.contains("error"))
	{
		describeUpstreamError(out, body, c);
		return false;
	}
	return true;
}

} // namespace

MessageCheck validateMessageBody(std::string_view body)
{
	MessageCheck c;
	json doc;
	if (!parseObject(body, doc, c))
		return c;
	const std::string * type = str(doc, "type");
	if (!type || *type != "message")
		return failed<MessageCheck>(Violation::Malformed, "message: type is not \"message\"");
	if (!str(doc, "id"))
		return failed<MessageCheck>(Violation::Malformed, "message: id missing");
	const std::string * role = str(doc, "role");
	if (!role || *role != "assistant")
		return failed<MessageCheck>(Violation::Malformed, "message: role is not \"assistant\"");
	const std::string * model = str(doc, "model");
	if (!model)
		return failed<MessageCheck>(Violation::Malformed, "message: model missing");
	auto content = doc.find("content");
	if (content == doc.end() || !content->is_array())
		return failed<MessageCheck>(Violation::Malformed, "message: content is not an array");
	size_t i = 0;
	for (const auto & block : *content)
	{
		std::string where = "message: content[" + std::to_string(i++) + "]";
		if (!block.is_object())
			return failed<MessageCheck>(Violation::Malformed, where + " is not an object");
		const std::string * btype = str(block, "type");
		if (!btype)
			return failed<MessageCheck>(Violation::Malformed, where + ".type missing");
		if (*btype == "text" && !str(block, "text"))
			return failed<MessageCheck>(Violation::Malformed, where + ": text block without string text");
		if (*btype == "tool_use" || *btype == "server_tool_use")
		{
			auto input = block.find("input");
			if (!str(block, "id") || !str(block, "name") || input == block.end() || !input->is_object())
				return failed<MessageCheck>(Violation::Malformed, where + ": " + *btype + " needs id, name and an object input");
		}
	}
	auto usage = doc.find("usage");
	if (usage == doc.end() || !usage->is_object())
		return failed<MessageCheck>(Violation::Malformed, "message: usage is not an object");
	if (isFakeUsage(*usage))
		return failed<MessageCheck>(Violation::FakeUsage,
			"message: usage is the all-zero prompt/completion/total_tokens fake: " + usage->dump().substr(0, 200));
	int64_t n = 0;
	if (!intMember(*usage, "input_tokens", n) || !intMember(*usage, "output_tokens", n))
		return failed<MessageCheck>(Violation::Malformed, "message: usage needs integer input_tokens and output_tokens");
	if (const char * bad = badUsageField(*usage))
		return failed<MessageCheck>(Violation::Malformed, std::string("message: usage.") + bad + " is not a non-negative integer");
	mergeUsage(*usage, c.usage);
	if (const std::string * stop = str(doc, "stop_reason"))
		c.stopReason = *stop;
	c.model = *model;
	return c;
}

Check validateCountTokensBody(std::string_view body)
{
	Check c;
	json doc;
	if (!parseObject(body, doc, c))
		return c;
	int64_t n = 0;
	if (!intMember(doc, "input_tokens", n) || n < 0)
		return failed<Check>(Violation::Malformed, "count_tokens: input_tokens missing or not a non-negative integer");
	return c;
}

BodyKind sniffBody(std::string_view firstBytes)
{
	std::string_view s = firstBytes;
	static constexpr std::string_view kBom = "\xEF\xBB\xBF";
	if (s.size() < kBom.size() && kBom.substr(0, s.size()) == s && !s.empty())
		return BodyKind::Unknown; // a BOM cut short
	if (s.substr(0, kBom.size()) == kBom)
		s.remove_prefix(kBom.size());
	size_t i = 0;
	while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n'))
		++i;
	s.remove_prefix(i);
	if (s.empty())
		return BodyKind::Unknown;
	if (s.front() == '{' || s.front() == '[')
		return BodyKind::Json;
	if (s.front() == ':')
		return BodyKind::Sse;
	static constexpr std::string_view kFields[] = {"event:", "data:", "id:", "retry:"};
	bool couldBe = false;
	for (auto f : kFields)
	{
		if (s.size() >= f.size())
		{
			if (s.substr(0, f.size()) == f)
				return BodyKind::Sse;
		}
		else if (f.substr(0, s.size()) == s)
			couldBe = true; // "dat": wait for more bytes
	}
	return couldBe ? BodyKind::Unknown : BodyKind::Other;
}

} // namespace ccc::anthropic
