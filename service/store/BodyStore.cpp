#include "store/BodyStore.h"

#include <cstring>
#include <deque>
#include <map>

#define XXH_INLINE_ALL
#include <xxhash.h>

#include "store/BodyPolicy.h"
#include "store/LogStore.h"

namespace ccc::store
{

namespace
{

constexpr size_t kCompressThreshold = 1024;

/// zstd of `in`, reusing the result when the same bytes were compressed recently on this thread.
/// Bodies repeat: the attempt's response is the client's response, a failover re-sends the same
/// request, and clients retry. Compression is most of the writer's work (a 76 KB Claude Code
/// request takes longer to compress than to insert), so a byte-exact match (size, then memcmp)
/// against the last few bodies is worth it. Holds at most kCacheEntries bodies and kCacheMaxBytes
/// of them (uncompressed) per writer thread: part of the service's memory budget.
std::string compressCached(const std::string & in)
{
	constexpr size_t kCacheEntries = 8;
	constexpr size_t kCacheMaxBytes = 2 * 1024 * 1024;
	constexpr size_t kCacheMaxBody = 512 * 1024;
	struct Entry
	{
		std::string in, out;
	};
	thread_local std::deque<Entry> cache;
	thread_local size_t cachedBytes = 0;
	for (auto it = cache.begin(); it != cache.end(); ++it)
		if (it->in.size() == in.size() && std::memcmp(it->in.data(), in.data(), in.size()) == 0)
		{
			std::string out = it->out;
			if (it != cache.begin())
			{
				Entry hit = std::move(*it);
				cache.erase(it);
				cache.push_front(std::move(hit));
			}
			return out;
		}
	std::string out = zstdCompress(in);
	if (in.size() <= kCacheMaxBody)
	{
		cache.push_front(Entry{in, out});
		cachedBytes += in.size();
		while (cache.size() > kCacheEntries || cachedBytes > kCacheMaxBytes)
		{
			cachedBytes -= cache.back().in.size();
			cache.pop_back();
		}
	}
	return out;
}

} // namespace

std::string encodeBodyData(const std::string & in, int & flags)
{
	if (in.size() >= kCompressThreshold)
	{
		std::string z = compressCached(in);
		if (z.size() < in.size() - in.size() / 10)
		{
			flags |= kBodyZstd;
			return z;
		}
	}
	return in;
}

std::string BodyStore::keyOf(const std::string & bytes)
{
	// XXH3-128 hashes at memory speed (a 76 KB body in microseconds); the length in the key
	// makes an accidental collision of two different bodies even less likely.
	const XXH128_hash_t h = XXH3_128bits(bytes.data(), bytes.size());
	char hex[33];
	static const char digits[] = "0123456789abcdef";
	uint64_t parts[2] = {h.high64, h.low64};
	for (int p = 0; p < 2; ++p)
		for (int i = 0; i < 16; ++i)
			hex[p * 16 + i] = digits[(parts[p] >> (60 - 4 * i)) & 0xf];
	hex[32] = '\0';
	return std::string(hex) + "-" + std::to_string(bytes.size());
}

BodyRef BodyStore::prepare(const std::string & bytes)
{
	BodyRef ref;
	ref.key = keyOf(bytes);
	ref.raw = &bytes;
	{
		std::lock_guard<std::mutex> lock(_mutex);
		auto it = _known.find(ref.key);
		if (it != _known.end())
		{
			ref.flags = it->second;
			return ref;
		}
	}
	ref.data = encodeBodyData(bytes, ref.flags);
	ref.haveData = true;
	return ref;
}

void BodyStore::addRefs(DbConnection & c, const std::vector<const BodyRef *> & refs)
{
	struct Pending
	{
		const BodyRef * withData = nullptr;
		const BodyRef * any = nullptr;
		int64_t count = 0;
	};
	// Ordered by key: two writers (two proxy instances on one PostgreSQL) lock rows in the same
	// order and never deadlock on each other.
	std::map<std::string, Pending> byKey;
	for (const BodyRef * r : refs)
	{
		Pending & p = byKey[r->key];
		p.count++;
		p.any = r;
		if (r->haveData && !p.withData)
			p.withData = r;
	}
	std::vector<DbParams> inserts;
	for (const auto & [key, p] : byKey)
	{
		if (!p.withData)
		{
			auto rows = c.query("UPDATE bodies SET refs = refs + ? WHERE body_key = ? RETURNING body_key",
				{DbValue::integer(p.count), DbValue::text(key)});
			if (!rows.empty())
				continue;
			// Deleted by retention since it was remembered: stored again below.
		}
		int flags = 0;
		std::string data;
		if (p.withData)
		{
			flags = p.withData->flags;
			data = p.withData->data;
		}
		else
			data = encodeBodyData(*p.any->raw, flags);
		const auto stored = static_cast<int64_t>(data.size());
		inserts.push_back({DbValue::text(key), DbValue::integer(static_cast<int64_t>(p.any->raw->size())),
			DbValue::integer(flags), DbValue::blob(std::move(data)), DbValue::integer(stored), DbValue::integer(p.count)});
	}
	if (!inserts.empty())
		c.queryBatch("INSERT INTO bodies (body_key, size, flags, data, stored_bytes, refs) VALUES (?, ?, ?, ?, ?, ?) "
					 "ON CONFLICT (body_key) DO UPDATE SET refs = bodies.refs + excluded.refs",
			inserts);
}

void BodyStore::remember(const std::vector<const BodyRef *> & refs)
{
	std::lock_guard<std::mutex> lock(_mutex);
	for (const BodyRef * r : refs)
	{
		if (_known.size() >= kKnownMax)
			_known.clear();
		_known[r->key] = r->flags;
	}
}

void BodyStore::release(DbConnection & c, const std::vector<std::string> & keys)
{
	std::map<std::string, int64_t> counts;
	for (const auto & k : keys)
		counts[k]++;
	if (counts.empty())
		return;
	std::vector<DbParams> updates, deletes;
	for (const auto & [key, n] : counts)
	{
		updates.push_back({DbValue::integer(n), DbValue::text(key)});
		deletes.push_back({DbValue::text(key)});
	}
	c.queryBatch("UPDATE bodies SET refs = refs - ? WHERE body_key = ?", updates);
	c.queryBatch("DELETE FROM bodies WHERE body_key = ? AND refs <= 0", deletes);
}

std::optional<std::pair<std::string, bool>> BodyStore::read(DbConnection & c, const std::string & key)
{
	auto rows = c.query("SELECT flags, data FROM bodies WHERE body_key = ?", {DbValue::text(key)});
	if (rows.empty())
		return std::nullopt;
	const bool zstd = (rows[0].i64(0) & kBodyZstd) != 0;
	return std::make_pair(zstd ? zstdDecompress(rows[0].str(1)) : rows[0].str(1), zstd);
}

} // namespace ccc::store
