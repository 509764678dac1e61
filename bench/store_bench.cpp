// Request log store throughput (issue #6 target: >= 2,000 attempt records/s of 76 KB request
// bodies). Drives RequestLogger on an SQLite (WAL) store in a temporary directory, with full body
// logging, as the proxy does: each record is one client request with one attempt whose request
// body is the captured Claude Code request (76 KB) and whose response is a short SSE stream.
// Measures committed records per second in steady state, compression and redaction included.
// The writer runs at nice 10 (it yields to request threads), so other load on the machine slows
// it far more than it would slow a normal process: run it on a quiet machine.
//
//   store_bench [data dir] [--records=N] [--distinct | --distinct-responses]
//     --distinct            every record gets a different request and response body (a per-record
//                           prefix / message id), so nothing can be stored once for several
//                           records: the worst case.
//     --distinct-responses  the same request body every time, a different response each time (its
//                           message id): what the proxy logs under proxy_bench's load.
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>

#include "bench_data.h"
#include "store/RequestLogger.h"

namespace
{

using Clock = std::chrono::steady_clock;

int64_t nowMs()
{
	return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
		.count();
}

std::string sseResponse()
{
	std::string s = "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_bench\",\"type\":"
					"\"message\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5\",\"content\":[],\"usage\":"
					"{\"input_tokens\":21000,\"output_tokens\":1}}}\n\n";
	for (int i = 0; i < 40; ++i)
		s += "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":"
			 "\"text_delta\",\"text\":\"word " + std::to_string(i) + " of the answer \"}}\n\n";
	s += "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n";
	return s;
}

/// User + system CPU time of the whole process (writer, its encoding thread, the producer).
double cpuSeconds()
{
	rusage u{};
	::getrusage(RUSAGE_SELF, &u);
	return double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

ccc::api::RequestRecord makeRecord(int i, const std::string & body, const std::string & sameResponse, bool distinct,
	bool distinctResponse)
{
	ccc::api::RequestRecord r;
	r.request_id = "req_bench_" + std::to_string(i);
	r.started_at_ms = nowMs();
	r.duration_ms = 850;
	r.ttfb_ms = 120;
	r.method = "POST";
	r.path = "/v1/messages?beta=true";
	r.status = 200;
	r.streaming = true;
	r.tags = {"claude-code", "opus"};
	r.model_requested = "claude-sonnet-4-5";
	r.session_id = "session-" + std::to_string(i / 20);
	r.user_agent = "claude-cli/2.0.0 (external, cli)";
	r.final_endpoint_id = "ep-bench";
	r.final_endpoint_name = "bench";
	r.client_request_headers = {{"content-type", "application/json"}, {"x-api-key", "sk-ant-client-secret-key-000"},
		{"anthropic-version", "2023-06-01"}, {"user-agent", r.user_agent}};
	r.client_request_body.bytes = distinct ? "{\"bench\":" + std::to_string(i) + "," + body.substr(1) : body;
	r.client_request_body.totalSize = static_cast<int64_t>(r.client_request_body.bytes.size());
	r.client_response_headers = {{"content-type", "text/event-stream"}};
	const std::string response = distinct || distinctResponse
		? std::string(sameResponse).replace(sameResponse.find("msg_bench"), 9, "msg_bench_" + std::to_string(i))
		: sameResponse;
	r.client_response_body.bytes = response;
	r.client_response_body.totalSize = static_cast<int64_t>(response.size());
	r.usage.input_tokens = 21000;
	r.usage.output_tokens = 400;
	ccc::api::AttemptRecord a;
	a.endpoint_id = "ep-bench";
	a.endpoint_name = "bench";
	a.endpoint_url = "https://api.example.invalid/v1/messages?beta=true";
	a.started_at_ms = r.started_at_ms;
	a.duration_ms = 840;
	a.ttfb_ms = 110;
	a.status = 200;
	a.streaming = true;
	a.model_sent = "claude-sonnet-4-5";
	a.usage = r.usage;
	a.request_headers = {{"content-type", "application/json"}, {"x-api-key", "sk-ant-upstream-secret-key-000"}};
	a.request_body = r.client_request_body;
	a.response_headers = {{"content-type", "text/event-stream"}};
	a.response_body = r.client_response_body;
	r.attempts.push_back(std::move(a));
	return r;
}

} // namespace

int main(int argc, char ** argv)
{
	std::string dataDir = "tests/data";
	int records = 10000;
	bool distinct = false;
	bool distinctResponses = false;
	for (int i = 1; i < argc; ++i)
	{
		std::string a = argv[i];
		if (a.rfind("--records=", 0) == 0)
			records = std::max(1000, std::atoi(a.c_str() + 10));
		else if (a == "--distinct")
			distinct = true;
		else if (a == "--distinct-responses")
			distinctResponses = true;
		else
			dataDir = a;
	}
	const std::string body = ccc::bench::readClaudeCodeRequest(dataDir);
	if (body.empty())
		return 1;
	const std::string response = sseResponse();

	char tmpl[] = "/tmp/ccc-store-bench-XXXXXX";
	if (!mkdtemp(tmpl))
		return 1;
	const std::string dir = tmpl;

	ccc::config::LoggingConfig cfg;
	cfg.log_directory = dir;
	cfg.log_request_types = "all";
	cfg.log_request_body = "full";
	cfg.log_response_body = "full";
	cfg.retention_max_bytes = 0; // measure the writer, not retention
	ccc::store::RequestLoggerOptions opts;
	opts.start_retention_thread = false;
	double perSecond = 0, seconds = 0, cpu = 0;
	uint64_t shed = 0, dropped = 0, failed = 0;
	int64_t dbBytes = 0;
	{
		ccc::store::RequestLogger logger(cfg, opts);
		logger.setSecrets({"sk-ant-client-secret-key-000", "sk-ant-upstream-secret-key-000"});
		// Warm-up (not measured): the first batches create the tables' first pages.
		for (int i = 0; i < 200; ++i)
			logger.submit(makeRecord(i, body, response, distinct, distinctResponses));
		logger.flush();
		uint64_t base = logger.counters().written;
		// The producer keeps the queue fed without overrunning it (a record shed for lack of room
		// would not measure the store). Building a record (two 76 KB copies) costs microseconds.
		auto t0 = Clock::now();
		double cpu0 = cpuSeconds();
		for (int i = 0; i < records; ++i)
		{
			while (logger.counters().queue_depth >= 150)
				std::this_thread::sleep_for(std::chrono::microseconds(200));
			logger.submit(makeRecord(1000 + i, body, response, distinct, distinctResponses));
		}
		logger.flush(120000);
		seconds = std::chrono::duration<double>(Clock::now() - t0).count();
		cpu = cpuSeconds() - cpu0;
		auto c = logger.counters();
		perSecond = double(c.written - base) / seconds;
		shed = c.bodies_shed;
		dropped = c.records_dropped;
		failed = c.records_failed;
		dbBytes = logger.store()->storageBytes();
	}
	std::error_code ec;
	std::filesystem::remove_all(dir, ec);
	std::printf("store: SQLite WAL, full bodies, %d records of one %zu-byte request body + %zu-byte SSE response%s (writer at nice 10)\n",
		records, body.size(), response.size(),
		distinct ? " (every body distinct)" : distinctResponses ? " (every response distinct)" : "");
	std::printf("  %.0f records/s (%.2f s), database %.1f MiB, shed %llu, dropped %llu, failed %llu   target >= 2000/s: %s\n",
		perSecond, seconds, double(dbBytes) / (1024.0 * 1024.0), static_cast<unsigned long long>(shed),
		static_cast<unsigned long long>(dropped), static_cast<unsigned long long>(failed), perSecond >= 2000 ? "met" : "MISSED");
	// Wall-clock figures depend on what else runs; CPU time per record does much less.
	std::printf("  CPU %.0f us per record (process total, producer included): %.0f records per CPU-second\n",
		cpu * 1e6 / records, cpu > 0 ? records / cpu : 0.0);
	return 0;
}
