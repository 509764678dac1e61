#pragma once
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

/// Scripted fake upstream servers for the proxy's tests. They are written on raw sockets so that
/// every byte, every pause and every way of breaking a connection is under the test's control:
/// what the proxy receives from a FakeUpstream is exactly what the Response describes.
namespace ccc::test
{

using Clock = std::chrono::steady_clock;
using HeaderList = std::vector<std::pair<std::string, std::string>>;

/// One request as the fake received it.
struct ReceivedRequest
{
	/// Position in a counter shared by every FakeUpstream of the process (starts at 1), so a test
	/// can assert the order in which several upstreams were tried.
	uint64_t sequence = 0;
	size_t index = 0;       ///< 0-based position in this fake's requests() (SIZE_MAX when not recorded)
	int connection = 0;     ///< 1-based number of the TCP connection it came on (per fake)
	std::string method;
	std::string target;     ///< path and query exactly as sent
	std::string path;       ///< target before '?'
	std::string query;      ///< target after '?', without it ("" when absent)
	std::string version;    ///< e.g. "HTTP/1.1"
	HeaderList headerList;  ///< every header line in order; names lower-cased, values trimmed
	std::map<std::string, std::string> headers; ///< lower-case names; repeats joined with ", "
	std::string rawHead;    ///< request line and header block, byte for byte, up to the blank line
	std::string body;       ///< the body bytes (de-chunked when it came chunked)
	bool chunked = false;   ///< the body came with Transfer-Encoding: chunked
	Clock::time_point arrival; ///< when the whole request (head and body) had been read
	/// Set (later) when the peer closed the connection while this request's response was still
	/// being written, paused or withheld (hang): the proxy gave up on it.
	bool clientClosedEarly = false;
	Clock::time_point clientClosedAt;
	/// Set when the response was written completely (not for cut, hang or failed writes).
	bool responseCompleted = false;

	/// Header value by case-insensitive name, "" when absent.
	std::string header(const std::string & name) const;
	bool hasHeader(const std::string & name) const;
	/// The body parsed as JSON; a discarded value when it is not JSON.
	nlohmann::json json() const;
};

/// One SSE event. With `raw` set, exactly those bytes are written (use it for malformed events);
/// otherwise "event: <event>\ndata: <data>\n\n" (no event line when `event` is empty; data lines
/// split on '\n').
struct SseEvent
{
	std::string event;
	std::string data;
	std::string raw;

	static SseEvent rawBytes(std::string bytes)
	{
		SseEvent e;
		e.raw = std::move(bytes);
		return e;
	}
	std::string serialize() const;
};

enum class Cut
{
	Reset, ///< RST: SO_LINGER 0 then close (the peer sees ECONNRESET)
	Close  ///< clean FIN with nothing more: no terminating chunk, Content-Length not reached
};

enum class Encoding
{
	Identity,
	Gzip,
	Deflate, ///< zlib format (RFC 1950), which is what "Content-Encoding: deflate" means
	Brotli,
	Zstd
};

/// The Content-Encoding token ("gzip", "deflate", "br", "zstd"; "" for Identity).
std::string encodingName(Encoding e);
/// Whole-buffer compression and decompression (for tests that check bodies); decompress returns
/// "" and sets ok=false on corrupt or truncated input.
std::string compress(Encoding e, std::string_view data);
std::string decompress(Encoding e, std::string_view data, bool * ok = nullptr);

/// A scripted response: a value type built by one of the static kinds and refined with modifiers.
/// Timing: `firstByteDelay` passes before the status line; the first body segment follows the head
/// at once; `delayBetweenEvents` passes before every later segment; a `longPause` adds its time
/// before the segment at its index. A JSON/text body is one segment, an SSE body one segment per
/// event.
class Response
{
public:
	enum class Kind
	{
		Normal,
		Raw,                ///< bytes written as-is
		ResetBeforeHeaders, ///< read the request, then RST without a byte
		CloseBeforeHeaders, ///< read the request, then FIN without a byte
		Hang                ///< read the request, never answer (until the peer or the fake goes)
	};
	enum class Framing
	{
		ContentLength,  ///< Content-Length of the whole (encoded) body
		Chunked,        ///< Transfer-Encoding: chunked, one chunk per segment
		CloseDelimited  ///< neither header: the body ends when the connection closes
	};
	enum class After
	{
		KeepAlive, ///< wait for the next request on the connection (unless the client said close)
		Close,     ///< FIN after the response
		Reset      ///< RST after the response
	};

	Response() = default;

	/// status, Content-Type: application/json, Content-Length; `extraHeaders` are appended.
	static Response json(int status, std::string body, HeaderList extraHeaders = {});
	static Response json(int status, const char * body, HeaderList extraHeaders = {})
	{
		return json(status, std::string(body), std::move(extraHeaders));
	}
	static Response json(int status, const nlohmann::json & body, HeaderList extraHeaders = {});
	/// Any body with the given Content-Type ("" means no Content-Type header at all).
	static Response text(int status, std::string body, std::string contentType, HeaderList extraHeaders = {});
	/// A status with an empty body (Content-Length: 0) and the given Content-Type.
	static Response empty(int status = 200, std::string contentType = "application/json");
	/// 200, Content-Type: text/event-stream; charset=utf-8, Cache-Control: no-cache, chunked.
	static Response sse(std::vector<SseEvent> events, int delayBetweenEventsMs = 0, int firstByteDelayMs = 0);
	/// `bytes` written as they are (status line, headers, body: all up to the test), then `after`.
	static Response raw(std::string bytes, After after = After::Close);
	/// Raw bytes in several writes with `delayMs` before each write after the first.
	static Response rawParts(std::vector<std::string> parts, int delayMs, After after = After::Close);
	static Response resetBeforeHeaders();
	static Response closeBeforeHeaders();
	static Response hang();

	/// Sets a header, replacing one of the same name (case-insensitive); "" removes it.
	Response & header(const std::string & name, const std::string & value);
	Response & status(int code, std::string reason = "");
	Response & retryAfter(const std::string & value) { return header("Retry-After", value); }
	Response & slowFirstByte(int ms);
	Response & delayBetweenEvents(int ms);
	/// After `afterSegments` segments have been written, pause `ms` before the rest.
	Response & longPause(size_t afterSegments, int ms);
	/// Write the head and the first `segments` segments (encoded, chunk-framed if chunked, each
	/// chunk complete), then cut. The terminating chunk and the encoder trailer are never sent.
	Response & cutAfter(size_t segments, Cut how);
	/// Content-Encoding applied to the body; each segment is flushed through one compressor so
	/// that every event can be decoded as soon as it arrives.
	Response & encoded(Encoding e);
	Response & framing(Framing f);
	Response & after(After a);

	Kind kind() const { return _kind; }
	int statusCode() const { return _status; }
	const HeaderList & headers() const { return _headers; }
	const std::vector<std::string> & segments() const { return _segments; }

	/// The exact bytes of a complete (not cut) response to a non-HEAD request, as written on the
	/// wire (tests of the fake itself compare against this).
	std::string wireBytes() const;

private:
	friend class FakeUpstream;
	std::string head(const std::vector<std::string> & encodedSegments) const;
	std::vector<std::string> encodedSegments() const;

	Kind _kind = Kind::Normal;
	int _status = 200;
	std::string _reason;
	HeaderList _headers;
	std::vector<std::string> _segments;
	Framing _framing = Framing::ContentLength;
	After _after = After::KeepAlive;
	Encoding _encoding = Encoding::Identity;
	int _firstByteDelayMs = 0;
	int _delayBetweenMs = 0;
	size_t _pauseAfter = 0;
	int _pauseMs = 0;
	bool _cut = false;
	size_t _cutAfter = 0;
	Cut _cutHow = Cut::Close;
};

/// A fake HTTP/1.1 server on 127.0.0.1:<ephemeral>, one thread per connection, keep-alive.
/// Responses come from the handler if one is set, otherwise from the queue (the last entry is
/// repeated), otherwise a 500 JSON saying that nothing was scripted. The handler runs on the
/// connection's thread: with concurrent requests it is called concurrently.
/// Destruction (or stop()) is prompt even with hanging, pausing or blocked-writing connections.
class FakeUpstream
{
public:
	FakeUpstream();
	~FakeUpstream();
	FakeUpstream(const FakeUpstream &) = delete;
	FakeUpstream & operator=(const FakeUpstream &) = delete;

	int port() const { return _port; }
	std::string url() const { return "http://127.0.0.1:" + std::to_string(_port); }

	void setHandler(std::function<Response(const ReceivedRequest &)> handler);
	void enqueue(Response r);
	/// Replaces the script by this one response, repeated.
	void always(Response r);
	/// Forgets the handler and the queue (recorded requests stay).
	void clearScript();

	/// Benchmarks: with false, requests are still counted (requestCount, waitForRequests) but no
	/// longer stored, so millions of 76 KB bodies do not accumulate. Default true.
	void setRecording(bool on);

	std::vector<ReceivedRequest> requests() const;
	/// Requests received so far (stored or not).
	size_t requestCount() const;
	/// Copy of the most recent stored request (throws std::out_of_range when there is none).
	ReceivedRequest lastRequest() const;
	/// Copy of the request at `index` (throws std::out_of_range).
	ReceivedRequest request(size_t index) const;
	/// Waits until at least n requests have arrived; false on timeout.
	bool waitForRequests(size_t n, int timeoutMs = 10000) const;
	/// Waits until `pred(requests())` holds (re-checked whenever a request arrives or changes).
	bool waitFor(const std::function<bool(const std::vector<ReceivedRequest> &)> & pred, int timeoutMs = 10000) const;
	/// Waits until the peer gave up on the response to request `index` (see clientClosedEarly).
	bool waitForClientClose(size_t index, int timeoutMs = 10000) const;

	/// TCP connections accepted so far / still open.
	int connectionCount() const { return _accepted.load(); }
	int openConnectionCount() const { return _open.load(); }

	/// Stops listening (new connections are refused) and ends every connection. Idempotent.
	void stop();

	/// A port on 127.0.0.1 where connections are refused: a socket is bound there but never
	/// listens, for the whole process, so no other test can take the port.
	static int refusedPort();

	/// The value the next request of any fake would get as sequence (for "before/after" checks).
	static uint64_t nextSequence();

private:
	void acceptLoop();
	void serve(int fd, int connectionNumber);
	Response nextResponse(const ReceivedRequest & req);
	/// Sleeps up to ms; returns false early if the fake stops or the peer closes `fd` (then the
	/// request at `index` is marked clientClosedEarly).
	bool pause(int fd, int ms, size_t index);
	bool sendAll(int fd, std::string_view bytes);
	void markClientClosed(size_t index);
	void markCompleted(size_t index);

	int _listenFd = -1;
	int _port = 0;
	int _wakePipe[2] = {-1, -1};
	std::atomic<bool> _stopping{false};
	std::atomic<int> _accepted{0};
	std::atomic<int> _open{0};
	std::thread _acceptThread;

	mutable std::mutex _mutex;
	mutable std::condition_variable _changed;
	std::vector<ReceivedRequest> _requests;
	size_t _requestCount = 0;
	bool _recording = true;
	std::function<Response(const ReceivedRequest &)> _handler;
	std::deque<Response> _queue;
	std::set<int> _connectionFds;
	int _liveThreads = 0; ///< connection threads (detached) still running; stop() waits for 0
};

} // namespace ccc::test
