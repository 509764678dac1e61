// The request log's spill file (store/SpillFile.h) and the logger's use of it: records over the
// queue's byte bound keep their bodies on disk and reach the database later, across a crash too.
#include <fstream>
#include <iterator>

#include "store/BodyPolicy.h"
#include "store/SpillFile.h"
#include "store_test_support.h"

using namespace ccc;
using namespace ccc::store;
using namespace storetest;

namespace
{

std::string fileBytes(const std::string & path)
{
	std::ifstream in(path, std::ios::binary);
	return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

/// Every field set to something other than its default.
PreparedRecord fullRecord(const std::string & id, const std::string & bigBody)
{
	PreparedRecord pr;
	pr.rec = makeRequest(id, 1700000000123, api::Outcome::Success);
	auto & r = pr.rec;
	r.error = "e";
	r.ttfb_ms = 41;
	r.client_request_body = {bigBody, static_cast<int64_t>(bigBody.size()) + 7};
	auto second = makeAttempt(2, "ep-b", api::Outcome::Timeout, 1700000000200);
	second.content_type_override = "json->sse";
	second.model_sent = "glm-4.6";
	second.streaming = false;
	second.ttfb_ms = -1;
	second.request_headers = {{"x-a", "1"}, {"x-b", ""}};
	second.response_body = {bigBody, static_cast<int64_t>(bigBody.size())};
	second.usage = {1, 2, 3, 4};
	r.attempts.push_back(second);
	pr.client_request_body.truncated = true;
	pr.client_response_body.compressed = true;
	pr.attempt_bodies = {{BodyInfo{}, BodyInfo{}}, {BodyInfo{}, BodyInfo{}}};
	pr.attempt_bodies[0].first.same_as_client = true;
	pr.attempt_bodies[1].second.omitted = true;
	return pr;
}

void expectSame(const PreparedRecord & a, const PreparedRecord & b)
{
	// The spill file carries what the store writes: compare through the same encoding, which
	// covers every field (a field it forgot would be missing on both sides, so check some by hand).
	EXPECT_EQ(encodeSpillRecord(a), encodeSpillRecord(b));
	EXPECT_EQ(a.rec.request_id, b.rec.request_id);
	EXPECT_EQ(a.rec.client_request_body.bytes, b.rec.client_request_body.bytes);
	EXPECT_EQ(a.rec.client_request_body.totalSize, b.rec.client_request_body.totalSize);
	ASSERT_EQ(a.rec.attempts.size(), b.rec.attempts.size());
	EXPECT_EQ(a.rec.attempts.back().response_body.bytes, b.rec.attempts.back().response_body.bytes);
	EXPECT_EQ(a.rec.attempts.back().model_sent, b.rec.attempts.back().model_sent);
	EXPECT_EQ(a.rec.attempts.back().usage.cache_read_input_tokens, b.rec.attempts.back().usage.cache_read_input_tokens);
	EXPECT_EQ(a.rec.cost_usd, b.rec.cost_usd);
	EXPECT_EQ(a.attempt_bodies[0].first.same_as_client, b.attempt_bodies[0].first.same_as_client);
	EXPECT_EQ(a.attempt_bodies[1].second.omitted, b.attempt_bodies[1].second.omitted);
	EXPECT_EQ(a.client_request_body.truncated, b.client_request_body.truncated);
}

class SpillFileTest : public ::testing::Test
{
protected:
	StoreEnv env{"sqlite"};
	std::string path() const { return (std::filesystem::path(env.config().log_directory) / "spill.bin").string(); }
	void SetUp() override { std::filesystem::create_directories(env.config().log_directory); }
};

} // namespace

TEST(SpillRecord, RoundTripsEveryField)
{
	PreparedRecord pr = fullRecord("rt", std::string(5000, 'x'));
	PreparedRecord back;
	ASSERT_TRUE(decodeSpillRecord(encodeSpillRecord(pr), back));
	expectSame(pr, back);
	std::string cut = encodeSpillRecord(pr);
	cut.pop_back();
	PreparedRecord bad;
	EXPECT_FALSE(decodeSpillRecord(cut, bad));
}

TEST_F(SpillFileTest, RepeatedBodiesAreWrittenOnceAndReadBackWhole)
{
	std::string error;
	auto f = SpillFile::open(path(), error);
	ASSERT_TRUE(f) << error;
	const std::string big = randomToken(80000);
	ASSERT_TRUE(f->append(fullRecord("a", big), error)) << error;
	const uint64_t afterFirst = f->sizeBytes();
	// The first record holds the body once although two of its bodies carry it.
	EXPECT_LT(afterFirst, big.size() + 4000);
	EXPECT_GT(afterFirst, big.size());
	for (int i = 0; i < 50; ++i)
		ASSERT_TRUE(f->append(fullRecord("b" + std::to_string(i), big), error)) << error;
	EXPECT_LT(f->sizeBytes() - afterFirst, 50u * 4000u);
	EXPECT_EQ(f->pendingRecords(), 51u);

	auto batch = f->readBatch(20, 1 << 30);
	ASSERT_EQ(batch.records.size(), 20u);
	EXPECT_FALSE(batch.corrupt);
	EXPECT_FALSE(batch.afterReopen);
	expectSame(batch.records[0], fullRecord("a", big));
	expectSame(batch.records[19], fullRecord("b18", big));
	f->markIngested(batch.end, batch.records.size());
	EXPECT_EQ(f->pendingRecords(), 31u);
	batch = f->readBatch(100, 1 << 30);
	ASSERT_EQ(batch.records.size(), 31u);
	expectSame(batch.records[30], fullRecord("b49", big));
	f->markIngested(batch.end, batch.records.size());
	// Everything ingested: the file is back to its header.
	EXPECT_EQ(f->pendingRecords(), 0u);
	EXPECT_EQ(f->sizeBytes(), 16u);
	EXPECT_EQ(std::filesystem::file_size(path()), 16u);
	// And a body seen before the reset is written whole again (its first copy is gone).
	ASSERT_TRUE(f->append(fullRecord("c", big), error));
	batch = f->readBatch(100, 1 << 30);
	ASSERT_EQ(batch.records.size(), 1u);
	expectSame(batch.records[0], fullRecord("c", big));
}

TEST_F(SpillFileTest, ReopenResumesAtTheIngestedOffsetAndCutsATornTail)
{
	const std::string big = randomToken(9000);
	uint64_t goodSize = 0;
	{
		std::string error;
		auto f = SpillFile::open(path(), error);
		ASSERT_TRUE(f) << error;
		for (int i = 0; i < 10; ++i)
			ASSERT_TRUE(f->append(fullRecord("r" + std::to_string(i), big), error));
		auto batch = f->readBatch(4, 1 << 30);
		ASSERT_EQ(batch.records.size(), 4u);
		f->markIngested(batch.end, 4);
		goodSize = f->sizeBytes();
	}
	{
		// A crash in the middle of a frame: half a frame at the end.
		std::ofstream out(path(), std::ios::binary | std::ios::app);
		std::string junk = "\x40\x00\x00\x00garbage-that-is-not-a-whole-frame";
		out.write(junk.data(), static_cast<std::streamsize>(junk.size()));
	}
	std::string error;
	auto f = SpillFile::open(path(), error);
	ASSERT_TRUE(f) << error;
	EXPECT_EQ(f->pendingRecords(), 6u);
	EXPECT_EQ(f->sizeBytes(), goodSize);
	EXPECT_EQ(std::filesystem::file_size(path()), goodSize);
	auto batch = f->readBatch(100, 1 << 30);
	EXPECT_TRUE(batch.afterReopen);
	ASSERT_EQ(batch.records.size(), 6u);
	// Records 4..9, their bodies resolved through back-references to a frame already ingested.
	expectSame(batch.records.front(), fullRecord("r4", big));
	expectSame(batch.records.back(), fullRecord("r9", big));
	// Not stored yet (the store was down, say): read again, still flagged.
	EXPECT_TRUE(f->readBatch(100, 1 << 30).afterReopen);
	f->markIngested(batch.end, batch.records.size());
	ASSERT_TRUE(f->append(fullRecord("new", big), error));
	EXPECT_FALSE(f->readBatch(100, 1 << 30).afterReopen);
}

TEST_F(SpillFileTest, ADamagedFrameIsReportedNotLoopedOn)
{
	{
		std::string error;
		auto f = SpillFile::open(path(), error);
		ASSERT_TRUE(f) << error;
		for (int i = 0; i < 3; ++i)
			ASSERT_TRUE(f->append(fullRecord("d" + std::to_string(i), "small"), error));
		auto first = f->readBatch(1, 1 << 30); // writes the chunk, reads one record
		ASSERT_EQ(first.records.size(), 1u);
		f->markIngested(first.end, 1);
		// A bit flipped in the second frame after the file was checked at open.
		std::string bytes = fileBytes(path());
		size_t second = bytes.size() / 2;
		std::fstream io(path(), std::ios::binary | std::ios::in | std::ios::out);
		io.seekp(static_cast<std::streamoff>(second));
		char c = static_cast<char>(bytes[second] ^ 0x5a);
		io.write(&c, 1);
		io.close();
		auto batch = f->readBatch(100, 1 << 30);
		EXPECT_TRUE(batch.corrupt);
		EXPECT_LE(batch.records.size(), 1u);
		f->markIngested(batch.end, 2);
		EXPECT_EQ(f->pendingRecords(), 0u);
	}
}

TEST_F(SpillFileTest, NotOurFileIsStartedOver)
{
	{
		std::ofstream out(path(), std::ios::binary);
		out << "this is not a spill file at all, just text";
	}
	std::string error;
	auto f = SpillFile::open(path(), error);
	ASSERT_TRUE(f) << error;
	EXPECT_EQ(f->pendingRecords(), 0u);
	EXPECT_EQ(std::filesystem::file_size(path()), 16u);
}

// ------------------------------------------------------------------ through the logger

class RequestLoggerSpillTest : public StoreTest
{
};

INSTANTIATE_TEST_SUITE_P(Backends, RequestLoggerSpillTest, ::testing::ValuesIn(backends()), paramName);

TEST_P(RequestLoggerSpillTest, OverTheQueueBoundRecordsSpillWithTheirBodiesAndAllReachTheStore)
{
	auto store = env.open();
	auto opts = testOptions();
	opts.start_paused = true;
	opts.max_queue_bytes = 64 * 1024;
	RequestLogger logger(store, env.config(), opts);
	const std::string secret = "sk-spill-secret-0123456789";
	logger.setSecrets({secret});
	const std::string big = "{\"messages\":\"" + randomToken(76000) + " key " + secret + "\"}";
	int64_t t = nowMs();
	for (int i = 0; i < 40; ++i)
	{
		auto r = makeRequest("s" + std::to_string(i), t + i, api::Outcome::Success);
		r.client_request_body = {big, static_cast<int64_t>(big.size())};
		r.attempts[0].request_body = r.client_request_body; // what went upstream: the same bytes
		r.attempts[0].request_headers = {{"x-api-key", secret}};
		logger.submit(std::move(r));
	}
	auto c = logger.counters();
	EXPECT_EQ(c.submitted, 40u);
	EXPECT_EQ(c.bodies_shed, 0u);
	EXPECT_EQ(c.records_dropped, 0u);
	EXPECT_GE(c.spilled, 38u); // the queue holds 64 KiB: the first record, then everything spills
	EXPECT_EQ(c.spill_pending, c.spilled);
	EXPECT_LT(c.spill_bytes, 40u * 8000u); // the body is in the file once, not 40 times
	// Redacted before the disk saw it.
	const std::string spillPath = (std::filesystem::path(env.config().log_directory) / "spill.bin").string();
	const std::string onDisk = fileBytes(spillPath);
	EXPECT_EQ(onDisk.find(secret), std::string::npos);
	EXPECT_NE(onDisk.find(kRedacted), std::string::npos);

	logger.resumeWriter();
	ASSERT_TRUE(logger.flush(60000));
	c = logger.counters();
	EXPECT_EQ(c.written, 40u);
	EXPECT_EQ(c.spill_pending, 0u);
	EXPECT_EQ(c.spill_bytes, 16u);
	EXPECT_EQ(store->count({}), 40);
	for (int i = 0; i < 40; i += 13)
	{
		auto got = store->get("s" + std::to_string(i));
		ASSERT_TRUE(got) << i;
		EXPECT_FALSE(got->bodies_shed);
		EXPECT_EQ(got->rec.client_request_body.bytes.size(), big.size() - secret.size() + std::string(kRedacted).size());
		EXPECT_EQ(got->rec.client_request_body.bytes.find(secret), std::string::npos);
		ASSERT_EQ(got->rec.attempts.size(), 1u);
		EXPECT_EQ(got->rec.attempts[0].request_body.bytes, got->rec.client_request_body.bytes);
		EXPECT_EQ(got->rec.attempts[0].request_headers.at(0).second, kRedacted);
	}

	// The queue is used again once the file is empty.
	logger.submit(makeRequest("after", nowMs(), api::Outcome::Success));
	ASSERT_TRUE(logger.flush());
	EXPECT_EQ(logger.counters().spilled, c.spilled);
	EXPECT_TRUE(store->get("after"));
}

TEST_P(RequestLoggerSpillTest, RecordsLeftInTheFileAreLoadedAtTheNextStartWithoutDuplicates)
{
	auto store = env.open();
	std::filesystem::create_directories(env.config().log_directory); // PostgreSQL: nothing made it yet
	const std::string spillPath = (std::filesystem::path(env.config().log_directory) / "spill.bin").string();
	const std::string big = randomToken(20000);
	{
		// What a run killed under overload leaves: records in the file, the first three of them
		// already committed (the crash came between their commit and the file's position update).
		std::string error;
		auto f = SpillFile::open(spillPath, error);
		ASSERT_TRUE(f) << error;
		std::vector<PreparedRecord> first;
		for (int i = 0; i < 12; ++i)
		{
			PreparedRecord pr = fullRecord("left-" + std::to_string(i), big);
			pr.rec.started_at_ms += i;
			if (i < 3)
				first.push_back(pr);
			ASSERT_TRUE(f->append(pr, error)) << error;
		}
		store->writeBatch(first, {}, {});
	}
	EXPECT_EQ(store->count({}), 3);
	auto opts = testOptions();
	RequestLogger logger(store, env.config(), opts);
	ASSERT_TRUE(logger.flush(60000));
	// flush() covers this process's records; the recovered ones are loaded first, right away.
	for (int i = 0; i < 200 && logger.counters().spill_pending > 0; ++i)
		std::this_thread::sleep_for(std::chrono::milliseconds(50));
	EXPECT_EQ(logger.counters().spill_pending, 0u);
	EXPECT_EQ(store->count({}), 12);
	auto got = store->get("left-11");
	ASSERT_TRUE(got);
	EXPECT_EQ(got->rec.client_request_body.bytes, big);
	ASSERT_EQ(got->rec.attempts.size(), 2u);
	EXPECT_EQ(got->rec.attempts[1].response_body.bytes, big);
	EXPECT_EQ(std::filesystem::file_size(spillPath), 16u);
}

TEST_P(RequestLoggerSpillTest, SpillFullMeansShedAndSpillOffMeansShedAtOnce)
{
	auto store = env.open();
	auto opts = testOptions();
	opts.start_paused = true;
	opts.max_queue_bytes = 16 * 1024;
	opts.max_spill_bytes = 100 * 1024;
	RequestLogger logger(store, env.config(), opts);
	int64_t t = nowMs();
	for (int i = 0; i < 30; ++i)
	{
		auto r = makeRequest("f" + std::to_string(i), t + i, api::Outcome::Success);
		// Distinct bodies: each spilled record costs the file ~20 KB.
		r.client_request_body.bytes = randomToken(20000);
		r.client_request_body.totalSize = 20000;
		logger.submit(std::move(r));
	}
	auto c = logger.counters();
	EXPECT_GT(c.spilled, 2u);
	EXPECT_LT(c.spilled, 10u);
	EXPECT_GT(c.bodies_shed, 15u);
	EXPECT_EQ(c.spilled + c.queue_depth, 30u); // every record is in the file or in the queue (shed there)
	logger.resumeWriter();
	ASSERT_TRUE(logger.flush(60000));
	EXPECT_EQ(store->count({}), 30);
	EXPECT_EQ(logger.counters().written, 30u);
}

TEST_P(RequestLoggerSpillTest, TheConfiguredBoundDecidesAndZeroMeansNoFile)
{
	auto store = env.open();
	auto cfg = env.config();
	cfg.max_spill_bytes = 0; // logging.max_spill_bytes: 0
	auto opts = testOptions(); // max_spill_bytes -1: from the config
	opts.start_paused = true;
	opts.max_queue_bytes = 16 * 1024;
	RequestLogger logger(store, cfg, opts);
	int64_t t = nowMs();
	for (int i = 0; i < 5; ++i)
	{
		auto r = makeRequest("z" + std::to_string(i), t + i, api::Outcome::Success);
		r.client_request_body = {std::string(20000, 'z'), 20000};
		logger.submit(std::move(r));
	}
	auto c = logger.counters();
	EXPECT_EQ(c.spilled, 0u);
	EXPECT_GE(c.bodies_shed, 4u);
	EXPECT_FALSE(std::filesystem::exists(std::filesystem::path(cfg.log_directory) / "spill.bin"));
	logger.resumeWriter();
	ASSERT_TRUE(logger.flush());
	EXPECT_EQ(store->count({}), 5);
}

TEST(SpillRecord, AHugeCountIsRefusedNotAllocated)
{
	// A count field holding 2^60: multiplied by its element size it would wrap to 0 and pass a
	// naive length check, then size a vector from it.
	PreparedRecord pr = fullRecord("huge", "b");
	pr.rec.client_request_headers.clear();
	std::string data = encodeSpillRecord(pr);
	// The client request headers' count follows the endpoint name strings; find it by encoding
	// the same record with one header and comparing.
	PreparedRecord one = pr;
	one.rec.client_request_headers = {{"", ""}};
	const std::string withOne = encodeSpillRecord(one);
	size_t at = 0;
	while (at < data.size() && data[at] == withOne[at])
		++at;
	ASSERT_LT(at, data.size());
	for (int i = 0; i < 8; ++i)
		data[at + static_cast<size_t>(i)] = static_cast<char>(i == 7 ? 0x10 : 0);
	PreparedRecord back;
	EXPECT_FALSE(decodeSpillRecord(data, back));
}
