#include "model/api_client.h"

#include <cctype>

namespace ccc::admin
{

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
	if (!_transport)
	{
		ApiResult r;
		r.error = "no HTTP transport";
		done(std::move(r));
		return;
	}
	_transport(req, [done = std::move(done)](HttpResponse response) { done(toResult(response)); });
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
