#include "ccc/config/yaml_write.h"

#include <algorithm>
#include <cctype>
#include <set>

#include <yaml-cpp/yaml.h>

#include "ccc/config/json_mapping.h"
#include "ccc/config/yaml_config.h"

namespace ccc::config
{

namespace
{

using ojson = nlohmann::ordered_json;

bool plainSafe(const std::string & s)
{
	if (s.empty() || !(std::isalpha(static_cast<unsigned char>(s[0])) || s[0] == '/'))
		return false;
	for (unsigned char c : s)
		if (!(std::isalnum(c) || c == '_' || c == '.' || c == '/' || c == '-' || c == '+' || c == '@' || c == ':'))
			return false;
	// A ':' is plain text unless a space or the end follows it (URLs stay unquoted).
	if (s.back() == ':' || s.find(": ") != std::string::npos)
		return false;
	static const std::set<std::string> words = {"true", "false", "yes", "no", "on", "off", "null", "y", "n"};
	std::string lower;
	for (unsigned char c : s)
		lower += static_cast<char>(std::tolower(c));
	return !words.count(lower);
}

std::string scalarText(const ojson & v)
{
	if (v.is_string())
	{
		const std::string s = v.get<std::string>();
		return plainSafe(s) ? s : yamlQuote(s);
	}
	if (v.is_null())
		return "null";
	return v.dump();
}

std::string keyText(const std::string & k)
{
	return plainSafe(k) ? k : yamlQuote(k);
}

void emitValue(std::string & out, const ojson & v, int indent);

void emitItem(std::string & out, const ojson & v, int indent)
{
	const std::string pad(static_cast<size_t>(indent), ' ');
	if (v.is_object() && !v.empty())
	{
		bool first = true;
		for (auto it = v.begin(); it != v.end(); ++it)
		{
			out += first ? pad + "- " : pad + "  ";
			first = false;
			out += keyText(it.key()) + ":";
			emitValue(out, it.value(), indent + 4);
		}
	}
	else if (v.is_array() && !v.empty())
	{
		out += pad + "-\n";
		for (const auto & x : v)
			emitItem(out, x, indent + 2);
	}
	else if (v.is_object())
		out += pad + "- {}\n";
	else if (v.is_array())
		out += pad + "- []\n";
	else
		out += pad + "- " + scalarText(v) + "\n";
}

/// Writes what follows "key:" (a space and a scalar, or a newline and an indented block).
void emitValue(std::string & out, const ojson & v, int indent)
{
	const std::string pad(static_cast<size_t>(indent), ' ');
	if (v.is_object())
	{
		if (v.empty())
		{
			out += " {}\n";
			return;
		}
		out += "\n";
		for (auto it = v.begin(); it != v.end(); ++it)
		{
			out += pad + keyText(it.key()) + ":";
			emitValue(out, it.value(), indent + 2);
		}
	}
	else if (v.is_array())
	{
		if (v.empty())
		{
			out += " []\n";
			return;
		}
		out += "\n";
		for (const auto & x : v)
			emitItem(out, x, indent);
	}
	else
		out += " " + scalarText(v) + "\n";
}

/// Scalars of the file that sit in block context only (patchYamlScalars cannot find the end of a
/// plain scalar inside a flow collection `{a: 1, b: 2}`).
void blockScalars(const YAML::Node & n, const std::string & path, std::set<std::string> & out)
{
	if (n.IsScalar())
	{
		out.insert(path);
		return;
	}
	if (n.Style() == YAML::EmitterStyle::Flow)
		return;
	if (n.IsMap())
		for (auto it = n.begin(); it != n.end(); ++it)
			blockScalars(it->second, path.empty() ? it->first.Scalar() : path + "." + it->first.Scalar(), out);
	else if (n.IsSequence())
		for (size_t i = 0; i < n.size(); ++i)
			blockScalars(n[i], path + "[" + std::to_string(i) + "]", out);
}

/// Collects the scalar changes between a and b. False when the shapes differ (keys added or
/// removed, list sizes changed, a scalar became a container).
bool scalarDiffs(const ojson & a, const ojson & b, const std::string & path, std::vector<std::pair<std::string, ojson>> & out)
{
	if (a.is_object() && b.is_object())
	{
		if (a.size() != b.size())
			return false;
		for (auto it = b.begin(); it != b.end(); ++it)
		{
			if (!a.contains(it.key()))
				return false;
			if (!scalarDiffs(a[it.key()], it.value(), path + "." + it.key(), out))
				return false;
		}
		return true;
	}
	if (a.is_array() && b.is_array())
	{
		if (a.size() != b.size())
			return false;
		for (size_t i = 0; i < a.size(); ++i)
		{
			// A named element that now holds another element's name means the list was reordered:
			// patching values in place would leave each comment beside the wrong entry.
			if (a[i].is_object() && b[i].is_object() && a[i].contains("name") && b[i].contains("name") && a[i]["name"] != b[i]["name"])
				for (const auto & other : a)
					if (other.is_object() && other.contains("name") && other["name"] == b[i]["name"])
						return false;
			if (!scalarDiffs(a[i], b[i], path + "[" + std::to_string(i) + "]", out))
				return false;
		}
		return true;
	}
	if (a.is_structured() || b.is_structured())
		return a == b;
	if (a != b)
		out.push_back({path, b});
	return true;
}

/// Keys always written for list elements, even at their default values (they make an entry
/// readable on its own).
const std::set<std::string> & alwaysKept(const std::string & listKey)
{
	static const std::set<std::string> endpoint = {"name", "url", "endpoint_type", "auth_type", "auth_value", "enabled", "priority"};
	static const std::set<std::string> tagger = {"name", "type", "tag", "enabled"};
	static const std::set<std::string> none;
	return listKey == "endpoints" ? endpoint : listKey == "taggers" ? tagger : none;
}

ojson elementDefault(const std::string & listKey)
{
	Config c;
	if (listKey == "endpoints")
	{
		c.endpoints.emplace_back();
		return configToJson(c, false)["endpoints"][0];
	}
	if (listKey == "taggers")
	{
		c.tagging.taggers.emplace_back();
		return configToJson(c, false)["tagging"]["taggers"][0];
	}
	return ojson();
}

ojson prune(const ojson & v, const ojson & def, const ojson & file, const std::string & key);

/// A list element keeps the keys the file wrote for the same-named element, the always-kept keys
/// and whatever differs from the element default.
ojson pruneList(const ojson & list, const ojson & file, const std::string & key)
{
	const ojson def = elementDefault(key);
	if (def.is_null())
		return list;
	ojson out = ojson::array();
	for (const auto & el : list)
	{
		if (!el.is_object())
		{
			out.push_back(el);
			continue;
		}
		ojson fileEl;
		if (file.is_array())
			for (const auto & f : file)
				if (f.is_object() && f.contains("name") && el.contains("name") && f["name"] == el["name"])
					fileEl = f;
		ojson kept = ojson::object();
		for (auto it = el.begin(); it != el.end(); ++it)
		{
			const bool inFile = fileEl.is_object() && fileEl.contains(it.key());
			const bool isDefault = def.contains(it.key()) && def[it.key()] == it.value();
			const bool emptyValue = (it.value().is_string() || it.value().is_structured()) && it.value().empty();
			if (inFile || !isDefault || (alwaysKept(key).count(it.key()) && !emptyValue))
				kept[it.key()] = it.value();
		}
		out.push_back(std::move(kept));
	}
	return out;
}

ojson prune(const ojson & v, const ojson & def, const ojson & file, const std::string & key)
{
	if (v.is_array())
		return pruneList(v, file, key);
	if (!v.is_object())
		return v;
	ojson out = ojson::object();
	for (auto it = v.begin(); it != v.end(); ++it)
	{
		const ojson d = def.is_object() && def.contains(it.key()) ? def[it.key()] : ojson();
		const ojson f = file.is_object() && file.contains(it.key()) ? file[it.key()] : ojson();
		const bool inFile = file.is_object() && file.contains(it.key());
		ojson p = prune(it.value(), d, f, it.key());
		if (inFile || p != d)
		{
			if (p.is_object() && p.empty() && !inFile && !it.value().empty())
				continue;
			out[it.key()] = std::move(p);
		}
	}
	return out;
}

/// [start, end) byte offsets of each top-level key's section in the text.
struct Section
{
	size_t start = 0;
	size_t end = 0;
};

std::vector<std::pair<std::string, Section>> topLevelSections(const std::string & text)
{
	std::vector<std::pair<std::string, size_t>> starts;
	YAML::Node root = YAML::Load(text);
	if (root.IsMap())
		for (auto it = root.begin(); it != root.end(); ++it)
		{
			// Mark().pos is the key's offset; the section starts at its line.
			size_t pos = static_cast<size_t>(it->first.Mark().pos);
			size_t lineStart = text.rfind('\n', pos == 0 ? 0 : pos - 1);
			starts.push_back({it->first.Scalar(), lineStart == std::string::npos || pos == 0 ? 0 : lineStart + 1});
		}
	std::vector<std::pair<std::string, Section>> out;
	for (size_t i = 0; i < starts.size(); ++i)
	{
		size_t end = i + 1 < starts.size() ? starts[i + 1].second : text.size();
		// Comment and blank lines just before the next key introduce that key: leave them there.
		if (i + 1 < starts.size())
			while (end > starts[i].second)
			{
				size_t prevEnd = end - 1; // the '\n' ending the previous line
				size_t lineBegin = text.rfind('\n', prevEnd == 0 ? 0 : prevEnd - 1);
				lineBegin = (lineBegin == std::string::npos || prevEnd == 0) ? 0 : lineBegin + 1;
				if (lineBegin <= starts[i].second)
					break;
				std::string line = text.substr(lineBegin, prevEnd - lineBegin);
				size_t first = line.find_first_not_of(" \t\r");
				if (first == std::string::npos || (first == 0 && line[0] == '#'))
					end = lineBegin;
				else
					break;
			}
		out.push_back({starts[i].first, {starts[i].second, end}});
	}
	return out;
}

bool sameAsNext(const std::string & text, const ojson & nextJson, std::string & error)
{
	YamlLoadResult r = loadConfigYaml(text);
	if (hasErrors(r.diagnostics))
	{
		for (const auto & d : r.diagnostics)
			if (d.severity == Severity::Error)
			{
				error = "the written text does not load: " + d.toString();
				break;
			}
		return false;
	}
	if (configToJson(r.config, false) != nextJson)
	{
		error = "the written text does not read back as the intended configuration";
		return false;
	}
	return true;
}

std::string replaceSections(const std::string & text, const std::vector<std::string> & keys, const ojson & nextJson, const ojson & fileTree)
{
	const ojson defJson = configToJson(Config{}, false);
	std::string out = text;
	auto sections = topLevelSections(text);
	// Replace from the end so earlier offsets stay valid.
	std::vector<std::pair<size_t, std::pair<size_t, std::string>>> edits;
	std::string appended;
	for (const auto & key : keys)
	{
		const ojson fileSection = fileTree.is_object() && fileTree.contains(key) ? fileTree[key] : ojson();
		std::string block = emitYamlEntry(key, prune(nextJson[key], defJson[key], fileSection, key), 0);
		bool found = false;
		for (const auto & [k, s] : sections)
			if (k == key)
			{
				edits.push_back({s.start, {s.end, block}});
				found = true;
				break;
			}
		if (!found)
			appended += block;
	}
	std::sort(edits.begin(), edits.end(), [](const auto & a, const auto & b) { return a.first > b.first; });
	for (const auto & e : edits)
		out.replace(e.first, e.second.first - e.first, e.second.second);
	if (!appended.empty())
	{
		if (!out.empty() && out.back() != '\n')
			out += "\n";
		out += appended;
	}
	return out;
}

} // namespace

std::string emitYamlEntry(const std::string & key, const ojson & value, int indent)
{
	std::string out = std::string(static_cast<size_t>(indent), ' ') + keyText(key) + ":";
	emitValue(out, value, indent + 2);
	return out;
}

bool rewriteConfigYaml(const std::string & text, const Config & current, const Config & next, std::string & out, std::string & error)
{
	try
	{
		const ojson cur = configToJson(current, false);
		const ojson nxt = configToJson(next, false);
		ojson fileTree;
		std::string parseError;
		if (!yamlToJson(text, fileTree, parseError))
		{
			error = "config.yaml does not parse: " + parseError;
			return false;
		}
		std::set<std::string> patchable;
		blockScalars(YAML::Load(text), "", patchable);

		std::vector<std::pair<std::string, std::string>> scalarEdits;
		std::vector<std::string> reemit;
		for (auto it = nxt.begin(); it != nxt.end(); ++it)
		{
			const std::string & key = it.key();
			if (cur.contains(key) && cur[key] == it.value())
				continue;
			std::vector<std::pair<std::string, ojson>> diffs;
			bool ok = cur.contains(key) && scalarDiffs(cur[key], it.value(), key, diffs);
			for (const auto & d : diffs)
				ok = ok && patchable.count(d.first) > 0;
			if (!ok)
			{
				reemit.push_back(key);
				continue;
			}
			for (const auto & d : diffs)
				scalarEdits.push_back({d.first, scalarText(d.second)});
		}

		std::string candidate = text;
		std::string why;
		if (scalarEdits.empty() || patchYamlScalars(candidate, scalarEdits, why))
		{
			if (!reemit.empty())
				candidate = replaceSections(candidate, reemit, nxt, fileTree);
			if (sameAsNext(candidate, nxt, why))
			{
				out = std::move(candidate);
				return true;
			}
		}
		// The in-place edit did not give the intended result: re-emit every changed section.
		std::vector<std::string> all;
		for (auto it = nxt.begin(); it != nxt.end(); ++it)
			if (!cur.contains(it.key()) || cur[it.key()] != it.value())
				all.push_back(it.key());
		candidate = replaceSections(text, all, nxt, fileTree);
		if (!sameAsNext(candidate, nxt, error))
			return false;
		out = std::move(candidate);
		return true;
	}
	catch (const std::exception & e)
	{
		error = std::string("cannot rewrite config.yaml: ") + e.what();
		return false;
	}
}

} // namespace ccc::config
