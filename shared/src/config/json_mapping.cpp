#include "ccc/config/json_mapping.h"

#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <functional>
#include <limits>
#include <set>

#include "ccc/config/duration.h"

namespace ccc::config
{

using json = nlohmann::ordered_json;

namespace
{

std::string typeName(const json & v)
{
	switch (v.type())
	{
		case json::value_t::null: return "null";
		case json::value_t::boolean: return "a boolean";
		case json::value_t::number_integer:
		case json::value_t::number_unsigned: return "an integer";
		case json::value_t::number_float: return "a number";
		case json::value_t::string: return "a string";
		case json::value_t::array: return "a list";
		case json::value_t::object: return "a mapping";
		default: return "a value";
	}
}

/// Walks one mapping, remembering which keys were consumed so the rest can be reported.
class Reader
{
public:
	Reader(const json & node, std::string path, Diagnostics & diags) : _node(node), _path(std::move(path)), _diags(diags) { }

	/// False (and an error) when the node is present but not a mapping.
	bool isObject() const { return _node.is_object(); }

	std::string keyPath(const std::string & key) const { return _path.empty() ? key : _path + "." + key; }

	const json * find(const std::string & key)
	{
		_seen.insert(key);
		if (!_node.is_object())
			return nullptr;
		auto it = _node.find(key);
		if (it == _node.end() || it->is_null())
			return nullptr;
		return &*it;
	}

	void error(const std::string & path, const std::string & message) { _diags.push_back({Severity::Error, path, message}); }
	void warning(const std::string & path, const std::string & message) { _diags.push_back({Severity::Warning, path, message}); }

	void str(const std::string & key, std::string & out)
	{
		if (const json * v = find(key))
		{
			if (v->is_string())
				out = v->get<std::string>();
			else if (v->is_number_integer() || v->is_number_unsigned() || v->is_boolean())
				out = v->dump();
			else if (v->is_number_float())
				out = v->dump();
			else
				error(keyPath(key), "must be a string, got " + typeName(*v));
		}
	}

	void optStr(const std::string & key, std::optional<std::string> & out)
	{
		if (find(key))
		{
			std::string s;
			str(key, s);
			out = s;
		}
	}

	template <typename Int>
	bool integer(const std::string & key, Int & out)
	{
		const json * v = find(key);
		if (!v)
			return false;
		int64_t value = 0;
		const IntRead read = toInt(*v, value);
		if (read == IntRead::NotInteger)
		{
			error(keyPath(key), "must be an integer, got " + describe(*v));
			return false;
		}
		if (read == IntRead::OutOfRange || value < static_cast<int64_t>(std::numeric_limits<Int>::min())
			|| value > static_cast<int64_t>(std::numeric_limits<Int>::max()))
		{
			error(keyPath(key), "is out of range (" + std::to_string(std::numeric_limits<Int>::min()) + " to "
				+ std::to_string(std::numeric_limits<Int>::max()) + "), got " + describe(*v));
			return false;
		}
		out = static_cast<Int>(value);
		return true;
	}

	void optInt(const std::string & key, std::optional<int64_t> & out)
	{
		int64_t v = 0;
		if (integer(key, v))
			out = v;
	}

	void number(const std::string & key, double & out)
	{
		const json * v = find(key);
		if (!v)
			return;
		if (v->is_number())
			out = v->get<double>();
		else if (v->is_string())
		{
			try
			{
				size_t used = 0;
				std::string s = v->get<std::string>();
				double d = std::stod(s, &used);
				if (used != s.size())
					throw std::invalid_argument(s);
				out = d;
			}
			catch (const std::exception &)
			{
				error(keyPath(key), "must be a number, got " + describe(*v));
			}
		}
		else
			error(keyPath(key), "must be a number, got " + describe(*v));
	}

	bool boolean(const std::string & key, bool & out)
	{
		const json * v = find(key);
		if (!v)
			return false;
		if (v->is_boolean())
		{
			out = v->get<bool>();
			return true;
		}
		if (v->is_string())
		{
			std::string s = v->get<std::string>();
			for (auto & c : s)
				c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
			if (s == "true" || s == "yes" || s == "on")
			{
				out = true;
				return true;
			}
			if (s == "false" || s == "no" || s == "off")
			{
				out = false;
				return true;
			}
		}
		error(keyPath(key), "must be true or false, got " + describe(*v));
		return false;
	}

	void optBool(const std::string & key, std::optional<bool> & out)
	{
		bool b = false;
		if (boolean(key, b))
			out = b;
	}

	void duration(const std::string & key, int64_t & outMs)
	{
		const json * v = find(key);
		if (!v)
			return;
		std::optional<int64_t> ms;
		// A bare number is seconds. Bound it first: seconds * 1000 must not overflow.
		constexpr double kMaxSeconds = 9.2e12;
		if (v->is_number())
		{
			const double seconds = v->get<double>();
			if (std::isfinite(seconds) && seconds >= 0 && seconds <= kMaxSeconds)
				ms = v->is_number_float() ? static_cast<int64_t>(std::llround(seconds * 1000))
										  : static_cast<int64_t>(v->get<uint64_t>()) * 1000;
		}
		else if (v->is_string())
		{
			if (v->get<std::string>().empty())
				return; // the original fills empty durations with the default
			ms = parseDurationMs(v->get<std::string>());
		}
		if (!ms || *ms < 0)
		{
			error(keyPath(key), "must be a duration such as 30s, 1m30s or 500ms, got " + describe(*v));
			return;
		}
		outMs = *ms;
	}

	void byteSize(const std::string & key, int64_t & out)
	{
		const json * v = find(key);
		if (!v)
			return;
		std::optional<int64_t> n;
		if (v->is_number_integer() || v->is_number_unsigned())
			n = v->get<int64_t>();
		else if (v->is_string())
			n = parseByteSize(v->get<std::string>());
		if (!n || *n < 0)
		{
			error(keyPath(key), "must be a size such as 1048576, 512KB or 1GiB, got " + describe(*v));
			return;
		}
		out = *n;
	}

	void stringList(const std::string & key, std::vector<std::string> & out)
	{
		const json * v = find(key);
		if (!v)
			return;
		out.clear();
		if (v->is_string())
		{
			// "a, b" is accepted for lists of words (tags, scopes) as the original admin sent them.
			std::string s = v->get<std::string>();
			size_t start = 0;
			while (start <= s.size())
			{
				size_t comma = s.find(',', start);
				std::string part = s.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
				trimInPlace(part);
				if (!part.empty())
					out.push_back(part);
				if (comma == std::string::npos)
					break;
				start = comma + 1;
			}
			return;
		}
		if (!v->is_array())
		{
			error(keyPath(key), "must be a list of strings, got " + typeName(*v));
			return;
		}
		for (size_t i = 0; i < v->size(); ++i)
		{
			const json & item = (*v)[i];
			if (item.is_string())
				out.push_back(item.get<std::string>());
			else if (item.is_number() || item.is_boolean())
				out.push_back(item.dump());
			else
				error(keyPath(key) + "[" + std::to_string(i) + "]", "must be a string, got " + typeName(item));
		}
	}

	void stringMap(const std::string & key, OrderedStringMap & out)
	{
		const json * v = find(key);
		if (!v)
			return;
		if (!v->is_object())
		{
			error(keyPath(key), "must be a mapping of names to values, got " + typeName(*v));
			return;
		}
		out.clear();
		for (auto it = v->begin(); it != v->end(); ++it)
		{
			const json & item = it.value();
			if (item.is_null())
				out.emplace_back(it.key(), "");
			else if (item.is_string())
				out.emplace_back(it.key(), item.get<std::string>());
			else if (item.is_primitive())
				out.emplace_back(it.key(), item.dump());
			else
				// Parameter overrides may carry JSON objects; keep them as JSON text.
				out.emplace_back(it.key(), item.dump());
		}
	}

	/// A child mapping; reports an error when the key holds something else.
	const json * object(const std::string & key)
	{
		const json * v = find(key);
		if (!v)
			return nullptr;
		if (!v->is_object())
		{
			error(keyPath(key), "must be a mapping, got " + typeName(*v));
			return nullptr;
		}
		return v;
	}

	const json * array(const std::string & key)
	{
		const json * v = find(key);
		if (!v)
			return nullptr;
		if (!v->is_array())
		{
			error(keyPath(key), "must be a list, got " + typeName(*v));
			return nullptr;
		}
		return v;
	}

	/// Marks a key as known but no longer used, with a reason.
	void obsolete(const std::string & key, const std::string & why)
	{
		if (_node.is_object() && _node.contains(key))
			warning(keyPath(key), why);
		_seen.insert(key);
	}

	/// Reports every key that no reader asked for.
	void finish()
	{
		if (!_node.is_object())
			return;
		for (auto it = _node.begin(); it != _node.end(); ++it)
			if (!_seen.count(it.key()))
				warning(keyPath(it.key()), "unknown key, ignored");
	}

private:
	static void trimInPlace(std::string & s)
	{
		size_t b = s.find_first_not_of(" \t");
		size_t e = s.find_last_not_of(" \t");
		s = b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
	}

	static std::string describe(const json & v)
	{
		if (v.is_string())
			return "\"" + v.get<std::string>() + "\"";
		if (v.is_primitive())
			return v.dump();
		return typeName(v);
	}

	enum class IntRead
	{
		Ok,
		NotInteger,
		OutOfRange
	};

	static IntRead toInt(const json & v, int64_t & out)
	{
		// is_number_integer() is true for unsigned values too: test unsigned first, or a value
		// above INT64_MAX would wrap to a negative number.
		if (v.is_number_unsigned())
		{
			uint64_t u = v.get<uint64_t>();
			if (u > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()))
				return IntRead::OutOfRange;
			out = static_cast<int64_t>(u);
			return IntRead::Ok;
		}
		if (v.is_number_integer())
		{
			out = v.get<int64_t>();
			return IntRead::Ok;
		}
		if (v.is_number_float())
		{
			double d = v.get<double>();
			if (!std::isfinite(d) || std::floor(d) != d)
				return IntRead::NotInteger;
			if (std::fabs(d) > 9e18)
				return IntRead::OutOfRange;
			out = static_cast<int64_t>(d);
			return IntRead::Ok;
		}
		if (v.is_string())
		{
			const std::string s = v.get<std::string>();
			size_t i = (!s.empty() && (s[0] == '-' || s[0] == '+')) ? 1 : 0;
			if (i == s.size())
				return IntRead::NotInteger;
			for (size_t j = i; j < s.size(); ++j)
				if (!std::isdigit(static_cast<unsigned char>(s[j])))
					return IntRead::NotInteger;
			errno = 0;
			char * end = nullptr;
			long long parsed = std::strtoll(s.c_str(), &end, 10);
			if (errno == ERANGE)
				return IntRead::OutOfRange;
			out = parsed;
			return IntRead::Ok;
		}
		return IntRead::NotInteger;
	}

	const json & _node;
	std::string _path;
	Diagnostics & _diags;
	std::set<std::string> _seen;
};

/// A PostgreSQL DSN may carry a password as `password=...` (key/value form) or as
/// `user:secret@` (URL form): mask the whole DSN then, since either form can be written many ways.
std::string maskDsn(const std::string & dsn)
{
	const size_t scheme = dsn.find("://");
	const size_t at = dsn.find('@');
	const bool urlPassword = scheme != std::string::npos && at != std::string::npos && at > scheme
		&& dsn.find(':', scheme + 3) < at;
	std::string lower = dsn;
	for (auto & ch : lower)
		ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
	if (urlPassword || lower.find("password") != std::string::npos)
		return "********";
	return dsn;
}

std::string indexPath(const std::string & base, size_t i)
{
	return base + "[" + std::to_string(i) + "]";
}

void readServer(const json & node, ServerConfig & s, Diagnostics & d)
{
	Reader r(node, "server", d);
	r.str("host", s.host);
	if (s.host.empty())
		s.host = "127.0.0.1"; // the original binds 127.0.0.1 when host is empty
	r.integer("port", s.port);
	r.integer("max_concurrent_streams", s.max_concurrent_streams);
	r.byteSize("max_request_body", s.max_request_body);
	r.duration("shutdown_grace", s.shutdown_grace_ms);
	r.stringList("client_tokens", s.client_tokens);
	r.str("admin_password_hash", s.admin_password_hash);
	r.boolean("require_admin_password", s.require_admin_password);
	r.obsolete("auth_token", "is not used (the original ignored it too); use server.client_tokens to require client tokens");
	r.finish();
}

void readModelRewrite(const json & node, const std::string & path, ModelRewrite & m, Diagnostics & d)
{
	Reader r(node, path, d);
	r.boolean("enabled", m.enabled);
	if (const json * rules = r.array("rules"))
	{
		m.rules.clear();
		for (size_t i = 0; i < rules->size(); ++i)
		{
			const std::string p = indexPath(r.keyPath("rules"), i);
			if (!(*rules)[i].is_object())
			{
				d.push_back({Severity::Error, p, "must be a mapping with source_pattern and target_model"});
				continue;
			}
			Reader rr((*rules)[i], p, d);
			ModelRewriteRule rule;
			rr.str("source_pattern", rule.source_pattern);
			rr.str("target_model", rule.target_model);
			rr.finish();
			m.rules.push_back(std::move(rule));
		}
	}
	r.finish();
}

void readEndpoint(const json & node, const std::string & path, Endpoint & e, Diagnostics & d)
{
	Reader r(node, path, d);
	r.str("name", e.name);
	r.str("url", e.url);
	r.str("endpoint_type", e.endpoint_type);
	if (e.endpoint_type.empty())
		e.endpoint_type = "anthropic";
	r.str("path_prefix", e.path_prefix);
	r.str("auth_type", e.auth_type);
	r.str("auth_value", e.auth_value);
	r.boolean("enabled", e.enabled);
	r.integer("priority", e.priority);
	if (e.priority == 0)
		e.priority = 1;
	r.stringList("tags", e.tags);
	if (const json * mr = r.object("model_rewrite"))
	{
		ModelRewrite m;
		readModelRewrite(*mr, r.keyPath("model_rewrite"), m, d);
		e.model_rewrite = std::move(m);
	}
	if (const json * px = r.object("proxy"))
	{
		ProxyConfig p;
		Reader pr(*px, r.keyPath("proxy"), d);
		pr.str("type", p.type);
		pr.str("address", p.address);
		pr.str("username", p.username);
		pr.str("password", p.password);
		pr.finish();
		e.proxy = std::move(p);
	}
	if (const json * oc = r.object("oauth_config"))
	{
		OAuthConfig o;
		Reader orr(*oc, r.keyPath("oauth_config"), d);
		orr.str("access_token", o.access_token);
		orr.str("refresh_token", o.refresh_token);
		orr.integer("expires_at", o.expires_at);
		orr.str("token_url", o.token_url);
		orr.str("client_id", o.client_id);
		orr.stringList("scopes", o.scopes);
		orr.boolean("auto_refresh", o.auto_refresh);
		orr.finish();
		e.oauth_config = std::move(o);
	}
	r.stringMap("header_overrides", e.header_overrides);
	r.stringMap("parameter_overrides", e.parameter_overrides);
	r.str("max_tokens_field_name", e.max_tokens_field_name);
	r.optInt("rate_limit_reset", e.rate_limit_reset);
	r.optStr("rate_limit_status", e.rate_limit_status);
	r.boolean("enhanced_protection", e.enhanced_protection);
	r.optBool("reorder_system_messages_first", e.reorder_system_messages_first);
	r.str("id", e.id);
	r.integer("weight", e.weight);
	r.boolean("tls_verify", e.tls_verify);
	r.str("ca_file", e.ca_file);
	r.optInt("max_tokens_limit", e.max_tokens_limit);
	if (const json * oa = r.object("openai"))
	{
		Reader orr(*oa, r.keyPath("openai"), d);
		if (orr.find("strip_schema_keywords"))
		{
			std::vector<std::string> kw;
			orr.stringList("strip_schema_keywords", kw);
			e.openai.strip_schema_keywords = kw;
		}
		orr.boolean("keep_thinking_history", e.openai.keep_thinking_history);
		orr.boolean("count_tokens_estimate", e.openai.count_tokens_estimate);
		orr.optBool("allow_missing_done", e.openai.allow_missing_done);
		orr.finish();
	}
	r.finish();
}

void readTagger(const json & node, const std::string & path, Tagger & t, Diagnostics & d)
{
	Reader r(node, path, d);
	r.str("name", t.name);
	r.str("type", t.type);
	r.str("builtin_type", t.builtin_type);
	r.str("tag", t.tag);
	r.boolean("enabled", t.enabled);
	r.integer("priority", t.priority);
	if (const json * c = r.object("config"))
		t.config = *c;
	// Lua scripts may sit at the tagger level too; fold them into config.
	if (const json * s = r.find("script"))
		t.config["script"] = *s;
	if (const json * s = r.find("script_file"))
		t.config["script_file"] = *s;
	r.finish();
}

void readLogging(const json & node, LoggingConfig & l, Diagnostics & d)
{
	Reader r(node, "logging", d);
	r.str("level", l.level);
	r.str("log_request_types", l.log_request_types);
	r.str("log_request_body", l.log_request_body);
	r.str("log_response_body", l.log_response_body);
	r.str("log_directory", l.log_directory);
	// The original fills empty values with these defaults.
	if (l.log_request_types.empty())
		l.log_request_types = "all";
	if (l.log_request_body.empty())
		l.log_request_body = "full";
	if (l.log_response_body.empty())
		l.log_response_body = "full";
	if (l.log_directory.empty())
		l.log_directory = "./logs";
	if (l.level.empty())
		l.level = "info";
	r.byteSize("truncated_body_bytes", l.truncated_body_bytes);
	r.byteSize("max_body_bytes", l.max_body_bytes);
	r.integer("retention_days", l.retention_days);
	r.byteSize("retention_max_bytes", l.retention_max_bytes);
	r.str("storage", l.storage);
	r.str("postgres_dsn", l.postgres_dsn);
	r.byteSize("max_queue_bytes", l.max_queue_bytes);
	r.byteSize("max_spill_bytes", l.max_spill_bytes);
	r.finish();
}

void readValidation(const json & node, ValidationConfig & v, Diagnostics & d)
{
	Reader r(node, "validation", d);
	if (const json * p = r.object("python_json_fixing"))
	{
		Reader pr(*p, "validation.python_json_fixing", d);
		pr.boolean("enabled", v.python_json_fixing.enabled);
		pr.stringList("target_tools", v.python_json_fixing.target_tools);
		pr.boolean("debug_logging", v.python_json_fixing.debug_logging);
		pr.integer("max_attempts", v.python_json_fixing.max_attempts);
		pr.finish();
	}
	const char * always = "is no longer a setting: responses are always validated strictly";
	r.obsolete("strict_anthropic_format", always);
	r.obsolete("validate_streaming", always);
	r.obsolete("disconnect_on_invalid", "is no longer a setting: invalid responses fail over to the next endpoint");
	r.finish();
}

void readTagging(const json & node, TaggingConfig & t, Diagnostics & d)
{
	Reader r(node, "tagging", d);
	r.duration("pipeline_timeout", t.pipeline_timeout_ms);
	if (const json * list = r.array("taggers"))
	{
		t.taggers.clear();
		for (size_t i = 0; i < list->size(); ++i)
		{
			const std::string p = indexPath("tagging.taggers", i);
			if (!(*list)[i].is_object())
			{
				d.push_back({Severity::Error, p, "must be a mapping"});
				continue;
			}
			Tagger tg;
			readTagger((*list)[i], p, tg, d);
			t.taggers.push_back(std::move(tg));
		}
	}
	r.boolean("fallback_to_untagged", t.fallback_to_untagged);
	r.boolean("untagged_use_tagged", t.untagged_use_tagged);
	r.obsolete("enabled", "is not used: tagging is always on when taggers are configured");
	r.finish();
}

void readTimeouts(const json & node, TimeoutsConfig & t, Diagnostics & d)
{
	Reader r(node, "timeouts", d);
	r.duration("tls_handshake", t.tls_handshake_ms);
	r.duration("response_header", t.response_header_ms);
	r.duration("idle_connection", t.idle_connection_ms);
	r.duration("health_check_timeout", t.health_check_timeout_ms);
	r.duration("check_interval", t.check_interval_ms);
	r.integer("recovery_threshold", t.recovery_threshold);
	if (t.recovery_threshold == 0)
		t.recovery_threshold = 1;
	r.duration("connect", t.connect_ms);
	r.duration("response_header_non_streaming", t.response_header_non_streaming_ms);
	r.duration("stream_idle", t.stream_idle_ms);
	r.finish();
}

} // namespace

Diagnostics configFromJson(const json & root, Config & out)
{
	Diagnostics d;
	if (root.is_null())
	{
		d.push_back({Severity::Error, "", "the configuration is empty"});
		return d;
	}
	if (!root.is_object())
	{
		d.push_back({Severity::Error, "", "the configuration must be a mapping of sections, got " + typeName(root)});
		return d;
	}
	Reader r(root, "", d);
	if (const json * s = r.object("server"))
		readServer(*s, out.server, d);
	if (const json * list = r.array("endpoints"))
	{
		out.endpoints.clear();
		for (size_t i = 0; i < list->size(); ++i)
		{
			const std::string p = indexPath("endpoints", i);
			if (!(*list)[i].is_object())
			{
				d.push_back({Severity::Error, p, "must be a mapping"});
				continue;
			}
			Endpoint e;
			readEndpoint((*list)[i], p, e, d);
			out.endpoints.push_back(std::move(e));
		}
	}
	if (const json * l = r.object("logging"))
		readLogging(*l, out.logging, d);
	if (const json * v = r.object("validation"))
		readValidation(*v, out.validation, d);
	if (const json * t = r.object("tagging"))
		readTagging(*t, out.tagging, d);
	if (const json * t = r.object("timeouts"))
		readTimeouts(*t, out.timeouts, d);
	if (const json * f = r.object("failover"))
	{
		Reader fr(*f, "failover", d);
		fr.integer("max_attempts_per_endpoint", out.failover.max_attempts_per_endpoint);
		fr.duration("retry_after_max", out.failover.retry_after_max_ms);
		fr.duration("retry_delay", out.failover.retry_delay_ms);
		fr.duration("request_deadline", out.failover.request_deadline_ms);
		fr.finish();
	}
	if (const json * c = r.object("circuit_breaker"))
	{
		Reader cr(*c, "circuit_breaker", d);
		cr.integer("failure_threshold", out.circuit_breaker.failure_threshold);
		cr.number("failure_rate", out.circuit_breaker.failure_rate);
		cr.duration("window", out.circuit_breaker.window_ms);
		cr.integer("min_requests", out.circuit_breaker.min_requests);
		cr.finish();
	}
	if (const json * lb = r.object("load_balancing"))
	{
		Reader lr(*lb, "load_balancing", d);
		lr.boolean("enabled", out.load_balancing.enabled);
		lr.boolean("sticky_sessions", out.load_balancing.sticky_sessions);
		lr.finish();
	}
	if (const json * i = r.object("i18n"))
	{
		Reader ir(*i, "i18n", d);
		ir.boolean("enabled", out.i18n.enabled);
		ir.str("default_language", out.i18n.default_language);
		ir.str("locales_path", out.i18n.locales_path);
		// Empty values mean the defaults, as in the original (which then used its whole default block).
		if (out.i18n.default_language.empty())
			out.i18n.default_language = I18nConfig{}.default_language;
		if (out.i18n.locales_path.empty())
			out.i18n.locales_path = I18nConfig{}.locales_path;
		ir.finish();
	}
	r.obsolete("web_admin", "is not used: the admin is always served at /admin/");
	r.finish();
	return d;
}

std::string maskSecret(const std::string & value)
{
	if (value.empty())
		return "";
	if (value.size() >= 16)
		return value.substr(0, 4) + "********" + value.substr(value.size() - 2);
	return "********";
}

bool isMaskedSecret(const std::string & value)
{
	return value.find("********") != std::string::npos;
}

json configToJson(const Config & c, bool maskSecrets)
{
	auto secret = [&](const std::string & v) { return maskSecrets ? maskSecret(v) : v; };
	auto strMap = [](const OrderedStringMap & m) {
		json o = json::object();
		for (const auto & [k, v] : m)
			o[k] = v;
		return o;
	};
	json root = json::object();
	json server = {{"host", c.server.host}, {"port", c.server.port}, {"max_concurrent_streams", c.server.max_concurrent_streams},
		{"max_request_body", c.server.max_request_body}};
	server["shutdown_grace"] = formatDurationMs(c.server.shutdown_grace_ms);
	json tokens = json::array();
	for (const auto & t : c.server.client_tokens)
		tokens.push_back(secret(t));
	server["client_tokens"] = tokens;
	server["admin_password_hash"] = maskSecrets && !c.server.admin_password_hash.empty() ? "********" : c.server.admin_password_hash;
	server["require_admin_password"] = c.server.require_admin_password;
	root["server"] = server;

	json eps = json::array();
	for (const Endpoint & e : c.endpoints)
	{
		json j = {{"name", e.name}, {"url", e.url}, {"endpoint_type", e.endpoint_type}, {"auth_type", e.auth_type},
			{"auth_value", secret(e.auth_value)}, {"enabled", e.enabled}, {"priority", e.priority}, {"tags", e.tags}};
		if (!e.id.empty())
			j["id"] = e.id;
		if (!e.path_prefix.empty())
			j["path_prefix"] = e.path_prefix;
		if (e.model_rewrite)
		{
			json rules = json::array();
			for (const auto & r : e.model_rewrite->rules)
				rules.push_back({{"source_pattern", r.source_pattern}, {"target_model", r.target_model}});
			j["model_rewrite"] = {{"enabled", e.model_rewrite->enabled}, {"rules", rules}};
		}
		if (e.proxy)
		{
			j["proxy"] = {{"type", e.proxy->type}, {"address", e.proxy->address}};
			if (!e.proxy->username.empty())
				j["proxy"]["username"] = e.proxy->username;
			if (!e.proxy->password.empty())
				j["proxy"]["password"] = secret(e.proxy->password);
		}
		if (e.oauth_config)
		{
			const OAuthConfig & o = *e.oauth_config;
			j["oauth_config"] = {{"access_token", secret(o.access_token)}, {"refresh_token", secret(o.refresh_token)},
				{"expires_at", o.expires_at}, {"token_url", o.token_url}, {"client_id", o.client_id}, {"scopes", o.scopes},
				{"auto_refresh", o.auto_refresh}};
		}
		if (!e.header_overrides.empty())
		{
			// Header overrides often carry credentials (Authorization, x-api-key): mask those values.
			json h = json::object();
			for (const auto & [k, v] : e.header_overrides)
			{
				std::string lower = k;
				for (auto & ch : lower)
					ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
				bool credential = lower == "authorization" || lower == "x-api-key" || lower == "proxy-authorization"
					|| lower.find("token") != std::string::npos || lower.find("secret") != std::string::npos
					|| lower.find("key") != std::string::npos;
				h[k] = credential ? secret(v) : v;
			}
			j["header_overrides"] = h;
		}
		if (!e.parameter_overrides.empty())
			j["parameter_overrides"] = strMap(e.parameter_overrides);
		if (!e.max_tokens_field_name.empty())
			j["max_tokens_field_name"] = e.max_tokens_field_name;
		if (e.rate_limit_reset)
			j["rate_limit_reset"] = *e.rate_limit_reset;
		if (e.rate_limit_status)
			j["rate_limit_status"] = *e.rate_limit_status;
		if (e.enhanced_protection)
			j["enhanced_protection"] = true;
		if (e.reorder_system_messages_first)
			j["reorder_system_messages_first"] = *e.reorder_system_messages_first;
		if (e.weight != 1)
			j["weight"] = e.weight;
		if (!e.tls_verify)
			j["tls_verify"] = false;
		if (!e.ca_file.empty())
			j["ca_file"] = e.ca_file;
		if (e.max_tokens_limit)
			j["max_tokens_limit"] = *e.max_tokens_limit;
		json oa = json::object();
		if (e.openai.strip_schema_keywords)
			oa["strip_schema_keywords"] = *e.openai.strip_schema_keywords;
		if (e.openai.keep_thinking_history)
			oa["keep_thinking_history"] = true;
		if (!e.openai.count_tokens_estimate)
			oa["count_tokens_estimate"] = false;
		if (e.openai.allow_missing_done)
			oa["allow_missing_done"] = *e.openai.allow_missing_done;
		if (!oa.empty())
			j["openai"] = oa;
		eps.push_back(std::move(j));
	}
	root["endpoints"] = eps;

	const LoggingConfig & l = c.logging;
	root["logging"] = {{"level", l.level}, {"log_request_types", l.log_request_types}, {"log_request_body", l.log_request_body},
		{"log_response_body", l.log_response_body}, {"log_directory", l.log_directory},
		{"truncated_body_bytes", l.truncated_body_bytes}, {"max_body_bytes", l.max_body_bytes},
		{"retention_days", l.retention_days}, {"retention_max_bytes", l.retention_max_bytes}, {"storage", l.storage},
		{"postgres_dsn", maskSecrets ? maskDsn(l.postgres_dsn) : l.postgres_dsn}, {"max_queue_bytes", l.max_queue_bytes},
		{"max_spill_bytes", l.max_spill_bytes}};
	const PythonJsonFixing & p = c.validation.python_json_fixing;
	root["validation"] = {{"python_json_fixing",
		{{"enabled", p.enabled}, {"target_tools", p.target_tools}, {"debug_logging", p.debug_logging}, {"max_attempts", p.max_attempts}}}};
	json taggers = json::array();
	for (const Tagger & t : c.tagging.taggers)
		taggers.push_back({{"name", t.name}, {"type", t.type}, {"builtin_type", t.builtin_type}, {"tag", t.tag},
			{"enabled", t.enabled}, {"priority", t.priority}, {"config", t.config}});
	root["tagging"] = {{"pipeline_timeout", formatDurationMs(c.tagging.pipeline_timeout_ms)}, {"taggers", taggers},
		{"fallback_to_untagged", c.tagging.fallback_to_untagged}, {"untagged_use_tagged", c.tagging.untagged_use_tagged}};
	const TimeoutsConfig & t = c.timeouts;
	root["timeouts"] = {{"tls_handshake", formatDurationMs(t.tls_handshake_ms)}, {"response_header", formatDurationMs(t.response_header_ms)},
		{"idle_connection", formatDurationMs(t.idle_connection_ms)}, {"health_check_timeout", formatDurationMs(t.health_check_timeout_ms)},
		{"check_interval", formatDurationMs(t.check_interval_ms)}, {"recovery_threshold", t.recovery_threshold},
		{"connect", formatDurationMs(t.connect_ms)}, {"response_header_non_streaming", formatDurationMs(t.response_header_non_streaming_ms)},
		{"stream_idle", formatDurationMs(t.stream_idle_ms)}};
	const FailoverConfig & f = c.failover;
	root["failover"] = {{"max_attempts_per_endpoint", f.max_attempts_per_endpoint}, {"retry_after_max", formatDurationMs(f.retry_after_max_ms)},
		{"retry_delay", formatDurationMs(f.retry_delay_ms)}, {"request_deadline", formatDurationMs(f.request_deadline_ms)}};
	const CircuitBreakerConfig & cb = c.circuit_breaker;
	root["circuit_breaker"] = {{"failure_threshold", cb.failure_threshold}, {"failure_rate", cb.failure_rate},
		{"window", formatDurationMs(cb.window_ms)}, {"min_requests", cb.min_requests}};
	root["load_balancing"] = {{"enabled", c.load_balancing.enabled}, {"sticky_sessions", c.load_balancing.sticky_sessions}};
	root["i18n"] = {{"enabled", c.i18n.enabled}, {"default_language", c.i18n.default_language}, {"locales_path", c.i18n.locales_path}};
	return root;
}

} // namespace ccc::config
