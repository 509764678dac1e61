#pragma once
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPServerRequest.h>

#include "core/ServiceContext.h"

namespace ccc::admin
{

/// The configuration routes of /admin/api (docs/ADMIN_API.md, "Configuration routes"): config,
/// endpoints (list/get/create/update/delete/copy/toggle/reorder/test-rewrite/reset-status),
/// endpoint profiles, the wizard and name suggestion, taggers, tags and settings. Request and
/// response types are ccc/api/admin_config.h. Every mutation names the config version it is based
/// on (If-Match or "version"); a stale one gets 409 with the current version. Secrets are masked
/// in every response. Returns null for paths it does not serve.
Poco::Net::HTTPRequestHandler * makeConfigApiHandler(const Poco::Net::HTTPServerRequest & request, const ServiceContext & ctx);

} // namespace ccc::admin
