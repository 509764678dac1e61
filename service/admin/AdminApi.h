#pragma once
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPServerRequest.h>

#include "core/ServiceContext.h"

namespace ccc::admin
{

/// Routes /admin/api/*. Returns null for paths it does not serve (the router then answers 404).
/// The routes live by area: ConfigApi.h (config, endpoints, profiles, taggers, tags, settings) and
/// LogsApi.h (logs, dashboard, events), TaggerTryApi.h (trying a tagger on a sample request);
/// docs/ADMIN_API.md lists them all.
Poco::Net::HTTPRequestHandler * makeAdminApiHandler(const Poco::Net::HTTPServerRequest & request, const ServiceContext & ctx);

} // namespace ccc::admin
