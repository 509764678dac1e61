#include <atomic>
#include <set>
#include <thread>
#include <sstream>

#include <Poco/Zip/ZipArchive.h>
#include <Poco/Zip/ZipStream.h>

#include "store/BodyPolicy.h"
#include "store/BodyStore.h"
#include "store/DebugExport.h"
#include "store_test_support.h"

using namespace ccc;
using namespace ccc::store;
using namespace storetest;

namespace
{

class LogStoreTest : public StoreTest
{
};

INSTANTIATE_TEST_SUITE_P(Backends, LogStoreTest, ::testing::ValuesIn(backends()), paramName);

void writeAll(RequestLogger & logger, std::vector<api::RequestRecord> recs)
{
	for (auto & r : recs)
		logger.submit(std::move(r));
	ASSERT_TRUE(logger.flush());
	ASSERT_EQ(logger.counters().records_failed, 0u) << logger.counters().last_error;
}

} // namespace

TEST_P(LogStoreTest, OpensAtCurrentSchemaVersion)
{
	auto store = env.open();
	EXPECT_EQ(store->schemaVersion(), kSchemaVersion);
	EXPECT_STREQ(store->backendName(), env.postgres() ? "postgresql" : "sqlite");
	if (!env.postgres())
	{
		EXPECT_TRUE(std::filesystem::exists(env.dbPath()));
	}
	// Opening again is a no-op migration.
	EXPECT_EQ(env.open()->schemaVersion(), kSchemaVersion);
}

TEST_P(LogStoreTest, EveryOutcomeClassRoundTrips)
{
	auto store = env.open();
	RequestLogger logger(store, env.config(), testOptions());
	const api::Outcome all[] = {api::Outcome::Success, api::Outcome::UpstreamError, api::Outcome::ValidationFailed,
		api::Outcome::Network, api::Outcome::Timeout, api::Outcome::ClientCancelled, api::Outcome::SkippedOpenBreaker,
		api::Outcome::Rejected};
	int64_t t0 = nowMs();
	std::vector<api::RequestRecord> recs;
	for (int i = 0; i < 8; ++i)
	{
		auto r = makeRequest(std::string("req-") + api::outcomeName(all[i]), t0 + i, all[i]);
		if (!r.attempts.empty())
			r.attempts[0].content_type_override = "json->sse";
		recs.push_back(r);
	}
	auto expected = recs;
	writeAll(logger, std::move(recs));

	for (const auto & want : expected)
	{
		auto got = store->get(want.request_id);
		ASSERT_TRUE(got) << want.request_id;
		const auto & r = got->rec;
		EXPECT_EQ(r.outcome, want.outcome) << want.request_id;
		EXPECT_EQ(r.status, want.status);
		EXPECT_EQ(r.started_at_ms, want.started_at_ms);
		EXPECT_EQ(r.duration_ms, want.duration_ms);
		EXPECT_EQ(r.ttfb_ms, want.ttfb_ms);
		EXPECT_EQ(r.method, "POST");
		EXPECT_EQ(r.path, want.path);
		EXPECT_EQ(r.error, want.error);
		EXPECT_EQ(r.streaming, want.streaming);
		EXPECT_EQ(r.tags, want.tags);
		EXPECT_EQ(r.model_requested, want.model_requested);
		EXPECT_EQ(r.thinking_type, "enabled");
		EXPECT_EQ(r.thinking_budget, 4096);
		EXPECT_EQ(r.session_id, want.session_id);
		EXPECT_EQ(r.user_agent, want.user_agent);
		EXPECT_EQ(r.final_endpoint_id, want.final_endpoint_id);
		EXPECT_EQ(r.usage.input_tokens, want.usage.input_tokens);
		EXPECT_EQ(r.usage.cache_read_input_tokens, want.usage.cache_read_input_tokens);
		EXPECT_DOUBLE_EQ(r.cost_usd, want.cost_usd);
		EXPECT_EQ(r.client_request_body.bytes, want.client_request_body.bytes);
		EXPECT_EQ(r.client_response_body.bytes, want.client_response_body.bytes);
		ASSERT_EQ(r.client_request_headers.size(), 2u);
		EXPECT_EQ(r.client_request_headers[1].second, "Bearer [REDACTED]");
		EXPECT_EQ(got->attempt_count, static_cast<int>(want.attempts.size()));
		ASSERT_EQ(r.attempts.size(), want.attempts.size());
		for (size_t i = 0; i < r.attempts.size(); ++i)
		{
			const auto & a = r.attempts[i];
			const auto & w = want.attempts[i];
			EXPECT_EQ(a.outcome, w.outcome);
			EXPECT_EQ(a.status, w.status);
			EXPECT_EQ(a.error, w.error);
			EXPECT_EQ(a.endpoint_id, w.endpoint_id);
			EXPECT_EQ(a.endpoint_name, w.endpoint_name);
			EXPECT_EQ(a.endpoint_url, w.endpoint_url);
			EXPECT_EQ(a.duration_ms, w.duration_ms);
			EXPECT_EQ(a.ttfb_ms, w.ttfb_ms);
			EXPECT_EQ(a.content_type_override, "json->sse");
			EXPECT_EQ(a.model_sent, w.model_sent);
			EXPECT_EQ(a.usage.output_tokens, w.usage.output_tokens);
			EXPECT_EQ(a.request_body.bytes, w.request_body.bytes);
			EXPECT_EQ(a.response_body.bytes, w.response_body.bytes);
			EXPECT_EQ(a.response_headers, w.response_headers);
		}
	}
	auto rejected = store->get("req-rejected");
	ASSERT_TRUE(rejected);
	EXPECT_TRUE(rejected->rec.attempts.empty());
	EXPECT_EQ(rejected->rec.status, 400);
	EXPECT_FALSE(store->get("no-such-request"));
}

TEST_P(LogStoreTest, NoPlantedSecretReachesTheDatabase)
{
	const std::string authValue = "sk-ant-PLANTED" + randomToken(24);
	const std::string oauthToken = "oat-PLANTED" + randomToken(24);
	const std::string clientToken = "cli-PLANTED" + randomToken(24);
	const std::string cookie = "session=PLANTED" + randomToken(24);
	auto store = env.open();
	RequestLogger logger(store, env.config(), testOptions());
	logger.setSecrets({authValue, oauthToken, clientToken});

	auto r = makeRequest("secret-req", nowMs(), api::Outcome::UpstreamError);
	r.client_request_headers = {{"Authorization", "Bearer " + clientToken}, {"Cookie", cookie}};
	r.client_request_body.bytes = "{\"note\":\"my token is " + oauthToken + "\"}";
	r.client_request_body.totalSize = static_cast<int64_t>(r.client_request_body.bytes.size());
	r.path = "/v1/messages?key=" + authValue;
	r.error = "upstream said: invalid key " + authValue;
	auto & a = r.attempts[0];
	a.request_headers = {{"x-api-key", authValue}, {"X-Custom-Auth", "token " + oauthToken},
		{"Proxy-Authorization", "Basic " + clientToken}};
	a.response_headers = {{"Set-Cookie", cookie}};
	a.endpoint_url = "https://up.example/v1/messages?api_key=" + authValue;
	a.error = "401 for " + authValue;
	// A body large enough to be compressed: redaction must happen before compression.
	std::string big;
	for (int i = 0; i < 200; ++i)
		big += "line " + std::to_string(i) + " auth " + authValue + " oauth " + oauthToken + "\n";
	a.request_body.bytes = big;
	a.request_body.totalSize = static_cast<int64_t>(big.size());
	a.response_body.bytes = "{\"error\":\"bad key " + authValue + "\"}";
	a.response_body.totalSize = static_cast<int64_t>(a.response_body.bytes.size());
	writeAll(logger, {r});
	logger.stop();

	for (const auto & s : {authValue, oauthToken, clientToken, cookie, std::string("PLANTED")})
		EXPECT_FALSE(env.rawContains(s)) << "found in the database: " << s;

	auto got = store->get("secret-req");
	ASSERT_TRUE(got);
	EXPECT_EQ(got->rec.client_request_headers[0].second, "Bearer [REDACTED]");
	EXPECT_EQ(got->rec.client_request_headers[1].second, "[REDACTED]");
	EXPECT_EQ(got->rec.path, "/v1/messages?key=[REDACTED]");
	const auto & ga = got->rec.attempts.at(0);
	EXPECT_EQ(ga.request_headers[0].second, "[REDACTED]");
	EXPECT_EQ(ga.request_headers[1].second, "token [REDACTED]");
	EXPECT_EQ(ga.error, "401 for [REDACTED]");
	EXPECT_TRUE(got->attempt_bodies[0].first.compressed);
	EXPECT_EQ(ga.request_body.bytes.find("PLANTED"), std::string::npos);
	EXPECT_NE(ga.request_body.bytes.find("line 199 auth [REDACTED] oauth [REDACTED]"), std::string::npos);
	// The statistics' last error is redacted as well.
	for (const auto & s : logger.store()->loadEndpointStats())
		EXPECT_EQ(s.last_failure_error.find("PLANTED"), std::string::npos);
}

TEST_P(LogStoreTest, BodyPoliciesApplyAndTruncationIsUtf8Safe)
{
	auto cfg = env.config();
	cfg.log_request_body = "truncated";
	cfg.truncated_body_bytes = 10;
	cfg.log_response_body = "none";
	auto store = env.open();
	RequestLogger logger(store, cfg, testOptions());
	auto r = makeRequest("utf8", nowMs(), api::Outcome::Success);
	r.client_request_body.bytes = "aaaaaaaaa\xC3\xA9 and more text";
	r.client_request_body.totalSize = static_cast<int64_t>(r.client_request_body.bytes.size());
	writeAll(logger, {r});
	auto got = store->get("utf8");
	ASSERT_TRUE(got);
	EXPECT_EQ(got->rec.client_request_body.bytes, std::string("aaaaaaaaa") + kTruncationMarker);
	EXPECT_EQ(got->rec.client_request_body.totalSize, static_cast<int64_t>(r.client_request_body.bytes.size()));
	EXPECT_TRUE(got->client_request_body.truncated);
	EXPECT_TRUE(got->rec.client_response_body.bytes.empty());
	EXPECT_TRUE(got->client_response_body.omitted);
	EXPECT_EQ(got->rec.client_response_body.totalSize, r.client_response_body.totalSize);
	EXPECT_TRUE(got->attempt_bodies[0].second.omitted);

	// full: capped at max_body_bytes
	cfg.log_request_body = "full";
	cfg.max_body_bytes = 64;
	logger.updateConfig(cfg);
	auto r2 = makeRequest("capped", nowMs(), api::Outcome::Success);
	r2.client_request_body.bytes = std::string(63, 'x') + "\xE2\x82\xAC" + std::string(100, 'y');
	r2.client_request_body.totalSize = static_cast<int64_t>(r2.client_request_body.bytes.size());
	writeAll(logger, {r2});
	auto got2 = store->get("capped");
	ASSERT_TRUE(got2);
	EXPECT_EQ(got2->rec.client_request_body.bytes, std::string(63, 'x') + kTruncationMarker);
	EXPECT_EQ(sanitizeUtf8(got2->rec.client_request_body.bytes), got2->rec.client_request_body.bytes);
}

TEST_P(LogStoreTest, LargeBodiesAreCompressedAndRoundTrip)
{
	auto store = env.open();
	RequestLogger logger(store, env.config(), testOptions());
	std::string big;
	for (int i = 0; i < 10000; ++i)
		big += "{\"type\":\"content_block_delta\",\"index\":" + std::to_string(i % 7) + ",\"text\":\"\xE2\x82\xAC token\"}\n";
	std::string binary;
	for (int i = 0; i < 5000; ++i)
		binary.push_back(static_cast<char>(i * 7919 % 256));
	auto r = makeRequest("big", nowMs(), api::Outcome::Success);
	r.client_response_body = {big, static_cast<int64_t>(big.size())};
	r.attempts[0].response_body = {binary, static_cast<int64_t>(binary.size())};
	writeAll(logger, {r});
	auto got = store->get("big");
	ASSERT_TRUE(got);
	EXPECT_EQ(got->rec.client_response_body.bytes, big);
	EXPECT_TRUE(got->client_response_body.compressed);
	EXPECT_FALSE(got->client_response_body.truncated);
	EXPECT_EQ(got->rec.attempts[0].response_body.bytes, binary);
	// At rest it is smaller than the body itself.
	auto rows = env.raw()->query("SELECT client_response_body_flags, stored_bytes FROM requests");
	ASSERT_EQ(rows.size(), 1u);
	EXPECT_EQ(rows[0].i64(0) & kBodyZstd, kBodyZstd);
	EXPECT_LT(rows[0].i64(1), static_cast<int64_t>(big.size()) / 4);
}

TEST_P(LogStoreTest, FiltersAndKeysetPagination)
{
	auto store = env.open();
	RequestLogger logger(store, env.config(), testOptions());
	int64_t t0 = 1700000000000;
	std::vector<api::RequestRecord> recs;
	for (int i = 0; i < 30; ++i)
	{
		api::Outcome o = i % 3 == 0 ? api::Outcome::UpstreamError : api::Outcome::Success;
		auto r = makeRequest("r" + std::to_string(i), t0 + (i / 2) * 1000, o, i % 2 ? "ep-odd" : "ep-even",
			i % 5 == 0 ? "claude-opus-4" : "claude-sonnet-4");
		r.tags = i % 4 == 0 ? std::vector<std::string>{"long-context"} : std::vector<std::string>{"fast"};
		r.session_id = i < 10 ? "session-A" : "session-B";
		if (i == 7)
		{
			r.outcome = api::Outcome::Timeout;
			r.status = 504;
			r.error = "Idle TIMEOUT after 300s";
		}
		recs.push_back(r);
	}
	writeAll(logger, recs);

	// Paginate through everything: newest first, ties broken by row id, no duplicates.
	std::set<std::string> seen;
	ListQuery q;
	q.limit = 7;
	int pages = 0;
	int64_t prevTs = INT64_MAX;
	int64_t prevId = INT64_MAX;
	for (;;)
	{
		ListPage p = store->list(q);
		++pages;
		for (const auto & s : p.items)
		{
			EXPECT_TRUE(seen.insert(s.rec.request_id).second) << s.rec.request_id;
			EXPECT_TRUE(s.rec.started_at_ms < prevTs || (s.rec.started_at_ms == prevTs && s.row_id < prevId));
			prevTs = s.rec.started_at_ms;
			prevId = s.row_id;
			EXPECT_TRUE(s.rec.client_request_body.bytes.empty()); // list rows carry no bodies
			EXPECT_EQ(s.attempt_count, 1);
		}
		if (p.next_cursor.empty())
			break;
		q.cursor = p.next_cursor;
		ASSERT_LT(pages, 10);
	}
	EXPECT_EQ(seen.size(), 30u);
	EXPECT_EQ(pages, 5);
	EXPECT_EQ(store->list(ListQuery{}).items.front().rec.request_id, "r29");

	auto countOf = [&](ListFilter f) {
		ListQuery lq;
		lq.filter = f;
		lq.limit = 1000;
		auto n = static_cast<int64_t>(store->list(lq).items.size());
		EXPECT_EQ(n, store->count(f));
		return n;
	};
	ListFilter f;
	EXPECT_EQ(countOf(f), 30);
	f = {};
	f.endpoint_id = "ep-odd";
	EXPECT_EQ(countOf(f), 15);
	f = {};
	f.model = "claude-opus-4";
	EXPECT_EQ(countOf(f), 6);
	f = {};
	f.status_class = "5xx";
	EXPECT_EQ(countOf(f), 11); // the 10 upstream errors (529) and r7 (504)
	f.status_class = "failed";
	EXPECT_EQ(countOf(f), 11);
	f.status_class = "4xx";
	EXPECT_EQ(countOf(f), 0);
	f.status_class = "2xx";
	EXPECT_EQ(countOf(f), 19);
	f = {};
	f.tag = "long-context";
	EXPECT_EQ(countOf(f), 8);
	f.tag = "long";
	EXPECT_EQ(countOf(f), 0); // exact tags only
	f = {};
	f.session_id = "session-A";
	EXPECT_EQ(countOf(f), 10);
	f = {};
	f.text = "idle timeout";
	EXPECT_EQ(countOf(f), 1);
	f.text = "upstream_error"; // attempt errors are searched too
	EXPECT_EQ(countOf(f), 10);
	f = {};
	f.from_ms = t0 + 5000;
	f.to_ms = t0 + 10000;
	EXPECT_EQ(countOf(f), 10);
	f.endpoint_id = "ep-even";
	f.session_id = "session-B";
	EXPECT_EQ(countOf(f), 5);
	f = {};
	f.request_id = "r13";
	EXPECT_EQ(countOf(f), 1);
	f = {};
	f.text = "100%_"; // LIKE wildcards are literal
	EXPECT_EQ(countOf(f), 0);
}

TEST_P(LogStoreTest, UsageSummariesPerEndpointAndModel)
{
	auto store = env.open();
	RequestLogger logger(store, env.config(), testOptions());
	int64_t t0 = 1700000000000;
	std::vector<api::RequestRecord> recs;
	for (int i = 0; i < 10; ++i)
	{
		auto r = makeRequest("u" + std::to_string(i), t0 + i, api::Outcome::Success, "ep-a", "m1");
		r.attempts[0].duration_ms = (i + 1) * 100; // 100..1000
		r.duration_ms = (i + 1) * 100;
		if (i == 9)
		{
			// failover: first attempt on ep-b failed
			auto fail = makeAttempt(1, "ep-b", api::Outcome::Network, t0 + i, 50);
			r.attempts.insert(r.attempts.begin(), fail);
			r.attempts[1].attempt_number = 2;
		}
		recs.push_back(r);
	}
	recs.push_back(makeRequest("u-rej", t0 + 20, api::Outcome::Rejected, "", "m2"));
	recs.push_back(makeRequest("u-old", t0 - 100000, api::Outcome::Success, "ep-a", "m1"));
	writeAll(logger, recs);

	auto eps = store->usageByEndpoint(t0, t0 + 1000);
	ASSERT_EQ(eps.size(), 2u);
	EXPECT_EQ(eps[0].key, "ep-a");
	EXPECT_EQ(eps[0].name, "name-ep-a");
	EXPECT_EQ(eps[0].requests, 10);
	EXPECT_EQ(eps[0].successes, 10);
	EXPECT_EQ(eps[0].failures, 0);
	EXPECT_EQ(eps[0].latency_p50_ms, 500);
	EXPECT_EQ(eps[0].latency_p95_ms, 1000);
	EXPECT_EQ(eps[0].latency_p99_ms, 1000);
	EXPECT_EQ(eps[0].input_tokens, 100);
	EXPECT_EQ(eps[0].cache_read_tokens, 40);
	EXPECT_NEAR(eps[0].cost_usd, 2.5, 1e-9);
	EXPECT_EQ(eps[1].key, "ep-b");
	EXPECT_EQ(eps[1].failures, 1);
	EXPECT_EQ(eps[1].input_tokens, 0); // -1 (not reported) is not summed

	auto models = store->usageByModel(t0, -1);
	ASSERT_EQ(models.size(), 2u);
	EXPECT_EQ(models[0].key, "m1");
	EXPECT_EQ(models[0].requests, 10);
	EXPECT_EQ(models[0].output_tokens, 200);
	EXPECT_EQ(models[1].key, "m2");
	EXPECT_EQ(models[1].failures, 1);
	EXPECT_EQ(store->usageByModel(-1, -1)[0].requests, 11); // the old one too
}

TEST_P(LogStoreTest, DebugExportZipHasEverythingAndNoSecrets)
{
	const std::string authValue = "sk-ant-EXPORTSECRET-" + randomToken(20);
	config::Config cfg;
	config::Endpoint ep;
	ep.name = "Primary";
	ep.id = "ep-a";
	ep.url = "https://api.example";
	ep.auth_type = "api_key";
	ep.auth_value = authValue;
	ep.tags = {"fast"};
	cfg.endpoints.push_back(ep);
	config::Endpoint other = ep;
	other.name = "Unused";
	other.id = "ep-unused";
	cfg.endpoints.push_back(other);
	config::Tagger tg;
	tg.name = "fast-path";
	tg.builtin_type = "path";
	tg.tag = "fast";
	cfg.tagging.taggers.push_back(tg);

	auto store = env.open();
	RequestLogger logger(store, env.config(), testOptions());
	logger.setSecrets(collectSecrets(cfg));
	auto r = makeRequest("exp/1", nowMs(), api::Outcome::Success);
	r.attempts.insert(r.attempts.begin(), makeAttempt(1, "ep-a", api::Outcome::Timeout, r.started_at_ms));
	r.attempts[1].attempt_number = 2;
	r.attempts[0].request_headers.push_back({"x-api-key", authValue});
	writeAll(logger, {r});

	EXPECT_FALSE(exportRequestZip(*store, "missing", &cfg, nowMs()));
	auto zip = exportRequestZip(*store, "exp/1", &cfg, nowMs());
	ASSERT_TRUE(zip);
	EXPECT_EQ(exportZipFileName("exp/1", 0), "debug_exp1_19700101_000000.zip");

	std::istringstream in(*zip);
	Poco::Zip::ZipArchive archive(in);
	std::map<std::string, std::string> files;
	for (auto it = archive.headerBegin(); it != archive.headerEnd(); ++it)
	{
		if (it->second.isDirectory())
			continue;
		std::istringstream zin(*zip);
		Poco::Zip::ZipInputStream zis(zin, it->second);
		std::stringstream ss;
		ss << zis.rdbuf();
		files[it->first] = ss.str();
	}
	for (const char * want : {"README.txt", "meta.json", "request/client_request_headers.txt",
			 "request/client_request_body.txt", "request/client_response_headers.txt", "request/client_response_body.txt",
			 "attempts/attempt_1/meta.json", "attempts/attempt_1/request_headers.txt",
			 "attempts/attempt_1/request_body.txt", "attempts/attempt_1/response_headers.txt",
			 "attempts/attempt_1/response_body.txt", "attempts/attempt_2/meta.json", "endpoints/endpoint_ep-a.json",
			 "taggers/tagger_fast-path.json"})
		EXPECT_TRUE(files.count(want)) << want;
	EXPECT_FALSE(files.count("endpoints/endpoint_ep-unused.json"));
	for (const auto & kv : files)
		EXPECT_EQ(kv.second.find("EXPORTSECRET"), std::string::npos) << kv.first;

	auto meta = nlohmann::json::parse(files["meta.json"]);
	EXPECT_EQ(meta["request_id"], "exp/1");
	EXPECT_EQ(meta["total_attempts"], 2);
	EXPECT_EQ(meta["has_errors"], true);
	EXPECT_EQ(meta["final_status_code"], 200);
	auto am = nlohmann::json::parse(files["attempts/attempt_1/meta.json"]);
	EXPECT_EQ(am["outcome"], "timeout");
	EXPECT_EQ(am["endpoint_id"], "ep-a");
	auto epj = nlohmann::json::parse(files["endpoints/endpoint_ep-a.json"]);
	EXPECT_EQ(epj["auth_value"], "[REDACTED]");
	EXPECT_EQ(epj["name"], "Primary");
	EXPECT_NE(files["attempts/attempt_1/request_headers.txt"].find("x-api-key: [REDACTED]"), std::string::npos);
	EXPECT_EQ(files["request/client_request_body.txt"], r.client_request_body.bytes);
}

TEST_P(LogStoreTest, MigratesAVersion1DatabaseInPlace)
{
	{
		auto v1 = env.open(1);
		EXPECT_EQ(v1->schemaVersion(), 1);
	}
	// Rows as a version-1 program wrote them (no bodies_shed column, no statistics tables).
	{
		auto c = env.raw();
		// A zlib-compressed body, as the first writer stored large bodies.
		std::string oldBody = "{\"model\":\"old\",\"text\":\"" + std::string(3000, 'o') + "\"}";
		auto blobParam = DbValue::blob(deflateBytes(oldBody));
		c->query("INSERT INTO requests (request_id, started_at_ms, duration_ms, method, path, status, outcome, "
				 "model_requested, client_request_body, client_request_body_size, client_request_body_flags) "
				 "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
			{DbValue::text("v1-req"), DbValue::integer(1600000000000), DbValue::integer(12), DbValue::text("POST"),
				DbValue::text("/v1/messages"), DbValue::integer(200), DbValue::text("success"), DbValue::text("old-model"),
				blobParam, DbValue::integer(static_cast<int64_t>(oldBody.size())), DbValue::integer(kBodyCompressed)});
		auto id = c->query("SELECT id FROM requests WHERE request_id = ?", {DbValue::text("v1-req")});
		ASSERT_EQ(id.size(), 1u);
		c->query("INSERT INTO attempts (request_row_id, attempt_number, endpoint_id, outcome, status) VALUES (?, 1, ?, ?, ?)",
			{DbValue::integer(id[0].i64(0)), DbValue::text("ep-old"), DbValue::text("success"), DbValue::integer(200)});
		EXPECT_THROW(c->query("SELECT * FROM endpoint_stats"), StoreError);
	}
	auto store = env.open();
	EXPECT_EQ(store->schemaVersion(), kSchemaVersion);
	auto got = store->get("v1-req");
	ASSERT_TRUE(got);
	EXPECT_EQ(got->rec.model_requested, "old-model");
	EXPECT_EQ(got->rec.client_request_body.bytes, "{\"model\":\"old\",\"text\":\"" + std::string(3000, 'o') + "\"}");
	EXPECT_TRUE(got->client_request_body.compressed);
	EXPECT_FALSE(got->bodies_shed);
	ASSERT_EQ(got->rec.attempts.size(), 1u);
	EXPECT_EQ(got->rec.attempts[0].endpoint_id, "ep-old");
	// The upgraded store takes new records and statistics.
	RequestLogger logger(store, env.config(), testOptions());
	auto fresh = makeRequest("v2-req", nowMs(), api::Outcome::Success);
	std::string big = "{\"model\":\"new\",\"text\":\"" + std::string(9000, 'n') + "\"}";
	fresh.client_request_body = {big, static_cast<int64_t>(big.size())};
	writeAll(logger, {fresh});
	auto again = store->get("v2-req");
	ASSERT_TRUE(again);
	EXPECT_EQ(again->rec.client_request_body.bytes, big); // kept apart (table bodies, migration 3)
	EXPECT_EQ(env.raw()->query("SELECT COUNT(*) FROM bodies")[0].i64(0), 1);
	// The old row still reads its inline body next to the new one.
	EXPECT_EQ(store->get("v1-req")->rec.client_request_body.bytes, "{\"model\":\"old\",\"text\":\"" + std::string(3000, 'o') + "\"}");
	EXPECT_EQ(store->loadEndpointStats().size(), 1u);
	EXPECT_EQ(store->count({}), 2);
}

TEST_P(LogStoreTest, RefusesADatabaseFromTheFuture)
{
	env.open();
	env.raw()->query("UPDATE schema_version SET version = 99");
	EXPECT_THROW(env.open(), StoreError);
}

TEST_P(LogStoreTest, UpstreamRequestBodyIdenticalToTheClientsIsStoredOnce)
{
	auto store = env.open();
	RequestLogger logger(store, env.config(), testOptions());
	std::string body = "{\"model\":\"m\",\"messages\":[" + std::string(20000, ' ') + "]}";
	auto r = makeRequest("dedupe", nowMs(), api::Outcome::Success);
	r.client_request_body = {body, static_cast<int64_t>(body.size())};
	r.attempts[0].request_body = r.client_request_body;
	r.attempts.push_back(makeAttempt(2, "ep-b", api::Outcome::Success, r.started_at_ms + 5));
	r.attempts[1].request_body = {body + " ", static_cast<int64_t>(body.size() + 1)}; // rewritten: differs
	writeAll(logger, {r});
	auto got = store->get("dedupe");
	ASSERT_TRUE(got);
	EXPECT_EQ(got->rec.attempts[0].request_body.bytes, body);
	EXPECT_EQ(got->rec.attempts[0].request_body.totalSize, static_cast<int64_t>(body.size()));
	EXPECT_TRUE(got->attempt_bodies[0].first.same_as_client);
	EXPECT_EQ(got->rec.attempts[1].request_body.bytes, body + " ");
	EXPECT_FALSE(got->attempt_bodies[1].first.same_as_client);
	auto rows = env.raw()->query("SELECT request_body, request_body_flags, request_body_ref FROM attempts ORDER BY attempt_number");
	ASSERT_EQ(rows.size(), 2u);
	EXPECT_TRUE(rows[0].isNull(0));
	EXPECT_TRUE(rows[0].isNull(2));
	EXPECT_EQ(rows[0].i64(1) & kBodySameAsClient, kBodySameAsClient);
	EXPECT_TRUE(rows[1].isNull(0)); // large: kept apart, by content
	EXPECT_EQ(rows[1].str(2), BodyStore::keyOf(body + " "));
	EXPECT_EQ(rows[1].i64(1) & kBodyZstd, kBodyZstd);
}

namespace
{
int64_t bodyRows(StoreEnv & env)
{
	return env.raw()->query("SELECT COUNT(*) FROM bodies")[0].i64(0);
}
int64_t refsOf(StoreEnv & env, const std::string & bytes)
{
	auto rows = env.raw()->query("SELECT refs FROM bodies WHERE body_key = ?", {DbValue::text(BodyStore::keyOf(bytes))});
	return rows.empty() ? 0 : rows[0].i64(0);
}
} // namespace

TEST_P(LogStoreTest, ABodySeenAgainIsStoredOnceAndGoesWithItsLastRow)
{
	auto store = env.open();
	std::string shared = "{\"model\":\"m\",\"system\":\"" + std::string(30000, 's') + "\"}";
	std::string other = "{\"model\":\"m\",\"system\":\"" + std::string(30000, 'o') + "\"}";
	std::string errorBody = "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"" +
		std::string(5000, 'x') + "\"}}";
	const int64_t day = 86400000LL;
	const int64_t t0 = nowMs();
	std::vector<api::RequestRecord> recs;
	for (int i = 0; i < 4; ++i)
	{
		// Three old records and one recent share the request body; every attempt got the same error.
		auto r = makeRequest("same-" + std::to_string(i), i < 3 ? t0 - (20 - i) * day : t0, api::Outcome::UpstreamError);
		r.client_request_body = {shared, static_cast<int64_t>(shared.size())};
		r.attempts[0].request_body = r.client_request_body;
		r.attempts[0].response_body = {errorBody, static_cast<int64_t>(errorBody.size())};
		recs.push_back(r);
	}
	auto r = makeRequest("other", t0, api::Outcome::Success);
	r.client_request_body = {other, static_cast<int64_t>(other.size())};
	recs.push_back(r);
	{
		RequestLogger logger(store, env.config(), testOptions());
		writeAll(logger, recs);
	}
	EXPECT_EQ(bodyRows(env), 3);
	EXPECT_EQ(refsOf(env, shared), 4);    // the attempts' copies are "same as client", not counted
	EXPECT_EQ(refsOf(env, errorBody), 4);
	EXPECT_EQ(refsOf(env, other), 1);
	for (const auto & want : recs)
	{
		auto got = store->get(want.request_id);
		ASSERT_TRUE(got) << want.request_id;
		EXPECT_EQ(got->rec.client_request_body.bytes, want.client_request_body.bytes);
		EXPECT_EQ(got->rec.client_request_body.totalSize, want.client_request_body.totalSize);
		EXPECT_FALSE(got->client_request_body.omitted);
		EXPECT_EQ(got->rec.attempts[0].response_body.bytes, want.attempts[0].response_body.bytes);
	}
	// Retention takes the three old records: the bodies stay for the recent one.
	RetentionResult gone = store->applyRetention(7, 0, t0 + 1000, nullptr, 2);
	EXPECT_EQ(gone.deleted_by_age, 3);
	EXPECT_EQ(refsOf(env, shared), 1);
	EXPECT_EQ(refsOf(env, errorBody), 1);
	auto kept = store->get("same-3");
	ASSERT_TRUE(kept);
	EXPECT_EQ(kept->rec.client_request_body.bytes, shared);
	// With the last record, the bodies go too.
	store->applyRetention(0, 0, t0 + 1000, nullptr, 500);
	EXPECT_EQ(store->count({}), 0);
	EXPECT_EQ(bodyRows(env), 0);
}

TEST_P(LogStoreTest, ABodyDeletedSinceTheWriterSawItIsStoredAgain)
{
	auto store = env.open();
	std::string body = "{\"messages\":\"" + std::string(10000, 'b') + "\"}";
	RequestLogger logger(store, env.config(), testOptions());
	auto first = makeRequest("first", nowMs() - 40 * 86400000LL, api::Outcome::Success);
	first.client_request_body = {body, static_cast<int64_t>(body.size())};
	writeAll(logger, {first});
	EXPECT_EQ(refsOf(env, body), 1);
	store->applyRetention(30, 0, nowMs(), nullptr, 500);
	EXPECT_EQ(bodyRows(env), 0);
	// The writer still believes the body is stored: it finds out and stores it again.
	auto second = makeRequest("second", nowMs(), api::Outcome::Success);
	second.client_request_body = first.client_request_body;
	writeAll(logger, {second});
	EXPECT_EQ(refsOf(env, body), 1);
	auto got = store->get("second");
	ASSERT_TRUE(got);
	EXPECT_EQ(got->rec.client_request_body.bytes, body);
}

TEST_P(LogStoreTest, ConcurrentOpensMigrateOnce)
{
	std::vector<std::thread> threads;
	std::atomic<int> ok{0};
	std::vector<std::string> errors(4);
	for (int i = 0; i < 4; ++i)
		threads.emplace_back([&, i] {
			try
			{
				if (env.open()->schemaVersion() == kSchemaVersion)
					ok++;
			}
			catch (const std::exception & e)
			{
				errors[static_cast<size_t>(i)] = e.what();
			}
		});
	for (auto & t : threads)
		t.join();
	EXPECT_EQ(ok.load(), 4) << errors[0] << errors[1] << errors[2] << errors[3];
	EXPECT_EQ(env.raw()->query("SELECT COUNT(*) FROM schema_version")[0].i64(0), 1);
}
