#pragma once
#include <cstdint>

#include "ccc/api/admin_logs.h"
#include "store/LogStore.h"

/// The admin's read side of the request log: store results turned into the shared API types,
/// and the dashboard's time series. Backend-neutral (only LogStore's interface is used), so it
/// behaves the same on SQLite and PostgreSQL.
namespace ccc::admin
{

api::LogSummary summaryOf(const store::StoredRequest & s);
api::LogDetail detailOf(const store::StoredRequest & s);
api::UsageRow usageRowOf(const store::UsageSummary & u);
store::ListQuery listQueryOf(const api::LogsListParams & p);

/// Requests started in [fromMs, toMs) bucketed by bucketMs: counts, errors (outcome not success and
/// not a client cancellation), request-duration p50/p95 and tokens. A keyset scan of at most
/// `maxRows` requests, newest first: when the range holds more, `truncated` is set and the
/// oldest buckets are incomplete. The caller validates the range (api::kMaxTimeSeriesBuckets).
api::TimeSeries scanTimeSeries(store::LogStore & store, int64_t fromMs, int64_t toMs, int64_t bucketMs,
	int64_t maxRows = 200000);

} // namespace ccc::admin
