#pragma once
#include <cstdint>
#include <string>

#include "model/resource.h"

/// The admin session as the page sees it (docs/SECURITY.md): open mode (loopback, no password)
/// or password mode, whether this page is logged in, the CSRF token mutations carry, and the
/// login form's state. Owned by ApiClient, which updates it from GET /admin/api/session, from
/// every 401 answer and from POST /admin/api/login|logout; the frame draws the login screen
/// while `loginRequired()`.
namespace ccc::admin
{

enum class SessionMode
{
	Unknown,  ///< GET /admin/api/session has not answered yet (and no 401 was seen)
	Open,     ///< loopback without a password: every local user may use the admin
	Password  ///< a login is needed (server.require_admin_password or an exposed bind)
};

const char * sessionModeName(SessionMode m);

struct LoginState
{
	SessionMode mode = SessionMode::Unknown;
	/// Logged in (always true in open mode). False after a 401: the login screen shows.
	bool authenticated = true;
	/// The token every mutation carries as X-CSRF-Token; empty until the session answered.
	std::string csrf_token;
	LoadState session_state = LoadState::Idle; ///< GET /admin/api/session
	std::string session_error;

	/// The login form's request: Failed with `error` ("wrong password", ...) next to the field.
	ActionState login;
	/// Set by a 429: the login button stays disabled until then (epoch ms); 0 = not locked out.
	int64_t locked_until_ms = 0;
	/// POST /admin/api/logout (the top bar's button).
	ActionState logout;
	/// Requests waiting for a login (they answered 401 and are sent again once logged in).
	size_t held_requests = 0;
	/// Successful logins in this page (a model may reconnect its event stream on a change).
	int logins = 0;

	/// True while the login screen must replace the panels.
	bool loginRequired() const { return mode == SessionMode::Password && !authenticated; }
	/// Seconds left of a lockout at `nowMs` (rounded up), 0 when not locked out.
	int64_t lockoutSecondsLeft(int64_t nowMs) const
	{
		return locked_until_ms > nowMs ? (locked_until_ms - nowMs + 999) / 1000 : 0;
	}
};

} // namespace ccc::admin
