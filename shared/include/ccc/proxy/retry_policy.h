#pragma once
#include <cstdint>
#include <string>

/// The failover rules as a pure function of an attempt's failure class: kept apart from the
/// per-request state that acts on them (Envoy's RetryPolicy / RetryState split), so every rule
/// has a unit test.
namespace ccc::proxy
{

enum class FailureClass
{
	ServerError,   ///< 5xx other than 529, or an upstream `api_error` event / JSON
	Overloaded,    ///< 529, or an `overloaded_error`
	RateLimited,   ///< 429, or a `rate_limit_error`
	Timeout,       ///< connect / first byte / idle timeout
	Network,       ///< refused, reset, TLS failure, connection closed early
	Truncated,     ///< the stream or body ended before it was complete
	InvalidRequest, ///< 400, 413, 422: the upstream says the request itself is bad
	Auth,          ///< 401, 403 (after any OAuth refresh)
	NotFound,      ///< 404 (a model or path this endpoint does not serve)
	OtherStatus,   ///< any other non-2xx
	Validation     ///< a 2xx that breaks the protocol: malformed, fake usage, empty, unparseable
};

const char * failureClassName(FailureClass c);

enum class Decision
{
	RetrySameEndpoint, ///< try this endpoint again (after any Retry-After / retry delay)
	NextEndpoint       ///< move on to the next candidate at once
};

/// `attemptOnEndpoint` is 1-based; `maxAttempts` is failover.max_attempts_per_endpoint.
/// 5xx, 529, 429, network errors, timeouts and truncated streams retry the same endpoint (up to
/// maxAttempts); other 4xx and validation failures move on at once.
Decision decide(FailureClass c, int attemptOnEndpoint, int maxAttempts);

/// Whether a failure of this class counts against the endpoint's health (circuit breaker).
/// A request the upstream rejects as invalid, or a path it does not serve, says nothing about
/// the endpoint's health.
bool countsAgainstEndpoint(FailureClass c);

/// Maps an upstream HTTP status (non-2xx) to its class.
FailureClass classifyStatus(int status);

/// Maps an Anthropic error type (from an error body or an SSE `error` event) to a class.
FailureClass classifyErrorType(const std::string & anthropicErrorType);

/// Parses Retry-After (delta-seconds; HTTP dates are ignored) into milliseconds, or -1.
int64_t parseRetryAfterMs(const std::string & value);

} // namespace ccc::proxy
