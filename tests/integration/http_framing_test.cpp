#include <chrono>
#include <cstdlib>
#include <string>
#include <thread>

#include <Poco/Net/NetException.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <gtest/gtest.h>

#include "AnthropicFixtures.h"
#include "FakeUpstream.h"
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

size_t countOf(const std::string & text, const std::string & what)
{
	size_t n = 0;
	for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1))
		++n;
	return n;
}

/// Reads what arrives until the peer closes; `closed` says whether it did within `timeoutMs`.
std::string readUntilClosed(Poco::Net::StreamSocket & s, int timeoutMs, bool & closed)
{
	std::string got;
	char buf[4096];
	closed = false;
	const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
	s.setReceiveTimeout(Poco::Timespan(0, 100 * 1000));
	while (std::chrono::steady_clock::now() < deadline)
	{
		try
		{
			int n = s.receiveBytes(buf, sizeof buf);
			if (n <= 0)
			{
				closed = true;
				break;
			}
			got.append(buf, static_cast<size_t>(n));
		}
		catch (const Poco::TimeoutException &)
		{
		}
		catch (const Poco::Net::NetException &) // reset: closed as well
		{
			closed = true;
			break;
		}
	}
	return got;
}

const char * kPlainConfig = "server:\n  host: 127.0.0.1\n  port: ${PORT}\nendpoints: []\n";

/// Sets an environment variable for the service processes started in one test.
class ScopedEnv
{
public:
	ScopedEnv(const char * name, const char * value) : _name(name) { ::setenv(name, value, 1); }
	~ScopedEnv() { ::unsetenv(_name); }

private:
	const char * _name;
};

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

// Several requests written at once on one connection are answered in order.
TEST(HttpFraming, PipelinedRequestsAreAnsweredInOrder)
{
	ServiceProcess svc(kPlainConfig);
	ASSERT_TRUE(svc.start()) << svc.output();
	const std::string host = "Host: 127.0.0.1:" + std::to_string(svc.port()) + "\r\n";
	std::string got = exchange(svc.port(),
		"GET /healthz HTTP/1.1\r\n" + host + "\r\nGET /nope-1 HTTP/1.1\r\n" + host + "\r\nHEAD /healthz HTTP/1.1\r\n" + host
			+ "\r\nGET /nope-2 HTTP/1.1\r\n" + host + "\r\n",
		4);
	ASSERT_EQ(countOf(got, "HTTP/1.1 "), 4u) << got;
	const size_t first = got.find("HTTP/1.1 200");
	const size_t second = got.find("HTTP/1.1 404");
	const size_t third = got.find("HTTP/1.1 200", second);
	const size_t fourth = got.find("HTTP/1.1 404", third);
	EXPECT_EQ(first, 0u) << got;
	EXPECT_NE(second, std::string::npos) << got;
	EXPECT_NE(third, std::string::npos) << got;
	EXPECT_NE(fourth, std::string::npos) << got;
	EXPECT_LT(got.find("/nope-1"), third) << got;
	EXPECT_GT(got.find("/nope-2"), fourth) << got;
	// HEAD: no body between the third status line and the fourth.
	const std::string headReply = got.substr(third, fourth - third);
	EXPECT_EQ(headReply.find("\r\n\r\n") + 4, headReply.size()) << headReply;
}

// A head larger than the server accepts: 431 and the connection closes.
TEST(HttpFraming, OversizedHeadIsRefusedWith431)
{
	ServiceProcess svc(kPlainConfig);
	ASSERT_TRUE(svc.start()) << svc.output();
	Poco::Net::StreamSocket s(Poco::Net::SocketAddress("127.0.0.1", static_cast<Poco::UInt16>(svc.port())));
	std::string head = "GET /healthz HTTP/1.1\r\nHost: x\r\n";
	for (int i = 0; i < 40; ++i)
		head += "X-Filler-" + std::to_string(i) + ": " + std::string(2000, 'a') + "\r\n";
	head += "\r\n";
	try
	{
		s.sendBytes(head.data(), static_cast<int>(head.size()));
	}
	catch (const Poco::Net::NetException &) // the server may close while we still write
	{
	}
	bool closed = false;
	std::string got = readUntilClosed(s, 5000, closed);
	EXPECT_EQ(got.rfind("HTTP/1.1 431", 0), 0u) << got;
	EXPECT_TRUE(closed);
}

// Malformed heads get 400 (and 505 for an unknown HTTP version); the connection closes.
TEST(HttpFraming, MalformedHeadsAreRefused)
{
	ServiceProcess svc(kPlainConfig);
	ASSERT_TRUE(svc.start()) << svc.output();
	const std::vector<std::pair<std::string, std::string>> cases = {
		{"GET /healthz\r\n\r\n", "HTTP/1.1 400"},
		{"GET /healthz HTTP/1.1\r\nBad Header: x\r\n\r\n", "HTTP/1.1 400"},
		{"GET /healthz HTTP/1.1\r\nHost: x\r\n folded: y\r\n\r\n", "HTTP/1.1 400"},
		{"POST /v1/messages HTTP/1.1\r\nHost: x\r\nContent-Length: 12x\r\n\r\n", "HTTP/1.1 400"},
		{"POST /v1/messages HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n", "HTTP/1.1 400"},
		{"GET /healthz HTTP/2.0\r\nHost: x\r\n\r\n", "HTTP/1.1 505"},
	};
	for (const auto & [raw, expected] : cases)
	{
		Poco::Net::StreamSocket s(Poco::Net::SocketAddress("127.0.0.1", static_cast<Poco::UInt16>(svc.port())));
		s.sendBytes(raw.data(), static_cast<int>(raw.size()));
		bool closed = false;
		std::string got = readUntilClosed(s, 5000, closed);
		EXPECT_EQ(got.rfind(expected, 0), 0u) << raw << " -> " << got;
		EXPECT_TRUE(closed) << raw;
	}
}

// HTTP/1.0: answered as HTTP/1.0 and closed, unless the client asked for keep-alive.
TEST(HttpFraming, Http10ClosesUnlessKeepAliveWasAsked)
{
	ServiceProcess svc(kPlainConfig);
	ASSERT_TRUE(svc.start()) << svc.output();
	{
		Poco::Net::StreamSocket s(Poco::Net::SocketAddress("127.0.0.1", static_cast<Poco::UInt16>(svc.port())));
		const std::string raw = "GET /healthz HTTP/1.0\r\n\r\n";
		s.sendBytes(raw.data(), static_cast<int>(raw.size()));
		bool closed = false;
		std::string got = readUntilClosed(s, 5000, closed);
		EXPECT_EQ(got.rfind("HTTP/1.0 200", 0), 0u) << got;
		EXPECT_TRUE(closed);
	}
	Poco::Net::StreamSocket s(Poco::Net::SocketAddress("127.0.0.1", static_cast<Poco::UInt16>(svc.port())));
	const std::string raw = "GET /healthz HTTP/1.0\r\nConnection: keep-alive\r\n\r\nGET /healthz HTTP/1.0\r\n\r\n";
	s.sendBytes(raw.data(), static_cast<int>(raw.size()));
	bool closed = false;
	std::string got = readUntilClosed(s, 5000, closed);
	EXPECT_EQ(countOf(got, "HTTP/1.0 200"), 2u) << got;
	EXPECT_NE(got.find("Connection: keep-alive"), std::string::npos) << got;
	EXPECT_TRUE(closed);
}

// A connection that stays idle longer than the keep-alive timeout is closed by the server.
TEST(HttpFraming, IdleKeepAliveConnectionIsClosed)
{
	ScopedEnv env("CCC_HTTP_KEEP_ALIVE_TIMEOUT_MS", "400");
	ServiceProcess svc(kPlainConfig);
	ASSERT_TRUE(svc.start()) << svc.output();
	Poco::Net::StreamSocket s(Poco::Net::SocketAddress("127.0.0.1", static_cast<Poco::UInt16>(svc.port())));
	const std::string raw = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
	s.sendBytes(raw.data(), static_cast<int>(raw.size()));
	const auto start = std::chrono::steady_clock::now();
	bool closed = false;
	std::string got = readUntilClosed(s, 5000, closed);
	const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count();
	EXPECT_EQ(got.rfind("HTTP/1.1 200", 0), 0u) << got;
	EXPECT_TRUE(closed);
	EXPECT_GE(ms, 300);
	EXPECT_LT(ms, 3000);
}

// A client trickling in a head that never ends (slowloris) is answered 408 and closed once the
// header timeout passed, however regularly it sends.
TEST(HttpFraming, SlowHeadIsCutAfterTheHeaderTimeout)
{
	ScopedEnv env("CCC_HTTP_HEADER_TIMEOUT_MS", "800");
	ServiceProcess svc(kPlainConfig);
	ASSERT_TRUE(svc.start()) << svc.output();
	Poco::Net::StreamSocket s(Poco::Net::SocketAddress("127.0.0.1", static_cast<Poco::UInt16>(svc.port())));
	const std::string start = "GET /healthz HTTP/1.1\r\nHost: x\r\n";
	s.sendBytes(start.data(), static_cast<int>(start.size()));
	const auto began = std::chrono::steady_clock::now();
	bool sendFailed = false;
	for (int i = 0; i < 15 && !sendFailed; ++i)
	{
		std::this_thread::sleep_for(std::chrono::milliseconds(200));
		const std::string more = "X-Slow-" + std::to_string(i) + ": y\r\n";
		try
		{
			s.sendBytes(more.data(), static_cast<int>(more.size()));
		}
		catch (const Poco::Net::NetException &)
		{
			sendFailed = true;
		}
		if (s.poll(Poco::Timespan(0), Poco::Net::Socket::SELECT_READ))
			break;
	}
	bool closed = false;
	std::string got = readUntilClosed(s, 5000, closed);
	const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - began).count();
	EXPECT_TRUE(got.empty() || got.rfind("HTTP/1.1 408", 0) == 0) << got;
	EXPECT_TRUE(closed);
	EXPECT_LT(ms, 4000) << "the head was not cut at the header timeout";
	// The server still serves others.
	EXPECT_EQ(httpRequest(svc.port(), "GET", "/healthz").status, 200);
}

// A chunked request body (with Expect: 100-continue) reaches the upstream whole, and the
// connection serves the next request.
TEST(HttpFraming, ChunkedBodyWithExpectContinueIsProxied)
{
	FakeUpstream up;
	up.always(Response::json(200, anthropicMessage("hello")));
	ServiceProcess svc("server:\n  host: 127.0.0.1\n  port: ${PORT}\nlogging:\n  log_directory: ${DIR}/logs\n  level: warn\n"
					   "endpoints:\n  - name: a\n    url: " + up.url() + "\n    auth_type: api_key\n    auth_value: sk-test\n");
	ASSERT_TRUE(svc.start()) << svc.output();
	const std::string body = R"({"model":"claude-opus-4-8","max_tokens":1024,"messages":[{"role":"user","content":"chunked hello"}]})";
	Poco::Net::StreamSocket s(Poco::Net::SocketAddress("127.0.0.1", static_cast<Poco::UInt16>(svc.port())));
	s.setReceiveTimeout(Poco::Timespan(5, 0));
	const std::string head = "POST /v1/messages HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nanthropic-version: 2023-06-01\r\n"
							 "x-api-key: k\r\nTransfer-Encoding: chunked\r\nExpect: 100-continue\r\n\r\n";
	s.sendBytes(head.data(), static_cast<int>(head.size()));
	char buf[4096];
	std::string got;
	while (got.find("\r\n\r\n") == std::string::npos)
	{
		int n = s.receiveBytes(buf, sizeof buf);
		ASSERT_GT(n, 0);
		got.append(buf, static_cast<size_t>(n));
	}
	EXPECT_EQ(got.rfind("HTTP/1.1 100 Continue\r\n\r\n", 0), 0u) << got;
	const size_t half = body.size() / 2;
	char size1[32], size2[32];
	std::snprintf(size1, sizeof size1, "%zx", half);
	std::snprintf(size2, sizeof size2, "%zx;ext=1", body.size() - half);
	const std::string chunks = std::string(size1) + "\r\n" + body.substr(0, half) + "\r\n" + size2 + "\r\n" + body.substr(half) + "\r\n0\r\nX-Trailer: t\r\n\r\n"
		+ "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
	s.sendBytes(chunks.data(), static_cast<int>(chunks.size()));
	got.clear();
	while (countOf(got, "HTTP/1.1 200") < 2)
	{
		int n = s.receiveBytes(buf, sizeof buf);
		ASSERT_GT(n, 0) << got;
		got.append(buf, static_cast<size_t>(n));
	}
	EXPECT_NE(got.find("hello"), std::string::npos) << got;
	ASSERT_EQ(up.requests().size(), 1u);
	EXPECT_EQ(up.requests()[0].body.find("chunked hello") != std::string::npos, true) << up.requests()[0].body;
}
