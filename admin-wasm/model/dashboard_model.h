#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "ccc/api/admin_logs.h"
#include "model/api_client.h"
#include "model/event_stream.h"
#include "model/resource.h"

/// The dashboard panel's state apart from drawing: the endpoint cards and totals
/// (GET /admin/api/dashboard), the charts' time series (GET /admin/api/timeseries) for a range
/// preset, and the live event stream (GET /admin/api/events) that updates both between reloads.
/// Owned by AppState (AppState::dashboard()); the panel reads it and calls its actions.
///
/// Live updates: a `request` event counts into its bucket and into its endpoint's card at once;
/// a `breaker` event changes the card's state. Figures the events cannot carry (requests in
/// flight, persisted totals, percentiles of buckets the server had already filled) are corrected
/// by a summary reload shortly after events and every 10 s while the panel is shown, and by a
/// series reload every minute. A dropped stream reconnects with exponential backoff (1 s up to
/// 30 s), and everything is reloaded after a reconnect (events may have been missed).
namespace ccc::admin
{

/// A chart range: the span shown and the bucket width asked of /admin/api/timeseries.
struct RangePreset
{
	const char * id; ///< "15m", "1h", "6h", "24h", "7d" (stable: test hook and buttons)
	int64_t span_ms;
	int64_t bucket_ms;
};

/// The presets, shortest first (each about 60 buckets).
const std::vector<RangePreset> & rangePresets();

enum class StreamState
{
	Idle,       ///< never connected (no event stream plugged in, or not started yet)
	Connecting, ///< EventSource created, not open yet
	Open,       ///< events arrive
	Waiting     ///< dropped; reconnects at reconnectAtMs()
};

const char * streamStateName(StreamState s);

/// The charts' data as flat arrays, rebuilt when the series changes (never per frame).
struct ChartSeries
{
	int64_t start_ms = 0;  ///< start of the first bucket
	int64_t bucket_ms = 0;
	std::vector<float> requests, errors, latency_p50, latency_p95, input_tokens, output_tokens;
	uint64_t generation = 0; ///< bumps on every change (drawing caches may key on it)
};

class DashboardModel
{
public:
	explicit DashboardModel(ApiClient & api) : _api(api) { }
	~DashboardModel();
	DashboardModel(const DashboardModel &) = delete;
	DashboardModel & operator=(const DashboardModel &) = delete;

	/// Plugs in the event stream (AppState does, from the page); without one there are no live updates.
	void setEventStream(EventStreamOpener opener) { _opener = std::move(opener); }
	/// The wall clock in epoch ms; tests replace it.
	void setClock(std::function<int64_t()> clock) { _clock = std::move(clock); }

	/// Reloads the summary and the series of the current range.
	void reload();
	void reloadSummary();
	void reloadSeries();
	/// Chooses a range preset (index into rangePresets()) and reloads the series.
	void selectRange(size_t index);
	size_t rangeIndex() const { return _range; }

	/// Call once per frame: starts the event stream, reconnects after backoff, rolls the series
	/// forward as time passes, and (while `visible`) refreshes the summary and series as planned.
	void tick(bool visible);

	const Resource<api::DashboardSummary> & summary() const { return _summary; }
	const Resource<api::TimeSeries> & series() const { return _series; }
	const ChartSeries & chart() const { return _chart; }
	/// Requests in flight now, over every endpoint (the cards' active_streams).
	int64_t activeStreams() const;

	StreamState streamState() const { return _stream; }
	int64_t reconnectAtMs() const { return _reconnectAt; }
	int reconnects() const { return _reconnects; }
	int64_t eventsReceived() const { return _eventsReceived; }
	int64_t nowMs() const;

	/// This panel's part of window.__adminTest.state (under the key "dashboard"); keys are stable.
	nlohmann::ordered_json testState() const;

private:
	void connect();
	void onStreamEvent(const StreamEvent & e);
	void applyRequest(const api::LogSummary & r);
	void applyBreaker(const api::LiveEvent & e);
	/// Appends empty buckets until the series covers `nowMs` (drops the oldest: the span stays).
	void rollSeries(int64_t nowMs);
	void rebuildChart();

	ApiClient & _api;
	EventStreamOpener _opener;
	std::function<int64_t()> _clock;

	Resource<api::DashboardSummary> _summary;
	Resource<api::TimeSeries> _series;
	ChartSeries _chart;
	/// Request durations per bucket that arrived live, for buckets the server reported empty
	/// (their percentiles are then exact); same length as the series' buckets.
	std::vector<std::vector<int64_t>> _liveDurations;
	std::vector<bool> _serverFilled;
	size_t _range = 3; // 24h, like GET /admin/api/dashboard's default

	StreamState _stream = StreamState::Idle;
	StreamCloser _closer;
	int _failures = 0;        ///< consecutive connection failures (the backoff exponent)
	int _reconnects = 0;
	bool _everOpened = false;
	int64_t _reconnectAt = 0;
	int64_t _eventsReceived = 0;
	int _seenLogins = 0;

	int64_t _lastSummaryAt = -1;  ///< when the summary was last requested
	int64_t _lastSeriesAt = -1;
	bool _summaryStale = false;   ///< events arrived since the summary was requested

	/// Guards callbacks that outlive the object (the transport may answer after destruction).
	std::shared_ptr<bool> _alive = std::make_shared<bool>(true);
};

} // namespace ccc::admin
