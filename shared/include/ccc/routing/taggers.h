#pragma once
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ccc/config/model.h"
#include "ccc/json/scan.h"
#include "ccc/routing/request_view.h"

/// The built-in taggers: pure predicates over a RequestView, built from a config::Tagger.
/// docs/TAGGING.md documents every type, its config keys and the decisions summarised here.
///
/// Body access: a body tagger looks at the body only when it is one syntactically valid JSON
/// object (whatever the Content-Type says: the original required `application/json`, which every
/// real client sends anyway). The body is scanned once per request (RequestFacts) and shared by
/// all taggers of a pipeline run, so ten body taggers cost about one pass over the bytes.
namespace ccc::routing
{

/// Lazily computed facts about one request, shared by the taggers of one pipeline run.
/// Not thread-safe (one per request); the RequestView must outlive it.
class RequestFacts
{
public:
	explicit RequestFacts(const RequestView & request) : _request(request) {}

	const RequestView & request() const { return _request; }
	std::string_view body() const { return _request.body; }

	/// The body is exactly one valid JSON object.
	bool isJsonObject() const;

	/// The value of a top-level member, or nullopt (also when the body is not a JSON object).
	std::optional<json::Span> member(std::string_view key) const;

	/// The value at a dot path (`messages[-1].content[0].text`, quoted keys `a."b.c"`), or nullopt.
	/// Spans are relative to body().
	std::optional<json::Span> find(std::string_view path) const;

	/// Query parameters in order, names and values percent-decoded ('+' is a space).
	const std::vector<std::pair<std::string, std::string>> & queryParams() const;

	/// First value of a query parameter, or null.
	const std::string * queryParam(std::string_view name) const;

private:
	const RequestView & _request;
	mutable bool _scanned = false;
	mutable bool _isObject = false;
	mutable std::vector<json::Member> _members;
	mutable bool _queryParsed = false;
	mutable std::vector<std::pair<std::string, std::string>> _query;
};

/// A path into a JSON document, parsed once: keys and (possibly negative) array indexes.
struct JsonPathStep
{
	bool isIndex = false;
	std::string key;
	long long index = 0; ///< negative counts from the end (-1 = last)
};

/// Parses `a.b[2][-1].c` / `headers."x.y"`; false (with `error`) when malformed.
bool parseJsonPath(std::string_view path, std::vector<JsonPathStep> & steps, std::string & error);

/// Walks `steps` from the value at `start` inside `doc`; nullopt when the path does not fit.
std::optional<json::Span> walkJsonPath(std::string_view doc, json::Span start, const std::vector<JsonPathStep> & steps);

/// The text a JSON scalar is matched as: strings decoded, numbers / true / false / null as their
/// literal JSON text; nullopt for objects and arrays.
std::optional<std::string> scalarText(std::string_view doc, json::Span span);

/// The text the user-message tagger looks at: the text blocks of the most recent `role: "user"`
/// message that contains any text (string content, or `type: "text"` blocks). Messages holding
/// only tool_result / image blocks are skipped, so a prompt's "#use-gpt" keeps routing the whole
/// tool loop it started. Empty when no user message has text.
std::vector<std::string> lastUserTexts(const RequestFacts & facts);

/// Estimated input tokens of a Messages request: body bytes / 4, except that base64 image and
/// document data count a flat 1600 tokens per block instead of their size.
size_t estimateInputTokens(const RequestFacts & facts);

/// Number of image blocks in `messages` (including inside tool_result content).
size_t countImages(const RequestFacts & facts);

/// A built-in tagger: a pure predicate. evaluate() never throws and keeps no state, so one
/// instance serves any number of threads.
class BuiltinTagger
{
public:
	virtual ~BuiltinTagger() = default;

	/// Does the request carry this tagger's tag? Shares the body scan of `facts`.
	virtual bool evaluate(const RequestFacts & facts) const = 0;

	/// Convenience for a single tagger (scans the body itself).
	bool evaluate(const RequestView & request) const
	{
		RequestFacts facts(request);
		return evaluate(facts);
	}
};

struct BuiltinTaggerBuild
{
	std::unique_ptr<const BuiltinTagger> tagger; ///< null when `error` is set
	std::string error;                           ///< e.g. "config.path_pattern is required"
};

/// Builds the built-in tagger a config::Tagger of `type: builtin` describes. Config values may be
/// strings or numbers (the admin sends numbers as strings). Errors are returned, never thrown.
BuiltinTaggerBuild buildBuiltinTagger(const config::Tagger & tagger);

} // namespace ccc::routing
