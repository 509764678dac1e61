#include "store/Db.h"

#include <atomic>
#include <cctype>
#include <cstdlib>
#include <cstdio>
#include <cstring>
#include <deque>
#include <mutex>
#include <unordered_map>

#include <Poco/Data/LOB.h>
#include <Poco/Data/PostgreSQL/Connector.h>
#include <Poco/Data/PostgreSQL/SessionImpl.h>
#include <Poco/Data/RecordSet.h>
#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>
#include <Poco/Exception.h>
#include <Poco/Nullable.h>

#include <libpq-fe.h>

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

DbRows DbConnection::queryBatch(const std::string & sql, const std::vector<DbParams> & rows)
{
	DbRows out;
	for (const auto & p : rows)
	{
		DbRows r = query(sql, p);
		for (auto & row : r)
			out.push_back(std::move(row));
	}
	return out;
}

namespace
{

namespace PD = Poco::Data;

void registerConnectors()
{
	static std::once_flag once;
	std::call_once(once, [] {
		PD::SQLite::Connector::registerConnector();
		PD::PostgreSQL::Connector::registerConnector();
	});
}

/// The first word of a statement, upper-cased ("BEGIN", "INSERT", ...).
std::string firstKeyword(const std::string & sql)
{
	size_t i = 0;
	while (i < sql.size() && std::isspace(static_cast<unsigned char>(sql[i])))
		++i;
	std::string w;
	while (i < sql.size() && std::isalpha(static_cast<unsigned char>(sql[i])))
		w.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(sql[i++]))));
	return w;
}

/// Splits a script at the ';' that end statements (not inside '...', "..." or $tag$...$tag$).
std::vector<std::string> splitScript(const std::string & sql)
{
	std::vector<std::string> out;
	std::string cur;
	size_t i = 0;
	auto flush = [&] {
		size_t b = cur.find_first_not_of(" \t\r\n");
		if (b != std::string::npos)
			out.push_back(cur.substr(b));
		cur.clear();
	};
	while (i < sql.size())
	{
		char c = sql[i];
		if (c == '\'' || c == '"')
		{
			size_t end = sql.find(c, i + 1);
			end = end == std::string::npos ? sql.size() : end + 1;
			cur.append(sql, i, end - i);
			i = end;
		}
		else if (c == '$')
		{
			size_t close = sql.find('$', i + 1);
			std::string tag = close == std::string::npos ? std::string() : sql.substr(i, close - i + 1);
			bool isTag = !tag.empty() && tag.find_first_not_of("$_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") ==
				std::string::npos;
			if (isTag)
			{
				size_t end = sql.find(tag, close + 1);
				end = end == std::string::npos ? sql.size() : end + tag.size();
				cur.append(sql, i, end - i);
				i = end;
			}
			else
				cur.push_back(sql[i++]);
		}
		else if (c == ';')
		{
			flush();
			++i;
		}
		else
			cur.push_back(sql[i++]);
	}
	flush();
	return out;
}

/// `?` -> `$n` for PostgreSQL. The store's SQL never has a `?` inside a literal.
std::string toDollarPlaceholders(const std::string & sql)
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

std::string formatReal(double d)
{
	char buf[64];
	std::snprintf(buf, sizeof buf, "%.17g", d);
	return buf;
}

/// Poco::Data parses a PostgreSQL connection string as space-separated key=value pairs and
/// rebuilds it; a URI is handed to libpq whole through dbname, which libpq expands.
std::string pocoPostgresDsn(const std::string & dsn)
{
	if (dsn.rfind("postgresql://", 0) == 0 || dsn.rfind("postgres://", 0) == 0)
		return "dbname=" + dsn;
	return dsn;
}

std::atomic<uint64_t> gPgChecks{0};
std::atomic<uint64_t> gPgRefused{0};
std::atomic<uint64_t> gPgPocoConnects{0};
std::atomic<uint64_t> gPgBrokenFinished{0};

/// Where a DSN points, for error messages: host and port only, since the DSN may hold a password.
/// Empty fields are shown as libpq fills them (environment, then its defaults).
std::string postgresWhere(const std::string & dsn, std::string & parseError)
{
	std::string host;
	std::string hostaddr;
	std::string port;
	char * err = nullptr;
	if (PQconninfoOption * opts = PQconninfoParse(dsn.c_str(), &err))
	{
		for (const PQconninfoOption * o = opts; o->keyword; ++o)
		{
			if (!o->val || !*o->val)
				continue;
			if (std::strcmp(o->keyword, "host") == 0)
				host = o->val;
			else if (std::strcmp(o->keyword, "hostaddr") == 0)
				hostaddr = o->val;
			else if (std::strcmp(o->keyword, "port") == 0)
				port = o->val;
		}
		PQconninfoFree(opts);
	}
	if (err)
	{
		parseError = err;
		PQfreemem(err);
	}
	if (host.empty())
		host = hostaddr;
	if (host.empty())
		if (const char * e = std::getenv("PGHOST"); e && *e)
			host = e;
	if (port.empty())
		if (const char * e = std::getenv("PGPORT"); e && *e)
			port = e;
	return "host " + (host.empty() ? std::string("default Unix socket") : host) + ", port " +
		(port.empty() ? std::string("5432") : port);
}

/// libpq's multi-line messages on one line, without the trailing newline.
std::string oneLine(const char * msg)
{
	std::string out;
	for (const char * p = msg ? msg : ""; *p; ++p)
	{
		if (*p == '\n' || *p == '\t')
		{
			if (!out.empty() && out.back() != ' ')
				out.push_back(' ');
		}
		else
			out.push_back(*p);
	}
	while (!out.empty() && out.back() == ' ')
		out.pop_back();
	return out;
}

/// POCO 1.11's PostgreSQL SessionHandle::connect throws without PQfinish when PQconnectdb fails,
/// leaking the PGconn (~35 KB) of every failed attempt, and the log writer retries through an
/// outage. So libpq checks first, with calls that free what they allocate: PQping (no
/// authentication: is anything answering?), then a real connection, closed again. Poco only gets
/// a DSN that has just connected; the connection is opened twice, but only when the store's pool
/// needs a new one.
void checkPostgres(const std::string & dsn)
{
	++gPgChecks;
	std::string parseError;
	const std::string where = postgresWhere(dsn, parseError);
	std::string why;
	switch (PQping(dsn.c_str()))
	{
	case PQPING_OK: break;
	case PQPING_REJECT:
		why = "server not accepting connections (" + where + "): starting up, shutting down or in recovery";
		break;
	case PQPING_NO_RESPONSE:
		why = "server unreachable (" + where + "): is it running and accepting TCP/IP connections there?";
		break;
	case PQPING_NO_ATTEMPT:
	default:
		why = "invalid postgres_dsn" + (parseError.empty() ? std::string() : ": " + oneLine(parseError.c_str()));
		break;
	}
	if (why.empty())
	{
		PGconn * c = PQconnectdb(dsn.c_str());
		if (!c)
			why = "out of memory in libpq";
		else if (PQstatus(c) != CONNECTION_OK)
			why = "server refused the connection (" + where + "): " + oneLine(PQerrorMessage(c));
		PQfinish(c);
	}
	if (!why.empty())
	{
		++gPgRefused;
		throw StoreError("postgresql: cannot connect: " + why);
	}
}

/// POCO 1.11's SessionHandle::disconnect() calls PQfinish only while PQstatus is CONNECTION_OK,
/// so a connection that broke (server restarted, network cut) leaks its PGconn when the pool
/// drops it: once per broken connection per outage, ~35 KB each. Poco offers no way to free it,
/// so the handle's private pointer is reached the one standard way (an explicit instantiation
/// may name a private member) and a broken connection is finished and nulled before Poco closes
/// the session (its disconnect() then skips the null pointer). Should Poco rename the member,
/// this fails to compile rather than misbehave.
PGconn * PD::PostgreSQL::SessionHandle::*pgConnMember();
template <PGconn * PD::PostgreSQL::SessionHandle::*Member>
struct PgConnMember
{
	friend PGconn * PD::PostgreSQL::SessionHandle::*pgConnMember() { return Member; }
};
template struct PgConnMember<&PD::PostgreSQL::SessionHandle::_pConnection>;

void finishBrokenPostgres(PD::Session & session)
{
	auto * impl = dynamic_cast<PD::PostgreSQL::SessionImpl *>(session.impl());
	if (!impl)
		return;
	PD::PostgreSQL::SessionHandle & handle = impl->handle();
	Poco::FastMutex::ScopedLock lock(handle.mutex());
	PGconn *& conn = handle.*pgConnMember();
	if (conn && PQstatus(conn) != CONNECTION_OK)
	{
		PQfinish(conn);
		conn = nullptr;
		++gPgBrokenFinished;
	}
}

/// One connection of either backend on Poco::Data. Statements are prepared once per (SQL,
/// parameter kinds) and re-executed with new values; results are read through a RecordSet.
class PocoConnection : public DbConnection
{
public:
	PocoConnection(bool postgres, const std::string & target) : _postgres(postgres)
	{
		registerConnectors();
		try
		{
			if (_postgres)
			{
				checkPostgres(target);
				++gPgPocoConnects;
				_session = std::make_unique<PD::Session>(PD::PostgreSQL::Connector::KEY, pocoPostgresDsn(target));
				runOne("SET client_min_messages TO WARNING", false);
			}
			else
			{
				// The login timeout of a SQLite session is its busy timeout (seconds): writers
				// wait for each other (writer thread, retention, a second process) instead of
				// failing with SQLITE_BUSY.
				_session = std::make_unique<PD::Session>(PD::SQLite::Connector::KEY, target, 10);
			}
		}
		catch (const StoreError &)
		{
			throw;
		}
		catch (const Poco::Exception & e)
		{
			throw StoreError(std::string(backend()) + ": cannot " + (_postgres ? "connect" : "open " + target) + ": " +
				e.displayText());
		}
	}

	~PocoConnection() override
	{
		try
		{
			_cache.clear();
			if (_session && _postgres)
				finishBrokenPostgres(*_session);
			if (_session)
				_session->close();
		}
		catch (...)
		{
		}
	}

	DbRows query(const std::string & sql, const DbParams & params) override
	{
		std::string kinds;
		kinds.reserve(params.size());
		for (const DbValue & v : params)
			kinds.push_back(kindCode(v));
		std::string key = sql;
		key.push_back('\0');
		key += kinds;
		auto it = _cache.find(key);
		if (it == _cache.end())
		{
			if (_cache.size() >= kMaxCached)
				_cache.clear();
			it = _cache.emplace(key, prepare(sql, kinds)).first;
		}
		Prepared & p = *it->second;
		for (size_t i = 0; i < params.size(); ++i)
		{
			const DbValue & v = params[i];
			Slot & s = p.slots[i];
			switch (kinds[i])
			{
			case 'I': s.i = v.i; break;
			case 'R': s.d = v.d; break;
			case 'T': s.s = v.s; break;
			case 'B': s.b.assignRaw(reinterpret_cast<const unsigned char *>(v.s.data()), v.s.size()); break;
			default: break;
			}
		}
		std::size_t affected = 0;
		try
		{
			affected = p.stmt->execute();
		}
		catch (...)
		{
			// A statement that failed half-way cannot be executed again: prepare it anew next time.
			_cache.erase(it);
			rethrowAsStoreError(sql);
		}
		noteTransaction(sql);
		std::string kw = firstKeyword(sql);
		if (kw == "INSERT" || kw == "UPDATE" || kw == "DELETE")
			_changes = static_cast<int64_t>(affected);
		DbRows rows;
		if (p.stmt->columnsExtracted() > 0)
		{
			try
			{
				readRows(*p.stmt, rows);
			}
			catch (...)
			{
				_cache.erase(it);
				rethrowAsStoreError(sql);
			}
		}
		return rows;
	}

	/// SQLite: Poco::Data 1.11 prepares a SQLite statement again at every execute(), a visible
	/// share of the writer's cost for a 34-column INSERT. Bound to one vector per column, the
	/// statement is prepared once and stepped for every row of the batch. PostgreSQL statements
	/// stay prepared between executions (and its Poco binder takes no vectors): one query per row.
	DbRows queryBatch(const std::string & sql, const std::vector<DbParams> & rows) override
	{
		if (_postgres || rows.size() < 2)
			return DbConnection::queryBatch(sql, rows);
		const size_t ncols = rows[0].size();
		std::string kinds(ncols, 'N');
		for (const auto & r : rows)
		{
			if (r.size() != ncols)
				return DbConnection::queryBatch(sql, rows);
			for (size_t i = 0; i < ncols; ++i)
			{
				char k = kindCode(r[i]);
				if (k == 'N')
					continue;
				if (kinds[i] == 'N')
					kinds[i] = k == 'E' ? 'T' : k;
				else if (kinds[i] != (k == 'E' ? 'T' : k))
					return DbConnection::queryBatch(sql, rows); // one column, two kinds
			}
		}
		for (size_t i = 0; i < ncols; ++i)
			for (const auto & r : rows)
				if (kinds[i] == 'T' && r[i].kind == DbValue::Kind::Blob && r[i].s.empty())
					kinds[i] = 'X'; // empty blobs among texts: as text '' (see kindCode)
		using PD::Keywords::use;
		std::deque<std::vector<Poco::Nullable<Poco::Int64>>> ints;
		std::deque<std::vector<Poco::Nullable<double>>> reals;
		std::deque<std::vector<Poco::Nullable<std::string>>> texts;
		std::deque<std::vector<Poco::Nullable<PD::BLOB>>> blobs;
		DbRows out;
		try
		{
			PD::Statement stmt(*_session);
			stmt << sql;
			for (size_t i = 0; i < ncols; ++i)
			{
				switch (kinds[i])
				{
				case 'R':
				{
					auto & v = reals.emplace_back();
					v.reserve(rows.size());
					for (const auto & r : rows)
						v.push_back(r[i].kind == DbValue::Kind::Null ? Poco::Nullable<double>() : Poco::Nullable<double>(r[i].d));
					stmt.addBind(use(v));
					break;
				}
				case 'T':
				case 'X':
				{
					auto & v = texts.emplace_back();
					v.reserve(rows.size());
					for (const auto & r : rows)
						v.push_back(r[i].kind == DbValue::Kind::Null ? Poco::Nullable<std::string>()
																	: Poco::Nullable<std::string>(r[i].s));
					stmt.addBind(use(v));
					break;
				}
				case 'B':
				{
					auto & v = blobs.emplace_back();
					v.reserve(rows.size());
					for (const auto & r : rows)
						v.push_back(r[i].kind == DbValue::Kind::Null
								? Poco::Nullable<PD::BLOB>()
								: Poco::Nullable<PD::BLOB>(
									  PD::BLOB(reinterpret_cast<const unsigned char *>(r[i].s.data()), r[i].s.size())));
					stmt.addBind(use(v));
					break;
				}
				default: // 'I', or NULL in every row
				{
					auto & v = ints.emplace_back();
					v.reserve(rows.size());
					for (const auto & r : rows)
						v.push_back(r[i].kind == DbValue::Kind::Int ? Poco::Nullable<Poco::Int64>(r[i].i)
																	: Poco::Nullable<Poco::Int64>());
					stmt.addBind(use(v));
					break;
				}
				}
			}
			std::size_t affected = stmt.execute();
			std::string kw = firstKeyword(sql);
			if (kw == "INSERT" || kw == "UPDATE" || kw == "DELETE")
				_changes = static_cast<int64_t>(affected);
			if (stmt.columnsExtracted() > 0)
				readRows(stmt, out);
		}
		catch (...)
		{
			rethrowAsStoreError(sql);
		}
		return out;
	}

	void execScript(const std::string & sql) override
	{
		for (const std::string & one : splitScript(sql))
			runOne(one, true);
	}

	int64_t changes() override { return _changes; }

	bool healthy() override
	{
		try
		{
			return _session && _session->isConnected() && !_inTransaction;
		}
		catch (...)
		{
			return false;
		}
	}

private:
	static constexpr size_t kMaxCached = 128;

	/// Storage the bindings of a prepared statement refer to (one per `?`).
	struct Slot
	{
		Poco::Int64 i = 0;
		double d = 0;
		std::string s;
		PD::BLOB b;
	};

	struct Prepared
	{
		std::vector<Slot> slots; // sized once: the bindings hold references into it
		std::unique_ptr<PD::Statement> stmt;
	};

	const char * backend() const { return _postgres ? "postgresql" : "sqlite"; }

	/// N(ull), I(nt), R(eal), T(ext), B(lob), E(mpty blob). Poco hands an empty BLOB to both
	/// drivers as a null pointer, which they store as NULL; an empty blob is bound as the empty
	/// text instead (SQLite keeps a zero-length value, PostgreSQL reads '' as an empty bytea).
	static char kindCode(const DbValue & v)
	{
		switch (v.kind)
		{
		case DbValue::Kind::Null: return 'N';
		case DbValue::Kind::Int: return 'I';
		case DbValue::Kind::Real: return 'R';
		case DbValue::Kind::Text: return 'T';
		case DbValue::Kind::Blob: return v.s.empty() ? 'E' : 'B';
		}
		return 'N';
	}

	std::unique_ptr<Prepared> prepare(const std::string & sql, const std::string & kinds)
	{
		using PD::Keywords::use;
		static const std::string kEmpty;
		auto p = std::make_unique<Prepared>();
		p->slots.resize(kinds.size());
		try
		{
			p->stmt = std::make_unique<PD::Statement>(*_session);
			*p->stmt << (_postgres ? toDollarPlaceholders(sql) : sql);
			for (size_t i = 0; i < kinds.size(); ++i)
			{
				Slot & s = p->slots[i];
				switch (kinds[i])
				{
				case 'I': p->stmt->addBind(use(s.i)); break;
				case 'R': p->stmt->addBind(use(s.d)); break;
				case 'T': p->stmt->addBind(use(s.s)); break;
				case 'B': p->stmt->addBind(use(s.b)); break;
				case 'E': p->stmt->addBind(PD::Keywords::useRef(kEmpty)); break;
				default: p->stmt->addBind(use(PD::Keywords::null)); break;
				}
			}
		}
		catch (...)
		{
			rethrowAsStoreError(sql);
		}
		return p;
	}

	/// One parameterless statement, not cached (DDL, pragmas, transaction control).
	void runOne(const std::string & sql, bool track)
	{
		try
		{
			PD::Statement stmt(*_session);
			stmt << sql;
			stmt.execute();
		}
		catch (...)
		{
			// A ROLLBACK with no transaction open leaves the connection clean.
			if (track && _inTransaction && firstKeyword(sql) == "ROLLBACK")
			{
				try
				{
					throw;
				}
				catch (const Poco::Exception & e)
				{
					if (e.displayText().find("no transaction is active") != std::string::npos)
						_inTransaction = false;
				}
				catch (...)
				{
				}
			}
			rethrowAsStoreError(sql);
		}
		if (track)
			noteTransaction(sql);
	}

	/// Tracks whether a transaction is open (healthy() is false inside one): BEGIN opens it, a
	/// successful COMMIT/END/ROLLBACK closes it; a failed one leaves it open.
	void noteTransaction(const std::string & sql)
	{
		std::string kw = firstKeyword(sql);
		if (kw == "BEGIN" || kw == "START")
			_inTransaction = true;
		else if (kw == "COMMIT" || kw == "END" || kw == "ROLLBACK")
			_inTransaction = false;
	}

	/// Every value as its text (numbers in decimal) or its raw bytes (BLOB/BYTEA).
	static void readRows(PD::Statement & stmt, DbRows & rows)
	{
		PD::RecordSet rs(stmt);
		size_t nc = rs.columnCount();
		size_t nr = rs.rowCount();
		rows.resize(nr);
		for (size_t r = 0; r < nr; ++r)
		{
			rows[r].values.resize(nc);
			rows[r].nulls.resize(nc);
		}
		for (size_t c = 0; c < nc; ++c)
		{
			PD::MetaColumn::ColumnDataType type = rs.columnType(c);
			for (size_t r = 0; r < nr; ++r)
			{
				DbRow & row = rows[r];
				if (rs.isNull(c, r))
				{
					row.nulls[c] = true;
					continue;
				}
				std::string & out = row.values[c];
				switch (type)
				{
				case PD::MetaColumn::FDT_STRING: out = rs.value<std::string>(c, r); break;
				case PD::MetaColumn::FDT_BLOB:
				{
					const PD::BLOB & b = rs.value<PD::BLOB>(c, r);
					if (b.size() > 0)
						out.assign(reinterpret_cast<const char *>(b.rawContent()), b.size());
					break;
				}
				case PD::MetaColumn::FDT_CLOB:
				{
					const PD::CLOB & b = rs.value<PD::CLOB>(c, r);
					if (b.size() > 0)
						out.assign(b.rawContent(), b.size());
					break;
				}
				case PD::MetaColumn::FDT_INT64: out = std::to_string(rs.value<Poco::Int64>(c, r)); break;
				case PD::MetaColumn::FDT_UINT64: out = std::to_string(rs.value<Poco::UInt64>(c, r)); break;
				case PD::MetaColumn::FDT_INT32: out = std::to_string(rs.value<Poco::Int32>(c, r)); break;
				case PD::MetaColumn::FDT_UINT32: out = std::to_string(rs.value<Poco::UInt32>(c, r)); break;
				case PD::MetaColumn::FDT_INT16: out = std::to_string(rs.value<Poco::Int16>(c, r)); break;
				case PD::MetaColumn::FDT_UINT16: out = std::to_string(rs.value<Poco::UInt16>(c, r)); break;
				case PD::MetaColumn::FDT_INT8: out = std::to_string(rs.value<Poco::Int8>(c, r)); break;
				case PD::MetaColumn::FDT_UINT8: out = std::to_string(rs.value<Poco::UInt8>(c, r)); break;
				case PD::MetaColumn::FDT_BOOL: out = rs.value<bool>(c, r) ? "1" : "0"; break;
				case PD::MetaColumn::FDT_DOUBLE: out = formatReal(rs.value<double>(c, r)); break;
				case PD::MetaColumn::FDT_FLOAT: out = formatReal(rs.value<float>(c, r)); break;
				default: out = rs.value(c, r).convert<std::string>(); break;
				}
			}
		}
	}

	[[noreturn]] void rethrowAsStoreError(const std::string & sql) const
	{
		try
		{
			throw;
		}
		catch (const StoreError &)
		{
			throw;
		}
		catch (const Poco::Exception & e)
		{
			throw StoreError(std::string(backend()) + ": " + e.displayText() + " in: " + sql.substr(0, 200));
		}
		catch (const std::exception & e)
		{
			throw StoreError(std::string(backend()) + ": " + e.what() + " in: " + sql.substr(0, 200));
		}
	}

	bool _postgres;
	std::unique_ptr<PD::Session> _session;
	std::unordered_map<std::string, std::unique_ptr<Prepared>> _cache;
	int64_t _changes = 0;
	bool _inTransaction = false;
};

} // namespace

std::unique_ptr<DbConnection> openSqlite(const std::string & path)
{
	return std::make_unique<PocoConnection>(false, path);
}

std::unique_ptr<DbConnection> openPostgres(const std::string & dsn)
{
	return std::make_unique<PocoConnection>(true, dsn);
}

PostgresOpenCounts postgresOpenCounts()
{
	PostgresOpenCounts c;
	c.checks = gPgChecks.load();
	c.refused = gPgRefused.load();
	c.poco_connects = gPgPocoConnects.load();
	c.broken_finished = gPgBrokenFinished.load();
	return c;
}

} // namespace ccc::store
