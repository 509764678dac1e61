#include "ServiceProcess.h"

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <fcntl.h>
#include <fstream>
#include <sstream>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

#include <Poco/File.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/StreamCopier.h>
#include <Poco/String.h>
#include <Poco/TemporaryFile.h>

namespace ccc::test
{

int freePort()
{
	Poco::Net::ServerSocket s(Poco::Net::SocketAddress("127.0.0.1", 0));
	return s.address().port();
}

TempDir::TempDir()
{
	char tmpl[] = "/tmp/ccc-test-XXXXXX";
	char * p = ::mkdtemp(tmpl);
	_path = p ? p : "/tmp";
}

TempDir::~TempDir()
{
	if (std::getenv("CCC_KEEP_TEST_DIRS") == nullptr)
	{
		try
		{
			Poco::File(_path).remove(true);
		}
		catch (...) // NOLINT: best-effort clean-up of a temp dir must not fail a test
		{
		}
	}
}

void TempDir::write(const std::string & name, const std::string & content) const
{
	std::ofstream out(file(name), std::ios::binary);
	out << content;
}

std::string TempDir::read(const std::string & name) const
{
	std::ifstream in(file(name), std::ios::binary);
	std::stringstream s;
	s << in.rdbuf();
	return s.str();
}

ServiceProcess::ServiceProcess(std::string configYaml) : _config(std::move(configYaml))
{
}

ServiceProcess::~ServiceProcess()
{
	stop();
}

bool ServiceProcess::start(int timeoutMs)
{
	_port = freePort();
	std::string cfg = Poco::replace(_config, std::string("${PORT}"), std::to_string(_port));
	cfg = Poco::replace(cfg, std::string("${DIR}"), _dir.path());
	_dir.write("config.yaml", cfg);
	const std::string logPath = _dir.file("service.log");
	_pid = ::fork();
	if (_pid == 0)
	{
		int fd = ::open(logPath.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
		::dup2(fd, 1);
		::dup2(fd, 2);
		if (::chdir(_dir.path().c_str()) != 0)
			::_exit(126);
		const std::string portArg = "--port=" + std::to_string(_port);
		const std::string adminArg = std::string("--admin-dir=") + CCC_ADMIN_DIR;
		::execl(CCC_BINARY_PATH, CCC_BINARY_PATH, "--config=config.yaml", portArg.c_str(), adminArg.c_str(), static_cast<char *>(nullptr));
		::_exit(127);
	}
	auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
	while (std::chrono::steady_clock::now() < deadline)
	{
		if (!running())
			return false;
		HttpResult r = httpRequest(_port, "GET", "/healthz", "", {}, 1000);
		if (r.status == 200)
			return true;
		std::this_thread::sleep_for(std::chrono::milliseconds(20));
	}
	return false;
}

bool ServiceProcess::running() const
{
	if (_pid <= 0)
		return false;
	int status = 0;
	pid_t r = ::waitpid(_pid, &status, WNOHANG);
	if (r == _pid)
	{
		const_cast<ServiceProcess *>(this)->_pid = -1;
		return false;
	}
	return true;
}

void ServiceProcess::stop()
{
	if (_pid <= 0)
		return;
	::kill(_pid, SIGTERM);
	for (int i = 0; i < 500; ++i)
	{
		int status = 0;
		if (::waitpid(_pid, &status, WNOHANG) == _pid)
		{
			_pid = -1;
			return;
		}
		std::this_thread::sleep_for(std::chrono::milliseconds(10));
	}
	::kill(_pid, SIGKILL);
	int status = 0;
	::waitpid(_pid, &status, 0);
	_pid = -1;
}

std::string ServiceProcess::output() const
{
	return _dir.read("service.log");
}

int runBinary(const std::vector<std::string> & args, std::string & output, const std::string & cwd, int timeoutMs)
{
	TempDir tmp;
	const std::string logPath = tmp.file("out.log");
	pid_t pid = ::fork();
	if (pid == 0)
	{
		int fd = ::open(logPath.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
		::dup2(fd, 1);
		::dup2(fd, 2);
		if (!cwd.empty() && ::chdir(cwd.c_str()) != 0)
			::_exit(126);
		std::vector<char *> argv;
		argv.push_back(const_cast<char *>(CCC_BINARY_PATH));
		for (const auto & a : args)
			argv.push_back(const_cast<char *>(a.c_str()));
		argv.push_back(nullptr);
		::execv(CCC_BINARY_PATH, argv.data());
		::_exit(127);
	}
	int status = 0;
	auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
	while (::waitpid(pid, &status, WNOHANG) == 0)
	{
		if (std::chrono::steady_clock::now() > deadline)
		{
			::kill(pid, SIGKILL);
			::waitpid(pid, &status, 0);
			output = tmp.read("out.log") + "\n[timed out]";
			return -1;
		}
		std::this_thread::sleep_for(std::chrono::milliseconds(10));
	}
	output = tmp.read("out.log");
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

HttpResult httpRequest(int port, const std::string & method, const std::string & path, const std::string & body,
	const std::map<std::string, std::string> & headers, int timeoutMs)
{
	HttpResult result;
	try
	{
		Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(port));
		session.setTimeout(Poco::Timespan(static_cast<long>(timeoutMs) * 1000));
		Poco::Net::HTTPRequest req(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
		for (const auto & [k, v] : headers)
			req.set(k, v);
		if (!body.empty() || method == "POST" || method == "PUT")
			req.setContentLength(static_cast<std::streamsize>(body.size()));
		std::ostream & os = session.sendRequest(req);
		os << body;
		Poco::Net::HTTPResponse resp;
		std::istream & is = session.receiveResponse(resp);
		result.status = static_cast<int>(resp.getStatus());
		for (const auto & [k, v] : resp)
			result.headers[Poco::toLower(k)] = v;
		if (method != "HEAD")
			Poco::StreamCopier::copyToString(is, result.body);
	}
	catch (const Poco::Exception & e)
	{
		result.error = e.displayText();
	}
	return result;
}

} // namespace ccc::test
