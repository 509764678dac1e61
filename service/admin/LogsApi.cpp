#include "admin/LogsApi.h"

#include <chrono>
#include <istream>
#include <map>
#include <vector>

#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/URI.h>

#include "admin/EventHub.h"
#include "admin/LogQueries.h"
#include "ccc/api/admin_logs.h"
#include "http/Responses.h"
#include "http/Router.h"
#include "proxy/ProxyEngine.h"
#include "store/DebugExport.h"
#include "store/RequestLogger.h"
#include "store/StoreJson.h"

namespace ccc::admin
{

namespace
{

using Poco::Net::HTTPRequestHandler;
using Poco::Net::HTTPResponse;
using Poco::Net::HTTPServerRequest;
using Poco::Net::HTTPServerResponse;

constexpr int64_t kDefaultRangeMs = 24 * 3600 * 1000LL;
constexpr int64_t kDefaultHeartbeatMs = 15000;

int64_t nowMs()
{
	return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::map<std::string, std::string> queryParams(const HTTPServerRequest & request)
{
	std::map<std::string, std::string> m;
	try
	{
		for (const auto & kv : Poco::URI(request.getURI()).getQueryParameters())
			m[kv.first] = kv.second;
	}
	catch (const Poco::Exception &)
	{
		// A malformed query reads as no parameters; the route's own checks still apply.
	}
	return m;
}

/// The request body as JSON (at most 64 KiB); false with a 400 sent otherwise.
bool readJsonBody(HTTPServerRequest & request, HTTPServerResponse & response, nlohmann::json & out)
{
	std::string text;
	char buf[4096];
	std::istream & in = request.stream();
	while (in.read(buf, sizeof buf) || in.gcount() > 0)
	{
		text.append(buf, static_cast<size_t>(in.gcount()));
		if (text.size() > 64 * 1024)
		{
			http::sendAdminError(response, 413, "request body too large (64 KiB at most)");
			return false;
		}
	}
	out = nlohmann::json::parse(text.empty() ? std::string("{}") : text, nullptr, false);
	if (out.is_discarded() || !out.is_object())
	{
		http::sendAdminError(response, 400, "the request body must be a JSON object");
		return false;
	}
	return true;
}

/// The log store, or a 503 sent.
std::shared_ptr<store::LogStore> storeOr503(const ServiceContext & ctx, HTTPServerResponse & response)
{
	std::shared_ptr<store::LogStore> s = ctx.logger ? ctx.logger->store() : nullptr;
	if (!s)
		http::sendAdminError(response, 503, "the request log store is not available (see the service log)");
	return s;
}

void sendStoreError(HTTPServerResponse & response, const std::exception & e)
{
	if (!response.sent())
		http::sendAdminError(response, 500, std::string("request log store error: ") + e.what());
}

/// `from`/`to` of the dashboard routes: validated like the logs list; defaults to the last 24 h.
bool readRange(const std::map<std::string, std::string> & params, HTTPServerResponse & response, int64_t & fromMs, int64_t & toMs)
{
	api::LogsListParams p;
	std::string bad, msg;
	std::map<std::string, std::string> range;
	for (const char * k : {"from", "to"})
		if (auto it = params.find(k); it != params.end())
			range[k] = it->second;
	if (!api::LogsListParams::fromQuery(range, p, bad, msg))
	{
		http::sendAdminError(response, 400, msg, bad);
		return false;
	}
	toMs = p.to_ms >= 0 ? p.to_ms : nowMs() + 1;
	fromMs = p.from_ms >= 0 ? p.from_ms : toMs - kDefaultRangeMs;
	if (fromMs < 0)
		fromMs = 0;
	if (toMs <= fromMs)
	{
		http::sendAdminError(response, 400, "to must be later than from", p.to_ms >= 0 ? "to" : "from");
		return false;
	}
	return true;
}

class LogsListHandler : public HTTPRequestHandler
{
public:
	explicit LogsListHandler(const ServiceContext & ctx) : _ctx(ctx) { }

	void handleRequest(HTTPServerRequest & request, HTTPServerResponse & response) override
	{
		api::LogsListParams p;
		std::string bad, msg;
		if (!api::LogsListParams::fromQuery(queryParams(request), p, bad, msg))
			return http::sendAdminError(response, 400, msg, bad);
		auto store = storeOr503(_ctx, response);
		if (!store)
			return;
		try
		{
			store::ListPage page = store->list(listQueryOf(p));
			api::LogsPage out;
			for (const auto & s : page.items)
				out.items.push_back(summaryOf(s));
			out.next_cursor = page.next_cursor;
			http::sendJson(response, HTTPResponse::HTTP_OK, api::toJson(out));
		}
		catch (const std::exception & e)
		{
			sendStoreError(response, e);
		}
	}

private:
	const ServiceContext & _ctx;
};

class LogsStatsHandler : public HTTPRequestHandler
{
public:
	explicit LogsStatsHandler(const ServiceContext & ctx) : _ctx(ctx) { }

	void handleRequest(HTTPServerRequest &, HTTPServerResponse & response) override
	{
		auto store = storeOr503(_ctx, response);
		if (!store)
			return;
		try
		{
			nlohmann::ordered_json body = {{"storage_backend", store->backendName()}, {"storage_bytes", store->storageBytes()},
				{"schema_version", store->schemaVersion()}, {"writer", store::loggerCountersJson(_ctx.logger->counters())}};
			http::sendJson(response, HTTPResponse::HTTP_OK, body);
		}
		catch (const std::exception & e)
		{
			sendStoreError(response, e);
		}
	}

private:
	const ServiceContext & _ctx;
};

class LogDetailHandler : public HTTPRequestHandler
{
public:
	LogDetailHandler(const ServiceContext & ctx, std::string id, bool exportZip) : _ctx(ctx), _id(std::move(id)), _export(exportZip) { }

	void handleRequest(HTTPServerRequest &, HTTPServerResponse & response) override
	{
		auto store = storeOr503(_ctx, response);
		if (!store)
			return;
		try
		{
			if (_export)
				return sendExport(*store, response);
			auto s = store->get(_id);
			if (!s)
				return http::sendAdminError(response, 404, "no request with id '" + _id + "'", "request_id");
			http::sendJson(response, HTTPResponse::HTTP_OK, api::toJson(detailOf(*s)));
		}
		catch (const std::exception & e)
		{
			sendStoreError(response, e);
		}
	}

private:
	void sendExport(store::LogStore & store, HTTPServerResponse & response)
	{
		ConfigPtr cfg = _ctx.configStore->snapshot();
		const int64_t now = nowMs();
		auto zip = store::exportRequestZip(store, _id, cfg.get(), now);
		if (!zip)
			return http::sendAdminError(response, 404, "no request with id '" + _id + "'", "request_id");
		response.setStatus(HTTPResponse::HTTP_OK);
		response.setContentType("application/zip");
		response.set("Content-Disposition", "attachment; filename=\"" + store::exportZipFileName(_id, now) + "\"");
		response.set("Cache-Control", "no-store");
		response.setContentLength(static_cast<std::streamsize>(zip->size()));
		response.send().write(zip->data(), static_cast<std::streamsize>(zip->size()));
	}

	const ServiceContext & _ctx;
	std::string _id;
	bool _export;
};

class CleanupHandler : public HTTPRequestHandler
{
public:
	explicit CleanupHandler(const ServiceContext & ctx) : _ctx(ctx) { }

	void handleRequest(HTTPServerRequest & request, HTTPServerResponse & response) override
	{
		nlohmann::json body;
		if (!readJsonBody(request, response, body))
			return;
		api::CleanupRequest req;
		std::string err;
		if (!api::fromJson(body, req, err))
			return http::sendAdminError(response, 400, err, "days");
		if (!storeOr503(_ctx, response))
			return;
		try
		{
			api::CleanupResponse out;
			out.deleted_count = _ctx.logger->cleanup(req.days);
			out.message = req.days == 0 ? "deleted every request (" + std::to_string(out.deleted_count) + ")"
										: "deleted " + std::to_string(out.deleted_count) + " request(s) older than "
					+ std::to_string(req.days) + " day(s)";
			http::sendJson(response, HTTPResponse::HTTP_OK, api::toJson(out));
		}
		catch (const std::exception & e)
		{
			sendStoreError(response, e);
		}
	}

private:
	const ServiceContext & _ctx;
};

class DashboardHandler : public HTTPRequestHandler
{
public:
	explicit DashboardHandler(const ServiceContext & ctx) : _ctx(ctx) { }

	void handleRequest(HTTPServerRequest & request, HTTPServerResponse & response) override
	{
		api::DashboardSummary d;
		if (!readRange(queryParams(request), response, d.from_ms, d.to_ms))
			return;
		ConfigPtr cfg = _ctx.configStore->snapshot();
		std::map<std::string, store::EndpointStats> persisted;
		if (_ctx.logger)
			for (auto & s : _ctx.logger->endpointStats())
				persisted[s.endpoint_id] = std::move(s);
		auto runtimes = _ctx.engine ? _ctx.engine->runtimes() : nullptr;
		for (const auto & e : cfg->endpoints)
		{
			api::EndpointCard c;
			c.id = config::endpointId(e);
			c.name = e.name;
			c.url = e.url;
			c.endpoint_type = e.endpoint_type;
			c.enabled = e.enabled;
			c.priority = e.priority;
			c.tags = e.tags;
			c.status = e.enabled ? "active" : "disabled";
			c.breaker_state = "closed";
			if (runtimes)
				if (auto it = runtimes->find(c.id); it != runtimes->end())
				{
					const upstream::EndpointRuntime & rt = *it->second;
					auto snap = rt.breaker.snapshot();
					c.breaker_state = upstream::CircuitBreaker::stateName(snap.state);
					if (e.enabled && snap.state == upstream::CircuitBreaker::State::Open)
						c.status = "open";
					c.consecutive_failures = snap.consecutiveFailures;
					c.last_failure = snap.lastFailure;
					c.last_failure_at_ms = snap.lastFailureAtMs;
					c.opened_at_ms = snap.openedAtMs;
					c.active_streams = static_cast<int64_t>(rt.activeStreams.load());
					c.live_requests = static_cast<int64_t>(rt.requests.load());
					c.live_successes = static_cast<int64_t>(rt.successes.load());
					c.live_failures = static_cast<int64_t>(rt.failures.load());
				}
			if (auto it = persisted.find(c.id); it != persisted.end())
			{
				const store::EndpointStats & s = it->second;
				c.total_requests = s.requests;
				c.total_successes = s.successes;
				c.total_failures = s.failures;
				if (s.successes + s.failures > 0)
					c.success_rate = static_cast<double>(s.successes) / static_cast<double>(s.successes + s.failures);
				c.latency_p50_ms = s.latency.percentile(50);
				c.latency_p95_ms = s.latency.percentile(95);
				c.input_tokens = s.input_tokens;
				c.output_tokens = s.output_tokens;
				c.cost_usd = s.cost_usd;
			}
			d.endpoints.push_back(std::move(c));
		}
		std::shared_ptr<store::LogStore> store = _ctx.logger ? _ctx.logger->store() : nullptr;
		if (store)
		{
			try
			{
				for (const auto & u : store->usageByEndpoint(d.from_ms, d.to_ms))
					d.by_endpoint.push_back(usageRowOf(u));
				for (const auto & u : store->usageByModel(d.from_ms, d.to_ms))
					d.by_model.push_back(usageRowOf(u));
				store::ListFilter f;
				f.from_ms = d.from_ms;
				f.to_ms = d.to_ms;
				d.total_requests = store->count(f);
				f.status_class = "failed";
				d.failed_requests = store->count(f);
				d.storage_bytes = store->storageBytes();
				d.storage_backend = store->backendName();
			}
			catch (const std::exception & e)
			{
				return sendStoreError(response, e);
			}
		}
		http::sendJson(response, HTTPResponse::HTTP_OK, api::toJson(d));
	}

private:
	const ServiceContext & _ctx;
};

class TimeSeriesHandler : public HTTPRequestHandler
{
public:
	explicit TimeSeriesHandler(const ServiceContext & ctx) : _ctx(ctx) { }

	void handleRequest(HTTPServerRequest & request, HTTPServerResponse & response) override
	{
		auto params = queryParams(request);
		int64_t fromMs = 0, toMs = 0;
		if (!readRange(params, response, fromMs, toMs))
			return;
		const int64_t range = toMs - fromMs;
		// Default: about 60 buckets of whole seconds.
		int64_t bucket = std::max<int64_t>(api::kMinBucketMs, (range / 60 + 999) / 1000 * 1000);
		if (auto it = params.find("bucket"); it != params.end() && !it->second.empty())
		{
			char * end = nullptr;
			long long v = std::strtoll(it->second.c_str(), &end, 10);
			if (!end || *end != '\0' || v < api::kMinBucketMs)
				return http::sendAdminError(response, 400,
					"bucket must be an integer number of milliseconds, at least " + std::to_string(api::kMinBucketMs), "bucket");
			bucket = v;
		}
		if ((range + bucket - 1) / bucket > api::kMaxTimeSeriesBuckets)
			return http::sendAdminError(response, 400,
				"too many buckets: (to - from) / bucket must be at most " + std::to_string(api::kMaxTimeSeriesBuckets), "bucket");
		auto store = storeOr503(_ctx, response);
		if (!store)
			return;
		try
		{
			http::sendJson(response, HTTPResponse::HTTP_OK, api::toJson(scanTimeSeries(*store, fromMs, toMs, bucket)));
		}
		catch (const std::exception & e)
		{
			sendStoreError(response, e);
		}
	}

private:
	const ServiceContext & _ctx;
};

class TestEndpointHandler : public HTTPRequestHandler
{
public:
	TestEndpointHandler(const ServiceContext & ctx, std::string key) : _ctx(ctx), _key(std::move(key)) { }

	void handleRequest(HTTPServerRequest & request, HTTPServerResponse & response) override
	{
		nlohmann::json body;
		if (!readJsonBody(request, response, body))
			return;
		if (_key.empty())
		{
			api::TestEndpointRequest req;
			std::string err;
			if (!api::fromJson(body, req, err))
				return http::sendAdminError(response, 400, err, "endpoint");
			_key = req.endpoint;
		}
		ConfigPtr cfg = _ctx.configStore->snapshot();
		const config::Endpoint * found = nullptr;
		for (const auto & e : cfg->endpoints)
			if (config::endpointId(e) == _key || e.name == _key)
			{
				found = &e;
				break;
			}
		if (!found)
			return http::sendAdminError(response, 404, "no endpoint named or with id '" + _key + "'", "endpoint");
		if (!_ctx.engine)
			return http::sendAdminError(response, 503, "the proxy engine is not running");
		api::TestEndpointResult out;
		out.endpoint_id = config::endpointId(*found);
		out.endpoint_name = found->name;
		api::AttemptRecord arec;
		arec.outcome = api::Outcome::Rejected; // stays so when the request could not even be prepared
		std::string detail;
		const auto start = std::chrono::steady_clock::now();
		out.ok = _ctx.engine->probe(*cfg, *found, detail, &arec);
		const int64_t wall
			= std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count();
		out.status = arec.status;
		out.latency_ms = arec.duration_ms > 0 ? arec.duration_ms : wall;
		out.outcome = api::outcomeName(arec.outcome);
		out.verdict = out.ok ? "valid" : (detail.empty() ? "failed" : detail);
		out.model = arec.model_sent;
		http::sendJson(response, HTTPResponse::HTTP_OK, api::toJson(out));
	}

private:
	const ServiceContext & _ctx;
	std::string _key;
};

/// GET /admin/api/events: holds its worker thread while open, like a proxied stream.
class EventsHandler : public HTTPRequestHandler
{
public:
	explicit EventsHandler(const ServiceContext & ctx) : _ctx(ctx) { }

	void handleRequest(HTTPServerRequest & request, HTTPServerResponse & response) override
	{
		int64_t heartbeatMs = kDefaultHeartbeatMs;
		auto params = queryParams(request);
		if (auto it = params.find("heartbeat_ms"); it != params.end())
		{
			char * end = nullptr;
			long long v = std::strtoll(it->second.c_str(), &end, 10);
			if (it->second.empty() || !end || *end != '\0' || v < 100 || v > 60000)
				return http::sendAdminError(response, 400, "heartbeat_ms must be an integer in 100..60000", "heartbeat_ms");
			heartbeatMs = v;
		}
		EventHub * hub = _ctx.events;
		auto client = hub ? hub->subscribe() : nullptr;
		if (!client)
			return http::sendAdminError(response, 503, "the live event stream is not available (the service is stopping)");
		try
		{
			response.setStatus(HTTPResponse::HTTP_OK);
			response.setContentType("text/event-stream");
			response.set("Cache-Control", "no-cache");
			response.set("X-Accel-Buffering", "no");
			response.setChunkedTransferEncoding(true);
			response.setKeepAlive(false);
			std::ostream & out = response.send();
			out << "retry: 3000\n: connected\n\n";
			out.flush();
			std::vector<std::string> frames;
			while (out.good())
			{
				frames.clear();
				EventHub::Wait w = hub->next(*client, frames, heartbeatMs);
				if (w == EventHub::Wait::Closed)
					break;
				if (w == EventHub::Wait::Timeout)
					out << ": heartbeat\n\n";
				for (const auto & f : frames)
					out << f;
				out.flush();
			}
		}
		catch (const std::exception &)
		{
			// The client went away mid-write: nothing to answer.
		}
		hub->unsubscribe(client);
	}

private:
	const ServiceContext & _ctx;
};

bool startsWith(const std::string & s, const std::string & prefix)
{
	return s.size() >= prefix.size() && s.compare(0, prefix.size(), prefix) == 0;
}

bool endsWith(const std::string & s, const std::string & suffix)
{
	return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string decoded(const std::string & s)
{
	std::string out;
	try
	{
		Poco::URI::decode(s, out);
	}
	catch (const Poco::Exception &)
	{
		return s;
	}
	return out;
}

} // namespace

Poco::Net::HTTPRequestHandler * makeLogsApiHandler(const Poco::Net::HTTPServerRequest & request, const ServiceContext & ctx)
{
	const std::string path = http::requestPath(request);
	const std::string & method = request.getMethod();
	const bool get = method == "GET" || method == "HEAD";
	if (path == "/admin/api/logs")
		return get ? new LogsListHandler(ctx) : nullptr;
	if (path == "/admin/api/logs/cleanup")
		return method == "POST" ? new CleanupHandler(ctx) : nullptr;
	if (path == "/admin/api/logs/stats")
		return get ? new LogsStatsHandler(ctx) : nullptr;
	static const std::string logsPrefix = "/admin/api/logs/";
	if (startsWith(path, logsPrefix) && path.size() > logsPrefix.size() && get)
	{
		std::string rest = path.substr(logsPrefix.size());
		bool exportZip = false;
		if (endsWith(rest, "/export"))
		{
			rest.resize(rest.size() - 7);
			exportZip = true;
		}
		if (rest.empty() || rest.find('/') != std::string::npos)
			return nullptr;
		return new LogDetailHandler(ctx, decoded(rest), exportZip);
	}
	if (path == "/admin/api/dashboard")
		return get ? new DashboardHandler(ctx) : nullptr;
	if (path == "/admin/api/timeseries")
		return get ? new TimeSeriesHandler(ctx) : nullptr;
	if (path == "/admin/api/events")
		return method == "GET" ? new EventsHandler(ctx) : nullptr;
	if (method == "POST")
	{
		if (path == "/admin/api/endpoints/test")
			return new TestEndpointHandler(ctx, "");
		static const std::string epPrefix = "/admin/api/endpoints/";
		static const std::string testSuffix = "/test";
		if (startsWith(path, epPrefix) && endsWith(path, testSuffix) && path.size() > epPrefix.size() + testSuffix.size())
		{
			std::string key = path.substr(epPrefix.size(), path.size() - epPrefix.size() - testSuffix.size());
			if (key.find('/') == std::string::npos)
				return new TestEndpointHandler(ctx, decoded(key));
		}
	}
	return nullptr;
}

} // namespace ccc::admin
