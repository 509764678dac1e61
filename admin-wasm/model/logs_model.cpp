#include "model/logs_model.h"

namespace ccc::admin
{

nlohmann::ordered_json LogsModel::testState() const
{
	(void)_api;
	return nlohmann::ordered_json::object();
}

} // namespace ccc::admin
