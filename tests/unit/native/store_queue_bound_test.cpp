// The writer queue's memory bound (issue #6: 512 streams within the service's memory budget):
// bounded by bytes (configurable), one copy of a body the attempt re-sent unchanged, batches
// bounded by bytes too, and nothing lost without a counter.
#include <cstdlib>

#include "store_test_support.h"

using namespace ccc;
using namespace ccc::store;
using namespace storetest;

namespace
{

class QueueBoundTest : public StoreTest
{
};

INSTANTIATE_TEST_SUITE_P(Backends, QueueBoundTest, ::testing::ValuesIn(backends()), paramName);

api::RequestRecord bigRequest(const std::string & id, int64_t t, size_t bodyBytes)
{
	auto r = makeRequest(id, t, api::Outcome::Success);
	r.client_request_body.bytes = "{\"pad\":\"" + std::string(bodyBytes, 'p') + "\"}";
	r.client_request_body.totalSize = static_cast<int64_t>(r.client_request_body.bytes.size());
	r.attempts[0].request_body = r.client_request_body; // sent upstream unchanged
	return r;
}

} // namespace

TEST(StoreQueueBound, DefaultFitsTheMemoryBudgetAndTheEnvironmentOverridesIt)
{
	EXPECT_LE(kDefaultMaxQueueBytes, 32u * 1024 * 1024);
	EXPECT_EQ(config::LoggingConfig().max_queue_bytes, static_cast<int64_t>(kDefaultMaxQueueBytes));
	::unsetenv("CCC_LOG_QUEUE_MAX_BYTES");
	EXPECT_EQ(RequestLoggerOptions::fromEnvironment().max_queue_bytes, 0u); // logging.max_queue_bytes decides
	::setenv("CCC_LOG_QUEUE_MAX_BYTES", "8M", 1);
	EXPECT_EQ(RequestLoggerOptions::fromEnvironment().max_queue_bytes, 8u * 1024 * 1024);
	::setenv("CCC_LOG_QUEUE_MAX_BYTES", "65536", 1);
	EXPECT_EQ(RequestLoggerOptions::fromEnvironment().max_queue_bytes, 65536u);
	for (const char * bad : {"", "0", "12X", "-5", "M"})
	{
		::setenv("CCC_LOG_QUEUE_MAX_BYTES", bad, 1);
		EXPECT_EQ(RequestLoggerOptions::fromEnvironment().max_queue_bytes, 0u) << bad;
	}
	::unsetenv("CCC_LOG_QUEUE_MAX_BYTES");
}

TEST_P(QueueBoundTest, AnUnchangedUpstreamBodyIsQueuedOnceAndStoredWhole)
{
	auto store = env.open();
	auto opts = testOptions();
	opts.start_paused = true;
	RequestLogger logger(store, env.config(), opts);
	logger.submit(bigRequest("same", nowMs(), 100 * 1024));
	auto c = logger.counters();
	EXPECT_GT(c.queue_bytes, 100u * 1024);
	EXPECT_LT(c.queue_bytes, 150u * 1024); // not twice the body
	logger.resumeWriter();
	ASSERT_TRUE(logger.flush());
	auto got = store->get("same");
	ASSERT_TRUE(got);
	ASSERT_EQ(got->rec.attempts.size(), 1u);
	EXPECT_EQ(got->rec.attempts[0].request_body.bytes, got->rec.client_request_body.bytes);
	EXPECT_EQ(got->rec.client_request_body.bytes.size(), 100u * 1024 + 10);
	EXPECT_TRUE(got->attempt_bodies[0].first.same_as_client);
}

TEST_P(QueueBoundTest, OverTheByteBoundBodiesAreShedAndCountedNeverSilentlyLost)
{
	auto store = env.open();
	auto opts = testOptions();
	opts.start_paused = true;
	opts.max_spill_bytes = 0; // spilling off: the queue's own bound is under test (spilling: store_spill_test)
	opts.max_queue_bytes = 1024 * 1024;
	opts.batch_bytes = 300 * 1024; // several batches
	RequestLogger logger(store, env.config(), opts);
	int64_t t = nowMs();
	for (int i = 0; i < 20; ++i)
		logger.submit(bigRequest("r" + std::to_string(i), t + i, 100 * 1024));
	auto c = logger.counters();
	EXPECT_LE(c.queue_bytes, opts.max_queue_bytes);
	EXPECT_GT(c.bodies_shed, 0u);
	EXPECT_EQ(c.records_dropped, 0u);
	logger.resumeWriter();
	ASSERT_TRUE(logger.flush());
	c = logger.counters();
	EXPECT_EQ(c.written, 20u); // every record kept; the shed ones without bodies, flagged
	EXPECT_GE(c.batches, 3u);
	ListQuery q;
	q.limit = 100;
	auto page = store->list(q);
	size_t shed = 0;
	for (const auto & s : page.items)
		shed += s.bodies_shed ? 1 : 0;
	EXPECT_EQ(shed, c.bodies_shed);
}

TEST_P(QueueBoundTest, TheConfiguredBoundAppliesAndChangesLive)
{
	auto store = env.open();
	auto opts = testOptions();
	opts.start_paused = true;
	opts.max_spill_bytes = 0; // spilling off: the queue's own bound is under test (spilling: store_spill_test)
	auto cfg = env.config();
	cfg.max_queue_bytes = 1024 * 1024;
	RequestLogger logger(store, cfg, opts);
	int64_t t = nowMs();
	for (int i = 0; i < 20; ++i)
		logger.submit(bigRequest("a" + std::to_string(i), t + i, 100 * 1024));
	auto c = logger.counters();
	EXPECT_LE(c.queue_bytes, 1024u * 1024);
	EXPECT_GT(c.bodies_shed, 0u);
	const uint64_t shedBefore = c.bodies_shed;
	cfg.max_queue_bytes = 8 * 1024 * 1024;
	logger.updateConfig(cfg);
	for (int i = 0; i < 20; ++i)
		logger.submit(bigRequest("b" + std::to_string(i), t + 100 + i, 100 * 1024));
	c = logger.counters();
	EXPECT_EQ(c.bodies_shed, shedBefore) << "room under the raised bound";
	EXPECT_GT(c.queue_bytes, 2u * 1024 * 1024);
	logger.resumeWriter();
	ASSERT_TRUE(logger.flush());
	EXPECT_EQ(logger.counters().written, 40u);
}
