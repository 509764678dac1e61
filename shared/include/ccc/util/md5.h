#pragma once
#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace ccc::util
{

/// MD5 (RFC 1321). Only for compatibility with values other systems derive with it (the OpenAI
/// `user` field is hashed as "hashed-<md5hex>" like the original did); never for security.
std::array<uint8_t, 16> md5(std::string_view data);
std::string md5Hex(std::string_view data);

} // namespace ccc::util
