#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "ccc/json/scan.h"

// The scanner against nlohmann (differential, on ASCII input where both must agree), plus
// round-trip properties of spans, decodeString, quote, findPath and TopLevelEditor.
namespace
{

bool isAscii(std::string_view s)
{
	for (char c : s)
	{
		if (static_cast<unsigned char>(c) >= 0x80)
			return false;
	}
	return true;
}

int depthOf(std::string_view s)
{
	// An upper bound of the nesting depth (brackets inside strings count too).
	int d = 0, m = 0;
	for (char c : s)
	{
		if (c == '{' || c == '[')
			m = std::max(m, ++d);
		else if (c == '}' || c == ']')
			--d;
	}
	return m;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t * bytes, size_t size)
{
	using namespace ccc::json;
	std::string_view input(reinterpret_cast<const char *>(bytes), size);
	// Optional "path\n" prefix for findPath.
	std::string_view path;
	std::string_view doc = input;
	size_t nl = input.find('\x01');
	if (nl != std::string_view::npos && nl < 64)
	{
		path = input.substr(0, nl);
		doc = input.substr(nl + 1);
	}

	std::vector<Member> members;
	bool ok = scanObject(doc, members);

	// nlohmann stops reading at a NUL byte and accepts what came before; the scanner does not.
	if (isAscii(doc) && depthOf(doc) < 500 && doc.find('\0') == std::string_view::npos)
	{
		bool nlOk = false;
		bool rangeIssue = false;
		try
		{
			nlohmann::json j = nlohmann::json::parse(doc);
			nlOk = j.is_object();
		}
		catch (const nlohmann::json::out_of_range &)
		{
			rangeIssue = true; // 1e999: valid syntax nlohmann cannot hold
		}
		catch (const nlohmann::json::parse_error & e)
		{
			// nlohmann reports out-of-range numbers as a parse error too ("number overflow").
			// Lone surrogate escapes (\uD800) are valid JSON syntax that nlohmann refuses to decode.
			std::string what = e.what();
			rangeIssue = what.find("number overflow") != std::string::npos
				|| what.find("surrogate") != std::string::npos;
		}
		catch (...)
		{
		}
		if (!rangeIssue && nlOk != ok)
			std::abort();
	}

	if (ok)
	{
		for (const auto & m : members)
		{
			auto k = decodeString(doc, m.keySpan);
			if (!k || *k != m.key)
				std::abort();
			auto v = findPath(doc.substr(m.valueSpan.begin, m.valueSpan.end - m.valueSpan.begin), "");
			if (!v || v->begin != 0 || v->end != m.valueSpan.end - m.valueSpan.begin)
				std::abort();
			std::string q = quote(m.key);
			auto back = decodeString(q, Span{0, q.size()});
			if (!back || *back != m.key)
				std::abort();
			std::vector<Member> inner;
			std::vector<Span> elems;
			std::string_view vt = m.valueSpan.of(doc);
			if (vt[0] == '{' && !scanObjectAt(doc, m.valueSpan, inner))
				std::abort();
			if (vt[0] == '[' && !scanArrayAt(doc, m.valueSpan, elems))
				std::abort();
		}
		// Editing: identity, replace, remove, append all keep a valid object.
		TopLevelEditor none;
		std::string out;
		if (!none.apply(doc, out) || out != doc)
			std::abort();
		if (!members.empty())
		{
			TopLevelEditor ed;
			ed.set(members.front().key, "null");
			ed.remove(members.back().key);
			ed.set("__fuzz", "[1,{\"a\":\"b\"}]");
			std::vector<Member> after;
			if (!ed.apply(doc, out) || !scanObject(out, after))
				std::abort();
			auto added = findPath(out, "\"__fuzz\"");
			if (members.back().key != "__fuzz" && (!added || added->of(out) != "[1,{\"a\":\"b\"}]"))
				std::abort();
		}
	}
	if (!path.empty())
	{
		auto s = findPath(doc, path);
		if (s && !findPath(s->of(doc), ""))
			std::abort();
	}
	return 0;
}
