#pragma once
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <Poco/Net/Context.h>
#include <Poco/Net/StreamSocket.h>

#include "ccc/config/model.h"
#include "upstream/Url.h"

namespace ccc::upstream
{

/// How an I/O step ended. The proxy turns these into attempt outcomes (network / timeout /
/// client_cancelled), so the distinction matters.
enum class IoStatus
{
	Ok,
	Eof,       ///< orderly close by the peer
	Timeout,   ///< nothing arrived within the allowed time
	Cancelled, ///< the client connection went away while we waited
	Error      ///< reset, refused, TLS failure ...
};

struct ConnectOptions
{
	int64_t connectMs = 10000;
	int64_t tlsHandshakeMs = 10000;
	bool tlsVerify = true;
	std::string caFile; ///< PEM CAs trusted instead of the system store ("" = system store)
	std::optional<config::ProxyConfig> proxy; ///< HTTP CONNECT or SOCKS5 tunnel
};

/// One upstream TCP (optionally TLS) connection, opened directly or through a CONNECT / SOCKS5
/// proxy. Reads poll the socket (and optionally the client's socket, to notice a client that went
/// away during a long thinking pause) instead of blocking, so every wait has a deadline.
class Connection
{
public:
	/// Opens a connection; on failure returns null with `status` (Timeout or Error) and `error`.
	static std::unique_ptr<Connection> open(const Url & url, const ConnectOptions & options, IoStatus & status, std::string & error);

	~Connection();

	IoStatus writeAll(std::string_view data, int64_t timeoutMs, std::string & error);

	/// Reads what is available (at most `capacity` bytes), waiting up to `timeoutMs` for the first
	/// byte. When `cancelFd` >= 0 the wait also ends (Cancelled) if that socket's peer hangs up.
	IoStatus readSome(char * buffer, size_t capacity, size_t & got, int64_t timeoutMs, int cancelFd, std::string & error);

	/// True if the peer has closed or sent unexpected bytes while the connection sat idle in the
	/// pool (such a connection must not be reused).
	bool staleWhileIdle();

	std::chrono::steady_clock::time_point lastUsed;
	int requestsServed = 0;
	const std::string & poolKey() const { return _poolKey; }
	void setPoolKey(std::string k) { _poolKey = std::move(k); }

	/// A client TLS context (shared): verifying against the system CA store (or `caFile` when not
	/// empty), or not verifying. Null with `error` when `caFile` cannot be loaded.
	static Poco::Net::Context::Ptr tlsContext(bool verify, const std::string & caFile, std::string & error);

private:
	Connection() = default;
	int fd() const;

	Poco::Net::StreamSocket _socket;
	bool _tls = false;
	std::string _poolKey;
};

} // namespace ccc::upstream
