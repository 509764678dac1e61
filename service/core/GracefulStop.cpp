#include "core/GracefulStop.h"

#include <memory>
#include <thread>

#include <Poco/Logger.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPServerResponse.h>

#include "ccc/config/duration.h"
#include "http/HttpServer.h"

namespace ccc
{

namespace
{

class CountedHandler : public Poco::Net::HTTPRequestHandler
{
public:
	CountedHandler(Poco::Net::HTTPRequestHandler * inner, std::atomic<int> & inFlight, bool closeAfter)
		: _inner(inner), _inFlight(inFlight), _closeAfter(closeAfter)
	{
	}
	~CountedHandler() override
	{
		_inner.reset();
		_inFlight.fetch_sub(1);
	}
	void handleRequest(Poco::Net::HTTPServerRequest & request, Poco::Net::HTTPServerResponse & response) override
	{
		if (_closeAfter)
			response.setKeepAlive(false);
		if (_inner)
			_inner->handleRequest(request, response);
	}

private:
	std::unique_ptr<Poco::Net::HTTPRequestHandler> _inner;
	std::atomic<int> & _inFlight;
	bool _closeAfter;
};

} // namespace

DrainingFactory::DrainingFactory(Poco::Net::HTTPRequestHandlerFactory::Ptr inner) : _inner(std::move(inner))
{
}

Poco::Net::HTTPRequestHandler * DrainingFactory::createRequestHandler(const Poco::Net::HTTPServerRequest & request)
{
	_inFlight.fetch_add(1);
	Poco::Net::HTTPRequestHandler * inner = nullptr;
	try
	{
		inner = _inner->createRequestHandler(request);
	}
	catch (...)
	{
		_inFlight.fetch_sub(1);
		throw;
	}
	return new CountedHandler(inner, _inFlight, _draining.load());
}

bool DrainingFactory::waitIdle(std::chrono::milliseconds timeout) const
{
	const auto deadline = std::chrono::steady_clock::now() + timeout;
	while (_inFlight.load() > 0)
	{
		if (std::chrono::steady_clock::now() >= deadline)
			return false;
		std::this_thread::sleep_for(std::chrono::milliseconds(20));
	}
	return true;
}

void drainServer(http::HttpServer & server, DrainingFactory & factory, int64_t graceMs)
{
	Poco::Logger & log = Poco::Logger::get("service");
	// Ends the accept loop and closes the listening socket (connections queued by the kernel would
	// otherwise wait, never served).
	server.stopAccepting();
	factory.beginDrain();
	server.beginDrain();
	const int busy = factory.inFlight();
	if (busy > 0)
		log.information("stopping: no new connections; %d request(s) in flight may finish within %s", busy,
			config::formatDurationMs(graceMs));
	const bool drained = factory.waitIdle(std::chrono::milliseconds(graceMs));
	if (!drained)
		log.warning("stopping: %d request(s) still busy after %s; closing them", factory.inFlight(),
			config::formatDurationMs(graceMs));
	else if (busy > 0)
		log.information("stopping: every request in flight has ended");
	server.closeAll();
}

} // namespace ccc
