#include <string>

#include <gtest/gtest.h>

#include "ServiceProcess.h"

using namespace ccc::test;

// A second instance on a port that is already served must refuse to start (exit non-zero, say
// why) instead of sharing the port: with SO_REUSEPORT the kernel would split the clients between
// the two processes, and whichever runs the older config would silently answer half of them.
TEST(Listen, SecondInstanceOnTheSamePortRefusesToStart)
{
	ServiceProcess first("server:\n  host: 127.0.0.1\n  port: ${PORT}\nendpoints: []\n");
	ASSERT_TRUE(first.start()) << first.output();

	TempDir dir;
	dir.write("config.yaml", "server:\n  host: 127.0.0.1\n  port: " + std::to_string(first.port()) + "\nendpoints: []\n");
	std::string output;
	int rc = runBinary({"--config", dir.file("config.yaml")}, output, dir.path(), 10000);
	EXPECT_NE(rc, 0) << output;
	EXPECT_NE(rc, -1) << "the second instance kept running (it must not bind a port in use): " << output;
	EXPECT_NE(output.find("cannot listen on 127.0.0.1:" + std::to_string(first.port())), std::string::npos) << output;
	EXPECT_EQ(httpRequest(first.port(), "GET", "/healthz").status, 200);
}
