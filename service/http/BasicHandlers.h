#pragma once
#include <Poco/Net/HTTPRequestHandler.h>

#include "core/ServiceContext.h"

namespace ccc::http
{

/// GET /healthz: {"status":"ok","version":...,"uptime_seconds":...}
Poco::Net::HTTPRequestHandler * makeHealthHandler(const ServiceContext & ctx);

/// A 301/308 to `location`.
Poco::Net::HTTPRequestHandler * makeRedirectHandler(std::string location);

/// HEAD / (Claude Code's connectivity probe: an empty 200), GET / (the Claude Code set-up help
/// page, see http/ClaudeSetup.h) and GET /setup/ccc.{sh,command,bat,ps1} (launcher scripts, as
/// downloads). The page never shows a configured client token, only a placeholder.
Poco::Net::HTTPRequestHandler * makeRootHandler(const ServiceContext & ctx);

} // namespace ccc::http
