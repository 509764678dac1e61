#include "proxy/ProxyRoutes.h"

#include <Poco/Net/HTTPServerResponse.h>

#include "http/Responses.h"
#include "http/Router.h"

namespace ccc::proxy
{

namespace
{

class UnavailableHandler : public Poco::Net::HTTPRequestHandler
{
public:
	void handleRequest(Poco::Net::HTTPServerRequest & request, Poco::Net::HTTPServerResponse & response) override
	{
		// Drain the body so the connection stays usable for keep-alive.
		request.stream().ignore(std::numeric_limits<std::streamsize>::max());
		http::sendAnthropicError(response, 503, "api_error", "the proxy engine is not available in this build");
	}
};

} // namespace

Poco::Net::HTTPRequestHandler * ProxyRoutes::route(const Poco::Net::HTTPServerRequest & request)
{
	const std::string path = http::requestPath(request);
	if (path == "/v1" || path.rfind("/v1/", 0) == 0)
		return new UnavailableHandler;
	(void)_ctx;
	return nullptr;
}

} // namespace ccc::proxy
