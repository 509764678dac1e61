#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "ccc/config/json_mapping.h"
#include "ccc/config/validate.h"
#include "config_test_support.h"

using namespace ccc::config;
using json = nlohmann::ordered_json;

namespace
{

json parse(const char * text)
{
	json j = json::parse(text, nullptr, false);
	EXPECT_FALSE(j.is_discarded()) << text;
	return j;
}

std::string dump(const Diagnostics & diags)
{
	std::string out;
	for (const auto & d : diags)
		out += (d.severity == Severity::Error ? "error: " : "warning: ") + d.toString() + "\n";
	return out;
}

/// Reads `text` and expects exactly one finding with this severity, path and message.
void expectOne(const char * text, Severity severity, const std::string & path, const std::string & message)
{
	SCOPED_TRACE(text);
	Config c;
	Diagnostics d = configFromJson(parse(text), c);
	ASSERT_EQ(d.size(), 1u) << dump(d);
	EXPECT_EQ(d[0].severity, severity) << dump(d);
	EXPECT_EQ(d[0].path, path) << dump(d);
	EXPECT_EQ(d[0].message, message) << dump(d);
}

Config readClean(const char * text)
{
	Config c;
	Diagnostics d = configFromJson(parse(text), c);
	EXPECT_TRUE(d.empty()) << text << "\n" << dump(d);
	return c;
}

} // namespace

TEST(ConfigMapping, EmptyObjectGivesDefaults)
{
	Config c = readClean("{}");
	test::ConfigComparison cmp(c, Config{});
	EXPECT_TRUE(cmp.differences.empty()) << cmp.report();
}

TEST(ConfigMapping, RootMustBeAMapping)
{
	Config c;
	Diagnostics d = configFromJson(json(), c);
	ASSERT_EQ(d.size(), 1u);
	EXPECT_EQ(d[0].toString(), "the configuration is empty");
	d = configFromJson(json::array(), c);
	ASSERT_EQ(d.size(), 1u);
	EXPECT_EQ(d[0].toString(), "the configuration must be a mapping of sections, got a list");
	d = configFromJson(json("text"), c);
	ASSERT_EQ(d.size(), 1u);
	EXPECT_EQ(d[0].toString(), "the configuration must be a mapping of sections, got a string");
}

TEST(ConfigMapping, WrongTypesNameTheKey)
{
	expectOne(R"({"server": []})", Severity::Error, "server", "must be a mapping, got a list");
	expectOne(R"({"server": {"port": "eighty"}})", Severity::Error, "server.port", "must be an integer, got \"eighty\"");
	expectOne(R"({"server": {"port": true}})", Severity::Error, "server.port", "must be an integer, got true");
	expectOne(R"({"server": {"port": 80.5}})", Severity::Error, "server.port", "must be an integer, got 80.5");
	expectOne(R"({"server": {"host": ["a"]}})", Severity::Error, "server.host", "must be a string, got a list");
	expectOne(R"({"server": {"host": {"a": 1}}})", Severity::Error, "server.host", "must be a string, got a mapping");
	expectOne(R"({"endpoints": "primary"})", Severity::Error, "endpoints", "must be a list, got a string");
	expectOne(R"({"endpoints": [5]})", Severity::Error, "endpoints[0]", "must be a mapping");
	expectOne(R"({"endpoints": [{"enabled": "maybe"}]})", Severity::Error, "endpoints[0].enabled",
		"must be true or false, got \"maybe\"");
	expectOne(R"({"endpoints": [{"enabled": 1}]})", Severity::Error, "endpoints[0].enabled", "must be true or false, got 1");
	expectOne(R"({"endpoints": [{"tags": {"a": 1}}]})", Severity::Error, "endpoints[0].tags",
		"must be a list of strings, got a mapping");
	expectOne(R"({"endpoints": [{"tags": ["ok", ["nested"]]}]})", Severity::Error, "endpoints[0].tags[1]",
		"must be a string, got a list");
	expectOne(R"({"endpoints": [{"proxy": "socks5://x"}]})", Severity::Error, "endpoints[0].proxy",
		"must be a mapping, got a string");
	expectOne(R"({"endpoints": [{"oauth_config": {"expires_at": "soon"}}]})", Severity::Error,
		"endpoints[0].oauth_config.expires_at", "must be an integer, got \"soon\"");
	expectOne(R"({"endpoints": [{"header_overrides": ["X-A: 1"]}]})", Severity::Error, "endpoints[0].header_overrides",
		"must be a mapping of names to values, got a list");
	expectOne(R"({"endpoints": [{"model_rewrite": {"rules": {"a": "b"}}}]})", Severity::Error,
		"endpoints[0].model_rewrite.rules", "must be a list, got a mapping");
	expectOne(R"({"endpoints": [{"model_rewrite": {"rules": ["claude-* -> gpt"]}}]})", Severity::Error,
		"endpoints[0].model_rewrite.rules[0]", "must be a mapping with source_pattern and target_model");
	expectOne(R"({"endpoints": [{"openai": {"keep_thinking_history": "sometimes"}}]})", Severity::Error,
		"endpoints[0].openai.keep_thinking_history", "must be true or false, got \"sometimes\"");
	expectOne(R"({"tagging": {"taggers": ["path"]}})", Severity::Error, "tagging.taggers[0]", "must be a mapping");
	expectOne(R"({"tagging": {"taggers": [{"config": "x"}]}})", Severity::Error, "tagging.taggers[0].config",
		"must be a mapping, got a string");
	expectOne(R"({"tagging": {"pipeline_timeout": "five seconds"}})", Severity::Error, "tagging.pipeline_timeout",
		"must be a duration such as 30s, 1m30s or 500ms, got \"five seconds\"");
	expectOne(R"({"timeouts": {"connect": "-5s"}})", Severity::Error, "timeouts.connect",
		"must be a duration such as 30s, 1m30s or 500ms, got \"-5s\"");
	expectOne(R"({"timeouts": {"stream_idle": -3}})", Severity::Error, "timeouts.stream_idle",
		"must be a duration such as 30s, 1m30s or 500ms, got -3");
	expectOne(R"({"timeouts": {"connect": 9999999999999999999}})", Severity::Error, "timeouts.connect",
		"must be a duration such as 30s, 1m30s or 500ms, got 9999999999999999999");
	expectOne(R"({"timeouts": {"connect": 1e300}})", Severity::Error, "timeouts.connect",
		"must be a duration such as 30s, 1m30s or 500ms, got 1e+300");
	expectOne(R"({"timeouts": {"tls_handshake": [10]}})", Severity::Error, "timeouts.tls_handshake",
		"must be a duration such as 30s, 1m30s or 500ms, got a list");
	expectOne(R"({"logging": {"max_body_bytes": "big"}})", Severity::Error, "logging.max_body_bytes",
		"must be a size such as 1048576, 512KB or 1GiB, got \"big\"");
	expectOne(R"({"server": {"max_request_body": -1}})", Severity::Error, "server.max_request_body",
		"must be a size such as 1048576, 512KB or 1GiB, got -1");
	expectOne(R"({"circuit_breaker": {"failure_rate": "half"}})", Severity::Error, "circuit_breaker.failure_rate",
		"must be a number, got \"half\"");
	expectOne(R"({"circuit_breaker": {"failure_rate": [0.5]}})", Severity::Error, "circuit_breaker.failure_rate",
		"must be a number, got a list");
	expectOne(R"({"validation": {"python_json_fixing": {"target_tools": 5}}})", Severity::Error,
		"validation.python_json_fixing.target_tools", "must be a list of strings, got an integer");
	expectOne(R"({"i18n": {"enabled": "si"}})", Severity::Error, "i18n.enabled", "must be true or false, got \"si\"");
	expectOne(R"({"load_balancing": {"sticky_sessions": null, "enabled": []}})", Severity::Error, "load_balancing.enabled",
		"must be true or false, got a list");
	expectOne(R"({"failover": {"retry_delay": "later"}})", Severity::Error, "failover.retry_delay",
		"must be a duration such as 30s, 1m30s or 500ms, got \"later\"");
}

TEST(ConfigMapping, OutOfRangeValues)
{
	expectOne(R"({"server": {"port": 99999999999}})", Severity::Error, "server.port",
		"is out of range (-2147483648 to 2147483647), got 99999999999");
	expectOne(R"({"endpoints": [{"priority": -3000000000}]})", Severity::Error, "endpoints[0].priority",
		"is out of range (-2147483648 to 2147483647), got -3000000000");
	expectOne(R"({"endpoints": [{"weight": "99999999999999999999"}]})", Severity::Error, "endpoints[0].weight",
		"is out of range (-2147483648 to 2147483647), got \"99999999999999999999\"");
	expectOne(R"({"endpoints": [{"rate_limit_reset": 18446744073709551615}]})", Severity::Error,
		"endpoints[0].rate_limit_reset",
		"is out of range (-9223372036854775808 to 9223372036854775807), got 18446744073709551615");
	expectOne(R"({"logging": {"retention_days": 1e30}})", Severity::Error, "logging.retention_days",
		"is out of range (-9223372036854775808 to 9223372036854775807), got 1e+30");

	// In range for the type, out of range for the setting: validate() reports it.
	Config c = readClean(R"({"server": {"port": 70000}, "timeouts": {"recovery_threshold": 500}})");
	Diagnostics errors;
	for (const auto & x : validate(c))
		if (x.severity == Severity::Error)
			errors.push_back(x);
	ASSERT_EQ(errors.size(), 2u) << dump(errors);
	EXPECT_EQ(errors[0].toString(), "server.port: must be between 1 and 65535");
	EXPECT_EQ(errors[1].toString(), "timeouts.recovery_threshold: must be between 1 and 100");
}

TEST(ConfigMapping, UnknownKeysAreWarningsNamingTheKey)
{
	Config c;
	Diagnostics d = configFromJson(parse(R"({
		"sever": {"port": 1},
		"server": {"port": 8081, "bind": "x"},
		"endpoints": [{"name": "a", "supported_clients": ["codex"],
			"model_rewrite": {"enabled": false, "rules": [{"source_pattern": "a", "target_model": "b", "note": 1}]},
			"proxy": {"type": "http", "address": "p:1", "timeout": "5s"},
			"oauth_config": {"access_token": "t", "extra": true},
			"openai": {"mode": "chat"}}],
		"logging": {"colour": true},
		"validation": {"python_json_fixing": {"strict_validation": true}, "other": 1},
		"tagging": {"taggers": [{"name": "t", "weight": 2}]},
		"timeouts": {"overall": "10m"},
		"failover": {"max_attempts": 3},
		"circuit_breaker": {"cooldown": "1m"},
		"load_balancing": {"strategy": "rr"},
		"i18n": {"fallback": "en"}
	})"),
		c);
	std::vector<std::string> expected = {"server.bind", "endpoints[0].model_rewrite.rules[0].note", "endpoints[0].proxy.timeout",
		"endpoints[0].oauth_config.extra", "endpoints[0].openai.mode", "endpoints[0].supported_clients", "logging.colour",
		"validation.python_json_fixing.strict_validation", "validation.other", "tagging.taggers[0].weight", "timeouts.overall",
		"failover.max_attempts", "circuit_breaker.cooldown", "load_balancing.strategy", "i18n.fallback", "sever"};
	ASSERT_EQ(d.size(), expected.size()) << dump(d);
	for (size_t i = 0; i < d.size(); ++i)
	{
		EXPECT_EQ(d[i].severity, Severity::Warning) << d[i].toString();
		EXPECT_EQ(d[i].path, expected[i]);
		EXPECT_EQ(d[i].message, "unknown key, ignored");
	}
	// The known keys next to them were still read.
	EXPECT_EQ(c.server.port, 8081);
	EXPECT_EQ(c.endpoints.at(0).proxy->address, "p:1");
	EXPECT_EQ(c.endpoints.at(0).oauth_config->access_token, "t");
}

TEST(ConfigMapping, ObsoleteKeysOfTheOriginalAreWarnings)
{
	Config c;
	Diagnostics d = configFromJson(parse(R"({
		"server": {"host": "127.0.0.1", "port": 8080, "auth_token": "your-proxy-secret-token"},
		"validation": {"strict_anthropic_format": true, "validate_streaming": true, "disconnect_on_invalid": true},
		"web_admin": {"enabled": true},
		"tagging": {"enabled": true, "pipeline_timeout": "5s"}
	})"),
		c);
	ASSERT_EQ(d.size(), 6u) << dump(d);
	EXPECT_FALSE(hasErrors(d));
	EXPECT_EQ(d[0].toString(),
		"server.auth_token: is not used (the original ignored it too); use server.client_tokens to require client tokens");
	EXPECT_EQ(d[1].toString(), "validation.strict_anthropic_format: is no longer a setting: responses are always validated strictly");
	EXPECT_EQ(d[2].toString(), "validation.validate_streaming: is no longer a setting: responses are always validated strictly");
	EXPECT_EQ(d[3].toString(),
		"validation.disconnect_on_invalid: is no longer a setting: invalid responses fail over to the next endpoint");
	EXPECT_EQ(d[4].toString(), "tagging.enabled: is not used: tagging is always on when taggers are configured");
	EXPECT_EQ(d[5].toString(), "web_admin: is not used: the admin is always served at /admin/");
	for (const auto & x : d)
		EXPECT_EQ(x.severity, Severity::Warning);
	EXPECT_TRUE(c.server.client_tokens.empty()); // the dead token does not become a client token
}

TEST(ConfigMapping, LenientScalars)
{
	Config c = readClean(R"({
		"server": {"host": "", "port": "8081", "max_request_body": "16MiB", "max_concurrent_streams": 32.0},
		"endpoints": [
			{"name": 12345, "enabled": "yes", "priority": "0", "auth_value": 987654321, "endpoint_type": ""},
			{"name": "b", "enabled": "Off", "priority": 0, "tags": "fast, cheap,,  big ", "weight": "+4"},
			{"name": "c", "enabled": "on", "rate_limit_status": null, "oauth_config": {"scopes": "user:inference,user:profile",
				"expires_at": "1724924000000", "auto_refresh": "false"}}
		],
		"logging": {"level": "", "log_request_types": "", "log_request_body": "", "log_response_body": "", "log_directory": "",
			"truncated_body_bytes": "2KB", "retention_days": "14"},
		"validation": {"python_json_fixing": {"target_tools": "TodoWrite, Edit", "enabled": "true"}},
		"tagging": {"pipeline_timeout": 3, "taggers": [{"name": "t", "priority": "2", "enabled": "no"}]},
		"timeouts": {"tls_handshake": "", "response_header": 1.5, "idle_connection": "2m", "health_check_timeout": "1m30s",
			"check_interval": "0", "recovery_threshold": 0, "stream_idle": "1h"},
		"failover": {"retry_delay": "250ms", "request_deadline": "10m"},
		"circuit_breaker": {"failure_rate": "0.25", "min_requests": "0"},
		"i18n": {"enabled": "TRUE", "default_language": "", "locales_path": ""}
	})");
	EXPECT_EQ(c.server.host, "127.0.0.1"); // empty = the original's default bind address
	EXPECT_EQ(c.server.port, 8081);
	EXPECT_EQ(c.server.max_request_body, 16LL * 1024 * 1024);
	EXPECT_EQ(c.server.max_concurrent_streams, 32);
	ASSERT_EQ(c.endpoints.size(), 3u);
	EXPECT_EQ(c.endpoints[0].name, "12345");
	EXPECT_EQ(c.endpoints[0].auth_value, "987654321");
	EXPECT_TRUE(c.endpoints[0].enabled);
	EXPECT_EQ(c.endpoints[0].priority, 1); // 0 reads as 1, as in the original
	EXPECT_EQ(c.endpoints[0].endpoint_type, "anthropic");
	EXPECT_FALSE(c.endpoints[1].enabled);
	EXPECT_EQ(c.endpoints[1].priority, 1);
	EXPECT_EQ(c.endpoints[1].tags, (std::vector<std::string>{"fast", "cheap", "big"}));
	EXPECT_EQ(c.endpoints[1].weight, 4);
	EXPECT_TRUE(c.endpoints[2].enabled);
	EXPECT_FALSE(c.endpoints[2].rate_limit_status.has_value()); // null = not set
	ASSERT_TRUE(c.endpoints[2].oauth_config.has_value());
	EXPECT_EQ(c.endpoints[2].oauth_config->scopes, (std::vector<std::string>{"user:inference", "user:profile"}));
	EXPECT_EQ(c.endpoints[2].oauth_config->expires_at, 1724924000000);
	EXPECT_FALSE(c.endpoints[2].oauth_config->auto_refresh);
	// Empty logging values take the original's defaults.
	EXPECT_EQ(c.logging.level, "info");
	EXPECT_EQ(c.logging.log_request_types, "all");
	EXPECT_EQ(c.logging.log_request_body, "full");
	EXPECT_EQ(c.logging.log_response_body, "full");
	EXPECT_EQ(c.logging.log_directory, "./logs");
	EXPECT_EQ(c.logging.truncated_body_bytes, 2048);
	EXPECT_EQ(c.logging.retention_days, 14);
	EXPECT_EQ(c.validation.python_json_fixing.target_tools, (std::vector<std::string>{"TodoWrite", "Edit"}));
	EXPECT_TRUE(c.validation.python_json_fixing.enabled);
	EXPECT_EQ(c.tagging.pipeline_timeout_ms, 3000); // a bare number is seconds
	ASSERT_EQ(c.tagging.taggers.size(), 1u);
	EXPECT_EQ(c.tagging.taggers[0].priority, 2);
	EXPECT_FALSE(c.tagging.taggers[0].enabled);
	EXPECT_EQ(c.timeouts.tls_handshake_ms, 10000); // empty = default, as in the original
	EXPECT_EQ(c.timeouts.response_header_ms, 1500);
	EXPECT_EQ(c.timeouts.idle_connection_ms, 120000);
	EXPECT_EQ(c.timeouts.health_check_timeout_ms, 90000);
	EXPECT_EQ(c.timeouts.check_interval_ms, 0); // read as written; validate() refuses it
	EXPECT_EQ(c.timeouts.recovery_threshold, 1); // 0 reads as 1, as in the original
	EXPECT_EQ(c.timeouts.stream_idle_ms, 3600000);
	EXPECT_EQ(c.failover.retry_delay_ms, 250);
	EXPECT_EQ(c.failover.request_deadline_ms, 600000);
	EXPECT_DOUBLE_EQ(c.circuit_breaker.failure_rate, 0.25);
	EXPECT_EQ(c.circuit_breaker.min_requests, 0);
	EXPECT_TRUE(c.i18n.enabled);
	EXPECT_EQ(c.i18n.default_language, "en");
	EXPECT_EQ(c.i18n.locales_path, "locales");
}

TEST(ConfigMapping, OmittedEnabledMeansTrue)
{
	// The original read an omitted `enabled` as false (Go's zero value): a bug we fix.
	Config c = readClean(R"({"endpoints": [{"name": "a"}], "tagging": {"taggers": [{"name": "t"}]}})");
	EXPECT_TRUE(c.endpoints.at(0).enabled);
	EXPECT_TRUE(c.tagging.taggers.at(0).enabled);
	EXPECT_TRUE(c.validation.python_json_fixing.enabled);
}

TEST(ConfigMapping, OverridesKeepOrderAndJsonValues)
{
	Config c = readClean(R"({"endpoints": [{"name": "a",
		"header_overrides": {"User-Agent": null, "anthropic-beta": "x", "X-Num": 5},
		"parameter_overrides": {"temperature": 0.7, "metadata": {"user_id": "u"}, "stop": ["a"], "top_k": "", "stream": false}}]})");
	const Endpoint & e = c.endpoints.at(0);
	EXPECT_EQ(e.header_overrides, (OrderedStringMap{{"User-Agent", ""}, {"anthropic-beta", "x"}, {"X-Num", "5"}}));
	EXPECT_EQ(e.parameter_overrides, (OrderedStringMap{{"temperature", "0.7"}, {"metadata", "{\"user_id\":\"u\"}"},
										 {"stop", "[\"a\"]"}, {"top_k", ""}, {"stream", "false"}}));
}

TEST(ConfigMapping, TaggerScriptsAtTaggerLevelFoldIntoConfig)
{
	Config c = readClean(R"({"tagging": {"taggers": [
		{"name": "a", "type": "lua", "tag": "x", "script": "return true"},
		{"name": "b", "type": "lua", "tag": "y", "script_file": "b.lua", "config": {"k": 1}}]}})");
	ASSERT_EQ(c.tagging.taggers.size(), 2u);
	EXPECT_EQ(c.tagging.taggers[0].config, (json{{"script", "return true"}}));
	EXPECT_EQ(c.tagging.taggers[1].config, (json{{"k", 1}, {"script_file", "b.lua"}}));
	EXPECT_FALSE(hasErrors(validate(c)));
}

TEST(ConfigMapping, OptionalBlocksAndValues)
{
	Config c = readClean(R"({"endpoints": [
		{"name": "a", "openai": {"strip_schema_keywords": []}},
		{"name": "b", "openai": {"strip_schema_keywords": "format, $schema", "allow_missing_done": false}},
		{"name": "c", "model_rewrite": {"enabled": true}, "reorder_system_messages_first": "true", "max_tokens_limit": 8192}]})");
	ASSERT_EQ(c.endpoints.size(), 3u);
	ASSERT_TRUE(c.endpoints[0].openai.strip_schema_keywords.has_value());
	EXPECT_TRUE(c.endpoints[0].openai.strip_schema_keywords->empty()); // strip nothing, not "use the built-in list"
	EXPECT_FALSE(c.endpoints[0].openai.allow_missing_done.has_value());
	EXPECT_EQ(*c.endpoints[1].openai.strip_schema_keywords, (std::vector<std::string>{"format", "$schema"}));
	EXPECT_EQ(c.endpoints[1].openai.allow_missing_done, false);
	EXPECT_FALSE(c.endpoints[1].model_rewrite.has_value());
	ASSERT_TRUE(c.endpoints[2].model_rewrite.has_value());
	EXPECT_TRUE(c.endpoints[2].model_rewrite->enabled);
	EXPECT_EQ(c.endpoints[2].reorder_system_messages_first, true);
	EXPECT_EQ(c.endpoints[2].max_tokens_limit, 8192);
	EXPECT_FALSE(c.endpoints[2].proxy.has_value());
	EXPECT_FALSE(c.endpoints[2].oauth_config.has_value());
}

TEST(ConfigMapping, EveryFieldConfigSetsEveryFieldAndIsValid)
{
	const Config c = test::everyFieldConfig();
	Diagnostics d = validate(c);
	EXPECT_FALSE(hasErrors(d)) << dump(d);

	test::ConfigComparison cmp(c, test::defaultsShapedLike(c));
	std::set<std::string> all, differing;
	for (const auto & f : test::ConfigComparison::normalised(cmp.fields))
		if (f.size() < 5 || (f.compare(f.size() - 5, 5, ".size") != 0 && f.back() != '?'))
			all.insert(f);
	differing = test::ConfigComparison::normalised(cmp.differences);
	for (const auto & f : all)
		EXPECT_TRUE(differing.count(f)) << f << " keeps its default in everyFieldConfig()";
}

TEST(ConfigMapping, RoundTripsAConfigWithEveryFieldSet)
{
	const Config c = test::everyFieldConfig();
	const json j = configToJson(c, false);
	Config back;
	Diagnostics d = configFromJson(j, back);
	EXPECT_TRUE(d.empty()) << dump(d);
	test::ConfigComparison cmp(c, back);
	EXPECT_TRUE(cmp.differences.empty()) << cmp.report();
	// And once more: the JSON is a fixed point.
	EXPECT_EQ(configToJson(back, false), j);
}

TEST(ConfigMapping, RoundTripsDefaults)
{
	Config back;
	Diagnostics d = configFromJson(configToJson(Config{}, false), back);
	EXPECT_TRUE(d.empty()) << dump(d);
	test::ConfigComparison cmp(Config{}, back);
	EXPECT_TRUE(cmp.differences.empty()) << cmp.report();
}

TEST(ConfigMapping, JsonUsesTheYamlKeyNamesAndGoDurations)
{
	const json j = configToJson(test::everyFieldConfig(), false);
	EXPECT_EQ(j["tagging"]["pipeline_timeout"], "2.5s");
	EXPECT_EQ(j["timeouts"]["response_header"], "1m30s");
	EXPECT_EQ(j["timeouts"]["stream_idle"], "2m0s");
	EXPECT_EQ(j["failover"]["retry_delay"], "250ms");
	EXPECT_EQ(j["endpoints"][0]["auth_type"], "api_key");
	EXPECT_EQ(j["endpoints"][1]["oauth_config"]["expires_at"], 1724924000000);
	EXPECT_EQ(j["server"]["port"], 9090);
}

TEST(ConfigMapping, MaskedJsonNeverLeaksASecret)
{
	const Config c = test::everyFieldConfig();
	const std::vector<std::string> secrets = {c.endpoints[0].auth_value, c.endpoints[0].proxy->password,
		c.endpoints[0].header_overrides[1].second, c.endpoints[1].oauth_config->access_token,
		c.endpoints[1].oauth_config->refresh_token, c.server.client_tokens[0], c.server.client_tokens[1],
		c.server.admin_password_hash, "pg-secret-value"};
	const std::string masked = configToJson(c, true).dump();
	for (const auto & s : secrets)
		EXPECT_EQ(masked.find(s), std::string::npos) << s << " leaked into " << masked;
	const std::string plain = configToJson(c, false).dump();
	for (const auto & s : secrets)
		EXPECT_NE(plain.find(s), std::string::npos) << s;

	// Short secrets too, and credential-looking header names; harmless headers stay readable.
	Config small;
	Endpoint e;
	e.name = "s";
	e.auth_value = "abc";
	e.proxy = ProxyConfig{"http", "p:1", "u", "pw"};
	e.header_overrides = {{"Authorization", "Bearer tok-1"}, {"X-Auth-Token", "tok-2"}, {"Proxy-Authorization", "Basic tok-3"},
		{"X-Client-Secret", "tok-4"}, {"anthropic-beta", "visible"}};
	small.endpoints.push_back(e);
	small.logging.postgres_dsn = "postgresql://ccc:dsn-pass@db:5432/ccc";
	const json m = configToJson(small, true);
	const std::string ms = m.dump();
	for (const char * s : {"abc\"", "\"pw\"", "tok-1", "tok-2", "tok-3", "tok-4", "dsn-pass"})
		EXPECT_EQ(ms.find(s), std::string::npos) << s << " leaked into " << ms;
	EXPECT_EQ(m["endpoints"][0]["header_overrides"]["anthropic-beta"], "visible");
	EXPECT_EQ(m["endpoints"][0]["proxy"]["username"], "u");

	// A DSN without a password is shown as it is.
	small.logging.postgres_dsn = "host=127.0.0.1 dbname=ccc user=ccc";
	EXPECT_EQ(configToJson(small, true)["logging"]["postgres_dsn"], "host=127.0.0.1 dbname=ccc user=ccc");
}

TEST(ConfigMapping, MaskSecret)
{
	EXPECT_EQ(maskSecret(""), "");
	EXPECT_EQ(maskSecret("short"), "********");
	EXPECT_EQ(maskSecret("0123456789abcde"), "********"); // 15 characters: no hint at all
	EXPECT_EQ(maskSecret("sk-ant-api03-0123456789"), "sk-a********89");
	EXPECT_TRUE(isMaskedSecret(maskSecret("sk-ant-api03-0123456789")));
	EXPECT_TRUE(isMaskedSecret("********"));
	EXPECT_FALSE(isMaskedSecret("sk-ant-api03-0123456789"));
	EXPECT_FALSE(isMaskedSecret(""));
}

TEST(ConfigMapping, NeverThrowsOnOddInput)
{
	const char * inputs[] = {R"({"endpoints": [null, [], {"name": null}]})", R"({"server": null, "logging": null})",
		R"({"tagging": {"taggers": [{"config": null}]}})", R"({"endpoints": [{"priority": 1e400}]})",
		R"({"endpoints": [{"tags": [null, 1, true]}]})", R"({"server": {"port": -0.0}})"};
	for (const char * text : inputs)
	{
		SCOPED_TRACE(text);
		json j = json::parse(text, nullptr, false);
		Config c;
		EXPECT_NO_THROW(configFromJson(j, c));
		EXPECT_NO_THROW(validate(c));
		EXPECT_NO_THROW(configToJson(c, true));
	}
}
