#include "FakeUpstream.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <stdexcept>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <brotli/decode.h>
#include <brotli/encode.h>
#include <zlib.h>
#include <zstd.h>

namespace ccc::test
{

namespace
{

std::atomic<uint64_t> gSequence{1};

std::string lower(std::string s)
{
	std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
	return s;
}

std::string trim(const std::string & s)
{
	size_t b = s.find_first_not_of(" \t");
	if (b == std::string::npos)
		return "";
	size_t e = s.find_last_not_of(" \t");
	return s.substr(b, e - b + 1);
}

const char * reasonFor(int status)
{
	switch (status)
	{
		case 100: return "Continue";
		case 200: return "OK";
		case 201: return "Created";
		case 204: return "No Content";
		case 301: return "Moved Permanently";
		case 302: return "Found";
		case 400: return "Bad Request";
		case 401: return "Unauthorized";
		case 403: return "Forbidden";
		case 404: return "Not Found";
		case 405: return "Method Not Allowed";
		case 408: return "Request Timeout";
		case 413: return "Payload Too Large";
		case 422: return "Unprocessable Entity";
		case 429: return "Too Many Requests";
		case 500: return "Internal Server Error";
		case 502: return "Bad Gateway";
		case 503: return "Service Unavailable";
		case 504: return "Gateway Timeout";
		case 529: return "Site Overloaded";
		default: return "Status";
	}
}

bool hasHeaderIn(const HeaderList & h, const std::string & name)
{
	std::string n = lower(name);
	for (const auto & kv : h)
		if (lower(kv.first) == n)
			return true;
	return false;
}

std::string chunk(std::string_view data)
{
	char size[32];
	std::snprintf(size, sizeof size, "%zx\r\n", data.size());
	std::string out(size);
	out.append(data.data(), data.size());
	out += "\r\n";
	return out;
}

/// One streaming compressor: every call flushes, so each piece decodes on its own arrival.
class Compressor
{
public:
	explicit Compressor(Encoding e) : _enc(e)
	{
		switch (_enc)
		{
			case Encoding::Gzip:
			case Encoding::Deflate:
				std::memset(&_z, 0, sizeof _z);
				deflateInit2(&_z, 6, Z_DEFLATED, _enc == Encoding::Gzip ? 15 + 16 : 15, 8, Z_DEFAULT_STRATEGY);
				break;
			case Encoding::Brotli:
				_br = BrotliEncoderCreateInstance(nullptr, nullptr, nullptr);
				BrotliEncoderSetParameter(_br, BROTLI_PARAM_QUALITY, 5);
				break;
			case Encoding::Zstd:
				_zs = ZSTD_createCCtx();
				break;
			case Encoding::Identity:
				break;
		}
	}
	~Compressor()
	{
		if (_enc == Encoding::Gzip || _enc == Encoding::Deflate)
			deflateEnd(&_z);
		if (_br != nullptr)
			BrotliEncoderDestroyInstance(_br);
		if (_zs != nullptr)
			ZSTD_freeCCtx(_zs);
	}
	Compressor(const Compressor &) = delete;
	Compressor & operator=(const Compressor &) = delete;

	std::string feed(std::string_view in, bool finish)
	{
		std::string out;
		switch (_enc)
		{
			case Encoding::Identity:
				out.assign(in.data(), in.size());
				break;
			case Encoding::Gzip:
			case Encoding::Deflate:
			{
				_z.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(in.data()));
				_z.avail_in = static_cast<uInt>(in.size());
				int flush = finish ? Z_FINISH : Z_SYNC_FLUSH;
				for (;;)
				{
					unsigned char buf[16384];
					_z.next_out = buf;
					_z.avail_out = sizeof buf;
					int rc = deflate(&_z, flush);
					out.append(reinterpret_cast<char *>(buf), sizeof buf - _z.avail_out);
					if (finish ? rc == Z_STREAM_END : (_z.avail_out != 0 && _z.avail_in == 0))
						break;
					if (rc != Z_OK && rc != Z_BUF_ERROR)
						break;
				}
				break;
			}
			case Encoding::Brotli:
			{
				size_t availIn = in.size();
				const uint8_t * nextIn = reinterpret_cast<const uint8_t *>(in.data());
				BrotliEncoderOperation op = finish ? BROTLI_OPERATION_FINISH : BROTLI_OPERATION_FLUSH;
				for (;;)
				{
					uint8_t buf[16384];
					size_t availOut = sizeof buf;
					uint8_t * nextOut = buf;
					if (!BrotliEncoderCompressStream(_br, op, &availIn, &nextIn, &availOut, &nextOut, nullptr))
						break;
					out.append(reinterpret_cast<char *>(buf), sizeof buf - availOut);
					bool done = finish ? BrotliEncoderIsFinished(_br) != 0
					                   : (availIn == 0 && BrotliEncoderHasMoreOutput(_br) == 0);
					if (done)
						break;
				}
				break;
			}
			case Encoding::Zstd:
			{
				ZSTD_inBuffer input{in.data(), in.size(), 0};
				ZSTD_EndDirective mode = finish ? ZSTD_e_end : ZSTD_e_flush;
				for (;;)
				{
					char buf[16384];
					ZSTD_outBuffer output{buf, sizeof buf, 0};
					size_t remaining = ZSTD_compressStream2(_zs, &output, &input, mode);
					out.append(buf, output.pos);
					if (ZSTD_isError(remaining) || remaining == 0)
						break;
				}
				break;
			}
		}
		return out;
	}

private:
	Encoding _enc;
	z_stream _z{};
	BrotliEncoderState * _br = nullptr;
	ZSTD_CCtx * _zs = nullptr;
};

void setLinger0(int fd)
{
	linger l{};
	l.l_onoff = 1;
	l.l_linger = 0;
	::setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
}

} // namespace

std::string ReceivedRequest::header(const std::string & name) const
{
	auto it = headers.find(lower(name));
	return it == headers.end() ? std::string() : it->second;
}

bool ReceivedRequest::hasHeader(const std::string & name) const
{
	return headers.count(lower(name)) != 0;
}

nlohmann::json ReceivedRequest::json() const
{
	return nlohmann::json::parse(body, nullptr, false);
}

std::string SseEvent::serialize() const
{
	if (!raw.empty())
		return raw;
	std::string out;
	if (!event.empty())
		out += "event: " + event + "\n";
	size_t start = 0;
	for (;;)
	{
		size_t nl = data.find('\n', start);
		out += "data: " + data.substr(start, nl == std::string::npos ? std::string::npos : nl - start) + "\n";
		if (nl == std::string::npos)
			break;
		start = nl + 1;
	}
	out += "\n";
	return out;
}

std::string encodingName(Encoding e)
{
	switch (e)
	{
		case Encoding::Gzip: return "gzip";
		case Encoding::Deflate: return "deflate";
		case Encoding::Brotli: return "br";
		case Encoding::Zstd: return "zstd";
		case Encoding::Identity: break;
	}
	return "";
}

std::string compress(Encoding e, std::string_view data)
{
	Compressor c(e);
	return c.feed(data, true);
}

std::string decompress(Encoding e, std::string_view data, bool * ok)
{
	bool good = false;
	std::string out;
	switch (e)
	{
		case Encoding::Identity:
			out.assign(data.data(), data.size());
			good = true;
			break;
		case Encoding::Gzip:
		case Encoding::Deflate:
		{
			z_stream z{};
			inflateInit2(&z, e == Encoding::Gzip ? 15 + 16 : 15);
			z.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(data.data()));
			z.avail_in = static_cast<uInt>(data.size());
			for (;;)
			{
				unsigned char buf[16384];
				z.next_out = buf;
				z.avail_out = sizeof buf;
				int rc = inflate(&z, Z_NO_FLUSH);
				out.append(reinterpret_cast<char *>(buf), sizeof buf - z.avail_out);
				if (rc == Z_STREAM_END)
				{
					good = true;
					break;
				}
				if (rc != Z_OK)
					break;
			}
			inflateEnd(&z);
			break;
		}
		case Encoding::Brotli:
		{
			BrotliDecoderState * s = BrotliDecoderCreateInstance(nullptr, nullptr, nullptr);
			size_t availIn = data.size();
			const uint8_t * nextIn = reinterpret_cast<const uint8_t *>(data.data());
			for (;;)
			{
				uint8_t buf[16384];
				size_t availOut = sizeof buf;
				uint8_t * nextOut = buf;
				BrotliDecoderResult r = BrotliDecoderDecompressStream(s, &availIn, &nextIn, &availOut, &nextOut, nullptr);
				out.append(reinterpret_cast<char *>(buf), sizeof buf - availOut);
				if (r == BROTLI_DECODER_RESULT_SUCCESS)
				{
					good = true;
					break;
				}
				if (r != BROTLI_DECODER_RESULT_NEEDS_MORE_OUTPUT)
					break;
			}
			BrotliDecoderDestroyInstance(s);
			break;
		}
		case Encoding::Zstd:
		{
			ZSTD_DCtx * d = ZSTD_createDCtx();
			ZSTD_inBuffer input{data.data(), data.size(), 0};
			size_t last = 1;
			while (input.pos < input.size)
			{
				char buf[16384];
				ZSTD_outBuffer output{buf, sizeof buf, 0};
				last = ZSTD_decompressStream(d, &output, &input);
				if (ZSTD_isError(last))
					break;
				out.append(buf, output.pos);
			}
			// Drain output still buffered inside the decoder.
			while (!ZSTD_isError(last) && last != 0)
			{
				char buf[16384];
				ZSTD_outBuffer output{buf, sizeof buf, 0};
				last = ZSTD_decompressStream(d, &output, &input);
				if (ZSTD_isError(last) || output.pos == 0)
					break;
				out.append(buf, output.pos);
			}
			good = !ZSTD_isError(last) && last == 0;
			ZSTD_freeDCtx(d);
			break;
		}
	}
	if (ok != nullptr)
		*ok = good;
	if (!good)
		out.clear();
	return out;
}

Response Response::json(int status, std::string body, HeaderList extraHeaders)
{
	return text(status, std::move(body), "application/json", std::move(extraHeaders));
}

Response Response::json(int status, const nlohmann::json & body, HeaderList extraHeaders)
{
	return json(status, body.dump(), std::move(extraHeaders));
}

Response Response::text(int status, std::string body, std::string contentType, HeaderList extraHeaders)
{
	Response r;
	r._status = status;
	if (!contentType.empty())
		r._headers.emplace_back("Content-Type", std::move(contentType));
	for (auto & h : extraHeaders)
		r._headers.push_back(std::move(h));
	if (!body.empty())
		r._segments.push_back(std::move(body));
	return r;
}

Response Response::empty(int status, std::string contentType)
{
	return text(status, "", std::move(contentType));
}

Response Response::sse(std::vector<SseEvent> events, int delayBetweenEventsMs, int firstByteDelayMs)
{
	Response r;
	r._headers.emplace_back("Content-Type", "text/event-stream; charset=utf-8");
	r._headers.emplace_back("Cache-Control", "no-cache");
	for (const auto & e : events)
		r._segments.push_back(e.serialize());
	r._framing = Framing::Chunked;
	r._delayBetweenMs = delayBetweenEventsMs;
	r._firstByteDelayMs = firstByteDelayMs;
	return r;
}

Response Response::raw(std::string bytes, After after)
{
	return rawParts({std::move(bytes)}, 0, after);
}

Response Response::rawParts(std::vector<std::string> parts, int delayMs, After after)
{
	Response r;
	r._kind = Kind::Raw;
	r._segments = std::move(parts);
	r._delayBetweenMs = delayMs;
	r._after = after;
	return r;
}

Response Response::resetBeforeHeaders()
{
	Response r;
	r._kind = Kind::ResetBeforeHeaders;
	return r;
}

Response Response::closeBeforeHeaders()
{
	Response r;
	r._kind = Kind::CloseBeforeHeaders;
	return r;
}

Response Response::hang()
{
	Response r;
	r._kind = Kind::Hang;
	return r;
}

Response & Response::header(const std::string & name, const std::string & value)
{
	std::string n = lower(name);
	auto it = std::find_if(_headers.begin(), _headers.end(), [&](const auto & kv) { return lower(kv.first) == n; });
	if (value.empty())
	{
		if (it != _headers.end())
			_headers.erase(it);
	}
	else if (it != _headers.end())
		it->second = value;
	else
		_headers.emplace_back(name, value);
	return *this;
}

Response & Response::status(int code, std::string reason)
{
	_status = code;
	_reason = std::move(reason);
	return *this;
}

Response & Response::slowFirstByte(int ms)
{
	_firstByteDelayMs = ms;
	return *this;
}

Response & Response::delayBetweenEvents(int ms)
{
	_delayBetweenMs = ms;
	return *this;
}

Response & Response::longPause(size_t afterSegments, int ms)
{
	_pauseAfter = afterSegments;
	_pauseMs = ms;
	return *this;
}

Response & Response::cutAfter(size_t segments, Cut how)
{
	_cut = true;
	_cutAfter = segments;
	_cutHow = how;
	return *this;
}

Response & Response::encoded(Encoding e)
{
	_encoding = e;
	return *this;
}

Response & Response::framing(Framing f)
{
	_framing = f;
	return *this;
}

Response & Response::after(After a)
{
	_after = a;
	return *this;
}

std::vector<std::string> Response::encodedSegments() const
{
	if (_kind == Kind::Raw || _encoding == Encoding::Identity)
		return _segments;
	Compressor c(_encoding);
	std::vector<std::string> out;
	if (_segments.empty())
		out.push_back(c.feed("", true));
	for (size_t i = 0; i < _segments.size(); ++i)
		out.push_back(c.feed(_segments[i], i + 1 == _segments.size()));
	return out;
}

std::string Response::head(const std::vector<std::string> & segs) const
{
	std::string h = "HTTP/1.1 " + std::to_string(_status) + " " + (_reason.empty() ? reasonFor(_status) : _reason) + "\r\n";
	for (const auto & kv : _headers)
		h += kv.first + ": " + kv.second + "\r\n";
	if (_encoding != Encoding::Identity && !hasHeaderIn(_headers, "Content-Encoding"))
		h += "Content-Encoding: " + encodingName(_encoding) + "\r\n";
	if (_framing == Framing::ContentLength && !hasHeaderIn(_headers, "Content-Length"))
	{
		size_t total = 0;
		for (const auto & s : segs)
			total += s.size();
		h += "Content-Length: " + std::to_string(total) + "\r\n";
	}
	else if (_framing == Framing::Chunked && !hasHeaderIn(_headers, "Transfer-Encoding"))
		h += "Transfer-Encoding: chunked\r\n";
	if ((_after != After::KeepAlive || _framing == Framing::CloseDelimited) && !hasHeaderIn(_headers, "Connection"))
		h += "Connection: close\r\n";
	h += "\r\n";
	return h;
}

std::string Response::wireBytes() const
{
	std::string out;
	if (_kind == Kind::Raw)
	{
		for (const auto & s : _segments)
			out += s;
		return out;
	}
	if (_kind != Kind::Normal)
		return out;
	auto segs = encodedSegments();
	out = head(segs);
	for (const auto & s : segs)
	{
		if (_framing == Framing::Chunked)
		{
			if (!s.empty())
				out += chunk(s);
		}
		else
			out += s;
	}
	if (_framing == Framing::Chunked)
		out += "0\r\n\r\n";
	return out;
}

FakeUpstream::FakeUpstream()
{
	if (::pipe2(_wakePipe, O_CLOEXEC) != 0)
		throw std::runtime_error("FakeUpstream: pipe failed");
	_listenFd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	int one = 1;
	::setsockopt(_listenFd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	sockaddr_in addr{};
	addr.sin_family = AF_INET;
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	addr.sin_port = 0;
	if (::bind(_listenFd, reinterpret_cast<sockaddr *>(&addr), sizeof addr) != 0 || ::listen(_listenFd, 1024) != 0)
		throw std::runtime_error(std::string("FakeUpstream: bind/listen failed: ") + std::strerror(errno));
	socklen_t len = sizeof addr;
	::getsockname(_listenFd, reinterpret_cast<sockaddr *>(&addr), &len);
	_port = ntohs(addr.sin_port);
	_acceptThread = std::thread([this] { acceptLoop(); });
}

FakeUpstream::~FakeUpstream()
{
	stop();
	::close(_wakePipe[0]);
	::close(_wakePipe[1]);
}

void FakeUpstream::stop()
{
	if (_stopping.exchange(true))
		return;
	// The pipe is never drained: every poll() that includes its read end wakes from now on.
	char c = 'x';
	[[maybe_unused]] ssize_t n = ::write(_wakePipe[1], &c, 1);
	if (_acceptThread.joinable())
		_acceptThread.join();
	::close(_listenFd);
	std::unique_lock<std::mutex> lock(_mutex);
	// Unblocks connection threads stuck in send() towards a peer that stopped reading.
	for (int fd : _connectionFds)
		::shutdown(fd, SHUT_RDWR);
	_changed.wait(lock, [this] { return _liveThreads == 0; });
}

void FakeUpstream::acceptLoop()
{
	while (!_stopping)
	{
		pollfd fds[2] = {{_listenFd, POLLIN, 0}, {_wakePipe[0], POLLIN, 0}};
		int rc = ::poll(fds, 2, -1);
		if (rc < 0)
		{
			if (errno == EINTR)
				continue;
			return;
		}
		if ((fds[1].revents & POLLIN) != 0)
			return;
		if ((fds[0].revents & POLLIN) == 0)
			continue;
		int fd = ::accept4(_listenFd, nullptr, nullptr, SOCK_CLOEXEC);
		if (fd < 0)
			continue;
		int one = 1;
		::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
		int number = ++_accepted;
		++_open;
		{
			std::lock_guard<std::mutex> lock(_mutex);
			_connectionFds.insert(fd);
			++_liveThreads;
		}
		std::thread([this, fd, number] {
			try
			{
				serve(fd, number);
			}
			catch (const std::exception &) // NOLINT: a broken test connection ends that connection only
			{
			}
			std::lock_guard<std::mutex> lock(_mutex);
			_connectionFds.erase(fd);
			::close(fd);
			--_open;
			--_liveThreads;
			_changed.notify_all();
		}).detach();
	}
}

void FakeUpstream::setHandler(std::function<Response(const ReceivedRequest &)> handler)
{
	std::lock_guard<std::mutex> lock(_mutex);
	_handler = std::move(handler);
}

void FakeUpstream::enqueue(Response r)
{
	std::lock_guard<std::mutex> lock(_mutex);
	_queue.push_back(std::move(r));
}

void FakeUpstream::always(Response r)
{
	std::lock_guard<std::mutex> lock(_mutex);
	_handler = nullptr;
	_queue.clear();
	_queue.push_back(std::move(r));
}

void FakeUpstream::clearScript()
{
	std::lock_guard<std::mutex> lock(_mutex);
	_handler = nullptr;
	_queue.clear();
}

std::vector<ReceivedRequest> FakeUpstream::requests() const
{
	std::lock_guard<std::mutex> lock(_mutex);
	return _requests;
}

size_t FakeUpstream::requestCount() const
{
	std::lock_guard<std::mutex> lock(_mutex);
	return _requestCount;
}

void FakeUpstream::setRecording(bool on)
{
	std::lock_guard<std::mutex> lock(_mutex);
	_recording = on;
}

ReceivedRequest FakeUpstream::lastRequest() const
{
	std::lock_guard<std::mutex> lock(_mutex);
	if (_requests.empty())
		throw std::out_of_range("FakeUpstream: no request recorded");
	return _requests.back();
}

ReceivedRequest FakeUpstream::request(size_t index) const
{
	std::lock_guard<std::mutex> lock(_mutex);
	return _requests.at(index);
}

bool FakeUpstream::waitForRequests(size_t n, int timeoutMs) const
{
	std::unique_lock<std::mutex> lock(_mutex);
	return _changed.wait_for(lock, std::chrono::milliseconds(timeoutMs), [&] { return _requestCount >= n; });
}

bool FakeUpstream::waitFor(const std::function<bool(const std::vector<ReceivedRequest> &)> & pred, int timeoutMs) const
{
	std::unique_lock<std::mutex> lock(_mutex);
	return _changed.wait_for(lock, std::chrono::milliseconds(timeoutMs), [&] { return pred(_requests); });
}

bool FakeUpstream::waitForClientClose(size_t index, int timeoutMs) const
{
	std::unique_lock<std::mutex> lock(_mutex);
	return _changed.wait_for(lock, std::chrono::milliseconds(timeoutMs),
		[&] { return index < _requests.size() && _requests[index].clientClosedEarly; });
}

int FakeUpstream::refusedPort()
{
	// A bound socket that never listens answers every SYN with RST (ECONNREFUSED), and holding it
	// for the life of the process keeps the port from being handed to anyone else.
	static const int port = [] {
		int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
		sockaddr_in addr{};
		addr.sin_family = AF_INET;
		addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		if (::bind(fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr) != 0)
			return 0;
		socklen_t len = sizeof addr;
		::getsockname(fd, reinterpret_cast<sockaddr *>(&addr), &len);
		return static_cast<int>(ntohs(addr.sin_port));
	}();
	return port;
}

uint64_t FakeUpstream::nextSequence()
{
	return gSequence.load();
}

Response FakeUpstream::nextResponse(const ReceivedRequest & req)
{
	std::function<Response(const ReceivedRequest &)> handler;
	{
		std::lock_guard<std::mutex> lock(_mutex);
		if (!_handler && !_queue.empty())
		{
			Response r = _queue.front();
			if (_queue.size() > 1)
				_queue.pop_front();
			return r;
		}
		handler = _handler;
	}
	if (handler)
	{
		try
		{
			return handler(req);
		}
		catch (const std::exception & e)
		{
			return Response::json(500, nlohmann::json{{"type", "error"}, {"error", {{"type", "api_error"}, {"message", std::string("fake upstream handler threw: ") + e.what()}}}});
		}
	}
	return Response::json(500, R"({"type":"error","error":{"type":"api_error","message":"fake upstream: nothing scripted"}})");
}

bool FakeUpstream::pause(int fd, int ms, size_t index)
{
	auto deadline = Clock::now() + std::chrono::milliseconds(ms);
	for (;;)
	{
		auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
		if (left <= 0)
			return true;
		pollfd fds[2] = {{fd, POLLRDHUP, 0}, {_wakePipe[0], POLLIN, 0}};
		int rc = ::poll(fds, 2, static_cast<int>(std::min<long long>(left, 1000 * 1000)));
		if (rc < 0 && errno == EINTR)
			continue;
		if (rc < 0 || (fds[1].revents & POLLIN) != 0)
			return false;
		if ((fds[0].revents & (POLLRDHUP | POLLHUP | POLLERR)) != 0)
		{
			markClientClosed(index);
			return false;
		}
	}
}

bool FakeUpstream::sendAll(int fd, std::string_view bytes)
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

void FakeUpstream::markClientClosed(size_t index)
{
	std::lock_guard<std::mutex> lock(_mutex);
	if (index < _requests.size() && !_requests[index].clientClosedEarly && !_stopping)
	{
		_requests[index].clientClosedEarly = true;
		_requests[index].clientClosedAt = Clock::now();
	}
	_changed.notify_all();
}

void FakeUpstream::markCompleted(size_t index)
{
	std::lock_guard<std::mutex> lock(_mutex);
	if (index < _requests.size())
		_requests[index].responseCompleted = true;
	_changed.notify_all();
}

void FakeUpstream::serve(int fd, int connectionNumber)
{
	std::string buf;
	// Reads more bytes into buf; false on EOF, error or stop.
	auto readMore = [&]() -> bool {
		for (;;)
		{
			pollfd fds[2] = {{fd, POLLIN, 0}, {_wakePipe[0], POLLIN, 0}};
			int rc = ::poll(fds, 2, -1);
			if (rc < 0 && errno == EINTR)
				continue;
			if (rc < 0 || (fds[1].revents & POLLIN) != 0)
				return false;
			char tmp[65536];
			ssize_t n = ::recv(fd, tmp, sizeof tmp, 0);
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0)
				return false;
			buf.append(tmp, static_cast<size_t>(n));
			return true;
		}
	};
	auto readLine = [&](std::string & line) -> bool {
		size_t eol;
		while ((eol = buf.find("\r\n")) == std::string::npos)
			if (!readMore())
				return false;
		line = buf.substr(0, eol);
		buf.erase(0, eol + 2);
		return true;
	};
	auto cleanClose = [&] {
		// FIN first, then let the peer's remaining bytes arrive (closing with unread data would
		// turn the FIN into a RST).
		::shutdown(fd, SHUT_WR);
		auto until = Clock::now() + std::chrono::milliseconds(200);
		while (Clock::now() < until)
		{
			pollfd fds[2] = {{fd, POLLIN, 0}, {_wakePipe[0], POLLIN, 0}};
			if (::poll(fds, 2, 50) <= 0)
				continue;
			if ((fds[1].revents & POLLIN) != 0)
				break;
			char tmp[4096];
			if (::recv(fd, tmp, sizeof tmp, 0) <= 0)
				break;
		}
	};

	while (!_stopping)
	{
		size_t headEnd;
		while ((headEnd = buf.find("\r\n\r\n")) == std::string::npos)
			if (!readMore())
				return;
		ReceivedRequest req;
		req.connection = connectionNumber;
		req.rawHead = buf.substr(0, headEnd + 4);
		buf.erase(0, headEnd + 4);
		size_t lineEnd = req.rawHead.find("\r\n");
		std::string requestLine = req.rawHead.substr(0, lineEnd);
		size_t sp1 = requestLine.find(' ');
		size_t sp2 = requestLine.rfind(' ');
		if (sp1 == std::string::npos || sp2 == sp1)
			return;
		req.method = requestLine.substr(0, sp1);
		req.target = requestLine.substr(sp1 + 1, sp2 - sp1 - 1);
		req.version = requestLine.substr(sp2 + 1);
		size_t q = req.target.find('?');
		req.path = req.target.substr(0, q);
		if (q != std::string::npos)
			req.query = req.target.substr(q + 1);
		size_t pos = lineEnd + 2;
		while (pos < req.rawHead.size() - 2)
		{
			size_t e = req.rawHead.find("\r\n", pos);
			std::string line = req.rawHead.substr(pos, e - pos);
			pos = e + 2;
			size_t colon = line.find(':');
			if (colon == std::string::npos)
				continue;
			std::string name = lower(trim(line.substr(0, colon)));
			std::string value = trim(line.substr(colon + 1));
			req.headerList.emplace_back(name, value);
			auto it = req.headers.find(name);
			if (it == req.headers.end())
				req.headers.emplace(name, value);
			else
				it->second += ", " + value;
		}
		if (lower(req.header("expect")) == "100-continue")
			if (!sendAll(fd, "HTTP/1.1 100 Continue\r\n\r\n"))
				return;
		if (lower(req.header("transfer-encoding")).find("chunked") != std::string::npos)
		{
			req.chunked = true;
			for (;;)
			{
				std::string sizeLine;
				if (!readLine(sizeLine))
					return;
				size_t size = std::strtoul(sizeLine.c_str(), nullptr, 16);
				if (size == 0)
				{
					std::string trailer;
					do
					{
						if (!readLine(trailer))
							return;
					} while (!trailer.empty());
					break;
				}
				while (buf.size() < size + 2)
					if (!readMore())
						return;
				req.body.append(buf, 0, size);
				buf.erase(0, size + 2);
			}
		}
		else if (req.hasHeader("content-length"))
		{
			size_t size = std::strtoul(req.header("content-length").c_str(), nullptr, 10);
			while (buf.size() < size)
				if (!readMore())
					return;
			req.body = buf.substr(0, size);
			buf.erase(0, size);
		}
		req.arrival = Clock::now();
		size_t index;
		{
			std::lock_guard<std::mutex> lock(_mutex);
			req.sequence = gSequence.fetch_add(1);
			// Unrecorded requests get an index past the stored ones: marking them is a no-op.
			index = _recording ? _requests.size() : static_cast<size_t>(-1);
			req.index = index;
			++_requestCount;
			if (_recording)
				_requests.push_back(req);
			_changed.notify_all();
		}

		std::string connectionHeader = lower(req.header("connection"));
		bool clientWantsClose = connectionHeader.find("close") != std::string::npos
			|| (req.version == "HTTP/1.0" && connectionHeader.find("keep-alive") == std::string::npos);

		Response r = nextResponse(req);
		switch (r._kind)
		{
			case Response::Kind::ResetBeforeHeaders:
				setLinger0(fd);
				return;
			case Response::Kind::CloseBeforeHeaders:
				cleanClose();
				return;
			case Response::Kind::Hang:
				while (pause(fd, 60 * 60 * 1000, index))
				{
				}
				return;
			case Response::Kind::Raw:
			{
				if (r._firstByteDelayMs > 0 && !pause(fd, r._firstByteDelayMs, index))
					return;
				for (size_t i = 0; i < r._segments.size(); ++i)
				{
					if (i > 0 && r._delayBetweenMs > 0 && !pause(fd, r._delayBetweenMs, index))
						return;
					if (!sendAll(fd, r._segments[i]))
					{
						markClientClosed(index);
						return;
					}
				}
				markCompleted(index);
				break;
			}
			case Response::Kind::Normal:
			{
				std::vector<std::string> segs = r.encodedSegments();
				if (r._firstByteDelayMs > 0 && !pause(fd, r._firstByteDelayMs, index))
					return;
				if (!sendAll(fd, r.head(segs)))
				{
					markClientClosed(index);
					return;
				}
				if (req.method != "HEAD")
				{
					bool chunked = r._framing == Response::Framing::Chunked;
					for (size_t i = 0; i <= segs.size(); ++i)
					{
						if (r._cut && i == r._cutAfter)
						{
							if (r._cutHow == Cut::Reset)
								setLinger0(fd);
							else
								cleanClose();
							return;
						}
						if (i == segs.size())
							break;
						if (i > 0 && r._delayBetweenMs > 0 && !pause(fd, r._delayBetweenMs, index))
							return;
						if (r._pauseMs > 0 && i == r._pauseAfter && !pause(fd, r._pauseMs, index))
							return;
						if (chunked && segs[i].empty())
							continue;
						if (!sendAll(fd, chunked ? chunk(segs[i]) : segs[i]))
						{
							markClientClosed(index);
							return;
						}
					}
					if (chunked && !sendAll(fd, "0\r\n\r\n"))
					{
						markClientClosed(index);
						return;
					}
				}
				markCompleted(index);
				break;
			}
		}
		if (r._after == Response::After::Reset)
		{
			setLinger0(fd);
			return;
		}
		if (r._after == Response::After::Close || clientWantsClose || r._framing == Response::Framing::CloseDelimited)
		{
			cleanClose();
			return;
		}
	}
}

} // namespace ccc::test
