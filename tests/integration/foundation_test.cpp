#include <gtest/gtest.h>

#include "ServiceProcess.h"

using namespace ccc::test;

TEST(Foundation, HealthzAnswers)
{
	ServiceProcess svc("server:\n  host: 127.0.0.1\n  port: ${PORT}\nendpoints: []\n");
	ASSERT_TRUE(svc.start()) << svc.output();
	HttpResult r = httpRequest(svc.port(), "GET", "/healthz");
	EXPECT_EQ(r.status, 200);
	EXPECT_NE(r.body.find("\"status\":\"ok\""), std::string::npos) << r.body;
}
