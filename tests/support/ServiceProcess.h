#pragma once
#include <map>
#include <memory>
#include <string>

#include <Poco/Process.h>

namespace ccc::test
{

/// A free TCP port on 127.0.0.1 (bound then released; good enough for tests run one at a time).
int freePort();

/// A fresh temporary directory, removed with the object.
class TempDir
{
public:
	TempDir();
	~TempDir();
	const std::string & path() const { return _path; }
	std::string file(const std::string & name) const { return _path + "/" + name; }
	void write(const std::string & name, const std::string & content) const;
	std::string read(const std::string & name) const;

private:
	std::string _path;
};

/// Runs the real claude-code-companion binary with a config written into its own temp dir.
/// start() waits until /healthz answers; the destructor stops the process (SIGTERM, then SIGKILL).
class ServiceProcess
{
public:
	/// `configYaml` may contain the placeholder ${PORT}, replaced by the chosen port.
	explicit ServiceProcess(std::string configYaml);
	~ServiceProcess();

	/// Starts and waits for readiness; returns false (with output()) if it exits or times out.
	bool start(int timeoutMs = 15000);
	void stop();
	int port() const { return _port; }
	std::string baseUrl() const { return "http://127.0.0.1:" + std::to_string(_port); }
	const TempDir & dir() const { return _dir; }
	std::string configPath() const { return _dir.file("config.yaml"); }
	/// Everything the process wrote to stdout and stderr so far.
	std::string output() const;
	bool running() const;
	int pid() const { return _pid; }

private:
	TempDir _dir;
	std::string _config;
	int _port = 0;
	int _pid = -1;
};

/// Runs the binary to completion with arguments; returns its exit code and captures output.
int runBinary(const std::vector<std::string> & args, std::string & output, const std::string & cwd = "", int timeoutMs = 20000);

struct HttpResult
{
	int status = 0;
	std::string body;
	std::map<std::string, std::string> headers; ///< lower-case names
	std::string error;                          ///< set when the request could not be made
};

/// A blocking HTTP/1.1 request to 127.0.0.1:port (no redirects followed).
HttpResult httpRequest(int port, const std::string & method, const std::string & path, const std::string & body = "",
	const std::map<std::string, std::string> & headers = {}, int timeoutMs = 30000);

} // namespace ccc::test
