#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <thread>

#include <Poco/AutoPtr.h>
#include <Poco/Channel.h>
#include <Poco/Logger.h>
#include <Poco/Message.h>
#include <nlohmann/json.hpp>

#include "ccc/config/yaml_config.h"
#include "tagging/TaggingEngine.h"

using ccc::config::Config;
using ccc::routing::RequestView;
using ccc::tagging::TaggingEngine;
using Json = nlohmann::json;
using Clock = std::chrono::steady_clock;

namespace
{

ccc::config::Tagger builtin(const std::string & name, const std::string & type, const std::string & tag, Json cfg, int priority = 0)
{
	ccc::config::Tagger t;
	t.name = name;
	t.type = "builtin";
	t.builtin_type = type;
	t.tag = tag;
	t.priority = priority;
	t.config = nlohmann::ordered_json::parse(cfg.dump());
	return t;
}

ccc::config::Tagger lua(const std::string & name, const std::string & tag, const std::string & script, int priority = 0)
{
	ccc::config::Tagger t;
	t.name = name;
	t.type = "lua";
	t.tag = tag;
	t.priority = priority;
	t.config["script"] = script;
	return t;
}

/// A body shaped like Claude Code's (`claude -p`): ~76 KB, mostly tool schemas.
std::string claudeCodeBody(const std::string & model, const std::string & prompt, size_t targetBytes = 76 * 1024,
	const std::string & thinking = R"({"type":"adaptive"})")
{
	Json tools = Json::array();
	std::string desc(2600, 'd');
	for (int i = 0; i < 24; ++i)
		tools.push_back({{"name", "Tool" + std::to_string(i)}, {"description", desc},
			{"input_schema",
				{{"$schema", "https://json-schema.org/draft/2020-12/schema"}, {"type", "object"},
					{"properties", {{"command", {{"type", "string"}, {"description", "The command"}}}}}, {"required", {"command"}},
					{"additionalProperties", false}}}});
	Json body = {{"model", model},
		{"messages",
			{{{"role", "user"},
				 {"content",
					 {{{"type", "text"}, {"text", "<system-reminder>As you answer, use the context.</system-reminder>"}},
						 {{"type", "text"}, {"text", prompt}, {"cache_control", {{"type", "ephemeral"}}}}}}},
				{{"role", "system"}, {"content", "mid-conversation system text"}}}},
		{"system", {{{"type", "text"}, {"text", std::string(6000, 's')}}}}, {"tools", tools},
		{"metadata", {{"user_id", R"({"device_id":"abc","account_uuid":"","session_id":"5f0c"})"}}}, {"max_tokens", 64000},
		{"thinking", Json::parse(thinking)}, {"context_management", {{"edits", {{{"type", "clear_thinking_20251015"}, {"keep", "all"}}}}}},
		{"output_config", {{"effort", "high"}}}, {"stream", true}};
	std::string s = body.dump();
	if (s.size() < targetBytes)
	{
		body["system"][0]["text"] = std::string(6000 + targetBytes - s.size(), 's');
		s = body.dump();
	}
	return s;
}

RequestView claudeRequest(const std::string & body, bool subagent = false)
{
	RequestView r;
	r.method = "POST";
	r.path = "/v1/messages";
	r.query = "beta=true";
	r.headers = {{"accept", "application/json"}, {"authorization", "Bearer test"}, {"content-type", "application/json"},
		{"user-agent", "claude-cli/2.1.197 (external, sdk-cli)"}, {"x-claude-code-session-id", "5f0c"},
		{"anthropic-beta", "claude-code-20250219,context-1m-2025-08-07,interleaved-thinking-2025-05-14"},
		{"anthropic-version", "2023-06-01"}, {"x-app", "cli"}};
	if (subagent)
		r.headers.push_back({"x-claude-code-agent-id", "agent-explore-1"});
	r.body = body;
	return r;
}

/// The configuration of the issue's scenarios: cheap pool, long context, #use-gpt, strong thinking.
Config scenarioConfig()
{
	Config c;
	c.tagging.taggers = {
		builtin("subagents", "subagent", "cheap", Json::object()),
		builtin("long", "context-size", "long-context", {{"min_tokens", 150000}}),
		builtin("gpt", "user-message", "gpt", {{"expected_value", "*#use-gpt*"}}),
		builtin("think", "thinking", "thinking", {{"min_budget_tokens", 16000}, {"adaptive", false}}),
	};
	return c;
}

class CountingChannel : public Poco::Channel
{
public:
	std::atomic<int> count{0};
	std::string last;
	void log(const Poco::Message & m) override
	{
		++count;
		last = m.getText();
	}
};

} // namespace

TEST(TaggingEngine, ClaudeCodeScenarios)
{
	std::vector<std::string> warnings;
	auto engine = TaggingEngine::build(scenarioConfig(), warnings);
	ASSERT_TRUE(warnings.empty()) << warnings.front();
	ASSERT_EQ(engine->size(), 4u);

	std::string main = claudeCodeBody("claude-opus-4-8", "fix the failing test");
	EXPECT_EQ(engine->tag(claudeRequest(main)), std::vector<std::string>{});

	std::string explore = claudeCodeBody("claude-haiku-4-5-20251001", "find the config loader", 76 * 1024, R"({"type":"disabled"})");
	EXPECT_EQ(engine->tag(claudeRequest(explore, true)), std::vector<std::string>{"cheap"});

	std::string haikuThinking =
		claudeCodeBody("claude-haiku-4-5-20251001", "title please", 20 * 1024, R"({"type":"enabled","budget_tokens":31999})");
	EXPECT_EQ(engine->tag(claudeRequest(haikuThinking)), (std::vector<std::string>{"cheap", "thinking"}));

	std::string longContext = claudeCodeBody("claude-opus-4-8", "summarise #use-gpt", 700 * 1024);
	EXPECT_EQ(engine->tag(claudeRequest(longContext)), (std::vector<std::string>{"gpt", "long-context"}));
}

TEST(TaggingEngine, TagsAreSortedAndUnique)
{
	Config c;
	c.tagging.taggers = {builtin("b", "method", "zeta", {{"expected_value", "POST"}}), builtin("a", "path", "alpha", {{"path_pattern", "/v1/*"}}),
		builtin("c", "has-tools", "zeta", Json::object()), lua("d", "alpha", "function should_tag(r) return true end")};
	std::vector<std::string> warnings;
	auto engine = TaggingEngine::build(c, warnings);
	std::string body = claudeCodeBody("claude-opus-4-8", "x", 1000);
	EXPECT_EQ(engine->tag(claudeRequest(body)), (std::vector<std::string>{"alpha", "zeta"}));
}

TEST(TaggingEngine, DisabledStarlarkAndBrokenTaggersAreLeftOut)
{
	Config c;
	auto off = builtin("off", "method", "x", {{"expected_value", "POST"}});
	off.enabled = false;
	ccc::config::Tagger star;
	star.name = "legacy";
	star.type = "starlark";
	star.tag = "s";
	star.config["script"] = "def should_tag():\n  return True";
	c.tagging.taggers = {off, star, builtin("bad", "path", "x", Json::object()), lua("syntax", "x", "function should_tag( return"),
		lua("nofn", "x", "y = 1"), builtin("good", "method", "ok", {{"expected_value", "POST"}})};
	ccc::config::Tagger missingFile;
	missingFile.name = "file";
	missingFile.type = "lua";
	missingFile.tag = "x";
	missingFile.config["script_file"] = "does-not-exist.lua";
	c.tagging.taggers.push_back(missingFile);

	std::vector<std::string> warnings;
	auto engine = TaggingEngine::build(c, warnings, "/nonexistent-dir");
	ASSERT_EQ(engine->size(), 1u);
	ASSERT_EQ(warnings.size(), 5u);
	EXPECT_NE(warnings[0].find("'legacy': starlark taggers are not supported"), std::string::npos) << warnings[0];
	EXPECT_NE(warnings[0].find("type: lua"), std::string::npos);
	EXPECT_NE(warnings[1].find("'bad': config.path_pattern is required"), std::string::npos) << warnings[1];
	EXPECT_NE(warnings[2].find("'syntax': Lua script failed to load"), std::string::npos) << warnings[2];
	EXPECT_NE(warnings[3].find("must define a function should_tag"), std::string::npos) << warnings[3];
	EXPECT_NE(warnings[4].find("/nonexistent-dir/does-not-exist.lua"), std::string::npos) << warnings[4];
	EXPECT_EQ(engine->stats()[0].name, "good");
}

TEST(TaggingEngine, ScriptFileIsRelativeToTheConfigDirectory)
{
	Config c;
	ccc::config::Tagger t;
	t.name = "file";
	t.type = "lua";
	t.tag = "cheap";
	t.config["script_file"] = "tagging/subagent_or_haiku.lua";
	c.tagging.taggers = {t};
	std::vector<std::string> warnings;
	auto engine = TaggingEngine::build(c, warnings, CCC_TEST_DATA_DIR);
	ASSERT_TRUE(warnings.empty()) << warnings.front();
	std::string opus = claudeCodeBody("claude-opus-4-8", "x", 1000);
	std::string haiku = claudeCodeBody("claude-haiku-4-5", "x", 1000);
	EXPECT_EQ(engine->tag(claudeRequest(opus)), std::vector<std::string>{});
	EXPECT_EQ(engine->tag(claudeRequest(opus, true)), std::vector<std::string>{"cheap"});
	EXPECT_EQ(engine->tag(claudeRequest(haiku)), std::vector<std::string>{"cheap"});
}

TEST(TaggingEngine, PriorityOrderAndPipelineTimeout)
{
	Config c;
	c.tagging.pipeline_timeout_ms = 40;
	// config order is b, slow, a; priorities make it a(0), slow(1), b(2)
	c.tagging.taggers = {builtin("b", "method", "after", {{"expected_value", "POST"}}, 2),
		lua("slow", "never", "function should_tag(r) while true do end end", 1), builtin("a", "method", "before", {{"expected_value", "POST"}}, 0)};
	TaggingEngine::Options o;
	o.lua.instructions = 1'000'000'000'000ULL; // only the deadline can stop it
	std::vector<std::string> warnings;
	auto engine = TaggingEngine::build(c, warnings, "", o);
	ASSERT_EQ(engine->size(), 3u);
	auto start = Clock::now();
	std::string body = claudeCodeBody("m", "x", 1000);
	EXPECT_EQ(engine->tag(claudeRequest(body)), std::vector<std::string>{"before"});
	auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count();
	EXPECT_GE(ms, 35);
	EXPECT_LT(ms, 1000);
	auto stats = engine->stats();
	ASSERT_EQ(stats.size(), 3u);
	EXPECT_EQ(stats[0].name, "a");
	EXPECT_EQ(stats[1].name, "slow");
	EXPECT_EQ(stats[2].name, "b");
	EXPECT_EQ(stats[0].matches, 1u);
	EXPECT_EQ(stats[1].timeouts, 1u);
	EXPECT_EQ(stats[1].errors, 0u);
	EXPECT_EQ(stats[2].timeouts, 1u); // skipped: no time left
	EXPECT_EQ(stats[2].evaluations, 0u);
	EXPECT_NE(stats[2].lastError.find("pipeline_timeout"), std::string::npos);
}

TEST(TaggingEngine, ErrorsAreCountedAndLoggedOnce)
{
	Poco::AutoPtr<CountingChannel> channel(new CountingChannel);
	Poco::Logger & logger = Poco::Logger::get("tagging");
	Poco::AutoPtr<Poco::Channel> previous(logger.getChannel(), true);
	logger.setChannel(channel);
	int previousLevel = logger.getLevel();
	logger.setLevel(Poco::Message::PRIO_INFORMATION);

	Config c;
	c.tagging.taggers = {lua("boom", "x", "function should_tag(r) error('kaput') end"), builtin("ok", "method", "ok", {{"expected_value", "POST"}})};
	std::vector<std::string> warnings;
	auto engine = TaggingEngine::build(c, warnings);
	std::string body = claudeCodeBody("m", "x", 1000);
	for (int i = 0; i < 5; ++i)
		EXPECT_EQ(engine->tag(claudeRequest(body)), std::vector<std::string>{"ok"});
	auto stats = engine->stats();
	EXPECT_EQ(stats[0].errors, 5u);
	EXPECT_EQ(stats[0].matches, 0u);
	EXPECT_EQ(stats[0].evaluations, 5u);
	EXPECT_NE(stats[0].lastError.find("kaput"), std::string::npos);
	EXPECT_EQ(stats[1].matches, 5u);
	EXPECT_EQ(channel->count.load(), 1);
	EXPECT_NE(channel->last.find("kaput"), std::string::npos);

	logger.setChannel(previous);
	logger.setLevel(previousLevel);
}

TEST(TaggingEngine, PolicyComesFromTheConfig)
{
	Config c;
	c.tagging.fallback_to_untagged = false;
	c.tagging.untagged_use_tagged = true;
	std::vector<std::string> warnings;
	auto engine = TaggingEngine::build(c, warnings);
	EXPECT_FALSE(engine->policy().fallbackToUntagged);
	EXPECT_TRUE(engine->policy().untaggedUseTagged);
	EXPECT_EQ(engine->size(), 0u);
	EXPECT_TRUE(engine->tag(claudeRequest("{}")).empty());
}

TEST(TaggingEngine, ConcurrentTagging)
{
	Config c = scenarioConfig();
	c.tagging.taggers.push_back(lua("lua-haiku", "cheap", "function should_tag(r) return contains(r.body.model, 'haiku') end"));
	std::vector<std::string> warnings;
	auto engine = TaggingEngine::build(c, warnings);
	std::string haiku = claudeCodeBody("claude-haiku-4-5", "x", 4000);
	std::string opus = claudeCodeBody("claude-opus-4-8", "#use-gpt", 4000);
	std::atomic<int> wrong{0};
	std::vector<std::thread> threads;
	for (int i = 0; i < 4; ++i)
		threads.emplace_back([&, i] {
			for (int k = 0; k < 200; ++k)
			{
				bool h = (i + k) % 2 == 0;
				auto tags = engine->tag(claudeRequest(h ? haiku : opus));
				if (tags != (h ? std::vector<std::string>{"cheap"} : std::vector<std::string>{"gpt"}))
					++wrong;
			}
		});
	for (auto & t : threads)
		t.join();
	EXPECT_EQ(wrong.load(), 0);
	EXPECT_EQ(engine->stats()[4].evaluations, 800u);
}

/// The issue's budget: 10 built-in and 2 Lua taggers on a 76 KB request add p50 <= 0.2 ms.
/// Asserted loosely (shared CI cores); the measured value is printed.
TEST(TaggingEngine, CostOnA76KbRequest)
{
	Config c;
	c.tagging.taggers = {
		builtin("path", "path", "t1", {{"path_pattern", "/v1/messages*"}}),
		builtin("method", "method", "t2", {{"expected_value", "POST"}}),
		builtin("header", "header", "t3", {{"header_name", "anthropic-beta"}, {"expected_value", "*context-1m*"}}),
		builtin("query", "query", "t4", {{"param_name", "beta"}, {"expected_value", "true"}}),
		builtin("body", "body-json", "t5", {{"json_path", "messages[-1].role"}, {"expected_value", "system"}}),
		builtin("model", "model", "t6", {{"expected_value", "*opus*"}}),
		builtin("user", "user-message", "t7", {{"expected_value", "*#use-gpt*"}}),
		builtin("thinking", "thinking", "t8", Json::object()),
		builtin("ctx", "context-size", "t9", {{"min_tokens", 10000}}),
		builtin("sub", "subagent", "t10", Json::object()),
		lua("lua-headers", "t11", "function should_tag(r) return startswith(r.headers['user-agent'] or '', 'claude-cli/') end"),
		lua("lua-body", "t12", "function should_tag(r) local m = r.body.messages return r.query.beta == 'true' and contains(r.body.model, 'opus') "
							   "and m[#m].role == 'system' end"),
	};
	std::vector<std::string> warnings;
	auto engine = TaggingEngine::build(c, warnings);
	ASSERT_EQ(engine->size(), 12u);
	std::string body = claudeCodeBody("claude-opus-4-8", "please #use-gpt");
	ASSERT_GE(body.size(), 76u * 1024);
	RequestView r = claudeRequest(body);
	EXPECT_EQ(engine->tag(r).size(), 11u); // all but the subagent tagger
	std::vector<double> us;
	for (int i = 0; i < 300; ++i)
	{
		auto start = Clock::now();
		auto tags = engine->tag(r);
		us.push_back(std::chrono::duration<double, std::micro>(Clock::now() - start).count());
	}
	std::sort(us.begin(), us.end());
	double p50 = us[us.size() / 2];
	std::printf("[ tagging ] 12 taggers on %zu bytes: p50 %.1f us, p90 %.1f us\n", body.size(), p50, us[us.size() * 9 / 10]);
	EXPECT_LT(p50, 2000.0);
}

TEST(TaggingEngine, YamlConfigRoutesClaudeCodeTraffic)
{
	std::ifstream in(std::string(CCC_TEST_DATA_DIR) + "/tagging/config.yaml");
	std::stringstream ss;
	ss << in.rdbuf();
	auto loaded = ccc::config::loadConfigYaml(ss.str());
	ASSERT_TRUE(loaded.parsed);
	ASSERT_FALSE(ccc::config::hasErrors(loaded.diagnostics)) << ccc::config::formatDiagnostics(loaded.diagnostics, "config.yaml");
	const Config & c = loaded.config;

	std::vector<std::string> warnings;
	auto engine = TaggingEngine::build(c, warnings, std::string(CCC_TEST_DATA_DIR) + "/tagging");
	ASSERT_EQ(warnings.size(), 1u);
	EXPECT_NE(warnings[0].find("'legacy-starlark'"), std::string::npos);
	ASSERT_EQ(engine->size(), 3u);

	auto route = [&](const RequestView & r) {
		auto tags = engine->tag(r);
		std::vector<std::string> names;
		for (const auto & cand : ccc::routing::orderCandidates(c.endpoints, tags, engine->policy()))
			names.push_back(c.endpoints[cand.index].name);
		return names;
	};
	using Names = std::vector<std::string>;
	// main turn: untagged, general endpoint only
	std::string main = claudeCodeBody("claude-opus-4-8", "fix the failing test");
	EXPECT_EQ(route(claudeRequest(main)), Names{"main"});
	// Explore subagent on haiku: the cheap pool first, then the general endpoint
	std::string explore = claudeCodeBody("claude-haiku-4-5-20251001", "find the loader", 76 * 1024, R"({"type":"disabled"})");
	EXPECT_EQ(route(claudeRequest(explore, true)), (Names{"cheap-pool", "main"}));
	// a long-context request
	std::string longContext = claudeCodeBody("claude-opus-4-8", "summarise", 800 * 1024);
	EXPECT_EQ(route(claudeRequest(longContext)), (Names{"one-million", "main"}));
	// a plain-text prompt asking for GPT
	std::string gpt = Json{{"model", "claude-opus-4-8"}, {"max_tokens", 1024}, {"messages", {{{"role", "user"}, {"content", "hi #use-gpt"}}}}}.dump();
	EXPECT_EQ(route(claudeRequest(gpt)), (Names{"gpt", "main"}));
}
