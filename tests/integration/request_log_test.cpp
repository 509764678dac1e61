// Every proxied request leaves a record in the log store (a real SQLite file), with its attempts,
// and no upstream credential ever reaches the database file.
#include <gtest/gtest.h>

#include <fstream>
#include <sqlite3.h>
#include <sstream>
#include <thread>

#include "AnthropicFixtures.h"
#include "FakeUpstream.h"
#include "HttpStream.h"
#include "ServiceProcess.h"

using namespace ccc::test;

namespace
{

int64_t queryInt(sqlite3 * db, const std::string & sql)
{
	sqlite3_stmt * st = nullptr;
	int64_t v = -1;
	if (sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

std::string fileBytes(const std::string & path)
{
	std::ifstream in(path, std::ios::binary);
	std::stringstream ss;
	ss << in.rdbuf();
	return ss.str();
}

} // namespace

TEST(RequestLog, RequestsAndAttemptsAreStoredWithoutSecrets)
{
	FakeUpstream a, b;
	a.always(Response::json(500, anthropicError("api_error", "down")));
	b.always(Response::sse(anthropicStream("logged")));
	const std::string secretA = "sk-ant-api03-PLANTED-SECRET-AAAA-0123456789";
	const std::string secretB = "sk-ant-api03-PLANTED-SECRET-BBBB-9876543210";
	std::string cfg = "server:\n  host: 127.0.0.1\n  port: ${PORT}\nlogging:\n  log_directory: logs\n  log_request_body: full\n"
					  "  log_response_body: full\nendpoints:\n"
					  "  - {name: a, url: \""
		+ a.url() + "\", auth_type: api_key, auth_value: " + secretA + ", priority: 1}\n  - {name: b, url: \"" + b.url()
		+ "\", auth_type: auth_token, auth_value: " + secretB + ", priority: 2}\n";
	ServiceProcess svc(cfg);
	ASSERT_TRUE(svc.start()) << svc.output();
	auto r = streamRequest(svc.port(), "POST", "/v1/messages",
		R"({"model":"claude-opus-4-8","max_tokens":10,"stream":true,"messages":[{"role":"user","content":"hi"}]})",
		{{"content-type", "application/json"}, {"x-api-key", "client-side-key-should-be-redacted-too"}});
	ASSERT_EQ(r.status, 200);
	// A request rejected before any endpoint is tried is recorded too.
	auto bad = streamRequest(svc.port(), "POST", "/v1/messages", "{not json", {{"content-type", "application/json"}});
	EXPECT_EQ(bad.status, 400);
	svc.stop(); // SIGTERM: the service drains and flushes the store queue
	const std::string dbPath = svc.dir().file("logs/logs.db");
	sqlite3 * db = nullptr;
	ASSERT_EQ(sqlite3_open_v2(dbPath.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK) << svc.output();
	EXPECT_EQ(queryInt(db, "SELECT COUNT(*) FROM requests"), 2);
	EXPECT_EQ(queryInt(db, "SELECT COUNT(*) FROM attempts"), 3); // a, a (retry), b
	EXPECT_EQ(queryInt(db, "SELECT COUNT(*) FROM requests WHERE outcome = 'rejected'"), 1);
	// The body went upstream unchanged: every attempt says so and the client's copy is stored,
	// for the rejected request too.
	EXPECT_EQ(queryInt(db, "SELECT COUNT(*) FROM attempts WHERE (request_body_flags & 16) = 16 AND request_body_size = 101"), 3);
	EXPECT_EQ(queryInt(db, "SELECT COUNT(*) FROM requests WHERE client_request_body_size = 101 AND length(client_request_body) > 0"), 1);
	EXPECT_EQ(queryInt(db, "SELECT COUNT(*) FROM requests WHERE client_request_body = CAST('{not json' AS BLOB)"), 1);
	sqlite3_close(db);
	for (const char * suffix : {"", "-wal", "-shm"})
	{
		std::string bytes = fileBytes(dbPath + suffix);
		EXPECT_EQ(bytes.find(secretA), std::string::npos) << suffix;
		EXPECT_EQ(bytes.find(secretB), std::string::npos) << suffix;
		EXPECT_EQ(bytes.find("client-side-key-should-be-redacted-too"), std::string::npos) << suffix;
	}
}

TEST(RequestLog, OverTheQueueBoundRecordsSpillAndKeepTheirBodies)
{
	// A queue bound of one byte: every record goes through the spill file (logs/spill.bin).
	setenv("CCC_LOG_QUEUE_MAX_BYTES", "1", 1);
	FakeUpstream up;
	up.always(Response::json(200, anthropicMessage("spilled")));
	const std::string secret = "sk-ant-api03-SPILLED-SECRET-0123456789abcdef";
	std::string cfg = "server:\n  host: 127.0.0.1\n  port: ${PORT}\nlogging:\n  log_directory: logs\n  log_request_body: full\n"
					  "  log_response_body: full\nendpoints:\n  - {name: a, url: \""
		+ up.url() + "\", auth_type: api_key, auth_value: " + secret + "}\n";
	ServiceProcess svc(cfg);
	const bool started = svc.start();
	unsetenv("CCC_LOG_QUEUE_MAX_BYTES");
	ASSERT_TRUE(started) << svc.output();
	// 10 KB of conversation that quotes the upstream key: kept apart (>= 4 KiB) and redacted.
	const std::string body = R"({"model":"claude-opus-4-8","max_tokens":10,"messages":[{"role":"user","content":")" +
		std::string(10000, 'x') + " " + secret + R"("}]})";
	for (int i = 0; i < 20; ++i)
	{
		auto r = streamRequest(svc.port(), "POST", "/v1/messages", body, {{"content-type", "application/json"}});
		ASSERT_EQ(r.status, 200) << r.body;
	}
	auto metrics = httpRequest(svc.port(), "GET", "/metrics");
	EXPECT_NE(metrics.body.find("ccc_log_records_spilled_total 20\n"), std::string::npos) << metrics.body;
	auto stats = httpRequest(svc.port(), "GET", "/admin/api/logs/stats");
	EXPECT_NE(stats.body.find("\"spilled\":20,"), std::string::npos) << stats.body;
	EXPECT_NE(stats.body.find("\"bodies_shed\":0,"), std::string::npos) << stats.body;
	svc.stop(); // SIGTERM: the writer stores what the file holds before exiting
	const std::string dbPath = svc.dir().file("logs/logs.db");
	sqlite3 * db = nullptr;
	ASSERT_EQ(sqlite3_open_v2(dbPath.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK) << svc.output();
	EXPECT_EQ(queryInt(db, "SELECT COUNT(*) FROM requests"), 20);
	EXPECT_EQ(queryInt(db, "SELECT COUNT(*) FROM requests WHERE bodies_shed = 0 AND client_request_body_ref IS NOT NULL"), 20);
	EXPECT_EQ(queryInt(db, "SELECT COUNT(*) FROM bodies"), 1); // one distinct request body
	EXPECT_EQ(queryInt(db, "SELECT COUNT(*) FROM attempts WHERE (request_body_flags & 16) = 16"), 20);
	sqlite3_close(db);
	EXPECT_EQ(fileBytes(svc.dir().file("logs/spill.bin")).size(), 16u); // emptied once stored
	for (const char * suffix : {"", "-wal"})
		EXPECT_EQ(fileBytes(dbPath + suffix).find(secret), std::string::npos) << suffix;
}
