#include <algorithm>
#include <functional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "ccc/config/validate.h"

using namespace ccc::config;

namespace
{

/// A config that validates without a single finding; every case below breaks exactly one rule.
Config validBase()
{
	Config c;
	Endpoint a;
	a.name = "primary";
	a.url = "https://api.anthropic.com";
	a.auth_type = "api_key";
	a.auth_value = "sk-ant-api03-test";
	c.endpoints.push_back(a);

	Endpoint o;
	o.name = "openai";
	o.url = "https://api.openai.com";
	o.endpoint_type = "openai";
	o.path_prefix = "/v1/chat/completions";
	o.auth_type = "auth_token";
	o.auth_value = "sk-test";
	o.priority = 2;
	o.tags = {"gpt"};
	o.model_rewrite = ModelRewrite{true, {{"claude-*", "gpt-5"}}};
	c.endpoints.push_back(o);

	Endpoint oa;
	oa.name = "oauth";
	oa.url = "https://api.anthropic.com";
	oa.auth_type = "oauth";
	OAuthConfig oc;
	oc.access_token = "sk-ant-oat01-abc";
	oc.refresh_token = "sk-ant-ort01-def";
	oc.token_url = "https://console.anthropic.com/v1/oauth/token";
	oa.oauth_config = oc;
	oa.proxy = ProxyConfig{"socks5", "127.0.0.1:1080", "", ""};
	c.endpoints.push_back(oa);

	Tagger t;
	t.name = "gpt-hint";
	t.builtin_type = "user-message";
	t.tag = "gpt";
	t.config = {{"expected_value", "*#use-gpt*"}};
	c.tagging.taggers.push_back(t);
	return c;
}

Endpoint & ep(Config & c, size_t i = 0)
{
	return c.endpoints[i];
}

Tagger & tagger(Config & c, const std::string & builtinType, nlohmann::ordered_json config)
{
	Tagger & t = c.tagging.taggers[0];
	t.builtin_type = builtinType;
	t.config = std::move(config);
	return t;
}

struct Case
{
	const char * name;
	std::function<void(Config &)> mutate;
	Severity severity;
	std::string path;
	std::string message;
};

std::string dump(const Diagnostics & diags)
{
	std::string out;
	for (const auto & d : diags)
		out += (d.severity == Severity::Error ? "error: " : "warning: ") + d.toString() + "\n";
	return out;
}

const std::string kTagRule = "must be 1-50 characters without spaces, commas or <>&\"'";
const std::string kBuiltinList
	= "path, header, query, body-json, model, user-message, thinking, method, context-size, subagent, has-tools, has-images";

// Every rule of validate.cpp, with the exact key path and message it reports.
const std::vector<Case> & cases()
{
	static const std::vector<Case> all = {
		// server
		{"host empty", [](Config & c) { c.server.host = ""; }, Severity::Error, "server.host",
			"is required (127.0.0.1 keeps the service local)"},
		{"port zero", [](Config & c) { c.server.port = 0; }, Severity::Error, "server.port", "must be between 1 and 65535"},
		{"port too big", [](Config & c) { c.server.port = 65536; }, Severity::Error, "server.port", "must be between 1 and 65535"},
		{"streams zero", [](Config & c) { c.server.max_concurrent_streams = 0; }, Severity::Error, "server.max_concurrent_streams",
			"must be between 1 and 100000"},
		{"streams too many", [](Config & c) { c.server.max_concurrent_streams = 100001; }, Severity::Error,
			"server.max_concurrent_streams", "must be between 1 and 100000"},
		{"body limit tiny", [](Config & c) { c.server.max_request_body = 1023; }, Severity::Error, "server.max_request_body",
			"must be at least 1KB"},

		// endpoints as a whole
		{"no endpoints", [](Config & c) { c.endpoints.clear(); }, Severity::Warning, "endpoints",
			"no endpoints are configured: every /v1 request will fail until one is added"},
		{"all disabled",
			[](Config & c) {
				for (auto & e : c.endpoints)
					e.enabled = false;
			},
			Severity::Warning, "endpoints", "all endpoints are disabled: every /v1 request will fail until one is enabled"},
		{"duplicate name", [](Config & c) { ep(c, 1).name = "primary"; }, Severity::Error, "endpoints[1].name",
			"\"primary\" is already used by endpoints[0]"},
		{"duplicate id",
			[](Config & c) {
				ep(c, 0).id = "same";
				ep(c, 2).id = "same";
			},
			Severity::Error, "endpoints[2].id", "\"same\" is already used by endpoints[0]"},

		// one endpoint
		{"name missing", [](Config & c) { ep(c).name = ""; }, Severity::Error, "endpoints[0].name", "is required"},
		{"name with slash", [](Config & c) { ep(c).name = "a/b"; }, Severity::Error, "endpoints[0].name", "must not contain / or \\"},
		{"name with backslash", [](Config & c) { ep(c).name = "a\\b"; }, Severity::Error, "endpoints[0].name",
			"must not contain / or \\"},
		{"name too long", [](Config & c) { ep(c).name = std::string(101, 'x'); }, Severity::Error, "endpoints[0].name",
			"must be at most 100 characters"},
		{"url missing", [](Config & c) { ep(c).url = ""; }, Severity::Error, "endpoints[0].url", "is required"},
		{"url scheme", [](Config & c) { ep(c).url = "ftp://x"; }, Severity::Error, "endpoints[0].url",
			"must start with http:// or https://"},
		{"url no host", [](Config & c) { ep(c).url = "https:///v1"; }, Severity::Error, "endpoints[0].url", "has no host"},
		{"url port only", [](Config & c) { ep(c).url = "http://:8080"; }, Severity::Error, "endpoints[0].url", "has no host"},
		{"url credentials", [](Config & c) { ep(c).url = "https://user:pw@x.com"; }, Severity::Error, "endpoints[0].url",
			"must not carry credentials (use auth_value)"},
		{"url whitespace", [](Config & c) { ep(c).url = "https://x.com/a b"; }, Severity::Error, "endpoints[0].url",
			"must not contain whitespace"},
		{"url query", [](Config & c) { ep(c).url = "https://x.com/?a=1"; }, Severity::Error, "endpoints[0].url",
			"must not carry a query or fragment (the client's query is appended)"},
		{"url fragment", [](Config & c) { ep(c).url = "https://x.com/#top"; }, Severity::Error, "endpoints[0].url",
			"must not carry a query or fragment (the client's query is appended)"},
		{"endpoint_type unknown", [](Config & c) { ep(c).endpoint_type = "gemini"; }, Severity::Error, "endpoints[0].endpoint_type",
			"must be one of anthropic, openai, got \"gemini\""},
		{"auth_type missing", [](Config & c) { ep(c).auth_type = ""; }, Severity::Error, "endpoints[0].auth_type",
			"must be one of api_key, auth_token, oauth"},
		{"auth_type unknown", [](Config & c) { ep(c).auth_type = "basic"; }, Severity::Error, "endpoints[0].auth_type",
			"must be one of api_key, auth_token, oauth, got \"basic\""},
		{"auth_value missing", [](Config & c) { ep(c).auth_value = ""; }, Severity::Error, "endpoints[0].auth_value",
			"is required unless auth_type is oauth"},
		{"oauth without oauth_config", [](Config & c) { ep(c, 2).oauth_config.reset(); }, Severity::Error,
			"endpoints[2].oauth_config", "is required when auth_type is oauth"},
		{"openai with api_key", [](Config & c) { ep(c, 1).auth_type = "api_key"; }, Severity::Error, "endpoints[1].auth_type",
			"must be auth_token or oauth for openai endpoints (they expect Authorization: Bearer)"},
		{"openai without path_prefix", [](Config & c) { ep(c, 1).path_prefix = ""; }, Severity::Error, "endpoints[1].path_prefix",
			"is required for openai endpoints, e.g. /v1/chat/completions"},
		{"openai relative path_prefix", [](Config & c) { ep(c, 1).path_prefix = "v1/chat/completions"; }, Severity::Error,
			"endpoints[1].path_prefix", "must start with /"},
		{"anthropic with path_prefix", [](Config & c) { ep(c).path_prefix = "/v1"; }, Severity::Error, "endpoints[0].path_prefix",
			"must be empty for anthropic endpoints (the client's /v1/... path is appended to url)"},
		{"negative priority", [](Config & c) { ep(c).priority = -1; }, Severity::Error, "endpoints[0].priority",
			"must be zero or positive"},
		{"weight zero", [](Config & c) { ep(c).weight = 0; }, Severity::Error, "endpoints[0].weight", "must be between 1 and 1000"},
		{"weight too big", [](Config & c) { ep(c).weight = 1001; }, Severity::Error, "endpoints[0].weight",
			"must be between 1 and 1000"},
		{"tag with space", [](Config & c) { ep(c).tags = {"a b"}; }, Severity::Error, "endpoints[0].tags[0]", kTagRule},
		{"tag with comma", [](Config & c) { ep(c).tags = {"ok", "a,b"}; }, Severity::Error, "endpoints[0].tags[1]", kTagRule},
		{"tag empty", [](Config & c) { ep(c).tags = {""}; }, Severity::Error, "endpoints[0].tags[0]", kTagRule},
		{"tag too long", [](Config & c) { ep(c).tags = {std::string(51, 't')}; }, Severity::Error, "endpoints[0].tags[0]", kTagRule},
		{"tag with quote", [](Config & c) { ep(c).tags = {"a\"b"}; }, Severity::Error, "endpoints[0].tags[0]", kTagRule},
		{"tag repeated", [](Config & c) { ep(c).tags = {"x", "x"}; }, Severity::Warning, "endpoints[0].tags[1]",
			"repeats tag \"x\""},
		{"too many tags",
			[](Config & c) {
				ep(c).tags.clear();
				for (int i = 0; i < 21; ++i)
					ep(c).tags.push_back("t" + std::to_string(i));
			},
			Severity::Error, "endpoints[0].tags", "must hold at most 20 tags"},
		{"rewrite without rules", [](Config & c) { ep(c, 1).model_rewrite->rules.clear(); }, Severity::Error,
			"endpoints[1].model_rewrite.rules", "must hold at least one rule when model_rewrite is enabled"},
		{"rewrite source missing", [](Config & c) { ep(c, 1).model_rewrite->rules[0].source_pattern = ""; }, Severity::Error,
			"endpoints[1].model_rewrite.rules[0].source_pattern", "is required"},
		{"rewrite source bad glob", [](Config & c) { ep(c, 1).model_rewrite->rules[0].source_pattern = "gpt-[45"; },
			Severity::Error, "endpoints[1].model_rewrite.rules[0].source_pattern",
			"is not a valid pattern: unterminated [ character class"},
		{"rewrite source repeated", [](Config & c) { ep(c, 1).model_rewrite->rules.push_back({"claude-*", "gpt-4"}); },
			Severity::Error, "endpoints[1].model_rewrite.rules[1].source_pattern",
			"repeats an earlier rule's pattern \"claude-*\""},
		{"rewrite target missing", [](Config & c) { ep(c, 1).model_rewrite->rules[0].target_model = ""; }, Severity::Error,
			"endpoints[1].model_rewrite.rules[0].target_model", "is required"},
		{"proxy type missing", [](Config & c) { ep(c, 2).proxy->type = ""; }, Severity::Error, "endpoints[2].proxy.type",
			"must be one of http, socks5"},
		{"proxy type unknown", [](Config & c) { ep(c, 2).proxy->type = "socks4"; }, Severity::Error, "endpoints[2].proxy.type",
			"must be one of http, socks5, got \"socks4\""},
		{"proxy address missing", [](Config & c) { ep(c, 2).proxy->address = ""; }, Severity::Error, "endpoints[2].proxy.address",
			"is required"},
		{"proxy address without port", [](Config & c) { ep(c, 2).proxy->address = "127.0.0.1"; }, Severity::Error,
			"endpoints[2].proxy.address", "must be host:port"},
		{"proxy address port zero", [](Config & c) { ep(c, 2).proxy->address = "127.0.0.1:0"; }, Severity::Error,
			"endpoints[2].proxy.address", "must be host:port"},
		{"proxy address port too big", [](Config & c) { ep(c, 2).proxy->address = "proxy:70000"; }, Severity::Error,
			"endpoints[2].proxy.address", "must be host:port"},
		{"proxy address bare v6", [](Config & c) { ep(c, 2).proxy->address = "::1:1080"; }, Severity::Error,
			"endpoints[2].proxy.address", "must be host:port"},
		{"proxy address open bracket", [](Config & c) { ep(c, 2).proxy->address = "[::1:1080"; }, Severity::Error,
			"endpoints[2].proxy.address", "must be host:port"},
		{"proxy username alone", [](Config & c) { ep(c, 2).proxy->username = "u"; }, Severity::Error, "endpoints[2].proxy",
			"username and password must be set together"},
		{"proxy password alone", [](Config & c) { ep(c, 2).proxy->password = "p"; }, Severity::Error, "endpoints[2].proxy",
			"username and password must be set together"},
		{"oauth access_token missing", [](Config & c) { ep(c, 2).oauth_config->access_token = ""; }, Severity::Error,
			"endpoints[2].oauth_config.access_token", "is required"},
		{"oauth refresh_token missing", [](Config & c) { ep(c, 2).oauth_config->refresh_token = ""; }, Severity::Error,
			"endpoints[2].oauth_config.refresh_token", "is required"},
		{"oauth token_url missing", [](Config & c) { ep(c, 2).oauth_config->token_url = ""; }, Severity::Error,
			"endpoints[2].oauth_config.token_url", "is required"},
		{"oauth token_url bad", [](Config & c) { ep(c, 2).oauth_config->token_url = "console.anthropic.com/token"; },
			Severity::Error, "endpoints[2].oauth_config.token_url", "must start with http:// or https://"},
		{"oauth expires_at negative", [](Config & c) { ep(c, 2).oauth_config->expires_at = -1; }, Severity::Error,
			"endpoints[2].oauth_config.expires_at",
			"must be zero (refresh on first use) or a time in milliseconds since the epoch"},
		{"oauth access token wrong kind", [](Config & c) { ep(c, 2).oauth_config->access_token = "sk-ant-api03-x"; },
			Severity::Error, "endpoints[2].oauth_config.access_token",
			"an Anthropic OAuth access token starts with sk-ant-oat01-"},
		{"oauth refresh token wrong kind", [](Config & c) { ep(c, 2).oauth_config->refresh_token = "sk-ant-oat01-x"; },
			Severity::Error, "endpoints[2].oauth_config.refresh_token",
			"an Anthropic OAuth refresh token starts with sk-ant-ort01-"},
		{"header override bad name", [](Config & c) { ep(c).header_overrides = {{"X Bad", "1"}}; }, Severity::Error,
			"endpoints[0].header_overrides.X Bad", "is not a valid HTTP header name"},
		{"header override colon", [](Config & c) { ep(c).header_overrides = {{"x-a", "1"}, {"x:b", ""}}; }, Severity::Error,
			"endpoints[0].header_overrides.x:b", "is not a valid HTTP header name"},
		{"header override empty name", [](Config & c) { ep(c).header_overrides = {{"", "1"}}; }, Severity::Error,
			"endpoints[0].header_overrides", "has an empty header name"},
		{"parameter override empty key", [](Config & c) { ep(c).parameter_overrides = {{"", "1"}}; }, Severity::Error,
			"endpoints[0].parameter_overrides", "has an empty key"},
		{"max_tokens_field_name unknown", [](Config & c) { ep(c, 1).max_tokens_field_name = "maxTokens"; }, Severity::Warning,
			"endpoints[1].max_tokens_field_name",
			"is not one of max_tokens, max_completion_tokens, max_output_tokens; max_tokens is used"},
		{"max_tokens_limit zero", [](Config & c) { ep(c, 1).max_tokens_limit = 0; }, Severity::Error,
			"endpoints[1].max_tokens_limit", "must be at least 1"},
		{"enhanced_protection elsewhere", [](Config & c) { ep(c, 1).enhanced_protection = true; }, Severity::Warning,
			"endpoints[1].enhanced_protection", "only applies to api.anthropic.com endpoints"},

		// logging
		{"level unknown", [](Config & c) { c.logging.level = "verbose"; }, Severity::Warning, "logging.level",
			"must be one of debug, info, warn, error; info is used"},
		{"request types unknown", [](Config & c) { c.logging.log_request_types = "some"; }, Severity::Error,
			"logging.log_request_types", "must be one of failed, success, all, got \"some\""},
		{"request body unknown", [](Config & c) { c.logging.log_request_body = "half"; }, Severity::Error,
			"logging.log_request_body", "must be one of none, truncated, full, got \"half\""},
		{"response body unknown", [](Config & c) { c.logging.log_response_body = ""; }, Severity::Error,
			"logging.log_response_body", "must be one of none, truncated, full"},
		{"storage unknown", [](Config & c) { c.logging.storage = "mysql"; }, Severity::Error, "logging.storage",
			"must be one of sqlite, postgresql, got \"mysql\""},
		{"postgres without dsn", [](Config & c) { c.logging.storage = "postgresql"; }, Severity::Error, "logging.postgres_dsn",
			"is required when logging.storage is postgresql"},
		{"retention negative", [](Config & c) { c.logging.retention_days = -1; }, Severity::Error, "logging.retention_days",
			"must be between 0 (keep forever) and 3650"},
		{"retention too long", [](Config & c) { c.logging.retention_days = 3651; }, Severity::Error, "logging.retention_days",
			"must be between 0 (keep forever) and 3650"},
		{"truncated tiny", [](Config & c) { c.logging.truncated_body_bytes = 15; }, Severity::Error, "logging.truncated_body_bytes",
			"must be at least 16 bytes"},
		{"max body below truncated",
			[](Config & c) {
				c.logging.truncated_body_bytes = 4096;
				c.logging.max_body_bytes = 4095;
			},
			Severity::Error, "logging.max_body_bytes", "must be at least logging.truncated_body_bytes"},
		{"log queue too small", [](Config & c) { c.logging.max_queue_bytes = 1024 * 1024 - 1; }, Severity::Error,
			"logging.max_queue_bytes", "must be at least 1MiB"},
		{"spill file too small", [](Config & c) { c.logging.max_spill_bytes = 1024 * 1024; }, Severity::Error,
			"logging.max_spill_bytes", "must be 0 (no spill file) or at least 16MiB"},

		// validation
		{"fixer attempts negative", [](Config & c) { c.validation.python_json_fixing.max_attempts = -1; }, Severity::Error,
			"validation.python_json_fixing.max_attempts", "must be zero or positive"},

		// taggers
		{"tagger name missing", [](Config & c) { c.tagging.taggers[0].name = ""; }, Severity::Error, "tagging.taggers[0].name",
			"is required"},
		{"tagger names repeat",
			[](Config & c) {
				Tagger t = c.tagging.taggers[0];
				t.tag = "other";
				c.tagging.taggers.push_back(t);
			},
			Severity::Error, "tagging.taggers[1].name", "\"gpt-hint\" is already used by tagging.taggers[0]"},
		{"tagger tag missing", [](Config & c) { c.tagging.taggers[0].tag = ""; }, Severity::Error, "tagging.taggers[0].tag",
			"is required"},
		{"tagger tag invalid", [](Config & c) { c.tagging.taggers[0].tag = "two words"; }, Severity::Error,
			"tagging.taggers[0].tag", kTagRule},
		{"tagger type unknown", [](Config & c) { c.tagging.taggers[0].type = "python"; }, Severity::Error,
			"tagging.taggers[0].type", "must be one of builtin, lua, starlark, got \"python\""},
		{"tagger type empty", [](Config & c) { c.tagging.taggers[0].type = ""; }, Severity::Error, "tagging.taggers[0].type",
			"must be one of builtin, lua, starlark"},
		{"builtin_type unknown", [](Config & c) { c.tagging.taggers[0].builtin_type = "cookie"; }, Severity::Error,
			"tagging.taggers[0].builtin_type", "must be one of " + kBuiltinList + ", got \"cookie\""},
		{"builtin_type missing", [](Config & c) { c.tagging.taggers[0].builtin_type = ""; }, Severity::Error,
			"tagging.taggers[0].builtin_type", "must be one of " + kBuiltinList},
		{"path without pattern", [](Config & c) { tagger(c, "path", nlohmann::ordered_json::object()); }, Severity::Error,
			"tagging.taggers[0].config.path_pattern", "is required for builtin_type path"},
		{"path bad pattern", [](Config & c) { tagger(c, "path", {{"path_pattern", "/v1/[x"}}); }, Severity::Error,
			"tagging.taggers[0].config.path_pattern", "is not a valid pattern: unterminated [ character class"},
		{"header without name", [](Config & c) { tagger(c, "header", {{"expected_value", "x"}}); }, Severity::Error,
			"tagging.taggers[0].config.header_name", "is required for builtin_type header"},
		{"header without value", [](Config & c) { tagger(c, "header", {{"header_name", "X-A"}}); }, Severity::Error,
			"tagging.taggers[0].config.expected_value", "is required for builtin_type header"},
		{"header bad pattern", [](Config & c) { tagger(c, "header", {{"header_name", "X-A"}, {"expected_value", "a\\"}}); },
			Severity::Error, "tagging.taggers[0].config.expected_value", "is not a valid pattern: ends with a lone backslash"},
		{"query without name", [](Config & c) { tagger(c, "query", {{"expected_value", "1"}}); }, Severity::Error,
			"tagging.taggers[0].config.param_name", "is required for builtin_type query"},
		{"query without value", [](Config & c) { tagger(c, "query", {{"param_name", "beta"}}); }, Severity::Error,
			"tagging.taggers[0].config.expected_value", "is required for builtin_type query"},
		{"body-json without path", [](Config & c) { tagger(c, "body-json", {{"expected_value", "x"}}); }, Severity::Error,
			"tagging.taggers[0].config.json_path", "is required for builtin_type body-json"},
		{"body-json without value", [](Config & c) { tagger(c, "body-json", {{"json_path", "model"}}); }, Severity::Error,
			"tagging.taggers[0].config.expected_value", "is required for builtin_type body-json"},
		{"model without value", [](Config & c) { tagger(c, "model", {{"expected_value", ""}}); }, Severity::Error,
			"tagging.taggers[0].config.expected_value", "is required for builtin_type model"},
		{"model bad pattern", [](Config & c) { tagger(c, "model", {{"expected_value", "[a"}}); }, Severity::Error,
			"tagging.taggers[0].config.expected_value", "is not a valid pattern: unterminated [ character class"},
		{"user-message without value", [](Config & c) { tagger(c, "user-message", nlohmann::ordered_json::object()); },
			Severity::Error, "tagging.taggers[0].config.expected_value", "is required for builtin_type user-message"},
		{"method without methods", [](Config & c) { tagger(c, "method", nlohmann::ordered_json::object()); }, Severity::Error,
			"tagging.taggers[0].config.methods", "is required for builtin_type method (e.g. [POST, PUT])"},
		{"method with empty list", [](Config & c) { tagger(c, "method", {{"methods", nlohmann::ordered_json::array()}}); },
			Severity::Error, "tagging.taggers[0].config.methods", "is required for builtin_type method (e.g. [POST, PUT])"},
		{"thinking budget text", [](Config & c) { tagger(c, "thinking", {{"min_budget_tokens", "lots"}}); }, Severity::Error,
			"tagging.taggers[0].config.min_budget_tokens", "must be a number >= 0"},
		{"thinking budget negative", [](Config & c) { tagger(c, "thinking", {{"min_budget_tokens", -5}}); }, Severity::Error,
			"tagging.taggers[0].config.min_budget_tokens", "must be a number >= 0"},
		{"context-size without min", [](Config & c) { tagger(c, "context-size", nlohmann::ordered_json::object()); },
			Severity::Error, "tagging.taggers[0].config.min_tokens",
			"is required for builtin_type context-size: a token count > 0"},
		{"context-size zero", [](Config & c) { tagger(c, "context-size", {{"min_tokens", 0}}); }, Severity::Error,
			"tagging.taggers[0].config.min_tokens", "is required for builtin_type context-size: a token count > 0"},
		{"context-size text", [](Config & c) { tagger(c, "context-size", {{"min_tokens", "many"}}); }, Severity::Error,
			"tagging.taggers[0].config.min_tokens", "is required for builtin_type context-size: a token count > 0"},
		{"subagent bad pattern", [](Config & c) { tagger(c, "subagent", {{"model_patterns", nlohmann::ordered_json::array({"*haiku*", "[x"})}}); },
			Severity::Error, "tagging.taggers[0].config.model_patterns[1]", "is not a valid pattern: unterminated [ character class"},
		{"subagent patterns not a list", [](Config & c) { tagger(c, "subagent", {{"model_patterns", 3}}); }, Severity::Error,
			"tagging.taggers[0].config.model_patterns", "must be a list of model patterns, e.g. [\"*haiku*\"]"},
		{"subagent empty pattern", [](Config & c) { tagger(c, "subagent", {{"model_patterns", nlohmann::ordered_json::array({""})}}); },
			Severity::Error, "tagging.taggers[0].config.model_patterns[0]", "must be a non-empty pattern string"},
		{"has-tools bad pattern", [](Config & c) { tagger(c, "has-tools", {{"tool_name", "[mcp"}}); }, Severity::Error,
			"tagging.taggers[0].config.tool_name", "is not a valid pattern: unterminated [ character class"},
		{"has-images zero", [](Config & c) { tagger(c, "has-images", {{"min_images", 0}}); }, Severity::Error,
			"tagging.taggers[0].config.min_images", "must be a whole number >= 1"},
		{"has-images text", [](Config & c) { tagger(c, "has-images", {{"min_images", "two"}}); }, Severity::Error,
			"tagging.taggers[0].config.min_images", "must be a whole number >= 1"},
		{"has-images fraction", [](Config & c) { tagger(c, "has-images", {{"min_images", 1.5}}); }, Severity::Error,
			"tagging.taggers[0].config.min_images", "must be a whole number >= 1"},
		{"lua without script",
			[](Config & c) {
				c.tagging.taggers[0].type = "lua";
				c.tagging.taggers[0].config = nlohmann::ordered_json::object();
			},
			Severity::Error, "tagging.taggers[0].config", "needs script or script_file for a lua tagger"},
		{"starlark", [](Config & c) { c.tagging.taggers[0].type = "starlark"; }, Severity::Warning, "tagging.taggers[0].type",
			"starlark taggers are not supported and this tagger is disabled; port it to a lua tagger (docs/TAGGING.md shows "
			"the equivalents)"},
		{"pipeline timeout zero", [](Config & c) { c.tagging.pipeline_timeout_ms = 0; }, Severity::Error, "tagging.pipeline_timeout",
			"must be greater than zero"},

		// timeouts
		{"tls_handshake zero", [](Config & c) { c.timeouts.tls_handshake_ms = 0; }, Severity::Error, "timeouts.tls_handshake",
			"must be greater than zero"},
		{"response_header zero", [](Config & c) { c.timeouts.response_header_ms = 0; }, Severity::Error,
			"timeouts.response_header", "must be greater than zero"},
		{"idle_connection zero", [](Config & c) { c.timeouts.idle_connection_ms = 0; }, Severity::Error,
			"timeouts.idle_connection", "must be greater than zero"},
		{"health_check_timeout zero", [](Config & c) { c.timeouts.health_check_timeout_ms = 0; }, Severity::Error,
			"timeouts.health_check_timeout", "must be greater than zero"},
		{"check_interval zero", [](Config & c) { c.timeouts.check_interval_ms = 0; }, Severity::Error, "timeouts.check_interval",
			"must be greater than zero"},
		{"connect zero", [](Config & c) { c.timeouts.connect_ms = 0; }, Severity::Error, "timeouts.connect",
			"must be greater than zero"},
		{"non-streaming header zero", [](Config & c) { c.timeouts.response_header_non_streaming_ms = 0; }, Severity::Error,
			"timeouts.response_header_non_streaming", "must be greater than zero"},
		{"stream_idle negative", [](Config & c) { c.timeouts.stream_idle_ms = -1; }, Severity::Error, "timeouts.stream_idle",
			"must be greater than zero"},
		{"recovery_threshold zero", [](Config & c) { c.timeouts.recovery_threshold = 0; }, Severity::Error,
			"timeouts.recovery_threshold", "must be between 1 and 100"},
		{"recovery_threshold too big", [](Config & c) { c.timeouts.recovery_threshold = 101; }, Severity::Error,
			"timeouts.recovery_threshold", "must be between 1 and 100"},

		// failover, circuit breaker
		{"attempts zero", [](Config & c) { c.failover.max_attempts_per_endpoint = 0; }, Severity::Error,
			"failover.max_attempts_per_endpoint", "must be between 1 and 10"},
		{"attempts too many", [](Config & c) { c.failover.max_attempts_per_endpoint = 11; }, Severity::Error,
			"failover.max_attempts_per_endpoint", "must be between 1 and 10"},
		{"deadline zero", [](Config & c) { c.failover.request_deadline_ms = 0; }, Severity::Error, "failover.request_deadline",
			"must be greater than zero"},
		{"breaker threshold zero", [](Config & c) { c.circuit_breaker.failure_threshold = 0; }, Severity::Error,
			"circuit_breaker.failure_threshold", "must be between 1 and 1000"},
		{"breaker threshold too big", [](Config & c) { c.circuit_breaker.failure_threshold = 1001; }, Severity::Error,
			"circuit_breaker.failure_threshold", "must be between 1 and 1000"},
		{"breaker rate zero", [](Config & c) { c.circuit_breaker.failure_rate = 0; }, Severity::Error, "circuit_breaker.failure_rate",
			"must be greater than 0 and at most 1"},
		{"breaker rate above one", [](Config & c) { c.circuit_breaker.failure_rate = 1.01; }, Severity::Error,
			"circuit_breaker.failure_rate", "must be greater than 0 and at most 1"},
		{"breaker window zero", [](Config & c) { c.circuit_breaker.window_ms = 0; }, Severity::Error, "circuit_breaker.window",
			"must be greater than zero"},
		{"breaker min requests negative", [](Config & c) { c.circuit_breaker.min_requests = -1; }, Severity::Error,
			"circuit_breaker.min_requests", "must be zero (rate rule off) or positive"},

		// i18n
		{"language empty", [](Config & c) { c.i18n.default_language = ""; }, Severity::Warning, "i18n.default_language",
			"is empty; the browser's language is used"},
	};
	return all;
}

} // namespace

TEST(ConfigValidate, BaseConfigHasNoFindings)
{
	Diagnostics d = validate(validBase());
	EXPECT_TRUE(d.empty()) << dump(d);
}

TEST(ConfigValidate, DefaultConfigIsValidApartFromNoEndpoints)
{
	Diagnostics d = validate(Config{});
	ASSERT_EQ(d.size(), 1u) << dump(d);
	EXPECT_EQ(d[0].severity, Severity::Warning);
	EXPECT_EQ(d[0].path, "endpoints");
}

// Each case breaks one rule of a valid config and must get exactly that finding: the exact
// severity, key path and message, and nothing else.
TEST(ConfigValidate, EveryRuleReportsItsPathAndMessage)
{
	for (const Case & c : cases())
	{
		SCOPED_TRACE(c.name);
		Config cfg = validBase();
		c.mutate(cfg);
		Diagnostics d = validate(cfg);
		ASSERT_EQ(d.size(), 1u) << dump(d);
		EXPECT_EQ(d[0].severity, c.severity) << dump(d);
		EXPECT_EQ(d[0].path, c.path) << dump(d);
		EXPECT_EQ(d[0].message, c.message) << dump(d);
	}
}

TEST(ConfigValidate, ToStringJoinsPathAndMessage)
{
	Config cfg = validBase();
	cfg.endpoints.push_back(cfg.endpoints[0]);
	cfg.endpoints[3].name = "third";
	cfg.endpoints[3].auth_type = "password";
	Diagnostics d = validate(cfg);
	ASSERT_EQ(d.size(), 1u) << dump(d);
	EXPECT_EQ(d[0].toString(), "endpoints[3].auth_type: must be one of api_key, auth_token, oauth, got \"password\"");
	EXPECT_TRUE(hasErrors(d));
	EXPECT_EQ(countErrors(d), 1u);
	Diagnostic pathless{Severity::Error, "", "the configuration is empty"};
	EXPECT_EQ(pathless.toString(), "the configuration is empty");
}

TEST(ConfigValidate, ReportsEveryProblemNotJustTheFirst)
{
	Config cfg = validBase();
	cfg.server.port = 0;
	cfg.endpoints[0].url = "";
	cfg.endpoints[1].auth_type = "api_key";
	cfg.tagging.taggers[0].tag = "";
	cfg.timeouts.connect_ms = 0;
	Diagnostics d = validate(cfg);
	EXPECT_EQ(countErrors(d), 5u) << dump(d);
	EXPECT_FALSE(hasErrors(validate(validBase())));
}

TEST(ConfigValidate, AcceptedValuesAndSpellings)
{
	struct Ok
	{
		const char * name;
		std::function<void(Config &)> mutate;
	};
	const std::vector<Ok> ok = {
		{"priority zero", [](Config & c) { ep(c).priority = 0; }},
		{"oauth expires_at zero", [](Config & c) { ep(c, 2).oauth_config->expires_at = 0; }},
		{"non-Anthropic oauth tokens", [](Config & c) {
			 ep(c, 2).oauth_config->access_token = "opaque-access";
			 ep(c, 2).oauth_config->refresh_token = "opaque-refresh";
		 }},
		{"http proxy with credentials", [](Config & c) { ep(c, 2).proxy = ProxyConfig{"http", "proxy.local:3128", "u", "p"}; }},
		{"bracketed v6 proxy", [](Config & c) { ep(c, 2).proxy->address = "[::1]:1080"; }},
		{"openai with oauth", [](Config & c) {
			 ep(c, 1).auth_type = "oauth";
			 ep(c, 1).oauth_config = ep(c, 2).oauth_config;
		 }},
		{"disabled model_rewrite is not checked", [](Config & c) { ep(c, 1).model_rewrite = ModelRewrite{false, {{"", ""}}}; }},
		{"header override that removes", [](Config & c) { ep(c).header_overrides = {{"anthropic-beta", ""}}; }},
		{"max_tokens_field_name known", [](Config & c) { ep(c, 1).max_tokens_field_name = "max_completion_tokens"; }},
		{"enhanced_protection on api.anthropic.com", [](Config & c) { ep(c).enhanced_protection = true; }},
		{"url with a path and trailing slash", [](Config & c) { ep(c).url = "http://127.0.0.1:9000/api/claude/"; }},
		{"level warning spelling", [](Config & c) { c.logging.level = "warning"; }},
		{"postgres with dsn", [](Config & c) {
			 c.logging.storage = "postgresql";
			 c.logging.postgres_dsn = "host=127.0.0.1 dbname=ccc";
		 }},
		{"retention zero keeps forever", [](Config & c) { c.logging.retention_days = 0; }},
		{"method with methods list", [](Config & c) { tagger(c, "method", {{"methods", nlohmann::ordered_json::array({"POST", "PUT"})}}); }},
		{"method with allowed_methods", [](Config & c) { tagger(c, "method", {{"allowed_methods", "POST,PUT"}}); }},
		{"method with method", [](Config & c) { tagger(c, "method", {{"method", "POST"}}); }},
		{"method with expected_value", [](Config & c) { tagger(c, "method", {{"expected_value", "P*"}}); }},
		{"thinking without budget", [](Config & c) { tagger(c, "thinking", nlohmann::ordered_json::object()); }},
		{"thinking budget as string", [](Config & c) { tagger(c, "thinking", {{"min_budget_tokens", "1024"}}); }},
		{"context-size as number", [](Config & c) { tagger(c, "context-size", {{"min_tokens", 100000}}); }},
		{"subagent needs no config", [](Config & c) { tagger(c, "subagent", nlohmann::ordered_json::object()); }},
		{"has-tools needs no config", [](Config & c) { tagger(c, "has-tools", nlohmann::ordered_json::object()); }},
		{"has-images needs no config", [](Config & c) { tagger(c, "has-images", nlohmann::ordered_json::object()); }},
		{"subagent patterns", [](Config & c) { tagger(c, "subagent", {{"model_patterns", nlohmann::ordered_json::array({"*haiku*", "claude-3-5-*"})}}); }},
		{"subagent one pattern as string", [](Config & c) { tagger(c, "subagent", {{"model_patterns", "*haiku*"}}); }},
		{"has-tools pattern", [](Config & c) { tagger(c, "has-tools", {{"tool_name", "mcp__*"}}); }},
		{"has-images two", [](Config & c) { tagger(c, "has-images", {{"min_images", 2}}); }},
		{"query value as bool", [](Config & c) { tagger(c, "query", {{"param_name", "beta"}, {"expected_value", true}}); }},
		{"lua with script_file", [](Config & c) {
			 c.tagging.taggers[0].type = "lua";
			 c.tagging.taggers[0].config = {{"script_file", "taggers/x.lua"}};
		 }},
		{"disabled tagger still valid", [](Config & c) { c.tagging.taggers[0].enabled = false; }},
		{"breaker min_requests zero", [](Config & c) { c.circuit_breaker.min_requests = 0; }},
		{"breaker rate one", [](Config & c) { c.circuit_breaker.failure_rate = 1.0; }},
	};
	for (const Ok & o : ok)
	{
		SCOPED_TRACE(o.name);
		Config cfg = validBase();
		o.mutate(cfg);
		Diagnostics d = validate(cfg);
		EXPECT_TRUE(d.empty()) << dump(d);
	}
}

TEST(ConfigValidate, DisabledTaggersAreStillChecked)
{
	// Like the original: a broken tagger is an error even while disabled, so enabling it later
	// from the admin cannot fail at run time.
	Config cfg = validBase();
	cfg.tagging.taggers[0].enabled = false;
	cfg.tagging.taggers[0].builtin_type = "nope";
	EXPECT_TRUE(hasErrors(validate(cfg)));
}

TEST(ConfigValidate, BuiltinTaggerTypesIncludeTheOriginalsAndMethod)
{
	const auto & types = builtinTaggerTypes();
	for (const char * t : {"path", "header", "query", "body-json", "model", "user-message", "thinking", "method"})
		EXPECT_NE(std::find(types.begin(), types.end(), t), types.end()) << t;
}
