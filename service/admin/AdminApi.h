#pragma once
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPServerRequest.h>

#include "core/ServiceContext.h"

namespace ccc::admin
{

/// Routes /admin/api/*. Returns null for paths it does not serve (the router then answers 404).
/// Current routes:
///   GET  /admin/api/config                      {"config": <config, secrets masked>, "path": <config file>}
///   GET  /admin/api/endpoints                   {"endpoints": [<endpoint, secrets masked> + id, status, breaker, counters]}
///   POST /admin/api/endpoints/<id|name>/reset-status   closes the endpoint's circuit breaker
Poco::Net::HTTPRequestHandler * makeAdminApiHandler(const Poco::Net::HTTPServerRequest & request, const ServiceContext & ctx);

} // namespace ccc::admin
