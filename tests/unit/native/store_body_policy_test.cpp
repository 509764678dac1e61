#include <gtest/gtest.h>

#include "store/BodyPolicy.h"
#include "store/Db.h"
#include "store/Stats.h"

using namespace ccc::store;

namespace
{
bool validUtf8(const std::string & s)
{
	return sanitizeUtf8(s) == s;
}
} // namespace

TEST(StoreBodyPolicy, Utf8SafeCutNeverSplitsASequence)
{
	const std::string s = "ab\xC3\xA9" "cd\xE2\x82\xAC" "e\xF0\x9F\x98\x80"; // ab é cd € e 😀
	for (size_t limit = 0; limit <= s.size() + 2; ++limit)
	{
		size_t n = utf8SafeCut(s, limit);
		EXPECT_LE(n, std::min(limit, s.size()));
		EXPECT_TRUE(validUtf8(s.substr(0, n))) << "limit " << limit;
		EXPECT_GE(n + 3, std::min(limit, s.size())) << "gave up more than one character";
	}
}

TEST(StoreBodyPolicy, TrimsIncompleteTail)
{
	std::string s = "ok\xE2\x82"; // € cut after 2 of 3 bytes
	trimIncompleteUtf8Tail(s);
	EXPECT_EQ(s, "ok");
	std::string whole = "ok\xE2\x82\xAC";
	trimIncompleteUtf8Tail(whole);
	EXPECT_EQ(whole, "ok\xE2\x82\xAC");
}

TEST(StoreBodyPolicy, TruncatedPolicyCutsUtf8SafeWithMarker)
{
	ccc::api::CapturedBody b;
	b.bytes = "aaaaaaaaa\xC3\xA9zzzz"; // the 10th/11th bytes are é
	b.totalSize = static_cast<int64_t>(b.bytes.size());
	BodyInfo i = applyBodyPolicy(b, "truncated", 10, 1 << 20, {});
	EXPECT_TRUE(i.truncated);
	EXPECT_EQ(b.bytes, std::string("aaaaaaaaa") + kTruncationMarker);
	EXPECT_EQ(b.totalSize, 15);
	EXPECT_TRUE(validUtf8(b.bytes));
}

TEST(StoreBodyPolicy, NoneAndFullPolicies)
{
	ccc::api::CapturedBody b{"hello world", 11};
	BodyInfo none = applyBodyPolicy(b, "none", 4, 100, {});
	EXPECT_TRUE(none.omitted);
	EXPECT_TRUE(b.bytes.empty());
	EXPECT_EQ(b.totalSize, 11);

	ccc::api::CapturedBody f{"hello world", 11};
	BodyInfo full = applyBodyPolicy(f, "full", 4, 100, {});
	EXPECT_FALSE(full.truncated);
	EXPECT_EQ(f.bytes, "hello world");

	ccc::api::CapturedBody capped{"hello world", 11};
	BodyInfo c = applyBodyPolicy(capped, "full", 4, 5, {});
	EXPECT_TRUE(c.truncated);
	EXPECT_EQ(capped.bytes, std::string("hello") + kTruncationMarker);
}

TEST(StoreBodyPolicy, CaptureCutBodyIsMarkedAndEndsOnBoundary)
{
	ccc::api::CapturedBody b;
	b.bytes = "xy\xF0\x9F\x98"; // the proxy's capture stopped inside an emoji
	b.totalSize = 5000;
	BodyInfo i = applyBodyPolicy(b, "full", 10, 1 << 20, {});
	EXPECT_TRUE(i.truncated);
	EXPECT_EQ(b.bytes, std::string("xy") + kTruncationMarker);
}

TEST(StoreBodyPolicy, RedactsSecretsBeforeCuttingAndPartialSecretAtCaptureEnd)
{
	const std::string secret = "sk-ant-api03-SECRETSECRETSECRET";
	ccc::api::CapturedBody b;
	b.bytes = "key=" + secret + " and again " + secret.substr(0, 12); // capture ended mid-secret
	b.totalSize = 10000;
	applyBodyPolicy(b, "full", 10, 1 << 20, {secret});
	EXPECT_EQ(b.bytes.find("SECRET"), std::string::npos) << b.bytes;
	EXPECT_EQ(b.bytes.find(secret.substr(0, 12)), std::string::npos) << b.bytes;
	EXPECT_NE(b.bytes.find(kRedacted), std::string::npos);

	// A cut by the truncated policy right inside a secret leaves none of it.
	ccc::api::CapturedBody t{"0123" + secret + "tail", static_cast<int64_t>(8 + secret.size())};
	applyBodyPolicy(t, "truncated", 10, 1 << 20, {secret});
	EXPECT_EQ(t.bytes.find("sk-an"), std::string::npos) << t.bytes;
}

TEST(StoreBodyPolicy, HeaderRedactionKeepsSchemeOnly)
{
	ccc::api::HeaderList h = {{"Authorization", "Bearer abcdefghijkl"}, {"X-Api-Key", "sk-123456789"},
		{"Cookie", "a=b"}, {"set-cookie", "s=1"}, {"Proxy-Authorization", "Basic dXNlcjpwYXNz"},
		{"x-custom", "prefix-my-secret-value-suffix"}, {"content-type", "application/json"}};
	redactHeaders(h, {"my-secret-value"});
	EXPECT_EQ(h[0].second, "Bearer [REDACTED]");
	EXPECT_EQ(h[1].second, "[REDACTED]");
	EXPECT_EQ(h[2].second, "[REDACTED]");
	EXPECT_EQ(h[3].second, "[REDACTED]");
	EXPECT_EQ(h[4].second, "Basic [REDACTED]");
	EXPECT_EQ(h[5].second, "prefix-[REDACTED]-suffix");
	EXPECT_EQ(h[6].second, "application/json");
}

TEST(StoreBodyPolicy, ShortSecretsAreIgnored)
{
	std::string s = "abc abc";
	EXPECT_FALSE(redactSecrets(s, {"abc"}));
	EXPECT_EQ(s, "abc abc");
}

TEST(StoreBodyPolicy, CompressionRoundTrip)
{
	std::string big;
	for (int i = 0; i < 20000; ++i)
		big += "{\"role\":\"user\",\"content\":\"line " + std::to_string(i) + "\"}\n";
	std::string z = deflateBytes(big);
	EXPECT_LT(z.size(), big.size() / 4);
	EXPECT_EQ(inflateBytes(z), big);
	EXPECT_THROW(inflateBytes(z.substr(0, z.size() / 2)), StoreError);
	EXPECT_EQ(inflateBytes(deflateBytes("")), "");
	std::string zs = zstdCompress(big);
	EXPECT_LT(zs.size(), big.size() / 4);
	EXPECT_EQ(zstdDecompress(zs), big);
	EXPECT_THROW(zstdDecompress(zs.substr(0, zs.size() / 2)), StoreError);
	EXPECT_THROW(zstdDecompress("not zstd at all"), StoreError);
	EXPECT_EQ(zstdDecompress(zstdCompress("")), "");
}

TEST(StoreBodyPolicy, SanitizeUtf8)
{
	EXPECT_EQ(sanitizeUtf8("a\xFF" "b"), "a\xEF\xBF\xBD" "b");
	EXPECT_EQ(sanitizeUtf8(std::string("a\0b", 3)), "ab");
	EXPECT_EQ(sanitizeUtf8("\xC0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD"); // overlong NUL
	EXPECT_EQ(sanitizeUtf8("h\xC3\xA9llo"), "h\xC3\xA9llo");
}

TEST(StoreBodyPolicy, CollectSecretsFromConfig)
{
	ccc::config::Config cfg;
	ccc::config::Endpoint e;
	e.name = "a";
	e.auth_value = "sk-endpoint-secret-1";
	e.oauth_config = ccc::config::OAuthConfig{};
	e.oauth_config->access_token = "oauth-access-token-xyz";
	e.oauth_config->refresh_token = "oauth-refresh-token-xyz";
	e.proxy = ccc::config::ProxyConfig{"http", "127.0.0.1:3128", "u", "proxy-password-1"};
	cfg.endpoints.push_back(e);
	cfg.server.client_tokens = {"client-token-123", "short"};
	auto s = collectSecrets(cfg);
	for (const char * want : {"sk-endpoint-secret-1", "oauth-access-token-xyz", "oauth-refresh-token-xyz",
			 "proxy-password-1", "client-token-123"})
		EXPECT_NE(std::find(s.begin(), s.end(), want), s.end()) << want;
	EXPECT_EQ(std::find(s.begin(), s.end(), "short"), s.end());
}

TEST(StoreStats, HistogramPercentilesAndSerialization)
{
	LatencyHistogram h;
	for (int i = 1; i <= 1000; ++i)
		h.add(i);
	auto within = [](int64_t got, int64_t want) { return got >= want && got <= want * 113 / 100 + 1; };
	EXPECT_TRUE(within(h.percentile(50), 500)) << h.percentile(50);
	EXPECT_TRUE(within(h.percentile(95), 950)) << h.percentile(95);
	EXPECT_TRUE(within(h.percentile(99), 990)) << h.percentile(99);
	LatencyHistogram back = LatencyHistogram::parse(h.serialize());
	EXPECT_EQ(back.counts(), h.counts());
	EXPECT_EQ(LatencyHistogram().percentile(50), 0);
}
