#include "FakeTunnel.h"

#include <cerrno>
#include <functional>
#include <cstring>
#include <stdexcept>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

namespace ccc::test
{

namespace
{

std::string lowerCase(std::string s)
{
	for (char & c : s)
		if (c >= 'A' && c <= 'Z')
			c = static_cast<char>(c - 'A' + 'a');
	return s;
}

std::string base64Decode(const std::string & in)
{
	static const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	std::string out;
	unsigned int acc = 0;
	int bits = 0;
	for (char c : in)
	{
		size_t v = alphabet.find(c);
		if (v == std::string::npos)
			continue; // padding, whitespace
		acc = (acc << 6) | static_cast<unsigned int>(v);
		bits += 6;
		if (bits >= 8)
		{
			bits -= 8;
			out.push_back(static_cast<char>((acc >> bits) & 0xFF));
		}
	}
	return out;
}

bool loopbackHost(const std::string & host)
{
	return host == "127.0.0.1" || host == "localhost";
}

} // namespace

// ---------------------------------------------------------------------------------------------
// LoopbackServer

LoopbackServer::LoopbackServer()
{
	if (::pipe2(_wakePipe, O_CLOEXEC) != 0)
		throw std::runtime_error("LoopbackServer: pipe failed");
	_listenFd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	int one = 1;
	::setsockopt(_listenFd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	sockaddr_in addr{};
	addr.sin_family = AF_INET;
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (::bind(_listenFd, reinterpret_cast<sockaddr *>(&addr), sizeof addr) != 0 || ::listen(_listenFd, 128) != 0)
		throw std::runtime_error(std::string("LoopbackServer: bind/listen failed: ") + std::strerror(errno));
	socklen_t len = sizeof addr;
	::getsockname(_listenFd, reinterpret_cast<sockaddr *>(&addr), &len);
	_port = ntohs(addr.sin_port);
}

LoopbackServer::~LoopbackServer()
{
	stop();
	::close(_wakePipe[0]);
	::close(_wakePipe[1]);
}

void LoopbackServer::start()
{
	_acceptThread = std::thread([this] { acceptLoop(); });
}

void LoopbackServer::stop()
{
	if (_stopping.exchange(true))
		return;
	char c = 'x';
	[[maybe_unused]] ssize_t n = ::write(_wakePipe[1], &c, 1);
	if (_acceptThread.joinable())
		_acceptThread.join();
	::close(_listenFd);
	std::unique_lock<std::mutex> lock(_mutex);
	for (int fd : _fds)
		::shutdown(fd, SHUT_RDWR);
	_changed.wait(lock, [this] { return _liveThreads == 0; });
}

void LoopbackServer::track(int fd)
{
	std::lock_guard<std::mutex> lock(_mutex);
	_fds.insert(fd);
	if (_stopping)
		::shutdown(fd, SHUT_RDWR);
}

void LoopbackServer::untrack(int fd)
{
	std::lock_guard<std::mutex> lock(_mutex);
	_fds.erase(fd);
}

void LoopbackServer::acceptLoop()
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
		++_accepted;
		{
			std::lock_guard<std::mutex> lock(_mutex);
			_fds.insert(fd);
			++_liveThreads;
		}
		std::thread([this, fd] {
			try
			{
				handle(fd);
			}
			catch (const std::exception &) // NOLINT: a broken test connection ends that connection only
			{
			}
			std::lock_guard<std::mutex> lock(_mutex);
			_fds.erase(fd);
			::close(fd);
			--_liveThreads;
			_changed.notify_all();
		}).detach();
	}
}

bool LoopbackServer::readExact(int fd, void * buf, size_t n, int timeoutMs)
{
	auto * p = static_cast<char *>(buf);
	size_t done = 0;
	while (done < n)
	{
		pollfd fds[2] = {{fd, POLLIN, 0}, {_wakePipe[0], POLLIN, 0}};
		int rc = ::poll(fds, 2, timeoutMs);
		if (rc < 0 && errno == EINTR)
			continue;
		if (rc <= 0 || (fds[1].revents & POLLIN) != 0)
			return false;
		ssize_t r = ::recv(fd, p + done, n - done, 0);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return false;
		done += static_cast<size_t>(r);
	}
	return true;
}

bool LoopbackServer::writeAll(int fd, const void * buf, size_t n)
{
	const auto * p = static_cast<const char *>(buf);
	size_t done = 0;
	while (done < n)
	{
		ssize_t w = ::send(fd, p + done, n - done, MSG_NOSIGNAL);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return false;
		done += static_cast<size_t>(w);
	}
	return true;
}

int LoopbackServer::connectLoopback(int port)
{
	int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	sockaddr_in addr{};
	addr.sin_family = AF_INET;
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	addr.sin_port = htons(static_cast<uint16_t>(port));
	if (::connect(fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr) != 0)
	{
		::close(fd);
		return -1;
	}
	int one = 1;
	::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	return fd;
}

void LoopbackServer::pump(int a, int b)
{
	char buf[65536];
	for (;;)
	{
		pollfd fds[3] = {{a, POLLIN, 0}, {b, POLLIN, 0}, {_wakePipe[0], POLLIN, 0}};
		int rc = ::poll(fds, 3, -1);
		if (rc < 0 && errno == EINTR)
			continue;
		if (rc < 0 || (fds[2].revents & POLLIN) != 0)
			return;
		for (int i = 0; i < 2; ++i)
		{
			if (fds[i].revents == 0)
				continue;
			int from = i == 0 ? a : b;
			int to = i == 0 ? b : a;
			ssize_t r = ::recv(from, buf, sizeof buf, 0);
			if (r <= 0)
			{
				// Pass the close on, then stop: the tests' connections do not half-close.
				::shutdown(to, SHUT_WR);
				return;
			}
			if (!writeAll(to, buf, static_cast<size_t>(r)))
				return;
		}
	}
}

// ---------------------------------------------------------------------------------------------
// FakeTunnelProxy

FakeTunnelProxy::FakeTunnelProxy(Kind kind, std::string username, std::string password)
	: _kind(kind), _username(std::move(username)), _password(std::move(password))
{
	start();
}

FakeTunnelProxy::~FakeTunnelProxy()
{
	stop();
}

std::vector<ProxyVisit> FakeTunnelProxy::visits() const
{
	std::lock_guard<std::mutex> lock(_visitMutex);
	return _visits;
}

void FakeTunnelProxy::handle(int fd)
{
	ProxyVisit v;
	{
		std::lock_guard<std::mutex> lock(_visitMutex);
		v.slot = _visits.size();
		_visits.emplace_back();
	}
	if (_kind == Kind::HttpConnect)
		handleConnect(fd, v);
	else
		handleSocks(fd, v);
	publish(v);
}

void FakeTunnelProxy::publish(const ProxyVisit & v)
{
	std::lock_guard<std::mutex> lock(_visitMutex);
	_visits[v.slot] = v;
}

void FakeTunnelProxy::tunnel(int fd, const std::string & host, int port, ProxyVisit & v, const std::string & okReply)
{
	int up = loopbackHost(host) ? connectLoopback(port) : -1;
	if (up < 0)
	{
		publish(v);
		if (_kind == Kind::HttpConnect)
			writeAll(fd, "HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
		else
			writeAll(fd, std::string("\x05\x05\x00\x01\x00\x00\x00\x00\x00\x00", 10));
		return;
	}
	track(up);
	v.tunnelled = true;
	publish(v);
	if (writeAll(fd, okReply))
		pump(fd, up);
	untrack(up);
	::close(up);
}

void FakeTunnelProxy::handleConnect(int fd, ProxyVisit & v)
{
	std::string head;
	char c;
	while (head.size() < 16384 && (head.size() < 4 || head.compare(head.size() - 4, 4, "\r\n\r\n") != 0))
	{
		if (!readExact(fd, &c, 1))
			return;
		head.push_back(c);
	}
	v.rawHead = head;
	size_t sp1 = head.find(' ');
	size_t sp2 = head.find(' ', sp1 + 1);
	if (sp1 == std::string::npos || sp2 == std::string::npos || head.compare(0, sp1, "CONNECT") != 0)
	{
		writeAll(fd, "HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
		return;
	}
	v.target = head.substr(sp1 + 1, sp2 - sp1 - 1);
	// Proxy-Authorization: Basic base64(user:pass)
	size_t pos = head.find("\r\n") + 2;
	while (pos < head.size())
	{
		size_t e = head.find("\r\n", pos);
		std::string line = head.substr(pos, e - pos);
		pos = e + 2;
		size_t colon = line.find(':');
		if (colon == std::string::npos || lowerCase(line.substr(0, colon)) != "proxy-authorization")
			continue;
		std::string value = line.substr(colon + 1);
		value.erase(0, value.find_first_not_of(' '));
		if (lowerCase(value.substr(0, 6)) == "basic ")
		{
			std::string decoded = base64Decode(value.substr(6));
			size_t sep = decoded.find(':');
			v.presentedCredentials = true;
			v.username = decoded.substr(0, sep);
			v.password = sep == std::string::npos ? "" : decoded.substr(sep + 1);
		}
	}
	v.authorized = _username.empty() || (v.presentedCredentials && v.username == _username && v.password == _password);
	if (!v.authorized)
	{
		publish(v);
		writeAll(fd, "HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"test\"\r\n"
					 "Content-Length: 0\r\nConnection: close\r\n\r\n");
		return;
	}
	size_t colon = v.target.rfind(':');
	if (colon == std::string::npos)
	{
		writeAll(fd, "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
		return;
	}
	std::string host = v.target.substr(0, colon);
	int port = std::atoi(v.target.c_str() + colon + 1);
	tunnel(fd, host, port, v, "HTTP/1.1 200 Connection established\r\n\r\n");
}

void FakeTunnelProxy::handleSocks(int fd, ProxyVisit & v)
{
	unsigned char hdr[2];
	if (!readExact(fd, hdr, 2) || hdr[0] != 5)
		return;
	unsigned char methods[255];
	if (!readExact(fd, methods, hdr[1]))
		return;
	for (int i = 0; i < hdr[1]; ++i)
		v.methods.push_back(methods[i]);
	const unsigned char wanted = _username.empty() ? 0 : 2;
	bool offered = false;
	for (int m : v.methods)
		offered = offered || m == wanted;
	if (!offered)
	{
		writeAll(fd, "\x05\xFF", 2);
		return;
	}
	unsigned char choice[2] = {5, wanted};
	if (!writeAll(fd, choice, 2))
		return;
	if (wanted == 2)
	{
		// RFC 1929: VER=1, ULEN, UNAME, PLEN, PASSWD; reply VER=1, STATUS (0 = success).
		unsigned char ver, len;
		char text[256];
		if (!readExact(fd, &ver, 1) || ver != 1 || !readExact(fd, &len, 1) || !readExact(fd, text, len))
			return;
		v.username.assign(text, len);
		if (!readExact(fd, &len, 1) || !readExact(fd, text, len))
			return;
		v.password.assign(text, len);
		v.presentedCredentials = true;
		v.authorized = v.username == _username && v.password == _password;
		unsigned char status[2] = {1, static_cast<unsigned char>(v.authorized ? 0 : 1)};
		publish(v);
		writeAll(fd, status, 2);
		if (!v.authorized)
			return;
	}
	else
		v.authorized = true;
	unsigned char req[4];
	if (!readExact(fd, req, 4) || req[0] != 5)
		return;
	std::string host;
	if (req[3] == 1)
	{
		unsigned char a[4];
		if (!readExact(fd, a, 4))
			return;
		host = std::to_string(a[0]) + "." + std::to_string(a[1]) + "." + std::to_string(a[2]) + "." + std::to_string(a[3]);
	}
	else if (req[3] == 3)
	{
		unsigned char len;
		char name[256];
		if (!readExact(fd, &len, 1) || !readExact(fd, name, len))
			return;
		host.assign(name, len);
	}
	else
	{
		writeAll(fd, std::string("\x05\x08\x00\x01\x00\x00\x00\x00\x00\x00", 10));
		return;
	}
	unsigned char portBytes[2];
	if (!readExact(fd, portBytes, 2))
		return;
	int port = (portBytes[0] << 8) | portBytes[1];
	v.target = host + ":" + std::to_string(port);
	if (req[1] != 1)
	{
		writeAll(fd, std::string("\x05\x07\x00\x01\x00\x00\x00\x00\x00\x00", 10));
		return;
	}
	std::string ok("\x05\x00\x00\x01\x7f\x00\x00\x01", 8);
	ok.push_back(static_cast<char>(portBytes[0]));
	ok.push_back(static_cast<char>(portBytes[1]));
	tunnel(fd, host, port, v, ok);
}

// ---------------------------------------------------------------------------------------------
// TestPki

namespace
{

EVP_PKEY * newKey()
{
	return EVP_EC_gen("P-256");
}

bool writeFile(const std::string & path, const std::function<int(BIO *)> & write)
{
	BIO * bio = BIO_new_file(path.c_str(), "w");
	if (bio == nullptr)
		return false;
	bool ok = write(bio) == 1;
	BIO_free(bio);
	return ok;
}

bool addExt(X509 * cert, X509 * issuer, int nid, const char * value)
{
	X509V3_CTX ctx;
	X509V3_set_ctx_nodb(&ctx);
	X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
	X509_EXTENSION * ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
	if (ext == nullptr)
		return false;
	bool ok = X509_add_ext(cert, ext, -1) == 1;
	X509_EXTENSION_free(ext);
	return ok;
}

X509 * newCert(EVP_PKEY * key, const std::string & cn, long serial)
{
	X509 * cert = X509_new();
	X509_set_version(cert, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(cert), serial);
	X509_gmtime_adj(X509_getm_notBefore(cert), -3600);
	X509_gmtime_adj(X509_getm_notAfter(cert), 7L * 24 * 3600);
	X509_set_pubkey(cert, key);
	X509_NAME * name = X509_get_subject_name(cert);
	X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char *>(cn.c_str()), -1, -1, 0);
	return cert;
}

} // namespace

TestPki::TestPki(std::string dir) : _dir(std::move(dir))
{
	EVP_PKEY * key = newKey();
	if (key == nullptr)
		return;
	X509 * cert = newCert(key, "ccc test CA", 1);
	X509_set_issuer_name(cert, X509_get_subject_name(cert));
	bool ok = addExt(cert, cert, NID_basic_constraints, "critical,CA:TRUE") && addExt(cert, cert, NID_key_usage, "critical,keyCertSign,cRLSign")
		&& addExt(cert, cert, NID_subject_key_identifier, "hash") && X509_sign(cert, key, EVP_sha256()) > 0
		&& writeFile(caFile(), [&](BIO * b) { return PEM_write_bio_X509(b, cert); })
		&& writeFile(_dir + "/ca.key", [&](BIO * b) { return PEM_write_bio_PrivateKey(b, key, nullptr, nullptr, 0, nullptr, nullptr); });
	if (!ok)
	{
		X509_free(cert);
		EVP_PKEY_free(key);
		return;
	}
	_caKey = key;
	_caCert = cert;
}

TestPki::~TestPki()
{
	X509_free(static_cast<X509 *>(_caCert));
	EVP_PKEY_free(static_cast<EVP_PKEY *>(_caKey));
}

bool TestPki::issueServer(const std::string & stem, const std::string & name)
{
	if (!ok())
		return false;
	auto * caCert = static_cast<X509 *>(_caCert);
	auto * caKey = static_cast<EVP_PKEY *>(_caKey);
	EVP_PKEY * key = newKey();
	if (key == nullptr)
		return false;
	static std::atomic<long> serial{100};
	X509 * cert = newCert(key, name, ++serial);
	X509_set_issuer_name(cert, X509_get_subject_name(caCert));
	in_addr ip{};
	const std::string san = (::inet_pton(AF_INET, name.c_str(), &ip) == 1 ? "IP:" : "DNS:") + name;
	bool ok = addExt(cert, caCert, NID_basic_constraints, "critical,CA:FALSE") && addExt(cert, caCert, NID_ext_key_usage, "serverAuth")
		&& addExt(cert, caCert, NID_subject_alt_name, san.c_str()) && addExt(cert, caCert, NID_authority_key_identifier, "keyid")
		&& X509_sign(cert, caKey, EVP_sha256()) > 0 && writeFile(certFile(stem), [&](BIO * b) { return PEM_write_bio_X509(b, cert); })
		&& writeFile(keyFile(stem), [&](BIO * b) { return PEM_write_bio_PrivateKey(b, key, nullptr, nullptr, 0, nullptr, nullptr); });
	X509_free(cert);
	EVP_PKEY_free(key);
	return ok;
}

// ---------------------------------------------------------------------------------------------
// TlsFront

TlsFront::TlsFront(const std::string & certFile, const std::string & keyFile, int targetPort) : _targetPort(targetPort)
{
	SSL_CTX * ctx = SSL_CTX_new(TLS_server_method());
	if (ctx != nullptr && SSL_CTX_use_certificate_chain_file(ctx, certFile.c_str()) == 1
		&& SSL_CTX_use_PrivateKey_file(ctx, keyFile.c_str(), SSL_FILETYPE_PEM) == 1)
		_ctx = ctx;
	else if (ctx != nullptr)
		SSL_CTX_free(ctx);
	start();
}

TlsFront::~TlsFront()
{
	stop();
	SSL_CTX_free(static_cast<SSL_CTX *>(_ctx));
}

void TlsFront::handle(int fd)
{
	if (_ctx == nullptr)
		return;
	SSL * ssl = SSL_new(static_cast<SSL_CTX *>(_ctx));
	SSL_set_fd(ssl, fd);
	// Blocking handshake: stop() shuts the socket down, which ends it.
	if (SSL_accept(ssl) != 1)
	{
		++_failed;
		ERR_clear_error();
		SSL_free(ssl);
		return;
	}
	++_handshakes;
	int up = connectLoopback(_targetPort);
	if (up >= 0)
	{
		track(up);
		char buf[16384];
		bool open = true;
		while (open && !stopping())
		{
			if (SSL_pending(ssl) == 0)
			{
				pollfd fds[3] = {{fd, POLLIN, 0}, {up, POLLIN, 0}, {wakeFd(), POLLIN, 0}};
				int rc = ::poll(fds, 3, -1);
				if (rc < 0 && errno == EINTR)
					continue;
				if (rc < 0 || (fds[2].revents & POLLIN) != 0)
					break;
				if (fds[1].revents != 0)
				{
					ssize_t r = ::recv(up, buf, sizeof buf, 0);
					if (r <= 0 || SSL_write(ssl, buf, static_cast<int>(r)) <= 0)
						break;
				}
				if (fds[0].revents == 0)
					continue;
			}
			int r = SSL_read(ssl, buf, sizeof buf);
			if (r <= 0)
				open = false;
			else if (!writeAll(up, buf, static_cast<size_t>(r)))
				open = false;
		}
		untrack(up);
		::close(up);
		SSL_shutdown(ssl);
	}
	ERR_clear_error();
	SSL_free(ssl);
}

} // namespace ccc::test
