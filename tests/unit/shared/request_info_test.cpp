#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "ccc/anthropic/request_info.h"

using ccc::anthropic::inspectRequest;
using ccc::anthropic::RequestInfo;
using ccc::anthropic::sessionIdFromUserId;

namespace
{

/// A body shaped like Claude Code's (keys in its order, user_id as a JSON string).
std::string claudeCodeBody()
{
	nlohmann::json userId = {{"device_id", std::string(64, 'a')}, {"account_uuid", ""},
		{"session_id", "4b5c0c1e-9f3a-4c1e-8f7d-2a6b9e0d1c33"}};
	nlohmann::ordered_json body;
	body["model"] = "claude-opus-4-8";
	body["messages"] = nlohmann::ordered_json::array(
		{{{"role", "user"}, {"content", {{{"type", "text"}, {"text", "say pong"}}}}},
			{{"role", "system"}, {"content", "mid-conversation system"}}});
	body["system"] = nlohmann::ordered_json::array({{{"type", "text"}, {"text", "You are Claude Code"}}});
	body["tools"] = nlohmann::ordered_json::array({{{"name", "Bash"}, {"input_schema", {{"type", "object"}}}}});
	body["metadata"] = {{"user_id", userId.dump()}};
	body["max_tokens"] = 64000;
	body["thinking"] = {{"type", "adaptive"}};
	body["context_management"] = {{"edits", nlohmann::ordered_json::array({{{"type", "clear_thinking_20251015"}}})}};
	body["output_config"] = {{"effort", "high"}};
	body["stream"] = true;
	return body.dump();
}

} // namespace

TEST(RequestInfo, ClaudeCodeBody)
{
	RequestInfo info = inspectRequest(claudeCodeBody());
	EXPECT_TRUE(info.isJsonObject);
	EXPECT_EQ(info.model, "claude-opus-4-8");
	EXPECT_TRUE(info.stream);
	EXPECT_EQ(info.max_tokens, 64000);
	EXPECT_EQ(info.thinkingType, "adaptive");
	EXPECT_EQ(info.thinkingBudget, std::nullopt);
	EXPECT_EQ(info.sessionId, "4b5c0c1e-9f3a-4c1e-8f7d-2a6b9e0d1c33");
	EXPECT_NE(info.userId.find("\"device_id\""), std::string::npos);
	EXPECT_TRUE(info.hasTools);
	EXPECT_EQ(info.messageCount, 2u);
}

TEST(RequestInfo, HaikuThinkingBudgetAndEscapes)
{
	std::string body = R"({"model":"claude-haiku-4-5-\u0032\u0030251001","max_tokens":32000,)"
					   R"("thinking":{"type":"enabled","budget_tokens":31999},"messages":[],"tools":[ ],"stream":false})";
	RequestInfo info = inspectRequest(body);
	EXPECT_TRUE(info.isJsonObject);
	EXPECT_EQ(info.model, "claude-haiku-4-5-20251001");
	EXPECT_FALSE(info.stream);
	EXPECT_EQ(info.max_tokens, 32000);
	EXPECT_EQ(info.thinkingType, "enabled");
	EXPECT_EQ(info.thinkingBudget, 31999);
	EXPECT_FALSE(info.hasTools);
	EXPECT_EQ(info.messageCount, 0u);
	EXPECT_EQ(info.sessionId, "");
}

TEST(RequestInfo, TableOfOddValues)
{
	struct Case
	{
		const char * body;
		bool object;
		const char * model;
		bool stream;
		std::optional<int64_t> maxTokens;
		size_t messages;
	};
	const Case cases[] = {
		{"", false, "", false, std::nullopt, 0},
		{"[]", false, "", false, std::nullopt, 0},
		{R"({"model":"m",})", false, "", false, std::nullopt, 0},
		{"{}", true, "", false, std::nullopt, 0},
		{R"({"model":42,"stream":"true","max_tokens":"5"})", true, "", false, std::nullopt, 0},
		{R"({"stream":1,"max_tokens":1.5})", true, "", false, std::nullopt, 0},
		{R"({"max_tokens":1e3})", true, "", false, std::nullopt, 0},
		{R"({"max_tokens":-1})", true, "", false, -1, 0},
		{R"({"max_tokens":99999999999999999999})", true, "", false, std::nullopt, 0},
		{R"({"max_tokens":9223372036854775807})", true, "", false, INT64_MAX, 0},
		{R"({"model":"a","model":"b"})", true, "b", false, std::nullopt, 0},
		{R"({"messages":[1,[2,3],{"a":[4]},"x"]})", true, "", false, std::nullopt, 4},
		{R"({"messages":{}})", true, "", false, std::nullopt, 0},
		{R"( {"stream" : true} )", true, "", true, std::nullopt, 0},
	};
	for (const auto & c : cases)
	{
		RequestInfo info = inspectRequest(c.body);
		EXPECT_EQ(info.isJsonObject, c.object) << c.body;
		EXPECT_EQ(info.model, c.model) << c.body;
		EXPECT_EQ(info.stream, c.stream) << c.body;
		EXPECT_EQ(info.max_tokens, c.maxTokens) << c.body;
		EXPECT_EQ(info.messageCount, c.messages) << c.body;
	}
}

TEST(RequestInfo, MalformedBodyLeavesEverythingEmpty)
{
	std::string body = claudeCodeBody();
	body.insert(body.size() - 1, ","); // trailing comma
	RequestInfo info = inspectRequest(body);
	EXPECT_FALSE(info.isJsonObject);
	EXPECT_EQ(info.model, "");
	EXPECT_FALSE(info.stream);
	EXPECT_EQ(info.messageCount, 0u);
	EXPECT_EQ(info.sessionId, "");
}

TEST(RequestInfo, MetadataAndThinkingShapes)
{
	RequestInfo a = inspectRequest(R"({"metadata":{"user_id":null},"thinking":"enabled"})");
	EXPECT_EQ(a.userId, "");
	EXPECT_EQ(a.thinkingType, "");
	RequestInfo b = inspectRequest(R"({"metadata":{"user_id":"user_abc_account__session_s-1"},"thinking":{"type":"disabled"}})");
	EXPECT_EQ(b.userId, "user_abc_account__session_s-1");
	EXPECT_EQ(b.sessionId, "s-1");
	EXPECT_EQ(b.thinkingType, "disabled");
	RequestInfo c = inspectRequest(R"({"metadata":[],"tools":{"a":1}})");
	EXPECT_EQ(c.userId, "");
	EXPECT_FALSE(c.hasTools);
}

TEST(RequestInfo, SessionIdFromUserId)
{
	struct Case
	{
		const char * userId;
		const char * session;
	};
	const Case cases[] = {
		{R"({"device_id":"d","account_uuid":"","session_id":"abc-123"})", "abc-123"},
		{R"( {"session_id":"s\u0031"} )", "s1"},
		{R"({"device_id":"d"})", ""},
		{R"({"session_id":7})", ""},
		{R"({"session_id":"x",})", ""},
		{"user_0123abcd_account__session_9f1c2d3e-aaaa-bbbb-cccc-1234567890ab", "9f1c2d3e-aaaa-bbbb-cccc-1234567890ab"},
		{"user_0123abcd_account_acct-uuid_session_sess-uuid", "sess-uuid"},
		{"user_x_account__session_a_session_b", "b"},
		{"user_x_account__session_", ""},
		{"user_x_session_y", ""},  // no account part
		{"user_x_account_", ""},
		{"", ""},
		{"plain", ""},
	};
	for (const auto & c : cases)
		EXPECT_EQ(sessionIdFromUserId(c.userId), c.session) << c.userId;
}
