#include "model/settings_model.h"

namespace ccc::admin
{

nlohmann::ordered_json SettingsModel::testState() const
{
	(void)_api;
	return nlohmann::ordered_json::object();
}

} // namespace ccc::admin
