#include "model/app_state.h"

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

AppState::AppState(HttpTransport transport) : _api(std::move(transport))
{
}

void AppState::reloadConfig()
{
	if (_config.state == LoadState::Loading)
		return;
	_config.state = LoadState::Loading;
	std::weak_ptr<bool> alive = _alive;
	_api.getConfig([this, alive](ApiResult result) {
		if (alive.expired())
			return;
		++_config.loads_completed;
		if (!result.ok)
		{
			_config.state = LoadState::Failed;
			_config.error = result.error;
			return;
		}
		_config.check = checkConfigResponse(result.body);
		_config.state = LoadState::Loaded;
		_config.error.clear();
	});
}

nlohmann::ordered_json AppState::testState() const
{
	nlohmann::ordered_json s;
	s["config_state"] = loadStateName(_config.state);
	s["loaded"] = _config.check.has_value();
	s["load_error"] = _config.error;
	s["loads_completed"] = _config.loads_completed;
	if (_config.check)
	{
		const ConfigCheck & c = *_config.check;
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
	return s;
}

} // namespace ccc::admin
