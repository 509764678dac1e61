#include <gtest/gtest.h>

#include <cstring>

#include <nlohmann/json.hpp>

#include "ccc/json/scan.h"

using namespace ccc::json;

namespace
{

std::string at(std::string_view doc, std::string_view path)
{
	auto s = findPath(doc, path);
	return s ? std::string(s->of(doc)) : std::string("<none>");
}

bool valid(std::string_view doc)
{
	std::vector<Member> m;
	return scanObject(doc, m);
}

} // namespace

TEST(JsonScan, ListsTopLevelMembersInOrder)
{
	std::string doc = R"( { "b" : 1, "a":[1,{"x":"}"}] ,"c\u0041":"v\"",  "d":{} } )";
	std::vector<Member> m;
	ASSERT_TRUE(scanObject(doc, m));
	ASSERT_EQ(m.size(), 4u);
	EXPECT_EQ(m[0].key, "b");
	EXPECT_EQ(m[0].keySpan.of(doc), "\"b\"");
	EXPECT_EQ(m[0].valueSpan.of(doc), "1");
	EXPECT_EQ(m[1].key, "a");
	EXPECT_EQ(m[1].valueSpan.of(doc), R"([1,{"x":"}"}])");
	EXPECT_EQ(m[2].key, "cA");
	EXPECT_EQ(m[2].keySpan.of(doc), R"("c\u0041")");
	EXPECT_EQ(m[2].valueSpan.of(doc), R"("v\"")");
	EXPECT_EQ(m[3].valueSpan.of(doc), "{}");
}

TEST(JsonScan, AcceptsValidDocuments)
{
	const char * good[] = {
		"{}",
		" \t\r\n{ } \n",
		R"({"a":null,"b":true,"c":false})",
		R"({"n":[0,-0,1.5,-2.25e10,3E+2,4e-7,123456789012345678901234567890]})",
		R"({"s":"\"\\\/\b\f\n\r\t\u00e9\uD83D\uDE00"})",
		R"({"u":"中文 ✓ emoji 😀"})",
		R"({"a":[[[[]]]],"b":[{},{"":""}]})",
		R"({"dup":1,"dup":2})",
	};
	for (const char * g : good)
		EXPECT_TRUE(valid(g)) << g;
}

TEST(JsonScan, RejectsMalformedDocuments)
{
	const char * bad[] = {
		"",
		"   ",
		"[]",
		"\"s\"",
		"1",
		"{",
		"}",
		R"({"a":1,})",          // trailing comma
		R"({"a":[1,2,]})",      // trailing comma in array
		R"({,"a":1})",
		R"({"a" 1})",
		R"({"a":1 "b":2})",
		R"({a:1})",             // unquoted key
		R"({'a':1})",
		R"({"a":"unterminated})",
		R"({"a":"x)",
		"{\"a\":\"tab\there\"}",  // raw control character in a string
		"{\"a\":\"nl\nhere\"}",
		R"({"a":"\x"})",        // bad escape
		R"({"a":"\u12G4"})",
		R"({"a":"\u12"})",
		R"({"a":01})",          // leading zero
		R"({"a":1.})",
		R"({"a":.5})",
		R"({"a":-})",
		R"({"a":1e})",
		R"({"a":+1})",
		R"({"a":NaN})",
		R"({"a":Infinity})",
		R"({"a":tru})",
		R"({"a":nul})",
		R"({"a":True})",
		R"({"a":1}/*c*/)",
		R"({"a":1}//c)",
		R"({"a":1} {"b":2})",   // two documents
		R"({"a":1}x)",
		R"({"a":[1}])",
		R"({"a":{"b":1]})",
		R"({"a":[)",
	};
	for (const char * b : bad)
		EXPECT_FALSE(valid(b)) << b;
	// The embedded NUL case needs an explicit length.
	std::string withNul = std::string("{\"a\":\"x") + '\0' + "y\"}";
	EXPECT_FALSE(valid(withNul));
	std::string del = "{\"a\":\"x\x7fy\"}"; // DEL is not a control character for JSON
	EXPECT_TRUE(valid(del));
}

TEST(JsonScan, StringSpecialsAtEveryAlignment)
{
	// The string skipper reads 8 bytes at a time: put quotes, escapes and control characters at
	// every offset within a word to catch boundary mistakes.
	for (size_t pad = 0; pad < 20; ++pad)
	{
		std::string filler(pad, 'x');
		EXPECT_TRUE(valid("{\"k\":\"" + filler + "\"}")) << pad;
		EXPECT_TRUE(valid("{\"k\":\"" + filler + "\\\"" + filler + "\"}")) << pad;
		EXPECT_TRUE(valid("{\"k\":\"" + filler + "\\u00e9\xc3\xa9\"}")) << pad;
		EXPECT_FALSE(valid("{\"k\":\"" + filler + "\x01\"}")) << pad;
		EXPECT_FALSE(valid("{\"k\":\"" + filler + "\x1f\"}")) << pad;
		EXPECT_FALSE(valid("{\"k\":\"" + filler + "\\")) << pad;
		EXPECT_FALSE(valid("{\"k\":\"" + filler)) << pad;
		EXPECT_TRUE(valid("{\"k\":\"" + filler + "\x20\x7f\x80\xff\"}")) << pad;
	}
}

TEST(JsonScan, DepthLimit)
{
	auto nested = [](int n) {
		std::string s = "{\"a\":";
		s += std::string(size_t(n), '[');
		s += std::string(size_t(n), ']');
		s += "}";
		return s;
	};
	EXPECT_TRUE(valid(nested(100)));
	EXPECT_TRUE(valid(nested(511))); // 511 arrays inside the top-level object: depth 512
	EXPECT_FALSE(valid(nested(512)));
	// Far deeper than any stack could recurse: rejected quickly, no crash.
	EXPECT_FALSE(valid(nested(1000000)));
	std::string objs = "{";
	for (int i = 0; i < 100000; ++i)
		objs += "\"a\":{";
	EXPECT_FALSE(valid(objs));
	EXPECT_EQ(findPath(nested(1000000), "a"), std::nullopt);
}

TEST(JsonScan, ObjectAndArrayAtSpan)
{
	std::string doc = R"({"m":[{"role":"user","content":"hi"}, 2 ,"x"],"o":{"k":[]}})";
	auto m = findPath(doc, "m");
	ASSERT_TRUE(m);
	std::vector<Span> el;
	ASSERT_TRUE(scanArrayAt(doc, *m, el));
	ASSERT_EQ(el.size(), 3u);
	EXPECT_EQ(el[0].of(doc), R"({"role":"user","content":"hi"})");
	EXPECT_EQ(el[1].of(doc), "2");
	EXPECT_EQ(el[2].of(doc), "\"x\"");
	std::vector<Member> mem;
	ASSERT_TRUE(scanObjectAt(doc, el[0], mem));
	ASSERT_EQ(mem.size(), 2u);
	EXPECT_EQ(mem[1].key, "content");
	EXPECT_EQ(mem[1].valueSpan.of(doc), "\"hi\"");
	EXPECT_FALSE(scanObjectAt(doc, *m, mem));
	EXPECT_FALSE(scanArrayAt(doc, el[0], el));
	auto o = findPath(doc, "o.k");
	ASSERT_TRUE(o);
	EXPECT_TRUE(scanArrayAt(doc, *o, el));
	EXPECT_TRUE(el.empty());
	EXPECT_FALSE(scanArrayAt(doc, Span{5, 500}, el));
	EXPECT_FALSE(scanObjectAt(doc, Span{9, 3}, mem));
}

TEST(JsonScan, FindPath)
{
	std::string doc = R"({
		"model": "claude-opus-4-8",
		"metadata": {"user_id": "u1"},
		"messages": [
			{"role": "user", "content": [{"type":"text","text":"a"},{"type":"text","text":"b"}]},
			{"role": "assistant", "content": "ok"},
			{"role": "user", "content": "last"}
		],
		"headers": {"x.y": 1, "a\"b": 2, "é": 3},
		"grid": [[1,2],[3,[4,5]]],
		"dup": 1, "dup": 2
	})";
	EXPECT_EQ(at(doc, "model"), "\"claude-opus-4-8\"");
	EXPECT_EQ(at(doc, "metadata.user_id"), "\"u1\"");
	EXPECT_EQ(at(doc, "messages[0].role"), "\"user\"");
	EXPECT_EQ(at(doc, "messages[0].content[1].text"), "\"b\"");
	EXPECT_EQ(at(doc, "messages[0].content[-1].text"), "\"b\"");
	EXPECT_EQ(at(doc, "messages[0].content[-2].text"), "\"a\"");
	EXPECT_EQ(at(doc, "messages[-1].content"), "\"last\"");
	EXPECT_EQ(at(doc, "messages[-3].role"), "\"user\"");
	EXPECT_EQ(at(doc, "messages[-4]"), "<none>");
	EXPECT_EQ(at(doc, "messages[3]"), "<none>");
	EXPECT_EQ(at(doc, "messages[1]"), R"({"role": "assistant", "content": "ok"})");
	EXPECT_EQ(at(doc, "headers.\"x.y\""), "1");
	EXPECT_EQ(at(doc, "headers.\"a\\\"b\""), "2");
	EXPECT_EQ(at(doc, "headers.é"), "3");
	EXPECT_EQ(at(doc, "headers.x"), "<none>");
	EXPECT_EQ(at(doc, "grid[1][1][0]"), "4");
	EXPECT_EQ(at(doc, "grid[-1][-1][-1]"), "5");
	EXPECT_EQ(at(doc, "dup"), "2"); // last duplicate wins
	EXPECT_EQ(at(doc, "model.x"), "<none>");
	EXPECT_EQ(at(doc, "model[0]"), "<none>");
	EXPECT_EQ(at(doc, "metadata[0]"), "<none>");
	EXPECT_EQ(at(doc, "missing"), "<none>");
	EXPECT_EQ(at(doc, "messages.role"), "<none>");
	// Malformed paths.
	EXPECT_EQ(at(doc, "messages["), "<none>");
	EXPECT_EQ(at(doc, "messages[x]"), "<none>");
	EXPECT_EQ(at(doc, "messages[1.5]"), "<none>");
	EXPECT_EQ(at(doc, "a..b"), "<none>");
	EXPECT_EQ(at(doc, "model."), "<none>");
	EXPECT_EQ(at(doc, ".model"), "<none>");
	EXPECT_EQ(at(doc, "headers.\"x.y"), "<none>");
	EXPECT_EQ(at(doc, "messages[0]role"), "<none>");
	// The empty path is the whole document.
	EXPECT_EQ(at("  [1,2] ", ""), "[1,2]");
	EXPECT_EQ(at("[1,2] x", ""), "<none>");
	EXPECT_EQ(at(R"([{"a":1}])", "[0].a"), "1");
	// Quoted keys with escapes in the document.
	EXPECT_EQ(at(R"({"k\u0065y":7})", "key"), "7");
	// A malformed value on the way is not walked over.
	EXPECT_EQ(at(R"({"a":[1,,2],"b":1})", "b"), "<none>");
	EXPECT_EQ(at(R"({"a":1,"b":tru})", "a"), "<none>");
}

TEST(JsonScan, DecodeString)
{
	auto dec = [](std::string_view lit) {
		auto r = decodeString(lit, Span{0, lit.size()});
		return r ? *r : std::string("<none>");
	};
	EXPECT_EQ(dec(R"("plain")"), "plain");
	EXPECT_EQ(dec(R"("")"), "");
	EXPECT_EQ(dec(R"("a\"b\\c\/d\be\ff\ng\rh\ti")"), "a\"b\\c/d\be\ff\ng\rh\ti");
	EXPECT_EQ(dec(R"("\u0041\u00e9\u4e2d")"), "A\xc3\xa9\xe4\xb8\xad");
	EXPECT_EQ(dec(R"("\uD83D\uDE00")"), "\xf0\x9f\x98\x80");       // surrogate pair -> U+1F600
	EXPECT_EQ(dec(R"("\ud83d\ude00x")"), "\xf0\x9f\x98\x80x");
	EXPECT_EQ(dec(R"("\uD83Dx")"), "\xef\xbf\xbdx");               // lone high surrogate -> U+FFFD
	EXPECT_EQ(dec(R"("\uDE00")"), "\xef\xbf\xbd");                 // lone low surrogate
	EXPECT_EQ(dec(R"("\uD83D\u0041")"), "\xef\xbf\xbd" "A");       // high + non-low
	EXPECT_EQ(dec(R"("\u0000")"), std::string(1, '\0'));
	EXPECT_EQ(dec("\"raw \xe4\xb8\xad\""), "raw \xe4\xb8\xad");
	EXPECT_EQ(dec("123"), "<none>");
	EXPECT_EQ(dec(R"("unterminated)"), "<none>");
	EXPECT_EQ(dec(R"("a" )"), "<none>");
	EXPECT_EQ(dec(R"("\q")"), "<none>");
	EXPECT_EQ(dec("\"\x01\""), "<none>");
	std::string doc = R"({"k":"v\n"})";
	EXPECT_EQ(decodeString(doc, Span{5, 10}), std::optional<std::string>("v\n"));
	EXPECT_EQ(decodeString(doc, Span{5, 100}), std::nullopt);
	EXPECT_EQ(decodeString(doc, Span{5, 5}), std::nullopt);
}

TEST(JsonScan, QuoteRoundTrips)
{
	EXPECT_EQ(quote("abc"), "\"abc\"");
	EXPECT_EQ(quote("a\"b\\c"), R"("a\"b\\c")");
	EXPECT_EQ(quote("\n\r\t\b\f"), R"("\n\r\t\b\f")");
	EXPECT_EQ(quote(std::string("\x01\x1f", 2)), R"("\u0001\u001f")");
	EXPECT_EQ(quote(std::string(1, '\0')), R"("\u0000")");
	EXPECT_EQ(quote("中/é"), "\"中/é\"");
	std::string all;
	for (int c = 0; c < 256; ++c)
		all.push_back(char(c));
	std::string q = quote(all);
	auto back = decodeString(q, Span{0, q.size()});
	ASSERT_TRUE(back);
	EXPECT_EQ(*back, all);
}

TEST(JsonScan, ScannerAgreesWithNlohmannOnValidity)
{
	// A small differential check: documents that nlohmann accepts as objects must scan, and
	// vice versa (nlohmann also checks UTF-8, so keep the corpus ASCII).
	const char * docs[] = {
		R"({"a":[1,2,{"b":[true,false,null]}],"c":"d"})",
		R"({"a":-0.0e-0})",
		R"({"a":"\u0000"})",
		R"({"a":[1 2]})",
		R"({"a":{"b"}})",
		R"({"a":[],"b":{},"c":""})",
		R"({"a":00})",
		R"({"a":-01})",
		R"({"a":1.0E})",
		R"({"":0})",
	};
	// 1e400 is valid JSON syntax (nlohmann rejects it as out of range; the scanner does not care).
	EXPECT_TRUE(valid(R"({"a":1e400})"));
	for (const char * d : docs)
	{
		auto j = nlohmann::json::parse(d, nullptr, false);
		bool nl = !j.is_discarded() && j.is_object();
		EXPECT_EQ(valid(d), nl) << d;
	}
}

TEST(JsonEditor, ReplacesOnlyTheValueBytes)
{
	std::string doc = "{\"model\" : \"claude-opus-4-8\",\n  \"messages\":[{\"role\":\"user\",\"content\":\"x\\u00e9\"}],"
					  "\"max_tokens\":64000, \"stream\":true}";
	TopLevelEditor ed;
	EXPECT_TRUE(ed.empty());
	ed.set("model", quote("glm-4.6"));
	EXPECT_FALSE(ed.empty());
	std::string out;
	ASSERT_TRUE(ed.apply(doc, out));
	std::string expected = doc;
	size_t pos = expected.find("\"claude-opus-4-8\"");
	expected.replace(pos, std::strlen("\"claude-opus-4-8\""), "\"glm-4.6\"");
	EXPECT_EQ(out, expected);
	// Byte-for-byte: the prefix before the value and the suffix after it are untouched.
	EXPECT_EQ(out.substr(0, pos), doc.substr(0, pos));
	EXPECT_EQ(out.substr(pos + 9), doc.substr(pos + 17));
}

TEST(JsonEditor, NoEditsIsIdentity)
{
	std::string doc = " {\"a\" :1 ,\"b\":[ 1 ,2 ],\"c\":\"\\/\"}\n";
	TopLevelEditor ed;
	std::string out;
	ASSERT_TRUE(ed.apply(doc, out));
	EXPECT_EQ(out, doc);
	ed.set("b", "[ 1 ,2 ]");
	ASSERT_TRUE(ed.apply(doc, out));
	EXPECT_EQ(out, doc);
}

TEST(JsonEditor, RemoveAppendAndOrder)
{
	struct Case
	{
		std::string doc;
		std::vector<std::pair<std::string, std::optional<std::string>>> edits;
		std::string expected;
	};
	std::vector<Case> cases = {
		{R"({"a":1,"b":2,"c":3})", {{"b", std::nullopt}}, R"({"a":1,"c":3})"},
		{R"({"a":1,"b":2,"c":3})", {{"a", std::nullopt}}, R"({"b":2,"c":3})"},
		{R"({"a":1,"b":2,"c":3})", {{"c", std::nullopt}}, R"({"a":1,"b":2})"},
		{R"({"a":1})", {{"a", std::nullopt}}, R"({})"},
		{R"({"a":1,"b":2})", {{"a", std::nullopt}, {"b", std::nullopt}}, R"({})"},
		{R"({"a":1,"b":2,"c":3})", {{"a", std::nullopt}, {"c", std::nullopt}}, R"({"b":2})"},
		{R"({"a":1, "b":2, "c":3})", {{"b", std::nullopt}}, R"({"a":1, "c":3})"},
		{"{\n  \"a\": 1,\n  \"b\": 2\n}", {{"b", std::nullopt}}, "{\n  \"a\": 1\n}"},
		{"{\n  \"a\": 1,\n  \"b\": 2\n}", {{"a", std::nullopt}}, "{\n  \"b\": 2\n}"},
		{R"({"a":1})", {{"z", "true"}}, R"({"a":1,"z":true})"},
		{R"({})", {{"z", "true"}}, R"({"z":true})"},
		{" { } ", {{"z", "1"}, {"y", "2"}}, R"( { "z":1,"y":2} )"},
		{R"({"a":1})", {{"a", std::nullopt}, {"z", "2"}}, R"({"z":2})"},
		{R"({"a":1})", {{"z", "2"}, {"z", "3"}}, R"({"a":1,"z":3})"},
		{R"({"a":1})", {{"z", "2"}, {"z", std::nullopt}}, R"({"a":1})"},
		{R"({"a":1})", {{"a", std::nullopt}, {"a", "5"}}, R"({"a":5})"},
		{R"({"a":1,"b":2})", {{"a", "[1]"}, {"b", "{\"x\":null}"}}, R"({"a":[1],"b":{"x":null}})"},
		{R"({"a":1,"a":2})", {{"a", "9"}}, R"({"a":9,"a":9})"},
		{R"({"a":1,"a":2,"b":3})", {{"a", std::nullopt}}, R"({"b":3})"},
		{R"({"a":1})", {{"missing", std::nullopt}}, R"({"a":1})"},
		{R"({"a":1})", {{"q\"k", "1"}}, R"({"a":1,"q\"k":1})"},
		{R"({"k\u0065y":1})", {{"key", "2"}}, R"({"k\u0065y":2})"},
	};
	for (const auto & c : cases)
	{
		TopLevelEditor ed;
		for (const auto & e : c.edits)
		{
			if (e.second)
				ed.set(e.first, *e.second);
			else
				ed.remove(e.first);
		}
		std::string out;
		ASSERT_TRUE(ed.apply(c.doc, out)) << c.doc;
		EXPECT_EQ(out, c.expected) << c.doc;
		EXPECT_TRUE(valid(out)) << out;
	}
}

TEST(JsonEditor, RejectsNonObjects)
{
	TopLevelEditor ed;
	ed.set("a", "1");
	std::string out = "keep";
	EXPECT_FALSE(ed.apply("[1]", out));
	EXPECT_FALSE(ed.apply("{\"a\":1,}", out));
	EXPECT_FALSE(ed.apply("", out));
}

TEST(JsonEditor, LargeBodyOnlyModelBytesDiffer)
{
	// A Claude Code shaped body: every byte outside the model value must survive.
	std::string doc = "{\"model\":\"claude-opus-4-8\",\"messages\":[";
	for (int i = 0; i < 200; ++i)
	{
		if (i)
			doc += ',';
		doc += "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"line " + std::to_string(i)
			+ " \\\"quoted\\\" \\u00e9 \\n\",\"cache_control\":{\"type\":\"ephemeral\"}}]}";
	}
	doc += "],\"tools\":[],\"max_tokens\":32000,\"stream\":true}";
	TopLevelEditor ed;
	ed.set("model", quote("claude-haiku-4-5-20251001"));
	std::string out;
	ASSERT_TRUE(ed.apply(doc, out));
	size_t pos = doc.find("claude-opus-4-8");
	EXPECT_EQ(out.compare(0, pos, doc, 0, pos), 0);
	size_t tailDoc = pos + std::strlen("claude-opus-4-8");
	size_t tailOut = pos + std::strlen("claude-haiku-4-5-20251001");
	EXPECT_EQ(out.substr(tailOut), doc.substr(tailDoc));
	EXPECT_EQ(at(out, "model"), "\"claude-haiku-4-5-20251001\"");
}
