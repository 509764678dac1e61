#pragma once
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "ccc/config/diagnostic.h"
#include "ccc/config/model.h"

/// The check the admin runs on the service's loaded config, in the browser, with the very code
/// the service uses (ccc::config::configFromJson + validate): proof that shared/ behaves the same
/// in both builds, and the basis of validate-as-you-type in the endpoint editor.
namespace ccc::admin
{

struct ConfigCheck
{
	std::string path;                 ///< config.yaml path on the service's machine
	config::Config config;            ///< as read back from the API (secrets masked)
	nlohmann::ordered_json raw;       ///< the "config" mapping exactly as served (for read-only views)
	/// Mapping findings first (wrong types, unknown keys), then validation findings; each names its key path.
	config::Diagnostics findings;
	size_t errors = 0;
	size_t warnings = 0;
	std::vector<std::string> endpoint_names; ///< in config order

	bool valid() const { return errors == 0; }
	/// "configuration valid: 2 endpoints" / "configuration valid: 2 endpoints, 1 warning" /
	/// "3 errors, 1 warning"
	std::string summary() const;
};

/// Checks the body of GET /admin/api/config ({"path": ..., "config": {...}}). A body without a
/// "config" mapping is reported as one error at path "config"; never throws.
ConfigCheck checkConfigResponse(const nlohmann::ordered_json & body);

} // namespace ccc::admin
