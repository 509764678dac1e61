#pragma once
#include <iosfwd>
#include <memory>
#include <string>

#include "core/ServiceContext.h"

namespace Poco::Net
{
class HTTPServer;
}

namespace ccc
{

struct ServiceOptions
{
	std::string configPath;     ///< absolute
	int portOverride = 0;       ///< --port; 0 = use server.port
	std::string adminDir;       ///< --admin-dir; empty = look next to the executable
	std::string executablePath; ///< to find the admin assets
};

/// The running service: config store, HTTP server, and (as they land) the proxy engine, upstream
/// pools, log store and admin API. Construction does nothing; start() brings it up.
class Service
{
public:
	explicit Service(ServiceOptions options);
	~Service();

	/// Writes the default config if none exists, loads and validates it, starts listening.
	/// Returns 0, or a sysexits code after printing why to `err`.
	int start(std::ostream & err);
	/// Stops accepting connections, lets requests in flight (streams included) finish for up to
	/// server.shutdown_grace, closes what is still open after that, then flushes the log store.
	void stop();
	/// Re-reads config.yaml now (SIGHUP), whether or not the file looks changed; an invalid file
	/// is logged and the running configuration stays. Returns at once (the reload is done by the
	/// config watcher thread). No effect before start().
	void reloadConfig();

	/// --check-config: prints every finding and a summary; 0 when valid, 1 on errors.
	static int checkConfig(const ServiceOptions & options, std::ostream & out, std::ostream & err);

	/// The admin assets directory chosen for this executable (may not exist).
	static std::string findAdminDir(const ServiceOptions & options);

private:
	ServiceOptions _options;
	std::unique_ptr<ConfigStore> _configStore;
	ServiceContext _ctx;
	struct Impl;
	std::unique_ptr<Impl> _impl;
};

} // namespace ccc
