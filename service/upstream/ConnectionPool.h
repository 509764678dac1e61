#pragma once
#include <memory>
#include <atomic>
#include <mutex>
#include <string>
#include <vector>

#include "upstream/Connection.h"

namespace ccc::upstream
{

/// Idle keep-alive connections of one endpoint. Each endpoint owns its pool (and its mutex), so
/// there is no process-wide lock on the request path. The most recently used connection is
/// handed out first (it is the least likely to have been closed by the upstream).
class ConnectionPool
{
public:
	explicit ConnectionPool(size_t maxIdle = 64) : _maxIdle(maxIdle) { }

	/// An idle connection for `key` that is still usable, or null.
	std::unique_ptr<Connection> acquire(const std::string & key, int64_t idleMaxMs);

	/// Returns a connection after a complete exchange; dropped when the pool is full.
	void release(std::unique_ptr<Connection> connection);

	/// Closes connections idle for longer than idleMaxMs.
	void prune(int64_t idleMaxMs);

	size_t idleCount() const;

	/// Connections opened so far (for tests and metrics).
	uint64_t opened() const { return _opened; }
	void countOpened() { ++_opened; }

private:
	size_t _maxIdle;
	mutable std::mutex _mutex;
	std::vector<std::unique_ptr<Connection>> _idle;
	std::atomic<uint64_t> _opened{0};
};

} // namespace ccc::upstream
