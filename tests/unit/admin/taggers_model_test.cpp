#include <gtest/gtest.h>

#include "fake_transport.h"
#include "model/taggers_model.h"

namespace ccc::admin
{
namespace
{

using ojson = nlohmann::ordered_json;
using testing::FakeTransport;

const char * kList = R"({"taggers": [
	{"name": "lua-late", "type": "lua", "tag": "gpt", "enabled": true, "priority": 5, "config": {"script": "function should_tag(r) return true end"}},
	{"name": "msgs", "type": "builtin", "builtin_type": "path", "tag": "messages", "enabled": true, "priority": 0, "config": {"path_pattern": "*/v1/messages"}},
	{"name": "off", "type": "builtin", "builtin_type": "model", "tag": "cheap", "enabled": false, "priority": 0, "config": {"expected_value": "*haiku*"}}
], "builtin_types": ["path", "model"], "version": "v1"})";

const char * kTags = R"({"tags": [{"tag": "cheap", "taggers": ["off"], "endpoints": ["haiku-pool"]}, {"tag": "gpt", "taggers": ["lua-late"], "endpoints": []}], "version": "v1"})";

class TaggersModelTest : public ::testing::Test
{
protected:
	/// Loads the list and tags (answers both requests).
	void load(const char * list = kList)
	{
		model.reload();
		ASSERT_EQ(net.pending(), 2u);
		EXPECT_EQ(net.front().path, "/admin/api/taggers");
		net.answer(200, list);
		EXPECT_EQ(net.front().path, "/admin/api/tags");
		net.answer(200, kTags);
	}
	ojson sentBody() const { return ojson::parse(net.front().body); }

	FakeTransport net;
	ApiClient api{net.transport()};
	TaggersModel model{api};
};

TEST_F(TaggersModelTest, ListsTaggersInPipelineOrderAndTags)
{
	load();
	EXPECT_EQ(model.version(), "v1");
	ASSERT_EQ(model.list().data->taggers.size(), 3u);
	EXPECT_EQ(pipelineOrder(model.list().data->taggers), std::vector<size_t>({1, 2, 0}));
	ojson s = model.testState();
	EXPECT_EQ(s["list_state"], "loaded");
	EXPECT_EQ(s["taggers"][0]["name"], "msgs");
	EXPECT_EQ(s["taggers"][1]["enabled"], false);
	EXPECT_EQ(s["taggers"][2]["name"], "lua-late");
	ASSERT_EQ(model.tags().data->size(), 2u);
	EXPECT_EQ((*model.tags().data)[0].endpoints, std::vector<std::string>({"haiku-pool"}));
	EXPECT_EQ(s["editor"], nullptr);

	model.reload();
	net.answer(500, R"({"error":"boom"})");
	net.answer(200, kTags);
	EXPECT_EQ(model.list().state, LoadState::Failed);
	EXPECT_EQ(model.list().error, "HTTP 500: boom");
	EXPECT_EQ(model.list().data->taggers.size(), 3u) << "old data stays";
}

TEST_F(TaggersModelTest, EditSavesWithTheVersionAndConflictKeepsTheEdits)
{
	load();
	model.startEdit(1);
	ASSERT_TRUE(model.editing());
	EXPECT_EQ(model.form().original_name, "msgs");
	model.form().tag = "msg";
	model.formChanged();
	EXPECT_TRUE(model.findings().empty());
	model.save();
	ASSERT_EQ(net.pending(), 1u);
	EXPECT_EQ(net.front().method, "PUT");
	EXPECT_EQ(net.front().path, "/admin/api/taggers/msgs");
	EXPECT_EQ(sentBody()["version"], "v1");
	EXPECT_EQ(sentBody()["tagger"]["tag"], "msg");
	EXPECT_EQ(model.saveAction().state, LoadState::Loading);

	// Someone else changed the file: 409, the form stays as typed.
	net.answer(409, R"({"error":"the configuration changed since version v1 (now v2); reload and retry","version":"v2"})");
	EXPECT_EQ(model.saveAction().state, LoadState::Failed);
	EXPECT_TRUE(model.conflict());
	EXPECT_NE(model.saveAction().error.find("changed since"), std::string::npos);
	ASSERT_TRUE(model.editing());
	EXPECT_EQ(model.form().tag, "msg");
	EXPECT_EQ(model.testState()["save"]["conflict"], true);

	// Reload, then save again: now based on v2.
	model.reload();
	std::string v2 = kList;
	v2.replace(v2.find("\"v1\""), 4, "\"v2\"");
	net.answer(200, v2);
	net.answer(200, kTags);
	EXPECT_EQ(model.form().tag, "msg") << "a reload keeps the edits";
	model.save();
	EXPECT_EQ(sentBody()["version"], "v2");
	net.answer(200, R"({"version":"v3","restart_required":false,"message":"tagger 'msgs' updated",
		"data":{"name":"msgs","type":"builtin","builtin_type":"path","tag":"msg","enabled":true,"priority":0,"config":{"path_pattern":"*/v1/messages"}}})");
	EXPECT_EQ(model.saveAction().state, LoadState::Loaded);
	EXPECT_FALSE(model.conflict());
	EXPECT_EQ(model.saveAction().message, "tagger 'msgs' updated");
	EXPECT_EQ(model.version(), "v3");
	ASSERT_EQ(net.pending(), 2u) << "a save reloads the lists";
	EXPECT_EQ(net.front().path, "/admin/api/taggers");
}

TEST_F(TaggersModelTest, CreateValidatesLocallyAndShowsTheServiceFieldError)
{
	load();
	model.startCreate("builtin");
	model.form().setType("builtin", "header");
	model.form().name = "msgs";
	model.formChanged();
	EXPECT_NE(model.fieldError("tagger.name").find("already used"), std::string::npos);
	EXPECT_FALSE(model.fieldError("tagger.tag").empty());
	EXPECT_FALSE(model.fieldError("tagger.config.header_name").empty());
	model.save();
	EXPECT_EQ(net.pending(), 0u) << "nothing is sent while the form has errors";
	EXPECT_EQ(model.saveAction().state, LoadState::Failed);

	model.form().name = "team";
	model.form().tag = "red";
	model.form().fields["header_name"] = "x-team";
	model.form().fields["expected_value"] = "red";
	model.formChanged();
	EXPECT_FALSE(config::hasErrors(model.findings()));
	model.save();
	ASSERT_EQ(net.pending(), 1u);
	EXPECT_EQ(net.front().method, "POST");
	EXPECT_EQ(net.front().path, "/admin/api/taggers");
	EXPECT_EQ(sentBody()["tagger"]["config"], ojson::parse(R"({"header_name":"x-team","expected_value":"red"})"));
	net.answer(400, R"({"error":"tagger.config.expected_value: is not a valid pattern: x","path":"tagger.config.expected_value"})");
	EXPECT_EQ(model.saveErrorPath(), "tagger.config.expected_value");
	EXPECT_EQ(model.fieldError("tagger.config.expected_value"), "is not a valid pattern: x");
	EXPECT_TRUE(model.editing());
	model.formChanged();
	EXPECT_TRUE(model.fieldError("tagger.config.expected_value").empty()) << "an edit clears the service's word";
}

TEST_F(TaggersModelTest, DeleteAsksFirstAndSendsTheVersion)
{
	load();
	model.requestDelete("off");
	EXPECT_EQ(model.pendingDelete(), "off");
	EXPECT_EQ(net.pending(), 0u);
	model.cancelDelete();
	model.confirmDelete();
	EXPECT_EQ(net.pending(), 0u) << "cancelled";
	model.requestDelete("off");
	model.confirmDelete();
	ASSERT_EQ(net.pending(), 1u);
	EXPECT_EQ(net.front().method, "DELETE");
	EXPECT_EQ(net.front().path, "/admin/api/taggers/off");
	EXPECT_EQ(sentBody()["version"], "v1");
	bool ifMatch = false;
	for (const auto & [k, v] : net.front().headers)
		ifMatch |= k == "If-Match" && v == "\"v1\"";
	EXPECT_TRUE(ifMatch);
	net.answer(409, R"({"error":"changed","version":"v2"})");
	EXPECT_EQ(model.rowAction("off").state, LoadState::Failed);
	EXPECT_EQ(model.rowAction("off").error, "HTTP 409: changed");
	EXPECT_EQ(model.rowAction("msgs").state, LoadState::Idle);
}

TEST_F(TaggersModelTest, DeletingTheTaggerBeingEditedClosesItsForm)
{
	load();
	model.startEdit(2); // "off"
	ASSERT_TRUE(model.editing());
	model.requestDelete("off");
	model.confirmDelete();
	ASSERT_EQ(net.pending(), 1u);
	net.answer(200, R"({"version":"v2","message":"tagger 'off' deleted"})");
	EXPECT_EQ(model.rowAction("off").state, LoadState::Loaded);
	EXPECT_EQ(model.rowAction("off").message, "tagger 'off' deleted");
	EXPECT_FALSE(model.editing());
	EXPECT_EQ(model.version(), "v2");
	EXPECT_EQ(net.pending(), 2u) << "the lists reload";
}

TEST_F(TaggersModelTest, ToggleSendsTheWholeTaggerFlipped)
{
	load();
	model.toggleEnabled(2);
	ASSERT_EQ(net.pending(), 1u);
	EXPECT_EQ(net.front().method, "PUT");
	EXPECT_EQ(net.front().path, "/admin/api/taggers/off");
	EXPECT_EQ(sentBody()["tagger"]["enabled"], true);
	EXPECT_EQ(sentBody()["tagger"]["config"]["expected_value"], "*haiku*");
	net.answer(200, R"({"version":"v2","message":"tagger 'off' updated","data":{}})");
	EXPECT_EQ(model.rowAction("off").state, LoadState::Loaded);
	EXPECT_EQ(model.version(), "v2");
}

TEST_F(TaggersModelTest, TryUsesTheSampleAndShowsTheResult)
{
	load();
	model.loadSample();
	ASSERT_EQ(net.pending(), 1u);
	EXPECT_EQ(net.front().path, "/admin/api/taggers/sample-request");
	net.answer(200, R"({"request":{"method":"POST","path":"/v1/messages?beta=true","headers":{"x-app":"cli"},"body":"{\"model\":\"claude-opus-4-8\"}"}})");
	EXPECT_EQ(model.sampleState(), LoadState::Loaded);
	EXPECT_EQ(model.sample().headers, "x-app: cli\n");

	model.startCreate("lua");
	model.form().name = "cli";
	model.form().tag = "cli";
	model.form().fields["script"] = "function should_tag(r) return r.headers['x-app'] == 'cli' end";
	model.formChanged();
	model.sample().headers += "x-team: red\n";
	model.tryForm();
	ASSERT_EQ(net.pending(), 1u);
	EXPECT_EQ(net.front().method, "POST");
	EXPECT_EQ(net.front().path, "/admin/api/taggers/try");
	ojson sent = sentBody();
	EXPECT_EQ(sent["tagger"]["type"], "lua");
	EXPECT_FALSE(sent.contains("replace"));
	EXPECT_EQ(sent["request"]["headers"]["x-team"], "red");
	EXPECT_EQ(sent["request"]["body"], "{\"model\":\"claude-opus-4-8\"}");
	EXPECT_EQ(model.tryAction().state, LoadState::Loading);
	net.answer(200, R"({"tags":["cli","messages"],"tagger":{"matched":true,"tags":["cli"],"error":"","duration_us":120}})");
	EXPECT_EQ(model.tryAction().state, LoadState::Loaded);
	ojson t = model.testState()["try"];
	EXPECT_EQ(t["matched"], true);
	EXPECT_EQ(t["tags"], ojson::parse(R"(["cli"])"));
	EXPECT_EQ(t["pipeline_tags"], ojson::parse(R"(["cli","messages"])"));
	EXPECT_EQ(t["duration_us"], 120);

	// A Lua error is a result, not a failed try.
	model.tryForm();
	net.answer(200, R"({"tags":["messages"],"tagger":{"matched":false,"tags":[],"error":"instruction budget exceeded","duration_us":30000}})");
	EXPECT_EQ(model.tryAction().state, LoadState::Loaded);
	EXPECT_EQ(model.tryResult().tagger_error, "instruction budget exceeded");

	// A 400 about a field shows next to it.
	model.tryForm();
	net.answer(400, R"({"error":"tagger.config: needs script or script_file for a lua tagger","path":"tagger.config"})");
	EXPECT_EQ(model.tryAction().state, LoadState::Failed);
	EXPECT_EQ(model.fieldError("tagger.config"), "needs script or script_file for a lua tagger");
}

TEST_F(TaggersModelTest, TryWithoutALoadedSampleLetsTheServiceChoose)
{
	model.startCreate("builtin");
	model.tryForm();
	ASSERT_EQ(net.pending(), 1u);
	EXPECT_FALSE(sentBody().contains("request"));
}

} // namespace
} // namespace ccc::admin

namespace ccc::admin
{
namespace
{

TEST(TaggersModelReload, AReloadAskedForInFlightFollowsTheAnswer)
{
	testing::FakeTransport net;
	ApiClient api{net.transport()};
	TaggersModel model{api};
	model.reload();
	ASSERT_EQ(net.pending(), 2u);
	model.reload(); // e.g. right after a save, while the list of before the save is on its way
	EXPECT_EQ(net.pending(), 2u);
	net.answer(200, kList);
	ASSERT_EQ(net.pending(), 2u) << "the tags, then the list again";
	net.answer(200, kTags);
	ASSERT_EQ(net.pending(), 2u) << "the list, then the tags again";
	EXPECT_EQ(net.front().path, "/admin/api/taggers");
	net.answer(200, kList);
	EXPECT_EQ(net.front().path, "/admin/api/tags");
	net.answer(200, kTags);
	EXPECT_EQ(net.pending(), 0u);
	EXPECT_EQ(model.list().loads_completed, 2);
}

} // namespace
} // namespace ccc::admin
