#include "upstream/Connection.h"

#include <cerrno>
#include <cstring>
#include <map>
#include <mutex>
#include <poll.h>
#include <sys/socket.h>

#include <Poco/Base64Encoder.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/SSLException.h>
#include <Poco/Net/SecureStreamSocket.h>
#include <Poco/Net/SocketAddress.h>

namespace ccc::upstream
{

namespace
{

using Clock = std::chrono::steady_clock;

int64_t msLeft(Clock::time_point deadline)
{
	auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
	return left < 0 ? 0 : left;
}

/// Blocking-with-deadline helpers on a plain socket used during proxy handshakes.
bool sendAll(Poco::Net::StreamSocket & s, const std::string & data, std::string & error)
{
	try
	{
		size_t done = 0;
		while (done < data.size())
		{
			int n = s.sendBytes(data.data() + done, static_cast<int>(data.size() - done));
			if (n <= 0)
			{
				error = "proxy connection closed while sending";
				return false;
			}
			done += static_cast<size_t>(n);
		}
		return true;
	}
	catch (const Poco::Exception & e)
	{
		error = e.displayText();
		return false;
	}
}

bool recvExact(Poco::Net::StreamSocket & s, unsigned char * buf, size_t n, std::string & error)
{
	try
	{
		size_t done = 0;
		while (done < n)
		{
			int r = s.receiveBytes(buf + done, static_cast<int>(n - done));
			if (r <= 0)
			{
				error = "proxy closed the connection during the handshake";
				return false;
			}
			done += static_cast<size_t>(r);
		}
		return true;
	}
	catch (const Poco::TimeoutException &)
	{
		error = "proxy handshake timed out";
		return false;
	}
	catch (const Poco::Exception & e)
	{
		error = e.displayText();
		return false;
	}
}

std::string basicAuth(const std::string & user, const std::string & pass)
{
	std::ostringstream out;
	Poco::Base64Encoder enc(out);
	enc.rdbuf()->setLineLength(0);
	enc << user << ':' << pass;
	enc.close();
	return "Basic " + out.str();
}

bool httpConnectTunnel(Poco::Net::StreamSocket & s, const Url & url, const config::ProxyConfig & proxy, std::string & error)
{
	std::string target = (url.host.find(':') != std::string::npos ? "[" + url.host + "]" : url.host) + ":" + std::to_string(url.port);
	std::string req = "CONNECT " + target + " HTTP/1.1\r\nHost: " + target + "\r\n";
	if (!proxy.username.empty())
		req += "Proxy-Authorization: " + basicAuth(proxy.username, proxy.password) + "\r\n";
	req += "\r\n";
	if (!sendAll(s, req, error))
		return false;
	// Read the proxy's reply head byte by byte: anything after it belongs to the tunnel.
	std::string head;
	unsigned char c;
	while (head.size() < 16384)
	{
		if (!recvExact(s, &c, 1, error))
			return false;
		head.push_back(static_cast<char>(c));
		if (head.size() >= 4 && head.compare(head.size() - 4, 4, "\r\n\r\n") == 0)
			break;
	}
	size_t sp = head.find(' ');
	if (sp == std::string::npos || head.compare(sp + 1, 3, "200") != 0)
	{
		error = "proxy refused CONNECT: " + head.substr(0, head.find("\r\n"));
		return false;
	}
	return true;
}

bool socks5Tunnel(Poco::Net::StreamSocket & s, const Url & url, const config::ProxyConfig & proxy, std::string & error)
{
	const bool auth = !proxy.username.empty();
	std::string greet = auth ? std::string("\x05\x02\x00\x02", 4) : std::string("\x05\x01\x00", 3);
	if (!sendAll(s, greet, error))
		return false;
	unsigned char reply[2];
	if (!recvExact(s, reply, 2, error))
		return false;
	if (reply[0] != 5 || (reply[1] != 0 && reply[1] != 2))
	{
		error = "SOCKS5 proxy accepted no offered authentication method";
		return false;
	}
	if (reply[1] == 2)
	{
		if (!auth || proxy.username.size() > 255 || proxy.password.size() > 255)
		{
			error = "SOCKS5 proxy requires a username and password";
			return false;
		}
		std::string up;
		up.push_back('\x01');
		up.push_back(static_cast<char>(proxy.username.size()));
		up += proxy.username;
		up.push_back(static_cast<char>(proxy.password.size()));
		up += proxy.password;
		if (!sendAll(s, up, error) || !recvExact(s, reply, 2, error))
			return false;
		if (reply[1] != 0)
		{
			error = "SOCKS5 proxy rejected the credentials";
			return false;
		}
	}
	if (url.host.size() > 255)
	{
		error = "host name too long for SOCKS5";
		return false;
	}
	std::string req("\x05\x01\x00\x03", 4);
	req.push_back(static_cast<char>(url.host.size()));
	req += url.host;
	req.push_back(static_cast<char>((url.port >> 8) & 0xFF));
	req.push_back(static_cast<char>(url.port & 0xFF));
	if (!sendAll(s, req, error))
		return false;
	unsigned char head[4];
	if (!recvExact(s, head, 4, error))
		return false;
	if (head[1] != 0)
	{
		static const char * reasons[] = {"succeeded", "general failure", "connection not allowed", "network unreachable",
			"host unreachable", "connection refused", "TTL expired", "command not supported", "address type not supported"};
		error = std::string("SOCKS5 proxy could not connect: ") + (head[1] < 9 ? reasons[head[1]] : "unknown error");
		return false;
	}
	size_t addrLen = head[3] == 1 ? 4 : head[3] == 4 ? 16 : 0;
	if (head[3] == 3)
	{
		unsigned char len;
		if (!recvExact(s, &len, 1, error))
			return false;
		addrLen = len;
	}
	unsigned char rest[260];
	return recvExact(s, rest, addrLen + 2, error);
}

} // namespace

Poco::Net::Context::Ptr Connection::tlsContext(bool verify, const std::string & caFile, std::string & error)
{
	// One context per trust setting, made on first use and kept: creating one loads the CA store.
	static std::mutex mutex;
	static std::map<std::string, Poco::Net::Context::Ptr> contexts; // "" = not verifying, "system", "file:<path>"
	const std::string key = !verify ? "" : caFile.empty() ? "system" : "file:" + caFile;
	std::lock_guard<std::mutex> lock(mutex);
	auto it = contexts.find(key);
	if (it != contexts.end())
		return it->second;
	Poco::Net::Context::Params p;
	// STRICT, not RELAXED: for a client both verify the chain, but POCO skips the host name check
	// under RELAXED when the host is a loopback address (a tunnel or port forward to a real API
	// would then accept any trusted certificate).
	p.verificationMode = verify ? Poco::Net::Context::VERIFY_STRICT : Poco::Net::Context::VERIFY_NONE;
	// The system CA store (/etc/ssl/certs via OpenSSL's default paths), unless a CA file replaces it.
	p.loadDefaultCAs = !verify || caFile.empty();
	if (verify && !caFile.empty())
		p.caLocation = caFile;
	p.cipherList = "HIGH:!aNULL:!MD5";
	Poco::Net::Context::Ptr ctx;
	try
	{
		ctx = new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, p);
		ctx->disableProtocols(Poco::Net::Context::PROTO_SSLV2 | Poco::Net::Context::PROTO_SSLV3 | Poco::Net::Context::PROTO_TLSV1
			| Poco::Net::Context::PROTO_TLSV1_1);
	}
	catch (const Poco::Exception & e)
	{
		// Not cached: a CA file fixed on disk is picked up by the next attempt.
		error = "cannot load the CA file " + caFile + ": " + e.displayText();
		return nullptr;
	}
	contexts.emplace(key, ctx);
	return ctx;
}

std::unique_ptr<Connection> Connection::open(const Url & url, const ConnectOptions & options, IoStatus & status, std::string & error)
{
	std::unique_ptr<Connection> conn(new Connection());
	status = IoStatus::Error;
	Poco::Net::StreamSocket plain;
	const std::string what = options.proxy ? options.proxy->type + " proxy " + options.proxy->address : url.host + ":" + std::to_string(url.port);
	try
	{
		Poco::Net::SocketAddress addr = options.proxy ? Poco::Net::SocketAddress(options.proxy->address)
													  : Poco::Net::SocketAddress(url.host, static_cast<Poco::UInt16>(url.port));
		plain.connect(addr, Poco::Timespan(options.connectMs * 1000));
		plain.setNoDelay(true);
		plain.setKeepAlive(true);
	}
	catch (const Poco::TimeoutException &)
	{
		status = IoStatus::Timeout;
		error = "connect to " + what + " timed out after " + std::to_string(options.connectMs) + " ms";
		return nullptr;
	}
	catch (const Poco::Net::ConnectionRefusedException &)
	{
		error = "connection refused by " + what;
		return nullptr;
	}
	catch (const Poco::Exception & e)
	{
		error = "cannot connect to " + what + ": " + e.displayText();
		return nullptr;
	}
	if (options.proxy)
	{
		plain.setReceiveTimeout(Poco::Timespan(options.connectMs * 1000));
		plain.setSendTimeout(Poco::Timespan(options.connectMs * 1000));
		bool ok = options.proxy->type == "socks5" ? socks5Tunnel(plain, url, *options.proxy, error)
												  : httpConnectTunnel(plain, url, *options.proxy, error);
		if (!ok)
		{
			if (error.find("timed out") != std::string::npos)
				status = IoStatus::Timeout;
			return nullptr;
		}
	}
	if (url.tls)
	{
		Poco::Net::Context::Ptr ctx = tlsContext(options.tlsVerify, options.caFile, error);
		if (!ctx)
			return nullptr;
		try
		{
			plain.setReceiveTimeout(Poco::Timespan(options.tlsHandshakeMs * 1000));
			plain.setSendTimeout(Poco::Timespan(options.tlsHandshakeMs * 1000));
			Poco::Net::SecureStreamSocket secure = Poco::Net::SecureStreamSocket::attach(plain, url.host, ctx);
			conn->_socket = secure;
			conn->_tls = true;
		}
		catch (const Poco::TimeoutException &)
		{
			status = IoStatus::Timeout;
			error = "TLS handshake with " + url.host + " timed out";
			return nullptr;
		}
		catch (const Poco::Exception & e)
		{
			error = "TLS handshake with " + url.host + " failed: " + e.displayText();
			return nullptr;
		}
	}
	else
		conn->_socket = plain;
	// Reads and writes below are bounded by poll(); the socket timeouts are only a backstop for
	// TLS records that arrive in pieces.
	conn->_socket.setReceiveTimeout(Poco::Timespan(60, 0));
	conn->_socket.setSendTimeout(Poco::Timespan(60, 0));
	conn->lastUsed = Clock::now();
	status = IoStatus::Ok;
	return conn;
}

Connection::~Connection()
{
	try
	{
		_socket.close();
	}
	catch (const Poco::Exception &) // closing a dead socket may fail; nothing to do about it
	{
	}
}

int Connection::fd() const
{
	return _socket.impl()->sockfd();
}

IoStatus Connection::writeAll(std::string_view data, int64_t timeoutMs, std::string & error)
{
	auto deadline = Clock::now() + std::chrono::milliseconds(timeoutMs);
	size_t done = 0;
	while (done < data.size())
	{
		pollfd p{fd(), POLLOUT, 0};
		int r = ::poll(&p, 1, static_cast<int>(msLeft(deadline)));
		if (r == 0)
		{
			error = "sending the request timed out";
			return IoStatus::Timeout;
		}
		if (r < 0 && errno == EINTR)
			continue;
		try
		{
			int n = _socket.sendBytes(data.data() + done, static_cast<int>(std::min<size_t>(data.size() - done, 1 << 20)));
			if (n <= 0)
			{
				error = "connection closed while sending the request";
				return IoStatus::Error;
			}
			done += static_cast<size_t>(n);
		}
		catch (const Poco::Exception & e)
		{
			error = "sending the request failed: " + e.displayText();
			return IoStatus::Error;
		}
	}
	return IoStatus::Ok;
}

IoStatus Connection::readSome(char * buffer, size_t capacity, size_t & got, int64_t timeoutMs, int cancelFd, std::string & error)
{
	got = 0;
	auto deadline = Clock::now() + std::chrono::milliseconds(timeoutMs);
	// TLS may hold decrypted bytes that poll() cannot see.
	bool ready = _tls && _socket.available() > 0;
	while (!ready)
	{
		pollfd fds[2] = {{fd(), POLLIN, 0}, {cancelFd, POLLRDHUP, 0}};
		int r = ::poll(fds, cancelFd >= 0 ? 2 : 1, static_cast<int>(std::min<int64_t>(msLeft(deadline), 1000)));
		if (r < 0)
		{
			if (errno == EINTR)
				continue;
			error = std::string("poll failed: ") + std::strerror(errno);
			return IoStatus::Error;
		}
		if (cancelFd >= 0 && (fds[1].revents & (POLLRDHUP | POLLHUP | POLLERR)))
		{
			error = "the client closed its connection";
			return IoStatus::Cancelled;
		}
		if (fds[0].revents)
		{
			ready = true;
			break;
		}
		if (msLeft(deadline) == 0)
		{
			error = "no data from the upstream for " + std::to_string(timeoutMs) + " ms";
			return IoStatus::Timeout;
		}
	}
	try
	{
		int n = _socket.receiveBytes(buffer, static_cast<int>(capacity));
		if (n <= 0)
			return IoStatus::Eof;
		got = static_cast<size_t>(n);
		lastUsed = Clock::now();
		return IoStatus::Ok;
	}
	catch (const Poco::TimeoutException &)
	{
		error = "upstream stalled inside a TLS record";
		return IoStatus::Timeout;
	}
	catch (const Poco::Net::ConnectionResetException &)
	{
		error = "the upstream reset the connection";
		return IoStatus::Error;
	}
	catch (const Poco::Exception & e)
	{
		error = "reading from the upstream failed: " + e.displayText();
		return IoStatus::Error;
	}
}

bool Connection::staleWhileIdle()
{
	if (_tls && _socket.available() > 0)
		return true;
	pollfd p{fd(), POLLIN | POLLRDHUP, 0};
	int r = ::poll(&p, 1, 0);
	// Readable while idle means either EOF/RST or stray bytes: both make it unusable.
	return r != 0;
}

} // namespace ccc::upstream
