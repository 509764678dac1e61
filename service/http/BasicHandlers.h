#pragma once
#include <Poco/Net/HTTPRequestHandler.h>

#include "core/ServiceContext.h"

namespace ccc::http
{

/// GET /healthz: {"status":"ok","version":...,"uptime_seconds":...}
Poco::Net::HTTPRequestHandler * makeHealthHandler(const ServiceContext & ctx);

/// A 301/308 to `location`.
Poco::Net::HTTPRequestHandler * makeRedirectHandler(std::string location);

/// HEAD / (Claude Code's connectivity probe) and GET / (the set-up help page).
Poco::Net::HTTPRequestHandler * makeRootHandler(const ServiceContext & ctx);

} // namespace ccc::http
