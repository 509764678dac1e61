// The proxy's performance on loopback against instant fake upstreams, each figure next to the
// same measurement taken directly against the fake (or against nginx), in the same run:
//   latency    added latency of the 76 KB Claude Code body, non-streaming (keep-alive)
//   stream     added delay per SSE event and to the first event (timestamped fake)
//   throughput requests/s over 16 keep-alive connections: proxy vs nginx vs direct (wrk)
//   streams    512 concurrent 10 s streams: all complete, peak RSS of the proxy
// Everything runs on 127.0.0.1 and is bounded in time. Results: docs/BENCHMARKS.md.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <mutex>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>
#include <sqlite3.h>

#include "AnthropicFixtures.h"
#include "FakeUpstream.h"
#include "HttpStream.h"
#include "ServiceProcess.h"

using namespace ccc::test;
using nlohmann::json;
using TimePoint = std::chrono::steady_clock::time_point;

namespace
{

TimePoint now()
{
	return std::chrono::steady_clock::now();
}

double msBetween(TimePoint a, TimePoint b)
{
	return std::chrono::duration<double, std::milli>(b - a).count();
}

/// Nearest-rank percentile (p in 0..100) of an unsorted sample; NaN when empty.
double percentile(std::vector<double> v, double p)
{
	if (v.empty())
		return std::nan("");
	std::sort(v.begin(), v.end());
	size_t rank = static_cast<size_t>(std::ceil(p / 100.0 * static_cast<double>(v.size())));
	rank = std::clamp<size_t>(rank, 1, v.size());
	return v[rank - 1];
}

std::string fmt(double v, int decimals = 3)
{
	char b[64];
	std::snprintf(b, sizeof b, "%.*f", decimals, v);
	return b;
}

std::string readFile(const std::string & path)
{
	std::ifstream in(path, std::ios::binary);
	std::stringstream s;
	s << in.rdbuf();
	return s.str();
}

/// VmHWM / VmRSS of a process in KiB (0 when unreadable).
long procStatusKb(int pid, const char * key)
{
	std::ifstream in("/proc/" + std::to_string(pid) + "/status");
	std::string line;
	const size_t n = std::strlen(key);
	while (std::getline(in, line))
		if (line.compare(0, n, key) == 0 && line.size() > n && line[n] == ':')
			return std::atol(line.c_str() + n + 1);
	return 0;
}

// ---------------------------------------------------------------- raw HTTP/1.1 client

int connectLoopback(int port)
{
	int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	int one = 1;
	::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	timeval tv{30, 0};
	::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
	sockaddr_in a{};
	a.sin_family = AF_INET;
	a.sin_port = htons(static_cast<uint16_t>(port));
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (::connect(fd, reinterpret_cast<sockaddr *>(&a), sizeof a) != 0)
	{
		::close(fd);
		return -1;
	}
	return fd;
}

bool writeAll(int fd, std::string_view bytes)
{
	while (!bytes.empty())
	{
		ssize_t n = ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return false;
		bytes.remove_prefix(static_cast<size_t>(n));
	}
	return true;
}

using Headers = std::vector<std::pair<std::string, std::string>>;

std::string buildRequest(const std::string & method, const std::string & target, const Headers & headers, const std::string & body)
{
	std::string r = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
	for (const auto & [k, v] : headers)
		r += k + ": " + v + "\r\n";
	r += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n";
	return r + body;
}

/// One keep-alive connection; request() sends a prepared request and reads the whole response
/// (Content-Length or chunked), handing each piece of body to `onBody` with the time of the read
/// that delivered it.
class Client
{
public:
	explicit Client(int port) : _port(port) { }
	~Client() { close(); }
	Client(const Client &) = delete;
	Client & operator=(const Client &) = delete;

	struct Result
	{
		int status = 0;
		std::string body;
		std::string error;
	};

	Result request(const std::string & raw, const std::function<void(std::string_view, TimePoint)> & onBody = {})
	{
		Result res;
		if (_fd < 0)
		{
			_fd = connectLoopback(_port);
			_buf.clear();
			if (_fd < 0)
			{
				res.error = "connect failed";
				return res;
			}
		}
		if (!writeAll(_fd, raw))
			return fail(res, "send failed");
		size_t headEnd;
		while ((headEnd = _buf.find("\r\n\r\n")) == std::string::npos)
			if (!readMore())
				return fail(res, "closed before the head");
		const std::string head = _buf.substr(0, headEnd);
		_buf.erase(0, headEnd + 4);
		if (head.size() < 12)
			return fail(res, "bad status line");
		res.status = std::atoi(head.c_str() + 9);
		std::string lower = head;
		std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
		const bool chunked = lower.find("\r\ntransfer-encoding: chunked") != std::string::npos;
		const bool closeAfter = lower.find("\r\nconnection: close") != std::string::npos;
		long length = -1;
		if (size_t p = lower.find("\r\ncontent-length:"); p != std::string::npos)
			length = std::atol(lower.c_str() + p + 17);
		auto deliver = [&](std::string_view piece) {
			res.body.append(piece);
			if (onBody)
				onBody(piece, _lastRead);
		};
		if (chunked)
		{
			for (;;)
			{
				size_t eol;
				while ((eol = _buf.find("\r\n")) == std::string::npos)
					if (!readMore())
						return fail(res, "closed in a chunk size");
				const size_t size = std::strtoul(_buf.c_str(), nullptr, 16);
				if (size == 0)
				{
					size_t end;
					while ((end = _buf.find("\r\n\r\n")) == std::string::npos)
						if (!readMore())
							return fail(res, "closed in the last chunk");
					_buf.erase(0, end + 4);
					break;
				}
				while (_buf.size() < eol + 2 + size + 2)
					if (!readMore())
						return fail(res, "closed in a chunk");
				deliver(std::string_view(_buf).substr(eol + 2, size));
				_buf.erase(0, eol + 2 + size + 2);
			}
		}
		else if (length >= 0)
		{
			size_t left = static_cast<size_t>(length);
			for (;;)
			{
				const size_t take = std::min(left, _buf.size());
				if (take > 0)
				{
					deliver(std::string_view(_buf).substr(0, take));
					_buf.erase(0, take);
					left -= take;
				}
				if (left == 0)
					break;
				if (!readMore())
					return fail(res, "closed in the body");
			}
		}
		else
			return fail(res, "neither chunked nor Content-Length");
		if (closeAfter)
			close();
		return res;
	}

	void close()
	{
		if (_fd >= 0)
			::close(_fd);
		_fd = -1;
	}

private:
	Result & fail(Result & r, const char * why)
	{
		r.error = why;
		close();
		return r;
	}

	bool readMore()
	{
		char tmp[65536];
		for (;;)
		{
			ssize_t n = ::recv(_fd, tmp, sizeof tmp, 0);
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0)
				return false;
			_lastRead = now();
			_buf.append(tmp, static_cast<size_t>(n));
			return true;
		}
	}

	int _port;
	int _fd = -1;
	std::string _buf;
	TimePoint _lastRead;
};

// ---------------------------------------------------------------- timestamped SSE upstream

/// A minimal keep-alive upstream that answers every request with the same SSE stream, writing
/// event i at start + i * gap (an absolute schedule, so sleeps do not drift), and records when it
/// wrote each event under the request's `x-bench-id`. Client and fake share the process, so the
/// client can subtract the fake's send time from its own arrival time (same steady clock).
class TimedSseUpstream
{
public:
	TimedSseUpstream(std::vector<std::string> events, int gapMs) : _events(std::move(events)), _gapMs(gapMs)
	{
		_listen = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
		int one = 1;
		::setsockopt(_listen, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
		sockaddr_in a{};
		a.sin_family = AF_INET;
		a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		socklen_t len = sizeof a;
		if (::bind(_listen, reinterpret_cast<sockaddr *>(&a), sizeof a) != 0 || ::listen(_listen, 128) != 0
			|| ::getsockname(_listen, reinterpret_cast<sockaddr *>(&a), &len) != 0)
			throw std::runtime_error("TimedSseUpstream: cannot listen");
		_port = ntohs(a.sin_port);
		_acceptor = std::thread([this] { acceptLoop(); });
	}

	~TimedSseUpstream()
	{
		_stopping = true;
		::shutdown(_listen, SHUT_RDWR);
		::close(_listen);
		_acceptor.join();
		{
			std::lock_guard<std::mutex> lock(_mutex);
			for (int fd : _fds)
				::shutdown(fd, SHUT_RDWR);
		}
		for (auto & t : _threads)
			t.join();
	}

	int port() const { return _port; }
	std::string url() const { return "http://127.0.0.1:" + std::to_string(_port); }

	std::vector<TimePoint> sendTimes(int id)
	{
		std::lock_guard<std::mutex> lock(_mutex);
		return _sent[id];
	}

private:
	void acceptLoop()
	{
		while (!_stopping)
		{
			int fd = ::accept4(_listen, nullptr, nullptr, SOCK_CLOEXEC);
			if (fd < 0)
			{
				if (_stopping)
					return;
				continue;
			}
			int one = 1;
			::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
			std::lock_guard<std::mutex> lock(_mutex);
			_fds.insert(fd);
			_threads.emplace_back([this, fd] { serve(fd); });
		}
	}

	void serve(int fd)
	{
		std::string buf;
		char tmp[65536];
		for (;;)
		{
			size_t headEnd;
			bool closed = false;
			while ((headEnd = buf.find("\r\n\r\n")) == std::string::npos)
			{
				ssize_t n = ::recv(fd, tmp, sizeof tmp, 0);
				if (n <= 0)
				{
					closed = true;
					break;
				}
				buf.append(tmp, static_cast<size_t>(n));
			}
			if (closed)
				break;
			std::string lower = buf.substr(0, headEnd);
			std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
			size_t length = 0;
			if (size_t p = lower.find("\r\ncontent-length:"); p != std::string::npos)
				length = std::strtoul(lower.c_str() + p + 17, nullptr, 10);
			int id = -1;
			if (size_t p = lower.find("\r\nx-bench-id:"); p != std::string::npos)
				id = std::atoi(lower.c_str() + p + 13);
			while (buf.size() < headEnd + 4 + length)
			{
				ssize_t n = ::recv(fd, tmp, sizeof tmp, 0);
				if (n <= 0)
				{
					closed = true;
					break;
				}
				buf.append(tmp, static_cast<size_t>(n));
			}
			if (closed)
				break;
			buf.erase(0, headEnd + 4 + length);
			std::vector<TimePoint> sent;
			bool ok = writeAll(fd, "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\nCache-Control: no-cache\r\n"
								   "Transfer-Encoding: chunked\r\n\r\n");
			const TimePoint start = now();
			for (size_t i = 0; ok && i < _events.size(); ++i)
			{
				std::this_thread::sleep_until(start + std::chrono::milliseconds(_gapMs * static_cast<int>(i)));
				char size[32];
				std::snprintf(size, sizeof size, "%zx\r\n", _events[i].size());
				const std::string chunk = size + _events[i] + "\r\n";
				sent.push_back(now());
				ok = writeAll(fd, chunk);
			}
			{
				// Before the terminating chunk: the client asks for these as soon as it has it.
				std::lock_guard<std::mutex> lock(_mutex);
				_sent[id] = std::move(sent);
			}
			ok = ok && writeAll(fd, "0\r\n\r\n");
			if (!ok)
				break;
		}
		std::lock_guard<std::mutex> lock(_mutex);
		_fds.erase(fd);
		::close(fd);
	}

	std::vector<std::string> _events;
	int _gapMs;
	int _listen = -1;
	int _port = 0;
	std::atomic<bool> _stopping{false};
	std::thread _acceptor;
	std::mutex _mutex;
	std::set<int> _fds;
	std::vector<std::thread> _threads;
	std::map<int, std::vector<TimePoint>> _sent;
};

// ---------------------------------------------------------------- the proxy under test

/// logging.log_request_types for the proxy under test (--proxy-log): "all" by default.
std::string g_logTypes = "all";

std::string proxyConfig(const std::string & upstreamUrl)
{
	// The first-run file's body policy (truncated), every request logged to SQLite, console at
	// warn: what a user runs, minus the per-request console line.
	return "server:\n  host: 127.0.0.1\n  port: ${PORT}\n"
		   "logging:\n  log_directory: ${DIR}/logs\n  level: warn\n  log_request_types: " + g_logTypes
		   + "\n  log_request_body: truncated\n  log_response_body: truncated\n"
		   "endpoints:\n  - name: fake\n    url: " + upstreamUrl + "\n    auth_type: api_key\n    auth_value: sk-bench\n";
}

/// The real Claude Code request: its body and its headers (minus the connection-specific ones).
struct ClaudeCodeRequest
{
	std::string streamingBody;    ///< as captured ("stream":true)
	std::string nonStreamingBody; ///< the same bytes with "stream":false
	Headers headers;
	std::string target;
};

ClaudeCodeRequest loadClaudeCodeRequest()
{
	ClaudeCodeRequest r;
	const std::string dir = std::string(CCC_TEST_DATA_DIR) + "/claude-code/";
	r.streamingBody = readFile(dir + "messages-request.json");
	if (r.streamingBody.empty())
		throw std::runtime_error("missing " + dir + "messages-request.json");
	r.nonStreamingBody = r.streamingBody;
	const size_t p = r.nonStreamingBody.find("\"stream\":true");
	if (p == std::string::npos)
		throw std::runtime_error("the captured body has no \"stream\":true");
	r.nonStreamingBody.replace(p, 13, "\"stream\":false");
	json meta = json::parse(readFile(dir + "messages-request.headers.json"), nullptr, false);
	r.target = meta.value("target", "/v1/messages?beta=true");
	for (const auto & [k, v] : meta["headers"].items())
		if (k != "host" && k != "content-length" && k != "connection")
			r.headers.emplace_back(k, v.get<std::string>());
	// The fakes answer uncompressed; do not let anyone think otherwise.
	for (auto & [k, v] : r.headers)
		if (k == "accept-encoding")
			v = "identity";
	return r;
}

struct Row
{
	std::string what, proxy, direct, added, target, verdict;
};
std::vector<Row> g_rows;

void addRow(std::string what, std::string proxy, std::string direct, std::string added, std::string target, bool pass)
{
	g_rows.push_back({std::move(what), std::move(proxy), std::move(direct), std::move(added), std::move(target), pass ? "ok" : "MISSED"});
}

// ---------------------------------------------------------------- 1. non-streaming latency

bool benchLatency(const ClaudeCodeRequest & cc, int requests, int warmup)
{
	std::cout << "\n== 1. added latency, " << cc.nonStreamingBody.size() << "-byte body, non-streaming, keep-alive ==\n";
	FakeUpstream fake;
	fake.setRecording(false);
	fake.always(Response::json(200, anthropicMessage("Hello! How can I help you today?")));
	ServiceProcess svc(proxyConfig(fake.url()));
	if (!svc.start())
	{
		std::cout << "proxy did not start:\n" << svc.output() << "\n";
		return false;
	}
	const std::string raw = buildRequest("POST", cc.target, cc.headers, cc.nonStreamingBody);
	Client direct(fake.port()), proxied(svc.port());
	std::vector<double> d, p;
	int errors = 0;
	for (int i = 0; i < warmup + requests; ++i)
	{
		// Alternate so both see the same machine conditions.
		TimePoint t0 = now();
		auto rd = direct.request(raw);
		TimePoint t1 = now();
		auto rp = proxied.request(raw);
		TimePoint t2 = now();
		if (rd.status != 200 || rp.status != 200)
		{
			if (++errors <= 3)
				std::cout << "  error: direct " << rd.status << " " << rd.error << ", proxy " << rp.status << " " << rp.error << " "
						  << rp.body.substr(0, 200) << "\n";
			continue;
		}
		if (i >= warmup)
		{
			d.push_back(msBetween(t0, t1));
			p.push_back(msBetween(t1, t2));
		}
	}
	const double d50 = percentile(d, 50), d99 = percentile(d, 99), p50 = percentile(p, 50), p99 = percentile(p, 99);
	std::cout << "  " << p.size() << " requests each (after " << warmup << " warm-up), errors " << errors << "\n"
			  << "  direct  p50 " << fmt(d50) << " ms  p90 " << fmt(percentile(d, 90)) << "  p99 " << fmt(d99) << "  max " << fmt(percentile(d, 100)) << "\n"
			  << "  proxy   p50 " << fmt(p50) << " ms  p90 " << fmt(percentile(p, 90)) << "  p99 " << fmt(p99) << "  max " << fmt(percentile(p, 100)) << "\n"
			  << "  proxy RSS after: " << procStatusKb(svc.pid(), "VmRSS") / 1024 << " MiB\n";
	addRow("non-streaming latency p50 (ms)", fmt(p50), fmt(d50), fmt(p50 - d50), "<= 0.3", errors == 0 && p50 - d50 <= 0.3);
	addRow("non-streaming latency p99 (ms)", fmt(p99), fmt(d99), fmt(p99 - d99), "<= 2", errors == 0 && p99 - d99 <= 2.0);
	return errors == 0;
}

// ---------------------------------------------------------------- 2. streaming delays

/// Events of a streamed answer with many text deltas (the fixture's shapes, deltas repeated).
std::vector<std::string> streamEvents(int deltas)
{
	std::vector<SseEvent> base = anthropicStream("Hello there");
	std::vector<std::string> out;
	std::string delta;
	for (const auto & e : base)
	{
		if (e.event == "content_block_delta")
		{
			delta = e.serialize();
			continue;
		}
		if (e.event == "content_block_stop")
			for (int i = 0; i < deltas; ++i)
				out.push_back(delta);
		out.push_back(e.serialize());
	}
	return out;
}

bool benchStreaming(const ClaudeCodeRequest & cc, int streams, int gapMs)
{
	std::cout << "\n== 2. streaming: added delay per event and to the first event ==\n";
	const std::vector<std::string> events = streamEvents(16);
	// Index of the first content event (content_block_start): the proxy holds message_start back
	// until it has arrived, by design, so time to first event is measured from its send time.
	size_t firstContent = 0;
	for (size_t i = 0; i < events.size(); ++i)
		if (events[i].rfind("event: content_block_start", 0) == 0)
		{
			firstContent = i;
			break;
		}
	TimedSseUpstream fake(events, gapMs);
	ServiceProcess svc(proxyConfig(fake.url()));
	if (!svc.start())
	{
		std::cout << "proxy did not start:\n" << svc.output() << "\n";
		return false;
	}
	std::cout << "  " << events.size() << " events " << gapMs << " ms apart per stream, " << streams
			  << " streams each way, first content event = #" << firstContent << "\n";
	Client direct(fake.port()), proxied(svc.port());
	std::vector<double> perEvent[2], ttfe[2];
	int errors = 0, id = 0;
	for (int s = 0; s < streams + 2; ++s)
		for (int mode = 0; mode < 2; ++mode)
		{
			Headers h = cc.headers;
			h.emplace_back("x-bench-id", std::to_string(++id));
			const std::string raw = buildRequest("POST", cc.target, h, cc.streamingBody);
			std::vector<TimePoint> arrivals;
			std::string pending;
			auto onBody = [&](std::string_view piece, TimePoint at) {
				pending.append(piece);
				size_t end;
				while ((end = pending.find("\n\n")) != std::string::npos)
				{
					arrivals.push_back(at);
					pending.erase(0, end + 2);
				}
			};
			auto r = (mode == 0 ? direct : proxied).request(raw, onBody);
			const std::vector<TimePoint> sent = fake.sendTimes(id);
			if (r.status != 200 || arrivals.size() != events.size() || sent.size() != events.size())
			{
				if (++errors <= 3)
					std::cout << "  error (" << (mode ? "proxy" : "direct") << "): status " << r.status << " " << r.error << ", "
							  << arrivals.size() << " events received, " << sent.size() << " sent\n";
				continue;
			}
			if (s < 2)
				continue; // warm-up
			// Direct: the content event's own delay; proxied: the first byte the client sees
			// (message_start, released with the content event) against the content event's send.
			ttfe[mode].push_back(msBetween(sent[firstContent], mode == 0 ? arrivals[firstContent] : arrivals[0]));
			for (size_t i = firstContent + 1; i < events.size(); ++i)
				perEvent[mode].push_back(msBetween(sent[i], arrivals[i]));
		}
	auto line = [](const char * name, const std::vector<double> & v) {
		std::cout << "  " << name << " p50 " << fmt(percentile(v, 50)) << " ms  p99 " << fmt(percentile(v, 99)) << "  max "
				  << fmt(percentile(v, 100)) << "  (n=" << v.size() << ")\n";
	};
	line("per-event delay, direct ", perEvent[0]);
	line("per-event delay, proxy  ", perEvent[1]);
	line("first event, direct     ", ttfe[0]);
	line("first event, proxy      ", ttfe[1]);
	const double e99p = percentile(perEvent[1], 99), e99d = percentile(perEvent[0], 99);
	const double t50p = percentile(ttfe[1], 50), t50d = percentile(ttfe[0], 50);
	const double t99p = percentile(ttfe[1], 99), t99d = percentile(ttfe[0], 99);
	addRow("per-event delay p99 (ms)", fmt(e99p), fmt(e99d), fmt(e99p - e99d), "<= 2", errors == 0 && e99p - e99d <= 2.0);
	addRow("per-event delay p50 (ms)", fmt(percentile(perEvent[1], 50)), fmt(percentile(perEvent[0], 50)),
		fmt(percentile(perEvent[1], 50) - percentile(perEvent[0], 50)), "-", errors == 0);
	addRow("first event p50 (ms, from content event sent)", fmt(t50p), fmt(t50d), fmt(t50p - t50d), "<= 1", errors == 0 && t50p - t50d <= 1.0);
	addRow("first event p99 (ms, from content event sent)", fmt(t99p), fmt(t99d), fmt(t99p - t99d), "-", errors == 0);
	return errors == 0;
}

// ---------------------------------------------------------------- 3. throughput (wrk)

bool executable(const std::string & path)
{
	return ::access(path.c_str(), X_OK) == 0;
}

std::string findProgram(const std::string & name)
{
	for (const char * dir : {"/usr/sbin/", "/usr/bin/", "/usr/local/sbin/", "/usr/local/bin/", "/sbin/", "/bin/"})
		if (executable(dir + name))
			return dir + name;
	return "";
}

/// Runs a shell command, returns its output (stdout and stderr).
std::string capture(const std::string & command)
{
	std::string out;
	std::cout << std::flush; // the child must not inherit (and print again) what is buffered
	FILE * f = ::popen((command + " 2>&1").c_str(), "r");
	if (f == nullptr)
		return out;
	char buf[4096];
	size_t n;
	while ((n = std::fread(buf, 1, sizeof buf, f)) > 0)
		out.append(buf, n);
	::pclose(f);
	return out;
}

struct WrkResult
{
	double rps = 0;
	long non2xx = 0;
	std::string socketErrors;
	std::string latency; ///< wrk's "Latency" line
	std::string raw;
};

WrkResult runWrk(const std::string & wrk, const std::string & script, int port, const std::string & target, int connections, int seconds)
{
	const std::string cmd = "timeout " + std::to_string(seconds + 30) + " " + wrk + " -t2 -c" + std::to_string(connections) + " -d"
		+ std::to_string(seconds) + "s --latency -s " + script + " 'http://127.0.0.1:" + std::to_string(port) + target + "'";
	WrkResult r;
	r.raw = capture(cmd);
	std::istringstream in(r.raw);
	std::string line;
	while (std::getline(in, line))
	{
		if (line.rfind("Requests/sec:", 0) == 0)
			r.rps = std::atof(line.c_str() + 13);
		else if (line.find("Non-2xx or 3xx responses:") != std::string::npos)
			r.non2xx = std::atol(line.c_str() + line.find(':') + 1);
		else if (line.find("Socket errors:") != std::string::npos)
			r.socketErrors = line;
		else if (line.find("    Latency") == 0)
			r.latency = line;
	}
	return r;
}

/// nginx as a child process on a loopback port, proxying to `upstreamPort` the way a reverse proxy
/// in front of an LLM API is set up: HTTP/1.1 keep-alive to the upstream, no response buffering.
class Nginx
{
public:
	Nginx(const std::string & binary, int upstreamPort, const TempDir & dir)
	{
		_port = freePort();
		const std::string p = dir.path() + "/nginx";
		::mkdir(p.c_str(), 0755);
		::mkdir((p + "/logs").c_str(), 0755);
		std::string conf;
		if (::geteuid() == 0)
			conf += "user root;\n";
		conf += "worker_processes auto;\nerror_log " + p + "/logs/error.log warn;\npid " + p + "/nginx.pid;\n"
			"events { worker_connections 4096; }\n"
			"http {\n"
			"  access_log off;\n"
			"  client_body_temp_path " + p + "/client_body; proxy_temp_path " + p + "/proxy;\n"
			"  fastcgi_temp_path " + p + "/fastcgi; uwsgi_temp_path " + p + "/uwsgi; scgi_temp_path " + p + "/scgi;\n"
			"  client_max_body_size 32m;\n  client_body_buffer_size 1m;\n"
			"  keepalive_requests 1000000;\n"
			"  upstream fake { server 127.0.0.1:" + std::to_string(upstreamPort) + "; keepalive 64; keepalive_requests 1000000; }\n"
			"  server {\n    listen 127.0.0.1:" + std::to_string(_port) + ";\n"
			"    location / {\n      proxy_pass http://fake;\n      proxy_http_version 1.1;\n"
			"      proxy_set_header Connection \"\";\n      proxy_buffering off;\n    }\n  }\n}\n";
		std::ofstream(p + "/nginx.conf") << conf;
		std::cout << std::flush;
		_pid = ::fork();
		if (_pid == 0)
		{
			const std::string log = p + "/logs/stdout.log";
			FILE * f = std::freopen(log.c_str(), "w", stdout);
			(void)f;
			::dup2(1, 2);
			::execl(binary.c_str(), binary.c_str(), "-p", p.c_str(), "-c", (p + "/nginx.conf").c_str(), "-g", "daemon off;",
				static_cast<char *>(nullptr));
			::_exit(127);
		}
		_conf = p;
		for (int i = 0; i < 250; ++i)
		{
			int fd = connectLoopback(_port);
			if (fd >= 0)
			{
				::close(fd);
				_ready = true;
				break;
			}
			std::this_thread::sleep_for(std::chrono::milliseconds(20));
		}
	}
	~Nginx()
	{
		if (_pid <= 0)
			return;
		::kill(_pid, SIGTERM);
		int status = 0;
		for (int i = 0; i < 300; ++i)
		{
			if (::waitpid(_pid, &status, WNOHANG) == _pid)
				return;
			std::this_thread::sleep_for(std::chrono::milliseconds(10));
		}
		::kill(_pid, SIGKILL);
		::waitpid(_pid, &status, 0);
	}
	bool ready() const { return _ready; }
	int port() const { return _port; }
	std::string errorLog() const { return readFile(_conf + "/logs/error.log") + readFile(_conf + "/logs/stdout.log"); }

private:
	int _pid = -1;
	int _port = 0;
	bool _ready = false;
	std::string _conf;
};

std::string luaQuote(const std::string & s)
{
	std::string out = "\"";
	for (char c : s)
	{
		if (c == '"' || c == '\\')
			out += '\\';
		out += c;
	}
	return out + "\"";
}

bool benchThroughput(const ClaudeCodeRequest & cc, int seconds, int connections, int rounds)
{
	std::cout << "\n== 3. throughput, " << connections << " keep-alive connections, " << cc.nonStreamingBody.size()
			  << "-byte body, JSON answer ==\n";
	const std::string wrk = findProgram("wrk"), nginxBin = findProgram("nginx");
	if (wrk.empty() || nginxBin.empty())
	{
		std::cout << "  skipped: needs wrk and nginx (scripts/deps.sh bench)\n";
		return false;
	}
	TempDir dir;
	dir.write("body.json", cc.nonStreamingBody);
	std::string lua = "local f = io.open(" + luaQuote(dir.file("body.json")) + ", \"rb\")\nwrk.body = f:read(\"*a\")\nf:close()\n"
					  "wrk.method = \"POST\"\n";
	for (const auto & [k, v] : cc.headers)
		lua += "wrk.headers[" + luaQuote(k) + "] = " + luaQuote(v) + "\n";
	dir.write("post.lua", lua);

	FakeUpstream fake;
	fake.setRecording(false);
	fake.always(Response::json(200, anthropicMessage("Hello! How can I help you today?")));
	ServiceProcess svc(proxyConfig(fake.url()));
	if (!svc.start())
	{
		std::cout << "proxy did not start:\n" << svc.output() << "\n";
		return false;
	}
	Nginx nginx(nginxBin, fake.port(), dir);
	if (!nginx.ready())
	{
		std::cout << "  nginx did not start:\n" << nginx.errorLog() << "\n";
		return false;
	}
	const std::string script = dir.file("post.lua");
	auto show = [](const char * name, const WrkResult & r) {
		std::cout << "  " << name << ": " << fmt(r.rps, 0) << " req/s, non-2xx " << r.non2xx << (r.socketErrors.empty() ? "" : ", " + r.socketErrors)
				  << "\n  " << r.latency << "\n";
		if (r.rps <= 0)
			std::cout << r.raw << "\n";
	};
	// Short warm-ups, then proxy and nginx alternately (the machine's other load changes over
	// time; alternating gives both the same share of it), then direct to the fake as the ceiling.
	runWrk(wrk, script, svc.port(), cc.target, connections, 2);
	runWrk(wrk, script, nginx.port(), cc.target, connections, 2);
	std::vector<WrkResult> proxyRuns, nginxRuns;
	for (int round = 0; round < rounds; ++round)
	{
		proxyRuns.push_back(runWrk(wrk, script, svc.port(), cc.target, connections, seconds));
		show("proxy ", proxyRuns.back());
		nginxRuns.push_back(runWrk(wrk, script, nginx.port(), cc.target, connections, seconds));
		show("nginx ", nginxRuns.back());
	}
	WrkResult direct = runWrk(wrk, script, fake.port(), cc.target, connections, seconds);
	show("direct", direct);
	auto mean = [](const std::vector<WrkResult> & runs) {
		WrkResult m;
		for (const auto & r : runs)
		{
			m.rps += r.rps / static_cast<double>(runs.size());
			m.non2xx += r.non2xx;
		}
		return m;
	};
	const WrkResult proxy = mean(proxyRuns), ngx = mean(nginxRuns);
	std::cout << "  mean of " << rounds << " rounds: proxy " << fmt(proxy.rps, 0) << " req/s, nginx " << fmt(ngx.rps, 0) << " req/s\n";
	std::cout << "  proxy RSS after: " << procStatusKb(svc.pid(), "VmRSS") / 1024 << " MiB, peak " << procStatusKb(svc.pid(), "VmHWM") / 1024
			  << " MiB\n";
	const bool clean = proxy.non2xx == 0 && ngx.non2xx == 0 && proxy.rps > 0 && ngx.rps > 0;
	const double ratio = ngx.rps > 0 ? proxy.rps / ngx.rps : 0;
	addRow("throughput, 16 conns (req/s): proxy | nginx | ratio", fmt(proxy.rps, 0), fmt(ngx.rps, 0) + " (direct " + fmt(direct.rps, 0) + ")",
		fmt(ratio * 100, 0) + "% of nginx", ">= 50%", clean && ratio >= 0.5);
	return clean;
}

// ---------------------------------------------------------------- 4. concurrent long streams

bool benchConcurrentStreams(const ClaudeCodeRequest & cc, int streams, int streamSeconds)
{
	std::cout << "\n== 4. " << streams << " concurrent streams of " << streamSeconds << " s ==\n";
	FakeUpstream fake;
	fake.setRecording(false);
	const std::vector<SseEvent> events = anthropicStream("One event every little while, for a long time.");
	const int gapMs = streamSeconds * 1000 / static_cast<int>(events.size() - 1);
	fake.always(Response::sse(events, gapMs));
	std::string config = proxyConfig(fake.url());
	ServiceProcess svc(config); // server.max_concurrent_streams: default (512)
	if (!svc.start())
	{
		std::cout << "proxy did not start:\n" << svc.output() << "\n";
		return false;
	}
	const long rssIdle = procStatusKb(svc.pid(), "VmRSS");
	std::map<std::string, std::string> headers(cc.headers.begin(), cc.headers.end());
	std::atomic<int> complete{0}, failed{0};
	std::vector<double> durations(static_cast<size_t>(streams));
	std::mutex errMutex;
	std::string firstError;
	const TimePoint t0 = now();
	std::vector<std::thread> clients;
	clients.reserve(static_cast<size_t>(streams));
	for (int i = 0; i < streams; ++i)
		clients.emplace_back([&, i] {
			TimePoint s = now();
			StreamedResponse r = streamRequest(svc.port(), "POST", cc.target, cc.streamingBody, headers, (streamSeconds + 30) * 1000);
			durations[static_cast<size_t>(i)] = msBetween(s, now()) / 1000.0;
			if (r.status == 200 && r.complete && r.eventTimes().size() == events.size())
				++complete;
			else
			{
				++failed;
				std::lock_guard<std::mutex> lock(errMutex);
				if (firstError.empty())
					firstError = "status " + std::to_string(r.status) + " complete " + std::to_string(r.complete) + " events "
						+ std::to_string(r.eventTimes().size()) + " " + r.error + " " + r.body.substr(0, 200);
			}
		});
	long rssMax = 0;
	while (complete + failed < streams && msBetween(t0, now()) < (streamSeconds + 40) * 1000.0)
	{
		rssMax = std::max(rssMax, procStatusKb(svc.pid(), "VmRSS"));
		std::this_thread::sleep_for(std::chrono::milliseconds(100));
	}
	for (auto & t : clients)
		t.join(); // each is bounded by its own timeout
	const double wall = msBetween(t0, now()) / 1000.0;
	const long hwm = procStatusKb(svc.pid(), "VmHWM");
	const double perStreamKb = static_cast<double>(hwm - rssIdle) / streams;
	std::cout << "  " << events.size() << " events " << gapMs << " ms apart; complete " << complete << "/" << streams << ", failed " << failed
			  << ", wall " << fmt(wall, 1) << " s, stream duration p50 " << fmt(percentile(durations, 50), 2) << " s max "
			  << fmt(percentile(durations, 100), 2) << " s\n"
			  << "  proxy RSS idle " << rssIdle / 1024 << " MiB, sampled max " << rssMax / 1024 << " MiB, VmHWM " << hwm / 1024 << " MiB (" << fmt(perStreamKb, 0)
			  << " KiB per stream above idle)\n";
	if (!firstError.empty())
		std::cout << "  first failure: " << firstError << "\n";
	addRow(std::to_string(streams) + " streams x " + std::to_string(streamSeconds) + " s: completed", std::to_string(complete.load()), "-", "-",
		"all", complete == streams);
	addRow("  peak RSS of the proxy (MiB, VmHWM)", fmt(static_cast<double>(hwm) / 1024.0, 1), "-", "-", "<= 150", complete == streams && hwm <= 150 * 1024);
	return complete == streams;
}

// ---------------------------------------------------------------- 5. cost of full-body logging

/// Committed requests and how many of them lost their bodies to the writer's queue bound.
struct StoredCount
{
	long long requests = -1, shed = -1;
};

StoredCount storedCount(const std::string & dbPath)
{
	StoredCount c;
	sqlite3 * db = nullptr;
	if (sqlite3_open_v2(dbPath.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK)
	{
		sqlite3_stmt * st = nullptr;
		if (sqlite3_prepare_v2(db, "SELECT COUNT(*), COALESCE(SUM(bodies_shed), 0) FROM requests", -1, &st, nullptr) == SQLITE_OK &&
			sqlite3_step(st) == SQLITE_ROW)
		{
			c.requests = sqlite3_column_int64(st, 0);
			c.shed = sqlite3_column_int64(st, 1);
		}
		sqlite3_finalize(st);
	}
	sqlite3_close(db);
	return c;
}

/// CPU seconds (user + system) a process has used, all its threads.
double procCpuSeconds(int pid)
{
	std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
	std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
	const size_t close = stat.rfind(')'); // the command name may hold spaces
	if (close == std::string::npos)
		return 0;
	std::istringstream fields(stat.substr(close + 2));
	std::string f;
	double ticks = 0;
	for (int i = 3; i <= 15 && fields >> f; ++i) // fields 14 and 15: utime, stime
		if (i >= 14)
			ticks += std::atof(f.c_str());
	return ticks / static_cast<double>(sysconf(_SC_CLK_TCK));
}

/// CPU seconds of this process (the fake upstream's threads) and of the waited-for children (wrk).
std::pair<double, double> selfAndChildrenCpuSeconds()
{
	auto secs = [](const rusage & u) {
		return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + (u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
	};
	rusage self{}, children{};
	getrusage(RUSAGE_SELF, &self);
	getrusage(RUSAGE_CHILDREN, &children);
	return {secs(self), secs(children)};
}

/// The proxy's /metrics page (empty when unavailable).
std::string metricsText(int port)
{
	const HttpResult r = httpRequest(port, "GET", "/metrics", "", {}, 5000);
	return r.status == 200 ? r.body : std::string();
}

/// A gauge or counter of a /metrics page (-1 when absent).
double metricValue(const std::string & metrics, const std::string & name)
{
	std::istringstream in(metrics);
	std::string line;
	while (std::getline(in, line))
		if (line.rfind(name + " ", 0) == 0)
			return std::atof(line.c_str() + name.size() + 1);
	return -1;
}

/// Waits until the proxy's log writer has stored everything (queue and spill file empty), so
/// that the next measurement of either proxy does not share the CPU with it. Seconds waited.
double waitForLogBacklog(int port, int limitSeconds)
{
	const auto start = std::chrono::steady_clock::now();
	auto elapsed = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(); };
	while (elapsed() < limitSeconds)
	{
		const std::string metrics = metricsText(port);
		if (metricValue(metrics, "ccc_log_queue_depth") == 0 && metricValue(metrics, "ccc_log_spill_pending") == 0)
			break;
		std::this_thread::sleep_for(std::chrono::milliseconds(100));
	}
	return elapsed();
}

/// Issue #6: with full-body logging on, proxy throughput stays >= 85% of logging off. Two proxies
/// against the same instant fake upstream, the 76 KB Claude Code body, the same wrk load, measured
/// alternately: "off" stores nothing for successful requests (log_request_types failed, no
/// bodies), "on" stores every request with its full bodies (client + attempt, request + response).
bool benchLogging(const ClaudeCodeRequest & cc, int seconds, int connections, int rounds)
{
	std::cout << "\n== 5. full-body logging on vs off, " << connections << " keep-alive connections, " << cc.nonStreamingBody.size()
			  << "-byte body, JSON answer ==\n";
	const std::string wrk = findProgram("wrk");
	if (wrk.empty())
	{
		std::cout << "  skipped: needs wrk (scripts/deps.sh bench)\n";
		return false;
	}
	TempDir dir;
	dir.write("body.json", cc.nonStreamingBody);
	std::string lua = "local f = io.open(" + luaQuote(dir.file("body.json")) + ", \"rb\")\nwrk.body = f:read(\"*a\")\nf:close()\n"
					  "wrk.method = \"POST\"\n";
	for (const auto & [k, v] : cc.headers)
		lua += "wrk.headers[" + luaQuote(k) + "] = " + luaQuote(v) + "\n";
	dir.write("post.lua", lua);
	const std::string script = dir.file("post.lua");

	FakeUpstream fake;
	fake.setRecording(false);
	fake.always(Response::json(200, anthropicMessage("Hello! How can I help you today?")));
	// A key shaped like a real Anthropic one (108 characters): the log redacts it from every body
	// and header, and the cost of that search depends on the key's length.
	const std::string key = "sk-ant-api03-" + std::string(93, 'k') + "AA";
	auto config = [&](const char * types, const char * body) {
		return "server:\n  host: 127.0.0.1\n  port: ${PORT}\n"
			   "logging:\n  log_directory: logs\n  level: warn\n  log_request_types: " + std::string(types) +
			"\n  log_request_body: " + body + "\n  log_response_body: " + body +
			"\nendpoints:\n  - name: fake\n    url: " + fake.url() + "\n    auth_type: api_key\n    auth_value: " + key + "\n";
	};
	ServiceProcess off(config("failed", "none")), on(config("all", "full"));
	if (!off.start() || !on.start())
	{
		std::cout << "proxy did not start:\n" << off.output() << on.output() << "\n";
		return false;
	}
	auto show = [](const char * name, const WrkResult & r) {
		std::cout << "  " << name << ": " << fmt(r.rps, 0) << " req/s, non-2xx " << r.non2xx << (r.socketErrors.empty() ? "" : ", " + r.socketErrors)
				  << "\n  " << r.latency << "\n";
		if (r.rps <= 0)
			std::cout << r.raw << "\n";
	};
	runWrk(wrk, script, off.port(), cc.target, connections, 2);
	runWrk(wrk, script, on.port(), cc.target, connections, 2);
	// Records over the writer's queue bound spill to a file that the writer loads into the
	// database afterwards: each run starts once that backlog is stored, so neither proxy's
	// measurement shares the CPU with the other's catching up. The time it takes is shown.
	waitForLogBacklog(on.port(), 300);
	std::vector<WrkResult> offRuns, onRuns;
	// Where the CPU goes, per request: the proxy, the fake upstream (this process) and wrk.
	auto measured = [&](ServiceProcess & proxy, const char * name, std::vector<WrkResult> & runs) {
		const double proxyBefore = procCpuSeconds(proxy.pid());
		const auto before = selfAndChildrenCpuSeconds();
		runs.push_back(runWrk(wrk, script, proxy.port(), cc.target, connections, seconds));
		const auto after = selfAndChildrenCpuSeconds();
		const double requests = runs.back().rps * seconds;
		show(name, runs.back());
		if (requests > 0)
			std::cout << "      CPU per request: proxy " << fmt((procCpuSeconds(proxy.pid()) - proxyBefore) * 1e6 / requests, 1)
					  << " us, fake upstream " << fmt((after.first - before.first) * 1e6 / requests, 1) << " us, wrk "
					  << fmt((after.second - before.second) * 1e6 / requests, 1) << " us\n";
	};
	for (int round = 0; round < rounds; ++round)
	{
		measured(off, "logging off", offRuns);
		measured(on, "logging on ", onRuns);
		const double spilled = metricValue(metricsText(on.port()), "ccc_log_spill_pending");
		const double waited = waitForLogBacklog(on.port(), 300);
		std::cout << "  the writer stored the " << fmt(spilled, 0) << " spilled records left after the run in " << fmt(waited, 1)
				  << " s\n";
	}
	auto mean = [](const std::vector<WrkResult> & runs) {
		WrkResult m;
		for (const auto & r : runs)
		{
			m.rps += r.rps / static_cast<double>(runs.size());
			m.non2xx += r.non2xx;
		}
		return m;
	};
	const WrkResult a = mean(offRuns), b = mean(onRuns);
	std::cout << "  logging-on proxy RSS after: " << procStatusKb(on.pid(), "VmRSS") / 1024 << " MiB, peak "
			  << procStatusKb(on.pid(), "VmHWM") / 1024 << " MiB\n";
	// SIGTERM drains the writer's queue: then the database says what was kept and what was shed.
	on.stop();
	off.stop();
	const StoredCount stored = storedCount(on.dir().file("logs/logs.db"));
	std::cout << "  logging on stored " << stored.requests << " requests, " << stored.shed
			  << " of them without bodies (the spill file was full)\n";
	const bool clean = a.non2xx == 0 && b.non2xx == 0 && a.rps > 0 && b.rps > 0;
	const double ratio = a.rps > 0 ? b.rps / a.rps : 0;
	addRow("throughput with full-body logging (req/s): on | off | ratio", fmt(b.rps, 0),
		fmt(a.rps, 0) + " (bodies shed " + std::to_string(stored.shed) + " of " + std::to_string(stored.requests) + ")",
		fmt(ratio * 100, 0) + "% of off", ">= 85%", clean && ratio >= 0.85);
	return clean;
}

void printTable()
{
	std::cout << "\n| measurement | proxy | direct / reference | added | target | |\n|---|---|---|---|---|---|\n";
	for (const auto & r : g_rows)
		std::cout << "| " << r.what << " | " << r.proxy << " | " << r.direct << " | " << r.added << " | " << r.target << " | " << r.verdict << " |\n";
}

} // namespace

int main(int argc, char ** argv)
{
	std::set<std::string> only;
	bool smallBody = false;
	int requests = 2000, rounds = 2, streams = 30, gapMs = 20, seconds = 10, concurrent = 512, streamSeconds = 10;
	for (int i = 1; i < argc; ++i)
	{
		std::string a = argv[i];
		auto val = [&](const char * name) -> const char * {
			const std::string prefix = std::string(name) + "=";
			return a.rfind(prefix, 0) == 0 ? argv[i] + prefix.size() : nullptr;
		};
		if (const char * v = val("--only"))
		{
			std::stringstream s(v);
			std::string part;
			while (std::getline(s, part, ','))
				only.insert(part);
		}
		else if (const char * v1 = val("--requests"))
			requests = std::max(10, std::atoi(v1));
		else if (const char * v2 = val("--streams"))
			streams = std::max(1, std::atoi(v2));
		else if (const char * v3 = val("--duration"))
			seconds = std::clamp(std::atoi(v3), 1, 120);
		else if (const char * v7 = val("--proxy-log"))
			g_logTypes = v7;
		else if (const char * v8 = val("--body"))
			smallBody = std::string(v8) == "small";
		else if (const char * v6 = val("--rounds"))
			rounds = std::clamp(std::atoi(v6), 1, 10);
		else if (const char * v4 = val("--concurrent"))
			concurrent = std::clamp(std::atoi(v4), 1, 2000);
		else if (const char * v5 = val("--stream-seconds"))
			streamSeconds = std::clamp(std::atoi(v5), 1, 60);
		else
		{
			std::cout << "usage: proxy_bench [--only=latency,stream,throughput,streams,logging] [--requests=2000] [--streams=30]\n"
						 "                   [--duration=10] [--rounds=2] [--concurrent=512] [--stream-seconds=10]\n"
						 "                   [--proxy-log=all|success|failed]  (logging.log_request_types of the proxy)\n"
						 "                   [--body=claude-code|small]  (small: a 104-byte request instead of the 76 KB one)\n";
			return a == "--help" ? 0 : 2;
		}
	}
	::signal(SIGPIPE, SIG_IGN);
	auto want = [&](const char * name) { return only.empty() || only.count(name) > 0; };
	ClaudeCodeRequest cc = loadClaudeCodeRequest();
	if (smallBody)
	{
		// Separates what the body's size costs from what a request costs.
		cc.streamingBody = R"({"model":"claude-opus-4-8","max_tokens":1024,"stream":true,"messages":[{"role":"user","content":"hi"}]})";
		cc.nonStreamingBody = R"({"model":"claude-opus-4-8","max_tokens":1024,"stream":false,"messages":[{"role":"user","content":"hi"}]})";
	}
	std::cout << "proxy_bench: " << CCC_BINARY_PATH << "\n  body " << cc.nonStreamingBody.size() << " bytes, nproc "
			  << std::thread::hardware_concurrency() << ", proxy logging.log_request_types " << g_logTypes
			  << ", load average " << capture("cut -d' ' -f1-3 /proc/loadavg");
	bool ok = true;
	if (want("latency"))
		ok = benchLatency(cc, requests, std::max(50, requests / 10)) && ok;
	if (want("stream"))
		ok = benchStreaming(cc, streams, gapMs) && ok;
	if (want("throughput"))
		ok = benchThroughput(cc, seconds, 16, rounds) && ok;
	if (want("streams"))
		ok = benchConcurrentStreams(cc, concurrent, streamSeconds) && ok;
	if (want("logging"))
		ok = benchLogging(cc, seconds, 16, rounds) && ok;
	printTable();
	std::cout << "\nload average at the end: " << capture("cut -d' ' -f1-3 /proc/loadavg");
	// Exit status: 1 only when the benchmark could not run properly (errors), not for a missed target.
	return ok ? 0 : 1;
}
