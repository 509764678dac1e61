#pragma once
#include <memory>

#include <nlohmann/json.hpp>

#include "model/api_client.h"

/// The settings panel's state apart from drawing: what it loaded, what is in flight, what failed.
/// Owned by AppState (AppState::settings()); the panel reads it and calls its actions.
namespace ccc::admin
{

class SettingsModel
{
public:
	explicit SettingsModel(ApiClient & api) : _api(api) { }

	/// This panel's part of window.__adminTest.state (under the key "settings"); keys are stable.
	nlohmann::ordered_json testState() const;

private:
	ApiClient & _api;
	/// Guards callbacks that outlive the object (the transport may answer after destruction).
	std::shared_ptr<bool> _alive = std::make_shared<bool>(true);
};

} // namespace ccc::admin
