// POST /admin/api/taggers/try and GET /admin/api/taggers/sample-request against the real binary:
// built-in and Lua taggers on the sample request, load errors and runaway scripts reported (never
// a hang), invalid taggers refused with their key path, the CSRF check, and no config change.
#include <gtest/gtest.h>

#include <chrono>

#include <nlohmann/json.hpp>

#include "ServiceProcess.h"

using namespace ccc::test;
using nlohmann::json;

namespace
{

const char * kConfig = "server:\n  host: 127.0.0.1\n  port: ${PORT}\n"
					   "logging:\n  log_directory: ${DIR}/logs\n  level: warn\n"
					   "endpoints:\n  - name: a\n    url: http://127.0.0.1:9\n    auth_type: api_key\n    auth_value: sk-test\n"
					   "tagging:\n  pipeline_timeout: 5s\n  taggers:\n"
					   "    - {name: msgs, type: builtin, builtin_type: path, tag: messages, config: {path_pattern: \"*/v1/messages\"}}\n"
					   "    - {name: off, type: builtin, builtin_type: path, tag: never, enabled: false, config: {path_pattern: \"*\"}}\n";

class TryApi
{
public:
	explicit TryApi(const ServiceProcess & svc) : _port(svc.port()) { }

	HttpResult post(const json & body, std::map<std::string, std::string> headers = {{"origin", ""}})
	{
		if (headers.count("origin") && headers["origin"].empty())
			headers["origin"] = "http://127.0.0.1:" + std::to_string(_port); // the admin page's own origin
		headers["content-type"] = "application/json";
		return httpRequest(_port, "POST", "/admin/api/taggers/try", body.dump(), headers);
	}

	/// A successful try; its answer.
	json tryIt(const json & body)
	{
		HttpResult r = post(body);
		EXPECT_EQ(r.status, 200) << r.body;
		return json::parse(r.body, nullptr, false);
	}

	json sample()
	{
		HttpResult r = httpRequest(_port, "GET", "/admin/api/taggers/sample-request");
		EXPECT_EQ(r.status, 200) << r.body;
		return json::parse(r.body, nullptr, false)["request"];
	}

private:
	int _port;
};

json builtin(const std::string & name, const std::string & type, const std::string & tag, const json & config)
{
	return {{"name", name}, {"type", "builtin"}, {"builtin_type", type}, {"tag", tag}, {"config", config}};
}

json lua(const std::string & name, const std::string & tag, const std::string & script)
{
	return {{"name", name}, {"type", "lua"}, {"tag", tag}, {"config", {{"script", script}}}};
}

} // namespace

TEST(TaggerTry, SampleRequestIsAClaudeCodeMessagesCall)
{
	ServiceProcess svc(kConfig);
	ASSERT_TRUE(svc.start()) << svc.output();
	TryApi api(svc);
	json s = api.sample();
	EXPECT_EQ(s["method"], "POST");
	EXPECT_EQ(s["path"], "/v1/messages?beta=true");
	EXPECT_EQ(s["headers"]["x-app"], "cli");
	json body = json::parse(s["body"].get<std::string>(), nullptr, false);
	ASSERT_TRUE(body.is_object());
	EXPECT_EQ(body["model"], "claude-opus-4-8");
	EXPECT_FALSE(body["messages"].empty());
	EXPECT_FALSE(body["tools"].empty());

	// Without a request the sample is used; without a tagger only the pipeline runs (the
	// disabled tagger adds nothing).
	json r = api.tryIt(json::object());
	EXPECT_EQ(r["tags"], json::array({"messages"}));
	EXPECT_FALSE(r.contains("tagger"));
}

TEST(TaggerTry, BuiltinTypesMatchOrNot)
{
	ServiceProcess svc(kConfig);
	ASSERT_TRUE(svc.start()) << svc.output();
	TryApi api(svc);

	json r = api.tryIt({{"tagger", builtin("opus", "model", "strong", {{"expected_value", "claude-opus-*"}})}});
	EXPECT_EQ(r["tagger"]["matched"], true) << r;
	EXPECT_EQ(r["tagger"]["tags"], json::array({"strong"}));
	EXPECT_EQ(r["tagger"]["error"], "");
	EXPECT_GE(r["tagger"]["duration_us"].get<int64_t>(), 0);
	EXPECT_EQ(r["tags"], json::array({"messages", "strong"})); // the pipeline plus the tried tagger

	r = api.tryIt({{"tagger", builtin("haiku", "model", "cheap", {{"expected_value", "*haiku*"}})}});
	EXPECT_EQ(r["tagger"]["matched"], false) << r;
	EXPECT_EQ(r["tagger"]["tags"], json::array());
	EXPECT_EQ(r["tags"], json::array({"messages"}));

	// An edited saved tagger replaces its saved version (here: it no longer matches).
	r = api.tryIt({{"tagger", builtin("msgs", "path", "messages", {{"path_pattern", "/v1/other"}})}});
	EXPECT_EQ(r["tagger"]["matched"], false) << r;
	EXPECT_EQ(r["tags"], json::array()) << r;
	// ... also under a new name, with "replace".
	r = api.tryIt({{"replace", "msgs"}, {"tagger", builtin("renamed", "path", "messages", {{"path_pattern", "/v1/other"}})}});
	EXPECT_EQ(r["tags"], json::array()) << r;

	// A disabled tagger is tried as if enabled, but adds nothing to the pipeline's tags.
	json off = builtin("tools", "has-tools", "tools", json::object());
	off["enabled"] = false;
	r = api.tryIt({{"tagger", off}});
	EXPECT_EQ(r["tagger"]["matched"], true) << r;
	EXPECT_EQ(r["tags"], json::array({"messages"}));

	// A request of the caller's own: headers are case-insensitive, the query is split off the path.
	json req = {{"method", "POST"}, {"path", "/v1/messages/count_tokens?beta=true"}, {"headers", {{"X-Team", "red"}}}, {"body", "{}"}};
	r = api.tryIt({{"tagger", builtin("team", "header", "red", {{"header_name", "x-team"}, {"expected_value", "red"}})}, {"request", req}});
	EXPECT_EQ(r["tagger"]["matched"], true) << r;
	EXPECT_EQ(r["tags"], json::array({"red"})) << r; // the path tagger does not match count_tokens
	r = api.tryIt({{"tagger", builtin("q", "query", "beta", {{"param_name", "beta"}, {"expected_value", "true"}})}, {"request", req}});
	EXPECT_EQ(r["tagger"]["matched"], true) << r;
}

TEST(TaggerTry, LuaScriptsErrorsAndRunawayLoops)
{
	ServiceProcess svc(kConfig);
	ASSERT_TRUE(svc.start()) << svc.output();
	TryApi api(svc);

	json r = api.tryIt({{"tagger", lua("cli", "from-cli",
									   "function should_tag(request)\n"
									   "  return request.headers['x-app'] == 'cli' and contains(request.body.model, 'opus')\n"
									   "end\n")}});
	EXPECT_EQ(r["tagger"]["matched"], true) << r;
	EXPECT_EQ(r["tagger"]["error"], "");
	EXPECT_EQ(r["tags"], json::array({"from-cli", "messages"}));

	r = api.tryIt({{"tagger", lua("no", "nope", "function should_tag(request) return request.method == 'GET' end")}});
	EXPECT_EQ(r["tagger"]["matched"], false) << r;
	EXPECT_EQ(r["tagger"]["error"], "");

	// A syntax error: reported with its line, no match, the pipeline still runs.
	r = api.tryIt({{"tagger", lua("broken", "x", "function should_tag(request)\n  return (\nend\n")}});
	EXPECT_EQ(r["tagger"]["matched"], false) << r;
	const std::string syntax = r["tagger"]["error"];
	EXPECT_NE(syntax.find("failed to load"), std::string::npos) << syntax;
	EXPECT_NE(syntax.find(":3:"), std::string::npos) << syntax;
	EXPECT_EQ(r["tags"], json::array({"messages"}));

	// A runtime error.
	r = api.tryIt({{"tagger", lua("err", "x", "function should_tag(request) error('boom') end")}});
	EXPECT_EQ(r["tagger"]["matched"], false) << r;
	EXPECT_NE(r["tagger"]["error"].get<std::string>().find("boom"), std::string::npos) << r;

	// An endless loop is stopped by the sandbox's limits: the answer comes, well before the
	// pipeline timeout, and says why.
	const auto start = std::chrono::steady_clock::now();
	r = api.tryIt({{"tagger", lua("loop", "x", "function should_tag(request) while true do end end")}});
	const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count();
	EXPECT_EQ(r["tagger"]["matched"], false) << r;
	EXPECT_NE(r["tagger"]["error"].get<std::string>().find("instruction budget exceeded"), std::string::npos) << r;
	EXPECT_LT(ms, 5000);
	// ... and a loop that pcall tries to survive, too.
	r = api.tryIt({{"tagger", lua("loop2", "x", "function should_tag(request) while true do pcall(function() while true do end end) end end")}});
	EXPECT_EQ(r["tagger"]["matched"], false) << r;
	EXPECT_FALSE(r["tagger"]["error"].get<std::string>().empty()) << r;
	// The service still answers.
	EXPECT_EQ(api.tryIt(json::object())["tags"], json::array({"messages"}));
}

TEST(TaggerTry, InvalidInputIsRefusedWithItsPath)
{
	ServiceProcess svc(kConfig);
	ASSERT_TRUE(svc.start()) << svc.output();
	TryApi api(svc);
	auto expect400 = [&](const json & body, const std::string & path) {
		HttpResult r = api.post(body);
		EXPECT_EQ(r.status, 400) << r.body;
		json j = json::parse(r.body, nullptr, false);
		EXPECT_TRUE(j["error"].is_string()) << r.body;
		EXPECT_EQ(j.value("path", ""), path) << r.body;
	};
	expect400({{"tagger", builtin("p", "path", "x", json::object())}}, "tagger.config.path_pattern");
	expect400({{"tagger", builtin("p", "path", "x", {{"path_pattern", "[abc"}})}}, "tagger.config.path_pattern");
	expect400({{"tagger", builtin("p", "bogus", "x", json::object())}}, "tagger.builtin_type");
	expect400({{"tagger", builtin("p", "model", "has space", {{"expected_value", "x"}})}}, "tagger.tag");
	expect400({{"tagger", {{"name", "l"}, {"type", "lua"}, {"tag", "x"}}}}, "tagger.config");
	expect400({{"tagger", {{"name", "l"}, {"type", "builtin"}, {"builtin_type", "path"}, {"tag", "x"}, {"priority", "first"}}}},
		"tagger.priority");
	expect400({{"request", {{"headers", {{"x-a", 1}}}}}}, "request.headers.x-a");
	expect400({{"request", "GET /"}}, "request");
	HttpResult r = httpRequest(svc.port(), "POST", "/admin/api/taggers/try", "{not json",
		{{"origin", "http://127.0.0.1:" + std::to_string(svc.port())}});
	EXPECT_EQ(r.status, 400) << r.body;
}

TEST(TaggerTry, NeedsTheCsrfCheckAndChangesNothing)
{
	ServiceProcess svc(kConfig);
	ASSERT_TRUE(svc.start()) << svc.output();
	TryApi api(svc);
	const std::string before = svc.dir().read("config.yaml");
	json body = {{"tagger", builtin("opus", "model", "strong", {{"expected_value", "claude-opus-*"}})}};
	HttpResult r = api.post(body, {});
	EXPECT_EQ(r.status, 403) << r.body;
	EXPECT_EQ(json::parse(r.body, nullptr, false).value("code", ""), "CSRF_INVALID") << r.body;
	r = api.post(body, {{"origin", "http://evil.example"}});
	EXPECT_EQ(r.status, 403) << r.body;
	// The session's CSRF token works like the same Origin.
	HttpResult session = httpRequest(svc.port(), "GET", "/admin/api/session");
	const std::string token = json::parse(session.body, nullptr, false).value("csrf_token", "");
	ASSERT_FALSE(token.empty()) << session.body;
	r = api.post(body, {{"x-csrf-token", token}});
	EXPECT_EQ(r.status, 200) << r.body;
	EXPECT_EQ(api.tryIt(body)["tagger"]["matched"], true);
	EXPECT_EQ(svc.dir().read("config.yaml"), before);
	HttpResult list = httpRequest(svc.port(), "GET", "/admin/api/taggers");
	EXPECT_EQ(json::parse(list.body, nullptr, false)["taggers"].size(), 2u);
}
