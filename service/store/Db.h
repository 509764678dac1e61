#pragma once
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

/// A deliberately small SQL layer under the log store: one connection, statements with
/// positional `?` parameters, results as rows of nullable byte strings, so that the store's SQL is
/// written once for both backends. Both connections run on Poco::Data (SQLite and PostgreSQL
/// connectors, as the project's POCO stack prescribes); this layer evens out where the two
/// connectors differ:
///  - placeholders: `?` is rewritten to `$1..$n` for PostgreSQL;
///  - values: blobs bind as Poco::Data::BLOB (binary BYTEA parameters, byte-exact with NUL and
///    invalid UTF-8); an empty blob, which both connectors would store as NULL, binds as ''; reads
///    come back as decimal text for numbers (64-bit exact) and raw bytes for BLOB/BYTEA, whatever
///    type Poco maps the column to;
///  - statements: prepared once per (SQL, parameter kinds) and re-executed; a batch of rows runs
///    on one prepared statement (queryBatch), since Poco 1.11 re-prepares a SQLite statement at
///    every execute;
///  - transactions: BEGIN/COMMIT/ROLLBACK are tracked so healthy() can refuse a connection left
///    inside one; errors become StoreError naming the backend and the statement.
namespace ccc::store
{

/// Any database failure. what() names the backend and the failing statement.
class StoreError : public std::runtime_error
{
public:
	using std::runtime_error::runtime_error;
};

/// One bound parameter. Blobs go to BLOB/BYTEA columns; Text must be valid UTF-8 without NUL
/// (PostgreSQL rejects anything else; see sanitizeUtf8).
struct DbValue
{
	enum class Kind { Null, Int, Real, Text, Blob };
	Kind kind = Kind::Null;
	int64_t i = 0;
	double d = 0;
	std::string s;

	static DbValue null() { return {}; }
	static DbValue integer(int64_t v) { DbValue x; x.kind = Kind::Int; x.i = v; return x; }
	static DbValue real(double v) { DbValue x; x.kind = Kind::Real; x.d = v; return x; }
	static DbValue text(std::string v) { DbValue x; x.kind = Kind::Text; x.s = std::move(v); return x; }
	static DbValue blob(std::string v) { DbValue x; x.kind = Kind::Blob; x.s = std::move(v); return x; }
};

using DbParams = std::vector<DbValue>;

/// One result row: each column as its text (numbers in decimal) or its raw bytes (blobs).
class DbRow
{
public:
	std::vector<std::string> values;
	std::vector<bool> nulls;

	bool isNull(size_t col) const { return col >= nulls.size() || nulls[col]; }
	const std::string & str(size_t col) const;
	int64_t i64(size_t col, int64_t ifNull = 0) const;
	double dbl(size_t col, double ifNull = 0) const;
};

using DbRows = std::vector<DbRow>;

class DbConnection
{
public:
	virtual ~DbConnection() = default;
	/// Runs one statement (parameters as `?`), returns its rows (empty for non-queries).
	/// Throws StoreError.
	virtual DbRows query(const std::string & sql, const DbParams & params = {}) = 0;
	/// Runs one statement once per parameter row and returns the rows of every run, in order
	/// (e.g. the ids of a batch of INSERT ... RETURNING id). Where the backend allows, the
	/// statement is prepared once for the whole batch. Throws StoreError.
	virtual DbRows queryBatch(const std::string & sql, const std::vector<DbParams> & rows);
	/// Runs one or more parameterless statements separated by ';' (DDL, pragmas).
	virtual void execScript(const std::string & sql) = 0;
	/// Rows changed by the last query() that was an INSERT/UPDATE/DELETE.
	virtual int64_t changes() = 0;
	/// False once the connection is unusable, or is still inside a transaction (a ROLLBACK that
	/// failed): the pool then drops it rather than hand out a connection in an unknown state.
	virtual bool healthy() = 0;
};

std::unique_ptr<DbConnection> openSqlite(const std::string & path);
/// Checks the server with libpq first (PQping, then a connection it closes again) and hands the
/// DSN to Poco's connector only when that succeeded: POCO 1.11 leaks the whole PGconn (~35 KB) of
/// every connection it fails to open, which a writer retrying through an outage would pile up.
/// Throws StoreError "postgresql: cannot connect: ..." naming host and port (never the password
/// or another DSN field): "server unreachable" when nothing answers there, the server's own
/// error (authentication, unknown database) when it answers and refuses.
std::unique_ptr<DbConnection> openPostgres(const std::string & dsn);

/// Process-wide counts of openPostgres() calls and of closes, for tests and diagnostics.
struct PostgresOpenCounts
{
	uint64_t checks = 0;        ///< openPostgres() calls (each checks the server with libpq first)
	uint64_t refused = 0;       ///< of which the check failed: StoreError, Poco's connector not called
	uint64_t poco_connects = 0; ///< sessions handed to Poco's PostgreSQL connector
	/// Connections that broke while open, freed by us when closed (Poco 1.11 would leak them).
	uint64_t broken_finished = 0;
};
PostgresOpenCounts postgresOpenCounts();

/// Valid UTF-8 without NUL: invalid sequences become U+FFFD, NUL bytes are removed.
std::string sanitizeUtf8(const std::string & s);

} // namespace ccc::store
