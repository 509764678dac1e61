#include "model/dashboard_model.h"

#include <algorithm>
#include <chrono>

#include "model/resource_load.h"

namespace ccc::admin
{

namespace
{

constexpr int64_t kSummaryEveryMs = 10000;     ///< summary refresh while the panel is shown
constexpr int64_t kSummaryAfterEventMs = 1500; ///< summary refresh after events (debounced)
constexpr int64_t kSeriesEveryMs = 60000;      ///< series refresh (exact percentiles) while shown
constexpr int64_t kBackoffMaxMs = 30000;

int64_t tokens(int64_t v)
{
	return v > 0 ? v : 0;
}

int64_t percentile(std::vector<int64_t> v, double p)
{
	if (v.empty())
		return 0;
	std::sort(v.begin(), v.end());
	// Nearest rank, like the service (api::percentileOf).
	size_t rank = static_cast<size_t>(p * static_cast<double>(v.size()) + 0.999999);
	rank = std::min(std::max<size_t>(rank, 1), v.size());
	return v[rank - 1];
}

double successRate(int64_t successes, int64_t failures)
{
	const int64_t decided = successes + failures;
	return decided > 0 ? static_cast<double>(successes) / static_cast<double>(decided) : -1.0;
}

} // namespace

const std::vector<RangePreset> & rangePresets()
{
	static const std::vector<RangePreset> presets = {
		{"15m", 15 * 60000LL, 15000},
		{"1h", 3600000LL, 60000},
		{"6h", 6 * 3600000LL, 6 * 60000LL},
		{"24h", 24 * 3600000LL, 24 * 60000LL},
		{"7d", 7 * 24 * 3600000LL, 168 * 60000LL},
	};
	return presets;
}

const char * streamStateName(StreamState s)
{
	switch (s)
	{
		case StreamState::Idle: return "idle";
		case StreamState::Connecting: return "connecting";
		case StreamState::Open: return "open";
		case StreamState::Waiting: return "waiting";
	}
	return "unknown";
}

DashboardModel::~DashboardModel()
{
	if (_closer)
		_closer();
}

int64_t DashboardModel::nowMs() const
{
	if (_clock)
		return _clock();
	return static_cast<int64_t>(
		std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count());
}

void DashboardModel::reload()
{
	reloadSummary();
	reloadSeries();
}

void DashboardModel::reloadSummary()
{
	if (!_summary.begin())
		return;
	_lastSummaryAt = nowMs();
	_summaryStale = false;
	const RangePreset & r = rangePresets()[_range];
	const int64_t to = _lastSummaryAt + 1;
	HttpRequest req;
	req.path = "/admin/api/dashboard?from=" + std::to_string(to - r.span_ms) + "&to=" + std::to_string(to);
	const auto parse = [](const nlohmann::ordered_json & body, api::DashboardSummary & d, std::string & error) {
		if (api::fromJson(nlohmann::json(body), d, error))
			return true;
		error = "unexpected dashboard answer: " + error;
		return false;
	};
	loadInto(_api, req, _summary, _alive, parse);
}

void DashboardModel::reloadSeries()
{
	if (!_series.begin())
		return;
	const int64_t now = nowMs();
	_lastSeriesAt = now;
	const RangePreset & r = rangePresets()[_range];
	// Buckets aligned to their width, the last one holding `now`: live events extend it.
	const int64_t to = (now / r.bucket_ms + 1) * r.bucket_ms;
	HttpRequest req;
	req.path = "/admin/api/timeseries?from=" + std::to_string(to - r.span_ms) + "&to=" + std::to_string(to)
		+ "&bucket=" + std::to_string(r.bucket_ms);
	const size_t range = _range;
	std::weak_ptr<bool> alive = _alive;
	_api.request(req, [this, alive, range](ApiResult result) {
		if (alive.expired())
			return;
		if (!result.ok)
		{
			_series.fail(result.error);
			return;
		}
		api::TimeSeries ts;
		std::string error;
		if (!api::fromJson(nlohmann::json(result.body), ts, error) || ts.bucket_ms <= 0)
		{
			_series.fail("unexpected time series answer: " + (error.empty() ? std::string("no buckets") : error));
			return;
		}
		if (range != _range)
		{
			// The user picked another range meanwhile: that answer is the one to show.
			_series.state = LoadState::Idle;
			reloadSeries();
			return;
		}
		_liveDurations.assign(ts.buckets.size(), {});
		_serverFilled.assign(ts.buckets.size(), false);
		for (size_t i = 0; i < ts.buckets.size(); ++i)
			_serverFilled[i] = ts.buckets[i].requests > 0;
		_series.succeed(std::move(ts));
		rollSeries(nowMs());
		rebuildChart();
	});
}

void DashboardModel::selectRange(size_t index)
{
	if (index >= rangePresets().size() || index == _range)
		return;
	_range = index;
	if (_series.state == LoadState::Loading)
		return; // the answer in flight notices the change and asks again
	reload();
}

int64_t DashboardModel::activeStreams() const
{
	int64_t n = 0;
	if (_summary.data)
		for (const auto & e : _summary.data->endpoints)
			n += e.active_streams;
	return n;
}

void DashboardModel::tick(bool visible)
{
	const int64_t now = nowMs();
	const int logins = _api.loginState().logins;
	if (logins != _seenLogins)
	{
		// A login (the session had ended): the stream failed meanwhile; reconnect now.
		_seenLogins = logins;
		if (_stream == StreamState::Waiting)
		{
			_failures = 0;
			_reconnectAt = now;
		}
	}
	if (_opener && (_stream == StreamState::Idle || (_stream == StreamState::Waiting && now >= _reconnectAt)))
		connect();
	if (_series.data)
	{
		const api::TimeSeries & ts = *_series.data;
		if (now >= ts.to_ms)
		{
			rollSeries(now);
			rebuildChart();
		}
	}
	if (!visible)
		return;
	if (_summary.state == LoadState::Idle || (_summary.state != LoadState::Loading
		&& (now - _lastSummaryAt >= kSummaryEveryMs || (_summaryStale && now - _lastSummaryAt >= kSummaryAfterEventMs))))
		reloadSummary();
	if (_series.state == LoadState::Idle || (_series.state != LoadState::Loading && now - _lastSeriesAt >= kSeriesEveryMs))
		reloadSeries();
}

void DashboardModel::connect()
{
	if (_closer)
	{
		StreamCloser close = std::move(_closer);
		_closer = nullptr;
		close();
	}
	_stream = StreamState::Connecting;
	std::weak_ptr<bool> alive = _alive;
	_closer = _opener("/admin/api/events", [this, alive](const StreamEvent & e) {
		if (alive.expired())
			return;
		onStreamEvent(e);
	});
}

void DashboardModel::onStreamEvent(const StreamEvent & e)
{
	switch (e.kind)
	{
		case StreamEvent::Kind::Open:
			_stream = StreamState::Open;
			_failures = 0;
			if (_everOpened)
			{
				// Events were missed while disconnected: the service's figures are the truth.
				++_reconnects;
				_lastSummaryAt = -kSummaryEveryMs;
				_lastSeriesAt = -kSeriesEveryMs;
				_summaryStale = true;
				if (_summary.state != LoadState::Idle)
					reloadSummary();
				if (_series.state != LoadState::Idle)
					reloadSeries();
			}
			_everOpened = true;
			return;
		case StreamEvent::Kind::Error:
		{
			if (_closer)
			{
				StreamCloser close = std::move(_closer);
				_closer = nullptr;
				close();
			}
			_stream = StreamState::Waiting;
			const int64_t backoff = std::min<int64_t>(kBackoffMaxMs, 1000LL << std::min(_failures, 5));
			++_failures;
			_reconnectAt = nowMs() + backoff;
			return;
		}
		case StreamEvent::Kind::Message:
			break;
	}
	const nlohmann::json j = nlohmann::json::parse(e.data, nullptr, false);
	if (!j.is_object() || (e.type == "request" && !(j.contains("request") && j["request"].is_object())))
		return;
	api::LiveEvent ev;
	std::string error;
	if (!api::fromJson(j, ev, error))
		return;
	++_eventsReceived;
	if (ev.type == "request")
		applyRequest(ev.request);
	else if (ev.type == "breaker")
		applyBreaker(ev);
	_summaryStale = true;
}

void DashboardModel::applyRequest(const api::LogSummary & r)
{
	const bool success = r.outcome == "success";
	const bool counted = r.outcome != "client_cancelled";
	if (_summary.data)
	{
		api::DashboardSummary & d = *_summary.data;
		d.total_requests++;
		if (!success)
			d.failed_requests++;
		for (auto & card : d.endpoints)
			if (card.id == r.final_endpoint_id && !r.final_endpoint_id.empty())
			{
				card.live_requests++;
				card.total_requests++;
				if (success)
				{
					card.live_successes++;
					card.total_successes++;
				}
				else if (counted)
				{
					card.live_failures++;
					card.total_failures++;
				}
				card.success_rate = successRate(card.total_successes, card.total_failures);
				card.input_tokens += tokens(r.usage.input_tokens);
				card.output_tokens += tokens(r.usage.output_tokens);
				card.cost_usd += r.cost_usd;
				break;
			}
	}
	if (!_series.data)
		return;
	rollSeries(std::max(nowMs(), r.started_at_ms));
	api::TimeSeries & ts = *_series.data;
	if (r.started_at_ms < ts.from_ms || r.started_at_ms >= ts.to_ms)
		return;
	const size_t i = static_cast<size_t>((r.started_at_ms - ts.from_ms) / ts.bucket_ms);
	if (i >= ts.buckets.size())
		return;
	api::TimeSeriesBucket & b = ts.buckets[i];
	b.requests++;
	b.errors += (!success && counted) ? 1 : 0;
	b.input_tokens += tokens(r.usage.input_tokens);
	b.output_tokens += tokens(r.usage.output_tokens);
	b.cache_creation_tokens += tokens(r.usage.cache_creation_input_tokens);
	b.cache_read_tokens += tokens(r.usage.cache_read_input_tokens);
	if (!_serverFilled[i])
	{
		_liveDurations[i].push_back(std::max<int64_t>(0, r.duration_ms));
		b.latency_p50_ms = percentile(_liveDurations[i], 0.50);
		b.latency_p95_ms = percentile(_liveDurations[i], 0.95);
	}
	rebuildChart();
}

void DashboardModel::applyBreaker(const api::LiveEvent & e)
{
	if (!_summary.data)
		return;
	for (auto & card : _summary.data->endpoints)
		if (card.id == e.endpoint_id)
		{
			card.breaker_state = e.to_state;
			if (e.to_state == "open")
			{
				card.status = "open";
				card.opened_at_ms = e.at_ms;
			}
			else
				card.status = card.enabled ? "active" : "disabled";
			if (!e.reason.empty() && e.to_state == "open")
				card.last_failure = e.reason;
		}
}

void DashboardModel::rollSeries(int64_t now)
{
	if (!_series.data)
		return;
	api::TimeSeries & ts = *_series.data;
	if (ts.bucket_ms <= 0 || now < ts.to_ms)
		return;
	const int64_t steps = (now - ts.to_ms) / ts.bucket_ms + 1;
	const size_t n = ts.buckets.size();
	if (static_cast<size_t>(steps) >= n)
	{
		// Everything shown is older than the span: start over with empty buckets.
		for (size_t i = 0; i < n; ++i)
		{
			ts.buckets[i] = api::TimeSeriesBucket{};
			ts.buckets[i].start_ms = ts.from_ms + (steps + static_cast<int64_t>(i)) * ts.bucket_ms;
			_liveDurations[i].clear();
			_serverFilled[i] = false;
		}
	}
	else
	{
		const size_t k = static_cast<size_t>(steps);
		ts.buckets.erase(ts.buckets.begin(), ts.buckets.begin() + static_cast<std::ptrdiff_t>(k));
		_liveDurations.erase(_liveDurations.begin(), _liveDurations.begin() + static_cast<std::ptrdiff_t>(k));
		_serverFilled.erase(_serverFilled.begin(), _serverFilled.begin() + static_cast<std::ptrdiff_t>(k));
		for (size_t i = 0; i < k; ++i)
		{
			api::TimeSeriesBucket b;
			b.start_ms = ts.to_ms + static_cast<int64_t>(i) * ts.bucket_ms;
			ts.buckets.push_back(b);
			_liveDurations.emplace_back();
			_serverFilled.push_back(false);
		}
	}
	ts.from_ms += steps * ts.bucket_ms;
	ts.to_ms += steps * ts.bucket_ms;
}

void DashboardModel::rebuildChart()
{
	ChartSeries c;
	c.generation = _chart.generation + 1;
	if (_series.data)
	{
		const api::TimeSeries & ts = *_series.data;
		c.start_ms = ts.from_ms;
		c.bucket_ms = ts.bucket_ms;
		for (const auto & b : ts.buckets)
		{
			c.requests.push_back(static_cast<float>(b.requests));
			c.errors.push_back(static_cast<float>(b.errors));
			c.latency_p50.push_back(static_cast<float>(b.latency_p50_ms));
			c.latency_p95.push_back(static_cast<float>(b.latency_p95_ms));
			c.input_tokens.push_back(static_cast<float>(b.input_tokens + b.cache_creation_tokens + b.cache_read_tokens));
			c.output_tokens.push_back(static_cast<float>(b.output_tokens));
		}
	}
	_chart = std::move(c);
}

nlohmann::ordered_json DashboardModel::testState() const
{
	nlohmann::ordered_json s;
	s["stream"] = streamStateName(_stream);
	s["events_received"] = _eventsReceived;
	s["reconnects"] = _reconnects;
	s["range"] = rangePresets()[_range].id;
	s["summary_state"] = loadStateName(_summary.state);
	s["summary_error"] = _summary.error;
	s["summary_loads"] = _summary.loads_completed;
	s["series_state"] = loadStateName(_series.state);
	s["series_error"] = _series.error;
	s["series_loads"] = _series.loads_completed;
	int64_t total = 0, failed = 0;
	nlohmann::ordered_json cards = nlohmann::ordered_json::array();
	if (_summary.data)
	{
		total = _summary.data->total_requests;
		failed = _summary.data->failed_requests;
		for (const auto & e : _summary.data->endpoints)
			cards.push_back({{"id", e.id}, {"name", e.name}, {"status", e.status}, {"breaker", e.breaker_state},
				{"active_streams", e.active_streams}, {"live_requests", e.live_requests}, {"live_failures", e.live_failures},
				{"total_requests", e.total_requests}, {"success_rate", e.success_rate}, {"latency_p50_ms", e.latency_p50_ms},
				{"latency_p95_ms", e.latency_p95_ms}, {"input_tokens", e.input_tokens}, {"output_tokens", e.output_tokens}});
	}
	s["total_requests"] = total;
	s["failed_requests"] = failed;
	s["active_streams"] = activeStreams();
	s["cards"] = std::move(cards);
	int64_t requests = 0, errors = 0, inTokens = 0, outTokens = 0, maxP95 = 0;
	size_t buckets = 0;
	if (_series.data)
	{
		buckets = _series.data->buckets.size();
		for (const auto & b : _series.data->buckets)
		{
			requests += b.requests;
			errors += b.errors;
			inTokens += b.input_tokens;
			outTokens += b.output_tokens;
			maxP95 = std::max(maxP95, b.latency_p95_ms);
		}
	}
	s["series"] = {{"buckets", buckets}, {"requests", requests}, {"errors", errors}, {"input_tokens", inTokens},
		{"output_tokens", outTokens}, {"max_latency_p95_ms", maxP95}, {"generation", _chart.generation}};
	return s;
}

} // namespace ccc::admin
