#include "tagging/LuaTagger.h"

#include <cstdlib>
#include <cstring>
#include <limits>

#include <lua.hpp>

namespace ccc::tagging
{

namespace
{

/// The count hook fires every kHookEvery VM instructions: often enough to stop a loop within
/// microseconds, rarely enough to cost nothing measurable.
constexpr int kHookEvery = 1000;

/// Starlark-compatible helpers of the original, written in Lua so they run under the same limits.
constexpr const char * kPrelude = R"lua(
function len(x)
	if type(x) == "string" then return #x end
	if type(x) == "table" then local n = 0 for _ in pairs(x) do n = n + 1 end return n end
	return 0
end
str = tostring
function lower(s) return string.lower(tostring(s)) end
function upper(s) return string.upper(tostring(s)) end
function contains(s, sub)
	if type(s) == "table" then
		for _, v in pairs(s) do if v == sub then return true end end
		return false
	end
	return string.find(tostring(s), tostring(sub), 1, true) ~= nil
end
function startswith(s, p) s, p = tostring(s), tostring(p) return string.sub(s, 1, #p) == p end
function endswith(s, p) s, p = tostring(s), tostring(p) return #p == 0 or string.sub(s, -#p) == p end
)lua";

} // namespace

struct LuaTagger::State
{
	lua_State * L = nullptr;
	size_t used = 0;
	size_t limit = 0;
	uint64_t executed = 0;
	uint64_t budget = 0;
	std::chrono::steady_clock::time_point deadline;
	const char * stopReason = nullptr;
	bool timedOut = false;
	const routing::RequestFacts * facts = nullptr;
	const std::string * source = nullptr; // setup only
	uint64_t callId = 0;                  // body proxies are valid only within their call
	// Scratch space of the body proxies: members of State, so a Lua error (a longjmp) never skips
	// the destructor of a C++ local.
	std::vector<json::Member> members;
	std::vector<json::Span> elements;
	std::string text;
	int fn = LUA_NOREF;
	int requestMeta = LUA_NOREF;
	int proxyMeta = LUA_NOREF;

	~State()
	{
		if (L)
			lua_close(L);
	}
};

namespace
{

using State = LuaTagger::State;

State * stateOf(lua_State * L)
{
	void * ud = nullptr;
	lua_getallocf(L, &ud);
	return static_cast<State *>(ud);
}

void * limitedAlloc(void * ud, void * ptr, size_t osize, size_t nsize)
{
	auto * s = static_cast<State *>(ud);
	size_t old = ptr ? osize : 0;
	if (nsize == 0)
	{
		std::free(ptr);
		s->used -= old;
		return nullptr;
	}
	if (nsize > old && s->used - old + nsize > s->limit)
		return nullptr; // Lua runs an emergency collection, then raises "not enough memory"
	void * p = std::realloc(ptr, nsize);
	if (p)
		s->used = s->used - old + nsize;
	return p;
}

void countHook(lua_State * L, lua_Debug *)
{
	State * s = stateOf(L);
	if (!s->stopReason)
	{
		s->executed += kHookEvery;
		if (s->executed > s->budget)
			s->stopReason = "instruction budget exceeded";
		else if (std::chrono::steady_clock::now() >= s->deadline)
		{
			s->stopReason = "tagging pipeline timeout exceeded";
			s->timedOut = true;
		}
		else
			return;
		// From now on every instruction fails, so pcall inside the script cannot resume the loop.
		lua_sethook(L, countHook, LUA_MASKCOUNT, 1);
	}
	luaL_error(L, "%s", s->stopReason);
}

int noPrint(lua_State *)
{
	return 0;
}

// ---- request.body: lazy proxies over the body bytes ---------------------------------------------
// request.body is an empty table whose metatable resolves fields on access by scanning only the
// bytes of the value touched (ccc/json/scan.h); containers become further proxies, scalars Lua
// values. Resolved fields are cached in the proxy. Nothing is parsed unless a script reads it.

char kBeginKey, kEndKey, kCallKey, kLenKey;

std::string_view trimmedView(std::string_view v)
{
	while (!v.empty() && (v.front() == ' ' || v.front() == '\t' || v.front() == '\r' || v.front() == '\n'))
		v.remove_prefix(1);
	while (!v.empty() && (v.back() == ' ' || v.back() == '\t' || v.back() == '\r' || v.back() == '\n'))
		v.remove_suffix(1);
	return v;
}

void pushProxy(lua_State * L, State * s, json::Span span)
{
	lua_createtable(L, 0, 0);
	lua_pushinteger(L, static_cast<lua_Integer>(span.begin));
	lua_rawsetp(L, -2, &kBeginKey);
	lua_pushinteger(L, static_cast<lua_Integer>(span.end));
	lua_rawsetp(L, -2, &kEndKey);
	lua_pushinteger(L, static_cast<lua_Integer>(s->callId));
	lua_rawsetp(L, -2, &kCallKey);
	lua_rawgeti(L, LUA_REGISTRYINDEX, s->proxyMeta);
	lua_setmetatable(L, -2);
}

/// Pushes the Lua value of the JSON value at `span`.
void pushValue(lua_State * L, State * s, json::Span span)
{
	std::string_view doc = s->facts->body();
	std::string_view v = trimmedView(span.of(doc));
	if (v.empty())
	{
		lua_pushnil(L);
		return;
	}
	char c = v.front();
	if (c == '{' || c == '[')
	{
		pushProxy(L, s, span);
		return;
	}
	if (c == 't' || c == 'f')
	{
		lua_pushboolean(L, c == 't');
		return;
	}
	if (c == 'n')
	{
		lua_pushnil(L);
		return;
	}
	bool ok = true;
	try
	{
		if (c == '"')
		{
			auto decoded = json::decodeString(doc, span);
			ok = decoded.has_value();
			if (ok)
				s->text = std::move(*decoded);
		}
		else
			s->text.assign(v.data(), v.size());
	}
	catch (...)
	{
		ok = false;
	}
	if (!ok)
		luaL_error(L, "request body: cannot read a value");
	if (c == '"')
		lua_pushlstring(L, s->text.data(), s->text.size());
	else if (lua_stringtonumber(L, s->text.c_str()) == 0)
		lua_pushnil(L);
}

json::Span proxySpan(lua_State * L, State * s, int idx)
{
	lua_rawgetp(L, idx, &kCallKey);
	lua_Integer call = lua_tointeger(L, -1);
	lua_rawgetp(L, idx, &kBeginKey);
	lua_rawgetp(L, idx, &kEndKey);
	json::Span span;
	span.begin = static_cast<size_t>(lua_tointeger(L, -2));
	span.end = static_cast<size_t>(lua_tointeger(L, -1));
	lua_pop(L, 3);
	if (!s->facts || static_cast<uint64_t>(call) != s->callId)
		luaL_error(L, "request.body values belong to one call; do not keep them in globals");
	return span;
}

/// Scans the container at `span` into s->members or s->elements; false for a scalar.
bool scanContainer(lua_State * L, State * s, json::Span span, bool & isArray)
{
	std::string_view doc = s->facts->body();
	std::string_view v = trimmedView(span.of(doc));
	isArray = !v.empty() && v.front() == '[';
	bool ok = false;
	try
	{
		ok = isArray ? json::scanArrayAt(doc, span, s->elements) : json::scanObjectAt(doc, span, s->members);
	}
	catch (...)
	{
		ok = false;
	}
	if (!ok)
		luaL_error(L, "request body: cannot read a value");
	return true;
}

int proxyIndex(lua_State * L)
{
	State * s = stateOf(L);
	json::Span span = proxySpan(L, s, 1);
	bool isArray = false;
	scanContainer(L, s, span, isArray);
	json::Span child;
	bool found = false;
	if (isArray)
	{
		if (!lua_isinteger(L, 2))
			return 0;
		lua_Integer i = lua_tointeger(L, 2);
		if (i >= 1 && static_cast<size_t>(i) <= s->elements.size())
		{
			child = s->elements[static_cast<size_t>(i - 1)];
			found = true;
		}
	}
	else if (lua_type(L, 2) == LUA_TSTRING)
	{
		size_t n = 0;
		const char * k = lua_tolstring(L, 2, &n);
		std::string_view key(k, n);
		for (const auto & m : s->members)
			if (m.key == key)
			{
				child = m.valueSpan;
				found = true;
			}
	}
	if (!found)
		return 0;
	pushValue(L, s, child);
	lua_pushvalue(L, 2);
	lua_pushvalue(L, -2);
	lua_rawset(L, 1); // cache: the next access is a plain table read
	return 1;
}

int proxyLen(lua_State * L)
{
	State * s = stateOf(L);
	lua_rawgetp(L, 1, &kLenKey);
	if (lua_isinteger(L, -1))
		return 1;
	lua_pop(L, 1);
	json::Span span = proxySpan(L, s, 1);
	bool isArray = false;
	scanContainer(L, s, span, isArray);
	lua_pushinteger(L, isArray ? static_cast<lua_Integer>(s->elements.size()) : 0);
	lua_pushvalue(L, -1);
	lua_rawsetp(L, 1, &kLenKey);
	return 1;
}

/// pairs(proxy): materialises one level into a plain table and iterates it with next.
int proxyPairs(lua_State * L)
{
	State * s = stateOf(L);
	json::Span span = proxySpan(L, s, 1);
	bool isArray = false;
	scanContainer(L, s, span, isArray);
	lua_getglobal(L, "next");
	if (isArray)
	{
		size_t n = s->elements.size();
		lua_createtable(L, static_cast<int>(std::min<size_t>(n, 1u << 20)), 0);
		for (size_t i = 0; i < n; ++i)
		{
			pushValue(L, s, s->elements[i]);
			lua_rawseti(L, -2, static_cast<lua_Integer>(i + 1));
		}
	}
	else
	{
		size_t n = s->members.size();
		lua_createtable(L, 0, static_cast<int>(std::min<size_t>(n, 1u << 20)));
		for (size_t i = 0; i < n; ++i)
		{
			lua_pushlstring(L, s->members[i].key.data(), s->members[i].key.size());
			pushValue(L, s, s->members[i].valueSpan);
			lua_rawset(L, -3);
		}
	}
	lua_pushnil(L);
	return 3;
}

/// __index of request tables: builds `body` (and `body_raw`) on first use, then caches it.
int requestIndex(lua_State * L)
{
	State * s = stateOf(L);
	if (lua_type(L, 2) != LUA_TSTRING || !s->facts)
		return 0;
	size_t n = 0;
	const char * key = lua_tolstring(L, 2, &n);
	std::string_view k(key, n);
	if (k == "body")
	{
		bool isObject = false;
		try
		{
			isObject = s->facts->isJsonObject(); // one validating scan, shared with the built-ins
		}
		catch (...)
		{
		}
		if (!isObject)
			return 0; // not a JSON object: body is nil
		std::string_view doc = s->facts->body();
		json::Span all;
		all.begin = static_cast<size_t>(trimmedView(doc).data() - doc.data());
		all.end = all.begin + trimmedView(doc).size();
		pushProxy(L, s, all);
	}
	else if (k == "body_raw")
	{
		std::string_view b = s->facts->body();
		lua_pushlstring(L, b.data(), b.size());
	}
	else
		return 0;
	lua_pushvalue(L, 2);
	lua_pushvalue(L, -2);
	lua_rawset(L, 1);
	return 1;
}

void setField(lua_State * L, const char * key, const std::string & value)
{
	lua_pushlstring(L, value.data(), value.size());
	lua_setfield(L, -2, key);
}

/// Protected: builds the request table and calls should_tag(request). Needs s->facts.
int runShouldTag(lua_State * L)
{
	State * s = stateOf(L);
	const routing::RequestView & r = s->facts->request();
	lua_rawgeti(L, LUA_REGISTRYINDEX, s->fn);
	lua_createtable(L, 0, 8);
	setField(L, "method", r.method);
	setField(L, "path", r.path);
	setField(L, "raw_query", r.query);

	lua_createtable(L, 0, 4);
	for (const auto & p : s->facts->queryParams()) // parsed before the call (no C++ allocation here)
	{
		lua_getfield(L, -1, p.first.c_str());
		if (lua_isstring(L, -1))
		{
			lua_pushliteral(L, ",");
			lua_pushlstring(L, p.second.data(), p.second.size());
			lua_concat(L, 3);
		}
		else
		{
			lua_pop(L, 1);
			lua_pushlstring(L, p.second.data(), p.second.size());
		}
		lua_setfield(L, -2, p.first.c_str());
	}
	lua_setfield(L, -2, "query");

	lua_createtable(L, 0, static_cast<int>(r.headers.size()));
	for (const auto & h : r.headers)
	{
		lua_pushlstring(L, h.first.data(), h.first.size());
		lua_pushvalue(L, -1);
		lua_rawget(L, -3);
		if (lua_isstring(L, -1))
		{
			lua_pushliteral(L, ", ");
			lua_pushlstring(L, h.second.data(), h.second.size());
			lua_concat(L, 3);
		}
		else
		{
			lua_pop(L, 1);
			lua_pushlstring(L, h.second.data(), h.second.size());
		}
		lua_rawset(L, -3);
	}
	lua_setfield(L, -2, "headers");

	lua_rawgeti(L, LUA_REGISTRYINDEX, s->requestMeta);
	lua_setmetatable(L, -2);
	lua_call(L, 1, 1);
	return 1;
}

/// Protected: opens the sandboxed libraries, runs the prelude and the script, keeps should_tag.
int setupState(lua_State * L)
{
	State * s = stateOf(L);
	const luaL_Reg libs[] = {{LUA_GNAME, luaopen_base}, {LUA_STRLIBNAME, luaopen_string}, {LUA_TABLIBNAME, luaopen_table},
		{LUA_MATHLIBNAME, luaopen_math}, {LUA_UTF8LIBNAME, luaopen_utf8}};
	for (const auto & lib : libs)
	{
		luaL_requiref(L, lib.name, lib.func, 1);
		lua_pop(L, 1);
	}
	for (const char * name : {"load", "loadfile", "dofile", "require", "collectgarbage", "setmetatable", "getmetatable", "warn"})
	{
		lua_pushnil(L);
		lua_setglobal(L, name);
	}
	lua_pushcfunction(L, noPrint);
	lua_setglobal(L, "print");
	lua_getglobal(L, LUA_STRLIBNAME);
	lua_pushnil(L);
	lua_setfield(L, -2, "dump");
	lua_pop(L, 1);

	lua_createtable(L, 0, 1);
	lua_pushcfunction(L, requestIndex);
	lua_setfield(L, -2, "__index");
	s->requestMeta = luaL_ref(L, LUA_REGISTRYINDEX);

	lua_createtable(L, 0, 3);
	lua_pushcfunction(L, proxyIndex);
	lua_setfield(L, -2, "__index");
	lua_pushcfunction(L, proxyLen);
	lua_setfield(L, -2, "__len");
	lua_pushcfunction(L, proxyPairs);
	lua_setfield(L, -2, "__pairs");
	lua_pushliteral(L, "request.body");
	lua_setfield(L, -2, "__metatable");
	s->proxyMeta = luaL_ref(L, LUA_REGISTRYINDEX);

	if (luaL_loadbufferx(L, kPrelude, std::strlen(kPrelude), "=prelude", "t") != LUA_OK)
		return lua_error(L);
	lua_call(L, 0, 0);

	if (luaL_loadbufferx(L, s->source->data(), s->source->size(), "=script", "t") != LUA_OK)
		return lua_error(L);
	lua_call(L, 0, 0);
	lua_getglobal(L, "should_tag");
	if (lua_type(L, -1) != LUA_TFUNCTION)
		return luaL_error(L, "the script must define a function should_tag(request), found %s", luaL_typename(L, -1));
	s->fn = luaL_ref(L, LUA_REGISTRYINDEX);
	return 0;
}

std::string errorText(lua_State * L)
{
	if (lua_type(L, -1) == LUA_TSTRING)
		return lua_tostring(L, -1);
	return std::string("(error object is a ") + luaL_typename(L, -1) + " value)";
}

int atPanic(lua_State *)
{
	// Every call into Lua is protected; reaching here is a bug. Abort with a clear reason.
	std::abort();
}

} // namespace

LuaTagger::LuaTagger(std::string name, std::string source, LuaLimits limits)
	: _name(std::move(name)), _source(std::move(source)), _limits(limits)
{
}

LuaTagger::~LuaTagger() = default;

std::unique_ptr<LuaTagger> LuaTagger::create(const std::string & name, const std::string & source, const LuaLimits & limits,
	std::string & error)
{
	std::unique_ptr<LuaTagger> t(new LuaTagger(name, source, limits));
	std::unique_ptr<State> first = t->newState(error);
	if (!first)
		return nullptr;
	t->_free.push_back(std::move(first));
	return t;
}

std::unique_ptr<LuaTagger::State> LuaTagger::newState(std::string & error) const
{
	auto s = std::make_unique<State>();
	s->limit = _limits.memoryBytes;
	s->budget = _limits.instructions;
	s->L = lua_newstate(limitedAlloc, s.get());
	if (!s->L)
	{
		error = "cannot create a Lua state (memory limit too small?)";
		return nullptr;
	}
	lua_atpanic(s->L, atPanic);
	s->source = &_source;
	s->deadline = std::chrono::steady_clock::now() + _limits.compileTimeout;
	lua_sethook(s->L, countHook, LUA_MASKCOUNT, kHookEvery);
	lua_pushcfunction(s->L, setupState);
	int rc = lua_pcall(s->L, 0, 0, 0);
	s->source = nullptr;
	if (rc != LUA_OK)
	{
		error = errorText(s->L);
		if (s->stopReason)
			error += " while loading the script";
		return nullptr;
	}
	lua_settop(s->L, 0);
	lua_gc(s->L, LUA_GCGEN, 0, 0); // short-lived request tables: generational GC suits them
	std::lock_guard<std::mutex> lock(_mutex);
	++_created;
	return s;
}

LuaOutcome LuaTagger::evaluate(const routing::RequestFacts & facts, std::chrono::steady_clock::time_point deadline) const
{
	LuaOutcome out;
	std::unique_ptr<State> s;
	{
		std::lock_guard<std::mutex> lock(_mutex);
		if (!_free.empty())
		{
			s = std::move(_free.back());
			_free.pop_back();
		}
	}
	if (!s)
	{
		s = newState(out.error);
		if (!s)
			return out;
	}
	try
	{
		facts.queryParams(); // allocate in C++ now, not inside the Lua call
	}
	catch (...)
	{
	}
	lua_State * L = s->L;
	s->facts = &facts;
	++s->callId;
	s->executed = 0;
	s->budget = _limits.instructions;
	s->stopReason = nullptr;
	s->timedOut = false;
	s->deadline = deadline;
	lua_settop(L, 0);
	lua_sethook(L, countHook, LUA_MASKCOUNT, kHookEvery);
	lua_pushcfunction(L, runShouldTag);
	int rc = lua_pcall(L, 0, 1, 0);
	if (rc != LUA_OK)
	{
		out.error = errorText(L);
		if (s->stopReason && out.error.find(s->stopReason) == std::string::npos)
			out.error += " (" + std::string(s->stopReason) + ")";
		out.timedOut = s->timedOut;
	}
	else if (lua_type(L, -1) == LUA_TBOOLEAN)
		out.matched = lua_toboolean(L, -1) != 0;
	else if (!lua_isnil(L, -1))
		out.error = std::string("should_tag returned a ") + luaL_typename(L, -1) + ", not a boolean";
	lua_settop(L, 0);
	lua_sethook(L, countHook, LUA_MASKCOUNT, kHookEvery);
	s->facts = nullptr;
	{
		std::lock_guard<std::mutex> lock(_mutex);
		_free.push_back(std::move(s));
	}
	return out;
}

size_t LuaTagger::stateCount() const
{
	std::lock_guard<std::mutex> lock(_mutex);
	return _created;
}

} // namespace ccc::tagging
