#include "ccc/anthropic/request_info.h"

#include <vector>

#include "ccc/json/scan.h"
#include "json/scan_internal.h"

namespace ccc::anthropic
{

namespace
{

using json::Member;
using json::Span;

std::optional<int64_t> intAt(std::string_view doc, Span s)
{
	int64_t v = 0;
	if (json::detail::parseInt64(s.of(doc), v))
		return v;
	return std::nullopt;
}

std::string stringAt(std::string_view doc, Span s)
{
	auto v = json::decodeString(doc, s);
	return v ? std::move(*v) : std::string();
}

/// Counts the elements of an array the top-level scan already validated: only the structure is
/// walked again, never re-checked, so the large `messages` array costs one skip per element.
size_t countElements(std::string_view doc, Span s)
{
	const char * base = doc.data();
	const char * e = base + s.end;
	const char * p = json::detail::skipWs(base + s.begin, e);
	if (p == e || *p != '[')
		return 0;
	p = json::detail::skipWs(p + 1, e);
	if (p < e && *p == ']')
		return 0;
	size_t n = 0;
	while (p && p < e)
	{
		p = json::detail::skipValue(p, e);
		if (!p)
			break;
		++n;
		p = json::detail::skipWs(p, e);
		if (p == e || *p != ',')
			break;
		p = json::detail::skipWs(p + 1, e);
	}
	return n;
}

bool nonEmptyArray(std::string_view doc, Span s)
{
	const char * base = doc.data();
	const char * e = base + s.end;
	const char * p = json::detail::skipWs(base + s.begin, e);
	if (p == e || *p != '[')
		return false;
	p = json::detail::skipWs(p + 1, e);
	return p < e && *p != ']';
}

} // namespace

RequestInfo inspectRequest(std::string_view body)
{
	RequestInfo info;
	std::vector<Member> members;
	if (!json::scanObject(body, members))
		return info;
	info.isJsonObject = true;
	std::vector<Member> inner;
	// Duplicate keys: the last occurrence wins, as in JSON.parse and nlohmann (the upstream's view).
	for (const auto & m : members)
	{
		const std::string & k = m.key;
		if (k == "model")
			info.model = stringAt(body, m.valueSpan);
		else if (k == "stream")
			info.stream = m.valueSpan.of(body) == "true";
		else if (k == "max_tokens")
			info.max_tokens = intAt(body, m.valueSpan);
		else if (k == "thinking")
		{
			info.thinkingType.clear();
			info.thinkingBudget.reset();
			if (json::scanObjectAt(body, m.valueSpan, inner))
			{
				for (const auto & t : inner)
				{
					if (t.key == "type")
						info.thinkingType = stringAt(body, t.valueSpan);
					else if (t.key == "budget_tokens")
						info.thinkingBudget = intAt(body, t.valueSpan);
				}
			}
		}
		else if (k == "metadata")
		{
			info.userId.clear();
			if (json::scanObjectAt(body, m.valueSpan, inner))
			{
				for (const auto & t : inner)
				{
					if (t.key == "user_id")
						info.userId = stringAt(body, t.valueSpan);
				}
			}
		}
		else if (k == "tools")
			info.hasTools = nonEmptyArray(body, m.valueSpan);
		else if (k == "messages")
			info.messageCount = countElements(body, m.valueSpan);
	}
	info.sessionId = sessionIdFromUserId(info.userId);
	return info;
}

std::string sessionIdFromUserId(std::string_view userId)
{
	const char * p = json::detail::skipWs(userId.data(), userId.data() + userId.size());
	if (p < userId.data() + userId.size() && *p == '{')
	{
		// Current Claude Code: the user id is itself a JSON object, serialised into a string.
		std::vector<Member> members;
		if (!json::scanObject(userId, members))
			return {};
		std::string id;
		for (const auto & m : members)
		{
			if (m.key == "session_id")
				id = stringAt(userId, m.valueSpan);
		}
		return id;
	}
	// Older form: "user_<hash>_account_<account uuid, possibly empty>_session_<uuid>".
	size_t account = userId.find("_account_");
	if (account == std::string_view::npos)
		return {};
	static constexpr std::string_view kSession = "_session_";
	size_t session = userId.rfind(kSession);
	// "_account__session_" (empty account) shares one underscore; anything closer is no match.
	if (session == std::string_view::npos || session < account + 8)
		return {};
	return std::string(userId.substr(session + kSession.size()));
}

} // namespace ccc::anthropic
