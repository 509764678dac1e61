#include <csignal>
#include <thread>

#include <sys/wait.h>
#include <unistd.h>

#include "store/BodyPolicy.h"
#include "store_test_support.h"

using namespace ccc;
using namespace ccc::store;
using namespace storetest;

namespace
{

class RequestLoggerTest : public StoreTest
{
};

INSTANTIATE_TEST_SUITE_P(Backends, RequestLoggerTest, ::testing::ValuesIn(backends()), paramName);

const EndpointStats * findStats(const std::vector<EndpointStats> & all, const std::string & id)
{
	for (const auto & s : all)
		if (s.endpoint_id == id)
			return &s;
	return nullptr;
}

api::RequestRecord recoveredRequest(const std::string & id, int64_t t)
{
	auto r = makeRequest(id, t, api::Outcome::Success, "ep-b");
	auto fail = makeAttempt(1, "ep-a", api::Outcome::UpstreamError, t);
	r.attempts.insert(r.attempts.begin(), fail);
	r.attempts[1].attempt_number = 2;
	return r;
}

} // namespace

TEST_P(RequestLoggerTest, LogRequestTypesFailedKeepsFailuresAndRecoveredRequests)
{
	auto cfg = env.config();
	cfg.log_request_types = "failed";
	auto store = env.open();
	RequestLogger logger(store, cfg, testOptions());
	int64_t t = nowMs();
	logger.submit(makeRequest("ok", t, api::Outcome::Success));
	logger.submit(makeRequest("bad", t + 1, api::Outcome::Network));
	logger.submit(makeRequest("rejected", t + 2, api::Outcome::Rejected));
	logger.submit(recoveredRequest("recovered", t + 3));
	ASSERT_TRUE(logger.flush());
	EXPECT_FALSE(store->get("ok"));
	EXPECT_TRUE(store->get("bad"));
	EXPECT_TRUE(store->get("rejected"));
	auto rec = store->get("recovered");
	ASSERT_TRUE(rec);
	EXPECT_EQ(rec->rec.attempts.size(), 2u); // stored whole: the failed attempt and the one that succeeded
	auto c = logger.counters();
	EXPECT_EQ(c.filtered, 1u);
	EXPECT_EQ(c.written, 3u);
	// Statistics count every request, stored or not.
	auto s = logger.endpointStats();
	ASSERT_TRUE(findStats(s, "ep-a"));
	EXPECT_EQ(findStats(s, "ep-a")->successes, 1);
}

TEST_P(RequestLoggerTest, LogRequestTypesSuccessAndAll)
{
	auto cfg = env.config();
	cfg.log_request_types = "success";
	auto store = env.open();
	RequestLogger logger(store, cfg, testOptions());
	int64_t t = nowMs();
	logger.submit(makeRequest("ok", t, api::Outcome::Success));
	logger.submit(makeRequest("bad", t + 1, api::Outcome::Timeout));
	logger.submit(recoveredRequest("recovered", t + 2));
	ASSERT_TRUE(logger.flush());
	EXPECT_TRUE(store->get("ok"));
	EXPECT_FALSE(store->get("bad"));
	EXPECT_TRUE(store->get("recovered"));
	cfg.log_request_types = "all";
	logger.updateConfig(cfg);
	logger.submit(makeRequest("bad2", t + 3, api::Outcome::Timeout));
	ASSERT_TRUE(logger.flush());
	EXPECT_TRUE(store->get("bad2"));
}

TEST_P(RequestLoggerTest, OverloadShedsBodiesThenDropsAndCountsBoth)
{
	auto store = env.open();
	auto opts = testOptions();
	opts.start_paused = true;
	opts.max_queue_records = 5;
	opts.max_queue_bytes = 60 * 1024;
	opts.max_spill_bytes = 0; // spilling off: over the byte bound, bodies are shed at once
	RequestLogger logger(store, env.config(), opts);
	int64_t t = nowMs();
	logger.submit(makeRequest("small", t, api::Outcome::Success));
	auto big = makeRequest("big", t + 1, api::Outcome::Success);
	big.client_request_body.bytes = std::string(100 * 1024, 'b');
	big.client_request_body.totalSize = 100 * 1024;
	logger.submit(std::move(big));
	for (int i = 0; i < 6; ++i)
		logger.submit(makeRequest("n" + std::to_string(i), t + 2 + i, api::Outcome::Success));
	auto c = logger.counters();
	EXPECT_EQ(c.submitted, 8u);
	EXPECT_EQ(c.queue_depth, 5u);
	EXPECT_EQ(c.records_dropped, 3u);
	EXPECT_EQ(c.bodies_shed, 1u);
	EXPECT_GT(c.queue_bytes, 0u);
	// Statistics still saw all 8.
	EXPECT_EQ(findStats(logger.endpointStats(), "ep-a")->requests, 8);

	logger.resumeWriter();
	ASSERT_TRUE(logger.flush());
	c = logger.counters();
	EXPECT_EQ(c.written, 5u);
	EXPECT_EQ(c.queue_depth, 0u);
	EXPECT_EQ(c.queue_bytes, 0u);
	auto shed = store->get("big");
	ASSERT_TRUE(shed);
	EXPECT_TRUE(shed->bodies_shed);
	EXPECT_TRUE(shed->rec.client_request_body.bytes.empty());
	EXPECT_TRUE(shed->client_request_body.omitted);
	EXPECT_EQ(shed->rec.client_request_body.totalSize, 100 * 1024);
	EXPECT_TRUE(shed->rec.client_request_headers.empty());
	auto small = store->get("small");
	ASSERT_TRUE(small);
	EXPECT_FALSE(small->bodies_shed);
	EXPECT_FALSE(small->rec.client_request_body.bytes.empty());
	EXPECT_EQ(store->loadEndpointStats().at(0).requests, 8);
}

TEST_P(RequestLoggerTest, SubmitNeverWaitsForTheDatabase)
{
	auto store = env.open();
	auto opts = testOptions();
	opts.start_paused = true; // the writer is stuck: submit must still return at once
	RequestLogger logger(store, env.config(), opts);
	auto start = std::chrono::steady_clock::now();
	for (int i = 0; i < 2000; ++i)
		logger.submit(makeRequest("q" + std::to_string(i), 1700000000000 + i, api::Outcome::Success));
	auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count();
	EXPECT_LT(ms, 2000);
	EXPECT_EQ(logger.counters().queue_depth, 2000u);
	logger.resumeWriter();
	ASSERT_TRUE(logger.flush(60000));
	EXPECT_EQ(store->count({}), 2000);
	EXPECT_GE(logger.counters().batches, 10u); // batches of at most 200
}

TEST_P(RequestLoggerTest, StatisticsSurviveRestartAndRename)
{
	int64_t t = nowMs();
	{
		RequestLogger logger(env.open(), env.config(), testOptions());
		auto a = makeRequest("s1", t, api::Outcome::Success, "ep-x");
		a.attempts[0].duration_ms = 200;
		logger.submit(std::move(a));
		logger.submit(makeRequest("s2", t + 1, api::Outcome::Success, "ep-x"));
		auto f = makeRequest("s3", t + 2, api::Outcome::Timeout, "ep-x");
		f.attempts[0].error = "first byte timeout after 60s";
		logger.submit(std::move(f));
		auto skipped = makeRequest("s4", t + 3, api::Outcome::SkippedOpenBreaker, "ep-x");
		logger.submit(std::move(skipped));
		logger.submit(makeRequest("s5", t + 4, api::Outcome::ClientCancelled, "ep-x"));
		logger.recordBreakerEvent({"ep-x", "name-ep-x", t + 5, "open", "3 consecutive failures"});
		ASSERT_TRUE(logger.flush());
	} // destructor drains and stops

	RequestLogger logger(env.open(), env.config(), testOptions());
	auto all = logger.endpointStats();
	const EndpointStats * s = findStats(all, "ep-x");
	ASSERT_TRUE(s);
	EXPECT_EQ(s->endpoint_name, "name-ep-x");
	EXPECT_EQ(s->requests, 4);
	EXPECT_EQ(s->successes, 2);
	EXPECT_EQ(s->failures, 1);
	EXPECT_EQ(s->cancelled, 1);
	EXPECT_EQ(s->skipped, 1);
	EXPECT_EQ(s->input_tokens, 20);
	EXPECT_NEAR(s->cost_usd, 0.5, 1e-9);
	EXPECT_EQ(s->last_failure_error, "first byte timeout after 60s");
	EXPECT_EQ(s->last_failure_at_ms, t + 2 + 1 + 100);
	EXPECT_EQ(s->latency.total(), 4);
	EXPECT_GE(s->latency.percentile(99), 200);
	auto events = logger.store()->breakerEvents("ep-x", 10);
	ASSERT_EQ(events.size(), 1u);
	EXPECT_EQ(events[0].state, "open");
	EXPECT_EQ(events[0].reason, "3 consecutive failures");

	// Renamed endpoint, same stable id: history continues under the new name.
	auto renamed = makeRequest("s6", t + 10, api::Outcome::Success, "ep-x");
	renamed.attempts[0].endpoint_name = "Renamed";
	logger.submit(std::move(renamed));
	ASSERT_TRUE(logger.flush());
	s = nullptr;
	all = logger.endpointStats();
	s = findStats(all, "ep-x");
	ASSERT_TRUE(s);
	EXPECT_EQ(s->requests, 5);
	EXPECT_EQ(s->endpoint_name, "Renamed");
	auto persisted = logger.store()->loadEndpointStats();
	ASSERT_EQ(persisted.size(), 1u);
	EXPECT_EQ(persisted[0].requests, 5);
	EXPECT_EQ(persisted[0].endpoint_name, "Renamed");
}

TEST_P(RequestLoggerTest, RetentionByAgeAndCleanup)
{
	auto cfg = env.config();
	cfg.retention_days = 30;
	auto store = env.open();
	RequestLogger logger(store, cfg, testOptions());
	int64_t now = nowMs();
	int64_t day = 86400000;
	for (auto [id, age] : std::vector<std::pair<std::string, int64_t>>{
			 {"d40", 40 * day}, {"d31", 31 * day}, {"d29", 29 * day}, {"d10", 10 * day}, {"d0", 0}})
		logger.submit(makeRequest(id, now - age, api::Outcome::Success));
	logger.recordBreakerEvent({"ep-a", "a", now - 40 * day, "open", "old"});
	logger.recordBreakerEvent({"ep-a", "a", now - day, "closed", "recent"});
	ASSERT_TRUE(logger.flush());
	ASSERT_EQ(store->count({}), 5);

	auto r = logger.runRetention();
	EXPECT_EQ(r.deleted_by_age, 2);
	EXPECT_FALSE(store->get("d40"));
	EXPECT_FALSE(store->get("d31"));
	EXPECT_TRUE(store->get("d29"));
	EXPECT_EQ(env.raw()->query("SELECT COUNT(*) FROM attempts")[0].i64(0), 3);
	auto ev = store->breakerEvents("", 10);
	ASSERT_EQ(ev.size(), 1u);
	EXPECT_EQ(ev[0].reason, "recent");

	EXPECT_EQ(logger.cleanup(7), 2); // d29, d10
	EXPECT_TRUE(store->get("d0"));
	EXPECT_EQ(logger.cleanup(0), 1); // 0 = everything
	EXPECT_EQ(store->count({}), 0);
	EXPECT_EQ(env.raw()->query("SELECT COUNT(*) FROM attempts")[0].i64(0), 0);
	EXPECT_EQ(logger.counters().retention_deleted, 5u);
	// Statistics are not part of the log: cleaning logs keeps them.
	EXPECT_EQ(store->loadEndpointStats().size(), 1u);
}

TEST_P(RequestLoggerTest, RetentionBySizeDeletesOldestFirst)
{
	auto cfg = env.config();
	auto store = env.open();
	RequestLogger logger(store, cfg, testOptions());
	int64_t t = nowMs() - 100000;
	for (int i = 0; i < 120; ++i)
	{
		auto r = makeRequest("z" + std::to_string(i), t + i, api::Outcome::Success);
		std::string body = randomToken(16 * 1024);
		r.attempts[0].response_body = {body, static_cast<int64_t>(body.size())};
		logger.submit(std::move(r));
	}
	ASSERT_TRUE(logger.flush());
	int64_t before = store->storageBytes();
	ASSERT_GT(before, 1000 * 1024) << "expected ~120 x 10+ KB";

	cfg.retention_max_bytes = 512 * 1024;
	logger.updateConfig(cfg);
	auto r = logger.runRetention();
	EXPECT_GT(r.deleted_by_size, 0);
	EXPECT_EQ(r.deleted_by_age, 0);
	EXPECT_LE(store->storageBytes(), 512 * 1024);
	EXPECT_LE(r.bytes_after, 512 * 1024);
	EXPECT_TRUE(store->get("z119"));
	EXPECT_FALSE(store->get("z0"));
	int64_t left = store->count({});
	EXPECT_GT(left, 10);
	// What is left is exactly the newest `left` requests.
	for (int i = 120 - static_cast<int>(left); i < 120; ++i)
		EXPECT_TRUE(store->get("z" + std::to_string(i))) << i;
	if (!env.postgres())
	{
		// incremental_vacuum handed the freed pages back: the file shrank too.
		EXPECT_EQ(env.raw()->query("PRAGMA freelist_count")[0].i64(0), 0);
		EXPECT_LT(static_cast<int64_t>(std::filesystem::file_size(env.dbPath())), before);
	}
}

TEST_P(RequestLoggerTest, RetentionRunsAtStartOnItsOwnThread)
{
	int64_t now = nowMs();
	{
		RequestLogger logger(env.open(), env.config(), testOptions());
		logger.submit(makeRequest("ancient", now - 90LL * 86400000, api::Outcome::Success));
		logger.submit(makeRequest("fresh", now, api::Outcome::Success));
	}
	auto opts = testOptions();
	opts.start_retention_thread = true;
	RequestLogger logger(env.open(), env.config(), opts);
	for (int i = 0; i < 300 && logger.counters().retention_deleted == 0; ++i)
		std::this_thread::sleep_for(std::chrono::milliseconds(50));
	EXPECT_EQ(logger.counters().retention_deleted, 1u);
	EXPECT_FALSE(logger.store()->get("ancient"));
	EXPECT_TRUE(logger.store()->get("fresh"));
}

TEST_P(RequestLoggerTest, SigkillLosesNoAcknowledgedBatchAndNeverCorrupts)
{
	env.open(); // create the schema before forking
	int fds[2];
	ASSERT_EQ(pipe(fds), 0);
	pid_t pid = fork();
	ASSERT_GE(pid, 0);
	if (pid == 0)
	{
		close(fds[0]);
		try
		{
			RequestLogger logger(env.config(), testOptions());
			int64_t n = 0;
			std::string body(8 * 1024, 'k');
			for (;;)
			{
				for (int i = 0; i < 50; ++i, ++n)
				{
					auto r = makeRequest("crash-" + std::to_string(n), 1700000000000 + n, api::Outcome::Success);
					r.client_request_body = {body, static_cast<int64_t>(body.size())};
					logger.submit(std::move(r));
				}
				if (!logger.flush())
					_exit(3);
				if (write(fds[1], &n, sizeof n) != static_cast<ssize_t>(sizeof n))
					_exit(4);
			}
		}
		catch (...)
		{
			_exit(2);
		}
	}
	close(fds[1]);
	int64_t acknowledged = 0;
	int64_t v = 0;
	auto start = std::chrono::steady_clock::now();
	while (read(fds[0], &v, sizeof v) == static_cast<ssize_t>(sizeof v))
	{
		acknowledged = v;
		if (acknowledged >= 500 || std::chrono::steady_clock::now() - start > std::chrono::seconds(20))
			break;
	}
	// Kill it while it keeps writing (its next batches are in flight).
	kill(pid, SIGKILL);
	int status = 0;
	waitpid(pid, &status, 0);
	close(fds[0]);
	ASSERT_TRUE(WIFSIGNALED(status)) << "child exited by itself with " << WEXITSTATUS(status);
	ASSERT_GT(acknowledged, 0);

	if (!env.postgres())
	{
		auto c = env.raw();
		auto rows = c->query("PRAGMA integrity_check");
		ASSERT_EQ(rows.size(), 1u);
		EXPECT_EQ(rows[0].str(0), "ok");
	}
	auto store = env.open();
	int64_t stored = store->count({});
	EXPECT_GE(stored, acknowledged);
	for (int64_t i = 0; i < acknowledged; i += 37)
		EXPECT_TRUE(store->get("crash-" + std::to_string(i))) << i;
	EXPECT_TRUE(store->get("crash-" + std::to_string(acknowledged - 1)));
	// And it keeps working.
	RequestLogger logger(store, env.config(), testOptions());
	logger.submit(makeRequest("after-crash", nowMs(), api::Outcome::Success));
	ASSERT_TRUE(logger.flush());
	EXPECT_TRUE(store->get("after-crash"));
}

TEST(StoreBackendFailure, UnreachablePostgresIsAnErrorNotASilentFallback)
{
	config::LoggingConfig cfg;
	cfg.storage = "postgresql";
	cfg.postgres_dsn = "host=127.0.0.1 port=1 dbname=none user=none connect_timeout=2";
	EXPECT_THROW(openLogStore(cfg), StoreError);
	cfg.postgres_dsn.clear();
	EXPECT_THROW(openLogStore(cfg), StoreError);
}

TEST(StoreBackendFailure, SqliteCreatesTheLogDirectory)
{
	auto dir = std::filesystem::temp_directory_path() / ("ccc-store-" + randomToken(10)) / "nested" / "logs";
	config::LoggingConfig cfg;
	cfg.log_directory = dir.string();
	{
		auto store = openLogStore(cfg);
		EXPECT_TRUE(std::filesystem::exists(dir / "logs.db"));
		auto c = openSqlite((dir / "logs.db").string());
		EXPECT_EQ(c->query("PRAGMA journal_mode")[0].str(0), "wal");
		EXPECT_EQ(c->query("PRAGMA auto_vacuum")[0].i64(0), 2); // incremental
	}
	std::filesystem::remove_all(dir.parent_path().parent_path());
}

TEST(StoreLegacyImport, StatisticsOfTheGoOriginalCarryOver)
{
	StoreEnv env("sqlite");
	auto dir = std::filesystem::path(env.dbPath()).parent_path();
	std::filesystem::create_directories(dir);
	{
		// The original's statistics.db (internal/statistics, gorm): only the columns we read matter.
		auto c = openSqlite((dir / "statistics.db").string());
		c->execScript("CREATE TABLE endpoint_statistics (id varchar(64) PRIMARY KEY, name text, url text, "
					  "endpoint_type text, auth_type text, total_requests integer, success_requests integer, "
					  "failure_count integer, successive_successes integer, last_failure datetime, last_updated datetime, "
					  "created_at datetime, updated_at datetime)");
		c->execScript("INSERT INTO endpoint_statistics (id, name, total_requests, success_requests, failure_count, "
					  "last_failure) VALUES ('ep-name-0123456789abcdef01234567', 'Primary', 120, 100, 0, "
					  "'2024-05-01 10:00:00.123456789+08:00'), ('ep-name-aaaa', 'Spare', 5, 5, 0, NULL)");
	}
	{
		RequestLogger logger(env.config(), testOptions());
		auto s = logger.endpointStats();
		ASSERT_EQ(s.size(), 2u);
		const EndpointStats * p = findStats(s, "ep-name-0123456789abcdef01234567");
		ASSERT_TRUE(p);
		EXPECT_EQ(p->endpoint_name, "Primary");
		EXPECT_EQ(p->requests, 120);
		EXPECT_EQ(p->successes, 100);
		EXPECT_EQ(p->failures, 20);
		EXPECT_EQ(p->last_failure_at_ms, 1714528800000); // 02:00 UTC
		EXPECT_EQ(findStats(s, "ep-name-aaaa")->last_failure_at_ms, 0);
		auto more = makeRequest("after-import", nowMs(), api::Outcome::Success, "ep-name-aaaa");
		logger.submit(std::move(more));
		ASSERT_TRUE(logger.flush());
	}
	// Imported once: a second open does not add the legacy counts again.
	auto stats = env.open()->loadEndpointStats();
	ASSERT_EQ(stats.size(), 2u);
	EXPECT_EQ(findStats(stats, "ep-name-aaaa")->requests, 6);
	EXPECT_EQ(findStats(stats, "ep-name-0123456789abcdef01234567")->requests, 120);
}
