// ApiClient's session handling (docs/SECURITY.md): CSRF token on mutations, held requests on 401,
// login with its errors and lockout, logout.
#include <gtest/gtest.h>

#include "fake_transport.h"
#include "model/api_client.h"
#include "model/app_state.h"

namespace ccc::admin
{
namespace
{

using testing::FakeTransport;

std::string header(const HttpRequest & r, const std::string & name)
{
	for (const auto & h : r.headers)
		if (h.first == name)
			return h.second;
	return "";
}

TEST(AdminSession, OpenModeMutationsCarryTheToken)
{
	FakeTransport net;
	ApiClient api(net.transport());
	EXPECT_EQ(api.loginState().mode, SessionMode::Unknown);
	api.refreshSession();
	ASSERT_EQ(net.pending(), 1u);
	EXPECT_EQ(net.front().path, "/admin/api/session");

	// A mutation sent while the session is loading waits for the token; a GET does not wait.
	int answered = 0;
	api.resetEndpointStatus("a", [&](ApiResult r) { answered += r.ok ? 1 : 100; });
	api.getConfig([&](ApiResult) { ++answered; });
	ASSERT_EQ(net.pending(), 2u) << "the GET went out, the POST waits";
	net.answer(200, R"({"mode": "open", "authenticated": true, "csrf_token": "tok-1"})");
	EXPECT_EQ(api.loginState().mode, SessionMode::Open);
	EXPECT_EQ(api.loginState().csrf_token, "tok-1");
	EXPECT_FALSE(api.loginState().loginRequired());
	ASSERT_EQ(net.pending(), 2u);
	EXPECT_EQ(net.front().path, "/admin/api/config");
	EXPECT_EQ(header(net.front(), "X-CSRF-Token"), "") << "GETs need no token";
	net.answer(200, "{}");
	EXPECT_EQ(net.front().method, "POST");
	EXPECT_EQ(header(net.front(), "X-CSRF-Token"), "tok-1");
	net.answer(200, R"({"message": "ok"})");
	EXPECT_EQ(answered, 2);
}

TEST(AdminSession, StaleTokenIsRefreshedAndTheMutationSentOnceMore)
{
	FakeTransport net;
	ApiClient api(net.transport());
	api.refreshSession();
	net.answer(200, R"({"mode": "open", "authenticated": true, "csrf_token": "old"})");
	ApiResult got;
	int calls = 0;
	api.resetEndpointStatus("a", [&](ApiResult r) { got = r; ++calls; });
	ASSERT_EQ(header(net.front(), "X-CSRF-Token"), "old");
	net.answer(403, R"({"error": "X-CSRF-Token is not valid", "code": "CSRF_INVALID"})");
	EXPECT_EQ(calls, 0) << "not delivered: the token is refreshed first";
	ASSERT_EQ(net.front().path, "/admin/api/session");
	net.answer(200, R"({"mode": "open", "authenticated": true, "csrf_token": "new"})");
	ASSERT_EQ(net.pending(), 1u);
	EXPECT_EQ(header(net.front(), "X-CSRF-Token"), "new");
	// A second refusal is delivered: no loop.
	net.answer(403, R"({"error": "still refused", "code": "CSRF_INVALID"})");
	ASSERT_EQ(calls, 1);
	EXPECT_FALSE(got.ok);
	EXPECT_EQ(got.error, "HTTP 403: still refused");
}

TEST(AdminSession, A401HoldsRequestsUntilTheLoginThenResumesThem)
{
	FakeTransport net;
	AppState state(net.transport());
	state.reloadEndpoints();
	net.answer(401, R"({"error": "log in first", "code": "LOGIN_REQUIRED"})");
	const LoginState & s = state.api().loginState();
	EXPECT_TRUE(s.loginRequired());
	EXPECT_EQ(s.mode, SessionMode::Password);
	EXPECT_EQ(s.held_requests, 1u);
	EXPECT_EQ(state.endpoints().state, LoadState::Loading) << "held, not failed";
	EXPECT_EQ(state.testState()["session"]["login_required"], true);

	// While logged out, new requests wait without a round trip.
	state.reloadConfig();
	EXPECT_EQ(net.pending(), 0u);
	EXPECT_EQ(s.held_requests, 2u);

	// A wrong password: the error is kept for the field, nothing resumes.
	state.api().login("wrong");
	ASSERT_EQ(net.pending(), 1u);
	EXPECT_EQ(net.front().path, "/admin/api/login");
	EXPECT_EQ(net.front().body, R"({"password":"wrong"})");
	EXPECT_EQ(s.login.state, LoadState::Loading);
	net.answer(401, R"({"error": "wrong password"})");
	EXPECT_EQ(s.login.state, LoadState::Failed);
	EXPECT_EQ(s.login.error, "wrong password");
	EXPECT_TRUE(s.loginRequired());
	EXPECT_EQ(net.pending(), 0u);

	state.api().login("right");
	net.answer(200, R"({"ok": true, "csrf_token": "sess-tok", "expires_in": 43200})");
	EXPECT_FALSE(s.loginRequired());
	EXPECT_EQ(s.csrf_token, "sess-tok");
	EXPECT_EQ(s.logins, 1);
	EXPECT_EQ(s.held_requests, 0u);
	ASSERT_EQ(net.pending(), 2u) << "both held requests are sent again";
	EXPECT_EQ(net.front().path, "/admin/api/endpoints");
	net.answer(200, R"({"endpoints": []})");
	EXPECT_EQ(state.endpoints().state, LoadState::Loaded);
	EXPECT_EQ(net.front().path, "/admin/api/config");

	// Mutations now carry the session's token.
	net.answer(200, R"({"path": "/c.yaml", "config": {}})");
	state.resetEndpointStatus("x");
	EXPECT_EQ(header(net.front(), "X-CSRF-Token"), "sess-tok");
}

TEST(AdminSession, LockoutDisablesLoginUntilRetryAfter)
{
	FakeTransport net;
	ApiClient api(net.transport());
	int64_t now = 1'000'000;
	api.setClock([&] { return now; });
	api.getConfig([](ApiResult) { });
	net.answer(401, R"({"error": "log in first", "code": "LOGIN_REQUIRED"})");
	api.login("guess");
	HttpResponse locked;
	net.answer(429, R"({"error": "too many failed logins from 127.0.0.1; try again in 300 s"})");
	const LoginState & s = api.loginState();
	EXPECT_EQ(s.login.state, LoadState::Failed);
	EXPECT_EQ(s.lockoutSecondsLeft(now), 300);
	api.login("again");
	EXPECT_EQ(net.pending(), 0u) << "no attempt while locked out";
	now += 299'500;
	EXPECT_EQ(s.lockoutSecondsLeft(now), 1);
	now += 600;
	EXPECT_EQ(s.lockoutSecondsLeft(now), 0);
	api.login("again");
	EXPECT_EQ(net.pending(), 1u);
}

TEST(AdminSession, RetryAfterHeaderWins)
{
	HttpCallback pending;
	ApiClient api([&](const HttpRequest &, HttpCallback done) { pending = std::move(done); });
	int64_t now = 5000;
	api.setClock([&] { return now; });
	api.login("x");
	ASSERT_TRUE(pending);
	HttpResponse r;
	r.status = 429;
	r.body = R"({"error": "too many failed logins; try again in 300 s"})";
	r.headers = {{"retry-after", "42"}};
	pending(r);
	EXPECT_EQ(api.loginState().lockoutSecondsLeft(now), 42);
}

TEST(AdminSession, SessionAnswerInPasswordModeWithoutLoginShowsTheLogin)
{
	FakeTransport net;
	ApiClient api(net.transport());
	api.refreshSession();
	net.answer(200, R"({"mode": "password", "authenticated": false})");
	EXPECT_TRUE(api.loginState().loginRequired());
	EXPECT_TRUE(api.loginState().csrf_token.empty());
}

TEST(AdminSession, LogoutShowsTheLoginAgain)
{
	FakeTransport net;
	ApiClient api(net.transport());
	api.refreshSession();
	net.answer(200, R"({"mode": "password", "authenticated": true, "csrf_token": "t"})");
	EXPECT_FALSE(api.loginState().loginRequired());
	api.logout();
	ASSERT_EQ(net.front().path, "/admin/api/logout");
	EXPECT_EQ(header(net.front(), "X-CSRF-Token"), "t");
	net.answer(200, R"({"ok": true})");
	EXPECT_TRUE(api.loginState().loginRequired());
	EXPECT_EQ(api.loginState().logout.state, LoadState::Loaded);
}

TEST(AdminSession, UnreachableSessionLetsMutationsGoWithoutToken)
{
	FakeTransport net;
	ApiClient api(net.transport());
	api.refreshSession();
	int calls = 0;
	api.resetEndpointStatus("a", [&](ApiResult) { ++calls; });
	net.answer(0, "", "network error");
	EXPECT_EQ(api.loginState().session_state, LoadState::Failed);
	ASSERT_EQ(net.pending(), 1u);
	EXPECT_EQ(header(net.front(), "X-CSRF-Token"), "");
	net.answer(200, "{}");
	EXPECT_EQ(calls, 1);
}

} // namespace
} // namespace ccc::admin
