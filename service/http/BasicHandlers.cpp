#include "http/BasicHandlers.h"

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/String.h>

#include "http/ClaudeSetup.h"
#include "http/Responses.h"
#include "http/Router.h"

namespace ccc::http
{

namespace
{

class HealthHandler : public Poco::Net::HTTPRequestHandler
{
public:
	explicit HealthHandler(const ServiceContext & ctx) : _ctx(ctx) { }

	void handleRequest(Poco::Net::HTTPServerRequest &, Poco::Net::HTTPServerResponse & response) override
	{
		auto uptime = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - _ctx.startedAt);
		sendJson(response, Poco::Net::HTTPResponse::HTTP_OK,
			{{"status", "ok"}, {"version", _ctx.version}, {"uptime_seconds", static_cast<double>(uptime.count()) / 1000.0}});
	}

private:
	const ServiceContext & _ctx;
};

class RedirectHandler : public Poco::Net::HTTPRequestHandler
{
public:
	explicit RedirectHandler(std::string location) : _location(std::move(location)) { }

	void handleRequest(Poco::Net::HTTPServerRequest &, Poco::Net::HTTPServerResponse & response) override
	{
		response.setStatus(Poco::Net::HTTPResponse::HTTP_MOVED_PERMANENTLY);
		response.set("Location", _location);
		response.setContentLength(0);
		response.send();
	}

private:
	std::string _location;
};

class RootHandler : public Poco::Net::HTTPRequestHandler
{
public:
	explicit RootHandler(const ServiceContext & ctx) : _ctx(ctx) { }

	void handleRequest(Poco::Net::HTTPServerRequest & request, Poco::Net::HTTPServerResponse & response) override
	{
		const bool head = request.getMethod() == Poco::Net::HTTPRequest::HTTP_HEAD;
		const std::string path = requestPath(request);
		// Claude Code probes HEAD / at start: answer it without building the page.
		if (head && path == "/")
		{
			response.setStatus(Poco::Net::HTTPResponse::HTTP_OK);
			response.setContentType("text/html; charset=utf-8");
			response.setContentLength(0);
			response.send();
			return;
		}
		ConfigPtr cfg = _ctx.configStore ? _ctx.configStore->snapshot() : nullptr;
		const bool tokensRequired = cfg && !cfg->server.client_tokens.empty();
		// The base URL as the browser reached us (behind a TLS proxy: https), else the listen address.
		const std::string host = request.getHost();
		std::string base;
		if (isSafeHostHeader(host))
			base = (Poco::icompare(request.get("X-Forwarded-Proto", ""), "https") == 0 ? "https://" : "http://") + host;
		else
			base = cfg ? baseUrlForListen(cfg->server.host, cfg->server.port) : "http://127.0.0.1:8080";
		std::string body;
		if (path == "/")
		{
			body = setupPageHtml(_ctx.version, base, tokensRequired);
			response.setContentType("text/html; charset=utf-8");
		}
		else
		{
			const std::string name = path.substr(7); // after "/setup/"
			const size_t dot = name.rfind('.');
			const std::string kind = dot == std::string::npos ? "" : name.substr(dot + 1);
			if (name != launcherFileName(kind) || name.empty())
			{
				sendJson(response, Poco::Net::HTTPResponse::HTTP_NOT_FOUND, {{"error", "no such script; try /setup/ccc.sh, ccc.command, ccc.bat or ccc.ps1"}});
				return;
			}
			body = launcherScript(kind, base, tokensRequired ? kTokenPlaceholder : kAnyToken);
			response.setContentType(kind == "bat" || kind == "ps1" ? "application/octet-stream" : "text/x-shellscript; charset=utf-8");
			response.set("Content-Disposition", "attachment; filename=\"" + name + "\"");
		}
		response.setStatus(Poco::Net::HTTPResponse::HTTP_OK);
		response.set("Cache-Control", "no-store");
		response.set("X-Content-Type-Options", "nosniff");
		response.setContentLength(static_cast<std::streamsize>(body.size()));
		if (head)
			response.send();
		else
			response.send() << body;
	}

private:
	const ServiceContext & _ctx;
};

} // namespace

Poco::Net::HTTPRequestHandler * makeHealthHandler(const ServiceContext & ctx)
{
	return new HealthHandler(ctx);
}

Poco::Net::HTTPRequestHandler * makeRedirectHandler(std::string location)
{
	return new RedirectHandler(std::move(location));
}

Poco::Net::HTTPRequestHandler * makeRootHandler(const ServiceContext & ctx)
{
	return new RootHandler(ctx);
}

} // namespace ccc::http
