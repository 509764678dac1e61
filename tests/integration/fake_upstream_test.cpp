#include <gtest/gtest.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>

#include <ccc/sse/parser.h>

#include "AnthropicFixtures.h"
#include "FakeUpstream.h"

using namespace ccc::test;
using namespace std::chrono;

namespace
{

/// A byte-level client: what the fake writes is exactly what these reads return.
class RawClient
{
public:
	explicit RawClient(int port)
	{
		_fd = ::socket(AF_INET, SOCK_STREAM, 0);
		sockaddr_in a{};
		a.sin_family = AF_INET;
		a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		a.sin_port = htons(static_cast<uint16_t>(port));
		_connectErrno = ::connect(_fd, reinterpret_cast<sockaddr *>(&a), sizeof a) == 0 ? 0 : errno;
	}
	~RawClient() { close(); }
	int connectErrno() const { return _connectErrno; }
	void close()
	{
		if (_fd >= 0)
			::close(_fd);
		_fd = -1;
	}
	void send(const std::string & s) { ASSERT_EQ(::send(_fd, s.data(), s.size(), MSG_NOSIGNAL), static_cast<ssize_t>(s.size())); }

	/// Reads until EOF, error (lastErrno set) or the timeout (timedOut set).
	std::string readAll(int timeoutMs = 5000) { return readUntil("", timeoutMs); }
	/// Reads until `marker` has arrived (empty: until EOF/error/timeout).
	std::string readUntil(const std::string & marker, int timeoutMs = 5000)
	{
		auto deadline = steady_clock::now() + milliseconds(timeoutMs);
		timedOut = false;
		eof = false;
		lastErrno = 0;
		for (;;)
		{
			if (!marker.empty() && _buf.find(marker) != std::string::npos)
			{
				size_t end = _buf.find(marker) + marker.size();
				std::string out = _buf.substr(0, end);
				_buf.erase(0, end);
				return out;
			}
			auto left = duration_cast<milliseconds>(deadline - steady_clock::now()).count();
			pollfd p{_fd, POLLIN, 0};
			if (left <= 0 || ::poll(&p, 1, static_cast<int>(left)) == 0)
			{
				timedOut = true;
				break;
			}
			char tmp[65536];
			ssize_t n = ::recv(_fd, tmp, sizeof tmp, 0);
			if (n < 0)
			{
				lastErrno = errno;
				break;
			}
			if (n == 0)
			{
				eof = true;
				break;
			}
			if (firstByteAt == steady_clock::time_point{})
				firstByteAt = steady_clock::now();
			_buf.append(tmp, static_cast<size_t>(n));
		}
		std::string out;
		out.swap(_buf);
		return out;
	}

	bool timedOut = false;
	bool eof = false;
	int lastErrno = 0;
	steady_clock::time_point firstByteAt{};

private:
	int _fd = -1;
	int _connectErrno = 0;
	std::string _buf;
};

std::string get(const std::string & path, bool close = true)
{
	return "GET " + path + " HTTP/1.1\r\nHost: x\r\n" + (close ? "Connection: close\r\n" : "") + "\r\n";
}

std::string post(const std::string & path, const std::string & body)
{
	return "POST " + path + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
		+ std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body;
}

/// Strips the head and de-chunks a complete chunked body.
std::string dechunk(const std::string & wire)
{
	size_t pos = wire.find("\r\n\r\n") + 4;
	std::string out;
	for (;;)
	{
		size_t eol = wire.find("\r\n", pos);
		if (eol == std::string::npos)
			return out;
		size_t n = std::strtoul(wire.substr(pos, eol - pos).c_str(), nullptr, 16);
		if (n == 0)
			return out;
		out += wire.substr(eol + 2, n);
		pos = eol + 2 + n + 2;
	}
}

std::string bodyOf(const std::string & wire)
{
	return wire.substr(wire.find("\r\n\r\n") + 4);
}

} // namespace

TEST(FakeUpstream, JsonKeepAliveRecordsRequests)
{
	FakeUpstream up;
	const std::string answer = anthropicMessage("hi");
	up.always(Response::json(200, answer));
	Poco::Net::HTTPClientSession s("127.0.0.1", static_cast<Poco::UInt16>(up.port()));
	s.setKeepAlive(true);
	for (int i = 0; i < 3; ++i)
	{
		Poco::Net::HTTPRequest req(Poco::Net::HTTPRequest::HTTP_POST, "/v1/messages?beta=true", Poco::Net::HTTPMessage::HTTP_1_1);
		req.set("X-Api-Key", "k" + std::to_string(i));
		req.setContentType("application/json");
		std::string body = R"({"model":"m","n":)" + std::to_string(i) + "}";
		req.setContentLength(static_cast<std::streamsize>(body.size()));
		s.sendRequest(req) << body;
		Poco::Net::HTTPResponse resp;
		std::istream & in = s.receiveResponse(resp);
		std::string got;
		Poco::StreamCopier::copyToString(in, got);
		EXPECT_EQ(resp.getStatus(), 200);
		EXPECT_EQ(got, answer);
	}
	ASSERT_EQ(up.requestCount(), 3u);
	// The client can have the last byte before the fake notes that it finished writing.
	EXPECT_TRUE(up.waitFor([](const auto & rs) { return rs.size() == 3 && rs[2].responseCompleted; }, 2000));
	EXPECT_EQ(up.connectionCount(), 1) << "keep-alive: one connection for three requests";
	auto reqs = up.requests();
	EXPECT_EQ(reqs[1].method, "POST");
	EXPECT_EQ(reqs[1].target, "/v1/messages?beta=true");
	EXPECT_EQ(reqs[1].path, "/v1/messages");
	EXPECT_EQ(reqs[1].query, "beta=true");
	EXPECT_EQ(reqs[1].header("x-api-key"), "k1");
	EXPECT_EQ(reqs[1].headers.at("x-api-key"), "k1");
	EXPECT_EQ(reqs[1].body, R"({"model":"m","n":1})");
	EXPECT_EQ(reqs[1].json()["n"], 1);
	EXPECT_LT(reqs[0].sequence, reqs[1].sequence);
	EXPECT_LT(reqs[1].sequence, reqs[2].sequence);
	EXPECT_TRUE(reqs[2].responseCompleted);
	EXPECT_EQ(reqs[2].connection, 1);
}

TEST(FakeUpstream, SequenceIsGlobalAcrossInstances)
{
	FakeUpstream a, b;
	a.always(Response::json(200, "{}"));
	b.always(Response::json(200, "{}"));
	for (FakeUpstream * u : {&a, &b, &a})
	{
		RawClient c(u->port());
		c.send(get("/"));
		c.readAll();
	}
	ASSERT_EQ(a.requestCount(), 2u);
	ASSERT_EQ(b.requestCount(), 1u);
	EXPECT_LT(a.request(0).sequence, b.request(0).sequence);
	EXPECT_LT(b.request(0).sequence, a.request(1).sequence);
	EXPECT_EQ(a.connectionCount(), 2);
}

TEST(FakeUpstream, ChunkedRequestBodyIsDechunked)
{
	FakeUpstream up;
	up.always(Response::json(200, "{}"));
	RawClient c(up.port());
	c.send("POST /v1/messages HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
	       "5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\nX-Trailer: t\r\n\r\n");
	std::string wire = c.readAll();
	EXPECT_EQ(wire.rfind("HTTP/1.1 200 OK\r\n", 0), 0u) << wire;
	ASSERT_EQ(up.requestCount(), 1u);
	EXPECT_EQ(up.request(0).body, "hello world");
	EXPECT_TRUE(up.request(0).chunked);
}

TEST(FakeUpstream, JsonBytesAreExact)
{
	FakeUpstream up;
	Response r = Response::json(400, anthropicError("invalid_request_error", "bad"), {{"request-id", "req_1"}});
	up.always(r);
	RawClient c(up.port());
	c.send(post("/v1/messages", "{}"));
	std::string wire = c.readAll();
	std::string body = anthropicError("invalid_request_error", "bad");
	EXPECT_EQ(wire, "HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nrequest-id: req_1\r\nContent-Length: "
			+ std::to_string(body.size()) + "\r\n\r\n" + body);
	EXPECT_EQ(wire, r.wireBytes());
}

TEST(FakeUpstream, SseBytesAreExactAndChunkedPerEvent)
{
	FakeUpstream up;
	auto events = anthropicStream("Hello there, world!");
	Response r = Response::sse(events);
	up.always(r);
	RawClient c(up.port());
	c.send(post("/v1/messages", R"({"stream":true})"));
	std::string wire = c.readAll();
	EXPECT_TRUE(c.eof);
	EXPECT_EQ(wire, r.wireBytes());
	EXPECT_NE(wire.find("Transfer-Encoding: chunked\r\n"), std::string::npos);
	EXPECT_NE(wire.find("Content-Type: text/event-stream; charset=utf-8\r\n"), std::string::npos);
	EXPECT_EQ(dechunk(wire), sseBody(events));
	EXPECT_EQ(wire.substr(wire.size() - 5), "0\r\n\r\n");
}

TEST(FakeUpstream, AnthropicStreamFixtureHasTheRealEventSequence)
{
	FakeUsage u;
	u.inputTokens = 100;
	u.outputTokens = 7;
	u.cacheReadInputTokens = 50;
	auto events = anthropicStream("The quick brown fox jumps", kFakeModel, u);
	ccc::sse::Parser p;
	std::vector<ccc::sse::Event> parsed;
	p.feed(sseBody(events), parsed);
	std::vector<std::string> names;
	for (const auto & e : parsed)
	{
		names.push_back(e.event);
		auto j = nlohmann::json::parse(e.data, nullptr, false);
		ASSERT_FALSE(j.is_discarded()) << e.data;
		EXPECT_EQ(j["type"], e.event);
	}
	std::vector<std::string> expected = {"message_start", "content_block_start", "ping", "content_block_delta",
		"content_block_delta", "content_block_delta", "content_block_stop", "message_delta", "message_stop"};
	EXPECT_EQ(names, expected);
	auto start = nlohmann::json::parse(parsed[0].data);
	EXPECT_EQ(start["message"]["usage"]["input_tokens"], 100);
	EXPECT_EQ(start["message"]["usage"]["cache_read_input_tokens"], 50);
	EXPECT_EQ(start["message"]["usage"]["output_tokens"], 1);
	EXPECT_EQ(start["message"]["model"], kFakeModel);
	auto delta = nlohmann::json::parse(parsed[7].data);
	EXPECT_EQ(delta["delta"]["stop_reason"], "end_turn");
	EXPECT_EQ(delta["usage"]["output_tokens"], 7);
	EXPECT_EQ(streamText(events), "The quick brown fox jumps");

	auto tool = anthropicToolUseStream("get_weather", R"({"location":"Paris, France","unit":"celsius"})", "Let me check.");
	std::string partial;
	for (const auto & e : tool)
	{
		auto j = nlohmann::json::parse(e.data, nullptr, false);
		ASSERT_FALSE(j.is_discarded());
		if (j["type"] == "content_block_delta" && j["delta"]["type"] == "input_json_delta")
			partial += j["delta"]["partial_json"].get<std::string>();
	}
	EXPECT_EQ(partial, R"({"location":"Paris, France","unit":"celsius"})");

	auto thinking = anthropicThinkingStream("I should answer briefly.", "pong");
	std::vector<std::string> deltaTypes;
	for (const auto & e : thinking)
	{
		auto j = nlohmann::json::parse(e.data, nullptr, false);
		ASSERT_FALSE(j.is_discarded());
		if (j["type"] == "content_block_delta")
			deltaTypes.push_back(j["delta"]["type"]);
	}
	EXPECT_EQ(deltaTypes.front(), "thinking_delta");
	EXPECT_EQ(std::count(deltaTypes.begin(), deltaTypes.end(), "signature_delta"), 1);
	EXPECT_EQ(deltaTypes.back(), "text_delta");
	EXPECT_EQ(streamText(thinking), "pong");
	EXPECT_EQ(nlohmann::json::parse(anthropicThinkingMessage("t", "x"))["content"][0]["signature"], kFakeThinkingSignature);

	auto bad = anthropicStreamMalformedData("one two three four");
	int broken = 0;
	for (const auto & e : bad)
		broken += nlohmann::json::parse(e.data, nullptr, false).is_discarded() ? 1 : 0;
	EXPECT_EQ(broken, 1);
	EXPECT_NE(anthropicStreamWithoutMessageStop("x").back().event, "message_stop");
	auto mid = anthropicStreamMidError();
	ASSERT_EQ(mid.size(), 2u);
	EXPECT_EQ(mid[1].event, "error");
	EXPECT_EQ(mid[1].data, R"({"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}})");
	auto zero = nlohmann::json::parse(anthropicStreamZeroUsage("x")[0].data);
	EXPECT_EQ(zero["message"]["usage"], nlohmann::json::parse(R"({"input_tokens":0,"output_tokens":0})"));

	auto msg = nlohmann::json::parse(anthropicMessage("pong"));
	EXPECT_EQ(msg["type"], "message");
	EXPECT_EQ(msg["role"], "assistant");
	EXPECT_EQ(msg["content"][0]["text"], "pong");
	EXPECT_TRUE(msg["usage"].contains("input_tokens"));

	auto oai = openaiChatStream("Hi there friend");
	EXPECT_EQ(oai.back().data, "[DONE]");
	EXPECT_EQ(oai.back().serialize(), "data: [DONE]\n\n");
	std::string args;
	for (const auto & e : openaiToolCallStream("f", R"({"a":1,"b":"two"})"))
	{
		auto j = nlohmann::json::parse(e.data, nullptr, false);
		if (!j.is_discarded() && !j["choices"].empty() && j["choices"][0]["delta"].contains("tool_calls"))
			args += j["choices"][0]["delta"]["tool_calls"][0]["function"]["arguments"].get<std::string>();
	}
	EXPECT_EQ(args, R"({"a":1,"b":"two"})");
	EXPECT_EQ(nlohmann::json::parse(openaiChatCompletion("x"))["choices"][0]["message"]["content"], "x");
}

TEST(FakeUpstream, EventsAreSpacedAsScripted)
{
	FakeUpstream up;
	up.always(Response::sse(anthropicStream("a b c"), 150));
	RawClient c(up.port());
	auto t0 = steady_clock::now();
	c.send(post("/v1/messages", "{}"));
	c.readUntil("message_start");
	auto tStart = steady_clock::now();
	c.readUntil("content_block_start");
	auto tBlock = steady_clock::now();
	c.readAll();
	auto tEnd = steady_clock::now();
	EXPECT_LT(duration_cast<milliseconds>(tStart - t0).count(), 100);
	EXPECT_GE(duration_cast<milliseconds>(tBlock - tStart).count(), 130);
	// 9 events: 8 gaps of 150 ms.
	EXPECT_GE(duration_cast<milliseconds>(tEnd - t0).count(), 8 * 150 - 20);
}

TEST(FakeUpstream, SlowFirstByteAndLongPause)
{
	FakeUpstream up;
	up.always(Response::sse(anthropicStream("a b c")).slowFirstByte(300).longPause(2, 400));
	RawClient c(up.port());
	auto t0 = steady_clock::now();
	c.send(post("/v1/messages", "{}"));
	c.readUntil("HTTP/1.1");
	EXPECT_GE(duration_cast<milliseconds>(steady_clock::now() - t0).count(), 280);
	c.readUntil("content_block_start");
	auto t1 = steady_clock::now();
	c.readUntil("ping");
	EXPECT_GE(duration_cast<milliseconds>(steady_clock::now() - t1).count(), 380);
	c.readAll();
	EXPECT_TRUE(c.eof);
}

TEST(FakeUpstream, CutAfterEventsWithReset)
{
	FakeUpstream up;
	auto events = anthropicStream("a b c");
	up.always(Response::sse(events).cutAfter(2, Cut::Reset));
	RawClient c(up.port());
	c.send(post("/v1/messages", "{}"));
	std::string wire = c.readAll();
	EXPECT_EQ(c.lastErrno, ECONNRESET);
	EXPECT_EQ(dechunk(wire), events[0].serialize() + events[1].serialize());
	EXPECT_EQ(wire.find("0\r\n\r\n"), std::string::npos);
	std::this_thread::sleep_for(milliseconds(50));
	EXPECT_FALSE(up.request(0).responseCompleted);
}

TEST(FakeUpstream, CutAfterEventsWithCleanClose)
{
	FakeUpstream up;
	auto events = anthropicStream("a b c");
	up.always(Response::sse(events).cutAfter(3, Cut::Close));
	RawClient c(up.port());
	c.send(post("/v1/messages", "{}"));
	std::string wire = c.readAll();
	EXPECT_TRUE(c.eof);
	EXPECT_EQ(c.lastErrno, 0);
	EXPECT_EQ(dechunk(wire), events[0].serialize() + events[1].serialize() + events[2].serialize());
	EXPECT_NE(wire.substr(wire.size() - 5), "0\r\n\r\n");
}

TEST(FakeUpstream, ResetAndCloseBeforeHeaders)
{
	FakeUpstream up;
	up.enqueue(Response::resetBeforeHeaders());
	up.enqueue(Response::closeBeforeHeaders());
	{
		RawClient c(up.port());
		c.send(post("/v1/messages", "{}"));
		EXPECT_EQ(c.readAll(), "");
		EXPECT_EQ(c.lastErrno, ECONNRESET);
	}
	{
		RawClient c(up.port());
		c.send(post("/v1/messages", "{}"));
		EXPECT_EQ(c.readAll(), "");
		EXPECT_TRUE(c.eof);
	}
	EXPECT_EQ(up.requestCount(), 2u);
}

TEST(FakeUpstream, HangNeverAnswersAndDoesNotBlockDestruction)
{
	auto up = std::make_unique<FakeUpstream>();
	up->always(Response::hang());
	RawClient c(up->port());
	c.send(post("/v1/messages", "{}"));
	EXPECT_EQ(c.readAll(400), "");
	EXPECT_TRUE(c.timedOut);
	EXPECT_EQ(up->requestCount(), 1u);
	RawClient c2(up->port());
	c2.send(post("/v1/messages", "{}"));
	ASSERT_TRUE(up->waitForRequests(2));
	c2.close();
	EXPECT_TRUE(up->waitForClientClose(1, 2000)) << "the fake notices the client giving up";
	auto t0 = steady_clock::now();
	up.reset();
	EXPECT_LT(duration_cast<milliseconds>(steady_clock::now() - t0).count(), 1000);
	c.readAll(1000);
	EXPECT_TRUE(c.eof || c.lastErrno != 0) << "the hanging connection ends with the fake";
}

TEST(FakeUpstream, DestructionIsPromptWithAPeerThatStoppedReading)
{
	auto up = std::make_unique<FakeUpstream>();
	up->always(Response::json(200, std::string(64 * 1024 * 1024, 'x')));
	RawClient c(up->port());
	c.send(post("/", "{}"));
	ASSERT_TRUE(up->waitForRequests(1));
	std::this_thread::sleep_for(milliseconds(200));
	auto t0 = steady_clock::now();
	up.reset();
	EXPECT_LT(duration_cast<milliseconds>(steady_clock::now() - t0).count(), 1000);
}

TEST(FakeUpstream, RetryAfterEmptyBodyLyingContentTypeAndRaw)
{
	FakeUpstream up;
	up.enqueue(overloadedResponse("2"));
	up.enqueue(Response::empty(200));
	up.enqueue(Response::text(200, anthropicMessage("x"), "text/html"));
	up.enqueue(Response::raw("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n{\"partial\":"));
	RawClient c1(up.port());
	c1.send(post("/", "{}"));
	std::string w1 = c1.readAll();
	EXPECT_EQ(w1.rfind("HTTP/1.1 529 Site Overloaded\r\n", 0), 0u) << w1;
	EXPECT_NE(w1.find("Retry-After: 2\r\n"), std::string::npos);
	EXPECT_EQ(bodyOf(w1), overloadedErrorJson());
	RawClient c2(up.port());
	c2.send(post("/", "{}"));
	EXPECT_EQ(c2.readAll(), "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 0\r\n\r\n");
	RawClient c3(up.port());
	c3.send(post("/", "{}"));
	EXPECT_NE(c3.readAll().find("Content-Type: text/html\r\n"), std::string::npos);
	RawClient c4(up.port());
	c4.send(post("/", "{}"));
	EXPECT_EQ(c4.readAll(), "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n{\"partial\":");
	EXPECT_TRUE(c4.eof);
	// The last queued response repeats.
	RawClient c5(up.port());
	c5.send(post("/", "{}"));
	EXPECT_EQ(c5.readAll(), "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n{\"partial\":");
}

TEST(FakeUpstream, HandlerSeesTheRequestAndHeadHasNoBody)
{
	FakeUpstream up;
	up.setHandler([](const ReceivedRequest & r) {
		if (r.method == "HEAD")
			return Response::json(200, "{\"ignored\":true}");
		return Response::json(200, nlohmann::json{{"path", r.path}, {"auth", r.header("Authorization")}});
	});
	RawClient c(up.port());
	c.send("HEAD / HTTP/1.1\r\nHost: x\r\n\r\n");
	std::string head = c.readUntil("\r\n\r\n");
	EXPECT_NE(head.find("Content-Length: 16\r\n"), std::string::npos);
	c.send("GET /v1/models HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer t\r\nConnection: close\r\n\r\n");
	std::string wire = c.readAll();
	EXPECT_EQ(bodyOf(wire), R"({"auth":"Bearer t","path":"/v1/models"})");
	EXPECT_EQ(up.connectionCount(), 1);
}

TEST(FakeUpstream, EncodedBodiesDecode)
{
	for (Encoding e : {Encoding::Gzip, Encoding::Deflate, Encoding::Brotli, Encoding::Zstd})
	{
		SCOPED_TRACE(encodingName(e));
		FakeUpstream up;
		std::string json = anthropicMessage("compressed answer");
		auto events = anthropicStream("compressed stream text");
		up.enqueue(Response::json(200, json).encoded(e));
		up.enqueue(Response::sse(events).encoded(e));
		RawClient c1(up.port());
		c1.send(post("/", "{}"));
		std::string w1 = c1.readAll();
		EXPECT_NE(w1.find("Content-Encoding: " + encodingName(e) + "\r\n"), std::string::npos);
		bool ok = false;
		EXPECT_EQ(decompress(e, bodyOf(w1), &ok), json);
		EXPECT_TRUE(ok);
		RawClient c2(up.port());
		c2.send(post("/", "{}"));
		std::string w2 = c2.readAll();
		EXPECT_EQ(decompress(e, dechunk(w2), &ok), sseBody(events));
		EXPECT_TRUE(ok);
		EXPECT_EQ(decompress(e, compress(e, json)), json);
	}
}

TEST(FakeUpstream, RefusedPortRefuses)
{
	int port = FakeUpstream::refusedPort();
	ASSERT_GT(port, 0);
	RawClient c(port);
	EXPECT_EQ(c.connectErrno(), ECONNREFUSED);
	EXPECT_EQ(FakeUpstream::refusedPort(), port);
}

TEST(FakeUpstream, StopRefusesNewConnections)
{
	FakeUpstream up;
	int port = up.port();
	up.stop();
	RawClient c(port);
	EXPECT_EQ(c.connectErrno(), ECONNREFUSED);
}

TEST(FakeUpstream, RecordingCanBeTurnedOffForBenchmarks)
{
	FakeUpstream up;
	up.always(Response::json(200, "{}"));
	up.setRecording(false);
	for (int i = 0; i < 3; ++i)
	{
		RawClient c(up.port());
		c.send(post("/", "{\"big\":1}"));
		c.readAll();
	}
	EXPECT_TRUE(up.waitForRequests(3, 1000));
	EXPECT_EQ(up.requestCount(), 3u);
	EXPECT_TRUE(up.requests().empty());
	up.setRecording(true);
	RawClient c(up.port());
	c.send(post("/x", "{}"));
	c.readAll();
	EXPECT_EQ(up.requestCount(), 4u);
	EXPECT_EQ(up.lastRequest().path, "/x");
}
