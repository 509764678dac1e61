#pragma once
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "ccc/config/diagnostic.h"
#include "ccc/config/model.h"

/// The configuration half of the admin API (/admin/api/...): request and response types shared by
/// the service and the wasm admin, and the rules both sides must agree on (secret masking, config
/// versions, endpoint profiles, name suggestion, model-rewrite tests). Pure, exception-free.
/// docs/ADMIN_API.md shows each route with examples.
namespace ccc::api
{

// ---- config versions -------------------------------------------------------------------------

/// The version token of a config.yaml text: 16 hex digits of its SHA-256. Any byte change (an API
/// save, a hand edit, a token refresh written by the service) gives a new version. Every mutating
/// request names the version it was based on; a stale one is refused with 409.
std::string configVersion(const std::string & fileText);

/// The version a mutating request was based on: the `If-Match` header (quotes and W/ stripped)
/// when present, else the body's "version" field. Empty when neither is given.
std::string requestVersion(const std::string & ifMatchHeader, const nlohmann::json & body);

// ---- secrets ---------------------------------------------------------------------------------

/// Secrets are write-only: responses carry config::maskSecret(value). A client sends the masked
/// value back unchanged to keep the stored secret, or a new plain value to replace it. So a field
/// of `incoming` that equals maskSecret(stored) (or is any mask while a secret is stored) takes the
/// stored value. Covers auth_value, the OAuth tokens, the proxy password and credential-like
/// header overrides (matched by header name).
void mergeSecrets(const config::Endpoint & stored, config::Endpoint & incoming);

/// The same for a whole config: endpoints are matched by endpointId (else by name), client tokens
/// by position, and the admin password hash and a masked PostgreSQL DSN always keep the stored value.
void mergeSecrets(const config::Config & stored, config::Config & incoming);

// ---- results and errors ----------------------------------------------------------------------

/// The body of every successful mutation.
struct MutationResult
{
	std::string version;            ///< the config version after the change
	bool restart_required = false;  ///< true when server.host or server.port changed
	std::string message;
	nlohmann::ordered_json data;    ///< the changed object (endpoint, tagger, settings), secrets masked; null if none
};
nlohmann::ordered_json toJson(const MutationResult & r);
bool fromJson(const nlohmann::json & j, MutationResult & out, std::string & error);

/// {"error": message, "path": key path (validation errors only), "version": current version (409 only)}.
struct ApiError
{
	std::string error;
	std::string path;
	std::string version;
};
nlohmann::ordered_json toJson(const ApiError & e);
bool fromJson(const nlohmann::json & j, ApiError & out, std::string & error);

/// The first Error of `diags` as an ApiError (message "path: message", path set); empty error when none.
ApiError firstError(const config::Diagnostics & diags);

// ---- endpoints -------------------------------------------------------------------------------

/// An endpoint as the API sends it: the config fields (secrets masked) plus its id.
nlohmann::ordered_json endpointToJson(const config::Endpoint & e);

/// Reads one endpoint object (the same keys as in config.yaml). Diagnostics name paths under
/// `pathPrefix` (e.g. "endpoint.auth_type"). Never throws.
config::Diagnostics endpointFromJson(const nlohmann::json & j, config::Endpoint & out, const std::string & pathPrefix = "endpoint");

/// POST /endpoints, PUT /endpoints/<id>: {"version": ..., "endpoint": {...}}
struct EndpointWrite
{
	std::string version;
	config::Endpoint endpoint;
};
nlohmann::ordered_json toJson(const EndpointWrite & r);
config::Diagnostics fromJson(const nlohmann::json & j, EndpointWrite & out);

/// PUT /endpoints/order: {"version": ..., "order": [id or name, ...]} - every endpoint exactly once.
/// The list order becomes the file order and priorities are renumbered 1..n (lower = tried first).
struct ReorderRequest
{
	std::string version;
	std::vector<std::string> order;
};
nlohmann::ordered_json toJson(const ReorderRequest & r);
config::Diagnostics fromJson(const nlohmann::json & j, ReorderRequest & out);

/// Applies a reorder to `endpoints`. False with an error (path "order") when the list is not a
/// permutation of the endpoints (unknown, missing or repeated entries).
bool applyOrder(std::vector<config::Endpoint> & endpoints, const std::vector<std::string> & order, std::string & error);

/// The endpoint whose endpointId or name is `key` (id first); -1 when none.
int findEndpoint(const std::vector<config::Endpoint> & endpoints, const std::string & key);

/// POST /endpoints/<id>/test-rewrite: {"model": "..."} -> ModelRewriteTest.
struct ModelRewriteTest
{
	std::string model;        ///< the model asked about
	std::string result;       ///< the model that would be sent
	bool rewritten = false;
	int rule_index = -1;      ///< index of the first matching rule, -1 when none matched
	std::string source_pattern;
	std::string reason;       ///< why nothing was rewritten (disabled, no rule matched), empty otherwise
};
nlohmann::ordered_json toJson(const ModelRewriteTest & t);
bool fromJson(const nlohmann::json & j, ModelRewriteTest & out, std::string & error);

/// The rewrite the proxy would apply (first matching rule wins, as in the proxy engine).
ModelRewriteTest testModelRewrite(const config::Endpoint & e, const std::string & model);

// ---- names -----------------------------------------------------------------------------------

/// The wizard's name rule (the original's GenerateUniqueEndpointName): keep [A-Za-z0-9 _-],
/// lower-case, spaces and '_' become '-', runs of '-' collapse, trimmed of '-'; "endpoint" when
/// nothing is left; "-1", "-2", ... appended while the name is taken.
std::string suggestEndpointName(const std::string & base, const std::vector<std::string> & taken);

/// The copy rule: "<name> (2)", "<name> (3)", ... (the first free one; an existing " (N)" suffix is
/// replaced rather than nested).
std::string copyEndpointName(const std::string & name, const std::vector<std::string> & taken);

// ---- endpoint profiles -----------------------------------------------------------------------

/// A provider preset for the wizard (the original's endpoint_profiles.yaml, kept as data).
struct EndpointProfile
{
	std::string profile_id;
	std::string display_name;
	std::string url;
	std::string endpoint_type;   ///< anthropic | openai
	std::string auth_type;       ///< api_key | auth_token
	std::string path_prefix;     ///< openai only
	bool require_default_model = false;
	std::vector<std::string> default_model_options;
};
nlohmann::ordered_json toJson(const EndpointProfile & p);

/// The built-in profiles, in the original's order (6 Anthropic-compatible, 8 OpenAI-compatible).
const std::vector<EndpointProfile> & endpointProfiles();
const EndpointProfile * findProfile(const std::string & profileId);

/// POST /wizard: {"version", "profile_id", "name"?, "auth_value", "default_model"?, "url"?}
struct WizardRequest
{
	std::string version;
	std::string profile_id;
	std::string name;          ///< empty -> suggested from the profile's display name
	std::string auth_value;
	std::string default_model; ///< required when the profile requires one
	std::string url;           ///< empty -> the profile's URL
};
nlohmann::ordered_json toJson(const WizardRequest & r);
config::Diagnostics fromJson(const nlohmann::json & j, WizardRequest & out);

/// Builds the endpoint (the original's ToEndpointConfig): enabled, no tags, the given or the
/// profile's URL, and when a default model is given for a profile that needs one, a model rewrite
/// "*" -> default model. Errors (with key paths) for an unknown profile, a missing auth value or
/// a missing required default model. The name is made unique against `taken`.
config::Diagnostics endpointFromProfile(const WizardRequest & r, const std::vector<std::string> & taken, config::Endpoint & out);

// ---- taggers and tags ------------------------------------------------------------------------

nlohmann::ordered_json taggerToJson(const config::Tagger & t);
config::Diagnostics taggerFromJson(const nlohmann::json & j, config::Tagger & out, const std::string & pathPrefix = "tagger");

/// POST /taggers, PUT /taggers/<name>: {"version": ..., "tagger": {...}}
struct TaggerWrite
{
	std::string version;
	config::Tagger tagger;
};
nlohmann::ordered_json toJson(const TaggerWrite & r);
config::Diagnostics fromJson(const nlohmann::json & j, TaggerWrite & out);

/// One tag as GET /tags lists it: the taggers that set it and the endpoints that serve it.
struct TagInfo
{
	std::string tag;
	std::vector<std::string> taggers;   ///< tagger names (enabled or not)
	std::vector<std::string> endpoints; ///< endpoint names whose `tags` include it
};
nlohmann::ordered_json toJson(const TagInfo & t);
/// Every tag that a tagger sets or an endpoint declares, sorted by tag.
std::vector<TagInfo> tagList(const config::Config & c);

// ---- settings --------------------------------------------------------------------------------

/// The settings sections: every top-level section except `endpoints` and `tagging.taggers`
/// (server, logging, validation, tagging without taggers, timeouts, failover, circuit_breaker,
/// load_balancing, i18n), secrets masked.
nlohmann::ordered_json settingsToJson(const config::Config & c);

/// PUT /settings: {"version": ..., "settings": {section: {key: value}}}. Only the given sections and
/// keys change (the rest keeps `base`'s values); `tagging.taggers` and `endpoints` are refused here
/// (they have their own routes), `server.admin_password_hash` is ignored. Masked secrets keep the
/// stored value. Diagnostics name config key paths ("logging.level").
config::Diagnostics applySettings(const nlohmann::json & settings, const config::Config & base, config::Config & out);

/// True when host or port differ (the running server keeps its socket until restart).
bool restartRequired(const config::Config & before, const config::Config & after);

} // namespace ccc::api
