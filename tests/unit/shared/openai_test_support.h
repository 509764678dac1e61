#pragma once
// Helpers for the table-driven OpenAI conversion tests (golden cases in tests/data/openai/).
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "ccc/openai/convert.h"

namespace openai_test
{

using Json = nlohmann::ordered_json;

inline std::string dataPath(const std::string & name)
{
	return std::string(CCC_TEST_DATA_DIR) + "/openai/" + name;
}

inline std::string readFile(const std::string & path)
{
	std::ifstream in(path, std::ios::binary);
	std::stringstream ss;
	ss << in.rdbuf();
	return ss.str();
}

inline Json readCases(const std::string & name)
{
	Json j = Json::parse(readFile(dataPath(name)), nullptr, false);
	return j;
}

/// Golden files are rewritten with the actual results when CCC_UPDATE_GOLDEN=1 (native only);
/// the diff is then reviewed by hand before committing.
inline bool updateGolden()
{
#ifdef __EMSCRIPTEN__
	return false;
#else
	const char * v = std::getenv("CCC_UPDATE_GOLDEN");
	return v && std::string(v) == "1";
#endif
}

inline void writeCases(const std::string & name, const Json & cases)
{
	std::ofstream out(dataPath(name), std::ios::binary);
	out << cases.dump(1, '\t') << "\n";
}

/// Semantic JSON comparison; an expected string ending in "*" matches any string with that prefix
/// (generated ids). Reports the path of the first difference.
inline bool sameJson(const Json & expected, const Json & actual, const std::string & path, std::string & diff)
{
	if (expected.is_string() && actual.is_string())
	{
		const std::string & e = expected.get_ref<const std::string &>();
		const std::string & a = actual.get_ref<const std::string &>();
		if (!e.empty() && e.back() == '*' && a.compare(0, e.size() - 1, e, 0, e.size() - 1) == 0)
			return true;
		if (e == a)
			return true;
	}
	else if (expected.is_object() && actual.is_object())
	{
		for (auto it = expected.begin(); it != expected.end(); ++it)
		{
			if (!actual.contains(it.key()))
			{
				diff = path + "." + it.key() + ": missing";
				return false;
			}
			if (!sameJson(it.value(), actual[it.key()], path + "." + it.key(), diff))
				return false;
		}
		for (auto it = actual.begin(); it != actual.end(); ++it)
			if (!expected.contains(it.key()))
			{
				diff = path + "." + it.key() + ": unexpected " + it.value().dump();
				return false;
			}
		return true;
	}
	else if (expected.is_array() && actual.is_array())
	{
		if (expected.size() != actual.size())
		{
			diff = path + ": " + std::to_string(actual.size()) + " elements, expected " + std::to_string(expected.size());
			return false;
		}
		for (size_t i = 0; i < expected.size(); ++i)
			if (!sameJson(expected[i], actual[i], path + "[" + std::to_string(i) + "]", diff))
				return false;
		return true;
	}
	else if (expected.is_number() && actual.is_number())
	{
		if (expected.get<double>() == actual.get<double>())
			return true;
	}
	else if (expected == actual)
		return true;
	diff = path + ": expected " + expected.dump() + ", got " + actual.dump();
	return false;
}

/// Builds an upstream SSE body from a case: "sse" items are data payloads (strings verbatim,
/// objects serialised; a string starting with ':' is a comment line); "raw" is used as is.
inline std::string sseBody(const Json & c)
{
	if (c.contains("raw"))
		return c["raw"].get<std::string>();
	std::string body;
	for (const auto & item : c["sse"])
	{
		if (item.is_string() && !item.get<std::string>().empty() && item.get<std::string>()[0] == ':')
			body += item.get<std::string>() + "\n\n"; // an SSE comment line
		else
			body += "data: " + (item.is_string() ? item.get<std::string>() : item.dump()) + "\n\n";
	}
	return body;
}

} // namespace openai_test
