#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "tagging/LuaTagger.h"

using ccc::routing::RequestFacts;
using ccc::routing::RequestView;
using ccc::tagging::LuaLimits;
using ccc::tagging::LuaOutcome;
using ccc::tagging::LuaTagger;
using Clock = std::chrono::steady_clock;

namespace
{

const char * kBody = R"({"model":"claude-haiku-4-5-20251001","max_tokens":32000,"stream":true,
"messages":[{"role":"user","content":[{"type":"text","text":"hello #use-gpt"}]},{"role":"assistant","content":"hi"},
{"role":"user","content":"second"}],"thinking":{"type":"enabled","budget_tokens":31999},"big":18446744073709551615})";

RequestView view(std::string_view body = kBody)
{
	RequestView r;
	r.method = "POST";
	r.path = "/v1/messages";
	r.query = "beta=true&x=1&x=2&sp=a+b";
	r.headers = {{"content-type", "application/json"}, {"x-claude-code-agent-id", "agent-7"}, {"anthropic-beta", "a"}, {"anthropic-beta", "b"}};
	r.body = body;
	return r;
}

std::unique_ptr<LuaTagger> compile(const std::string & script, LuaLimits limits = {})
{
	std::string error;
	auto t = LuaTagger::create("test", script, limits, error);
	EXPECT_TRUE(t) << error;
	return t;
}

std::string compileError(const std::string & script, LuaLimits limits = {})
{
	std::string error;
	auto t = LuaTagger::create("test", script, limits, error);
	EXPECT_FALSE(t);
	return error;
}

LuaOutcome run(const LuaTagger & t, const RequestView & r = view(), std::chrono::milliseconds budget = std::chrono::milliseconds(5000))
{
	RequestFacts facts(r);
	return t.evaluate(facts, Clock::now() + budget);
}

bool matches(const std::string & script, const RequestView & r = view())
{
	auto t = compile(script);
	if (!t)
		return false;
	LuaOutcome o = run(*t, r);
	EXPECT_EQ(o.error, "") << script;
	return o.matched;
}

/// Runs a hostile script and checks it fails safely and fast.
LuaOutcome hostile(const std::string & script, LuaLimits limits = {})
{
	auto t = compile(script, limits);
	if (!t)
		return {};
	auto start = Clock::now();
	// A generous deadline, so the instruction and memory limits (not the clock) stop the script
	// even on a loaded machine or under ASan; the bound below still proves nothing hangs.
	LuaOutcome o = run(*t, view(), std::chrono::milliseconds(60000));
	auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count();
	EXPECT_FALSE(o.matched) << script;
	EXPECT_NE(o.error, "") << script;
	EXPECT_LT(ms, 15000) << script;
	// the state survives: a second call fails the same way (and does not crash)
	LuaOutcome again = run(*t, view(), std::chrono::milliseconds(60000));
	EXPECT_FALSE(again.matched);
	return o;
}

} // namespace

TEST(TaggingLua, RequestFields)
{
	EXPECT_TRUE(matches("function should_tag(r) return r.method == 'POST' and r.path == '/v1/messages' end"));
	EXPECT_TRUE(matches("function should_tag(r) return r.query.beta == 'true' and r.query.sp == 'a b' and r.raw_query:find('beta', 1, true) == 1 end"));
	EXPECT_TRUE(matches("function should_tag(r) return r.query.x == '1,2' end")); // repeated params joined with ','
	EXPECT_TRUE(matches("function should_tag(r) return r.headers['x-claude-code-agent-id'] == 'agent-7' end"));
	EXPECT_TRUE(matches("function should_tag(r) return r.headers['anthropic-beta'] == 'a, b' end"));
	EXPECT_FALSE(matches("function should_tag(r) return r.headers['Content-Type'] ~= nil end")); // names are lower-case
	EXPECT_FALSE(matches("function should_tag(r) return r.method == 'GET' end"));
}

TEST(TaggingLua, LazyBody)
{
	EXPECT_TRUE(matches("function should_tag(r) return r.body.model:find('haiku') ~= nil end"));
	EXPECT_TRUE(matches("function should_tag(r) local m = r.body.messages return #m == 3 and m[#m].content == 'second' end"));
	EXPECT_TRUE(matches("function should_tag(r) return r.body.messages[1].content[1].text == 'hello #use-gpt' end"));
	EXPECT_TRUE(matches("function should_tag(r) return r.body.thinking.budget_tokens == 31999 and math.type(r.body.max_tokens) == 'integer' end"));
	EXPECT_TRUE(matches("function should_tag(r) return r.body.stream == true and r.body.big > 1e19 end"));
	EXPECT_TRUE(matches("function should_tag(r) return r.body == r.body end")); // cached, same table
	EXPECT_TRUE(matches("function should_tag(r) return #r.body_raw > 100 end"));
	EXPECT_TRUE(matches("function should_tag(r) local n = 0 for i, m in ipairs(r.body.messages) do n = n + i end return n == 6 end"));
	EXPECT_TRUE(matches("function should_tag(r) local keys = {} for k, v in pairs(r.body) do keys[#keys + 1] = k end return #keys == 6 end"));
	EXPECT_TRUE(matches("function should_tag(r) local roles = {} for _, m in pairs(r.body.messages) do roles[#roles + 1] = m.role end "
						"return table.concat(roles, ',') == 'user,assistant,user' end"));
	EXPECT_TRUE(matches("function should_tag(r) return type(r.body.thinking) == 'table' and r.body.nope == nil and r.body.messages[9] == nil "
						"and r.body.messages.x == nil and #r.body.thinking == 0 end"));
	EXPECT_TRUE(matches("function should_tag(r) return r.body.messages == r.body.messages end"));
	// proxies cannot outlive their call (they point into that request's bytes)
	auto keeper = compile("function should_tag(r) if kept then return kept.model == 'x' end kept = r.body return false end");
	EXPECT_EQ(run(*keeper).error, "");
	EXPECT_NE(run(*keeper).error.find("belong to one call"), std::string::npos);
	// a body that is not a JSON object is nil; untouched, it costs nothing
	EXPECT_TRUE(matches("function should_tag(r) return r.body == nil end", view("[1,2]")));
	RequestView notJson = view("this is not json");
	EXPECT_TRUE(matches("function should_tag(r) return r.body == nil end", notJson));
	EXPECT_TRUE(matches("function should_tag(r) return r.method == 'POST' end", notJson));
}

TEST(TaggingLua, StarlarkHelpers)
{
	EXPECT_TRUE(matches("function should_tag(r) return contains(r.body.model, 'haiku') and not contains(r.path, 'HAIKU') end"));
	EXPECT_TRUE(matches("function should_tag(r) return startswith(r.path, '/v1/') and endswith(r.path, 'messages') end"));
	EXPECT_TRUE(matches("function should_tag(r) return lower('AbC') == 'abc' and upper('x') == 'X' and str(5) == '5' end"));
	EXPECT_TRUE(matches("function should_tag(r) return len('abc') == 3 and len(r.headers) == 3 and len(nil) == 0 end"));
	EXPECT_TRUE(matches("function should_tag(r) return contains({'a', 'b'}, 'b') and endswith('x', '') end"));
}

TEST(TaggingLua, ReturnValues)
{
	auto nilResult = compile("function should_tag(r) if r.method == 'GET' then return true end end");
	LuaOutcome o = run(*nilResult);
	EXPECT_FALSE(o.matched);
	EXPECT_EQ(o.error, ""); // nil is "no match", the usual Lua idiom
	auto number = compile("function should_tag(r) return 1 end");
	o = run(*number);
	EXPECT_FALSE(o.matched);
	EXPECT_EQ(o.error, "should_tag returned a number, not a boolean");
}

TEST(TaggingLua, LoadErrors)
{
	EXPECT_NE(compileError("function should_tag(r) return end end").find("script:1:"), std::string::npos);
	EXPECT_NE(compileError("x = 1").find("must define a function should_tag"), std::string::npos);
	EXPECT_NE(compileError("should_tag = 5").find("found number"), std::string::npos);
	EXPECT_NE(compileError("error('at load')").find("at load"), std::string::npos);
	// binary chunks are refused (text mode only)
	EXPECT_NE(compileError(std::string("\x1bLua", 4)), "");
	LuaLimits fast;
	fast.compileTimeout = std::chrono::milliseconds(50);
	auto start = Clock::now();
	EXPECT_NE(compileError("while true do end function should_tag() return true end", fast), "");
	EXPECT_LT(Clock::now() - start, std::chrono::seconds(2));
}

TEST(TaggingLua, SandboxHasNoDangerousLibraries)
{
	for (const char * expr : {"os.execute('touch /tmp/pwned')", "io.open('/etc/passwd')", "require('os')", "load('return 1')()",
			 "dofile('/etc/passwd')", "loadfile('/etc/passwd')()", "package.loadlib('libc.so.6', 'system')", "debug.getregistry()",
			 "collectgarbage('stop')", "setmetatable({}, {__gc = function() while true do end end})", "getmetatable('').__index",
			 "string.dump(should_tag)", "coroutine.create(print)", "loadstring('x')"})
	{
		LuaOutcome o = hostile(std::string("function should_tag(r) local x = ") + expr + " return true end");
		EXPECT_NE(o.error.find("nil value"), std::string::npos) << expr << ": " << o.error;
	}
	// print exists (ported scripts call it) but writes nothing
	EXPECT_TRUE(matches("function should_tag(r) print('x') return true end"));
}

TEST(TaggingLua, MemoryBombsAreStopped)
{
	LuaOutcome o = hostile("function should_tag(r) local s = string.rep('x', 1e9) return #s > 0 end");
	EXPECT_NE(o.error.find("not enough memory"), std::string::npos) << o.error;
	o = hostile("function should_tag(r) local s = 'x' while true do s = s .. s end end");
	EXPECT_NE(o.error.find("not enough memory"), std::string::npos) << o.error;
	o = hostile("function should_tag(r) local t = {} for i = 1, 1e9 do t[i] = {i} end return false end");
	EXPECT_FALSE(o.error.empty());
	o = hostile("function should_tag(r) local s = string.rep('ab', 1e6, ',') local t = {} for i = 1, 100 do t[i] = s .. i end return false end");
	EXPECT_NE(o.error.find("not enough memory"), std::string::npos) << o.error;
}

TEST(TaggingLua, RunawayScriptsAreStopped)
{
	LuaOutcome o = hostile("function should_tag(r) while true do end end");
	EXPECT_NE(o.error.find("instruction budget exceeded"), std::string::npos) << o.error;
	EXPECT_FALSE(o.timedOut);
	// pcall cannot swallow the stop
	o = hostile("function should_tag(r) while true do pcall(function() while true do end end) end end");
	EXPECT_NE(o.error.find("instruction budget exceeded"), std::string::npos) << o.error;
	o = hostile("function should_tag(r) local ok = pcall(function() while true do end end) return ok == false end");
	EXPECT_NE(o.error.find("instruction budget exceeded"), std::string::npos) << o.error;
	// deep recursion
	o = hostile("local function f(n) return f(n + 1) + 1 end function should_tag(r) return f(1) > 0 end");
	EXPECT_FALSE(o.error.empty());
	// recursion through a C function (string.gsub callback)
	o = hostile("local function f(s) return (s:gsub('.', f)) end function should_tag(r) return f('ab') ~= '' end");
	EXPECT_FALSE(o.error.empty());
}

TEST(TaggingLua, ScriptErrors)
{
	LuaOutcome o = hostile("function should_tag(r) error('boom') end");
	EXPECT_NE(o.error.find("script:1: boom"), std::string::npos) << o.error;
	o = hostile("function should_tag(r) error({}) end");
	EXPECT_EQ(o.error, "(error object is a table value)");
	o = hostile("function should_tag(r) return r.body.nope.deeper end");
	EXPECT_NE(o.error.find("nil value"), std::string::npos) << o.error;
}

TEST(TaggingLua, DeadlineStopsTheCall)
{
	LuaLimits generous;
	generous.instructions = 1'000'000'000'000ULL;
	auto t = compile("function should_tag(r) while true do end end", generous);
	auto start = Clock::now();
	LuaOutcome o = run(*t, view(), std::chrono::milliseconds(30));
	auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count();
	EXPECT_TRUE(o.timedOut);
	EXPECT_NE(o.error.find("timeout"), std::string::npos) << o.error;
	EXPECT_GE(ms, 25);
	EXPECT_LT(ms, 500);
}

TEST(TaggingLua, StateIsReusableAfterFailures)
{
	auto t = compile("function should_tag(r) if r.query.x == '1,2' and r.path == '/bomb' then local s = string.rep('x', 1e9) end return r.method == 'POST' end");
	RequestView bomb = view();
	bomb.path = "/bomb";
	for (int i = 0; i < 3; ++i)
	{
		LuaOutcome bad = run(*t, bomb);
		EXPECT_NE(bad.error, "");
		LuaOutcome good = run(*t);
		EXPECT_EQ(good.error, "");
		EXPECT_TRUE(good.matched);
	}
	EXPECT_EQ(t->stateCount(), 1u);
}

TEST(TaggingLua, ConcurrentCallersGetTheirOwnStates)
{
	auto t = compile("function should_tag(r) local n = 0 for i = 1, 2000 do n = n + i end return r.body.model:find('haiku') ~= nil and n > 0 end");
	std::atomic<int> ok{0};
	std::vector<std::thread> threads;
	for (int i = 0; i < 4; ++i)
		threads.emplace_back([&] {
			for (int k = 0; k < 100; ++k)
			{
				LuaOutcome o = run(*t);
				if (o.matched && o.error.empty())
					++ok;
			}
		});
	for (auto & th : threads)
		th.join();
	EXPECT_EQ(ok.load(), 400);
	EXPECT_GE(t->stateCount(), 1u);
	EXPECT_LE(t->stateCount(), 4u);
}
