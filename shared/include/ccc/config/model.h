#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

/// The configuration model: one struct per section of config.yaml, with every default written
/// here and nowhere else. Field names are the YAML keys. The schema is a superset of the Go
/// original's (a config.yaml written for it loads unchanged); keys we added are marked "new".
/// docs/CONFIG.md documents each key; keep both in step.
namespace ccc::config
{

/// An ordered string map: YAML mappings keep the user's order (header and parameter overrides
/// are applied in that order, and the admin shows them that way).
using OrderedStringMap = std::vector<std::pair<std::string, std::string>>;

struct ServerConfig
{
	std::string host = "127.0.0.1";
	int port = 8080;
	/// new: concurrent client connections (each open stream holds one); the server queues
	/// connections beyond it rather than refusing them.
	int max_concurrent_streams = 512;
	/// new: maximum accepted client request body, bytes.
	int64_t max_request_body = 32LL * 1024 * 1024;
	/// new: on SIGTERM or a service stop, how long requests in flight (open streams included) may
	/// take to finish before their connections are closed; milliseconds, at most one hour.
	int64_t shutdown_grace_ms = 30000;
	/// new: bearer tokens / x-api-keys a client must present; empty means any (loopback default).
	std::vector<std::string> client_tokens;
	/// new: hash of the admin password ("scrypt$..." / "pbkdf2$..."); required beyond loopback.
	std::string admin_password_hash;
	/// new: require the admin password even when bound to loopback (a multi-user machine, or
	/// tests of the protected mode); beyond loopback it is always required.
	bool require_admin_password = false;
};

struct ModelRewriteRule
{
	std::string source_pattern; ///< glob: `*` any run, `?` one char, `[...]` a class
	std::string target_model;
};

struct ModelRewrite
{
	bool enabled = false;
	std::vector<ModelRewriteRule> rules;
};

struct ProxyConfig
{
	std::string type;    ///< http | socks5
	std::string address; ///< host:port
	std::string username;
	std::string password;
};

struct OAuthConfig
{
	std::string access_token;
	std::string refresh_token;
	int64_t expires_at = 0; ///< milliseconds since the epoch; 0 = refresh on first use
	std::string token_url;
	std::string client_id; ///< empty -> kDefaultOAuthClientId
	std::vector<std::string> scopes;
	bool auto_refresh = true;
};

inline constexpr const char * kDefaultOAuthClientId = "9d1c250a-e61b-44d9-88ed-5944d1962f5e";

/// OpenAI-conversion options of an `openai` endpoint (all new except the three original keys,
/// which stay at the endpoint level for compatibility).
struct OpenAIOptions
{
	/// JSON Schema keywords stripped from tool schemas (providers reject 2020-12 keywords).
	/// nullopt = the built-in list (see openai/ converter); an empty list strips nothing.
	std::optional<std::vector<std::string>> strip_schema_keywords;
	/// Keep assistant thinking blocks in history (as reasoning_content) for providers that accept it.
	bool keep_thinking_history = false;
	/// Answer count_tokens locally with an estimate instead of failing over.
	bool count_tokens_estimate = true;
	/// Accept streams that end without `data: [DONE]` (iflow never sends it); auto for apis.iflow.cn.
	std::optional<bool> allow_missing_done;
};

struct Endpoint
{
	std::string name;
	std::string url;
	std::string endpoint_type = "anthropic"; ///< anthropic | openai
	std::string path_prefix;                 ///< openai only, e.g. /v1/chat/completions
	std::string auth_type;                   ///< api_key | auth_token | oauth
	std::string auth_value;
	bool enabled = true; ///< an omitted `enabled` means true (the original defaulted to false: a bug)
	int priority = 1;    ///< lower is tried first; 0 is read as 1
	std::vector<std::string> tags;
	std::optional<ModelRewrite> model_rewrite;
	std::optional<ProxyConfig> proxy;
	std::optional<OAuthConfig> oauth_config;
	OrderedStringMap header_overrides;    ///< empty value removes the header
	OrderedStringMap parameter_overrides; ///< top-level body keys; JSON-typed values; empty removes
	std::string max_tokens_field_name;    ///< max_tokens | max_completion_tokens | max_output_tokens
	std::optional<int64_t> rate_limit_reset;
	std::optional<std::string> rate_limit_status;
	bool enhanced_protection = false;
	std::optional<bool> reorder_system_messages_first;

	// new
	std::string id;                       ///< stable id; empty -> derived from the name
	int weight = 1;                       ///< share among endpoints of equal priority
	bool tls_verify = true;               ///< verify upstream certificates against the system CA store
	std::string ca_file;                  ///< PEM file of CAs to trust instead of the system store ("" = system)
	std::optional<int64_t> max_tokens_limit; ///< clamp max_tokens (openai endpoints)
	OpenAIOptions openai;
};

struct LoggingConfig
{
	std::string level = "info";                  ///< debug | info | warn | error
	std::string log_request_types = "all";       ///< failed | success | all
	std::string log_request_body = "full";       ///< none | truncated | full
	std::string log_response_body = "full";      ///< none | truncated | full
	std::string log_directory = "./logs";
	// new
	int64_t truncated_body_bytes = 1024;         ///< size kept by the `truncated` policy
	int64_t max_body_bytes = 4LL * 1024 * 1024;  ///< hard cap per stored body under `full`
	int64_t retention_days = 30;
	int64_t retention_max_bytes = 1024LL * 1024 * 1024;
	std::string storage = "sqlite";              ///< sqlite | postgresql
	std::string postgres_dsn;                    ///< e.g. "host=127.0.0.1 port=5432 dbname=ccc user=ccc"
	/// Headers and bodies waiting for the log writer; beyond it records are stored without them
	/// (bodies_shed, counted). Part of the service's memory budget. At least 1 MiB.
	int64_t max_queue_bytes = 32LL * 1024 * 1024;
	/// Records over max_queue_bytes spill, redacted and with their bodies, to
	/// <log_directory>/spill.bin and are stored once the burst is over; beyond this size bodies
	/// are shed (counted). 0 turns spilling off. At least 16 MiB otherwise.
	int64_t max_spill_bytes = 1024LL * 1024 * 1024;
};

struct PythonJsonFixing
{
	bool enabled = true;
	std::vector<std::string> target_tools = {"TodoWrite"};
	bool debug_logging = false;
	int max_attempts = 3;
};

struct ValidationConfig
{
	PythonJsonFixing python_json_fixing;
};

struct Tagger
{
	std::string name;
	std::string type = "builtin"; ///< builtin | lua | starlark (starlark loads disabled)
	std::string builtin_type;     ///< path header query body-json model user-message thinking method
	                              ///< context-size subagent has-tools has-images
	std::string tag;
	bool enabled = true;
	int priority = 0;
	nlohmann::ordered_json config = nlohmann::ordered_json::object(); ///< type-specific keys (strings or numbers)
};

struct TaggingConfig
{
	int64_t pipeline_timeout_ms = 5000;
	std::vector<Tagger> taggers;
	// new: selection policy (defaults are the original's behaviour)
	bool fallback_to_untagged = true;    ///< tagged requests may fall back to untagged endpoints
	bool untagged_use_tagged = false;    ///< untagged requests may use tagged endpoints
};

struct TimeoutsConfig
{
	int64_t tls_handshake_ms = 10000;
	int64_t response_header_ms = 60000;          ///< first byte of a streaming response
	int64_t idle_connection_ms = 90000;          ///< pooled upstream connection max idle
	int64_t health_check_timeout_ms = 30000;
	int64_t check_interval_ms = 30000;
	int recovery_threshold = 1;                  ///< consecutive probe successes to close the breaker
	// new
	int64_t connect_ms = 10000;
	int64_t response_header_non_streaming_ms = 600000; ///< non-streaming bodies arrive whole
	int64_t stream_idle_ms = 300000;             ///< silence allowed between chunks (long thinking)
};

struct FailoverConfig // new
{
	int max_attempts_per_endpoint = 2;
	int64_t retry_after_max_ms = 10000; ///< longest Retry-After honoured before moving on
	int64_t retry_delay_ms = 100;       ///< pause before retrying the same endpoint
	int64_t request_deadline_ms = 600000; ///< bounds the whole failover phase of one request
};

struct CircuitBreakerConfig // new
{
	int failure_threshold = 3;      ///< consecutive failed client requests that open the breaker
	double failure_rate = 0.5;      ///< or this failure share within the window ...
	int64_t window_ms = 60000;
	int min_requests = 10;          ///< ... over at least this many requests (0 disables the rate rule)
};

struct LoadBalancingConfig // new
{
	bool enabled = true;         ///< balance endpoints of equal priority (weighted round-robin)
	bool sticky_sessions = true; ///< a Claude Code session stays on the endpoint that served it
};

struct I18nConfig
{
	bool enabled = true;
	std::string default_language = "en";
	std::string locales_path = "locales";
};

struct Config
{
	ServerConfig server;
	std::vector<Endpoint> endpoints;
	LoggingConfig logging;
	ValidationConfig validation;
	TaggingConfig tagging;
	TimeoutsConfig timeouts;
	FailoverConfig failover;
	CircuitBreakerConfig circuit_breaker;
	LoadBalancingConfig load_balancing;
	I18nConfig i18n;
};

/// "ep-name-" + the first 12 bytes of sha256(name) in hex: the original's statistics id, so
/// statistics carry over for endpoints that have no explicit `id`.
std::string derivedEndpointId(const std::string & name);

/// The id used for statistics and admin routes: `id` when set, else derivedEndpointId(name).
std::string endpointId(const Endpoint & e);

/// The URL path prefix-free join used for anthropic endpoints: url + "/v1" + path, tolerating a
/// trailing slash in url.
std::string joinUrl(const std::string & base, const std::string & path);

} // namespace ccc::config
