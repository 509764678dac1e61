#include "ccc/util/md5.h"

#include <cmath>

#include "ccc/util/sha256.h"

namespace ccc::util
{

namespace
{

constexpr uint32_t kShift[64] = {7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 5, 9, 14, 20, 5, 9,
	14, 20, 5, 9, 14, 20, 5, 9, 14, 20, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 6, 10, 15, 21, 6,
	10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21};

// K[i] = floor(abs(sin(i + 1)) * 2^32), as RFC 1321 defines the table.
struct Table
{
	uint32_t k[64];
	Table()
	{
		for (int i = 0; i < 64; ++i)
			k[i] = static_cast<uint32_t>(std::floor(std::fabs(std::sin(double(i + 1))) * 4294967296.0));
	}
};

inline uint32_t rotl(uint32_t x, uint32_t n)
{
	return (x << n) | (x >> (32 - n));
}

void block(uint32_t h[4], const uint8_t * p)
{
	static const Table table;
	uint32_t m[16];
	for (int i = 0; i < 16; ++i)
		m[i] = uint32_t(p[4 * i]) | (uint32_t(p[4 * i + 1]) << 8) | (uint32_t(p[4 * i + 2]) << 16) | (uint32_t(p[4 * i + 3]) << 24);
	uint32_t a = h[0], b = h[1], c = h[2], d = h[3];
	for (uint32_t i = 0; i < 64; ++i)
	{
		uint32_t f, g;
		if (i < 16)
		{
			f = (b & c) | (~b & d);
			g = i;
		}
		else if (i < 32)
		{
			f = (d & b) | (~d & c);
			g = (5 * i + 1) % 16;
		}
		else if (i < 48)
		{
			f = b ^ c ^ d;
			g = (3 * i + 5) % 16;
		}
		else
		{
			f = c ^ (b | ~d);
			g = (7 * i) % 16;
		}
		uint32_t t = d;
		d = c;
		c = b;
		b = b + rotl(a + f + table.k[i] + m[g], kShift[i]);
		a = t;
	}
	h[0] += a;
	h[1] += b;
	h[2] += c;
	h[3] += d;
}

} // namespace

std::array<uint8_t, 16> md5(std::string_view data)
{
	uint32_t h[4] = {0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476};
	const auto * p = reinterpret_cast<const uint8_t *>(data.data());
	size_t n = data.size();
	size_t full = n / 64;
	for (size_t i = 0; i < full; ++i)
		block(h, p + 64 * i);
	uint8_t tail[128] = {};
	size_t rest = n - full * 64;
	for (size_t i = 0; i < rest; ++i)
		tail[i] = p[full * 64 + i];
	tail[rest] = 0x80;
	size_t tailLen = rest < 56 ? 64 : 128;
	uint64_t bits = uint64_t(n) * 8;
	for (int i = 0; i < 8; ++i)
		tail[tailLen - 8 + i] = uint8_t(bits >> (8 * i));
	block(h, tail);
	if (tailLen == 128)
		block(h, tail + 64);
	std::array<uint8_t, 16> out{};
	for (int i = 0; i < 4; ++i)
		for (int j = 0; j < 4; ++j)
			out[4 * i + j] = uint8_t(h[i] >> (8 * j));
	return out;
}

std::string md5Hex(std::string_view data)
{
	auto d = md5(data);
	return toHex(d.data(), d.size());
}

} // namespace ccc::util
