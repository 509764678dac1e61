#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "ccc/api/log_types.h"

/// Request and response types of the admin API's logs, dashboard and live-event routes
/// (docs/ADMIN_API.md, "Logs and dashboard routes"), shared by the service (which fills them) and
/// the wasm admin (which reads them).
///
/// Conventions: times are unix epoch milliseconds; token counts of -1 mean "not reported";
/// durations are milliseconds. Every toJson() is total (never throws); every fromJson() returns
/// false with a message naming the offending key instead of throwing, and leaves missing keys at
/// their defaults, so an older or newer peer still reads what it understands.
namespace ccc::api
{

/// GET /admin/api/logs query parameters. Empty strings and -1 mean "any"; filters combine with AND.
struct LogsListParams
{
	int64_t from_ms = -1;     ///< `from`: started_at_ms >= from_ms
	int64_t to_ms = -1;       ///< `to`: started_at_ms < to_ms
	std::string endpoint;     ///< `endpoint`: endpoint id (final endpoint or any attempt's)
	std::string model;        ///< `model`: requested model or any attempt's model_sent
	std::string status;       ///< `status`: 2xx | 3xx | 4xx | 5xx | failed | success
	std::string tag;          ///< `tag`: exact tag
	std::string session;      ///< `session`: session id
	std::string q;            ///< `q`: case-insensitive substring of the request's or an attempt's error
	std::string request_id;   ///< `request_id`: exact request id
	int limit = 100;          ///< `limit`: 1..1000
	std::string cursor;       ///< `cursor`: next_cursor of the previous page; empty = newest

	/// Reads query parameters. Unknown keys are ignored. False for a malformed or out-of-range
	/// value: `badParam` names it and `message` says why.
	static bool fromQuery(const std::map<std::string, std::string> & params, LogsListParams & out, std::string & badParam,
		std::string & message);
	/// The non-default parameters, ready to be URL-encoded into a query string.
	std::map<std::string, std::string> toQuery() const;
};

/// Whether `s` is one of the accepted `status` filter values (empty = any).
bool isValidStatusClass(const std::string & s);

/// One row of the logs list: what the request was and how it ended; no headers, no bodies.
struct LogSummary
{
	int64_t id = 0;                ///< store row id (pagination tiebreaker)
	std::string request_id;
	int64_t started_at_ms = 0;
	int64_t duration_ms = 0;
	int64_t ttfb_ms = -1;
	std::string method;
	std::string path;
	int status = 0;
	std::string outcome;           ///< outcomeName()
	std::string error;
	bool streaming = false;
	std::vector<std::string> tags;
	std::string model_requested;
	std::string thinking_type;
	int64_t thinking_budget = -1;
	std::string session_id;
	std::string user_agent;
	std::string final_endpoint_id;
	std::string final_endpoint_name;
	anthropic::Usage usage;
	double cost_usd = 0;
	int attempt_count = 0;
	bool bodies_shed = false;      ///< stored without headers and bodies (log writer overloaded)
	int64_t request_body_size = 0;
	int64_t response_body_size = 0;

	/// The summary fields of a record (attempt_count = its attempts; id and bodies_shed stay 0).
	static LogSummary fromRecord(const RequestRecord & r);
};

/// GET /admin/api/logs response.
struct LogsPage
{
	std::vector<LogSummary> items; ///< newest first
	std::string next_cursor;       ///< empty (JSON null) when there is no further page
};

/// A stored body as the admin sees it.
struct BodyView
{
	std::string text;      ///< stored bytes (invalid UTF-8 replaced by U+FFFD)
	int64_t size = 0;      ///< original size in bytes
	bool truncated = false;
	bool omitted = false;
};

struct AttemptDetail
{
	int attempt_number = 1;
	std::string endpoint_id;
	std::string endpoint_name;
	std::string endpoint_url;
	int64_t started_at_ms = 0;
	int64_t duration_ms = 0;
	int64_t ttfb_ms = -1;
	int status = 0;
	std::string outcome;
	std::string error;
	bool streaming = false;
	std::string content_type_override;
	std::string model_sent;
	anthropic::Usage usage;
	HeaderList request_headers;   ///< credentials redacted by the store
	BodyView request_body;
	bool request_body_same_as_client = false;
	HeaderList response_headers;
	BodyView response_body;
};

/// GET /admin/api/logs/<request_id> response: the summary plus headers, bodies and every attempt.
struct LogDetail
{
	LogSummary summary;
	HeaderList client_request_headers;
	BodyView client_request_body;
	HeaderList client_response_headers;
	BodyView client_response_body;
	std::vector<AttemptDetail> attempts; ///< ascending attempt_number
};

/// POST /admin/api/logs/cleanup. `days` 0..365 (as the original); 0 deletes every request.
struct CleanupRequest
{
	int64_t days = -1; ///< required
};
struct CleanupResponse
{
	int64_t deleted_count = 0;
	std::string message;
};

/// Usage over a time range, per endpoint (from attempts) or per model (from requests).
struct UsageRow
{
	std::string key;   ///< endpoint id or model
	std::string name;  ///< endpoint name; the model again for model rows
	int64_t requests = 0;
	int64_t successes = 0;
	int64_t failures = 0;
	int64_t latency_p50_ms = 0;
	int64_t latency_p95_ms = 0;
	int64_t latency_p99_ms = 0;
	int64_t input_tokens = 0;
	int64_t output_tokens = 0;
	int64_t cache_creation_tokens = 0;
	int64_t cache_read_tokens = 0;
	double cost_usd = 0;
};

/// One endpoint card of the dashboard: its live runtime state and its persisted totals.
struct EndpointCard
{
	std::string id;
	std::string name;
	std::string url;
	std::string endpoint_type;
	bool enabled = true;
	int priority = 0;
	std::vector<std::string> tags;
	std::string status;            ///< active | open | disabled
	std::string breaker_state;     ///< closed | open
	int consecutive_failures = 0;
	std::string last_failure;
	int64_t last_failure_at_ms = 0;
	int64_t opened_at_ms = 0;
	int64_t active_streams = 0;    ///< in flight now
	int64_t live_requests = 0;     ///< since the service started
	int64_t live_successes = 0;
	int64_t live_failures = 0;
	int64_t total_requests = 0;    ///< persisted totals (across restarts)
	int64_t total_successes = 0;
	int64_t total_failures = 0;
	double success_rate = -1;      ///< successes / (successes + failures), 0..1; -1 when none
	int64_t latency_p50_ms = 0;
	int64_t latency_p95_ms = 0;
	int64_t input_tokens = 0;
	int64_t output_tokens = 0;
	double cost_usd = 0;
};

/// GET /admin/api/dashboard?from=&to= response.
struct DashboardSummary
{
	int64_t from_ms = -1;
	int64_t to_ms = -1;
	int64_t total_requests = 0;    ///< requests in the range
	int64_t failed_requests = 0;   ///< of which outcome != success
	std::vector<EndpointCard> endpoints; ///< config order
	std::vector<UsageRow> by_endpoint;   ///< in the range, most requests first
	std::vector<UsageRow> by_model;
	int64_t storage_bytes = -1;    ///< -1 when the store is unavailable
	std::string storage_backend;   ///< sqlite | postgresql | "" (no store)
};

/// GET /admin/api/timeseries?from=&to=&bucket= response.
struct TimeSeriesBucket
{
	int64_t start_ms = 0;   ///< bucket covers [start_ms, start_ms + bucket_ms)
	int64_t requests = 0;
	int64_t errors = 0;     ///< outcome != success (client cancellations excluded)
	int64_t latency_p50_ms = 0; ///< of request durations; 0 when no requests
	int64_t latency_p95_ms = 0;
	int64_t input_tokens = 0;
	int64_t output_tokens = 0;
	int64_t cache_creation_tokens = 0;
	int64_t cache_read_tokens = 0;
};

struct TimeSeries
{
	int64_t from_ms = 0;
	int64_t to_ms = 0;
	int64_t bucket_ms = 0;
	std::vector<TimeSeriesBucket> buckets; ///< every bucket of the range, oldest first, empty ones included
	int64_t scanned = 0;     ///< requests counted
	bool truncated = false;  ///< the scan stopped at its bound: older buckets are incomplete
};

/// Limits of the time-series route.
inline constexpr int64_t kMaxTimeSeriesBuckets = 1000;
inline constexpr int64_t kMinBucketMs = 1000;

/// Accumulates requests into the buckets of [from_ms, to_ms). Requests outside are ignored.
/// Percentiles are exact (nearest-rank over the durations kept per bucket).
class TimeSeriesBuilder
{
public:
	/// Requires from_ms < to_ms and bucket_ms > 0 (checked by the caller; otherwise no buckets).
	TimeSeriesBuilder(int64_t fromMs, int64_t toMs, int64_t bucketMs);
	void add(int64_t startedAtMs, int64_t durationMs, bool error, const anthropic::Usage & usage);
	TimeSeries finish(bool truncated = false);

private:
	TimeSeries _ts;
	std::vector<std::vector<int64_t>> _durations;
};

/// Nearest-rank percentile (0 < p <= 100) of unsorted values; 0 when empty. Reorders `v`.
int64_t percentileOf(std::vector<int64_t> & v, double p);

/// POST /admin/api/endpoints/test: `endpoint` is an endpoint id or name.
struct TestEndpointRequest
{
	std::string endpoint; ///< required
};
/// The outcome of one minimal request sent through the real attempt path.
struct TestEndpointResult
{
	std::string endpoint_id;
	std::string endpoint_name;
	bool ok = false;          ///< a valid response came back
	int status = 0;           ///< upstream HTTP status; 0 when none (network, timeout)
	int64_t latency_ms = 0;
	std::string outcome;      ///< outcomeName() of the attempt
	std::string verdict;      ///< "valid", or why the response was not accepted
	std::string model;        ///< model sent upstream
};

/// One event of GET /admin/api/events (text/event-stream; the SSE event name is `type`).
struct LiveEvent
{
	std::string type;      ///< "request" | "breaker"
	int64_t at_ms = 0;
	LogSummary request;    ///< type request (no bodies, no headers)
	std::string endpoint_id;   ///< type breaker
	std::string endpoint_name;
	std::string from_state;    ///< closed | open
	std::string to_state;
	std::string reason;

	/// "event: <type>\ndata: <json>\n\n"
	std::string toSse() const;
};

nlohmann::json toJson(const LogsListParams & v);
nlohmann::json toJson(const LogSummary & v);
nlohmann::json toJson(const LogsPage & v);
nlohmann::json toJson(const BodyView & v);
nlohmann::json toJson(const AttemptDetail & v);
nlohmann::json toJson(const LogDetail & v);
nlohmann::json toJson(const CleanupRequest & v);
nlohmann::json toJson(const CleanupResponse & v);
nlohmann::json toJson(const UsageRow & v);
nlohmann::json toJson(const EndpointCard & v);
nlohmann::json toJson(const DashboardSummary & v);
nlohmann::json toJson(const TimeSeriesBucket & v);
nlohmann::json toJson(const TimeSeries & v);
nlohmann::json toJson(const TestEndpointRequest & v);
nlohmann::json toJson(const TestEndpointResult & v);
nlohmann::json toJson(const LiveEvent & v);

bool fromJson(const nlohmann::json & j, LogSummary & out, std::string & error);
bool fromJson(const nlohmann::json & j, LogsPage & out, std::string & error);
bool fromJson(const nlohmann::json & j, BodyView & out, std::string & error);
bool fromJson(const nlohmann::json & j, AttemptDetail & out, std::string & error);
bool fromJson(const nlohmann::json & j, LogDetail & out, std::string & error);
/// `days` is required and must be an integer in 0..365.
bool fromJson(const nlohmann::json & j, CleanupRequest & out, std::string & error);
bool fromJson(const nlohmann::json & j, CleanupResponse & out, std::string & error);
bool fromJson(const nlohmann::json & j, UsageRow & out, std::string & error);
bool fromJson(const nlohmann::json & j, EndpointCard & out, std::string & error);
bool fromJson(const nlohmann::json & j, DashboardSummary & out, std::string & error);
bool fromJson(const nlohmann::json & j, TimeSeriesBucket & out, std::string & error);
bool fromJson(const nlohmann::json & j, TimeSeries & out, std::string & error);
/// `endpoint` is required and non-empty.
bool fromJson(const nlohmann::json & j, TestEndpointRequest & out, std::string & error);
bool fromJson(const nlohmann::json & j, TestEndpointResult & out, std::string & error);
bool fromJson(const nlohmann::json & j, LiveEvent & out, std::string & error);

} // namespace ccc::api
