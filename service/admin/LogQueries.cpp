#include "admin/LogQueries.h"

#include <algorithm>

namespace ccc::admin
{

namespace
{
api::BodyView bodyView(const api::CapturedBody & b, const store::BodyInfo & i)
{
	return {b.bytes, b.totalSize, i.truncated, i.omitted};
}
} // namespace

api::LogSummary summaryOf(const store::StoredRequest & s)
{
	api::LogSummary out = api::LogSummary::fromRecord(s.rec);
	out.id = s.row_id;
	// list() rows carry no attempts, only their count.
	out.attempt_count = s.rec.attempts.empty() ? s.attempt_count : static_cast<int>(s.rec.attempts.size());
	out.bodies_shed = s.bodies_shed;
	return out;
}

api::LogDetail detailOf(const store::StoredRequest & s)
{
	const auto & r = s.rec;
	api::LogDetail d;
	d.summary = summaryOf(s);
	d.client_request_headers = r.client_request_headers;
	d.client_request_body = bodyView(r.client_request_body, s.client_request_body);
	d.client_response_headers = r.client_response_headers;
	d.client_response_body = bodyView(r.client_response_body, s.client_response_body);
	for (size_t i = 0; i < r.attempts.size(); ++i)
	{
		const auto & a = r.attempts[i];
		store::BodyInfo reqInfo, respInfo;
		if (i < s.attempt_bodies.size())
		{
			reqInfo = s.attempt_bodies[i].first;
			respInfo = s.attempt_bodies[i].second;
		}
		api::AttemptDetail ad;
		ad.attempt_number = a.attempt_number;
		ad.endpoint_id = a.endpoint_id;
		ad.endpoint_name = a.endpoint_name;
		ad.endpoint_url = a.endpoint_url;
		ad.started_at_ms = a.started_at_ms;
		ad.duration_ms = a.duration_ms;
		ad.ttfb_ms = a.ttfb_ms;
		ad.status = a.status;
		ad.outcome = api::outcomeName(a.outcome);
		ad.error = a.error;
		ad.streaming = a.streaming;
		ad.content_type_override = a.content_type_override;
		ad.model_sent = a.model_sent;
		ad.usage = a.usage;
		ad.request_headers = a.request_headers;
		ad.request_body = bodyView(a.request_body, reqInfo);
		ad.request_body_same_as_client = reqInfo.same_as_client;
		ad.response_headers = a.response_headers;
		ad.response_body = bodyView(a.response_body, respInfo);
		d.attempts.push_back(std::move(ad));
	}
	return d;
}

api::UsageRow usageRowOf(const store::UsageSummary & u)
{
	api::UsageRow r;
	r.key = u.key;
	r.name = u.name;
	r.requests = u.requests;
	r.successes = u.successes;
	r.failures = u.failures;
	r.latency_p50_ms = u.latency_p50_ms;
	r.latency_p95_ms = u.latency_p95_ms;
	r.latency_p99_ms = u.latency_p99_ms;
	r.input_tokens = u.input_tokens;
	r.output_tokens = u.output_tokens;
	r.cache_creation_tokens = u.cache_creation_tokens;
	r.cache_read_tokens = u.cache_read_tokens;
	r.cost_usd = u.cost_usd;
	return r;
}

store::ListQuery listQueryOf(const api::LogsListParams & p)
{
	store::ListQuery q;
	q.filter.from_ms = p.from_ms;
	q.filter.to_ms = p.to_ms;
	q.filter.endpoint_id = p.endpoint;
	q.filter.model = p.model;
	q.filter.status_class = p.status;
	q.filter.tag = p.tag;
	q.filter.session_id = p.session;
	q.filter.text = p.q;
	q.filter.request_id = p.request_id;
	q.limit = p.limit;
	q.cursor = p.cursor;
	return q;
}

api::TimeSeries scanTimeSeries(store::LogStore & store, int64_t fromMs, int64_t toMs, int64_t bucketMs, int64_t maxRows)
{
	api::TimeSeriesBuilder builder(fromMs, toMs, bucketMs);
	store::ListQuery q;
	q.filter.from_ms = fromMs;
	q.filter.to_ms = toMs;
	q.limit = 1000;
	int64_t seen = 0;
	bool truncated = false;
	while (true)
	{
		store::ListPage page = store.list(q);
		for (const auto & s : page.items)
		{
			if (seen >= maxRows)
			{
				truncated = true;
				break;
			}
			++seen;
			const auto & r = s.rec;
			const bool error = r.outcome != api::Outcome::Success && r.outcome != api::Outcome::ClientCancelled;
			builder.add(r.started_at_ms, r.duration_ms, error, r.usage);
		}
		if (truncated || page.next_cursor.empty())
			break;
		q.cursor = page.next_cursor;
	}
	return builder.finish(truncated);
}

} // namespace ccc::admin
