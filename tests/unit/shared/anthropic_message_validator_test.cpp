#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "ccc/anthropic/message_validator.h"

using namespace ccc::anthropic;

namespace
{

std::string readData(const std::string & name)
{
	std::ifstream in(std::string(CCC_TEST_DATA_DIR) + "/anthropic/" + name, std::ios::binary);
	std::ostringstream s;
	s << in.rdbuf();
	return s.str();
}

} // namespace

TEST(AnthropicMessage, RealShapedToolUseMessage)
{
	std::string body = readData("message_tool_use.json");
	ASSERT_FALSE(body.empty());
	MessageCheck c = validateMessageBody(body);
	EXPECT_TRUE(c.ok()) << c.message;
	EXPECT_EQ(c.model, "claude-opus-4-8");
	EXPECT_EQ(c.stopReason, "tool_use");
	EXPECT_EQ(c.usage.input_tokens, 2095);
	EXPECT_EQ(c.usage.output_tokens, 503);
	EXPECT_EQ(c.usage.cache_creation_input_tokens, 0);
	EXPECT_EQ(c.usage.cache_read_input_tokens, 1024);
}

TEST(AnthropicMessage, ErrorBody)
{
	std::string body = readData("error_overloaded.json");
	MessageCheck c = validateMessageBody(body);
	EXPECT_EQ(c.violation, Violation::UpstreamError);
	EXPECT_EQ(c.errorType, "overloaded_error");
	EXPECT_EQ(c.errorPayload, body);
	Check t = validateCountTokensBody(body);
	EXPECT_EQ(t.violation, Violation::UpstreamError);
	EXPECT_EQ(t.errorType, "overloaded_error");
}

TEST(AnthropicMessage, Table)
{
	struct Case
	{
		const char * name;
		std::string body;
		Violation expected;
	};
	auto msg = [](const std::string & content, const std::string & usage = R"({"input_tokens":1,"output_tokens":2})",
				   const std::string & head = R"("id":"msg_1","type":"message","role":"assistant","model":"m")") {
		return "{" + head + R"(,"content":)" + content + R"(,"stop_reason":"end_turn","usage":)" + usage + "}";
	};
	const Case cases[] = {
		{"minimal", msg(R"([{"type":"text","text":"hi"}])"), Violation::None},
		{"empty content", msg("[]"), Violation::None},
		{"unknown block type", msg(R"([{"type":"future","x":1}])"), Violation::None},
		{"zero output is real", msg("[]", R"({"input_tokens":7,"output_tokens":0})"), Violation::None},
		{"all-zero usage is a fake", msg("[]", R"({"input_tokens":0,"output_tokens":0})"), Violation::FakeUsage},
		{"tool_use", msg(R"([{"type":"tool_use","id":"t","name":"n","input":{}}])"), Violation::None},
		{"whitespace around", "\n  " + msg("[]") + "\n", Violation::None},

		{"empty", "", Violation::Empty},
		{"blank", " \r\n\t", Violation::Empty},
		{"not json", "<html>502 Bad Gateway</html>", Violation::Malformed},
		{"truncated json", msg("[]").substr(0, 30), Violation::Malformed},
		{"array", "[]", Violation::Malformed},
		{"NUL then garbage", msg("[]") + std::string(1, '\0') + "garbage", Violation::Malformed},
		{"trailing garbage", msg("[]") + "x", Violation::Malformed},
		{"error object", R"({"type":"error","error":{"type":"api_error","message":"boom"}})", Violation::UpstreamError},
		{"openai error object", R"({"error":{"message":"bad key","type":"invalid_request_error"}})", Violation::UpstreamError},
		{"error string", R"({"error":"nope"})", Violation::UpstreamError},
		{"fake usage", msg("[]", R"({"prompt_tokens":0,"completion_tokens":0,"total_tokens":0})"), Violation::FakeUsage},
		{"usage missing output", msg("[]", R"({"input_tokens":1})"), Violation::Malformed},
		{"usage not object", msg("[]", "null"), Violation::Malformed},
		{"usage negative", msg("[]", R"({"input_tokens":-5,"output_tokens":2})"), Violation::Malformed},
		{"usage cache string", msg("[]", R"({"input_tokens":5,"output_tokens":2,"cache_read_input_tokens":"3"})"), Violation::Malformed},
		{"usage cache null is fine", msg("[]", R"({"input_tokens":5,"output_tokens":2,"cache_read_input_tokens":null})"), Violation::None},
		{"usage float", msg("[]", R"({"input_tokens":1.5,"output_tokens":2})"), Violation::Malformed},
		{"wrong type", msg("[]", R"({"input_tokens":1,"output_tokens":2})", R"("id":"x","type":"chat.completion","role":"assistant","model":"m")"),
			Violation::Malformed},
		{"wrong role", msg("[]", R"({"input_tokens":1,"output_tokens":2})", R"("id":"x","type":"message","role":"user","model":"m")"),
			Violation::Malformed},
		{"no id", msg("[]", R"({"input_tokens":1,"output_tokens":2})", R"("type":"message","role":"assistant","model":"m")"),
			Violation::Malformed},
		{"no model", msg("[]", R"({"input_tokens":1,"output_tokens":2})", R"("id":"x","type":"message","role":"assistant")"),
			Violation::Malformed},
		{"content not array", msg(R"("hi")"), Violation::Malformed},
		{"block not object", msg("[1]"), Violation::Malformed},
		{"block without type", msg(R"([{"text":"x"}])"), Violation::Malformed},
		{"text block without text", msg(R"([{"type":"text"}])"), Violation::Malformed},
		{"tool_use without id", msg(R"([{"type":"tool_use","name":"n","input":{}}])"), Violation::Malformed},
		{"tool_use input string", msg(R"([{"type":"tool_use","id":"t","name":"n","input":"{}"}])"), Violation::Malformed},
	};
	for (const auto & c : cases)
	{
		MessageCheck r = validateMessageBody(c.body);
		EXPECT_EQ(r.violation, c.expected) << c.name << ": " << r.message;
		if (c.expected != Violation::None)
		{
			EXPECT_FALSE(r.message.empty()) << c.name;
		}
	}
}

TEST(AnthropicMessage, CountTokens)
{
	EXPECT_TRUE(validateCountTokensBody(R"({"input_tokens":2095})").ok());
	EXPECT_TRUE(validateCountTokensBody(R"({"input_tokens":0,"extra":true})").ok());
	EXPECT_EQ(validateCountTokensBody("").violation, Violation::Empty);
	EXPECT_EQ(validateCountTokensBody("{}").violation, Violation::Malformed);
	EXPECT_EQ(validateCountTokensBody(R"({"input_tokens":"5"})").violation, Violation::Malformed);
	EXPECT_EQ(validateCountTokensBody(R"({"input_tokens":1.5})").violation, Violation::Malformed);
	EXPECT_EQ(validateCountTokensBody(R"({"input_tokens":-1})").violation, Violation::Malformed);
	EXPECT_EQ(validateCountTokensBody("[1]").violation, Violation::Malformed);
	EXPECT_EQ(validateCountTokensBody(R"({"type":"error","error":{"type":"not_found_error"}})").violation, Violation::UpstreamError);
}

TEST(AnthropicMessage, SniffBody)
{
	struct Case
	{
		std::string bytes;
		BodyKind kind;
	};
	const Case cases[] = {
		{"", BodyKind::Unknown},
		{"  \r\n", BodyKind::Unknown},
		{"\xEF", BodyKind::Unknown},
		{"\xEF\xBB", BodyKind::Unknown},
		{"\xEF\xBB\xBF", BodyKind::Unknown},
		{"{\"type\":\"message\"}", BodyKind::Json},
		{"  \n[1]", BodyKind::Json},
		{"\xEF\xBB\xBF{}", BodyKind::Json},
		{"{\"text\":\"event: message_start\\ndata: {}\"}", BodyKind::Json},
		{"event: message_start\n", BodyKind::Sse},
		{"event:ping", BodyKind::Sse},
		{"data: {}", BodyKind::Sse},
		{": keep-alive\n", BodyKind::Sse},
		{"id: 1\n", BodyKind::Sse},
		{"retry: 100\n", BodyKind::Sse},
		{"\n\nevent: x", BodyKind::Sse},
		{"\xEF\xBB\xBF" "data: x", BodyKind::Sse},
		{"ev", BodyKind::Unknown},
		{"dat", BodyKind::Unknown},
		{"retry", BodyKind::Unknown},
		{"<html><body>502</body></html>", BodyKind::Other},
		{"Internal Server Error", BodyKind::Other},
		{"events: x", BodyKind::Other},
		{"event x", BodyKind::Other},
		{"\xEF\xBB" "x", BodyKind::Other},
	};
	for (const auto & c : cases)
		EXPECT_EQ(int(sniffBody(c.bytes)), int(c.kind)) << c.bytes;
}
