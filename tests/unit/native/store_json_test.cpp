#include "store/StoreJson.h"
#include "store_test_support.h"

using namespace ccc;
using namespace ccc::store;
using namespace storetest;

TEST(StoreJson, ListQueryFromParams)
{
	auto q = listQueryFromParams({{"from", "100"}, {"to", "200"}, {"endpoint", "ep-a"}, {"model", "m"}, {"status", "5xx"},
		{"tag", "t"}, {"session", "s"}, {"q", "timeout"}, {"limit", "5000"}, {"cursor", "150:7"}, {"junk", "x"}});
	EXPECT_EQ(q.filter.from_ms, 100);
	EXPECT_EQ(q.filter.to_ms, 200);
	EXPECT_EQ(q.filter.endpoint_id, "ep-a");
	EXPECT_EQ(q.filter.model, "m");
	EXPECT_EQ(q.filter.status_class, "5xx");
	EXPECT_EQ(q.filter.tag, "t");
	EXPECT_EQ(q.filter.session_id, "s");
	EXPECT_EQ(q.filter.text, "timeout");
	EXPECT_EQ(q.limit, 1000);
	EXPECT_EQ(q.cursor, "150:7");
	auto d = listQueryFromParams({{"from", "12abc"}, {"limit", ""}});
	EXPECT_EQ(d.filter.from_ms, -1);
	EXPECT_EQ(d.limit, 100);
}

TEST(StoreJson, SummaryDetailStatsAndCounters)
{
	StoreEnv env("sqlite");
	auto store = env.open();
	RequestLogger logger(store, env.config(), testOptions());
	auto r = makeRequest("json-1", 1700000000000, api::Outcome::Success);
	r.client_response_body = {"bin\xFF", 4};
	logger.submit(std::move(r));
	ASSERT_TRUE(logger.flush());

	auto page = listPageJson(store->list({}));
	ASSERT_EQ(page["items"].size(), 1u);
	EXPECT_TRUE(page["next_cursor"].is_null());
	EXPECT_EQ(page["items"][0]["request_id"], "json-1");
	EXPECT_EQ(page["items"][0]["outcome"], "success");
	EXPECT_EQ(page["items"][0]["attempt_count"], 1);
	EXPECT_FALSE(page["items"][0].contains("attempts"));

	auto detail = requestDetailJson(*store->get("json-1"));
	EXPECT_EQ(detail["attempts"].size(), 1u);
	EXPECT_EQ(detail["attempts"][0]["endpoint_id"], "ep-a");
	EXPECT_EQ(detail["client_request_headers"][1][1], "Bearer [REDACTED]");
	EXPECT_EQ(detail["client_response_body"]["text"], "bin\xEF\xBF\xBD");
	EXPECT_EQ(detail["client_response_body"]["size"], 4);
	EXPECT_NO_THROW(detail.dump());

	auto stats = logger.endpointStats();
	ASSERT_EQ(stats.size(), 1u);
	auto sj = endpointStatsJson(stats[0]);
	EXPECT_EQ(sj["requests"], 1);
	EXPECT_DOUBLE_EQ(sj["success_rate"].get<double>(), 1.0);
	EXPECT_GT(sj["latency_p50_ms"].get<int64_t>(), 0);

	auto cj = loggerCountersJson(logger.counters());
	EXPECT_EQ(cj["written"], 1);
	EXPECT_EQ(cj["records_dropped"], 0);
	EXPECT_EQ(usageJson(store->usageByModel(-1, -1).at(0))["requests"], 1);
}
