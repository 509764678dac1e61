#include "store/BodyPolicy.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>

#if defined(__linux__)
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

#include <zlib.h>
#include <zstd.h>

namespace ccc::store
{

bool isSensitiveHeader(const std::string & name)
{
	// Compared in place: this runs for every header of every record (tens per record).
	static const char * const kNames[] = {"authorization", "x-api-key", "proxy-authorization", "cookie", "set-cookie",
		"api-key", "x-goog-api-key", "anthropic-api-key", "x-auth-token", "proxy-authenticate-info"};
	for (const char * k : kNames)
	{
		const size_t n = std::strlen(k);
		if (name.size() != n)
			continue;
		size_t i = 0;
		while (i < n && std::tolower(static_cast<unsigned char>(name[i])) == k[i])
			++i;
		if (i == n)
			return true;
	}
	return false;
}

bool redactSecrets(std::string & text, const std::vector<std::string> & secrets, bool cutAtEnd)
{
	bool any = false;
	const std::string marker = kRedacted;
	for (const auto & s : secrets)
	{
		if (s.size() < kMinSecretLength)
			continue;
		// memmem (two-way search) rather than string::find, which memcmp's at every occurrence
		// of the secret's first character: bodies are large and secrets start with common letters.
		// For short texts (header values) memmem's set-up costs more than the search: find().
		const bool small = text.size() < 512;
		size_t pos = 0;
		while (text.size() >= s.size())
		{
			const void * hit = nullptr;
			if (small)
			{
				size_t at = text.find(s, pos);
				hit = at == std::string::npos ? nullptr : text.data() + at;
			}
			else if (pos <= text.size())
				hit = memmem(text.data() + pos, text.size() - pos, s.data(), s.size());
			if (!hit)
				break;
			pos = static_cast<size_t>(static_cast<const char *>(hit) - text.data());
			text.replace(pos, s.size(), marker);
			pos += marker.size();
			any = true;
		}
		if (cutAtEnd)
		{
			// The text was cut mid-secret: its tail may be the secret's beginning.
			size_t maxLen = std::min(text.size(), s.size() - 1);
			for (size_t len = maxLen; len >= 4; --len)
			{
				if (text.compare(text.size() - len, len, s, 0, len) == 0)
				{
					text.replace(text.size() - len, len, marker);
					any = true;
					break;
				}
			}
		}
	}
	return any;
}

void redactHeaders(api::HeaderList & headers, const std::vector<std::string> & secrets)
{
	for (auto & h : headers)
	{
		if (isSensitiveHeader(h.first))
		{
			std::string scheme;
			size_t sp = h.second.find(' ');
			if (sp != std::string::npos && sp > 0 && sp <= 10)
			{
				std::string word = h.second.substr(0, sp);
				std::string lw = word;
				std::transform(lw.begin(), lw.end(), lw.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
				if (lw == "bearer" || lw == "basic" || lw == "token" || lw == "digest")
					scheme = word + " ";
			}
			h.second = scheme + kRedacted;
		}
		else
			redactSecrets(h.second, secrets);
	}
}

size_t utf8SafeCut(const std::string & s, size_t limit)
{
	if (limit >= s.size())
		return s.size();
	size_t n = limit;
	// s[n] would be the first byte dropped: while it continues a sequence, the cut splits it.
	size_t steps = 0;
	while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80 && steps < 3)
	{
		--n;
		++steps;
	}
	return n;
}

void trimIncompleteUtf8Tail(std::string & s)
{
	size_t n = s.size();
	for (size_t back = 1; back <= 4 && back <= n; ++back)
	{
		auto c = static_cast<unsigned char>(s[n - back]);
		if ((c & 0xC0) == 0x80)
			continue; // continuation byte: keep looking for the lead byte
		size_t need = 1;
		if ((c & 0xE0) == 0xC0) need = 2;
		else if ((c & 0xF0) == 0xE0) need = 3;
		else if ((c & 0xF8) == 0xF0) need = 4;
		if (need > back)
			s.resize(n - back);
		return;
	}
}

BodyInfo applyBodyPolicy(api::CapturedBody & body, const std::string & policy, int64_t truncatedBytes, int64_t maxBytes,
	const std::vector<std::string> & secrets)
{
	BodyInfo info;
	if (body.totalSize < static_cast<int64_t>(body.bytes.size()))
		body.totalSize = static_cast<int64_t>(body.bytes.size());
	if (policy == "none")
	{
		body.bytes.clear();
		info.omitted = true;
		return info;
	}
	bool capturedCut = body.truncated();
	// Redact first: a cut made afterwards can never leave part of a secret behind.
	redactSecrets(body.bytes, secrets, capturedCut);
	int64_t limit = policy == "truncated" ? truncatedBytes : maxBytes;
	if (limit < 0)
		limit = 0;
	bool cut = capturedCut;
	if (static_cast<int64_t>(body.bytes.size()) > limit)
	{
		body.bytes.resize(utf8SafeCut(body.bytes, static_cast<size_t>(limit)));
		cut = true;
	}
	else if (capturedCut)
		trimIncompleteUtf8Tail(body.bytes);
	if (cut)
	{
		body.bytes += kTruncationMarker;
		info.truncated = true;
	}
	return info;
}

std::string deflateBytes(const std::string & in, int level)
{
	uLongf cap = compressBound(static_cast<uLong>(in.size()));
	std::string out(cap, '\0');
	if (compress2(reinterpret_cast<Bytef *>(&out[0]), &cap, reinterpret_cast<const Bytef *>(in.data()),
			static_cast<uLong>(in.size()), level) != Z_OK)
		throw StoreError("zlib: compress failed");
	out.resize(cap);
	return out;
}

std::string inflateBytes(const std::string & in)
{
	z_stream zs{};
	if (inflateInit(&zs) != Z_OK)
		throw StoreError("zlib: inflateInit failed");
	zs.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(in.data()));
	zs.avail_in = static_cast<uInt>(in.size());
	std::string out;
	char buf[65536];
	int rc = Z_OK;
	do
	{
		zs.next_out = reinterpret_cast<Bytef *>(buf);
		zs.avail_out = sizeof buf;
		rc = inflate(&zs, Z_NO_FLUSH);
		if (rc != Z_OK && rc != Z_STREAM_END)
		{
			inflateEnd(&zs);
			throw StoreError("zlib: corrupt compressed body");
		}
		out.append(buf, sizeof buf - zs.avail_out);
	} while (rc != Z_STREAM_END && (zs.avail_in > 0 || zs.avail_out == 0));
	inflateEnd(&zs);
	if (rc != Z_STREAM_END)
		throw StoreError("zlib: truncated compressed body");
	return out;
}

void lowerThreadPriority()
{
#if defined(__linux__)
	// Linux applies nice values per thread (the thread id is a pid for setpriority).
	const auto tid = static_cast<id_t>(::syscall(SYS_gettid));
	errno = 0;
	int now = ::getpriority(PRIO_PROCESS, tid);
	if (errno == 0 && now < 10)
		::setpriority(PRIO_PROCESS, tid, 10);
#endif
}

std::string zstdCompress(const std::string & in, int level)
{
	// One context per thread, reused: ZSTD_compress would allocate and initialise a fresh one for
	// every body, a visible share of the cost for the 76 KB bodies Claude Code sends.
	struct Ctx
	{
		ZSTD_CCtx * cctx = ZSTD_createCCtx();
		~Ctx() { ZSTD_freeCCtx(cctx); }
	};
	thread_local Ctx ctx;
	std::string out(ZSTD_compressBound(in.size()), '\0');
	size_t n = ctx.cctx ? ZSTD_compressCCtx(ctx.cctx, &out[0], out.size(), in.data(), in.size(), level)
	                    : ZSTD_compress(&out[0], out.size(), in.data(), in.size(), level);
	if (ZSTD_isError(n))
		throw StoreError(std::string("zstd: ") + ZSTD_getErrorName(n));
	out.resize(n);
	return out;
}

std::string zstdDecompress(const std::string & in)
{
	unsigned long long size = ZSTD_getFrameContentSize(in.data(), in.size());
	if (size == ZSTD_CONTENTSIZE_ERROR || size == ZSTD_CONTENTSIZE_UNKNOWN || size > (1ull << 34))
		throw StoreError("zstd: corrupt compressed body");
	std::string out(static_cast<size_t>(size), '\0');
	size_t n = ZSTD_decompress(out.empty() ? nullptr : &out[0], out.size(), in.data(), in.size());
	if (ZSTD_isError(n) || n != size)
		throw StoreError("zstd: corrupt compressed body");
	return out;
}

std::vector<std::string> collectSecrets(const config::Config & cfg)
{
	std::vector<std::string> out;
	auto add = [&](const std::string & s) {
		if (s.size() >= kMinSecretLength && std::find(out.begin(), out.end(), s) == out.end())
			out.push_back(s);
	};
	for (const auto & e : cfg.endpoints)
	{
		add(e.auth_value);
		if (e.oauth_config)
		{
			add(e.oauth_config->access_token);
			add(e.oauth_config->refresh_token);
		}
		if (e.proxy)
			add(e.proxy->password);
	}
	for (const auto & t : cfg.server.client_tokens)
		add(t);
	// Longest first, so a secret that contains another is replaced whole.
	std::sort(out.begin(), out.end(), [](const std::string & a, const std::string & b) { return a.size() > b.size(); });
	return out;
}

} // namespace ccc::store
