#pragma once
#include <atomic>
#include <chrono>
#include <cstdint>

#include <Poco/Net/HTTPRequestHandlerFactory.h>

namespace ccc::http
{
class HttpServer;
}

namespace ccc
{

/// Wraps the service's router so that a stop can wait for requests in flight (SIGTERM drain).
/// Counts every request from the creation of its handler to the handler's destruction (after the
/// response, a whole stream included, was written). Once draining, a request that still arrives
/// on an already open keep-alive connection is served with "Connection: close".
class DrainingFactory : public Poco::Net::HTTPRequestHandlerFactory
{
public:
	explicit DrainingFactory(Poco::Net::HTTPRequestHandlerFactory::Ptr inner);

	Poco::Net::HTTPRequestHandler * createRequestHandler(const Poco::Net::HTTPServerRequest & request) override;

	void beginDrain() { _draining.store(true); }
	int inFlight() const { return _inFlight.load(); }
	/// Waits until no request is in flight; false when `timeout` passed first.
	bool waitIdle(std::chrono::milliseconds timeout) const;

private:
	Poco::Net::HTTPRequestHandlerFactory::Ptr _inner;
	std::atomic<int> _inFlight{0};
	std::atomic<bool> _draining{false};
};

/// Graceful stop, bounded by `graceMs`: stops accepting and closes the listening socket (new
/// clients are refused at once), waits for the requests in flight, then closes every connection
/// (idle keep-alive ones at once; busy ones only when the grace time ran out, which ends their
/// requests at the next read or write) and waits for their threads to end.
void drainServer(http::HttpServer & server, DrainingFactory & factory, int64_t graceMs);

} // namespace ccc
