#pragma once
// Shared by the config tests (shared/ and native/): a config with every field set to a
// non-default value, and a field-by-field comparison that names what differs.
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "ccc/config/model.h"

namespace ccc::config::test
{

/// Compares two configs field by field. `fields` lists every field compared (with indexes),
/// `differences` the ones whose values differ.
class ConfigComparison
{
public:
	ConfigComparison(const Config & a, const Config & b) { config(a, b); }

	std::vector<std::string> fields;
	std::vector<std::string> differences;

	/// Field names with the list indexes removed ("endpoints[1].url" -> "endpoints[].url").
	static std::set<std::string> normalised(const std::vector<std::string> & names)
	{
		std::set<std::string> out;
		for (const auto & n : names)
		{
			std::string plain;
			for (size_t i = 0; i < n.size(); ++i)
			{
				plain += n[i];
				if (n[i] == '[')
					while (i + 1 < n.size() && n[i + 1] >= '0' && n[i + 1] <= '9')
						++i;
			}
			out.insert(plain);
		}
		return out;
	}

	std::string report() const
	{
		std::string out;
		for (const auto & d : differences)
			out += d + "\n";
		return out;
	}

private:
	template <typename T>
	void field(const std::string & name, const T & a, const T & b)
	{
		fields.push_back(name);
		if (!(a == b))
			differences.push_back(name);
	}

	template <typename T, typename F>
	void optional(const std::string & name, const std::optional<T> & a, const std::optional<T> & b, F inner)
	{
		field(name + "?", a.has_value(), b.has_value());
		if (a && b)
			inner(*a, *b);
	}

	void config(const Config & a, const Config & b)
	{
		field("server.host", a.server.host, b.server.host);
		field("server.port", a.server.port, b.server.port);
		field("server.max_concurrent_streams", a.server.max_concurrent_streams, b.server.max_concurrent_streams);
		field("server.max_request_body", a.server.max_request_body, b.server.max_request_body);
		field("server.client_tokens", a.server.client_tokens, b.server.client_tokens);
		field("server.admin_password_hash", a.server.admin_password_hash, b.server.admin_password_hash);
		field("server.require_admin_password", a.server.require_admin_password, b.server.require_admin_password);

		field("endpoints.size", a.endpoints.size(), b.endpoints.size());
		for (size_t i = 0; i < a.endpoints.size() && i < b.endpoints.size(); ++i)
			endpoint("endpoints[" + std::to_string(i) + "]", a.endpoints[i], b.endpoints[i]);

		const LoggingConfig & la = a.logging;
		const LoggingConfig & lb = b.logging;
		field("logging.level", la.level, lb.level);
		field("logging.log_request_types", la.log_request_types, lb.log_request_types);
		field("logging.log_request_body", la.log_request_body, lb.log_request_body);
		field("logging.log_response_body", la.log_response_body, lb.log_response_body);
		field("logging.log_directory", la.log_directory, lb.log_directory);
		field("logging.truncated_body_bytes", la.truncated_body_bytes, lb.truncated_body_bytes);
		field("logging.max_body_bytes", la.max_body_bytes, lb.max_body_bytes);
		field("logging.retention_days", la.retention_days, lb.retention_days);
		field("logging.retention_max_bytes", la.retention_max_bytes, lb.retention_max_bytes);
		field("logging.storage", la.storage, lb.storage);
		field("logging.postgres_dsn", la.postgres_dsn, lb.postgres_dsn);
		field("logging.max_queue_bytes", la.max_queue_bytes, lb.max_queue_bytes);
		field("logging.max_spill_bytes", la.max_spill_bytes, lb.max_spill_bytes);

		const PythonJsonFixing & pa = a.validation.python_json_fixing;
		const PythonJsonFixing & pb = b.validation.python_json_fixing;
		field("validation.python_json_fixing.enabled", pa.enabled, pb.enabled);
		field("validation.python_json_fixing.target_tools", pa.target_tools, pb.target_tools);
		field("validation.python_json_fixing.debug_logging", pa.debug_logging, pb.debug_logging);
		field("validation.python_json_fixing.max_attempts", pa.max_attempts, pb.max_attempts);

		field("tagging.pipeline_timeout", a.tagging.pipeline_timeout_ms, b.tagging.pipeline_timeout_ms);
		field("tagging.fallback_to_untagged", a.tagging.fallback_to_untagged, b.tagging.fallback_to_untagged);
		field("tagging.untagged_use_tagged", a.tagging.untagged_use_tagged, b.tagging.untagged_use_tagged);
		field("tagging.taggers.size", a.tagging.taggers.size(), b.tagging.taggers.size());
		for (size_t i = 0; i < a.tagging.taggers.size() && i < b.tagging.taggers.size(); ++i)
		{
			const std::string p = "tagging.taggers[" + std::to_string(i) + "]";
			const Tagger & ta = a.tagging.taggers[i];
			const Tagger & tb = b.tagging.taggers[i];
			field(p + ".name", ta.name, tb.name);
			field(p + ".type", ta.type, tb.type);
			field(p + ".builtin_type", ta.builtin_type, tb.builtin_type);
			field(p + ".tag", ta.tag, tb.tag);
			field(p + ".enabled", ta.enabled, tb.enabled);
			field(p + ".priority", ta.priority, tb.priority);
			field(p + ".config", ta.config, tb.config);
		}

		const TimeoutsConfig & ta = a.timeouts;
		const TimeoutsConfig & tb = b.timeouts;
		field("timeouts.tls_handshake", ta.tls_handshake_ms, tb.tls_handshake_ms);
		field("timeouts.response_header", ta.response_header_ms, tb.response_header_ms);
		field("timeouts.idle_connection", ta.idle_connection_ms, tb.idle_connection_ms);
		field("timeouts.health_check_timeout", ta.health_check_timeout_ms, tb.health_check_timeout_ms);
		field("timeouts.check_interval", ta.check_interval_ms, tb.check_interval_ms);
		field("timeouts.recovery_threshold", ta.recovery_threshold, tb.recovery_threshold);
		field("timeouts.connect", ta.connect_ms, tb.connect_ms);
		field("timeouts.response_header_non_streaming", ta.response_header_non_streaming_ms, tb.response_header_non_streaming_ms);
		field("timeouts.stream_idle", ta.stream_idle_ms, tb.stream_idle_ms);

		field("failover.max_attempts_per_endpoint", a.failover.max_attempts_per_endpoint, b.failover.max_attempts_per_endpoint);
		field("failover.retry_after_max", a.failover.retry_after_max_ms, b.failover.retry_after_max_ms);
		field("failover.retry_delay", a.failover.retry_delay_ms, b.failover.retry_delay_ms);
		field("failover.request_deadline", a.failover.request_deadline_ms, b.failover.request_deadline_ms);

		field("circuit_breaker.failure_threshold", a.circuit_breaker.failure_threshold, b.circuit_breaker.failure_threshold);
		field("circuit_breaker.failure_rate", a.circuit_breaker.failure_rate, b.circuit_breaker.failure_rate);
		field("circuit_breaker.window", a.circuit_breaker.window_ms, b.circuit_breaker.window_ms);
		field("circuit_breaker.min_requests", a.circuit_breaker.min_requests, b.circuit_breaker.min_requests);

		field("load_balancing.enabled", a.load_balancing.enabled, b.load_balancing.enabled);
		field("load_balancing.sticky_sessions", a.load_balancing.sticky_sessions, b.load_balancing.sticky_sessions);

		field("i18n.enabled", a.i18n.enabled, b.i18n.enabled);
		field("i18n.default_language", a.i18n.default_language, b.i18n.default_language);
		field("i18n.locales_path", a.i18n.locales_path, b.i18n.locales_path);
	}

	void endpoint(const std::string & p, const Endpoint & a, const Endpoint & b)
	{
		field(p + ".name", a.name, b.name);
		field(p + ".url", a.url, b.url);
		field(p + ".endpoint_type", a.endpoint_type, b.endpoint_type);
		field(p + ".path_prefix", a.path_prefix, b.path_prefix);
		field(p + ".auth_type", a.auth_type, b.auth_type);
		field(p + ".auth_value", a.auth_value, b.auth_value);
		field(p + ".enabled", a.enabled, b.enabled);
		field(p + ".priority", a.priority, b.priority);
		field(p + ".tags", a.tags, b.tags);
		optional(p + ".model_rewrite", a.model_rewrite, b.model_rewrite, [&](const ModelRewrite & x, const ModelRewrite & y) {
			field(p + ".model_rewrite.enabled", x.enabled, y.enabled);
			field(p + ".model_rewrite.rules.size", x.rules.size(), y.rules.size());
			for (size_t i = 0; i < x.rules.size() && i < y.rules.size(); ++i)
			{
				const std::string rp = p + ".model_rewrite.rules[" + std::to_string(i) + "]";
				field(rp + ".source_pattern", x.rules[i].source_pattern, y.rules[i].source_pattern);
				field(rp + ".target_model", x.rules[i].target_model, y.rules[i].target_model);
			}
		});
		optional(p + ".proxy", a.proxy, b.proxy, [&](const ProxyConfig & x, const ProxyConfig & y) {
			field(p + ".proxy.type", x.type, y.type);
			field(p + ".proxy.address", x.address, y.address);
			field(p + ".proxy.username", x.username, y.username);
			field(p + ".proxy.password", x.password, y.password);
		});
		optional(p + ".oauth_config", a.oauth_config, b.oauth_config, [&](const OAuthConfig & x, const OAuthConfig & y) {
			field(p + ".oauth_config.access_token", x.access_token, y.access_token);
			field(p + ".oauth_config.refresh_token", x.refresh_token, y.refresh_token);
			field(p + ".oauth_config.expires_at", x.expires_at, y.expires_at);
			field(p + ".oauth_config.token_url", x.token_url, y.token_url);
			field(p + ".oauth_config.client_id", x.client_id, y.client_id);
			field(p + ".oauth_config.scopes", x.scopes, y.scopes);
			field(p + ".oauth_config.auto_refresh", x.auto_refresh, y.auto_refresh);
		});
		field(p + ".header_overrides", a.header_overrides, b.header_overrides);
		field(p + ".parameter_overrides", a.parameter_overrides, b.parameter_overrides);
		field(p + ".max_tokens_field_name", a.max_tokens_field_name, b.max_tokens_field_name);
		field(p + ".rate_limit_reset", a.rate_limit_reset, b.rate_limit_reset);
		field(p + ".rate_limit_status", a.rate_limit_status, b.rate_limit_status);
		field(p + ".enhanced_protection", a.enhanced_protection, b.enhanced_protection);
		field(p + ".reorder_system_messages_first", a.reorder_system_messages_first, b.reorder_system_messages_first);
		field(p + ".id", a.id, b.id);
		field(p + ".weight", a.weight, b.weight);
		field(p + ".tls_verify", a.tls_verify, b.tls_verify);
		field(p + ".ca_file", a.ca_file, b.ca_file);
		field(p + ".max_tokens_limit", a.max_tokens_limit, b.max_tokens_limit);
		field(p + ".openai.strip_schema_keywords", a.openai.strip_schema_keywords, b.openai.strip_schema_keywords);
		field(p + ".openai.keep_thinking_history", a.openai.keep_thinking_history, b.openai.keep_thinking_history);
		field(p + ".openai.count_tokens_estimate", a.openai.count_tokens_estimate, b.openai.count_tokens_estimate);
		field(p + ".openai.allow_missing_done", a.openai.allow_missing_done, b.openai.allow_missing_done);
	}
};

/// A config where every field differs from its default somewhere (tests/data/configs/every-field.yaml
/// states the same config in YAML). It is also valid: validate() finds no error in it.
inline Config everyFieldConfig()
{
	Config c;
	c.server.host = "0.0.0.0";
	c.server.port = 9090;
	c.server.max_concurrent_streams = 64;
	c.server.max_request_body = 8LL * 1024 * 1024;
	c.server.client_tokens = {"ccc-client-token-0123456789", "ccc-second-token-abcdefghij"};
	c.server.admin_password_hash = "scrypt$16384$8$1$c2FsdA$aGFzaA";
	c.server.require_admin_password = true;

	Endpoint a;
	a.name = "anthropic-official";
	a.url = "https://api.anthropic.com";
	a.endpoint_type = "anthropic";
	a.auth_type = "api_key";
	a.auth_value = "sk-ant-api03-EVERYFIELDSECRETVALUE0001";
	a.enabled = false;
	a.priority = 2;
	a.tags = {"claude", "thinking"};
	a.model_rewrite = ModelRewrite{true, {{"claude-3-*", "claude-sonnet-4-5"}, {"*haiku*", "claude-haiku-4-5"}}};
	a.proxy = ProxyConfig{"http", "proxy.internal:3128", "proxy-user", "proxy-password-secret"};
	a.header_overrides = {{"anthropic-beta", "oauth-2025-04-20"}, {"X-Api-Key", "header-secret-value-000111"}, {"User-Agent", ""}};
	a.parameter_overrides = {{"temperature", "0.7"}, {"metadata", "{\"user_id\":\"u1\"}"}, {"top_k", ""}};
	a.max_tokens_field_name = "max_tokens";
	a.rate_limit_reset = 1760000000;
	a.rate_limit_status = "allowed";
	a.enhanced_protection = true;
	a.reorder_system_messages_first = false;
	a.id = "ep-official";
	a.weight = 3;
	a.tls_verify = false;
	a.ca_file = "/etc/ccc/upstream-ca.pem";
	a.max_tokens_limit = 32000;
	a.openai.strip_schema_keywords = std::vector<std::string>{"$schema", "additionalProperties"};
	a.openai.keep_thinking_history = true;
	a.openai.count_tokens_estimate = false;
	a.openai.allow_missing_done = true;
	c.endpoints.push_back(a);

	Endpoint o;
	o.name = "openai-oauth";
	o.url = "https://llm.example.com/api";
	o.endpoint_type = "openai";
	o.path_prefix = "/v1/chat/completions";
	o.auth_type = "oauth";
	o.priority = 5;
	OAuthConfig oc;
	oc.access_token = "sk-ant-oat01-EVERYFIELDACCESSTOKEN";
	oc.refresh_token = "sk-ant-ort01-EVERYFIELDREFRESHTOKEN";
	oc.expires_at = 1724924000000;
	oc.token_url = "https://console.anthropic.com/v1/oauth/token";
	oc.client_id = "11111111-2222-3333-4444-555555555555";
	oc.scopes = {"user:inference", "user:profile"};
	oc.auto_refresh = false;
	o.oauth_config = oc;
	o.max_tokens_field_name = "max_completion_tokens";
	o.reorder_system_messages_first = true;
	c.endpoints.push_back(o);

	c.logging.level = "debug";
	c.logging.log_request_types = "failed";
	c.logging.log_request_body = "truncated";
	c.logging.log_response_body = "none";
	c.logging.log_directory = "/var/lib/ccc/logs";
	c.logging.truncated_body_bytes = 2048;
	c.logging.max_body_bytes = 1024LL * 1024;
	c.logging.retention_days = 7;
	c.logging.retention_max_bytes = 512LL * 1024 * 1024;
	c.logging.storage = "postgresql";
	c.logging.postgres_dsn = "host=127.0.0.1 port=5432 dbname=ccc user=ccc password=pg-secret-value";
	c.logging.max_queue_bytes = 64LL * 1024 * 1024;
	c.logging.max_spill_bytes = 256LL * 1024 * 1024;

	c.validation.python_json_fixing.enabled = false;
	c.validation.python_json_fixing.target_tools = {"TodoWrite", "Edit"};
	c.validation.python_json_fixing.debug_logging = true;
	c.validation.python_json_fixing.max_attempts = 5;

	c.tagging.pipeline_timeout_ms = 2500;
	c.tagging.fallback_to_untagged = false;
	c.tagging.untagged_use_tagged = true;
	Tagger t;
	t.name = "thinking-detector";
	t.type = "lua";
	t.builtin_type = "thinking";
	t.tag = "thinking";
	t.enabled = false;
	t.priority = 4;
	t.config = {{"script", "function should_tag() return true end"}, {"min_budget_tokens", 1024}};
	c.tagging.taggers.push_back(t);

	c.timeouts.tls_handshake_ms = 5000;
	c.timeouts.response_header_ms = 90000;
	c.timeouts.idle_connection_ms = 45000;
	c.timeouts.health_check_timeout_ms = 15000;
	c.timeouts.check_interval_ms = 60000;
	c.timeouts.recovery_threshold = 2;
	c.timeouts.connect_ms = 3000;
	c.timeouts.response_header_non_streaming_ms = 300000;
	c.timeouts.stream_idle_ms = 120000;

	c.failover.max_attempts_per_endpoint = 3;
	c.failover.retry_after_max_ms = 5000;
	c.failover.retry_delay_ms = 250;
	c.failover.request_deadline_ms = 900000;

	c.circuit_breaker.failure_threshold = 5;
	c.circuit_breaker.failure_rate = 0.75;
	c.circuit_breaker.window_ms = 120000;
	c.circuit_breaker.min_requests = 20;

	c.load_balancing.enabled = false;
	c.load_balancing.sticky_sessions = false;

	c.i18n.enabled = false;
	c.i18n.default_language = "zh-cn";
	c.i18n.locales_path = "/usr/share/ccc/locales";
	return c;
}

/// A config shaped like `c` (same list sizes, the same optional blocks present) holding only
/// defaults: comparing `c` with it shows which fields `c` sets.
inline Config defaultsShapedLike(const Config & c)
{
	Config blank;
	blank.endpoints.resize(c.endpoints.size());
	for (size_t i = 0; i < c.endpoints.size(); ++i)
	{
		const Endpoint & e = c.endpoints[i];
		Endpoint & b = blank.endpoints[i];
		if (e.model_rewrite)
		{
			b.model_rewrite = ModelRewrite{};
			b.model_rewrite->rules.resize(e.model_rewrite->rules.size());
		}
		if (e.proxy)
			b.proxy = ProxyConfig{};
		if (e.oauth_config)
			b.oauth_config = OAuthConfig{};
	}
	blank.tagging.taggers.resize(c.tagging.taggers.size());
	return blank;
}

} // namespace ccc::config::test
