// server.shutdown_grace (issue #9): how long SIGTERM waits for requests in flight.
#include <gtest/gtest.h>

#include "ccc/config/json_mapping.h"
#include "ccc/config/validate.h"

using namespace ccc::config;

namespace
{

bool hasFinding(const Diagnostics & d, const std::string & path)
{
	for (const auto & x : d)
		if (x.path == path)
			return true;
	return false;
}

} // namespace

TEST(ShutdownGrace, DefaultsToThirtySeconds)
{
	Config c;
	EXPECT_EQ(c.server.shutdown_grace_ms, 30000);
	EXPECT_EQ(configToJson(c, false)["server"]["shutdown_grace"], "30s");
}

TEST(ShutdownGrace, ReadsDurationsAndBareSeconds)
{
	Config c;
	Diagnostics d = configFromJson(nlohmann::ordered_json::parse(R"({"server": {"shutdown_grace": "1m30s"}})"), c);
	EXPECT_FALSE(hasFinding(d, "server.shutdown_grace"));
	EXPECT_EQ(c.server.shutdown_grace_ms, 90000);
	d = configFromJson(nlohmann::ordered_json::parse(R"({"server": {"shutdown_grace": 0}})"), c);
	EXPECT_EQ(c.server.shutdown_grace_ms, 0); // 0: close streams at once
	d = configFromJson(nlohmann::ordered_json::parse(R"({"server": {"shutdown_grace": "soon"}})"), c);
	EXPECT_TRUE(hasFinding(d, "server.shutdown_grace"));
}

TEST(ShutdownGrace, AtMostOneHour)
{
	Config c;
	c.server.shutdown_grace_ms = 3600 * 1000;
	EXPECT_FALSE(hasFinding(validate(c), "server.shutdown_grace"));
	c.server.shutdown_grace_ms = 3600 * 1000 + 1;
	EXPECT_TRUE(hasFinding(validate(c), "server.shutdown_grace"));
}
