#include "app/CompanionApp.h"

#include <fstream>
#include <iostream>
#include <sstream>
#include <unistd.h>

#include <Poco/Environment.h>
#include <Poco/Path.h>
#include <Poco/Util/HelpFormatter.h>
#include <Poco/Util/IntValidator.h>
#include <Poco/Util/Option.h>
#include <Poco/Util/OptionCallback.h>

#include "app/AdminPassword.h"
#include "app/SdNotify.h"
#include "app/Signals.h"
#include "ccc/config/yaml_config.h"
#include "ccc/version.h"
#include "core/Service.h"

namespace ccc
{

using Poco::Util::Option;
using Poco::Util::OptionCallback;

CompanionApp::CompanionApp() : _startDir(Poco::Path::current())
{
	// Unknown options are reported by POCO; keep its argument checking strict.
	setUnixOptions(true);
}

CompanionApp::~CompanionApp() = default;

void CompanionApp::initialize(Poco::Util::Application & self)
{
	ServerApplication::initialize(self);
}

void CompanionApp::defineOptions(Poco::Util::OptionSet & options)
{
	ServerApplication::defineOptions(options);
	options.addOption(Option("help", "h", "print this help and exit").required(false).repeatable(false).callback(
		OptionCallback<CompanionApp>(this, &CompanionApp::handleHelp)));
	options.addOption(Option("config", "c", "configuration file (default: config.yaml in the start directory)")
						  .required(false)
						  .repeatable(false)
						  .argument("PATH")
						  .callback(OptionCallback<CompanionApp>(this, &CompanionApp::handleConfig)));
	options.addOption(Option("port", "p", "listen on this port instead of server.port")
						  .required(false)
						  .repeatable(false)
						  .argument("N")
						  .validator(new Poco::Util::IntValidator(1, 65535))
						  .callback(OptionCallback<CompanionApp>(this, &CompanionApp::handlePort)));
	options.addOption(Option("check-config", "t", "validate the configuration, print every problem and exit (1 on errors)")
						  .required(false)
						  .repeatable(false)
						  .callback(OptionCallback<CompanionApp>(this, &CompanionApp::handleCheck)));
	options.addOption(Option("version", "v", "print the version and exit").required(false).repeatable(false).callback(
		OptionCallback<CompanionApp>(this, &CompanionApp::handleVersion)));
	options.addOption(Option("set-admin-password", "", "read a new admin password (terminal or stdin), store its hash in config.yaml and exit")
						  .required(false)
						  .repeatable(false)
						  .callback(OptionCallback<CompanionApp>(this, &CompanionApp::handleSetAdminPassword)));
	options.addOption(Option("admin-dir", "", "directory holding the admin UI files (default: found next to the binary)")
						  .required(false)
						  .repeatable(false)
						  .argument("DIR")
						  .callback(OptionCallback<CompanionApp>(this, &CompanionApp::handleAdminDir)));
}

void CompanionApp::handleHelp(const std::string &, const std::string &)
{
	Poco::Util::HelpFormatter help(options());
	help.setCommand(commandName());
	help.setUsage("[--config PATH] [--port N] [--check-config] [--version] [--help] [--daemon --pidfile=PATH]");
	help.setHeader("Claude Code Companion: a failover proxy between Claude Code and many upstream endpoints.");
	help.setFooter("Commands:\n"
				   "  setup-claude [--dry-run] [--config PATH] [--url URL] [--token TOKEN]\n"
				   "      point Claude Code at this proxy: writes its settings into the \"env\" of ~/.claude/settings.json\n"
				   "      (timestamped backup first; --dry-run prints the result)\n\n"
				   "The admin UI is served at http://HOST:PORT/admin/ and the Claude Code set-up guide at http://HOST:PORT/ ;\n"
				   "see docs/CONFIG.md for config.yaml and docs/SECURITY.md for access control.");
	help.format(std::cout);
	_stop = true;
	stopOptionsProcessing();
}

void CompanionApp::handleConfig(const std::string &, const std::string & value)
{
	_configPath = value;
}

void CompanionApp::handlePort(const std::string &, const std::string & value)
{
	_portOverride = std::stoi(value);
}

void CompanionApp::handleCheck(const std::string &, const std::string &)
{
	_checkOnly = true;
}

void CompanionApp::handleVersion(const std::string &, const std::string &)
{
	std::cout << "Claude Code Companion " << CCC_VERSION << std::endl;
	_stop = true;
	stopOptionsProcessing();
}

void CompanionApp::handleSetAdminPassword(const std::string &, const std::string &)
{
	_setAdminPassword = true;
}

void CompanionApp::handleAdminDir(const std::string &, const std::string & value)
{
	_adminDir = value;
}

int CompanionApp::checkBeforeDaemon(int argc, char ** argv, std::ostream & err)
{
	bool daemon = false;
	std::string configPath = "config.yaml";
	for (int i = 1; i < argc; ++i)
	{
		const std::string arg = argv[i];
		if (arg == "--daemon")
			daemon = true;
		else if (arg.rfind("--config=", 0) == 0)
			configPath = arg.substr(9);
		else if ((arg == "--config" || arg == "-c") && i + 1 < argc)
			configPath = argv[++i];
		else if (arg.rfind("-c", 0) == 0 && arg.size() > 2)
			configPath = arg.substr(2); // -cPATH
		else if (arg == "--help" || arg == "-h" || arg == "--version" || arg == "-v" || arg == "--check-config" || arg == "-t")
			return 0; // these never start the service
	}
	if (!daemon)
		return 0;
	const std::string path = Poco::Path(configPath).absolute().toString();
	std::ifstream in(path, std::ios::binary);
	if (!in)
		return 0; // missing: the daemon writes the default (and reports a failure to write it by its exit status)
	std::stringstream text;
	text << in.rdbuf();
	const config::YamlLoadResult r = config::loadConfigYaml(text.str());
	if (!config::hasErrors(r.diagnostics))
		return 0;
	err << config::formatDiagnostics(r.diagnostics, path);
	err << path << ": configuration is invalid; not starting (the file was left as it is)" << std::endl;
	return EXIT_CONFIG;
}

std::string CompanionApp::resolve(const std::string & path) const
{
	Poco::Path p(path);
	if (p.isAbsolute())
		return p.toString();
	return Poco::Path(_startDir).makeDirectory().resolve(p).toString();
}

int CompanionApp::main(const std::vector<std::string> & args)
{
	if (_stop)
		return EXIT_OK;
	if (!args.empty())
	{
		std::cerr << "unexpected argument: " << args.front() << " (see --help)" << std::endl;
		return EXIT_USAGE;
	}
	// POCO's --daemon changes to / before main(). Go back to the start directory so relative paths
	// inside config.yaml (logging.log_directory, script files) mean the same with and without
	// --daemon. The pid file was written before the change, relative to the start directory too.
	if (config().getBool("application.runAsDaemon", false) && ::chdir(_startDir.c_str()) != 0)
	{
		std::cerr << "cannot change to the start directory " << _startDir << std::endl;
		return EXIT_OSERR;
	}
#if defined(_WIN32)
	// Started by the service manager (registered by the installer or `service install`) the
	// process has no --config and runs in System32: use the installer's config in ProgramData.
	if (config().getBool("application.runAsService", false) && _configPath == "config.yaml")
		_configPath = Poco::Environment::get("PROGRAMDATA", "C:\\ProgramData") + "\\Claude Code Companion\\config.yaml";
#endif
	ServiceOptions opts;
	opts.configPath = resolve(_configPath);
	opts.portOverride = _portOverride;
	opts.adminDir = _adminDir.empty() ? "" : resolve(_adminDir);
	opts.executablePath = config().getString("application.path", "");

	if (_checkOnly)
		return Service::checkConfig(opts, std::cout, std::cerr);
	if (_setAdminPassword)
		return app::setAdminPassword(opts.configPath, std::cin, std::cout, std::cerr);

	// Before the service starts any thread: SIGTERM/SIGHUP are then only taken by waitForStop.
	blockServiceSignals();
	Service service(opts);
	int rc = service.start(std::cerr);
	if (rc != 0)
		return rc;
	sdNotify("READY=1");
	waitForStop([&service] { service.reloadConfig(); }, [this] { waitForTerminationRequest(); });
	sdNotify("STOPPING=1");
	service.stop();
	return EXIT_OK;
}

} // namespace ccc
