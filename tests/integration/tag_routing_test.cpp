// Tag routing through the real binary: Claude Code-shaped requests (a main turn, a haiku
// subagent, a long-context turn, a "#use-gpt" prompt via a Lua tagger) reach the intended endpoints.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "AnthropicFixtures.h"
#include "FakeUpstream.h"
#include "HttpStream.h"
#include "ServiceProcess.h"

using namespace ccc::test;
using nlohmann::json;

namespace
{

std::string claudeCodeBody()
{
	std::ifstream in(std::string(CCC_TEST_DATA_DIR) + "/claude-code/messages-request.json", std::ios::binary);
	std::stringstream ss;
	ss << in.rdbuf();
	return ss.str();
}

std::string endpoint(const std::string & name, const std::string & url, const std::string & tags)
{
	return "  - name: " + name + "\n    url: " + url + "\n    auth_type: api_key\n    auth_value: k-" + name + "\n" + (tags.empty() ? "" : "    tags: [" + tags + "]\n");
}

} // namespace

TEST(TagRouting, ClaudeCodeTrafficReachesTheIntendedEndpoints)
{
	FakeUpstream main, cheap, longCtx, gpt;
	for (FakeUpstream * f : {&main, &cheap, &longCtx, &gpt})
		f->setHandler([](const ReceivedRequest & req) { return Response::sse(anthropicStream("ok", req.json().value("model", "m"))); });
	std::string cfg = "server:\n  host: 127.0.0.1\n  port: ${PORT}\nlogging:\n  level: warn\nendpoints:\n" + endpoint("main", main.url(), "")
		+ endpoint("cheap", cheap.url(), "cheap") + endpoint("long", longCtx.url(), "long-context") + endpoint("gpt", gpt.url(), "gpt")
		+ "tagging:\n  taggers:\n"
		  "    - {name: subagents, type: builtin, builtin_type: subagent, tag: cheap}\n"
		  "    - {name: long, type: builtin, builtin_type: context-size, tag: long-context, config: {min_tokens: 100000}}\n"
		  "    - name: use-gpt\n      type: lua\n      tag: gpt\n      script: |\n"
		  "        function should_tag(request)\n"
		  "          local m = request.body and request.body.messages\n"
		  "          if not m then return false end\n"
		  "          local last = m[#m]\n"
		  "          return type(last.content) == 'string' and string.find(last.content, '#use-gpt', 1, true) ~= nil\n"
		  "        end\n";
	ServiceProcess svc(cfg);
	ASSERT_TRUE(svc.start()) << svc.output();
	std::map<std::string, std::string> headers = {{"content-type", "application/json"}, {"anthropic-version", "2023-06-01"},
		{"authorization", "Bearer x"}};

	// 1. A real captured Claude Code main turn: no tags, the untagged endpoint.
	const std::string body = claudeCodeBody();
	ASSERT_GT(body.size(), 50000u);
	auto r = streamRequest(svc.port(), "POST", "/v1/messages?beta=true", body, headers);
	ASSERT_EQ(r.status, 200) << r.body;
	EXPECT_EQ(main.requestCount(), 1u);

	// 2. An Explore subagent: haiku model and Claude Code's agent-id header -> the cheap pool.
	json sub = json::parse(body);
	sub["model"] = "claude-haiku-4-5-20251001";
	sub["thinking"] = {{"type", "disabled"}};
	auto h2 = headers;
	h2["x-claude-code-agent-id"] = "agent-explore-1";
	r = streamRequest(svc.port(), "POST", "/v1/messages?beta=true", sub.dump(), h2);
	ASSERT_EQ(r.status, 200) << r.body;
	EXPECT_EQ(cheap.requestCount(), 1u);

	// 3. A long-context turn (~120k estimated tokens) -> the 1M-context endpoint.
	json big = json::parse(body);
	big["messages"].push_back({{"role", "user"}, {"content", std::string(480000, 'x')}});
	r = streamRequest(svc.port(), "POST", "/v1/messages?beta=true", big.dump(), headers);
	ASSERT_EQ(r.status, 200) << r.body;
	EXPECT_EQ(longCtx.requestCount(), 1u);

	// 4. "#use-gpt" in the prompt, matched by the Lua tagger.
	json gptReq = {{"model", "claude-opus-4-8"}, {"max_tokens", 100}, {"stream", true},
		{"messages", json::array({{{"role", "user"}, {"content", "please #use-gpt for this"}}})}};
	r = streamRequest(svc.port(), "POST", "/v1/messages", gptReq.dump(), headers);
	ASSERT_EQ(r.status, 200) << r.body;
	EXPECT_EQ(gpt.requestCount(), 1u);
	EXPECT_EQ(main.requestCount(), 1u);
}

TEST(TagRouting, NoEndpointForTagsSaysWhich)
{
	FakeUpstream tagged;
	tagged.always(Response::sse(anthropicStream("x")));
	std::string cfg = "server:\n  host: 127.0.0.1\n  port: ${PORT}\nendpoints:\n" + endpoint("t", tagged.url(), "other")
		+ "tagging:\n  fallback_to_untagged: false\n  taggers:\n"
		  "    - {name: m, type: builtin, builtin_type: model, tag: opus, config: {expected_value: '*opus*'}}\n";
	ServiceProcess svc(cfg);
	ASSERT_TRUE(svc.start()) << svc.output();
	auto r = streamRequest(svc.port(), "POST", "/v1/messages",
		R"({"model":"claude-opus-4-8","max_tokens":10,"messages":[{"role":"user","content":"hi"}]})", {{"content-type", "application/json"}});
	EXPECT_EQ(r.status, 503);
	auto j = json::parse(r.body, nullptr, false);
	std::string msg = j["error"]["message"];
	EXPECT_NE(msg.find("[opus]"), std::string::npos) << msg;
	EXPECT_NE(msg.find("t [other]"), std::string::npos) << msg;
	EXPECT_EQ(tagged.requestCount(), 0u);
}

TEST(TagRouting, HandEditsOfTaggersApplyWithoutRestart)
{
	FakeUpstream a, b;
	a.always(Response::sse(anthropicStream("A")));
	b.always(Response::sse(anthropicStream("B")));
	const std::string base = "server:\n  host: 127.0.0.1\n  port: ${PORT}\nendpoints:\n" + endpoint("a", a.url(), "") + endpoint("b", b.url(), "opus");
	ServiceProcess svc(base);
	ASSERT_TRUE(svc.start()) << svc.output();
	const std::string req = R"({"model":"claude-opus-4-8","max_tokens":10,"stream":true,"messages":[{"role":"user","content":"hi"}]})";
	auto send = [&] { return streamRequest(svc.port(), "POST", "/v1/messages", req, {{"content-type", "application/json"}}).text(); };
	EXPECT_EQ(send(), "A");
	// Add a tagger by hand: the next request is routed by it, no restart.
	std::string edited = svc.dir().read("config.yaml")
		+ "tagging:\n  taggers:\n    - {name: opus, type: builtin, builtin_type: model, tag: opus, config: {expected_value: '*opus*'}}\n";
	svc.dir().write("config.yaml", edited);
	bool routed = false;
	for (int i = 0; i < 50 && !routed; ++i)
	{
		std::this_thread::sleep_for(std::chrono::milliseconds(100));
		routed = send() == "B";
	}
	EXPECT_TRUE(routed) << svc.output();
	// An invalid hand edit is refused with a logged error; the running config stays.
	svc.dir().write("config.yaml", edited + "  pipeline_timeout: forever\n");
	std::this_thread::sleep_for(std::chrono::milliseconds(2500));
	EXPECT_EQ(send(), "B");
	EXPECT_TRUE(svc.running());
	EXPECT_NE(svc.output().find("is invalid; the running configuration stays"), std::string::npos) << svc.output();
}
