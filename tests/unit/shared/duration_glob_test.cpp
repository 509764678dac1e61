#include <gtest/gtest.h>

#include "ccc/config/duration.h"
#include "ccc/routing/glob.h"

using namespace ccc;

TEST(Duration, GoStyle)
{
	EXPECT_EQ(config::parseDurationMs("30s"), 30000);
	EXPECT_EQ(config::parseDurationMs("1m30s"), 90000);
	EXPECT_EQ(config::parseDurationMs("500ms"), 500);
	EXPECT_EQ(config::parseDurationMs("1.5h"), 5400000);
	EXPECT_EQ(config::parseDurationMs("2h45m10s"), 9910000);
	EXPECT_EQ(config::parseDurationMs("0"), 0);
	EXPECT_EQ(config::parseDurationMs(" 90 "), 90000); // bare number = seconds
	EXPECT_FALSE(config::parseDurationMs("").has_value());
	EXPECT_FALSE(config::parseDurationMs("10 parsecs").has_value());
	EXPECT_FALSE(config::parseDurationMs("1m30").has_value());
	EXPECT_FALSE(config::parseDurationMs("-5s").has_value());
	EXPECT_FALSE(config::parseDurationMs("s").has_value());
}

TEST(Duration, FormatsLikeGo)
{
	EXPECT_EQ(config::formatDurationMs(0), "0s");
	EXPECT_EQ(config::formatDurationMs(500), "500ms");
	EXPECT_EQ(config::formatDurationMs(30000), "30s");
	EXPECT_EQ(config::formatDurationMs(90000), "1m30s");
	EXPECT_EQ(config::formatDurationMs(3600000), "1h0m0s");
	EXPECT_EQ(config::formatDurationMs(1500), "1.5s");
	for (int64_t ms : {1, 999, 1000, 61000, 3723004})
		EXPECT_EQ(config::parseDurationMs(config::formatDurationMs(ms)), ms) << ms;
}

TEST(ByteSize, Units)
{
	EXPECT_EQ(config::parseByteSize("1048576"), 1048576);
	EXPECT_EQ(config::parseByteSize("512KB"), 512 * 1024);
	EXPECT_EQ(config::parseByteSize("1GiB"), 1024LL * 1024 * 1024);
	EXPECT_EQ(config::parseByteSize("100 MiB"), 100LL * 1024 * 1024);
	EXPECT_FALSE(config::parseByteSize("lots").has_value());
	EXPECT_FALSE(config::parseByteSize("5 parsecs").has_value());
}

TEST(Glob, StarAndQuestion)
{
	using routing::globMatch;
	EXPECT_TRUE(globMatch("claude-*", "claude-opus-4-8"));
	EXPECT_TRUE(globMatch("*haiku*", "claude-haiku-4-5-20251001"));
	EXPECT_FALSE(globMatch("*haiku*", "claude-opus-4-8"));
	EXPECT_TRUE(globMatch("claude-?-x", "claude-4-x"));
	EXPECT_FALSE(globMatch("claude-?-x", "claude-45-x"));
	EXPECT_TRUE(globMatch("*", ""));
	EXPECT_TRUE(globMatch("", ""));
	EXPECT_FALSE(globMatch("", "a"));
	EXPECT_TRUE(globMatch("openai/*", "openai/gpt-5")); // '*' crosses '/'
	EXPECT_TRUE(globMatch("*#use-gpt*", "please #use-gpt for this"));
	EXPECT_FALSE(globMatch("Claude-*", "claude-x")); // case-sensitive
	EXPECT_TRUE(globMatch("a*b*c", "aXXbYYbZc"));
	EXPECT_FALSE(globMatch("a*b*c", "aXXbYYbZ"));
}

TEST(Glob, ClassesEscapesAndUtf8)
{
	using routing::globMatch;
	EXPECT_TRUE(globMatch("gpt-[45]", "gpt-4"));
	EXPECT_FALSE(globMatch("gpt-[45]", "gpt-3"));
	EXPECT_TRUE(globMatch("gpt-[!45]", "gpt-3"));
	EXPECT_TRUE(globMatch("v[0-9]", "v7"));
	EXPECT_TRUE(globMatch("a\\*b", "a*b"));
	EXPECT_FALSE(globMatch("a\\*b", "aXb"));
	EXPECT_TRUE(globMatch("?", "中"));    // one code point, three bytes
	EXPECT_TRUE(globMatch("*用中文*", "请用中文回答"));
	EXPECT_EQ(routing::globError("gpt-[45"), "unterminated [ character class");
	EXPECT_EQ(routing::globError("a\\"), "ends with a lone backslash");
	EXPECT_EQ(routing::globError("claude-*"), "");
}
