#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

/// The answer of GET /admin/api/endpoints as the admin uses it: each endpoint's settings and its
/// live state (status, circuit breaker, counters) since the service started.
namespace ccc::admin
{

struct EndpointStatus
{
	std::string id;   ///< the id admin routes take (explicit id, or derived from the name)
	std::string name;
	std::string url;
	std::string endpoint_type;
	bool enabled = true;
	int priority = 0;
	std::vector<std::string> tags;
	/// "active" | "open" | "disabled"; empty when the service reported no live state.
	std::string status;
	std::string breaker_state; ///< the breaker's state name ("closed", "open", "half_open"...)
	int64_t consecutive_failures = 0;
	std::string open_reason;
	std::string last_failure;
	int64_t requests = 0;
	int64_t successes = 0;
	int64_t failures = 0;
	int64_t active = 0; ///< streams in flight

	/// successes / (successes + failures) in percent; negative when nothing finished yet.
	double successRate() const;
};

/// Reads {"endpoints": [...]}. Missing or mistyped fields keep their defaults (the list still
/// shows); a body without an "endpoints" array sets `error` and returns an empty list.
std::vector<EndpointStatus> parseEndpoints(const nlohmann::ordered_json & body, std::string & error);

/// Case-insensitive match of `filter` against name, URL, type and tags; an empty filter matches all.
bool endpointMatches(const EndpointStatus & e, std::string_view filter);

} // namespace ccc::admin
