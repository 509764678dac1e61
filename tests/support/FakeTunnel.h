#pragma once
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

/// Loopback servers that stand between the proxy and a FakeUpstream: outbound proxies (HTTP
/// CONNECT, SOCKS5) and a TLS terminator, plus a throwaway PKI for the TLS tests. Every server
/// listens on 127.0.0.1 only and only ever connects to 127.0.0.1.
namespace ccc::test
{

/// Accept loop, one thread per connection, prompt stop. Subclasses implement handle().
class LoopbackServer
{
public:
	LoopbackServer(const LoopbackServer &) = delete;
	LoopbackServer & operator=(const LoopbackServer &) = delete;
	virtual ~LoopbackServer();

	int port() const { return _port; }
	/// "127.0.0.1:<port>"
	std::string address() const { return "127.0.0.1:" + std::to_string(_port); }
	int connectionCount() const { return _accepted.load(); }

protected:
	LoopbackServer();
	/// Starts accepting; call at the end of the subclass constructor.
	void start();
	/// Stops accepting and ends every connection; subclasses call it first in their destructor
	/// (handle() must not run on a half-destroyed object). Idempotent.
	void stop();
	/// Serves one accepted connection; the fd is closed by the caller afterwards.
	virtual void handle(int fd) = 0;

	/// Reads exactly n bytes (false on EOF, error, stop or `timeoutMs` without progress).
	bool readExact(int fd, void * buf, size_t n, int timeoutMs = 10000);
	bool writeAll(int fd, const void * buf, size_t n);
	bool writeAll(int fd, const std::string & s) { return writeAll(fd, s.data(), s.size()); }
	/// Connects to 127.0.0.1:port; -1 on failure.
	static int connectLoopback(int port);
	/// Copies bytes both ways until either side closes or the server stops.
	void pump(int a, int b);
	bool stopping() const { return _stopping.load(); }
	int wakeFd() const { return _wakePipe[0]; }
	/// Registers an extra fd (e.g. the upstream side of a tunnel) so that stop() shuts it down.
	void track(int fd);
	void untrack(int fd);

private:
	void acceptLoop();

	int _listenFd = -1;
	int _port = 0;
	int _wakePipe[2] = {-1, -1};
	std::atomic<bool> _stopping{false};
	std::atomic<int> _accepted{0};
	std::thread _acceptThread;
	std::mutex _mutex;
	std::condition_variable _changed;
	std::set<int> _fds;
	int _liveThreads = 0;
};

/// What an outbound proxy saw on one connection.
struct ProxyVisit
{
	std::string target;        ///< "host:port" the client asked to reach
	bool presentedCredentials = false;
	std::string username;      ///< as presented (decoded)
	std::string password;
	bool authorized = false;   ///< credentials matched (or none were required)
	bool tunnelled = false;    ///< the tunnel to the target was opened
	std::string rawHead;       ///< CONNECT: the request head byte for byte; SOCKS5: ""
	std::vector<int> methods;  ///< SOCKS5: the authentication methods offered
	size_t slot = 0;           ///< position in visits()
};

/// A fake outbound proxy: HTTP CONNECT (credentials in Proxy-Authorization: Basic) or SOCKS5
/// (RFC 1928, username/password per RFC 1929). With a username set, credentials are required
/// (CONNECT answers 407, SOCKS5 answers status 1 and closes). Targets other than 127.0.0.1 or
/// localhost are refused.
class FakeTunnelProxy : public LoopbackServer
{
public:
	enum class Kind
	{
		HttpConnect,
		Socks5
	};
	explicit FakeTunnelProxy(Kind kind, std::string username = "", std::string password = "");
	~FakeTunnelProxy() override;

	/// One entry per connection, in order of arrival (an entry is empty until the proxy has read
	/// what it reports).
	std::vector<ProxyVisit> visits() const;

protected:
	void handle(int fd) override;

private:
	void handleConnect(int fd, ProxyVisit & v);
	void handleSocks(int fd, ProxyVisit & v);
	/// Stores the visit as known so far, before the client can see the proxy's answer: a test that
	/// has its response reads a complete record.
	void publish(const ProxyVisit & v);
	/// Connects to the target (127.0.0.1 only) and pumps; records tunnelled.
	void tunnel(int fd, const std::string & host, int port, ProxyVisit & v, const std::string & okReply);

	Kind _kind;
	std::string _username;
	std::string _password;
	mutable std::mutex _visitMutex;
	std::vector<ProxyVisit> _visits;
};

/// A throwaway certificate authority and server certificates, made at run time with OpenSSL and
/// written as PEM files into `dir`.
class TestPki
{
public:
	/// Creates the CA (ca.pem, ca.key) in `dir`.
	explicit TestPki(std::string dir);
	~TestPki();
	TestPki(const TestPki &) = delete;
	TestPki & operator=(const TestPki &) = delete;

	std::string caFile() const { return _dir + "/ca.pem"; }
	/// Issues a server certificate for `name` (common name, and a subject alternative name: IP
	/// when it parses as an IPv4 address, DNS otherwise); writes <stem>.pem and <stem>.key.
	/// Returns false if OpenSSL failed.
	bool issueServer(const std::string & stem, const std::string & name);
	std::string certFile(const std::string & stem) const { return _dir + "/" + stem + ".pem"; }
	std::string keyFile(const std::string & stem) const { return _dir + "/" + stem + ".key"; }
	bool ok() const { return _caKey != nullptr && _caCert != nullptr; }

private:
	std::string _dir;
	void * _caKey = nullptr;  ///< EVP_PKEY*
	void * _caCert = nullptr; ///< X509*
};

/// Terminates TLS (certificate and key from PEM files) and forwards the plaintext to
/// 127.0.0.1:<targetPort>, typically a FakeUpstream. Handshakes that fail are counted.
class TlsFront : public LoopbackServer
{
public:
	TlsFront(const std::string & certFile, const std::string & keyFile, int targetPort);
	~TlsFront() override;

	std::string url() const { return "https://127.0.0.1:" + std::to_string(port()); }
	bool ok() const { return _ctx != nullptr; }
	int handshakes() const { return _handshakes.load(); }
	int failedHandshakes() const { return _failed.load(); }

protected:
	void handle(int fd) override;

private:
	void * _ctx = nullptr; ///< SSL_CTX*
	int _targetPort;
	std::atomic<int> _handshakes{0};
	std::atomic<int> _failed{0};
};

} // namespace ccc::test
