#pragma once
#include <string>

#include <nlohmann/json.hpp>

#include "model/http.h"

/// Typed calls to the service's admin API (service/admin/AdminApi.cpp). Each call turns the HTTP
/// outcome into an ApiResult so callers handle one shape: either a parsed JSON body, or an error
/// message fit to show next to whatever triggered the call.
namespace ccc::admin
{

struct ApiResult
{
	bool ok = false;
	int status = 0;                 ///< HTTP status, 0 when the service could not be reached
	nlohmann::ordered_json body;    ///< the parsed JSON body when ok (and for JSON error bodies)
	std::string error;              ///< empty when ok; otherwise a one-line human-readable reason
};

class ApiClient
{
public:
	explicit ApiClient(HttpTransport transport) : _transport(std::move(transport)) { }

	/// GET /admin/api/config -> {"path": "...", "config": {...secrets masked...}}
	void getConfig(std::function<void(ApiResult)> done);

	/// GET /admin/api/endpoints -> {"endpoints": [{...settings, "id", "status", "breaker", counters}]}
	void getEndpoints(std::function<void(ApiResult)> done);

	/// POST /admin/api/endpoints/<id>/reset-status -> {"message": "..."}; 404 for an unknown id.
	void resetEndpointStatus(const std::string & id, std::function<void(ApiResult)> done);

	/// Percent-encodes one path segment (RFC 3986 unreserved characters stay as they are).
	static std::string encodePathSegment(const std::string & segment);

	/// Sends any admin API request and parses its JSON answer (the building block of the calls above).
	void request(const HttpRequest & request, std::function<void(ApiResult)> done);

	/// Maps a raw response to an ApiResult: non-2xx answers use the body's "error" field when present.
	static ApiResult toResult(const HttpResponse & response);

private:
	HttpTransport _transport;
};

} // namespace ccc::admin
