#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "ccc/routing/taggers.h"

namespace config = ccc::config;
namespace routing = ccc::routing;
using ccc::routing::RequestView;
using Json = nlohmann::json;

namespace
{

config::Tagger makeTagger(const std::string & type, Json cfg)
{
	config::Tagger t;
	t.name = "t-" + type;
	t.builtin_type = type;
	t.tag = "tag";
	t.config = nlohmann::ordered_json::parse(cfg.dump());
	return t;
}

/// Builds the tagger and fails the test on a build error.
std::unique_ptr<const routing::BuiltinTagger> build(const std::string & type, Json cfg)
{
	auto b = routing::buildBuiltinTagger(makeTagger(type, std::move(cfg)));
	EXPECT_EQ(b.error, "");
	EXPECT_TRUE(b.tagger);
	return std::move(b.tagger);
}

std::string buildError(const std::string & type, Json cfg)
{
	auto b = routing::buildBuiltinTagger(makeTagger(type, std::move(cfg)));
	EXPECT_FALSE(b.tagger);
	return b.error;
}

struct Req
{
	std::string bodyText;
	RequestView view;
	explicit Req(const Json & body, std::vector<std::pair<std::string, std::string>> headers = {}, std::string path = "/v1/messages",
		std::string query = "beta=true", std::string method = "POST")
		: bodyText(body.is_null() ? std::string() : body.dump())
	{
		view.method = std::move(method);
		view.path = std::move(path);
		view.query = std::move(query);
		view.headers = std::move(headers);
		view.body = bodyText;
	}
	Req(std::string rawBody, int) : bodyText(std::move(rawBody))
	{
		view.method = "POST";
		view.path = "/v1/messages";
		view.body = bodyText;
	}
};

Json userText(const std::string & text)
{
	return {{"role", "user"}, {"content", text}};
}

/// A Claude Code-shaped main turn (much smaller than the real 76 KB, same structure).
Json claudeCodeBody(const std::string & model = "claude-opus-4-8")
{
	return {{"model", model},
		{"messages",
			Json::array({{{"role", "user"},
							 {"content", Json::array({{{"type", "text"}, {"text", "<system-reminder>ctx</system-reminder>"}},
											 {{"type", "text"}, {"text", "fix the bug #use-gpt please"}, {"cache_control", {{"type", "ephemeral"}}}}})}},
				{{"role", "system"}, {"content", "mid-conversation system text"}}})},
		{"system", Json::array({{{"type", "text"}, {"text", "You are Claude Code"}}})},
		{"tools", Json::array({{{"name", "Bash"}, {"input_schema", {{"type", "object"}}}}, {{"name", "Read"}, {"input_schema", {{"type", "object"}}}}})},
		{"metadata", {{"user_id", "{\"device_id\":\"x\",\"session_id\":\"s\"}"}}}, {"max_tokens", 64000}, {"thinking", {{"type", "adaptive"}}},
		{"stream", true}};
}

} // namespace

TEST(RoutingTaggers, PathTagger)
{
	auto t = build("path", {{"path_pattern", "/v1/messages*"}});
	EXPECT_TRUE(t->evaluate(Req(Json::object()).view));
	EXPECT_TRUE(t->evaluate(Req(Json::object(), {}, "/v1/messages/count_tokens").view));
	EXPECT_FALSE(t->evaluate(Req(Json::object(), {}, "/anthropic/v1/messages").view)); // anchored
	EXPECT_FALSE(t->evaluate(Req(Json::object(), {}, "/V1/messages").view));            // case-sensitive
	EXPECT_EQ(buildError("path", Json::object()), "config.path_pattern is required for builtin_type path");
	EXPECT_EQ(buildError("path", {{"path_pattern", "/v[1"}}), "config.path_pattern is not a valid pattern: unterminated [ character class");
}

TEST(RoutingTaggers, MethodTagger)
{
	auto t = build("method", {{"expected_value", "post"}});
	EXPECT_TRUE(t->evaluate(Req(Json::object()).view));
	EXPECT_FALSE(t->evaluate(Req(Json::object(), {}, "/v1/messages", "", "GET").view));
	auto alt = build("method", {{"method", "P*"}}); // the original's example key
	EXPECT_TRUE(alt->evaluate(Req(Json::object(), {}, "/", "", "PUT").view));
	auto list = build("method", {{"methods", {"PUT", "patch"}}});
	EXPECT_TRUE(list->evaluate(Req(Json::object(), {}, "/", "", "PATCH").view));
	EXPECT_FALSE(list->evaluate(Req(Json::object()).view));
	auto docs = build("method", {{"allowed_methods", "GET, POST"}});
	EXPECT_TRUE(docs->evaluate(Req(Json::object()).view));
	EXPECT_TRUE(docs->evaluate(Req(Json::object(), {}, "/", "", "get").view));
	EXPECT_FALSE(docs->evaluate(Req(Json::object(), {}, "/", "", "DELETE").view));
	EXPECT_EQ(buildError("method", Json::object()), "config.methods is required for builtin_type method (e.g. [POST, PUT])");
}

TEST(RoutingTaggers, HeaderTagger)
{
	auto t = build("header", {{"header_name", "Anthropic-Beta"}, {"expected_value", "*context-1m*"}});
	EXPECT_TRUE(t->evaluate(Req(Json::object(), {{"anthropic-beta", "claude-code-20250219,context-1m-2025-08-07"}}).view));
	EXPECT_FALSE(t->evaluate(Req(Json::object(), {{"anthropic-beta", "claude-code-20250219"}}).view));
	EXPECT_FALSE(t->evaluate(Req(Json::object()).view));
	auto any = build("header", {{"header_name", "x-app"}, {"expected_value", "*"}});
	EXPECT_FALSE(any->evaluate(Req(Json::object(), {{"x-app", ""}}).view)); // present but empty: no match
	EXPECT_TRUE(any->evaluate(Req(Json::object(), {{"x-app", "cli"}}).view));
	EXPECT_NE(buildError("header", {{"expected_value", "x"}}), "");
	EXPECT_NE(buildError("header", {{"header_name", "x"}}), "");
}

TEST(RoutingTaggers, QueryTagger)
{
	auto t = build("query", {{"param_name", "beta"}, {"expected_value", "true"}});
	EXPECT_TRUE(t->evaluate(Req(Json::object()).view));
	EXPECT_FALSE(t->evaluate(Req(Json::object(), {}, "/v1/messages", "beta=false").view));
	EXPECT_FALSE(t->evaluate(Req(Json::object(), {}, "/v1/messages", "").view));
	auto decoded = build("query", {{"param_name", "q"}, {"expected_value", "a b/c"}});
	EXPECT_TRUE(decoded->evaluate(Req(Json::object(), {}, "/", "x=1&q=a+b%2Fc").view));
	auto first = build("query", {{"param_name", "k"}, {"expected_value", "1"}});
	EXPECT_TRUE(first->evaluate(Req(Json::object(), {}, "/", "k=1&k=2").view)); // first value wins
	EXPECT_NE(buildError("query", {{"expected_value", "x"}}), "");
}

TEST(RoutingTaggers, BodyJsonPathsWithIndexes)
{
	Req r(claudeCodeBody());
	auto role0 = build("body-json", {{"json_path", "messages[0].role"}, {"expected_value", "user"}});
	EXPECT_TRUE(role0->evaluate(r.view));
	auto roleLast = build("body-json", {{"json_path", "messages[-1].role"}, {"expected_value", "system"}});
	EXPECT_TRUE(roleLast->evaluate(r.view));
	auto nested = build("body-json", {{"json_path", "messages[0].content[-1].cache_control.type"}, {"expected_value", "ephemeral"}});
	EXPECT_TRUE(nested->evaluate(r.view));
	auto outOfRange = build("body-json", {{"json_path", "messages[5].role"}, {"expected_value", "*"}});
	EXPECT_FALSE(outOfRange->evaluate(r.view));
	auto tooNegative = build("body-json", {{"json_path", "messages[-3].role"}, {"expected_value", "*"}});
	EXPECT_FALSE(tooNegative->evaluate(r.view));
	auto indexIntoObject = build("body-json", {{"json_path", "thinking[0]"}, {"expected_value", "*"}});
	EXPECT_FALSE(indexIntoObject->evaluate(r.view));
	auto keyIntoArray = build("body-json", {{"json_path", "messages.role"}, {"expected_value", "*"}});
	EXPECT_FALSE(keyIntoArray->evaluate(r.view));
}

TEST(RoutingTaggers, BodyJsonScalarsAndContainers)
{
	Req r(Json{{"stream", true}, {"max_tokens", 64000}, {"temperature", 0.5}, {"stop", nullptr}, {"obj", {{"a", 1}}}, {"arr", {1, 2}},
		{"a.b", "dotted"}});
	auto boolean = build("body-json", {{"json_path", "stream"}, {"expected_value", "true"}});
	EXPECT_TRUE(boolean->evaluate(r.view));
	auto number = build("body-json", {{"json_path", "max_tokens"}, {"expected_value", "64*"}});
	EXPECT_TRUE(number->evaluate(r.view));
	auto real = build("body-json", {{"json_path", "temperature"}, {"expected_value", "0.5"}});
	EXPECT_TRUE(real->evaluate(r.view));
	auto null = build("body-json", {{"json_path", "stop"}, {"expected_value", "null"}});
	EXPECT_TRUE(null->evaluate(r.view));
	auto object = build("body-json", {{"json_path", "obj"}, {"expected_value", "*"}});
	EXPECT_FALSE(object->evaluate(r.view)); // containers never match
	auto array = build("body-json", {{"json_path", "arr"}, {"expected_value", "*"}});
	EXPECT_FALSE(array->evaluate(r.view));
	auto quoted = build("body-json", {{"json_path", "\"a.b\""}, {"expected_value", "dotted"}});
	EXPECT_TRUE(quoted->evaluate(r.view));
	auto missing = build("body-json", {{"json_path", "nope.deeper"}, {"expected_value", "*"}});
	EXPECT_FALSE(missing->evaluate(r.view));
}

TEST(RoutingTaggers, BodyJsonBuildErrors)
{
	EXPECT_EQ(buildError("body-json", {{"expected_value", "x"}}), "config.json_path is required for builtin_type body-json");
	EXPECT_NE(buildError("body-json", {{"json_path", "a[x]"}, {"expected_value", "x"}}).find("array index must be an integer"), std::string::npos);
	EXPECT_NE(buildError("body-json", {{"json_path", "a..b"}, {"expected_value", "x"}}).find("empty key"), std::string::npos);
	EXPECT_NE(buildError("body-json", {{"json_path", "a[1"}, {"expected_value", "x"}}).find("unterminated"), std::string::npos);
	EXPECT_NE(buildError("body-json", {{"json_path", "[0].a"}, {"expected_value", "x"}}).find("must start with a key"), std::string::npos);
	EXPECT_NE(buildError("body-json", {{"json_path", "a"}}), "");
}

TEST(RoutingTaggers, BodyTaggersIgnoreNonJsonBodies)
{
	auto model = build("model", {{"expected_value", "*"}});
	EXPECT_FALSE(model->evaluate(Req("not json", 0).view));
	EXPECT_FALSE(model->evaluate(Req("{\"model\":\"x\"", 0).view)); // truncated
	EXPECT_FALSE(model->evaluate(Req("[{\"model\":\"x\"}]", 0).view)); // not an object
	EXPECT_FALSE(model->evaluate(Req("", 0).view));
	EXPECT_TRUE(model->evaluate(Req(" {\"model\":\"x\"} ", 0).view));
}

TEST(RoutingTaggers, ModelTagger)
{
	auto t = build("model", {{"expected_value", "*haiku*"}});
	EXPECT_TRUE(t->evaluate(Req(claudeCodeBody("claude-haiku-4-5-20251001")).view));
	EXPECT_FALSE(t->evaluate(Req(claudeCodeBody()).view));
	EXPECT_FALSE(t->evaluate(Req(Json{{"model", 42}}).view)); // not a string
	EXPECT_TRUE(build("model", {{"expected_value", "claude-opus-4-8"}})->evaluate(Req(claudeCodeBody()).view));
	EXPECT_NE(buildError("model", Json::object()), "");
}

TEST(RoutingTaggers, UserMessageLastUserText)
{
	auto t = build("user-message", {{"expected_value", "*#use-gpt*"}});
	// any text block of the last user message with text (the system-reminder block comes first)
	EXPECT_TRUE(t->evaluate(Req(claudeCodeBody()).view));
	// string content
	EXPECT_TRUE(t->evaluate(Req(Json{{"messages", {userText("hi #use-gpt")}}}).view));
	// only the most recent user message with text counts
	EXPECT_FALSE(t->evaluate(Req(Json{{"messages", {userText("#use-gpt"), {{"role", "assistant"}, {"content", "ok"}}, userText("thanks")}}}).view));
	// tool_result-only turns are skipped: the tool loop keeps the prompt's routing
	Json loop = claudeCodeBody();
	loop["messages"].push_back({{"role", "assistant"}, {"content", Json::array({{{"type", "tool_use"}, {"id", "t1"}, {"name", "Bash"}, {"input", Json::object()}}})}});
	loop["messages"].push_back({{"role", "user"}, {"content", Json::array({{{"type", "tool_result"}, {"tool_use_id", "t1"}, {"content", "#nothing"}}})}});
	EXPECT_TRUE(t->evaluate(Req(loop).view));
	// assistant text never counts
	EXPECT_FALSE(t->evaluate(Req(Json{{"messages", {userText("x"), {{"role", "assistant"}, {"content", "#use-gpt"}}}}}).view));
	EXPECT_FALSE(t->evaluate(Req(Json{{"messages", Json::array()}}).view));
	EXPECT_FALSE(t->evaluate(Req(Json{{"model", "x"}}).view));
	// JSON escapes are decoded before matching
	EXPECT_TRUE(build("user-message", {{"expected_value", "*\"quoted\"*"}})->evaluate(Req(Json{{"messages", {userText("say \"quoted\"\n")}}}).view));
	EXPECT_TRUE(build("user-message", {{"expected_value", "*用中文*"}})->evaluate(Req(Json{{"messages", {userText("请用中文回答")}}}).view));
}

TEST(RoutingTaggers, ThinkingTagger)
{
	auto any = build("thinking", Json::object());
	auto min = build("thinking", {{"min_budget_tokens", 10000}});
	auto minStr = build("thinking", {{"min_budget_tokens", "10000"}}); // the admin sends strings
	auto noAdaptive = build("thinking", {{"min_budget_tokens", "1"}, {"adaptive", false}});

	Req enabledBig(Json{{"thinking", {{"type", "enabled"}, {"budget_tokens", 31999}}}});
	Req enabledSmall(Json{{"thinking", {{"type", "enabled"}, {"budget_tokens", 1024}}}});
	Req adaptive(Json{{"thinking", {{"type", "adaptive"}}}});
	Req disabled(Json{{"thinking", {{"type", "disabled"}}}});
	Req none(Json{{"model", "x"}});
	Req legacy(Json{{"thinking", {{"enabled", true}, {"budget_tokens", 20000}}}});
	Req budgetString(Json{{"thinking", {{"type", "enabled"}, {"budget_tokens", "20000"}}}});

	EXPECT_TRUE(any->evaluate(enabledBig.view));
	EXPECT_TRUE(any->evaluate(enabledSmall.view));
	EXPECT_TRUE(any->evaluate(adaptive.view));
	EXPECT_FALSE(any->evaluate(disabled.view));
	EXPECT_FALSE(any->evaluate(none.view));
	EXPECT_TRUE(any->evaluate(legacy.view));

	EXPECT_TRUE(min->evaluate(enabledBig.view));
	EXPECT_FALSE(min->evaluate(enabledSmall.view));
	EXPECT_TRUE(min->evaluate(adaptive.view)); // adaptive: no budget, may think up to max_tokens
	EXPECT_TRUE(min->evaluate(legacy.view));
	EXPECT_TRUE(min->evaluate(budgetString.view));
	EXPECT_TRUE(minStr->evaluate(enabledBig.view));
	EXPECT_FALSE(minStr->evaluate(enabledSmall.view));
	EXPECT_FALSE(noAdaptive->evaluate(adaptive.view));
	EXPECT_TRUE(noAdaptive->evaluate(enabledSmall.view));

	EXPECT_NE(buildError("thinking", {{"min_budget_tokens", "lots"}}), "");
	EXPECT_NE(buildError("thinking", {{"min_budget_tokens", -5}}), "");
}

TEST(RoutingTaggers, ContextSizeTagger)
{
	Json big = claudeCodeBody();
	big["messages"][0]["content"][1]["text"] = std::string(200000, 'a'); // ~50k tokens
	auto t = build("context-size", {{"min_tokens", 40000}});
	EXPECT_TRUE(t->evaluate(Req(big).view));
	EXPECT_FALSE(t->evaluate(Req(claudeCodeBody()).view));
	EXPECT_TRUE(build("context-size", {{"min_tokens", "100"}})->evaluate(Req(claudeCodeBody()).view));
	EXPECT_NE(buildError("context-size", Json::object()), "");
	EXPECT_NE(buildError("context-size", {{"min_tokens", 0}}), "");
	EXPECT_NE(buildError("context-size", {{"min_tokens", "many"}}), "");
}

TEST(RoutingTaggers, TokenEstimateDiscountsBase64Images)
{
	Json body = {{"messages",
		{{{"role", "user"},
			{"content",
				{{{"type", "image"}, {"source", {{"type", "base64"}, {"media_type", "image/png"}, {"data", std::string(400000, 'A')}}}},
					{{"type", "text"}, {"text", "what is this"}}}}}}}};
	Req r(body);
	routing::RequestFacts f(r.view);
	size_t est = routing::estimateInputTokens(f);
	EXPECT_GE(est, 1600u);
	EXPECT_LT(est, 2000u); // not 100k: the image's bytes count a flat 1600
	auto t = build("context-size", {{"min_tokens", 50000}});
	EXPECT_FALSE(t->evaluate(r.view));

	// many small images: each counts 1600 tokens even though the body is small
	Json small = {{"type", "image"}, {"source", {{"type", "base64"}, {"media_type", "image/png"}, {"data", "iVBOR"}}}};
	Req many(Json{{"messages", {{{"role", "user"}, {"content", Json::array({small, small, small, small, small})}}}}});
	EXPECT_TRUE(build("context-size", {{"min_tokens", 8000}})->evaluate(many.view));

	Req plain(Json{{"messages", {userText(std::string(4000, 'x'))}}});
	routing::RequestFacts pf(plain.view);
	EXPECT_NEAR(static_cast<double>(routing::estimateInputTokens(pf)), 1000.0, 20.0);
}

TEST(RoutingTaggers, SubagentTagger)
{
	auto t = build("subagent", Json::object());
	EXPECT_TRUE(t->evaluate(Req(claudeCodeBody(), {{"x-claude-code-agent-id", "agent-1"}}).view));
	EXPECT_TRUE(t->evaluate(Req(claudeCodeBody("claude-haiku-4-5-20251001")).view));
	EXPECT_FALSE(t->evaluate(Req(claudeCodeBody(), {{"x-claude-code-session-id", "s"}}).view));
	EXPECT_FALSE(t->evaluate(Req(claudeCodeBody(), {{"x-claude-code-agent-id", ""}}).view));

	auto headerOnly = build("subagent", {{"model_patterns", Json::array()}});
	EXPECT_FALSE(headerOnly->evaluate(Req(claudeCodeBody("claude-haiku-4-5")).view));
	EXPECT_TRUE(headerOnly->evaluate(Req(claudeCodeBody(), {{"x-claude-code-agent-id", "a"}}).view));

	auto custom = build("subagent", {{"agent_header", ""}, {"model_patterns", "*haiku*, *mini*"}});
	EXPECT_FALSE(custom->evaluate(Req(claudeCodeBody(), {{"x-claude-code-agent-id", "a"}}).view));
	EXPECT_TRUE(custom->evaluate(Req(claudeCodeBody("gpt-5-mini")).view));
	EXPECT_TRUE(custom->evaluate(Req(claudeCodeBody("claude-haiku-4-5")).view));

	auto list = build("subagent", {{"agent_header", "X-Agent"}, {"model_patterns", {"small-*"}}});
	EXPECT_TRUE(list->evaluate(Req(claudeCodeBody(), {{"x-agent", "1"}}).view));
	EXPECT_TRUE(list->evaluate(Req(claudeCodeBody("small-1")).view));
	EXPECT_NE(buildError("subagent", {{"model_patterns", {"[bad"}}}), "");
}

TEST(RoutingTaggers, HasToolsTagger)
{
	auto t = build("has-tools", Json::object());
	EXPECT_TRUE(t->evaluate(Req(claudeCodeBody()).view));
	EXPECT_FALSE(t->evaluate(Req(Json{{"tools", Json::array()}}).view));
	EXPECT_FALSE(t->evaluate(Req("{\"tools\": [ \n ] }", 0).view));
	EXPECT_FALSE(t->evaluate(Req(Json{{"model", "x"}}).view));
	EXPECT_FALSE(t->evaluate(Req(Json{{"tools", "Bash"}}).view));
	auto named = build("has-tools", {{"tool_name", "web_*"}});
	EXPECT_FALSE(named->evaluate(Req(claudeCodeBody()).view));
	Json ws = claudeCodeBody();
	ws["tools"].push_back({{"type", "web_search_20250305"}, {"name", "web_search"}});
	EXPECT_TRUE(named->evaluate(Req(ws).view));
	EXPECT_NE(buildError("has-tools", {{"tool_name", "[x"}}), "");
}

TEST(RoutingTaggers, HasImagesTagger)
{
	auto t = build("has-images", Json::object());
	Json img = {{"type", "image"}, {"source", {{"type", "base64"}, {"media_type", "image/png"}, {"data", "iVBOR"}}}};
	EXPECT_FALSE(t->evaluate(Req(claudeCodeBody()).view));
	EXPECT_TRUE(t->evaluate(Req(Json{{"messages", {{{"role", "user"}, {"content", {img}}}}}}).view));
	// an image returned by a tool (Claude Code's Read on a PNG) sits inside tool_result content
	Json viaTool = {{"messages",
		{{{"role", "user"}, {"content", {{{"type", "tool_result"}, {"tool_use_id", "t"}, {"content", {img, {{"type", "text"}, {"text", "x"}}}}}}}}}}};
	EXPECT_TRUE(t->evaluate(Req(viaTool).view));
	// the word "image" in text is not an image
	EXPECT_FALSE(t->evaluate(Req(Json{{"messages", {userText("type \"image\" here")}}}).view));
	auto two = build("has-images", {{"min_images", "2"}});
	EXPECT_FALSE(two->evaluate(Req(Json{{"messages", {{{"role", "user"}, {"content", {img}}}}}}).view));
	EXPECT_TRUE(two->evaluate(Req(Json{{"messages", {{{"role", "user"}, {"content", {img, img}}}}}}).view));
}

TEST(RoutingTaggers, UnknownTypeIsAnError)
{
	EXPECT_EQ(buildError("telepathy", Json::object()), "unknown builtin_type \"telepathy\"");
}

TEST(RoutingTaggers, ConfigNumbersMayBeStringsOrNumbers)
{
	EXPECT_TRUE(build("path", {{"path_pattern", 123}})->evaluate(Req(Json::object(), {}, "123").view));
	EXPECT_TRUE(build("query", {{"param_name", "n"}, {"expected_value", 5}})->evaluate(Req(Json::object(), {}, "/", "n=5").view));
}

TEST(RoutingTaggers, JsonPathParser)
{
	std::vector<routing::JsonPathStep> s;
	std::string err;
	ASSERT_TRUE(routing::parseJsonPath("a.b[2][-1].\"x.y\".c", s, err)) << err;
	ASSERT_EQ(s.size(), 6u);
	EXPECT_EQ(s[0].key, "a");
	EXPECT_EQ(s[1].key, "b");
	EXPECT_TRUE(s[2].isIndex);
	EXPECT_EQ(s[2].index, 2);
	EXPECT_EQ(s[3].index, -1);
	EXPECT_EQ(s[4].key, "x.y");
	EXPECT_EQ(s[5].key, "c");
	EXPECT_FALSE(routing::parseJsonPath("", s, err));
	EXPECT_FALSE(routing::parseJsonPath("a.", s, err));
	EXPECT_FALSE(routing::parseJsonPath("a[0]b", s, err));
	EXPECT_FALSE(routing::parseJsonPath("\"open", s, err));
}

TEST(RoutingTaggers, RequestFactsFindAndQuery)
{
	Req r(claudeCodeBody(), {}, "/v1/messages", "beta=true&empty=&flag&x=%41");
	routing::RequestFacts f(r.view);
	ASSERT_TRUE(f.isJsonObject());
	auto span = f.find("messages[0].content[1].text");
	ASSERT_TRUE(span);
	EXPECT_EQ(*Json::parse(span->of(f.body())).get_ptr<const std::string *>(), "fix the bug #use-gpt please");
	EXPECT_FALSE(f.find("messages[2]"));
	ASSERT_TRUE(f.queryParam("x"));
	EXPECT_EQ(*f.queryParam("x"), "A");
	ASSERT_TRUE(f.queryParam("flag"));
	EXPECT_EQ(*f.queryParam("flag"), "");
	EXPECT_FALSE(f.queryParam("nope"));
}
