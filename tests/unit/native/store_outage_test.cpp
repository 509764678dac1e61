// The log store through a database outage: the writer backs off exponentially (1 s doubling to
// 30 s in the service; shortened here), nothing is lost without a counter, the queued records are
// written once the database is back, and a PostgreSQL server that does not answer never reaches
// Poco's connector (Poco 1.11 leaks the PGconn of every connection it fails to open).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <regex>
#include <thread>

#include "store_test_support.h"

using namespace ccc;
using namespace ccc::store;
using namespace storetest;

namespace
{

/// A real store whose writeBatch fails while `down` is set, remembering when it was called.
class FlakyStore : public LogStore
{
public:
	explicit FlakyStore(std::shared_ptr<LogStore> inner) : _inner(std::move(inner)) {}

	std::atomic<bool> down{false};

	std::vector<int64_t> failedCalls() const
	{
		std::lock_guard<std::mutex> lk(_mutex);
		return _failedCalls;
	}

	const char * backendName() const override { return _inner->backendName(); }
	int schemaVersion() override { return _inner->schemaVersion(); }
	void writeBatch(const std::vector<PreparedRecord> & records, const std::vector<EndpointStats> & statDeltas,
		const std::vector<BreakerEvent> & events) override
	{
		if (down)
		{
			std::lock_guard<std::mutex> lk(_mutex);
			_failedCalls.push_back(steadyMs());
			throw StoreError("test: database down");
		}
		_inner->writeBatch(records, statDeltas, events);
	}
	ListPage list(const ListQuery & q) override { return _inner->list(q); }
	int64_t count(const ListFilter & f) override { return _inner->count(f); }
	std::optional<StoredRequest> get(const std::string & requestId) override { return _inner->get(requestId); }
	std::vector<UsageSummary> usageByEndpoint(int64_t fromMs, int64_t toMs) override
	{
		return _inner->usageByEndpoint(fromMs, toMs);
	}
	std::vector<UsageSummary> usageByModel(int64_t fromMs, int64_t toMs) override
	{
		return _inner->usageByModel(fromMs, toMs);
	}
	std::vector<EndpointStats> loadEndpointStats() override { return _inner->loadEndpointStats(); }
	std::vector<BreakerEvent> breakerEvents(const std::string & endpointId, int limit) override
	{
		return _inner->breakerEvents(endpointId, limit);
	}
	int64_t storageBytes() override { return _inner->storageBytes(); }
	int64_t deleteOldestBatch(int64_t cutoffMs, int batch) override { return _inner->deleteOldestBatch(cutoffMs, batch); }
	void deleteBreakerEventsBefore(int64_t cutoffMs) override { _inner->deleteBreakerEventsBefore(cutoffMs); }
	void compact() override { _inner->compact(); }

	static int64_t steadyMs()
	{
		return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
			.count();
	}

private:
	std::shared_ptr<LogStore> _inner;
	mutable std::mutex _mutex;
	std::vector<int64_t> _failedCalls;
};

/// Polls `pred` every 5 ms for up to `ms`.
template <typename Pred>
bool waitFor(Pred pred, int64_t ms)
{
	auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
	while (!pred())
	{
		if (std::chrono::steady_clock::now() > end)
			return false;
		std::this_thread::sleep_for(std::chrono::milliseconds(5));
	}
	return true;
}

RequestLoggerOptions fastRetryOptions()
{
	RequestLoggerOptions o = testOptions();
	o.retry_backoff_ms = 100;
	o.retry_max_backoff_ms = 400;
	return o;
}

/// A loopback TCP forwarder to a PostgreSQL server: down() closes the listening socket and every
/// forwarded connection (the server becomes unreachable: connections are refused), up() listens
/// on the same port again.
class TcpForwarder
{
public:
	TcpForwarder(std::string host, int port) : _host(std::move(host)), _targetPort(port) { up(); }
	~TcpForwarder() { down(); }

	int port() const { return _port; }

	void up()
	{
		int fd = ::socket(AF_INET, SOCK_STREAM, 0);
		int one = 1;
		::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
		sockaddr_in a{};
		a.sin_family = AF_INET;
		a.sin_port = htons(static_cast<uint16_t>(_port));
		a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		if (::bind(fd, reinterpret_cast<sockaddr *>(&a), sizeof a) != 0 || ::listen(fd, 16) != 0)
		{
			::close(fd);
			throw std::runtime_error("forwarder: cannot listen on port " + std::to_string(_port));
		}
		socklen_t len = sizeof a;
		::getsockname(fd, reinterpret_cast<sockaddr *>(&a), &len);
		_port = ntohs(a.sin_port);
		_listen = fd;
		_stop = false;
		_acceptor = std::thread([this] { acceptLoop(); });
	}

	void down()
	{
		if (_listen < 0)
			return;
		_stop = true;
		_acceptor.join();
		::close(_listen);
		_listen = -1;
		{
			std::lock_guard<std::mutex> lk(_mutex);
			for (int fd : _open)
				::shutdown(fd, SHUT_RDWR);
		}
		for (auto & t : _pumps)
			t.join();
		_pumps.clear();
	}

private:
	void acceptLoop()
	{
		while (!_stop)
		{
			pollfd p{_listen, POLLIN, 0};
			if (::poll(&p, 1, 50) <= 0)
				continue;
			int client = ::accept(_listen, nullptr, nullptr);
			if (client < 0)
				continue;
			int server = ::socket(AF_INET, SOCK_STREAM, 0);
			sockaddr_in a{};
			a.sin_family = AF_INET;
			a.sin_port = htons(static_cast<uint16_t>(_targetPort));
			::inet_pton(AF_INET, _host.c_str(), &a.sin_addr);
			if (::connect(server, reinterpret_cast<sockaddr *>(&a), sizeof a) != 0)
			{
				::close(server);
				::close(client);
				continue;
			}
			{
				std::lock_guard<std::mutex> lk(_mutex);
				_open.push_back(client);
				_open.push_back(server);
			}
			_pumps.emplace_back([this, client, server] { pump(client, server); });
		}
	}

	void pump(int a, int b)
	{
		char buf[16384];
		pollfd p[2] = {{a, POLLIN, 0}, {b, POLLIN, 0}};
		bool open = true;
		while (open && !_stop.load())
		{
			if (::poll(p, 2, 50) <= 0)
				continue;
			for (int i = 0; i < 2 && open; ++i)
			{
				if (!(p[i].revents & (POLLIN | POLLHUP | POLLERR)))
					continue;
				ssize_t n = ::recv(p[i].fd, buf, sizeof buf, 0);
				if (n <= 0)
				{
					open = false;
					break;
				}
				for (ssize_t off = 0; off < n;)
				{
					ssize_t w = ::send(p[1 - i].fd, buf + off, static_cast<size_t>(n - off), MSG_NOSIGNAL);
					if (w <= 0)
					{
						open = false;
						break;
					}
					off += w;
				}
			}
		}
		std::lock_guard<std::mutex> lk(_mutex);
		::shutdown(a, SHUT_RDWR);
		::shutdown(b, SHUT_RDWR);
		::close(a);
		::close(b);
		_open.erase(std::remove_if(_open.begin(), _open.end(), [&](int fd) { return fd == a || fd == b; }), _open.end());
	}

	std::string _host;
	int _targetPort;
	int _port = 0;
	int _listen = -1;
	std::atomic<bool> _stop{false};
	std::thread _acceptor;
	std::vector<std::thread> _pumps;
	std::mutex _mutex;
	std::vector<int> _open;
};

} // namespace

TEST(RequestLoggerOutage, BacksOffExponentiallyThenWritesWhatQueued)
{
	StoreEnv env("sqlite");
	auto flaky = std::make_shared<FlakyStore>(env.open());
	RequestLogger logger(flaky, env.config(), fastRetryOptions());
	flaky->down = true;
	int64_t t = nowMs();
	logger.submit(makeRequest("lost-in-outage", t, api::Outcome::Success));
	// Failed batches: 100, 200, 400 ms, then 400 again (the cap). Statistics deltas are kept for
	// the next batch, so the writer keeps trying with an empty queue.
	ASSERT_TRUE(waitFor([&] { return flaky->failedCalls().size() >= 15; }, 10000));
	EXPECT_EQ(logger.counters().retry_backoff_ms, 400u);

	// One failed batch is 3 calls (50 and 300 ms apart); the gap to the next batch is the backoff.
	auto calls = flaky->failedCalls();
	std::vector<int64_t> gaps;
	for (size_t i = 3; i + 2 < calls.size() && gaps.size() < 4; i += 3)
		gaps.push_back(calls[i] - calls[i - 1]);
	ASSERT_EQ(gaps.size(), 4u);
	EXPECT_GE(gaps[0], 95);
	EXPECT_GE(gaps[1], 195);
	EXPECT_GE(gaps[2], 395);
	EXPECT_GE(gaps[3], 395);
	EXPECT_LT(gaps[0], gaps[2]); // grows (upper bounds would be at the mercy of the scheduler)
	auto c = logger.counters();
	EXPECT_EQ(c.records_failed, 1u); // the record of the first failed batch: lost, counted
	EXPECT_EQ(c.written, 0u);
	EXPECT_NE(c.last_error.find("database down"), std::string::npos);

	// Records submitted while the writer waits are written once the store is back (should the
	// next batch start in between, its second try, 50 ms later, finds the store back).
	for (int i = 0; i < 5; ++i)
		logger.submit(makeRequest("queued-" + std::to_string(i), t + 1 + i, api::Outcome::Success));
	flaky->down = false;
	ASSERT_TRUE(logger.flush(5000));
	c = logger.counters();
	EXPECT_EQ(c.written, 5u);
	EXPECT_EQ(c.records_failed, 1u);
	EXPECT_EQ(c.records_dropped, 0u);
	EXPECT_EQ(c.retry_backoff_ms, 0u);
	for (int i = 0; i < 5; ++i)
		EXPECT_TRUE(flaky->get("queued-" + std::to_string(i))) << i;
	EXPECT_FALSE(flaky->get("lost-in-outage"));
	// Statistics lose nothing: the six requests, the lost one included, are persisted.
	int64_t persisted = 0;
	for (const auto & s : flaky->loadEndpointStats())
		if (s.endpoint_id == "ep-a")
			persisted = s.requests;
	EXPECT_EQ(persisted, 6);

	// A commit resets the backoff: the next outage starts again at the first step.
	flaky->down = true;
	logger.submit(makeRequest("second-outage", nowMs(), api::Outcome::Success));
	ASSERT_TRUE(waitFor([&] { return logger.counters().retry_backoff_ms != 0; }, 3000));
	EXPECT_EQ(logger.counters().retry_backoff_ms, 100u);
	flaky->down = false;
}

/// What opening `dsn` threw ("" when it opened).
static std::string openError(const std::string & dsn)
{
	try
	{
		openPostgres(dsn);
	}
	catch (const StoreError & e)
	{
		return e.what();
	}
	return "";
}

TEST(StoreBackendFailure, UnreachablePostgresNeverReachesPocoConnect)
{
	auto before = postgresOpenCounts();
	std::string message = openError("host=127.0.0.1 port=1 dbname=none user=none password=s3cret-pw connect_timeout=2");
	auto after = postgresOpenCounts();
	EXPECT_EQ(after.checks, before.checks + 1);
	EXPECT_EQ(after.refused, before.refused + 1);
	EXPECT_EQ(after.poco_connects, before.poco_connects);
	EXPECT_NE(message.find("postgresql: cannot connect: server unreachable"), std::string::npos) << message;
	EXPECT_NE(message.find("host 127.0.0.1, port 1"), std::string::npos) << message;
	EXPECT_EQ(message.find("s3cret-pw"), std::string::npos) << message;

	// The URI form too, password included in it.
	message = openError("postgresql://none:s3cret-pw@127.0.0.1:1/none?connect_timeout=2");
	EXPECT_NE(message.find("host 127.0.0.1, port 1"), std::string::npos) << message;
	EXPECT_EQ(message.find("s3cret-pw"), std::string::npos) << message;
	EXPECT_EQ(postgresOpenCounts().poco_connects, before.poco_connects);

	// A DSN libpq cannot parse is refused before any attempt.
	message = openError("host=127.0.0.1 nonsense_key=1");
	EXPECT_NE(message.find("invalid postgres_dsn"), std::string::npos) << message;
	EXPECT_EQ(postgresOpenCounts().poco_connects, before.poco_connects);
}

TEST(StoreBackendFailure, PostgresOutageWriterNeverCallsPocoConnectAndCatchesUp)
{
	bool requested = false;
	pgDsnFromEnv(requested);
	if (!requested)
		GTEST_SKIP() << "needs PostgreSQL: CCC_TEST_PG_DSN or CCC_TEST_PG_DSN_FILE (ctest -L pg)";
	StoreEnv env("postgresql");
	std::smatch host;
	std::smatch port;
	std::string dsn = env.dsn();
	ASSERT_TRUE(std::regex_search(dsn, host, std::regex(R"(host=(\d+\.\d+\.\d+\.\d+))"))) << dsn;
	ASSERT_TRUE(std::regex_search(dsn, port, std::regex(R"(port=(\d+))"))) << dsn;
	TcpForwarder fwd(host[1].str(), std::stoi(port[1].str()));
	std::string viaForwarder = std::regex_replace(dsn, std::regex(R"(port=\d+)"), "port=" + std::to_string(fwd.port()));

	auto store = openPostgresLogStore(viaForwarder);
	RequestLogger logger(store, env.config(), fastRetryOptions());
	int64_t t = nowMs();
	logger.submit(makeRequest("before-outage", t, api::Outcome::Success));
	ASSERT_TRUE(logger.flush(10000));
	ASSERT_EQ(logger.counters().written, 1u) << logger.counters().last_error;

	fwd.down();
	auto before = postgresOpenCounts();
	auto start = std::chrono::steady_clock::now();
	logger.submit(makeRequest("lost-in-outage", t + 1, api::Outcome::Success));
	// Four failed batches (backoff 100, 200, 400, then 400 again, the cap).
	ASSERT_TRUE(waitFor([&] { return logger.counters().retry_backoff_ms == 400; }, 10000)) << logger.counters().last_error;
	ASSERT_TRUE(waitFor([&] { return postgresOpenCounts().refused > before.refused; }, 5000));
	auto during = postgresOpenCounts();
	double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
	EXPECT_EQ(during.poco_connects, before.poco_connects) << "Poco's connector was called while the server was down";
	// Three tries per failed batch, one batch per backoff step.
	EXPECT_LE(during.checks - before.checks, 15u) << seconds << " s";
	auto c = logger.counters();
	EXPECT_NE(c.last_error.find("server unreachable"), std::string::npos) << c.last_error;
	EXPECT_NE(c.last_error.find("port " + std::to_string(fwd.port())), std::string::npos) << c.last_error;
	EXPECT_EQ(c.records_failed, 1u);

	// Records submitted while the writer waits are written once the server is back.
	for (int i = 0; i < 3; ++i)
		logger.submit(makeRequest("queued-" + std::to_string(i), t + 2 + i, api::Outcome::Success));
	fwd.up();
	ASSERT_TRUE(logger.flush(10000)) << logger.counters().last_error;
	c = logger.counters();
	EXPECT_EQ(c.written, 4u) << c.last_error;
	EXPECT_EQ(c.records_failed, 1u);
	EXPECT_EQ(c.retry_backoff_ms, 0u);
	EXPECT_GT(postgresOpenCounts().poco_connects, during.poco_connects); // reconnected through Poco
	// The pooled connections the outage broke were freed by us (Poco 1.11 leaks a broken PGconn);
	// under ASan, LeakSanitizer checks the rest with no suppression.
	EXPECT_GE(postgresOpenCounts().broken_finished, before.broken_finished + 1);
	for (int i = 0; i < 3; ++i)
		EXPECT_TRUE(store->get("queued-" + std::to_string(i))) << i;
	EXPECT_TRUE(store->get("before-outage"));
}
