#include "model/api_client.h"

namespace ccc::admin
{

void ApiClient::getConfig(std::function<void(ApiResult)> done)
{
	HttpRequest req;
	req.path = "/admin/api/config";
	request(req, std::move(done));
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
