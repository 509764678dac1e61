#include "ccc/config/validate.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include "ccc/routing/glob.h"

namespace ccc::config
{

namespace
{

class Checker
{
public:
	explicit Checker(Diagnostics & d) : _d(d) { }
	void error(const std::string & path, const std::string & msg) { _d.push_back({Severity::Error, path, msg}); }
	void warning(const std::string & path, const std::string & msg) { _d.push_back({Severity::Warning, path, msg}); }

	void oneOf(const std::string & path, const std::string & value, std::initializer_list<const char *> allowed)
	{
		for (const char * a : allowed)
			if (value == a)
				return;
		error(path, "must be one of " + joinList(allowed) + (value.empty() ? "" : ", got \"" + value + "\""));
	}

	void positive(const std::string & path, int64_t value)
	{
		if (value <= 0)
			error(path, "must be greater than zero");
	}

	static std::string joinList(std::initializer_list<const char *> items)
	{
		std::string out;
		for (const char * i : items)
		{
			if (!out.empty())
				out += ", ";
			out += i;
		}
		return out;
	}

private:
	Diagnostics & _d;
};

bool startsWith(const std::string & s, const char * prefix)
{
	return s.rfind(prefix, 0) == 0;
}

bool validHostPort(const std::string & address)
{
	// host:port or [v6]:port, port 1..65535
	size_t colon = address.rfind(':');
	if (colon == std::string::npos || colon == 0 || colon + 1 == address.size())
		return false;
	std::string host = address.substr(0, colon);
	if (host.front() == '[')
	{
		if (host.back() != ']')
			return false;
	}
	else if (host.find(':') != std::string::npos)
		return false;
	std::string port = address.substr(colon + 1);
	if (port.size() > 5 || !std::all_of(port.begin(), port.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); }))
		return false;
	int p = std::stoi(port);
	return p >= 1 && p <= 65535;
}

bool validUrl(const std::string & url, std::string & why)
{
	if (!(startsWith(url, "http://") || startsWith(url, "https://")))
	{
		why = "must start with http:// or https://";
		return false;
	}
	size_t hostStart = url.find("://") + 3;
	size_t hostEnd = url.find_first_of("/?#", hostStart);
	std::string authority = url.substr(hostStart, hostEnd == std::string::npos ? std::string::npos : hostEnd - hostStart);
	if (authority.empty() || authority.front() == ':')
	{
		why = "has no host";
		return false;
	}
	if (authority.find('@') != std::string::npos)
	{
		why = "must not carry credentials (use auth_value)";
		return false;
	}
	if (url.find_first_of(" \t\r\n") != std::string::npos)
	{
		why = "must not contain whitespace";
		return false;
	}
	if (url.find('?') != std::string::npos || url.find('#') != std::string::npos)
	{
		why = "must not carry a query or fragment (the client's query is appended)";
		return false;
	}
	return true;
}

bool validHeaderName(const std::string & name)
{
	if (name.empty())
		return false;
	static const std::string separators = "()<>@,;:\\\"/[]?={} \t";
	for (char c : name)
		if (static_cast<unsigned char>(c) <= 32 || static_cast<unsigned char>(c) >= 127 || separators.find(c) != std::string::npos)
			return false;
	return true;
}

bool validTag(const std::string & tag)
{
	if (tag.empty() || tag.size() > 50)
		return false;
	for (char c : tag)
		if (std::isspace(static_cast<unsigned char>(c)) || c == ',' || c == '<' || c == '>' || c == '&' || c == '"' || c == '\'')
			return false;
	return true;
}

void checkEndpoint(Checker & ck, const Endpoint & e, const std::string & p)
{
	if (e.name.empty())
		ck.error(p + ".name", "is required");
	else
	{
		if (e.name.find('/') != std::string::npos || e.name.find('\\') != std::string::npos)
			ck.error(p + ".name", "must not contain / or \\");
		if (e.name.size() > 100)
			ck.error(p + ".name", "must be at most 100 characters");
	}
	std::string why;
	if (e.url.empty())
		ck.error(p + ".url", "is required");
	else if (!validUrl(e.url, why))
		ck.error(p + ".url", why);

	ck.oneOf(p + ".endpoint_type", e.endpoint_type, {"anthropic", "openai"});
	ck.oneOf(p + ".auth_type", e.auth_type, {"api_key", "auth_token", "oauth"});
	if (e.auth_type != "oauth" && e.auth_value.empty())
		ck.error(p + ".auth_value", "is required unless auth_type is oauth");
	if (e.auth_type == "oauth" && !e.oauth_config)
		ck.error(p + ".oauth_config", "is required when auth_type is oauth");

	if (e.endpoint_type == "openai")
	{
		if (e.auth_type == "api_key")
			ck.error(p + ".auth_type", "must be auth_token or oauth for openai endpoints (they expect Authorization: Bearer)");
		if (e.path_prefix.empty())
			ck.error(p + ".path_prefix", "is required for openai endpoints, e.g. /v1/chat/completions");
		else if (e.path_prefix.front() != '/')
			ck.error(p + ".path_prefix", "must start with /");
	}
	else if (e.endpoint_type == "anthropic" && !e.path_prefix.empty())
		ck.error(p + ".path_prefix", "must be empty for anthropic endpoints (the client's /v1/... path is appended to url)");

	if (e.priority < 0)
		ck.error(p + ".priority", "must be zero or positive");
	if (e.weight < 1 || e.weight > 1000)
		ck.error(p + ".weight", "must be between 1 and 1000");

	std::set<std::string> seenTags;
	for (size_t i = 0; i < e.tags.size(); ++i)
	{
		const std::string tp = p + ".tags[" + std::to_string(i) + "]";
		if (!validTag(e.tags[i]))
			ck.error(tp, "must be 1-50 characters without spaces, commas or <>&\"'");
		else if (!seenTags.insert(e.tags[i]).second)
			ck.warning(tp, "repeats tag \"" + e.tags[i] + "\"");
	}
	if (e.tags.size() > 20)
		ck.error(p + ".tags", "must hold at most 20 tags");

	if (e.model_rewrite && e.model_rewrite->enabled)
	{
		const std::string mp = p + ".model_rewrite";
		if (e.model_rewrite->rules.empty())
			ck.error(mp + ".rules", "must hold at least one rule when model_rewrite is enabled");
		std::set<std::string> patterns;
		for (size_t i = 0; i < e.model_rewrite->rules.size(); ++i)
		{
			const auto & r = e.model_rewrite->rules[i];
			const std::string rp = mp + ".rules[" + std::to_string(i) + "]";
			if (r.source_pattern.empty())
				ck.error(rp + ".source_pattern", "is required");
			else if (std::string err = routing::globError(r.source_pattern); !err.empty())
				ck.error(rp + ".source_pattern", "is not a valid pattern: " + err);
			else if (!patterns.insert(r.source_pattern).second)
				ck.error(rp + ".source_pattern", "repeats an earlier rule's pattern \"" + r.source_pattern + "\"");
			if (r.target_model.empty())
				ck.error(rp + ".target_model", "is required");
		}
	}

	if (e.proxy)
	{
		const std::string pp = p + ".proxy";
		ck.oneOf(pp + ".type", e.proxy->type, {"http", "socks5"});
		if (e.proxy->address.empty())
			ck.error(pp + ".address", "is required");
		else if (!validHostPort(e.proxy->address))
			ck.error(pp + ".address", "must be host:port");
		if (e.proxy->username.empty() != e.proxy->password.empty())
			ck.error(pp, "username and password must be set together");
	}

	if (e.auth_type == "oauth" && e.oauth_config)
	{
		const OAuthConfig & o = *e.oauth_config;
		const std::string op = p + ".oauth_config";
		if (o.access_token.empty())
			ck.error(op + ".access_token", "is required");
		if (o.refresh_token.empty())
			ck.error(op + ".refresh_token", "is required");
		if (o.token_url.empty())
			ck.error(op + ".token_url", "is required");
		else if (!validUrl(o.token_url, why))
			ck.error(op + ".token_url", why);
		if (o.expires_at < 0)
			ck.error(op + ".expires_at", "must be zero (refresh on first use) or a time in milliseconds since the epoch");
		if (startsWith(o.access_token, "sk-ant-") && !startsWith(o.access_token, "sk-ant-oat01-"))
			ck.error(op + ".access_token", "an Anthropic OAuth access token starts with sk-ant-oat01-");
		if (startsWith(o.refresh_token, "sk-ant-") && !startsWith(o.refresh_token, "sk-ant-ort01-"))
			ck.error(op + ".refresh_token", "an Anthropic OAuth refresh token starts with sk-ant-ort01-");
	}

	for (const auto & kv : e.header_overrides)
		if (kv.first.empty())
			ck.error(p + ".header_overrides", "has an empty header name");
		else if (!validHeaderName(kv.first))
			ck.error(p + ".header_overrides." + kv.first, "is not a valid HTTP header name");
	for (const auto & kv : e.parameter_overrides)
		if (kv.first.empty())
			ck.error(p + ".parameter_overrides", "has an empty key");

	if (!e.max_tokens_field_name.empty() && e.max_tokens_field_name != "max_tokens"
		&& e.max_tokens_field_name != "max_completion_tokens" && e.max_tokens_field_name != "max_output_tokens")
		ck.warning(p + ".max_tokens_field_name",
			"is not one of max_tokens, max_completion_tokens, max_output_tokens; max_tokens is used");
	if (e.max_tokens_limit && *e.max_tokens_limit < 1)
		ck.error(p + ".max_tokens_limit", "must be at least 1");
	if (e.enhanced_protection && e.url.find("api.anthropic.com") == std::string::npos)
		ck.warning(p + ".enhanced_protection", "only applies to api.anthropic.com endpoints");
}

void checkTagger(Checker & ck, const Tagger & t, const std::string & p)
{
	if (t.name.empty())
		ck.error(p + ".name", "is required");
	if (t.tag.empty())
		ck.error(p + ".tag", "is required");
	else if (!validTag(t.tag))
		ck.error(p + ".tag", "must be 1-50 characters without spaces, commas or <>&\"'");
	auto cfgString = [&](const char * key) -> std::string {
		auto it = t.config.find(key);
		if (it == t.config.end() || it->is_null())
			return {};
		if (it->is_string())
			return it->get<std::string>();
		return it->dump();
	};
	// A key counts as set when it holds a non-empty string, a number or a non-empty list.
	auto present = [&](const char * key) {
		auto it = t.config.find(key);
		if (it == t.config.end() || it->is_null())
			return false;
		if (it->is_string())
			return !it->get_ref<const std::string &>().empty();
		if (it->is_array() || it->is_object())
			return !it->empty();
		return true;
	};
	auto require = [&](const char * key) {
		if (cfgString(key).empty())
			ck.error(p + ".config." + key, std::string("is required for builtin_type ") + t.builtin_type);
	};
	auto pattern = [&](const char * key) {
		std::string v = cfgString(key);
		if (!v.empty())
			if (std::string err = routing::globError(v); !err.empty())
				ck.error(p + ".config." + key, "is not a valid pattern: " + err);
	};
	if (t.type == "builtin")
	{
		const auto & types = builtinTaggerTypes();
		if (std::find(types.begin(), types.end(), t.builtin_type) == types.end())
		{
			std::string list;
			for (const auto & s : types)
				list += (list.empty() ? "" : ", ") + s;
			ck.error(p + ".builtin_type", "must be one of " + list + (t.builtin_type.empty() ? "" : ", got \"" + t.builtin_type + "\""));
			return;
		}
		const std::string & b = t.builtin_type;
		if (b == "path")
		{
			require("path_pattern");
			pattern("path_pattern");
		}
		else if (b == "header")
		{
			require("header_name");
			require("expected_value");
			pattern("expected_value");
		}
		else if (b == "query")
		{
			require("param_name");
			require("expected_value");
			pattern("expected_value");
		}
		else if (b == "body-json")
		{
			require("json_path");
			require("expected_value");
			pattern("expected_value");
		}
		else if (b == "model" || b == "user-message")
		{
			require("expected_value");
			pattern("expected_value");
		}
		else if (b == "method")
		{
			// The original's example writes `methods: [POST, PUT]` and its docs `allowed_methods: POST,PUT`;
			// accept those spellings as well as a single `method` / `expected_value`.
			if (!present("methods") && !present("allowed_methods") && !present("method") && !present("expected_value"))
				ck.error(p + ".config.methods", "is required for builtin_type method (e.g. [POST, PUT])");
		}
		else if (b == "thinking")
		{
			std::string v = cfgString("min_budget_tokens");
			if (!v.empty())
			{
				char * end = nullptr;
				double d = std::strtod(v.c_str(), &end);
				if (end == v.c_str() || *end != '\0' || d < 0)
					ck.error(p + ".config.min_budget_tokens", "must be a number >= 0");
			}
		}
		else if (b == "context-size")
		{
			std::string v = cfgString("min_tokens");
			char * end = nullptr;
			double d = v.empty() ? 0 : std::strtod(v.c_str(), &end);
			if (v.empty() || end == v.c_str() || *end != '\0' || d <= 0)
				ck.error(p + ".config.min_tokens", "is required for builtin_type context-size: a token count > 0");
		}
		else if (b == "subagent")
		{
			// model_patterns: a list of globs (or one glob as a string).
			auto it = t.config.find("model_patterns");
			if (it != t.config.end() && !it->is_null())
			{
				if (it->is_string())
					pattern("model_patterns");
				else if (!it->is_array())
					ck.error(p + ".config.model_patterns", "must be a list of model patterns, e.g. [\"*haiku*\"]");
				else
					for (size_t i = 0; i < it->size(); ++i)
					{
						const auto & m = (*it)[i];
						const std::string kp = p + ".config.model_patterns[" + std::to_string(i) + "]";
						if (!m.is_string() || m.get_ref<const std::string &>().empty())
							ck.error(kp, "must be a non-empty pattern string");
						else if (std::string err = routing::globError(m.get<std::string>()); !err.empty())
							ck.error(kp, "is not a valid pattern: " + err);
					}
			}
		}
		else if (b == "has-tools")
			pattern("tool_name");
		else if (b == "has-images")
		{
			std::string v = cfgString("min_images");
			if (!v.empty())
			{
				char * end = nullptr;
				double d = std::strtod(v.c_str(), &end);
				if (end == v.c_str() || *end != '\0' || d < 1 || d != static_cast<double>(static_cast<long long>(d)))
					ck.error(p + ".config.min_images", "must be a whole number >= 1");
			}
		}
	}
	else if (t.type == "lua")
	{
		if (cfgString("script").empty() && cfgString("script_file").empty())
			ck.error(p + ".config", "needs script or script_file for a lua tagger");
	}
	else if (t.type == "starlark")
	{
		ck.warning(p + ".type", "starlark taggers are not supported and this tagger is disabled; port it to a lua tagger "
								"(docs/TAGGING.md shows the equivalents)");
	}
	else
		ck.error(p + ".type", "must be one of builtin, lua, starlark" + (t.type.empty() ? std::string() : ", got \"" + t.type + "\""));
}

} // namespace

const std::vector<std::string> & builtinTaggerTypes()
{
	static const std::vector<std::string> types = {"path", "header", "query", "body-json", "model", "user-message", "thinking",
		"method", "context-size", "subagent", "has-tools", "has-images"};
	return types;
}

Diagnostics validate(const Config & c)
{
	Diagnostics d;
	Checker ck(d);

	if (c.server.host.empty())
		ck.error("server.host", "is required (127.0.0.1 keeps the service local)");
	if (c.server.port < 1 || c.server.port > 65535)
		ck.error("server.port", "must be between 1 and 65535");
	if (c.server.max_concurrent_streams < 1 || c.server.max_concurrent_streams > 100000)
		ck.error("server.max_concurrent_streams", "must be between 1 and 100000");
	if (c.server.max_request_body < 1024)
		ck.error("server.max_request_body", "must be at least 1KB");
	if (c.server.shutdown_grace_ms > 3600LL * 1000)
		ck.error("server.shutdown_grace", "must be at most 1h");

	if (c.endpoints.empty())
		ck.warning("endpoints", "no endpoints are configured: every /v1 request will fail until one is added");
	std::map<std::string, size_t> names, ids;
	for (size_t i = 0; i < c.endpoints.size(); ++i)
	{
		const std::string p = "endpoints[" + std::to_string(i) + "]";
		const Endpoint & e = c.endpoints[i];
		checkEndpoint(ck, e, p);
		if (!e.name.empty())
		{
			auto [it, fresh] = names.emplace(e.name, i);
			if (!fresh)
				ck.error(p + ".name", "\"" + e.name + "\" is already used by endpoints[" + std::to_string(it->second) + "]");
		}
		if (!e.id.empty())
		{
			auto [it, fresh] = ids.emplace(e.id, i);
			if (!fresh)
				ck.error(p + ".id", "\"" + e.id + "\" is already used by endpoints[" + std::to_string(it->second) + "]");
		}
	}
	if (!c.endpoints.empty() && std::none_of(c.endpoints.begin(), c.endpoints.end(), [](const Endpoint & e) { return e.enabled; }))
		ck.warning("endpoints", "all endpoints are disabled: every /v1 request will fail until one is enabled");

	const LoggingConfig & l = c.logging;
	if (l.level != "debug" && l.level != "info" && l.level != "warn" && l.level != "warning" && l.level != "error")
		ck.warning("logging.level", "must be one of debug, info, warn, error; info is used");
	ck.oneOf("logging.log_request_types", l.log_request_types, {"failed", "success", "all"});
	ck.oneOf("logging.log_request_body", l.log_request_body, {"none", "truncated", "full"});
	ck.oneOf("logging.log_response_body", l.log_response_body, {"none", "truncated", "full"});
	ck.oneOf("logging.storage", l.storage, {"sqlite", "postgresql"});
	if (l.storage == "postgresql" && l.postgres_dsn.empty())
		ck.error("logging.postgres_dsn", "is required when logging.storage is postgresql");
	if (l.retention_days < 0 || l.retention_days > 3650)
		ck.error("logging.retention_days", "must be between 0 (keep forever) and 3650");
	if (l.truncated_body_bytes < 16)
		ck.error("logging.truncated_body_bytes", "must be at least 16 bytes");
	if (l.max_body_bytes < l.truncated_body_bytes)
		ck.error("logging.max_body_bytes", "must be at least logging.truncated_body_bytes");
	if (l.max_queue_bytes < 1024 * 1024)
		ck.error("logging.max_queue_bytes", "must be at least 1MiB");
	if (l.max_spill_bytes != 0 && l.max_spill_bytes < 16 * 1024 * 1024)
		ck.error("logging.max_spill_bytes", "must be 0 (no spill file) or at least 16MiB");

	const auto & pj = c.validation.python_json_fixing;
	if (pj.max_attempts < 0)
		ck.error("validation.python_json_fixing.max_attempts", "must be zero or positive");

	std::map<std::string, size_t> taggerNames;
	for (size_t i = 0; i < c.tagging.taggers.size(); ++i)
	{
		const std::string p = "tagging.taggers[" + std::to_string(i) + "]";
		const Tagger & t = c.tagging.taggers[i];
		checkTagger(ck, t, p);
		if (!t.name.empty())
		{
			auto [it, fresh] = taggerNames.emplace(t.name, i);
			if (!fresh)
				ck.error(p + ".name", "\"" + t.name + "\" is already used by tagging.taggers[" + std::to_string(it->second) + "]");
		}
	}
	if (c.tagging.pipeline_timeout_ms <= 0)
		ck.error("tagging.pipeline_timeout", "must be greater than zero");

	const TimeoutsConfig & t = c.timeouts;
	ck.positive("timeouts.tls_handshake", t.tls_handshake_ms);
	ck.positive("timeouts.response_header", t.response_header_ms);
	ck.positive("timeouts.idle_connection", t.idle_connection_ms);
	ck.positive("timeouts.health_check_timeout", t.health_check_timeout_ms);
	ck.positive("timeouts.check_interval", t.check_interval_ms);
	ck.positive("timeouts.connect", t.connect_ms);
	ck.positive("timeouts.response_header_non_streaming", t.response_header_non_streaming_ms);
	ck.positive("timeouts.stream_idle", t.stream_idle_ms);
	if (t.recovery_threshold < 1 || t.recovery_threshold > 100)
		ck.error("timeouts.recovery_threshold", "must be between 1 and 100");

	const FailoverConfig & f = c.failover;
	if (f.max_attempts_per_endpoint < 1 || f.max_attempts_per_endpoint > 10)
		ck.error("failover.max_attempts_per_endpoint", "must be between 1 and 10");
	ck.positive("failover.request_deadline", f.request_deadline_ms);

	const CircuitBreakerConfig & cb = c.circuit_breaker;
	if (cb.failure_threshold < 1 || cb.failure_threshold > 1000)
		ck.error("circuit_breaker.failure_threshold", "must be between 1 and 1000");
	if (cb.failure_rate <= 0 || cb.failure_rate > 1)
		ck.error("circuit_breaker.failure_rate", "must be greater than 0 and at most 1");
	ck.positive("circuit_breaker.window", cb.window_ms);
	if (cb.min_requests < 0)
		ck.error("circuit_breaker.min_requests", "must be zero (rate rule off) or positive");

	if (c.i18n.default_language.empty())
		ck.warning("i18n.default_language", "is empty; the browser's language is used");
	return d;
}

} // namespace ccc::config
