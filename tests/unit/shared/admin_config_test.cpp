// The configuration half of the admin API's shared rules: secrets, versions, names, profiles,
// model-rewrite tests, reordering, settings and the request/response JSON round trips.
#include <gtest/gtest.h>

#include <set>

#include "ccc/api/admin_config.h"
#include "ccc/config/json_mapping.h"
#include "ccc/config/validate.h"

using namespace ccc;
using json = nlohmann::json;

namespace
{

config::Endpoint endpoint(const std::string & name, const std::string & secret)
{
	config::Endpoint e;
	e.name = name;
	e.url = "https://" + name + ".example";
	e.auth_type = "api_key";
	e.auth_value = secret;
	return e;
}

} // namespace

TEST(AdminConfigApi, VersionIsStableAndChangesWithAnyByte)
{
	const std::string v = api::configVersion("server:\n  port: 8080\n");
	EXPECT_EQ(v.size(), 16u);
	EXPECT_EQ(v, api::configVersion("server:\n  port: 8080\n"));
	EXPECT_NE(v, api::configVersion("server:\n  port: 8081\n"));
	EXPECT_NE(v, api::configVersion("server:\n  port: 8080\n\n"));
}

TEST(AdminConfigApi, RequestVersionPrefersIfMatch)
{
	EXPECT_EQ(api::requestVersion("\"abc\"", json{{"version", "def"}}), "abc");
	EXPECT_EQ(api::requestVersion("W/\"abc\"", json::object()), "abc");
	EXPECT_EQ(api::requestVersion("", json{{"version", "def"}}), "def");
	EXPECT_EQ(api::requestVersion("", json{{"version", 3}}), "");
	EXPECT_EQ(api::requestVersion("", json::array()), "");
}

TEST(AdminConfigApi, MaskedSecretsKeepTheStoredValue)
{
	config::Endpoint stored = endpoint("a", "sk-ant-api03-STORED-SECRET-0123456789");
	stored.proxy = config::ProxyConfig{"http", "127.0.0.1:3128", "user", "proxy-password-stored-123"};
	stored.oauth_config = config::OAuthConfig{};
	stored.oauth_config->access_token = "sk-ant-oat01-ACCESS-STORED-0123456789";
	stored.oauth_config->refresh_token = "sk-ant-ort01-REFRESH-STORED-0123456789";
	stored.header_overrides = {{"X-Api-Key", "header-secret-stored-0123456789"}, {"X-Trace", "plain"}};

	// What a client sends back after a GET: every secret masked.
	config::Endpoint incoming;
	ASSERT_FALSE(config::hasErrors(api::endpointFromJson(api::endpointToJson(stored), incoming)));
	EXPECT_NE(incoming.auth_value, stored.auth_value);
	api::mergeSecrets(stored, incoming);
	EXPECT_EQ(incoming.auth_value, stored.auth_value);
	EXPECT_EQ(incoming.proxy->password, stored.proxy->password);
	EXPECT_EQ(incoming.oauth_config->access_token, stored.oauth_config->access_token);
	EXPECT_EQ(incoming.oauth_config->refresh_token, stored.oauth_config->refresh_token);
	EXPECT_EQ(incoming.header_overrides[0].second, "header-secret-stored-0123456789");
	EXPECT_EQ(incoming.header_overrides[1].second, "plain");

	// A new plain value replaces the secret; a short secret's "********" keeps it too.
	config::Endpoint changed = stored;
	changed.auth_value = "sk-ant-api03-NEW-SECRET";
	api::mergeSecrets(stored, changed);
	EXPECT_EQ(changed.auth_value, "sk-ant-api03-NEW-SECRET");
	config::Endpoint shortStored = endpoint("b", "short");
	config::Endpoint shortIncoming = shortStored;
	shortIncoming.auth_value = config::maskSecret("short");
	EXPECT_EQ(shortIncoming.auth_value, "********");
	api::mergeSecrets(shortStored, shortIncoming);
	EXPECT_EQ(shortIncoming.auth_value, "short");
}

TEST(AdminConfigApi, WholeConfigMergeMatchesEndpointsByIdThenName)
{
	config::Config stored;
	stored.endpoints = {endpoint("a", "secret-a-0123456789abcdef"), endpoint("b", "secret-b-0123456789abcdef")};
	stored.server.client_tokens = {"client-token-one-0123456789"};
	stored.server.admin_password_hash = "scrypt$stored";
	stored.logging.postgres_dsn = "host=db password=pg-secret";
	config::Config incoming;
	ASSERT_FALSE(config::hasErrors(config::configFromJson(config::configToJson(stored, true), incoming)));
	std::swap(incoming.endpoints[0], incoming.endpoints[1]);
	incoming.server.admin_password_hash = "attempt-to-set";
	api::mergeSecrets(stored, incoming);
	EXPECT_EQ(incoming.endpoints[0].auth_value, "secret-b-0123456789abcdef");
	EXPECT_EQ(incoming.endpoints[1].auth_value, "secret-a-0123456789abcdef");
	EXPECT_EQ(incoming.server.client_tokens[0], "client-token-one-0123456789");
	EXPECT_EQ(incoming.server.admin_password_hash, "scrypt$stored");
	EXPECT_EQ(incoming.logging.postgres_dsn, "host=db password=pg-secret");
}

TEST(AdminConfigApi, EndpointJsonCarriesTheIdAndNoSecret)
{
	config::Endpoint e = endpoint("main", "sk-ant-api03-NEVER-SHOWN-0123456789");
	nlohmann::ordered_json j = api::endpointToJson(e);
	EXPECT_EQ(j["id"], config::endpointId(e));
	EXPECT_EQ(j.dump().find("NEVER-SHOWN"), std::string::npos);
	// The derived id sent back is not taken as an explicit id.
	config::Endpoint back;
	ASSERT_FALSE(config::hasErrors(api::endpointFromJson(j, back)));
	EXPECT_TRUE(back.id.empty());
}

TEST(AdminConfigApi, EndpointParseErrorsNameTheRequestField)
{
	api::EndpointWrite w;
	auto d = api::fromJson(json{{"version", "v1"}, {"endpoint", {{"name", "x"}, {"priority", "high"}}}}, w);
	ASSERT_TRUE(config::hasErrors(d));
	EXPECT_EQ(api::firstError(d).path, "endpoint.priority");
	EXPECT_EQ(w.version, "v1");
	d = api::fromJson(json{{"version", "v1"}}, w);
	ASSERT_TRUE(config::hasErrors(d));
	EXPECT_EQ(api::firstError(d).path, "endpoint");
}

TEST(AdminConfigApi, ReorderIsAPermutationAndRenumbersPriorities)
{
	std::vector<config::Endpoint> eps = {endpoint("a", "x"), endpoint("b", "x"), endpoint("c", "x")};
	std::string error;
	ASSERT_TRUE(api::applyOrder(eps, {"c", config::endpointId(eps[0]), "b"}, error)) << error;
	EXPECT_EQ(eps[0].name, "c");
	EXPECT_EQ(eps[1].name, "a");
	EXPECT_EQ(eps[2].name, "b");
	EXPECT_EQ(eps[0].priority, 1);
	EXPECT_EQ(eps[2].priority, 3);
	EXPECT_FALSE(api::applyOrder(eps, {"a", "b"}, error));
	EXPECT_FALSE(api::applyOrder(eps, {"a", "a", "b"}, error));
	EXPECT_NE(error.find("twice"), std::string::npos);
	EXPECT_FALSE(api::applyOrder(eps, {"a", "b", "zz"}, error));
	EXPECT_NE(error.find("zz"), std::string::npos);

	api::ReorderRequest r;
	EXPECT_FALSE(config::hasErrors(api::fromJson(api::toJson(api::ReorderRequest{"v", {"a", "b"}}), r)));
	EXPECT_EQ(r.order, (std::vector<std::string>{"a", "b"}));
	EXPECT_EQ(api::firstError(api::fromJson(json{{"order", {"a", 1}}}, r)).path, "order[1]");
}

TEST(AdminConfigApi, ModelRewriteTestNamesTheRule)
{
	config::Endpoint e = endpoint("a", "x");
	auto t = api::testModelRewrite(e, "claude-sonnet-4");
	EXPECT_FALSE(t.rewritten);
	EXPECT_EQ(t.result, "claude-sonnet-4");
	EXPECT_FALSE(t.reason.empty());
	e.model_rewrite = config::ModelRewrite{true, {{"claude-*-haiku*", "small"}, {"claude-*", "big"}}};
	t = api::testModelRewrite(e, "claude-sonnet-4");
	EXPECT_TRUE(t.rewritten);
	EXPECT_EQ(t.result, "big");
	EXPECT_EQ(t.rule_index, 1);
	EXPECT_EQ(t.source_pattern, "claude-*");
	t = api::testModelRewrite(e, "gpt-5");
	EXPECT_FALSE(t.rewritten);
	EXPECT_EQ(t.rule_index, -1);
	EXPECT_EQ(t.reason, "no rule matches");
	api::ModelRewriteTest back;
	std::string error;
	ASSERT_TRUE(api::fromJson(json::parse(api::toJson(api::testModelRewrite(e, "claude-3-5-haiku")).dump()), back, error));
	EXPECT_EQ(back.result, "small");
	EXPECT_EQ(back.rule_index, 0);
}

TEST(AdminConfigApi, NameSuggestionFollowsTheOriginalRule)
{
	EXPECT_EQ(api::suggestEndpointName("My  Provider_X!", {}), "my-provider-x");
	EXPECT_EQ(api::suggestEndpointName("--Kimi (Anthropic-compatible)--", {}), "kimi-anthropic-compatible");
	EXPECT_EQ(api::suggestEndpointName("!!!", {}), "endpoint");
	EXPECT_EQ(api::suggestEndpointName("groq", {"groq", "groq-1"}), "groq-2");
	EXPECT_EQ(api::copyEndpointName("main", {"main"}), "main (2)");
	EXPECT_EQ(api::copyEndpointName("main (2)", {"main", "main (2)"}), "main (3)");
}

TEST(AdminConfigApi, ProfilesAreTheOriginals)
{
	const auto & ps = api::endpointProfiles();
	ASSERT_EQ(ps.size(), 14u);
	int anthropic = 0, openai = 0;
	std::set<std::string> ids;
	for (const auto & p : ps)
	{
		ids.insert(p.profile_id);
		(p.endpoint_type == "anthropic" ? anthropic : openai)++;
		EXPECT_EQ(p.require_default_model, !p.default_model_options.empty()) << p.profile_id;
		EXPECT_EQ(p.endpoint_type == "openai", !p.path_prefix.empty()) << p.profile_id;
	}
	EXPECT_EQ(ids.size(), 14u);
	EXPECT_EQ(anthropic, 6);
	EXPECT_EQ(openai, 8);
	ASSERT_NE(api::findProfile("groq"), nullptr);
	EXPECT_EQ(api::findProfile("groq")->url, "https://api.groq.com/openai");
	EXPECT_EQ(api::findProfile("nope"), nullptr);
	EXPECT_EQ(api::toJson(ps[0])["profile_id"], "mirrorcode");
}

TEST(AdminConfigApi, WizardBuildsAValidEndpoint)
{
	api::WizardRequest w;
	ASSERT_FALSE(config::hasErrors(api::fromJson(json{{"version", "v"}, {"profile_id", "openrouter"}, {"auth_value", "sk-or-1"},
		{"default_model", "openai/gpt-5-mini"}}, w)));
	config::Endpoint e;
	ASSERT_FALSE(config::hasErrors(api::endpointFromProfile(w, {"openrouter"}, e)));
	EXPECT_EQ(e.name, "openrouter-1");
	EXPECT_EQ(e.url, "https://openrouter.ai/api");
	EXPECT_EQ(e.endpoint_type, "openai");
	EXPECT_EQ(e.path_prefix, "/v1/chat/completions");
	EXPECT_TRUE(e.enabled);
	ASSERT_TRUE(e.model_rewrite);
	EXPECT_EQ(e.model_rewrite->rules[0].source_pattern, "*");
	EXPECT_EQ(e.model_rewrite->rules[0].target_model, "openai/gpt-5-mini");
	config::Config c;
	c.endpoints.push_back(e);
	EXPECT_FALSE(config::hasErrors(config::validate(c)));

	w.default_model.clear();
	EXPECT_EQ(api::firstError(api::endpointFromProfile(w, {}, e)).path, "default_model");
	w.profile_id = "unknown";
	EXPECT_EQ(api::firstError(api::endpointFromProfile(w, {}, e)).path, "profile_id");
	api::WizardRequest anth;
	anth.profile_id = "gac";
	anth.name = "My GAC";
	EXPECT_EQ(api::firstError(api::endpointFromProfile(anth, {}, e)).path, "auth_value");
	anth.auth_value = "k";
	anth.url = "https://mirror.example/claude";
	ASSERT_FALSE(config::hasErrors(api::endpointFromProfile(anth, {}, e)));
	EXPECT_EQ(e.name, "my-gac");
	EXPECT_EQ(e.url, "https://mirror.example/claude");
	EXPECT_EQ(e.auth_type, "api_key");
	EXPECT_FALSE(e.model_rewrite);
}

TEST(AdminConfigApi, TaggersRoundTripAndTagList)
{
	api::TaggerWrite w;
	ASSERT_FALSE(config::hasErrors(api::fromJson(json{{"version", "v"},
		{"tagger", {{"name", "img"}, {"type", "builtin"}, {"builtin_type", "has-images"}, {"tag", "vision"}}}}, w)));
	EXPECT_EQ(w.tagger.tag, "vision");
	api::TaggerWrite bad;
	auto d = api::fromJson(json{{"tagger", {{"name", "x"}, {"enabled", "maybe"}}}}, bad);
	EXPECT_EQ(api::firstError(d).path, "tagger.enabled");

	config::Config c;
	c.tagging.taggers.push_back(w.tagger);
	c.endpoints = {endpoint("a", "x"), endpoint("b", "x")};
	c.endpoints[0].tags = {"vision", "long"};
	c.endpoints[1].tags = {"vision"};
	auto tags = api::tagList(c);
	ASSERT_EQ(tags.size(), 2u);
	EXPECT_EQ(tags[0].tag, "long");
	EXPECT_TRUE(tags[0].taggers.empty());
	EXPECT_EQ(tags[1].tag, "vision");
	EXPECT_EQ(tags[1].taggers, std::vector<std::string>{"img"});
	EXPECT_EQ(tags[1].endpoints, (std::vector<std::string>{"a", "b"}));
	EXPECT_EQ(api::toJson(tags[1])["taggers"][0], "img");
}

TEST(AdminConfigApi, SettingsChangeOnlyWhatIsGiven)
{
	config::Config base;
	base.endpoints = {endpoint("a", "x")};
	base.server.client_tokens = {"client-token-0123456789abcdef"};
	base.server.admin_password_hash = "scrypt$keep";
	nlohmann::ordered_json s = api::settingsToJson(base);
	EXPECT_FALSE(s.contains("endpoints"));
	EXPECT_FALSE(s["tagging"].contains("taggers"));
	EXPECT_EQ(s.dump().find("client-token-0123456789abcdef"), std::string::npos);

	config::Config out;
	auto d = api::applySettings(json{{"logging", {{"level", "debug"}}}, {"circuit_breaker", {{"failure_threshold", 7}}},
		{"server", {{"client_tokens", s["server"]["client_tokens"]}}}}, base, out);
	ASSERT_FALSE(config::hasErrors(d));
	EXPECT_EQ(out.logging.level, "debug");
	EXPECT_EQ(out.logging.log_request_body, base.logging.log_request_body);
	EXPECT_EQ(out.circuit_breaker.failure_threshold, 7);
	EXPECT_EQ(out.server.client_tokens[0], "client-token-0123456789abcdef");
	EXPECT_EQ(out.server.admin_password_hash, "scrypt$keep");
	EXPECT_EQ(out.endpoints.size(), 1u);
	EXPECT_FALSE(api::restartRequired(base, out));

	d = api::applySettings(json{{"server", {{"port", 9999}}}}, base, out);
	EXPECT_TRUE(api::restartRequired(base, out));
	d = api::applySettings(json{{"timeouts", {{"connect", "soon"}}}}, base, out);
	EXPECT_EQ(api::firstError(d).path, "timeouts.connect");
	d = api::applySettings(json{{"endpoints", json::array()}}, base, out);
	EXPECT_EQ(api::firstError(d).path, "endpoints");
	d = api::applySettings(json{{"tagging", {{"taggers", json::array()}}}}, base, out);
	EXPECT_EQ(api::firstError(d).path, "tagging.taggers");
}

TEST(AdminConfigApi, ResultAndErrorRoundTrip)
{
	api::MutationResult m{"0123456789abcdef", true, "saved", {{"k", 1}}};
	api::MutationResult back;
	std::string error;
	ASSERT_TRUE(api::fromJson(json::parse(api::toJson(m).dump()), back, error));
	EXPECT_EQ(back.version, m.version);
	EXPECT_TRUE(back.restart_required);
	EXPECT_EQ(back.data["k"], 1);
	api::ApiError e{"endpoints[0].url: is required", "endpoints[0].url", "v9"};
	api::ApiError eb;
	ASSERT_TRUE(api::fromJson(json::parse(api::toJson(e).dump()), eb, error));
	EXPECT_EQ(eb.path, e.path);
	EXPECT_EQ(eb.version, "v9");
	EXPECT_FALSE(api::fromJson(json{{"x", 1}}, eb, error));
}
