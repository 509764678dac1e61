#pragma once
#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPServerRequest.h>

#include "config/ConfigStore.h"

namespace ccc::http
{

/// True for a server.host that only local processes can reach: "localhost", an IPv4 address in
/// 127.0.0.0/8, "::1" (also bracketed). Everything else, 0.0.0.0 and :: included, is "exposed".
bool isLoopbackHost(const std::string & host);

/// True for a Host header naming this machine's loopback: the above with an optional ":port",
/// "[::1]:port", or a name under ".localhost".
bool isLoopbackHostHeader(const std::string & hostHeader);

/// Who may use the admin (/admin/*) and /metrics. Two modes, chosen from the config snapshot of
/// each request:
///
/// Open (server.host is loopback and server.require_admin_password is false): every local user
/// may use the admin, but
///   - the Host header must name the loopback (a DNS-rebinding page under a foreign name is
///     refused with 403), and
///   - a mutating request (any method but GET, HEAD, OPTIONS) under /admin/api must prove it comes
///     from the admin page itself: a valid X-CSRF-Token header (from GET /admin/api/session), or
///     an Origin header equal to the server's own origin, or (no Origin) Sec-Fetch-Site:
///     same-origin. A foreign Origin is always refused. Refusals are 403
///     {"error": ..., "code": "CSRF_INVALID"}.
///
/// Password (server.host is not loopback, or require_admin_password): additionally every admin
/// request needs a session, created by POST /admin/api/login with the password that
/// server.admin_password_hash verifies. The session is an HttpOnly; SameSite=Strict; Path=/
/// cookie "ccc_session" (12 h, Secure when the request came through a TLS proxy that sets
/// X-Forwarded-Proto: https); its CSRF token is returned by login and by GET /admin/api/session.
/// Without a session, /admin/api/* answers 401 JSON and the admin page redirects to
/// /admin/login (a plain HTML form, so no wasm is needed to log in). Failed logins are counted
/// per client address: 5 failures within 15 minutes lock that address out for 5 minutes (429
/// with Retry-After), and a locked address is refused before the password is even checked.
///
/// Routes served here (before the admin API's own routes):
///   GET  /admin/api/session  {"mode": "open"|"password", "authenticated": bool, "csrf_token"?: str}
///   POST /admin/api/login    JSON {"password": ...} or a form; JSON {"ok": true, "csrf_token": ...}
///                            or 303 to /admin/ for a form; 401 wrong password; 429 locked out
///   POST /admin/api/logout   ends the session (clears the cookie)
///   GET  /admin/login        the login form
///
/// /metrics: open mode lets anyone local read it; password mode requires an admin session or one
/// of server.client_tokens (Authorization: Bearer or x-api-key), so Prometheus can scrape it.
///
/// Sessions and lockouts live in memory: a restart logs everyone out and forgets lockouts.
/// Thread-safe; the locks are short and only taken for admin requests.
class AccessControl
{
public:
	explicit AccessControl(ConfigStore & store);

	static bool passwordRequired(const config::Config & cfg);

	/// Why the service must not start with this config ("" = it may): bound beyond loopback (or
	/// asked to require a password) without a usable admin password hash.
	static std::string startupRefusal(const config::Config & cfg);

	/// Things to shout about at start-up (e.g. exposed without client tokens: an open relay).
	static std::vector<std::string> startupWarnings(const config::Config & cfg);

	/// A router route: handles /admin/api/{session,login,logout} and /admin/login, and answers
	/// 401/403/429 for admin requests that may not pass. Null lets the request through to the
	/// next routes (and for every path outside /admin).
	Poco::Net::HTTPRequestHandler * route(const Poco::Net::HTTPServerRequest & request);

	/// Whether a /metrics request may be answered (see the class comment).
	bool metricsAllowed(const Poco::Net::HTTPServerRequest & request) const;
	/// Null when metricsAllowed(), else a handler answering 401.
	Poco::Net::HTTPRequestHandler * metricsDenial(const Poco::Net::HTTPServerRequest & request) const;

	/// Tests: failures allowed within the window before a lockout, and the lockout length.
	static constexpr int kMaxFailures = 5;
	static constexpr std::chrono::seconds kFailureWindow{15 * 60};
	static constexpr std::chrono::seconds kLockout{5 * 60};
	static constexpr std::chrono::seconds kSessionLifetime{12 * 3600};

private:
	using Clock = std::chrono::steady_clock;

	struct Session
	{
		std::string csrf;
		Clock::time_point expires;
	};
	struct LoginRecord
	{
		int failures = 0;
		Clock::time_point firstFailure;
		Clock::time_point lockedUntil;
	};

	class LoginHandler;
	friend class LoginHandler;

	/// The session named by the request's cookie, if valid (copied out under the lock).
	bool findSession(const Poco::Net::HTTPServerRequest & request, Session & out, std::string * id = nullptr) const;
	std::string createSession();
	void endSession(const std::string & id);
	/// Seconds the address is still locked out (0 = not locked).
	int64_t lockedFor(const std::string & address);
	void recordFailure(const std::string & address);
	void recordSuccess(const std::string & address);

	ConfigStore & _store;
	const std::string _openCsrf; ///< the CSRF token of open mode (one per process)
	mutable std::mutex _mutex;
	mutable std::unordered_map<std::string, Session> _sessions;
	std::unordered_map<std::string, LoginRecord> _logins;
};

} // namespace ccc::http
