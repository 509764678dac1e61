#include "openai_test_support.h"

#include "ccc/util/md5.h"

using namespace openai_test;
namespace oa = ccc::openai;

namespace
{

oa::RequestOptions requestOptions(const Json & c)
{
	oa::RequestOptions o;
	o.model = "gpt-test";
	if (!c.contains("options"))
		return o;
	const Json & j = c["options"];
	if (j.contains("model"))
		o.model = j["model"].get<std::string>();
	if (j.contains("maxTokensField"))
		o.maxTokensField = j["maxTokensField"].get<std::string>();
	if (j.contains("maxTokensLimit"))
		o.maxTokensLimit = j["maxTokensLimit"].get<int64_t>();
	if (j.contains("reorderSystemFirst"))
		o.reorderSystemFirst = j["reorderSystemFirst"].get<bool>();
	if (j.contains("keepThinkingHistory"))
		o.keepThinkingHistory = j["keepThinkingHistory"].get<bool>();
	if (j.contains("stripSchemaKeywords"))
		o.stripSchemaKeywords = j["stripSchemaKeywords"].get<std::vector<std::string>>();
	return o;
}

/// The actual outcome of a case, in the golden file's "expect" shape.
Json runRequestCase(const Json & c)
{
	std::string body = c["anthropic"].is_string() ? c["anthropic"].get<std::string>() : c["anthropic"].dump();
	auto r = oa::convertRequest(body, requestOptions(c));
	Json e;
	if (r.ok)
	{
		e["openai"] = Json::parse(r.body);
		e["stream"] = r.stream;
	}
	else
	{
		e["error_field"] = r.errorField;
		e["error"] = r.error;
	}
	return e;
}

} // namespace

TEST(OpenAIRequest, GoldenCases)
{
	Json cases = readCases("requests.json");
	ASSERT_TRUE(cases.is_array()) << "cannot read requests.json";
	bool update = updateGolden();
	for (auto & c : cases)
	{
		SCOPED_TRACE(c["name"].get<std::string>());
		Json actual = runRequestCase(c);
		if (update)
		{
			c["expect"] = actual;
			continue;
		}
		ASSERT_TRUE(c.contains("expect"));
		std::string diff;
		EXPECT_TRUE(sameJson(c["expect"], actual, "expect", diff)) << diff;
	}
	if (update)
		writeCases("requests.json", cases);
}

TEST(OpenAIRequest, OutputIsDeterministicAndByteStable)
{
	// Prompt caching upstream depends on byte-identical prefixes: the same input gives the same bytes.
	std::string body = readFile(dataPath("claude_code_request.json"));
	oa::RequestOptions o;
	o.model = "glm-4.6";
	auto a = oa::convertRequest(body, o);
	auto b = oa::convertRequest(body, o);
	ASSERT_TRUE(a.ok) << a.error;
	EXPECT_EQ(a.body, b.body);
}

TEST(OpenAIRequest, RealisticClaudeCodeRequestConverts)
{
	std::string body = readFile(dataPath("claude_code_request.json"));
	ASSERT_GT(body.size(), 20000u);
	oa::RequestOptions o;
	o.model = "deepseek-chat";
	o.maxTokensLimit = 8192;
	auto r = oa::convertRequest(body, o);
	ASSERT_TRUE(r.ok) << r.errorField << " " << r.error;
	EXPECT_TRUE(r.stream);
	Json out = Json::parse(r.body);
	Json in = Json::parse(body);
	EXPECT_EQ(out["model"], "deepseek-chat");
	EXPECT_EQ(out["max_tokens"], 8192);
	EXPECT_EQ(out["stream_options"]["include_usage"], true);
	EXPECT_EQ(out["reasoning_effort"], "high");
	ASSERT_EQ(out["tools"].size(), in["tools"].size());
	EXPECT_GE(out["tools"].size(), 20u);
	EXPECT_TRUE(out["user"].get<std::string>().rfind("hashed-", 0) == 0);
	EXPECT_FALSE(out.contains("context_management"));
	EXPECT_FALSE(out.contains("output_config"));
	EXPECT_FALSE(out.contains("thinking"));
	EXPECT_FALSE(out.contains("metadata"));
	// No stripped keyword survives anywhere in the tool schemas, except as a property name.
	std::function<void(const Json &, bool)> check = [&](const Json & s, bool propertyMap) {
		if (s.is_object())
		{
			for (auto it = s.begin(); it != s.end(); ++it)
			{
				if (!propertyMap)
				{
					for (const auto & k : oa::defaultStripKeywords())
					{
						EXPECT_NE(it.key(), k);
					}
				}
				check(it.value(), !propertyMap && (it.key() == "properties" || it.key() == "$defs"));
			}
		}
		else if (s.is_array())
		{
			for (const auto & v : s)
				check(v, false);
		}
	};
	for (const auto & t : out["tools"])
	{
		EXPECT_EQ(t["type"], "function");
		check(t["function"]["parameters"], false);
	}
	// The leading system message, then the conversation: the mid-conversation system message in place.
	EXPECT_EQ(out["messages"][0]["role"], "system");
	EXPECT_EQ(out["messages"][1]["role"], "user");
	EXPECT_EQ(out["messages"][2]["role"], "system");
	// tool messages follow the assistant message that called them.
	for (size_t i = 0; i < out["messages"].size(); ++i)
	{
		const Json & m = out["messages"][i];
		if (m["role"] != "tool")
			continue;
		size_t j = i;
		while (j > 0 && out["messages"][j - 1]["role"] == "tool")
			--j;
		ASSERT_GT(j, 0u);
		const Json & caller = out["messages"][j - 1];
		ASSERT_EQ(caller["role"], "assistant");
		bool found = false;
		for (const auto & tc : caller["tool_calls"])
			found = found || tc["id"] == m["tool_call_id"];
		EXPECT_TRUE(found) << m.dump();
	}
	// Thinking blocks (with Anthropic signatures) are not sent.
	EXPECT_EQ(r.body.find("signature"), std::string::npos);
}

TEST(OpenAIRequest, ReorderSystemFirstMergesEverySystemMessage)
{
	std::string body = readFile(dataPath("claude_code_request.json"));
	oa::RequestOptions o;
	o.model = "m";
	o.reorderSystemFirst = true;
	auto r = oa::convertRequest(body, o);
	ASSERT_TRUE(r.ok) << r.error;
	Json out = Json::parse(r.body);
	EXPECT_EQ(out["messages"][0]["role"], "system");
	for (size_t i = 1; i < out["messages"].size(); ++i)
		EXPECT_NE(out["messages"][i]["role"], "system");
}

TEST(OpenAIRequest, InvalidBodiesFailWithoutThrowing)
{
	oa::RequestOptions o;
	o.model = "m";
	for (std::string body : {"", "null", "[1]", "{", "{\"messages\": 5}", "{\"messages\": [{\"role\": 5}]}",
			 "{\"messages\": [{\"role\":\"user\",\"content\":[{\"type\":7}]}]}",
			 "{\"messages\": [], \"max_tokens\": \"many\"}", "{\"messages\": [], \"tools\": [{\"type\": {}}]}"})
	{
		auto r = oa::convertRequest(body, o);
		EXPECT_FALSE(r.ok) << body;
		EXPECT_FALSE(r.error.empty()) << body;
	}
}

TEST(OpenAIRequest, EstimateInputTokensIsDeterministicAndCountsCjkDenser)
{
	std::string latin = R"({"messages":[{"role":"user","content":"abcdefghabcdefgh"}]})";   // 16 chars -> 4 + 4
	std::string cjk = R"({"messages":[{"role":"user","content":"中文中文中文"}]})";              // 6 chars -> 4 + 4
	EXPECT_EQ(oa::estimateInputTokens(latin), 8);
	EXPECT_EQ(oa::estimateInputTokens(cjk), 8);
	EXPECT_EQ(oa::estimateInputTokens("not json"), 0);
	std::string body = readFile(dataPath("claude_code_request.json"));
	int64_t n = oa::estimateInputTokens(body);
	EXPECT_EQ(n, oa::estimateInputTokens(body));
	// ~4 characters per token over the whole body is the right order of magnitude.
	EXPECT_GT(n, int64_t(body.size() / 8));
	EXPECT_LT(n, int64_t(body.size() / 2));
}

TEST(Md5, KnownVectors)
{
	// RFC 1321 appendix A.5
	EXPECT_EQ(ccc::util::md5Hex(""), "d41d8cd98f00b204e9800998ecf8427e");
	EXPECT_EQ(ccc::util::md5Hex("a"), "0cc175b9c0f1b6a831c399e269772661");
	EXPECT_EQ(ccc::util::md5Hex("abc"), "900150983cd24fb0d6963f7d28e17f72");
	EXPECT_EQ(ccc::util::md5Hex("message digest"), "f96b697d7cb7938d525a2f31aaf161d0");
	EXPECT_EQ(ccc::util::md5Hex("12345678901234567890123456789012345678901234567890123456789012345678901234567890"),
		"57edf4a22be3c955ac49da2e2107b67a");
	EXPECT_EQ(ccc::util::md5Hex(std::string(55, 'x')).size(), 32u);
	EXPECT_EQ(ccc::util::md5Hex(std::string(56, 'x')), "668a72d5ba17f08e62dabcafad6db14b");
	EXPECT_EQ(ccc::util::md5Hex(std::string(64, 'x')), "c1bb4f81d892b2d57947682aeb252456");
}

TEST(OpenAIRequest, RealCapturedClaudeCodeRequestConverts)
{
	// The body the real `claude -p` sent (captured by tests/js/e2e/capture-claude-request.mjs).
	std::string body = readFile(std::string(CCC_TEST_DATA_DIR) + "/claude-code/messages-request.json");
	ASSERT_GT(body.size(), 50000u);
	oa::RequestOptions o;
	o.model = "qwen3-coder";
	auto r = oa::convertRequest(body, o);
	ASSERT_TRUE(r.ok) << r.errorField << " " << r.error;
	Json out = Json::parse(r.body);
	Json in = Json::parse(body);
	EXPECT_EQ(out["tools"].size(), in["tools"].size());
	EXPECT_EQ(out["messages"][0]["role"], "system");
	EXPECT_EQ(out["stream"], in.value("stream", false));
	// Every message of the request is represented (system messages in place, nothing dropped).
	size_t expected = 1;
	for (const auto & m : in["messages"])
		expected += m["content"].is_string() || !m["content"].empty() ? 1 : 0;
	EXPECT_EQ(out["messages"].size(), expected);
	EXPECT_GT(oa::estimateInputTokens(body), 5000);
}

TEST(OpenAIRequest, InvalidUtf8InToolsIsRejectedLikeAnywhereElse)
{
	// Tools are converted from the request bytes; invalid UTF-8 must not slip through into the
	// upstream body (found by the request fuzzer).
	oa::RequestOptions o;
	o.model = "m";
	std::string bad = "{\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"q\"}],\"tools\":[{\"name\":\"T\",\"description\":\"a\xC3(b\"}]}";
	auto r = oa::convertRequest(bad, o);
	EXPECT_FALSE(r.ok);
	std::string good = "{\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"q\"}],\"tools\":[{\"name\":\"T\",\"description\":\"caf\xC3\xA9 \\u00e9 \\\"q\\\"\"}]}";
	r = oa::convertRequest(good, o);
	ASSERT_TRUE(r.ok) << r.error;
	Json out = Json::parse(r.body);
	EXPECT_EQ(out["tools"][0]["function"]["description"], "caf\xC3\xA9 \xC3\xA9 \"q\"");
	// Lone surrogate escapes are rejected too; a proper pair and an escaped backslash are fine.
	std::string lone = "{\"max_tokens\":5,\"messages\":[],\"tools\":[{\"name\":\"T\",\"description\":\"x\\ud800y\"}]}";
	EXPECT_FALSE(oa::convertRequest(lone, o).ok);
	std::string pair = "{\"max_tokens\":5,\"messages\":[],\"tools\":[{\"name\":\"T\",\"description\":\"\\ud83d\\ude00 \\\\ud800\"}]}";
	r = oa::convertRequest(pair, o);
	ASSERT_TRUE(r.ok) << r.error;
	EXPECT_EQ(Json::parse(r.body)["tools"][0]["function"]["description"], "\xF0\x9F\x98\x80 \\ud800");
}
