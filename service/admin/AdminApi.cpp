#include "admin/AdminApi.h"

#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/URI.h>

#include "admin/LogsApi.h"
#include "ccc/config/json_mapping.h"
#include "http/Responses.h"
#include "http/Router.h"
#include "proxy/ProxyEngine.h"

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
		http::sendJson(response, Poco::Net::HTTPResponse::HTTP_OK, body);
	}

private:
	const ServiceContext & _ctx;
};

/// GET /admin/api/endpoints: each endpoint's settings (secrets masked) and live state.
class EndpointsHandler : public Poco::Net::HTTPRequestHandler
{
public:
	explicit EndpointsHandler(const ServiceContext & ctx) : _ctx(ctx) { }

	void handleRequest(Poco::Net::HTTPServerRequest &, Poco::Net::HTTPServerResponse & response) override
	{
		ConfigPtr cfg = _ctx.configStore->snapshot();
		nlohmann::ordered_json masked = config::configToJson(*cfg, true);
		nlohmann::ordered_json list = nlohmann::ordered_json::array();
		auto runtimes = _ctx.engine ? _ctx.engine->runtimes() : nullptr;
		for (size_t i = 0; i < cfg->endpoints.size(); ++i)
		{
			const auto & e = cfg->endpoints[i];
			nlohmann::ordered_json j = masked["endpoints"][i];
			const std::string id = config::endpointId(e);
			j["id"] = id;
			if (runtimes)
			{
				auto it = runtimes->find(id);
				if (it != runtimes->end())
				{
					const upstream::EndpointRuntime & rt = *it->second;
					auto snap = rt.breaker.snapshot();
					j["status"] = !e.enabled ? "disabled" : snap.state == upstream::CircuitBreaker::State::Open ? "open" : "active";
					j["breaker"] = {{"state", upstream::CircuitBreaker::stateName(snap.state)}, {"consecutive_failures", snap.consecutiveFailures},
						{"probe_successes", snap.probeSuccesses}, {"opened_at_ms", snap.openedAtMs}, {"open_reason", snap.openReason},
						{"last_failure", snap.lastFailure}, {"last_failure_at_ms", snap.lastFailureAtMs}, {"opens", snap.opens}};
					j["requests"] = rt.requests.load();
					j["successes"] = rt.successes.load();
					j["failures"] = rt.failures.load();
					j["active"] = rt.activeStreams.load();
					j["connections_opened"] = rt.pool.opened();
					j["idle_connections"] = rt.pool.idleCount();
				}
			}
			list.push_back(std::move(j));
		}
		http::sendJson(response, Poco::Net::HTTPResponse::HTTP_OK, nlohmann::ordered_json{{"endpoints", list}});
	}

private:
	const ServiceContext & _ctx;
};

/// POST /admin/api/endpoints/<id or name>/reset-status: closes the endpoint's circuit breaker.
class ResetHandler : public Poco::Net::HTTPRequestHandler
{
public:
	ResetHandler(const ServiceContext & ctx, std::string key) : _ctx(ctx), _key(std::move(key)) { }

	void handleRequest(Poco::Net::HTTPServerRequest & request, Poco::Net::HTTPServerResponse & response) override
	{
		request.stream().ignore(std::numeric_limits<std::streamsize>::max());
		ConfigPtr cfg = _ctx.configStore->snapshot();
		for (const auto & e : cfg->endpoints)
			if (config::endpointId(e) == _key || e.name == _key)
			{
				if (_ctx.engine)
					_ctx.engine->resetEndpoint(config::endpointId(e));
				http::sendJson(response, Poco::Net::HTTPResponse::HTTP_OK, {{"message", "endpoint '" + e.name + "' was reset"}});
				return;
			}
		http::sendAdminError(response, 404, "no endpoint named or with id '" + _key + "'");
	}

private:
	const ServiceContext & _ctx;
	std::string _key;
};

} // namespace

Poco::Net::HTTPRequestHandler * makeAdminApiHandler(const Poco::Net::HTTPServerRequest & request, const ServiceContext & ctx)
{
	if (auto * h = makeLogsApiHandler(request, ctx))
		return h;
	const std::string path = http::requestPath(request);
	if (path == "/admin/api/config" && request.getMethod() == "GET")
		return new ConfigHandler(ctx);
	if (path == "/admin/api/endpoints" && request.getMethod() == "GET")
		return new EndpointsHandler(ctx);
	static const std::string prefix = "/admin/api/endpoints/";
	static const std::string suffix = "/reset-status";
	if (request.getMethod() == "POST" && path.rfind(prefix, 0) == 0 && path.size() > prefix.size() + suffix.size()
		&& path.compare(path.size() - suffix.size(), suffix.size(), suffix) == 0)
	{
		std::string key;
		Poco::URI::decode(path.substr(prefix.size(), path.size() - prefix.size() - suffix.size()), key);
		return new ResetHandler(ctx, key);
	}
	return nullptr;
}

} // namespace ccc::admin
