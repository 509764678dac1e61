#pragma once
#include <string>

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <nlohmann/json.hpp>

#include "ccc/api/admin_config.h"
#include "config/ConfigStore.h"
#include "core/ServiceContext.h"

/// What the admin API's route files share: the error shape, reading a JSON body, query
/// parameters and the file config as it is on disk now.
namespace ccc::admin
{

/// The largest request body an admin route reads (a whole config, a Lua script, a sample request).
constexpr size_t kMaxAdminBody = 4 * 1024 * 1024;

/// Sends `e` as the admin API's error JSON with `status`.
void sendApiError(Poco::Net::HTTPServerResponse & response, int status, const api::ApiError & e);

/// The request body as JSON ({} when empty). False, with 413 or 400 sent, when it is larger than
/// kMaxAdminBody, not JSON, or (with `requireObject`) not a JSON object.
bool readJsonBody(Poco::Net::HTTPServerRequest & request, Poco::Net::HTTPServerResponse & response, nlohmann::json & out,
	bool requireObject = false);

/// The first value of query parameter `name` ("" when absent or the URI is malformed).
std::string queryParam(const Poco::Net::HTTPServerRequest & request, const std::string & name);

/// The config as the file says now, with its version: a hand edit saved a moment ago is read
/// before answering (the watcher may not have polled yet), so a client never bases a change on
/// a version the next write would refuse.
ConfigPtr currentFileConfig(const ServiceContext & ctx, std::string * version = nullptr);

} // namespace ccc::admin
