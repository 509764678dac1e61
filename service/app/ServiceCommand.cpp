#include "app/ServiceCommand.h"

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>

#include <Poco/Environment.h>
#include <Poco/Exception.h>
#include <Poco/File.h>
#include <Poco/Path.h>
#include <Poco/Process.h>
#include <Poco/String.h>

#if !defined(_WIN32)
#include <pwd.h>
#include <unistd.h>
#endif

#include "ccc/config/yaml_config.h"
#include "ccc/service_templates.h"

namespace ccc
{

namespace
{

const char * const kServiceName = "claude-code-companion";

enum class Platform
{
	Systemd,
	Launchd,
	Windows
};

struct Options
{
	std::string action;
	Platform platform =
#if defined(_WIN32)
		Platform::Windows;
#elif defined(__APPLE__)
		Platform::Launchd;
#else
		Platform::Systemd;
#endif
	bool system = false;
	bool dryRun = false;
	std::string config;
	std::string stateDir;
	std::string runAs;
	std::string root;
};

bool isRoot()
{
#if defined(_WIN32)
	return true; // the Windows service manager decides (an unelevated call fails there)
#else
	return ::geteuid() == 0;
#endif
}

std::string homeDir()
{
	std::string home = Poco::Environment::get("HOME", "");
#if !defined(_WIN32)
	if (home.empty())
		if (const passwd * pw = ::getpwuid(::getuid()))
			home = pw->pw_dir;
#endif
	return home;
}

std::string stripSlash(std::string p)
{
	while (p.size() > 1 && (p.back() == '/' || p.back() == '\\'))
		p.pop_back();
	return p;
}

std::string parentOf(const std::string & path)
{
	return stripSlash(Poco::Path(path).parent().toString(Poco::Path::PATH_NATIVE));
}

std::string shellQuote(const std::string & s)
{
	if (!s.empty() && s.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-./=:@%+,") == std::string::npos)
		return s;
	std::string q = "'";
	for (char c : s)
		q += c == '\'' ? std::string("'\\''") : std::string(1, c);
	return q + "'";
}

bool writeFile(const std::string & path, const std::string & text, std::ostream & err)
{
	try
	{
		Poco::File(parentOf(path)).createDirectories();
	}
	catch (const Poco::Exception & e)
	{
		err << "cannot create " << parentOf(path) << ": " << e.displayText() << std::endl;
		return false;
	}
	std::ofstream f(path, std::ios::binary | std::ios::trunc);
	f << text;
	f.close();
	if (!f)
	{
		err << "cannot write " << path << std::endl;
		return false;
	}
	return true;
}

/// Where the unit (or plist) goes and what it says.
struct Plan
{
	std::string unitPath; ///< without the --root prefix
	std::string unitText;
	ServiceTemplateValues values;
	std::vector<std::vector<std::string>> installCommands;
	std::vector<std::vector<std::string>> uninstallCommands;
	std::vector<std::string> statusCommand;
	bool managerRunning = false;
	std::string managerName;
};

std::string xdgConfigHome()
{
	std::string x = Poco::Environment::get("XDG_CONFIG_HOME", "");
	return x.empty() ? homeDir() + "/.config" : stripSlash(x);
}

Plan planSystemd(const Options & o, const std::string & exe)
{
	Plan p;
	p.managerName = "systemd";
	ServiceTemplateValues & v = p.values;
	v.exec = exe;
	if (o.system)
	{
		v.config = o.config.empty() ? "/etc/claude-code-companion/config.yaml" : o.config;
		v.stateDir = o.stateDir.empty() ? "/var/lib/claude-code-companion" : o.stateDir;
		v.user = o.runAs.empty() ? kServiceName : o.runAs;
		p.unitPath = "/etc/systemd/system/claude-code-companion.service";
		p.unitText = templates::kSystemdSystemUnit;
	}
	else
	{
		v.config = o.config.empty() ? xdgConfigHome() + "/claude-code-companion/config.yaml" : o.config;
		v.stateDir = o.stateDir.empty() ? parentOf(v.config) : o.stateDir;
		p.unitPath = xdgConfigHome() + "/systemd/user/claude-code-companion.service";
		p.unitText = templates::kSystemdUserUnit;
	}
	v.configDir = parentOf(v.config);
	std::vector<std::string> ctl = {"systemctl"};
	if (!o.system)
		ctl.push_back("--user");
	auto with = [&ctl](std::initializer_list<std::string> rest) {
		std::vector<std::string> c = ctl;
		c.insert(c.end(), rest);
		return c;
	};
	p.installCommands = {with({"daemon-reload"}), with({"enable", "--now", "claude-code-companion.service"})};
	p.uninstallCommands = {with({"disable", "--now", "claude-code-companion.service"}), with({"daemon-reload"})};
	p.statusCommand = with({"status", "--no-pager", "claude-code-companion.service"});
	// sd_booted(3): systemd is PID 1 when this directory exists.
	p.managerRunning = Poco::File("/run/systemd/system").exists();
	return p;
}

Plan planLaunchd(const Options & o, const std::string & exe)
{
	Plan p;
	p.managerName = "launchd";
	ServiceTemplateValues & v = p.values;
	v.exec = exe;
	const std::string base = o.system ? std::string("/Library/Application Support/Claude Code Companion")
									  : homeDir() + "/Library/Application Support/Claude Code Companion";
	v.config = o.config.empty() ? base + "/config.yaml" : o.config;
	v.configDir = parentOf(v.config);
	v.stateDir = o.stateDir.empty() ? (o.system ? std::string("/Library/Logs/Claude Code Companion") : base) : o.stateDir;
	v.user = o.runAs.empty() ? "root" : o.runAs;
	p.unitPath = (o.system ? std::string("/Library/LaunchDaemons/") : homeDir() + "/Library/LaunchAgents/") + v.label + ".plist";
	p.unitText = o.system ? templates::kLaunchdDaemonPlist : templates::kLaunchdAgentPlist;
	p.installCommands = {{"launchctl", "load", "-w", p.unitPath}};
	p.uninstallCommands = {{"launchctl", "unload", "-w", p.unitPath}};
	p.statusCommand = {"launchctl", "list", v.label};
#if defined(__APPLE__)
	p.managerRunning = true;
#endif
	return p;
}

/// Runs (or, when nothing may be run, prints) one external command; returns its exit code.
int runCommand(const std::vector<std::string> & argv, bool allowed, std::ostream & out, std::ostream & err)
{
	std::string line;
	for (const auto & a : argv)
		line += (line.empty() ? "" : " ") + shellQuote(a);
	const std::string runner = Poco::Environment::get("CCC_SERVICE_RUN", "");
	if (runner.empty() && !allowed)
	{
		out << "  " << line << std::endl;
		return 0;
	}
	out << "+ " << line << std::endl;
	try
	{
		std::vector<std::string> args(argv.begin() + 1, argv.end());
		std::string program = argv.front();
		if (!runner.empty())
		{
			args.insert(args.begin(), program);
			program = runner;
		}
		Poco::ProcessHandle ph = Poco::Process::launch(program, args);
		return ph.wait();
	}
	catch (const Poco::Exception & e)
	{
		err << "cannot run " << argv.front() << ": " << e.displayText() << std::endl;
		return 127;
	}
}

bool userExists(const std::string & name)
{
#if defined(_WIN32)
	(void)name;
	return true;
#else
	return ::getpwnam(name.c_str()) != nullptr;
#endif
}

int usage(std::ostream & err)
{
	err << "usage: claude-code-companion service install|uninstall|status [--system|--user] [--config=PATH]\n"
		   "         [--state-dir=DIR] [--run-as=USER] [--platform=systemd|launchd|windows] [--root=DIR] [--dry-run]\n"
		   "       claude-code-companion service print-unit [--system|--user] [--platform=...] [...]\n"
		   "       claude-code-companion service default-config [--state-dir=DIR]\n";
	return 64; // EX_USAGE
}

#if defined(_WIN32)
int runWindows(const Options & o, const std::string & exe, std::ostream & out, std::ostream & err)
{
	const std::string dataDir = Poco::Environment::get("PROGRAMDATA", "C:\\ProgramData") + "\\Claude Code Companion";
	const std::string config = o.config.empty() ? dataDir + "\\config.yaml" : o.config;
	if (o.action == "install")
	{
		if (!Poco::File(config).exists() && !o.dryRun && !writeFile(config, defaultConfigFor(dataDir + "\\logs"), err))
			return 73;
		const int rc = runCommand({exe, "/registerService", "/displayName=Claude Code Companion", "/startup=auto"}, !o.dryRun, out, err);
		if (rc == 0)
			runCommand({"sc", "start", kServiceName}, !o.dryRun, out, err);
		out << "config: " << config << std::endl;
		return rc;
	}
	if (o.action == "uninstall")
	{
		runCommand({"sc", "stop", kServiceName}, !o.dryRun, out, err);
		const int rc = runCommand({exe, "/unregisterService"}, !o.dryRun, out, err);
		out << "kept: " << dataDir << std::endl;
		return rc;
	}
	return runCommand({"sc", "query", kServiceName}, true, out, err);
}
#endif

} // namespace

std::string selfExecutable(const char * argv0)
{
#if defined(__linux__)
	char buf[4096];
	const ssize_t n = ::readlink("/proc/self/exe", buf, sizeof(buf) - 1);
	if (n > 0)
		return std::string(buf, static_cast<size_t>(n));
#endif
	const std::string a = argv0 ? argv0 : "";
	if (a.find_first_of("/\\") != std::string::npos)
		return Poco::Path(a).absolute().toString();
	Poco::Path found;
	if (Poco::Path::find(Poco::Environment::get("PATH", ""), a, found))
		return found.absolute().toString();
	return a;
}

std::string renderServiceTemplate(const std::string & text, const ServiceTemplateValues & v, bool xmlEscape)
{
	auto esc = [xmlEscape](const std::string & s) {
		if (!xmlEscape)
			return s;
		std::string r;
		for (char c : s)
		{
			switch (c)
			{
			case '&': r += "&amp;"; break;
			case '<': r += "&lt;"; break;
			case '>': r += "&gt;"; break;
			case '"': r += "&quot;"; break;
			default: r += c;
			}
		}
		return r;
	};
	std::string out = text;
	const std::pair<const char *, std::string> subs[] = {{"@CCC_EXEC@", v.exec}, {"@CCC_CONFIG_DIR@", v.configDir},
		{"@CCC_CONFIG@", v.config}, {"@CCC_STATE_DIR@", v.stateDir}, {"@CCC_USER@", v.user}, {"@CCC_LABEL@", v.label}};
	for (const auto & [key, value] : subs)
		out = Poco::replace(out, std::string(key), esc(value));
	return out;
}

std::string defaultConfigFor(const std::string & logDir)
{
	std::string text = config::defaultConfigYaml();
	if (logDir.empty())
		return text;
	std::string error;
	config::patchYamlScalars(text, {{"logging.log_directory", config::yamlQuote(logDir)}}, error);
	return text;
}

int runServiceCommand(const std::vector<std::string> & args, const std::string & executablePath, std::ostream & out, std::ostream & err)
{
	Options o;
	o.system = isRoot();
	o.root = Poco::Environment::get("CCC_SERVICE_ROOT", "");
	for (const auto & a : args)
	{
		auto value = [&a](const char * prefix) -> const char * {
			const size_t n = std::char_traits<char>::length(prefix);
			return a.compare(0, n, prefix) == 0 ? a.c_str() + n : nullptr;
		};
		if (a == "--system")
			o.system = true;
		else if (a == "--user")
			o.system = false;
		else if (a == "--dry-run")
			o.dryRun = true;
		else if (const char * v = value("--config="))
			o.config = Poco::Path(v).absolute().toString();
		else if (const char * v2 = value("--state-dir="))
			o.stateDir = stripSlash(Poco::Path(v2).absolute().toString());
		else if (const char * v3 = value("--run-as="))
			o.runAs = v3;
		else if (const char * v4 = value("--root="))
			o.root = v4;
		else if (const char * v5 = value("--platform="))
		{
			const std::string p = v5;
			if (p == "systemd")
				o.platform = Platform::Systemd;
			else if (p == "launchd")
				o.platform = Platform::Launchd;
			else if (p == "windows")
				o.platform = Platform::Windows;
			else
				return usage(err);
		}
		else if (!a.empty() && a[0] != '-' && o.action.empty())
			o.action = a;
		else
		{
			err << "unknown argument: " << a << std::endl;
			return usage(err);
		}
	}
	o.root = stripSlash(o.root);
	if (o.root == "/")
		o.root.clear();

	if (o.action == "default-config")
	{
		out << defaultConfigFor(o.stateDir.empty() ? "" : o.stateDir + "/logs");
		return 0;
	}
	if (o.action != "install" && o.action != "uninstall" && o.action != "status" && o.action != "print-unit")
		return usage(err);
	const std::string exe = Poco::Path(executablePath).absolute().toString();

	if (o.platform == Platform::Windows)
	{
#if defined(_WIN32)
		return runWindows(o, exe, out, err);
#else
		err << "--platform=windows works only in the Windows build" << std::endl;
		return 64;
#endif
	}
	Plan p = o.platform == Platform::Systemd ? planSystemd(o, exe) : planLaunchd(o, exe);
	const bool plist = o.platform == Platform::Launchd;
	const std::string rendered = renderServiceTemplate(p.unitText, p.values, plist);
	if (o.action == "print-unit")
	{
		out << rendered;
		return 0;
	}
	if (!plist)
		for (const std::string * s : {&p.values.exec, &p.values.config, &p.values.stateDir})
			if (s->find_first_of(" \t\n\"'\\") != std::string::npos)
			{
				err << "cannot write a systemd unit for a path with spaces or quotes: " << *s << std::endl;
				return 64;
			}
	const std::string unitFile = o.root + p.unitPath;
	// Commands may run when the manager is up (or a test runner is set), never in a dry run.
	const bool mayRun = p.managerRunning && !o.dryRun;
	const bool runnerSet = !Poco::Environment::get("CCC_SERVICE_RUN", "").empty();
	auto runAll = [&](const std::vector<std::vector<std::string>> & cmds) {
		if (!mayRun && !runnerSet)
			out << (o.dryRun ? "would run:" : p.managerName + " is not running here; when it is, run:") << std::endl;
		int rc = 0;
		for (const auto & c : cmds)
			if (!o.dryRun || runnerSet)
				rc = rc != 0 ? rc : runCommand(c, mayRun, out, err);
			else
				runCommand(c, false, out, err);
		return rc;
	};

	if (o.action == "status")
	{
		const bool installed = Poco::File(unitFile).exists();
		out << (installed ? "installed: " : "not installed (no ") << unitFile << (installed ? "" : ")") << std::endl;
		out << "config: " << p.values.config << std::endl;
		if (installed && (mayRun || runnerSet))
			runCommand(p.statusCommand, mayRun, out, err);
		return installed ? 0 : 3; // 3: LSB "not running", what systemctl status returns for a missing unit
	}

	if (o.action == "uninstall")
	{
		if (!Poco::File(unitFile).exists())
		{
			out << "not installed (no " << unitFile << ")" << std::endl;
			return 0;
		}
		int rc = runAll({p.uninstallCommands.front()});
		if (o.dryRun)
			out << "would remove " << unitFile << std::endl;
		else
		{
			Poco::File(unitFile).remove();
			out << "removed " << unitFile << std::endl;
		}
		if (p.uninstallCommands.size() > 1)
			rc = rc != 0 ? rc : runAll({p.uninstallCommands.begin() + 1, p.uninstallCommands.end()});
		out << "kept the configuration " << p.values.config << " and the state in " << p.values.stateDir << std::endl;
		return rc;
	}

	// install
	if (o.system && !isRoot() && o.root.empty() && !o.dryRun)
	{
		err << "a system-wide service needs root (sudo); use --user for a service of your own account" << std::endl;
		return 77; // EX_NOPERM
	}
	if (o.dryRun)
	{
		out << "would write " << unitFile << ":\n" << rendered;
		if (!Poco::File(o.root + p.values.config).exists())
			out << "would write a default configuration to " << o.root + p.values.config << std::endl;
		return runAll(p.installCommands);
	}
	if (!plist && o.system && (exe.rfind("/home/", 0) == 0 || exe.rfind("/root/", 0) == 0))
		err << "warning: " << exe << " is under a home directory, which the unit's ProtectHome=yes hides from the "
			<< "service; copy the binary to /usr/local/bin and install from there" << std::endl;
	const bool needUser = o.system && p.values.user != "root";
	// The package's postinst creates the same account. Under --root (a staged tree) the real
	// machine's accounts say nothing, and nothing is run on it: the commands are printed (or go
	// to the CCC_SERVICE_RUN runner).
	if (needUser && !plist && (!o.root.empty() || !userExists(p.values.user)))
		runCommand({"useradd", "--system", "--user-group", "--home-dir", p.values.stateDir, "--no-create-home", "--shell",
					   "/usr/sbin/nologin", p.values.user},
			o.root.empty(), out, err);
	try
	{
		Poco::File(o.root + p.values.stateDir).createDirectories();
		Poco::File(o.root + p.values.configDir).createDirectories();
	}
	catch (const Poco::Exception & e)
	{
		err << "cannot create the service directories: " << e.displayText() << std::endl;
		return 73; // EX_CANTCREAT
	}
	const std::string configFile = o.root + p.values.config;
	if (!Poco::File(configFile).exists())
	{
		const std::string logDir = o.system ? p.values.stateDir + "/logs" : "";
		if (!writeFile(configFile, defaultConfigFor(logDir), err))
			return 73;
		out << "wrote a default configuration to " << configFile << std::endl;
	}
	else
		out << "keeping the configuration " << configFile << std::endl;
	if (needUser)
	{
		// The service writes config.yaml (admin edits, via a temp file in its directory) and its
		// state. Directories are only handed over when they are the service's own: a --config in
		// /etc or a --state-dir of /var must not change the owner of those.
		auto own = [](const std::string & dir) { return Poco::Path(dir).getFileName().find("companion") != std::string::npos; };
		std::vector<std::string> chown = {"chown", plist ? p.values.user : p.values.user + ":" + p.values.user, configFile};
		for (const std::string * d : {&p.values.configDir, &p.values.stateDir})
			if (own(*d))
				chown.push_back(o.root + *d);
		runCommand(chown, o.root.empty(), out, err);
	}
	if (!writeFile(unitFile, rendered, err))
		return 73;
	out << "wrote " << unitFile << std::endl;
	return runAll(p.installCommands);
}

} // namespace ccc
