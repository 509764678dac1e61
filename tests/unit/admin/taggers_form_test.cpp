#include <gtest/gtest.h>

#include "model/taggers_form.h"
#include "model/taggers_try.h"

namespace ccc::admin
{
namespace
{

using ojson = nlohmann::ordered_json;

std::vector<std::string> keys(const std::string & type, const std::string & builtinType)
{
	std::vector<std::string> out;
	for (const auto & f : taggerFields(type, builtinType))
		out.push_back(f.key);
	return out;
}

TEST(TaggerForm, EachTypeShowsExactlyItsKeys)
{
	using V = std::vector<std::string>;
	EXPECT_EQ(keys("builtin", "path"), V({"path_pattern"}));
	EXPECT_EQ(keys("builtin", "method"), V({"methods"}));
	EXPECT_EQ(keys("builtin", "header"), V({"header_name", "expected_value"}));
	EXPECT_EQ(keys("builtin", "query"), V({"param_name", "expected_value"}));
	EXPECT_EQ(keys("builtin", "body-json"), V({"json_path", "expected_value"}));
	EXPECT_EQ(keys("builtin", "model"), V({"expected_value"}));
	EXPECT_EQ(keys("builtin", "user-message"), V({"expected_value"}));
	EXPECT_EQ(keys("builtin", "thinking"), V({"min_budget_tokens", "adaptive"}));
	EXPECT_EQ(keys("builtin", "context-size"), V({"min_tokens"}));
	EXPECT_EQ(keys("builtin", "subagent"), V({"agent_header", "model_patterns"}));
	EXPECT_EQ(keys("builtin", "has-tools"), V({"tool_name"}));
	EXPECT_EQ(keys("builtin", "has-images"), V({"min_images"}));
	EXPECT_EQ(keys("lua", ""), V({"script", "script_file"}));
	EXPECT_TRUE(keys("builtin", "bogus").empty());
	EXPECT_TRUE(keys("starlark", "").empty());
}

TEST(TaggerForm, RoundTripsEveryBuiltinType)
{
	const char * cases[] = {
		R"({"name":"p","type":"builtin","builtin_type":"path","tag":"t","enabled":true,"priority":2,"config":{"path_pattern":"*/v1/messages"}})",
		R"({"name":"h","type":"builtin","builtin_type":"header","tag":"t","enabled":false,"priority":0,"config":{"header_name":"x-app","expected_value":"cli"}})",
		R"({"name":"q","type":"builtin","builtin_type":"query","tag":"t","enabled":true,"priority":0,"config":{"param_name":"beta","expected_value":"true"}})",
		R"({"name":"b","type":"builtin","builtin_type":"body-json","tag":"t","enabled":true,"priority":0,"config":{"json_path":"messages[-1].role","expected_value":"user"}})",
		R"({"name":"m","type":"builtin","builtin_type":"model","tag":"t","enabled":true,"priority":0,"config":{"expected_value":"claude-*haiku*"}})",
		R"({"name":"u","type":"builtin","builtin_type":"user-message","tag":"t","enabled":true,"priority":0,"config":{"expected_value":"*#use-gpt*"}})",
		R"({"name":"k","type":"builtin","builtin_type":"thinking","tag":"t","enabled":true,"priority":0,"config":{"min_budget_tokens":16000,"adaptive":false}})",
		R"({"name":"c","type":"builtin","builtin_type":"context-size","tag":"t","enabled":true,"priority":0,"config":{"min_tokens":150000}})",
		R"({"name":"s","type":"builtin","builtin_type":"subagent","tag":"t","enabled":true,"priority":0,"config":{"agent_header":"","model_patterns":[]}})",
		R"({"name":"w","type":"builtin","builtin_type":"has-tools","tag":"t","enabled":true,"priority":0,"config":{"tool_name":"web_*"}})",
		R"({"name":"i","type":"builtin","builtin_type":"has-images","tag":"t","enabled":true,"priority":0,"config":{"min_images":2}})",
		R"({"name":"l","type":"lua","tag":"t","enabled":true,"priority":5,"config":{"script":"function should_tag(r)\n  return true\nend\n"}})",
	};
	for (const char * c : cases)
	{
		ojson in = ojson::parse(c);
		TaggerForm f = taggerFormFromJson(in);
		EXPECT_EQ(f.original_name, in["name"]);
		EXPECT_EQ(taggerFormToJson(f), in) << c;
		EXPECT_FALSE(config::hasErrors(validateTaggerForm(f, {}))) << c;
	}
}

TEST(TaggerForm, TextBecomesTypedJson)
{
	TaggerForm f = newTaggerForm("builtin", "context-size");
	f.name = "long";
	f.tag = "long-context";
	f.fields["min_tokens"] = " 150000 ";
	EXPECT_EQ(taggerFormToJson(f)["config"], ojson::parse(R"({"min_tokens":150000})"));
	f.fields["min_tokens"] = "lots";
	EXPECT_EQ(taggerFormToJson(f)["config"]["min_tokens"], "lots");
	EXPECT_EQ(findingFor(validateTaggerForm(f, {}), "tagger.config.min_tokens"), "is required for builtin_type context-size: a token count > 0");

	f.setType("builtin", "subagent");
	EXPECT_EQ(f.fields["agent_header"], "x-claude-code-agent-id");
	f.fields["model_patterns"] = "*haiku*, , claude-3-5-* ";
	EXPECT_EQ(taggerFormToJson(f)["config"], ojson::parse(R"({"agent_header":"x-claude-code-agent-id","model_patterns":["*haiku*","claude-3-5-*"]})"))
		<< "the type change dropped min_tokens";
	f.fields["model_patterns"] = "";
	f.fields["agent_header"] = "";
	EXPECT_EQ(taggerFormToJson(f)["config"], ojson::parse(R"({"agent_header":"","model_patterns":[]})")) << "empty means off here";

	f.setType("builtin", "thinking");
	EXPECT_EQ(taggerFormToJson(f)["config"], ojson::object()) << "defaults are not written";
	f.fields["adaptive"] = "false";
	EXPECT_EQ(taggerFormToJson(f)["config"], ojson::parse(R"({"adaptive":false})"));

	TaggerForm lua = newTaggerForm("lua");
	EXPECT_FALSE(taggerFormToJson(lua).contains("builtin_type"));
	EXPECT_NE(taggerFormToJson(lua)["config"]["script"].get<std::string>().find("should_tag"), std::string::npos);
}

TEST(TaggerForm, MethodSpellingsFoldIntoOneList)
{
	TaggerForm f = taggerFormFromJson(ojson::parse(
		R"({"name":"w","type":"builtin","builtin_type":"method","tag":"writes","config":{"allowed_methods":"POST,PUT","expected_value":"PATCH"}})"));
	EXPECT_EQ(f.fields["methods"], "POST, PUT, PATCH");
	EXPECT_EQ(taggerFormToJson(f)["config"], ojson::parse(R"({"methods":["POST","PUT","PATCH"]})"));
}

TEST(TaggerForm, KeysTheEditorDoesNotShowAreKeptUntilTheTypeChanges)
{
	TaggerForm f = taggerFormFromJson(ojson::parse(
		R"({"name":"p","type":"builtin","builtin_type":"path","tag":"t","config":{"path_pattern":"/x","note":"mine"}})"));
	EXPECT_EQ(taggerFormToJson(f)["config"], ojson::parse(R"({"note":"mine","path_pattern":"/x"})"));
	f.setType("builtin", "model");
	f.fields["expected_value"] = "m";
	EXPECT_EQ(taggerFormToJson(f)["config"], ojson::parse(R"({"expected_value":"m"})"));
}

TEST(TaggerForm, FindingsNameTheFieldsKeyPaths)
{
	TaggerForm f = newTaggerForm("builtin", "header");
	config::Diagnostics d = validateTaggerForm(f, {});
	EXPECT_FALSE(findingFor(d, "tagger.name").empty());
	EXPECT_FALSE(findingFor(d, "tagger.tag").empty());
	EXPECT_FALSE(findingFor(d, "tagger.config.header_name").empty());
	EXPECT_FALSE(findingFor(d, "tagger.config.expected_value").empty());
	f.name = "h";
	f.tag = "bad tag";
	f.fields["header_name"] = "x-app";
	f.fields["expected_value"] = "[cli";
	d = validateTaggerForm(f, {"h"});
	EXPECT_NE(findingFor(d, "tagger.name").find("already used"), std::string::npos);
	EXPECT_NE(findingFor(d, "tagger.tag").find("1-50 characters"), std::string::npos);
	EXPECT_NE(findingFor(d, "tagger.config.expected_value").find("not a valid pattern"), std::string::npos);
	EXPECT_TRUE(findingFor(d, "tagger.config.header_name").empty());

	TaggerForm s = newTaggerForm("builtin", "subagent");
	s.name = "s";
	s.tag = "cheap";
	s.fields["model_patterns"] = "ok, [bad";
	EXPECT_NE(findingFor(validateTaggerForm(s, {}), "tagger.config.model_patterns").find("not a valid pattern"), std::string::npos)
		<< "an element's finding shows at the list";

	TaggerForm lua = newTaggerForm("lua");
	lua.name = "l";
	lua.tag = "t";
	lua.fields["script"] = "";
	EXPECT_EQ(findingFor(validateTaggerForm(lua, {}), "tagger.config"), "needs script or script_file for a lua tagger");
	EXPECT_EQ(taggerFieldPath("tag"), "tagger.tag");
	EXPECT_EQ(taggerFieldPath("path_pattern"), "tagger.config.path_pattern");
}

TEST(TaggerTryMapping, SampleAndRequestBody)
{
	SampleRequestForm s = sampleFromJson(ojson::parse(
		R"({"method":"POST","path":"/v1/messages?beta=true","headers":{"x-app":"cli","anthropic-version":"2023-06-01"},"body":"{\"model\":\"m\"}"})"));
	EXPECT_EQ(s.path, "/v1/messages?beta=true");
	EXPECT_EQ(s.headers, "x-app: cli\nanthropic-version: 2023-06-01\n");
	EXPECT_EQ(s.body, "{\"model\":\"m\"}");
	s.headers += "not a header line\n: empty name\nX-Extra:  a:b  \n";
	EXPECT_EQ(sampleToJson(s), ojson::parse(R"({"method":"POST","path":"/v1/messages?beta=true",
		"headers":{"x-app":"cli","anthropic-version":"2023-06-01","X-Extra":"a:b"},"body":"{\"model\":\"m\"}"})"));

	TaggerForm f = taggerFormFromJson(ojson::parse(R"({"name":"m","type":"builtin","builtin_type":"model","tag":"t","config":{"expected_value":"x"}})"));
	f.name = "renamed";
	ojson body = tryRequestBody(f, s);
	EXPECT_EQ(body["tagger"]["name"], "renamed");
	EXPECT_EQ(body["replace"], "m");
	EXPECT_EQ(body["request"]["headers"]["x-app"], "cli");
	EXPECT_FALSE(tryRequestBody(newTaggerForm("lua"), s).contains("replace"));
}

TEST(TaggerTryMapping, Answers)
{
	ApiResult ok;
	ok.ok = true;
	ok.status = 200;
	ok.body = ojson::parse(R"({"tags":["a","b"],"tagger":{"matched":true,"tags":["b"],"error":"","duration_us":42}})");
	TryResult t = tryResultFrom(ok);
	EXPECT_TRUE(t.ok);
	EXPECT_EQ(t.pipeline_tags, std::vector<std::string>({"a", "b"}));
	EXPECT_TRUE(t.matched);
	EXPECT_EQ(t.tags, std::vector<std::string>({"b"}));
	EXPECT_EQ(t.duration_us, 42);

	ok.body = ojson::parse(R"({"tags":[],"tagger":{"matched":false,"tags":[],"error":"instruction budget exceeded","duration_us":9000}})");
	t = tryResultFrom(ok);
	EXPECT_TRUE(t.ok);
	EXPECT_FALSE(t.matched);
	EXPECT_EQ(t.tagger_error, "instruction budget exceeded");

	ApiResult bad;
	bad.status = 400;
	bad.error = "HTTP 400: tagger.config.path_pattern: is required for builtin_type path";
	bad.body = ojson::parse(R"({"error":"tagger.config.path_pattern: is required for builtin_type path","path":"tagger.config.path_pattern"})");
	t = tryResultFrom(bad);
	EXPECT_FALSE(t.ok);
	EXPECT_EQ(t.path, "tagger.config.path_pattern");
	EXPECT_EQ(t.error, bad.error);

	ApiResult shapeless;
	shapeless.ok = true;
	shapeless.body = ojson::object();
	EXPECT_FALSE(tryResultFrom(shapeless).ok);
}

} // namespace
} // namespace ccc::admin
