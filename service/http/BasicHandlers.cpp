#include "http/BasicHandlers.h"

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include "http/Responses.h"

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
		const std::string host = request.getHost().empty() ? "127.0.0.1" : request.getHost();
		const std::string base = "http://" + host;
		std::string page = "<!doctype html><html><head><meta charset=\"utf-8\"><title>Claude Code Companion</title></head><body>"
						   "<h1>Claude Code Companion "
			+ _ctx.version
			+ "</h1><p>Point Claude Code at this proxy:</p><pre>export ANTHROPIC_BASE_URL="
			+ base
			+ "\nexport ANTHROPIC_AUTH_TOKEN=any-value\nexport API_TIMEOUT_MS=600000\n"
			  "export CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1\nclaude</pre><p>Manage endpoints in the <a href=\"/admin/\">admin</a>.</p>"
			  "</body></html>";
		response.setStatus(Poco::Net::HTTPResponse::HTTP_OK);
		response.setContentType("text/html; charset=utf-8");
		response.setContentLength(static_cast<std::streamsize>(page.size()));
		if (request.getMethod() == Poco::Net::HTTPRequest::HTTP_HEAD)
			response.send();
		else
			response.send() << page;
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
