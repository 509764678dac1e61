#pragma once
#include <array>
#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

namespace ccc::proxy
{

/// Claude Code session -> the endpoint that last served it, so upstream prompt caches keep hitting.
/// Sharded by session hash: no process-wide lock. Entries idle for an hour are forgotten.
class StickySessions
{
public:
	/// The endpoint id remembered for a session, or empty.
	std::string lookup(const std::string & session, int64_t nowMs);
	void remember(const std::string & session, const std::string & endpointId, int64_t nowMs);

private:
	static constexpr size_t kShards = 16;
	static constexpr size_t kMaxPerShard = 4096;
	static constexpr int64_t kTtlMs = 3600 * 1000;
	struct Shard
	{
		std::mutex mutex;
		std::unordered_map<std::string, std::pair<std::string, int64_t>> map;
	};
	Shard & shard(const std::string & session) { return _shards[std::hash<std::string>{}(session) % kShards]; }
	std::array<Shard, kShards> _shards;
};

} // namespace ccc::proxy
