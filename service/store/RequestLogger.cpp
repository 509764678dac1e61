#include "store/RequestLogger.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>
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
} // namespace

RequestLoggerOptions RequestLoggerOptions::fromEnvironment()
{
	RequestLoggerOptions o;
	const char * v = std::getenv("CCC_LOG_QUEUE_MAX_BYTES");
	if (v && *v >= '0' && *v <= '9') // strtoull would take "-5" as a huge number
	{
		char * end = nullptr;
		unsigned long long n = std::strtoull(v, &end, 10);
		unsigned long long mult = 1;
		if (end && (*end == 'k' || *end == 'K'))
			mult = 1024ull, ++end;
		else if (end && (*end == 'm' || *end == 'M'))
			mult = 1024ull * 1024, ++end;
		else if (end && (*end == 'g' || *end == 'G'))
			mult = 1024ull * 1024 * 1024, ++end;
		if (end && *end == '\0' && n > 0)
			o.max_queue_bytes = static_cast<size_t>(n * mult);
	}
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
		bool same = !a.request_body.bytes.empty() && a.request_body.totalSize == rec.client_request_body.totalSize &&
			a.request_body.bytes == rec.client_request_body.bytes;
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
	if (_queue.size() >= _opts.max_queue_records)
	{
		_counters.records_dropped++;
		return;
	}
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
	item.rec = std::move(rec);
	item.seq = _nextSeq++;
	_queueBytes += item.bytes;
	_queue.push_back(std::move(item));
	lk.unlock();
	_wake.notify_one();
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
	// a small machine), requests keep their throughput and the queue's byte bound sheds bodies
	// (counted) instead. An idle CPU still runs the writer at full speed.
	lowerThreadPriority();
	// After a failed batch the writer waits before the next (see RequestLogger.h): the store's
	// connection attempts during an outage stay rare however long it lasts.
	const int64_t firstBackoff = std::max<int64_t>(1, _opts.retry_backoff_ms);
	const int64_t maxBackoff = std::max(firstBackoff, _opts.retry_max_backoff_ms);
	int64_t backoffMs = 0; // 0: the last batch committed
	int64_t backoffUntil = 0;
	for (;;)
	{
		std::vector<Item> items;
		std::vector<BreakerEvent> events;
		std::map<std::string, EndpointStats> deltas;
		{
			std::unique_lock<std::mutex> lk(_mutex);
			// Wakes when the backoff ends (or at least every second), not only when notified.
			int64_t left = backoffUntil - nowMs();
			int64_t wait = left > 0 ? std::min<int64_t>(left, 1000) : 1000;
			_wake.wait_for(lk, std::chrono::milliseconds(wait), [&] {
				return _stopping ||
					(!_paused && nowMs() >= backoffUntil &&
						(!_queue.empty() || !_pendingEvents.empty() || !_pendingStats.empty()));
			});
			bool idle = _queue.empty() && _pendingEvents.empty() && _pendingStats.empty();
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
			events.swap(_pendingEvents);
			deltas.swap(_pendingStats);
		}
		config::LoggingConfig cfg;
		std::vector<std::string> secrets;
		{
			std::lock_guard<std::mutex> lk(_cfgMutex);
			cfg = _cfg;
			secrets = _secrets;
		}
		uint64_t lastSeq = items.empty() ? 0 : items.back().seq;
		std::vector<PreparedRecord> prepared;
		uint64_t filtered = 0;
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
		{
			std::lock_guard<std::mutex> lk(_mutex);
			_counters.filtered += filtered;
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
				_counters.records_failed += prepared.size();
				_counters.last_error = error;
				if (!_stopping)
				{
					// Keep statistics and breaker history for the next try; records are lost
					// (counted) so the queue cannot grow without bound while the store is down.
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
	_wake.notify_one();
	return _progress.wait_for(lk, std::chrono::milliseconds(timeoutMs), [&] { return _doneSeq >= target; });
}

LoggerCounters RequestLogger::counters() const
{
	std::lock_guard<std::mutex> lk(_mutex);
	LoggerCounters c = _counters;
	c.queue_depth = _queue.size();
	c.queue_bytes = _queueBytes;
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
