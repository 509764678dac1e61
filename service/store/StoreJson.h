#pragma once
#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "store/LogStore.h"
#include "store/RequestLogger.h"
#include "store/Stats.h"

/// JSON shapes of the store's query results for the admin API. Field names follow the record
/// types (snake_case); times are unix epoch milliseconds; token counts of -1 mean "not reported".
/// Text that is not valid UTF-8 (a binary body) is sent with U+FFFD replacements.
namespace ccc::store
{

/// A list row: no headers, bodies or attempts; attempt_count and body sizes instead.
nlohmann::ordered_json requestSummaryJson(const StoredRequest & s);
/// The detail: everything, with headers as [[name, value], ...], bodies as
/// {"text", "size", "truncated", "omitted"} and every attempt.
nlohmann::ordered_json requestDetailJson(const StoredRequest & s);
/// {"items": [summary...], "next_cursor": "..." | null}
nlohmann::ordered_json listPageJson(const ListPage & p);
nlohmann::ordered_json usageJson(const UsageSummary & u);
/// Includes success_rate (0..1, null when no requests) and latency p50/p95/p99 from the histogram.
nlohmann::ordered_json endpointStatsJson(const EndpointStats & s);
nlohmann::ordered_json breakerEventJson(const BreakerEvent & e);
/// For /metrics and the admin: every counter of the write path.
nlohmann::ordered_json loggerCountersJson(const LoggerCounters & c);

/// Reads list query parameters: from, to (epoch ms), endpoint, model, status (2xx|3xx|4xx|5xx|
/// failed|success), tag, session, q (error text), request_id, limit, cursor. Unknown keys are
/// ignored; malformed numbers leave the default.
ListQuery listQueryFromParams(const std::map<std::string, std::string> & params);

} // namespace ccc::store
