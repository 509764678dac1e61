#pragma once
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ccc/api/log_types.h"
#include "ccc/config/model.h"
#include "store/Db.h"
#include "store/Stats.h"

/// The request log store: requests with their attempts, per-endpoint statistics and circuit
/// breaker history, behind one interface with an SQLite and a PostgreSQL backend.
///
/// Layout (schema version kSchemaVersion, upgraded in place by versioned migrations recorded in
/// the `schema_version` table):
///   requests        one row per client request (id = keyset-pagination tiebreaker)
///   attempts        one row per upstream attempt, request_row_id -> requests.id
///   endpoint_stats  one row per stable endpoint id (config::endpointId), so a rename keeps history
///   breaker_events  circuit breaker transitions per endpoint
/// Bodies are BLOB/BYTEA with `<body>_size` (the original size) and `<body>_flags` (BodyFlag bits).
///
/// Thread safety: every method may be called from any thread; the store keeps a small pool of
/// connections. SQLite runs in WAL mode with synchronous=NORMAL: a committed transaction survives a
/// crash or SIGKILL of the process (the WAL is in the OS page cache), and the file is never left
/// corrupt; only an OS crash or power loss may roll back the last commits (never corrupt either).
namespace ccc::store
{

inline constexpr int kSchemaVersion = 3;

enum BodyFlag : int
{
	kBodyCompressed = 1, ///< stored deflated (zlib); read back transparently (the writer now uses zstd)
	kBodyTruncated = 2,  ///< stored bytes are a UTF-8-safe prefix plus kTruncationMarker
	kBodyOmitted = 4,    ///< not stored: policy `none`, or shed under overload
	kBodyZstd = 8,       ///< stored zstd-compressed (level 1: ~3x faster than zlib at a better ratio)
	kBodySameAsClient = 16, ///< attempt request body identical to the client's: not stored twice
};

/// Appended to every body the store did not keep whole.
inline constexpr const char * kTruncationMarker = "\n... [truncated]";
inline constexpr const char * kRedacted = "[REDACTED]";

/// What the store knows about one stored body beyond its bytes.
struct BodyInfo
{
	bool truncated = false;
	bool omitted = false;
	bool compressed = false; ///< how it sits in the database (informational)
	/// Attempt request bodies only: byte-identical to the client request body, stored once (the
	/// store reads it back filled in). Set by RequestLogger, honoured by writeBatch.
	bool same_as_client = false;
};

/// A record as the store writes it: already filtered, redacted and cut to the body policy by
/// RequestLogger. Bodies' `bytes` are what is stored (uncompressed), `totalSize` the original size.
struct PreparedRecord
{
	api::RequestRecord rec;
	BodyInfo client_request_body;
	BodyInfo client_response_body;
	std::vector<std::pair<BodyInfo, BodyInfo>> attempt_bodies; ///< request, response per attempt
	bool bodies_shed = false; ///< the logger's queue was over its byte bound: bodies and headers dropped
};

/// A request as read back. For list() results, headers/bodies/attempts are empty and only
/// attempt_count is set; get() fills everything (bodies inflated).
struct StoredRequest
{
	int64_t row_id = 0;
	api::RequestRecord rec;
	int attempt_count = 0;
	bool bodies_shed = false;
	BodyInfo client_request_body;
	BodyInfo client_response_body;
	std::vector<std::pair<BodyInfo, BodyInfo>> attempt_bodies;
};

/// List filters; empty / -1 means "any". All filters combine with AND.
struct ListFilter
{
	int64_t from_ms = -1;        ///< started_at_ms >= from_ms
	int64_t to_ms = -1;          ///< started_at_ms < to_ms
	std::string endpoint_id;     ///< the final endpoint or any attempt's endpoint
	std::string model;           ///< model_requested or any attempt's model_sent
	std::string status_class;    ///< "2xx" "3xx" "4xx" "5xx" (client status), "failed" (outcome != success), "success"
	std::string tag;             ///< exact tag
	std::string session_id;
	std::string text;            ///< case-insensitive substring of the request's or any attempt's error
	std::string request_id;      ///< exact request id
};

struct ListQuery
{
	ListFilter filter;
	int limit = 100;             ///< clamped to 1..1000
	std::string cursor;          ///< next_cursor of the previous page; empty = newest
};

struct ListPage
{
	std::vector<StoredRequest> items; ///< newest first (started_at_ms DESC, row id DESC)
	std::string next_cursor;          ///< "<started_at_ms>:<row_id>" of the last item; empty when no more
};

/// Usage over a time range, per endpoint (from attempts) or per model (from requests).
struct UsageSummary
{
	std::string key;        ///< endpoint id or model name
	std::string name;       ///< endpoint name (latest seen); the model again for per-model rows
	int64_t requests = 0;   ///< attempts for per-endpoint rows (skipped-open-breaker excluded), requests per model
	int64_t successes = 0;
	int64_t failures = 0;   ///< upstream_error, validation_failed, network, timeout, rejected
	int64_t latency_p50_ms = 0;
	int64_t latency_p95_ms = 0;
	int64_t latency_p99_ms = 0;
	int64_t input_tokens = 0;
	int64_t output_tokens = 0;
	int64_t cache_creation_tokens = 0;
	int64_t cache_read_tokens = 0;
	double cost_usd = 0;    ///< per endpoint: requests it finally served
};

/// What one retention pass did.
struct RetentionResult
{
	int64_t deleted_by_age = 0;
	int64_t deleted_by_size = 0;
	int64_t bytes_after = 0;
};

class LogStore
{
public:
	virtual ~LogStore() = default;

	virtual const char * backendName() const = 0;
	/// Version recorded in schema_version (kSchemaVersion after a normal open).
	virtual int schemaVersion() = 0;

	/// Writes records, statistics deltas (merged into the persisted rows) and breaker events in
	/// ONE transaction: all or nothing. Throws StoreError.
	virtual void writeBatch(const std::vector<PreparedRecord> & records, const std::vector<EndpointStats> & statDeltas,
		const std::vector<BreakerEvent> & events) = 0;

	virtual ListPage list(const ListQuery & q) = 0;
	virtual int64_t count(const ListFilter & f) = 0;
	/// The newest request with this request id, with all attempts (ascending), bodies inflated.
	virtual std::optional<StoredRequest> get(const std::string & requestId) = 0;

	/// from_ms inclusive, to_ms exclusive (-1 = open). Sorted by requests, descending.
	virtual std::vector<UsageSummary> usageByEndpoint(int64_t fromMs, int64_t toMs) = 0;
	virtual std::vector<UsageSummary> usageByModel(int64_t fromMs, int64_t toMs) = 0;

	virtual std::vector<EndpointStats> loadEndpointStats() = 0;
	/// Newest first; empty endpointId = all endpoints.
	virtual std::vector<BreakerEvent> breakerEvents(const std::string & endpointId, int limit) = 0;

	/// Bytes the log occupies: SQLite = used pages of the file; PostgreSQL = stored row bytes.
	virtual int64_t storageBytes() = 0;

	/// Retention: deletes requests (and their attempts, and breaker events) older than `days`
	/// (0 = everything), then the oldest requests until storageBytes() <= maxBytes (<= 0: no size
	/// bound). Works in transactions of at most `batch` requests, so writers interleave; stops early
	/// when *stop becomes true. Then returns free pages to the file system (SQLite incremental vacuum).
	RetentionResult applyRetention(int64_t days, int64_t maxBytes, int64_t nowMs, const std::atomic<bool> * stop = nullptr,
		int batch = 200);

	/// Admin "clean logs": days 0 deletes all requests. Returns requests deleted.
	int64_t cleanup(int64_t days, int64_t nowMs);

	/// One retention step: deletes up to `batch` requests (with attempts) started before cutoffMs
	/// (cutoffMs = INT64_MAX: the oldest, whatever their age). Returns requests deleted.
	virtual int64_t deleteOldestBatch(int64_t cutoffMs, int batch) = 0;
	virtual void deleteBreakerEventsBefore(int64_t cutoffMs) = 0;
	/// Gives free space back (SQLite: incremental_vacuum + WAL checkpoint; PostgreSQL: nothing).
	virtual void compact() = 0;
};

/// Opens the configured backend (`storage`: sqlite -> <log_directory>/logs.db, the directory is
/// created; postgresql -> postgres_dsn) and migrates it to kSchemaVersion. Throws StoreError.
/// `migrateTo` < kSchemaVersion stops the migrations there (tests of the upgrade path only).
std::shared_ptr<LogStore> openLogStore(const config::LoggingConfig & cfg, int migrateTo = kSchemaVersion);

/// SQLite only: when <log_directory>/statistics.db from the Go original exists and no endpoint
/// statistics are stored yet, its per-endpoint totals (same derived endpoint ids) are carried over
/// once (requests, successes, failures, last failure time).
///
/// Direct constructors (same contract as openLogStore).
std::shared_ptr<LogStore> openSqliteLogStore(const std::string & path, int migrateTo = kSchemaVersion);
std::shared_ptr<LogStore> openPostgresLogStore(const std::string & dsn, int migrateTo = kSchemaVersion);

} // namespace ccc::store
