#include "ccc/api/admin_config.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include "ccc/config/json_mapping.h"
#include "ccc/routing/glob.h"
#include "ccc/util/sha256.h"

namespace ccc::api
{

using json = nlohmann::json;
using ojson = nlohmann::ordered_json;

namespace
{

std::string lower(std::string s)
{
	for (auto & c : s)
		c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
	return s;
}

/// The same rule configToJson masks header overrides by.
bool credentialHeader(const std::string & name)
{
	const std::string l = lower(name);
	return l == "authorization" || l == "x-api-key" || l == "proxy-authorization" || l.find("token") != std::string::npos
		|| l.find("secret") != std::string::npos || l.find("key") != std::string::npos;
}

/// The stored secret when `incoming` is a mask of it (or any mask while one is stored).
void keepIfMasked(const std::string & stored, std::string & incoming)
{
	if (stored.empty())
		return;
	if (incoming == config::maskSecret(stored) || config::isMaskedSecret(incoming))
		incoming = stored;
}

std::string str(const json & j, const char * key)
{
	auto it = j.find(key);
	return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

/// Rewrites the leading `from` of each diagnostic path to `to`.
void remap(config::Diagnostics & d, const std::string & from, const std::string & to)
{
	for (auto & x : d)
		if (x.path.compare(0, from.size(), from) == 0)
			x.path = to + x.path.substr(from.size());
}

void requireObject(const json & j, const char * key, config::Diagnostics & d)
{
	if (!j.is_object())
		d.push_back({config::Severity::Error, "", "the request body must be a JSON object"});
	else if (!j.contains(key) || !j[key].is_object())
		d.push_back({config::Severity::Error, key, "is required (an object)"});
}

} // namespace

// ---- versions ----

std::string configVersion(const std::string & fileText)
{
	return util::sha256Hex(fileText).substr(0, 16);
}

std::string requestVersion(const std::string & ifMatchHeader, const json & body)
{
	std::string v = ifMatchHeader;
	if (v.rfind("W/", 0) == 0)
		v = v.substr(2);
	if (v.size() >= 2 && v.front() == '"' && v.back() == '"')
		v = v.substr(1, v.size() - 2);
	if (!v.empty())
		return v;
	if (body.is_object())
		return str(body, "version");
	return {};
}

// ---- secrets ----

void mergeSecrets(const config::Endpoint & stored, config::Endpoint & incoming)
{
	keepIfMasked(stored.auth_value, incoming.auth_value);
	if (stored.proxy && incoming.proxy)
		keepIfMasked(stored.proxy->password, incoming.proxy->password);
	if (stored.oauth_config && incoming.oauth_config)
	{
		keepIfMasked(stored.oauth_config->access_token, incoming.oauth_config->access_token);
		keepIfMasked(stored.oauth_config->refresh_token, incoming.oauth_config->refresh_token);
	}
	for (auto & [k, v] : incoming.header_overrides)
	{
		if (!credentialHeader(k))
			continue;
		for (const auto & [sk, sv] : stored.header_overrides)
			if (lower(sk) == lower(k))
			{
				keepIfMasked(sv, v);
				break;
			}
	}
}

void mergeSecrets(const config::Config & stored, config::Config & incoming)
{
	for (auto & e : incoming.endpoints)
	{
		int i = findEndpoint(stored.endpoints, config::endpointId(e));
		if (i < 0)
			i = findEndpoint(stored.endpoints, e.name);
		if (i >= 0)
			mergeSecrets(stored.endpoints[static_cast<size_t>(i)], e);
	}
	for (size_t i = 0; i < incoming.server.client_tokens.size() && i < stored.server.client_tokens.size(); ++i)
		keepIfMasked(stored.server.client_tokens[i], incoming.server.client_tokens[i]);
	incoming.server.admin_password_hash = stored.server.admin_password_hash;
	if (incoming.logging.postgres_dsn == "********")
		incoming.logging.postgres_dsn = stored.logging.postgres_dsn;
}

// ---- results ----

ojson toJson(const MutationResult & r)
{
	ojson j = {{"version", r.version}, {"restart_required", r.restart_required}};
	if (!r.message.empty())
		j["message"] = r.message;
	if (!r.data.is_null())
		j["data"] = r.data;
	return j;
}

bool fromJson(const json & j, MutationResult & out, std::string & error)
{
	if (!j.is_object() || !j.contains("version"))
	{
		error = "not a mutation result";
		return false;
	}
	out.version = str(j, "version");
	out.restart_required = j.value("restart_required", false);
	out.message = str(j, "message");
	out.data = j.contains("data") ? ojson(j["data"]) : ojson();
	return true;
}

ojson toJson(const ApiError & e)
{
	ojson j = {{"error", e.error}};
	if (!e.path.empty())
		j["path"] = e.path;
	if (!e.version.empty())
		j["version"] = e.version;
	return j;
}

bool fromJson(const json & j, ApiError & out, std::string & error)
{
	if (!j.is_object() || !j.contains("error") || !j["error"].is_string())
	{
		error = "not an error body";
		return false;
	}
	out.error = str(j, "error");
	out.path = str(j, "path");
	out.version = str(j, "version");
	return true;
}

ApiError firstError(const config::Diagnostics & diags)
{
	for (const auto & d : diags)
		if (d.severity == config::Severity::Error)
			return {d.toString(), d.path, {}};
	return {};
}

// ---- endpoints ----

ojson endpointToJson(const config::Endpoint & e)
{
	config::Config one;
	one.endpoints.push_back(e);
	ojson j = config::configToJson(one, /*maskSecrets=*/true)["endpoints"][0];
	j["id"] = config::endpointId(e);
	return j;
}

config::Diagnostics endpointFromJson(const json & j, config::Endpoint & out, const std::string & pathPrefix)
{
	config::Diagnostics d;
	if (!j.is_object())
	{
		d.push_back({config::Severity::Error, pathPrefix, "must be an object"});
		return d;
	}
	config::Config c;
	d = config::configFromJson(ojson{{"endpoints", ojson::array({ojson(j)})}}, c);
	remap(d, "endpoints[0]", pathPrefix);
	if (!c.endpoints.empty())
		out = c.endpoints[0];
	// The API shows derived ids; one sent back unchanged is not an explicit id.
	if (!out.id.empty() && out.id == config::derivedEndpointId(out.name))
		out.id.clear();
	return d;
}

ojson toJson(const EndpointWrite & r)
{
	ojson j = {{"version", r.version}, {"endpoint", endpointToJson(r.endpoint)}};
	return j;
}

config::Diagnostics fromJson(const json & j, EndpointWrite & out)
{
	config::Diagnostics d;
	requireObject(j, "endpoint", d);
	if (!d.empty())
		return d;
	out.version = str(j, "version");
	return endpointFromJson(j["endpoint"], out.endpoint, "endpoint");
}

ojson toJson(const ReorderRequest & r)
{
	return {{"version", r.version}, {"order", r.order}};
}

config::Diagnostics fromJson(const json & j, ReorderRequest & out)
{
	config::Diagnostics d;
	if (!j.is_object() || !j.contains("order") || !j["order"].is_array())
	{
		d.push_back({config::Severity::Error, "order", "is required (a list of endpoint ids or names)"});
		return d;
	}
	out.version = str(j, "version");
	out.order.clear();
	for (size_t i = 0; i < j["order"].size(); ++i)
	{
		if (!j["order"][i].is_string())
			d.push_back({config::Severity::Error, "order[" + std::to_string(i) + "]", "must be a string"});
		else
			out.order.push_back(j["order"][i].get<std::string>());
	}
	return d;
}

int findEndpoint(const std::vector<config::Endpoint> & endpoints, const std::string & key)
{
	for (size_t i = 0; i < endpoints.size(); ++i)
		if (config::endpointId(endpoints[i]) == key)
			return static_cast<int>(i);
	for (size_t i = 0; i < endpoints.size(); ++i)
		if (endpoints[i].name == key)
			return static_cast<int>(i);
	return -1;
}

bool applyOrder(std::vector<config::Endpoint> & endpoints, const std::vector<std::string> & order, std::string & error)
{
	if (order.size() != endpoints.size())
	{
		error = "must list every endpoint exactly once (" + std::to_string(endpoints.size()) + " endpoints, " + std::to_string(order.size()) + " given)";
		return false;
	}
	std::vector<config::Endpoint> next;
	std::set<int> used;
	for (const auto & key : order)
	{
		int i = findEndpoint(endpoints, key);
		if (i < 0)
		{
			error = "no endpoint named or with id '" + key + "'";
			return false;
		}
		if (!used.insert(i).second)
		{
			error = "endpoint '" + key + "' is listed twice";
			return false;
		}
		next.push_back(endpoints[static_cast<size_t>(i)]);
	}
	// Priority is what selection orders by; renumbering makes the list order the tried order.
	for (size_t i = 0; i < next.size(); ++i)
		next[i].priority = static_cast<int>(i) + 1;
	endpoints = std::move(next);
	return true;
}

ojson toJson(const ModelRewriteTest & t)
{
	ojson j = {{"model", t.model}, {"result", t.result}, {"rewritten", t.rewritten}, {"rule_index", t.rule_index}};
	if (t.rule_index >= 0)
		j["source_pattern"] = t.source_pattern;
	if (!t.reason.empty())
		j["reason"] = t.reason;
	return j;
}

bool fromJson(const json & j, ModelRewriteTest & out, std::string & error)
{
	if (!j.is_object() || !j.contains("model") || !j["model"].is_string())
	{
		error = "model: is required (a string)";
		return false;
	}
	out.model = str(j, "model");
	out.result = str(j, "result");
	out.rewritten = j.value("rewritten", false);
	out.rule_index = j.contains("rule_index") && j["rule_index"].is_number_integer() ? j["rule_index"].get<int>() : -1;
	out.source_pattern = str(j, "source_pattern");
	out.reason = str(j, "reason");
	return true;
}

ModelRewriteTest testModelRewrite(const config::Endpoint & e, const std::string & model)
{
	ModelRewriteTest t;
	t.model = model;
	t.result = model;
	if (!e.model_rewrite || !e.model_rewrite->enabled)
	{
		t.reason = "model rewrite is not enabled for this endpoint";
		return t;
	}
	if (model.empty())
	{
		t.reason = "no model given";
		return t;
	}
	for (size_t i = 0; i < e.model_rewrite->rules.size(); ++i)
	{
		const auto & rule = e.model_rewrite->rules[i];
		if (routing::globMatch(rule.source_pattern, model))
		{
			t.rule_index = static_cast<int>(i);
			t.source_pattern = rule.source_pattern;
			t.result = rule.target_model;
			t.rewritten = rule.target_model != model;
			return t;
		}
	}
	t.reason = "no rule matches";
	return t;
}

// ---- names ----

std::string suggestEndpointName(const std::string & base, const std::vector<std::string> & taken)
{
	std::string kept;
	for (unsigned char c : base)
		if (std::isalnum(c) || c == ' ' || c == '_' || c == '-')
			kept += static_cast<char>(std::tolower(c));
	std::string name;
	for (char c : kept)
	{
		char x = (c == ' ' || c == '_') ? '-' : c;
		if (x == '-' && (name.empty() || name.back() == '-'))
			continue; // collapses runs and drops leading '-'
		name += x;
	}
	while (!name.empty() && name.back() == '-')
		name.pop_back();
	if (name.empty())
		name = "endpoint";
	const std::set<std::string> used(taken.begin(), taken.end());
	if (!used.count(name))
		return name;
	for (int n = 1;; ++n)
	{
		std::string candidate = name + "-" + std::to_string(n);
		if (!used.count(candidate))
			return candidate;
	}
}

std::string copyEndpointName(const std::string & name, const std::vector<std::string> & taken)
{
	std::string stem = name;
	// "x (3)" copies as "x (4)", not "x (3) (2)".
	if (stem.size() > 4 && stem.back() == ')')
	{
		size_t open = stem.rfind(" (");
		if (open != std::string::npos && open + 2 < stem.size() - 1
			&& std::all_of(stem.begin() + static_cast<long>(open) + 2, stem.end() - 1, [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; }))
			stem = stem.substr(0, open);
	}
	const std::set<std::string> used(taken.begin(), taken.end());
	for (int n = 2;; ++n)
	{
		std::string candidate = stem + " (" + std::to_string(n) + ")";
		if (!used.count(candidate))
			return candidate;
	}
}

// ---- profiles ----

ojson toJson(const EndpointProfile & p)
{
	return {{"profile_id", p.profile_id}, {"display_name", p.display_name}, {"url", p.url}, {"endpoint_type", p.endpoint_type},
		{"auth_type", p.auth_type}, {"path_prefix", p.path_prefix}, {"require_default_model", p.require_default_model},
		{"default_model_options", p.default_model_options}};
}

const std::vector<EndpointProfile> & endpointProfiles()
{
	// The original's internal/config/endpoint_profiles.yaml, same ids, URLs and model options.
	static const std::vector<EndpointProfile> profiles = {
		{"mirrorcode", "MirrorCode", "https://mirrorapi.o3pro.pro/api/claude", "anthropic", "auth_token", "", false, {}},
		{"gac", "GAC Code", "https://gaccode.com/claudecode", "anthropic", "api_key", "", false, {}},
		{"aicodewith", "AICodeWith", "https://api.jiuwanliguoxue.com", "anthropic", "auth_token", "", false, {}},
		{"glmanthropic", "GLM (Anthropic-compatible)", "https://open.bigmodel.cn/api/anthropic", "anthropic", "auth_token", "", false, {}},
		{"kimianthropic", "Kimi (Anthropic-compatible)", "https://api.moonshot.cn/anthropic", "anthropic", "auth_token", "", true,
			{"kimi-k2-0711-preview", "kimi-k2-turbo-preview"}},
		{"deepseekanthropic", "DeepSeek (Anthropic-compatible)", "https://api.deepseek.com/anthropic", "anthropic", "auth_token", "", true,
			{"deepseek-chat", "deepseek-reasoner"}},
		{"glmopenai", "GLM (OpenAI-compatible)", "https://open.bigmodel.cn", "openai", "auth_token", "/api/paas/v4/chat/completions", true,
			{"glm-4.5", "glm-4.5-air"}},
		{"openrouter", "OpenRouter", "https://openrouter.ai/api", "openai", "auth_token", "/v1/chat/completions", true,
			{"openai/gpt-5-mini", "openai/gpt-oss-120b", "google/gemini-2.5-pro"}},
		{"modelscope", "ModelScope", "https://api-inference.modelscope.cn", "openai", "auth_token", "/v1/chat/completions", true,
			{"Qwen/Qwen3-Coder-480B-A35B-Instruct", "Qwen/Qwen3-235B-A22B-Instruct-2507", "openai-mirror/gpt-oss-120b", "deepseek-ai/DeepSeek-V3.1"}},
		{"iflow", "iFlow", "https://apis.iflow.cn", "openai", "auth_token", "/v1/chat/completions", true,
			{"Qwen3-Coder", "glm-4.5", "Qwen3-235B-A22B-Instruct", "deepseek-v3.1"}},
		{"yunwu", "Yunwu", "https://yunwu.zeabur.app", "openai", "auth_token", "/v1/chat/completions", true,
			{"gpt-5-2025-08-07", "gpt-5-mini-2025-08-07", "o3"}},
		{"volce", "Volcengine Ark", "https://ark.cn-beijing.volces.com", "openai", "auth_token", "/api/v3/chat/completions", true,
			{"doubao-seed-1-6-250615", "deepseek-v3-1-250821", "kimi-k2-250711"}},
		{"cerebras", "Cerebras", "https://api.cerebras.ai", "openai", "auth_token", "/v1/chat/completions", true,
			{"qwen-3-coder-480b", "qwen-3-235b-a22b-instruct-2507", "qwen-3-235b-a22b-thinking-2507", "gpt-oss-120b"}},
		{"groq", "Groq", "https://api.groq.com/openai", "openai", "auth_token", "/v1/chat/completions", true,
			{"openai/gpt-oss-120b", "moonshotai/kimi-k2-instruct"}},
	};
	return profiles;
}

const EndpointProfile * findProfile(const std::string & profileId)
{
	for (const auto & p : endpointProfiles())
		if (p.profile_id == profileId)
			return &p;
	return nullptr;
}

ojson toJson(const WizardRequest & r)
{
	return {{"version", r.version}, {"profile_id", r.profile_id}, {"name", r.name}, {"auth_value", r.auth_value},
		{"default_model", r.default_model}, {"url", r.url}};
}

config::Diagnostics fromJson(const json & j, WizardRequest & out)
{
	config::Diagnostics d;
	if (!j.is_object())
	{
		d.push_back({config::Severity::Error, "", "the request body must be a JSON object"});
		return d;
	}
	for (const char * key : {"version", "profile_id", "name", "auth_value", "default_model", "url"})
		if (j.contains(key) && !j[key].is_string())
			d.push_back({config::Severity::Error, key, "must be a string"});
	out.version = str(j, "version");
	out.profile_id = str(j, "profile_id");
	out.name = str(j, "name");
	out.auth_value = str(j, "auth_value");
	out.default_model = str(j, "default_model");
	out.url = str(j, "url");
	return d;
}

config::Diagnostics endpointFromProfile(const WizardRequest & r, const std::vector<std::string> & taken, config::Endpoint & out)
{
	config::Diagnostics d;
	const EndpointProfile * p = findProfile(r.profile_id);
	if (!p)
	{
		d.push_back({config::Severity::Error, "profile_id", "unknown profile '" + r.profile_id + "'"});
		return d;
	}
	if (r.auth_value.empty())
		d.push_back({config::Severity::Error, "auth_value", "is required"});
	if (p->require_default_model && r.default_model.empty())
		d.push_back({config::Severity::Error, "default_model", "is required for " + p->display_name});
	if (!d.empty())
		return d;
	config::Endpoint e;
	e.name = suggestEndpointName(r.name.empty() ? p->display_name : r.name, taken);
	e.url = r.url.empty() ? p->url : r.url;
	e.endpoint_type = p->endpoint_type;
	e.auth_type = p->auth_type;
	e.auth_value = r.auth_value;
	e.path_prefix = p->path_prefix;
	e.enabled = true;
	if (p->require_default_model && !r.default_model.empty())
		e.model_rewrite = config::ModelRewrite{true, {{"*", r.default_model}}};
	out = std::move(e);
	return d;
}

// ---- taggers ----

ojson taggerToJson(const config::Tagger & t)
{
	config::Config one;
	one.tagging.taggers.push_back(t);
	return config::configToJson(one, true)["tagging"]["taggers"][0];
}

config::Diagnostics taggerFromJson(const json & j, config::Tagger & out, const std::string & pathPrefix)
{
	config::Diagnostics d;
	if (!j.is_object())
	{
		d.push_back({config::Severity::Error, pathPrefix, "must be an object"});
		return d;
	}
	config::Config c;
	d = config::configFromJson(ojson{{"tagging", {{"taggers", ojson::array({ojson(j)})}}}}, c);
	remap(d, "tagging.taggers[0]", pathPrefix);
	if (!c.tagging.taggers.empty())
		out = c.tagging.taggers[0];
	return d;
}

ojson toJson(const TaggerWrite & r)
{
	return {{"version", r.version}, {"tagger", taggerToJson(r.tagger)}};
}

config::Diagnostics fromJson(const json & j, TaggerWrite & out)
{
	config::Diagnostics d;
	requireObject(j, "tagger", d);
	if (!d.empty())
		return d;
	out.version = str(j, "version");
	return taggerFromJson(j["tagger"], out.tagger, "tagger");
}

ojson toJson(const TagInfo & t)
{
	return {{"tag", t.tag}, {"taggers", t.taggers}, {"endpoints", t.endpoints}};
}

std::vector<TagInfo> tagList(const config::Config & c)
{
	std::map<std::string, TagInfo> tags;
	for (const auto & t : c.tagging.taggers)
	{
		if (t.tag.empty())
			continue;
		TagInfo & info = tags[t.tag];
		info.tag = t.tag;
		info.taggers.push_back(t.name);
	}
	for (const auto & e : c.endpoints)
		for (const auto & tag : e.tags)
		{
			TagInfo & info = tags[tag];
			info.tag = tag;
			if (std::find(info.endpoints.begin(), info.endpoints.end(), e.name) == info.endpoints.end())
				info.endpoints.push_back(e.name);
		}
	std::vector<TagInfo> out;
	for (auto & [k, v] : tags)
		out.push_back(std::move(v));
	return out;
}

// ---- settings ----

ojson settingsToJson(const config::Config & c)
{
	ojson all = config::configToJson(c, true);
	all.erase("endpoints");
	if (all.contains("tagging"))
		all["tagging"].erase("taggers");
	return all;
}

config::Diagnostics applySettings(const json & settings, const config::Config & base, config::Config & out)
{
	config::Diagnostics d;
	if (!settings.is_object())
	{
		d.push_back({config::Severity::Error, "settings", "must be an object of sections"});
		return d;
	}
	if (settings.contains("endpoints"))
		d.push_back({config::Severity::Error, "endpoints", "is changed through /admin/api/endpoints, not settings"});
	if (settings.contains("tagging") && settings["tagging"].is_object() && settings["tagging"].contains("taggers"))
		d.push_back({config::Severity::Error, "tagging.taggers", "is changed through /admin/api/taggers, not settings"});
	if (!d.empty())
		return d;
	config::Config next = base;
	d = config::configFromJson(ojson(settings), next);
	mergeSecrets(base, next);
	next.server.admin_password_hash = base.server.admin_password_hash;
	out = std::move(next);
	return d;
}

bool restartRequired(const config::Config & before, const config::Config & after)
{
	return before.server.host != after.server.host || before.server.port != after.server.port;
}

} // namespace ccc::api
