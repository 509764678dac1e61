#include "store/StoreJson.h"

#include <algorithm>
#include <cstdlib>

namespace ccc::store
{

namespace
{
using ojson = nlohmann::ordered_json;

ojson usage(const anthropic::Usage & u)
{
	return {{"input_tokens", u.input_tokens}, {"output_tokens", u.output_tokens},
		{"cache_creation_input_tokens", u.cache_creation_input_tokens},
		{"cache_read_input_tokens", u.cache_read_input_tokens}};
}

ojson headers(const api::HeaderList & h)
{
	ojson a = ojson::array();
	for (const auto & kv : h)
		a.push_back({sanitizeUtf8(kv.first), sanitizeUtf8(kv.second)});
	return a;
}

ojson body(const api::CapturedBody & b, const BodyInfo & i)
{
	return {{"text", sanitizeUtf8(b.bytes)}, {"size", b.totalSize}, {"truncated", i.truncated}, {"omitted", i.omitted}};
}

bool parseInt(const std::string & s, int64_t & out)
{
	if (s.empty())
		return false;
	char * end = nullptr;
	long long v = std::strtoll(s.c_str(), &end, 10);
	if (!end || *end != '\0')
		return false;
	out = v;
	return true;
}
} // namespace

ojson requestSummaryJson(const StoredRequest & s)
{
	const auto & r = s.rec;
	return {{"id", s.row_id}, {"request_id", r.request_id}, {"started_at_ms", r.started_at_ms},
		{"duration_ms", r.duration_ms}, {"ttfb_ms", r.ttfb_ms}, {"method", r.method}, {"path", r.path},
		{"status", r.status}, {"outcome", api::outcomeName(r.outcome)}, {"error", r.error}, {"streaming", r.streaming},
		{"tags", r.tags}, {"model_requested", r.model_requested}, {"thinking_type", r.thinking_type},
		{"thinking_budget", r.thinking_budget}, {"session_id", r.session_id}, {"user_agent", r.user_agent},
		{"final_endpoint_id", r.final_endpoint_id}, {"final_endpoint_name", r.final_endpoint_name},
		{"usage", usage(r.usage)}, {"cost_usd", r.cost_usd}, {"attempt_count", s.attempt_count},
		{"bodies_shed", s.bodies_shed}, {"request_body_size", r.client_request_body.totalSize},
		{"response_body_size", r.client_response_body.totalSize}};
}

ojson requestDetailJson(const StoredRequest & s)
{
	const auto & r = s.rec;
	ojson j = requestSummaryJson(s);
	j["client_request_headers"] = headers(r.client_request_headers);
	j["client_request_body"] = body(r.client_request_body, s.client_request_body);
	j["client_response_headers"] = headers(r.client_response_headers);
	j["client_response_body"] = body(r.client_response_body, s.client_response_body);
	ojson attempts = ojson::array();
	for (size_t i = 0; i < r.attempts.size(); ++i)
	{
		const auto & a = r.attempts[i];
		BodyInfo reqInfo, respInfo;
		if (i < s.attempt_bodies.size())
		{
			reqInfo = s.attempt_bodies[i].first;
			respInfo = s.attempt_bodies[i].second;
		}
		attempts.push_back({{"attempt_number", a.attempt_number}, {"endpoint_id", a.endpoint_id},
			{"endpoint_name", a.endpoint_name}, {"endpoint_url", a.endpoint_url}, {"started_at_ms", a.started_at_ms},
			{"duration_ms", a.duration_ms}, {"ttfb_ms", a.ttfb_ms}, {"status", a.status},
			{"outcome", api::outcomeName(a.outcome)}, {"error", a.error}, {"streaming", a.streaming},
			{"content_type_override", a.content_type_override}, {"model_sent", a.model_sent}, {"usage", usage(a.usage)},
			{"request_headers", headers(a.request_headers)}, {"request_body", body(a.request_body, reqInfo)},
			{"request_body_same_as_client", reqInfo.same_as_client},
			{"response_headers", headers(a.response_headers)}, {"response_body", body(a.response_body, respInfo)}});
	}
	j["attempts"] = attempts;
	return j;
}

ojson listPageJson(const ListPage & p)
{
	ojson items = ojson::array();
	for (const auto & s : p.items)
		items.push_back(requestSummaryJson(s));
	return {{"items", items}, {"next_cursor", p.next_cursor.empty() ? ojson(nullptr) : ojson(p.next_cursor)}};
}

ojson usageJson(const UsageSummary & u)
{
	return {{"key", u.key}, {"name", u.name}, {"requests", u.requests}, {"successes", u.successes},
		{"failures", u.failures}, {"latency_p50_ms", u.latency_p50_ms}, {"latency_p95_ms", u.latency_p95_ms},
		{"latency_p99_ms", u.latency_p99_ms}, {"input_tokens", u.input_tokens}, {"output_tokens", u.output_tokens},
		{"cache_creation_tokens", u.cache_creation_tokens}, {"cache_read_tokens", u.cache_read_tokens},
		{"cost_usd", u.cost_usd}};
}

ojson endpointStatsJson(const EndpointStats & s)
{
	int64_t decided = s.successes + s.failures;
	return {{"endpoint_id", s.endpoint_id}, {"endpoint_name", s.endpoint_name}, {"requests", s.requests},
		{"successes", s.successes}, {"failures", s.failures}, {"cancelled", s.cancelled}, {"skipped", s.skipped},
		{"success_rate", decided > 0 ? ojson(static_cast<double>(s.successes) / static_cast<double>(decided)) : ojson(nullptr)},
		{"latency_p50_ms", s.latency.percentile(50)}, {"latency_p95_ms", s.latency.percentile(95)},
		{"latency_p99_ms", s.latency.percentile(99)}, {"input_tokens", s.input_tokens},
		{"output_tokens", s.output_tokens}, {"cache_creation_tokens", s.cache_creation_tokens},
		{"cache_read_tokens", s.cache_read_tokens}, {"cost_usd", s.cost_usd},
		{"last_success_at_ms", s.last_success_at_ms}, {"last_failure_at_ms", s.last_failure_at_ms},
		{"last_failure_error", sanitizeUtf8(s.last_failure_error)}, {"updated_at_ms", s.updated_at_ms}};
}

ojson breakerEventJson(const BreakerEvent & e)
{
	return {{"endpoint_id", e.endpoint_id}, {"endpoint_name", e.endpoint_name}, {"at_ms", e.at_ms}, {"state", e.state},
		{"reason", e.reason}};
}

ojson loggerCountersJson(const LoggerCounters & c)
{
	return {{"submitted", c.submitted}, {"written", c.written}, {"filtered", c.filtered},
		{"bodies_shed", c.bodies_shed}, {"records_dropped", c.records_dropped}, {"records_failed", c.records_failed},
		{"spilled", c.spilled}, {"spill_pending", c.spill_pending}, {"spill_bytes", c.spill_bytes},
		{"batches", c.batches}, {"queue_depth", c.queue_depth}, {"queue_bytes", c.queue_bytes},
		{"retention_deleted", c.retention_deleted}, {"retry_backoff_ms", c.retry_backoff_ms},
		{"last_error", sanitizeUtf8(c.last_error)}};
}

ListQuery listQueryFromParams(const std::map<std::string, std::string> & params)
{
	ListQuery q;
	auto get = [&](const char * k) -> std::string {
		auto it = params.find(k);
		return it == params.end() ? std::string() : it->second;
	};
	int64_t v = 0;
	if (parseInt(get("from"), v))
		q.filter.from_ms = v;
	if (parseInt(get("to"), v))
		q.filter.to_ms = v;
	if (parseInt(get("limit"), v))
		q.limit = static_cast<int>(std::max<int64_t>(1, std::min<int64_t>(v, 1000)));
	q.filter.endpoint_id = get("endpoint");
	q.filter.model = get("model");
	q.filter.status_class = get("status");
	q.filter.tag = get("tag");
	q.filter.session_id = get("session");
	q.filter.text = get("q");
	q.filter.request_id = get("request_id");
	q.cursor = get("cursor");
	return q;
}

} // namespace ccc::store
