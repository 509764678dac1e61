#pragma once
#include <iosfwd>
#include <memory>
#include <string>

#include <Poco/Util/ServerApplication.h>

namespace ccc
{

class Service;

/// The POCO ServerApplication: command line, logging set-up, and the lifetime of the Service.
/// Everything else lives in ccc_service_core.
///   claude-code-companion [--config PATH] [--port N] [--check-config] [--version] [--help]
///   plus POCO's --daemon / --pidfile=PATH / --umask on Unix and /registerService on Windows.
class CompanionApp : public Poco::Util::ServerApplication
{
public:
	CompanionApp();
	~CompanionApp() override;

	/// Run by main() before POCO sees the arguments. With --daemon, POCO detaches (and sends
	/// stderr to /dev/null) before the config is read, so an invalid config would fail silently
	/// after the parent had already exited 0. This checks the config first, in the foreground,
	/// and returns EXIT_CONFIG after printing the same messages as a normal start; 0 otherwise
	/// (also when the file does not exist yet: the first run writes the default).
	static int checkBeforeDaemon(int argc, char ** argv, std::ostream & err);

protected:
	void initialize(Poco::Util::Application & self) override;
	void defineOptions(Poco::Util::OptionSet & options) override;
	int main(const std::vector<std::string> & args) override;

private:
	void handleHelp(const std::string & name, const std::string & value);
	void handleConfig(const std::string & name, const std::string & value);
	void handlePort(const std::string & name, const std::string & value);
	void handleCheck(const std::string & name, const std::string & value);
	void handleVersion(const std::string & name, const std::string & value);
	void handleAdminDir(const std::string & name, const std::string & value);
	void handleSetAdminPassword(const std::string & name, const std::string & value);
	std::string resolve(const std::string & path) const;

	std::string _startDir; ///< captured before --daemon changes to /
	std::string _configPath = "config.yaml";
	std::string _adminDir;
	int _portOverride = 0;
	bool _checkOnly = false;
	bool _setAdminPassword = false;
	bool _stop = false;
	int _exitCode = 0;
};

} // namespace ccc
