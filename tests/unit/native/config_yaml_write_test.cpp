// Writing an edited config back into config.yaml keeps the user's text wherever it can.
#include <gtest/gtest.h>

#include "ccc/config/json_mapping.h"
#include "ccc/config/yaml_config.h"
#include "ccc/config/yaml_write.h"

using namespace ccc::config;

namespace
{

const std::string kFile = R"(# my proxy
server:
  host: 127.0.0.1   # loopback only
  port: 8080

# the providers, best first
endpoints:
  - name: first   # the main one
    url: https://one.example
    auth_type: api_key
    auth_value: "sk-one"
  - name: second
    url: https://two.example
    auth_type: auth_token
    auth_value: sk-two
    priority: 2

# keep the bodies small
logging:
  level: info  # or debug
  log_request_body: truncated
)";

Config load(const std::string & text)
{
	YamlLoadResult r = loadConfigYaml(text);
	EXPECT_FALSE(hasErrors(r.diagnostics)) << formatDiagnostics(r.diagnostics, "config.yaml") << "\n" << text;
	return r.config;
}

std::string rewrite(const std::string & text, const Config & next)
{
	std::string out, error;
	EXPECT_TRUE(rewriteConfigYaml(text, load(text), next, out, error)) << error;
	EXPECT_EQ(configToJson(load(out), false), configToJson(next, false)) << out;
	return out;
}

} // namespace

TEST(ConfigYamlWrite, ScalarChangesKeepEveryOtherByte)
{
	Config c = load(kFile);
	c.logging.level = "debug";
	c.endpoints[1].url = "https://two-b.example";
	std::string out = rewrite(kFile, c);
	std::string expected = kFile;
	expected.replace(expected.find("level: info"), 11, "level: debug");
	expected.replace(expected.find("https://two.example"), 19, "https://two-b.example");
	EXPECT_EQ(out, expected);
}

TEST(ConfigYamlWrite, AChangedListReemitsOnlyItsSection)
{
	Config c = load(kFile);
	std::swap(c.endpoints[0], c.endpoints[1]);
	c.endpoints[0].priority = 1;
	c.endpoints[1].priority = 2;
	std::string out = rewrite(kFile, c);
	// The other sections and the comments between sections are untouched.
	EXPECT_EQ(out.rfind("# my proxy\nserver:\n  host: 127.0.0.1   # loopback only\n  port: 8080\n\n# the providers, best first\nendpoints:\n", 0), 0u) << out;
	EXPECT_NE(out.find("\n# keep the bodies small\nlogging:\n  level: info  # or debug\n  log_request_body: truncated\n"), std::string::npos) << out;
	EXPECT_LT(out.find("name: second"), out.find("name: first"));
	// Keys at their defaults are not spelled out, except the ones that make an entry readable.
	EXPECT_EQ(out.find("tls_verify"), std::string::npos);
	EXPECT_NE(out.find("enabled: true"), std::string::npos);
}

TEST(ConfigYamlWrite, KeysTheFileDoesNotHaveAndFlowStyle)
{
	const std::string flow = "server: {host: 127.0.0.1, port: 8080}\nendpoints:\n  - {name: a, url: \"https://a.example\", auth_type: api_key, "
							 "auth_value: k}\n# tail comment\n";
	Config c = load(flow);
	c.endpoints[0].enabled = false;             // inside a flow mapping
	c.timeouts.connect_ms = 2500;               // a section the file does not have
	c.endpoints[0].header_overrides = {{"X-A", "1"}}; // a key the entry does not have
	std::string out = rewrite(flow, c);
	EXPECT_EQ(out.rfind("server: {host: 127.0.0.1, port: 8080}\n", 0), 0u) << out;
	EXPECT_NE(out.find("timeouts:\n  connect: "), std::string::npos) << out;
}

TEST(ConfigYamlWrite, AnEmptyListAndStringsThatNeedQuotes)
{
	Config c = load(kFile);
	c.tagging.taggers.push_back({});
	Tagger & t = c.tagging.taggers.back();
	t.name = "yes";
	t.builtin_type = "path";
	t.tag = "x";
	t.config = {{"path_pattern", "/v1/a: b # c*"}};
	c.endpoints[0].tags = {"on", "123", "plain"};
	std::string out = rewrite(kFile, c);
	EXPECT_NE(out.find("name: \"yes\""), std::string::npos) << out;
	c.tagging.taggers.clear();
	rewrite(out, c);
}

TEST(ConfigYamlWrite, EmitterWritesBlockStyle)
{
	nlohmann::ordered_json v = {{"a", 1}, {"b", {{"c", nlohmann::ordered_json::array({"x", "y z"})}}}, {"d", nlohmann::ordered_json::array()}};
	EXPECT_EQ(emitYamlEntry("root", v, 0), "root:\n  a: 1\n  b:\n    c:\n      - x\n      - \"y z\"\n  d: []\n");
}
