#include "model/endpoints_model.h"

namespace ccc::admin
{

nlohmann::ordered_json EndpointsModel::testState() const
{
	(void)_api;
	return nlohmann::ordered_json::object();
}

} // namespace ccc::admin
