#include "upstream/CircuitBreaker.h"

namespace ccc::upstream
{

bool CircuitBreaker::allowsTraffic() const
{
	std::lock_guard<std::mutex> lock(_mutex);
	return _state == State::Closed;
}

std::optional<CircuitBreaker::Transition> CircuitBreaker::open(int64_t nowMs, const std::string & reason)
{
	if (_state == State::Open)
		return std::nullopt;
	_state = State::Open;
	_openedAtMs = nowMs;
	_probeSuccesses = 0;
	_openReason = reason;
	++_opens;
	return Transition{State::Closed, State::Open, reason};
}

std::optional<CircuitBreaker::Transition> CircuitBreaker::recordRequest(bool success, int64_t nowMs,
	const config::CircuitBreakerConfig & cfg, const std::string & failure)
{
	std::lock_guard<std::mutex> lock(_mutex);
	_window.emplace_back(nowMs, success);
	while (!_window.empty() && _window.front().first < nowMs - cfg.window_ms)
		_window.pop_front();
	if (_window.size() > 10000)
		_window.pop_front();
	if (success)
	{
		_consecutiveFailures = 0;
		return std::nullopt;
	}
	++_consecutiveFailures;
	_lastFailureAtMs = nowMs;
	_lastFailure = failure;
	if (_state == State::Open)
		return std::nullopt;
	if (_consecutiveFailures >= cfg.failure_threshold)
		return open(nowMs, std::to_string(_consecutiveFailures) + " consecutive failed requests; last: " + failure);
	if (cfg.min_requests > 0 && static_cast<int>(_window.size()) >= cfg.min_requests)
	{
		size_t failures = 0;
		for (const auto & w : _window)
			failures += w.second ? 0 : 1;
		double rate = static_cast<double>(failures) / static_cast<double>(_window.size());
		if (rate >= cfg.failure_rate)
			return open(nowMs, std::to_string(failures) + " of the last " + std::to_string(_window.size()) + " requests failed; last: " + failure);
	}
	return std::nullopt;
}

std::optional<CircuitBreaker::Transition> CircuitBreaker::recordProbe(bool success, int64_t nowMs, int recoveryThreshold,
	const std::string & failure)
{
	std::lock_guard<std::mutex> lock(_mutex);
	if (_state != State::Open)
		return std::nullopt;
	if (!success)
	{
		_probeSuccesses = 0;
		_lastFailureAtMs = nowMs;
		_lastFailure = "probe: " + failure;
		return std::nullopt;
	}
	if (++_probeSuccesses < recoveryThreshold)
		return std::nullopt;
	_state = State::Closed;
	_consecutiveFailures = 0;
	_probeSuccesses = 0;
	_window.clear();
	return Transition{State::Open, State::Closed, std::to_string(recoveryThreshold) + " consecutive successful probes"};
}

std::optional<CircuitBreaker::Transition> CircuitBreaker::forceOpen(int64_t nowMs, const std::string & reason)
{
	std::lock_guard<std::mutex> lock(_mutex);
	return open(nowMs, reason);
}

std::optional<CircuitBreaker::Transition> CircuitBreaker::reset(int64_t)
{
	std::lock_guard<std::mutex> lock(_mutex);
	State was = _state;
	_state = State::Closed;
	_consecutiveFailures = 0;
	_probeSuccesses = 0;
	_window.clear();
	if (was == State::Open)
		return Transition{State::Open, State::Closed, "reset by the admin"};
	return std::nullopt;
}

CircuitBreaker::Snapshot CircuitBreaker::snapshot() const
{
	std::lock_guard<std::mutex> lock(_mutex);
	Snapshot s;
	s.state = _state;
	s.consecutiveFailures = _consecutiveFailures;
	s.probeSuccesses = _probeSuccesses;
	s.openedAtMs = _openedAtMs;
	s.lastFailureAtMs = _lastFailureAtMs;
	s.lastFailure = _lastFailure;
	s.openReason = _openReason;
	s.opens = _opens;
	return s;
}

} // namespace ccc::upstream
