#pragma once
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <string>

#include "ccc/config/model.h"

namespace ccc::upstream
{

/// Per-endpoint circuit breaker. Closed: traffic flows. Open: the endpoint is skipped by requests
/// and only background probes reach it; `recovery_threshold` consecutive probe successes close it.
/// It opens after `failure_threshold` consecutive failed client requests (one failed request counts
/// once, however many attempts it made) or when the failure share within `window` reaches
/// `failure_rate` over at least `min_requests` requests. Time is passed in (ms) so tests control it.
class CircuitBreaker
{
public:
	enum class State
	{
		Closed,
		Open
	};

	struct Transition
	{
		State from, to;
		std::string reason;
	};

	struct Snapshot
	{
		State state = State::Closed;
		int consecutiveFailures = 0;
		int probeSuccesses = 0;
		int64_t openedAtMs = 0;
		int64_t lastFailureAtMs = 0;
		std::string lastFailure;
		std::string openReason;
		uint64_t opens = 0;
	};

	bool allowsTraffic() const;
	std::optional<Transition> recordRequest(bool success, int64_t nowMs, const config::CircuitBreakerConfig & cfg, const std::string & failure);
	std::optional<Transition> recordProbe(bool success, int64_t nowMs, int recoveryThreshold, const std::string & failure);
	/// Opens the breaker now (rate-limit protection).
	std::optional<Transition> forceOpen(int64_t nowMs, const std::string & reason);
	/// Manual reset from the admin: closes and clears the counters.
	std::optional<Transition> reset(int64_t nowMs);
	Snapshot snapshot() const;

	static const char * stateName(State s) { return s == State::Closed ? "closed" : "open"; }

private:
	std::optional<Transition> open(int64_t nowMs, const std::string & reason);

	mutable std::mutex _mutex;
	State _state = State::Closed;
	int _consecutiveFailures = 0;
	int _probeSuccesses = 0;
	int64_t _openedAtMs = 0;
	int64_t _lastFailureAtMs = 0;
	std::string _lastFailure;
	std::string _openReason;
	uint64_t _opens = 0;
	std::deque<std::pair<int64_t, bool>> _window; ///< (time, success) of recent requests
};

} // namespace ccc::upstream
