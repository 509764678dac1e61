#include "tagging/TaggingEngine.h"

#include <algorithm>
#include <chrono>
#include <fstream>
#include <sstream>

#include <Poco/Logger.h>

namespace ccc::tagging
{

struct TaggingEngine::Entry
{
	std::string name;
	std::string tag;
	std::string type;
	int priority = 0;
	size_t configIndex = 0;
	std::unique_ptr<const routing::BuiltinTagger> builtin;
	std::unique_ptr<LuaTagger> lua;

	mutable std::atomic<uint64_t> evaluations{0};
	mutable std::atomic<uint64_t> matches{0};
	mutable std::atomic<uint64_t> errors{0};
	mutable std::atomic<uint64_t> timeouts{0};
	mutable std::atomic<bool> errorLogged{false};
	mutable std::atomic<bool> timeoutLogged{false};
	mutable std::mutex lastErrorMutex;
	mutable std::string lastError;
};

namespace
{

std::string configString(const config::Tagger & t, const char * key)
{
	auto it = t.config.find(key);
	if (it == t.config.end() || !it->is_string())
		return {};
	return it->get<std::string>();
}

bool readFile(const std::string & path, std::string & out)
{
	std::ifstream in(path, std::ios::binary);
	if (!in)
		return false;
	std::ostringstream ss;
	ss << in.rdbuf();
	out = ss.str();
	return !in.bad();
}

std::string label(size_t index, const config::Tagger & t)
{
	return "tagging.taggers[" + std::to_string(index) + "] '" + t.name + "'";
}

} // namespace

TaggingEngine::~TaggingEngine() = default;

std::shared_ptr<const TaggingEngine> TaggingEngine::build(const config::Config & config, std::vector<std::string> & warnings,
	const std::string & configDir)
{
	return build(config, warnings, configDir, Options{});
}

std::shared_ptr<const TaggingEngine> TaggingEngine::build(const config::Config & config, std::vector<std::string> & warnings,
	const std::string & configDir, const Options & options)
{
	std::shared_ptr<TaggingEngine> engine(new TaggingEngine());
	engine->_timeoutMs = config.tagging.pipeline_timeout_ms > 0 ? config.tagging.pipeline_timeout_ms : 5000;
	engine->_policy.fallbackToUntagged = config.tagging.fallback_to_untagged;
	engine->_policy.untaggedUseTagged = config.tagging.untagged_use_tagged;

	const auto & list = config.tagging.taggers;
	for (size_t i = 0; i < list.size(); ++i)
	{
		const config::Tagger & t = list[i];
		if (t.type == "starlark")
		{
			warnings.push_back(label(i, t) + ": starlark taggers are not supported, so this tagger is disabled. Port it to "
											 "`type: lua` with a function should_tag(request) returning true or false; request.method, "
											 ".path, .query (a table), .headers (lower-case names) and .body work as before, and the "
											 "helpers len, str, lower, upper, contains, startswith, endswith exist (docs/TAGGING.md).");
			continue;
		}
		if (!t.enabled)
			continue;
		if (t.tag.empty())
		{
			warnings.push_back(label(i, t) + ": has no tag; not loaded");
			continue;
		}
		auto e = std::make_unique<Entry>();
		e->name = t.name;
		e->tag = t.tag;
		e->priority = t.priority;
		e->configIndex = i;
		if (t.type == "builtin" || t.type.empty())
		{
			e->type = t.builtin_type;
			routing::BuiltinTaggerBuild b = routing::buildBuiltinTagger(t);
			if (!b.tagger)
			{
				warnings.push_back(label(i, t) + ": " + b.error + "; not loaded");
				continue;
			}
			e->builtin = std::move(b.tagger);
		}
		else if (t.type == "lua")
		{
			e->type = "lua";
			std::string source = configString(t, "script");
			std::string file = configString(t, "script_file");
			if (!file.empty())
			{
				std::string path = file;
				if (path.front() != '/' && !configDir.empty())
					path = configDir + (configDir.back() == '/' ? "" : "/") + path;
				if (!readFile(path, source))
				{
					warnings.push_back(label(i, t) + ": cannot read script_file " + path + "; not loaded");
					continue;
				}
			}
			if (source.empty())
			{
				warnings.push_back(label(i, t) + ": needs config.script or config.script_file; not loaded");
				continue;
			}
			std::string error;
			e->lua = LuaTagger::create(t.name, source, options.lua, error);
			if (!e->lua)
			{
				warnings.push_back(label(i, t) + ": Lua script failed to load: " + error + "; not loaded");
				continue;
			}
		}
		else
		{
			warnings.push_back(label(i, t) + ": unknown type \"" + t.type + "\" (builtin, lua); not loaded");
			continue;
		}
		engine->_entries.push_back(std::move(e));
	}
	std::stable_sort(engine->_entries.begin(), engine->_entries.end(),
		[](const std::unique_ptr<Entry> & a, const std::unique_ptr<Entry> & b) { return a->priority < b->priority; });
	return engine;
}

void TaggingEngine::reportError(const Entry & e, const std::string & error, bool timeout) const
{
	(timeout ? e.timeouts : e.errors).fetch_add(1, std::memory_order_relaxed);
	{
		std::lock_guard<std::mutex> lock(e.lastErrorMutex);
		e.lastError = error;
	}
	std::atomic<bool> & logged = timeout ? e.timeoutLogged : e.errorLogged;
	if (!logged.exchange(true))
	{
		try
		{
			Poco::Logger::get("tagging").warning("tagger '%s' (%s, tag %s): %s; treated as no match (logged once; see the "
												 "tagger counters for later occurrences)",
				e.name, e.type, e.tag, error);
		}
		catch (...)
		{
		}
	}
}

std::vector<std::string> TaggingEngine::tag(const routing::RequestView & request) const
{
	routing::RequestFacts facts(request);
	return tag(facts);
}

std::vector<std::string> TaggingEngine::tag(const routing::RequestFacts & facts) const
{
	std::vector<std::string> tags;
	if (_entries.empty())
		return tags;
	using Clock = std::chrono::steady_clock;
	const Clock::time_point deadline = Clock::now() + std::chrono::milliseconds(_timeoutMs);
	for (const auto & ep : _entries)
	{
		const Entry & e = *ep;
		if (Clock::now() >= deadline)
		{
			reportError(e, "skipped: tagging.pipeline_timeout (" + std::to_string(_timeoutMs) + " ms) was used up by earlier taggers", true);
			continue;
		}
		e.evaluations.fetch_add(1, std::memory_order_relaxed);
		bool matched = false;
		if (e.builtin)
		{
			try
			{
				matched = e.builtin->evaluate(facts);
			}
			catch (const std::exception & ex)
			{
				reportError(e, std::string("failed: ") + ex.what(), false);
			}
			catch (...)
			{
				reportError(e, "failed", false);
			}
		}
		else if (e.lua)
		{
			LuaOutcome o = e.lua->evaluate(facts, deadline);
			if (!o.error.empty())
				reportError(e, o.error, o.timedOut);
			matched = o.matched && o.error.empty();
		}
		if (matched)
		{
			e.matches.fetch_add(1, std::memory_order_relaxed);
			tags.push_back(e.tag);
		}
	}
	std::sort(tags.begin(), tags.end());
	tags.erase(std::unique(tags.begin(), tags.end()), tags.end());
	return tags;
}

std::vector<TaggerStats> TaggingEngine::stats() const
{
	std::vector<TaggerStats> out;
	out.reserve(_entries.size());
	for (const auto & ep : _entries)
	{
		TaggerStats s;
		s.name = ep->name;
		s.tag = ep->tag;
		s.type = ep->type;
		s.priority = ep->priority;
		s.evaluations = ep->evaluations.load(std::memory_order_relaxed);
		s.matches = ep->matches.load(std::memory_order_relaxed);
		s.errors = ep->errors.load(std::memory_order_relaxed);
		s.timeouts = ep->timeouts.load(std::memory_order_relaxed);
		{
			std::lock_guard<std::mutex> lock(ep->lastErrorMutex);
			s.lastError = ep->lastError;
		}
		out.push_back(std::move(s));
	}
	return out;
}

} // namespace ccc::tagging
