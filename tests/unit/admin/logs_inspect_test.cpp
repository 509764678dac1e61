#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "model/logs_inspect.h"

namespace ccc::admin
{
namespace
{

std::string readData(const std::string & name)
{
	std::ifstream in(std::string(CCC_TEST_DATA_DIR) + "/" + name, std::ios::binary);
	std::stringstream ss;
	ss << in.rdbuf();
	return ss.str();
}

const char * kRequest = R"({
  "model": "claude-opus-4-8", "max_tokens": 32000, "stream": true,
  "thinking": {"type": "enabled", "budget_tokens": 8000},
  "system": [{"type": "text", "text": "You are Claude Code."}, {"type": "text", "text": "Be brief."}],
  "tools": [
    {"name": "Bash", "description": "Runs a command", "input_schema": {"type": "object", "properties": {"command": {"type": "string"}}}},
    {"name": "Read", "input_schema": {"type": "object"}},
    {"type": "web_search_20250305", "name": "web_search"}
  ],
  "messages": [
    {"role": "user", "content": "list the files"},
    {"role": "assistant", "content": [
      {"type": "thinking", "thinking": "use ls", "signature": "sig"},
      {"type": "text", "text": "Running ls."},
      {"type": "tool_use", "id": "toolu_1", "name": "Bash", "input": {"command": "ls"}},
      {"type": "tool_use", "id": "toolu_2", "name": "Read", "input": {"file_path": "/a"}}
    ]},
    {"role": "user", "content": [
      {"type": "tool_result", "tool_use_id": "toolu_1", "content": "a.txt\nb.txt"},
      {"type": "tool_result", "tool_use_id": "toolu_9", "is_error": true, "content": [{"type": "text", "text": "no such tool"}]},
      {"type": "text", "text": "并总结"}
    ]}
  ]})";

TEST(LogsRequestInspector, ReadsSystemToolsAndMessages)
{
	RequestInspection r = inspectRequestBody(kRequest);
	ASSERT_TRUE(r.parsed) << r.error;
	EXPECT_EQ(r.model, "claude-opus-4-8");
	EXPECT_EQ(r.max_tokens, 32000);
	EXPECT_TRUE(r.stream);
	EXPECT_EQ(r.thinking, "enabled (8000)");
	EXPECT_EQ(r.system_blocks, 2u);
	EXPECT_EQ(r.system_text, "You are Claude Code.\n\nBe brief.");
	ASSERT_EQ(r.tools.size(), 3u);
	EXPECT_EQ(r.tools[0].name, "Bash");
	EXPECT_EQ(r.tools[0].type, "custom");
	EXPECT_EQ(r.tools[0].schema_bytes, std::string(R"({"type":"object","properties":{"command":{"type":"string"}}})").size());
	EXPECT_EQ(r.tools[2].type, "web_search_20250305");
	EXPECT_EQ(r.tools[2].schema_bytes, 0u);
	ASSERT_EQ(r.messages.size(), 3u);
	EXPECT_EQ(r.messages[0].role, "user");
	ASSERT_EQ(r.messages[0].blocks.size(), 1u);
	EXPECT_EQ(r.messages[0].blocks[0].type, "text");
	EXPECT_EQ(r.messages[0].blocks[0].preview, "list the files");
	ASSERT_EQ(r.messages[1].blocks.size(), 4u);
	EXPECT_EQ(r.messages[1].blocks[0].type, "thinking");
	EXPECT_EQ(r.messages[1].blocks[2].preview, "Bash");
	EXPECT_EQ(r.messages[2].blocks[1].preview, "no such tool");
	EXPECT_TRUE(r.messages[2].blocks[1].is_error);
	EXPECT_EQ(r.messages[2].blocks[2].chars, 3u); // characters, not bytes
}

TEST(LogsRequestInspector, PairsToolUseWithToolResultById)
{
	RequestInspection r = inspectRequestBody(kRequest);
	ASSERT_EQ(r.pairs.size(), 3u);
	EXPECT_EQ(r.pairs[0].id, "toolu_1");
	EXPECT_EQ(r.pairs[0].name, "Bash");
	EXPECT_EQ(r.pairs[0].use_message, 1);
	EXPECT_EQ(r.pairs[0].result_message, 2);
	EXPECT_EQ(r.pairs[1].id, "toolu_2");   // use without a result
	EXPECT_EQ(r.pairs[1].result_message, -1);
	EXPECT_EQ(r.pairs[2].id, "toolu_9");   // result without a use
	EXPECT_EQ(r.pairs[2].use_message, -1);
	EXPECT_TRUE(r.pairs[2].is_error);
	EXPECT_EQ(r.unmatched_uses, 1u);
	EXPECT_EQ(r.unmatched_results, 1u);
	EXPECT_FALSE(r.messages[1].blocks[2].unmatched);
	EXPECT_TRUE(r.messages[1].blocks[3].unmatched);
	EXPECT_FALSE(r.messages[2].blocks[0].unmatched);
	EXPECT_TRUE(r.messages[2].blocks[1].unmatched);
}

TEST(LogsRequestInspector, AResultBeforeItsUseIsUnmatched)
{
	RequestInspection r = inspectRequestBody(R"({"messages": [
		{"role": "user", "content": [{"type": "tool_result", "tool_use_id": "t", "content": "x"}]},
		{"role": "assistant", "content": [{"type": "tool_use", "id": "t", "name": "A", "input": {}}]}]})");
	ASSERT_TRUE(r.parsed);
	EXPECT_EQ(r.unmatched_uses, 1u);
	EXPECT_EQ(r.unmatched_results, 1u);
}

TEST(LogsRequestInspector, TokenEstimateIsAboutFourCharactersPerToken)
{
	EXPECT_EQ(estimateTokens(""), 0);
	EXPECT_EQ(estimateTokens("abcd"), 1);
	EXPECT_EQ(estimateTokens("abcde"), 2);
	EXPECT_EQ(estimateTokens("中文"), 2);
	RequestInspection r = inspectRequestBody(kRequest);
	EXPECT_GT(r.estimated_tokens, 0);
	EXPECT_EQ(r.estimated_tokens, r.estimated_system_tokens + r.estimated_tools_tokens + r.estimated_messages_tokens);
	EXPECT_EQ(r.estimated_system_tokens, estimateTokens("You are Claude Code.\n\nBe brief."));
}

TEST(LogsRequestInspector, NonJsonBodiesSayWhy)
{
	EXPECT_FALSE(inspectRequestBody("").parsed);
	EXPECT_FALSE(inspectRequestBody(R"({"model": "x", "messa)").parsed);
	EXPECT_EQ(inspectRequestBody("[1]").error, "not a JSON object");
}

TEST(LogsResponseInspector, RebuildsAStreamedMessage)
{
	const std::string sse = readData("anthropic/stream_thinking_text_tool.sse");
	ASSERT_FALSE(sse.empty());
	ResponseInspection r = inspectResponseBody(sse, true);
	ASSERT_TRUE(r.parsed) << r.error;
	EXPECT_TRUE(r.streamed);
	EXPECT_EQ(r.validation, "");
	EXPECT_EQ(r.message_id, "msg_01XFDUDYJgAACzvnptvVoYEL");
	EXPECT_EQ(r.model, "claude-opus-4-8");
	EXPECT_EQ(r.stop_reason, "tool_use");
	EXPECT_EQ(r.usage.input_tokens, 3);
	EXPECT_EQ(r.usage.output_tokens, 142);
	EXPECT_EQ(r.usage.cache_read_input_tokens, 17266);
	EXPECT_EQ(r.usage.cache_creation_input_tokens, 1849);
	EXPECT_NEAR(r.cache_efficiency, 17266.0 / (3 + 17266 + 1849), 1e-9);
	ASSERT_EQ(r.blocks.size(), 3u);
	EXPECT_EQ(r.blocks[0].type, "thinking");
	EXPECT_EQ(r.blocks[0].text, "The user wants the weather in Paris. I should call the get_weather tool with \"Paris, FR\".");
	EXPECT_TRUE(r.blocks[0].has_signature);
	EXPECT_EQ(r.blocks[1].text, "Let me check the weather in Paris – un instant ☀️.");
	EXPECT_EQ(r.blocks[2].type, "tool_use");
	EXPECT_EQ(r.blocks[2].tool_name, "get_weather");
	EXPECT_EQ(r.blocks[2].tool_id, "toolu_01T1x1fJ34qAmk2tNTrN7Up6");
	EXPECT_EQ(r.blocks[2].input_json, R"({"location": "Paris, FR", "unit": "celsius"})");
	EXPECT_TRUE(r.blocks[2].input_valid);
	EXPECT_TRUE(r.blocks[2].closed);
	EXPECT_EQ(r.event_count, r.events.size());
	EXPECT_EQ(r.events.front().name, "message_start");
	EXPECT_EQ(r.events.back().name, "message_stop");
	EXPECT_EQ(r.events[1].name, "ping");
}

TEST(LogsResponseInspector, FlagsATruncatedToolInput)
{
	const std::string sse = readData("anthropic/stream_truncated_tool_input.sse");
	ASSERT_FALSE(sse.empty());
	ResponseInspection r = inspectResponseBody(sse, true);
	ASSERT_TRUE(r.parsed);
	EXPECT_NE(r.validation, "");
	bool invalid = false;
	for (const RebuiltBlock & b : r.blocks)
		invalid = invalid || (b.type == "tool_use" && !b.input_valid);
	EXPECT_TRUE(invalid);
}

TEST(LogsResponseInspector, ReportsAnUpstreamErrorMidStream)
{
	const std::string sse = readData("anthropic/stream_overloaded_midstream.sse");
	ASSERT_FALSE(sse.empty());
	ResponseInspection r = inspectResponseBody(sse, true);
	EXPECT_NE(r.upstream_error.find("overloaded_error"), std::string::npos) << r.upstream_error;
	EXPECT_NE(r.validation, "");
}

TEST(LogsResponseInspector, ReadsAJsonMessageAndAnErrorBody)
{
	ResponseInspection r = inspectResponseBody(readData("anthropic/message_tool_use.json"), false);
	ASSERT_TRUE(r.parsed) << r.error;
	EXPECT_FALSE(r.streamed);
	EXPECT_EQ(r.stop_reason, "tool_use");
	ASSERT_EQ(r.blocks.size(), 3u);
	EXPECT_EQ(r.blocks[2].input_json, R"({"location":"Paris, FR","unit":"celsius"})");
	EXPECT_NEAR(r.cache_efficiency, 1024.0 / (2095 + 1024), 1e-9);

	ResponseInspection e = inspectResponseBody(readData("anthropic/error_overloaded.json"), false);
	ASSERT_TRUE(e.parsed);
	EXPECT_NE(e.upstream_error.find("overloaded_error"), std::string::npos);
	EXPECT_EQ(e.cache_efficiency, -1);

	EXPECT_FALSE(inspectResponseBody(R"({"choices": []})", false).parsed);
	EXPECT_FALSE(inspectResponseBody("", false).parsed);
}

} // namespace
} // namespace ccc::admin
