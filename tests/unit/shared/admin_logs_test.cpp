#include <gtest/gtest.h>

#include "ccc/api/admin_logs.h"

using namespace ccc::api;
using nlohmann::json;

TEST(AdminLogsParams, DefaultsWhenEmpty)
{
	LogsListParams p;
	std::string bad, msg;
	ASSERT_TRUE(LogsListParams::fromQuery({}, p, bad, msg));
	EXPECT_EQ(p.from_ms, -1);
	EXPECT_EQ(p.to_ms, -1);
	EXPECT_EQ(p.limit, 100);
	EXPECT_TRUE(p.toQuery().empty());
}

TEST(AdminLogsParams, ReadsEveryFilterAndRoundTripsThroughQuery)
{
	std::map<std::string, std::string> q = {{"from", "1000"}, {"to", "2000"}, {"endpoint", "ep-a"}, {"model", "m"},
		{"status", "5xx"}, {"tag", "fast"}, {"session", "s1"}, {"q", "timeout"}, {"request_id", "r1"}, {"limit", "7"},
		{"cursor", "1500:42"}, {"unknown", "ignored"}};
	LogsListParams p;
	std::string bad, msg;
	ASSERT_TRUE(LogsListParams::fromQuery(q, p, bad, msg)) << bad << ": " << msg;
	EXPECT_EQ(p.from_ms, 1000);
	EXPECT_EQ(p.to_ms, 2000);
	EXPECT_EQ(p.endpoint, "ep-a");
	EXPECT_EQ(p.status, "5xx");
	EXPECT_EQ(p.q, "timeout");
	EXPECT_EQ(p.limit, 7);
	EXPECT_EQ(p.cursor, "1500:42");
	q.erase("unknown");
	EXPECT_EQ(p.toQuery(), q);
	EXPECT_EQ(toJson(p)["status"], "5xx");
}

TEST(AdminLogsParams, NamesTheBadParameter)
{
	struct Case
	{
		std::map<std::string, std::string> q;
		const char * param;
	};
	const Case cases[] = {{{{"from", "yesterday"}}, "from"}, {{{"to", "-5"}}, "to"},
		{{{"from", "2000"}, {"to", "1000"}}, "to"}, {{{"limit", "0"}}, "limit"}, {{{"limit", "1001"}}, "limit"},
		{{{"limit", "ten"}}, "limit"}, {{{"status", "6xx"}}, "status"}, {{{"cursor", "garbage"}}, "cursor"},
		{{{"cursor", "12:x"}}, "cursor"}, {{{"from", "99999999999999999999999"}}, "from"}, {{{"to", "9999999999999999999"}}, "to"}};
	for (const auto & c : cases)
	{
		LogsListParams p;
		std::string bad, msg;
		EXPECT_FALSE(LogsListParams::fromQuery(c.q, p, bad, msg)) << c.param;
		EXPECT_EQ(bad, c.param);
		EXPECT_FALSE(msg.empty());
	}
}

TEST(AdminLogsParams, StatusClasses)
{
	for (const char * s : {"", "2xx", "3xx", "4xx", "5xx", "failed", "success"})
		EXPECT_TRUE(isValidStatusClass(s)) << s;
	for (const char * s : {"1xx", "FAILED", "200", "ok"})
		EXPECT_FALSE(isValidStatusClass(s)) << s;
}

namespace
{

RequestRecord sampleRecord()
{
	RequestRecord r;
	r.request_id = "req-1";
	r.started_at_ms = 1700000000000;
	r.duration_ms = 1234;
	r.ttfb_ms = 100;
	r.method = "POST";
	r.path = "/v1/messages";
	r.status = 200;
	r.outcome = Outcome::Success;
	r.streaming = true;
	r.tags = {"fast", "team"};
	r.model_requested = "claude-sonnet-4";
	r.session_id = "sess";
	r.final_endpoint_id = "ep-a";
	r.final_endpoint_name = "a";
	r.usage = {10, 20, 0, -1};
	r.cost_usd = 0.5;
	r.client_request_body.bytes = "{}";
	r.client_request_body.totalSize = 2;
	r.client_response_body.totalSize = 99;
	r.attempts.resize(2);
	return r;
}

} // namespace

TEST(AdminLogsJson, SummaryFromRecordAndRoundTrip)
{
	LogSummary s = LogSummary::fromRecord(sampleRecord());
	EXPECT_EQ(s.outcome, "success");
	EXPECT_EQ(s.attempt_count, 2);
	EXPECT_EQ(s.request_body_size, 2);
	EXPECT_EQ(s.response_body_size, 99);
	s.id = 17;
	json j = toJson(s);
	EXPECT_EQ(j["usage"]["cache_read_input_tokens"], -1);
	LogSummary back;
	std::string err;
	ASSERT_TRUE(fromJson(j, back, err)) << err;
	EXPECT_EQ(toJson(back), j);
}

TEST(AdminLogsJson, PageWithAndWithoutCursor)
{
	LogsPage p;
	p.items.push_back(LogSummary::fromRecord(sampleRecord()));
	json j = toJson(p);
	EXPECT_TRUE(j["next_cursor"].is_null());
	p.next_cursor = "5:6";
	j = toJson(p);
	EXPECT_EQ(j["next_cursor"], "5:6");
	LogsPage back;
	std::string err;
	ASSERT_TRUE(fromJson(j, back, err)) << err;
	ASSERT_EQ(back.items.size(), 1u);
	EXPECT_EQ(back.items[0].request_id, "req-1");
	EXPECT_EQ(back.next_cursor, "5:6");
}

TEST(AdminLogsJson, DetailRoundTripsWithAttempts)
{
	LogDetail d;
	d.summary = LogSummary::fromRecord(sampleRecord());
	d.client_request_headers = {{"content-type", "application/json"}, {"x-api-key", "[REDACTED]"}};
	d.client_request_body = {"{\"a\":1}", 7, false, false};
	d.client_response_body = {"partial", 100, true, false};
	AttemptDetail a;
	a.attempt_number = 1;
	a.endpoint_id = "ep-a";
	a.status = 529;
	a.outcome = "upstream_error";
	a.error = "overloaded";
	a.response_headers = {{"retry-after", "1"}};
	a.response_body = {"", 0, false, true};
	d.attempts = {a, a};
	d.attempts[1].attempt_number = 2;
	json j = toJson(d);
	LogDetail back;
	std::string err;
	ASSERT_TRUE(fromJson(j, back, err)) << err;
	EXPECT_EQ(toJson(back), j);
	ASSERT_EQ(back.attempts.size(), 2u);
	EXPECT_EQ(back.attempts[1].attempt_number, 2);
	EXPECT_EQ(back.client_request_headers[1].second, "[REDACTED]");
	EXPECT_TRUE(back.client_response_body.truncated);
}

TEST(AdminLogsJson, WrongTypesNameTheKeyAndNeverThrow)
{
	LogSummary s;
	std::string err;
	EXPECT_FALSE(fromJson(json{{"status", "two hundred"}}, s, err));
	EXPECT_NE(err.find("status"), std::string::npos) << err;
	EXPECT_FALSE(fromJson(json::array(), s, err));
	EXPECT_FALSE(fromJson(json{{"tags", {1, 2}}}, s, err));
	EXPECT_NE(err.find("tags"), std::string::npos);
	LogsPage p;
	EXPECT_FALSE(fromJson(json{{"items", {{{"id", "x"}}}}}, p, err));
	EXPECT_NE(err.find("items[0]"), std::string::npos) << err;
	EXPECT_NE(err.find("id"), std::string::npos) << err;
	LogDetail d;
	EXPECT_FALSE(fromJson(json{{"attempts", {{{"request_headers", {{"only-name"}}}}}}}, d, err));
	EXPECT_NE(err.find("attempts[0]"), std::string::npos) << err;
	// Missing keys and nulls keep defaults.
	EXPECT_TRUE(fromJson(json{{"ttfb_ms", nullptr}}, s, err));
	EXPECT_EQ(s.ttfb_ms, -1);
	// Unknown keys are ignored.
	EXPECT_TRUE(fromJson(json{{"from_the_future", 1}}, s, err));
}

TEST(AdminLogsJson, CleanupRequestValidation)
{
	CleanupRequest c;
	std::string err;
	EXPECT_FALSE(fromJson(json::object(), c, err));
	EXPECT_NE(err.find("days"), std::string::npos);
	EXPECT_FALSE(fromJson(json{{"days", -1}}, c, err));
	EXPECT_FALSE(fromJson(json{{"days", 366}}, c, err));
	EXPECT_FALSE(fromJson(json{{"days", "7"}}, c, err));
	EXPECT_FALSE(fromJson(json{{"days", 1.5}}, c, err));
	ASSERT_TRUE(fromJson(json{{"days", 0}}, c, err)) << err;
	EXPECT_EQ(c.days, 0);
	ASSERT_TRUE(fromJson(json{{"days", 30}}, c, err));
	EXPECT_EQ(c.days, 30);
	CleanupResponse resp{12, "deleted"}, back;
	ASSERT_TRUE(fromJson(toJson(resp), back, err));
	EXPECT_EQ(back.deleted_count, 12);
}

TEST(AdminLogsJson, TestEndpointTypes)
{
	TestEndpointRequest req;
	std::string err;
	EXPECT_FALSE(fromJson(json::object(), req, err));
	EXPECT_NE(err.find("endpoint"), std::string::npos);
	EXPECT_FALSE(fromJson(json{{"endpoint", 5}}, req, err));
	ASSERT_TRUE(fromJson(json{{"endpoint", "a"}}, req, err));
	EXPECT_EQ(req.endpoint, "a");
	TestEndpointResult r{"ep-a", "a", true, 200, 42, "success", "valid", "claude-haiku"}, back;
	ASSERT_TRUE(fromJson(toJson(r), back, err)) << err;
	EXPECT_EQ(toJson(back), toJson(r));
}

TEST(AdminLogsJson, DashboardRoundTrip)
{
	DashboardSummary d;
	d.from_ms = 1;
	d.to_ms = 2;
	d.total_requests = 5;
	EndpointCard c;
	c.id = "ep-a";
	c.name = "a";
	c.status = "open";
	c.success_rate = -1;
	d.endpoints.push_back(c);
	c.success_rate = 0.75;
	d.endpoints.push_back(c);
	UsageRow u;
	u.key = "claude";
	u.requests = 3;
	u.cost_usd = 1.25;
	d.by_model.push_back(u);
	d.storage_backend = "sqlite";
	json j = toJson(d);
	EXPECT_TRUE(j["endpoints"][0]["success_rate"].is_null());
	EXPECT_EQ(j["endpoints"][1]["success_rate"], 0.75);
	DashboardSummary back;
	std::string err;
	ASSERT_TRUE(fromJson(j, back, err)) << err;
	EXPECT_EQ(toJson(back), j);
	EXPECT_EQ(back.endpoints[0].success_rate, -1);
}

TEST(AdminLogsTimeSeries, PercentileIsNearestRank)
{
	std::vector<int64_t> v;
	EXPECT_EQ(percentileOf(v, 50), 0);
	v = {5};
	EXPECT_EQ(percentileOf(v, 95), 5);
	v = {10, 1, 9, 2, 8, 3, 7, 4, 6, 5};
	EXPECT_EQ(percentileOf(v, 50), 5);
	EXPECT_EQ(percentileOf(v, 95), 10);
	EXPECT_EQ(percentileOf(v, 10), 1);
	std::vector<int64_t> h;
	for (int i = 1; i <= 100; ++i)
		h.push_back(i);
	EXPECT_EQ(percentileOf(h, 95), 95);
	EXPECT_EQ(percentileOf(h, 50), 50);
}

TEST(AdminLogsTimeSeries, BucketsCountRequestsErrorsTokensAndLatency)
{
	TimeSeriesBuilder b(1000, 4000, 1000); // [1000,2000) [2000,3000) [3000,4000)
	b.add(999, 5, false, {});              // before the range: ignored
	b.add(1000, 100, false, {10, 20, 1, 2});
	b.add(1999, 300, true, {-1, -1, -1, -1});
	b.add(2500, 50, false, {5, 5, 0, 0});
	b.add(4000, 1, false, {});             // end is exclusive
	TimeSeries ts = b.finish();
	ASSERT_EQ(ts.buckets.size(), 3u);
	EXPECT_EQ(ts.scanned, 3);
	EXPECT_FALSE(ts.truncated);
	EXPECT_EQ(ts.buckets[0].start_ms, 1000);
	EXPECT_EQ(ts.buckets[0].requests, 2);
	EXPECT_EQ(ts.buckets[0].errors, 1);
	EXPECT_EQ(ts.buckets[0].input_tokens, 10);  // -1 (not reported) counts as 0
	EXPECT_EQ(ts.buckets[0].output_tokens, 20);
	EXPECT_EQ(ts.buckets[0].cache_creation_tokens, 1);
	EXPECT_EQ(ts.buckets[0].latency_p50_ms, 100);
	EXPECT_EQ(ts.buckets[0].latency_p95_ms, 300);
	EXPECT_EQ(ts.buckets[1].requests, 1);
	EXPECT_EQ(ts.buckets[1].latency_p95_ms, 50);
	EXPECT_EQ(ts.buckets[2].requests, 0);
	EXPECT_EQ(ts.buckets[2].latency_p50_ms, 0);
	json j = toJson(ts);
	TimeSeries back;
	std::string err;
	ASSERT_TRUE(fromJson(j, back, err)) << err;
	EXPECT_EQ(toJson(back), j);
}

TEST(AdminLogsTimeSeries, PartialLastBucketAndBounds)
{
	TimeSeriesBuilder b(0, 2500, 1000);
	b.add(2400, 1, false, {});
	TimeSeries ts = b.finish(true);
	ASSERT_EQ(ts.buckets.size(), 3u);
	EXPECT_EQ(ts.buckets[2].requests, 1);
	EXPECT_TRUE(ts.truncated);
	EXPECT_TRUE(TimeSeriesBuilder(10, 10, 1).finish().buckets.empty());
	EXPECT_TRUE(TimeSeriesBuilder(0, 10, 0).finish().buckets.empty());
	EXPECT_EQ(TimeSeriesBuilder(0, 1000000000, 1).finish().buckets.size(), static_cast<size_t>(kMaxTimeSeriesBuckets));
}

TEST(AdminLogsLiveEvent, SseFramingAndRoundTrip)
{
	LiveEvent e;
	e.type = "request";
	e.at_ms = 5;
	e.request = LogSummary::fromRecord(sampleRecord());
	std::string sse = e.toSse();
	ASSERT_EQ(sse.rfind("event: request\ndata: {", 0), 0u) << sse;
	ASSERT_EQ(sse.substr(sse.size() - 2), "\n\n");
	EXPECT_EQ(sse.find('\n', 22), sse.size() - 2); // data is one line
	json j = json::parse(sse.substr(sse.find("data: ") + 6), nullptr, false);
	ASSERT_FALSE(j.is_discarded());
	LiveEvent back;
	std::string err;
	ASSERT_TRUE(fromJson(j, back, err)) << err;
	EXPECT_EQ(back.request.request_id, "req-1");

	LiveEvent b;
	b.type = "breaker";
	b.endpoint_id = "ep-a";
	b.from_state = "closed";
	b.to_state = "open";
	b.reason = "3 failures \xff"; // invalid UTF-8 must not throw
	sse = b.toSse();
	EXPECT_EQ(sse.rfind("event: breaker\n", 0), 0u);
	j = json::parse(sse.substr(sse.find("data: ") + 6), nullptr, false);
	ASSERT_FALSE(j.is_discarded());
	ASSERT_TRUE(fromJson(j, back, err)) << err;
	EXPECT_EQ(back.to_state, "open");
	EXPECT_FALSE(j.contains("request"));
	EXPECT_FALSE(fromJson(json{{"type", "other"}}, back, err));
}
