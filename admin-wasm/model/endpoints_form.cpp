#include "model/endpoints_form.h"

#include <cctype>

#include "ccc/api/admin_config.h"
#include "ccc/config/json_mapping.h"
#include "ccc/config/validate.h"

namespace ccc::admin
{

namespace
{

std::string trim(const std::string & s)
{
	size_t b = 0, e = s.size();
	while (b < e && std::isspace(static_cast<unsigned char>(s[b])))
		++b;
	while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1])))
		--e;
	return s.substr(b, e - b);
}

std::optional<bool> fromTri(TriState t)
{
	if (t == TriState::Default)
		return std::nullopt;
	return t == TriState::On;
}

TriState toTri(const std::optional<bool> & b)
{
	return !b ? TriState::Default : *b ? TriState::On : TriState::Off;
}

} // namespace

std::vector<std::string> splitList(const std::string & text)
{
	std::vector<std::string> out;
	size_t start = 0;
	while (start <= text.size())
	{
		size_t comma = text.find(',', start);
		if (comma == std::string::npos)
			comma = text.size();
		std::string item = trim(text.substr(start, comma - start));
		if (!item.empty())
			out.push_back(std::move(item));
		start = comma + 1;
	}
	return out;
}

std::string joinList(const std::vector<std::string> & items)
{
	std::string out;
	for (const auto & s : items)
		out += (out.empty() ? "" : ", ") + s;
	return out;
}

bool defaultModelApplies(const EndpointForm & form)
{
	const auto & rules = form.model_rewrite.rules;
	return rules.empty() || (rules.size() == 1 && rules[0].source_pattern == "*");
}

std::string defaultModelOf(const EndpointForm & form)
{
	const auto & m = form.model_rewrite;
	return defaultModelApplies(form) && m.enabled && !m.rules.empty() ? m.rules[0].target_model : std::string();
}

void setDefaultModel(EndpointForm & form, const std::string & model)
{
	if (!defaultModelApplies(form))
		return;
	form.model_rewrite.rules.clear();
	form.model_rewrite.enabled = !model.empty();
	if (!model.empty())
		form.model_rewrite.rules.push_back({"*", model});
}

config::Endpoint formToEndpoint(const EndpointForm & f)
{
	config::Endpoint e;
	e.name = f.name;
	e.url = f.url;
	e.endpoint_type = f.endpoint_type;
	e.path_prefix = f.path_prefix;
	e.auth_type = f.auth_type;
	e.auth_value = f.auth_value;
	e.enabled = f.enabled;
	e.priority = f.priority;
	e.weight = f.weight;
	e.id = f.id;
	e.tags = splitList(f.tags);
	if (f.model_rewrite.enabled || !f.model_rewrite.rules.empty())
		e.model_rewrite = f.model_rewrite;
	if (f.proxy_enabled)
		e.proxy = f.proxy;
	if (f.auth_type == "oauth")
	{
		e.oauth_config = f.oauth;
		e.oauth_config->scopes = splitList(f.oauth_scopes);
	}
	e.header_overrides = f.header_overrides;
	e.parameter_overrides = f.parameter_overrides;
	e.max_tokens_field_name = f.max_tokens_field_name;
	if (f.max_tokens_limit_set)
		e.max_tokens_limit = f.max_tokens_limit;
	e.enhanced_protection = f.enhanced_protection;
	e.reorder_system_messages_first = fromTri(f.reorder_system_messages_first);
	e.tls_verify = f.tls_verify;
	e.ca_file = f.ca_file;
	if (f.strip_schema_keywords_custom)
		e.openai.strip_schema_keywords = splitList(f.strip_schema_keywords);
	e.openai.keep_thinking_history = f.keep_thinking_history;
	e.openai.count_tokens_estimate = f.count_tokens_estimate;
	e.openai.allow_missing_done = fromTri(f.allow_missing_done);
	e.rate_limit_reset = f.rate_limit_reset;
	e.rate_limit_status = f.rate_limit_status;
	return e;
}

EndpointForm formFromEndpoint(const config::Endpoint & e)
{
	EndpointForm f;
	f.name = e.name;
	f.url = e.url;
	f.endpoint_type = e.endpoint_type;
	f.path_prefix = e.path_prefix;
	f.auth_type = e.auth_type;
	f.auth_value = e.auth_value;
	f.enabled = e.enabled;
	f.priority = e.priority;
	f.weight = e.weight;
	f.id = e.id;
	f.tags = joinList(e.tags);
	if (e.model_rewrite)
		f.model_rewrite = *e.model_rewrite;
	f.proxy_enabled = e.proxy.has_value();
	if (e.proxy)
		f.proxy = *e.proxy;
	if (e.oauth_config)
	{
		f.oauth = *e.oauth_config;
		f.oauth_scopes = joinList(e.oauth_config->scopes);
	}
	f.header_overrides = e.header_overrides;
	f.parameter_overrides = e.parameter_overrides;
	f.max_tokens_field_name = e.max_tokens_field_name;
	f.max_tokens_limit_set = e.max_tokens_limit.has_value();
	if (e.max_tokens_limit)
		f.max_tokens_limit = *e.max_tokens_limit;
	f.enhanced_protection = e.enhanced_protection;
	f.reorder_system_messages_first = toTri(e.reorder_system_messages_first);
	f.tls_verify = e.tls_verify;
	f.ca_file = e.ca_file;
	f.strip_schema_keywords_custom = e.openai.strip_schema_keywords.has_value();
	if (e.openai.strip_schema_keywords)
		f.strip_schema_keywords = joinList(*e.openai.strip_schema_keywords);
	f.keep_thinking_history = e.openai.keep_thinking_history;
	f.count_tokens_estimate = e.openai.count_tokens_estimate;
	f.allow_missing_done = toTri(e.openai.allow_missing_done);
	f.rate_limit_reset = e.rate_limit_reset;
	f.rate_limit_status = e.rate_limit_status;
	return f;
}

nlohmann::ordered_json formToJson(const EndpointForm & form)
{
	// The config's own writer, unmasked: the keys and value shapes are exactly config.yaml's, and
	// whatever the user typed (or the mask they left) goes to the service as is.
	config::Config c;
	c.endpoints.push_back(formToEndpoint(form));
	nlohmann::ordered_json all = config::configToJson(c, /*maskSecrets=*/false);
	if (!all.contains("endpoints") || !all["endpoints"].is_array() || all["endpoints"].empty())
		return nlohmann::ordered_json::object();
	return all["endpoints"][0];
}

EndpointForm formFromJson(const nlohmann::json & endpoint, config::Diagnostics & diags)
{
	// The live state the list adds (status, breaker, counters) is not configuration: drop it
	// before the mapping, which would warn about unknown keys.
	nlohmann::json j = endpoint.is_object() ? endpoint : nlohmann::json::object();
	for (const char * key : {"status", "breaker", "requests", "successes", "failures", "active", "connections_opened",
			"idle_connections"})
		j.erase(key);
	config::Endpoint e;
	diags = api::endpointFromJson(j, e, "endpoint");
	// The API always shows an id; one derived from the name is not the user's: keep it implicit
	// (the service writes the old id itself when a rename needs it).
	if (e.id == config::derivedEndpointId(e.name))
		e.id.clear();
	return formFromEndpoint(e);
}

config::Diagnostics validateForm(const EndpointForm & form, const std::vector<config::Endpoint> & others, int index)
{
	config::Endpoint e;
	config::Diagnostics out = api::endpointFromJson(formToJson(form), e, "endpoint");
	config::Config c;
	c.endpoints = others;
	size_t at = c.endpoints.size();
	if (index >= 0 && static_cast<size_t>(index) < c.endpoints.size())
	{
		at = static_cast<size_t>(index);
		c.endpoints[at] = e;
	}
	else
		c.endpoints.push_back(e);
	const std::string prefix = "endpoints[" + std::to_string(at) + "]";
	for (config::Diagnostic & d : config::validate(c))
	{
		if (d.path.compare(0, prefix.size(), prefix) != 0 || (d.path.size() > prefix.size() && d.path[prefix.size()] != '.'))
			continue;
		d.path = "endpoint" + d.path.substr(prefix.size());
		out.push_back(std::move(d));
	}
	return out;
}

std::string fieldOfPath(const std::string & path)
{
	for (const char * list : {"endpoint.tags[", "endpoint.oauth_config.scopes[", "endpoint.openai.strip_schema_keywords["})
	{
		const std::string l(list);
		if (path.compare(0, l.size(), l) == 0)
			return l.substr(0, l.size() - 1);
	}
	return path;
}

} // namespace ccc::admin
