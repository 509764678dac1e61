#pragma once
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/api_client.h"
#include "model/config_check.h"
#include "model/dashboard_model.h"
#include "model/endpoints_model.h"
#include "model/endpoints.h"
#include "model/event_stream.h"
#include "model/language_state.h"
#include "model/logs_model.h"
#include "model/resource.h"
#include "model/settings_model.h"
#include "model/taggers_model.h"
#include "model/ui_state.h"

/// The admin's state, apart from any drawing: what has been loaded from the service, what is in
/// flight, what failed, and the user's choices about the admin itself (panel, theme, language).
/// Panels read it and call its actions; API answers update it (between frames, on the UI thread).
namespace ccc::admin
{

using ConfigResource = Resource<ConfigCheck>;
using EndpointsResource = Resource<std::vector<EndpointStatus>>;

class AppState
{
public:
	/// `events` opens the live event stream (GET /admin/api/events); none = no live updates.
	explicit AppState(HttpTransport transport, EventStreamOpener events = {});

	/// (Re)fetches the config from the service and checks it; a call while one is in flight is ignored.
	void reloadConfig();
	/// (Re)fetches the endpoints with their live state; ignored while one is in flight.
	void reloadEndpoints();
	/// Resets the status (circuit breaker) of endpoint `id`; on success the endpoints are reloaded.
	/// Ignored while a reset of the same endpoint is in flight.
	void resetEndpointStatus(const std::string & id);

	const ConfigResource & config() const { return _config; }
	const EndpointsResource & endpoints() const { return _endpoints; }
	/// The reset action of endpoint `id` (Idle when never triggered).
	const ActionState & resetAction(const std::string & id) const;

	/// The API client: its session (login, CSRF token) is drawn by the frame (login screen, logout).
	ApiClient & api() { return _api; }
	const ApiClient & api() const { return _api; }

	UiState & ui() { return _ui; }
	const UiState & ui() const { return _ui; }
	LanguageState & language() { return _language; }
	const LanguageState & language() const { return _language; }

	/// Each panel's own state (model/<panel>_model.h), apart from drawing.
	DashboardModel & dashboard() { return _dashboard; }
	EndpointsModel & endpointsModel() { return _endpointsModel; }
	TaggersModel & taggers() { return _taggers; }
	LogsModel & logs() { return _logs; }
	SettingsModel & settings() { return _settings; }

	/// The state as JSON for the browser test hook (window.__adminTest.state). Keys are stable:
	/// tests depend on them.
	nlohmann::ordered_json testState() const;

private:
	ApiClient _api;
	ConfigResource _config;
	EndpointsResource _endpoints;
	std::map<std::string, ActionState> _resets;
	UiState _ui;
	LanguageState _language;
	DashboardModel _dashboard{_api};
	EndpointsModel _endpointsModel{_api};
	TaggersModel _taggers{_api};
	LogsModel _logs{_api};
	SettingsModel _settings{_api};
	/// Guards callbacks that outlive the object (the transport may answer after destruction).
	std::shared_ptr<bool> _alive = std::make_shared<bool>(true);
};

} // namespace ccc::admin
