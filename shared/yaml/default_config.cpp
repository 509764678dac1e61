#include "ccc/config/yaml_config.h"

namespace ccc::config
{

// Written on first run. Every key is optional; docs/CONFIG.md lists them all with defaults.
// Keep it loadable: a unit test parses it and expects no errors.
const std::string & defaultConfigYaml()
{
	static const std::string text = R"YAML(# Claude Code Companion configuration.
# Written on first run; edit freely. Every key is documented in docs/CONFIG.md.
# Check a change without restarting:  claude-code-companion --check-config --config config.yaml

server:
  # 127.0.0.1 keeps the proxy and its admin on this machine. Binding another address
  # exposes them: the service then refuses to start without an admin password
  # (claude-code-companion --set-admin-password) and warns unless client_tokens are set.
  host: 127.0.0.1
  port: 8080

# Upstream endpoints, tried in priority order (1 first). Requests fail over to the next
# endpoint when one misbehaves. These examples are disabled: put in your key, set
# enabled: true, or add endpoints from the admin at http://127.0.0.1:8080/admin/
endpoints:
  - name: example-anthropic
    url: https://api.anthropic.com
    endpoint_type: anthropic
    auth_type: api_key              # api_key -> x-api-key, auth_token -> Authorization: Bearer
    auth_value: YOUR_ANTHROPIC_API_KEY_HERE
    enabled: false
    priority: 1

  - name: example-openai
    url: https://api.openai.com
    endpoint_type: openai           # Claude Code's requests are converted to Chat Completions
    path_prefix: /v1/chat/completions
    auth_type: auth_token
    auth_value: YOUR_OPENAI_API_KEY_HERE
    enabled: false
    priority: 2
    model_rewrite:                  # Claude model names -> the provider's model
      enabled: true
      rules:
        - source_pattern: "claude-*"
          target_model: gpt-5-mini

  - name: example-anthropic-oauth
    url: https://api.anthropic.com
    endpoint_type: anthropic
    auth_type: oauth
    enabled: false
    priority: 3
    oauth_config:
      access_token: sk-ant-oat01-YOUR_ACCESS_TOKEN_HERE
      refresh_token: sk-ant-ort01-YOUR_REFRESH_TOKEN_HERE
      expires_at: 0                 # 0 = refresh on first use
      token_url: https://console.anthropic.com/v1/oauth/token
      client_id: 9d1c250a-e61b-44d9-88ed-5944d1962f5e
      scopes: [user:inference, user:profile]
      auto_refresh: true

logging:
  level: info                       # debug | info | warn | error
  log_request_types: all            # failed | success | all
  log_request_body: truncated       # none | truncated | full
  log_response_body: truncated
  log_directory: ./logs

tagging:
  pipeline_timeout: 5s
  taggers: []

timeouts:
  tls_handshake: 10s
  response_header: 60s              # first byte of a streaming response
  idle_connection: 90s
  health_check_timeout: 30s
  check_interval: 30s               # how often a failing endpoint is probed
  recovery_threshold: 1             # successful probes needed to bring it back
)YAML";
	return text;
}

} // namespace ccc::config
