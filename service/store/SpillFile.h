#pragma once
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "store/LogStore.h"

/// The request log's overflow: an append-only file of prepared records beside the database.
///
/// Why: at saturation the writer cannot insert rows as fast as the proxy serves requests (on a
/// 2-core machine running the proxy, its clients and upstreams, one writer thread gets a few
/// tens of microseconds per request; a record costs it 50+). Shedding bodies loses what users
/// debug with. Appending a record here costs the request thread a redaction, a hash and one
/// write (bodies already in the file are written as a back-reference), and the writer loads the
/// file into the database when it has time.
///
/// Records are redacted before they get here (RequestLogger::prepare): no secret reaches the disk.
///
/// Layout: 8-byte magic, 8-byte little-endian "ingested" offset (everything before it is in the
/// database), then frames: u32 payload length, u64 XXH3 of the payload, payload. A body of
/// kApartMinBytes or more that is already in the file is written as (offset, length) of its first
/// copy. A torn frame at the end (the process died mid-write) is cut off when the file is opened.
///
/// Crash safety: frames are written in chunks of up to kWriteChunk bytes (one write per ~20
/// Claude Code records instead of one each: the write call was a third of append()'s cost), so
/// the last chunk's records are in memory, like the logger's queue, until the chunk fills or the
/// reader reads; a written frame is in the OS page cache and survives SIGKILL.
/// The ingested offset is written after the batch holding those records committed; a crash
/// between the two makes the next start read that batch again, which the caller detects (the
/// first batch after open() is flagged, see readBatch()).
///
/// Thread safety: append() from any thread; readBatch()/markIngested() from one reader thread.
namespace ccc::store
{

/// Encoding of one prepared record without its bodies' back-references (tests, tools).
std::string encodeSpillRecord(const PreparedRecord & pr);
/// False when `data` is not a complete encoding.
bool decodeSpillRecord(const std::string & data, PreparedRecord & out);

class SpillFile
{
public:
	/// Opens or creates `path`, recovering an existing file (torn tail cut, ingested offset read).
	/// Null with `error` set when the file cannot be used (the caller then sheds instead).
	static std::unique_ptr<SpillFile> open(const std::string & path, std::string & error);
	~SpillFile();

	SpillFile(const SpillFile &) = delete;
	SpillFile & operator=(const SpillFile &) = delete;

	/// Appends one record. False (error set) on an I/O error: then this record and the others of
	/// the unwritten chunk are not in the file (see takeLost()).
	bool append(const PreparedRecord & pr, std::string & error);
	/// Records appended earlier that a failed write lost since the last call (counted by the caller).
	uint64_t takeLost();

	struct Batch
	{
		std::vector<PreparedRecord> records;
		uint64_t end = 0;          ///< the offset after the last frame read: markIngested(end)
		/// Read from a file that existed at open() before any batch of it was marked ingested:
		/// its records may already be stored (see the class comment).
		bool afterReopen = false;
		bool corrupt = false;      ///< a frame failed its checksum: the rest of the file is skipped
	};
	/// Up to maxRecords frames (at least one) and about maxBytes from the ingested offset.
	Batch readBatch(size_t maxRecords, size_t maxBytes);
	/// Everything before `end` is in the database. When that is the whole file, the file is
	/// emptied (back to its header) so it never grows beyond one overload episode.
	void markIngested(uint64_t end, size_t records);

	uint64_t pendingRecords() const;
	uint64_t sizeBytes() const;
	const std::string & path() const { return _path; }

private:
	explicit SpillFile(std::string path);
	bool recover(std::string & error);
	/// Writes the chunk being filled. Caller holds _mutex. On failure its records are counted lost.
	bool flushLocked(std::string & error);
	bool readAt(uint64_t offset, size_t n, std::string & out) const;
	/// The payload of the frame at `pos` if it lies whole before `limit` and its checksum holds.
	bool readFrame(uint64_t pos, uint64_t limit, std::string & payload) const;
	/// The body at `offset` (its first copy in this file), through a small cache.
	bool bodyAt(uint64_t offset, uint64_t size, std::string & out);

	std::string _path;
	int _fd = -1;
	mutable std::mutex _mutex;    ///< appends, _end, _pending, _firstCopies
	uint64_t _end = 0;            ///< where the next frame goes (the chunk included)
	std::string _chunk;           ///< frames appended but not yet written, ending at _end
	uint64_t _chunkFrames = 0;
	uint64_t _lost = 0;
	uint64_t _ingested = 0;       ///< reader's position (only the reader changes it)
	uint64_t _pending = 0;        ///< frames between _ingested and _end
	bool _reopened = false;       ///< the file held frames at open() and none is marked ingested yet
	/// Key of a body of kApartMinBytes+ -> offset of its first copy in the file. Bounded (a body
	/// no longer listed is written again: costs disk, not correctness).
	std::unordered_map<std::string, uint64_t> _firstCopies;
	/// Reader's cache of recently read first copies: offset -> bytes (most recent first).
	std::list<std::pair<uint64_t, std::string>> _bodyCache;
};

} // namespace ccc::store
