#pragma once
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPServerRequest.h>

#include "core/ServiceContext.h"

namespace ccc::admin
{

/// Routes /admin/api/*. Returns null for paths it does not serve (the router then answers 404).
/// Current routes:
///   GET /admin/api/config   {"config": <config with secrets masked>, "path": <config file>}
Poco::Net::HTTPRequestHandler * makeAdminApiHandler(const Poco::Net::HTTPServerRequest & request, const ServiceContext & ctx);

} // namespace ccc::admin
