#include <string>

#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <gtest/gtest.h>

#include "ServiceProcess.h"

using namespace ccc::test;

namespace
{

/// Sends `raw` on one connection and reads until `responses` status lines have arrived (or 5 s).
std::string exchange(int port, const std::string & raw, size_t responses)
{
	Poco::Net::StreamSocket s(Poco::Net::SocketAddress("127.0.0.1", static_cast<Poco::UInt16>(port)));
	s.setReceiveTimeout(Poco::Timespan(5, 0));
	s.sendBytes(raw.data(), static_cast<int>(raw.size()));
	std::string got;
	char buf[4096];
	auto count = [&] {
		size_t n = 0;
		for (size_t at = got.find("HTTP/1.1 "); at != std::string::npos; at = got.find("HTTP/1.1 ", at + 1))
			++n;
		return n;
	};
	try
	{
		while (count() < responses)
		{
			int n = s.receiveBytes(buf, sizeof buf);
			if (n <= 0)
				break;
			got.append(buf, static_cast<size_t>(n));
		}
	}
	catch (const Poco::TimeoutException &)
	{
	}
	return got;
}

} // namespace

// RFC 9112 §6.3: a request without Content-Length or chunked encoding has an empty body. POCO reads
// such a POST body until the client closes, so `curl -X POST` without data used to hang the admin
// and the proxy; now it is answered at once and the connection stays usable for the next request.
TEST(HttpFraming, PostWithoutContentLengthHasAnEmptyBody)
{
	ServiceProcess svc("server:\n  host: 127.0.0.1\n  port: ${PORT}\nendpoints: []\n");
	ASSERT_TRUE(svc.start()) << svc.output();
	const std::string host = "127.0.0.1:" + std::to_string(svc.port());

	std::string admin = exchange(svc.port(),
		"POST /admin/api/endpoints/nope/reset-status HTTP/1.1\r\nHost: " + host + "\r\nOrigin: http://" + host
			+ "\r\n\r\nGET /healthz HTTP/1.1\r\nHost: " + host + "\r\n\r\n",
		2);
	EXPECT_EQ(admin.rfind("HTTP/1.1 404", 0), 0u) << admin;
	EXPECT_NE(admin.find("no endpoint named or with id 'nope'"), std::string::npos) << admin;
	EXPECT_NE(admin.find("HTTP/1.1 200"), std::string::npos) << "the next request on the connection: " << admin;

	std::string proxy = exchange(svc.port(), "POST /v1/messages HTTP/1.1\r\nHost: " + host + "\r\nanthropic-version: 2023-06-01\r\n\r\n", 1);
	EXPECT_EQ(proxy.rfind("HTTP/1.1 4", 0), 0u) << proxy;
	EXPECT_NE(proxy.find("\"type\":\"error\""), std::string::npos) << proxy;
}
