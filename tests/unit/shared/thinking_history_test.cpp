// Unsigned thinking blocks (an OpenAI-compatible endpoint's reasoning, converted) are removed from
// the history before it goes to an Anthropic endpoint; every other byte stays as it was.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "ccc/anthropic/thinking_history.h"

using ccc::anthropic::mayHoldThinkingBlocks;
using ccc::anthropic::stripUnsignedThinking;

namespace
{

std::string strip(const std::string & body, size_t expectedRemoved)
{
	std::string out = "untouched";
	size_t n = stripUnsignedThinking(body, out);
	EXPECT_EQ(n, expectedRemoved) << body;
	if (n == 0)
	{
		EXPECT_EQ(out, "untouched") << "out is written only when something was removed";
		return body;
	}
	EXPECT_FALSE(nlohmann::json::parse(out, nullptr, false).is_discarded()) << out;
	return out;
}

} // namespace

TEST(ThinkingHistory, RemovesUnsignedThinkingKeepsEverythingElse)
{
	const std::string body = R"({"model":"claude-opus-4-8", "max_tokens":100,"thinking":{"type":"enabled","budget_tokens":50},)"
							 R"("messages":[{"role":"user","content":"hi"},)"
							 R"({"role":"assistant","content":[{"type":"thinking","thinking":"let me see","signature":""}, {"type":"text","text":"Hello"}]},)"
							 R"({"role":"user","content":[{"type":"text","text":"more"}]}]})";
	const std::string expected = R"({"model":"claude-opus-4-8", "max_tokens":100,"thinking":{"type":"enabled","budget_tokens":50},)"
								 R"("messages":[{"role":"user","content":"hi"},)"
								 R"({"role":"assistant","content":[{"type":"text","text":"Hello"}]},)"
								 R"({"role":"user","content":[{"type":"text","text":"more"}]}]})";
	EXPECT_TRUE(mayHoldThinkingBlocks(body));
	EXPECT_EQ(strip(body, 1), expected);
}

TEST(ThinkingHistory, SignedBlocksStayByteForByte)
{
	const std::string body = R"({"messages":[{"role":"assistant","content":[{"type":"thinking","thinking":"x","signature":"EqQBCkYIBx"},)"
							 R"({"type":"redacted_thinking","data":"EmwKAhgBEgy"},{"type":"text","text":"ok"}]}]})";
	EXPECT_TRUE(mayHoldThinkingBlocks(body));
	EXPECT_EQ(strip(body, 0), body);
}

TEST(ThinkingHistory, MissingOrNonStringSignaturesAndEmptyRedactedData)
{
	const std::string body = R"({"messages":[{"role":"assistant","content":[)"
							 R"({"type":"text","text":"a"},)"
							 R"({"type":"thinking","thinking":"no signature"},)"
							 R"({"type":"thinking","thinking":"null","signature":null},)"
							 R"({"type":"redacted_thinking","data":""},)"
							 R"({"type":"redacted_thinking"},)"
							 R"({"type":"tool_use","id":"t1","name":"Bash","input":{}}]}]})";
	const std::string expected = R"({"messages":[{"role":"assistant","content":[)"
								 R"({"type":"text","text":"a"},)"
								 R"({"type":"tool_use","id":"t1","name":"Bash","input":{}}]}]})";
	EXPECT_EQ(strip(body, 4), expected);
}

TEST(ThinkingHistory, LastAndAllBlocksAndWhitespace)
{
	// The dropped last element takes the comma before it.
	EXPECT_EQ(strip(R"({"messages":[{"role":"assistant","content":[ {"type":"text","text":"a"} ,
 {"type":"thinking","thinking":"t","signature":""} ]}]})", 1),
		R"({"messages":[{"role":"assistant","content":[ {"type":"text","text":"a"} ]}]})");
	// A run of dropped blocks in the middle.
	EXPECT_EQ(strip(R"({"messages":[{"content":[{"type":"text","text":"a"},{"type":"thinking","signature":""},{"type":"thinking","signature":""},{"type":"text","text":"b"}]}]})", 2),
		R"({"messages":[{"content":[{"type":"text","text":"a"},{"type":"text","text":"b"}]}]})");
	// Every block dropped: the brackets stay.
	EXPECT_EQ(strip(R"({"messages":[{"role":"assistant","content":[ {"type":"thinking","signature":""}, {"type":"thinking"} ]},{"role":"user","content":"x"}]})", 2),
		R"({"messages":[{"role":"assistant","content":[]},{"role":"user","content":"x"}]})");
}

TEST(ThinkingHistory, PrettyPrintedBodies)
{
	nlohmann::json j = {{"model", "m"},
		{"messages",
			{{{"role", "assistant"},
				{"content", {{{"type", "thinking"}, {"thinking", "r"}, {"signature", ""}}, {{"type", "text"}, {"text", "t"}}}}}}}};
	std::string out;
	ASSERT_EQ(stripUnsignedThinking(j.dump(2), out), 1u);
	nlohmann::json expected = j;
	expected["messages"][0]["content"].erase(0);
	EXPECT_EQ(nlohmann::json::parse(out), expected);
	EXPECT_TRUE(mayHoldThinkingBlocks(j.dump(2)));
}

TEST(ThinkingHistory, LeavesOtherBodiesAlone)
{
	std::string out;
	EXPECT_EQ(stripUnsignedThinking("{not json", out), 0u);
	EXPECT_EQ(stripUnsignedThinking("[1,2]", out), 0u);
	EXPECT_EQ(stripUnsignedThinking(R"({"model":"m"})", out), 0u);
	EXPECT_EQ(stripUnsignedThinking(R"({"messages":"text"})", out), 0u);
	EXPECT_EQ(stripUnsignedThinking(R"({"messages":[1,"x",{"content":"plain"},{"content":[1,"s",null]}]})", out), 0u);
	// A thinking-like object nested in a tool input is not a content block.
	EXPECT_EQ(stripUnsignedThinking(R"({"messages":[{"content":[{"type":"tool_use","input":{"type":"thinking"}}]}]})", out), 0u);
	EXPECT_TRUE(out.empty());
}

TEST(ThinkingHistory, PreCheck)
{
	EXPECT_FALSE(mayHoldThinkingBlocks(R"({"model":"m","thinking":{"type":"enabled"},"messages":[{"role":"user","content":"thinking about it"}]})"));
	EXPECT_FALSE(mayHoldThinkingBlocks(""));
	EXPECT_TRUE(mayHoldThinkingBlocks(R"({"messages":[{"content":[{"type" : "thinking"}]}]})"));
	EXPECT_TRUE(mayHoldThinkingBlocks(R"({"messages":[{"content":[{"type":"redacted_thinking"}]}]})"));
	EXPECT_TRUE(mayHoldThinkingBlocks(R"({"type":
"thinking"})"));
}
