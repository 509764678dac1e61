#include "http/Router.h"

#include <memory>
#include <sstream>

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

/// A request seen through an empty body. RFC 9112 §6.3: a request with neither Content-Length nor
/// chunked Transfer-Encoding has no body. POCO instead reads such a POST/PUT/PATCH body until the
/// client closes the connection, so `curl -X POST` (no -d) would hang every handler that reads or
/// drains its body. Everything but the body is the original request's.
class BodylessRequest : public Poco::Net::HTTPServerRequest
{
public:
	explicit BodylessRequest(Poco::Net::HTTPServerRequest & original) : _original(original)
	{
		setMethod(original.getMethod());
		setURI(original.getURI());
		setVersion(original.getVersion());
		for (const auto & [name, value] : original)
			add(name, value);
	}

	std::istream & stream() override { return _empty; }
	const Poco::Net::SocketAddress & clientAddress() const override { return _original.clientAddress(); }
	const Poco::Net::SocketAddress & serverAddress() const override { return _original.serverAddress(); }
	const Poco::Net::HTTPServerParams & serverParams() const override { return _original.serverParams(); }
	Poco::Net::HTTPServerResponse & response() const override { return _original.response(); }
	bool secure() const override { return _original.secure(); }

private:
	Poco::Net::HTTPServerRequest & _original;
	std::istringstream _empty;
};

class BodylessHandler : public Poco::Net::HTTPRequestHandler
{
public:
	explicit BodylessHandler(Poco::Net::HTTPRequestHandler * inner) : _inner(inner) { }

	void handleRequest(Poco::Net::HTTPServerRequest & request, Poco::Net::HTTPServerResponse & response) override
	{
		BodylessRequest bodyless(request);
		_inner->handleRequest(bodyless, response);
	}

private:
	std::unique_ptr<Poco::Net::HTTPRequestHandler> _inner;
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
	Poco::Net::HTTPRequestHandler * handler = nullptr;
	for (const auto & route : _routes)
		if ((handler = route(request)) != nullptr)
			break;
	if (handler == nullptr)
		handler = new NotFoundHandler;
	// GET, HEAD and DELETE already get an empty body from POCO; keep their original request (the
	// proxy watches the client socket of the original during long waits).
	const std::string & method = request.getMethod();
	if (!request.hasContentLength() && !request.getChunkedTransferEncoding() && method != "GET" && method != "HEAD"
		&& method != "DELETE")
		return new BodylessHandler(handler);
	return handler;
}

} // namespace ccc::http
