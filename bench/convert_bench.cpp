// OpenAI conversion cost (issue #4 targets): converting the captured 76 KB Claude Code request
// (p50 <= 0.5 ms) and converting a streamed chunk into Anthropic events (p99 <= 1 ms per event).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "bench_data.h"
#include "ccc/openai/convert.h"

namespace
{

struct Stats
{
	double p50, p99, max;
};

Stats stats(std::vector<double> v)
{
	std::sort(v.begin(), v.end());
	return {v[v.size() / 2], v[v.size() * 99 / 100], v.back()};
}

} // namespace

int main(int argc, char ** argv)
{
	const std::string dataDir = argc > 1 ? argv[1] : "tests/data";
	const std::string body = ccc::bench::readClaudeCodeRequest(dataDir);
	if (body.empty())
		return 1;

	ccc::openai::RequestOptions opts;
	opts.model = "gpt-test";
	opts.maxTokensLimit = 8192;
	std::vector<double> us;
	for (int i = 0; i < 1100; ++i)
	{
		auto t0 = std::chrono::steady_clock::now();
		auto r = ccc::openai::convertRequest(body, opts);
		auto t1 = std::chrono::steady_clock::now();
		if (!r.ok)
		{
			std::fprintf(stderr, "conversion failed: %s (%s)\n", r.error.c_str(), r.errorField.c_str());
			return 1;
		}
		if (i >= 100)
			us.push_back(std::chrono::duration<double, std::micro>(t1 - t0).count());
	}
	Stats req = stats(us);
	std::printf("request conversion: %zu-byte Claude Code request, 1000 runs\n", body.size());
	std::printf("  p50 %.1f us   p99 %.1f us   max %.1f us   target p50 <= 500 us: %s\n", req.p50, req.p99, req.max,
		req.p50 <= 500 ? "met" : "MISSED");

	// Streaming: one converter per stream, fed chunk by chunk as an upstream would send them.
	std::vector<std::string> chunks;
	chunks.push_back(R"(data: {"id":"c1","object":"chat.completion.chunk","model":"gpt-test","choices":[{"index":0,"delta":{"role":"assistant","content":""}}]})"
					 "\n\n");
	for (int i = 0; i < 200; ++i)
		chunks.push_back(R"(data: {"id":"c1","object":"chat.completion.chunk","model":"gpt-test","choices":[{"index":0,"delta":{"content":"word )"
			+ std::to_string(i) + R"( "}}]})" + "\n\n");
	chunks.push_back(R"(data: {"id":"c1","object":"chat.completion.chunk","model":"gpt-test","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]})"
					 "\n\n");
	chunks.push_back("data: [DONE]\n\n");
	std::vector<double> perChunk;
	for (int s = 0; s < 50; ++s)
	{
		ccc::openai::StreamConverter::Options so;
		so.clientModel = "claude-opus-4-8";
		so.estimatedInputTokens = 1000;
		ccc::openai::StreamConverter conv(so);
		std::vector<ccc::sse::Event> out;
		for (const auto & c : chunks)
		{
			auto t0 = std::chrono::steady_clock::now();
			conv.feed(c, out);
			auto t1 = std::chrono::steady_clock::now();
			perChunk.push_back(std::chrono::duration<double, std::micro>(t1 - t0).count());
		}
		if (!conv.finish(out))
		{
			std::fprintf(stderr, "stream conversion failed: %s\n", conv.error().c_str());
			return 1;
		}
	}
	Stats st = stats(perChunk);
	std::printf("stream conversion: %zu chunks per stream, 50 streams\n", chunks.size());
	std::printf("  per chunk p50 %.1f us   p99 %.1f us   max %.1f us   target p99 <= 1000 us: %s\n", st.p50, st.p99, st.max,
		st.p99 <= 1000 ? "met" : "MISSED");
	return 0;
}
