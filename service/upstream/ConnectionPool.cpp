#include "upstream/ConnectionPool.h"

namespace ccc::upstream
{

std::unique_ptr<Connection> ConnectionPool::acquire(const std::string & key, int64_t idleMaxMs)
{
	const auto now = std::chrono::steady_clock::now();
	std::vector<std::unique_ptr<Connection>> discard;
	std::unique_ptr<Connection> found;
	{
		std::lock_guard<std::mutex> lock(_mutex);
		for (size_t i = _idle.size(); i-- > 0;)
		{
			if (_idle[i]->poolKey() != key)
				continue;
			std::unique_ptr<Connection> c = std::move(_idle[i]);
			_idle.erase(_idle.begin() + static_cast<std::ptrdiff_t>(i));
			auto idle = std::chrono::duration_cast<std::chrono::milliseconds>(now - c->lastUsed).count();
			if (idle > idleMaxMs)
			{
				discard.push_back(std::move(c));
				continue;
			}
			found = std::move(c);
			break;
		}
	}
	// Closing sockets and the liveness probe happen outside the lock.
	if (found && found->staleWhileIdle())
		found.reset();
	return found;
}

void ConnectionPool::release(std::unique_ptr<Connection> connection)
{
	if (!connection)
		return;
	connection->lastUsed = std::chrono::steady_clock::now();
	std::unique_ptr<Connection> evicted;
	{
		std::lock_guard<std::mutex> lock(_mutex);
		if (_idle.size() >= _maxIdle)
		{
			evicted = std::move(_idle.front());
			_idle.erase(_idle.begin());
		}
		_idle.push_back(std::move(connection));
	}
}

void ConnectionPool::prune(int64_t idleMaxMs)
{
	const auto now = std::chrono::steady_clock::now();
	std::vector<std::unique_ptr<Connection>> discard;
	{
		std::lock_guard<std::mutex> lock(_mutex);
		for (size_t i = 0; i < _idle.size();)
		{
			if (std::chrono::duration_cast<std::chrono::milliseconds>(now - _idle[i]->lastUsed).count() > idleMaxMs)
			{
				discard.push_back(std::move(_idle[i]));
				_idle.erase(_idle.begin() + static_cast<std::ptrdiff_t>(i));
			}
			else
				++i;
		}
	}
}

size_t ConnectionPool::idleCount() const
{
	std::lock_guard<std::mutex> lock(_mutex);
	return _idle.size();
}

} // namespace ccc::upstream
