#pragma once
#include <iosfwd>
#include <string>
#include <vector>

namespace ccc::app
{

/// `claude-code-companion setup-claude [--dry-run] [--config PATH] [--url URL] [--token TOKEN]`
///
/// Points Claude Code at this proxy by writing the variables of http::claudeEnv() into the "env"
/// object of $HOME/.claude/settings.json:
///   - ANTHROPIC_BASE_URL: --url, else http://<server.host>:<server.port> from the config
///     (0.0.0.0 becomes 127.0.0.1), else http://127.0.0.1:8080 when there is no config file;
///   - ANTHROPIC_AUTH_TOKEN: --token, else the first of server.client_tokens, else any value.
/// Every other key of the file (and of "env") is kept in its order. The file is created when
/// missing; an existing file is first copied to settings.json.backup-YYYYMMDD-HHMMSS, then
/// replaced atomically (its permissions kept). A file that is not a JSON object is left alone
/// (exit 1). Nothing is written when every value is already set; --dry-run prints the resulting
/// file to `out` and writes nothing. Returns a process exit code.
int setupClaude(const std::vector<std::string> & args, const std::string & startDir, std::ostream & out, std::ostream & err);

/// True when argv names the setup-claude command (its first non-option argument); `rest` then
/// receives every other argument.
bool isSetupClaudeCommand(int argc, char ** argv, std::vector<std::string> & rest);

} // namespace ccc::app
