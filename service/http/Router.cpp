#include "http/Router.h"

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include "http/Responses.h"

namespace ccc::http
{

namespace
{

class NotFoundHandler : public Poco::Net::HTTPRequestHandler
{
public:
	void handleRequest(Poco::Net::HTTPServerRequest & request, Poco::Net::HTTPServerResponse & response) override
	{
		sendJson(response, Poco::Net::HTTPResponse::HTTP_NOT_FOUND,
			{{"error", "no route for " + request.getMethod() + " " + requestPath(request)},
				{"hint", "the Anthropic API is served under /v1/, the admin under /admin/"}});
	}
};

} // namespace

std::string requestPath(const Poco::Net::HTTPServerRequest & request)
{
	const std::string & uri = request.getURI();
	size_t q = uri.find('?');
	return q == std::string::npos ? uri : uri.substr(0, q);
}

Poco::Net::HTTPRequestHandler * Router::createRequestHandler(const Poco::Net::HTTPServerRequest & request)
{
	for (const auto & route : _routes)
		if (Poco::Net::HTTPRequestHandler * h = route(request))
			return h;
	return new NotFoundHandler;
}

} // namespace ccc::http
