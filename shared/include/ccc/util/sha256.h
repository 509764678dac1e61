#pragma once
#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace ccc::util
{

/// SHA-256 (FIPS 180-4). Used for stable ids and hashing, never for secrets at rest.
std::array<uint8_t, 32> sha256(std::string_view data);
std::string toHex(const uint8_t * data, size_t size);
inline std::string sha256Hex(std::string_view data)
{
	auto d = sha256(data);
	return toHex(d.data(), d.size());
}

} // namespace ccc::util
