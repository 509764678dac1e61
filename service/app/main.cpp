#include <iostream>

#include <Poco/Path.h>

#include "app/CompanionApp.h"
#include "app/SetupClaude.h"
#include "app/ServiceCommand.h"

// Thin entry point: everything lives in ccc_service_core so tests and benchmarks link the same code.
// This is POCO_SERVER_MAIN plus the config check that must happen before --daemon detaches.
int main(int argc, char ** argv)
{
	try
	{
		// `service install|uninstall|status`: a command of its own, outside POCO's option parsing.
		if (argc >= 2 && std::string(argv[1]) == "service")
			return ccc::runServiceCommand(std::vector<std::string>(argv + 2, argv + argc), ccc::selfExecutable(argv[0]), std::cout, std::cerr);
		// `setup-claude`: the same, with its own options (app/SetupClaude.h).
		if (std::vector<std::string> rest; ccc::app::isSetupClaudeCommand(argc, argv, rest))
			return ccc::app::setupClaude(rest, Poco::Path::current(), std::cout, std::cerr);
		if (int rc = ccc::CompanionApp::checkBeforeDaemon(argc, argv, std::cerr); rc != 0)
			return rc;
		ccc::CompanionApp app;
		return app.run(argc, argv);
	}
	catch (Poco::Exception & e)
	{
		std::cerr << e.displayText() << std::endl;
		return Poco::Util::Application::EXIT_SOFTWARE;
	}
}
