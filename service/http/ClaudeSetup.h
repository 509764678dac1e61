#pragma once
#include <string>
#include <utility>
#include <vector>

namespace ccc::http
{

/// What Claude Code needs to talk to this proxy, shared by the help page (GET /), its launcher
/// scripts and `claude-code-companion setup-claude`:
///   ANTHROPIC_BASE_URL                         the proxy's address
///   ANTHROPIC_AUTH_TOKEN                       any value, or one of server.client_tokens
///   API_TIMEOUT_MS=600000                      long thinking pauses must not time out the client
///   CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1 no telemetry or update checks through the proxy
using EnvList = std::vector<std::pair<std::string, std::string>>;
EnvList claudeEnv(const std::string & baseUrl, const std::string & token);

/// The token placed in scripts and settings when the proxy does not require one (any value works).
constexpr const char * kAnyToken = "claude-code-companion";
/// The placeholder shown on the help page when client tokens are required (the page is public
/// and never shows a configured token).
constexpr const char * kTokenPlaceholder = "YOUR_CLIENT_TOKEN";

/// The base URL for a configured listen address: 0.0.0.0 / :: become 127.0.0.1 / [::1].
std::string baseUrlForListen(const std::string & host, int port);

/// True when `hostHeader` is safe to embed in a URL, HTML and every script below (letters,
/// digits, '.', '-', ':', '[', ']', at most 255 characters).
bool isSafeHostHeader(const std::string & hostHeader);

/// Launcher scripts: set the variables, then run `claude` with the script's arguments.
/// kind: "sh" (Linux), "command" (macOS, double-clickable), "bat" (Windows cmd, CRLF), "ps1"
/// (PowerShell). Empty for an unknown kind.
std::string launcherScript(const std::string & kind, const std::string & baseUrl, const std::string & token);
/// The file name offered for download ("ccc.sh", "ccc.command", "ccc.bat", "ccc.ps1").
std::string launcherFileName(const std::string & kind);

/// The help page. `tokensRequired` shows the token placeholder and explains it.
std::string setupPageHtml(const std::string & version, const std::string & baseUrl, bool tokensRequired);

} // namespace ccc::http
