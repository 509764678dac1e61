#include "store/RequestLogger.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <functional>

#include "store/BodyPolicy.h"

namespace ccc::store
{

namespace
{
int64_t nowMs()
{
	return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
		.count();
}

size_t headerBytes(const api::HeaderList & h)
{
	size_t n = 0;
	for (const auto & kv : h)
		n += kv.first.size() + kv.second.size() + 4;
	return n;
}

void shed(api::CapturedBody & b)
{
	if (b.totalSize < static_cast<int64_t>(b.bytes.size()))
		b.totalSize = static_cast<int64_t>(b.bytes.size());
	std::string().swap(b.bytes);
}

/// A byte count from the environment: digits with an optional K/M/G suffix.
bool sizeFromEnvironment(const char * name, size_t & out)
{
	const char * v = std::getenv(name);
	if (!v || *v < '0' || *v > '9') // strtoull would take "-5" as a huge number
		return false;
	char * end = nullptr;
	unsigned long long n = std::strtoull(v, &end, 10);
	unsigned long long mult = 1;
	if (end && (*end == 'k' || *end == 'K'))
		mult = 1024ull, ++end;
	else if (end && (*end == 'm' || *end == 'M'))
		mult = 1024ull * 1024, ++end;
	else if (end && (*end == 'g' || *end == 'G'))
		mult = 1024ull * 1024 * 1024, ++end;
	if (!end || *end != '\0')
		return false;
	out = static_cast<size_t>(n * mult);
	return true;
}
} // namespace

RequestLoggerOptions RequestLoggerOptions::fromEnvironment()
{
	RequestLoggerOptions o;
	size_t n = 0;
	if (sizeFromEnvironment("CCC_LOG_QUEUE_MAX_BYTES", n) && n > 0)
		o.max_queue_bytes = n;
	if (sizeFromEnvironment("CCC_LOG_SPILL_MAX_BYTES", n))
		o.max_spill_bytes = static_cast<int64_t>(n);
	return o;
}

RequestLogger::RequestLogger(const config::LoggingConfig & cfg, RequestLoggerOptions opts)
	: RequestLogger(openLogStore(cfg), cfg, opts)
{
}

RequestLogger::RequestLogger(std::shared_ptr<LogStore> store, const config::LoggingConfig & cfg, RequestLoggerOptions opts)
	: _store(std::move(store)), _opts(opts), _cfg(cfg)
{
	if (_opts.batch_records == 0)
		_opts.batch_records = 1;
	_maxQueueBytes = queueBound(cfg);
	for (auto & s : _store->loadEndpointStats())
		_stats[s.endpoint_id] = s;
	_paused = _opts.start_paused;
	std::string spillPath = _opts.spill_path;
	if (spillPath.empty() && !cfg.log_directory.empty())
		spillPath = (std::filesystem::path(cfg.log_directory) / "spill.bin").string();
	_maxSpillBytes = spillBound(cfg);
	if (_maxSpillBytes > 0 && !spillPath.empty())
	{
		std::error_code ec;
		std::filesystem::create_directories(std::filesystem::path(spillPath).parent_path(), ec);
		std::string error;
		_spill = SpillFile::open(spillPath, error);
		if (_spill)
		{
			// Records a previous run spilled and did not load: the writer loads them first.
			_spillRecoveredLeft = _spill->pendingRecords();
			_spillActive = _spillRecoveredLeft > 0;
		}
		else
			_counters.last_error = error + " (records over the queue's bound are stored without bodies)";
	}
	start();
}

RequestLogger::~RequestLogger()
{
	stop();
}

void RequestLogger::start()
{
	_writer = std::thread([this] { writerLoop(); });
	if (_opts.start_retention_thread)
		_retention = std::thread([this] { retentionLoop(); });
}

void RequestLogger::stop()
{
	{
		std::lock_guard<std::mutex> lk(_mutex);
		if (_stopped)
			return;
		_stopped = true;
		_stopping = true;
		_paused = false;
	}
	_wake.notify_all();
	if (_writer.joinable())
		_writer.join();
	_stopFlag = true;
	{
		std::lock_guard<std::mutex> lk(_retentionMutex);
	}
	_retentionWake.notify_all();
	if (_retention.joinable())
		_retention.join();
}

void RequestLogger::resumeWriter()
{
	{
		std::lock_guard<std::mutex> lk(_mutex);
		_paused = false;
	}
	_wake.notify_all();
}

void RequestLogger::setSecrets(std::vector<std::string> secrets)
{
	std::vector<std::string> kept;
	for (auto & s : secrets)
		if (s.size() >= kMinSecretLength)
			kept.push_back(std::move(s));
	std::sort(kept.begin(), kept.end(), [](const std::string & a, const std::string & b) { return a.size() > b.size(); });
	std::lock_guard<std::mutex> lk(_cfgMutex);
	_secrets = std::move(kept);
}

void RequestLogger::updateConfig(const config::LoggingConfig & cfg)
{
	{
		std::lock_guard<std::mutex> lk(_cfgMutex);
		_cfg = cfg;
	}
	std::lock_guard<std::mutex> lk(_mutex);
	_maxQueueBytes = queueBound(cfg);
	if (_spill)
		_maxSpillBytes = spillBound(cfg);
}

uint64_t RequestLogger::spillBound(const config::LoggingConfig & cfg) const
{
	if (_opts.max_spill_bytes >= 0)
		return static_cast<uint64_t>(_opts.max_spill_bytes);
	return cfg.max_spill_bytes > 0 ? static_cast<uint64_t>(cfg.max_spill_bytes) : 0;
}

size_t RequestLogger::queueBound(const config::LoggingConfig & cfg) const
{
	if (_opts.max_queue_bytes > 0)
		return _opts.max_queue_bytes;
	return cfg.max_queue_bytes > 0 ? static_cast<size_t>(cfg.max_queue_bytes) : kDefaultMaxQueueBytes;
}

size_t RequestLogger::approxBytes(const api::RequestRecord & r)
{
	size_t n = 512 + r.client_request_body.bytes.size() + r.client_response_body.bytes.size() +
		headerBytes(r.client_request_headers) + headerBytes(r.client_response_headers);
	for (const auto & a : r.attempts)
		n += 256 + a.request_body.bytes.size() + a.response_body.bytes.size() + headerBytes(a.request_headers) +
			headerBytes(a.response_headers);
	return n;
}

void RequestLogger::accountStats(const api::RequestRecord & r)
{
	// Caller holds _mutex.
	auto add = [&](const std::string & id, const std::function<void(EndpointStats &)> & fn) {
		if (id.empty())
			return;
		auto & p = _pendingStats[id];
		p.endpoint_id = id;
		fn(p);
		auto & t = _stats[id];
		t.endpoint_id = id;
		fn(t);
	};
	int64_t now = nowMs();
	for (const auto & a : r.attempts)
	{
		add(a.endpoint_id, [&](EndpointStats & s) {
			if (!a.endpoint_name.empty())
				s.endpoint_name = a.endpoint_name;
			s.updated_at_ms = now;
			if (a.outcome == api::Outcome::SkippedOpenBreaker)
			{
				s.skipped++;
				return;
			}
			s.requests++;
			int64_t end = a.started_at_ms + a.duration_ms;
			if (a.outcome == api::Outcome::Success)
			{
				s.successes++;
				if (end > s.last_success_at_ms)
					s.last_success_at_ms = end;
			}
			else if (a.outcome == api::Outcome::ClientCancelled)
				s.cancelled++;
			else if (isFailureOutcome(a.outcome))
			{
				s.failures++;
				if (end >= s.last_failure_at_ms)
				{
					s.last_failure_at_ms = end;
					s.last_failure_error = a.error.empty() ? std::string(api::outcomeName(a.outcome)) : a.error;
				}
			}
			s.latency.add(a.duration_ms);
			s.input_tokens += a.usage.input_tokens > 0 ? a.usage.input_tokens : 0;
			s.output_tokens += a.usage.output_tokens > 0 ? a.usage.output_tokens : 0;
			s.cache_creation_tokens += a.usage.cache_creation_input_tokens > 0 ? a.usage.cache_creation_input_tokens : 0;
			s.cache_read_tokens += a.usage.cache_read_input_tokens > 0 ? a.usage.cache_read_input_tokens : 0;
		});
	}
	if (r.cost_usd != 0)
		add(r.final_endpoint_id, [&](EndpointStats & s) { s.cost_usd += r.cost_usd; });
}

void RequestLogger::submit(api::RequestRecord && rec)
{
	// What went upstream is usually byte-identical to what the client sent (no rewrite): keep one
	// copy from here on (the store writes it once too). Compared outside the lock.
	Item item;
	item.same_as_client.reserve(rec.attempts.size());
	for (auto & a : rec.attempts)
	{
		bool same = a.request_body_same_as_client ||
			(!a.request_body.bytes.empty() && a.request_body.totalSize == rec.client_request_body.totalSize &&
				a.request_body.bytes == rec.client_request_body.bytes);
		if (same)
			std::string().swap(a.request_body.bytes);
		item.same_as_client.push_back(same);
	}
	item.bytes = approxBytes(rec);

	std::unique_lock<std::mutex> lk(_mutex);
	_counters.submitted++;
	if (_stopping)
	{
		_counters.records_dropped++;
		return;
	}
	accountStats(rec);
	item.rec = std::move(rec);
	if ((_spillActive || _queueBytes + item.bytes > _maxQueueBytes) && _spill && _spill->sizeBytes() < _maxSpillBytes.load())
	{
		_spillActive = true;
		_spillSubmitted++;
		lk.unlock();
		spill(std::move(item));
		return;
	}
	if (_queue.size() >= _opts.max_queue_records)
	{
		_counters.records_dropped++;
		return;
	}
	queueLocked(std::move(item));
	lk.unlock();
	_wake.notify_one();
}

void RequestLogger::queueLocked(Item && item)
{
	// Caller holds _mutex.
	auto & rec = item.rec;
	if (_queueBytes + item.bytes > _maxQueueBytes)
	{
		shed(rec.client_request_body);
		shed(rec.client_response_body);
		rec.client_request_headers.clear();
		rec.client_response_headers.clear();
		for (auto & a : rec.attempts)
		{
			shed(a.request_body);
			shed(a.response_body);
			a.request_headers.clear();
			a.response_headers.clear();
		}
		item.bodies_shed = true;
		item.bytes = approxBytes(rec);
		_counters.bodies_shed++;
	}
	item.seq = _nextSeq++;
	_queueBytes += item.bytes;
	_queue.push_back(std::move(item));
}

void RequestLogger::configSnapshot(config::LoggingConfig & cfg, std::vector<std::string> & secrets) const
{
	std::lock_guard<std::mutex> lk(_cfgMutex);
	cfg = _cfg;
	secrets = _secrets;
}

void RequestLogger::spill(Item && item)
{
	config::LoggingConfig cfg;
	std::vector<std::string> secrets;
	configSnapshot(cfg, secrets);
	if (!shouldStore(item.rec, cfg))
	{
		std::lock_guard<std::mutex> lk(_mutex);
		_counters.filtered++;
		_spillFinished++;
		_progress.notify_all();
		return;
	}
	// Redacted here, before the disk sees it; what the writer later reads back is ready to store.
	PreparedRecord pr = prepare(std::move(item), cfg, secrets);
	std::string error;
	_lastSpillAppendMs.store(nowMs(), std::memory_order_relaxed);
	if (_spill->append(pr, error))
	{
		{
			std::lock_guard<std::mutex> lk(_mutex);
			_counters.spilled++;
		}
		_wake.notify_one();
		return;
	}
	// The disk refused (full?): the record is kept without its bodies, like any shed record.
	Item shedItem;
	shedItem.rec = std::move(pr.rec);
	shedItem.bytes = _maxQueueBytes + 1; // forces queueLocked() to shed
	std::unique_lock<std::mutex> lk(_mutex);
	_counters.last_error = error;
	_spillFinished++;
	spillLossLocked();
	if (_queue.size() >= _opts.max_queue_records)
		_counters.records_dropped++;
	else
		queueLocked(std::move(shedItem));
	lk.unlock();
	_wake.notify_one();
	_progress.notify_all();
}

void RequestLogger::spillLossLocked()
{
	// Records of a chunk the disk refused after append() had taken them (their own append()
	// returned true): lost, counted like a batch that could not be committed.
	const uint64_t lost = _spill->takeLost();
	_counters.records_failed += lost;
	_spillFinished += lost;
}

void RequestLogger::spillFinishedLocked(uint64_t n)
{
	uint64_t recovered = std::min(n, _spillRecoveredLeft);
	_spillRecoveredLeft -= recovered;
	_spillFinished += n - recovered;
}

void RequestLogger::recordBreakerEvent(BreakerEvent ev)
{
	{
		std::lock_guard<std::mutex> lk(_mutex);
		if (_stopping)
			return;
		_pendingEvents.push_back(std::move(ev));
	}
	_wake.notify_one();
}

bool RequestLogger::shouldStore(const api::RequestRecord & r, const config::LoggingConfig & cfg) const
{
	const std::string & t = cfg.log_request_types;
	if (t == "success")
		return r.outcome == api::Outcome::Success;
	if (t == "failed")
	{
		if (r.outcome != api::Outcome::Success)
			return true;
		for (const auto & a : r.attempts)
			if (isFailureOutcome(a.outcome))
				return true;
		return false;
	}
	return true;
}

PreparedRecord RequestLogger::prepare(Item && item, const config::LoggingConfig & cfg,
	const std::vector<std::string> & secrets) const
{
	PreparedRecord pr;
	pr.bodies_shed = item.bodies_shed;
	pr.rec = std::move(item.rec);
	auto & r = pr.rec;
	for (std::string * s : {&r.path, &r.error, &r.user_agent})
		redactSecrets(*s, secrets);
	redactHeaders(r.client_request_headers, secrets);
	redactHeaders(r.client_response_headers, secrets);
	auto policy = [&](api::CapturedBody & b, const std::string & which) {
		if (item.bodies_shed)
		{
			BodyInfo i;
			i.omitted = true;
			b.bytes.clear();
			return i;
		}
		return applyBodyPolicy(b, which, cfg.truncated_body_bytes, cfg.max_body_bytes, secrets);
	};
	// Decided at submit on the raw bytes, before the policy changes them (see Item::same_as_client).
	std::vector<bool> sameAsClient(r.attempts.size(), false);
	if (!item.bodies_shed)
		for (size_t i = 0; i < r.attempts.size() && i < item.same_as_client.size(); ++i)
			sameAsClient[i] = item.same_as_client[i];
	pr.client_request_body = policy(r.client_request_body, cfg.log_request_body);
	pr.client_response_body = policy(r.client_response_body, cfg.log_response_body);
	for (size_t i = 0; i < r.attempts.size(); ++i)
	{
		auto & a = r.attempts[i];
		for (std::string * s : {&a.endpoint_url, &a.error})
			redactSecrets(*s, secrets);
		redactHeaders(a.request_headers, secrets);
		redactHeaders(a.response_headers, secrets);
		BodyInfo req;
		if (sameAsClient[i])
		{
			std::string().swap(a.request_body.bytes);
			req = pr.client_request_body;
			req.same_as_client = true;
		}
		else
			req = policy(a.request_body, cfg.log_request_body);
		BodyInfo resp = policy(a.response_body, cfg.log_response_body);
		pr.attempt_bodies.emplace_back(req, resp);
	}
	return pr;
}

void RequestLogger::writerLoop()
{
	// The writer yields the CPU to request threads: when both compete (the proxy at full speed on
	// a small machine), requests keep their throughput and records over the queue's byte bound
	// spill to disk (or are shed, counted) instead. An idle CPU still runs the writer at full speed.
	lowerThreadPriority();
	// After a failed batch the writer waits before the next (see RequestLogger.h): the store's
	// connection attempts during an outage stay rare however long it lasts.
	const int64_t firstBackoff = std::max<int64_t>(1, _opts.retry_backoff_ms);
	const int64_t maxBackoff = std::max(firstBackoff, _opts.retry_max_backoff_ms);
	int64_t backoffMs = 0; // 0: the last batch committed
	int64_t backoffUntil = 0;
	int64_t spillDrainUntil = -1; // set when stopping: how long the spill file is still loaded
	for (;;)
	{
		std::vector<Item> items;
		std::vector<BreakerEvent> events;
		std::map<std::string, EndpointStats> deltas;
		bool fromSpill = false;
		{
			std::unique_lock<std::mutex> lk(_mutex);
			// While records keep spilling (a burst) and the file has room, loading them waits: the
			// machine is busy serving requests, and the file exists to hold the burst. Once the
			// appends pause for kSpillQuietMs, or the file is half full, or at stop, it loads.
			auto spillWork = [&] {
				if (!_spill || _spill->pendingRecords() == 0)
					return false;
				if (_stopping)
					return spillDrainUntil < 0 || nowMs() < spillDrainUntil;
				return nowMs() - _lastSpillAppendMs.load(std::memory_order_relaxed) >= kSpillQuietMs ||
					_spill->sizeBytes() >= _maxSpillBytes.load() / 2;
			};
			// Wakes when the backoff ends (or at least every second; every kSpillQuietMs while the
			// spill file holds records), not only when notified.
			int64_t left = backoffUntil - nowMs();
			int64_t wait = left > 0 ? std::min<int64_t>(left, 1000) : 1000;
			if (_spill && _spill->pendingRecords() > 0)
				wait = std::min<int64_t>(wait, kSpillQuietMs);
			_wake.wait_for(lk, std::chrono::milliseconds(wait), [&] {
				return _stopping ||
					(!_paused && nowMs() >= backoffUntil &&
						(!_queue.empty() || !_pendingEvents.empty() || !_pendingStats.empty() || spillWork()));
			});
			if (_stopping && spillDrainUntil < 0)
				spillDrainUntil = nowMs() + std::max<int64_t>(0, _opts.stop_spill_drain_ms);
			const bool spillPending = spillWork();
			bool idle = _queue.empty() && _pendingEvents.empty() && _pendingStats.empty() && !spillPending;
			if (_stopping && idle)
				break;
			if (idle || (!_stopping && (_paused || nowMs() < backoffUntil)))
				continue;
			size_t batchBytes = 0;
			while (!_queue.empty() && items.size() < _opts.batch_records &&
				(items.empty() || batchBytes + _queue.front().bytes <= _opts.batch_bytes))
			{
				batchBytes += _queue.front().bytes;
				_queueBytes -= _queue.front().bytes;
				items.push_back(std::move(_queue.front()));
				_queue.pop_front();
			}
			// The queue holds the older records (everything spills once spilling started).
			fromSpill = items.empty() && spillPending;
			events.swap(_pendingEvents);
			deltas.swap(_pendingStats);
		}
		config::LoggingConfig cfg;
		std::vector<std::string> secrets;
		configSnapshot(cfg, secrets);
		uint64_t lastSeq = items.empty() ? 0 : items.back().seq;
		std::vector<PreparedRecord> prepared;
		uint64_t filtered = 0;
		SpillFile::Batch spilled;
		uint64_t spillRead = 0, spillLost = 0;
		if (fromSpill)
		{
			const uint64_t pendingBefore = _spill->pendingRecords();
			spilled = _spill->readBatch(_opts.batch_records, _opts.batch_bytes);
			spillRead = spilled.records.size();
			if (spilled.corrupt)
				spillLost = pendingBefore > spillRead ? pendingBefore - spillRead : 0;
			for (auto & pr : spilled.records)
			{
				// The first batch of a file found at start may have committed just before the
				// previous run stopped (the file's position is written after the commit).
				if (spilled.afterReopen)
				{
					ListFilter f;
					f.request_id = pr.rec.request_id;
					try
					{
						if (_store->count(f) > 0)
							continue;
					}
					catch (const std::exception &)
					{
						// The store is unreachable: writeBatch below fails and the batch is retried.
					}
				}
				prepared.push_back(std::move(pr));
			}
		}
		for (auto & it : items)
		{
			if (!shouldStore(it.rec, cfg))
			{
				filtered++;
				continue;
			}
			prepared.push_back(prepare(std::move(it), cfg, secrets));
		}
		std::vector<EndpointStats> statList;
		for (auto & kv : deltas)
		{
			redactSecrets(kv.second.last_failure_error, secrets);
			statList.push_back(kv.second);
		}
		std::string error;
		bool ok = false;
		for (int attempt = 0; attempt < 3 && !ok; ++attempt)
		{
			try
			{
				_store->writeBatch(prepared, statList, events);
				ok = true;
			}
			catch (const std::exception & e)
			{
				error = e.what();
				if (attempt < 2)
					std::this_thread::sleep_for(std::chrono::milliseconds(attempt == 0 ? 50 : 300));
			}
		}
		if (ok && fromSpill)
			_spill->markIngested(spilled.end, spillRead + spillLost);
		{
			std::lock_guard<std::mutex> lk(_mutex);
			_counters.filtered += filtered;
			if (fromSpill)
				spillLossLocked();
			if (fromSpill && ok)
			{
				spillFinishedLocked(spillRead + spillLost);
				if (spillLost > 0)
				{
					_counters.records_failed += spillLost;
					_counters.last_error = "the spill file " + _spill->path() + " is damaged: " + std::to_string(spillLost) +
						" records in it were lost";
				}
				if (_spill->pendingRecords() == 0)
					_spillActive = false; // back to the queue
			}
			if (ok)
			{
				_counters.written += prepared.size();
				_counters.batches++;
				backoffMs = 0;
				backoffUntil = 0;
				_counters.retry_backoff_ms = 0;
			}
			else
			{
				_counters.last_error = error;
				// Spilled records stay in the file for the next try; queued ones are lost (counted)
				// so the queue cannot grow without bound while the store is down.
				if (!fromSpill)
					_counters.records_failed += prepared.size();
				if (!_stopping)
				{
					// Keep statistics and breaker history for the next try.
					for (auto & kv : deltas)
					{
						auto & p = _pendingStats[kv.first];
						EndpointStats merged = kv.second;
						merged.merge(p);
						p = merged;
					}
					events.insert(events.end(), _pendingEvents.begin(), _pendingEvents.end());
					_pendingEvents.swap(events);
					backoffMs = backoffMs == 0 ? firstBackoff : std::min(backoffMs * 2, maxBackoff);
					backoffUntil = nowMs() + backoffMs;
					_counters.retry_backoff_ms = static_cast<uint64_t>(backoffMs);
				}
				else if (fromSpill)
					break; // stopping with the store down: the file keeps them for the next start
			}
			if (lastSeq > _doneSeq)
				_doneSeq = lastSeq;
		}
		_progress.notify_all();
	}
}

bool RequestLogger::flush(int64_t timeoutMs)
{
	std::unique_lock<std::mutex> lk(_mutex);
	uint64_t target = _nextSeq - 1;
	// Spilled records are loaded in the order they were appended: counting them is enough.
	uint64_t spillTarget = _spillSubmitted;
	_wake.notify_one();
	return _progress.wait_for(lk, std::chrono::milliseconds(timeoutMs),
		[&] { return _doneSeq >= target && _spillFinished >= spillTarget; });
}

LoggerCounters RequestLogger::counters() const
{
	std::lock_guard<std::mutex> lk(_mutex);
	LoggerCounters c = _counters;
	c.queue_depth = _queue.size();
	c.queue_bytes = _queueBytes;
	if (_spill)
	{
		c.spill_pending = _spill->pendingRecords();
		c.spill_bytes = _spill->sizeBytes();
	}
	return c;
}

std::vector<EndpointStats> RequestLogger::endpointStats() const
{
	std::lock_guard<std::mutex> lk(_mutex);
	std::vector<EndpointStats> out;
	for (const auto & kv : _stats)
		out.push_back(kv.second);
	return out;
}

RetentionResult RequestLogger::runRetention()
{
	config::LoggingConfig cfg;
	{
		std::lock_guard<std::mutex> lk(_cfgMutex);
		cfg = _cfg;
	}
	// retention_days <= 0 in the config means "no age limit" (cleanup(0) is the delete-all).
	int64_t days = cfg.retention_days > 0 ? cfg.retention_days : 1000000;
	RetentionResult r;
	try
	{
		r = _store->applyRetention(days, cfg.retention_max_bytes, nowMs(), &_stopFlag);
	}
	catch (const std::exception & e)
	{
		std::lock_guard<std::mutex> lk(_mutex);
		_counters.last_error = e.what();
		return r;
	}
	std::lock_guard<std::mutex> lk(_mutex);
	_counters.retention_deleted += static_cast<uint64_t>(r.deleted_by_age + r.deleted_by_size);
	return r;
}

int64_t RequestLogger::cleanup(int64_t days)
{
	int64_t n = _store->cleanup(days, nowMs());
	std::lock_guard<std::mutex> lk(_mutex);
	_counters.retention_deleted += static_cast<uint64_t>(n);
	return n;
}

void RequestLogger::retentionLoop()
{
	for (;;)
	{
		if (_stopFlag)
			return;
		runRetention();
		std::unique_lock<std::mutex> lk(_retentionMutex);
		_retentionWake.wait_for(
			lk, std::chrono::milliseconds(_opts.retention_interval_ms), [&] { return _stopFlag.load(); });
	}
}

} // namespace ccc::store
