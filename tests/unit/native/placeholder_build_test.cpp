#include <gtest/gtest.h>

#include "config/ConfigStore.h"
#include "ccc/config/yaml_config.h"

TEST(DefaultConfig, LoadsWithoutErrors)
{
	auto r = ccc::config::loadConfigYaml(ccc::config::defaultConfigYaml());
	ASSERT_TRUE(r.parsed);
	EXPECT_FALSE(ccc::config::hasErrors(r.diagnostics)) << ccc::config::formatDiagnostics(r.diagnostics, "default");
	EXPECT_EQ(r.config.server.host, "127.0.0.1");
	EXPECT_EQ(r.config.server.port, 8080);
	ASSERT_EQ(r.config.endpoints.size(), 3u);
	for (const auto & e : r.config.endpoints)
		EXPECT_FALSE(e.enabled) << e.name;
}
