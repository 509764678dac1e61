#pragma once
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "ccc/api/log_types.h"
#include "ccc/config/model.h"
#include "store/LogStore.h"
#include "store/SpillFile.h"
#include "store/Stats.h"

/// The write path of the request log.
///
/// submit() is called by request threads and never waits for the database: it takes a mutex for a
/// few microseconds, updates the in-memory endpoint statistics and appends to a bounded queue. One
/// writer thread drains the queue in batches, applies log_request_types, redaction and the body
/// policy, and writes each batch (records + statistics deltas + breaker events) in ONE transaction.
/// A record is "acknowledged" once its batch has committed (see flush() and counters().written).
///
/// Overload (the writer cannot keep up) is handled without blocking and without silent loss:
///  1. over max_queue_bytes, the record spills: the submitting thread redacts it, applies the
///     body policy and appends it to <log_directory>/spill.bin (SpillFile: a body already in the
///     file is written as a back-reference, so a repeated 76 KB request costs a hash, not a copy).
///     From then on every record spills, in order, until the writer has loaded the whole file
///     into the database (it does that once the queue is empty and spilling paused for 200 ms or
///     the file is half full: during a burst the CPU goes to requests). The queue's bound is part of
///     the service's memory budget (512 streams in <= 150 MB); the spill file is on disk and
///     survives a crash: the next start loads it;
///  2. when the spill file is over max_spill_bytes (or cannot be written, or spilling is off), a
///     record is queued WITHOUT its headers and bodies (stored with bodies_shed = 1 so the admin
///     can say why; counted in bodies_shed);
///  3. over max_queue_records, the record is dropped (counted in records_dropped). Its statistics
///     were already counted at submit time, so endpoint statistics never lose requests.
/// A batch that keeps failing to commit (database unavailable) is retried 3 times and then
/// dropped (counted in records_failed, last_error set); statistics deltas are kept for the next
/// batch, so they are never lost while the process lives. After such a failed batch the writer
/// backs off before the next one: retry_backoff_ms (1 s), doubled after every further failed
/// batch up to retry_max_backoff_ms (30 s), back to none at the first commit; meanwhile records
/// keep queuing under the bounds above (shed or dropped, counted). So a long outage costs one
/// batch attempt per 30 s, not one per second.
///
/// log_request_types: "all" stores every request; "success" only requests whose outcome is
/// success; "failed" requests whose outcome is not success AND successful requests that needed
/// a failed attempt on the way (stored whole, so the failover is visible). Statistics count every
/// request regardless.
///
/// Retention runs on its own thread at start and every retention_interval_ms, in small
/// transactions (see LogStore::applyRetention), so it never holds the writer for long.
namespace ccc::store
{

inline constexpr size_t kDefaultMaxQueueBytes = 32ull * 1024 * 1024;

struct RequestLoggerOptions
{
	/// Defaults, with max_queue_bytes from CCC_LOG_QUEUE_MAX_BYTES when set and valid.
	static RequestLoggerOptions fromEnvironment();

	size_t max_queue_records = 20000;
	/// Bodies and headers waiting for the writer. 0 (the default): logging.max_queue_bytes
	/// (32 MiB unless configured: a few hundred Claude Code requests, a fraction of a second of
	/// the writer's work), applied live by updateConfig(). Non-zero: fixed, e.g. from the
	/// environment variable CCC_LOG_QUEUE_MAX_BYTES (bytes, or with a K/M/G suffix), which thus
	/// overrides the config in the service.
	size_t max_queue_bytes = 0;
	/// The spill file's bound (bytes); 0 turns spilling off (records over max_queue_bytes are
	/// shed at once). -1 (the default): logging.max_spill_bytes (1 GiB unless configured), its
	/// value applied live (whether there is a file at all is decided at start). Otherwise fixed,
	/// e.g. from CCC_LOG_SPILL_MAX_BYTES (bytes, or with a K/M/G suffix).
	int64_t max_spill_bytes = -1;
	/// Empty: <log_directory>/spill.bin (no spilling when log_directory is empty).
	std::string spill_path;
	/// stop() keeps loading the spill file into the database for at most this long; what is left
	/// stays in the file for the next start.
	int64_t stop_spill_drain_ms = 10000;
	size_t batch_records = 200;
	/// A batch stops taking records at this many body and header bytes (at least one record).
	size_t batch_bytes = 8ull * 1024 * 1024;
	int64_t retention_interval_ms = 10 * 60 * 1000;
	/// The writer's wait after a batch failed to commit; doubled after every further failure up
	/// to retry_max_backoff_ms, reset by a commit.
	int64_t retry_backoff_ms = 1000;
	int64_t retry_max_backoff_ms = 30000;
	bool start_retention_thread = true;
	/// Tests: the writer thread starts paused (queue fills) until resumeWriter().
	bool start_paused = false;
};

struct LoggerCounters
{
	uint64_t submitted = 0;       ///< submit() calls
	uint64_t written = 0;         ///< records committed to the store
	uint64_t filtered = 0;        ///< not stored because of log_request_types
	uint64_t bodies_shed = 0;     ///< stored without headers/bodies (queue over its byte bound, spill full)
	uint64_t spilled = 0;         ///< records appended to the spill file (with their bodies)
	uint64_t spill_pending = 0;   ///< records in the spill file not yet in the database
	uint64_t spill_bytes = 0;     ///< the spill file's size now
	uint64_t records_dropped = 0; ///< lost: queue over its record bound
	uint64_t records_failed = 0;  ///< lost: their batch could not be committed
	uint64_t batches = 0;         ///< committed transactions
	uint64_t queue_depth = 0;     ///< records waiting now
	uint64_t queue_bytes = 0;     ///< their approximate size
	uint64_t retention_deleted = 0;
	uint64_t retry_backoff_ms = 0; ///< the writer's wait after its last failed batch (0: the last batch committed)
	std::string last_error;       ///< the latest store error (empty if none)
};

class RequestLogger
{
public:
	/// Opens the configured store (openLogStore) and starts the threads. Throws StoreError.
	explicit RequestLogger(const config::LoggingConfig & cfg, RequestLoggerOptions opts = RequestLoggerOptions::fromEnvironment());
	/// Uses an already opened store (shared with the admin API's queries).
	RequestLogger(std::shared_ptr<LogStore> store, const config::LoggingConfig & cfg, RequestLoggerOptions opts = {});
	/// Drains the queue (everything submitted is written or counted as failed), then stops.
	~RequestLogger();

	RequestLogger(const RequestLogger &) = delete;
	RequestLogger & operator=(const RequestLogger &) = delete;

	/// Never blocks on the database. Safe from any thread.
	void submit(api::RequestRecord && rec);
	/// A circuit breaker transition, persisted with the next batch.
	void recordBreakerEvent(BreakerEvent ev);

	/// Secret strings to redact everywhere (collectSecrets(config)); replaces the previous list.
	void setSecrets(std::vector<std::string> secrets);
	/// Hot reload of the policies (log_request_types, body policies, sizes, retention, the queue's
	/// byte bound unless fixed by the options).
	/// storage/log_directory/postgres_dsn changes need a new RequestLogger.
	void updateConfig(const config::LoggingConfig & cfg);

	/// Waits until every record submitted before the call is committed, filtered or counted as
	/// lost. False on timeout.
	bool flush(int64_t timeoutMs = 30000);
	/// Drains and joins the threads (idempotent); submit() afterwards counts records as dropped.
	void stop();

	LoggerCounters counters() const;
	/// Persisted totals plus everything submitted since, per endpoint id.
	std::vector<EndpointStats> endpointStats() const;
	std::shared_ptr<LogStore> store() const { return _store; }

	/// Runs a retention pass now with the configured limits (also done periodically).
	RetentionResult runRetention();
	/// Admin "clean logs": deletes requests older than `days` (0 = all). Returns requests deleted.
	int64_t cleanup(int64_t days);

	/// Tests only: see RequestLoggerOptions::start_paused.
	void resumeWriter();

private:
	struct Item
	{
		api::RequestRecord rec;
		bool bodies_shed = false;
		/// Per attempt: its request body was byte-identical to the client's and was released at
		/// submit, so the queue holds (and counts) one copy.
		std::vector<bool> same_as_client;
		uint64_t seq = 0;
		size_t bytes = 0;
	};

	void start();
	void writerLoop();
	void retentionLoop();
	bool shouldStore(const api::RequestRecord & r, const config::LoggingConfig & cfg) const;
	PreparedRecord prepare(Item && item, const config::LoggingConfig & cfg, const std::vector<std::string> & secrets) const;
	/// The policies and secrets in force (updateConfig/setSecrets may change them any time).
	void configSnapshot(config::LoggingConfig & cfg, std::vector<std::string> & secrets) const;
	/// On the submitting thread: filter, prepare and append `item` to the spill file.
	void spill(Item && item);
	void queueLocked(Item && item);
	/// Ingested (or lost) spill records: the first ones are those found in the file at start.
	void spillFinishedLocked(uint64_t n);
	void spillLossLocked();
	void accountStats(const api::RequestRecord & r);
	static size_t approxBytes(const api::RequestRecord & r);
	size_t queueBound(const config::LoggingConfig & cfg) const;
	uint64_t spillBound(const config::LoggingConfig & cfg) const;

	std::shared_ptr<LogStore> _store;
	RequestLoggerOptions _opts;

	mutable std::mutex _cfgMutex;
	config::LoggingConfig _cfg;
	std::vector<std::string> _secrets;

	mutable std::mutex _mutex;
	std::condition_variable _wake;
	std::condition_variable _progress;
	std::deque<Item> _queue;
	size_t _queueBytes = 0;
	size_t _maxQueueBytes = kDefaultMaxQueueBytes; ///< the byte bound in force (see RequestLoggerOptions)
	std::atomic<uint64_t> _maxSpillBytes{0};       ///< the spill file's bound in force
	uint64_t _nextSeq = 1;
	uint64_t _doneSeq = 0;          ///< every item with seq <= _doneSeq is finished
	std::vector<BreakerEvent> _pendingEvents;
	std::map<std::string, EndpointStats> _pendingStats; ///< deltas not yet committed
	std::map<std::string, EndpointStats> _stats;        ///< totals (persisted + pending)
	bool _stopping = false;
	bool _paused = false;
	LoggerCounters _counters;

	std::atomic<bool> _stopFlag{false};
	std::mutex _retentionMutex;
	std::condition_variable _retentionWake;
	std::unique_ptr<SpillFile> _spill;
	bool _spillActive = false;      ///< records go to the spill file until the writer empties it
	uint64_t _spillSubmitted = 0;   ///< records handed to the spill by this process
	uint64_t _spillFinished = 0;    ///< ... of which ingested, filtered or lost
	uint64_t _spillRecoveredLeft = 0; ///< records found in the file at start, not yet ingested
	std::atomic<int64_t> _lastSpillAppendMs{0};
	static constexpr int64_t kSpillQuietMs = 200; ///< a pause in spilling this long ends the burst
	std::thread _writer;
	std::thread _retention;
	bool _stopped = false;
};

} // namespace ccc::store
