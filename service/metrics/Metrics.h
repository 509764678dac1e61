#pragma once
#include <array>
#include <map>
#include <mutex>
#include <string>
#include <tuple>

#include <Poco/Net/HTTPRequestHandler.h>

#include "core/ServiceContext.h"
#include "proxy/RequestSink.h"

namespace ccc::metrics
{

/// Prometheus metrics (text exposition format 0.0.4), served at GET /metrics. docs/METRICS.md
/// lists every family. Counters come from the finished request records (this is a RequestSink
/// attached to ctx.sinks); gauges are read from the running service when /metrics is scraped.
///
/// Cost: submit() runs on the request thread after the response was completed; it takes one
/// short mutex and updates a few map entries (no allocation once a label set exists).
/// Cardinality is bounded: endpoint labels come from the configuration, model labels are capped
/// at kMaxModels distinct values (later ones are counted as model="other").
class Metrics : public proxy::RequestSink
{
public:
	explicit Metrics(const ServiceContext & ctx);

	void submit(api::RequestRecord && record) override { observe(record); }
	void observe(const api::RequestRecord & record) override;

	/// The whole exposition.
	std::string render() const;

	static constexpr size_t kMaxModels = 200;
	/// Histogram upper bounds, seconds (plus +Inf).
	static constexpr std::array<double, 14> kBuckets = {0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120, 300, 600};

private:
	struct Histogram
	{
		std::array<uint64_t, kBuckets.size()> buckets{}; ///< non-cumulative counts per bucket
		uint64_t count = 0;                               ///< includes observations above the last bound
		double sum = 0;
		void observe(double seconds);
	};

	const ServiceContext & _ctx;
	mutable std::mutex _mutex;
	std::map<std::pair<std::string, std::string>, uint64_t> _requests; ///< (endpoint, outcome)
	std::map<std::pair<std::string, std::string>, uint64_t> _attempts; ///< (endpoint, outcome)
	std::map<std::pair<std::string, std::string>, uint64_t> _failovers; ///< (from, to)
	std::map<std::string, Histogram> _duration;                         ///< endpoint
	std::map<std::string, Histogram> _ttfb;                             ///< endpoint
	std::map<std::tuple<std::string, std::string, std::string>, uint64_t> _tokens; ///< (endpoint, model, type)
	std::map<std::string, bool> _models; ///< distinct model labels seen (bounded)
};

/// Escapes a label value for the text format: backslash, double quote and line feed.
std::string escapeLabelValue(const std::string & value);

/// GET /metrics (404-free: always answers the exposition).
Poco::Net::HTTPRequestHandler * makeMetricsHandler(const Metrics & metrics);

} // namespace ccc::metrics
