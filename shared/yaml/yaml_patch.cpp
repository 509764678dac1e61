#include <algorithm>

#include <yaml-cpp/yaml.h>

#include "ccc/config/yaml_config.h"

namespace ccc::config
{

namespace
{

/// Splits "a.b[2].c" into steps; an index step is marked by a leading '['.
std::vector<std::string> splitPath(const std::string & path)
{
	std::vector<std::string> out;
	std::string cur;
	for (size_t i = 0; i < path.size(); ++i)
	{
		char c = path[i];
		if (c == '.')
		{
			if (!cur.empty())
				out.push_back(cur);
			cur.clear();
		}
		else if (c == '[')
		{
			if (!cur.empty())
				out.push_back(cur);
			size_t close = path.find(']', i);
			out.push_back(path.substr(i, close - i));
			cur.clear();
			i = close;
		}
		else
			cur.push_back(c);
	}
	if (!cur.empty())
		out.push_back(cur);
	return out;
}

/// End offset of the scalar token starting at `pos`.
size_t scalarEnd(const std::string & text, size_t pos)
{
	if (pos < text.size() && text[pos] == '"')
	{
		for (size_t i = pos + 1; i < text.size(); ++i)
		{
			if (text[i] == '\\')
				++i;
			else if (text[i] == '"')
				return i + 1;
		}
		return std::string::npos;
	}
	if (pos < text.size() && text[pos] == '\'')
	{
		for (size_t i = pos + 1; i < text.size(); ++i)
			if (text[i] == '\'')
			{
				if (i + 1 < text.size() && text[i + 1] == '\'')
					++i;
				else
					return i + 1;
			}
		return std::string::npos;
	}
	size_t eol = text.find('\n', pos);
	if (eol == std::string::npos)
		eol = text.size();
	size_t comment = text.find(" #", pos);
	size_t end = std::min(eol, comment == std::string::npos ? eol : comment);
	while (end > pos && (text[end - 1] == ' ' || text[end - 1] == '\t' || text[end - 1] == '\r'))
		--end;
	return end;
}

} // namespace

std::string yamlQuote(const std::string & value)
{
	std::string out = "\"";
	for (unsigned char c : value)
	{
		if (c == '"' || c == '\\')
		{
			out += '\\';
			out += static_cast<char>(c);
		}
		else if (c == '\n')
			out += "\\n";
		else if (c == '\t')
			out += "\\t";
		else if (c < 0x20)
		{
			char buf[8];
			std::snprintf(buf, sizeof buf, "\\x%02x", c);
			out += buf;
		}
		else
			out += static_cast<char>(c);
	}
	return out + "\"";
}

bool patchYamlScalars(std::string & text, const std::vector<std::pair<std::string, std::string>> & edits, std::string & error)
{
	std::vector<std::pair<size_t, std::pair<size_t, std::string>>> spans; // start -> (end, replacement)
	try
	{
		YAML::Node root = YAML::Load(text);
		for (const auto & [path, value] : edits)
		{
			// yaml-cpp's Node::operator= assigns content; walking must rebind with reset(), and
			// lookups must go through a const Node so they never create keys.
			YAML::Node node;
			node.reset(root);
			for (const std::string & step : splitPath(path))
			{
				if (!node || !node.IsDefined())
					break;
				const YAML::Node current = node;
				YAML::Node next = step.front() == '[' ? current[std::stoul(step.substr(1))] : current[step];
				node.reset(next);
			}
			if (!node || !node.IsDefined() || !node.IsScalar())
			{
				error = path + ": no scalar value to replace in the file";
				return false;
			}
			size_t start = static_cast<size_t>(node.Mark().pos);
			size_t end = scalarEnd(text, start);
			if (end == std::string::npos || end < start)
			{
				error = path + ": cannot find the end of its value";
				return false;
			}
			spans.push_back({start, {end, value}});
		}
	}
	catch (const std::exception & e)
	{
		error = std::string("cannot parse the file: ") + e.what();
		return false;
	}
	std::sort(spans.begin(), spans.end(), [](const auto & a, const auto & b) { return a.first > b.first; });
	for (const auto & s : spans)
		text.replace(s.first, s.second.first - s.first, s.second.second);
	return true;
}

} // namespace ccc::config
