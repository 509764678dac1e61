#include "model/taggers_model.h"

namespace ccc::admin
{

nlohmann::ordered_json TaggersModel::testState() const
{
	(void)_api;
	return nlohmann::ordered_json::object();
}

} // namespace ccc::admin
