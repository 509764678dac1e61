#include "model/api_client.h"

#include <cctype>
#include <chrono>
#include <cstdlib>
#include <utility>
#include <vector>

namespace ccc::admin
{

const char * sessionModeName(SessionMode m)
{
	switch (m)
	{
		case SessionMode::Unknown: return "unknown";
		case SessionMode::Open: return "open";
		case SessionMode::Password: return "password";
	}
	return "unknown";
}

namespace
{

bool isMutation(const HttpRequest & r)
{
	return r.method != "GET" && r.method != "HEAD";
}

bool isApiPath(const std::string & path)
{
	return path.rfind("/admin/api/", 0) == 0;
}

/// The service's own session routes: never held, never retried (they define the session).
bool isSessionRoute(const std::string & path)
{
	return path == "/admin/api/session" || path == "/admin/api/login" || path == "/admin/api/logout";
}

void setHeader(HttpRequest & r, const std::string & name, const std::string & value)
{
	for (auto & h : r.headers)
		if (h.first == name)
		{
			h.second = value;
			return;
		}
	r.headers.emplace_back(name, value);
}

std::string jsonCode(const ApiResult & r)
{
	if (r.body.is_object() && r.body.contains("code") && r.body["code"].is_string())
		return r.body["code"].get<std::string>();
	return std::string();
}

/// Seconds from a 429: the Retry-After header, else the "try again in N s" of the message.
int64_t retryAfterSeconds(const HttpResponse & response, const std::string & message)
{
	const std::string header = response.header("retry-after");
	if (!header.empty())
	{
		const long long v = std::atoll(header.c_str());
		if (v > 0)
			return v;
	}
	const size_t at = message.find("try again in ");
	if (at != std::string::npos)
	{
		const long long v = std::atoll(message.c_str() + at + 13);
		if (v > 0)
			return v;
	}
	return 60;
}

} // namespace

struct ApiClient::Core : std::enable_shared_from_this<ApiClient::Core>
{
	struct Pending
	{
		HttpRequest request;
		std::function<void(ApiResult)> done;
		bool csrf_retried = false;
	};

	HttpTransport transport;
	LoginState login;
	std::vector<Pending> held;           ///< answered 401: sent again after a login
	std::vector<Pending> waitingSession; ///< mutations waiting for the session's CSRF token
	std::function<int64_t()> clock;

	void send(Pending p)
	{
		if (!transport)
		{
			ApiResult r;
			r.error = "no HTTP transport";
			p.done(std::move(r));
			return;
		}
		const bool mutation = isMutation(p.request);
		if (isApiPath(p.request.path) && !isSessionRoute(p.request.path))
		{
			if (login.loginRequired())
			{
				hold(std::move(p));
				return;
			}
			if (mutation && login.session_state == LoadState::Loading)
			{
				waitingSession.push_back(std::move(p));
				return;
			}
		}
		if (mutation && !login.csrf_token.empty())
			setHeader(p.request, "X-CSRF-Token", login.csrf_token);
		std::weak_ptr<Core> weak = shared_from_this();
		HttpRequest req = p.request;
		transport(req, [weak, p = std::move(p)](HttpResponse response) mutable {
			auto core = weak.lock();
			ApiResult result = toResult(response);
			if (!core)
			{
				p.done(std::move(result));
				return;
			}
			core->answered(std::move(p), response, std::move(result));
		});
	}

	void answered(Pending p, const HttpResponse & response, ApiResult result)
	{
		const std::string & path = p.request.path;
		if (response.status == 401 && isApiPath(path) && !isSessionRoute(path))
		{
			login.mode = SessionMode::Password;
			login.authenticated = false;
			login.csrf_token.clear();
			hold(std::move(p));
			return;
		}
		if (response.status == 403 && jsonCode(result) == "CSRF_INVALID" && isMutation(p.request) && !p.csrf_retried
			&& !isSessionRoute(path))
		{
			p.csrf_retried = true;
			waitingSession.push_back(std::move(p));
			refreshSession();
			return;
		}
		p.done(std::move(result));
	}

	void hold(Pending p)
	{
		held.push_back(std::move(p));
		login.held_requests = held.size();
	}

	void flush(std::vector<Pending> & queue)
	{
		std::vector<Pending> list;
		list.swap(queue);
		login.held_requests = held.size();
		for (auto & p : list)
			send(std::move(p));
	}

	void refreshSession()
	{
		if (login.session_state == LoadState::Loading || !transport)
			return;
		login.session_state = LoadState::Loading;
		HttpRequest req;
		req.path = "/admin/api/session";
		std::weak_ptr<Core> weak = shared_from_this();
		transport(req, [weak](HttpResponse response) {
			auto core = weak.lock();
			if (!core)
				return;
			core->sessionAnswered(toResult(response));
		});
	}

	void sessionAnswered(const ApiResult & r)
	{
		if (!r.ok || !r.body.is_object())
		{
			login.session_state = LoadState::Failed;
			login.session_error = r.ok ? "unexpected answer" : r.error;
		}
		else
		{
			login.session_state = LoadState::Loaded;
			login.session_error.clear();
			const auto & b = r.body;
			const std::string mode = b.contains("mode") && b["mode"].is_string() ? b["mode"].get<std::string>() : "";
			login.mode = mode == "password" ? SessionMode::Password : mode == "open" ? SessionMode::Open : login.mode;
			login.authenticated = !b.contains("authenticated") || !b["authenticated"].is_boolean() || b["authenticated"].get<bool>();
			if (login.mode == SessionMode::Open)
				login.authenticated = true;
			login.csrf_token = b.contains("csrf_token") && b["csrf_token"].is_string() ? b["csrf_token"].get<std::string>() : "";
		}
		// Waiting mutations go now: with the token, or (the session could not be read) without it,
		// relying on the browser's same-origin Origin header.
		flush(waitingSession);
	}

	void doLogin(const std::string & password)
	{
		if (login.login.state == LoadState::Loading || !transport)
			return;
		const int64_t now = clock();
		if (login.lockoutSecondsLeft(now) > 0)
			return;
		login.login.state = LoadState::Loading;
		HttpRequest req;
		req.method = "POST";
		req.path = "/admin/api/login";
		req.headers.emplace_back("Content-Type", "application/json");
		req.body = nlohmann::json{{"password", password}}.dump();
		std::weak_ptr<Core> weak = shared_from_this();
		transport(req, [weak](HttpResponse response) {
			auto core = weak.lock();
			if (!core)
				return;
			core->loginAnswered(response);
		});
	}

	void loginAnswered(const HttpResponse & response)
	{
		ApiResult r = toResult(response);
		ActionState & a = login.login;
		++a.completed;
		if (!r.ok)
		{
			a.state = LoadState::Failed;
			// "HTTP 401: wrong password" reads better without the status next to a password field.
			const std::string prefix = "HTTP " + std::to_string(r.status) + ": ";
			a.error = r.error.rfind(prefix, 0) == 0 ? r.error.substr(prefix.size()) : r.error;
			login.locked_until_ms = r.status == 429 ? clock() + retryAfterSeconds(response, a.error) * 1000 : 0;
			return;
		}
		a.state = LoadState::Loaded;
		a.error.clear();
		login.locked_until_ms = 0;
		login.mode = SessionMode::Password;
		login.authenticated = true;
		login.session_state = LoadState::Loaded;
		if (r.body.is_object() && r.body.contains("csrf_token") && r.body["csrf_token"].is_string())
			login.csrf_token = r.body["csrf_token"].get<std::string>();
		++login.logins;
		flush(held);
		flush(waitingSession);
	}

	void doLogout()
	{
		if (login.logout.state == LoadState::Loading || !transport)
			return;
		login.logout.state = LoadState::Loading;
		HttpRequest req;
		req.method = "POST";
		req.path = "/admin/api/logout";
		if (!login.csrf_token.empty())
			req.headers.emplace_back("X-CSRF-Token", login.csrf_token);
		std::weak_ptr<Core> weak = shared_from_this();
		transport(req, [weak](HttpResponse response) {
			auto core = weak.lock();
			if (!core)
				return;
			ApiResult r = toResult(response);
			ActionState & a = core->login.logout;
			++a.completed;
			// A 401 means the session had ended already: logged out either way.
			if (!r.ok && r.status != 401)
			{
				a.state = LoadState::Failed;
				a.error = r.error;
				return;
			}
			a.state = LoadState::Loaded;
			a.error.clear();
			core->login.mode = SessionMode::Password;
			core->login.authenticated = false;
			core->login.csrf_token.clear();
			core->login.login = ActionState{};
		});
	}
};

ApiClient::ApiClient(HttpTransport transport) : _core(std::make_shared<Core>())
{
	_core->transport = std::move(transport);
	_core->clock = [] {
		return static_cast<int64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
			std::chrono::system_clock::now().time_since_epoch()).count());
	};
}

void ApiClient::getConfig(std::function<void(ApiResult)> done)
{
	HttpRequest req;
	req.path = "/admin/api/config";
	request(req, std::move(done));
}

void ApiClient::getEndpoints(std::function<void(ApiResult)> done)
{
	HttpRequest req;
	req.path = "/admin/api/endpoints";
	request(req, std::move(done));
}

void ApiClient::resetEndpointStatus(const std::string & id, std::function<void(ApiResult)> done)
{
	HttpRequest req;
	req.method = "POST";
	req.path = "/admin/api/endpoints/" + encodePathSegment(id) + "/reset-status";
	request(req, std::move(done));
}

std::string ApiClient::encodePathSegment(const std::string & segment)
{
	static const char * hex = "0123456789ABCDEF";
	std::string out;
	for (unsigned char c : segment)
	{
		if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~')
			out += static_cast<char>(c);
		else
		{
			out += '%';
			out += hex[c >> 4];
			out += hex[c & 15];
		}
	}
	return out;
}

void ApiClient::request(const HttpRequest & req, std::function<void(ApiResult)> done)
{
	_core->send(Core::Pending{req, std::move(done), false});
}

const LoginState & ApiClient::loginState() const
{
	return _core->login;
}

void ApiClient::refreshSession()
{
	_core->refreshSession();
}

void ApiClient::login(const std::string & password)
{
	_core->doLogin(password);
}

void ApiClient::logout()
{
	_core->doLogout();
}

void ApiClient::setClock(std::function<int64_t()> clock)
{
	_core->clock = std::move(clock);
}

int64_t ApiClient::nowMs() const
{
	return _core->clock();
}

ApiResult ApiClient::toResult(const HttpResponse & response)
{
	ApiResult r;
	r.status = response.status;
	if (response.status == 0)
	{
		r.error = "service unreachable" + (response.transport_error.empty() ? std::string() : ": " + response.transport_error);
		return r;
	}
	r.body = nlohmann::ordered_json::parse(response.body, nullptr, /*allow_exceptions=*/false);
	const bool json = !r.body.is_discarded();
	if (!json)
		r.body = nullptr;
	if (!response.ok())
	{
		r.error = "HTTP " + std::to_string(response.status);
		if (json && r.body.is_object() && r.body.contains("error"))
		{
			const auto & e = r.body["error"];
			if (e.is_string())
				r.error += ": " + e.get<std::string>();
			else if (e.is_object() && e.contains("message") && e["message"].is_string())
				r.error += ": " + e["message"].get<std::string>();
		}
		return r;
	}
	if (!json)
	{
		r.error = "the service answered with something that is not JSON";
		return r;
	}
	r.ok = true;
	return r;
}

} // namespace ccc::admin
