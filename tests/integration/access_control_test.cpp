// Access control through the real binary (docs/SECURITY.md): CSRF and Origin checks of the open
// (loopback) admin, DNS-rebinding refusal, the password mode (forced on 127.0.0.1 with
// server.require_admin_password, since tests only listen on loopback), login, cookies, lockout,
// the refusal to start exposed without a password, --set-admin-password and client tokens.
#include <chrono>
#include <regex>
#include <string>
#include <thread>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "AnthropicFixtures.h"
#include "FakeUpstream.h"
#include "RunWithInput.h"
#include "ServiceProcess.h"

using namespace ccc::test;
using json = nlohmann::json;

namespace
{

const char * const kPassword = "correct horse battery staple";

std::string configWith(const std::string & upstreamUrl, const std::string & serverExtra)
{
	return "server:\n  host: 127.0.0.1\n  port: ${PORT}\n" + serverExtra + "endpoints:\n  - name: a\n    url: \"" + upstreamUrl
		+ "\"\n    auth_type: api_key\n    auth_value: sk-upstream-secret-0123456789\n";
}

/// A hash of kPassword made by the binary itself (--set-admin-password), computed once.
const std::string & passwordHash()
{
	static const std::string hash = [] {
		TempDir dir;
		dir.write("config.yaml", "server:\n  host: 127.0.0.1\n  port: 8080\n");
		RunResult r = runBinaryWithInput({"--config=" + dir.file("config.yaml"), "--set-admin-password"}, std::string(kPassword) + "\n");
		std::smatch m;
		const std::string text = dir.read("config.yaml");
		if (r.exitCode != 0 || !std::regex_search(text, m, std::regex("admin_password_hash: \"([^\"]+)\"")))
			return std::string("missing: ") + r.err;
		return m[1].str();
	}();
	return hash;
}

std::string protectedConfig(const std::string & upstreamUrl)
{
	return configWith(upstreamUrl, "  require_admin_password: true\n  admin_password_hash: \"" + passwordHash() + "\"\n");
}

std::string origin(const ServiceProcess & svc)
{
	return "http://127.0.0.1:" + std::to_string(svc.port());
}

HttpResult resetStatus(const ServiceProcess & svc, const std::map<std::string, std::string> & headers)
{
	return httpRequest(svc.port(), "POST", "/admin/api/endpoints/a/reset-status", "", headers);
}

HttpResult login(const ServiceProcess & svc, const std::string & password, std::map<std::string, std::string> headers = {})
{
	headers["Content-Type"] = "application/json";
	return httpRequest(svc.port(), "POST", "/admin/api/login", json{{"password", password}}.dump(), headers);
}

/// "ccc_session=<value>" from a Set-Cookie header.
std::string cookiePair(const HttpResult & r)
{
	const std::string sc = r.headers.count("set-cookie") ? r.headers.at("set-cookie") : "";
	return sc.substr(0, sc.find(';'));
}

std::string errorCode(const HttpResult & r)
{
	json j = json::parse(r.body, nullptr, false);
	return j.is_object() && j.contains("code") && j["code"].is_string() ? j["code"].get<std::string>() : "";
}

} // namespace

TEST(AccessControl, OpenAdminRefusesCrossSiteChangesAndAcceptsSameOriginOrToken)
{
	FakeUpstream up;
	up.always(Response::json(200, anthropicMessage("hi")));
	ServiceProcess svc(configWith(up.url(), ""));
	ASSERT_TRUE(svc.start()) << svc.output();

	// Reading stays open.
	EXPECT_EQ(httpRequest(svc.port(), "GET", "/admin/api/config").status, 200);
	HttpResult session = httpRequest(svc.port(), "GET", "/admin/api/session");
	ASSERT_EQ(session.status, 200) << session.body;
	json s = json::parse(session.body, nullptr, false);
	ASSERT_TRUE(s.is_object()) << session.body;
	EXPECT_EQ(s["mode"], "open");
	EXPECT_EQ(s["authenticated"], true);
	ASSERT_TRUE(s["csrf_token"].is_string());
	const std::string token = s["csrf_token"];
	EXPECT_GE(token.size(), 40u);

	// A change with neither a token nor an Origin is refused, so is one from another site.
	HttpResult r = resetStatus(svc, {});
	EXPECT_EQ(r.status, 403) << r.body;
	EXPECT_EQ(errorCode(r), "CSRF_INVALID") << r.body;
	EXPECT_NE(r.headers["content-type"].find("application/json"), std::string::npos);
	r = resetStatus(svc, {{"Origin", "http://evil.example"}});
	EXPECT_EQ(r.status, 403) << r.body;
	EXPECT_EQ(errorCode(r), "CSRF_INVALID");
	r = resetStatus(svc, {{"Origin", "http://127.0.0.1:1"}}); // another port is another origin
	EXPECT_EQ(r.status, 403) << r.body;
	r = resetStatus(svc, {{"Origin", "null"}});
	EXPECT_EQ(r.status, 403) << r.body;
	// A valid token does not excuse a foreign Origin; a wrong token is refused.
	r = resetStatus(svc, {{"Origin", "http://evil.example"}, {"X-CSRF-Token", token}});
	EXPECT_EQ(r.status, 403) << r.body;
	r = resetStatus(svc, {{"X-CSRF-Token", token + "x"}});
	EXPECT_EQ(r.status, 403) << r.body;

	// The admin page itself: same Origin, or the token, or the browser's Sec-Fetch-Site.
	r = resetStatus(svc, {{"Origin", origin(svc)}});
	EXPECT_EQ(r.status, 200) << r.body;
	r = resetStatus(svc, {{"X-CSRF-Token", token}});
	EXPECT_EQ(r.status, 200) << r.body;
	r = resetStatus(svc, {{"Sec-Fetch-Site", "same-origin"}});
	EXPECT_EQ(r.status, 200) << r.body;
	r = resetStatus(svc, {{"Sec-Fetch-Site", "cross-site"}});
	EXPECT_EQ(r.status, 403) << r.body;

	// A page reaching us under a foreign name (DNS rebinding) gets nothing, not even reads.
	const std::string port = std::to_string(svc.port());
	r = httpRequest(svc.port(), "GET", "/admin/api/config", "", {{"Host", "evil.example:" + port}});
	EXPECT_EQ(r.status, 403) << r.body;
	EXPECT_EQ(errorCode(r), "HOST_NOT_LOOPBACK");
	r = httpRequest(svc.port(), "GET", "/admin/api/session", "", {{"Host", "evil.example:" + port}});
	EXPECT_EQ(r.status, 403) << r.body;
	EXPECT_EQ(r.body.find(token), std::string::npos);
	r = httpRequest(svc.port(), "GET", "/admin/api/config", "", {{"Host", "localhost:" + port}});
	EXPECT_EQ(r.status, 200) << r.body;

	// Login is meaningless here; the proxy and /healthz are not affected.
	EXPECT_EQ(login(svc, "x").status, 409);
	EXPECT_EQ(httpRequest(svc.port(), "GET", "/healthz", "", {{"Host", "evil.example"}}).status, 200);
}

TEST(AccessControl, PasswordModeNeedsALoginAndUsesStrictCookies)
{
	ASSERT_EQ(passwordHash().rfind("pbkdf2$sha256$", 0), 0u) << passwordHash();
	FakeUpstream up;
	up.always(Response::json(200, anthropicMessage("hi")));
	ServiceProcess svc(protectedConfig(up.url()));
	ASSERT_TRUE(svc.start()) << svc.output();

	// Nothing of the admin without a session.
	HttpResult r = httpRequest(svc.port(), "GET", "/admin/api/config");
	EXPECT_EQ(r.status, 401) << r.body;
	EXPECT_EQ(errorCode(r), "LOGIN_REQUIRED");
	EXPECT_EQ(r.body.find("sk-upstream-secret"), std::string::npos);
	EXPECT_EQ(resetStatus(svc, {{"Origin", origin(svc)}}).status, 401);
	r = httpRequest(svc.port(), "GET", "/admin/");
	EXPECT_EQ(r.status, 302);
	EXPECT_EQ(r.headers["location"], "/admin/login");
	r = httpRequest(svc.port(), "GET", "/admin/login");
	EXPECT_EQ(r.status, 200);
	EXPECT_NE(r.body.find("type=\"password\""), std::string::npos) << r.body;
	r = httpRequest(svc.port(), "GET", "/admin/api/session");
	ASSERT_EQ(r.status, 200);
	json s = json::parse(r.body);
	EXPECT_EQ(s["mode"], "password");
	EXPECT_EQ(s["authenticated"], false);
	EXPECT_FALSE(s.contains("csrf_token"));
	EXPECT_EQ(httpRequest(svc.port(), "GET", "/metrics").status, 401);

	// Wrong password, cross-site login, then the right one.
	r = login(svc, "wrong password");
	EXPECT_EQ(r.status, 401) << r.body;
	EXPECT_EQ(r.headers.count("set-cookie"), 0u);
	r = login(svc, kPassword, {{"Origin", "http://evil.example"}});
	EXPECT_EQ(r.status, 403) << r.body;
	EXPECT_EQ(r.headers.count("set-cookie"), 0u);
	r = login(svc, kPassword, {{"Origin", origin(svc)}});
	ASSERT_EQ(r.status, 200) << r.body;
	const std::string setCookie = r.headers["set-cookie"];
	EXPECT_TRUE(std::regex_search(setCookie, std::regex("^ccc_session=[A-Za-z0-9_-]{40,};"))) << setCookie;
	EXPECT_NE(setCookie.find("; HttpOnly"), std::string::npos) << setCookie;
	EXPECT_NE(setCookie.find("; SameSite=Strict"), std::string::npos) << setCookie;
	EXPECT_NE(setCookie.find("; Path=/"), std::string::npos) << setCookie;
	EXPECT_NE(setCookie.find("; Max-Age="), std::string::npos) << setCookie;
	EXPECT_EQ(setCookie.find("Secure"), std::string::npos) << setCookie; // plain HTTP here
	const std::string cookie = cookiePair(r);
	const std::string csrf = json::parse(r.body)["csrf_token"];

	// The session opens the admin; changes still need the token or the Origin.
	r = httpRequest(svc.port(), "GET", "/admin/api/config", "", {{"Cookie", cookie}});
	EXPECT_EQ(r.status, 200) << r.body;
	EXPECT_EQ(r.body.find("sk-upstream-secret"), std::string::npos);
	r = httpRequest(svc.port(), "GET", "/admin/api/session", "", {{"Cookie", cookie}});
	EXPECT_EQ(json::parse(r.body)["csrf_token"], csrf);
	EXPECT_EQ(resetStatus(svc, {{"Cookie", cookie}}).status, 403);
	EXPECT_EQ(resetStatus(svc, {{"Cookie", cookie}, {"X-CSRF-Token", "not-the-token"}}).status, 403);
	EXPECT_EQ(resetStatus(svc, {{"Cookie", cookie}, {"X-CSRF-Token", csrf}}).status, 200);
	EXPECT_EQ(resetStatus(svc, {{"Cookie", cookie}, {"Origin", origin(svc)}}).status, 200);
	EXPECT_EQ(httpRequest(svc.port(), "GET", "/metrics", "", {{"Cookie", cookie}}).status, 200);
	// A made-up session is no session.
	EXPECT_EQ(httpRequest(svc.port(), "GET", "/admin/api/config", "", {{"Cookie", "ccc_session=forged"}}).status, 401);

	// Logout ends the session and clears the cookie.
	r = httpRequest(svc.port(), "POST", "/admin/api/logout", "", {{"Cookie", cookie}, {"X-CSRF-Token", csrf}});
	EXPECT_EQ(r.status, 200) << r.body;
	EXPECT_NE(r.headers["set-cookie"].find("Max-Age=0"), std::string::npos) << r.headers["set-cookie"];
	EXPECT_EQ(httpRequest(svc.port(), "GET", "/admin/api/config", "", {{"Cookie", cookie}}).status, 401);

	// The HTML form logs in too, and lands on the admin.
	r = httpRequest(svc.port(), "POST", "/admin/api/login", "password=correct+horse+battery+staple",
		{{"Content-Type", "application/x-www-form-urlencoded"}, {"Origin", origin(svc)}});
	EXPECT_EQ(r.status, 303) << r.body;
	EXPECT_EQ(r.headers["location"], "/admin/");
	EXPECT_EQ(httpRequest(svc.port(), "GET", "/admin/api/config", "", {{"Cookie", cookiePair(r)}}).status, 200);
	r = httpRequest(svc.port(), "POST", "/admin/api/login", "password=nope", {{"Content-Type", "application/x-www-form-urlencoded"}});
	EXPECT_EQ(r.status, 303);
	EXPECT_EQ(r.headers["location"], "/admin/login?error=1");
}

TEST(AccessControl, RepeatedWrongPasswordsLockTheAddressOut)
{
	FakeUpstream up;
	ServiceProcess svc(protectedConfig(up.url()));
	ASSERT_TRUE(svc.start()) << svc.output();
	for (int i = 1; i < 5; ++i)
	{
		HttpResult r = login(svc, "wrong-" + std::to_string(i));
		EXPECT_EQ(r.status, 401) << i << ": " << r.body;
	}
	HttpResult r = login(svc, "wrong-5");
	EXPECT_EQ(r.status, 429) << r.body;
	ASSERT_TRUE(r.headers.count("retry-after"));
	const int retryAfter = std::stoi(r.headers["retry-after"]);
	EXPECT_GT(retryAfter, 200);
	EXPECT_LE(retryAfter, 301);
	// Locked out: even the right password is refused (without being checked).
	const auto started = std::chrono::steady_clock::now();
	r = login(svc, kPassword);
	EXPECT_EQ(r.status, 429) << r.body;
	EXPECT_TRUE(r.headers.count("retry-after"));
	EXPECT_EQ(r.headers.count("set-cookie"), 0u);
	EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(5));
}

TEST(AccessControl, RefusesToStartExposedWithoutAPassword)
{
	TempDir dir;
	const int port = freePort();
	dir.write("exposed.yaml", "server:\n  host: 0.0.0.0\n  port: " + std::to_string(port) + "\n");
	std::string out;
	const auto started = std::chrono::steady_clock::now();
	const int rc = runBinary({"--config=" + dir.file("exposed.yaml")}, out);
	EXPECT_EQ(rc, 78) << out; // EX_CONFIG
	EXPECT_NE(out.find("0.0.0.0 is reachable from other machines"), std::string::npos) << out;
	EXPECT_NE(out.find("--set-admin-password"), std::string::npos) << out;
	EXPECT_EQ(out.find("listening"), std::string::npos) << out;
	EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(15));
	// It never listened: the port is still free.
	EXPECT_EQ(httpRequest(port, "GET", "/healthz", "", {}, 1000).status, 0);

	// Forcing the password mode without a password is refused the same way, as is a garbled hash.
	dir.write("forced.yaml", "server:\n  host: 127.0.0.1\n  port: " + std::to_string(port) + "\n  require_admin_password: true\n");
	EXPECT_EQ(runBinary({"--config=" + dir.file("forced.yaml")}, out), 78) << out;
	EXPECT_NE(out.find("require_admin_password"), std::string::npos) << out;
	dir.write("garbled.yaml",
		"server:\n  host: 127.0.0.1\n  port: " + std::to_string(port) + "\n  require_admin_password: true\n  admin_password_hash: plain-text\n");
	EXPECT_EQ(runBinary({"--config=" + dir.file("garbled.yaml")}, out), 78) << out;
	EXPECT_NE(out.find("not a hash"), std::string::npos) << out;
}

TEST(AccessControl, SetAdminPasswordStoresAHashAndKeepsTheRestOfTheFile)
{
	TempDir dir;
	const std::string original = "# my comment\nserver:\n  host: 127.0.0.1   # keep me\n  port: 8123\nlogging:\n  level: warn\n";
	dir.write("config.yaml", original);
	RunResult r = runBinaryWithInput({"--config=" + dir.file("config.yaml"), "--set-admin-password"}, "a-new-password\n");
	ASSERT_EQ(r.exitCode, 0) << r.err << r.out;
	const std::string text = dir.read("config.yaml");
	EXPECT_NE(text.find("# my comment\nserver:\n"), std::string::npos) << text;
	EXPECT_NE(text.find("  host: 127.0.0.1   # keep me\n"), std::string::npos) << text;
	EXPECT_NE(text.find("  admin_password_hash: \"pbkdf2$sha256$"), std::string::npos) << text;
	EXPECT_EQ(text.find("a-new-password"), std::string::npos) << text;
	EXPECT_EQ(dir.read("config.yaml.backup"), original);
	// Setting it again replaces the value in place (one key, a new salt).
	r = runBinaryWithInput({"--config=" + dir.file("config.yaml"), "--set-admin-password"}, "another-password\n");
	ASSERT_EQ(r.exitCode, 0) << r.err;
	const std::string again = dir.read("config.yaml");
	EXPECT_NE(again, text);
	size_t count = 0;
	for (size_t at = again.find("admin_password_hash"); at != std::string::npos; at = again.find("admin_password_hash", at + 1))
		++count;
	EXPECT_EQ(count, 1u) << again;
	// Too short, or nothing on stdin: refused, file untouched.
	r = runBinaryWithInput({"--config=" + dir.file("config.yaml"), "--set-admin-password"}, "short\n");
	EXPECT_NE(r.exitCode, 0);
	EXPECT_NE(r.err.find("at least 8"), std::string::npos) << r.err;
	r = runBinaryWithInput({"--config=" + dir.file("config.yaml"), "--set-admin-password"}, "");
	EXPECT_NE(r.exitCode, 0);
	EXPECT_EQ(dir.read("config.yaml"), again);
	// --help lists it.
	std::string out;
	ASSERT_EQ(runBinary({"--help"}, out), 0);
	EXPECT_NE(out.find("--set-admin-password"), std::string::npos) << out;
	EXPECT_NE(out.find("setup-claude"), std::string::npos) << out;
}

TEST(AccessControl, ClientTokensAreRequiredAndNeverForwarded)
{
	FakeUpstream up;
	up.always(Response::json(200, anthropicMessage("hello")));
	const std::string tokenA = "ccc-client-token-AAAA-0123456789", tokenB = "ccc-client-token-BBBB-9876543210";
	ServiceProcess svc(configWith(up.url(), "  client_tokens: [" + tokenA + ", " + tokenB + "]\n"));
	ASSERT_TRUE(svc.start()) << svc.output();
	const std::string body = R"({"model":"claude-sonnet-4-5","max_tokens":16,"messages":[{"role":"user","content":"hi"}]})";
	const std::map<std::string, std::string> base = {{"Content-Type", "application/json"}, {"anthropic-version", "2023-06-01"}};

	auto send = [&](std::map<std::string, std::string> extra) {
		extra.insert(base.begin(), base.end());
		return httpRequest(svc.port(), "POST", "/v1/messages", body, extra);
	};
	for (const auto & headers : std::vector<std::map<std::string, std::string>>{
			 {}, {{"x-api-key", "wrong"}}, {{"Authorization", "Bearer wrong"}}, {{"Authorization", "Bearer " + tokenA + "x"}}})
	{
		HttpResult r = send(headers);
		EXPECT_EQ(r.status, 401) << r.body;
		json j = json::parse(r.body, nullptr, false);
		ASSERT_TRUE(j.is_object()) << r.body;
		EXPECT_EQ(j["type"], "error");
		EXPECT_EQ(j["error"]["type"], "authentication_error");
		EXPECT_TRUE(j["error"]["message"].is_string());
	}
	EXPECT_EQ(up.requestCount(), 0u);

	HttpResult r = send({{"x-api-key", tokenA}});
	EXPECT_EQ(r.status, 200) << r.body;
	r = send({{"Authorization", "Bearer " + tokenB}});
	EXPECT_EQ(r.status, 200) << r.body;
	ASSERT_EQ(up.requestCount(), 2u);
	for (const ReceivedRequest & req : up.requests())
	{
		EXPECT_EQ(req.rawHead.find(tokenA), std::string::npos) << req.rawHead;
		EXPECT_EQ(req.rawHead.find(tokenB), std::string::npos) << req.rawHead;
		EXPECT_EQ(req.body.find("ccc-client-token"), std::string::npos);
		EXPECT_EQ(req.header("x-api-key"), "sk-upstream-secret-0123456789");
		EXPECT_FALSE(req.hasHeader("authorization"));
	}
	// The exposed-without-tokens warning is not printed when tokens are set (and on loopback at all).
	EXPECT_EQ(svc.output().find("SECURITY"), std::string::npos) << svc.output();
}
