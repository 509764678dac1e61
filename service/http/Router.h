#pragma once
#include <functional>
#include <vector>

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>

namespace ccc::http
{

/// An ordered list of routes; the first route that returns a handler wins, otherwise a JSON 404.
/// (ClickHouse's HTTPRequestHandlerFactoryMain: small predicates, explicit not-found.)
class Router : public Poco::Net::HTTPRequestHandlerFactory
{
public:
	using Route = std::function<Poco::Net::HTTPRequestHandler *(const Poco::Net::HTTPServerRequest &)>;

	void add(Route route) { _routes.push_back(std::move(route)); }

	Poco::Net::HTTPRequestHandler * createRequestHandler(const Poco::Net::HTTPServerRequest & request) override;

private:
	std::vector<Route> _routes;
};

/// A handler made of one function: routes that need no state of their own.
class FunctionHandler : public Poco::Net::HTTPRequestHandler
{
public:
	using Fn = std::function<void(Poco::Net::HTTPServerRequest &, Poco::Net::HTTPServerResponse &)>;
	explicit FunctionHandler(Fn fn) : _fn(std::move(fn)) { }
	void handleRequest(Poco::Net::HTTPServerRequest & request, Poco::Net::HTTPServerResponse & response) override
	{
		_fn(request, response);
	}

private:
	Fn _fn;
};

/// The path part of a request URI (no query), not percent-decoded.
std::string requestPath(const Poco::Net::HTTPServerRequest & request);

} // namespace ccc::http
