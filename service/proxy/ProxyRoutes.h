#pragma once
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPServerRequest.h>

#include "proxy/ProxyEngine.h"

namespace ccc::proxy
{

/// The Anthropic API surface: every method on /v1/* goes to the proxy engine.
class ProxyRoutes
{
public:
	explicit ProxyRoutes(ProxyEngine & engine) : _engine(engine) { }

	/// A handler for /v1/* requests; null for other paths.
	Poco::Net::HTTPRequestHandler * route(const Poco::Net::HTTPServerRequest & request);

private:
	ProxyEngine & _engine;
};

} // namespace ccc::proxy
