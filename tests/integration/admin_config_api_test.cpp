// The configuration routes of the admin API against the real binary: every route's success,
// validation error (with its key path), not found and stale-version conflict; live apply; secrets
// never leaving through the API; atomic saves surviving SIGKILL.
#include <gtest/gtest.h>

#include <atomic>
#include <csignal>
#include <random>
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

constexpr const char * kMessages = R"({"model":"claude-sonnet-4","max_tokens":10,"stream":true,"messages":[{"role":"user","content":"hi"}]})";

/// A thin client for /admin/api: every call's response is kept (the secrets test greps them all).
class Admin
{
public:
	explicit Admin(const ServiceProcess & svc) : _port(svc.port()) { }

	HttpResult call(const std::string & method, const std::string & path, const json & body = nullptr, std::map<std::string, std::string> headers = {})
	{
		if (method != "GET")
			headers["origin"] = "http://127.0.0.1:" + std::to_string(_port); // the admin page's own origin
		if (!body.is_null())
			headers["content-type"] = "application/json";
		HttpResult r = httpRequest(_port, method, "/admin/api" + path, body.is_null() ? "" : body.dump(), headers);
		std::string all = r.body;
		for (const auto & [k, v] : r.headers)
			all += "\n" + k + ": " + v;
		seen.push_back(all);
		return r;
	}

	json get(const std::string & path)
	{
		HttpResult r = call("GET", path);
		EXPECT_EQ(r.status, 200) << path << " " << r.body;
		return json::parse(r.body, nullptr, false);
	}

	std::string version() { return get("/config")["version"].get<std::string>(); }

	/// A mutation based on the current version; the body's "version" is filled in.
	HttpResult change(const std::string & method, const std::string & path, json body = json::object())
	{
		body["version"] = version();
		return call(method, path, body);
	}

	std::vector<std::string> seen;

private:
	int _port;
};

json parse(const HttpResult & r)
{
	return json::parse(r.body, nullptr, false);
}

std::string twoEndpoints(const FakeUpstream & a, const FakeUpstream & b)
{
	return "# test config\nserver:\n  host: 127.0.0.1\n  port: ${PORT}\n\nlogging:\n  log_directory: ${DIR}/logs\n  level: warn\n"
		   "failover:\n  retry_delay: 10ms\n\n# two endpoints\nendpoints:\n"
		   "  - name: a\n    url: "
		+ a.url() + "\n    auth_type: api_key\n    auth_value: sk-test-a\n    priority: 1\n"
					"  - name: b\n    url: "
		+ b.url() + "\n    auth_type: api_key\n    auth_value: sk-test-b\n    priority: 2\n"
					"\n# taggers\ntagging:\n  pipeline_timeout: 5s\n  taggers: []\n";
}

/// Expects a refusal with this status (and key path when given); a 409/428 names the current version.
void expectError(const HttpResult & r, int status, const std::string & path = "")
{
	EXPECT_EQ(r.status, status) << r.body;
	json j = parse(r);
	ASSERT_TRUE(j.is_object()) << r.body;
	EXPECT_TRUE(j["error"].is_string()) << r.body;
	if (!path.empty())
	{
		EXPECT_EQ(j.value("path", ""), path) << r.body;
	}
	if (status == 409 || status == 428)
	{
		EXPECT_EQ(j.value("version", "").size(), 16u) << r.body;
	}
}

} // namespace

TEST(AdminConfigApi, EndpointRoutes)
{
	FakeUpstream a, b;
	ServiceProcess svc(twoEndpoints(a, b));
	ASSERT_TRUE(svc.start()) << svc.output();
	Admin api(svc);

	HttpResult cfg = api.call("GET", "/config");
	ASSERT_EQ(cfg.status, 200);
	const std::string v0 = parse(cfg)["version"];
	EXPECT_EQ(cfg.headers["etag"], "\"" + v0 + "\"");
	json list = api.get("/endpoints");
	ASSERT_EQ(list["endpoints"].size(), 2u);
	EXPECT_EQ(list["version"], v0);
	EXPECT_EQ(api.get("/endpoints/a")["endpoint"]["name"], "a");
	EXPECT_EQ(api.get("/endpoints/" + list["endpoints"][1]["id"].get<std::string>())["endpoint"]["name"], "b");
	expectError(api.call("GET", "/endpoints/nope"), 404);

	// create
	const std::string before = svc.dir().read("config.yaml");
	json c = {{"name", "c"}, {"url", a.url()}, {"auth_type", "auth_token"}, {"auth_value", "sk-test-c"},
		{"model_rewrite", {{"enabled", true}, {"rules", {{{"source_pattern", "claude-*"}, {"target_model", "glm-4.5"}}}}}}};
	expectError(api.call("POST", "/endpoints", {{"endpoint", c}}), 428);
	expectError(api.call("POST", "/endpoints", {{"version", "0000000000000000"}, {"endpoint", c}}), 409);
	json bad = c;
	bad["auth_type"] = "bogus";
	expectError(api.change("POST", "/endpoints", {{"endpoint", bad}}), 400, "endpoint.auth_type");
	bad = c;
	bad["name"] = "a";
	expectError(api.change("POST", "/endpoints", {{"endpoint", bad}}), 400, "endpoint.name");
	bad = c;
	bad["priority"] = "first";
	expectError(api.change("POST", "/endpoints", {{"endpoint", bad}}), 400, "endpoint.priority");
	expectError(api.call("POST", "/endpoints", "{not json"), 400);
	EXPECT_EQ(svc.dir().read("config.yaml"), before); // refused changes never touch the file
	HttpResult created = api.change("POST", "/endpoints", {{"endpoint", c}});
	ASSERT_EQ(created.status, 200) << created.body;
	json cr = parse(created);
	EXPECT_NE(cr["version"], v0);
	EXPECT_EQ(created.headers["etag"], "\"" + cr["version"].get<std::string>() + "\"");
	EXPECT_EQ(cr["restart_required"], false);
	EXPECT_EQ(cr["data"]["name"], "c");
	EXPECT_EQ(api.version(), cr["version"]);
	EXPECT_EQ(svc.dir().read("config.yaml.backup"), before);
	std::string now = svc.dir().read("config.yaml");
	EXPECT_EQ(now.rfind("# test config\nserver:\n", 0), 0u) << now; // comments of other sections stay
	EXPECT_NE(now.find("\n# taggers\ntagging:\n"), std::string::npos) << now;

	// update
	json upd = api.get("/endpoints/c")["endpoint"];
	upd["url"] = b.url();
	expectError(api.call("PUT", "/endpoints/c", {{"version", v0}, {"endpoint", upd}}), 409);
	expectError(api.change("PUT", "/endpoints/nope", {{"endpoint", upd}}), 404);
	json badUpd = upd;
	badUpd["url"] = "";
	expectError(api.change("PUT", "/endpoints/c", {{"endpoint", badUpd}}), 400, "endpoint.url");
	HttpResult updated = api.change("PUT", "/endpoints/c", {{"endpoint", upd}});
	ASSERT_EQ(updated.status, 200) << updated.body;
	EXPECT_EQ(parse(updated)["data"]["url"], b.url());
	EXPECT_NE(svc.dir().read("config.yaml").find("sk-test-c"), std::string::npos); // the masked value kept the secret

	// test-rewrite
	HttpResult rw = api.call("POST", "/endpoints/c/test-rewrite", {{"model", "claude-sonnet-4"}});
	ASSERT_EQ(rw.status, 200) << rw.body;
	EXPECT_EQ(parse(rw)["result"], "glm-4.5");
	EXPECT_EQ(parse(rw)["rule_index"], 0);
	EXPECT_EQ(parse(api.call("POST", "/endpoints/a/test-rewrite", {{"model", "claude-sonnet-4"}}))["rewritten"], false);
	expectError(api.call("POST", "/endpoints/c/test-rewrite", json::object()), 400, "model");
	expectError(api.call("POST", "/endpoints/nope/test-rewrite", {{"model", "x"}}), 404);

	// copy
	expectError(api.call("POST", "/endpoints/c/copy", {{"version", v0}}), 409);
	expectError(api.change("POST", "/endpoints/nope/copy"), 404);
	HttpResult copied = api.change("POST", "/endpoints/c/copy");
	ASSERT_EQ(copied.status, 200) << copied.body;
	EXPECT_EQ(parse(copied)["data"]["name"], "c (2)");

	// toggle
	expectError(api.call("POST", "/endpoints/c/toggle", {{"version", v0}}), 409);
	expectError(api.change("POST", "/endpoints/nope/toggle"), 404);
	expectError(api.change("POST", "/endpoints/c/toggle", {{"enabled", "no"}}), 400, "enabled");
	HttpResult toggled = api.change("POST", "/endpoints/c/toggle");
	ASSERT_EQ(toggled.status, 200) << toggled.body;
	EXPECT_EQ(parse(toggled)["data"]["enabled"], false);
	EXPECT_EQ(parse(api.change("POST", "/endpoints/c/toggle", {{"enabled", false}}))["data"]["enabled"], false);

	// reorder
	expectError(api.change("POST", "/endpoints/reorder", {{"order", {"a", "b"}}}), 400, "order");
	expectError(api.change("POST", "/endpoints/reorder", {{"order", {"a", "b", "c", "zz"}}}), 400, "order");
	expectError(api.call("POST", "/endpoints/reorder", {{"version", v0}, {"order", {"c (2)", "c", "b", "a"}}}), 409);
	HttpResult reordered = api.change("POST", "/endpoints/reorder", {{"order", {"c (2)", "c", "b", "a"}}});
	ASSERT_EQ(reordered.status, 200) << reordered.body;
	json names = json::array();
	const json listed = api.get("/endpoints");
	for (const auto & e : listed["endpoints"])
		names.push_back(json::array({e["name"], e["priority"]}));
	EXPECT_EQ(names, json::parse(R"j([["c (2)",1],["c",2],["b",3],["a",4]])j"));

	// delete (version in If-Match)
	expectError(api.call("DELETE", "/endpoints/c%20(2)", nullptr, {{"if-match", "\"" + v0 + "\""}}), 409);
	expectError(api.call("DELETE", "/endpoints/nope", nullptr, {{"if-match", "\"" + api.version() + "\""}}), 404);
	HttpResult deleted = api.call("DELETE", "/endpoints/c%20(2)", nullptr, {{"if-match", "\"" + api.version() + "\""}});
	ASSERT_EQ(deleted.status, 200) << deleted.body;
	EXPECT_EQ(api.get("/endpoints")["endpoints"].size(), 3u);

	// reset-status
	EXPECT_EQ(api.call("POST", "/endpoints/a/reset-status").status, 200);
	expectError(api.call("POST", "/endpoints/nope/reset-status"), 404);
	// The file still loads as the service would read it.
	std::string out;
	EXPECT_EQ(runBinary({"--check-config", "--config=" + svc.configPath()}, out), 0) << out << svc.dir().read("config.yaml");
}

TEST(AdminConfigApi, ProfilesWizardAndNames)
{
	FakeUpstream a, b;
	ServiceProcess svc(twoEndpoints(a, b));
	ASSERT_TRUE(svc.start()) << svc.output();
	Admin api(svc);
	json profiles = api.get("/endpoint-profiles")["profiles"];
	ASSERT_EQ(profiles.size(), 14u);
	EXPECT_EQ(profiles[0]["profile_id"], "mirrorcode");
	EXPECT_EQ(api.get("/endpoints/suggest-name?base=My%20Provider")["name"], "my-provider");
	EXPECT_EQ(api.get("/endpoints/suggest-name?base=a")["name"], "a-1");
	EXPECT_EQ(api.get("/endpoints/suggest-name?profile_id=groq")["name"], "groq");

	json w = {{"profile_id", "openrouter"}, {"auth_value", "sk-or-test"}, {"default_model", "openai/gpt-5-mini"}};
	expectError(api.call("POST", "/endpoints/wizard", {{"version", "0000000000000000"}, {"profile_id", "openrouter"}}), 409);
	json noModel = w;
	noModel.erase("default_model");
	expectError(api.change("POST", "/endpoints/wizard", noModel), 400, "default_model");
	json unknown = w;
	unknown["profile_id"] = "nope";
	expectError(api.change("POST", "/endpoints/wizard", unknown), 400, "profile_id");
	HttpResult made = api.change("POST", "/endpoints/wizard", w);
	ASSERT_EQ(made.status, 200) << made.body;
	json e = parse(made)["data"];
	EXPECT_EQ(e["name"], "openrouter");
	EXPECT_EQ(e["endpoint_type"], "openai");
	EXPECT_EQ(e["model_rewrite"]["rules"][0]["target_model"], "openai/gpt-5-mini");
	EXPECT_EQ(parse(api.change("POST", "/endpoints/wizard", w))["data"]["name"], "openrouter-1");
}

TEST(AdminConfigApi, TaggerRoutesAndTags)
{
	FakeUpstream a, b;
	ServiceProcess svc(twoEndpoints(a, b));
	ASSERT_TRUE(svc.start()) << svc.output();
	Admin api(svc);
	json t = {{"name", "img"}, {"type", "builtin"}, {"builtin_type", "has-images"}, {"tag", "vision"}};
	EXPECT_EQ(api.get("/taggers")["taggers"].size(), 0u);
	EXPECT_FALSE(api.get("/taggers")["builtin_types"].empty());
	expectError(api.call("POST", "/taggers", {{"version", "0000000000000000"}, {"tagger", t}}), 409);
	json bad = t;
	bad["builtin_type"] = "bogus";
	expectError(api.change("POST", "/taggers", {{"tagger", bad}}), 400, "tagger.builtin_type");
	HttpResult made = api.change("POST", "/taggers", {{"tagger", t}});
	ASSERT_EQ(made.status, 200) << made.body;
	EXPECT_EQ(api.get("/taggers/img")["tagger"]["tag"], "vision");
	expectError(api.call("GET", "/taggers/nope"), 404);
	expectError(api.change("POST", "/taggers", {{"tagger", t}}), 400, "tagger.name"); // names are unique

	t["tag"] = "images";
	expectError(api.change("PUT", "/taggers/nope", {{"tagger", t}}), 404);
	expectError(api.call("PUT", "/taggers/img", {{"version", "0000000000000000"}, {"tagger", t}}), 409);
	HttpResult upd = api.change("PUT", "/taggers/img", {{"tagger", t}});
	ASSERT_EQ(upd.status, 200) << upd.body;
	EXPECT_EQ(parse(upd)["data"]["tag"], "images");

	// An endpoint that serves the tag shows up in the tag list.
	json ep = api.get("/endpoints/b")["endpoint"];
	ep["tags"] = {"images"};
	ASSERT_EQ(api.change("PUT", "/endpoints/b", {{"endpoint", ep}}).status, 200);
	json tags = api.get("/tags")["tags"];
	ASSERT_EQ(tags.size(), 1u);
	EXPECT_EQ(tags[0], json::parse(R"({"tag":"images","taggers":["img"],"endpoints":["b"]})"));

	expectError(api.change("DELETE", "/taggers/nope"), 404);
	expectError(api.call("DELETE", "/taggers/img", {{"version", "0000000000000000"}}), 409);
	ASSERT_EQ(api.change("DELETE", "/taggers/img").status, 200);
	EXPECT_EQ(api.get("/taggers")["taggers"].size(), 0u);
}

TEST(AdminConfigApi, SettingsRoutes)
{
	FakeUpstream a, b;
	ServiceProcess svc(twoEndpoints(a, b));
	ASSERT_TRUE(svc.start()) << svc.output();
	Admin api(svc);
	json s = api.get("/settings");
	EXPECT_EQ(s["settings"]["logging"]["level"], "warn");
	EXPECT_FALSE(s["settings"].contains("endpoints"));
	EXPECT_EQ(s["restart_required"], false);

	HttpResult ok = api.change("PUT", "/settings", {{"settings", {{"logging", {{"level", "debug"}}}, {"circuit_breaker", {{"failure_threshold", 5}}}}}});
	ASSERT_EQ(ok.status, 200) << ok.body;
	EXPECT_EQ(parse(ok)["restart_required"], false);
	EXPECT_EQ(parse(ok)["data"]["circuit_breaker"]["failure_threshold"], 5);
	std::string file = svc.dir().read("config.yaml");
	EXPECT_NE(file.find("  level: debug\n"), std::string::npos) << file; // changed in place
	EXPECT_NE(file.find("circuit_breaker:\n  failure_threshold: 5\n"), std::string::npos) << file;

	expectError(api.change("PUT", "/settings", {{"settings", {{"timeouts", {{"connect", "soon"}}}}}}), 400, "timeouts.connect");
	expectError(api.change("PUT", "/settings", {{"settings", {{"logging", {{"retention_days", 99999}}}}}}), 400, "logging.retention_days");
	expectError(api.change("PUT", "/settings", {{"settings", {{"endpoints", json::array()}}}}), 400, "endpoints");
	expectError(api.change("PUT", "/settings", json::object()), 400, "settings");
	expectError(api.call("PUT", "/settings", {{"version", "0000000000000000"}, {"settings", json::object()}}), 409);

	// host/port: saved, reported as needing a restart, and the service keeps listening where it is.
	const int other = svc.port() + 1;
	HttpResult port = api.change("PUT", "/settings", {{"settings", {{"server", {{"port", other}}}}}});
	ASSERT_EQ(port.status, 200) << port.body;
	EXPECT_EQ(parse(port)["restart_required"], true);
	json after = api.get("/settings");
	EXPECT_EQ(after["settings"]["server"]["port"], other);
	EXPECT_EQ(after["running"]["port"], svc.port());
	EXPECT_EQ(after["restart_required"], true);
	EXPECT_EQ(api.get("/config")["restart_required"], true);
}

TEST(AdminConfigApi, ReorderAppliesToTheNextRequestAndEditsKeepStatistics)
{
	FakeUpstream a, b;
	a.always(Response::sse(anthropicStream("from a")));
	b.always(Response::sse(anthropicStream("from b")));
	ServiceProcess svc(twoEndpoints(a, b));
	ASSERT_TRUE(svc.start()) << svc.output();
	Admin api(svc);
	auto send = [&] {
		auto r = streamRequest(svc.port(), "POST", "/v1/messages", kMessages, {{"content-type", "application/json"}});
		EXPECT_EQ(r.status, 200) << r.body;
		return r.text();
	};
	EXPECT_EQ(send(), "from a");
	ASSERT_EQ(api.change("POST", "/endpoints/reorder", {{"order", {"b", "a"}}}).status, 200);
	EXPECT_EQ(send(), "from b");
	EXPECT_EQ(b.requestCount(), 1u);

	// Renaming or retagging keeps the counters and breaker; a new URL starts afresh.
	json eb = api.get("/endpoints/b")["endpoint"];
	EXPECT_EQ(eb["requests"], 1);
	const std::string id = eb["id"];
	eb["name"] = "bee";
	eb["tags"] = json::array();
	ASSERT_EQ(api.change("PUT", "/endpoints/b", {{"endpoint", eb}}).status, 200);
	json renamed = api.get("/endpoints/bee")["endpoint"];
	EXPECT_EQ(renamed["id"], id);
	EXPECT_EQ(renamed["requests"], 1);
	EXPECT_EQ(send(), "from b");
	EXPECT_EQ(api.get("/endpoints/bee")["endpoint"]["requests"], 2);
	renamed["url"] = a.url();
	ASSERT_EQ(api.change("PUT", "/endpoints/bee", {{"endpoint", renamed}}).status, 200);
	EXPECT_EQ(api.get("/endpoints/bee")["endpoint"].value("requests", 0), 0);
	EXPECT_EQ(send(), "from a");

	// Disabling the first endpoint moves traffic to the next one at once.
	ASSERT_EQ(api.change("POST", "/endpoints/bee/toggle", {{"enabled", false}}).status, 200);
	ASSERT_EQ(api.change("PUT", "/endpoints/a", {{"endpoint", [&] {
		json ea = api.get("/endpoints/a")["endpoint"];
		ea["url"] = b.url();
		return ea;
	}()}}).status, 200);
	EXPECT_EQ(send(), "from b");
}

TEST(AdminConfigApi, HandEditsChangeTheVersion)
{
	FakeUpstream a, b;
	ServiceProcess svc(twoEndpoints(a, b));
	ASSERT_TRUE(svc.start()) << svc.output();
	Admin api(svc);
	const std::string v0 = api.version();
	std::string text = svc.dir().read("config.yaml");
	svc.dir().write("config.yaml", text + "load_balancing:\n  enabled: false\n");
	// A change based on the version before the hand edit is refused, not silently overwriting it.
	expectError(api.call("POST", "/endpoints/a/toggle", {{"version", v0}}), 409);
	// Reads see the hand edit at once, not after the watcher's next poll (up to a second later):
	// a client that reloads after that 409 gets a version its next change is based on correctly.
	ASSERT_NE(api.version(), v0);
	EXPECT_EQ(api.get("/settings")["settings"]["load_balancing"]["enabled"], false);
	ASSERT_EQ(api.change("POST", "/endpoints/a/toggle").status, 200);
	EXPECT_NE(svc.dir().read("config.yaml").find("load_balancing:\n  enabled: false\n"), std::string::npos);

	// An invalid hand edit on disk is never overwritten by the API.
	const std::string broken = svc.dir().read("config.yaml") + "timeouts:\n  connect: forever\n";
	svc.dir().write("config.yaml", broken);
	std::this_thread::sleep_for(std::chrono::milliseconds(1500));
	HttpResult r = api.change("POST", "/endpoints/a/toggle");
	expectError(r, 409);
	EXPECT_NE(parse(r)["error"].get<std::string>().find("timeouts.connect"), std::string::npos) << r.body;
	EXPECT_EQ(svc.dir().read("config.yaml"), broken);
}

TEST(AdminConfigApi, NoResponseCarriesASecret)
{
	FakeUpstream a;
	const std::vector<std::string> secrets = {"sk-ant-api03-PLANTED-AUTH-111111111111", "PLANTED-PROXY-PASSWORD-2222222",
		"sk-ant-oat01-PLANTED-ACCESS-33333333333", "sk-ant-ort01-PLANTED-REFRESH-4444444444", "PLANTED-HEADER-KEY-55555555555",
		"PLANTED-CLIENT-TOKEN-666666666666", "PLANTED-OPENAI-TOKEN-777777777777"};
	std::string cfg = "server:\n  host: 127.0.0.1\n  port: ${PORT}\n  client_tokens: [" + secrets[5] + "]\n"
		"logging:\n  log_directory: ${DIR}/logs\n  postgres_dsn: \"host=db password=PLANTED-DSN-88888888\"\n"
		"endpoints:\n"
		"  - name: a\n    url: " + a.url() + "\n    auth_type: api_key\n    auth_value: " + secrets[0] + "\n"
		"    proxy: {type: http, address: \"127.0.0.1:9\", username: u, password: " + secrets[1] + "}\n"
		"    header_overrides: {X-Api-Key: " + secrets[4] + ", X-Trace: visible}\n"
		"  - name: o\n    url: https://anthropic.example\n    auth_type: oauth\n    oauth_config:\n"
		"      access_token: " + secrets[2] + "\n      refresh_token: " + secrets[3] + "\n"
		"      token_url: https://console.example/v1/oauth/token\n      expires_at: 0\n"
		"  - name: gpt\n    url: https://openai.example\n    endpoint_type: openai\n    path_prefix: /v1/chat/completions\n"
		"    auth_type: auth_token\n    auth_value: " + secrets[6] + "\n"
		"tagging:\n  taggers:\n    - {name: t, type: builtin, builtin_type: path, tag: x, config: {path_pattern: /v1/*}}\n";
	ServiceProcess svc(cfg);
	ASSERT_TRUE(svc.start()) << svc.output();
	Admin api(svc);
	// Every read route, then every mutation sending back what it read (masked values included).
	for (const char * path : {"/config", "/endpoints", "/endpoints/a", "/endpoints/o", "/endpoints/gpt", "/endpoint-profiles",
			 "/endpoints/suggest-name?base=a", "/taggers", "/taggers/t", "/tags", "/settings"})
		api.get(path);
	for (const char * name : {"a", "o", "gpt"})
	{
		json e = api.get(std::string("/endpoints/") + name)["endpoint"];
		e["priority"] = 5;
		ASSERT_EQ(api.change("PUT", std::string("/endpoints/") + name, {{"endpoint", e}}).status, 200) << name;
		api.call("POST", std::string("/endpoints/") + name + "/test-rewrite", {{"model", "m"}});
	}
	ASSERT_EQ(api.change("POST", "/endpoints/a/copy").status, 200);
	ASSERT_EQ(api.change("POST", "/endpoints/a/toggle").status, 200);
	ASSERT_EQ(api.change("POST", "/endpoints/reorder", {{"order", {"gpt", "o", "a", "a (2)"}}}).status, 200);
	ASSERT_EQ(api.change("PUT", "/settings", {{"settings", api.get("/settings")["settings"]}}).status, 200);
	json t = api.get("/taggers/t")["tagger"];
	ASSERT_EQ(api.change("PUT", "/taggers/t", {{"tagger", t}}).status, 200);
	ASSERT_EQ(api.change("POST", "/endpoints/wizard", {{"profile_id", "groq"}, {"auth_value", "gsk-new"}, {"default_model", "x"}}).status, 200);
	ASSERT_EQ(api.change("DELETE", "/endpoints/a%20(2)").status, 200);
	api.call("POST", "/endpoints/a/reset-status");
	expectError(api.change("PUT", "/endpoints/a", {{"endpoint", {{"name", "a"}}}}), 400); // error bodies too

	std::vector<std::string> planted = secrets;
	planted.push_back("PLANTED-DSN-88888888");
	for (const auto & response : api.seen)
		for (const auto & s : planted)
			EXPECT_EQ(response.find(s), std::string::npos) << s << " in " << response;
	// The secrets themselves survived the round trips through masked values.
	const std::string file = svc.dir().read("config.yaml");
	for (const auto & s : planted)
		EXPECT_NE(file.find(s), std::string::npos) << s << "\n" << file;
}

TEST(AdminConfigApi, SavesAreAtomicUnderSigkill)
{
	FakeUpstream a, b;
	std::mt19937 rng(12345);
	const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(18);
	int iterations = 0, killedWithSaves = 0;
	for (; iterations < 20 && std::chrono::steady_clock::now() < deadline; ++iterations)
	{
		ServiceProcess svc(twoEndpoints(a, b) + "load_balancing:\n  enabled: true\n");
		ASSERT_TRUE(svc.start()) << svc.output();
		// Saves alternate one flag, so the file may only ever hold one of two texts.
		const std::string on = svc.dir().read("config.yaml");
		std::string off = on;
		off.replace(off.find("load_balancing:\n  enabled: true"), 31, "load_balancing:\n  enabled: false");
		std::atomic<bool> stop{false};
		std::atomic<int> saves{0};
		const int port = svc.port();
		std::thread saver([&] {
			bool enabled = true;
			std::string version;
			while (!stop)
			{
				if (version.empty())
				{
					HttpResult g = httpRequest(port, "GET", "/admin/api/config", "", {}, 2000);
					json j = json::parse(g.body, nullptr, false);
					if (!j.is_object())
						break;
					version = j["version"];
				}
				enabled = !enabled;
				json body = {{"version", version}, {"settings", {{"load_balancing", {{"enabled", enabled}}}}}};
				HttpResult r = httpRequest(port, "PUT", "/admin/api/settings", body.dump(),
					{{"content-type", "application/json"}, {"origin", "http://127.0.0.1:" + std::to_string(port)}}, 2000);
				json j = json::parse(r.body, nullptr, false);
				if (r.status != 200 || !j.is_object())
					break;
				version = j["version"];
				++saves;
			}
		});
		// Kill at a random moment once saves are flowing (mid-write, mid-rename or between saves).
		for (int i = 0; i < 300 && saves == 0; ++i)
			std::this_thread::sleep_for(std::chrono::milliseconds(10));
		std::this_thread::sleep_for(std::chrono::microseconds(rng() % 100000));
		::kill(svc.pid(), SIGKILL);
		stop = true;
		saver.join();
		svc.stop();
		if (saves > 0)
			++killedWithSaves;
		const std::string text = svc.dir().read("config.yaml");
		EXPECT_TRUE(text == on || text == off) << "iteration " << iterations << ":\n" << text;
		const std::string backup = svc.dir().read("config.yaml.backup");
		EXPECT_TRUE(backup.empty() || backup == on || backup == off) << backup;
	}
	EXPECT_GE(iterations, 5); // bounded by time on a loaded machine; 20 when it is quiet
	EXPECT_EQ(killedWithSaves, iterations);
}
