#pragma once
#include <cstdint>
#include <string>

#include "ccc/api/admin_logs.h"

/// The Logs panel's filters and how they become a GET /admin/api/logs query.
namespace ccc::admin
{

/// The time range of the log list. Presets are relative to the moment the filters are applied
/// (the list is a snapshot from then on; the live tail adds what arrives later).
enum class LogsTimePreset
{
	All,
	Last15Min,
	LastHour,
	Last24Hours,
	Last7Days,
	Custom ///< custom_from_ms / custom_to_ms (-1 = open end)
};

const char * logsTimePresetName(LogsTimePreset p);

/// What the user chose in the filter bar. Empty strings mean "any"; they combine with AND.
struct LogsFilters
{
	LogsTimePreset time = LogsTimePreset::All;
	int64_t custom_from_ms = -1;
	int64_t custom_to_ms = -1;
	std::string endpoint; ///< endpoint id
	std::string model;
	std::string status;   ///< "" | 2xx | 3xx | 4xx | 5xx | failed | success
	std::string tag;
	std::string session;
	std::string q;        ///< free text: substring of the request's or an attempt's error
	std::string request_id;

	bool operator==(const LogsFilters & o) const;
	bool operator!=(const LogsFilters & o) const { return !(*this == o); }
};

/// The list parameters for `filters` at `nowMs` (epoch ms): presets give from = now - span and an
/// open end; strings are trimmed of surrounding spaces. `limit` is clamped to 1..1000.
api::LogsListParams logsParams(const LogsFilters & filters, int64_t nowMs, int limit);

/// "/admin/api/logs?..." with every non-default parameter percent-encoded, in a stable order.
std::string logsListPath(const api::LogsListParams & params);

/// "2026-11-28 23:41:07" (UTC, so tests and the service agree) for an epoch-ms time; "" for < 0.
std::string formatLogTime(int64_t epochMs);

/// Parses "YYYY-MM-DD HH:MM[:SS]" (UTC) or "YYYY-MM-DD" into epoch ms; -1 when malformed.
int64_t parseLogTime(const std::string & text);

} // namespace ccc::admin
