#include "http/HttpServer.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <cstring>
#include <ctime>
#include <optional>
#include <streambuf>

#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/FileStream.h>
#include <Poco/Logger.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/TCPServer.h>
#include <Poco/Net/TCPServerConnection.h>
#include <Poco/Net/TCPServerConnectionFactory.h>
#include <Poco/Net/TCPServerParams.h>
#include <Poco/StreamCopier.h>
#include <Poco/String.h>
#include <Poco/ThreadPool.h>
#include <Poco/Timestamp.h>

namespace ccc::http
{

namespace
{

using Clock = std::chrono::steady_clock;

constexpr size_t kInitialInput = 16 * 1024;
constexpr size_t kOutputBuffer = 16 * 1024;
constexpr size_t kMaxChunkLine = 4096;
constexpr size_t kMaxTrailerBytes = 16 * 1024;
constexpr uint64_t kMaxDrainBytes = 4 * 1024 * 1024; ///< unread body skipped to keep a connection

enum class Io
{
	Ok,
	Eof,
	Timeout,
	Error,
	Full ///< the input buffer reached its limit
};

int msLeft(Clock::time_point deadline)
{
	const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
	return left <= 0 ? 0 : static_cast<int>(std::min<int64_t>(left, 1 << 30));
}

/// Cached per thread and second: formatting a date per response is measurable at high rates.
const std::string & httpDate()
{
	thread_local std::time_t second = 0;
	thread_local std::string value;
	const std::time_t now = std::time(nullptr);
	if (now != second)
	{
		second = now;
		value = Poco::DateTimeFormatter::format(Poco::Timestamp(), Poco::DateTimeFormat::HTTP_FORMAT);
	}
	return value;
}

bool ieq(std::string_view a, std::string_view b)
{
	if (a.size() != b.size())
		return false;
	for (size_t i = 0; i < a.size(); ++i)
		if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i])))
			return false;
	return true;
}

bool isTokenChar(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return true;
	if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z')
		return true;
	return std::strchr("!#$%&'*+-.^_`|~", c) != nullptr && c != 0;
}

/// Socket I/O of one connection: a growable input buffer and a small output buffer. Every call
/// waits at most until its deadline; failures are sticky.
class Wire
{
public:
	Wire(int fd, size_t maxInput) : _fd(fd), _maxInput(std::max(maxInput, kInitialInput)) { }

	size_t avail() const { return _end - _begin; }
	const char * data() const { return _in.data() + _begin; }
	char * mutableData() { return _in.data() + _begin; }
	void consume(size_t n)
	{
		_begin += n;
		if (_begin == _end)
			_begin = _end = 0;
	}
	bool failed() const { return _failed; }
	int fd() const { return _fd; }

	/// Reads more into the input buffer. `pollFirst`: wait with poll() before reading (the next
	/// keep-alive request usually has not arrived yet, so reading first would just fail).
	Io fill(Clock::time_point deadline, bool pollFirst = false)
	{
		if (_in.empty())
			_in.resize(kInitialInput);
		if (_end == _in.size())
		{
			if (_begin > 0)
			{
				std::memmove(_in.data(), _in.data() + _begin, _end - _begin);
				_end -= _begin;
				_begin = 0;
			}
			else if (_in.size() < _maxInput)
				_in.resize(std::min(_in.size() * 2, _maxInput));
			else
				return Io::Full;
		}
		size_t got = 0;
		Io st = receive(_in.data() + _end, _in.size() - _end, got, deadline, pollFirst);
		_end += got;
		return st;
	}

	/// One read straight into `dst` (no buffering), waiting until the deadline for data.
	Io receive(char * dst, size_t capacity, size_t & got, Clock::time_point deadline, bool pollFirst = false)
	{
		got = 0;
		if (_failed)
			return Io::Error;
		for (bool wait = pollFirst;; wait = true)
		{
			if (wait)
			{
				pollfd p{_fd, POLLIN, 0};
				const int r = ::poll(&p, 1, msLeft(deadline));
				if (r == 0)
					return Io::Timeout;
				if (r < 0 && errno != EINTR)
					return fail();
			}
			const ssize_t n = ::recv(_fd, dst, capacity, MSG_DONTWAIT);
			if (n > 0)
			{
				got = static_cast<size_t>(n);
				return Io::Ok;
			}
			if (n == 0)
				return Io::Eof;
			if (errno == EINTR)
				continue;
			if (errno != EAGAIN && errno != EWOULDBLOCK)
				return fail();
			if (msLeft(deadline) == 0)
				return Io::Timeout;
		}
	}

	/// Buffers `n` bytes for the client; a write that does not fit goes out at once together with
	/// what was buffered (one sendmsg).
	bool write(const char * p, size_t n)
	{
		if (_out.size() + n <= kOutputBuffer)
		{
			_out.insert(_out.end(), p, p + n);
			return !_failed;
		}
		iovec parts[2] = {{_out.data(), _out.size()}, {const_cast<char *>(p), n}};
		const bool ok = sendAll(parts, 2);
		_out.clear();
		return ok;
	}
	bool write(const std::string & s) { return write(s.data(), s.size()); }

	/// Like write() for several pieces (a chunk: size line, data, CRLF).
	bool writeParts(iovec * parts, int count)
	{
		size_t total = 0;
		for (int i = 0; i < count; ++i)
			total += parts[i].iov_len;
		if (_out.size() + total <= kOutputBuffer)
		{
			for (int i = 0; i < count; ++i)
				_out.insert(_out.end(), static_cast<char *>(parts[i].iov_base), static_cast<char *>(parts[i].iov_base) + parts[i].iov_len);
			return !_failed;
		}
		iovec all[5];
		int n = 0;
		all[n++] = {_out.data(), _out.size()};
		for (int i = 0; i < count && n < 5; ++i)
			all[n++] = parts[i];
		const bool ok = sendAll(all, n);
		_out.clear();
		return ok;
	}

	bool flush()
	{
		if (_out.empty())
			return !_failed;
		iovec part{_out.data(), _out.size()};
		const bool ok = sendAll(&part, 1);
		_out.clear();
		return ok;
	}

	void discardOutput() { _out.clear(); }

private:
	Io fail()
	{
		_failed = true;
		return Io::Error;
	}

	/// Blocking send of every piece (the socket's send timeout bounds each call).
	bool sendAll(iovec * parts, int count)
	{
		if (_failed)
			return false;
		while (count > 0)
		{
			if (parts[0].iov_len == 0)
			{
				++parts;
				--count;
				continue;
			}
			msghdr msg{};
			msg.msg_iov = parts;
			msg.msg_iovlen = static_cast<size_t>(count);
			const ssize_t n = ::sendmsg(_fd, &msg, MSG_NOSIGNAL);
			if (n < 0)
			{
				if (errno == EINTR)
					continue;
				_failed = true;
				return false;
			}
			size_t sent = static_cast<size_t>(n);
			while (count > 0 && sent >= parts[0].iov_len)
			{
				sent -= parts[0].iov_len;
				++parts;
				--count;
			}
			if (count > 0)
			{
				parts[0].iov_base = static_cast<char *>(parts[0].iov_base) + sent;
				parts[0].iov_len -= sent;
			}
		}
		return true;
	}

	int _fd;
	size_t _maxInput;
	std::vector<char> _in;
	size_t _begin = 0;
	size_t _end = 0;
	std::vector<char> _out;
	bool _failed = false;
};

/// A request body: Content-Length, chunked, or none. Hands out the connection buffer's bytes in
/// place; large reads of a Content-Length body go straight from the socket into the caller's memory.
class BodyBuf : public std::streambuf
{
public:
	enum class Mode
	{
		None,
		Length,
		Chunked
	};

	BodyBuf(Wire & wire, std::chrono::milliseconds timeout) : _wire(wire), _timeout(timeout) { }

	void reset(Mode mode, uint64_t length)
	{
		_mode = mode;
		_left = length;
		_state = mode == Mode::Chunked ? State::SizeLine : State::Done;
		setg(nullptr, nullptr, nullptr);
	}
	void setBeforeRead(std::function<void()> f) { _beforeRead = std::move(f); }

	bool complete() const
	{
		switch (_mode)
		{
		case Mode::None:
			return true;
		case Mode::Length:
			return _left == 0;
		case Mode::Chunked:
			return _state == State::Done;
		}
		return true;
	}
	/// Reads and drops the rest of the body (bounded); false when the connection cannot be reused.
	bool drain()
	{
		if (complete())
			return true;
		if (_mode == Mode::Length && _left > kMaxDrainBytes)
			return false;
		uint64_t dropped = 0;
		try
		{
			setg(nullptr, nullptr, nullptr);
			while (dropped <= kMaxDrainBytes)
			{
				char * ignored = nullptr;
				const size_t n = nextSpan(ignored);
				if (n == 0)
					break;
				dropped += n;
			}
		}
		catch (const Poco::Exception &)
		{
			return false;
		}
		return complete();
	}

protected:
	int_type underflow() override
	{
		if (gptr() < egptr())
			return traits_type::to_int_type(*gptr());
		char * q = nullptr;
		const size_t n = nextSpan(q);
		if (n == 0)
			return traits_type::eof();
		setg(q, q, q + n);
		return traits_type::to_int_type(*q);
	}

	std::streamsize xsgetn(char * s, std::streamsize count) override
	{
		std::streamsize done = 0;
		while (done < count)
		{
			if (gptr() < egptr())
			{
				const std::streamsize n = std::min<std::streamsize>(egptr() - gptr(), count - done);
				std::memcpy(s + done, gptr(), static_cast<size_t>(n));
				gbump(static_cast<int>(n));
				done += n;
				continue;
			}
			// Nothing buffered: a large Content-Length read goes straight into the caller's memory.
			if (_mode == Mode::Length && _left > 0 && _wire.avail() == 0 && count - done >= 4096)
			{
				before();
				size_t got = 0;
				const size_t want = static_cast<size_t>(std::min<uint64_t>(static_cast<uint64_t>(count - done), _left));
				check(_wire.receive(s + done, want, got, Clock::now() + _timeout));
				_left -= got;
				done += static_cast<std::streamsize>(got);
				continue;
			}
			if (traits_type::eq_int_type(underflow(), traits_type::eof()))
				break;
		}
		return done;
	}

private:
	enum class State
	{
		SizeLine,
		Data,
		DataEnd,
		Trailers,
		Done
	};

	void before()
	{
		if (_beforeRead)
		{
			auto f = std::move(_beforeRead);
			_beforeRead = nullptr;
			f();
		}
	}

	static void check(Io st)
	{
		if (st == Io::Ok)
			return;
		if (st == Io::Timeout)
			throw Poco::TimeoutException("timed out reading the request body");
		if (st == Io::Eof)
			throw Poco::Net::MessageException("the client closed the connection before the end of the request body");
		throw Poco::Net::NetException("reading the request body failed");
	}

	/// Ensures buffered input and returns the number of body bytes at its start, `start` pointing
	/// at them (taken: valid until the next call). 0 at the end of the body.
	size_t nextSpan(char *& start)
	{
		if (_mode == Mode::None)
			return 0;
		before();
		if (_mode == Mode::Length)
		{
			if (_left == 0)
				return 0;
			if (_wire.avail() == 0)
				check(_wire.fill(Clock::now() + _timeout));
			const size_t n = static_cast<size_t>(std::min<uint64_t>(_wire.avail(), _left));
			start = _wire.mutableData();
			_left -= n;
			_wire.consume(n);
			return n;
		}
		for (;;)
		{
			switch (_state)
			{
			case State::Done:
				return 0;
			case State::SizeLine: {
				std::string line = readLine(kMaxChunkLine);
				const size_t semi = line.find(';');
				std::string digits = Poco::trim(line.substr(0, semi));
				if (digits.empty() || digits.size() > 15)
					throw Poco::Net::MessageException("bad chunk size line");
				uint64_t size = 0;
				for (char c : digits)
				{
					const int v = std::isdigit(static_cast<unsigned char>(c)) ? c - '0'
						: (c | 0x20) >= 'a' && (c | 0x20) <= 'f'          ? (c | 0x20) - 'a' + 10
																		   : -1;
					if (v < 0)
						throw Poco::Net::MessageException("bad chunk size line");
					size = size * 16 + static_cast<uint64_t>(v);
				}
				_left = size;
				_state = size == 0 ? State::Trailers : State::Data;
				break;
			}
			case State::Data: {
				if (_left == 0)
				{
					_state = State::DataEnd;
					break;
				}
				if (_wire.avail() == 0)
					check(_wire.fill(Clock::now() + _timeout));
				const size_t n = static_cast<size_t>(std::min<uint64_t>(_wire.avail(), _left));
				start = _wire.mutableData();
				_left -= n;
				_wire.consume(n);
				return n;
			}
			case State::DataEnd:
				if (!readLine(2).empty())
					throw Poco::Net::MessageException("chunk data not followed by CRLF");
				_state = State::SizeLine;
				break;
			case State::Trailers: {
				size_t total = 0;
				for (;;)
				{
					std::string line = readLine(kMaxChunkLine);
					if (line.empty())
						break;
					total += line.size();
					if (total > kMaxTrailerBytes)
						throw Poco::Net::MessageException("chunked trailer too large");
				}
				_state = State::Done;
				return 0;
			}
			}
		}
	}

	/// One line without its (CR)LF, at most `limit` characters.
	std::string readLine(size_t limit)
	{
		for (;;)
		{
			const char * p = _wire.data();
			const void * nl = std::memchr(p, '\n', _wire.avail());
			if (nl != nullptr)
			{
				size_t len = static_cast<size_t>(static_cast<const char *>(nl) - p);
				std::string line(p, len > 0 && p[len - 1] == '\r' ? len - 1 : len);
				_wire.consume(len + 1);
				if (line.size() > limit)
					throw Poco::Net::MessageException("chunked framing line too long");
				return line;
			}
			if (_wire.avail() > limit + 1)
				throw Poco::Net::MessageException("chunked framing line too long");
			const Io st = _wire.fill(Clock::now() + _timeout);
			if (st == Io::Full)
				throw Poco::Net::MessageException("chunked framing line too long");
			check(st);
		}
	}

	Wire & _wire;
	std::chrono::milliseconds _timeout;
	Mode _mode = Mode::None;
	uint64_t _left = 0;
	State _state = State::Done;
	std::function<void()> _beforeRead;
};

/// A response body: Content-Length (passed through), chunked (each flush is one chunk), until
/// the connection closes, or discarded (HEAD, 1xx/204/304).
class ResponseBuf : public std::streambuf
{
public:
	enum class Mode
	{
		Plain,
		Chunked,
		Discard
	};

	explicit ResponseBuf(Wire & wire) : _wire(wire) { }

	void start(Mode mode) { _mode = mode; }

	/// Ends the body (the chunked terminator) and sends what is buffered.
	bool finish()
	{
		if (_mode == Mode::Chunked)
		{
			emitChunk();
			static const char end[] = "0\r\n\r\n";
			_wire.write(end, sizeof end - 1);
			_mode = Mode::Discard;
		}
		return _wire.flush();
	}

protected:
	std::streamsize xsputn(const char * s, std::streamsize n) override
	{
		if (n <= 0)
			return 0;
		switch (_mode)
		{
		case Mode::Discard:
			return n;
		case Mode::Plain:
			return _wire.write(s, static_cast<size_t>(n)) ? n : 0;
		case Mode::Chunked:
			if (_pending.size() + static_cast<size_t>(n) <= kOutputBuffer)
			{
				_pending.append(s, static_cast<size_t>(n));
				return _wire.failed() ? 0 : n;
			}
			if (!emitChunk())
				return 0;
			return emitChunk(s, static_cast<size_t>(n)) ? n : 0;
		}
		return 0;
	}

	int_type overflow(int_type c) override
	{
		if (traits_type::eq_int_type(c, traits_type::eof()))
			return traits_type::not_eof(c);
		const char ch = traits_type::to_char_type(c);
		return xsputn(&ch, 1) == 1 ? c : traits_type::eof();
	}

	int sync() override
	{
		if (_mode == Mode::Chunked && !emitChunk())
			return -1;
		return _wire.flush() ? 0 : -1;
	}

private:
	bool emitChunk()
	{
		if (_pending.empty())
			return !_wire.failed();
		const bool ok = emitChunk(_pending.data(), _pending.size());
		_pending.clear();
		return ok;
	}

	bool emitChunk(const char * s, size_t n)
	{
		char head[24];
		const int len = std::snprintf(head, sizeof head, "%zx\r\n", n);
		static const char crlf[] = "\r\n";
		iovec parts[3] = {{head, static_cast<size_t>(len)}, {const_cast<char *>(s), n}, {const_cast<char *>(crlf), 2}};
		return _wire.writeParts(parts, 3);
	}

	Wire & _wire;
	Mode _mode = Mode::Discard;
	std::string _pending;
};

struct ConnectionState;

class Response;

bool hasToken(std::string_view list, std::string_view token);

class Request : public ServerRequest
{
public:
	Request(ConnectionState & conn, Response & response) : _conn(conn), _response(response) { }

	std::istream & stream() override;
	const Poco::Net::SocketAddress & clientAddress() const override;
	const Poco::Net::SocketAddress & serverAddress() const override;
	const Poco::Net::HTTPServerParams & serverParams() const override;
	Poco::Net::HTTPServerResponse & response() const override;
	bool secure() const override { return false; }
	int socketFd() const override;

private:
	ConnectionState & _conn;
	Response & _response;
};

/// What a connection's requests and responses share.
struct ConnectionState
{
	ConnectionState(Poco::Net::StreamSocket & s, int descriptor, const HttpServerOptions & o, const Poco::Net::HTTPServerParams & p)
		: socket(s), fd(descriptor), options(o), params(p), wire(descriptor, o.maxHeaderBytes), body(wire, o.ioTimeout),
		  bodyStream(&body), out(wire), outStream(&out)
	{
	}

	const Poco::Net::SocketAddress & peer()
	{
		if (!peerAddress)
			peerAddress = socket.peerAddress();
		return *peerAddress;
	}
	const Poco::Net::SocketAddress & local()
	{
		if (!localAddress)
			localAddress = socket.address();
		return *localAddress;
	}

	Poco::Net::StreamSocket & socket;
	int fd;
	const HttpServerOptions & options;
	const Poco::Net::HTTPServerParams & params;
	Wire wire;
	BodyBuf body;
	std::istream bodyStream;
	ResponseBuf out;
	std::ostream outStream;
	std::optional<Poco::Net::SocketAddress> peerAddress;
	std::optional<Poco::Net::SocketAddress> localAddress;
};

class Response : public Poco::Net::HTTPServerResponse
{
public:
	explicit Response(ConnectionState & conn) : _conn(conn) { }

	/// Starts the response to the next request on the connection (the object is reused: its
	/// header list keeps its capacity).
	void reset(const Request & r, bool head, bool keepAlive)
	{
		clear();
		setStatusAndReason(HTTP_OK);
		setVersion(r.getVersion());
		_request = &r;
		_head = head;
		_keepAlive = keepAlive;
		_sent = false;
		_continueSent = false;
	}

	void sendContinue() override
	{
		if (_sent || _continueSent || _request == nullptr || _request->getVersion() != HTTP_1_1)
			return;
		_continueSent = true;
		static const char line[] = "HTTP/1.1 100 Continue\r\n\r\n";
		_conn.wire.write(line, sizeof line - 1);
		_conn.wire.flush();
	}

	std::ostream & send() override
	{
		if (_sent)
			return _conn.outStream;
		_sent = true;
		const int status = statusCode();
		const bool bodyless = _head || status < 200 || status == 204 || status == 304;
		const bool http10 = getVersion() == HTTP_1_0;
		// A handler ends the connection with setKeepAlive(false) ("Connection: close").
		bool keepAlive = _keepAlive && !hasToken(get("Connection", ""), "close");
		ResponseBuf::Mode mode = ResponseBuf::Mode::Plain;
		if (getChunkedTransferEncoding())
		{
			if (http10) // no chunked encoding in HTTP/1.0: the body runs until the connection closes
			{
				setChunkedTransferEncoding(false);
				keepAlive = false;
			}
			else
				mode = ResponseBuf::Mode::Chunked;
		}
		else if (!hasContentLength() && !bodyless)
			keepAlive = false;
		if (bodyless)
			mode = ResponseBuf::Mode::Discard;
		_keepAlive = keepAlive;
		if (!keepAlive)
			set("Connection", "close");
		else if (http10)
			set("Connection", "keep-alive");
		else if (has("Connection"))
			erase("Connection");
		if (!has("Date"))
			set("Date", httpDate());
		if (!has("Server") && !_conn.options.serverName.empty())
			set("Server", _conn.options.serverName);

		std::string head;
		head.reserve(512);
		head += http10 ? "HTTP/1.0 " : "HTTP/1.1 ";
		head += std::to_string(status);
		head += ' ';
		head += getReasonForStatus(static_cast<HTTPStatus>(status));
		head += "\r\n";
		for (const auto & [name, value] : *this)
		{
			head += name;
			head += ": ";
			head += value;
			head += "\r\n";
		}
		head += "\r\n";
		_conn.wire.write(head);
		_conn.out.start(mode);
		_conn.outStream.clear();
		return _conn.outStream;
	}

	void sendFile(const std::string & path, const std::string & mediaType) override
	{
		Poco::FileInputStream in(path);
		in.seekg(0, std::ios::end);
		const std::streamoff size = in.tellg();
		in.seekg(0, std::ios::beg);
		setContentType(mediaType);
		setContentLength64(size);
		Poco::StreamCopier::copyStream(in, send());
	}

	void sendBuffer(const void * buffer, std::size_t length) override
	{
		setContentLength(static_cast<std::streamsize>(length));
		setChunkedTransferEncoding(false);
		send().write(static_cast<const char *>(buffer), static_cast<std::streamsize>(length));
	}

	void redirect(const std::string & uri, HTTPStatus status) override
	{
		setContentLength(0);
		setChunkedTransferEncoding(false);
		setStatusAndReason(status);
		set("Location", uri);
		send();
	}

	void requireAuthentication(const std::string & realm) override
	{
		setContentLength(0);
		setStatusAndReason(HTTP_UNAUTHORIZED);
		set("WWW-Authenticate", "Basic realm=\"" + realm + "\"");
		send();
	}

	bool sent() const override { return _sent; }
	bool continueSent() const { return _continueSent; }

private:
	/// Appends to a string (POCO's write() into a reused buffer).
	struct AppendBuf : std::streambuf
	{
		explicit AppendBuf(std::string & s) : text(s) { }
		std::streamsize xsputn(const char * p, std::streamsize n) override
		{
			text.append(p, static_cast<size_t>(n));
			return n;
		}
		int_type overflow(int_type c) override
		{
			if (!traits_type::eq_int_type(c, traits_type::eof()))
				text.push_back(traits_type::to_char_type(c));
			return traits_type::not_eof(c);
		}
		std::string & text;
	};

	/// The status as a number. Not getStatus(): it loads POCO's HTTPStatus enum, which cannot
	/// hold codes it does not list (Anthropic's 529) without undefined behaviour (UBSan stops
	/// there); POCO's compiled write() prints the stored number.
	int statusCode() const
	{
		thread_local std::string scratch;
		scratch.clear();
		AppendBuf buf(scratch);
		std::ostream os(&buf);
		write(os);
		const size_t sp = scratch.find(' ');
		return sp == std::string::npos ? 500 : std::atoi(scratch.c_str() + sp + 1);
	}

public:

	/// Completes the response (one the handler never sent becomes an empty one) and sends what is
	/// buffered. True when the connection may carry another request.
	bool finish()
	{
		if (!_sent)
		{
			setContentLength(0);
			setChunkedTransferEncoding(false);
			send();
		}
		_conn.outStream.flush();
		const bool ok = _conn.out.finish();
		return ok && _keepAlive;
	}

private:
	ConnectionState & _conn;
	const Request * _request = nullptr;
	bool _head = false;
	bool _keepAlive = false;
	bool _sent = false;
	bool _continueSent = false;
};

std::istream & Request::stream()
{
	return _conn.bodyStream;
}
const Poco::Net::SocketAddress & Request::clientAddress() const
{
	return _conn.peer();
}
const Poco::Net::SocketAddress & Request::serverAddress() const
{
	return _conn.local();
}
const Poco::Net::HTTPServerParams & Request::serverParams() const
{
	return _conn.params;
}
Poco::Net::HTTPServerResponse & Request::response() const
{
	return _response;
}
int Request::socketFd() const
{
	return _conn.fd;
}

/// A parsed request head, pointing into the connection's input buffer.
struct Head
{
	int error = 0; ///< an HTTP status to answer with (and close), or 0
	std::string reason;
	std::string_view method, target, version;
	std::vector<std::pair<std::string_view, std::string_view>> fields;
	size_t length = 0; ///< bytes of the head, blank line included
};

std::string_view trimView(std::string_view v)
{
	while (!v.empty() && (v.front() == ' ' || v.front() == '\t'))
		v.remove_prefix(1);
	while (!v.empty() && (v.back() == ' ' || v.back() == '\t'))
		v.remove_suffix(1);
	return v;
}

/// Parses a complete head (its end already found) at `p` into `h`.
void parseHead(Head & h, const char * p, size_t length, size_t maxFields)
{
	h.error = 0;
	h.reason.clear();
	h.fields.clear();
	h.length = length;
	auto bad = [&h](const char * why) {
		h.error = 400;
		h.reason = why;
	};
	std::string_view all(p, length);
	size_t pos = 0;
	auto nextLine = [&](std::string_view & line) {
		const size_t nl = all.find('\n', pos);
		if (nl == std::string_view::npos)
			return false;
		line = all.substr(pos, nl - pos);
		if (!line.empty() && line.back() == '\r')
			line.remove_suffix(1);
		pos = nl + 1;
		return true;
	};
	std::string_view line;
	if (!nextLine(line))
		return bad("no request line");
	const size_t sp1 = line.find(' ');
	const size_t sp2 = sp1 == std::string_view::npos ? sp1 : line.find(' ', sp1 + 1);
	if (sp2 == std::string_view::npos || line.find(' ', sp2 + 1) != std::string_view::npos)
		return bad("malformed request line");
	h.method = line.substr(0, sp1);
	h.target = line.substr(sp1 + 1, sp2 - sp1 - 1);
	h.version = line.substr(sp2 + 1);
	if (h.method.empty() || h.target.empty())
		return bad("malformed request line");
	for (char c : h.method)
		if (!isTokenChar(static_cast<unsigned char>(c)))
			return bad("malformed method");
	for (char c : h.target)
		if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f)
			return bad("malformed request target");
	if (h.version != "HTTP/1.1" && h.version != "HTTP/1.0")
	{
		if (h.version.size() == 8 && h.version.substr(0, 5) == "HTTP/" && std::isdigit(static_cast<unsigned char>(h.version[5]))
			&& h.version[6] == '.' && std::isdigit(static_cast<unsigned char>(h.version[7])))
		{
			h.error = 505;
			h.reason = "only HTTP/1.0 and HTTP/1.1 are served";
			return;
		}
		return bad("malformed HTTP version");
	}
	while (nextLine(line) && !line.empty())
	{
		if (line.front() == ' ' || line.front() == '\t')
			return bad("obsolete header line folding");
		const size_t colon = line.find(':');
		if (colon == std::string_view::npos || colon == 0)
			return bad("malformed header field");
		std::string_view name = line.substr(0, colon);
		for (char c : name)
			if (!isTokenChar(static_cast<unsigned char>(c)))
				return bad("malformed header field name");
		std::string_view value = trimView(line.substr(colon + 1));
		for (char c : value)
			if ((static_cast<unsigned char>(c) < 0x20 && c != '\t') || c == 0x7f)
				return bad("control character in a header field");
		if (h.fields.size() >= maxFields)
		{
			h.error = 431;
			h.reason = "too many header fields";
			return;
		}
		h.fields.emplace_back(name, value);
	}
	return;
}

bool hasToken(std::string_view list, std::string_view token)
{
	size_t pos = 0;
	while (pos <= list.size())
	{
		size_t comma = list.find(',', pos);
		if (comma == std::string_view::npos)
			comma = list.size();
		std::string_view item = trimView(list.substr(pos, comma - pos));
		if (ieq(item, token))
			return true;
		pos = comma + 1;
	}
	return false;
}

class ConnectionFactory : public Poco::Net::TCPServerConnectionFactory
{
public:
	explicit ConnectionFactory(HttpServer & server) : _server(server) { }
	Poco::Net::TCPServerConnection * createConnection(const Poco::Net::StreamSocket & socket) override;

private:
	HttpServer & _server;
};

} // namespace

struct HttpServer::Connection : public Poco::Net::TCPServerConnection
{
	Connection(const Poco::Net::StreamSocket & s, HttpServer & server) : Poco::Net::TCPServerConnection(s), _server(server) { }

	void run() override;

	/// Answers a framing error and closes (after letting the client's pending bytes drain, so the
	/// answer is not lost to a reset).
	void refuse(ConnectionState & c, int status, const std::string & why)
	{
		const std::string body = why + "\n";
		const auto reason = Poco::Net::HTTPResponse::getReasonForStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status));
		const std::string text = "HTTP/1.1 " + std::to_string(status) + " " + reason + "\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: "
			+ std::to_string(body.size()) + "\r\nConnection: close\r\nDate: " + httpDate() + "\r\n\r\n" + body;
		c.wire.write(text);
		c.wire.flush();
		lingeringClose(c);
	}

	static void lingeringClose(ConnectionState & c)
	{
		::shutdown(c.fd, SHUT_WR);
		char sink[16384];
		const auto deadline = Clock::now() + std::chrono::milliseconds(500);
		size_t dropped = 0;
		for (;;)
		{
			size_t got = 0;
			if (c.wire.receive(sink, sizeof sink, got, deadline, true) != Io::Ok || (dropped += got) > 1024 * 1024)
				break;
		}
	}

	HttpServer & _server;
	int fd = -1;
	bool idle = false;
};

namespace
{

Poco::Net::TCPServerConnection * ConnectionFactory::createConnection(const Poco::Net::StreamSocket & socket)
{
	return new HttpServer::Connection(socket, _server);
}

} // namespace

void HttpServer::Connection::run()
{
	Poco::Net::StreamSocket & s = socket();
	fd = s.impl()->sockfd();
	const HttpServerOptions & opt = _server._options;
	{
		timeval tv{};
		tv.tv_sec = static_cast<time_t>(opt.ioTimeout.count() / 1000);
		tv.tv_usec = static_cast<suseconds_t>((opt.ioTimeout.count() % 1000) * 1000);
		::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
	}
	if (!_server.enter(this))
		return;
	ConnectionState c(s, fd, opt, *_server._params);
	// One request, response and parsed head per connection, reused: their lists keep their capacity.
	Response response(c);
	Request request(c, response);
	Head head;
	try
	{
		for (;;)
		{
			// The next request: wait for its first byte (idle: a drain may close us meanwhile).
			bool closeAfter = false;
			if (c.wire.avail() == 0)
			{
				if (!_server.setIdle(this, true))
					break;
				const Io st = c.wire.fill(Clock::now() + opt.keepAliveTimeout, true);
				closeAfter = !_server.setIdle(this, false);
				if (st != Io::Ok)
					break;
			}
			else
				closeAfter = !_server.setIdle(this, false);
			// Empty lines before a request line are ignored (RFC 9112 2.2).
			size_t skipped = 0;
			// Find the end of the head within the header timeout.
			const auto headDeadline = Clock::now() + opt.headerTimeout;
			size_t scanned = 0;
			size_t headLength = 0;
			Io st = Io::Ok;
			for (;;)
			{
				while (c.wire.avail() > 0 && (c.wire.data()[0] == '\r' || c.wire.data()[0] == '\n') && skipped < 8)
				{
					c.wire.consume(1);
					++skipped;
					scanned = 0;
				}
				const char * p = c.wire.data();
				const size_t n = c.wire.avail();
				for (size_t i = scanned; i < n; ++i)
				{
					if (p[i] != '\n')
						continue;
					if ((i >= 1 && p[i - 1] == '\n') || (i >= 2 && p[i - 1] == '\r' && p[i - 2] == '\n'))
					{
						headLength = i + 1;
						break;
					}
				}
				if (headLength > 0)
					break;
				scanned = n;
				if (n > opt.maxHeaderBytes)
				{
					st = Io::Full;
					break;
				}
				st = c.wire.fill(headDeadline);
				if (st != Io::Ok)
					break;
			}
			if (headLength == 0)
			{
				if (st == Io::Full)
					refuse(c, 431, "the request head exceeds " + std::to_string(opt.maxHeaderBytes) + " bytes");
				else if (st == Io::Timeout && c.wire.avail() > 0)
					refuse(c, 408, "the request head did not arrive in time");
				break;
			}
			if (headLength > opt.maxHeaderBytes)
			{
				refuse(c, 431, "the request head exceeds " + std::to_string(opt.maxHeaderBytes) + " bytes");
				break;
			}
			parseHead(head, c.wire.data(), headLength, opt.maxHeaderFields);
			if (head.error != 0)
			{
				refuse(c, head.error, head.reason);
				break;
			}

			const bool isHead = head.method == "HEAD";
			bool keepAlive = head.version == "HTTP/1.1";
			std::string_view contentLength, transferEncoding;
			bool expectContinue = false;
			int lengths = 0;
			for (const auto & [name, value] : head.fields)
			{
				if (ieq(name, "connection"))
				{
					if (hasToken(value, "close"))
						keepAlive = false;
					else if (hasToken(value, "keep-alive"))
						keepAlive = true;
				}
				else if (ieq(name, "content-length"))
				{
					if (lengths++ > 0 && value != contentLength)
						contentLength = "x"; // differing lengths: invalid below
					else
						contentLength = value;
				}
				else if (ieq(name, "transfer-encoding"))
					transferEncoding = value;
				else if (ieq(name, "expect"))
					expectContinue = ieq(value, "100-continue");
			}
			BodyBuf::Mode bodyMode = BodyBuf::Mode::None;
			uint64_t bodyLength = 0;
			if (!transferEncoding.empty())
			{
				if (!contentLength.empty())
				{
					refuse(c, 400, "both Transfer-Encoding and Content-Length");
					break;
				}
				if (head.version != "HTTP/1.1" || !ieq(transferEncoding, "chunked"))
				{
					refuse(c, head.version != "HTTP/1.1" ? 400 : 501, "only the chunked transfer coding is accepted");
					break;
				}
				bodyMode = BodyBuf::Mode::Chunked;
			}
			else if (!contentLength.empty())
			{
				bool valid = contentLength.size() <= 18;
				for (char ch : contentLength)
					valid = valid && ch >= '0' && ch <= '9';
				if (!valid)
				{
					refuse(c, 400, "invalid Content-Length");
					break;
				}
				bodyLength = std::stoull(std::string(contentLength));
				if (bodyLength > 0)
					bodyMode = BodyBuf::Mode::Length;
			}

			request.clear();
			request.setMethod(std::string(head.method));
			request.setURI(std::string(head.target));
			request.setVersion(head.version == "HTTP/1.1" ? Poco::Net::HTTPMessage::HTTP_1_1 : Poco::Net::HTTPMessage::HTTP_1_0);
			for (const auto & [name, value] : head.fields)
				request.add(std::string(name), std::string(value));
			response.reset(request, isHead, keepAlive && !closeAfter);
			c.wire.consume(headLength);
			c.body.reset(bodyMode, bodyLength);
			c.bodyStream.clear();
			if (expectContinue && bodyMode != BodyBuf::Mode::None)
				c.body.setBeforeRead([&response] { response.sendContinue(); });
			else
				c.body.setBeforeRead(nullptr);

			try
			{
				std::unique_ptr<Poco::Net::HTTPRequestHandler> handler(_server._factory->createRequestHandler(request));
				if (handler)
					handler->handleRequest(request, response);
				else
				{
					response.setStatusAndReason(Poco::Net::HTTPResponse::HTTP_NOT_FOUND);
					response.setContentLength(0);
					response.send();
				}
			}
			catch (const std::exception & e)
			{
				if (!response.sent())
				{
					c.wire.discardOutput();
					response.setStatusAndReason(Poco::Net::HTTPResponse::HTTP_INTERNAL_SERVER_ERROR);
					response.setContentLength(0);
					response.setKeepAlive(false);
					response.send();
					response.finish();
				}
				Poco::Logger::get("http").error("request %s %s failed: %s", request.getMethod(), request.getURI(), std::string(e.what()));
				break;
			}
			c.body.setBeforeRead(nullptr);
			const bool reusable = response.finish() && !c.wire.failed();
			if (!c.body.complete())
			{
				// A client that was told to wait for 100 Continue and never got it will not send
				// the body: the connection cannot be reused. Otherwise a small unread rest is
				// skipped; closing with unread bytes would reset the connection, and the client
				// could lose the answer, so the close lingers.
				if (!reusable || (expectContinue && !response.continueSent()) || !c.body.drain())
				{
					if (!c.wire.failed())
						lingeringClose(c);
					break;
				}
			}
			if (!reusable)
				break;
		}
	}
	catch (const std::exception & e)
	{
		Poco::Logger::get("http").debug("connection ended: %s", std::string(e.what()));
	}
	_server.leave(this);
}

HttpServer::HttpServer(Poco::Net::HTTPRequestHandlerFactory::Ptr factory, const Poco::Net::ServerSocket & socket, HttpServerOptions options)
	: _factory(std::move(factory)), _socket(socket), _options(std::move(options)), _params(new Poco::Net::HTTPServerParams)
{
	_params->setServerName(_options.serverName);
	_params->setSoftwareVersion(_options.serverName);
	_params->setMaxThreads(_options.maxThreads);
	_params->setMaxQueued(_options.maxQueued);
	_params->setKeepAlive(true);
	_params->setMaxKeepAliveRequests(0);
	_params->setKeepAliveTimeout(Poco::Timespan(static_cast<Poco::Timespan::TimeDiff>(_options.keepAliveTimeout.count()) * 1000));
	_params->setTimeout(Poco::Timespan(static_cast<Poco::Timespan::TimeDiff>(_options.ioTimeout.count()) * 1000));
	_pool = std::make_unique<Poco::ThreadPool>(4, _options.maxThreads, 60, 256 * 1024);
	auto tcpParams = Poco::makeAuto<Poco::Net::TCPServerParams>();
	tcpParams->setMaxThreads(_options.maxThreads);
	tcpParams->setMaxQueued(_options.maxQueued);
	_server = std::make_unique<Poco::Net::TCPServer>(new ConnectionFactory(*this), *_pool, _socket, tcpParams);
}

HttpServer::~HttpServer()
{
	stopAccepting();
	closeAll();
}

void HttpServer::start()
{
	_server->start();
}

void HttpServer::stopAccepting()
{
	if (_server)
		_server->stop();
	_socket.close();
}

void HttpServer::beginDrain()
{
	std::lock_guard<std::mutex> lock(_mutex);
	_draining = true;
	for (Connection * c : _connections)
		if (c->idle)
			::shutdown(c->fd, SHUT_RDWR);
}

void HttpServer::closeAll()
{
	stopAccepting();
	{
		std::lock_guard<std::mutex> lock(_mutex);
		_draining = true;
		_closing = true;
		for (Connection * c : _connections)
			::shutdown(c->fd, SHUT_RDWR);
	}
	if (_pool)
		_pool->joinAll();
}

bool HttpServer::enter(Connection * c)
{
	std::lock_guard<std::mutex> lock(_mutex);
	if (_closing)
		return false;
	_connections.insert(c);
	return true;
}

void HttpServer::leave(Connection * c)
{
	std::lock_guard<std::mutex> lock(_mutex);
	_connections.erase(c);
}

bool HttpServer::setIdle(Connection * c, bool idle)
{
	std::lock_guard<std::mutex> lock(_mutex);
	c->idle = idle;
	return !_draining;
}

} // namespace ccc::http
