// The admin API's logs, dashboard and live half against the real binary: list filters and keyset
// pagination, detail, export ZIP, cleanup, dashboard, time series, test endpoint and the SSE event
// stream (request and breaker events, heartbeats, prompt end on stop).
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <set>
#include <thread>

#include <Poco/Exception.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/URI.h>
#include <nlohmann/json.hpp>

#include "AnthropicFixtures.h"
#include "FakeUpstream.h"
#include "HttpStream.h"
#include "ServiceProcess.h"
#include "ccc/api/admin_logs.h"

using namespace ccc::test;
using nlohmann::json;

namespace
{

std::string configFor(const std::vector<std::pair<std::string, std::string>> & eps, const std::string & more = "")
{
	std::string y = "server:\n  host: 127.0.0.1\n  port: ${PORT}\nlogging:\n  log_directory: ${DIR}/logs\n  level: warn\n"
					"  log_request_body: full\n  log_response_body: full\n"
					"timeouts:\n  response_header: 2s\n  stream_idle: 5s\n  check_interval: 1h\n"
					"failover:\n  retry_delay: 10ms\n"
					"endpoints:\n";
	int priority = 1;
	for (const auto & e : eps)
		y += "  - name: " + e.first + "\n    url: " + e.second + "\n    auth_type: api_key\n    auth_value: sk-test-secret-" + e.first
			+ "\n    priority: " + std::to_string(priority++) + "\n";
	return y + more;
}

std::map<std::string, std::string> anthropicHeaders()
{
	return {{"content-type", "application/json"}, {"anthropic-version", "2023-06-01"}, {"x-api-key", "client-key"}};
}

std::string messageBody(const std::string & model, bool stream = true, const std::string & userId = "")
{
	json b = {{"model", model}, {"max_tokens", 64}, {"stream", stream}, {"messages", {{{"role", "user"}, {"content", "hi"}}}}};
	if (!userId.empty())
		b["metadata"] = {{"user_id", userId}};
	return b.dump();
}

StreamedResponse post(const ServiceProcess & svc, const std::string & body)
{
	return streamRequest(svc.port(), "POST", "/v1/messages", body, anthropicHeaders(), 30000);
}

json getJson(const ServiceProcess & svc, const std::string & target, int expectStatus = 200)
{
	HttpResult r = httpRequest(svc.port(), "GET", target);
	EXPECT_EQ(r.status, expectStatus) << target << ": " << r.body;
	json j = json::parse(r.body, nullptr, false);
	EXPECT_FALSE(j.is_discarded()) << target << ": " << r.body;
	return j;
}

/// Mutating admin requests carry a same-origin Origin header (the admin's CSRF rule on loopback).
HttpResult postJson(const ServiceProcess & svc, const std::string & target, const std::string & body)
{
	return httpRequest(svc.port(), "POST", target, body, {{"content-type", "application/json"}, {"origin", svc.baseUrl()}});
}

int64_t nowMs()
{
	return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

/// Polls the list until it holds `n` requests (the log writer commits asynchronously).
bool waitForLogs(const ServiceProcess & svc, size_t n)
{
	for (int i = 0; i < 200; ++i)
	{
		HttpResult r = httpRequest(svc.port(), "GET", "/admin/api/logs?limit=1000");
		json j = json::parse(r.body, nullptr, false);
		if (r.status == 200 && !j.is_discarded() && j["items"].size() >= n)
			return j["items"].size() == n;
		std::this_thread::sleep_for(std::chrono::milliseconds(50));
	}
	return false;
}

void expectBadParam(const ServiceProcess & svc, const std::string & target, const std::string & param)
{
	HttpResult r = httpRequest(svc.port(), "GET", target);
	EXPECT_EQ(r.status, 400) << target << ": " << r.body;
	json j = json::parse(r.body, nullptr, false);
	ASSERT_FALSE(j.is_discarded()) << r.body;
	EXPECT_EQ(j.value("path", ""), param) << target << ": " << r.body;
	EXPECT_FALSE(j.value("error", "").empty()) << r.body;
}

std::string encode(const std::string & s)
{
	std::string out;
	Poco::URI::encode(s, "&=?#+/:", out);
	return out;
}

/// A minimal SSE reader on a real connection: lines as they arrive.
class SseClient
{
public:
	SseClient(int port, const std::string & target) : _session("127.0.0.1", static_cast<Poco::UInt16>(port))
	{
		_session.setTimeout(Poco::Timespan(10, 0));
		Poco::Net::HTTPRequest req(Poco::Net::HTTPRequest::HTTP_GET, target, Poco::Net::HTTPMessage::HTTP_1_1);
		_session.sendRequest(req);
		_in = &_session.receiveResponse(_response);
	}

	int status() const { return _response.getStatus(); }
	std::string contentType() const { return _response.getContentType(); }

	/// Reads lines until one satisfies `pred` (true) or the stream ends or times out (false).
	bool readUntil(const std::function<bool(const std::string &)> & pred)
	{
		try
		{
			std::string line;
			while (std::getline(*_in, line))
			{
				_all += line + "\n";
				if (pred(line))
					return true;
			}
		}
		catch (const std::exception &)
		{
		}
		return false;
	}

	/// The data of the next event named `name` whose JSON satisfies `pred`.
	bool nextEvent(const std::string & name, const std::function<bool(const json &)> & pred, json & out)
	{
		bool inEvent = false;
		return readUntil([&](const std::string & line) {
			if (line == "event: " + name)
				inEvent = true;
			else if (inEvent && line.rfind("data: ", 0) == 0)
			{
				inEvent = false;
				json j = json::parse(line.substr(6), nullptr, false);
				if (!j.is_discarded() && pred(j))
				{
					out = j;
					return true;
				}
			}
			else if (line.empty())
				inEvent = false;
			return false;
		});
	}

	/// True when the stream ends (cleanly or by the connection closing) before the read timeout.
	bool ended()
	{
		std::string line;
		try
		{
			while (std::getline(*_in, line))
				_all += line + "\n";
		}
		catch (const Poco::TimeoutException &)
		{
			return false;
		}
		catch (const std::exception &)
		{
			return true;
		}
		return true;
	}

	const std::string & all() const { return _all; }

private:
	Poco::Net::HTTPClientSession _session;
	Poco::Net::HTTPResponse _response;
	std::istream * _in = nullptr;
	std::string _all;
};

} // namespace

TEST(AdminLogsApi, ListFiltersPaginationDetailExportCleanup)
{
	FakeUpstream good;
	good.setHandler([](const ReceivedRequest & req) {
		if (req.json().value("model", "") == "claude-fail")
			return Response::json(500, anthropicError("api_error", "planted upstream failure"));
		return Response::sse(anthropicStream("hello"));
	});
	ServiceProcess svc(configFor({{"good", good.url()}}));
	ASSERT_TRUE(svc.start()) << svc.output();
	const int64_t t0 = nowMs();
	for (int i = 0; i < 5; ++i)
		EXPECT_EQ(post(svc, messageBody("claude-opus-4-8")).status, 200);
	EXPECT_EQ(post(svc, messageBody("claude-opus-4-8", true, "user_abc_account__session_sess-0001")).status, 200);
	for (int i = 0; i < 2; ++i)
		EXPECT_GE(post(svc, messageBody("claude-fail")).status, 500);
	EXPECT_EQ(post(svc, "{not json").status, 400);
	ASSERT_TRUE(waitForLogs(svc, 9)) << svc.output();

	// Keyset pagination: newest first, no duplicates, no gaps.
	std::vector<std::string> seen;
	std::string cursor;
	int pages = 0;
	int64_t lastStart = INT64_MAX;
	do
	{
		json page = getJson(svc, "/admin/api/logs?limit=4" + (cursor.empty() ? "" : "&cursor=" + encode(cursor)));
		ccc::api::LogsPage typed;
		std::string err;
		ASSERT_TRUE(ccc::api::fromJson(page, typed, err)) << err;
		for (const auto & it : typed.items)
		{
			EXPECT_LE(it.started_at_ms, lastStart);
			lastStart = it.started_at_ms;
			EXPECT_EQ(it.usage.input_tokens == -1 || it.usage.input_tokens >= 0, true);
			seen.push_back(it.request_id);
		}
		cursor = typed.next_cursor;
		++pages;
	} while (!cursor.empty() && pages < 10);
	EXPECT_EQ(pages, 3);
	EXPECT_EQ(seen.size(), 9u);
	EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()).size(), 9u);

	// Filters.
	EXPECT_EQ(getJson(svc, "/admin/api/logs?status=5xx")["items"].size(), 2u);
	EXPECT_EQ(getJson(svc, "/admin/api/logs?status=4xx")["items"].size(), 1u);
	EXPECT_EQ(getJson(svc, "/admin/api/logs?status=failed")["items"].size(), 3u);
	EXPECT_EQ(getJson(svc, "/admin/api/logs?status=success")["items"].size(), 6u);
	EXPECT_EQ(getJson(svc, "/admin/api/logs?model=claude-fail")["items"].size(), 2u);
	EXPECT_EQ(getJson(svc, "/admin/api/logs?session=sess-0001")["items"].size(), 1u);
	EXPECT_EQ(getJson(svc, "/admin/api/logs?tag=no-such-tag")["items"].size(), 0u);
	EXPECT_EQ(getJson(svc, "/admin/api/logs?to=" + std::to_string(t0 - 1))["items"].size(), 0u);
	EXPECT_EQ(getJson(svc, "/admin/api/logs?from=" + std::to_string(t0) + "&to=" + std::to_string(nowMs() + 1000))["items"].size(), 9u);
	json failed = getJson(svc, "/admin/api/logs?status=5xx");
	ASSERT_EQ(failed["items"].size(), 2u);
	const std::string endpointId
		= getJson(svc, "/admin/api/logs?status=success&limit=1")["items"][0]["final_endpoint_id"].get<std::string>();
	ASSERT_FALSE(endpointId.empty());
	EXPECT_EQ(getJson(svc, "/admin/api/logs?endpoint=" + encode(endpointId))["items"].size(), 8u);
	const std::string errorText = failed["items"][0]["error"].get<std::string>();
	ASSERT_GE(errorText.size(), 6u) << failed.dump();
	std::string needle = errorText.substr(0, 6);
	for (auto & c : needle)
		c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
	json byText = getJson(svc, "/admin/api/logs?q=" + encode(needle));
	EXPECT_GE(byText["items"].size(), 2u) << needle;
	EXPECT_EQ(getJson(svc, "/admin/api/logs?q=no-such-error-text-anywhere")["items"].size(), 0u);

	// Bad parameters name the parameter.
	expectBadParam(svc, "/admin/api/logs?limit=0", "limit");
	expectBadParam(svc, "/admin/api/logs?limit=5000", "limit");
	expectBadParam(svc, "/admin/api/logs?status=6xx", "status");
	expectBadParam(svc, "/admin/api/logs?from=yesterday", "from");
	expectBadParam(svc, "/admin/api/logs?from=10&to=5", "to");
	expectBadParam(svc, "/admin/api/logs?cursor=garbage", "cursor");

	// Detail: every attempt.
	const std::string failedId = failed["items"][0]["request_id"].get<std::string>();
	json detail = getJson(svc, "/admin/api/logs/" + encode(failedId));
	ccc::api::LogDetail d;
	std::string err;
	ASSERT_TRUE(ccc::api::fromJson(detail, d, err)) << err;
	EXPECT_EQ(d.summary.request_id, failedId);
	ASSERT_GE(d.attempts.size(), 1u);
	EXPECT_EQ(static_cast<size_t>(d.summary.attempt_count), d.attempts.size());
	for (const auto & a : d.attempts)
	{
		EXPECT_EQ(a.status, 500);
		EXPECT_EQ(a.outcome, "upstream_error");
		EXPECT_NE(a.response_body.text.find("planted upstream failure"), std::string::npos);
	}
	EXPECT_EQ(detail.dump().find("sk-test-secret-good"), std::string::npos) << "secrets never leave the store";
	json okDetail = getJson(svc, "/admin/api/logs/" + encode(getJson(svc, "/admin/api/logs?status=success&limit=1")["items"][0]["request_id"]));
	EXPECT_EQ(okDetail["attempts"].size(), 1u);
	EXPECT_EQ(okDetail["attempts"][0]["status"], 200);
	json missing = getJson(svc, "/admin/api/logs/no-such-request", 404);
	EXPECT_EQ(missing["path"], "request_id");

	// Export ZIP.
	HttpResult zip = httpRequest(svc.port(), "GET", "/admin/api/logs/" + encode(failedId) + "/export");
	ASSERT_EQ(zip.status, 200) << zip.body;
	EXPECT_EQ(zip.headers["content-type"], "application/zip");
	EXPECT_NE(zip.headers["content-disposition"].find("attachment; filename=\"debug_"), std::string::npos) << zip.headers["content-disposition"];
	EXPECT_NE(zip.headers["content-disposition"].find(".zip\""), std::string::npos);
	ASSERT_GE(zip.body.size(), 4u);
	EXPECT_EQ(zip.body.substr(0, 4), std::string("PK\x03\x04", 4));
	// The central directory lists the entry names uncompressed.
	EXPECT_NE(zip.body.find(std::string("PK\x01\x02", 4)), std::string::npos);
	for (const char * entry : {"README.txt", "meta.json", "attempts/attempt_1/meta.json", "attempts/attempt_1/response_body.txt"})
		EXPECT_NE(zip.body.find(entry), std::string::npos) << entry;
	EXPECT_EQ(zip.body.find("sk-test-secret-good"), std::string::npos);
	EXPECT_EQ(httpRequest(svc.port(), "GET", "/admin/api/logs/no-such-request/export").status, 404);

	// Stats.
	json stats = getJson(svc, "/admin/api/logs/stats");
	EXPECT_EQ(stats["storage_backend"], "sqlite");
	EXPECT_GT(stats["storage_bytes"].get<int64_t>(), 0);

	// Unknown routes under the logs prefix.
	EXPECT_EQ(httpRequest(svc.port(), "GET", "/admin/api/logs/a/b").status, 404);
	EXPECT_EQ(httpRequest(svc.port(), "DELETE", "/admin/api/logs", "", {{"origin", svc.baseUrl()}}).status, 404);

	// Cleanup: validation, then "older than 30 days" deletes nothing, 0 deletes everything.
	for (const char * body : {"{}", "{\"days\":-1}", "{\"days\":366}", "{\"days\":\"7\"}"})
	{
		HttpResult r = postJson(svc, "/admin/api/logs/cleanup", body);
		EXPECT_EQ(r.status, 400) << body << ": " << r.body;
		EXPECT_EQ(json::parse(r.body, nullptr, false).value("path", ""), "days") << r.body;
	}
	EXPECT_EQ(postJson(svc, "/admin/api/logs/cleanup", "not json").status, 400);
	HttpResult keep = postJson(svc, "/admin/api/logs/cleanup", "{\"days\":30}");
	ASSERT_EQ(keep.status, 200) << keep.body;
	EXPECT_EQ(json::parse(keep.body)["deleted_count"], 0);
	HttpResult all = postJson(svc, "/admin/api/logs/cleanup", "{\"days\":0}");
	ASSERT_EQ(all.status, 200) << all.body;
	ccc::api::CleanupResponse cr;
	ASSERT_TRUE(ccc::api::fromJson(json::parse(all.body), cr, err)) << err;
	EXPECT_EQ(cr.deleted_count, 9);
	EXPECT_EQ(getJson(svc, "/admin/api/logs")["items"].size(), 0u);
}

TEST(AdminLogsApi, DashboardAndTimeSeriesCountWhatWasSent)
{
	FakeUpstream good;
	good.setHandler([](const ReceivedRequest & req) {
		if (req.json().value("model", "") == "claude-fail")
			return Response::json(500, anthropicError("api_error", "down"));
		return Response::sse(anthropicStream("hello")); // usage: 25 input, 12 output tokens
	});
	ServiceProcess svc(configFor({{"good", good.url()}}));
	ASSERT_TRUE(svc.start()) << svc.output();
	const int64_t t0 = nowMs();
	for (int i = 0; i < 4; ++i)
		EXPECT_EQ(post(svc, messageBody("claude-opus-4-8")).status, 200);
	EXPECT_GE(post(svc, messageBody("claude-fail")).status, 500);
	ASSERT_TRUE(waitForLogs(svc, 5)) << svc.output();
	const int64_t t1 = nowMs() + 1;

	const std::string range = "from=" + std::to_string(t0 - 60000) + "&to=" + std::to_string(t1);
	json ts = getJson(svc, "/admin/api/timeseries?" + range + "&bucket=10000");
	ccc::api::TimeSeries series;
	std::string err;
	ASSERT_TRUE(ccc::api::fromJson(ts, series, err)) << err;
	EXPECT_EQ(series.bucket_ms, 10000);
	EXPECT_EQ(series.buckets.size(), static_cast<size_t>((t1 - (t0 - 60000) + 9999) / 10000));
	EXPECT_FALSE(series.truncated);
	int64_t requests = 0, errors = 0, input = 0, output = 0, p95 = 0;
	for (const auto & b : series.buckets)
	{
		requests += b.requests;
		errors += b.errors;
		input += b.input_tokens;
		output += b.output_tokens;
		p95 = std::max(p95, b.latency_p95_ms);
		if (b.requests == 0)
			EXPECT_EQ(b.latency_p50_ms, 0);
		else
			EXPECT_LE(b.latency_p50_ms, b.latency_p95_ms);
	}
	EXPECT_EQ(requests, 5);
	EXPECT_EQ(series.scanned, 5);
	EXPECT_EQ(errors, 1);
	EXPECT_EQ(input, 4 * 25);
	EXPECT_EQ(output, 4 * 12);
	EXPECT_GT(p95, 0);
	// Default range and bucket: the last 24 h in about 60 buckets.
	json def = getJson(svc, "/admin/api/timeseries");
	EXPECT_GE(def["buckets"].size(), 50u);
	int64_t total = 0;
	for (const auto & b : def["buckets"])
		total += b["requests"].get<int64_t>();
	EXPECT_EQ(total, 5);
	expectBadParam(svc, "/admin/api/timeseries?bucket=10", "bucket");
	expectBadParam(svc, "/admin/api/timeseries?bucket=abc", "bucket");
	expectBadParam(svc, "/admin/api/timeseries?from=0&to=100000000&bucket=1000", "bucket");
	expectBadParam(svc, "/admin/api/timeseries?from=x", "from");
	expectBadParam(svc, "/admin/api/dashboard?to=-3", "to");

	json dash = getJson(svc, "/admin/api/dashboard?" + range);
	ccc::api::DashboardSummary ds;
	ASSERT_TRUE(ccc::api::fromJson(dash, ds, err)) << err;
	EXPECT_EQ(ds.total_requests, 5);
	EXPECT_EQ(ds.failed_requests, 1);
	EXPECT_EQ(ds.storage_backend, "sqlite");
	ASSERT_EQ(ds.endpoints.size(), 1u);
	EXPECT_EQ(ds.endpoints[0].name, "good");
	EXPECT_EQ(ds.endpoints[0].status, "active");
	EXPECT_EQ(ds.endpoints[0].breaker_state, "closed");
	EXPECT_GE(ds.endpoints[0].live_requests, 5);
	EXPECT_GE(ds.endpoints[0].live_successes, 4);
	EXPECT_GE(ds.endpoints[0].total_requests, 5);
	EXPECT_GT(ds.endpoints[0].success_rate, 0);
	EXPECT_LT(ds.endpoints[0].success_rate, 1);
	bool model = false;
	for (const auto & m : ds.by_model)
		if (m.key == "claude-opus-4-8")
		{
			model = true;
			EXPECT_EQ(m.requests, 4);
			EXPECT_EQ(m.output_tokens, 48);
		}
	EXPECT_TRUE(model) << dash.dump();
	ASSERT_FALSE(ds.by_endpoint.empty());
	EXPECT_EQ(ds.by_endpoint[0].name, "good");
	// A range before everything is empty.
	json early = getJson(svc, "/admin/api/dashboard?from=1000&to=2000");
	EXPECT_EQ(early["total_requests"], 0);
	EXPECT_EQ(early["endpoints"].size(), 1u);
}

TEST(AdminLogsApi, TestEndpointReportsStatusLatencyAndVerdict)
{
	FakeUpstream good, failing, invalid;
	good.always(Response::json(200, anthropicMessage("ok")));
	failing.always(Response::json(500, anthropicError("api_error", "down")));
	invalid.always(Response::json(200, "{\"not\":\"a message\"}"));
	ServiceProcess svc(configFor({{"good", good.url()}, {"failing", failing.url()}, {"invalid", invalid.url()}}));
	ASSERT_TRUE(svc.start()) << svc.output();

	HttpResult r = postJson(svc, "/admin/api/endpoints/test", "{\"endpoint\":\"good\"}");
	ASSERT_EQ(r.status, 200) << r.body;
	ccc::api::TestEndpointResult res;
	std::string err;
	ASSERT_TRUE(ccc::api::fromJson(json::parse(r.body), res, err)) << err;
	EXPECT_TRUE(res.ok) << r.body;
	EXPECT_EQ(res.status, 200);
	EXPECT_EQ(res.verdict, "valid");
	EXPECT_EQ(res.outcome, "success");
	EXPECT_EQ(res.endpoint_name, "good");
	EXPECT_GE(res.latency_ms, 0);
	EXPECT_FALSE(res.model.empty());
	ASSERT_EQ(good.requestCount(), 1u) << "the test request reached the upstream";
	EXPECT_EQ(good.requests()[0].path, "/v1/messages");
	EXPECT_EQ(good.requests()[0].header("x-api-key"), "sk-test-secret-good") << "through the real path, with the endpoint's credentials";

	r = postJson(svc, "/admin/api/endpoints/failing/test", "");
	ASSERT_EQ(r.status, 200) << r.body;
	ASSERT_TRUE(ccc::api::fromJson(json::parse(r.body), res, err)) << err;
	EXPECT_FALSE(res.ok);
	EXPECT_EQ(res.status, 500);
	EXPECT_EQ(res.outcome, "upstream_error");
	EXPECT_NE(res.verdict, "valid");
	EXPECT_FALSE(res.verdict.empty());

	r = postJson(svc, "/admin/api/endpoints/test", "{\"endpoint\":\"invalid\"}");
	ASSERT_EQ(r.status, 200) << r.body;
	ASSERT_TRUE(ccc::api::fromJson(json::parse(r.body), res, err)) << err;
	EXPECT_FALSE(res.ok) << r.body;
	EXPECT_EQ(res.status, 200);
	EXPECT_NE(res.verdict, "valid");

	// A test does not touch the breaker: the failing endpoint is still closed.
	json dash = getJson(svc, "/admin/api/dashboard");
	for (const auto & c : dash["endpoints"])
		EXPECT_EQ(c["breaker_state"], "closed") << c.dump();

	HttpResult nf = postJson(svc, "/admin/api/endpoints/test", "{\"endpoint\":\"nope\"}");
	EXPECT_EQ(nf.status, 404) << nf.body;
	EXPECT_EQ(json::parse(nf.body, nullptr, false).value("path", ""), "endpoint");
	EXPECT_EQ(postJson(svc, "/admin/api/endpoints/nope/test", "").status, 404);
	HttpResult bad = postJson(svc, "/admin/api/endpoints/test", "{}");
	EXPECT_EQ(bad.status, 400) << bad.body;
	EXPECT_EQ(json::parse(bad.body, nullptr, false).value("path", ""), "endpoint");
	EXPECT_EQ(postJson(svc, "/admin/api/endpoints/test", "[1,2").status, 400);
}

TEST(AdminLogsApi, EventStreamCarriesRequestsAndBreakerChangesAndEndsOnStop)
{
	FakeUpstream a, b;
	a.always(Response::json(500, anthropicError("api_error", "down")));
	b.always(Response::sse(anthropicStream("from b")));
	ServiceProcess svc(configFor({{"a", a.url()}, {"b", b.url()}}, "circuit_breaker:\n  failure_threshold: 1\n  min_requests: 0\n"));
	ASSERT_TRUE(svc.start()) << svc.output();

	EXPECT_EQ(httpRequest(svc.port(), "GET", "/admin/api/events?heartbeat_ms=5").status, 400);
	SseClient sse(svc.port(), "/admin/api/events?heartbeat_ms=300");
	ASSERT_EQ(sse.status(), 200);
	EXPECT_EQ(sse.contentType(), "text/event-stream");
	ASSERT_TRUE(sse.readUntil([](const std::string & l) { return l == ": connected"; })) << sse.all();

	// Made after connecting: a fails (its breaker opens), b serves.
	StreamedResponse r = post(svc, messageBody("claude-opus-4-8"));
	ASSERT_EQ(r.status, 200);
	EXPECT_EQ(r.text(), "from b");
	json breaker;
	ASSERT_TRUE(sse.nextEvent("breaker", [](const json & j) { return j.value("to_state", "") == "open"; }, breaker)) << sse.all();
	EXPECT_EQ(breaker["endpoint_name"], "a");
	EXPECT_EQ(breaker["from_state"], "closed");
	EXPECT_FALSE(breaker.value("reason", "").empty());
	json request;
	ASSERT_TRUE(sse.nextEvent("request", [](const json &) { return true; }, request)) << sse.all();
	ccc::api::LiveEvent ev;
	std::string err;
	ASSERT_TRUE(ccc::api::fromJson(request, ev, err)) << err;
	EXPECT_EQ(ev.type, "request");
	EXPECT_EQ(ev.request.status, 200);
	EXPECT_EQ(ev.request.final_endpoint_name, "b");
	EXPECT_GE(ev.request.attempt_count, 2);
	EXPECT_EQ(ev.request.model_requested, "claude-opus-4-8");
	// Heartbeats keep idle connections alive.
	ASSERT_TRUE(sse.readUntil([](const std::string & l) { return l == ": heartbeat"; })) << sse.all();
	// No bodies, no headers, no secrets.
	EXPECT_EQ(sse.all().find("sk-test-secret"), std::string::npos);
	EXPECT_EQ(sse.all().find("client-key"), std::string::npos);
	EXPECT_EQ(sse.all().find("from b"), std::string::npos);

	// The breaker history is persisted too; a manual reset is a breaker event as well.
	HttpResult reset = postJson(svc, "/admin/api/endpoints/a/reset-status", "");
	EXPECT_EQ(reset.status, 200) << reset.body;
	ASSERT_TRUE(sse.nextEvent("breaker", [](const json & j) { return j.value("to_state", "") == "closed"; }, breaker)) << sse.all();

	// Stopping the service ends the open stream promptly instead of waiting for it.
	const auto stopStart = std::chrono::steady_clock::now();
	svc.stop();
	const auto stopMs = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - stopStart).count();
	EXPECT_LT(stopMs, 4000) << svc.output();
	EXPECT_TRUE(sse.ended());
}
