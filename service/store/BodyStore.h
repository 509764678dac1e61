#pragma once
#include <cstddef>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "store/Db.h"

/// Bodies of kApartMinBytes or more are kept once per distinct content, in table `bodies`, named
/// by a content hash that rows reference (`<column>_body_ref`) and counted (`refs`), so deleting
/// a body's last row deletes the body too. Why: the same bytes recur (a failover re-sends the
/// request, clients retry, every attempt of an outage gets the same error body, a session's
/// count_tokens calls repeat), and a body that is already stored costs the writer a hash and a
/// counter update instead of compressing and writing it again (tens of KB for a Claude Code
/// request): that keeps full-body logging ahead of the proxy at saturation.
namespace ccc::store
{

inline constexpr size_t kApartMinBytes = 4096;

/// One reference to a body kept apart, made by BodyStore::prepare.
struct BodyRef
{
	std::string key;               ///< content hash (XXH3-128, hex) and length: "<32 hex>-<bytes>"
	const std::string * raw = nullptr; ///< the body, alive until the batch is written
	std::string data;              ///< what the table stores (zstd or raw); empty when !haveData
	int flags = 0;                 ///< kBodyZstd when data is compressed
	bool haveData = false;         ///< false: the body is believed stored already, only counted
};

/// The writer's side of the `bodies` table, plus the reads. prepare() may run on several threads
/// at once; the rest runs inside the caller's transaction.
class BodyStore
{
public:
	/// The key of `bytes`.
	static std::string keyOf(const std::string & bytes);

	/// A reference to `bytes`. Compresses only when the body is not known to be stored.
	BodyRef prepare(const std::string & bytes);

	/// Inside the write transaction: adds one reference per element (several may name the same
	/// body), inserting the bodies that are missing (compressing them now if prepare() had not).
	/// Throws StoreError.
	void addRefs(DbConnection & c, const std::vector<const BodyRef *> & refs);

	/// After the transaction committed: these keys are stored (prepare() skips their compression).
	void remember(const std::vector<const BodyRef *> & refs);

	/// Inside a deleting transaction: drops one reference per key (repeats count) and deletes the
	/// bodies left without any. Throws StoreError.
	static void release(DbConnection & c, const std::vector<std::string> & keys);

	/// The bytes of body `key`, and whether they were stored compressed; nullopt when missing.
	static std::optional<std::pair<std::string, bool>> read(DbConnection & c, const std::string & key);

private:
	/// Keys believed stored. A key deleted since (retention) is found out by addRefs, which then
	/// inserts the body again. Bounded: cleared when full (a miss only costs a compression).
	std::mutex _mutex;
	std::unordered_map<std::string, int> _known; ///< key -> flags of the stored data
	static constexpr size_t kKnownMax = 65536;
};

/// zstd of `in` when that saves at least a tenth, else the bytes as they are; sets kBodyZstd in
/// `flags` when compressed. A byte-exact repeat of one of the last few bodies compressed on
/// this thread reuses that result.
std::string encodeBodyData(const std::string & in, int & flags);

} // namespace ccc::store
