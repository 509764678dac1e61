#include "admin/ConfigApi.h"

#include <functional>
#include <limits>

#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/URI.h>

#include "admin/RouteSupport.h"
#include "ccc/api/admin_config.h"
#include "ccc/config/json_mapping.h"
#include "ccc/config/validate.h"
#include "http/Responses.h"
#include "http/Router.h"
#include "proxy/ProxyEngine.h"

namespace ccc::admin
{

namespace
{

using json = nlohmann::json;
using ojson = nlohmann::ordered_json;
using Request = Poco::Net::HTTPServerRequest;
using Response = Poco::Net::HTTPServerResponse;

/// Sends the first Error of `diags` as 400 (with its key path); false when there is none.
bool sendDiagnostics(Response & response, const config::Diagnostics & diags)
{
	if (!config::hasErrors(diags))
		return false;
	sendApiError(response, 400, api::firstError(diags));
	return true;
}

std::vector<std::string> endpointNames(const config::Config & c)
{
	std::vector<std::string> names;
	for (const auto & e : c.endpoints)
		names.push_back(e.name);
	return names;
}

/// Validation paths of list element `index` under `listPath` (e.g. "endpoints[3]") read as the
/// request's object ("endpoint"), so a form can point at its own field.
std::string localPath(const std::string & path, const std::string & listPath, int index, const std::string & local)
{
	if (index < 0)
		return path;
	const std::string prefix = listPath + "[" + std::to_string(index) + "]";
	if (path.compare(0, prefix.size(), prefix) == 0 && (path.size() == prefix.size() || path[prefix.size()] == '.'))
		return local + path.substr(prefix.size());
	return path;
}

/// Runs one structured edit and answers with MutationResult (or the refusal).
/// `data` turns the written file config into the response's "data" (secrets masked).
void mutate(const ServiceContext & ctx, Request & request, Response & response, const json & body, const ConfigStore::Edit & edit,
	const std::function<ojson(const config::Config &)> & data, const std::string & message,
	const std::function<std::string(const std::string &)> & mapPath = nullptr)
{
	std::string base = api::requestVersion(request.get("If-Match", ""), body);
	if (base.empty())
		base = queryParam(request, "version");
	ConfigStore::EditResult res = ctx.configStore->applyEdit(base, edit);
	if (res.status != 200)
	{
		api::ApiError e{res.error, mapPath && !res.path.empty() ? mapPath(res.path) : res.path,
			res.status == 409 || res.status == 428 ? res.version : std::string()};
		if (!e.path.empty() && e.error.compare(0, res.path.size(), res.path) == 0 && e.path != res.path)
			e.error = e.path + e.error.substr(res.path.size());
		sendApiError(response, res.status, e);
		return;
	}
	api::MutationResult m;
	m.version = res.version;
	m.restart_required = res.restartRequired;
	m.message = message + (res.restartRequired ? " (server.host/server.port apply after a restart)" : "");
	if (data)
		m.data = data(*res.after);
	response.set("ETag", "\"" + res.version + "\"");
	http::sendJson(response, Poco::Net::HTTPResponse::HTTP_OK, api::toJson(m));
}

/// An endpoint as the API shows it, with its live state when the engine knows it.
ojson endpointWithState(const ServiceContext & ctx, const config::Endpoint & e)
{
	ojson j = api::endpointToJson(e);
	auto runtimes = ctx.engine ? ctx.engine->runtimes() : nullptr;
	if (!runtimes)
		return j;
	auto it = runtimes->find(config::endpointId(e));
	if (it == runtimes->end())
	{
		j["status"] = e.enabled ? "active" : "disabled";
		return j;
	}
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
	return j;
}

void sendWithVersion(Response & response, const std::string & version, ojson body)
{
	body["version"] = version;
	response.set("ETag", "\"" + version + "\"");
	http::sendJson(response, Poco::Net::HTTPResponse::HTTP_OK, body);
}

api::ApiError notFound(const std::string & what, const std::string & key)
{
	return {"no " + what + " named or with id '" + key + "'", "", ""};
}

// ---- config ----

void getConfig(const ServiceContext & ctx, Request &, Response & response)
{
	std::string version;
	ConfigPtr file = currentFileConfig(ctx, &version);
	ConfigPtr running = ctx.configStore->snapshot();
	ojson body;
	body["path"] = ctx.configStore->path();
	body["config"] = config::configToJson(*file, /*maskSecrets=*/true);
	body["running"] = {{"host", running->server.host}, {"port", running->server.port}};
	body["restart_required"] = api::restartRequired(*file, *running);
	sendWithVersion(response, version, std::move(body));
}

// ---- endpoints ----

void listEndpoints(const ServiceContext & ctx, Request &, Response & response)
{
	std::string version;
	ConfigPtr cfg = currentFileConfig(ctx, &version);
	ojson list = ojson::array();
	for (const auto & e : cfg->endpoints)
		list.push_back(endpointWithState(ctx, e));
	sendWithVersion(response, version, ojson{{"endpoints", list}});
}

void getEndpoint(const ServiceContext & ctx, const std::string & key, Request &, Response & response)
{
	std::string version;
	ConfigPtr cfg = currentFileConfig(ctx, &version);
	int i = api::findEndpoint(cfg->endpoints, key);
	if (i < 0)
		return sendApiError(response, 404, notFound("endpoint", key));
	sendWithVersion(response, version, ojson{{"endpoint", endpointWithState(ctx, cfg->endpoints[static_cast<size_t>(i)])}});
}

std::function<ojson(const config::Config &)> endpointData(std::shared_ptr<std::string> id)
{
	return [id](const config::Config & c) {
		int i = api::findEndpoint(c.endpoints, *id);
		return i < 0 ? ojson() : api::endpointToJson(c.endpoints[static_cast<size_t>(i)]);
	};
}

void createEndpoint(const ServiceContext & ctx, Request & request, Response & response)
{
	json body;
	if (!readJsonBody(request, response, body))
		return;
	api::EndpointWrite w;
	if (sendDiagnostics(response, api::fromJson(body, w)))
		return;
	auto id = std::make_shared<std::string>();
	auto index = std::make_shared<int>(-1);
	mutate(ctx, request, response, body,
		[&](config::Config & c, ConfigStore::EditError &) {
			c.endpoints.push_back(w.endpoint);
			*index = static_cast<int>(c.endpoints.size()) - 1;
			*id = config::endpointId(w.endpoint);
			return true;
		},
		endpointData(id), "endpoint '" + w.endpoint.name + "' created",
		[&](const std::string & p) { return localPath(p, "endpoints", *index, "endpoint"); });
}

void updateEndpoint(const ServiceContext & ctx, const std::string & key, Request & request, Response & response)
{
	json body;
	if (!readJsonBody(request, response, body))
		return;
	api::EndpointWrite w;
	if (sendDiagnostics(response, api::fromJson(body, w)))
		return;
	auto id = std::make_shared<std::string>();
	auto index = std::make_shared<int>(-1);
	mutate(ctx, request, response, body,
		[&](config::Config & c, ConfigStore::EditError & err) {
			int i = api::findEndpoint(c.endpoints, key);
			if (i < 0)
			{
				err = {404, notFound("endpoint", key).error, ""};
				return false;
			}
			const config::Endpoint & stored = c.endpoints[static_cast<size_t>(i)];
			config::Endpoint next = w.endpoint;
			api::mergeSecrets(stored, next);
			// A rename keeps the endpoint's statistics and breaker state: they are keyed by its id,
			// which was derived from the old name.
			if (next.id.empty() && next.name != stored.name)
				next.id = config::endpointId(stored);
			// Values the service learnt from traffic are not the admin's to drop.
			if (!next.rate_limit_reset)
				next.rate_limit_reset = stored.rate_limit_reset;
			if (!next.rate_limit_status)
				next.rate_limit_status = stored.rate_limit_status;
			c.endpoints[static_cast<size_t>(i)] = next;
			*index = i;
			*id = config::endpointId(next);
			return true;
		},
		endpointData(id), "endpoint '" + w.endpoint.name + "' updated",
		[&](const std::string & p) { return localPath(p, "endpoints", *index, "endpoint"); });
}

void deleteEndpoint(const ServiceContext & ctx, const std::string & key, Request & request, Response & response)
{
	json body;
	if (!readJsonBody(request, response, body))
		return;
	mutate(ctx, request, response, body,
		[&](config::Config & c, ConfigStore::EditError & err) {
			int i = api::findEndpoint(c.endpoints, key);
			if (i < 0)
			{
				err = {404, notFound("endpoint", key).error, ""};
				return false;
			}
			c.endpoints.erase(c.endpoints.begin() + i);
			return true;
		},
		nullptr, "endpoint '" + key + "' deleted");
}

void copyEndpoint(const ServiceContext & ctx, const std::string & key, Request & request, Response & response)
{
	json body;
	if (!readJsonBody(request, response, body))
		return;
	auto id = std::make_shared<std::string>();
	mutate(ctx, request, response, body,
		[&](config::Config & c, ConfigStore::EditError & err) {
			int i = api::findEndpoint(c.endpoints, key);
			if (i < 0)
			{
				err = {404, notFound("endpoint", key).error, ""};
				return false;
			}
			config::Endpoint copy = c.endpoints[static_cast<size_t>(i)];
			copy.name = api::copyEndpointName(copy.name, endpointNames(c));
			copy.id.clear(); // a copy is a new endpoint with its own statistics
			copy.rate_limit_reset.reset();
			copy.rate_limit_status.reset();
			*id = config::endpointId(copy);
			c.endpoints.insert(c.endpoints.begin() + i + 1, std::move(copy));
			return true;
		},
		endpointData(id), "endpoint '" + key + "' copied");
}

void toggleEndpoint(const ServiceContext & ctx, const std::string & key, Request & request, Response & response)
{
	json body;
	if (!readJsonBody(request, response, body))
		return;
	if (body.contains("enabled") && !body["enabled"].is_boolean())
		return sendApiError(response, 400, {"enabled: must be true or false", "enabled", ""});
	auto id = std::make_shared<std::string>(key);
	mutate(ctx, request, response, body,
		[&](config::Config & c, ConfigStore::EditError & err) {
			int i = api::findEndpoint(c.endpoints, key);
			if (i < 0)
			{
				err = {404, notFound("endpoint", key).error, ""};
				return false;
			}
			config::Endpoint & e = c.endpoints[static_cast<size_t>(i)];
			e.enabled = body.contains("enabled") ? body["enabled"].get<bool>() : !e.enabled;
			*id = config::endpointId(e);
			return true;
		},
		endpointData(id), "endpoint '" + key + "' toggled");
}

void reorderEndpoints(const ServiceContext & ctx, Request & request, Response & response)
{
	json body;
	if (!readJsonBody(request, response, body))
		return;
	api::ReorderRequest r;
	if (sendDiagnostics(response, api::fromJson(body, r)))
		return;
	mutate(ctx, request, response, body,
		[&](config::Config & c, ConfigStore::EditError & err) {
			std::string error;
			if (!api::applyOrder(c.endpoints, r.order, error))
			{
				err = {400, "order: " + error, "order"};
				return false;
			}
			return true;
		},
		[](const config::Config & c) {
			ojson order = ojson::array();
			for (const auto & e : c.endpoints)
				order.push_back(config::endpointId(e));
			return ojson{{"order", order}};
		},
		"endpoints reordered");
}

void testRewrite(const ServiceContext & ctx, const std::string & key, Request & request, Response & response)
{
	json body;
	if (!readJsonBody(request, response, body))
		return;
	ConfigPtr cfg = currentFileConfig(ctx);
	config::Endpoint e;
	if (body.contains("endpoint"))
	{
		// An unsaved form can be tried before it is saved.
		if (sendDiagnostics(response, api::endpointFromJson(body["endpoint"], e)))
			return;
	}
	else
	{
		int i = api::findEndpoint(cfg->endpoints, key);
		if (i < 0)
			return sendApiError(response, 404, notFound("endpoint", key));
		e = cfg->endpoints[static_cast<size_t>(i)];
	}
	if (!body.contains("model") || !body["model"].is_string() || body["model"].get<std::string>().empty())
		return sendApiError(response, 400, {"model: is required (a model name)", "model", ""});
	http::sendJson(response, Poco::Net::HTTPResponse::HTTP_OK, api::toJson(api::testModelRewrite(e, body["model"].get<std::string>())));
}

void resetStatus(const ServiceContext & ctx, const std::string & key, Request & request, Response & response)
{
	request.stream().ignore(std::numeric_limits<std::streamsize>::max());
	ConfigPtr cfg = ctx.configStore->snapshot();
	int i = api::findEndpoint(cfg->endpoints, key);
	if (i < 0)
		return sendApiError(response, 404, notFound("endpoint", key));
	const config::Endpoint & e = cfg->endpoints[static_cast<size_t>(i)];
	if (ctx.engine)
		ctx.engine->resetEndpoint(config::endpointId(e));
	http::sendJson(response, Poco::Net::HTTPResponse::HTTP_OK, ojson{{"message", "endpoint '" + e.name + "' was reset"}});
}

// ---- profiles, wizard, names ----

void listProfiles(Request &, Response & response)
{
	ojson list = ojson::array();
	for (const auto & p : api::endpointProfiles())
		list.push_back(api::toJson(p));
	http::sendJson(response, Poco::Net::HTTPResponse::HTTP_OK, ojson{{"profiles", list}});
}

void suggestName(const ServiceContext & ctx, Request & request, Response & response)
{
	std::string base = queryParam(request, "base");
	if (base.empty())
		if (const api::EndpointProfile * p = api::findProfile(queryParam(request, "profile_id")))
			base = p->display_name;
	ConfigPtr cfg = currentFileConfig(ctx);
	http::sendJson(response, Poco::Net::HTTPResponse::HTTP_OK, ojson{{"name", api::suggestEndpointName(base, endpointNames(*cfg))}});
}

void wizard(const ServiceContext & ctx, Request & request, Response & response)
{
	json body;
	if (!readJsonBody(request, response, body))
		return;
	api::WizardRequest w;
	if (sendDiagnostics(response, api::fromJson(body, w)))
		return;
	auto id = std::make_shared<std::string>();
	auto index = std::make_shared<int>(-1);
	mutate(ctx, request, response, body,
		[&](config::Config & c, ConfigStore::EditError & err) {
			config::Endpoint e;
			config::Diagnostics d = api::endpointFromProfile(w, endpointNames(c), e);
			if (config::hasErrors(d))
			{
				api::ApiError a = api::firstError(d);
				err = {400, a.error, a.path};
				return false;
			}
			*id = config::endpointId(e);
			c.endpoints.push_back(std::move(e));
			*index = static_cast<int>(c.endpoints.size()) - 1;
			return true;
		},
		endpointData(id), "endpoint created from profile '" + w.profile_id + "'",
		[&](const std::string & p) { return localPath(p, "endpoints", *index, "endpoint"); });
}

// ---- taggers and tags ----

int findTagger(const config::Config & c, const std::string & name)
{
	for (size_t i = 0; i < c.tagging.taggers.size(); ++i)
		if (c.tagging.taggers[i].name == name)
			return static_cast<int>(i);
	return -1;
}

void listTaggers(const ServiceContext & ctx, Request &, Response & response)
{
	std::string version;
	ConfigPtr cfg = currentFileConfig(ctx, &version);
	ojson list = ojson::array();
	for (const auto & t : cfg->tagging.taggers)
		list.push_back(api::taggerToJson(t));
	ojson types = config::builtinTaggerTypes();
	sendWithVersion(response, version, ojson{{"taggers", list}, {"builtin_types", types}});
}

void getTagger(const ServiceContext & ctx, const std::string & name, Request &, Response & response)
{
	std::string version;
	ConfigPtr cfg = currentFileConfig(ctx, &version);
	int i = findTagger(*cfg, name);
	if (i < 0)
		return sendApiError(response, 404, notFound("tagger", name));
	sendWithVersion(response, version, ojson{{"tagger", api::taggerToJson(cfg->tagging.taggers[static_cast<size_t>(i)])}});
}

std::function<ojson(const config::Config &)> taggerData(std::shared_ptr<std::string> name)
{
	return [name](const config::Config & c) {
		int i = findTagger(c, *name);
		return i < 0 ? ojson() : api::taggerToJson(c.tagging.taggers[static_cast<size_t>(i)]);
	};
}

/// POST /taggers (key empty) or PUT /taggers/<key>.
void writeTagger(const ServiceContext & ctx, const std::string & key, Request & request, Response & response)
{
	json body;
	if (!readJsonBody(request, response, body))
		return;
	api::TaggerWrite w;
	if (sendDiagnostics(response, api::fromJson(body, w)))
		return;
	auto name = std::make_shared<std::string>(w.tagger.name);
	auto index = std::make_shared<int>(-1);
	mutate(ctx, request, response, body,
		[&](config::Config & c, ConfigStore::EditError & err) {
			if (key.empty())
			{
				c.tagging.taggers.push_back(w.tagger);
				*index = static_cast<int>(c.tagging.taggers.size()) - 1;
				return true;
			}
			int i = findTagger(c, key);
			if (i < 0)
			{
				err = {404, notFound("tagger", key).error, ""};
				return false;
			}
			c.tagging.taggers[static_cast<size_t>(i)] = w.tagger;
			*index = i;
			return true;
		},
		taggerData(name), "tagger '" + w.tagger.name + (key.empty() ? "' created" : "' updated"),
		[&](const std::string & p) { return localPath(p, "tagging.taggers", *index, "tagger"); });
}

void deleteTagger(const ServiceContext & ctx, const std::string & key, Request & request, Response & response)
{
	json body;
	if (!readJsonBody(request, response, body))
		return;
	mutate(ctx, request, response, body,
		[&](config::Config & c, ConfigStore::EditError & err) {
			int i = findTagger(c, key);
			if (i < 0)
			{
				err = {404, notFound("tagger", key).error, ""};
				return false;
			}
			c.tagging.taggers.erase(c.tagging.taggers.begin() + i);
			return true;
		},
		nullptr, "tagger '" + key + "' deleted");
}

void listTags(const ServiceContext & ctx, Request &, Response & response)
{
	std::string version;
	ConfigPtr cfg = currentFileConfig(ctx, &version);
	ojson list = ojson::array();
	for (const auto & t : api::tagList(*cfg))
		list.push_back(api::toJson(t));
	sendWithVersion(response, version, ojson{{"tags", list}});
}

// ---- settings ----

void getSettings(const ServiceContext & ctx, Request &, Response & response)
{
	std::string version;
	ConfigPtr file = currentFileConfig(ctx, &version);
	ConfigPtr running = ctx.configStore->snapshot();
	ojson body = {{"settings", api::settingsToJson(*file)}, {"running", {{"host", running->server.host}, {"port", running->server.port}}},
		{"restart_required", api::restartRequired(*file, *running)}};
	sendWithVersion(response, version, std::move(body));
}

void putSettings(const ServiceContext & ctx, Request & request, Response & response)
{
	json body;
	if (!readJsonBody(request, response, body))
		return;
	if (!body.is_object() || !body.contains("settings"))
		return sendApiError(response, 400, {"settings: is required (an object of sections)", "settings", ""});
	mutate(ctx, request, response, body,
		[&](config::Config & c, ConfigStore::EditError & err) {
			config::Config next;
			config::Diagnostics d = api::applySettings(body["settings"], c, next);
			if (config::hasErrors(d))
			{
				api::ApiError a = api::firstError(d);
				err = {400, a.error, a.path};
				return false;
			}
			c = std::move(next);
			return true;
		},
		[](const config::Config & c) { return api::settingsToJson(c); }, "settings saved");
}

/// "/admin/api/a/b%2Fc" -> {"a", "b/c"}
std::vector<std::string> segments(const std::string & path)
{
	static const std::string prefix = "/admin/api/";
	std::vector<std::string> out;
	if (path.compare(0, prefix.size(), prefix) != 0)
		return out;
	std::string rest = path.substr(prefix.size());
	size_t pos = 0;
	while (pos <= rest.size())
	{
		size_t slash = rest.find('/', pos);
		if (slash == std::string::npos)
			slash = rest.size();
		std::string seg;
		try
		{
			Poco::URI::decode(rest.substr(pos, slash - pos), seg);
		}
		catch (const Poco::Exception &)
		{
			return {};
		}
		out.push_back(seg);
		pos = slash + 1;
	}
	while (!out.empty() && out.back().empty())
		out.pop_back();
	return out;
}

} // namespace

Poco::Net::HTTPRequestHandler * makeConfigApiHandler(const Poco::Net::HTTPServerRequest & request, const ServiceContext & ctx)
{
	const std::vector<std::string> s = segments(http::requestPath(request));
	if (s.empty())
		return nullptr;
	const std::string & m = request.getMethod();
	const ServiceContext * c = &ctx;
	auto h = [](http::FunctionHandler::Fn fn) { return new http::FunctionHandler(std::move(fn)); };
	const size_t n = s.size();

	if (s[0] == "config" && n == 1 && m == "GET")
		return h([c](Request & q, Response & r) { getConfig(*c, q, r); });
	if (s[0] == "endpoint-profiles" && n == 1 && m == "GET")
		return h(listProfiles);
	if (s[0] == "endpoints")
	{
		if (n == 1 && m == "GET")
			return h([c](Request & q, Response & r) { listEndpoints(*c, q, r); });
		if (n == 1 && m == "POST")
			return h([c](Request & q, Response & r) { createEndpoint(*c, q, r); });
		if (n == 2 && s[1] == "reorder" && m == "POST")
			return h([c](Request & q, Response & r) { reorderEndpoints(*c, q, r); });
		if (n == 2 && s[1] == "wizard" && m == "POST")
			return h([c](Request & q, Response & r) { wizard(*c, q, r); });
		if (n == 2 && s[1] == "suggest-name" && m == "GET")
			return h([c](Request & q, Response & r) { suggestName(*c, q, r); });
		if (n >= 2)
		{
			const std::string key = s[1];
			if (n == 2 && m == "GET")
				return h([c, key](Request & q, Response & r) { getEndpoint(*c, key, q, r); });
			if (n == 2 && m == "PUT")
				return h([c, key](Request & q, Response & r) { updateEndpoint(*c, key, q, r); });
			if (n == 2 && m == "DELETE")
				return h([c, key](Request & q, Response & r) { deleteEndpoint(*c, key, q, r); });
			if (n == 3 && m == "POST")
			{
				if (s[2] == "copy")
					return h([c, key](Request & q, Response & r) { copyEndpoint(*c, key, q, r); });
				if (s[2] == "toggle")
					return h([c, key](Request & q, Response & r) { toggleEndpoint(*c, key, q, r); });
				if (s[2] == "test-rewrite")
					return h([c, key](Request & q, Response & r) { testRewrite(*c, key, q, r); });
				if (s[2] == "reset-status")
					return h([c, key](Request & q, Response & r) { resetStatus(*c, key, q, r); });
			}
		}
	}
	if (s[0] == "taggers")
	{
		if (n == 1 && m == "GET")
			return h([c](Request & q, Response & r) { listTaggers(*c, q, r); });
		if (n == 1 && m == "POST")
			return h([c](Request & q, Response & r) { writeTagger(*c, "", q, r); });
		if (n == 2)
		{
			const std::string key = s[1];
			if (m == "GET")
				return h([c, key](Request & q, Response & r) { getTagger(*c, key, q, r); });
			if (m == "PUT")
				return h([c, key](Request & q, Response & r) { writeTagger(*c, key, q, r); });
			if (m == "DELETE")
				return h([c, key](Request & q, Response & r) { deleteTagger(*c, key, q, r); });
		}
	}
	if (s[0] == "tags" && n == 1 && m == "GET")
		return h([c](Request & q, Response & r) { listTags(*c, q, r); });
	if (s[0] == "settings" && n == 1)
	{
		if (m == "GET")
			return h([c](Request & q, Response & r) { getSettings(*c, q, r); });
		if (m == "PUT")
			return h([c](Request & q, Response & r) { putSettings(*c, q, r); });
	}
	return nullptr;
}

} // namespace ccc::admin
