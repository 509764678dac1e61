#include "model/dashboard_model.h"

namespace ccc::admin
{

nlohmann::ordered_json DashboardModel::testState() const
{
	(void)_api;
	return nlohmann::ordered_json::object();
}

} // namespace ccc::admin
