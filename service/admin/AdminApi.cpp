#include "admin/AdminApi.h"

#include <Poco/Net/HTTPServerResponse.h>

#include "ccc/config/json_mapping.h"
#include "http/Responses.h"
#include "http/Router.h"

namespace ccc::admin
{

namespace
{

class ConfigHandler : public Poco::Net::HTTPRequestHandler
{
public:
	explicit ConfigHandler(const ServiceContext & ctx) : _ctx(ctx) { }

	void handleRequest(Poco::Net::HTTPServerRequest &, Poco::Net::HTTPServerResponse & response) override
	{
		ConfigPtr cfg = _ctx.configStore->snapshot();
		nlohmann::ordered_json body;
		body["path"] = _ctx.configStore->path();
		body["config"] = config::configToJson(*cfg, /*maskSecrets=*/true);
		const std::string text = body.dump();
		response.setStatus(Poco::Net::HTTPResponse::HTTP_OK);
		response.setContentType("application/json; charset=utf-8");
		response.set("Cache-Control", "no-store");
		response.setContentLength(static_cast<std::streamsize>(text.size()));
		response.send() << text;
	}

private:
	const ServiceContext & _ctx;
};

} // namespace

Poco::Net::HTTPRequestHandler * makeAdminApiHandler(const Poco::Net::HTTPServerRequest & request, const ServiceContext & ctx)
{
	const std::string path = http::requestPath(request);
	if (path == "/admin/api/config" && request.getMethod() == "GET")
		return new ConfigHandler(ctx);
	return nullptr;
}

} // namespace ccc::admin
