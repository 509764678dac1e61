// Tagging cost on a real Claude Code request: 10 built-in and 2 Lua taggers over the captured
// 76 KB body (issue #5 target: p50 <= 0.2 ms added per request). Prints p50/p99/max in µs.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "bench_data.h"
#include "ccc/config/yaml_config.h"
#include "tagging/TaggingEngine.h"

namespace
{

const char * kConfig = R"(
endpoints: []
tagging:
  pipeline_timeout: 5s
  taggers:
    - {name: t1, type: builtin, builtin_type: path, tag: p, config: {path_pattern: "/v1/messages*"}}
    - {name: t2, type: builtin, builtin_type: header, tag: h, config: {header_name: user-agent, expected_value: "claude-cli/*"}}
    - {name: t3, type: builtin, builtin_type: query, tag: q, config: {param_name: beta, expected_value: "true"}}
    - {name: t4, type: builtin, builtin_type: body-json, tag: b, config: {json_path: "messages[0].role", expected_value: user}}
    - {name: t5, type: builtin, builtin_type: model, tag: m, config: {expected_value: "*opus*"}}
    - {name: t6, type: builtin, builtin_type: user-message, tag: u, config: {expected_value: "*#use-gpt*"}}
    - {name: t7, type: builtin, builtin_type: thinking, tag: th}
    - {name: t8, type: builtin, builtin_type: context-size, tag: long, config: {min_tokens: 150000}}
    - {name: t9, type: builtin, builtin_type: subagent, tag: sub}
    - {name: t10, type: builtin, builtin_type: has-tools, tag: tools}
    - name: lua1
      type: lua
      tag: l1
      script: |
        function should_tag(request) return request.method == "POST" and request.headers["anthropic-version"] ~= nil end
    - name: lua2
      type: lua
      tag: l2
      script: |
        function should_tag(request)
          local b = request.body
          return b ~= nil and b.model ~= nil and string.find(b.model, "haiku", 1, true) ~= nil
        end
)";

} // namespace

int main(int argc, char ** argv)
{
	const std::string dataDir = argc > 1 ? argv[1] : "tests/data";
	const std::string body = ccc::bench::readClaudeCodeRequest(dataDir);
	if (body.empty())
		return 1;
	auto loaded = ccc::config::loadConfigYaml(kConfig);
	if (ccc::config::hasErrors(loaded.diagnostics))
	{
		std::fprintf(stderr, "%s", ccc::config::formatDiagnostics(loaded.diagnostics, "bench").c_str());
		return 1;
	}
	std::vector<std::string> warnings;
	auto engine = ccc::tagging::TaggingEngine::build(loaded.config, warnings);
	if (engine->size() != 12)
	{
		std::fprintf(stderr, "expected 12 taggers, got %zu\n", engine->size());
		return 1;
	}
	ccc::routing::RequestView view;
	view.method = "POST";
	view.path = "/v1/messages";
	view.query = "beta=true";
	view.headers = {{"user-agent", "claude-cli/2.1.197 (external, sdk-cli)"}, {"anthropic-version", "2023-06-01"},
		{"content-type", "application/json"}, {"x-claude-code-session-id", "c3b2"}};
	view.body = body;
	const int warmup = 200, runs = 3000;
	std::vector<double> us;
	us.reserve(runs);
	size_t tagsSeen = 0;
	for (int i = 0; i < warmup + runs; ++i)
	{
		auto t0 = std::chrono::steady_clock::now();
		auto tags = engine->tag(view);
		auto t1 = std::chrono::steady_clock::now();
		tagsSeen = tags.size();
		if (i >= warmup)
			us.push_back(std::chrono::duration<double, std::micro>(t1 - t0).count());
	}
	std::sort(us.begin(), us.end());
	const double p50 = us[us.size() / 2], p99 = us[us.size() * 99 / 100], mx = us.back();
	std::printf("tagging: %zu-byte Claude Code request, 10 built-in + 2 Lua taggers, %d runs, %zu tags matched\n", body.size(), runs, tagsSeen);
	std::printf("  p50 %.1f us   p99 %.1f us   max %.1f us   target p50 <= 200 us: %s\n", p50, p99, mx, p50 <= 200 ? "met" : "MISSED");
	return 0;
}
