#include <algorithm>
#include <chrono>
#include <climits>
#include <cmath>
#include <cstring>
#include <deque>
#include <filesystem>
#include <future>
#include <map>
#include <mutex>
#include <thread>

#include <nlohmann/json.hpp>

#include "store/BodyPolicy.h"
#include "store/BodyStore.h"
#include "store/LogStore.h"

namespace ccc::store
{

// ---------------------------------------------------------------------------------------------
// Shared retention logic (backend independent)

RetentionResult LogStore::applyRetention(int64_t days, int64_t maxBytes, int64_t nowMs, const std::atomic<bool> * stop,
	int batch)
{
	RetentionResult res;
	auto stopped = [&] { return stop && stop->load(); };
	int64_t cutoff = days <= 0 ? INT64_MAX : nowMs - days * 86400000LL;
	for (;;)
	{
		if (stopped())
			break;
		int64_t n = deleteOldestBatch(cutoff, batch);
		res.deleted_by_age += n;
		if (n < batch)
			break;
		// Let the writer thread's transactions in between our batches.
		std::this_thread::sleep_for(std::chrono::milliseconds(2));
	}
	deleteBreakerEventsBefore(days <= 0 ? INT64_MAX : cutoff);
	if (maxBytes > 0)
	{
		int64_t size = storageBytes();
		int64_t rows = size > maxBytes ? count(ListFilter{}) : 0;
		while (size > maxBytes && !stopped())
		{
			// Delete about as many of the oldest requests as the excess is worth (by the average
			// request size), never more than one batch per transaction.
			int64_t avg = std::max<int64_t>(1, size / std::max<int64_t>(1, rows));
			int64_t want = std::clamp<int64_t>((size - maxBytes) / avg + 1, 1, batch);
			int64_t n = deleteOldestBatch(INT64_MAX, static_cast<int>(want));
			rows -= n;
			res.deleted_by_size += n;
			if (n == 0)
				break;
			size = storageBytes();
			std::this_thread::sleep_for(std::chrono::milliseconds(2));
		}
	}
	if (res.deleted_by_age + res.deleted_by_size > 0)
		compact();
	res.bytes_after = storageBytes();
	return res;
}

int64_t LogStore::cleanup(int64_t days, int64_t nowMs)
{
	RetentionResult r = applyRetention(days, 0, nowMs, nullptr, 500);
	return r.deleted_by_age;
}

namespace
{

// ---------------------------------------------------------------------------------------------
// Schema

struct Dialect
{
	bool postgres = false;
	std::string id() const { return postgres ? "BIGSERIAL PRIMARY KEY" : "INTEGER PRIMARY KEY"; }
	std::string blob() const { return postgres ? "BYTEA" : "BLOB"; }
	std::string real() const { return postgres ? "DOUBLE PRECISION" : "REAL"; }
	std::string forUpdate() const { return postgres ? " FOR UPDATE" : ""; }
	std::string beginWrite() const { return postgres ? "BEGIN" : "BEGIN IMMEDIATE"; }
};

std::string fill(std::string sql, const Dialect & d)
{
	auto rep = [&](const std::string & from, const std::string & to) {
		size_t p = 0;
		while ((p = sql.find(from, p)) != std::string::npos)
		{
			sql.replace(p, from.size(), to);
			p += to.size();
		}
	};
	rep("{ID}", d.id());
	rep("{BLOB}", d.blob());
	rep("{REAL}", d.real());
	return sql;
}

std::string bodyCols(const std::string & p)
{
	return p + "_body {BLOB}, " + p + "_body_size BIGINT NOT NULL DEFAULT 0, " + p +
		"_body_flags INTEGER NOT NULL DEFAULT 0, ";
}

// Migration 1: requests and attempts. Never edit a shipped migration: add the next one.
std::vector<std::string> migration1()
{
	return {
		"CREATE TABLE requests (id {ID}, request_id TEXT NOT NULL, started_at_ms BIGINT NOT NULL, "
		"duration_ms BIGINT NOT NULL DEFAULT 0, ttfb_ms BIGINT NOT NULL DEFAULT -1, method TEXT NOT NULL DEFAULT '', "
		"path TEXT NOT NULL DEFAULT '', status INTEGER NOT NULL DEFAULT 0, outcome TEXT NOT NULL, "
		"error TEXT NOT NULL DEFAULT '', streaming INTEGER NOT NULL DEFAULT 0, tags TEXT NOT NULL DEFAULT '', "
		"model_requested TEXT NOT NULL DEFAULT '', thinking_type TEXT NOT NULL DEFAULT '', "
		"thinking_budget BIGINT NOT NULL DEFAULT -1, session_id TEXT NOT NULL DEFAULT '', "
		"user_agent TEXT NOT NULL DEFAULT '', final_endpoint_id TEXT NOT NULL DEFAULT '', "
		"final_endpoint_name TEXT NOT NULL DEFAULT '', input_tokens BIGINT NOT NULL DEFAULT -1, "
		"output_tokens BIGINT NOT NULL DEFAULT -1, cache_creation_tokens BIGINT NOT NULL DEFAULT -1, "
		"cache_read_tokens BIGINT NOT NULL DEFAULT -1, cost_usd {REAL} NOT NULL DEFAULT 0, "
		"attempt_count INTEGER NOT NULL DEFAULT 0, client_request_headers TEXT NOT NULL DEFAULT '[]', " +
			bodyCols("client_request") + "client_response_headers TEXT NOT NULL DEFAULT '[]', " +
			bodyCols("client_response") + "stored_bytes BIGINT NOT NULL DEFAULT 0)",
		"CREATE INDEX idx_requests_started ON requests (started_at_ms, id)",
		"CREATE INDEX idx_requests_request_id ON requests (request_id)",
		"CREATE INDEX idx_requests_session ON requests (session_id, started_at_ms)",
		"CREATE INDEX idx_requests_endpoint ON requests (final_endpoint_id, started_at_ms)",
		"CREATE INDEX idx_requests_model ON requests (model_requested, started_at_ms)",
		"CREATE TABLE attempts (id {ID}, request_row_id BIGINT NOT NULL, attempt_number INTEGER NOT NULL DEFAULT 1, "
		"endpoint_id TEXT NOT NULL DEFAULT '', endpoint_name TEXT NOT NULL DEFAULT '', "
		"endpoint_url TEXT NOT NULL DEFAULT '', started_at_ms BIGINT NOT NULL DEFAULT 0, "
		"duration_ms BIGINT NOT NULL DEFAULT 0, ttfb_ms BIGINT NOT NULL DEFAULT -1, status INTEGER NOT NULL DEFAULT 0, "
		"outcome TEXT NOT NULL, error TEXT NOT NULL DEFAULT '', streaming INTEGER NOT NULL DEFAULT 0, "
		"content_type_override TEXT NOT NULL DEFAULT '', model_sent TEXT NOT NULL DEFAULT '', "
		"input_tokens BIGINT NOT NULL DEFAULT -1, output_tokens BIGINT NOT NULL DEFAULT -1, "
		"cache_creation_tokens BIGINT NOT NULL DEFAULT -1, cache_read_tokens BIGINT NOT NULL DEFAULT -1, "
		"request_headers TEXT NOT NULL DEFAULT '[]', " +
			bodyCols("request") + "response_headers TEXT NOT NULL DEFAULT '[]', " + bodyCols("response") +
			"stored_bytes BIGINT NOT NULL DEFAULT 0)",
		"CREATE INDEX idx_attempts_request ON attempts (request_row_id)",
		"CREATE INDEX idx_attempts_endpoint ON attempts (endpoint_id, started_at_ms)",
		"CREATE INDEX idx_attempts_started ON attempts (started_at_ms)",
	};
}

// Migration 2: overload marker on requests, persisted endpoint statistics, breaker history.
std::vector<std::string> migration2()
{
	return {
		"ALTER TABLE requests ADD COLUMN bodies_shed INTEGER NOT NULL DEFAULT 0",
		"CREATE TABLE endpoint_stats (endpoint_id TEXT PRIMARY KEY, endpoint_name TEXT NOT NULL DEFAULT '', "
		"requests BIGINT NOT NULL DEFAULT 0, successes BIGINT NOT NULL DEFAULT 0, failures BIGINT NOT NULL DEFAULT 0, "
		"cancelled BIGINT NOT NULL DEFAULT 0, skipped BIGINT NOT NULL DEFAULT 0, "
		"input_tokens BIGINT NOT NULL DEFAULT 0, output_tokens BIGINT NOT NULL DEFAULT 0, "
		"cache_creation_tokens BIGINT NOT NULL DEFAULT 0, cache_read_tokens BIGINT NOT NULL DEFAULT 0, "
		"cost_usd {REAL} NOT NULL DEFAULT 0, last_success_at_ms BIGINT NOT NULL DEFAULT 0, "
		"last_failure_at_ms BIGINT NOT NULL DEFAULT 0, last_failure_error TEXT NOT NULL DEFAULT '', "
		"latency_hist TEXT NOT NULL DEFAULT '', updated_at_ms BIGINT NOT NULL DEFAULT 0)",
		"CREATE TABLE breaker_events (id {ID}, endpoint_id TEXT NOT NULL, endpoint_name TEXT NOT NULL DEFAULT '', "
		"at_ms BIGINT NOT NULL, state TEXT NOT NULL, reason TEXT NOT NULL DEFAULT '')",
		"CREATE INDEX idx_breaker_events_endpoint ON breaker_events (endpoint_id, at_ms)",
		"CREATE INDEX idx_breaker_events_at ON breaker_events (at_ms)",
	};
}

// Migration 3: bodies kept once per distinct content (store/BodyStore.h). Rows written before
// keep their bodies inline; a row has one or the other.
std::vector<std::string> migration3()
{
	return {
		"CREATE TABLE bodies (body_key TEXT PRIMARY KEY, size BIGINT NOT NULL, flags INTEGER NOT NULL DEFAULT 0, "
		"data {BLOB}, stored_bytes BIGINT NOT NULL DEFAULT 0, refs BIGINT NOT NULL DEFAULT 0)",
		"ALTER TABLE requests ADD COLUMN client_request_body_ref TEXT",
		"ALTER TABLE requests ADD COLUMN client_response_body_ref TEXT",
		"ALTER TABLE attempts ADD COLUMN request_body_ref TEXT",
		"ALTER TABLE attempts ADD COLUMN response_body_ref TEXT",
	};
}

std::vector<std::vector<std::string>> migrations()
{
	return {migration1(), migration2(), migration3()};
}

// ---------------------------------------------------------------------------------------------
// Encoding helpers

std::string headersToJson(const api::HeaderList & h)
{
	nlohmann::json a = nlohmann::json::array();
	for (const auto & kv : h)
		a.push_back({sanitizeUtf8(kv.first), sanitizeUtf8(kv.second)});
	return a.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

api::HeaderList headersFromJson(const std::string & s)
{
	api::HeaderList out;
	auto j = nlohmann::json::parse(s, nullptr, false);
	if (!j.is_array())
		return out;
	for (const auto & e : j)
		if (e.is_array() && e.size() == 2 && e[0].is_string() && e[1].is_string())
			out.emplace_back(e[0].get<std::string>(), e[1].get<std::string>());
	return out;
}

std::string tagsToText(const std::vector<std::string> & tags)
{
	if (tags.empty())
		return "";
	std::string s = "|";
	for (const auto & t : tags)
		s += sanitizeUtf8(t) + "|";
	return s;
}

std::vector<std::string> tagsFromText(const std::string & s)
{
	std::vector<std::string> out;
	size_t p = 0;
	while (p < s.size())
	{
		size_t q = s.find('|', p);
		if (q == std::string::npos)
			q = s.size();
		if (q > p)
			out.push_back(s.substr(p, q - p));
		p = q + 1;
	}
	return out;
}

std::string likeEscape(const std::string & s)
{
	std::string out;
	for (char c : s)
	{
		if (c == '%' || c == '_' || c == '\\')
			out.push_back('\\');
		out.push_back(c);
	}
	return out;
}

std::string lowerAscii(std::string s)
{
	for (auto & c : s)
		if (c >= 'A' && c <= 'Z')
			c = static_cast<char>(c - 'A' + 'a');
	return s;
}

/// Appends the (body, size, flags, ref) params of one body column group; returns the bytes the
/// row itself will hold. A body of kApartMinBytes or more goes to table `bodies` (through `refs`,
/// prepared by `bodies`) and the row keeps its key.
int64_t bindBody(DbParams & p, const api::CapturedBody & b, const BodyInfo & info, BodyStore & bodies,
	std::vector<BodyRef> & refs)
{
	int flags = 0;
	if (info.truncated)
		flags |= kBodyTruncated;
	if (info.omitted)
		flags |= kBodyOmitted;
	if (info.same_as_client)
	{
		p.push_back(DbValue::null());
		p.push_back(DbValue::integer(b.totalSize));
		p.push_back(DbValue::integer(flags | kBodySameAsClient));
		p.push_back(DbValue::null());
		return 0;
	}
	if (b.bytes.size() >= kApartMinBytes)
	{
		refs.push_back(bodies.prepare(b.bytes));
		p.push_back(DbValue::null());
		p.push_back(DbValue::integer(b.totalSize));
		p.push_back(DbValue::integer(flags | refs.back().flags));
		p.push_back(DbValue::text(refs.back().key));
		return 0;
	}
	std::string data = encodeBodyData(b.bytes, flags);
	auto n = static_cast<int64_t>(data.size());
	p.push_back(DbValue::blob(std::move(data)));
	p.push_back(DbValue::integer(b.totalSize));
	p.push_back(DbValue::integer(flags));
	p.push_back(DbValue::null());
	return n;
}

/// Reads the (body, size, flags, ref) columns starting at `col`: inline bytes, or the body kept
/// apart under the ref's key (a missing one reads as omitted; refs are counted, so only a store
/// edited by hand gets there).
void readBody(DbConnection & c, const DbRow & r, size_t col, api::CapturedBody & b, BodyInfo & info)
{
	int64_t flags = r.i64(col + 2);
	b.totalSize = r.i64(col + 1);
	info.truncated = (flags & kBodyTruncated) != 0;
	info.omitted = (flags & kBodyOmitted) != 0;
	info.compressed = (flags & (kBodyCompressed | kBodyZstd)) != 0;
	info.same_as_client = (flags & kBodySameAsClient) != 0;
	if (!r.isNull(col + 3))
	{
		auto apart = BodyStore::read(c, r.str(col + 3));
		if (apart)
		{
			b.bytes = std::move(apart->first);
			info.compressed = apart->second;
		}
		else
			info.omitted = true;
		return;
	}
	if (r.isNull(col))
		return;
	if (flags & kBodyZstd)
		b.bytes = zstdDecompress(r.str(col));
	else if (flags & kBodyCompressed)
		b.bytes = inflateBytes(r.str(col));
	else
		b.bytes = r.str(col);
}

api::Outcome outcomeOf(const std::string & s)
{
	api::Outcome o = api::Outcome::UpstreamError;
	api::outcomeFromName(s, o);
	return o;
}

int64_t nonNeg(int64_t v)
{
	return v < 0 ? 0 : v;
}

int64_t exactPercentile(std::vector<int64_t> & v, double p)
{
	if (v.empty())
		return 0;
	std::sort(v.begin(), v.end());
	auto rank = static_cast<size_t>(std::ceil(p / 100.0 * static_cast<double>(v.size())));
	if (rank < 1)
		rank = 1;
	return v[std::min(rank, v.size()) - 1];
}

// Request columns in the order used by list() (summary) and get() (full).
const char * const kSummaryCols =
	"id, request_id, started_at_ms, duration_ms, ttfb_ms, method, path, status, outcome, error, streaming, tags, "
	"model_requested, thinking_type, thinking_budget, session_id, user_agent, final_endpoint_id, final_endpoint_name, "
	"input_tokens, output_tokens, cache_creation_tokens, cache_read_tokens, cost_usd, attempt_count, bodies_shed, "
	"client_request_body_size, client_request_body_flags, client_response_body_size, client_response_body_flags";
constexpr size_t kSummaryColCount = 30;
const char * const kDetailCols =
	", client_request_headers, client_request_body, client_request_body_size, client_request_body_flags, "
	"client_request_body_ref, client_response_headers, client_response_body, client_response_body_size, "
	"client_response_body_flags, client_response_body_ref";

/// `c` reads bodies kept apart (detail only).
StoredRequest requestFromRow(const DbRow & r, DbConnection * c)
{
	StoredRequest s;
	auto & q = s.rec;
	s.row_id = r.i64(0);
	q.request_id = r.str(1);
	q.started_at_ms = r.i64(2);
	q.duration_ms = r.i64(3);
	q.ttfb_ms = r.i64(4, -1);
	q.method = r.str(5);
	q.path = r.str(6);
	q.status = static_cast<int>(r.i64(7));
	q.outcome = outcomeOf(r.str(8));
	q.error = r.str(9);
	q.streaming = r.i64(10) != 0;
	q.tags = tagsFromText(r.str(11));
	q.model_requested = r.str(12);
	q.thinking_type = r.str(13);
	q.thinking_budget = r.i64(14, -1);
	q.session_id = r.str(15);
	q.user_agent = r.str(16);
	q.final_endpoint_id = r.str(17);
	q.final_endpoint_name = r.str(18);
	q.usage.input_tokens = r.i64(19, -1);
	q.usage.output_tokens = r.i64(20, -1);
	q.usage.cache_creation_input_tokens = r.i64(21, -1);
	q.usage.cache_read_input_tokens = r.i64(22, -1);
	q.cost_usd = r.dbl(23);
	s.attempt_count = static_cast<int>(r.i64(24));
	s.bodies_shed = r.i64(25) != 0;
	q.client_request_body.totalSize = r.i64(26);
	s.client_request_body.truncated = (r.i64(27) & kBodyTruncated) != 0;
	s.client_request_body.omitted = (r.i64(27) & kBodyOmitted) != 0;
	s.client_request_body.compressed = (r.i64(27) & (kBodyCompressed | kBodyZstd)) != 0;
	q.client_response_body.totalSize = r.i64(28);
	s.client_response_body.truncated = (r.i64(29) & kBodyTruncated) != 0;
	s.client_response_body.omitted = (r.i64(29) & kBodyOmitted) != 0;
	s.client_response_body.compressed = (r.i64(29) & (kBodyCompressed | kBodyZstd)) != 0;
	if (c)
	{
		const size_t d = kSummaryColCount;
		q.client_request_headers = headersFromJson(r.str(d));
		readBody(*c, r, d + 1, q.client_request_body, s.client_request_body);
		q.client_response_headers = headersFromJson(r.str(d + 5));
		readBody(*c, r, d + 6, q.client_response_body, s.client_response_body);
	}
	return s;
}

const char * const kAttemptCols =
	"attempt_number, endpoint_id, endpoint_name, endpoint_url, started_at_ms, duration_ms, ttfb_ms, status, outcome, "
	"error, streaming, content_type_override, model_sent, input_tokens, output_tokens, cache_creation_tokens, "
	"cache_read_tokens, request_headers, request_body, request_body_size, request_body_flags, request_body_ref, "
	"response_headers, response_body, response_body_size, response_body_flags, response_body_ref";

// ---------------------------------------------------------------------------------------------
class SqlLogStore : public LogStore
{
public:
	using Factory = std::function<std::unique_ptr<DbConnection>()>;

	SqlLogStore(Dialect d, Factory f, std::string path) : _d(d), _factory(std::move(f)), _path(std::move(path)) {}

	const char * backendName() const override { return _d.postgres ? "postgresql" : "sqlite"; }

	/// Each step re-reads the version inside its own write transaction, so two processes opening
	/// the same store at once never run a migration twice (SQLite: BEGIN IMMEDIATE serialises
	/// them; PostgreSQL: an advisory lock around the whole upgrade).
	void migrate(int target)
	{
		Lease c(*this);
		if (_d.postgres)
			c->query("SELECT pg_advisory_lock(7243006)");
		try
		{
			auto all = migrations();
			for (bool first = true;; first = false)
			{
				c->execScript(_d.beginWrite());
				try
				{
					if (first)
						c->execScript("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
					auto rows = c->query("SELECT version FROM schema_version");
					if (rows.empty())
						c->query("INSERT INTO schema_version (version) VALUES (0)");
					int version = rows.empty() ? 0 : static_cast<int>(rows[0].i64(0));
					if (version > kSchemaVersion)
						throw StoreError("log store schema version " + std::to_string(version) +
							" is newer than this program supports (" + std::to_string(kSchemaVersion) + ")");
					int next = version + 1;
					if (next > target || next > static_cast<int>(all.size()))
					{
						c->execScript("COMMIT");
						break;
					}
					for (const auto & stmt : all[static_cast<size_t>(next - 1)])
						c->execScript(fill(stmt, _d));
					c->query("UPDATE schema_version SET version = ?", {DbValue::integer(next)});
					c->execScript("COMMIT");
				}
				catch (...)
				{
					rollback(*c);
					throw;
				}
			}
		}
		catch (...)
		{
			if (_d.postgres)
				c->query("SELECT pg_advisory_unlock(7243006)");
			throw;
		}
		if (_d.postgres)
			c->query("SELECT pg_advisory_unlock(7243006)");
	}

	int schemaVersion() override
	{
		Lease c(*this);
		auto rows = c->query("SELECT version FROM schema_version");
		return rows.empty() ? 0 : static_cast<int>(rows[0].i64(0));
	}

	void writeBatch(const std::vector<PreparedRecord> & records, const std::vector<EndpointStats> & statDeltas,
		const std::vector<BreakerEvent> & events) override
	{
		if (records.empty() && statDeltas.empty() && events.empty())
			return;
		// Encode (compress) everything before taking the write lock: the transaction only inserts.
		// Compression is most of the work; a large batch is split over two threads (the writer
		// otherwise uses one core of a machine that has more).
		std::vector<Encoded> encoded(records.size());
		const size_t split = records.size() >= 8 ? records.size() / 2 : records.size();
		auto encodeRange = [&](size_t from, size_t to) {
			for (size_t i = from; i < to; ++i)
				encoded[i] = encodeRecord(records[i]);
		};
		if (split < records.size())
		{
			auto second = std::async(std::launch::async, [&] {
				lowerThreadPriority(); // as low as the writer (see RequestLogger::writerLoop)
				encodeRange(split, records.size());
			});
			std::exception_ptr first;
			try
			{
				encodeRange(0, split);
			}
			catch (...)
			{
				first = std::current_exception();
			}
			second.get(); // rethrows the helper's failure
			if (first)
				std::rethrow_exception(first);
		}
		else
			encodeRange(0, records.size());
		std::vector<const BodyRef *> refs;
		for (const auto & e : encoded)
			for (const auto & r : e.bodies)
				refs.push_back(&r);
		Lease c(*this);
		c->execScript(_d.beginWrite());
		try
		{
			_bodies.addRefs(*c, refs);
			insertEncoded(*c, encoded);
			for (const auto & d : statDeltas)
				mergeStats(*c, d);
			for (const auto & e : events)
				c->query("INSERT INTO breaker_events (endpoint_id, endpoint_name, at_ms, state, reason) VALUES (?, ?, ?, ?, ?)",
					{DbValue::text(sanitizeUtf8(e.endpoint_id)), DbValue::text(sanitizeUtf8(e.endpoint_name)),
						DbValue::integer(e.at_ms), DbValue::text(sanitizeUtf8(e.state)), DbValue::text(sanitizeUtf8(e.reason))});
			c->execScript("COMMIT");
		}
		catch (...)
		{
			rollback(*c);
			throw;
		}
		_bodies.remember(refs);
	}

	ListPage list(const ListQuery & q) override
	{
		DbParams p;
		std::string where = whereClause(q.filter, p);
		if (!q.cursor.empty())
		{
			size_t colon = q.cursor.find(':');
			if (colon != std::string::npos)
			{
				int64_t ts = std::strtoll(q.cursor.c_str(), nullptr, 10);
				int64_t id = std::strtoll(q.cursor.c_str() + colon + 1, nullptr, 10);
				where += " AND (r.started_at_ms < ? OR (r.started_at_ms = ? AND r.id < ?))";
				p.push_back(DbValue::integer(ts));
				p.push_back(DbValue::integer(ts));
				p.push_back(DbValue::integer(id));
			}
		}
		int limit = std::clamp(q.limit, 1, 1000);
		std::string sql = std::string("SELECT ") + prefixed(kSummaryCols) + " FROM requests r WHERE " + where +
			" ORDER BY r.started_at_ms DESC, r.id DESC LIMIT " + std::to_string(limit + 1);
		Lease c(*this);
		auto rows = c->query(sql, p);
		ListPage page;
		for (size_t i = 0; i < rows.size() && static_cast<int>(i) < limit; ++i)
			page.items.push_back(requestFromRow(rows[i], nullptr));
		if (static_cast<int>(rows.size()) > limit && !page.items.empty())
		{
			const auto & last = page.items.back();
			page.next_cursor = std::to_string(last.rec.started_at_ms) + ":" + std::to_string(last.row_id);
		}
		return page;
	}

	int64_t count(const ListFilter & f) override
	{
		DbParams p;
		std::string where = whereClause(f, p);
		Lease c(*this);
		auto rows = c->query("SELECT COUNT(*) FROM requests r WHERE " + where, p);
		return rows.empty() ? 0 : rows[0].i64(0);
	}

	std::optional<StoredRequest> get(const std::string & requestId) override
	{
		Lease c(*this);
		auto rows = c->query(std::string("SELECT ") + kSummaryCols + kDetailCols +
				" FROM requests WHERE request_id = ? ORDER BY started_at_ms DESC, id DESC LIMIT 1",
			{DbValue::text(requestId)});
		if (rows.empty())
			return std::nullopt;
		StoredRequest s = requestFromRow(rows[0], &*c);
		auto arows = c->query(std::string("SELECT ") + kAttemptCols +
				" FROM attempts WHERE request_row_id = ? ORDER BY attempt_number, id",
			{DbValue::integer(s.row_id)});
		for (const auto & r : arows)
		{
			api::AttemptRecord a;
			a.attempt_number = static_cast<int>(r.i64(0));
			a.endpoint_id = r.str(1);
			a.endpoint_name = r.str(2);
			a.endpoint_url = r.str(3);
			a.started_at_ms = r.i64(4);
			a.duration_ms = r.i64(5);
			a.ttfb_ms = r.i64(6, -1);
			a.status = static_cast<int>(r.i64(7));
			a.outcome = outcomeOf(r.str(8));
			a.error = r.str(9);
			a.streaming = r.i64(10) != 0;
			a.content_type_override = r.str(11);
			a.model_sent = r.str(12);
			a.usage.input_tokens = r.i64(13, -1);
			a.usage.output_tokens = r.i64(14, -1);
			a.usage.cache_creation_input_tokens = r.i64(15, -1);
			a.usage.cache_read_input_tokens = r.i64(16, -1);
			a.request_headers = headersFromJson(r.str(17));
			BodyInfo reqInfo, respInfo;
			readBody(*c, r, 18, a.request_body, reqInfo);
			if (reqInfo.same_as_client)
			{
				a.request_body = s.rec.client_request_body;
				reqInfo.truncated = s.client_request_body.truncated;
				reqInfo.omitted = s.client_request_body.omitted;
			}
			a.response_headers = headersFromJson(r.str(22));
			readBody(*c, r, 23, a.response_body, respInfo);
			s.rec.attempts.push_back(std::move(a));
			s.attempt_bodies.emplace_back(reqInfo, respInfo);
		}
		return s;
	}

	std::vector<UsageSummary> usageByEndpoint(int64_t fromMs, int64_t toMs) override
	{
		DbParams p;
		std::string where = timeWhere("started_at_ms", fromMs, toMs, p);
		Lease c(*this);
		auto rows = c->query("SELECT endpoint_id, endpoint_name, outcome, duration_ms, input_tokens, output_tokens, "
							 "cache_creation_tokens, cache_read_tokens FROM attempts WHERE " + where + " ORDER BY id",
			p);
		std::map<std::string, UsageSummary> acc;
		std::map<std::string, std::vector<int64_t>> lat;
		for (const auto & r : rows)
		{
			api::Outcome o = outcomeOf(r.str(2));
			if (o == api::Outcome::SkippedOpenBreaker)
				continue;
			auto & u = acc[r.str(0)];
			u.key = r.str(0);
			if (!r.str(1).empty())
				u.name = r.str(1);
			u.requests++;
			if (o == api::Outcome::Success)
				u.successes++;
			else if (isFailureOutcome(o))
				u.failures++;
			lat[u.key].push_back(r.i64(3));
			u.input_tokens += nonNeg(r.i64(4));
			u.output_tokens += nonNeg(r.i64(5));
			u.cache_creation_tokens += nonNeg(r.i64(6));
			u.cache_read_tokens += nonNeg(r.i64(7));
		}
		DbParams p2;
		std::string where2 = timeWhere("started_at_ms", fromMs, toMs, p2);
		auto costs = c->query("SELECT final_endpoint_id, SUM(cost_usd) FROM requests WHERE " + where2 +
				" AND final_endpoint_id <> '' GROUP BY final_endpoint_id",
			p2);
		for (const auto & r : costs)
		{
			auto it = acc.find(r.str(0));
			if (it != acc.end())
				it->second.cost_usd = r.dbl(1);
		}
		return finish(acc, lat);
	}

	std::vector<UsageSummary> usageByModel(int64_t fromMs, int64_t toMs) override
	{
		DbParams p;
		std::string where = timeWhere("started_at_ms", fromMs, toMs, p);
		Lease c(*this);
		auto rows = c->query("SELECT model_requested, outcome, duration_ms, input_tokens, output_tokens, "
							 "cache_creation_tokens, cache_read_tokens, cost_usd FROM requests WHERE " + where + " ORDER BY id",
			p);
		std::map<std::string, UsageSummary> acc;
		std::map<std::string, std::vector<int64_t>> lat;
		for (const auto & r : rows)
		{
			auto & u = acc[r.str(0)];
			u.key = r.str(0);
			u.name = r.str(0);
			u.requests++;
			api::Outcome o = outcomeOf(r.str(1));
			if (o == api::Outcome::Success)
				u.successes++;
			else if (o != api::Outcome::ClientCancelled)
				u.failures++;
			lat[u.key].push_back(r.i64(2));
			u.input_tokens += nonNeg(r.i64(3));
			u.output_tokens += nonNeg(r.i64(4));
			u.cache_creation_tokens += nonNeg(r.i64(5));
			u.cache_read_tokens += nonNeg(r.i64(6));
			u.cost_usd += r.dbl(7);
		}
		return finish(acc, lat);
	}

	std::vector<EndpointStats> loadEndpointStats() override
	{
		Lease c(*this);
		auto rows = c->query(std::string("SELECT ") + kStatsCols + " FROM endpoint_stats ORDER BY endpoint_id");
		std::vector<EndpointStats> out;
		for (const auto & r : rows)
			out.push_back(statsFromRow(r));
		return out;
	}

	std::vector<BreakerEvent> breakerEvents(const std::string & endpointId, int limit) override
	{
		Lease c(*this);
		DbParams p;
		std::string sql = "SELECT endpoint_id, endpoint_name, at_ms, state, reason FROM breaker_events";
		if (!endpointId.empty())
		{
			sql += " WHERE endpoint_id = ?";
			p.push_back(DbValue::text(endpointId));
		}
		sql += " ORDER BY at_ms DESC, id DESC LIMIT " + std::to_string(std::clamp(limit, 1, 10000));
		std::vector<BreakerEvent> out;
		for (const auto & r : c->query(sql, p))
			out.push_back({r.str(0), r.str(1), r.i64(2), r.str(3), r.str(4)});
		return out;
	}

	int64_t storageBytes() override
	{
		Lease c(*this);
		if (_d.postgres)
		{
			auto rows = c->query("SELECT COALESCE(SUM(stored_bytes), 0) + (SELECT COALESCE(SUM(stored_bytes), 0) FROM bodies) "
								 "FROM requests");
			return rows.empty() ? 0 : rows[0].i64(0);
		}
		int64_t pages = c->query("PRAGMA page_count")[0].i64(0);
		int64_t freePages = c->query("PRAGMA freelist_count")[0].i64(0);
		int64_t pageSize = c->query("PRAGMA page_size")[0].i64(0);
		return (pages - freePages) * pageSize;
	}

	int64_t deleteOldestBatch(int64_t cutoffMs, int batch) override
	{
		Lease c(*this);
		c->execScript(_d.beginWrite());
		try
		{
			auto rows = c->query("SELECT id FROM requests WHERE started_at_ms < ? ORDER BY started_at_ms, id LIMIT ?",
				{DbValue::integer(cutoffMs), DbValue::integer(batch)});
			if (rows.empty())
			{
				c->execScript("COMMIT");
				return 0;
			}
			std::string ids;
			for (const auto & r : rows)
			{
				if (!ids.empty())
					ids += ",";
				ids += std::to_string(r.i64(0));
			}
			// The bodies these rows kept apart lose a reference each; the last one deletes them.
			std::vector<std::string> released;
			for (const std::string & refs : {"SELECT client_request_body_ref, client_response_body_ref FROM requests WHERE id IN (" + ids + ")",
					 "SELECT request_body_ref, response_body_ref FROM attempts WHERE request_row_id IN (" + ids + ")"})
				for (const auto & r : c->query(refs))
					for (size_t col = 0; col < 2; ++col)
						if (!r.isNull(col))
							released.push_back(r.str(col));
			BodyStore::release(*c, released);
			c->query("DELETE FROM attempts WHERE request_row_id IN (" + ids + ")");
			c->query("DELETE FROM requests WHERE id IN (" + ids + ")");
			c->execScript("COMMIT");
			return static_cast<int64_t>(rows.size());
		}
		catch (...)
		{
			rollback(*c);
			throw;
		}
	}

	void deleteBreakerEventsBefore(int64_t cutoffMs) override
	{
		Lease c(*this);
		c->query("DELETE FROM breaker_events WHERE at_ms < ?", {DbValue::integer(cutoffMs)});
	}

	/// The Go original kept endpoint statistics in <log_directory>/statistics.db (table
	/// endpoint_statistics, keyed by the same derived "ep-name-..." id as config::endpointId).
	/// When our endpoint_stats is still empty, its counters are carried over once. SQLite only;
	/// a missing or unreadable file is not an error (returns 0).
	int64_t importLegacyStatistics(const std::string & legacyPath)
	{
		if (_d.postgres)
			return 0;
		std::error_code ec;
		if (!std::filesystem::exists(legacyPath, ec))
			return 0;
		Lease c(*this);
		if (c->query("SELECT COUNT(*) FROM endpoint_stats")[0].i64(0) > 0)
			return 0;
		std::string quoted = "'";
		for (char ch : legacyPath)
			quoted += ch == '\'' ? std::string("''") : std::string(1, ch);
		quoted += "'";
		try
		{
			c->execScript("ATTACH DATABASE " + quoted + " AS legacy");
		}
		catch (const StoreError &)
		{
			return 0;
		}
		int64_t n = 0;
		try
		{
			auto t = c->query("SELECT COUNT(*) FROM legacy.sqlite_master WHERE type = 'table' AND name = 'endpoint_statistics'");
			if (!t.empty() && t[0].i64(0) == 1)
			{
				auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
					std::chrono::system_clock::now().time_since_epoch())
							   .count();
				c->execScript("BEGIN IMMEDIATE");
				try
				{
					c->query("INSERT INTO endpoint_stats (endpoint_id, endpoint_name, requests, successes, failures, "
							 "last_failure_at_ms, updated_at_ms) SELECT id, COALESCE(name, ''), "
							 "COALESCE(total_requests, 0), COALESCE(success_requests, 0), "
							 "MAX(COALESCE(total_requests, 0) - COALESCE(success_requests, 0), 0), "
							 "COALESCE(CAST(strftime('%s', last_failure) AS INTEGER) * 1000, 0), ? "
							 "FROM legacy.endpoint_statistics WHERE id IS NOT NULL AND id <> '' "
							 "ON CONFLICT (endpoint_id) DO NOTHING",
						{DbValue::integer(now)});
					n = c->changes();
					c->execScript("COMMIT");
				}
				catch (...)
				{
					rollback(*c);
					throw;
				}
			}
		}
		catch (const StoreError &)
		{
			n = 0;
		}
		try
		{
			c->execScript("DETACH DATABASE legacy");
		}
		catch (const StoreError &)
		{
		}
		return n;
	}

	void compact() override
	{
		if (_d.postgres)
			return; // autovacuum reclaims dead rows; VACUUM FULL would lock the tables
		Lease c(*this);
		c->execScript("PRAGMA incremental_vacuum");
		c->execScript("PRAGMA wal_checkpoint(TRUNCATE)");
	}

private:
	static constexpr const char * kStatsCols =
		"endpoint_id, endpoint_name, requests, successes, failures, cancelled, skipped, input_tokens, output_tokens, "
		"cache_creation_tokens, cache_read_tokens, cost_usd, last_success_at_ms, last_failure_at_ms, "
		"last_failure_error, latency_hist, updated_at_ms";

	static EndpointStats statsFromRow(const DbRow & r)
	{
		EndpointStats s;
		s.endpoint_id = r.str(0);
		s.endpoint_name = r.str(1);
		s.requests = r.i64(2);
		s.successes = r.i64(3);
		s.failures = r.i64(4);
		s.cancelled = r.i64(5);
		s.skipped = r.i64(6);
		s.input_tokens = r.i64(7);
		s.output_tokens = r.i64(8);
		s.cache_creation_tokens = r.i64(9);
		s.cache_read_tokens = r.i64(10);
		s.cost_usd = r.dbl(11);
		s.last_success_at_ms = r.i64(12);
		s.last_failure_at_ms = r.i64(13);
		s.last_failure_error = r.str(14);
		s.latency = LatencyHistogram::parse(r.str(15));
		s.updated_at_ms = r.i64(16);
		return s;
	}

	void mergeStats(DbConnection & c, const EndpointStats & d)
	{
		auto rows = c.query(std::string("SELECT ") + kStatsCols + " FROM endpoint_stats WHERE endpoint_id = ?" +
				_d.forUpdate(),
			{DbValue::text(sanitizeUtf8(d.endpoint_id))});
		EndpointStats s;
		if (!rows.empty())
			s = statsFromRow(rows[0]);
		s.endpoint_id = sanitizeUtf8(d.endpoint_id);
		s.merge(d);
		c.query("INSERT INTO endpoint_stats (" + std::string(kStatsCols) +
				") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (endpoint_id) DO UPDATE SET "
				"endpoint_name = excluded.endpoint_name, requests = excluded.requests, successes = excluded.successes, "
				"failures = excluded.failures, cancelled = excluded.cancelled, skipped = excluded.skipped, "
				"input_tokens = excluded.input_tokens, output_tokens = excluded.output_tokens, "
				"cache_creation_tokens = excluded.cache_creation_tokens, cache_read_tokens = excluded.cache_read_tokens, "
				"cost_usd = excluded.cost_usd, last_success_at_ms = excluded.last_success_at_ms, "
				"last_failure_at_ms = excluded.last_failure_at_ms, last_failure_error = excluded.last_failure_error, "
				"latency_hist = excluded.latency_hist, updated_at_ms = excluded.updated_at_ms",
			{DbValue::text(s.endpoint_id), DbValue::text(sanitizeUtf8(s.endpoint_name)), DbValue::integer(s.requests),
				DbValue::integer(s.successes), DbValue::integer(s.failures), DbValue::integer(s.cancelled),
				DbValue::integer(s.skipped), DbValue::integer(s.input_tokens), DbValue::integer(s.output_tokens),
				DbValue::integer(s.cache_creation_tokens), DbValue::integer(s.cache_read_tokens), DbValue::real(s.cost_usd),
				DbValue::integer(s.last_success_at_ms), DbValue::integer(s.last_failure_at_ms),
				DbValue::text(sanitizeUtf8(s.last_failure_error)), DbValue::text(s.latency.serialize()),
				DbValue::integer(s.updated_at_ms)});
	}

	struct Encoded
	{
		DbParams request;
		std::vector<DbParams> attempts; ///< [0] is the request_row_id placeholder
		std::vector<BodyRef> bodies;    ///< the record's bodies kept apart
	};

	/// Runs on two threads at once for a large batch (BodyStore::prepare is thread-safe).
	Encoded encodeRecord(const PreparedRecord & pr)
	{
		const auto & q = pr.rec;
		DbParams p;
		auto t = [](const std::string & s) { return DbValue::text(sanitizeUtf8(s)); };
		p.push_back(t(q.request_id));
		p.push_back(DbValue::integer(q.started_at_ms));
		p.push_back(DbValue::integer(q.duration_ms));
		p.push_back(DbValue::integer(q.ttfb_ms));
		p.push_back(t(q.method));
		p.push_back(t(q.path));
		p.push_back(DbValue::integer(q.status));
		p.push_back(DbValue::text(api::outcomeName(q.outcome)));
		p.push_back(t(q.error));
		p.push_back(DbValue::integer(q.streaming ? 1 : 0));
		p.push_back(DbValue::text(tagsToText(q.tags)));
		p.push_back(t(q.model_requested));
		p.push_back(t(q.thinking_type));
		p.push_back(DbValue::integer(q.thinking_budget));
		p.push_back(t(q.session_id));
		p.push_back(t(q.user_agent));
		p.push_back(t(q.final_endpoint_id));
		p.push_back(t(q.final_endpoint_name));
		p.push_back(DbValue::integer(q.usage.input_tokens));
		p.push_back(DbValue::integer(q.usage.output_tokens));
		p.push_back(DbValue::integer(q.usage.cache_creation_input_tokens));
		p.push_back(DbValue::integer(q.usage.cache_read_input_tokens));
		p.push_back(DbValue::real(q.cost_usd));
		p.push_back(DbValue::integer(static_cast<int64_t>(q.attempts.size())));
		p.push_back(DbValue::integer(pr.bodies_shed ? 1 : 0));
		std::string h1 = headersToJson(q.client_request_headers);
		std::string h2 = headersToJson(q.client_response_headers);
		int64_t bytes = 256 + static_cast<int64_t>(h1.size() + h2.size() + q.path.size() + q.error.size());
		p.push_back(DbValue::text(std::move(h1)));
		std::vector<BodyRef> refs;
		bytes += bindBody(p, q.client_request_body, pr.client_request_body, _bodies, refs);
		p.push_back(DbValue::text(std::move(h2)));
		bytes += bindBody(p, q.client_response_body, pr.client_response_body, _bodies, refs);

		// Attempts are encoded first so that the request row carries the total stored size.
		std::vector<DbParams> attemptParams;
		for (size_t i = 0; i < q.attempts.size(); ++i)
		{
			const auto & a = q.attempts[i];
			BodyInfo reqInfo, respInfo;
			if (i < pr.attempt_bodies.size())
			{
				reqInfo = pr.attempt_bodies[i].first;
				respInfo = pr.attempt_bodies[i].second;
			}
			DbParams ap;
			ap.push_back(DbValue::integer(0)); // request_row_id, set below
			ap.push_back(DbValue::integer(a.attempt_number));
			ap.push_back(t(a.endpoint_id));
			ap.push_back(t(a.endpoint_name));
			ap.push_back(t(a.endpoint_url));
			ap.push_back(DbValue::integer(a.started_at_ms));
			ap.push_back(DbValue::integer(a.duration_ms));
			ap.push_back(DbValue::integer(a.ttfb_ms));
			ap.push_back(DbValue::integer(a.status));
			ap.push_back(DbValue::text(api::outcomeName(a.outcome)));
			ap.push_back(t(a.error));
			ap.push_back(DbValue::integer(a.streaming ? 1 : 0));
			ap.push_back(t(a.content_type_override));
			ap.push_back(t(a.model_sent));
			ap.push_back(DbValue::integer(a.usage.input_tokens));
			ap.push_back(DbValue::integer(a.usage.output_tokens));
			ap.push_back(DbValue::integer(a.usage.cache_creation_input_tokens));
			ap.push_back(DbValue::integer(a.usage.cache_read_input_tokens));
			std::string ah1 = headersToJson(a.request_headers);
			std::string ah2 = headersToJson(a.response_headers);
			int64_t ab = 200 + static_cast<int64_t>(ah1.size() + ah2.size() + a.endpoint_url.size() + a.error.size());
			ap.push_back(DbValue::text(std::move(ah1)));
			ab += bindBody(ap, a.request_body, reqInfo, _bodies, refs);
			ap.push_back(DbValue::text(std::move(ah2)));
			ab += bindBody(ap, a.response_body, respInfo, _bodies, refs);
			ap.push_back(DbValue::integer(ab));
			bytes += ab;
			attemptParams.push_back(std::move(ap));
		}
		p.push_back(DbValue::integer(bytes));
		return Encoded{std::move(p), std::move(attemptParams), std::move(refs)};
	}

	/// Inserts a batch: the request rows in one batch statement (their ids come back in order),
	/// then every attempt row in another.
	static void insertEncoded(DbConnection & c, std::vector<Encoded> & encoded)
	{
		if (encoded.empty())
			return;
		std::vector<DbParams> requests;
		requests.reserve(encoded.size());
		for (auto & e : encoded)
			requests.push_back(std::move(e.request));
		auto ids = c.queryBatch(
			"INSERT INTO requests (request_id, started_at_ms, duration_ms, ttfb_ms, method, path, status, outcome, error, "
			"streaming, tags, model_requested, thinking_type, thinking_budget, session_id, user_agent, final_endpoint_id, "
			"final_endpoint_name, input_tokens, output_tokens, cache_creation_tokens, cache_read_tokens, cost_usd, "
			"attempt_count, bodies_shed, client_request_headers, client_request_body, client_request_body_size, "
			"client_request_body_flags, client_request_body_ref, client_response_headers, client_response_body, "
			"client_response_body_size, client_response_body_flags, client_response_body_ref, stored_bytes) VALUES (?, ?, ?, "
			"?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
			requests);
		if (ids.size() != encoded.size())
			throw StoreError("insert returned " + std::to_string(ids.size()) + " ids for " +
				std::to_string(encoded.size()) + " requests");
		std::vector<DbParams> attempts;
		for (size_t i = 0; i < encoded.size(); ++i)
			for (auto & ap : encoded[i].attempts)
			{
				ap[0] = DbValue::integer(ids[i].i64(0));
				attempts.push_back(std::move(ap));
			}
		if (attempts.empty())
			return;
		c.queryBatch("INSERT INTO attempts (request_row_id, attempt_number, endpoint_id, endpoint_name, endpoint_url, "
					 "started_at_ms, duration_ms, ttfb_ms, status, outcome, error, streaming, content_type_override, "
					 "model_sent, input_tokens, output_tokens, cache_creation_tokens, cache_read_tokens, request_headers, "
					 "request_body, request_body_size, request_body_flags, request_body_ref, response_headers, response_body, "
					 "response_body_size, response_body_flags, response_body_ref, stored_bytes) VALUES (?, ?, ?, ?, ?, ?, ?, "
					 "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
			attempts);
	}

	static std::string prefixed(const std::string & cols)
	{
		std::string out = "r.";
		for (char ch : cols)
		{
			out.push_back(ch);
			if (ch == ' ')
				out += "r.";
		}
		return out;
	}

	static std::string timeWhere(const char * col, int64_t fromMs, int64_t toMs, DbParams & p)
	{
		std::string w = "1=1";
		if (fromMs >= 0)
		{
			w += std::string(" AND ") + col + " >= ?";
			p.push_back(DbValue::integer(fromMs));
		}
		if (toMs >= 0)
		{
			w += std::string(" AND ") + col + " < ?";
			p.push_back(DbValue::integer(toMs));
		}
		return w;
	}

	static std::string whereClause(const ListFilter & f, DbParams & p)
	{
		std::string w = timeWhere("r.started_at_ms", f.from_ms, f.to_ms, p);
		if (!f.request_id.empty())
		{
			w += " AND r.request_id = ?";
			p.push_back(DbValue::text(f.request_id));
		}
		if (!f.endpoint_id.empty())
		{
			w += " AND (r.final_endpoint_id = ? OR EXISTS (SELECT 1 FROM attempts a WHERE a.request_row_id = r.id AND "
				 "a.endpoint_id = ?))";
			p.push_back(DbValue::text(f.endpoint_id));
			p.push_back(DbValue::text(f.endpoint_id));
		}
		if (!f.model.empty())
		{
			w += " AND (r.model_requested = ? OR EXISTS (SELECT 1 FROM attempts a WHERE a.request_row_id = r.id AND "
				 "a.model_sent = ?))";
			p.push_back(DbValue::text(f.model));
			p.push_back(DbValue::text(f.model));
		}
		const std::string & sc = f.status_class;
		if (sc.size() == 3 && sc[1] == 'x' && sc[2] == 'x' && sc[0] >= '1' && sc[0] <= '5')
		{
			int lo = (sc[0] - '0') * 100;
			w += " AND r.status >= ? AND r.status < ?";
			p.push_back(DbValue::integer(lo));
			p.push_back(DbValue::integer(lo + 100));
		}
		else if (sc == "failed")
			w += " AND r.outcome <> 'success'";
		else if (sc == "success")
			w += " AND r.outcome = 'success'";
		if (!f.tag.empty())
		{
			w += " AND r.tags LIKE ? ESCAPE '\\'";
			p.push_back(DbValue::text("%|" + likeEscape(f.tag) + "|%"));
		}
		if (!f.session_id.empty())
		{
			w += " AND r.session_id = ?";
			p.push_back(DbValue::text(f.session_id));
		}
		if (!f.text.empty())
		{
			std::string pat = "%" + likeEscape(lowerAscii(f.text)) + "%";
			w += " AND (LOWER(r.error) LIKE ? ESCAPE '\\' OR EXISTS (SELECT 1 FROM attempts a WHERE a.request_row_id = "
				 "r.id AND LOWER(a.error) LIKE ? ESCAPE '\\'))";
			p.push_back(DbValue::text(pat));
			p.push_back(DbValue::text(pat));
		}
		return w;
	}

	static std::vector<UsageSummary> finish(
		std::map<std::string, UsageSummary> & acc, std::map<std::string, std::vector<int64_t>> & lat)
	{
		std::vector<UsageSummary> out;
		for (auto & kv : acc)
		{
			auto & v = lat[kv.first];
			kv.second.latency_p50_ms = exactPercentile(v, 50);
			kv.second.latency_p95_ms = exactPercentile(v, 95);
			kv.second.latency_p99_ms = exactPercentile(v, 99);
			if (kv.second.name.empty())
				kv.second.name = kv.first;
			out.push_back(kv.second);
		}
		std::stable_sort(out.begin(), out.end(),
			[](const UsageSummary & a, const UsageSummary & b) { return a.requests > b.requests; });
		return out;
	}

	void rollback(DbConnection & c)
	{
		try
		{
			c.execScript("ROLLBACK");
		}
		catch (...)
		{
		}
	}

	/// A connection borrowed from the pool for one operation.
	class Lease
	{
	public:
		explicit Lease(SqlLogStore & s) : _s(s) { _c = s.acquire(); }
		~Lease() { _s.release(std::move(_c)); }
		DbConnection * operator->() { return _c.get(); }
		DbConnection & operator*() { return *_c; }

	private:
		SqlLogStore & _s;
		std::unique_ptr<DbConnection> _c;
	};

	std::unique_ptr<DbConnection> acquire()
	{
		{
			std::lock_guard<std::mutex> lk(_poolMutex);
			if (!_idle.empty())
			{
				auto c = std::move(_idle.back());
				_idle.pop_back();
				return c;
			}
		}
		return _factory();
	}

	void release(std::unique_ptr<DbConnection> c)
	{
		if (!c || !c->healthy())
			return;
		std::lock_guard<std::mutex> lk(_poolMutex);
		if (_idle.size() < 4)
			_idle.push_back(std::move(c));
	}

	Dialect _d;
	Factory _factory;
	BodyStore _bodies; ///< what this process knows of the `bodies` table (see BodyStore.h)
	std::string _path;
	std::mutex _poolMutex;
	std::vector<std::unique_ptr<DbConnection>> _idle;
};

std::unique_ptr<DbConnection> openSqliteConfigured(const std::string & path)
{
	auto c = openSqlite(path);
	// auto_vacuum only takes effect before the first table exists (a new file); it lets retention
	// hand pages back with incremental_vacuum instead of a blocking full VACUUM. So does the page
	// size: 16 KiB pages hold a compressed Claude Code request (~25 KB) in two pages instead of
	// seven chained ones, fewer WAL frames per record (store_bench: ~40% more records/s).
	// Switching to WAL needs the file to itself, and SQLite answers "database is locked" at once
	// there (no busy wait) while another process or thread opens the same new file: retry. The
	// mode is persistent, so an existing store usually has it already.
	for (int attempt = 0;; ++attempt)
	{
		try
		{
			c->execScript("PRAGMA page_size = 16384; PRAGMA auto_vacuum = INCREMENTAL");
			if (c->query("PRAGMA journal_mode")[0].str(0) != "wal")
				c->query("PRAGMA journal_mode = WAL");
			break;
		}
		catch (const StoreError &)
		{
			if (attempt >= 200)
				throw;
			std::this_thread::sleep_for(std::chrono::milliseconds(25));
		}
	}
	// NORMAL in WAL mode: a commit is durable against a crash of the process (SIGKILL) and the
	// database never corrupts; only an OS crash/power loss may lose the last commits. FULL would
	// fsync every batch for little gain on a log.
	c->execScript("PRAGMA synchronous = NORMAL; PRAGMA temp_store = MEMORY; PRAGMA foreign_keys = OFF");
	return c;
}

} // namespace

std::shared_ptr<LogStore> openSqliteLogStore(const std::string & path, int migrateTo)
{
	std::error_code ec;
	auto dir = std::filesystem::path(path).parent_path();
	if (!dir.empty())
		std::filesystem::create_directories(dir, ec);
	if (ec)
		throw StoreError("cannot create log directory " + dir.string() + ": " + ec.message());
	Dialect d;
	auto store = std::make_shared<SqlLogStore>(d, [path] { return openSqliteConfigured(path); }, path);
	store->migrate(migrateTo);
	if (migrateTo >= kSchemaVersion)
		store->importLegacyStatistics((dir / "statistics.db").string());
	return store;
}

std::shared_ptr<LogStore> openPostgresLogStore(const std::string & dsn, int migrateTo)
{
	Dialect d;
	d.postgres = true;
	auto store = std::make_shared<SqlLogStore>(d, [dsn] { return openPostgres(dsn); }, dsn);
	store->migrate(migrateTo);
	return store;
}

std::shared_ptr<LogStore> openLogStore(const config::LoggingConfig & cfg, int migrateTo)
{
	if (cfg.storage == "postgresql")
	{
		if (cfg.postgres_dsn.empty())
			throw StoreError("logging.storage is postgresql but logging.postgres_dsn is empty");
		return openPostgresLogStore(cfg.postgres_dsn, migrateTo);
	}
	std::string dir = cfg.log_directory.empty() ? "." : cfg.log_directory;
	return openSqliteLogStore((std::filesystem::path(dir) / "logs.db").string(), migrateTo);
}

} // namespace ccc::store
