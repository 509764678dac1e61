#pragma once
#include <string>

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <nlohmann/json.hpp>

#include "core/ServiceContext.h"

namespace ccc::admin
{

/// The admin's tagger tester (docs/ADMIN_API.md, "Trying a tagger"):
///   GET  /admin/api/taggers/sample-request -> {"request": SampleRequest}
///   POST /admin/api/taggers/try {"tagger"?: {...unsaved}, "request"?: SampleRequest}
///        -> {"tags": [...], "tagger"?: {"matched", "tags", "error", "duration_us"}}
/// SampleRequest is {"method", "path" (may carry "?query"), "headers": {name: value}, "body": text}.
/// Both routes run the real tagging code (tagging::TaggingEngine: built-in taggers and Lua with the
/// configured pipeline_timeout and the Lua sandbox limits) and change nothing. The POST passes the
/// same CSRF/Origin check as every admin mutation (http/AccessControl.h). Returns null for other
/// paths, and for GET .../sample-request when a tagger of that name exists (ConfigApi serves it).
Poco::Net::HTTPRequestHandler * makeTaggerTryHandler(const Poco::Net::HTTPServerRequest & request, const ServiceContext & ctx);

/// The request tried when the POST names none: a representative Claude Code /v1/messages call
/// (headers and a small body with system, tools, thinking and a user prompt).
nlohmann::ordered_json sampleTaggerRequest();

} // namespace ccc::admin
