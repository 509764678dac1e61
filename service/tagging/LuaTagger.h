#pragma once
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "ccc/routing/taggers.h"

namespace ccc::tagging
{

/// Per-call limits of a Lua tagger (docs/TAGGING.md, "Sandbox").
struct LuaLimits
{
	size_t memoryBytes = 16u * 1024 * 1024; ///< per Lua state: allocations beyond fail ("not enough memory")
	uint64_t instructions = 5'000'000;      ///< VM instructions per call (~10-50 ms); beyond, the call is stopped
	std::chrono::milliseconds compileTimeout{1000}; ///< bound on running the script's top level at load
};

/// What one evaluation produced. `error` non-empty means "no match" and is counted by the engine.
struct LuaOutcome
{
	bool matched = false;
	bool timedOut = false; ///< stopped by the pipeline deadline (error says so too)
	std::string error;
};

/// A `type: lua` tagger: a Lua 5.4 script defining should_tag(request) -> boolean (nil = false).
/// request = {method, path, query (decoded params), raw_query, headers (lower-case names),
/// body (lazy proxies over the body bytes: only the values a script touches are scanned),
/// body_raw}. docs/TAGGING.md is the user-facing description.
///
/// The script is compiled and its top level run once per Lua state; states live in a small pool
/// owned by the tagger (lua_State is not thread-safe): a call takes a free state or creates one,
/// and gives it back afterwards, so the pool grows to the number of concurrent callers and no
/// further. Globals a script sets persist within one state, so scripts must not rely on them.
///
/// Sandbox: only the base library (without load, loadfile, dofile, require, collectgarbage,
/// setmetatable, getmetatable, warn; print does nothing), string (without dump), table, math and
/// utf8; no io, os, package, debug or coroutine. Without setmetatable no script can install a
/// __gc finaliser, which would run with hooks off. Memory per state is capped by a
/// custom allocator, and a count hook stops a call that exceeds the instruction budget or the
/// pipeline deadline (a stopped call cannot be resumed by pcall: every further instruction fails).
class LuaTagger
{
public:
	/// Compiles `source` (text chunks only) and checks that it defines should_tag.
	/// Returns null and sets `error` on failure.
	static std::unique_ptr<LuaTagger> create(const std::string & name, const std::string & source, const LuaLimits & limits,
		std::string & error);

	~LuaTagger();
	LuaTagger(const LuaTagger &) = delete;
	LuaTagger & operator=(const LuaTagger &) = delete;

	/// Runs should_tag on `facts`' request; never throws. Thread-safe.
	LuaOutcome evaluate(const routing::RequestFacts & facts, std::chrono::steady_clock::time_point deadline) const;

	/// Number of Lua states created so far (tests, admin).
	size_t stateCount() const;

	struct State;

private:
	LuaTagger(std::string name, std::string source, LuaLimits limits);
	std::unique_ptr<State> newState(std::string & error) const;

	std::string _name;
	std::string _source;
	LuaLimits _limits;
	mutable std::mutex _mutex;
	mutable std::vector<std::unique_ptr<State>> _free;
	mutable size_t _created = 0;
};

} // namespace ccc::tagging
