// DashboardModel: summary and series loads, live updates from request and breaker events, the
// series rolling forward, reconnect with backoff.
#include <gtest/gtest.h>

#include "fake_transport.h"
#include "model/api_client.h"
#include "model/dashboard_model.h"

namespace ccc::admin
{
namespace
{

using testing::FakeTransport;

/// An EventStreamOpener whose streams the test drives.
struct FakeEvents
{
	StreamEventSink sink;
	std::string path;
	int opened = 0;
	int closed = 0;

	EventStreamOpener opener()
	{
		return [this](const std::string & p, StreamEventSink s) -> StreamCloser {
			path = p;
			sink = std::move(s);
			++opened;
			return [this] {
				sink = nullptr;
				++closed;
			};
		};
	}
	void open() { sink(StreamEvent{StreamEvent::Kind::Open, "", ""}); }
	void error() { sink(StreamEvent{StreamEvent::Kind::Error, "", ""}); }
	void message(const std::string & type, const std::string & data) { sink(StreamEvent{StreamEvent::Kind::Message, type, data}); }
};

constexpr int64_t kNow = 1764361200000; // a whole minute

const char * kSummary = R"({"from_ms": 0, "to_ms": 1, "total_requests": 10, "failed_requests": 1,
	"endpoints": [{"id": "ep-a", "name": "a", "url": "https://a.example", "endpoint_type": "anthropic", "enabled": true,
	  "priority": 1, "tags": [], "status": "active", "breaker_state": "closed", "consecutive_failures": 0,
	  "last_failure": "", "last_failure_at_ms": 0, "opened_at_ms": 0, "active_streams": 2,
	  "live_requests": 3, "live_successes": 3, "live_failures": 0, "total_requests": 10, "total_successes": 9,
	  "total_failures": 1, "success_rate": 0.9, "latency_p50_ms": 100, "latency_p95_ms": 900,
	  "input_tokens": 1000, "output_tokens": 50, "cost_usd": 0.5}],
	"by_endpoint": [], "by_model": [], "storage_bytes": 0, "storage_backend": "sqlite"})";

std::string seriesBody(int64_t from, int64_t bucket, int n, int requestsInLast)
{
	nlohmann::json b = nlohmann::json::array();
	for (int i = 0; i < n; ++i)
		b.push_back({{"start_ms", from + i * bucket}, {"requests", i == n - 1 ? requestsInLast : 0}, {"errors", 0},
			{"latency_p50_ms", i == n - 1 && requestsInLast ? 500 : 0}, {"latency_p95_ms", i == n - 1 && requestsInLast ? 700 : 0},
			{"input_tokens", 0}, {"output_tokens", 0}, {"cache_creation_tokens", 0}, {"cache_read_tokens", 0}});
	return nlohmann::json{{"from_ms", from}, {"to_ms", from + n * bucket}, {"bucket_ms", bucket}, {"scanned", 0},
		{"truncated", false}, {"buckets", b}}.dump();
}

std::string requestEvent(int64_t startedAt, const std::string & outcome, int64_t durationMs, int64_t in, int64_t out)
{
	nlohmann::json r = {{"id", 0}, {"request_id", "r1"}, {"started_at_ms", startedAt}, {"duration_ms", durationMs},
		{"method", "POST"}, {"path", "/v1/messages"}, {"status", outcome == "success" ? 200 : 502}, {"outcome", outcome},
		{"final_endpoint_id", "ep-a"}, {"final_endpoint_name", "a"},
		{"usage", {{"input_tokens", in}, {"output_tokens", out}}}};
	return nlohmann::json{{"type", "request"}, {"at_ms", startedAt + durationMs}, {"request", r}}.dump();
}

class Dashboard : public ::testing::Test
{
protected:
	Dashboard() : api(net.transport()), model(api)
	{
		model.setClock([this] { return now; });
		model.setEventStream(events.opener());
	}

	/// Answers the summary and the series requests the first visible tick sends (15 min range).
	void loadAll()
	{
		model.selectRange(0);
		model.tick(true);
		ASSERT_EQ(net.pending(), 2u);
		ASSERT_EQ(net.front().path.rfind("/admin/api/dashboard?from=", 0), 0u) << net.front().path;
		net.answer(200, kSummary);
		const int64_t to = (now / 15000 + 1) * 15000;
		EXPECT_EQ(net.front().path, "/admin/api/timeseries?from=" + std::to_string(to - 900000) + "&to=" + std::to_string(to)
			+ "&bucket=15000");
		net.answer(200, seriesBody(to - 900000, 15000, 60, 0));
	}

	int64_t now = kNow;
	FakeTransport net;
	FakeEvents events;
	ApiClient api;
	DashboardModel model;
};

TEST_F(Dashboard, LoadsSummaryAndSeries)
{
	loadAll();
	ASSERT_TRUE(model.summary().data);
	EXPECT_EQ(model.summary().data->endpoints.size(), 1u);
	EXPECT_EQ(model.activeStreams(), 2);
	ASSERT_TRUE(model.series().data);
	EXPECT_EQ(model.chart().requests.size(), 60u);
	EXPECT_EQ(model.chart().bucket_ms, 15000);
	const auto s = model.testState();
	EXPECT_EQ(s["range"], "15m");
	EXPECT_EQ(s["total_requests"], 10);
	EXPECT_EQ(s["cards"][0]["active_streams"], 2);
	EXPECT_EQ(s["series"]["buckets"], 60);
}

TEST_F(Dashboard, RequestEventsUpdateCardsAndTheCurrentBucketAtOnce)
{
	loadAll();
	EXPECT_EQ(events.opened, 1);
	EXPECT_EQ(events.path, "/admin/api/events");
	EXPECT_EQ(model.streamState(), StreamState::Connecting);
	events.open();
	EXPECT_EQ(model.streamState(), StreamState::Open);

	const uint64_t gen = model.chart().generation;
	// Both started in the last bucket, [now, now + 15 s).
	events.message("request", requestEvent(now + 1000, "success", 300, 120, 30));
	events.message("request", requestEvent(now + 500, "upstream_error", 900, -1, -1));
	EXPECT_EQ(model.eventsReceived(), 2);
	const auto & card = model.summary().data->endpoints[0];
	EXPECT_EQ(card.live_requests, 5);
	EXPECT_EQ(card.total_requests, 12);
	EXPECT_EQ(card.total_failures, 2);
	EXPECT_DOUBLE_EQ(card.success_rate, 10.0 / 12.0);
	EXPECT_EQ(card.input_tokens, 1120);
	EXPECT_EQ(model.summary().data->total_requests, 12);
	EXPECT_EQ(model.summary().data->failed_requests, 2);
	EXPECT_GT(model.chart().generation, gen);
	EXPECT_FLOAT_EQ(model.chart().requests.back(), 2.0f);
	EXPECT_FLOAT_EQ(model.chart().errors.back(), 1.0f);
	EXPECT_FLOAT_EQ(model.chart().latency_p50.back(), 300.0f) << "exact over the live samples (nearest rank)";
	EXPECT_FLOAT_EQ(model.chart().latency_p95.back(), 900.0f);
	EXPECT_FLOAT_EQ(model.chart().output_tokens.back(), 30.0f);

	// Garbage and unknown events are ignored, not counted.
	events.message("request", "{not json");
	events.message("request", R"({"type": "request"})");
	EXPECT_EQ(model.eventsReceived(), 2);

	// A summary refresh follows the events (debounced), with the service's exact figures.
	model.tick(true);
	EXPECT_EQ(net.pending(), 0u) << "not yet: debounced";
	now += 1600;
	model.tick(true);
	ASSERT_EQ(net.pending(), 1u);
	EXPECT_EQ(net.front().path.rfind("/admin/api/dashboard", 0), 0u);
}

TEST_F(Dashboard, BreakerEventsChangeTheCard)
{
	loadAll();
	events.open();
	events.message("breaker", R"({"type": "breaker", "at_ms": 1764361201002, "endpoint_id": "ep-a", "endpoint_name": "a",
		"from_state": "closed", "to_state": "open", "reason": "3 consecutive failures"})");
	const auto & card = model.summary().data->endpoints[0];
	EXPECT_EQ(card.breaker_state, "open");
	EXPECT_EQ(card.status, "open");
	EXPECT_EQ(card.last_failure, "3 consecutive failures");
	events.message("breaker", R"({"type": "breaker", "at_ms": 1764361202002, "endpoint_id": "ep-a", "endpoint_name": "a",
		"from_state": "open", "to_state": "closed", "reason": "reset"})");
	EXPECT_EQ(card.status, "active");
}

TEST_F(Dashboard, SeriesRollsForwardAsTimePasses)
{
	loadAll();
	events.open();
	const int64_t firstStart = model.series().data->buckets.front().start_ms;
	now += 31000; // two buckets later
	model.tick(false);
	EXPECT_EQ(model.series().data->buckets.size(), 60u);
	EXPECT_EQ(model.series().data->buckets.front().start_ms, firstStart + 30000);
	EXPECT_EQ(model.series().data->to_ms, model.series().data->buckets.back().start_ms + 15000);
	EXPECT_GE(now, model.series().data->buckets.back().start_ms);
	events.message("request", requestEvent(now, "success", 10, 1, 1));
	EXPECT_FLOAT_EQ(model.chart().requests.back(), 1.0f);
	// Far beyond the span: everything starts over, empty.
	now += 3600000;
	model.tick(false);
	EXPECT_EQ(model.testState()["series"]["requests"], 0);
	EXPECT_EQ(model.series().data->buckets.size(), 60u);
}

TEST_F(Dashboard, ReconnectsWithBackoffAndReloadsAfterwards)
{
	loadAll();
	events.open();
	events.error();
	EXPECT_EQ(model.streamState(), StreamState::Waiting);
	EXPECT_EQ(events.closed, 1);
	EXPECT_EQ(model.reconnectAtMs(), now + 1000);
	model.tick(false);
	EXPECT_EQ(events.opened, 1) << "waits for the backoff";
	now += 1000;
	model.tick(false);
	EXPECT_EQ(events.opened, 2);
	events.error(); // fails again: 2 s
	EXPECT_EQ(model.reconnectAtMs(), now + 2000);
	now += 2000;
	model.tick(false);
	events.error(); // 4 s
	EXPECT_EQ(model.reconnectAtMs(), now + 4000);
	now += 4000;
	model.tick(false);
	EXPECT_EQ(events.opened, 4);
	events.open();
	EXPECT_EQ(model.streamState(), StreamState::Open);
	EXPECT_EQ(model.reconnects(), 1);
	// Missed events: both reloaded.
	ASSERT_EQ(net.pending(), 2u);
	EXPECT_EQ(net.front().path.rfind("/admin/api/dashboard", 0), 0u);
	// The backoff starts over after a successful open.
	net.answer(200, kSummary);
	net.answer(500, R"({"error": "store down"})");
	EXPECT_EQ(model.series().state, LoadState::Failed);
	EXPECT_EQ(model.series().error, "HTTP 500: store down");
	events.error();
	EXPECT_EQ(model.reconnectAtMs(), now + 1000);
	// Capped at 30 s.
	for (int i = 0; i < 8; ++i)
	{
		now = model.reconnectAtMs();
		model.tick(false);
		events.error();
	}
	EXPECT_EQ(model.reconnectAtMs(), now + 30000);
}

TEST_F(Dashboard, RangeChangeWhileLoadingAsksAgain)
{
	model.tick(true);
	ASSERT_EQ(net.pending(), 2u);
	net.answer(200, kSummary);
	model.selectRange(1); // 1h while the 24h series is in flight
	net.answer(200, seriesBody(0, 24 * 60000, 60, 0));
	EXPECT_NE(model.series().state, LoadState::Loaded) << "the stale answer is not shown";
	ASSERT_EQ(net.pending(), 1u);
	EXPECT_NE(net.front().path.find("&bucket=60000"), std::string::npos) << net.front().path;
}

TEST_F(Dashboard, FailuresAreShown)
{
	model.tick(true);
	net.answer(401, R"({"error": "log in first", "code": "LOGIN_REQUIRED"})");
	EXPECT_TRUE(api.loginState().loginRequired()) << "held by the client for the login";
	EXPECT_EQ(model.summary().state, LoadState::Loading);
	net.answer(200, R"({"buckets": "nope"})");
	EXPECT_EQ(model.series().state, LoadState::Failed);
	EXPECT_FALSE(model.series().error.empty());
}

} // namespace
} // namespace ccc::admin
