#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "../shared/config_test_support.h"
#include "ccc/config/json_mapping.h"
#include "ccc/config/validate.h"
#include "ccc/config/yaml_config.h"

using namespace ccc::config;
using json = nlohmann::ordered_json;

namespace
{

std::string readData(const std::string & name)
{
	std::ifstream in(std::string(CCC_TEST_DATA_DIR) + "/" + name, std::ios::binary);
	EXPECT_TRUE(in.good()) << name;
	std::stringstream s;
	s << in.rdbuf();
	return s.str();
}

Diagnostics only(const Diagnostics & diags, Severity severity)
{
	Diagnostics out;
	for (const auto & d : diags)
		if (d.severity == severity)
			out.push_back(d);
	return out;
}

std::string dump(const Diagnostics & diags)
{
	return formatDiagnostics(diags, "config.yaml");
}

const Diagnostic * findPath(const Diagnostics & diags, const std::string & path)
{
	for (const auto & d : diags)
		if (d.path == path)
			return &d;
	return nullptr;
}

} // namespace

TEST(ConfigYaml, DefaultConfigLoadsClean)
{
	YamlLoadResult r = loadConfigYaml(defaultConfigYaml());
	ASSERT_TRUE(r.parsed);
	// The only finding is the reminder that the example endpoints are disabled.
	ASSERT_EQ(r.diagnostics.size(), 1u) << dump(r.diagnostics);
	EXPECT_EQ(r.diagnostics[0].severity, Severity::Warning);
	EXPECT_EQ(r.diagnostics[0].toString(), "endpoints: all endpoints are disabled: every /v1 request will fail until one is enabled");
	EXPECT_EQ(r.config.server.host, "127.0.0.1");
	EXPECT_EQ(r.config.server.port, 8080);
	ASSERT_EQ(r.config.endpoints.size(), 3u);
	for (const auto & e : r.config.endpoints)
		EXPECT_FALSE(e.enabled) << e.name;
	EXPECT_EQ(r.config.endpoints[0].auth_type, "api_key");
	EXPECT_EQ(r.config.endpoints[1].endpoint_type, "openai");
	EXPECT_EQ(r.config.endpoints[2].auth_type, "oauth");
	// It is commented: a newcomer reads what each section is for.
	EXPECT_GT(std::count(defaultConfigYaml().begin(), defaultConfigYaml().end(), '#'), 10);
}

TEST(ConfigYaml, LoadsTheOriginalsExampleUnchanged)
{
	YamlLoadResult r = loadConfigYaml(readData("configs/original-example.yaml"));
	ASSERT_TRUE(r.parsed);
	EXPECT_TRUE(only(r.diagnostics, Severity::Error).empty()) << dump(r.diagnostics);

	// The keys the original itself ignored are reported, each at its line.
	for (const char * dead : {"server.auth_token", "web_admin", "tagging.enabled", "validation.strict_anthropic_format",
			 "validation.validate_streaming", "validation.disconnect_on_invalid", "tagging.taggers[8].type"})
	{
		const Diagnostic * d = findPath(r.diagnostics, dead);
		ASSERT_NE(d, nullptr) << dead << "\n" << dump(r.diagnostics);
		EXPECT_EQ(d->severity, Severity::Warning);
		EXPECT_GT(d->line, 0) << dead;
	}
	EXPECT_EQ(findPath(r.diagnostics, "server.auth_token")->line, 7);
	EXPECT_EQ(findPath(r.diagnostics, "server.auth_token")->column, 5);

	const Config & c = r.config;
	EXPECT_EQ(c.server.host, "127.0.0.1");
	EXPECT_EQ(c.server.port, 8080);
	ASSERT_EQ(c.endpoints.size(), 6u);
	EXPECT_EQ(c.endpoints[0].rate_limit_reset, 1761955200);
	EXPECT_EQ(c.endpoints[0].rate_limit_status, std::string("allowed"));
	EXPECT_TRUE(c.endpoints[0].enhanced_protection);
	EXPECT_EQ(c.endpoints[1].endpoint_type, "anthropic"); // omitted type
	EXPECT_EQ(c.endpoints[1].proxy->type, "socks5");
	EXPECT_EQ(c.endpoints[1].header_overrides,
		(OrderedStringMap{{"User-Agent", "claude-cli/1.0.98 (external, cli)"}, {"X-Stainless-Retry-Count", ""}}));
	ASSERT_TRUE(c.endpoints[2].oauth_config.has_value());
	EXPECT_EQ(c.endpoints[2].oauth_config->expires_at, 1724924000000);
	EXPECT_EQ(c.endpoints[2].oauth_config->scopes, (std::vector<std::string>{"user:inference", "user:profile"}));
	EXPECT_EQ(c.endpoints[3].endpoint_type, "openai");
	EXPECT_EQ(c.endpoints[3].model_rewrite->rules.size(), 2u);
	EXPECT_EQ(c.endpoints[3].parameter_overrides, (OrderedStringMap{{"temperature", "1"}, {"top_p", ""}}));
	EXPECT_EQ(c.endpoints[3].max_tokens_field_name, "max_completion_tokens");
	EXPECT_EQ(c.endpoints[3].reorder_system_messages_first, true);
	EXPECT_EQ(c.endpoints[4].proxy->password, "proxypass");
	EXPECT_TRUE(c.endpoints[5].enabled); // omitted `enabled` means true (the original's bug read false)
	EXPECT_EQ(c.logging.log_request_types, "failed");
	EXPECT_EQ(c.validation.python_json_fixing.target_tools, (std::vector<std::string>{"TodoWrite"}));
	EXPECT_EQ(c.timeouts.response_header_ms, 60000);
	EXPECT_EQ(c.tagging.pipeline_timeout_ms, 5000);
	ASSERT_EQ(c.tagging.taggers.size(), 9u);
	EXPECT_EQ(c.tagging.taggers[3].builtin_type, "method"); // the original refused its own example here
	EXPECT_EQ(c.tagging.taggers[3].config["methods"], json::array({"POST", "PUT"}));
	EXPECT_EQ(c.tagging.taggers[4].config["expected_value"], "true"); // quoted: stays a string
	EXPECT_EQ(c.tagging.taggers[8].type, "starlark");
	EXPECT_NE(c.tagging.taggers[8].config["script"].get<std::string>().find("def should_tag():\n"), std::string::npos);
	EXPECT_EQ(c.i18n.default_language, "zh-cn");
}

TEST(ConfigYaml, EveryFieldFileStatesEveryFieldConfig)
{
	YamlLoadResult r = loadConfigYaml(readData("configs/every-field.yaml"));
	ASSERT_TRUE(r.parsed);
	EXPECT_TRUE(r.diagnostics.empty()) << dump(r.diagnostics);
	test::ConfigComparison cmp(r.config, test::everyFieldConfig());
	EXPECT_TRUE(cmp.differences.empty()) << cmp.report();
}

TEST(ConfigYaml, EveryFieldFileRoundTrips)
{
	YamlLoadResult r = loadConfigYaml(readData("configs/every-field.yaml"));
	ASSERT_TRUE(r.parsed);
	const json j = configToJson(r.config, false);
	Config back;
	Diagnostics d = configFromJson(j, back);
	EXPECT_TRUE(d.empty()) << dump(d);
	test::ConfigComparison cmp(r.config, back);
	EXPECT_TRUE(cmp.differences.empty()) << cmp.report();
	// The JSON written back parses as YAML too (JSON is YAML) and gives the same config.
	YamlLoadResult again = loadConfigYaml(j.dump(2));
	EXPECT_TRUE(again.diagnostics.empty()) << dump(again.diagnostics);
	test::ConfigComparison cmp2(r.config, again.config);
	EXPECT_TRUE(cmp2.differences.empty()) << cmp2.report();
}

TEST(ConfigYaml, BadYamlNamesLineAndColumn)
{
	struct Bad
	{
		const char * text;
		int line;
		int column;
		const char * message;
	};
	const std::vector<Bad> bad = {
		{"server:\n  port: 8080\n endpoints: x\n", 3, 2, "invalid YAML: end of map not found"},
		{"server: [1, 2\n", 2, 1, "invalid YAML: end of sequence flow not found"},
		{"a: b: c\n", 1, 5, "invalid YAML: illegal map value"},
		{"server:\n\thost: x\n", 2, 6,
			"invalid YAML: illegal map value (indent with spaces: YAML does not allow tabs in indentation)"},
	};
	for (const Bad & b : bad)
	{
		SCOPED_TRACE(b.text);
		YamlLoadResult r = loadConfigYaml(b.text);
		EXPECT_FALSE(r.parsed);
		ASSERT_EQ(r.diagnostics.size(), 1u) << dump(r.diagnostics);
		EXPECT_EQ(r.diagnostics[0].severity, Severity::Error);
		EXPECT_EQ(r.diagnostics[0].line, b.line);
		EXPECT_EQ(r.diagnostics[0].column, b.column);
		EXPECT_EQ(r.diagnostics[0].message, b.message);
	}
	YamlLoadResult r = loadConfigYaml("server:\n  port: 8080\n endpoints: x\n");
	EXPECT_EQ(formatDiagnostics(r.diagnostics, "config.yaml"), "config.yaml:3:2: error: invalid YAML: end of map not found\n");
}

TEST(ConfigYaml, DuplicateKeysAreErrorsAtTheSecondKey)
{
	YamlLoadResult r = loadConfigYaml("server:\n  port: 8080\n  host: 127.0.0.1\n  port: 9090\nendpoints: []\nendpoints: []\n");
	ASSERT_TRUE(r.parsed);
	Diagnostics errors = only(r.diagnostics, Severity::Error);
	ASSERT_EQ(errors.size(), 2u) << dump(r.diagnostics);
	EXPECT_EQ(errors[0].toString(), "server.port: is defined twice in the same mapping (first at line 2); remove one");
	EXPECT_EQ(errors[0].line, 4);
	EXPECT_EQ(errors[0].column, 3);
	EXPECT_EQ(errors[1].toString(), "endpoints: is defined twice in the same mapping (first at line 5); remove one");
	EXPECT_EQ(errors[1].line, 6);

	// The same key in two different mappings is fine.
	r = loadConfigYaml("server:\n  port: 8080\ni18n:\n  enabled: true\nload_balancing:\n  enabled: true\n");
	EXPECT_TRUE(only(r.diagnostics, Severity::Error).empty()) << dump(r.diagnostics);
}

TEST(ConfigYaml, EveryFindingCarriesTheLineOfItsKey)
{
	const std::string text = "server:\n"                           // 1
							 "  port: 70000\n"                     // 2
							 "  colour: blue\n"                    // 3
							 "endpoints:\n"                        // 4
							 "  - name: a\n"                       // 5
							 "    url: https://x.example\n"        // 6
							 "    auth_type: password\n"           // 7
							 "    auth_value: k\n"                 // 8
							 "    proxy:\n"                        // 9
							 "      type: http\n"                  // 10
							 "      address: proxy:1\n"            // 11
							 "      username: u\n"                 // 12
							 "    tags: [ok, \"not ok\"]\n"        // 13
							 "timeouts:\n"                         // 14
							 "  connect: soon\n";                  // 15
	YamlLoadResult r = loadConfigYaml(text);
	ASSERT_TRUE(r.parsed);
	struct Want
	{
		const char * path;
		int line;
		int column;
		Severity severity;
	};
	const std::vector<Want> want = {
		{"server.colour", 3, 3, Severity::Warning},
		{"timeouts.connect", 15, 3, Severity::Error},
		{"server.port", 2, 3, Severity::Error},
		{"endpoints[0].auth_type", 7, 5, Severity::Error},
		{"endpoints[0].tags[1]", 13, 16, Severity::Error},
		{"endpoints[0].proxy", 9, 5, Severity::Error}, // a container points at its key, not into its body
	};
	EXPECT_EQ(r.diagnostics.size(), want.size()) << dump(r.diagnostics);
	for (const Want & w : want)
	{
		const Diagnostic * d = findPath(r.diagnostics, w.path);
		ASSERT_NE(d, nullptr) << w.path << "\n" << dump(r.diagnostics);
		EXPECT_EQ(d->line, w.line) << w.path;
		EXPECT_EQ(d->column, w.column) << w.path;
		EXPECT_EQ(d->severity, w.severity) << w.path;
	}
	EXPECT_NE(dump(r.diagnostics).find("config.yaml:7:5: error: endpoints[0].auth_type: must be one of api_key, auth_token, oauth, "
										 "got \"password\"\n"),
		std::string::npos)
		<< dump(r.diagnostics);
	EXPECT_NE(dump(r.diagnostics).find("config.yaml:3:3: warning: server.colour: unknown key, ignored\n"), std::string::npos);
}

TEST(ConfigYaml, ValidationStillRunsWhenAKeyCannotBeRead)
{
	// One run reports every problem; the unreadable key itself is reported once, not twice.
	YamlLoadResult r = loadConfigYaml("server:\n  port: [1]\nendpoints:\n  - name: a\n    url: x\n    auth_type: [k]\n");
	Diagnostics errors = only(r.diagnostics, Severity::Error);
	ASSERT_EQ(errors.size(), 4u) << dump(r.diagnostics);
	EXPECT_EQ(errors[0].toString(), "server.port: must be an integer, got a list");
	EXPECT_EQ(errors[1].toString(), "endpoints[0].auth_type: must be a string, got a list");
	EXPECT_EQ(errors[2].toString(), "endpoints[0].url: must start with http:// or https://");
	EXPECT_EQ(errors[3].toString(), "endpoints[0].auth_value: is required unless auth_type is oauth");
}

TEST(ConfigYaml, PlainScalarsAreTypedByTheirLook)
{
	json tree;
	std::string error;
	ASSERT_TRUE(yamlToJson("a: 8080\nb: \"8080\"\nc: true\nd: 'false'\ne: ~\nf:\ng: 0.5\nh: 012\ni: 30s\nj: -7\nk: 1e3\n"
						   "l: yes\nm: 0x10\nn: 99999999999999999999\no: !!str 5\n",
		tree, error))
		<< error;
	EXPECT_EQ(tree["a"], 8080);
	EXPECT_EQ(tree["b"], "8080");
	EXPECT_EQ(tree["c"], true);
	EXPECT_EQ(tree["d"], "false");
	EXPECT_TRUE(tree["e"].is_null());
	EXPECT_TRUE(tree["f"].is_null());
	EXPECT_EQ(tree["g"], 0.5);
	EXPECT_EQ(tree["h"], "012"); // leading zero: a code, not a number
	EXPECT_EQ(tree["i"], "30s");
	EXPECT_EQ(tree["j"], -7);
	EXPECT_EQ(tree["k"], 1000.0);
	EXPECT_EQ(tree["l"], "yes"); // YAML 1.2: a string; boolean settings still accept it
	EXPECT_EQ(tree["m"], "0x10");
	EXPECT_EQ(tree["n"], "99999999999999999999");
	EXPECT_EQ(tree["o"], "5");

	EXPECT_FALSE(yamlToJson("a: [\n", tree, error));
	EXPECT_FALSE(error.empty());
}

TEST(ConfigYaml, QuotedAndUnquotedValuesBothWork)
{
	YamlLoadResult r = loadConfigYaml("server:\n  port: \"8081\"\nendpoints:\n  - name: 007\n    url: https://x.example\n"
									  "    auth_type: api_key\n    auth_value: 123456\n    enabled: \"yes\"\n    priority: '2'\n");
	EXPECT_TRUE(r.diagnostics.empty()) << dump(r.diagnostics);
	EXPECT_EQ(r.config.server.port, 8081);
	ASSERT_EQ(r.config.endpoints.size(), 1u);
	EXPECT_EQ(r.config.endpoints[0].name, "007");
	EXPECT_EQ(r.config.endpoints[0].auth_value, "123456");
	EXPECT_TRUE(r.config.endpoints[0].enabled);
	EXPECT_EQ(r.config.endpoints[0].priority, 2);
}

TEST(ConfigYaml, EmptyAndNonMappingDocuments)
{
	YamlLoadResult r = loadConfigYaml("");
	EXPECT_TRUE(r.parsed);
	EXPECT_FALSE(hasErrors(r.diagnostics)) << dump(r.diagnostics); // all defaults, warned about no endpoints
	r = loadConfigYaml("# only a comment\n");
	EXPECT_FALSE(hasErrors(r.diagnostics)) << dump(r.diagnostics);
	r = loadConfigYaml("- a\n- b\n");
	ASSERT_TRUE(hasErrors(r.diagnostics));
	EXPECT_EQ(r.diagnostics[0].toString(), "the configuration must be a mapping of sections, got a list");
	r = loadConfigYaml("just text\n");
	ASSERT_TRUE(hasErrors(r.diagnostics));
	EXPECT_EQ(r.diagnostics[0].toString(), "the configuration must be a mapping of sections, got a string");
}

TEST(ConfigYaml, GoDurationsInYaml)
{
	YamlLoadResult r = loadConfigYaml("tagging:\n  pipeline_timeout: 1m30s\ntimeouts:\n  tls_handshake: 500ms\n"
									  "  response_header: 2h45m10s\n  idle_connection: 90\n  check_interval: 1.5m\n");
	EXPECT_FALSE(hasErrors(r.diagnostics)) << dump(r.diagnostics);
	EXPECT_EQ(r.config.tagging.pipeline_timeout_ms, 90000);
	EXPECT_EQ(r.config.timeouts.tls_handshake_ms, 500);
	EXPECT_EQ(r.config.timeouts.response_header_ms, 9910000);
	EXPECT_EQ(r.config.timeouts.idle_connection_ms, 90000);
	EXPECT_EQ(r.config.timeouts.check_interval_ms, 90000);
}
