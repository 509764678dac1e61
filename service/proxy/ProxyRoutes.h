#pragma once
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPServerRequest.h>

#include "core/ServiceContext.h"

namespace ccc::proxy
{

/// The Anthropic API surface: /v1/* (any method). Until the proxy engine lands it answers an
/// Anthropic-shaped 503 so clients see a clear, well-formed error.
class ProxyRoutes
{
public:
	explicit ProxyRoutes(const ServiceContext & ctx) : _ctx(ctx) { }

	/// A handler for /v1/* requests; null for other paths.
	Poco::Net::HTTPRequestHandler * route(const Poco::Net::HTTPServerRequest & request);

private:
	const ServiceContext & _ctx;
};

} // namespace ccc::proxy
