#include "store/Stats.h"

#include <cmath>
#include <cstdlib>

namespace ccc::store
{

namespace
{
// Bucket i holds latencies in (bound(i-1), bound(i)]; bound grows by 1.12 per bucket from 1 ms.
const std::array<int64_t, LatencyHistogram::kBuckets> & bounds()
{
	static const std::array<int64_t, LatencyHistogram::kBuckets> b = [] {
		std::array<int64_t, LatencyHistogram::kBuckets> a{};
		double v = 1;
		int64_t prev = 0;
		for (int i = 0; i < LatencyHistogram::kBuckets; ++i)
		{
			int64_t x = static_cast<int64_t>(std::ceil(v));
			if (x <= prev)
				x = prev + 1;
			a[i] = x;
			prev = x;
			v *= 1.12;
		}
		a[LatencyHistogram::kBuckets - 1] = INT64_MAX;
		return a;
	}();
	return b;
}
} // namespace

int LatencyHistogram::bucketOf(int64_t ms)
{
	const auto & b = bounds();
	int lo = 0, hi = kBuckets - 1;
	while (lo < hi)
	{
		int mid = (lo + hi) / 2;
		if (ms <= b[mid])
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

int64_t LatencyHistogram::bucketUpperBound(int i)
{
	return bounds()[i];
}

void LatencyHistogram::add(int64_t ms, int64_t count)
{
	if (ms < 0)
		ms = 0;
	_counts[bucketOf(ms)] += count;
}

void LatencyHistogram::merge(const LatencyHistogram & other)
{
	for (int i = 0; i < kBuckets; ++i)
		_counts[i] += other._counts[i];
}

int64_t LatencyHistogram::total() const
{
	int64_t t = 0;
	for (auto c : _counts)
		t += c;
	return t;
}

int64_t LatencyHistogram::percentile(double p) const
{
	int64_t t = total();
	if (t == 0)
		return 0;
	auto rank = static_cast<int64_t>(std::ceil(p / 100.0 * static_cast<double>(t)));
	if (rank < 1)
		rank = 1;
	int64_t seen = 0;
	for (int i = 0; i < kBuckets; ++i)
	{
		seen += _counts[i];
		if (seen >= rank)
			return i == kBuckets - 1 ? bounds()[kBuckets - 2] : bounds()[i];
	}
	return bounds()[kBuckets - 2];
}

std::string LatencyHistogram::serialize() const
{
	std::string out;
	for (int i = 0; i < kBuckets; ++i)
	{
		if (_counts[i] == 0)
			continue;
		if (!out.empty())
			out.push_back(',');
		out += std::to_string(i) + ":" + std::to_string(_counts[i]);
	}
	return out;
}

LatencyHistogram LatencyHistogram::parse(const std::string & text)
{
	LatencyHistogram h;
	const char * p = text.c_str();
	while (*p)
	{
		char * end = nullptr;
		long i = std::strtol(p, &end, 10);
		if (end == p || *end != ':')
			break;
		p = end + 1;
		long long c = std::strtoll(p, &end, 10);
		if (end == p)
			break;
		if (i >= 0 && i < kBuckets && c > 0)
			h._counts[static_cast<size_t>(i)] += c;
		p = end;
		if (*p == ',')
			++p;
	}
	return h;
}

void EndpointStats::merge(const EndpointStats & d)
{
	if (!d.endpoint_name.empty())
		endpoint_name = d.endpoint_name;
	requests += d.requests;
	successes += d.successes;
	failures += d.failures;
	cancelled += d.cancelled;
	skipped += d.skipped;
	input_tokens += d.input_tokens;
	output_tokens += d.output_tokens;
	cache_creation_tokens += d.cache_creation_tokens;
	cache_read_tokens += d.cache_read_tokens;
	cost_usd += d.cost_usd;
	if (d.last_success_at_ms > last_success_at_ms)
		last_success_at_ms = d.last_success_at_ms;
	if (d.last_failure_at_ms > last_failure_at_ms)
	{
		last_failure_at_ms = d.last_failure_at_ms;
		last_failure_error = d.last_failure_error;
	}
	if (d.updated_at_ms > updated_at_ms)
		updated_at_ms = d.updated_at_ms;
	latency.merge(d.latency);
}

bool isFailureOutcome(api::Outcome o)
{
	switch (o)
	{
	case api::Outcome::UpstreamError:
	case api::Outcome::ValidationFailed:
	case api::Outcome::Network:
	case api::Outcome::Timeout:
	case api::Outcome::Rejected: return true;
	default: return false;
	}
}

} // namespace ccc::store
