#include "store/SpillFile.h"

#include <cerrno>
#include <cstring>
#include <functional>

#include <fcntl.h>
#include <sys/stat.h>
#if defined(_WIN32)
#include <io.h>
#else
#include <unistd.h>
#endif

#define XXH_INLINE_ALL
#include <xxhash.h>

#include "store/BodyStore.h"

namespace ccc::store
{

namespace
{

constexpr char kMagic[8] = {'C', 'C', 'C', 'S', 'P', 'I', 'L', '1'};
constexpr uint64_t kHeaderSize = 16;
constexpr uint64_t kFrameHeader = 12; // u32 length + u64 checksum
constexpr uint32_t kMaxFrame = 1u << 30;
constexpr size_t kFirstCopiesMax = 4096;
constexpr size_t kBodyCacheEntries = 8;
constexpr size_t kWriteChunk = 64 * 1024;

enum BodyTag : uint8_t
{
	kInline = 0,
	kBackRef = 1,
};

// ------------------------------------------------------------------ file I/O (POSIX; Windows CRT)

#if defined(_WIN32)
using ssize_t = long long;
std::mutex g_seekMutex; // the CRT has no pread/pwrite: seek + read under one lock
ssize_t preadFd(int fd, void * buf, size_t n, uint64_t off)
{
	std::lock_guard<std::mutex> lk(g_seekMutex);
	if (_lseeki64(fd, static_cast<long long>(off), SEEK_SET) < 0)
		return -1;
	return _read(fd, buf, static_cast<unsigned>(n));
}
ssize_t pwriteFd(int fd, const void * buf, size_t n, uint64_t off)
{
	std::lock_guard<std::mutex> lk(g_seekMutex);
	if (_lseeki64(fd, static_cast<long long>(off), SEEK_SET) < 0)
		return -1;
	return _write(fd, buf, static_cast<unsigned>(n));
}
int truncateFd(int fd, uint64_t size) { return _chsize_s(fd, static_cast<long long>(size)) == 0 ? 0 : -1; }
int closeFd(int fd) { return _close(fd); }
int openFd(const std::string & path) { return _open(path.c_str(), _O_RDWR | _O_CREAT | _O_BINARY, _S_IREAD | _S_IWRITE); }
#else
ssize_t preadFd(int fd, void * buf, size_t n, uint64_t off) { return ::pread(fd, buf, n, static_cast<off_t>(off)); }
ssize_t pwriteFd(int fd, const void * buf, size_t n, uint64_t off) { return ::pwrite(fd, buf, n, static_cast<off_t>(off)); }
int truncateFd(int fd, uint64_t size) { return ::ftruncate(fd, static_cast<off_t>(size)); }
int closeFd(int fd) { return ::close(fd); }
// 0600: the records are redacted, but they are still the users' prompts.
int openFd(const std::string & path) { return ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600); }
#endif

/// All n bytes at `off` through `io` (preadFd or pwriteFd), across short transfers and EINTR.
template <typename Char, typename Io>
bool transferAllAt(Io io, int fd, Char * p, size_t n, uint64_t off)
{
	while (n > 0)
	{
		ssize_t done = io(fd, p, n, off);
		if (done < 0 && errno == EINTR)
			continue;
		if (done <= 0)
			return false;
		p += done;
		n -= static_cast<size_t>(done);
		off += static_cast<uint64_t>(done);
	}
	return true;
}

bool writeAllAt(int fd, const char * p, size_t n, uint64_t off)
{
	return transferAllAt(pwriteFd, fd, p, n, off);
}

bool readAllAt(int fd, char * p, size_t n, uint64_t off)
{
	return transferAllAt(preadFd, fd, p, n, off);
}

void putU64At(char * p, uint64_t v)
{
	for (int i = 0; i < 8; ++i)
		p[i] = static_cast<char>((v >> (8 * i)) & 0xff);
}

uint64_t getU64At(const char * p)
{
	uint64_t v = 0;
	for (int i = 0; i < 8; ++i)
		v |= static_cast<uint64_t>(static_cast<unsigned char>(p[i])) << (8 * i);
	return v;
}

// ------------------------------------------------------------------ record encoding

/// Little-endian fixed-width fields and length-prefixed strings: simple to check, and the
/// encoder is a few memcpy's per record (it runs on request threads under overload).
struct Encoder
{
	std::string out;

	void u8(uint8_t v) { out.push_back(static_cast<char>(v)); }
	void u64(uint64_t v)
	{
		char b[8];
		putU64At(b, v);
		out.append(b, 8);
	}
	void i64(int64_t v) { u64(static_cast<uint64_t>(v)); }
	void f64(double v)
	{
		uint64_t bits = 0;
		std::memcpy(&bits, &v, sizeof bits);
		u64(bits);
	}
	void str(const std::string & s)
	{
		u64(s.size());
		out += s;
	}
	void headers(const api::HeaderList & h)
	{
		u64(h.size());
		for (const auto & kv : h)
		{
			str(kv.first);
			str(kv.second);
		}
	}
	void usage(const anthropic::Usage & u)
	{
		i64(u.input_tokens);
		i64(u.output_tokens);
		i64(u.cache_creation_input_tokens);
		i64(u.cache_read_input_tokens);
	}
	void info(const BodyInfo & b)
	{
		u8(static_cast<uint8_t>((b.truncated ? 1 : 0) | (b.omitted ? 2 : 0) | (b.compressed ? 4 : 0) | (b.same_as_client ? 8 : 0)));
	}
};

struct Decoder
{
	const std::string & in;
	size_t pos = 0;
	bool ok = true;

	bool need(size_t n)
	{
		if (!ok || in.size() - pos < n)
			ok = false;
		return ok;
	}
	uint8_t u8()
	{
		if (!need(1))
			return 0;
		return static_cast<uint8_t>(in[pos++]);
	}
	uint64_t u64()
	{
		if (!need(8))
			return 0;
		uint64_t v = getU64At(in.data() + pos);
		pos += 8;
		return v;
	}
	int64_t i64() { return static_cast<int64_t>(u64()); }
	int i32() { return static_cast<int>(i64()); }
	double f64()
	{
		uint64_t bits = u64();
		double v = 0;
		std::memcpy(&v, &bits, sizeof v);
		return v;
	}
	void str(std::string & s)
	{
		uint64_t n = u64();
		if (!need(n))
			return;
		s.assign(in, pos, n);
		pos += n;
	}
	std::string str()
	{
		std::string s;
		str(s);
		return s;
	}
	void headers(api::HeaderList & h)
	{
		uint64_t n = u64();
		if (n > in.size() || !need(n * 16)) // each header is two length-prefixed strings
		{
			ok = false;
			return;
		}
		h.resize(n);
		for (auto & kv : h)
		{
			str(kv.first);
			str(kv.second);
		}
	}
	void usage(anthropic::Usage & u)
	{
		u.input_tokens = i64();
		u.output_tokens = i64();
		u.cache_creation_input_tokens = i64();
		u.cache_read_input_tokens = i64();
	}
	BodyInfo info()
	{
		uint8_t f = u8();
		BodyInfo b;
		b.truncated = f & 1;
		b.omitted = f & 2;
		b.compressed = f & 4;
		b.same_as_client = f & 8;
		return b;
	}
	api::Outcome outcome()
	{
		std::string name = str();
		api::Outcome o = api::Outcome::Success;
		if (ok && !api::outcomeFromName(name, o))
			ok = false;
		return o;
	}
};

using BodyWriter = std::function<void(Encoder &, const api::CapturedBody &)>;
using BodyReader = std::function<void(Decoder &, api::CapturedBody &)>;

/// Every field of PreparedRecord and its RequestRecord, in one order. A field added to
/// api::RequestRecord / AttemptRecord must be added here and in decode() (spill_file_test's
/// round trip fills every field and compares).
void encode(Encoder & e, const PreparedRecord & pr, const BodyWriter & body)
{
	const auto & r = pr.rec;
	e.u8(pr.bodies_shed ? 1 : 0);
	e.str(r.request_id);
	e.i64(r.started_at_ms);
	e.i64(r.duration_ms);
	e.i64(r.ttfb_ms);
	e.str(r.method);
	e.str(r.path);
	e.i64(r.status);
	e.str(api::outcomeName(r.outcome));
	e.str(r.error);
	e.u8(r.streaming ? 1 : 0);
	e.u64(r.tags.size());
	for (const auto & t : r.tags)
		e.str(t);
	e.str(r.model_requested);
	e.str(r.thinking_type);
	e.i64(r.thinking_budget);
	e.str(r.session_id);
	e.str(r.user_agent);
	e.str(r.final_endpoint_id);
	e.str(r.final_endpoint_name);
	e.headers(r.client_request_headers);
	e.info(pr.client_request_body);
	body(e, r.client_request_body);
	e.headers(r.client_response_headers);
	e.info(pr.client_response_body);
	body(e, r.client_response_body);
	e.usage(r.usage);
	e.f64(r.cost_usd);
	e.u64(r.attempts.size());
	for (size_t i = 0; i < r.attempts.size(); ++i)
	{
		const auto & a = r.attempts[i];
		BodyInfo reqInfo, respInfo;
		if (i < pr.attempt_bodies.size())
			std::tie(reqInfo, respInfo) = pr.attempt_bodies[i];
		e.i64(a.attempt_number);
		e.str(a.endpoint_id);
		e.str(a.endpoint_name);
		e.str(a.endpoint_url);
		e.i64(a.started_at_ms);
		e.i64(a.duration_ms);
		e.i64(a.ttfb_ms);
		e.i64(a.status);
		e.str(api::outcomeName(a.outcome));
		e.str(a.error);
		e.u8(a.streaming ? 1 : 0);
		e.str(a.content_type_override);
		e.str(a.model_sent);
		e.u8(a.request_body_same_as_client ? 1 : 0);
		e.headers(a.request_headers);
		e.info(reqInfo);
		body(e, a.request_body);
		e.headers(a.response_headers);
		e.info(respInfo);
		body(e, a.response_body);
		e.usage(a.usage);
	}
}

bool decode(Decoder & d, PreparedRecord & pr, const BodyReader & body)
{
	auto & r = pr.rec;
	pr.bodies_shed = d.u8() != 0;
	d.str(r.request_id);
	r.started_at_ms = d.i64();
	r.duration_ms = d.i64();
	r.ttfb_ms = d.i64();
	d.str(r.method);
	d.str(r.path);
	r.status = d.i32();
	r.outcome = d.outcome();
	d.str(r.error);
	r.streaming = d.u8() != 0;
	uint64_t tags = d.u64();
	if (tags > d.in.size() || !d.need(tags * 8)) // counts are checked before anything is sized by them
		return false;
	r.tags.resize(tags);
	for (auto & t : r.tags)
		d.str(t);
	d.str(r.model_requested);
	d.str(r.thinking_type);
	r.thinking_budget = d.i64();
	d.str(r.session_id);
	d.str(r.user_agent);
	d.str(r.final_endpoint_id);
	d.str(r.final_endpoint_name);
	d.headers(r.client_request_headers);
	pr.client_request_body = d.info();
	body(d, r.client_request_body);
	d.headers(r.client_response_headers);
	pr.client_response_body = d.info();
	body(d, r.client_response_body);
	d.usage(r.usage);
	r.cost_usd = d.f64();
	uint64_t attempts = d.u64();
	if (attempts > d.in.size() || !d.need(attempts * 64))
		return false;
	r.attempts.resize(attempts);
	pr.attempt_bodies.resize(attempts);
	for (size_t i = 0; i < attempts && d.ok; ++i)
	{
		auto & a = r.attempts[i];
		a.attempt_number = d.i32();
		d.str(a.endpoint_id);
		d.str(a.endpoint_name);
		d.str(a.endpoint_url);
		a.started_at_ms = d.i64();
		a.duration_ms = d.i64();
		a.ttfb_ms = d.i64();
		a.status = d.i32();
		a.outcome = d.outcome();
		d.str(a.error);
		a.streaming = d.u8() != 0;
		d.str(a.content_type_override);
		d.str(a.model_sent);
		a.request_body_same_as_client = d.u8() != 0;
		d.headers(a.request_headers);
		pr.attempt_bodies[i].first = d.info();
		body(d, a.request_body);
		d.headers(a.response_headers);
		pr.attempt_bodies[i].second = d.info();
		body(d, a.response_body);
		d.usage(a.usage);
	}
	return d.ok && d.pos == d.in.size();
}

void inlineBody(Encoder & e, const api::CapturedBody & b)
{
	e.u8(kInline);
	e.i64(b.totalSize);
	e.str(b.bytes);
}

} // namespace

std::string encodeSpillRecord(const PreparedRecord & pr)
{
	Encoder e;
	encode(e, pr, inlineBody);
	return std::move(e.out);
}

bool decodeSpillRecord(const std::string & data, PreparedRecord & out)
{
	Decoder d{data};
	return decode(d, out, [](Decoder & dd, api::CapturedBody & b) {
		if (dd.u8() != kInline)
			dd.ok = false;
		b.totalSize = dd.i64();
		dd.str(b.bytes);
	});
}

// ------------------------------------------------------------------ the file

SpillFile::SpillFile(std::string path) : _path(std::move(path))
{
}

SpillFile::~SpillFile()
{
	if (_fd >= 0)
	{
		std::string error;
		std::lock_guard<std::mutex> lk(_mutex);
		flushLocked(error);
		closeFd(_fd);
	}
}

std::unique_ptr<SpillFile> SpillFile::open(const std::string & path, std::string & error)
{
	std::unique_ptr<SpillFile> f(new SpillFile(path));
	f->_fd = openFd(path);
	if (f->_fd < 0)
	{
		error = "cannot open " + path + ": " + std::strerror(errno);
		return nullptr;
	}
	if (!f->recover(error))
		return nullptr;
	return f;
}

bool SpillFile::recover(std::string & error)
{
	struct stat st{};
	if (::fstat(_fd, &st) != 0)
	{
		error = "cannot stat " + _path + ": " + std::strerror(errno);
		return false;
	}
	const auto size = static_cast<uint64_t>(st.st_size);
	char header[kHeaderSize];
	bool fresh = size < kHeaderSize || !readAllAt(_fd, header, kHeaderSize, 0) || std::memcmp(header, kMagic, 8) != 0;
	if (fresh)
	{
		// New, or not ours / unreadable: start over (a spill file only holds an overload's backlog).
		std::memcpy(header, kMagic, 8);
		putU64At(header + 8, kHeaderSize);
		if (truncateFd(_fd, 0) != 0 || !writeAllAt(_fd, header, kHeaderSize, 0))
		{
			error = "cannot write " + _path + ": " + std::strerror(errno);
			return false;
		}
		_ingested = _end = kHeaderSize;
		return true;
	}
	_ingested = getU64At(header + 8);
	if (_ingested < kHeaderSize || _ingested > size)
		_ingested = kHeaderSize; // emptied by markIngested() just before the process stopped
	// Walk the frames: count what is pending and cut a torn tail.
	uint64_t pos = _ingested;
	std::string frame;
	while (readFrame(pos, size, frame))
	{
		pos += kFrameHeader + frame.size();
		_pending++;
	}
	_end = pos;
	if (_end < size && truncateFd(_fd, _end) != 0)
	{
		error = "cannot truncate " + _path + ": " + std::strerror(errno);
		return false;
	}
	_reopened = _pending > 0;
	if (_pending == 0 && _end > kHeaderSize)
		markIngested(_end, 0);
	return true;
}

bool SpillFile::append(const PreparedRecord & pr, std::string & error)
{
	// Keys are computed outside the lock (the hash of a 76 KB body takes microseconds).
	std::vector<std::pair<const std::string *, std::string>> keys;
	auto collect = [&](const api::CapturedBody & b) {
		if (b.bytes.size() >= kApartMinBytes)
			keys.emplace_back(&b.bytes, BodyStore::keyOf(b.bytes));
	};
	collect(pr.rec.client_request_body);
	collect(pr.rec.client_response_body);
	for (const auto & a : pr.rec.attempts)
	{
		collect(a.request_body);
		collect(a.response_body);
	}

	std::lock_guard<std::mutex> lk(_mutex);
	const uint64_t frameStart = _end;
	std::vector<std::pair<std::string, uint64_t>> newCopies;
	Encoder e;
	e.out.resize(kFrameHeader);
	encode(e, pr, [&](Encoder & enc, const api::CapturedBody & b) {
		const std::string * key = nullptr;
		for (const auto & k : keys)
			if (k.first == &b.bytes)
				key = &k.second;
		// The offset of this body's first copy: earlier in the file, or earlier in this record.
		const uint64_t * firstCopy = nullptr;
		if (key)
		{
			auto it = _firstCopies.find(*key);
			if (it != _firstCopies.end())
				firstCopy = &it->second;
			for (const auto & n : newCopies)
				if (!firstCopy && n.first == *key)
					firstCopy = &n.second;
		}
		if (firstCopy)
		{
			enc.u8(kBackRef);
			enc.i64(b.totalSize);
			enc.u64(*firstCopy);
			enc.u64(b.bytes.size());
			return;
		}
		inlineBody(enc, b);
		if (key)
			newCopies.emplace_back(*key, frameStart + enc.out.size() - b.bytes.size());
	});
	const size_t len = e.out.size() - kFrameHeader;
	if (len > kMaxFrame)
	{
		error = "record too large for the spill file";
		return false;
	}
	for (int i = 0; i < 4; ++i)
		e.out[static_cast<size_t>(i)] = static_cast<char>((len >> (8 * i)) & 0xff);
	putU64At(&e.out[4], XXH3_64bits(e.out.data() + kFrameHeader, len));
	_chunk += e.out;
	_chunkFrames++;
	_end = frameStart + e.out.size();
	_pending++;
	if (_chunk.size() >= kWriteChunk && !flushLocked(error))
	{
		_lost--; // this record's failure is the return value
		return false;
	}
	for (auto & n : newCopies)
	{
		if (_firstCopies.size() >= kFirstCopiesMax)
			_firstCopies.clear();
		_firstCopies.emplace(std::move(n.first), n.second);
	}
	return true;
}

bool SpillFile::flushLocked(std::string & error)
{
	if (_chunk.empty())
		return true;
	const uint64_t start = _end - _chunk.size();
	if (writeAllAt(_fd, _chunk.data(), _chunk.size(), start))
	{
		_chunk.clear();
		_chunkFrames = 0;
		return true;
	}
	error = "cannot write " + _path + ": " + std::strerror(errno);
	truncateFd(_fd, start); // no torn frame left behind for the reader
	_end = start;
	_pending -= _chunkFrames;
	_lost += _chunkFrames;
	// Back-references into the lost chunk would dangle.
	for (auto it = _firstCopies.begin(); it != _firstCopies.end();)
		it = it->second >= start ? _firstCopies.erase(it) : std::next(it);
	_chunk.clear();
	_chunkFrames = 0;
	return false;
}

uint64_t SpillFile::takeLost()
{
	std::lock_guard<std::mutex> lk(_mutex);
	uint64_t n = _lost;
	_lost = 0;
	return n;
}

bool SpillFile::readFrame(uint64_t pos, uint64_t limit, std::string & payload) const
{
	char fh[kFrameHeader];
	if (pos + kFrameHeader > limit || !readAllAt(_fd, fh, kFrameHeader, pos))
		return false;
	uint32_t len = 0;
	for (int i = 0; i < 4; ++i)
		len |= static_cast<uint32_t>(static_cast<unsigned char>(fh[i])) << (8 * i);
	return len <= kMaxFrame && pos + kFrameHeader + len <= limit && readAt(pos + kFrameHeader, len, payload) &&
		XXH3_64bits(payload.data(), len) == getU64At(fh + 4);
}

bool SpillFile::readAt(uint64_t offset, size_t n, std::string & out) const
{
	out.resize(n);
	return n == 0 || readAllAt(_fd, &out[0], n, offset);
}

bool SpillFile::bodyAt(uint64_t offset, uint64_t size, std::string & out)
{
	for (auto it = _bodyCache.begin(); it != _bodyCache.end(); ++it)
		if (it->first == offset && it->second.size() == size)
		{
			out = it->second;
			_bodyCache.splice(_bodyCache.begin(), _bodyCache, it);
			return true;
		}
	if (size > kMaxFrame || !readAt(offset, static_cast<size_t>(size), out))
		return false;
	_bodyCache.emplace_front(offset, out);
	if (_bodyCache.size() > kBodyCacheEntries)
		_bodyCache.pop_back();
	return true;
}

SpillFile::Batch SpillFile::readBatch(size_t maxRecords, size_t maxBytes)
{
	Batch b;
	uint64_t end = 0;
	{
		std::lock_guard<std::mutex> lk(_mutex);
		std::string error;
		flushLocked(error); // a failure is counted in _lost
		end = _end;
		b.afterReopen = _reopened; // until that batch is in the database (markIngested)
	}
	uint64_t pos = _ingested;
	size_t bytes = 0;
	std::string frame;
	while (pos + kFrameHeader <= end && b.records.size() < std::max<size_t>(1, maxRecords) &&
		(b.records.empty() || bytes < maxBytes))
	{
		bool good = readFrame(pos, end, frame);
		PreparedRecord pr;
		if (good)
		{
			Decoder d{frame};
			good = decode(d, pr, [&](Decoder & dd, api::CapturedBody & body) {
				uint8_t tag = dd.u8();
				body.totalSize = dd.i64();
				if (tag == kInline)
					dd.str(body.bytes);
				else if (tag == kBackRef)
				{
					uint64_t off = dd.u64(), n = dd.u64();
					if (dd.ok && !bodyAt(off, n, body.bytes))
						dd.ok = false;
				}
				else
					dd.ok = false;
			});
		}
		if (!good)
		{
			// Only a disk error or an edit by hand gets here (appends are checked when opened):
			// skip the rest rather than loop on it forever.
			b.corrupt = true;
			pos = end;
			break;
		}
		bytes += frame.size();
		for (const auto & a : pr.rec.attempts)
			bytes += a.request_body.bytes.size() + a.response_body.bytes.size();
		bytes += pr.rec.client_request_body.bytes.size() + pr.rec.client_response_body.bytes.size();
		b.records.push_back(std::move(pr));
		pos += kFrameHeader + frame.size();
	}
	b.end = pos;
	return b;
}

void SpillFile::markIngested(uint64_t end, size_t records)
{
	std::lock_guard<std::mutex> lk(_mutex);
	_ingested = end;
	_pending = _pending >= records ? _pending - records : 0;
	_reopened = false;
	// All of it in the database: back to an empty file, so the file never outgrows one overload
	// episode. The cut goes first: a crash before the header is rewritten leaves "ingested" past
	// the end, which open() reads as "nothing pending".
	if (_ingested >= _end && truncateFd(_fd, kHeaderSize) == 0)
	{
		_ingested = _end = kHeaderSize;
		_pending = 0;
		_firstCopies.clear();
		_bodyCache.clear();
	}
	char v[8];
	putU64At(v, _ingested);
	writeAllAt(_fd, v, 8, 8);
}

uint64_t SpillFile::pendingRecords() const
{
	std::lock_guard<std::mutex> lk(_mutex);
	return _pending;
}

uint64_t SpillFile::sizeBytes() const
{
	std::lock_guard<std::mutex> lk(_mutex);
	return _end;
}

} // namespace ccc::store
