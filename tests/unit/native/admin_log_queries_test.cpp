// The admin's log queries on every store backend (SQLite here; PostgreSQL in the store_pg_suite
// run): time series from a keyset scan, and store results in the shared API types.
#include "admin/LogQueries.h"
#include "store_test_support.h"

using namespace ccc;
using namespace ccc::store;
using namespace storetest;

namespace
{

class AdminLogQueriesTest : public StoreTest
{
};

INSTANTIATE_TEST_SUITE_P(Backends, AdminLogQueriesTest, ::testing::ValuesIn(backends()), paramName);

} // namespace

TEST_P(AdminLogQueriesTest, TimeSeriesCountsEveryRequestInItsBucket)
{
	auto store = env.open();
	RequestLogger logger(store, env.config(), testOptions());
	const int64_t base = 1700000000000; // fixed, far from now: retention is not running
	// 3 buckets of 1 min; 2500 requests (more than two scan pages) spread over them.
	int64_t expected[3] = {0, 0, 0}, expectedErrors[3] = {0, 0, 0};
	for (int i = 0; i < 2500; ++i)
	{
		const int bucket = i % 3;
		const api::Outcome o = i % 10 == 0 ? api::Outcome::UpstreamError : (i % 10 == 1 ? api::Outcome::ClientCancelled : api::Outcome::Success);
		auto r = makeRequest("ts-" + std::to_string(i), base + bucket * 60000 + (i % 59000), o);
		r.duration_ms = 100 + bucket * 1000 + (i % 7);
		logger.submit(std::move(r));
		expected[bucket]++;
		expectedErrors[bucket] += o == api::Outcome::UpstreamError ? 1 : 0;
	}
	// Outside the range: not counted.
	logger.submit(makeRequest("before", base - 1, api::Outcome::Success));
	logger.submit(makeRequest("after", base + 180000, api::Outcome::Success));
	ASSERT_TRUE(logger.flush());
	ASSERT_EQ(logger.counters().records_failed, 0u) << logger.counters().last_error;

	api::TimeSeries ts = admin::scanTimeSeries(*store, base, base + 180000, 60000);
	ASSERT_EQ(ts.buckets.size(), 3u);
	EXPECT_FALSE(ts.truncated);
	EXPECT_EQ(ts.scanned, 2500);
	for (int b = 0; b < 3; ++b)
	{
		SCOPED_TRACE(b);
		EXPECT_EQ(ts.buckets[b].start_ms, base + b * 60000);
		EXPECT_EQ(ts.buckets[b].requests, expected[b]);
		EXPECT_EQ(ts.buckets[b].errors, expectedErrors[b]);
		EXPECT_GE(ts.buckets[b].latency_p50_ms, 100 + b * 1000);
		EXPECT_LE(ts.buckets[b].latency_p95_ms, 106 + b * 1000);
		EXPECT_LE(ts.buckets[b].latency_p50_ms, ts.buckets[b].latency_p95_ms);
	}
	// Successes carry usage {10, 20, 3, 4}; the other outcomes report none.
	int64_t successes = 0;
	for (int i = 0; i < 2500; ++i)
		successes += (i % 10 >= 2) ? 1 : 0;
	int64_t output = 0;
	for (const auto & b : ts.buckets)
		output += b.output_tokens;
	EXPECT_EQ(output, successes * 20);

	// The scan bound: the newest rows are counted, the result says it is incomplete.
	api::TimeSeries bounded = admin::scanTimeSeries(*store, base, base + 180000, 60000, 1000);
	EXPECT_TRUE(bounded.truncated);
	EXPECT_EQ(bounded.scanned, 1000);
}

TEST_P(AdminLogQueriesTest, ListAndDetailInApiTypes)
{
	auto store = env.open();
	RequestLogger logger(store, env.config(), testOptions());
	const int64_t t = nowMs();
	auto r = makeRequest("detail-1", t, api::Outcome::Success);
	r.attempts.insert(r.attempts.begin(), makeAttempt(1, "ep-b", api::Outcome::UpstreamError, t));
	r.attempts[1].attempt_number = 2;
	logger.submit(std::move(r));
	logger.submit(makeRequest("other", t + 1, api::Outcome::Network));
	ASSERT_TRUE(logger.flush());

	api::LogsListParams p;
	p.status = "success";
	ListPage page = store->list(admin::listQueryOf(p));
	ASSERT_EQ(page.items.size(), 1u);
	api::LogSummary s = admin::summaryOf(page.items[0]);
	EXPECT_EQ(s.request_id, "detail-1");
	EXPECT_EQ(s.attempt_count, 2);
	EXPECT_GT(s.id, 0);

	auto stored = store->get("detail-1");
	ASSERT_TRUE(stored);
	api::LogDetail d = admin::detailOf(*stored);
	ASSERT_EQ(d.attempts.size(), 2u);
	EXPECT_EQ(d.attempts[0].outcome, "upstream_error");
	EXPECT_EQ(d.attempts[0].endpoint_id, "ep-b");
	EXPECT_EQ(d.attempts[1].status, 200);
	EXPECT_EQ(d.summary.attempt_count, 2);
	// Credentials were redacted by the store, and stay so in the API type.
	for (const auto & h : d.attempts[1].request_headers)
	{
		if (h.first == "x-api-key")
		{
			EXPECT_EQ(h.second, kRedacted);
		}
	}
	EXPECT_EQ(api::toJson(d).dump().find("sk-ant-upstream-key-123456"), std::string::npos);
}
