#pragma once
#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "ccc/config/model.h"
#include "upstream/CircuitBreaker.h"
#include "upstream/ConnectionPool.h"

namespace ccc::upstream
{

/// Everything the service keeps about one endpoint between requests: breaker, connection pool,
/// balancing counter, counters for the admin. Lives as long as the endpoint keeps its id, URL and
/// credentials (renaming keeps it; changing where or how it connects starts afresh).
struct EndpointRuntime
{
	explicit EndpointRuntime(std::string endpointId, std::string identityKey) : id(std::move(endpointId)), identity(std::move(identityKey)) { }

	const std::string id;
	const std::string identity; ///< url + auth + proxy fingerprint

	CircuitBreaker breaker;
	ConnectionPool pool;
	std::atomic<uint64_t> rrCounter{0};
	std::atomic<int64_t> nextProbeAtMs{0};

	std::atomic<uint64_t> requests{0};
	std::atomic<uint64_t> successes{0};
	std::atomic<uint64_t> failures{0};
	std::atomic<int> activeStreams{0};

	/// Values learnt from traffic (health probes reuse them), and OAuth tokens refreshed at runtime.
	std::mutex mutex;
	std::mutex refreshMutex;   ///< serialises OAuth refreshes of this endpoint (held during network I/O)
	std::string lastModel;
	std::string accessToken;   ///< refreshed OAuth access token (overrides the config's)
	std::string refreshToken;
	int64_t expiresAtMs = -1;  ///< of accessToken; -1 = use the config's
	std::string rateLimitStatus;
	int64_t rateLimitReset = 0;
};

using RuntimeMap = std::map<std::string, std::shared_ptr<EndpointRuntime>>;

/// The fingerprint that decides whether an edited endpoint keeps its runtime state.
std::string runtimeIdentity(const config::Endpoint & e);

} // namespace ccc::upstream
