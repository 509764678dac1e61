#pragma once
// Shared by the store_*_test.cpp files: one test environment per backend. The SQLite backend
// runs against a real file in a fresh temp dir. The PostgreSQL backend runs when CCC_TEST_PG_DSN
// (a libpq DSN) or CCC_TEST_PG_DSN_FILE (a file holding one, written by scripts/pg-test-server.sh)
// is set; each test then gets its own schema. When the variable is set but the server is not
// reachable, the PostgreSQL tests FAIL (they are never skipped silently).
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "ccc/api/log_types.h"
#include "ccc/config/model.h"
#include "store/Db.h"
#include "store/LogStore.h"
#include "store/RequestLogger.h"

namespace storetest
{

inline std::string pgDsnFromEnv(bool & requested)
{
	requested = false;
	if (const char * d = std::getenv("CCC_TEST_PG_DSN"); d && *d)
	{
		requested = true;
		return d;
	}
	if (const char * f = std::getenv("CCC_TEST_PG_DSN_FILE"); f && *f)
	{
		requested = true;
		std::ifstream in(f);
		std::string line;
		std::getline(in, line);
		return line;
	}
	return "";
}

inline std::vector<std::string> backends()
{
	std::vector<std::string> b = {"sqlite"};
	bool requested = false;
	pgDsnFromEnv(requested);
	if (requested)
		b.push_back("postgresql");
	return b;
}

inline int64_t nowMs()
{
	return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
		.count();
}

inline std::string randomToken(size_t n)
{
	static std::mt19937_64 rng(std::random_device{}());
	static const char kAlpha[] = "abcdefghijklmnopqrstuvwxyz0123456789";
	std::string s;
	for (size_t i = 0; i < n; ++i)
		s.push_back(kAlpha[rng() % 36]);
	return s;
}

inline std::string hexOf(const std::string & s)
{
	static const char * d = "0123456789abcdef";
	std::string out;
	for (unsigned char c : s)
	{
		out.push_back(d[c >> 4]);
		out.push_back(d[c & 15]);
	}
	return out;
}

/// One isolated store location for one test.
class StoreEnv
{
public:
	explicit StoreEnv(std::string backend) : _backend(std::move(backend))
	{
		_dir = std::filesystem::temp_directory_path() / ("ccc-store-" + randomToken(12));
		std::filesystem::create_directories(_dir);
		if (_backend == "postgresql")
		{
			bool requested = false;
			_baseDsn = pgDsnFromEnv(requested);
			_schema = "t_" + randomToken(10);
			auto c = ccc::store::openPostgres(_baseDsn); // throws (the test fails) when unreachable
			c->execScript("CREATE SCHEMA " + _schema);
		}
	}

	~StoreEnv()
	{
		std::error_code ec;
		std::filesystem::remove_all(_dir, ec);
		if (_backend == "postgresql")
		{
			try
			{
				auto c = ccc::store::openPostgres(_baseDsn);
				c->execScript("DROP SCHEMA IF EXISTS " + _schema + " CASCADE");
			}
			catch (...)
			{
			}
		}
	}

	bool postgres() const { return _backend == "postgresql"; }
	std::string dbPath() const { return (_dir / "logs" / "logs.db").string(); }
	std::string dsn() const { return _baseDsn + " options='-csearch_path=" + _schema + "'"; }

	ccc::config::LoggingConfig config() const
	{
		ccc::config::LoggingConfig c;
		c.log_directory = (_dir / "logs").string();
		if (postgres())
		{
			c.storage = "postgresql";
			c.postgres_dsn = dsn();
		}
		return c;
	}

	std::shared_ptr<ccc::store::LogStore> open(int migrateTo = ccc::store::kSchemaVersion) const
	{
		return ccc::store::openLogStore(config(), migrateTo);
	}

	std::unique_ptr<ccc::store::DbConnection> raw() const
	{
		return postgres() ? ccc::store::openPostgres(dsn()) : ccc::store::openSqlite(dbPath());
	}

	/// True when `needle` appears anywhere in what the database holds: the raw bytes of the SQLite
	/// files (main, WAL, SHM), or every row of every table as PostgreSQL prints it (bytea as hex).
	bool rawContains(const std::string & needle) const
	{
		std::string hay;
		if (postgres())
		{
			auto c = raw();
			for (const char * t : {"requests", "attempts", "endpoint_stats", "breaker_events"})
				for (const auto & r : c->query(std::string("SELECT x::text FROM ") + t + " x"))
					hay += r.str(0) + "\n";
			return hay.find(needle) != std::string::npos || hay.find(hexOf(needle)) != std::string::npos;
		}
		for (const char * suffix : {"", "-wal", "-shm"})
		{
			std::ifstream in(dbPath() + suffix, std::ios::binary);
			std::stringstream ss;
			ss << in.rdbuf();
			hay += ss.str();
		}
		return hay.find(needle) != std::string::npos;
	}

	const std::filesystem::path & dir() const { return _dir; }

private:
	std::string _backend;
	std::filesystem::path _dir;
	std::string _baseDsn;
	std::string _schema;
};

inline ccc::api::AttemptRecord makeAttempt(int n, const std::string & endpointId, ccc::api::Outcome o, int64_t startMs,
	int64_t durationMs = 100)
{
	ccc::api::AttemptRecord a;
	a.attempt_number = n;
	a.endpoint_id = endpointId;
	a.endpoint_name = "name-" + endpointId;
	a.endpoint_url = "https://" + endpointId + ".example/v1/messages";
	a.started_at_ms = startMs;
	a.duration_ms = durationMs;
	a.ttfb_ms = durationMs / 2;
	a.outcome = o;
	a.status = o == ccc::api::Outcome::Success ? 200 : (o == ccc::api::Outcome::UpstreamError ? 529 : 0);
	if (o != ccc::api::Outcome::Success)
		a.error = std::string("attempt failed: ") + ccc::api::outcomeName(o);
	a.model_sent = "claude-sonnet-4";
	a.request_headers = {{"content-type", "application/json"}, {"x-api-key", "sk-ant-upstream-key-123456"}};
	a.request_body.bytes = "{\"model\":\"claude-sonnet-4\",\"attempt\":" + std::to_string(n) + "}";
	a.request_body.totalSize = static_cast<int64_t>(a.request_body.bytes.size());
	a.response_headers = {{"content-type", "application/json"}, {"request-id", "req_" + std::to_string(n)}};
	a.response_body.bytes = o == ccc::api::Outcome::Success ? "{\"type\":\"message\"}" : "{\"type\":\"error\"}";
	a.response_body.totalSize = static_cast<int64_t>(a.response_body.bytes.size());
	if (o == ccc::api::Outcome::Success)
		a.usage = {10, 20, 3, 4};
	return a;
}

/// A request whose outcome follows its last attempt (Rejected: no attempts).
inline ccc::api::RequestRecord makeRequest(const std::string & id, int64_t startMs, ccc::api::Outcome o,
	const std::string & endpointId = "ep-a", const std::string & model = "claude-sonnet-4")
{
	ccc::api::RequestRecord r;
	r.request_id = id;
	r.started_at_ms = startMs;
	r.duration_ms = 150;
	r.ttfb_ms = 40;
	r.method = "POST";
	r.path = "/v1/messages?beta=true";
	r.outcome = o;
	r.streaming = true;
	r.tags = {"fast", "team-x"};
	r.model_requested = model;
	r.thinking_type = "enabled";
	r.thinking_budget = 4096;
	r.session_id = "sess-" + id;
	r.user_agent = "claude-cli/1.0";
	r.client_request_headers = {{"content-type", "application/json"}, {"authorization", "Bearer client-token-abcdef"}};
	r.client_request_body.bytes = "{\"model\":\"" + model + "\",\"messages\":[]}";
	r.client_request_body.totalSize = static_cast<int64_t>(r.client_request_body.bytes.size());
	r.client_response_headers = {{"content-type", "text/event-stream"}};
	r.client_response_body.bytes = "event: message_start\ndata: {}\n\n";
	r.client_response_body.totalSize = static_cast<int64_t>(r.client_response_body.bytes.size());
	if (o == ccc::api::Outcome::Rejected)
	{
		r.status = 400;
		r.error = "no endpoint for tags";
		return r;
	}
	r.attempts.push_back(makeAttempt(1, endpointId, o, startMs + 1));
	r.status = r.attempts.back().status ? r.attempts.back().status : 502;
	if (o == ccc::api::Outcome::Success)
	{
		r.status = 200;
		r.final_endpoint_id = endpointId;
		r.final_endpoint_name = "name-" + endpointId;
		r.usage = {10, 20, 3, 4};
		r.cost_usd = 0.25;
	}
	else
		r.error = std::string("all endpoints failed: ") + ccc::api::outcomeName(o);
	return r;
}

inline ccc::store::RequestLoggerOptions testOptions()
{
	ccc::store::RequestLoggerOptions o;
	o.start_retention_thread = false;
	return o;
}

class StoreTest : public ::testing::TestWithParam<std::string>
{
protected:
	StoreEnv env{GetParam()};
};

inline std::string paramName(const ::testing::TestParamInfo<std::string> & i)
{
	return i.param;
}

} // namespace storetest
