#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "ccc/config/diagnostic.h"
#include "ccc/config/model.h"

/// The endpoint editor's form: every field of a config.yaml endpoint in a shape ImGui widgets can
/// edit in place (optional sections become an on/off flag plus their fields, lists become
/// comma-separated text), its mapping to and from the admin API's endpoint JSON, and its
/// validation with the shared/ code the service runs on a save.
namespace ccc::admin
{

/// A tri-state for the config's optional booleans: absent (the service decides), on, off.
enum class TriState
{
	Default = 0,
	On = 1,
	Off = 2
};

struct EndpointForm
{
	std::string name;
	std::string url;
	std::string endpoint_type = "anthropic";
	std::string path_prefix;
	std::string auth_type = "api_key";
	std::string auth_value; ///< as served (masked) or as typed; an unchanged mask keeps the stored secret
	bool enabled = true;
	int priority = 1;
	int weight = 1;
	std::string id; ///< explicit id; empty = derived from the name (a rename keeps the old one)
	std::string tags; ///< comma-separated

	config::ModelRewrite model_rewrite; ///< written when enabled or holding rules

	bool proxy_enabled = false;
	config::ProxyConfig proxy;

	config::OAuthConfig oauth; ///< written when auth_type is oauth
	std::string oauth_scopes;  ///< comma-separated

	config::OrderedStringMap header_overrides;    ///< rows; an empty value removes the header
	config::OrderedStringMap parameter_overrides; ///< rows; JSON-typed values; an empty value removes the key

	std::string max_tokens_field_name; ///< empty = max_tokens
	bool max_tokens_limit_set = false;
	int64_t max_tokens_limit = 4096;
	bool enhanced_protection = false;
	TriState reorder_system_messages_first = TriState::Default;
	bool tls_verify = true;
	std::string ca_file;

	bool strip_schema_keywords_custom = false; ///< false = the built-in list
	std::string strip_schema_keywords;         ///< comma-separated, used when custom
	bool keep_thinking_history = false;
	bool count_tokens_estimate = true;
	TriState allow_missing_done = TriState::Default;

	/// Learnt from traffic by the service; carried unchanged (never edited here).
	std::optional<int64_t> rate_limit_reset;
	std::optional<std::string> rate_limit_status;
};

/// Splits comma-separated text into trimmed, non-empty items; joins them back with ", ".
std::vector<std::string> splitList(const std::string & text);
std::string joinList(const std::vector<std::string> & items);

/// The original's "default model" shortcut: one model-rewrite rule "*" -> model. Applicable while
/// the rules are empty or exactly that one rule (anything else is edited in the rules themselves).
bool defaultModelApplies(const EndpointForm & form);
/// The default model ("" when none or when the rewrite is off).
std::string defaultModelOf(const EndpointForm & form);
/// Sets the single "*" rule (and enables the rewrite); an empty model removes it (and disables it).
void setDefaultModel(EndpointForm & form, const std::string & model);

/// The form as a config endpoint (exactly what a save asks the service to store, before it
/// restores masked secrets).
config::Endpoint formToEndpoint(const EndpointForm & form);
EndpointForm formFromEndpoint(const config::Endpoint & e);

/// The form as the "endpoint" object of POST/PUT /admin/api/endpoints (the config.yaml keys,
/// secrets as typed: an unchanged mask is sent back unchanged).
nlohmann::ordered_json formToJson(const EndpointForm & form);
/// Loads an endpoint object of the API (live-state keys are ignored). Mapping problems (wrong
/// types) are returned with paths under "endpoint"; the form keeps defaults for those fields.
EndpointForm formFromJson(const nlohmann::json & endpoint, config::Diagnostics & diags);

/// Validates the form as the service will on a save: the JSON mapping (paths "endpoint.*"), then
/// config::validate over `others` with the form at `index` (replacing it; -1 or past the end
/// appends, as a create does). Findings about the form's endpoint are returned with their path
/// read as "endpoint.*" (e.g. "endpoint.url"), like the service's 400 answers.
config::Diagnostics validateForm(const EndpointForm & form, const std::vector<config::Endpoint> & others, int index);

/// The form field a finding belongs to: its path with list indices of tags and scopes dropped
/// ("endpoint.tags[2]" -> "endpoint.tags"); other paths are returned unchanged.
std::string fieldOfPath(const std::string & path);

} // namespace ccc::admin
