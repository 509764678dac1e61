#include "ccc/api/admin_logs.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>

namespace ccc::api
{

namespace
{
using json = nlohmann::json;

// Tolerant readers: a missing key or null keeps the default; a present value of the wrong type is
// an error naming the key. None of them throws.
class Reader
{
public:
	Reader(const json & j, std::string & error) : _j(j), _error(error)
	{
		if (!_j.is_object())
			fail("", "expected an object");
	}

	bool ok() const { return _ok; }

	void str(const char * key, std::string & out)
	{
		const json * v = find(key);
		if (!v)
			return;
		if (!v->is_string())
			return fail(key, "expected a string");
		out = v->get_ref<const std::string &>();
	}

	template <typename Int>
	void integer(const char * key, Int & out)
	{
		const json * v = find(key);
		if (!v)
			return;
		if (v->is_number_integer())
			out = static_cast<Int>(v->get<int64_t>());
		else if (v->is_number_float() && std::floor(v->get<double>()) == v->get<double>())
			out = static_cast<Int>(v->get<double>());
		else
			fail(key, "expected an integer");
	}

	void number(const char * key, double & out)
	{
		const json * v = find(key);
		if (!v)
			return;
		if (!v->is_number())
			return fail(key, "expected a number");
		out = v->get<double>();
	}

	void boolean(const char * key, bool & out)
	{
		const json * v = find(key);
		if (!v)
			return;
		if (!v->is_boolean())
			return fail(key, "expected a boolean");
		out = v->get<bool>();
	}

	void strings(const char * key, std::vector<std::string> & out)
	{
		const json * v = find(key);
		if (!v)
			return;
		if (!v->is_array())
			return fail(key, "expected an array of strings");
		out.clear();
		for (const auto & e : *v)
		{
			if (!e.is_string())
				return fail(key, "expected an array of strings");
			out.push_back(e.get<std::string>());
		}
	}

	void headers(const char * key, HeaderList & out)
	{
		const json * v = find(key);
		if (!v)
			return;
		if (!v->is_array())
			return fail(key, "expected an array of [name, value] pairs");
		out.clear();
		for (const auto & e : *v)
		{
			if (!e.is_array() || e.size() != 2 || !e[0].is_string() || !e[1].is_string())
				return fail(key, "expected an array of [name, value] pairs");
			out.emplace_back(e[0].get<std::string>(), e[1].get<std::string>());
		}
	}

	void usage(const char * key, anthropic::Usage & out)
	{
		const json * v = find(key);
		if (!v)
			return;
		std::string sub;
		Reader r(*v, sub);
		r.integer("input_tokens", out.input_tokens);
		r.integer("output_tokens", out.output_tokens);
		r.integer("cache_creation_input_tokens", out.cache_creation_input_tokens);
		r.integer("cache_read_input_tokens", out.cache_read_input_tokens);
		if (!r.ok())
			fail(key, sub);
	}

	/// A nested object read by one of the fromJson overloads.
	template <typename T>
	void object(const char * key, T & out)
	{
		const json * v = find(key);
		if (!v)
			return;
		std::string sub;
		if (!fromJson(*v, out, sub))
			fail(key, sub);
	}

	template <typename T>
	void list(const char * key, std::vector<T> & out)
	{
		const json * v = find(key);
		if (!v)
			return;
		if (!v->is_array())
			return fail(key, "expected an array");
		out.clear();
		for (size_t i = 0; i < v->size(); ++i)
		{
			T item;
			std::string sub;
			if (!fromJson((*v)[i], item, sub))
				return fail((std::string(key) + "[" + std::to_string(i) + "]").c_str(), sub);
			out.push_back(std::move(item));
		}
	}

	void fail(const std::string & key, const std::string & why)
	{
		if (!_ok)
			return;
		_ok = false;
		_error = key.empty() ? why : (why.empty() || why[0] == '.' || why[0] == '[' ? key + why : key + ": " + why);
	}

private:
	const json * find(const char * key) const
	{
		if (!_ok || !_j.is_object())
			return nullptr;
		auto it = _j.find(key);
		if (it == _j.end() || it->is_null())
			return nullptr;
		return &*it;
	}

	const json & _j;
	std::string & _error;
	bool _ok = true;
};

json usageJson(const anthropic::Usage & u)
{
	return {{"input_tokens", u.input_tokens}, {"output_tokens", u.output_tokens},
		{"cache_creation_input_tokens", u.cache_creation_input_tokens},
		{"cache_read_input_tokens", u.cache_read_input_tokens}};
}

json headersJson(const HeaderList & h)
{
	json a = json::array();
	for (const auto & kv : h)
		a.push_back(json::array({kv.first, kv.second}));
	return a;
}

bool parseInt64(const std::string & s, int64_t & out)
{
	if (s.empty() || s.size() > 19)
		return false;
	size_t i = s[0] == '-' ? 1 : 0;
	if (i == s.size())
		return false;
	for (size_t k = i; k < s.size(); ++k)
		if (s[k] < '0' || s[k] > '9')
			return false;
	errno = 0;
	long long v = std::strtoll(s.c_str(), nullptr, 10);
	if (errno == ERANGE)
		return false;
	out = v;
	return true;
}

int64_t tokens(int64_t v)
{
	return v > 0 ? v : 0;
}

template <typename T>
json listJson(const std::vector<T> & v)
{
	json a = json::array();
	for (const auto & e : v)
		a.push_back(toJson(e));
	return a;
}

} // namespace

bool isValidStatusClass(const std::string & s)
{
	return s.empty() || s == "2xx" || s == "3xx" || s == "4xx" || s == "5xx" || s == "failed" || s == "success";
}

bool LogsListParams::fromQuery(const std::map<std::string, std::string> & params, LogsListParams & out, std::string & badParam,
	std::string & message)
{
	LogsListParams p;
	auto get = [&](const char * k, std::string & v) {
		auto it = params.find(k);
		if (it == params.end())
			return false;
		v = it->second;
		return true;
	};
	auto bad = [&](const char * k, const std::string & why) {
		badParam = k;
		message = why;
		return false;
	};
	std::string v;
	if (get("from", v) && !v.empty() && (!parseInt64(v, p.from_ms) || p.from_ms < 0))
		return bad("from", "from must be a non-negative integer (unix epoch milliseconds)");
	if (get("to", v) && !v.empty() && (!parseInt64(v, p.to_ms) || p.to_ms < 0))
		return bad("to", "to must be a non-negative integer (unix epoch milliseconds)");
	if (p.from_ms >= 0 && p.to_ms >= 0 && p.to_ms <= p.from_ms)
		return bad("to", "to must be later than from");
	if (get("limit", v) && !v.empty())
	{
		int64_t l = 0;
		if (!parseInt64(v, l) || l < 1 || l > 1000)
			return bad("limit", "limit must be an integer in 1..1000");
		p.limit = static_cast<int>(l);
	}
	get("endpoint", p.endpoint);
	get("model", p.model);
	if (get("status", p.status) && !isValidStatusClass(p.status))
		return bad("status", "status must be one of 2xx, 3xx, 4xx, 5xx, failed, success");
	get("tag", p.tag);
	get("session", p.session);
	get("q", p.q);
	get("request_id", p.request_id);
	if (get("cursor", p.cursor) && !p.cursor.empty())
	{
		// "<started_at_ms>:<row id>", as next_cursor gives it.
		size_t colon = p.cursor.find(':');
		int64_t a = 0, b = 0;
		if (colon == std::string::npos || !parseInt64(p.cursor.substr(0, colon), a) || !parseInt64(p.cursor.substr(colon + 1), b))
			return bad("cursor", "cursor must be a next_cursor value of a previous page");
	}
	out = std::move(p);
	return true;
}

std::map<std::string, std::string> LogsListParams::toQuery() const
{
	std::map<std::string, std::string> m;
	if (from_ms >= 0)
		m["from"] = std::to_string(from_ms);
	if (to_ms >= 0)
		m["to"] = std::to_string(to_ms);
	auto put = [&](const char * k, const std::string & v) {
		if (!v.empty())
			m[k] = v;
	};
	put("endpoint", endpoint);
	put("model", model);
	put("status", status);
	put("tag", tag);
	put("session", session);
	put("q", q);
	put("request_id", request_id);
	put("cursor", cursor);
	if (limit != 100)
		m["limit"] = std::to_string(limit);
	return m;
}

LogSummary LogSummary::fromRecord(const RequestRecord & r)
{
	LogSummary s;
	s.request_id = r.request_id;
	s.started_at_ms = r.started_at_ms;
	s.duration_ms = r.duration_ms;
	s.ttfb_ms = r.ttfb_ms;
	s.method = r.method;
	s.path = r.path;
	s.status = r.status;
	s.outcome = outcomeName(r.outcome);
	s.error = r.error;
	s.streaming = r.streaming;
	s.tags = r.tags;
	s.model_requested = r.model_requested;
	s.thinking_type = r.thinking_type;
	s.thinking_budget = r.thinking_budget;
	s.session_id = r.session_id;
	s.user_agent = r.user_agent;
	s.final_endpoint_id = r.final_endpoint_id;
	s.final_endpoint_name = r.final_endpoint_name;
	s.usage = r.usage;
	s.cost_usd = r.cost_usd;
	s.attempt_count = static_cast<int>(r.attempts.size());
	s.request_body_size = r.client_request_body.totalSize;
	s.response_body_size = r.client_response_body.totalSize;
	return s;
}

int64_t percentileOf(std::vector<int64_t> & v, double p)
{
	if (v.empty() || !(p > 0))
		return 0;
	if (p > 100)
		p = 100;
	// Nearest rank: the smallest value with at least p% of the values at or below it.
	size_t rank = static_cast<size_t>(std::ceil(p / 100.0 * static_cast<double>(v.size())));
	if (rank < 1)
		rank = 1;
	auto nth = v.begin() + static_cast<std::ptrdiff_t>(rank - 1);
	std::nth_element(v.begin(), nth, v.end());
	return *nth;
}

TimeSeriesBuilder::TimeSeriesBuilder(int64_t fromMs, int64_t toMs, int64_t bucketMs)
{
	_ts.from_ms = fromMs;
	_ts.to_ms = toMs;
	_ts.bucket_ms = bucketMs;
	if (bucketMs <= 0 || toMs <= fromMs)
		return;
	int64_t n = (toMs - fromMs + bucketMs - 1) / bucketMs;
	if (n > kMaxTimeSeriesBuckets)
		n = kMaxTimeSeriesBuckets; // callers validate; this only bounds memory
	_ts.buckets.resize(static_cast<size_t>(n));
	_durations.resize(static_cast<size_t>(n));
	for (int64_t i = 0; i < n; ++i)
		_ts.buckets[static_cast<size_t>(i)].start_ms = fromMs + i * bucketMs;
}

void TimeSeriesBuilder::add(int64_t startedAtMs, int64_t durationMs, bool error, const anthropic::Usage & usage)
{
	if (_ts.buckets.empty() || startedAtMs < _ts.from_ms || startedAtMs >= _ts.to_ms)
		return;
	size_t i = static_cast<size_t>((startedAtMs - _ts.from_ms) / _ts.bucket_ms);
	if (i >= _ts.buckets.size())
		return;
	TimeSeriesBucket & b = _ts.buckets[i];
	b.requests++;
	b.errors += error ? 1 : 0;
	b.input_tokens += tokens(usage.input_tokens);
	b.output_tokens += tokens(usage.output_tokens);
	b.cache_creation_tokens += tokens(usage.cache_creation_input_tokens);
	b.cache_read_tokens += tokens(usage.cache_read_input_tokens);
	_durations[i].push_back(durationMs < 0 ? 0 : durationMs);
	_ts.scanned++;
}

TimeSeries TimeSeriesBuilder::finish(bool truncated)
{
	for (size_t i = 0; i < _ts.buckets.size(); ++i)
	{
		_ts.buckets[i].latency_p50_ms = percentileOf(_durations[i], 50);
		_ts.buckets[i].latency_p95_ms = percentileOf(_durations[i], 95);
	}
	_ts.truncated = truncated;
	return _ts;
}

std::string LiveEvent::toSse() const
{
	const std::string data = toJson(*this).dump(-1, ' ', false, json::error_handler_t::replace);
	return "event: " + type + "\ndata: " + data + "\n\n";
}

// ---- toJson ----

json toJson(const LogsListParams & v)
{
	json j = json::object();
	for (const auto & kv : v.toQuery())
		j[kv.first] = kv.second;
	return j;
}

json toJson(const LogSummary & v)
{
	return {{"id", v.id}, {"request_id", v.request_id}, {"started_at_ms", v.started_at_ms}, {"duration_ms", v.duration_ms},
		{"ttfb_ms", v.ttfb_ms}, {"method", v.method}, {"path", v.path}, {"status", v.status}, {"outcome", v.outcome},
		{"error", v.error}, {"streaming", v.streaming}, {"tags", v.tags}, {"model_requested", v.model_requested},
		{"thinking_type", v.thinking_type}, {"thinking_budget", v.thinking_budget}, {"session_id", v.session_id},
		{"user_agent", v.user_agent}, {"final_endpoint_id", v.final_endpoint_id},
		{"final_endpoint_name", v.final_endpoint_name}, {"usage", usageJson(v.usage)}, {"cost_usd", v.cost_usd},
		{"attempt_count", v.attempt_count}, {"bodies_shed", v.bodies_shed}, {"request_body_size", v.request_body_size},
		{"response_body_size", v.response_body_size}};
}

json toJson(const LogsPage & v)
{
	return {{"items", listJson(v.items)}, {"next_cursor", v.next_cursor.empty() ? json(nullptr) : json(v.next_cursor)}};
}

json toJson(const BodyView & v)
{
	return {{"text", v.text}, {"size", v.size}, {"truncated", v.truncated}, {"omitted", v.omitted}};
}

json toJson(const AttemptDetail & a)
{
	return {{"attempt_number", a.attempt_number}, {"endpoint_id", a.endpoint_id}, {"endpoint_name", a.endpoint_name},
		{"endpoint_url", a.endpoint_url}, {"started_at_ms", a.started_at_ms}, {"duration_ms", a.duration_ms},
		{"ttfb_ms", a.ttfb_ms}, {"status", a.status}, {"outcome", a.outcome}, {"error", a.error},
		{"streaming", a.streaming}, {"content_type_override", a.content_type_override}, {"model_sent", a.model_sent},
		{"usage", usageJson(a.usage)}, {"request_headers", headersJson(a.request_headers)},
		{"request_body", toJson(a.request_body)}, {"request_body_same_as_client", a.request_body_same_as_client},
		{"response_headers", headersJson(a.response_headers)}, {"response_body", toJson(a.response_body)}};
}

json toJson(const LogDetail & v)
{
	json j = toJson(v.summary);
	j["client_request_headers"] = headersJson(v.client_request_headers);
	j["client_request_body"] = toJson(v.client_request_body);
	j["client_response_headers"] = headersJson(v.client_response_headers);
	j["client_response_body"] = toJson(v.client_response_body);
	j["attempts"] = listJson(v.attempts);
	return j;
}

json toJson(const CleanupRequest & v)
{
	return {{"days", v.days}};
}

json toJson(const CleanupResponse & v)
{
	return {{"deleted_count", v.deleted_count}, {"message", v.message}};
}

json toJson(const UsageRow & v)
{
	return {{"key", v.key}, {"name", v.name}, {"requests", v.requests}, {"successes", v.successes},
		{"failures", v.failures}, {"latency_p50_ms", v.latency_p50_ms}, {"latency_p95_ms", v.latency_p95_ms},
		{"latency_p99_ms", v.latency_p99_ms}, {"input_tokens", v.input_tokens}, {"output_tokens", v.output_tokens},
		{"cache_creation_tokens", v.cache_creation_tokens}, {"cache_read_tokens", v.cache_read_tokens},
		{"cost_usd", v.cost_usd}};
}

json toJson(const EndpointCard & v)
{
	return {{"id", v.id}, {"name", v.name}, {"url", v.url}, {"endpoint_type", v.endpoint_type}, {"enabled", v.enabled},
		{"priority", v.priority}, {"tags", v.tags}, {"status", v.status}, {"breaker_state", v.breaker_state},
		{"consecutive_failures", v.consecutive_failures}, {"last_failure", v.last_failure},
		{"last_failure_at_ms", v.last_failure_at_ms}, {"opened_at_ms", v.opened_at_ms},
		{"active_streams", v.active_streams}, {"live_requests", v.live_requests}, {"live_successes", v.live_successes},
		{"live_failures", v.live_failures}, {"total_requests", v.total_requests},
		{"total_successes", v.total_successes}, {"total_failures", v.total_failures},
		{"success_rate", v.success_rate < 0 ? json(nullptr) : json(v.success_rate)},
		{"latency_p50_ms", v.latency_p50_ms}, {"latency_p95_ms", v.latency_p95_ms}, {"input_tokens", v.input_tokens},
		{"output_tokens", v.output_tokens}, {"cost_usd", v.cost_usd}};
}

json toJson(const DashboardSummary & v)
{
	return {{"from_ms", v.from_ms}, {"to_ms", v.to_ms}, {"total_requests", v.total_requests},
		{"failed_requests", v.failed_requests}, {"endpoints", listJson(v.endpoints)},
		{"by_endpoint", listJson(v.by_endpoint)}, {"by_model", listJson(v.by_model)},
		{"storage_bytes", v.storage_bytes}, {"storage_backend", v.storage_backend}};
}

json toJson(const TimeSeriesBucket & v)
{
	return {{"start_ms", v.start_ms}, {"requests", v.requests}, {"errors", v.errors},
		{"latency_p50_ms", v.latency_p50_ms}, {"latency_p95_ms", v.latency_p95_ms}, {"input_tokens", v.input_tokens},
		{"output_tokens", v.output_tokens}, {"cache_creation_tokens", v.cache_creation_tokens},
		{"cache_read_tokens", v.cache_read_tokens}};
}

json toJson(const TimeSeries & v)
{
	return {{"from_ms", v.from_ms}, {"to_ms", v.to_ms}, {"bucket_ms", v.bucket_ms}, {"buckets", listJson(v.buckets)},
		{"scanned", v.scanned}, {"truncated", v.truncated}};
}

json toJson(const TestEndpointRequest & v)
{
	return {{"endpoint", v.endpoint}};
}

json toJson(const TestEndpointResult & v)
{
	return {{"endpoint_id", v.endpoint_id}, {"endpoint_name", v.endpoint_name}, {"ok", v.ok}, {"status", v.status},
		{"latency_ms", v.latency_ms}, {"outcome", v.outcome}, {"verdict", v.verdict}, {"model", v.model}};
}

json toJson(const LiveEvent & v)
{
	json j = {{"type", v.type}, {"at_ms", v.at_ms}};
	if (v.type == "request")
		j["request"] = toJson(v.request);
	else
	{
		j["endpoint_id"] = v.endpoint_id;
		j["endpoint_name"] = v.endpoint_name;
		j["from_state"] = v.from_state;
		j["to_state"] = v.to_state;
		j["reason"] = v.reason;
	}
	return j;
}

// ---- fromJson ----

bool fromJson(const json & j, LogSummary & out, std::string & error)
{
	LogSummary v;
	Reader r(j, error);
	r.integer("id", v.id);
	r.str("request_id", v.request_id);
	r.integer("started_at_ms", v.started_at_ms);
	r.integer("duration_ms", v.duration_ms);
	r.integer("ttfb_ms", v.ttfb_ms);
	r.str("method", v.method);
	r.str("path", v.path);
	r.integer("status", v.status);
	r.str("outcome", v.outcome);
	r.str("error", v.error);
	r.boolean("streaming", v.streaming);
	r.strings("tags", v.tags);
	r.str("model_requested", v.model_requested);
	r.str("thinking_type", v.thinking_type);
	r.integer("thinking_budget", v.thinking_budget);
	r.str("session_id", v.session_id);
	r.str("user_agent", v.user_agent);
	r.str("final_endpoint_id", v.final_endpoint_id);
	r.str("final_endpoint_name", v.final_endpoint_name);
	r.usage("usage", v.usage);
	r.number("cost_usd", v.cost_usd);
	r.integer("attempt_count", v.attempt_count);
	r.boolean("bodies_shed", v.bodies_shed);
	r.integer("request_body_size", v.request_body_size);
	r.integer("response_body_size", v.response_body_size);
	if (!r.ok())
		return false;
	out = std::move(v);
	return true;
}

bool fromJson(const json & j, LogsPage & out, std::string & error)
{
	LogsPage v;
	Reader r(j, error);
	r.list("items", v.items);
	r.str("next_cursor", v.next_cursor);
	if (!r.ok())
		return false;
	out = std::move(v);
	return true;
}

bool fromJson(const json & j, BodyView & out, std::string & error)
{
	BodyView v;
	Reader r(j, error);
	r.str("text", v.text);
	r.integer("size", v.size);
	r.boolean("truncated", v.truncated);
	r.boolean("omitted", v.omitted);
	if (!r.ok())
		return false;
	out = std::move(v);
	return true;
}

bool fromJson(const json & j, AttemptDetail & out, std::string & error)
{
	AttemptDetail v;
	Reader r(j, error);
	r.integer("attempt_number", v.attempt_number);
	r.str("endpoint_id", v.endpoint_id);
	r.str("endpoint_name", v.endpoint_name);
	r.str("endpoint_url", v.endpoint_url);
	r.integer("started_at_ms", v.started_at_ms);
	r.integer("duration_ms", v.duration_ms);
	r.integer("ttfb_ms", v.ttfb_ms);
	r.integer("status", v.status);
	r.str("outcome", v.outcome);
	r.str("error", v.error);
	r.boolean("streaming", v.streaming);
	r.str("content_type_override", v.content_type_override);
	r.str("model_sent", v.model_sent);
	r.usage("usage", v.usage);
	r.headers("request_headers", v.request_headers);
	r.object("request_body", v.request_body);
	r.boolean("request_body_same_as_client", v.request_body_same_as_client);
	r.headers("response_headers", v.response_headers);
	r.object("response_body", v.response_body);
	if (!r.ok())
		return false;
	out = std::move(v);
	return true;
}

bool fromJson(const json & j, LogDetail & out, std::string & error)
{
	LogDetail v;
	if (!fromJson(j, v.summary, error))
		return false;
	Reader r(j, error);
	r.headers("client_request_headers", v.client_request_headers);
	r.object("client_request_body", v.client_request_body);
	r.headers("client_response_headers", v.client_response_headers);
	r.object("client_response_body", v.client_response_body);
	r.list("attempts", v.attempts);
	if (!r.ok())
		return false;
	out = std::move(v);
	return true;
}

bool fromJson(const json & j, CleanupRequest & out, std::string & error)
{
	CleanupRequest v;
	Reader r(j, error);
	if (r.ok() && (!j.contains("days") || j["days"].is_null()))
		r.fail("days", "required (0..365; 0 deletes every request)");
	r.integer("days", v.days);
	if (r.ok() && (v.days < 0 || v.days > 365))
		r.fail("days", "must be in 0..365");
	if (!r.ok())
		return false;
	out = v;
	return true;
}

bool fromJson(const json & j, CleanupResponse & out, std::string & error)
{
	CleanupResponse v;
	Reader r(j, error);
	r.integer("deleted_count", v.deleted_count);
	r.str("message", v.message);
	if (!r.ok())
		return false;
	out = std::move(v);
	return true;
}

bool fromJson(const json & j, UsageRow & out, std::string & error)
{
	UsageRow v;
	Reader r(j, error);
	r.str("key", v.key);
	r.str("name", v.name);
	r.integer("requests", v.requests);
	r.integer("successes", v.successes);
	r.integer("failures", v.failures);
	r.integer("latency_p50_ms", v.latency_p50_ms);
	r.integer("latency_p95_ms", v.latency_p95_ms);
	r.integer("latency_p99_ms", v.latency_p99_ms);
	r.integer("input_tokens", v.input_tokens);
	r.integer("output_tokens", v.output_tokens);
	r.integer("cache_creation_tokens", v.cache_creation_tokens);
	r.integer("cache_read_tokens", v.cache_read_tokens);
	r.number("cost_usd", v.cost_usd);
	if (!r.ok())
		return false;
	out = std::move(v);
	return true;
}

bool fromJson(const json & j, EndpointCard & out, std::string & error)
{
	EndpointCard v;
	Reader r(j, error);
	r.str("id", v.id);
	r.str("name", v.name);
	r.str("url", v.url);
	r.str("endpoint_type", v.endpoint_type);
	r.boolean("enabled", v.enabled);
	r.integer("priority", v.priority);
	r.strings("tags", v.tags);
	r.str("status", v.status);
	r.str("breaker_state", v.breaker_state);
	r.integer("consecutive_failures", v.consecutive_failures);
	r.str("last_failure", v.last_failure);
	r.integer("last_failure_at_ms", v.last_failure_at_ms);
	r.integer("opened_at_ms", v.opened_at_ms);
	r.integer("active_streams", v.active_streams);
	r.integer("live_requests", v.live_requests);
	r.integer("live_successes", v.live_successes);
	r.integer("live_failures", v.live_failures);
	r.integer("total_requests", v.total_requests);
	r.integer("total_successes", v.total_successes);
	r.integer("total_failures", v.total_failures);
	r.number("success_rate", v.success_rate);
	r.integer("latency_p50_ms", v.latency_p50_ms);
	r.integer("latency_p95_ms", v.latency_p95_ms);
	r.integer("input_tokens", v.input_tokens);
	r.integer("output_tokens", v.output_tokens);
	r.number("cost_usd", v.cost_usd);
	if (!r.ok())
		return false;
	out = std::move(v);
	return true;
}

bool fromJson(const json & j, DashboardSummary & out, std::string & error)
{
	DashboardSummary v;
	Reader r(j, error);
	r.integer("from_ms", v.from_ms);
	r.integer("to_ms", v.to_ms);
	r.integer("total_requests", v.total_requests);
	r.integer("failed_requests", v.failed_requests);
	r.list("endpoints", v.endpoints);
	r.list("by_endpoint", v.by_endpoint);
	r.list("by_model", v.by_model);
	r.integer("storage_bytes", v.storage_bytes);
	r.str("storage_backend", v.storage_backend);
	if (!r.ok())
		return false;
	out = std::move(v);
	return true;
}

bool fromJson(const json & j, TimeSeriesBucket & out, std::string & error)
{
	TimeSeriesBucket v;
	Reader r(j, error);
	r.integer("start_ms", v.start_ms);
	r.integer("requests", v.requests);
	r.integer("errors", v.errors);
	r.integer("latency_p50_ms", v.latency_p50_ms);
	r.integer("latency_p95_ms", v.latency_p95_ms);
	r.integer("input_tokens", v.input_tokens);
	r.integer("output_tokens", v.output_tokens);
	r.integer("cache_creation_tokens", v.cache_creation_tokens);
	r.integer("cache_read_tokens", v.cache_read_tokens);
	if (!r.ok())
		return false;
	out = v;
	return true;
}

bool fromJson(const json & j, TimeSeries & out, std::string & error)
{
	TimeSeries v;
	Reader r(j, error);
	r.integer("from_ms", v.from_ms);
	r.integer("to_ms", v.to_ms);
	r.integer("bucket_ms", v.bucket_ms);
	r.list("buckets", v.buckets);
	r.integer("scanned", v.scanned);
	r.boolean("truncated", v.truncated);
	if (!r.ok())
		return false;
	out = std::move(v);
	return true;
}

bool fromJson(const json & j, TestEndpointRequest & out, std::string & error)
{
	TestEndpointRequest v;
	Reader r(j, error);
	r.str("endpoint", v.endpoint);
	if (r.ok() && v.endpoint.empty())
		r.fail("endpoint", "required: an endpoint id or name");
	if (!r.ok())
		return false;
	out = std::move(v);
	return true;
}

bool fromJson(const json & j, TestEndpointResult & out, std::string & error)
{
	TestEndpointResult v;
	Reader r(j, error);
	r.str("endpoint_id", v.endpoint_id);
	r.str("endpoint_name", v.endpoint_name);
	r.boolean("ok", v.ok);
	r.integer("status", v.status);
	r.integer("latency_ms", v.latency_ms);
	r.str("outcome", v.outcome);
	r.str("verdict", v.verdict);
	r.str("model", v.model);
	if (!r.ok())
		return false;
	out = std::move(v);
	return true;
}

bool fromJson(const json & j, LiveEvent & out, std::string & error)
{
	LiveEvent v;
	Reader r(j, error);
	r.str("type", v.type);
	r.integer("at_ms", v.at_ms);
	r.object("request", v.request);
	r.str("endpoint_id", v.endpoint_id);
	r.str("endpoint_name", v.endpoint_name);
	r.str("from_state", v.from_state);
	r.str("to_state", v.to_state);
	r.str("reason", v.reason);
	if (r.ok() && v.type != "request" && v.type != "breaker")
		r.fail("type", "must be request or breaker");
	if (!r.ok())
		return false;
	out = std::move(v);
	return true;
}

} // namespace ccc::api
