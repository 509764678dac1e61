#include "http/AccessControl.h"

#include <functional>
#include <limits>
#include <sstream>

#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/IPAddress.h>
#include <Poco/Net/NameValueCollection.h>
#include <Poco/String.h>
#include <Poco/URI.h>
#include <nlohmann/json.hpp>

#include "http/PasswordHash.h"
#include "http/Responses.h"
#include "http/Router.h"

namespace ccc::http
{

namespace
{

using Poco::Net::HTTPResponse;
using Poco::Net::HTTPServerRequest;
using Poco::Net::HTTPServerResponse;

const char * const kCookie = "ccc_session";

/// Drains what is left of a request body so the connection can be kept alive.
void drain(HTTPServerRequest & request)
{
	request.stream().ignore(std::numeric_limits<std::streamsize>::max());
}

Poco::Net::HTTPRequestHandler * jsonAnswer(int status, nlohmann::json body, std::vector<std::pair<std::string, std::string>> headers = {})
{
	return new FunctionHandler([status, body = std::move(body), headers = std::move(headers)](HTTPServerRequest & req, HTTPServerResponse & resp) {
		drain(req);
		for (const auto & [k, v] : headers)
			resp.set(k, v);
		sendJson(resp, static_cast<HTTPResponse::HTTPStatus>(status), body);
	});
}

Poco::Net::HTTPRequestHandler * redirect(const std::string & location, int status = HTTPResponse::HTTP_FOUND)
{
	return new FunctionHandler([location, status](HTTPServerRequest & req, HTTPServerResponse & resp) {
		drain(req);
		resp.setStatus(static_cast<HTTPResponse::HTTPStatus>(status));
		resp.set("Location", location);
		resp.set("Cache-Control", "no-store");
		resp.setContentLength(0);
		resp.send();
	});
}

bool isMutating(const std::string & method)
{
	return method != "GET" && method != "HEAD" && method != "OPTIONS";
}

bool behindTls(const HTTPServerRequest & request)
{
	return Poco::icompare(request.get("X-Forwarded-Proto", ""), "https") == 0;
}

/// The Origin header matches this server as the browser reached it (scheme and Host).
bool sameOrigin(const HTTPServerRequest & request, const std::string & origin)
{
	const std::string host = request.get("Host", "");
	if (host.empty())
		return false;
	return Poco::icompare(origin, "http://" + host) == 0 || Poco::icompare(origin, "https://" + host) == 0;
}

std::string sessionCookie(const std::string & value, int64_t maxAge, bool secure)
{
	return std::string(kCookie) + "=" + value + "; Path=/; Max-Age=" + std::to_string(maxAge) + "; HttpOnly; SameSite=Strict"
		+ (secure ? "; Secure" : "");
}

/// A field of an application/x-www-form-urlencoded body ('+' is a space), "" when absent.
std::string formField(const std::string & body, const std::string & name)
{
	size_t start = 0;
	while (start <= body.size())
	{
		size_t end = body.find('&', start);
		if (end == std::string::npos)
			end = body.size();
		const std::string pair = body.substr(start, end - start);
		const size_t eq = pair.find('=');
		if (pair.substr(0, eq) == name)
		{
			std::string raw = eq == std::string::npos ? "" : pair.substr(eq + 1), value;
			for (auto & c : raw)
				if (c == '+')
					c = ' ';
			try
			{
				Poco::URI::decode(raw, value);
			}
			catch (const Poco::Exception &)
			{
				return "";
			}
			return value;
		}
		start = end + 1;
	}
	return "";
}

std::string queryParam(const std::string & uri, const std::string & name)
{
	try
	{
		for (const auto & [k, v] : Poco::URI(uri).getQueryParameters())
			if (k == name)
				return v;
	}
	catch (const Poco::Exception &)
	{
	}
	return "";
}

const char * const kLoginPage = R"HTML(<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Claude Code Companion: log in</title>
<style>
body{font-family:system-ui,sans-serif;background:#f4f5f7;display:flex;justify-content:center;padding-top:12vh;margin:0}
form{background:#fff;padding:2em 2.5em;border-radius:8px;box-shadow:0 1px 4px rgba(0,0,0,.15);min-width:18em}
h1{font-size:1.2em;margin-top:0}input{width:100%;box-sizing:border-box;padding:.5em;margin:.5em 0 1em;font-size:1em}
button{padding:.5em 1.5em;font-size:1em}.err{color:#b00020}
</style></head><body>
<form method="post" action="/admin/api/login">
<h1>Claude Code Companion admin</h1>
%MESSAGE%
<label for="password">Admin password</label>
<input id="password" name="password" type="password" autocomplete="current-password" autofocus required>
<button type="submit">Log in</button>
</form></body></html>
)HTML";

} // namespace

bool isLoopbackHost(const std::string & hostIn)
{
	std::string host = Poco::toLower(hostIn);
	if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
		host = host.substr(1, host.size() - 2);
	if (host == "localhost" || (host.size() > 10 && host.compare(host.size() - 10, 10, ".localhost") == 0))
		return true;
	Poco::Net::IPAddress ip;
	if (!Poco::Net::IPAddress::tryParse(host, ip))
		return false;
	return ip.isLoopback();
}

bool isLoopbackHostHeader(const std::string & hostHeader)
{
	std::string host = hostHeader;
	if (!host.empty() && host.front() == '[')
	{
		const size_t close = host.find(']');
		if (close == std::string::npos)
			return false;
		host = host.substr(0, close + 1);
	}
	else if (host.find(':') != std::string::npos && host.find(':') == host.rfind(':'))
		host = host.substr(0, host.find(':')); // name:port or a.b.c.d:port
	return isLoopbackHost(host);
}

AccessControl::AccessControl(ConfigStore & store) : _store(store), _openCsrf(randomToken())
{
}

bool AccessControl::passwordRequired(const config::Config & cfg)
{
	return cfg.server.require_admin_password || !isLoopbackHost(cfg.server.host);
}

std::string AccessControl::startupRefusal(const config::Config & cfg)
{
	if (!passwordRequired(cfg))
		return "";
	const std::string why = cfg.server.require_admin_password && isLoopbackHost(cfg.server.host)
		? "server.require_admin_password is true"
		: "server.host " + cfg.server.host + " is reachable from other machines";
	if (cfg.server.admin_password_hash.empty())
		return why + ", but no admin password is set: run `claude-code-companion --set-admin-password` "
					 "(or bind server.host: 127.0.0.1); not starting";
	if (!isSupportedPasswordHash(cfg.server.admin_password_hash))
		return why + ", but server.admin_password_hash is not a hash this version understands (pbkdf2$sha256$... or "
					 "scrypt$...): set it again with `claude-code-companion --set-admin-password`; not starting";
	return "";
}

std::vector<std::string> AccessControl::startupWarnings(const config::Config & cfg)
{
	std::vector<std::string> out;
	if (!isLoopbackHost(cfg.server.host) && cfg.server.client_tokens.empty())
		out.push_back("server.host " + cfg.server.host
			+ " is reachable from other machines and server.client_tokens is empty: ANYONE who can reach this port can send "
			  "requests with your upstream credentials. Add client tokens to server.client_tokens (see docs/SECURITY.md).");
	return out;
}

bool AccessControl::findSession(const HTTPServerRequest & request, Session & out, std::string * id) const
{
	Poco::Net::NameValueCollection cookies;
	request.getCookies(cookies);
	const std::string value = cookies.get(kCookie, "");
	if (value.empty())
		return false;
	std::lock_guard<std::mutex> lock(_mutex);
	auto it = _sessions.find(value);
	if (it == _sessions.end())
		return false;
	if (Clock::now() >= it->second.expires)
	{
		_sessions.erase(it);
		return false;
	}
	out = it->second;
	if (id)
		*id = value;
	return true;
}

std::string AccessControl::createSession()
{
	const std::string id = randomToken();
	std::lock_guard<std::mutex> lock(_mutex);
	const auto now = Clock::now();
	// Bounded: drop expired sessions, and the oldest ones beyond 1000.
	if (_sessions.size() >= 1000)
	{
		for (auto it = _sessions.begin(); it != _sessions.end();)
			it = it->second.expires <= now ? _sessions.erase(it) : std::next(it);
		while (_sessions.size() >= 1000)
		{
			auto oldest = _sessions.begin();
			for (auto it = _sessions.begin(); it != _sessions.end(); ++it)
				if (it->second.expires < oldest->second.expires)
					oldest = it;
			_sessions.erase(oldest);
		}
	}
	_sessions[id] = Session{randomToken(), now + kSessionLifetime};
	return id;
}

void AccessControl::endSession(const std::string & id)
{
	std::lock_guard<std::mutex> lock(_mutex);
	_sessions.erase(id);
}

int64_t AccessControl::lockedFor(const std::string & address)
{
	std::lock_guard<std::mutex> lock(_mutex);
	auto it = _logins.find(address);
	if (it == _logins.end())
		return 0;
	const auto now = Clock::now();
	if (it->second.lockedUntil > now)
		return std::chrono::duration_cast<std::chrono::seconds>(it->second.lockedUntil - now).count() + 1;
	return 0;
}

void AccessControl::recordFailure(const std::string & address)
{
	std::lock_guard<std::mutex> lock(_mutex);
	const auto now = Clock::now();
	if (_logins.size() > 10000)
		for (auto it = _logins.begin(); it != _logins.end();)
			it = (it->second.lockedUntil <= now && now - it->second.firstFailure > kFailureWindow) ? _logins.erase(it) : std::next(it);
	LoginRecord & r = _logins[address];
	if (r.failures == 0 || now - r.firstFailure > kFailureWindow)
	{
		r.failures = 0;
		r.firstFailure = now;
	}
	if (++r.failures >= kMaxFailures)
	{
		r.lockedUntil = now + kLockout;
		r.failures = 0;
	}
}

void AccessControl::recordSuccess(const std::string & address)
{
	std::lock_guard<std::mutex> lock(_mutex);
	_logins.erase(address);
}

class AccessControl::LoginHandler : public Poco::Net::HTTPRequestHandler
{
public:
	explicit LoginHandler(AccessControl & owner) : _owner(owner) { }

	void handleRequest(HTTPServerRequest & request, HTTPServerResponse & response) override
	{
		const bool form = Poco::icompare(request.getContentType().substr(0, 33), "application/x-www-form-urlencoded") == 0;
		const std::string address = request.clientAddress().host().toString();
		// Read a bounded body: a password needs no more.
		std::string body;
		body.resize(8192);
		request.stream().read(&body[0], static_cast<std::streamsize>(body.size()));
		body.resize(static_cast<size_t>(request.stream().gcount()));
		const bool tooLong = body.size() >= 8192;
		drain(request);

		auto fail = [&](int status, const std::string & message, const std::string & formQuery, int64_t retryAfter = 0) {
			if (retryAfter > 0)
				response.set("Retry-After", std::to_string(retryAfter));
			if (form)
			{
				response.setStatus(HTTPResponse::HTTP_SEE_OTHER);
				response.set("Location", "/admin/login?" + formQuery);
				response.setContentLength(0);
				response.send();
			}
			else
				sendAdminError(response, status, message);
		};

		if (int64_t locked = _owner.lockedFor(address))
			return fail(429, "too many failed logins from " + address + "; try again in " + std::to_string(locked) + " s",
				"locked=" + std::to_string(locked), locked);
		std::string password;
		if (form)
		{
			password = formField(body, "password");
		}
		else
		{
			auto j = nlohmann::json::parse(body, nullptr, false);
			if (j.is_object() && j.contains("password") && j["password"].is_string())
				password = j["password"].get<std::string>();
			else
				return fail(400, "expected a JSON body {\"password\": \"...\"}", "error=1");
		}
		const ConfigPtr cfg = _owner._store.snapshot();
		const std::string & hash = cfg->server.admin_password_hash;
		if (hash.empty())
			return fail(409, "no admin password is set (run claude-code-companion --set-admin-password)", "error=1");
		if (tooLong || !verifyPassword(password, hash))
		{
			_owner.recordFailure(address);
			const int64_t locked = _owner.lockedFor(address);
			if (locked)
				return fail(429, "too many failed logins from " + address + "; try again in " + std::to_string(locked) + " s",
					"locked=" + std::to_string(locked), locked);
			return fail(401, "wrong password", "error=1");
		}
		_owner.recordSuccess(address);
		const std::string id = _owner.createSession();
		Session s;
		{
			std::lock_guard<std::mutex> lock(_owner._mutex);
			s = _owner._sessions[id];
		}
		response.add("Set-Cookie", sessionCookie(id, kSessionLifetime.count(), behindTls(request)));
		if (form)
		{
			response.setStatus(HTTPResponse::HTTP_SEE_OTHER);
			response.set("Location", "/admin/");
			response.set("Cache-Control", "no-store");
			response.setContentLength(0);
			response.send();
		}
		else
			sendJson(response, HTTPResponse::HTTP_OK, {{"ok", true}, {"csrf_token", s.csrf}, {"expires_in", kSessionLifetime.count()}});
	}

private:
	AccessControl & _owner;
};

Poco::Net::HTTPRequestHandler * AccessControl::route(const HTTPServerRequest & request)
{
	const std::string path = requestPath(request);
	if (path != "/admin" && path.rfind("/admin/", 0) != 0)
		return nullptr;
	const ConfigPtr cfg = _store.snapshot();
	const bool passwordMode = passwordRequired(*cfg);
	const std::string & method = request.getMethod();

	if (!passwordMode && !isLoopbackHostHeader(request.get("Host", "")))
		return jsonAnswer(403,
			{{"error", "this admin is bound to loopback and only answers requests addressed to 127.0.0.1, localhost or [::1] "
					   "(a page under another name may be a DNS-rebinding attack)"},
				{"code", "HOST_NOT_LOOPBACK"}});

	Session session;
	std::string sessionId;
	const bool hasSession = passwordMode && findSession(request, session, &sessionId);
	const std::string csrf = passwordMode ? session.csrf : _openCsrf;

	if (path == "/admin/login")
	{
		if (!passwordMode || hasSession)
			return redirect("/admin/");
		std::string message;
		const std::string locked = queryParam(request.getURI(), "locked");
		if (!locked.empty())
			message = "<p class=\"err\">Too many failed attempts; try again in " + htmlEscape(locked) + " seconds.</p>";
		else if (!queryParam(request.getURI(), "error").empty())
			message = "<p class=\"err\">Wrong password.</p>";
		const std::string page = Poco::replace(std::string(kLoginPage), std::string("%MESSAGE%"), message);
		return new FunctionHandler([page](HTTPServerRequest & req, HTTPServerResponse & resp) {
			drain(req);
			resp.setStatus(HTTPResponse::HTTP_OK);
			resp.setContentType("text/html; charset=utf-8");
			resp.set("Cache-Control", "no-store");
			resp.set("X-Frame-Options", "DENY");
			resp.setContentLength(static_cast<std::streamsize>(page.size()));
			if (req.getMethod() == "HEAD")
				resp.send();
			else
				resp.send() << page;
		});
	}
	if (path == "/admin/api/session")
	{
		nlohmann::json body = {{"mode", passwordMode ? "password" : "open"}, {"authenticated", !passwordMode || hasSession}};
		if (!passwordMode || hasSession)
			body["csrf_token"] = csrf;
		return jsonAnswer(200, body);
	}

	const std::string origin = request.get("Origin", "");
	if (path == "/admin/api/login")
	{
		if (method != "POST")
			return jsonAnswer(405, {{"error", "use POST"}}, {{"Allow", "POST"}});
		if (!origin.empty() && !sameOrigin(request, origin))
			return jsonAnswer(403, {{"error", "cross-origin login refused (Origin " + origin + ")"}, {"code", "CSRF_INVALID"}});
		if (!passwordMode)
			return jsonAnswer(409, {{"error", "this admin is open to local users (bound to loopback); there is nothing to log in to"}});
		return new LoginHandler(*this);
	}

	if (passwordMode && !hasSession)
	{
		if (path.rfind("/admin/api/", 0) == 0)
			return jsonAnswer(401, {{"error", "log in first: POST /admin/api/login {\"password\": ...}"}, {"code", "LOGIN_REQUIRED"}});
		if ((method == "GET" || method == "HEAD") && (path == "/admin" || path == "/admin/" || path == "/admin/index.html"))
			return redirect("/admin/login");
		return jsonAnswer(401, {{"error", "log in first at /admin/login"}, {"code", "LOGIN_REQUIRED"}});
	}

	if (isMutating(method) && path.rfind("/admin/api/", 0) == 0)
	{
		const std::string token = request.get("X-CSRF-Token", "");
		bool ok = false;
		if (!origin.empty() && !sameOrigin(request, origin))
			return jsonAnswer(403, {{"error", "cross-origin request refused (Origin " + origin + ")"}, {"code", "CSRF_INVALID"}});
		if (!token.empty())
		{
			if (!constantTimeEquals(token, csrf))
				return jsonAnswer(403, {{"error", "X-CSRF-Token is not valid (get a fresh one from GET /admin/api/session)"}, {"code", "CSRF_INVALID"}});
			ok = true;
		}
		else if (!origin.empty())
			ok = true; // same origin, checked above
		else if (Poco::icompare(request.get("Sec-Fetch-Site", ""), "same-origin") == 0)
			ok = true;
		if (!ok)
			return jsonAnswer(403,
				{{"error", "a changing admin request needs an X-CSRF-Token header (from GET /admin/api/session) or a same-origin Origin header"},
					{"code", "CSRF_INVALID"}});
	}

	if (path == "/admin/api/logout")
	{
		if (method != "POST")
			return jsonAnswer(405, {{"error", "use POST"}}, {{"Allow", "POST"}});
		if (!sessionId.empty())
			endSession(sessionId);
		return jsonAnswer(200, {{"ok", true}}, {{"Set-Cookie", sessionCookie("", 0, behindTls(request))}});
	}
	return nullptr;
}

bool AccessControl::metricsAllowed(const HTTPServerRequest & request) const
{
	const ConfigPtr cfg = _store.snapshot();
	if (!passwordRequired(*cfg))
		return true;
	Session s;
	if (findSession(request, s))
		return true;
	std::string presented = request.get("x-api-key", "");
	const std::string auth = request.get("Authorization", "");
	if (presented.empty() && Poco::icompare(auth.substr(0, 7), "bearer ") == 0)
		presented = Poco::trim(auth.substr(7));
	if (presented.empty())
		return false;
	bool ok = false;
	for (const auto & t : cfg->server.client_tokens)
		ok = constantTimeEquals(presented, t) || ok;
	return ok;
}

Poco::Net::HTTPRequestHandler * AccessControl::metricsDenial(const HTTPServerRequest & request) const
{
	if (metricsAllowed(request))
		return nullptr;
	return jsonAnswer(401, {{"error", "/metrics needs an admin session or one of server.client_tokens (Authorization: Bearer)"}},
		{{"WWW-Authenticate", "Bearer"}});
}

} // namespace ccc::http
