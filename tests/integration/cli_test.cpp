// The command line and start-up of the real binary: --version, --help, --check-config, refusing
// an invalid config, the first run, --port, relative paths, --daemon/--pidfile, and the basic
// routes every later feature builds on.
#include <chrono>
#include <csignal>
#include <fcntl.h>
#include <fstream>
#include <functional>
#include <regex>
#include <sstream>
#include <string>
#include <sys/stat.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "ServiceProcess.h"

using namespace ccc::test;
using json = nlohmann::json;

namespace
{

const char * kValidConfig = "server:\n"
							"  host: 127.0.0.1\n"
							"  port: ${PORT}\n"
							"endpoints:\n"
							"  - name: primary\n"
							"    url: http://127.0.0.1:9/\n"
							"    auth_type: api_key\n"
							"    auth_value: test-key\n";

std::string substitute(std::string text, int port)
{
	const std::string key = "${PORT}";
	for (size_t at = text.find(key); at != std::string::npos; at = text.find(key))
		text.replace(at, key.size(), std::to_string(port));
	return text;
}

bool fileExists(const std::string & path)
{
	struct stat st{};
	return ::stat(path.c_str(), &st) == 0;
}

std::string readFile(const std::string & path)
{
	std::ifstream in(path, std::ios::binary);
	std::stringstream s;
	s << in.rdbuf();
	return s.str();
}

std::vector<std::string> lines(const std::string & text)
{
	std::vector<std::string> out;
	std::stringstream s(text);
	for (std::string line; std::getline(s, line);)
		out.push_back(line);
	return out;
}

bool waitFor(const std::function<bool()> & condition, int timeoutMs)
{
	auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
	while (std::chrono::steady_clock::now() < deadline)
	{
		if (condition())
			return true;
		std::this_thread::sleep_for(std::chrono::milliseconds(20));
	}
	return condition();
}

/// The binary started with arbitrary arguments in a chosen directory and left running (for the
/// cases ServiceProcess does not cover: no config file, relative paths). Stopped on destruction.
class Spawned
{
public:
	Spawned(const std::vector<std::string> & args, const std::string & cwd) : _log(cwd + "/spawned.log")
	{
		_pid = ::fork();
		if (_pid == 0)
		{
			int fd = ::open(_log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
			::dup2(fd, 1);
			::dup2(fd, 2);
			if (::chdir(cwd.c_str()) != 0)
				::_exit(126);
			std::vector<char *> argv;
			argv.push_back(const_cast<char *>(CCC_BINARY_PATH));
			for (const auto & a : args)
				argv.push_back(const_cast<char *>(a.c_str()));
			argv.push_back(nullptr);
			::execv(CCC_BINARY_PATH, argv.data());
			::_exit(127);
		}
	}

	~Spawned()
	{
		if (_pid <= 0)
			return;
		::kill(_pid, SIGTERM);
		if (!waitFor([this] { return ::waitpid(_pid, nullptr, WNOHANG) == _pid; }, 5000))
		{
			::kill(_pid, SIGKILL);
			::waitpid(_pid, nullptr, 0);
		}
	}

	bool waitHealthy(int port, int timeoutMs = 15000)
	{
		return waitFor(
			[&] {
				if (::waitpid(_pid, nullptr, WNOHANG) == _pid)
				{
					_pid = -1;
					return true; // exited: stop waiting, the status check below fails
				}
				return httpRequest(port, "GET", "/healthz", "", {}, 500).status == 200;
			},
			timeoutMs)
			&& _pid > 0;
	}

	std::string output() const { return readFile(_log); }

private:
	std::string _log;
	pid_t _pid = -1;
};

/// Kills a daemon by pid when the test ends, however it ends.
struct DaemonGuard
{
	pid_t pid = -1;
	~DaemonGuard()
	{
		if (pid > 0 && ::kill(pid, 0) == 0)
		{
			::kill(pid, SIGTERM);
			if (!waitFor([this] { return ::kill(pid, 0) != 0; }, 5000))
				::kill(pid, SIGKILL);
		}
	}
};

std::string versionLine()
{
	std::string out;
	EXPECT_EQ(runBinary({"--version"}, out), 0) << out;
	return out;
}

} // namespace

TEST(Cli, VersionPrintsNameAndVersion)
{
	const std::string out = versionLine();
	EXPECT_TRUE(std::regex_match(out, std::regex("Claude Code Companion [^ \n]+\n"))) << out;
	std::string shortForm;
	EXPECT_EQ(runBinary({"-v"}, shortForm), 0);
	EXPECT_EQ(shortForm, out);
}

TEST(Cli, HelpListsEveryOption)
{
	std::string out;
	ASSERT_EQ(runBinary({"--help"}, out), 0) << out;
	for (const char * option : {"--config", "--port", "--check-config", "--version", "--help", "--daemon", "--pidfile", "--admin-dir"})
		EXPECT_NE(out.find(option), std::string::npos) << option << " missing from\n" << out;
	EXPECT_NE(out.find("usage: claude-code-companion"), std::string::npos) << out;
}

TEST(Cli, UsageErrorsFail)
{
	std::string out;
	EXPECT_NE(runBinary({"--no-such-option"}, out), 0);
	EXPECT_NE(out.find("no-such-option"), std::string::npos) << out;
	EXPECT_NE(runBinary({"--port=0", "--check-config"}, out), 0);
	EXPECT_NE(out.find("port"), std::string::npos) << out;
	EXPECT_NE(runBinary({"--port=70000", "--check-config"}, out), 0);
	EXPECT_NE(runBinary({"stray-argument"}, out), 0);
	EXPECT_NE(out.find("unexpected argument: stray-argument"), std::string::npos) << out;
}

TEST(Cli, CheckConfigValidPrintsOneLineSummary)
{
	TempDir dir;
	dir.write("config.yaml", substitute(kValidConfig, 8080));
	std::string out;
	ASSERT_EQ(runBinary({"--check-config", "--config=config.yaml"}, out, dir.path()), 0) << out;
	const auto all = lines(out);
	ASSERT_EQ(all.size(), 1u) << out;
	EXPECT_EQ(all[0], dir.file("config.yaml") + ": configuration is valid (1 endpoints, 1 enabled, 0 taggers, 0 warning(s))");

	// Warnings are printed with their position but do not fail the check; -t is the short form.
	dir.write("warn.yaml", substitute(kValidConfig, 8080) + "web_admin:\n  enabled: true\n");
	ASSERT_EQ(runBinary({"-t", "--config", "warn.yaml"}, out, dir.path()), 0) << out;
	EXPECT_NE(out.find(dir.file("warn.yaml") + ":9:1: warning: web_admin: is not used"), std::string::npos) << out;
	EXPECT_NE(out.find("configuration is valid (1 endpoints, 1 enabled, 0 taggers, 1 warning(s))"), std::string::npos) << out;
}

TEST(Cli, CheckConfigInvalidPrintsEveryErrorWithPathAndPosition)
{
	TempDir dir;
	const std::string config = "server:\n"                      // 1
							   "  port: 99999\n"                // 2
							   "endpoints:\n"                   // 3
							   "  - name: a\n"                  // 4
							   "    url: https://x.example\n"   // 5
							   "    auth_type: api_key\n"       // 6
							   "    auth_value: k\n"            // 7
							   "  - name: b\n"                  // 8
							   "    url: https://y.example\n"   // 9
							   "    auth_type: bearer\n"        // 10
							   "    auth_value: k\n"            // 11
							   "    endpoint_type: openai\n"    // 12
							   "timeouts:\n"                    // 13
							   "  connect: soon\n"              // 14
							   "colour: blue\n";                // 15
	dir.write("config.yaml", config);
	std::string out;
	EXPECT_EQ(runBinary({"--check-config"}, out, dir.path()), 1) << out;
	const std::string f = dir.file("config.yaml");
	for (const std::string & expected : {
			 f + ":14:3: error: timeouts.connect: must be a duration such as 30s, 1m30s or 500ms, got \"soon\"",
			 f + ":15:1: warning: colour: unknown key, ignored",
			 f + ":2:3: error: server.port: must be between 1 and 65535",
			 f + ":10:5: error: endpoints[1].auth_type: must be one of api_key, auth_token, oauth, got \"bearer\"",
			 f + ":8:5: error: endpoints[1].path_prefix: is required for openai endpoints, e.g. /v1/chat/completions",
			 f + ": 4 error(s), 1 warning(s): configuration is invalid",
		 })
		EXPECT_NE(out.find(expected + "\n"), std::string::npos) << "missing: " << expected << "\nin:\n" << out;
	EXPECT_EQ(lines(out).size(), 6u) << out;
	EXPECT_EQ(readFile(dir.file("config.yaml")), config); // --check-config never writes
}

TEST(Cli, CheckConfigBadYamlAndMissingFile)
{
	TempDir dir;
	dir.write("config.yaml", "server:\n  port: 8080\n endpoints: []\n");
	std::string out;
	EXPECT_EQ(runBinary({"--check-config"}, out, dir.path()), 1) << out;
	EXPECT_NE(out.find(dir.file("config.yaml") + ":3:2: error: invalid YAML: end of map not found"), std::string::npos) << out;

	EXPECT_EQ(runBinary({"--check-config", "--config=absent.yaml"}, out, dir.path()), 1) << out;
	EXPECT_NE(out.find(dir.file("absent.yaml") + ": error: no such file"), std::string::npos) << out;
	EXPECT_FALSE(fileExists(dir.file("absent.yaml"))); // checking never creates a config
}

TEST(Cli, CheckConfigAcceptsTheOriginalsExample)
{
	TempDir dir;
	dir.write("config.yaml", readFile(std::string(CCC_TEST_DATA_DIR) + "/configs/original-example.yaml"));
	std::string out;
	EXPECT_EQ(runBinary({"--check-config"}, out, dir.path()), 0) << out;
	EXPECT_NE(out.find("configuration is valid (6 endpoints, 4 enabled, 9 taggers, 7 warning(s))"), std::string::npos) << out;
	EXPECT_EQ(out.find(": error: "), std::string::npos) << out;
}

TEST(Cli, InvalidConfigIsRefusedAndLeftUntouched)
{
	const std::vector<std::string> broken = {
		// a validation error
		"server:\n  port: ${PORT}\nendpoints:\n  - name: a\n    url: ftp://x\n    auth_type: api_key\n    auth_value: k\n",
		// a YAML syntax error
		"server:\n  port: ${PORT}\n endpoints: [\n",
		// a type error
		"server:\n  port: [${PORT}]\n",
	};
	for (const std::string & text : broken)
	{
		SCOPED_TRACE(text);
		TempDir dir;
		const int port = freePort();
		const std::string config = substitute(text, port);
		dir.write("config.yaml", config);
		::chmod(dir.file("config.yaml").c_str(), 0640);
		std::string out;
		const int rc = runBinary({"--config=config.yaml"}, out, dir.path());
		EXPECT_NE(rc, 0) << out;
		EXPECT_NE(out.find(dir.file("config.yaml") + ":"), std::string::npos) << out;
		EXPECT_NE(out.find(": error: "), std::string::npos) << out;
		EXPECT_NE(out.find("configuration is invalid; not starting"), std::string::npos) << out;
		// Byte for byte the same file, same mode, and nothing written next to it.
		EXPECT_EQ(readFile(dir.file("config.yaml")), config);
		struct stat st{};
		ASSERT_EQ(::stat(dir.file("config.yaml").c_str(), &st), 0);
		EXPECT_EQ(st.st_mode & 0777, 0640u);
		EXPECT_FALSE(fileExists(dir.file("config.yaml.backup")));
		EXPECT_NE(httpRequest(port, "GET", "/healthz", "", {}, 300).status, 200);
	}
}

TEST(Cli, FirstRunWritesTheCommentedDefaultAndServes)
{
	TempDir dir;
	const int port = freePort();
	Spawned svc({"--port=" + std::to_string(port)}, dir.path());
	ASSERT_TRUE(svc.waitHealthy(port)) << svc.output();

	const std::string written = readFile(dir.file("config.yaml"));
	EXPECT_EQ(written.rfind("# Claude Code Companion configuration.", 0), 0u) << written;
	EXPECT_NE(written.find("\n  host: 127.0.0.1\n"), std::string::npos) << written;
	EXPECT_NE(written.find("\n  port: 8080\n"), std::string::npos) << written; // --port is not written into the file
	EXPECT_NE(written.find("enabled: false"), std::string::npos) << written;
	struct stat st{};
	ASSERT_EQ(::stat(dir.file("config.yaml").c_str(), &st), 0);
	EXPECT_EQ(st.st_mode & 077, 0u) << "the config will hold keys: it must not be readable by others";
	EXPECT_NE(svc.output().find("Wrote a default configuration to " + dir.file("config.yaml")), std::string::npos)
		<< svc.output();

	HttpResult r = httpRequest(port, "GET", "/healthz");
	ASSERT_EQ(r.status, 200) << r.body;
	EXPECT_NE(r.headers["content-type"].find("application/json"), std::string::npos);
	json health = json::parse(r.body, nullptr, false);
	ASSERT_TRUE(health.is_object()) << r.body;
	EXPECT_EQ(health["status"], "ok");
	EXPECT_EQ("Claude Code Companion " + health["version"].get<std::string>() + "\n", versionLine());
	ASSERT_TRUE(health["uptime_seconds"].is_number()) << r.body;
	EXPECT_GE(health["uptime_seconds"].get<double>(), 0.0);

	// The written file is the one a second start loads (it is not rewritten).
	std::string out;
	EXPECT_EQ(runBinary({"--check-config"}, out, dir.path()), 0) << out;
	EXPECT_EQ(readFile(dir.file("config.yaml")), written);
}

TEST(Cli, PortOptionOverridesServerPort)
{
	const int configured = freePort();
	ServiceProcess svc("server:\n  host: 127.0.0.1\n  port: " + std::to_string(configured) + "\nendpoints: []\n");
	ASSERT_TRUE(svc.start()) << svc.output(); // ServiceProcess passes --port=<its own free port>
	ASSERT_NE(svc.port(), configured);
	EXPECT_EQ(httpRequest(svc.port(), "GET", "/healthz").status, 200);
	EXPECT_NE(httpRequest(configured, "GET", "/healthz", "", {}, 300).status, 200);
	EXPECT_NE(svc.output().find("listening: proxy http://127.0.0.1:" + std::to_string(svc.port()) + "/v1"), std::string::npos)
		<< svc.output();
}

TEST(Cli, BasicRoutes)
{
	ServiceProcess svc(kValidConfig);
	ASSERT_TRUE(svc.start()) << svc.output();

	// /v1/* answers in Anthropic's error shape (the status depends on the proxy engine's state).
	HttpResult r = httpRequest(svc.port(), "POST", "/v1/messages",
		R"({"model":"claude-sonnet-4-5","max_tokens":16,"messages":[{"role":"user","content":"hi"}]})",
		{{"Content-Type", "application/json"}, {"anthropic-version", "2023-06-01"}, {"x-api-key", "anything"}}, 20000);
	ASSERT_TRUE(r.error.empty()) << r.error;
	EXPECT_GE(r.status, 400) << r.body;
	EXPECT_NE(r.headers["content-type"].find("application/json"), std::string::npos) << r.headers["content-type"];
	json err = json::parse(r.body, nullptr, false);
	ASSERT_TRUE(err.is_object()) << r.body;
	EXPECT_EQ(err["type"], "error") << r.body;
	ASSERT_TRUE(err["error"].is_object()) << r.body;
	EXPECT_TRUE(err["error"]["type"].is_string()) << r.body;
	EXPECT_FALSE(err["error"]["type"].get<std::string>().empty()) << r.body;
	EXPECT_TRUE(err["error"]["message"].is_string()) << r.body;

	// /admin redirects to /admin/.
	r = httpRequest(svc.port(), "GET", "/admin");
	EXPECT_TRUE(r.status == 301 || r.status == 302 || r.status == 308) << r.status;
	const std::string location = r.headers["location"];
	EXPECT_TRUE(location == "/admin/" || (location.size() > 7 && location.compare(location.size() - 7, 7, "/admin/") == 0))
		<< location;

	// Anything else is a JSON 404.
	r = httpRequest(svc.port(), "GET", "/no/such/path?x=1");
	EXPECT_EQ(r.status, 404);
	EXPECT_NE(r.headers["content-type"].find("application/json"), std::string::npos);
	json nf = json::parse(r.body, nullptr, false);
	ASSERT_TRUE(nf.is_object()) << r.body;
	EXPECT_NE(nf.dump().find("/no/such/path"), std::string::npos) << r.body;

	// The root page tells how to point Claude Code at the proxy.
	r = httpRequest(svc.port(), "GET", "/");
	EXPECT_EQ(r.status, 200);
	EXPECT_NE(r.body.find("ANTHROPIC_BASE_URL"), std::string::npos);
}

TEST(Cli, RelativeConfigIsResolvedAgainstTheStartDirectory)
{
	TempDir dir;
	::mkdir(dir.file("conf").c_str(), 0755);
	::mkdir(dir.file("work").c_str(), 0755);
	const int port = freePort();
	dir.write("conf/my.yaml", substitute(kValidConfig, port));

	std::string out;
	ASSERT_EQ(runBinary({"--check-config", "--config=../conf/my.yaml"}, out, dir.file("work")), 0) << out;
	EXPECT_NE(out.find("/conf/my.yaml: configuration is valid (1 endpoints"), std::string::npos) << out;

	Spawned svc({"--config", "../conf/my.yaml"}, dir.file("work"));
	ASSERT_TRUE(svc.waitHealthy(port)) << svc.output();
	EXPECT_FALSE(fileExists(dir.file("work/config.yaml")));
	EXPECT_FALSE(fileExists(dir.file("work/my.yaml")));

	// A relative path that does not exist yet is where the first run writes the default.
	const int port2 = freePort();
	Spawned second({"--config=fresh/config.yaml", "--port=" + std::to_string(port2)}, dir.file("work"));
	ASSERT_TRUE(second.waitHealthy(port2)) << second.output();
	EXPECT_TRUE(fileExists(dir.file("work/fresh/config.yaml")));
}

TEST(Cli, DaemonWithPidFileUsesTheStartDirectory)
{
	TempDir dir;
	const int port = freePort();
	dir.write("config.yaml", substitute(kValidConfig, port));
	::mkdir(dir.file("run").c_str(), 0755);
	DaemonGuard guard;
	std::string out;
	// The parent returns once the daemon is forked; relative --config and --pidfile are resolved
	// against the directory it was started in, although POCO's --daemon changes to /.
	ASSERT_EQ(runBinary({"--daemon", "--pidfile=run/ccc.pid", "--config=config.yaml"}, out, dir.path()), 0) << out;
	const std::string pidFile = dir.file("run/ccc.pid");
	ASSERT_TRUE(waitFor([&] { return !readFile(pidFile).empty(); }, 5000)) << pidFile;
	guard.pid = static_cast<pid_t>(std::stol(readFile(pidFile)));
	ASSERT_GT(guard.pid, 1);
	ASSERT_TRUE(waitFor([&] { return httpRequest(port, "GET", "/healthz", "", {}, 500).status == 200; }, 15000));

	// The daemon works in the start directory, so relative paths inside config.yaml
	// (logging.log_directory) mean the same as in the foreground.
	char cwd[4096] = {0};
	const std::string link = "/proc/" + std::to_string(guard.pid) + "/cwd";
	ssize_t n = ::readlink(link.c_str(), cwd, sizeof(cwd) - 1);
	ASSERT_GT(n, 0);
	char real[4096] = {0};
	ASSERT_NE(::realpath(dir.path().c_str(), real), nullptr);
	EXPECT_EQ(std::string(cwd, static_cast<size_t>(n)), std::string(real));

	// SIGTERM stops it and removes the pid file.
	::kill(guard.pid, SIGTERM);
	EXPECT_TRUE(waitFor([&] { return ::kill(guard.pid, 0) != 0; }, 10000));
	EXPECT_TRUE(waitFor([&] { return !fileExists(pidFile); }, 2000)) << pidFile;
}

TEST(Cli, DaemonRefusesAnInvalidConfigBeforeDetaching)
{
	// Without the check before detaching, the parent would exit 0 and the daemon would die
	// silently (its stderr is /dev/null).
	TempDir dir;
	const int port = freePort();
	const std::string config = substitute("server:\n  port: ${PORT}\nendpoints:\n  - name: a\n    url: ftp://x\n", port);
	dir.write("bad.yaml", config);
	std::string out;
	EXPECT_EQ(runBinary({"--daemon", "--pidfile=ccc.pid", "-c", "bad.yaml"}, out, dir.path()), 78) << out;
	EXPECT_NE(out.find(dir.file("bad.yaml") + ":5:5: error: endpoints[0].url: must start with http:// or https://"),
		std::string::npos)
		<< out;
	EXPECT_NE(out.find("configuration is invalid; not starting"), std::string::npos) << out;
	EXPECT_EQ(readFile(dir.file("bad.yaml")), config);
	EXPECT_FALSE(fileExists(dir.file("ccc.pid")));
	EXPECT_NE(httpRequest(port, "GET", "/healthz", "", {}, 300).status, 200);
}
