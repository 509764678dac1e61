// The request converter works on the request bytes (strings copied as escaped, schemas cleaned in
// place): whitespace, escapes and key order of the input must not change what the upstream gets.
#include "openai_test_support.h"

using namespace openai_test;
namespace oa = ccc::openai;

TEST(OpenAIRequestBytes, ReorderSystemFirstWithoutSystemTextKeepsEveryMessage)
{
	oa::RequestOptions o;
	o.model = "m";
	o.reorderSystemFirst = true;
	auto r = oa::convertRequest(
		R"({"model":"x","max_tokens":5,"messages":[{"role":"user","content":"a"},{"role":"assistant","content":"b"}]})", o);
	ASSERT_TRUE(r.ok) << r.error;
	Json out = Json::parse(r.body);
	ASSERT_EQ(out["messages"].size(), 2u);
	EXPECT_EQ(out["messages"][0]["content"], "a");
	EXPECT_EQ(out["messages"][1]["content"], "b");
}

TEST(OpenAIRequestBytes, PrettyPrintedAndEscapedInputConvertsLikeCompactInput)
{
	const std::string compact = R"({"model":"x","max_tokens":5,"system":[{"type":"text","text":"s1"},{"type":"text","text":"s\u00e92"}],)"
		R"("messages":[{"role":"user","content":[{"type":"text","text":"q \"1\"\n\/"},{"type":"tool_result","tool_use_id":"t","is_error":true,"content":[{"type":"text","text":"e"}]}]},)"
		R"({"role":"assistant","content":[{"type":"tool_use","id":"t2","name":"Bash","input":{"cmd":"ls -l","n":1.50,"z":-0}}]}],)"
		R"("tools":[{"name":"Bash","description":"d\tx","input_schema":{"$schema":"s","type":"object","properties":{"const":{"const":3}}}}]})";
	Json parsed = Json::parse(compact);
	const std::string pretty = parsed.dump(3);
	oa::RequestOptions o;
	o.model = "m";
	auto a = oa::convertRequest(compact, o);
	auto b = oa::convertRequest(pretty, o);
	ASSERT_TRUE(a.ok) << a.error;
	ASSERT_TRUE(b.ok) << b.error;
	Json ja = Json::parse(a.body), jb = Json::parse(b.body);
	EXPECT_EQ(ja, jb);
	EXPECT_EQ(ja["messages"][0]["content"], "s1\ns\xC3\xA9" "2");
	EXPECT_EQ(ja["messages"][1]["content"], "[tool error] e");
	EXPECT_EQ(ja["messages"][2]["content"], "q \"1\"\n/");
	// Non-canonical tool input (a fraction, -0) goes through the serializer: same text both ways.
	EXPECT_EQ(ja["messages"][3]["tool_calls"][0]["function"]["arguments"], "{\"cmd\":\"ls -l\",\"n\":1.5,\"z\":0}");
	Json params = ja["tools"][0]["function"]["parameters"];
	EXPECT_FALSE(params.contains("$schema"));
	// A property called "const" survives; the keyword inside it becomes an enum.
	EXPECT_EQ(params["properties"]["const"], Json::parse(R"({"enum":[3]})"));
	EXPECT_EQ(ja["tools"][0]["function"]["description"], "d\tx");
}

TEST(OpenAIRequestBytes, ByteOrderMarkIsSkippedAndTrailingBytesRejected)
{
	oa::RequestOptions o;
	o.model = "m";
	const std::string body = R"({"messages":[{"role":"user","content":"hi"}]})";
	EXPECT_TRUE(oa::convertRequest("\xEF\xBB\xBF" + body, o).ok);
	EXPECT_FALSE(oa::convertRequest(body + "x", o).ok);
	EXPECT_FALSE(oa::convertRequest(R"({"messages":[{"role":"user","content":"\ud800"}]})", o).ok);
	EXPECT_FALSE(oa::convertRequest("{\"messages\":[{\"role\":\"user\",\"content\":\"\xC3\x28\"}]}", o).ok);
	auto bad = oa::convertRequest(R"({"messages":[{"role":"user","content":[{"type":5}]}]})", o);
	EXPECT_FALSE(bad.ok);
	EXPECT_NE(bad.error.find("cannot convert the request"), std::string::npos) << bad.error;
}
