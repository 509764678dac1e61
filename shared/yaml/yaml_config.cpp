#include "ccc/config/yaml_config.h"

#include <cmath>
#include <cstdlib>
#include <map>

#include <yaml-cpp/yaml.h>

#include "ccc/config/json_mapping.h"
#include "ccc/config/validate.h"

namespace ccc::config
{

using json = nlohmann::ordered_json;

namespace
{

using Marks = std::vector<std::pair<std::string, std::pair<int, int>>>;

/// A key that appears twice in one mapping: where the second one is, and where the first was.
struct Duplicate
{
	std::string path;
	int line = 0;
	int column = 0;
	int firstLine = 0;
};

json plainScalar(const std::string & s)
{
	if (s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL")
		return nullptr;
	if (s == "true" || s == "True" || s == "TRUE")
		return true;
	if (s == "false" || s == "False" || s == "FALSE")
		return false;
	// Integers: decimal with optional sign (0x/0o forms are left as strings on purpose).
	{
		size_t i = (s[0] == '-' || s[0] == '+') ? 1 : 0;
		bool digits = i < s.size();
		for (size_t j = i; j < s.size(); ++j)
			if (!std::isdigit(static_cast<unsigned char>(s[j])))
				digits = false;
		// Leading zeros ("0012") are kept as strings: they are codes, not numbers.
		if (digits && !(s.size() - i > 1 && s[i] == '0'))
		{
			errno = 0;
			char * end = nullptr;
			long long v = std::strtoll(s.c_str(), &end, 10);
			if (errno == 0 && *end == '\0')
				return static_cast<int64_t>(v);
		}
	}
	// Floats: digits with a dot or exponent.
	{
		bool looks = s.find_first_of(".eE") != std::string::npos && s.find_first_not_of("0123456789+-.eE") == std::string::npos
			&& std::isdigit(static_cast<unsigned char>(s[s[0] == '-' || s[0] == '+' ? 1 : 0]));
		if (looks)
		{
			char * end = nullptr;
			double d = std::strtod(s.c_str(), &end);
			if (end && *end == '\0' && std::isfinite(d))
				return d;
		}
	}
	return s;
}

void convert(const YAML::Node & node, json & out, const std::string & path, Marks * marks, std::vector<Duplicate> & dupes)
{
	if (marks && !path.empty())
		marks->push_back({path, {node.Mark().line + 1, node.Mark().column + 1}});
	switch (node.Type())
	{
		case YAML::NodeType::Null:
		case YAML::NodeType::Undefined: out = nullptr; break;
		case YAML::NodeType::Scalar:
		{
			const std::string & tag = node.Tag();
			if (tag == "?")
				out = plainScalar(node.Scalar());
			else if (tag == "tag:yaml.org,2002:int" || tag == "tag:yaml.org,2002:float" || tag == "tag:yaml.org,2002:bool"
				|| tag == "tag:yaml.org,2002:null")
				out = plainScalar(node.Scalar());
			else
				out = node.Scalar();
			break;
		}
		case YAML::NodeType::Sequence:
		{
			out = json::array();
			size_t i = 0;
			for (const auto & item : node)
			{
				json child;
				convert(item, child, path + "[" + std::to_string(i) + "]", marks, dupes);
				out.push_back(std::move(child));
				++i;
			}
			break;
		}
		case YAML::NodeType::Map:
		{
			out = json::object();
			std::map<std::string, int> keyLines;
			for (const auto & kv : node)
			{
				std::string key = kv.first.IsScalar() ? kv.first.Scalar() : std::string("?");
				std::string childPath = path.empty() ? key : path + "." + key;
				const int line = kv.first.Mark().line + 1;
				const int column = kv.first.Mark().column + 1;
				auto [seen, fresh] = keyLines.emplace(key, line);
				if (!fresh)
					dupes.push_back({childPath, line, column, seen->second});
				const size_t at = marks ? marks->size() : 0;
				json child;
				convert(kv.second, child, childPath, marks, dupes);
				// Point at the key, which is where a reader looks for it (the child's own entry is
				// the first one it pushed; its descendants follow).
				if (marks && at < marks->size())
					(*marks)[at].second = {line, column};
				out[key] = std::move(child);
			}
			break;
		}
	}
}

/// True when the 1-based line `line` of `text` has a tab in its leading whitespace.
bool indentedWithTab(const std::string & text, int line)
{
	size_t start = 0;
	for (int i = 1; i < line && start != std::string::npos; ++i)
	{
		start = text.find('\n', start);
		if (start != std::string::npos)
			++start;
	}
	if (start == std::string::npos)
		return false;
	for (size_t i = start; i < text.size() && (text[i] == ' ' || text[i] == '\t'); ++i)
		if (text[i] == '\t')
			return true;
	return false;
}

/// Finds the best-known position for a diagnostic path: the path itself, else its nearest parent.
std::pair<int, int> locate(const std::map<std::string, std::pair<int, int>> & marks, std::string path)
{
	while (!path.empty())
	{
		auto it = marks.find(path);
		if (it != marks.end())
			return it->second;
		size_t cut = path.find_last_of(".[");
		if (cut == std::string::npos)
			break;
		path.resize(cut);
	}
	return {0, 0};
}

} // namespace

bool yamlToJson(const std::string & text, json & out, std::string & error, Marks * marks)
{
	try
	{
		YAML::Node root = YAML::Load(text);
		std::vector<Duplicate> dupes;
		convert(root, out, "", marks, dupes);
		return true;
	}
	catch (const YAML::Exception & e)
	{
		error = e.what();
		return false;
	}
}

YamlLoadResult loadConfigYaml(const std::string & text)
{
	YamlLoadResult r;
	Marks marks;
	std::vector<Duplicate> dupes;
	try
	{
		YAML::Node root = YAML::Load(text);
		convert(root, r.tree, "", &marks, dupes);
	}
	catch (const YAML::Exception & e)
	{
		Diagnostic d;
		d.severity = Severity::Error;
		d.message = "invalid YAML: " + e.msg;
		d.line = e.mark.is_null() ? 0 : e.mark.line + 1;
		d.column = e.mark.is_null() ? 0 : e.mark.column + 1;
		// yaml-cpp's message for a tab in the indentation ("illegal map value") does not say why.
		if (d.line > 0 && indentedWithTab(text, d.line))
			d.message += " (indent with spaces: YAML does not allow tabs in indentation)";
		r.diagnostics.push_back(d);
		return r;
	}
	r.parsed = true;
	// The original's YAML reader (yaml.v3) refuses duplicate keys too; silently taking one of the
	// two values would leave the user editing the one that does not count.
	for (const auto & dup : dupes)
		r.diagnostics.push_back({Severity::Error, dup.path,
			"is defined twice in the same mapping (first at line " + std::to_string(dup.firstLine) + "); remove one",
			dup.line, dup.column});
	if (r.tree.is_null())
		r.tree = json::object(); // an empty file is an all-defaults config
	Diagnostics mapped = configFromJson(r.tree, r.config);
	r.diagnostics.insert(r.diagnostics.end(), mapped.begin(), mapped.end());
	// Validate even when some keys could not be read (they keep their defaults), so one run
	// reports every problem; skip findings about a key that already has a mapping error.
	std::vector<std::string> unreadable;
	for (const auto & d : mapped)
		if (d.severity == Severity::Error)
			unreadable.push_back(d.path);
	auto under = [](const std::string & path, const std::string & base) {
		return path == base || (path.size() > base.size() && path.compare(0, base.size(), base) == 0
									&& (path[base.size()] == '.' || path[base.size()] == '['));
	};
	for (auto & d : validate(r.config))
	{
		bool shadowed = false;
		for (const auto & u : unreadable)
			shadowed = shadowed || u.empty() || under(d.path, u);
		if (!shadowed)
			r.diagnostics.push_back(std::move(d));
	}
	std::map<std::string, std::pair<int, int>> index(marks.begin(), marks.end());
	for (auto & d : r.diagnostics)
		if (d.line == 0)
		{
			auto [line, col] = locate(index, d.path);
			d.line = line;
			d.column = col;
		}
	return r;
}

std::string formatDiagnostics(const Diagnostics & diags, const std::string & sourceName)
{
	std::string out;
	for (const auto & d : diags)
	{
		out += sourceName;
		if (d.line > 0)
			out += ":" + std::to_string(d.line) + ":" + std::to_string(d.column);
		out += d.severity == Severity::Error ? ": error: " : ": warning: ";
		out += d.toString();
		out += "\n";
	}
	return out;
}

} // namespace ccc::config
