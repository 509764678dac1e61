#include "model/app_state.h"

#include "model/resource_load.h"

namespace ccc::admin
{

const char * loadStateName(LoadState s)
{
	switch (s)
	{
		case LoadState::Idle: return "idle";
		case LoadState::Loading: return "loading";
		case LoadState::Loaded: return "loaded";
		case LoadState::Failed: return "failed";
	}
	return "unknown";
}

AppState::AppState(HttpTransport transport, EventStreamOpener events) : _api(transport), _language(transport)
{
	_dashboard.setEventStream(std::move(events));
}

void AppState::reloadConfig()
{
	if (!_config.begin())
		return;
	_api.getConfig(settleInto(_config, _alive, [](const nlohmann::ordered_json & body, ConfigCheck & out, std::string &) {
		out = checkConfigResponse(body);
		return true;
	}));
}

void AppState::reloadEndpoints()
{
	if (!_endpoints.begin())
		return;
	_api.getEndpoints(settleInto(_endpoints, _alive, [](const nlohmann::ordered_json & body, std::vector<EndpointStatus> & out, std::string & error) {
		out = parseEndpoints(body, error);
		return error.empty();
	}));
}

const ActionState & AppState::resetAction(const std::string & id) const
{
	static const ActionState idle;
	auto it = _resets.find(id);
	return it == _resets.end() ? idle : it->second;
}

void AppState::resetEndpointStatus(const std::string & id)
{
	ActionState & action = _resets[id];
	if (action.state == LoadState::Loading)
		return;
	action.state = LoadState::Loading;
	std::weak_ptr<bool> alive = _alive;
	_api.resetEndpointStatus(id, [this, alive, id](ApiResult result) {
		if (alive.expired())
			return;
		ActionState & a = _resets[id];
		++a.completed;
		if (!result.ok)
		{
			a.state = LoadState::Failed;
			a.error = result.error;
			a.message.clear();
			return;
		}
		a.state = LoadState::Loaded;
		a.error.clear();
		a.message = result.body.is_object() && result.body.contains("message") && result.body["message"].is_string()
			? result.body["message"].get<std::string>() : std::string();
		reloadEndpoints();
	});
}

nlohmann::ordered_json AppState::testState() const
{
	nlohmann::ordered_json s;
	s["panel"] = _ui.panel;
	s["language"] = languageTag(_language.active());
	s["language_requested"] = languageTag(_language.requested());
	s["theme"] = themeName(_ui.theme);
	s["font_state"] = loadStateName(_language.cjkFont().state);
	s["font_error"] = _language.cjkFont().error;
	s["font_bytes"] = _language.cjkFont().data ? _language.cjkFont().data->size() : 0;

	s["config_state"] = loadStateName(_config.state);
	s["loaded"] = _config.data.has_value();
	s["load_error"] = _config.error;
	s["loads_completed"] = _config.loads_completed;
	if (_config.data)
	{
		const ConfigCheck & c = *_config.data;
		s["config_path"] = c.path;
		s["valid"] = c.valid();
		s["errors"] = c.errors;
		s["warnings"] = c.warnings;
		s["summary"] = c.summary();
		s["endpoints"] = c.endpoint_names;
		nlohmann::ordered_json findings = nlohmann::ordered_json::array();
		for (const auto & d : c.findings)
			findings.push_back({{"severity", d.severity == config::Severity::Error ? "error" : "warning"},
				{"path", d.path}, {"message", d.message}});
		s["findings"] = std::move(findings);
	}

	s["endpoints_state"] = loadStateName(_endpoints.state);
	s["endpoints_error"] = _endpoints.error;
	s["endpoints_loads"] = _endpoints.loads_completed;
	nlohmann::ordered_json live = nlohmann::ordered_json::array();
	if (_endpoints.data)
		for (const auto & e : *_endpoints.data)
			live.push_back({{"id", e.id}, {"name", e.name}, {"status", e.status}, {"breaker", e.breaker_state},
				{"requests", e.requests}, {"failures", e.failures}});
	s["endpoint_status"] = std::move(live);
	nlohmann::ordered_json resets = nlohmann::ordered_json::object();
	for (const auto & [id, a] : _resets)
		resets[id] = {{"state", loadStateName(a.state)}, {"error", a.error}, {"message", a.message}, {"completed", a.completed}};
	s["resets"] = std::move(resets);
	const LoginState & login = _api.loginState();
	s["session"] = {{"mode", sessionModeName(login.mode)}, {"authenticated", login.authenticated},
		{"login_required", login.loginRequired()}, {"csrf", !login.csrf_token.empty()},
		{"session_state", loadStateName(login.session_state)}, {"login_state", loadStateName(login.login.state)},
		{"login_error", login.login.error}, {"login_attempts", login.login.completed}, {"logins", login.logins},
		{"held_requests", login.held_requests}, {"lockout_s", login.lockoutSecondsLeft(_api.nowMs())},
		{"logout_state", loadStateName(login.logout.state)}};
	s["dashboard"] = _dashboard.testState();
	s["endpoints_model"] = _endpointsModel.testState();
	s["taggers"] = _taggers.testState();
	s["logs"] = _logs.testState();
	s["settings"] = _settings.testState();
	return s;
}

} // namespace ccc::admin
