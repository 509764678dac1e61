// The service as the OS runs it (issue #9): SIGTERM drains requests in flight within
// server.shutdown_grace, SIGHUP re-reads config.yaml at once, and systemd hears READY=1 and
// STOPPING=1 on $NOTIFY_SOCKET.
#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fcntl.h>
#include <fstream>
#include <sqlite3.h>
#include <sstream>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <thread>
#include <unistd.h>

#include "AnthropicFixtures.h"
#include "FakeUpstream.h"
#include "HttpStream.h"
#include "ServiceProcess.h"

using namespace ccc::test;

namespace
{

const std::string kStreamBody = R"({"model":"claude-opus-4-8","max_tokens":10,"stream":true,"messages":[{"role":"user","content":"hi"}]})";

bool waitForExit(ServiceProcess & svc, int timeoutMs)
{
	const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
	while (std::chrono::steady_clock::now() < deadline)
	{
		if (!svc.running())
			return true;
		std::this_thread::sleep_for(std::chrono::milliseconds(20));
	}
	return false;
}

int64_t queryInt(const std::string & dbPath, const std::string & sql)
{
	sqlite3 * db = nullptr;
	int64_t v = -1;
	if (sqlite3_open_v2(dbPath.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK)
	{
		sqlite3_stmt * st = nullptr;
		if (sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
			v = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
	}
	sqlite3_close(db);
	return v;
}

std::string configWith(const std::string & serverExtra, const std::string & endpoints)
{
	return "server:\n  host: 127.0.0.1\n  port: ${PORT}\n" + serverExtra + "logging:\n  log_directory: logs\n"
		+ (endpoints.empty() ? std::string("endpoints: []\n") : "endpoints:\n" + endpoints);
}

std::string endpoint(const std::string & name, const FakeUpstream & up, int priority)
{
	return "  - {name: " + name + ", url: \"" + up.url() + "\", auth_type: api_key, auth_value: sk-test, priority: "
		+ std::to_string(priority) + "}\n";
}

} // namespace

TEST(ServiceLifecycle, StreamInFlightAtSigtermCompletesAndIsLogged)
{
	FakeUpstream up;
	// About 2 s of stream: well inside the grace time, well beyond the moment SIGTERM arrives.
	up.always(Response::sse(anthropicStream("drained to the end"), 250));
	ServiceProcess svc(configWith("  shutdown_grace: 20s\n", endpoint("a", up, 1)));
	ASSERT_TRUE(svc.start()) << svc.output();

	StreamedResponse r;
	std::thread client([&] { r = streamRequest(svc.port(), "POST", "/v1/messages", kStreamBody, {{"content-type", "application/json"}}); });
	ASSERT_TRUE(up.waitForRequests(1, 10000));
	std::this_thread::sleep_for(std::chrono::milliseconds(300));
	const auto sigtermAt = std::chrono::steady_clock::now();
	ASSERT_EQ(::kill(svc.pid(), SIGTERM), 0);

	// New connections are refused (not left waiting) while the stream goes on.
	bool refused = false;
	std::string lastError;
	for (int i = 0; i < 100 && !refused; ++i)
	{
		lastError = httpRequest(svc.port(), "GET", "/healthz", "", {}, 500).error;
		refused = lastError.find("refused") != std::string::npos;
		if (!refused)
			std::this_thread::sleep_for(std::chrono::milliseconds(20));
	}
	EXPECT_TRUE(refused) << "the listening socket stayed open after SIGTERM: " << lastError;

	client.join();
	EXPECT_EQ(r.status, 200) << r.error;
	EXPECT_TRUE(r.complete) << r.error;
	EXPECT_EQ(r.text(), "drained to the end");
	ASSERT_FALSE(r.pieces.empty());
	EXPECT_GT(r.pieces.back().at, sigtermAt) << "the stream should have been in flight when SIGTERM arrived";
	ASSERT_TRUE(waitForExit(svc, 10000)) << svc.output();
	const std::string out = svc.output();
	EXPECT_NE(out.find("stopping: no new connections"), std::string::npos) << out;
	EXPECT_NE(out.find("every request in flight has ended"), std::string::npos) << out;
	const std::string db = svc.dir().file("logs/logs.db");
	EXPECT_EQ(queryInt(db, "SELECT COUNT(*) FROM requests WHERE streaming = 1 AND status = 200"), 1) << out;
}

TEST(ServiceLifecycle, GraceTimeBoundsTheDrain)
{
	FakeUpstream up;
	// A stream that stalls for a minute after its first events.
	up.always(Response::sse(anthropicStream("never finished"), 0).longPause(2, 60000));
	ServiceProcess svc(configWith("  shutdown_grace: 1s\n", endpoint("a", up, 1)));
	ASSERT_TRUE(svc.start()) << svc.output();

	StreamedResponse r;
	std::thread client([&] { r = streamRequest(svc.port(), "POST", "/v1/messages", kStreamBody, {{"content-type", "application/json"}}); });
	ASSERT_TRUE(up.waitForRequests(1, 10000));
	std::this_thread::sleep_for(std::chrono::milliseconds(300));
	const auto sigtermAt = std::chrono::steady_clock::now();
	ASSERT_EQ(::kill(svc.pid(), SIGTERM), 0);
	const bool exited = waitForExit(svc, 4500);
	const auto stopped = std::chrono::steady_clock::now() - sigtermAt;
	const std::string out = svc.output();
	svc.stop(); // SIGKILL if it is still there, so the client below returns
	client.join();
	ASSERT_TRUE(exited) << "the drain did not respect shutdown_grace: 1s\n" << out;
	EXPECT_GE(stopped, std::chrono::milliseconds(900));
	EXPECT_FALSE(r.complete);
	EXPECT_NE(out.find("still busy after 1s; closing them"), std::string::npos) << out;
}

TEST(ServiceLifecycle, SighupAppliesAConfigEditAtOnce)
{
	FakeUpstream a, b;
	a.always(Response::json(200, anthropicMessage("from a")));
	b.always(Response::json(200, anthropicMessage("from b")));
	ServiceProcess svc(configWith("", endpoint("a", a, 1) + endpoint("b", b, 2)));
	ASSERT_TRUE(svc.start()) << svc.output();
	const std::string body = R"({"model":"claude-opus-4-8","max_tokens":10,"messages":[{"role":"user","content":"hi"}]})";
	auto first = httpRequest(svc.port(), "POST", "/v1/messages", body, {{"content-type", "application/json"}});
	ASSERT_EQ(first.status, 200) << first.error;
	EXPECT_NE(first.body.find("from a"), std::string::npos);

	// Swap the priorities in place with the same size, inode and modification time, so the
	// file watcher cannot see the edit: only SIGHUP can make the service read it.
	const std::string path = svc.configPath();
	struct stat before{};
	ASSERT_EQ(::stat(path.c_str(), &before), 0);
	std::string text = svc.dir().read("config.yaml");
	const size_t pa = text.find("priority: 1}"), pb = text.find("priority: 2}");
	ASSERT_NE(pa, std::string::npos);
	ASSERT_NE(pb, std::string::npos);
	text[pa + 10] = '2';
	text[pb + 10] = '1';
	{
		std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
		f.seekp(0);
		f.write(text.data(), static_cast<std::streamsize>(text.size()));
	}
	const timespec times[2] = {before.st_atim, before.st_mtim};
	ASSERT_EQ(::utimensat(AT_FDCWD, path.c_str(), times, 0), 0);
	std::this_thread::sleep_for(std::chrono::milliseconds(1500)); // two polls of the watcher: nothing
	auto still = httpRequest(svc.port(), "POST", "/v1/messages", body, {{"content-type", "application/json"}});
	EXPECT_NE(still.body.find("from a"), std::string::npos) << "the watcher saw an edit it should not see";

	ASSERT_EQ(::kill(svc.pid(), SIGHUP), 0);
	bool switched = false;
	for (int i = 0; i < 50 && !switched; ++i)
	{
		auto r = httpRequest(svc.port(), "POST", "/v1/messages", body, {{"content-type", "application/json"}});
		switched = r.body.find("from b") != std::string::npos;
		if (!switched)
			std::this_thread::sleep_for(std::chrono::milliseconds(20));
	}
	EXPECT_TRUE(switched) << svc.output();
	EXPECT_TRUE(svc.running()) << "SIGHUP must not end the process\n" << svc.output();
	EXPECT_NE(svc.output().find("reload requested (SIGHUP): reloaded"), std::string::npos) << svc.output();
}

TEST(ServiceLifecycle, NotifiesSystemdOfReadinessAndStop)
{
	TempDir dir;
	const std::string sockPath = dir.file("notify.sock");
	const int fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	ASSERT_GE(fd, 0);
	sockaddr_un addr{};
	addr.sun_family = AF_UNIX;
	std::snprintf(addr.sun_path, sizeof(addr.sun_path), "%s", sockPath.c_str());
	ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr *>(&addr), sizeof(addr)), 0);
	timeval tv{10, 0};
	::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));

	::setenv("NOTIFY_SOCKET", sockPath.c_str(), 1); // inherited by the forked service
	ServiceProcess svc(configWith("", ""));
	const bool started = svc.start();
	::unsetenv("NOTIFY_SOCKET");
	ASSERT_TRUE(started) << svc.output();
	auto receive = [fd] {
		char buf[256];
		const ssize_t n = ::recv(fd, buf, sizeof(buf), 0);
		return n > 0 ? std::string(buf, static_cast<size_t>(n)) : std::string("<nothing>");
	};
	EXPECT_EQ(receive(), "READY=1");
	svc.stop();
	EXPECT_EQ(receive(), "STOPPING=1");
	::close(fd);
}
