#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ccc::anthropic
{

/// The few facts the proxy needs from a client's Messages request, read without building a DOM
/// of the whole (often 76-120 KB) body: the hot path must stay well under 0.3 ms.
struct RequestInfo
{
	bool isJsonObject = false;         ///< the body is a syntactically valid JSON object
	std::string model;                 ///< top-level "model" if a string
	bool stream = false;               ///< top-level "stream": true
	std::optional<int64_t> max_tokens;
	std::string thinkingType;          ///< thinking.type: enabled | adaptive | disabled | ""
	std::optional<int64_t> thinkingBudget; ///< thinking.budget_tokens
	std::string userId;                ///< metadata.user_id (a string; Claude Code puts JSON in it)
	std::string sessionId;             ///< from user_id: JSON {"session_id"} or "..._session_<uuid>"
	bool hasTools = false;             ///< non-empty top-level tools array
	size_t messageCount = 0;
};

/// Never throws; on a non-object or malformed body returns isJsonObject=false and empty fields.
RequestInfo inspectRequest(std::string_view body);

/// Claude Code's session id from metadata.user_id: either a JSON string
/// {"device_id":...,"account_uuid":...,"session_id":"<uuid>"} or the older
/// "user_<hash>_account__session_<uuid>" form. Empty when neither.
std::string sessionIdFromUserId(std::string_view userId);

} // namespace ccc::anthropic
