#include "proxy/ProxyRoutes.h"

#include <Poco/Net/HTTPServerResponse.h>

#include "http/Router.h"

namespace ccc::proxy
{

namespace
{

class ProxyHandler : public Poco::Net::HTTPRequestHandler
{
public:
	explicit ProxyHandler(ProxyEngine & engine) : _engine(engine) { }
	void handleRequest(Poco::Net::HTTPServerRequest & request, Poco::Net::HTTPServerResponse & response) override
	{
		_engine.handle(request, response);
	}

private:
	ProxyEngine & _engine;
};

} // namespace

Poco::Net::HTTPRequestHandler * ProxyRoutes::route(const Poco::Net::HTTPServerRequest & request)
{
	const std::string path = http::requestPath(request);
	if (path == "/v1" || path.rfind("/v1/", 0) == 0)
		return new ProxyHandler(_engine);
	return nullptr;
}

} // namespace ccc::proxy
