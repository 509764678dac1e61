#include <gtest/gtest.h>

#include "fake_transport.h"
#include "model/app_state.h"
#include "model/i18n.h"

namespace ccc::admin
{
namespace
{

using testing::FakeTransport;

const char * kEndpointsBody = R"({"endpoints": [
	{"id": "ep-1", "name": "primary", "url": "https://api.anthropic.com", "endpoint_type": "anthropic",
	 "enabled": true, "priority": 1, "tags": [], "status": "active",
	 "breaker": {"state": "closed", "consecutive_failures": 0, "open_reason": "", "last_failure": ""},
	 "requests": 10, "successes": 9, "failures": 1, "active": 2},
	{"id": "ep 2/x", "name": "backup-relay", "url": "https://relay.example.com", "endpoint_type": "openai",
	 "enabled": false, "priority": "high", "tags": ["thinking", 7], "status": "disabled",
	 "breaker": {"state": "open", "consecutive_failures": 3, "open_reason": "3 failures", "last_failure": "HTTP 502"}}
]})";

std::string fontBytes()
{
	return std::string("\x00\x01\x00\x00", 4) + std::string(64, 'x');
}

class AdminState : public ::testing::Test
{
protected:
	void TearDown() override { setLanguage(Language::English); }
	FakeTransport net;
};

TEST(ResourceState, TransitionsKeepOldDataAcrossFailures)
{
	Resource<int> r;
	EXPECT_EQ(r.state, LoadState::Idle);
	EXPECT_TRUE(r.begin());
	EXPECT_FALSE(r.begin()) << "a second request while one is in flight";
	EXPECT_EQ(r.state, LoadState::Loading);
	r.succeed(7);
	EXPECT_EQ(r.state, LoadState::Loaded);
	EXPECT_EQ(*r.data, 7);
	EXPECT_TRUE(r.begin());
	EXPECT_EQ(*r.data, 7) << "old data stays visible while reloading";
	r.fail("HTTP 500");
	EXPECT_EQ(r.state, LoadState::Failed);
	EXPECT_EQ(r.error, "HTTP 500");
	EXPECT_EQ(*r.data, 7) << "old data stays after a failure";
	EXPECT_TRUE(r.begin());
	r.succeed(8);
	EXPECT_TRUE(r.error.empty());
	EXPECT_EQ(r.loads_completed, 3);
	EXPECT_STREQ(loadStateName(LoadState::Failed), "failed");
}

TEST_F(AdminState, EndpointsLoadParseAndFail)
{
	AppState s(net.transport());
	s.reloadEndpoints();
	s.reloadEndpoints(); // ignored: one in flight
	ASSERT_EQ(net.pending(), 1u);
	EXPECT_EQ(net.front().method, "GET");
	EXPECT_EQ(net.front().path, "/admin/api/endpoints");
	EXPECT_EQ(s.endpoints().state, LoadState::Loading);
	net.answer(200, kEndpointsBody);
	ASSERT_EQ(s.endpoints().state, LoadState::Loaded);
	const auto & list = *s.endpoints().data;
	ASSERT_EQ(list.size(), 2u);
	EXPECT_EQ(list[0].name, "primary");
	EXPECT_EQ(list[0].active, 2);
	EXPECT_DOUBLE_EQ(list[0].successRate(), 90.0);
	EXPECT_EQ(list[1].breaker_state, "open");
	EXPECT_EQ(list[1].priority, 0) << "a mistyped field keeps its default";
	EXPECT_EQ(list[1].tags, std::vector<std::string>{"thinking"});
	EXPECT_FALSE(list[1].enabled);
	EXPECT_LT(list[1].successRate(), 0);

	s.reloadEndpoints();
	net.answer(503, R"({"error": {"message": "shutting down"}})");
	EXPECT_EQ(s.endpoints().state, LoadState::Failed);
	EXPECT_EQ(s.endpoints().error, "HTTP 503: shutting down");
	EXPECT_EQ(s.endpoints().data->size(), 2u);

	s.reloadEndpoints();
	net.answer(200, R"({"items": []})");
	EXPECT_EQ(s.endpoints().state, LoadState::Failed);
	EXPECT_EQ(s.endpoints().error, "the answer holds no endpoints list");

	s.reloadEndpoints();
	net.answer(0, "", "connection refused");
	EXPECT_EQ(s.endpoints().error, "service unreachable: connection refused");
}

TEST_F(AdminState, ResetStatusReportsPerEndpointAndReloads)
{
	AppState s(net.transport());
	s.resetEndpointStatus("ep 2/x");
	s.resetEndpointStatus("ep 2/x"); // ignored while in flight
	ASSERT_EQ(net.pending(), 1u);
	EXPECT_EQ(net.front().method, "POST");
	EXPECT_EQ(net.front().path, "/admin/api/endpoints/ep%202%2Fx/reset-status");
	EXPECT_EQ(s.resetAction("ep 2/x").state, LoadState::Loading);
	EXPECT_EQ(s.resetAction("ep-1").state, LoadState::Idle);
	net.answer(404, R"({"error": "no endpoint named or with id 'ep 2/x'"})");
	EXPECT_EQ(s.resetAction("ep 2/x").state, LoadState::Failed);
	EXPECT_EQ(s.resetAction("ep 2/x").error, "HTTP 404: no endpoint named or with id 'ep 2/x'");
	EXPECT_EQ(net.pending(), 0u) << "a failed reset does not reload";

	s.resetEndpointStatus("ep 2/x");
	net.answer(200, R"({"message": "endpoint 'backup-relay' was reset"})");
	EXPECT_EQ(s.resetAction("ep 2/x").state, LoadState::Loaded);
	EXPECT_TRUE(s.resetAction("ep 2/x").error.empty());
	EXPECT_EQ(s.resetAction("ep 2/x").message, "endpoint 'backup-relay' was reset");
	EXPECT_EQ(s.resetAction("ep 2/x").completed, 2);
	ASSERT_EQ(net.pending(), 1u) << "success reloads the endpoints";
	EXPECT_EQ(net.front().path, "/admin/api/endpoints");
	net.answer(200, kEndpointsBody);
	const auto t = s.testState();
	EXPECT_EQ(t["resets"]["ep 2/x"]["state"], "loaded");
	EXPECT_EQ(t["endpoint_status"].size(), 2u);
}

TEST_F(AdminState, ChineseWaitsForItsFontThenApplies)
{
	AppState s(net.transport());
	LanguageState & lang = s.language();
	lang.request(Language::Chinese);
	EXPECT_EQ(lang.active(), Language::English) << "no Chinese before its font";
	EXPECT_EQ(lang.requested(), Language::Chinese);
	ASSERT_EQ(net.pending(), 1u);
	EXPECT_EQ(net.front().path, LanguageState::kCjkFontPath);
	lang.request(Language::Chinese);
	EXPECT_EQ(net.pending(), 1u) << "one font request at a time";
	EXPECT_EQ(lang.cjkFont().state, LoadState::Loading);
	net.answer(200, fontBytes());
	EXPECT_EQ(lang.active(), Language::Chinese);
	EXPECT_EQ(currentLanguage(), Language::Chinese);
	EXPECT_STREQ(tr(Msg::PanelHelp), "帮助");
	EXPECT_EQ(lang.fontGeneration(), 1u);

	// Back and forth: no further download.
	lang.request(Language::English);
	EXPECT_EQ(lang.active(), Language::English);
	lang.request(Language::Chinese);
	EXPECT_EQ(lang.active(), Language::Chinese);
	EXPECT_EQ(net.pending(), 0u);
	EXPECT_EQ(s.testState()["language"], "zh-CN");
	EXPECT_EQ(s.testState()["font_state"], "loaded");
}

TEST_F(AdminState, AFailedFontKeepsTheLanguageAndRetries)
{
	AppState s(net.transport());
	LanguageState & lang = s.language();
	lang.request(Language::Chinese);
	net.answer(404, "<html>not found</html>");
	EXPECT_EQ(lang.active(), Language::English);
	EXPECT_EQ(lang.cjkFont().state, LoadState::Failed);
	EXPECT_EQ(lang.cjkFont().error, "HTTP 404");

	lang.request(Language::Chinese);
	net.answer(200, "<html>a proxy's login page</html>");
	EXPECT_EQ(lang.active(), Language::English);
	EXPECT_EQ(lang.cjkFont().error, "the answer is not a font file");

	lang.request(Language::Chinese);
	net.answer(0, "", "network error");
	EXPECT_EQ(lang.cjkFont().error, "service unreachable: network error");
	EXPECT_EQ(lang.fontGeneration(), 0u);

	// The user went back to English while the font was loading: it arrives, but nothing switches.
	lang.request(Language::Chinese);
	lang.request(Language::English);
	net.answer(200, fontBytes());
	EXPECT_EQ(lang.active(), Language::English);
	EXPECT_EQ(lang.cjkFont().state, LoadState::Loaded);
	EXPECT_EQ(lang.fontGeneration(), 1u);
}

TEST_F(AdminState, AnswersAfterDestructionAreIgnored)
{
	{
		AppState s(net.transport());
		s.reloadConfig();
		s.reloadEndpoints();
		s.resetEndpointStatus("ep-1");
		s.language().request(Language::Chinese);
	}
	ASSERT_EQ(net.pending(), 4u);
	while (net.pending())
		net.answer(200, "{}");
	EXPECT_EQ(currentLanguage(), Language::English);
}

TEST(LanguageStateFont, RecognisesFontFiles)
{
	EXPECT_TRUE(LanguageState::looksLikeFont(fontBytes()));
	EXPECT_TRUE(LanguageState::looksLikeFont("OTTO" + std::string(20, '\0')));
	EXPECT_FALSE(LanguageState::looksLikeFont("\x00\x01"));
	EXPECT_FALSE(LanguageState::looksLikeFont("<!doctype html><html>"));
}

TEST(EndpointFilter, MatchesNameUrlTypeAndTagsIgnoringCase)
{
	EndpointStatus e;
	e.name = "Backup-Relay";
	e.url = "https://relay.example.com";
	e.endpoint_type = "openai";
	e.tags = {"Thinking"};
	for (const char * yes : {"", "backup", "RELAY.EX", "OpenAI", "think"})
		EXPECT_TRUE(endpointMatches(e, yes)) << yes;
	for (const char * no : {"primary", "anthropic", "thinking-x"})
		EXPECT_FALSE(endpointMatches(e, no)) << no;
}

TEST(UiStateNames, ThemesRoundTrip)
{
	Theme t = Theme::Dark;
	EXPECT_TRUE(parseThemeName("light", t));
	EXPECT_EQ(t, Theme::Light);
	EXPECT_FALSE(parseThemeName("blue", t));
	EXPECT_EQ(t, Theme::Light);
	EXPECT_STREQ(themeName(Theme::Dark), "dark");
	EXPECT_EQ(UiState().panel, "dashboard");
}

} // namespace
} // namespace ccc::admin
