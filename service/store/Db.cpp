#include "store/Db.h"

#include <cstdlib>
#include <cstring>
#include <unordered_map>

#include <libpq-fe.h>
#include <sqlite3.h>

namespace ccc::store
{

const std::string & DbRow::str(size_t col) const
{
	static const std::string kEmpty;
	return col < values.size() ? values[col] : kEmpty;
}

int64_t DbRow::i64(size_t col, int64_t ifNull) const
{
	if (isNull(col))
		return ifNull;
	return std::strtoll(values[col].c_str(), nullptr, 10);
}

double DbRow::dbl(size_t col, double ifNull) const
{
	if (isNull(col))
		return ifNull;
	return std::strtod(values[col].c_str(), nullptr);
}

std::string sanitizeUtf8(const std::string & s)
{
	std::string out;
	out.reserve(s.size());
	const auto * p = reinterpret_cast<const unsigned char *>(s.data());
	size_t n = s.size();
	size_t i = 0;
	while (i < n)
	{
		unsigned char c = p[i];
		if (c == 0)
		{
			++i;
			continue;
		}
		if (c < 0x80)
		{
			out.push_back(static_cast<char>(c));
			++i;
			continue;
		}
		size_t len = 0;
		uint32_t cp = 0;
		if ((c & 0xE0) == 0xC0) { len = 2; cp = c & 0x1F; }
		else if ((c & 0xF0) == 0xE0) { len = 3; cp = c & 0x0F; }
		else if ((c & 0xF8) == 0xF0) { len = 4; cp = c & 0x07; }
		bool ok = len > 0 && i + len <= n;
		for (size_t k = 1; ok && k < len; ++k)
		{
			if ((p[i + k] & 0xC0) != 0x80)
				ok = false;
			else
				cp = (cp << 6) | (p[i + k] & 0x3F);
		}
		// Reject overlong forms, surrogates and values past U+10FFFF (PostgreSQL does too).
		if (ok && ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
				(cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF))
			ok = false;
		if (ok)
		{
			out.append(s, i, len);
			i += len;
		}
		else
		{
			out += "\xEF\xBF\xBD";
			++i;
		}
	}
	return out;
}

namespace
{

// ---------------------------------------------------------------------------------------------
class SqliteConnection : public DbConnection
{
public:
	explicit SqliteConnection(const std::string & path)
	{
		int rc = sqlite3_open_v2(path.c_str(), &_db,
			SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
		if (rc != SQLITE_OK)
		{
			std::string msg = _db ? sqlite3_errmsg(_db) : sqlite3_errstr(rc);
			if (_db)
				sqlite3_close_v2(_db);
			_db = nullptr;
			throw StoreError("sqlite: cannot open " + path + ": " + msg);
		}
		// Writers wait for each other (writer thread, retention, a second process) instead of
		// failing with SQLITE_BUSY.
		sqlite3_busy_timeout(_db, 10000);
	}

	~SqliteConnection() override
	{
		for (auto & kv : _cache)
			sqlite3_finalize(kv.second);
		if (_db)
			sqlite3_close_v2(_db);
	}

	DbRows query(const std::string & sql, const DbParams & params) override
	{
		sqlite3_stmt * st = prepare(sql);
		struct Reset
		{
			sqlite3_stmt * s;
			~Reset()
			{
				sqlite3_reset(s);
				sqlite3_clear_bindings(s);
			}
		} reset{st};
		for (size_t i = 0; i < params.size(); ++i)
		{
			const DbValue & v = params[i];
			int idx = static_cast<int>(i + 1);
			int rc = SQLITE_OK;
			switch (v.kind)
			{
			case DbValue::Kind::Null: rc = sqlite3_bind_null(st, idx); break;
			case DbValue::Kind::Int: rc = sqlite3_bind_int64(st, idx, v.i); break;
			case DbValue::Kind::Real: rc = sqlite3_bind_double(st, idx, v.d); break;
			case DbValue::Kind::Text:
				rc = sqlite3_bind_text64(st, idx, v.s.data(), v.s.size(), SQLITE_STATIC, SQLITE_UTF8);
				break;
			case DbValue::Kind::Blob: rc = sqlite3_bind_blob64(st, idx, v.s.data(), v.s.size(), SQLITE_STATIC); break;
			}
			if (rc != SQLITE_OK)
				fail("bind", sql);
		}
		DbRows rows;
		for (;;)
		{
			int rc = sqlite3_step(st);
			if (rc == SQLITE_DONE)
				break;
			if (rc != SQLITE_ROW)
				fail("step", sql);
			int n = sqlite3_column_count(st);
			DbRow row;
			row.values.resize(n);
			row.nulls.resize(n);
			for (int c = 0; c < n; ++c)
			{
				int t = sqlite3_column_type(st, c);
				if (t == SQLITE_NULL)
				{
					row.nulls[c] = true;
					continue;
				}
				if (t == SQLITE_BLOB)
				{
					const void * b = sqlite3_column_blob(st, c);
					int len = sqlite3_column_bytes(st, c);
					if (b && len > 0)
						row.values[c].assign(static_cast<const char *>(b), static_cast<size_t>(len));
				}
				else
				{
					const unsigned char * txt = sqlite3_column_text(st, c);
					int len = sqlite3_column_bytes(st, c);
					if (txt && len > 0)
						row.values[c].assign(reinterpret_cast<const char *>(txt), static_cast<size_t>(len));
				}
			}
			rows.push_back(std::move(row));
		}
		return rows;
	}

	void execScript(const std::string & sql) override
	{
		char * err = nullptr;
		if (sqlite3_exec(_db, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK)
		{
			std::string msg = err ? err : "unknown error";
			sqlite3_free(err);
			throw StoreError("sqlite: " + msg + " in: " + sql.substr(0, 200));
		}
	}

	int64_t changes() override { return sqlite3_changes64(_db); }
	bool healthy() override { return _db != nullptr && sqlite3_get_autocommit(_db) != 0; }

private:
	sqlite3_stmt * prepare(const std::string & sql)
	{
		auto it = _cache.find(sql);
		if (it != _cache.end())
			return it->second;
		sqlite3_stmt * st = nullptr;
		if (sqlite3_prepare_v2(_db, sql.c_str(), static_cast<int>(sql.size()), &st, nullptr) != SQLITE_OK)
			fail("prepare", sql);
		_cache.emplace(sql, st);
		return st;
	}

	[[noreturn]] void fail(const char * what, const std::string & sql)
	{
		throw StoreError(std::string("sqlite ") + what + ": " + sqlite3_errmsg(_db) + " in: " + sql.substr(0, 200));
	}

	sqlite3 * _db = nullptr;
	std::unordered_map<std::string, sqlite3_stmt *> _cache;
};

// ---------------------------------------------------------------------------------------------
constexpr Oid kByteaOid = 17;

std::string decodeBytea(const char * v, size_t len)
{
	// Text-format bytea is hex ("\x0a1b...") since PostgreSQL 9.0.
	std::string out;
	if (len >= 2 && v[0] == '\\' && v[1] == 'x')
	{
		out.reserve((len - 2) / 2);
		auto hex = [](char c) -> int {
			if (c >= '0' && c <= '9') return c - '0';
			if (c >= 'a' && c <= 'f') return c - 'a' + 10;
			if (c >= 'A' && c <= 'F') return c - 'A' + 10;
			return 0;
		};
		for (size_t i = 2; i + 1 < len; i += 2)
			out.push_back(static_cast<char>((hex(v[i]) << 4) | hex(v[i + 1])));
		return out;
	}
	size_t outLen = 0;
	unsigned char * raw = PQunescapeBytea(reinterpret_cast<const unsigned char *>(v), &outLen);
	if (raw)
	{
		out.assign(reinterpret_cast<char *>(raw), outLen);
		PQfreemem(raw);
	}
	return out;
}

class PgConnection : public DbConnection
{
public:
	explicit PgConnection(const std::string & dsn)
	{
		_conn = PQconnectdb(dsn.c_str());
		if (!_conn || PQstatus(_conn) != CONNECTION_OK)
		{
			std::string msg = _conn ? PQerrorMessage(_conn) : "out of memory";
			if (_conn)
				PQfinish(_conn);
			_conn = nullptr;
			throw StoreError("postgresql: cannot connect: " + msg);
		}
		PGresult * r = PQexec(_conn, "SET client_min_messages TO WARNING");
		PQclear(r);
	}

	~PgConnection() override
	{
		if (_conn)
			PQfinish(_conn);
	}

	DbRows query(const std::string & sql, const DbParams & params) override
	{
		std::string pgSql = translate(sql);
		std::vector<std::string> texts(params.size());
		std::vector<const char *> values(params.size(), nullptr);
		std::vector<int> lengths(params.size(), 0);
		std::vector<int> formats(params.size(), 0);
		for (size_t i = 0; i < params.size(); ++i)
		{
			const DbValue & v = params[i];
			switch (v.kind)
			{
			case DbValue::Kind::Null: break;
			case DbValue::Kind::Int: texts[i] = std::to_string(v.i); values[i] = texts[i].c_str(); break;
			case DbValue::Kind::Real:
			{
				char buf[64];
				std::snprintf(buf, sizeof buf, "%.17g", v.d);
				texts[i] = buf;
				values[i] = texts[i].c_str();
				break;
			}
			case DbValue::Kind::Text: values[i] = v.s.c_str(); break;
			case DbValue::Kind::Blob:
				values[i] = v.s.data();
				lengths[i] = static_cast<int>(v.s.size());
				formats[i] = 1;
				break;
			}
		}
		PGresult * res = PQexecParams(_conn, pgSql.c_str(), static_cast<int>(params.size()), nullptr, values.data(),
			lengths.data(), formats.data(), 0);
		struct Clear
		{
			PGresult * r;
			~Clear() { PQclear(r); }
		} clear{res};
		ExecStatusType st = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
		if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK)
			throw StoreError(std::string("postgresql: ") + (res ? PQresultErrorMessage(res) : PQerrorMessage(_conn)) +
				" in: " + sql.substr(0, 200));
		const char * tuples = PQcmdTuples(res);
		_changes = (tuples && *tuples) ? std::strtoll(tuples, nullptr, 10) : 0;
		DbRows rows;
		int nr = PQntuples(res);
		int nc = PQnfields(res);
		rows.reserve(nr);
		for (int r = 0; r < nr; ++r)
		{
			DbRow row;
			row.values.resize(nc);
			row.nulls.resize(nc);
			for (int c = 0; c < nc; ++c)
			{
				if (PQgetisnull(res, r, c))
				{
					row.nulls[c] = true;
					continue;
				}
				const char * v = PQgetvalue(res, r, c);
				size_t len = static_cast<size_t>(PQgetlength(res, r, c));
				if (PQftype(res, c) == kByteaOid)
					row.values[c] = decodeBytea(v, len);
				else
					row.values[c].assign(v, len);
			}
			rows.push_back(std::move(row));
		}
		return rows;
	}

	void execScript(const std::string & sql) override
	{
		PGresult * res = PQexec(_conn, sql.c_str());
		ExecStatusType st = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
		std::string msg = res ? PQresultErrorMessage(res) : PQerrorMessage(_conn);
		PQclear(res);
		if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK)
			throw StoreError("postgresql: " + msg + " in: " + sql.substr(0, 200));
	}

	int64_t changes() override { return _changes; }
	bool healthy() override
	{
		return _conn && PQstatus(_conn) == CONNECTION_OK && PQtransactionStatus(_conn) == PQTRANS_IDLE;
	}

private:
	/// `?` -> `$n`. The store's SQL never has a `?` inside a literal.
	static std::string translate(const std::string & sql)
	{
		std::string out;
		out.reserve(sql.size() + 16);
		int n = 0;
		for (char c : sql)
		{
			if (c == '?')
				out += "$" + std::to_string(++n);
			else
				out.push_back(c);
		}
		return out;
	}

	PGconn * _conn = nullptr;
	int64_t _changes = 0;
};

} // namespace

std::unique_ptr<DbConnection> openSqlite(const std::string & path)
{
	return std::make_unique<SqliteConnection>(path);
}

std::unique_ptr<DbConnection> openPostgres(const std::string & dsn)
{
	return std::make_unique<PgConnection>(dsn);
}

} // namespace ccc::store
