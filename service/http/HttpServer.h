#pragma once
#include <atomic>
#include <chrono>
#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_set>

#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/ServerSocket.h>

namespace Poco
{
class ThreadPool;
}
namespace Poco::Net
{
class TCPServer;
}

namespace ccc::http
{

struct HttpServerOptions
{
	int maxThreads = 16;   ///< connections served at once (each open one holds a thread)
	int maxQueued = 4096;  ///< accepted connections waiting for a thread beyond that
	/// Before the first byte of a request (also the first one on a new connection).
	std::chrono::milliseconds keepAliveTimeout{75000};
	/// The whole request head must arrive within this from its first byte (slow clients that
	/// trickle a head in do not hold a thread longer).
	std::chrono::milliseconds headerTimeout{30000};
	/// Each read of a request body and each write of a response.
	std::chrono::milliseconds ioTimeout{120000};
	/// Request line plus header fields; beyond it the answer is 431 and the connection closes.
	size_t maxHeaderBytes = 64 * 1024;
	size_t maxHeaderFields = 200;
	std::string serverName; ///< the Server header
};

/// A request read by HttpServer. Beyond POCO's interface it gives the client socket's descriptor
/// (watched during long upstream waits so a client that leaves cancels the attempt). Its body
/// stream reads large requests straight from the socket once the connection's buffer is drained.
class ServerRequest : public Poco::Net::HTTPServerRequest
{
public:
	virtual int socketFd() const = 0;
};

/// The HTTP/1.1 server under the router, on POCO's TCPServer (accept thread, thread pool, queue)
/// with our own connection loop: one buffered reader per connection, the next keep-alive request
/// awaited with poll(), peer/local addresses taken only when a handler asks, request heads parsed
/// in place, responses written with as few system calls as possible (head and a small body in
/// one send, each flush of a chunked stream one send). Handlers see POCO's HTTPServerRequest /
/// HTTPServerResponse interfaces. Framing rules: HTTP/1.0 and 1.1, keep-alive and
/// "Connection: close", pipelined requests, Content-Length or chunked request bodies (a request
/// with neither has an empty body), Expect: 100-continue (the 100 is sent when the handler first
/// reads the body or calls sendContinue()), HEAD, malformed heads -> 400, heads over
/// maxHeaderBytes -> 431, other versions -> 505; each of these closes the connection.
class HttpServer
{
public:
	HttpServer(Poco::Net::HTTPRequestHandlerFactory::Ptr factory, const Poco::Net::ServerSocket & socket, HttpServerOptions options);
	~HttpServer();

	void start();
	/// Stops accepting (the listening socket is closed too: new clients are refused at once).
	void stopAccepting();
	/// From now on every connection closes after its current request; idle ones close at once.
	void beginDrain();
	/// Shuts every connection down (busy ones fail at their next read or write), then waits until
	/// every connection thread has ended.
	void closeAll();

	struct Connection;

private:
	friend struct Connection;
	bool enter(Connection * c);
	void leave(Connection * c);
	bool setIdle(Connection * c, bool idle); ///< false when draining (the connection must end)

	Poco::Net::HTTPRequestHandlerFactory::Ptr _factory;
	Poco::Net::ServerSocket _socket;
	HttpServerOptions _options;
	Poco::AutoPtr<Poco::Net::HTTPServerParams> _params;
	std::unique_ptr<Poco::ThreadPool> _pool;
	std::unique_ptr<Poco::Net::TCPServer> _server;
	std::mutex _mutex;
	std::unordered_set<Connection *> _connections;
	bool _draining = false;
	bool _closing = false;
};

} // namespace ccc::http
