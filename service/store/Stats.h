#pragma once
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "ccc/api/log_types.h"

namespace ccc::store
{

/// Latency distribution in fixed log-spaced buckets (about 12% wide, 1 ms .. ~1 h and an overflow
/// bucket), so histograms from several runs or instances merge by adding counts, and percentiles
/// are accurate to a bucket's width.
class LatencyHistogram
{
public:
	static constexpr int kBuckets = 80;

	void add(int64_t ms, int64_t count = 1);
	void merge(const LatencyHistogram & other);
	int64_t total() const;
	/// Upper bound of the bucket holding the p-th percentile (0 < p <= 100); 0 when empty.
	int64_t percentile(double p) const;
	/// Compact text form "i:count,i:count" (non-empty buckets only); parse() accepts it back.
	std::string serialize() const;
	static LatencyHistogram parse(const std::string & text);
	static int64_t bucketUpperBound(int i);

	const std::array<int64_t, kBuckets> & counts() const { return _counts; }

private:
	static int bucketOf(int64_t ms);
	std::array<int64_t, kBuckets> _counts{};
};

/// Per-endpoint statistics, keyed by the stable endpoint id. Used both as persisted totals and as
/// deltas to add to them (RequestLogger accumulates deltas and the store merges them in).
struct EndpointStats
{
	std::string endpoint_id;
	std::string endpoint_name;      ///< latest name seen
	int64_t requests = 0;           ///< attempts made (skipped-open-breaker excluded)
	int64_t successes = 0;
	int64_t failures = 0;           ///< upstream_error, validation_failed, network, timeout
	int64_t cancelled = 0;          ///< client went away (not held against the endpoint)
	int64_t skipped = 0;            ///< not tried because the breaker was open
	int64_t input_tokens = 0;
	int64_t output_tokens = 0;
	int64_t cache_creation_tokens = 0;
	int64_t cache_read_tokens = 0;
	double cost_usd = 0;            ///< of the requests this endpoint finally served
	int64_t last_success_at_ms = 0;
	int64_t last_failure_at_ms = 0;
	std::string last_failure_error; ///< redacted
	int64_t updated_at_ms = 0;
	LatencyHistogram latency;       ///< attempt durations (success and failure)

	/// Adds `d` (a delta) into this; names, last-* fields take the newer values.
	void merge(const EndpointStats & d);
};

/// Outcome classes held against an endpoint.
bool isFailureOutcome(api::Outcome o);

/// A circuit breaker transition, kept as history per endpoint.
struct BreakerEvent
{
	std::string endpoint_id;
	std::string endpoint_name;
	int64_t at_ms = 0;
	std::string state;  ///< "open" | "half_open" | "closed"
	std::string reason;
};

} // namespace ccc::store
