#pragma once
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "ccc/config/model.h"
#include "ccc/routing/request_view.h"
#include "ccc/routing/selection.h"
#include "ccc/routing/taggers.h"
#include "tagging/LuaTagger.h"

namespace ccc::tagging
{

/// Counters of one loaded tagger since its engine was built (the admin shows them).
struct TaggerStats
{
	std::string name;
	std::string tag;
	std::string type;        ///< builtin type (e.g. "model") or "lua"
	int priority = 0;
	uint64_t evaluations = 0; ///< times it ran
	uint64_t matches = 0;
	uint64_t errors = 0;      ///< script errors and budget overruns (each means "no match")
	uint64_t timeouts = 0;    ///< skipped or stopped because the pipeline timeout was used up
	std::string lastError;
};

/// The tagging pipeline built from `tagging:`. Immutable after build(); the proxy swaps in a new
/// engine when the config changes, so tagger edits apply to the next request.
///
/// Order: enabled taggers run one after another, by `priority` ascending (lower first, like
/// endpoint priorities), ties in config order. Every tagger runs (a match does not stop the
/// pipeline), so the tag set does not depend on the order; the order only decides which taggers
/// still get to run when `pipeline_timeout` is used up: a tagger that starts after the deadline
/// is skipped, and a Lua tagger running past it is stopped; both count as "no match" (timeouts).
/// Errors are "no match", counted, and logged once per tagger (Poco logger "tagging", warning).
class TaggingEngine
{
public:
	struct Options
	{
		LuaLimits lua;
	};

	/// Loads the enabled taggers. Problems become `warnings` and leave the tagger out: an invalid
	/// builtin config, a Lua script that does not compile or lacks should_tag, an unreadable
	/// script_file (relative paths resolve against `configDir`), and every `type: starlark`
	/// tagger (not supported; the warning says how to port it). Never throws.
	static std::shared_ptr<const TaggingEngine> build(const config::Config & config, std::vector<std::string> & warnings,
		const std::string & configDir = {});
	static std::shared_ptr<const TaggingEngine> build(const config::Config & config, std::vector<std::string> & warnings,
		const std::string & configDir, const Options & options);

	/// The request's tags: sorted, unique. Thread-safe for concurrent callers; never throws.
	std::vector<std::string> tag(const routing::RequestView & request) const;

	/// Same, sharing an existing RequestFacts (its body scan) with the caller.
	std::vector<std::string> tag(const routing::RequestFacts & facts) const;

	/// Per-tagger counters in run order.
	std::vector<TaggerStats> stats() const;

	/// Number of loaded (enabled and valid) taggers.
	size_t size() const { return _entries.size(); }

	int64_t pipelineTimeoutMs() const { return _timeoutMs; }

	/// The endpoint selection policy of the same config section.
	const routing::SelectionPolicy & policy() const { return _policy; }

	~TaggingEngine();

private:
	struct Entry;
	TaggingEngine() = default;
	void reportError(const Entry & e, const std::string & error, bool timeout) const;

	std::vector<std::unique_ptr<Entry>> _entries;
	int64_t _timeoutMs = 5000;
	routing::SelectionPolicy _policy;
};

} // namespace ccc::tagging
