#include "ccc/routing/taggers.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <functional>

#include "ccc/routing/glob.h"

namespace ccc::routing
{

namespace
{

using json::Member;
using json::Span;

std::string_view trimmed(std::string_view s)
{
	while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r' || s.front() == '\n'))
		s.remove_prefix(1);
	while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n'))
		s.remove_suffix(1);
	return s;
}

std::string lower(std::string_view s)
{
	std::string out(s);
	for (char & c : out)
		c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
	return out;
}

std::string upper(std::string_view s)
{
	std::string out(s);
	for (char & c : out)
		c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
	return out;
}

int hexValue(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

std::string percentDecode(std::string_view s)
{
	std::string out;
	out.reserve(s.size());
	for (size_t i = 0; i < s.size(); ++i)
	{
		if (s[i] == '+')
			out += ' ';
		else if (s[i] == '%' && i + 2 < s.size() && hexValue(s[i + 1]) >= 0 && hexValue(s[i + 2]) >= 0)
		{
			out += static_cast<char>(hexValue(s[i + 1]) * 16 + hexValue(s[i + 2]));
			i += 2;
		}
		else
			out += s[i];
	}
	return out;
}

const Member * findMember(const std::vector<Member> & members, std::string_view key)
{
	for (const Member & m : members)
		if (m.key == key)
			return &m;
	return nullptr;
}

/// A JSON string member's decoded value, or nullopt.
std::optional<std::string> stringMember(std::string_view doc, const std::vector<Member> & members, std::string_view key)
{
	const Member * m = findMember(members, key);
	if (!m)
		return std::nullopt;
	return json::decodeString(doc, m->valueSpan);
}

bool startsWith(std::string_view doc, Span span, char c)
{
	std::string_view v = trimmed(span.of(doc));
	return !v.empty() && v.front() == c;
}

/// Visits every content block of every message (and the blocks inside tool_result content),
/// stopping early when `fn` returns false.
void visitBlocks(const RequestFacts & facts, const std::function<bool(const std::vector<Member> &)> & fn)
{
	std::string_view doc = facts.body();
	auto messages = facts.member("messages");
	std::vector<Span> list;
	if (!messages || !json::scanArrayAt(doc, *messages, list))
		return;
	std::vector<Member> msg, block;
	std::vector<Span> blocks, inner;
	for (const Span & m : list)
	{
		if (!json::scanObjectAt(doc, m, msg))
			continue;
		const Member * content = findMember(msg, "content");
		if (!content || !json::scanArrayAt(doc, content->valueSpan, blocks))
			continue;
		for (const Span & b : blocks)
		{
			if (!json::scanObjectAt(doc, b, block))
				continue;
			if (!fn(block))
				return;
			if (stringMember(doc, block, "type") != std::optional<std::string>("tool_result"))
				continue;
			const Member * nested = findMember(block, "content");
			if (!nested || !json::scanArrayAt(doc, nested->valueSpan, inner))
				continue;
			std::vector<Member> innerBlock;
			for (const Span & ib : inner)
				if (json::scanObjectAt(doc, ib, innerBlock) && !fn(innerBlock))
					return;
		}
	}
}

bool isImageBlock(std::string_view doc, const std::vector<Member> & block)
{
	return stringMember(doc, block, "type") == std::optional<std::string>("image");
}

/// Reads a config value as text: strings as is, numbers/bools as their JSON text, absent/null empty.
std::string cfgString(const config::Tagger & t, const char * key)
{
	auto it = t.config.find(key);
	if (it == t.config.end() || it->is_null())
		return {};
	if (it->is_string())
		return it->get<std::string>();
	return it->dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

bool cfgHas(const config::Tagger & t, const char * key)
{
	auto it = t.config.find(key);
	return it != t.config.end() && !it->is_null();
}

/// A string list: a JSON array of strings, or one string holding a comma-separated list.
std::vector<std::string> cfgList(const config::Tagger & t, const char * key)
{
	std::vector<std::string> out;
	auto it = t.config.find(key);
	if (it == t.config.end() || it->is_null())
		return out;
	if (it->is_array())
	{
		for (const auto & v : *it)
			if (v.is_string() && !trimmed(v.get_ref<const std::string &>()).empty())
				out.emplace_back(trimmed(v.get_ref<const std::string &>()));
		return out;
	}
	std::string s = it->is_string() ? it->get<std::string>() : it->dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
	size_t start = 0;
	while (start <= s.size())
	{
		size_t comma = s.find(',', start);
		if (comma == std::string::npos)
			comma = s.size();
		std::string_view part = trimmed(std::string_view(s).substr(start, comma - start));
		if (!part.empty())
			out.emplace_back(part);
		start = comma + 1;
	}
	return out;
}

/// Parses a non-negative number given as a JSON number or numeric string.
bool cfgNumber(const config::Tagger & t, const char * key, double & out, std::string & error)
{
	std::string v = cfgString(t, key);
	if (v.empty())
		return false;
	char * end = nullptr;
	double d = std::strtod(v.c_str(), &end);
	if (end == v.c_str() || *end != '\0' || d < 0)
	{
		error = std::string("config.") + key + " must be a number >= 0, got \"" + v + "\"";
		return false;
	}
	out = d;
	return true;
}

bool cfgBool(const config::Tagger & t, const char * key, bool fallback)
{
	auto it = t.config.find(key);
	if (it == t.config.end() || it->is_null())
		return fallback;
	if (it->is_boolean())
		return it->get<bool>();
	std::string v = lower(cfgString(t, key));
	if (v == "true" || v == "yes" || v == "1")
		return true;
	if (v == "false" || v == "no" || v == "0")
		return false;
	return fallback;
}

/// Validates a required glob; sets error when missing or malformed.
bool requirePattern(const config::Tagger & t, const char * key, std::string & out, std::string & error)
{
	out = cfgString(t, key);
	if (out.empty())
	{
		error = std::string("config.") + key + " is required for builtin_type " + t.builtin_type;
		return false;
	}
	if (std::string err = globError(out); !err.empty())
	{
		error = std::string("config.") + key + " is not a valid pattern: " + err;
		return false;
	}
	return true;
}

std::optional<double> numberAt(std::string_view doc, const Member * m)
{
	if (!m)
		return std::nullopt;
	std::optional<std::string> text = scalarText(doc, m->valueSpan);
	if (!text || text->empty())
		return std::nullopt;
	char * end = nullptr;
	double d = std::strtod(text->c_str(), &end);
	if (end == text->c_str() || *end != '\0')
		return std::nullopt;
	return d;
}

// ---------------------------------------------------------------------------------------------

class PathTagger : public BuiltinTagger
{
public:
	explicit PathTagger(std::string pattern) : _pattern(std::move(pattern)) {}
	bool evaluate(const RequestFacts & f) const override { return globMatch(_pattern, f.request().path); }

private:
	std::string _pattern;
};

class MethodTagger : public BuiltinTagger
{
public:
	explicit MethodTagger(std::vector<std::string> patterns) : _patterns(std::move(patterns))
	{
		for (auto & p : _patterns)
			p = upper(p);
	}
	bool evaluate(const RequestFacts & f) const override
	{
		std::string method = upper(f.request().method);
		for (const auto & p : _patterns)
			if (globMatch(p, method))
				return true;
		return false;
	}

private:
	std::vector<std::string> _patterns;
};

class HeaderTagger : public BuiltinTagger
{
public:
	HeaderTagger(std::string name, std::string pattern) : _name(lower(trimmed(name))), _pattern(std::move(pattern)) {}
	bool evaluate(const RequestFacts & f) const override
	{
		const std::string * v = f.request().header(_name);
		return v && !v->empty() && globMatch(_pattern, *v);
	}

private:
	std::string _name;
	std::string _pattern;
};

class QueryTagger : public BuiltinTagger
{
public:
	QueryTagger(std::string name, std::string pattern) : _name(std::move(name)), _pattern(std::move(pattern)) {}
	bool evaluate(const RequestFacts & f) const override
	{
		const std::string * v = f.queryParam(_name);
		return v && !v->empty() && globMatch(_pattern, *v);
	}

private:
	std::string _name;
	std::string _pattern;
};

class BodyJsonTagger : public BuiltinTagger
{
public:
	BodyJsonTagger(std::vector<JsonPathStep> steps, std::string pattern) : _steps(std::move(steps)), _pattern(std::move(pattern)) {}
	bool evaluate(const RequestFacts & f) const override
	{
		if (_steps.empty() || _steps.front().isIndex)
			return false;
		auto start = f.member(_steps.front().key);
		if (!start)
			return false;
		std::vector<JsonPathStep> rest(_steps.begin() + 1, _steps.end());
		auto span = walkJsonPath(f.body(), *start, rest);
		if (!span)
			return false;
		std::optional<std::string> text = scalarText(f.body(), *span);
		return text && globMatch(_pattern, *text);
	}

private:
	std::vector<JsonPathStep> _steps;
	std::string _pattern;
};

class ModelTagger : public BuiltinTagger
{
public:
	explicit ModelTagger(std::string pattern) : _pattern(std::move(pattern)) {}
	bool evaluate(const RequestFacts & f) const override
	{
		auto m = f.member("model");
		if (!m)
			return false;
		auto s = json::decodeString(f.body(), *m);
		return s && globMatch(_pattern, *s);
	}

private:
	std::string _pattern;
};

class UserMessageTagger : public BuiltinTagger
{
public:
	explicit UserMessageTagger(std::string pattern) : _pattern(std::move(pattern)) {}
	bool evaluate(const RequestFacts & f) const override
	{
		for (const std::string & text : lastUserTexts(f))
			if (globMatch(_pattern, text))
				return true;
		return false;
	}

private:
	std::string _pattern;
};

class ThinkingTagger : public BuiltinTagger
{
public:
	ThinkingTagger(double minBudget, bool adaptive) : _minBudget(minBudget), _adaptive(adaptive) {}
	bool evaluate(const RequestFacts & f) const override
	{
		auto t = f.member("thinking");
		std::vector<Member> members;
		if (!t || !json::scanObjectAt(f.body(), *t, members))
			return false;
		std::optional<std::string> type = stringMember(f.body(), members, "type");
		bool enabled = type == std::optional<std::string>("enabled");
		if (!type)
		{
			// The original's (non-Anthropic) shape {"enabled": true, "budget_tokens": N}.
			const Member * e = findMember(members, "enabled");
			enabled = e && trimmed(e->valueSpan.of(f.body())) == "true";
		}
		if (type == std::optional<std::string>("adaptive"))
			return _adaptive; // no budget: adaptive thinking may use all of max_tokens
		if (!enabled)
			return false;
		if (_minBudget <= 0)
			return true;
		std::optional<double> budget = numberAt(f.body(), findMember(members, "budget_tokens"));
		return budget && *budget >= _minBudget;
	}

private:
	double _minBudget;
	bool _adaptive;
};

class ContextSizeTagger : public BuiltinTagger
{
public:
	explicit ContextSizeTagger(double minTokens) : _minTokens(minTokens) {}
	bool evaluate(const RequestFacts & f) const override
	{
		return static_cast<double>(estimateInputTokens(f)) >= _minTokens;
	}

private:
	double _minTokens;
};

class SubagentTagger : public BuiltinTagger
{
public:
	SubagentTagger(std::string header, std::vector<std::string> models) : _header(lower(trimmed(header))), _models(std::move(models)) {}
	bool evaluate(const RequestFacts & f) const override
	{
		if (!_header.empty())
			if (const std::string * v = f.request().header(_header); v && !v->empty())
				return true;
		if (_models.empty())
			return false;
		auto m = f.member("model");
		if (!m)
			return false;
		auto s = json::decodeString(f.body(), *m);
		if (!s)
			return false;
		for (const auto & p : _models)
			if (globMatch(p, *s))
				return true;
		return false;
	}

private:
	std::string _header;
	std::vector<std::string> _models;
};

class HasToolsTagger : public BuiltinTagger
{
public:
	explicit HasToolsTagger(std::string toolPattern) : _toolPattern(std::move(toolPattern)) {}
	bool evaluate(const RequestFacts & f) const override
	{
		auto tools = f.member("tools");
		if (!tools || !startsWith(f.body(), *tools, '['))
			return false;
		if (_toolPattern.empty())
		{
			// The body was validated whole, so "non-empty" is just "not []".
			std::string_view inner = trimmed(trimmed(tools->of(f.body())).substr(1));
			return !inner.empty() && inner.front() != ']';
		}
		std::vector<Span> list;
		std::vector<Member> tool;
		if (!json::scanArrayAt(f.body(), *tools, list))
			return false;
		for (const Span & s : list)
			if (json::scanObjectAt(f.body(), s, tool))
				if (auto name = stringMember(f.body(), tool, "name"); name && globMatch(_toolPattern, *name))
					return true;
		return false;
	}

private:
	std::string _toolPattern;
};

class HasImagesTagger : public BuiltinTagger
{
public:
	explicit HasImagesTagger(size_t minImages) : _minImages(minImages) {}
	bool evaluate(const RequestFacts & f) const override { return countImages(f) >= _minImages; }

private:
	size_t _minImages;
};

} // namespace

// ---------------------------------------------------------------------------------------------

bool RequestFacts::isJsonObject() const
{
	if (!_scanned)
	{
		_scanned = true;
		_isObject = json::scanObject(_request.body, _members);
		if (!_isObject)
			_members.clear();
	}
	return _isObject;
}

std::optional<json::Span> RequestFacts::member(std::string_view key) const
{
	if (!isJsonObject())
		return std::nullopt;
	if (const Member * m = findMember(_members, key))
		return m->valueSpan;
	return std::nullopt;
}

std::optional<json::Span> RequestFacts::find(std::string_view path) const
{
	std::vector<JsonPathStep> steps;
	std::string error;
	if (!parseJsonPath(path, steps, error) || steps.empty() || steps.front().isIndex)
		return std::nullopt;
	auto start = member(steps.front().key);
	if (!start)
		return std::nullopt;
	steps.erase(steps.begin());
	return walkJsonPath(_request.body, *start, steps);
}

const std::vector<std::pair<std::string, std::string>> & RequestFacts::queryParams() const
{
	if (!_queryParsed)
	{
		_queryParsed = true;
		std::string_view q = _request.query;
		size_t start = 0;
		while (start < q.size())
		{
			size_t amp = q.find('&', start);
			if (amp == std::string_view::npos)
				amp = q.size();
			std::string_view part = q.substr(start, amp - start);
			if (!part.empty())
			{
				size_t eq = part.find('=');
				if (eq == std::string_view::npos)
					_query.emplace_back(percentDecode(part), std::string());
				else
					_query.emplace_back(percentDecode(part.substr(0, eq)), percentDecode(part.substr(eq + 1)));
			}
			start = amp + 1;
		}
	}
	return _query;
}

const std::string * RequestFacts::queryParam(std::string_view name) const
{
	for (const auto & p : queryParams())
		if (p.first == name)
			return &p.second;
	return nullptr;
}

bool parseJsonPath(std::string_view path, std::vector<JsonPathStep> & steps, std::string & error)
{
	steps.clear();
	size_t i = 0;
	bool expectKey = true; // at the start or after '.'
	while (i < path.size())
	{
		char c = path[i];
		if (c == '[')
		{
			size_t close = path.find(']', i);
			if (close == std::string_view::npos)
			{
				error = "unterminated [ in path";
				return false;
			}
			std::string num(trimmed(path.substr(i + 1, close - i - 1)));
			char * end = nullptr;
			long long n = std::strtoll(num.c_str(), &end, 10);
			if (num.empty() || *end != '\0')
			{
				error = "array index must be an integer, got [" + num + "]";
				return false;
			}
			JsonPathStep s;
			s.isIndex = true;
			s.index = n;
			steps.push_back(std::move(s));
			i = close + 1;
			expectKey = false;
			continue;
		}
		if (c == '.')
		{
			if (expectKey)
			{
				error = "empty key in path";
				return false;
			}
			++i;
			expectKey = true;
			if (i == path.size())
			{
				error = "path ends with '.'";
				return false;
			}
			continue;
		}
		if (!expectKey)
		{
			error = "expected '.' or '[' after ']' in path";
			return false;
		}
		JsonPathStep s;
		if (c == '"')
		{
			size_t close = path.find('"', i + 1);
			if (close == std::string_view::npos)
			{
				error = "unterminated quoted key in path";
				return false;
			}
			s.key = std::string(path.substr(i + 1, close - i - 1));
			i = close + 1;
		}
		else
		{
			size_t end = i;
			while (end < path.size() && path[end] != '.' && path[end] != '[')
				++end;
			s.key = std::string(path.substr(i, end - i));
			i = end;
		}
		steps.push_back(std::move(s));
		expectKey = false;
	}
	if (steps.empty())
	{
		error = "path is empty";
		return false;
	}
	return true;
}

std::optional<json::Span> walkJsonPath(std::string_view doc, json::Span start, const std::vector<JsonPathStep> & steps)
{
	Span cur = start;
	std::vector<Member> members;
	std::vector<Span> elements;
	for (const JsonPathStep & s : steps)
	{
		if (s.isIndex)
		{
			if (!startsWith(doc, cur, '[') || !json::scanArrayAt(doc, cur, elements))
				return std::nullopt;
			long long n = static_cast<long long>(elements.size());
			long long i = s.index < 0 ? n + s.index : s.index;
			if (i < 0 || i >= n)
				return std::nullopt;
			cur = elements[static_cast<size_t>(i)];
		}
		else
		{
			if (!startsWith(doc, cur, '{') || !json::scanObjectAt(doc, cur, members))
				return std::nullopt;
			const Member * m = findMember(members, s.key);
			if (!m)
				return std::nullopt;
			cur = m->valueSpan;
		}
	}
	return cur;
}

std::optional<std::string> scalarText(std::string_view doc, json::Span span)
{
	std::string_view v = trimmed(span.of(doc));
	if (v.empty() || v.front() == '{' || v.front() == '[')
		return std::nullopt;
	if (v.front() == '"')
		return json::decodeString(doc, span);
	return std::string(v);
}

std::vector<std::string> lastUserTexts(const RequestFacts & facts)
{
	std::vector<std::string> texts;
	std::string_view doc = facts.body();
	auto messages = facts.member("messages");
	std::vector<Span> list;
	if (!messages || !json::scanArrayAt(doc, *messages, list))
		return texts;
	std::vector<Member> msg, block;
	std::vector<Span> blocks;
	for (auto it = list.rbegin(); it != list.rend(); ++it)
	{
		if (!json::scanObjectAt(doc, *it, msg) || stringMember(doc, msg, "role") != std::optional<std::string>("user"))
			continue;
		const Member * content = findMember(msg, "content");
		if (!content)
			continue;
		if (auto s = json::decodeString(doc, content->valueSpan))
		{
			texts.push_back(std::move(*s));
			return texts;
		}
		if (!json::scanArrayAt(doc, content->valueSpan, blocks))
			continue;
		for (const Span & b : blocks)
			if (json::scanObjectAt(doc, b, block) && stringMember(doc, block, "type") == std::optional<std::string>("text"))
				if (auto text = stringMember(doc, block, "text"))
					texts.push_back(std::move(*text));
		if (!texts.empty())
			return texts;
	}
	return texts;
}

size_t countImages(const RequestFacts & facts)
{
	auto messages = facts.member("messages");
	if (!messages)
		return 0;
	// Most requests carry no image: one fast byte search rules them out.
	if (messages->of(facts.body()).find("\"image\"") == std::string_view::npos)
		return 0;
	size_t n = 0;
	visitBlocks(facts, [&](const std::vector<Member> & block) {
		if (isImageBlock(facts.body(), block))
			++n;
		return true;
	});
	return n;
}

size_t estimateInputTokens(const RequestFacts & facts)
{
	std::string_view doc = facts.body();
	size_t bytes = doc.size();
	size_t flat = 0;
	if (doc.find("\"base64\"") != std::string_view::npos)
	{
		std::vector<Member> source;
		visitBlocks(facts, [&](const std::vector<Member> & block) {
			auto type = stringMember(doc, block, "type");
			if (type != std::optional<std::string>("image") && type != std::optional<std::string>("document"))
				return true;
			const Member * src = findMember(block, "source");
			if (!src || !json::scanObjectAt(doc, src->valueSpan, source))
				return true;
			if (stringMember(doc, source, "type") != std::optional<std::string>("base64"))
				return true;
			if (const Member * data = findMember(source, "data"))
			{
				size_t len = data->valueSpan.end - data->valueSpan.begin;
				bytes -= std::min(bytes, len);
				flat += 1600;
			}
			return true;
		});
	}
	return bytes / 4 + flat;
}

BuiltinTaggerBuild buildBuiltinTagger(const config::Tagger & t)
{
	BuiltinTaggerBuild out;
	std::string & err = out.error;
	const std::string & b = t.builtin_type;
	std::string pattern;
	if (b == "path")
	{
		if (requirePattern(t, "path_pattern", pattern, err))
			out.tagger = std::make_unique<PathTagger>(pattern);
	}
	else if (b == "method")
	{
		// The original's example writes `methods: [POST, PUT]`, its docs `allowed_methods: POST,PUT`;
		// a single `expected_value` / `method` works too. Any listed pattern may match.
		std::vector<std::string> patterns;
		for (const char * key : {"expected_value", "method", "methods", "allowed_methods"})
			for (auto & m : cfgList(t, key))
				patterns.push_back(std::move(m));
		for (const auto & m : patterns)
			if (std::string e = globError(m); !e.empty())
				err = "config.methods: \"" + m + "\" is not a valid pattern: " + e;
		if (patterns.empty())
			err = "config.methods is required for builtin_type method (e.g. [POST, PUT])";
		if (err.empty())
			out.tagger = std::make_unique<MethodTagger>(std::move(patterns));
	}
	else if (b == "header")
	{
		std::string name = cfgString(t, "header_name");
		if (trimmed(name).empty())
			err = "config.header_name is required for builtin_type header";
		else if (requirePattern(t, "expected_value", pattern, err))
			out.tagger = std::make_unique<HeaderTagger>(name, pattern);
	}
	else if (b == "query")
	{
		std::string name = cfgString(t, "param_name");
		if (name.empty())
			err = "config.param_name is required for builtin_type query";
		else if (requirePattern(t, "expected_value", pattern, err))
			out.tagger = std::make_unique<QueryTagger>(name, pattern);
	}
	else if (b == "body-json")
	{
		std::string path = cfgString(t, "json_path");
		std::vector<JsonPathStep> steps;
		std::string perr;
		if (path.empty())
			err = "config.json_path is required for builtin_type body-json";
		else if (!parseJsonPath(path, steps, perr))
			err = "config.json_path \"" + path + "\" is not a valid path: " + perr;
		else if (steps.front().isIndex)
			err = "config.json_path must start with a key (the body is an object)";
		else if (requirePattern(t, "expected_value", pattern, err))
			out.tagger = std::make_unique<BodyJsonTagger>(std::move(steps), pattern);
	}
	else if (b == "model")
	{
		if (requirePattern(t, "expected_value", pattern, err))
			out.tagger = std::make_unique<ModelTagger>(pattern);
	}
	else if (b == "user-message")
	{
		if (requirePattern(t, "expected_value", pattern, err))
			out.tagger = std::make_unique<UserMessageTagger>(pattern);
	}
	else if (b == "thinking")
	{
		double min = 0;
		cfgNumber(t, "min_budget_tokens", min, err);
		if (err.empty())
			out.tagger = std::make_unique<ThinkingTagger>(min, cfgBool(t, "adaptive", true));
	}
	else if (b == "context-size")
	{
		double min = 0;
		if (!cfgNumber(t, "min_tokens", min, err) || min <= 0)
		{
			if (err.empty())
				err = "config.min_tokens is required for builtin_type context-size: a token count > 0";
		}
		else
			out.tagger = std::make_unique<ContextSizeTagger>(min);
	}
	else if (b == "subagent")
	{
		std::string header = cfgHas(t, "agent_header") ? cfgString(t, "agent_header") : "x-claude-code-agent-id";
		std::vector<std::string> models = cfgHas(t, "model_patterns") ? cfgList(t, "model_patterns") : std::vector<std::string>{"*haiku*"};
		for (const auto & m : models)
			if (std::string e = globError(m); !e.empty())
				err = "config.model_patterns: \"" + m + "\" is not a valid pattern: " + e;
		if (err.empty())
			out.tagger = std::make_unique<SubagentTagger>(header, std::move(models));
	}
	else if (b == "has-tools")
	{
		std::string name = cfgString(t, "tool_name");
		if (!name.empty())
			if (std::string e = globError(name); !e.empty())
				err = "config.tool_name is not a valid pattern: " + e;
		if (err.empty())
			out.tagger = std::make_unique<HasToolsTagger>(name);
	}
	else if (b == "has-images")
	{
		double min = 1;
		cfgNumber(t, "min_images", min, err);
		if (err.empty())
			out.tagger = std::make_unique<HasImagesTagger>(static_cast<size_t>(std::max(1.0, min)));
	}
	else
		err = "unknown builtin_type \"" + b + "\"";
	if (!err.empty())
		out.tagger.reset();
	return out;
}

} // namespace ccc::routing
