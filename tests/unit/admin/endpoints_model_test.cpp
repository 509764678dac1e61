#include <gtest/gtest.h>

#include "ccc/config/json_mapping.h"
#include "fake_transport.h"
#include "model/endpoints_model.h"

namespace ccc::admin
{
namespace
{

using testing::FakeTransport;
using Json = nlohmann::ordered_json;

// File order b, a, t (tagged), c; priorities put a first, then b, t, c.
const char * kList = R"({"version": "v1", "endpoints": [
	{"id": "ep-b", "name": "b", "url": "http://127.0.0.1:9002", "endpoint_type": "anthropic", "auth_type": "api_key",
	 "auth_value": "sk-b********yz", "enabled": true, "priority": 2, "tags": [], "status": "active",
	 "breaker": {"state": "closed"}, "requests": 3, "successes": 3, "failures": 0, "active": 0},
	{"id": "ep-a", "name": "a", "url": "http://127.0.0.1:9001", "endpoint_type": "anthropic", "auth_type": "auth_token",
	 "auth_value": "token-a-1234567890", "enabled": true, "priority": 1, "tags": []},
	{"id": "ep-t", "name": "t", "url": "http://127.0.0.1:9003", "endpoint_type": "anthropic", "auth_type": "api_key",
	 "auth_value": "x", "enabled": true, "priority": 3, "tags": ["opus"]},
	{"id": "ep-c", "name": "c", "url": "http://127.0.0.1:9004", "endpoint_type": "openai", "path_prefix": "/v1/chat/completions",
	 "auth_type": "auth_token", "auth_value": "y", "enabled": false, "priority": 4, "tags": []}
]})";

Json bodyOf(const HttpRequest & r)
{
	return Json::parse(r.body, nullptr, false);
}

class EndpointsModelTest : public ::testing::Test
{
protected:
	void load(const char * body = kList)
	{
		model.reload();
		ASSERT_EQ(net.pending(), 1u);
		EXPECT_EQ(net.front().path, "/admin/api/endpoints");
		net.answer(200, body);
		ASSERT_TRUE(model.list().data);
	}
	std::vector<std::string> order() const
	{
		std::vector<std::string> out;
		for (const auto & e : model.list().data->items)
			out.push_back(e.name);
		return out;
	}

	FakeTransport net;
	ApiClient api{net.transport()};
	EndpointsModel model{api};
};

TEST_F(EndpointsModelTest, ListIsInPriorityOrderWithVersionAndServedObjects)
{
	load();
	EXPECT_EQ(model.list().data->version, "v1");
	EXPECT_EQ(order(), (std::vector<std::string>{"a", "b", "t", "c"}));
	EXPECT_EQ(model.list().data->raw[1]["name"], "b");
	EXPECT_EQ(model.list().data->configured[3].endpoint_type, "openai");
	const Json s = model.testState();
	EXPECT_EQ(s["tagged"], Json::array({"t"}));
	EXPECT_EQ(s["general"], Json::array({"a", "b", "c"}));
}

TEST_F(EndpointsModelTest, ReloadWhileOneIsInFlightRunsAgainAfterwards)
{
	model.reload();
	model.reload();
	ASSERT_EQ(net.pending(), 1u);
	net.answer(200, kList);
	ASSERT_EQ(net.pending(), 1u) << "the second reload runs once the first is answered";
	net.answer(200, kList);
	EXPECT_EQ(net.pending(), 0u);
	EXPECT_EQ(model.list().loads_completed, 2);
}

TEST(EndpointsOrder, MovesStayInsideTheirOwnList)
{
	std::string error;
	EndpointList l = parseEndpointList(Json::parse(kList), error);
	ASSERT_TRUE(error.empty());
	// a b t c: move c (3) onto a (0): c a b, t keeps its slot.
	EXPECT_EQ(movedOrder(l.items, 3, 0), (std::vector<std::string>{"ep-c", "ep-a", "ep-t", "ep-b"}));
	// Moving down puts the item after its target: a onto b -> b a.
	EXPECT_EQ(movedOrder(l.items, 0, 1), (std::vector<std::string>{"ep-b", "ep-a", "ep-t", "ep-c"}));
	EXPECT_TRUE(movedOrder(l.items, 2, 0).empty()) << "a tagged endpoint cannot move into the general list";
	EXPECT_TRUE(movedOrder(l.items, 1, 1).empty());
	EXPECT_TRUE(movedOrder(l.items, 9, 0).empty());
	EXPECT_EQ(reorderBody("v1", {"x", "y"}), Json::parse(R"({"version": "v1", "order": ["x", "y"]})"));
}

TEST_F(EndpointsModelTest, MoveAppliesAtOnceAndPostsTheOrderWithTheVersion)
{
	load();
	model.move(1, 0); // b above a
	EXPECT_EQ(order(), (std::vector<std::string>{"b", "a", "t", "c"})) << "shown before the service answers";
	EXPECT_EQ(model.reorderAction().state, LoadState::Loading);
	ASSERT_EQ(net.pending(), 1u);
	EXPECT_EQ(net.front().method, "POST");
	EXPECT_EQ(net.front().path, "/admin/api/endpoints/reorder");
	EXPECT_EQ(bodyOf(net.front()), Json::parse(R"({"version": "v1", "order": ["ep-b", "ep-a", "ep-t", "ep-c"]})"));
	model.move(1, 0);
	EXPECT_EQ(net.pending(), 1u) << "no second reorder while one is in flight";
	net.answer(200, R"({"version": "v2", "restart_required": false, "message": "endpoints reordered", "data": {}})");
	EXPECT_EQ(model.reorderAction().state, LoadState::Loaded);
	EXPECT_EQ(model.list().data->version, "v2");
	ASSERT_EQ(net.pending(), 1u) << "the list is reloaded";
	EXPECT_EQ(net.front().path, "/admin/api/endpoints");
}

TEST_F(EndpointsModelTest, ReorderConflictReloadsAndSaysSo)
{
	load();
	model.move(1, 0);
	net.answer(409, R"({"error": "the configuration changed since version v1 (now v9); reload and retry", "version": "v9"})");
	EXPECT_EQ(model.reorderAction().state, LoadState::Failed);
	EXPECT_NE(model.reorderAction().error.find("changed elsewhere"), std::string::npos) << model.reorderAction().error;
	ASSERT_EQ(net.pending(), 1u);
	net.answer(200, std::string(kList).replace(std::string(kList).find("v1"), 2, "v9"));
	EXPECT_EQ(order(), (std::vector<std::string>{"a", "b", "t", "c"})) << "the service's order is back";
	EXPECT_EQ(model.list().data->version, "v9");
}

TEST_F(EndpointsModelTest, EndpointActionsNameTheVersionAndKeepTheirOutcomePerEndpoint)
{
	load();
	model.toggle("ep-c", true);
	EXPECT_EQ(net.front().path, "/admin/api/endpoints/ep-c/toggle");
	EXPECT_EQ(bodyOf(net.front()), Json::parse(R"({"enabled": true, "version": "v1"})"));
	net.answer(400, R"({"error": "enabled: must be true or false", "path": "enabled"})");
	EXPECT_EQ(model.action(EndpointsModel::Action::Toggle, "ep-c").state, LoadState::Failed);
	EXPECT_EQ(model.action(EndpointsModel::Action::Toggle, "ep-c").error, "HTTP 400: enabled: must be true or false");
	EXPECT_EQ(model.action(EndpointsModel::Action::Toggle, "ep-a").state, LoadState::Idle);
	net.answer(200, kList); // the reload

	model.copy("ep-a");
	EXPECT_EQ(net.front().path, "/admin/api/endpoints/ep-a/copy");
	net.answer(200, R"J({"version": "v2", "message": "endpoint 'ep-a' copied", "data": {"name": "a (2)"}})J");
	EXPECT_EQ(model.action(EndpointsModel::Action::Copy, "ep-a").message, "endpoint 'ep-a' copied");
	net.answer(200, kList);

	model.askDelete("ep-b");
	EXPECT_EQ(model.deleteAsked(), "ep-b");
	EXPECT_EQ(net.pending(), 0u) << "nothing is deleted before the confirmation";
	model.cancelDelete();
	EXPECT_TRUE(model.deleteAsked().empty());
	model.askDelete("ep-b");
	model.confirmDelete();
	ASSERT_EQ(net.pending(), 1u);
	EXPECT_EQ(net.front().method, "DELETE");
	EXPECT_EQ(net.front().path, "/admin/api/endpoints/ep-b");
	EXPECT_EQ(bodyOf(net.front())["version"], "v1");
	net.answer(409, R"({"error": "changed", "version": "v3"})");
	EXPECT_NE(model.action(EndpointsModel::Action::Delete, "ep-b").error.find("changed elsewhere"), std::string::npos);
}

TEST_F(EndpointsModelTest, TestEndpointShowsStatusLatencyAndVerdict)
{
	load();
	model.test("ep b/x");
	EXPECT_EQ(net.front().path, "/admin/api/endpoints/ep%20b%2Fx/test");
	net.answer(200, R"({"endpoint_id": "ep-b", "ok": false, "status": 500, "latency_ms": 88, "outcome": "upstream_error",
		"verdict": "HTTP 500: boom", "model": "claude-haiku-4-5"})");
	const EndpointTestResult * t = model.testResult("ep b/x");
	ASSERT_TRUE(t);
	EXPECT_FALSE(t->ok);
	EXPECT_EQ(t->status, 500);
	EXPECT_EQ(t->latency_ms, 88);
	EXPECT_EQ(t->verdict, "HTTP 500: boom");
	model.test("ep b/x");
	net.answer(0, "", "connection refused");
	EXPECT_EQ(model.action(EndpointsModel::Action::Test, "ep b/x").error, "service unreachable: connection refused");
	EXPECT_FALSE(model.testResult("ep b/x"));
}

TEST(EndpointsForm, JsonRoundTripKeepsEveryFieldAndMasks)
{
	const Json served = Json::parse(R"({"id": "my-id", "name": "glm", "url": "https://open.example.com/api", "endpoint_type": "openai",
		"path_prefix": "/v1/chat/completions", "auth_type": "oauth", "auth_value": "", "enabled": false, "priority": 3,
		"tags": ["long", "fast"], "weight": 5, "tls_verify": false, "ca_file": "/etc/ca.pem", "max_tokens_limit": 8192,
		"max_tokens_field_name": "max_completion_tokens", "enhanced_protection": true, "reorder_system_messages_first": false,
		"model_rewrite": {"enabled": true, "rules": [{"source_pattern": "claude-*", "target_model": "glm-4.5"}]},
		"proxy": {"type": "socks5", "address": "127.0.0.1:1080", "username": "u", "password": "pass********rd"},
		"oauth_config": {"access_token": "sk-a********01", "refresh_token": "********", "expires_at": 17, "token_url": "https://t.example/token",
			"client_id": "cid", "scopes": ["a", "b"], "auto_refresh": false},
		"header_overrides": {"X-Api-Key": "sk-x********yz", "X-Drop": ""},
		"parameter_overrides": {"temperature": "0.2", "top_k": ""},
		"openai": {"strip_schema_keywords": ["$schema"], "keep_thinking_history": true, "count_tokens_estimate": false, "allow_missing_done": true},
		"status": "active", "breaker": {"state": "closed"}, "requests": 1})");
	config::Diagnostics diags;
	EndpointForm f = formFromJson(served, diags);
	EXPECT_TRUE(diags.empty()) << diags.front().toString();
	EXPECT_EQ(f.id, "my-id");
	EXPECT_EQ(f.tags, "long, fast");
	EXPECT_TRUE(f.proxy_enabled);
	EXPECT_TRUE(config::isMaskedSecret(f.proxy.password));
	EXPECT_EQ(f.oauth_scopes, "a, b");
	EXPECT_EQ(f.reorder_system_messages_first, TriState::Off);
	EXPECT_EQ(f.allow_missing_done, TriState::On);
	EXPECT_TRUE(f.strip_schema_keywords_custom);
	EXPECT_TRUE(f.max_tokens_limit_set);

	Json sent = formToJson(f);
	Json expected = served;
	for (const char * live : {"status", "breaker", "requests"})
		expected.erase(live);
	// The writer's canonical form: the two maps, the openai block and every key compare equal.
	EXPECT_EQ(nlohmann::json::parse(sent.dump()), nlohmann::json::parse(expected.dump())) << sent.dump(1);
	EXPECT_EQ(sent["oauth_config"]["access_token"], "sk-a********01") << "an unchanged mask is sent back unchanged";
	EXPECT_EQ(sent["header_overrides"]["X-Drop"], "") << "an empty value (removes the header) is kept";
}

TEST(EndpointsForm, DerivedIdStaysImplicitAndOptionalSectionsFollowTheirSwitches)
{
	config::Diagnostics diags;
	Json served = {{"id", config::derivedEndpointId("a")}, {"name", "a"}, {"url", "https://a.example"}, {"auth_type", "api_key"},
		{"auth_value", "k"}};
	EndpointForm f = formFromJson(served, diags);
	EXPECT_TRUE(f.id.empty());
	Json sent = formToJson(f);
	EXPECT_FALSE(sent.contains("id"));
	EXPECT_FALSE(sent.contains("proxy"));
	EXPECT_FALSE(sent.contains("model_rewrite"));
	EXPECT_FALSE(sent.contains("oauth_config"));
	f.proxy_enabled = true;
	f.proxy.type = "http";
	f.proxy.address = "proxy:3128";
	f.tags = " x ,, y ";
	sent = formToJson(f);
	EXPECT_EQ(sent["proxy"]["address"], "proxy:3128");
	EXPECT_EQ(sent["tags"], Json::array({"x", "y"}));
}

TEST(EndpointsForm, DefaultModelIsTheSingleStarRule)
{
	EndpointForm f;
	EXPECT_TRUE(defaultModelApplies(f));
	EXPECT_EQ(defaultModelOf(f), "");
	setDefaultModel(f, "glm-4.5");
	EXPECT_TRUE(f.model_rewrite.enabled);
	ASSERT_EQ(f.model_rewrite.rules.size(), 1u);
	EXPECT_EQ(f.model_rewrite.rules[0].source_pattern, "*");
	EXPECT_EQ(defaultModelOf(f), "glm-4.5");
	EXPECT_EQ(formToJson(f)["model_rewrite"]["rules"][0]["target_model"], "glm-4.5");
	setDefaultModel(f, "");
	EXPECT_FALSE(f.model_rewrite.enabled);
	EXPECT_TRUE(f.model_rewrite.rules.empty());
	EXPECT_FALSE(formToJson(f).contains("model_rewrite"));
	f.model_rewrite.rules = {{"claude-*haiku*", "small"}, {"*", "big"}};
	EXPECT_FALSE(defaultModelApplies(f));
	setDefaultModel(f, "x");
	EXPECT_EQ(f.model_rewrite.rules.size(), 2u) << "other rules are never replaced by the shortcut";
}

TEST_F(EndpointsModelTest, ValidationAsYouTypeNamesTheField)
{
	load();
	model.openEdit("ep-b");
	ASSERT_TRUE(model.editor().open);
	EXPECT_EQ(model.editor().form.name, "b");
	EXPECT_EQ(model.editor().base_version, "v1");
	EXPECT_TRUE(model.editor().findings.empty()) << model.editor().findings.front().toString();

	model.editor().form.url = "not a url";
	model.formChanged();
	auto url = model.findingsAt("endpoint.url");
	ASSERT_EQ(url.size(), 1u);
	EXPECT_EQ(url[0]->severity, config::Severity::Error);

	model.editor().form.url = "http://127.0.0.1:9002";
	model.editor().form.name = "a"; // taken by another endpoint
	model.editor().form.tags = "ok, bad tag";
	model.formChanged();
	EXPECT_TRUE(model.findingsAt("endpoint.url").empty());
	ASSERT_EQ(model.findingsAt("endpoint.name").size(), 1u);
	EXPECT_NE(model.findingsAt("endpoint.name")[0]->message.find("already used"), std::string::npos);
	ASSERT_EQ(model.findingsAt("endpoint.tags").size(), 1u);
	EXPECT_EQ(model.findingsAt("endpoint.tags")[0]->path, "endpoint.tags[1]");
	EXPECT_EQ(model.testState()["editor"]["findings"]["endpoint.name"].get<std::string>().rfind("error: ", 0), 0u);

	// A masked credential left unchanged is a value: no "auth_value is required".
	EXPECT_TRUE(config::isMaskedSecret(model.editor().form.auth_value));
	EXPECT_TRUE(model.findingsAt("endpoint.auth_value").empty());
}

TEST_F(EndpointsModelTest, SaveUpdatesWithTheFormVersionAndMapsRefusalsToFields)
{
	load();
	model.openEdit("ep-b");
	model.editor().form.weight = 7;
	model.save();
	ASSERT_EQ(net.pending(), 1u);
	EXPECT_EQ(net.front().method, "PUT");
	EXPECT_EQ(net.front().path, "/admin/api/endpoints/ep-b");
	Json body = bodyOf(net.front());
	EXPECT_EQ(body["version"], "v1");
	EXPECT_EQ(body["endpoint"]["weight"], 7);
	EXPECT_EQ(body["endpoint"]["auth_value"], "sk-b********yz");
	net.answer(400, R"({"error": "endpoint.url: must start with http:// or https://", "path": "endpoint.url"})");
	EXPECT_EQ(model.editor().save.state, LoadState::Failed);
	EXPECT_EQ(model.editor().save_error_path, "endpoint.url");
	EXPECT_EQ(model.editor().save.error, "must start with http:// or https://");
	EXPECT_TRUE(model.editor().open);

	model.save();
	net.answer(409, R"({"error": "the configuration changed since version v1 (now v2); reload and retry", "version": "v2"})");
	EXPECT_TRUE(model.editor().conflict);
	EXPECT_EQ(model.editor().form.weight, 7) << "the form is kept";
	ASSERT_EQ(net.pending(), 1u);
	net.answer(200, std::string(kList).replace(std::string(kList).find("v1"), 2, "v2"));
	model.reloadAfterConflict();
	EXPECT_FALSE(model.editor().conflict);
	EXPECT_EQ(model.editor().base_version, "v2");
	EXPECT_EQ(model.editor().form.weight, 7);
	model.save();
	EXPECT_EQ(bodyOf(net.front())["version"], "v2");
	net.answer(200, R"({"version": "v3", "message": "endpoint 'b' updated", "data": {}})");
	EXPECT_FALSE(model.editor().open);
	EXPECT_EQ(model.editor().save.state, LoadState::Loaded);
	EXPECT_EQ(net.front().path, "/admin/api/endpoints") << "the list reloads after a save";
}

TEST_F(EndpointsModelTest, NewEndpointIsCreatedWithPostAfterTheLastPriority)
{
	load();
	model.openNew();
	EXPECT_TRUE(model.editor().creating);
	EXPECT_EQ(model.editor().form.priority, 5);
	EXPECT_FALSE(model.findingsAt("endpoint.name").empty()) << "an empty form says what is missing";
	model.editor().form.name = "n";
	model.editor().form.url = "https://n.example";
	model.editor().form.auth_value = "secret";
	model.formChanged();
	EXPECT_TRUE(model.editor().findings.empty()) << model.editor().findings.front().toString();
	model.save();
	EXPECT_EQ(net.front().method, "POST");
	EXPECT_EQ(net.front().path, "/admin/api/endpoints");
	EXPECT_EQ(bodyOf(net.front())["endpoint"]["name"], "n");
}

TEST_F(EndpointsModelTest, RewriteTesterSendsTheUnsavedForm)
{
	load();
	model.openEdit("ep-a");
	model.editor().form.model_rewrite.enabled = true;
	model.editor().form.model_rewrite.rules.push_back({"claude-*", "glm-4.5"});
	model.editor().rewrite_model = "claude-sonnet-4";
	model.testRewrite();
	EXPECT_EQ(net.front().path, "/admin/api/endpoints/ep-a/test-rewrite");
	Json body = bodyOf(net.front());
	EXPECT_EQ(body["model"], "claude-sonnet-4");
	EXPECT_EQ(body["endpoint"]["model_rewrite"]["rules"][0]["target_model"], "glm-4.5");
	net.answer(200, R"({"model": "claude-sonnet-4", "result": "glm-4.5", "rewritten": true, "rule_index": 0, "source_pattern": "claude-*"})");
	EXPECT_EQ(model.editor().rewrite_test.state, LoadState::Loaded);
	EXPECT_EQ(model.editor().rewrite_result.result, "glm-4.5");
}

const char * kProfiles = R"({"profiles": [
	{"profile_id": "anthropic", "display_name": "Anthropic", "url": "https://api.anthropic.com", "endpoint_type": "anthropic",
	 "auth_type": "api_key", "require_default_model": false, "default_model_options": []},
	{"profile_id": "openrouter", "display_name": "OpenRouter", "url": "https://openrouter.ai/api", "endpoint_type": "openai",
	 "auth_type": "auth_token", "path_prefix": "/v1/chat/completions", "require_default_model": true,
	 "default_model_options": ["openai/gpt-5-mini", "google/gemini-2.5-pro"]}]})";

TEST_F(EndpointsModelTest, WizardWalksThreeStepsAndShowsRefusalsAtTheirStep)
{
	load();
	model.openWizard();
	ASSERT_EQ(net.pending(), 1u);
	EXPECT_EQ(net.front().path, "/admin/api/endpoint-profiles");
	net.answer(200, kProfiles);
	ASSERT_EQ(model.profiles().data->size(), 2u);
	EXPECT_EQ(model.wizard().step, 1);
	model.wizardNext();
	EXPECT_EQ(model.wizard().step, 1) << "no profile chosen";
	EXPECT_FALSE(model.wizard().step_error.empty());

	model.wizardChooseProfile(1);
	EXPECT_EQ(model.wizard().step, 2);
	EXPECT_EQ(model.wizard().url, "https://openrouter.ai/api");
	model.wizardNext();
	EXPECT_EQ(model.wizard().step, 2) << "a credential is needed";
	EXPECT_EQ(model.wizard().step_error, "auth_value: is required");
	model.wizard().auth_value = "sk-or-1";
	model.wizard().url = "http://127.0.0.1:9999/api";
	model.wizardNext();
	EXPECT_EQ(model.wizard().step, 3);
	EXPECT_EQ(model.wizard().default_model, "openai/gpt-5-mini") << "the profile's first model is proposed";
	ASSERT_EQ(net.pending(), 1u);
	EXPECT_EQ(net.front().path, "/admin/api/endpoints/suggest-name?profile_id=openrouter");
	net.answer(200, R"({"name": "openrouter"})");
	EXPECT_EQ(model.wizard().name, "openrouter");

	model.wizardNext(); // submit
	ASSERT_EQ(net.pending(), 1u);
	EXPECT_EQ(net.front().method, "POST");
	EXPECT_EQ(net.front().path, "/admin/api/endpoints/wizard");
	Json body = bodyOf(net.front());
	EXPECT_EQ(body["version"], "v1");
	EXPECT_EQ(body["profile_id"], "openrouter");
	EXPECT_EQ(body["auth_value"], "sk-or-1");
	EXPECT_EQ(body["default_model"], "openai/gpt-5-mini");
	EXPECT_EQ(body["name"], "openrouter");
	EXPECT_EQ(body["url"], "http://127.0.0.1:9999/api");
	net.answer(400, R"({"error": "endpoint.url: must not contain whitespace", "path": "endpoint.url"})");
	EXPECT_EQ(model.wizard().step, 2) << "the URL is asked at step 2";
	EXPECT_EQ(model.wizard().error_step, 2);
	EXPECT_EQ(model.wizard().submit.error, "must not contain whitespace");
	EXPECT_EQ(model.testState()["wizard"]["submit"]["path"], "endpoint.url");

	model.wizardNext();
	model.wizardNext();
	EXPECT_EQ(net.front().path, "/admin/api/endpoints/wizard");
	net.answer(200, R"({"version": "v2", "message": "endpoint created from profile 'openrouter'", "data": {"name": "openrouter"}})");
	EXPECT_FALSE(model.wizard().open);
	EXPECT_EQ(net.front().path, "/admin/api/endpoints");
}

TEST(EndpointsWizard, RefusalPathsBelongToSteps)
{
	EXPECT_EQ(EndpointsModel::wizardStepOfPath("profile_id"), 1);
	EXPECT_EQ(EndpointsModel::wizardStepOfPath("auth_value"), 2);
	EXPECT_EQ(EndpointsModel::wizardStepOfPath("endpoint.url"), 2);
	EXPECT_EQ(EndpointsModel::wizardStepOfPath("default_model"), 3);
	EXPECT_EQ(EndpointsModel::wizardStepOfPath("endpoint.name"), 3);
}

} // namespace
} // namespace ccc::admin
