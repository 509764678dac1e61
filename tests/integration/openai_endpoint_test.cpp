// OpenAI-compatible endpoints through the real binary: the client speaks Anthropic Messages, the
// fake upstream speaks Chat Completions, and the client cannot tell the difference.
#include <gtest/gtest.h>

#include <atomic>

#include <nlohmann/json.hpp>

#include "AnthropicFixtures.h"
#include "FakeUpstream.h"
#include "HttpStream.h"
#include "ServiceProcess.h"

using namespace ccc::test;
using nlohmann::json;

namespace
{

std::string openaiConfig(const std::string & url, const std::string & more = "")
{
	return "server:\n  host: 127.0.0.1\n  port: ${PORT}\nendpoints:\n  - name: gpt\n    url: " + url
		+ "/api\n    endpoint_type: openai\n    path_prefix: /v1/chat/completions\n    auth_type: auth_token\n    auth_value: sk-openai-test\n"
		  "    max_tokens_limit: 8192\n    model_rewrite:\n      enabled: true\n      rules:\n        - {source_pattern: \"claude-*\", target_model: gpt-test}\n"
		+ more;
}

const std::map<std::string, std::string> kHeaders = {{"content-type", "application/json"}, {"anthropic-version", "2023-06-01"},
	{"anthropic-beta", "claude-code-20250219"}, {"authorization", "Bearer client"}};

} // namespace

TEST(OpenAIEndpoint, StreamingTextIsConvertedBothWays)
{
	FakeUpstream up;
	up.setHandler([](const ReceivedRequest & req) {
		return req.json().value("stream", false) ? Response::sse(openaiChatStream("Hello from GPT", "gpt-test"))
												 : Response::json(200, openaiChatCompletion("Hello from GPT", "gpt-test"));
	});
	ServiceProcess svc(openaiConfig(up.url()));
	ASSERT_TRUE(svc.start()) << svc.output();
	const std::string body = R"({"model":"claude-opus-4-8","max_tokens":64000,"stream":true,"system":"be brief",)"
							 R"("messages":[{"role":"user","content":"hi"}],"metadata":{"user_id":"u1"}})";
	auto r = streamRequest(svc.port(), "POST", "/v1/messages?beta=true", body, kHeaders);
	ASSERT_EQ(r.status, 200) << r.body << svc.output();
	EXPECT_EQ(r.text(), "Hello from GPT");
	auto starts = r.eventData("message_start");
	ASSERT_EQ(starts.size(), 1u);
	EXPECT_EQ(json::parse(starts[0])["message"]["model"], "claude-opus-4-8"); // the client's name
	EXPECT_EQ(r.eventData("message_stop").size(), 1u);
	ASSERT_EQ(up.requestCount(), 1u);
	ReceivedRequest sent = up.request(0);
	EXPECT_EQ(sent.path, "/api/v1/chat/completions");
	EXPECT_EQ(sent.header("authorization"), "Bearer sk-openai-test");
	EXPECT_FALSE(sent.hasHeader("anthropic-beta"));
	json j = sent.json();
	EXPECT_EQ(j["model"], "gpt-test");
	EXPECT_EQ(j["max_tokens"], 8192); // clamped to max_tokens_limit
	EXPECT_EQ(j["stream"], true);
	EXPECT_EQ(j["stream_options"]["include_usage"], true);
	EXPECT_EQ(j["messages"][0]["role"], "system");
}

TEST(OpenAIEndpoint, NonStreamingToolCallsAndCountTokens)
{
	FakeUpstream up;
	up.always(Response::json(200, openaiToolCallCompletion("Bash", R"({"command":"echo hi"})", "gpt-test")));
	ServiceProcess svc(openaiConfig(up.url()));
	ASSERT_TRUE(svc.start()) << svc.output();
	const std::string body = R"({"model":"claude-opus-4-8","max_tokens":100,"tools":[{"name":"Bash","description":"run",)"
							 R"("input_schema":{"$schema":"https://json-schema.org/draft/2020-12/schema","type":"object","properties":{"command":{"type":"string"}}}}],)"
							 R"("messages":[{"role":"user","content":"run echo"}]})";
	auto r = streamRequest(svc.port(), "POST", "/v1/messages", body, kHeaders);
	ASSERT_EQ(r.status, 200) << r.body;
	json m = json::parse(r.body);
	EXPECT_EQ(m["type"], "message");
	EXPECT_EQ(m["stop_reason"], "tool_use");
	ASSERT_EQ(m["content"].back()["type"], "tool_use");
	EXPECT_EQ(m["content"].back()["input"]["command"], "echo hi");
	json sent = up.request(0).json();
	EXPECT_FALSE(sent["tools"][0]["function"]["parameters"].contains("$schema")); // 2020-12 keyword stripped
	// count_tokens is answered here with an estimate; the upstream never sees it.
	auto ct = streamRequest(svc.port(), "POST", "/v1/messages/count_tokens", body, kHeaders);
	ASSERT_EQ(ct.status, 200) << ct.body;
	EXPECT_GT(json::parse(ct.body)["input_tokens"].get<int>(), 0);
	EXPECT_EQ(up.requestCount(), 1u);
}

TEST(OpenAIEndpoint, BrokenOpenAIStreamFailsOverOrEndsWithAnError)
{
	FakeUpstream up, anthropic;
	std::atomic<int> n{0};
	up.setHandler([&](const ReceivedRequest &) {
		// No finish_reason and no [DONE]: truncated. First before any content (only the role chunk),
		// later after some text.
		auto chunks = openaiChatStream("partial", "gpt-test");
		chunks.resize(++n <= 2 ? 1 : 2);
		return Response::sse(chunks);
	});
	anthropic.always(Response::sse(anthropicStream("from anthropic")));
	ServiceProcess svc(openaiConfig(up.url(), "  - {name: claude, url: \"" + anthropic.url() + "\", auth_type: api_key, auth_value: k, priority: 2}\n"));
	ASSERT_TRUE(svc.start()) << svc.output();
	const std::string body = R"({"model":"claude-opus-4-8","max_tokens":10,"stream":true,"messages":[{"role":"user","content":"hi"}]})";
	// Nothing forwarded yet: fail over invisibly (the truncated stream is retried once, then moved on).
	auto r = streamRequest(svc.port(), "POST", "/v1/messages", body, kHeaders);
	ASSERT_EQ(r.status, 200) << r.body;
	EXPECT_EQ(r.text(), "from anthropic");
	EXPECT_EQ(up.requestCount(), 2u);
	EXPECT_EQ(anthropic.requestCount(), 1u);
	// Text already forwarded: the client's stream ends with a well-formed error event.
	r = streamRequest(svc.port(), "POST", "/v1/messages", body, kHeaders);
	EXPECT_EQ(r.status, 200);
	EXPECT_EQ(r.eventData("error").size(), 1u) << r.body;
	EXPECT_EQ(anthropic.requestCount(), 1u);
}
