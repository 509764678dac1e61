#include "admin/RouteSupport.h"

#include <Poco/Exception.h>
#include <Poco/URI.h>

#include "http/Responses.h"

namespace ccc::admin
{

void sendApiError(Poco::Net::HTTPServerResponse & response, int status, const api::ApiError & e)
{
	http::sendJson(response, static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status), api::toJson(e));
}

bool readJsonBody(Poco::Net::HTTPServerRequest & request, Poco::Net::HTTPServerResponse & response, nlohmann::json & out,
	bool requireObject)
{
	std::string text;
	char buf[8192];
	std::istream & in = request.stream();
	while (in.read(buf, sizeof buf) || in.gcount() > 0)
	{
		text.append(buf, static_cast<size_t>(in.gcount()));
		if (text.size() > kMaxAdminBody)
		{
			sendApiError(response, 413, {"the request body is larger than 4 MiB", "", ""});
			return false;
		}
	}
	if (text.find_first_not_of(" \t\r\n") == std::string::npos)
	{
		out = nlohmann::json::object();
		return true;
	}
	out = nlohmann::json::parse(text, nullptr, false);
	if (out.is_discarded() || (requireObject && !out.is_object()))
	{
		sendApiError(response, 400, {requireObject ? "the request body is not a JSON object" : "the request body is not valid JSON", "", ""});
		return false;
	}
	return true;
}

std::string queryParam(const Poco::Net::HTTPServerRequest & request, const std::string & name)
{
	try
	{
		for (const auto & [k, v] : Poco::URI(request.getURI()).getQueryParameters())
			if (k == name)
				return v;
	}
	catch (const Poco::Exception &)
	{
	}
	return {};
}

ConfigPtr currentFileConfig(const ServiceContext & ctx, std::string * version)
{
	ctx.configStore->syncWithFile();
	return ctx.configStore->fileConfig(version);
}

} // namespace ccc::admin
