#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ccc::config
{

/// Parses a Go-style duration ("300ms", "30s", "1m30s", "1.5h", "2h45m10s") into milliseconds.
/// A bare number is taken as seconds (YAML writers often forget the unit). Returns nullopt on
/// anything else, including negative values.
std::optional<int64_t> parseDurationMs(std::string_view text);

/// Formats milliseconds the way Go prints a time.Duration ("1m30s", "500ms", "0s").
std::string formatDurationMs(int64_t ms);

/// Parses a byte size: "1048576", "512KB", "100MiB", "1GiB", "1G" (K/M/G are powers of 1024).
std::optional<int64_t> parseByteSize(std::string_view text);

} // namespace ccc::config
