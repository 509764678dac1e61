#pragma once
#include <iosfwd>
#include <string>
#include <vector>

namespace ccc
{

/// `claude-code-companion service install|uninstall|status|print-unit|default-config [options]`:
/// runs the binary under the platform's service manager for users who do not use a package.
///
///   systemd (Linux)  root: /etc/systemd/system/claude-code-companion.service, runs as the system
///                    user claude-code-companion (created with useradd when missing), config
///                    /etc/claude-code-companion/config.yaml, state /var/lib/claude-code-companion;
///                    otherwise a user unit in ~/.config/systemd/user/ with the config in
///                    ~/.config/claude-code-companion/. Then systemctl daemon-reload and
///                    enable --now (disable --now on uninstall).
///   launchd (macOS)  root: LaunchDaemon /Library/LaunchDaemons/com.claude-code-companion.plist;
///                    otherwise LaunchAgent ~/Library/LaunchAgents/...; launchctl load -w / unload -w.
///   windows          POCO's /registerService (/startup=auto) and /unregisterService; config and
///                    data under %PROGRAMDATA%\Claude Code Companion.
///
/// The unit and plist text is the one in packaging/ (embedded at build time), so a package and
/// `service install` install the same thing. uninstall keeps the config and the state.
///
/// Options: --system | --user (default: --system when root), --config=PATH, --state-dir=DIR,
/// --run-as=USER (system scope), --platform=systemd|launchd|windows (default: this OS), --dry-run
/// (print what would be written and run, change nothing), --root=DIR (write every file under DIR:
/// staging and tests; also CCC_SERVICE_ROOT).
/// External commands (systemctl, useradd, chown, launchctl) are run directly when the service
/// manager is running, else printed for the user to run later. With CCC_SERVICE_RUN=PROGRAM in
/// the environment every such command is handed to PROGRAM as its arguments instead (tests record
/// them there; nothing is started on the machine).
/// Returns a process exit code; messages go to `out` and `err`.
int runServiceCommand(const std::vector<std::string> & args, const std::string & executablePath, std::ostream & out,
	std::ostream & err);

/// The absolute path of the running binary (/proc/self/exe on Linux, else argv[0] resolved
/// against the working directory or PATH).
std::string selfExecutable(const char * argv0);

/// The templates' placeholders, filled by the build for packages and by `service install`.
struct ServiceTemplateValues
{
	std::string exec;      ///< absolute path of the binary
	std::string config;    ///< absolute path of config.yaml
	std::string configDir; ///< its directory
	std::string stateDir;  ///< working directory; logs and the log store live here
	std::string user;      ///< account the system service runs as
	std::string label = "com.claude-code-companion"; ///< launchd label
};

/// Replaces @CCC_EXEC@, @CCC_CONFIG@, @CCC_CONFIG_DIR@, @CCC_STATE_DIR@, @CCC_USER@ and
/// @CCC_LABEL@ in `text`; with `xmlEscape` the values are escaped for a property list.
std::string renderServiceTemplate(const std::string & text, const ServiceTemplateValues & values, bool xmlEscape);

/// The default config.yaml with logging.log_directory set to `logDir` ("" keeps ./logs, next to
/// the config file).
std::string defaultConfigFor(const std::string & logDir);

} // namespace ccc
