#pragma once
#include <memory>

#include <nlohmann/json.hpp>

#include "model/api_client.h"

/// The dashboard panel's state apart from drawing: what it loaded, what is in flight, what failed.
/// Owned by AppState (AppState::dashboard()); the panel reads it and calls its actions.
namespace ccc::admin
{

class DashboardModel
{
public:
	explicit DashboardModel(ApiClient & api) : _api(api) { }

	/// This panel's part of window.__adminTest.state (under the key "dashboard"); keys are stable.
	nlohmann::ordered_json testState() const;

private:
	ApiClient & _api;
	/// Guards callbacks that outlive the object (the transport may answer after destruction).
	std::shared_ptr<bool> _alive = std::make_shared<bool>(true);
};

} // namespace ccc::admin
