#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "model/http.h"
#include "model/login_state.h"

/// Typed calls to the service's admin API (service/admin/AdminApi.cpp). Each call turns the HTTP
/// outcome into an ApiResult so callers handle one shape: either a parsed JSON body, or an error
/// message fit to show next to whatever triggered the call.
///
/// Access control (docs/SECURITY.md) is handled here, transparently for every model:
/// - every mutation (any method but GET/HEAD) carries X-CSRF-Token once GET /admin/api/session
///   has answered (refreshSession(); mutations sent while it is in flight wait for it); a 403
///   CSRF_INVALID (a stale token, e.g. after a service restart) refreshes the token and sends the
///   request once more;
/// - a 401 from /admin/api/* (password mode, not or no longer logged in) is not delivered: the
///   request is held, loginState().loginRequired() turns true (the frame shows the login screen),
///   and after login() succeeds every held request is sent again, so callers simply see a late
///   answer.
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
	explicit ApiClient(HttpTransport transport);

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

	/// The session: mode, login, CSRF token, the login form's state.
	const LoginState & loginState() const;
	/// GET /admin/api/session: learns the mode and the CSRF token (the page calls it at start).
	void refreshSession();
	/// POST /admin/api/login {"password"}; on success the held requests are sent again. Ignored
	/// while a login is in flight or a lockout (429 Retry-After) lasts.
	void login(const std::string & password);
	/// POST /admin/api/logout; on success the login screen shows.
	void logout();
	/// The wall clock in epoch ms (lockout countdowns); tests replace it.
	void setClock(std::function<int64_t()> clock);
	int64_t nowMs() const;

private:
	struct Core;
	std::shared_ptr<Core> _core;
};

} // namespace ccc::admin
