#pragma once
#include <memory>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "model/api_client.h"
#include "model/config_check.h"

/// The admin's state, apart from any drawing: what has been loaded from the service, what is in
/// flight, and what failed. Panels read it and call its actions; API answers update it.
namespace ccc::admin
{

/// The life of one remote resource. Loading may overlap a previous Loaded/Failed value: the old
/// data stays visible (and valid) until the new answer replaces it.
enum class LoadState
{
	Idle,    ///< never requested
	Loading, ///< a request is in flight
	Loaded,  ///< the last request succeeded; its data is current
	Failed   ///< the last request failed; `error` says why (older data may still be shown)
};

const char * loadStateName(LoadState s);

struct ConfigResource
{
	LoadState state = LoadState::Idle;
	std::string error;                  ///< set when state == Failed
	std::optional<ConfigCheck> check;   ///< the latest successfully loaded and checked config
	int loads_completed = 0;            ///< answers received (success or failure)
};

class AppState
{
public:
	explicit AppState(HttpTransport transport);

	/// (Re)fetches the config from the service and checks it; a call while one is in flight is ignored.
	void reloadConfig();

	const ConfigResource & config() const { return _config; }

	/// The state as JSON for the browser test hook (window.__adminTest.state). Keys are stable:
	/// tests depend on them.
	nlohmann::ordered_json testState() const;

private:
	ApiClient _api;
	ConfigResource _config;
	/// Guards callbacks that outlive the object (the transport may answer after destruction).
	std::shared_ptr<bool> _alive = std::make_shared<bool>(true);
};

} // namespace ccc::admin
