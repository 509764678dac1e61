#include "proxy/StickySessions.h"

namespace ccc::proxy
{

std::string StickySessions::lookup(const std::string & session, int64_t nowMs)
{
	if (session.empty())
		return {};
	Shard & s = shard(session);
	std::lock_guard<std::mutex> lock(s.mutex);
	auto it = s.map.find(session);
	if (it == s.map.end() || nowMs - it->second.second > kTtlMs)
		return {};
	return it->second.first;
}

void StickySessions::remember(const std::string & session, const std::string & endpointId, int64_t nowMs)
{
	if (session.empty())
		return;
	Shard & s = shard(session);
	std::lock_guard<std::mutex> lock(s.mutex);
	if (s.map.size() >= kMaxPerShard && !s.map.count(session))
	{
		// Drop expired entries; if none expired, drop an arbitrary one (bounded memory).
		for (auto it = s.map.begin(); it != s.map.end();)
			it = nowMs - it->second.second > kTtlMs ? s.map.erase(it) : std::next(it);
		if (s.map.size() >= kMaxPerShard)
			s.map.erase(s.map.begin());
	}
	s.map[session] = {endpointId, nowMs};
}

} // namespace ccc::proxy
