// A conversation that an OpenAI-compatible endpoint served carries converted reasoning (thinking
// blocks without a signature) in its history; when the next turn fails over to an Anthropic
// endpoint, those blocks are dropped and every other byte of the body arrives unchanged.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "AnthropicFixtures.h"
#include "FakeUpstream.h"
#include "HttpStream.h"
#include "ServiceProcess.h"

using namespace ccc::test;
using nlohmann::json;

TEST(ThinkingHistory, UnsignedThinkingFromAnOpenAIEndpointIsDroppedForAnthropic)
{
	FakeUpstream gpt, claude;
	json completion = json::parse(openaiChatCompletion("The answer is 4.", "gpt-test"));
	completion["choices"][0]["message"]["reasoning_content"] = "2 + 2 = 4";
	gpt.always(Response::json(200, completion));
	claude.always(Response::json(200, anthropicMessage("from claude")));
	const std::string cfg = "server:\n  host: 127.0.0.1\n  port: ${PORT}\nfailover:\n  retry_delay: 10ms\nendpoints:\n"
							"  - name: gpt\n    url: " + gpt.url() + "\n    endpoint_type: openai\n    path_prefix: /v1/chat/completions\n"
							"    auth_type: auth_token\n    auth_value: sk-openai\n    priority: 1\n"
							"  - name: claude\n    url: " + claude.url() + "\n    auth_type: api_key\n    auth_value: sk-claude\n    priority: 2\n";
	ServiceProcess svc(cfg);
	ASSERT_TRUE(svc.start()) << svc.output();
	const std::map<std::string, std::string> headers = {{"content-type", "application/json"}, {"anthropic-version", "2023-06-01"}};

	auto first = streamRequest(svc.port(), "POST", "/v1/messages",
		R"({"model":"claude-opus-4-8","max_tokens":1000,"messages":[{"role":"user","content":"2+2?"}]})", headers);
	ASSERT_EQ(first.status, 200) << first.body;
	json answer = json::parse(first.body);
	ASSERT_EQ(answer["content"][0]["type"], "thinking") << first.body;
	EXPECT_EQ(answer["content"][0]["signature"], "");

	// The client sends the assistant turn back as it got it; the OpenAI endpoint is down now.
	gpt.always(Response::json(500, R"({"error":{"message":"down"}})"));
	const std::string thinking = answer["content"][0].dump();
	const std::string text = answer["content"][1].dump();
	const std::string second = R"({"model":"claude-opus-4-8", "max_tokens":1000,"messages":[{"role":"user","content":"2+2?"},)"
							   R"({"role":"assistant","content":[)" + thinking + ",  " + text + R"(]},{"role":"user","content":"and 3+3?"}]})";
	const std::string expected = R"({"model":"claude-opus-4-8", "max_tokens":1000,"messages":[{"role":"user","content":"2+2?"},)"
								 R"({"role":"assistant","content":[)" + text + R"(]},{"role":"user","content":"and 3+3?"}]})";
	auto r = streamRequest(svc.port(), "POST", "/v1/messages", second, headers);
	ASSERT_EQ(r.status, 200) << r.body;
	EXPECT_EQ(json::parse(r.body)["content"][0]["text"], "from claude");
	ASSERT_EQ(claude.requestCount(), 1u);
	EXPECT_EQ(claude.request(0).body, expected);

	// A signed thinking block (Anthropic's own) is forwarded untouched.
	json signedBlock = {{"type", "thinking"}, {"thinking", "hm"}, {"signature", "EqQBCkYIBxgCKkAsig"}};
	const std::string third = R"({"model":"claude-opus-4-8","max_tokens":1000,"messages":[{"role":"user","content":"x"},)"
							  R"({"role":"assistant","content":[)" + signedBlock.dump() + "," + text + R"(]},{"role":"user","content":"y"}]})";
	auto r3 = streamRequest(svc.port(), "POST", "/v1/messages", third, headers);
	ASSERT_EQ(r3.status, 200) << r3.body;
	ASSERT_EQ(claude.requestCount(), 2u);
	EXPECT_EQ(claude.request(1).body, third);
}
