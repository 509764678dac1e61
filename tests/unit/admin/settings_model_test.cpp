// SettingsModel: fields and widget kinds from GET /admin/api/settings, validation as typed with
// shared/, the save's body, 400 next to the field, 409 keeping the edits, restart_required.
#include <gtest/gtest.h>

#include "fake_transport.h"
#include "model/api_client.h"
#include "model/settings_model.h"

namespace ccc::admin
{
namespace
{

using testing::FakeTransport;
using Json = nlohmann::ordered_json;

const char * kSettings = R"({"settings": {
	"server": {"host": "127.0.0.1", "port": 8080, "max_concurrent_streams": 512, "max_request_body": 33554432,
	           "shutdown_grace": "30s", "client_tokens": ["********"], "admin_password_hash": "",
	           "require_admin_password": false},
	"logging": {"level": "info", "log_request_types": "all", "log_request_body": "full", "log_response_body": "full",
	            "log_directory": "./logs", "truncated_body_bytes": 1024, "max_body_bytes": 4194304, "retention_days": 30,
	            "retention_max_bytes": 1073741824, "storage": "sqlite", "postgres_dsn": ""},
	"validation": {"python_json_fixing": {"enabled": true, "target_tools": ["TodoWrite"], "debug_logging": false, "max_attempts": 3}},
	"tagging": {"pipeline_timeout": "5s", "fallback_to_untagged": true, "untagged_use_tagged": false},
	"timeouts": {"connect": "10s", "recovery_threshold": 1},
	"circuit_breaker": {"failure_threshold": 3, "failure_rate": 0.5, "window": "1m0s", "min_requests": 10},
	"load_balancing": {"enabled": true, "sticky_sessions": true}},
	"running": {"host": "127.0.0.1", "port": 8080}, "restart_required": false, "version": "v1"})";

class Settings : public ::testing::Test
{
protected:
	Settings() : api(net.transport()), model(api) { }

	void load(const char * body = kSettings)
	{
		model.reload();
		ASSERT_EQ(net.front().path, "/admin/api/settings");
		net.answer(200, body);
		ASSERT_EQ(model.loaded().state, LoadState::Loaded);
	}

	FakeTransport net;
	ApiClient api;
	SettingsModel model;
};

TEST_F(Settings, FieldsGetAWidgetPerType)
{
	load();
	const auto kind = [&](const std::string & p) {
		const SettingField * f = model.field(p);
		return f ? settingKindName(f->kind) : "missing";
	};
	EXPECT_STREQ(kind("server.port"), "integer");
	EXPECT_STREQ(kind("server.host"), "text");
	EXPECT_STREQ(kind("server.shutdown_grace"), "duration");
	EXPECT_STREQ(kind("server.client_tokens"), "list");
	EXPECT_STREQ(kind("server.admin_password_hash"), "read-only");
	EXPECT_STREQ(kind("server.require_admin_password"), "bool");
	EXPECT_STREQ(kind("logging.level"), "enum");
	EXPECT_STREQ(kind("timeouts.connect"), "duration");
	EXPECT_STREQ(kind("timeouts.recovery_threshold"), "integer");
	EXPECT_STREQ(kind("circuit_breaker.failure_rate"), "number");
	EXPECT_STREQ(kind("validation.python_json_fixing.enabled"), "bool");
	EXPECT_STREQ(kind("validation.python_json_fixing.target_tools"), "list");
	const SettingField * port = model.field("server.port");
	EXPECT_TRUE(port->restart);
	EXPECT_TRUE(port->has_range);
	EXPECT_EQ(port->max, 65535);
	EXPECT_EQ(model.field("validation.python_json_fixing.enabled")->section, "validation");
	EXPECT_EQ(model.field("validation.python_json_fixing.enabled")->label, "python_json_fixing.enabled");
	EXPECT_EQ(model.field("logging.level")->options, (std::vector<std::string>{"debug", "info", "warn", "error"}));
	EXPECT_TRUE(model.field("server.client_tokens")->secret);
	EXPECT_EQ(model.errorCount(), 0u);
	EXPECT_FALSE(model.dirty());
}

TEST_F(Settings, ValidatedAsTypedWithSharedValidation)
{
	load();
	EXPECT_TRUE(model.setValue("server.port", 70000));
	ASSERT_NE(model.problem("server.port"), nullptr);
	EXPECT_EQ(model.problem("server.port")->message, "must be between 1 and 65535");
	EXPECT_EQ(model.errorCount(), 1u);
	model.save();
	EXPECT_EQ(net.pending(), 0u) << "no save while validation finds errors";
	EXPECT_TRUE(model.setValue("server.port", 9090));
	EXPECT_EQ(model.problem("server.port"), nullptr);

	EXPECT_TRUE(model.setValue("timeouts.connect", std::string("soon")));
	ASSERT_NE(model.problem("timeouts.connect"), nullptr) << model.testState().dump();
	EXPECT_TRUE(model.problem("timeouts.connect")->error);
	EXPECT_TRUE(model.setValue("timeouts.connect", std::string("1m30s")));
	EXPECT_EQ(model.problem("timeouts.connect"), nullptr);

	EXPECT_TRUE(model.setValue("circuit_breaker.failure_rate", 1.5));
	EXPECT_EQ(model.problem("circuit_breaker.failure_rate")->message, "must be greater than 0 and at most 1");
	EXPECT_TRUE(model.setValue("circuit_breaker.failure_rate", 0.5));
	EXPECT_FALSE(model.changed("circuit_breaker.failure_rate")) << "back to the loaded value";

	EXPECT_FALSE(model.setValue("server.admin_password_hash", std::string("x"))) << "read-only";
	EXPECT_FALSE(model.setValue("no.such", 1));
	EXPECT_EQ(model.changeCount(), 2u);
}

TEST_F(Settings, SaveSendsChangedKeysWithTheVersion)
{
	load();
	model.setValue("load_balancing.sticky_sessions", false);
	model.setValue("validation.python_json_fixing.target_tools", Json::array({"TodoWrite", "Edit"}));
	model.save();
	ASSERT_EQ(net.pending(), 1u);
	EXPECT_EQ(net.front().method, "PUT");
	EXPECT_EQ(net.front().path, "/admin/api/settings");
	const Json body = Json::parse(net.front().body);
	EXPECT_EQ(body["version"], "v1");
	EXPECT_EQ(body["settings"], Json::parse(R"({"load_balancing": {"sticky_sessions": false},
		"validation": {"python_json_fixing": {"target_tools": ["TodoWrite", "Edit"]}}})"));
	EXPECT_EQ(model.saveAction().state, LoadState::Loading);

	Json saved = Json::parse(kSettings)["settings"];
	saved["load_balancing"]["sticky_sessions"] = false;
	saved["validation"]["python_json_fixing"]["target_tools"] = Json::array({"TodoWrite", "Edit"});
	net.answer(200, Json{{"version", "v2"}, {"restart_required", false}, {"message", "settings saved"}, {"data", saved}}.dump());
	EXPECT_EQ(model.saveAction().state, LoadState::Loaded);
	EXPECT_EQ(model.saveAction().message, "settings saved");
	EXPECT_FALSE(model.dirty());
	EXPECT_EQ(model.loaded().data->version, "v2");
	EXPECT_EQ(*model.value("load_balancing.sticky_sessions"), false);
	EXPECT_FALSE(model.restartRequiredBySave());
}

TEST_F(Settings, HostOrPortSaysRestartRequired)
{
	load();
	model.setValue("server.port", 9090);
	model.save();
	Json saved = Json::parse(kSettings)["settings"];
	saved["server"]["port"] = 9090;
	net.answer(200, Json{{"version", "v2"}, {"restart_required", true}, {"message", "settings saved"}, {"data", saved}}.dump());
	EXPECT_TRUE(model.restartRequiredBySave());
	EXPECT_EQ(model.testState()["restart_required"], true);
}

TEST_F(Settings, A400IsShownNextToItsField)
{
	load();
	model.setValue("logging.log_directory", std::string("/nope"));
	model.save();
	net.answer(400, R"({"error": "logging.log_directory: cannot create /nope", "path": "logging.log_directory"})");
	EXPECT_EQ(model.saveAction().state, LoadState::Failed);
	ASSERT_NE(model.problem("logging.log_directory"), nullptr);
	EXPECT_EQ(model.problem("logging.log_directory")->message, "cannot create /nope");
	EXPECT_TRUE(model.dirty()) << "edits kept";
	// Editing the field clears the service's complaint about it.
	model.setValue("logging.log_directory", std::string("./logs2"));
	EXPECT_EQ(model.problem("logging.log_directory"), nullptr);
	// A path outside the form is listed apart.
	model.save();
	net.answer(400, R"({"error": "tagging.taggers: is changed through /admin/api/taggers", "path": "tagging.taggers"})");
	ASSERT_EQ(model.otherProblems().size(), 1u);
	EXPECT_EQ(model.otherProblems()[0].first, "tagging.taggers");
}

TEST_F(Settings, A409KeepsTheEditsAndReloadRebasesThem)
{
	load();
	model.setValue("logging.level", std::string("debug"));
	model.setValue("server.port", 9090);
	model.save();
	net.answer(409, R"({"error": "the configuration changed since version v1 (now v3); reload and retry", "version": "v3"})");
	EXPECT_TRUE(model.conflict());
	EXPECT_EQ(model.saveAction().error, "the configuration changed since version v1 (now v3); reload and retry");
	EXPECT_EQ(model.changeCount(), 2u);

	// Someone else set the port to 9090 too and changed the retention.
	Json other = Json::parse(kSettings);
	other["settings"]["server"]["port"] = 9090;
	other["settings"]["logging"]["retention_days"] = 7;
	other["version"] = "v3";
	model.reload();
	net.answer(200, other.dump());
	EXPECT_FALSE(model.conflict());
	EXPECT_EQ(model.loaded().data->version, "v3");
	EXPECT_EQ(model.changeCount(), 1u) << "the port now agrees; the level is still an edit";
	EXPECT_EQ(*model.value("logging.level"), "debug");
	EXPECT_EQ(*model.value("logging.retention_days"), 7);
	model.save();
	EXPECT_EQ(Json::parse(net.front().body)["version"], "v3");
	EXPECT_EQ(Json::parse(net.front().body)["settings"], Json::parse(R"({"logging": {"level": "debug"}})"));
}

TEST_F(Settings, DiscardAndLoadFailure)
{
	model.reload();
	net.answer(500, R"({"error": "boom"})");
	EXPECT_EQ(model.loaded().state, LoadState::Failed);
	EXPECT_EQ(model.loaded().error, "HTTP 500: boom");
	load();
	const uint64_t gen = model.generation();
	model.setValue("logging.level", std::string("error"));
	EXPECT_EQ(model.generation(), gen) << "typing does not reset the text buffers";
	model.discardEdits();
	EXPECT_FALSE(model.dirty());
	EXPECT_GT(model.generation(), gen);
	EXPECT_EQ(*model.value("logging.level"), "info");
}

} // namespace
} // namespace ccc::admin
