// Crash safety of the request log (issue #6): SIGKILL of the real service under load loses no
// acknowledged record batch and never corrupts the database.
//
// "Acknowledged" = committed: the writer acknowledges a batch when its transaction commits, which
// is exactly when another connection can see it. So the test reads the database file (a separate
// SQLite connection in this process, as any reader would) while the service is under load, notes
// the request ids visible, kills the service with SIGKILL and checks that the file passes
// `PRAGMA integrity_check` and still holds every one of those ids. Five rounds on the same file:
// each restart also recovers the WAL a killed process left behind.
#include <gtest/gtest.h>

#include <signal.h>
#include <sqlite3.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>
#include <thread>
#include <vector>

#include "AnthropicFixtures.h"
#include "FakeUpstream.h"
#include "ServiceProcess.h"

using namespace ccc::test;

namespace
{

std::string readFile(const std::string & path)
{
	std::ifstream in(path, std::ios::binary);
	std::stringstream ss;
	ss << in.rdbuf();
	return ss.str();
}

/// Request ids of every committed request (empty set when the file does not exist yet).
bool committedIds(const std::string & dbPath, std::set<std::string> & ids, std::string & error)
{
	sqlite3 * db = nullptr;
	if (sqlite3_open_v2(dbPath.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK)
	{
		error = db ? sqlite3_errmsg(db) : "cannot open";
		sqlite3_close(db);
		return false;
	}
	sqlite3_busy_timeout(db, 5000);
	sqlite3_stmt * st = nullptr;
	bool ok = sqlite3_prepare_v2(db, "SELECT request_id FROM requests", -1, &st, nullptr) == SQLITE_OK;
	int rc = SQLITE_ROW;
	while (ok && (rc = sqlite3_step(st)) == SQLITE_ROW)
		ids.insert(reinterpret_cast<const char *>(sqlite3_column_text(st, 0)));
	if (!ok || rc != SQLITE_DONE)
	{
		ok = false;
		error = sqlite3_errmsg(db);
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
	return ok;
}

std::string integrityCheck(const std::string & dbPath)
{
	sqlite3 * db = nullptr;
	std::string result = "cannot open";
	if (sqlite3_open_v2(dbPath.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) == SQLITE_OK)
	{
		sqlite3_busy_timeout(db, 5000);
		sqlite3_stmt * st = nullptr;
		result.clear();
		if (sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, nullptr) == SQLITE_OK)
			while (sqlite3_step(st) == SQLITE_ROW)
				result += reinterpret_cast<const char *>(sqlite3_column_text(st, 0));
		else
			result = sqlite3_errmsg(db);
		sqlite3_finalize(st);
	}
	sqlite3_close(db);
	return result;
}

} // namespace

TEST(StoreCrash, SigkillUnderLoadLosesNoCommittedBatchAndNeverCorrupts)
{
	const std::string body = readFile(std::string(CCC_TEST_DATA_DIR) + "/claude-code/messages-request.json");
	ASSERT_GT(body.size(), 50000u);
	FakeUpstream up;
	up.always(Response::sse(anthropicStream("ok")));
	TempDir logs; // shared by every round: each restart opens what the killed process left
	const std::string dbPath = logs.file("logs.db");
	const std::string cfg = "server:\n  host: 127.0.0.1\n  port: ${PORT}\nlogging:\n  log_directory: " + logs.path() +
		"\n  log_request_body: full\n  log_response_body: full\nendpoints:\n  - {name: a, url: \"" + up.url() +
		"\", auth_type: api_key, auth_value: sk-test-crash-0123456789, priority: 1}\n";

	std::set<std::string> everAcked;
	const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(25);
	for (int round = 0; round < 5; ++round)
	{
		SCOPED_TRACE("round " + std::to_string(round));
		ServiceProcess svc(cfg);
		ASSERT_TRUE(svc.start()) << svc.output();

		// Load: a few clients sending the 76 KB Claude Code request as fast as they can.
		std::atomic<bool> stopLoad{false};
		std::atomic<int> done{0};
		std::vector<std::thread> clients;
		for (int c = 0; c < 4; ++c)
			clients.emplace_back([&] {
				for (int i = 0; !stopLoad && i < 2000; ++i)
				{
					HttpResult r = httpRequest(svc.port(), "POST", "/v1/messages", body,
						{{"content-type", "application/json"}}, 5000);
					if (r.status == 200)
						++done;
				}
			});

		// Wait until the writer has committed something in this round, then take the snapshot of
		// what is acknowledged and kill at once, while the clients keep the writer busy.
		std::set<std::string> acked;
		std::string error;
		size_t before = everAcked.size();
		while (std::chrono::steady_clock::now() < deadline)
		{
			acked.clear();
			if (committedIds(dbPath, acked, error) && acked.size() >= before + 10 && done > 20)
				break;
			std::this_thread::sleep_for(std::chrono::milliseconds(50));
		}
		ASSERT_TRUE(svc.running()) << svc.output();
		::kill(svc.pid(), SIGKILL);
		stopLoad = true;
		for (auto & t : clients)
			t.join();
		svc.stop(); // reaps the killed process
		EXPECT_GE(acked.size(), before + 10) << "the writer committed too little under load: " << error;

		EXPECT_EQ(integrityCheck(dbPath), "ok");
		std::set<std::string> after;
		ASSERT_TRUE(committedIds(dbPath, after, error)) << error;
		size_t lost = 0;
		for (const auto & id : acked)
			lost += after.count(id) ? 0 : 1;
		for (const auto & id : everAcked)
			lost += after.count(id) ? 0 : 1;
		EXPECT_EQ(lost, 0u) << "acknowledged records missing after SIGKILL";
		std::cout << "  round " << round << ": " << done << " requests answered, " << acked.size()
				  << " records acknowledged before SIGKILL, " << after.size() << " in the file after\n";
		everAcked.insert(acked.begin(), acked.end());
	}
	EXPECT_GE(everAcked.size(), 50u);
}
