#include "metrics/Metrics.h"

#include <iomanip>
#include <sstream>

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include "proxy/ProxyEngine.h"
#include "store/RequestLogger.h"

namespace ccc::metrics
{

namespace
{

std::string number(double v)
{
	std::ostringstream s;
	s.imbue(std::locale::classic());
	s << std::setprecision(15) << v;
	return s.str();
}

std::string labels(std::initializer_list<std::pair<const char *, std::string>> pairs)
{
	std::string out = "{";
	bool first = true;
	for (const auto & [k, v] : pairs)
	{
		if (!first)
			out += ',';
		first = false;
		out += k;
		out += "=\"";
		out += escapeLabelValue(v);
		out += '"';
	}
	return out + "}";
}

void family(std::string & out, const char * name, const char * type, const char * help)
{
	out += "# HELP ";
	out += name;
	out += ' ';
	out += help;
	out += "\n# TYPE ";
	out += name;
	out += ' ';
	out += type;
	out += '\n';
}

void sample(std::string & out, const std::string & name, const std::string & labelText, const std::string & value)
{
	out += name;
	out += labelText;
	out += ' ';
	out += value;
	out += '\n';
}

std::string endpointLabel(const std::string & name)
{
	return name.empty() ? "none" : name;
}

class MetricsHandler : public Poco::Net::HTTPRequestHandler
{
public:
	explicit MetricsHandler(const Metrics & metrics) : _metrics(metrics) { }

	void handleRequest(Poco::Net::HTTPServerRequest & request, Poco::Net::HTTPServerResponse & response) override
	{
		const std::string text = _metrics.render();
		response.setStatus(Poco::Net::HTTPResponse::HTTP_OK);
		response.setContentType("text/plain; version=0.0.4; charset=utf-8");
		response.set("Cache-Control", "no-store");
		response.setContentLength(static_cast<std::streamsize>(text.size()));
		if (request.getMethod() == "HEAD")
			response.send();
		else
			response.send() << text;
	}

private:
	const Metrics & _metrics;
};

} // namespace

std::string escapeLabelValue(const std::string & value)
{
	std::string out;
	out.reserve(value.size());
	for (char c : value)
	{
		if (c == '\\')
			out += "\\\\";
		else if (c == '"')
			out += "\\\"";
		else if (c == '\n')
			out += "\\n";
		else
			out += c;
	}
	return out;
}

void Metrics::Histogram::observe(double seconds)
{
	for (size_t i = 0; i < kBuckets.size(); ++i)
		if (seconds <= kBuckets[i])
		{
			++buckets[i];
			break;
		}
	++count;
	sum += seconds;
}

Metrics::Metrics(const ServiceContext & ctx) : _ctx(ctx)
{
}

void Metrics::observe(const api::RequestRecord & rec)
{
	const std::string endpoint = endpointLabel(rec.final_endpoint_name);
	std::lock_guard<std::mutex> lock(_mutex);
	++_requests[{endpoint, api::outcomeName(rec.outcome)}];
	_duration[endpoint].observe(static_cast<double>(rec.duration_ms) / 1000.0);
	if (rec.ttfb_ms >= 0)
		_ttfb[endpoint].observe(static_cast<double>(rec.ttfb_ms) / 1000.0);
	for (size_t i = 0; i < rec.attempts.size(); ++i)
	{
		const api::AttemptRecord & a = rec.attempts[i];
		++_attempts[{endpointLabel(a.endpoint_name), api::outcomeName(a.outcome)}];
		if (i > 0 && rec.attempts[i - 1].endpoint_id != a.endpoint_id)
			++_failovers[{endpointLabel(rec.attempts[i - 1].endpoint_name), endpointLabel(a.endpoint_name)}];
	}
	std::string model = rec.model_requested.empty() ? "none" : rec.model_requested;
	if (!_models.count(model))
	{
		if (_models.size() >= kMaxModels)
			model = "other";
		else
			_models[model] = true;
	}
	const anthropic::Usage & u = rec.usage;
	const std::pair<const char *, int64_t> kinds[] = {{"input", u.input_tokens}, {"output", u.output_tokens},
		{"cache_creation", u.cache_creation_input_tokens}, {"cache_read", u.cache_read_input_tokens}};
	for (const auto & [type, n] : kinds)
		if (n > 0)
			_tokens[{endpoint, model, type}] += static_cast<uint64_t>(n);
}

std::string Metrics::render() const
{
	std::string out;
	out.reserve(8192);
	family(out, "ccc_build_info", "gauge", "Version of the running service (always 1).");
	sample(out, "ccc_build_info", labels({{"version", _ctx.version}}), "1");
	family(out, "ccc_uptime_seconds", "gauge", "Seconds since the service started.");
	sample(out, "ccc_uptime_seconds", "",
		number(static_cast<double>(std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - _ctx.startedAt).count())
			/ 1000.0));

	auto histogram = [&](const char * name, const char * help, const std::map<std::string, Histogram> & hs) {
		family(out, name, "histogram", help);
		for (const auto & [endpoint, h] : hs)
		{
			uint64_t cumulative = 0;
			for (size_t i = 0; i < kBuckets.size(); ++i)
			{
				cumulative += h.buckets[i];
				sample(out, std::string(name) + "_bucket", labels({{"endpoint", endpoint}, {"le", number(kBuckets[i])}}), std::to_string(cumulative));
			}
			sample(out, std::string(name) + "_bucket", labels({{"endpoint", endpoint}, {"le", "+Inf"}}), std::to_string(h.count));
			sample(out, std::string(name) + "_sum", labels({{"endpoint", endpoint}}), number(h.sum));
			sample(out, std::string(name) + "_count", labels({{"endpoint", endpoint}}), std::to_string(h.count));
		}
	};
	{
		std::lock_guard<std::mutex> lock(_mutex);
		family(out, "ccc_requests_total", "counter",
			"Client requests by the endpoint that served them (\"none\" when none did) and outcome.");
		for (const auto & [k, n] : _requests)
			sample(out, "ccc_requests_total", labels({{"endpoint", k.first}, {"outcome", k.second}}), std::to_string(n));
		family(out, "ccc_attempts_total", "counter", "Upstream attempts by endpoint and outcome.");
		for (const auto & [k, n] : _attempts)
			sample(out, "ccc_attempts_total", labels({{"endpoint", k.first}, {"outcome", k.second}}), std::to_string(n));
		family(out, "ccc_failovers_total", "counter", "Times a request moved on from one endpoint to another.");
		for (const auto & [k, n] : _failovers)
			sample(out, "ccc_failovers_total", labels({{"from", k.first}, {"to", k.second}}), std::to_string(n));
		histogram("ccc_request_duration_seconds", "Client request duration, by the endpoint that served it.", _duration);
		histogram("ccc_request_ttfb_seconds", "Time to the first byte sent to the client, by the endpoint that served it.", _ttfb);
		family(out, "ccc_tokens_total", "counter", "Tokens reported by upstream usage, by endpoint, requested model and type.");
		for (const auto & [k, n] : _tokens)
			sample(out, "ccc_tokens_total",
				labels({{"endpoint", std::get<0>(k)}, {"model", std::get<1>(k)}, {"type", std::get<2>(k)}}), std::to_string(n));
	}

	family(out, "ccc_endpoint_breaker_open", "gauge", "1 while the endpoint's circuit breaker is open (no traffic), else 0.");
	std::string opens, streams, enabled;
	if (_ctx.engine && _ctx.configStore)
	{
		const ConfigPtr cfg = _ctx.configStore->snapshot();
		const auto runtimes = _ctx.engine->runtimes();
		for (const auto & e : cfg->endpoints)
		{
			const std::string l = labels({{"endpoint", e.name}});
			std::shared_ptr<upstream::EndpointRuntime> rt;
			if (runtimes)
			{
				auto it = runtimes->find(config::endpointId(e));
				if (it != runtimes->end())
					rt = it->second;
			}
			const upstream::CircuitBreaker::Snapshot snap = rt ? rt->breaker.snapshot() : upstream::CircuitBreaker::Snapshot{};
			sample(out, "ccc_endpoint_breaker_open", l, snap.state == upstream::CircuitBreaker::State::Open ? "1" : "0");
			sample(opens, "ccc_endpoint_breaker_opens_total", l, std::to_string(snap.opens));
			sample(streams, "ccc_endpoint_active_streams", l, std::to_string(rt ? rt->activeStreams.load() : 0));
			sample(enabled, "ccc_endpoint_enabled", l, e.enabled ? "1" : "0");
		}
	}
	family(out, "ccc_endpoint_breaker_opens_total", "counter", "Times the endpoint's circuit breaker opened.");
	out += opens;
	family(out, "ccc_endpoint_active_streams", "gauge", "Responses being streamed from the endpoint right now.");
	out += streams;
	family(out, "ccc_endpoint_enabled", "gauge", "1 when the endpoint is enabled in the configuration.");
	out += enabled;
	family(out, "ccc_active_requests", "gauge", "Client requests in progress on the proxy.");
	sample(out, "ccc_active_requests", "", std::to_string(_ctx.engine ? _ctx.engine->activeRequests() : 0));

	if (_ctx.logger)
	{
		const store::LoggerCounters c = _ctx.logger->counters();
		family(out, "ccc_log_queue_depth", "gauge", "Request records waiting for the log writer.");
		sample(out, "ccc_log_queue_depth", "", std::to_string(c.queue_depth));
		family(out, "ccc_log_queue_bytes", "gauge", "Approximate size of the records waiting for the log writer.");
		sample(out, "ccc_log_queue_bytes", "", std::to_string(c.queue_bytes));
		family(out, "ccc_log_records_written_total", "counter", "Request records committed to the log store.");
		sample(out, "ccc_log_records_written_total", "", std::to_string(c.written));
		family(out, "ccc_log_records_dropped_total", "counter", "Request records lost because the log queue was full.");
		sample(out, "ccc_log_records_dropped_total", "", std::to_string(c.records_dropped));
		family(out, "ccc_log_records_failed_total", "counter", "Request records lost because their batch could not be committed.");
		sample(out, "ccc_log_records_failed_total", "", std::to_string(c.records_failed));
		family(out, "ccc_log_bodies_shed_total", "counter", "Request records stored without headers and bodies (queue over its byte bound).");
		sample(out, "ccc_log_bodies_shed_total", "", std::to_string(c.bodies_shed));
		family(out, "ccc_log_records_spilled_total", "counter", "Request records written to the spill file (queue over its byte bound) with their bodies.");
		sample(out, "ccc_log_records_spilled_total", "", std::to_string(c.spilled));
		family(out, "ccc_log_spill_pending", "gauge", "Request records in the spill file not yet loaded into the log store.");
		sample(out, "ccc_log_spill_pending", "", std::to_string(c.spill_pending));
		family(out, "ccc_log_spill_bytes", "gauge", "Size of the spill file.");
		sample(out, "ccc_log_spill_bytes", "", std::to_string(c.spill_bytes));
	}
	return out;
}

Poco::Net::HTTPRequestHandler * makeMetricsHandler(const Metrics & metrics)
{
	return new MetricsHandler(metrics);
}

} // namespace ccc::metrics
