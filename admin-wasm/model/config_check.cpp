#include "model/config_check.h"

#include "ccc/config/json_mapping.h"
#include "ccc/config/validate.h"

namespace ccc::admin
{

namespace
{

std::string plural(size_t n, const char * word)
{
	return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

} // namespace

std::string ConfigCheck::summary() const
{
	std::string out;
	if (valid())
		out = "configuration valid: " + plural(endpoint_names.size(), "endpoint");
	else
		out = plural(errors, "error");
	if (warnings > 0)
		out += ", " + plural(warnings, "warning");
	return out;
}

ConfigCheck checkConfigResponse(const nlohmann::ordered_json & body)
{
	ConfigCheck check;
	if (body.is_object() && body.contains("path") && body["path"].is_string())
		check.path = body["path"].get<std::string>();
	if (!body.is_object() || !body.contains("config") || !body["config"].is_object())
	{
		check.findings.push_back({config::Severity::Error, "config", "the admin API answer holds no config mapping"});
	}
	else
	{
		check.raw = body["config"];
		check.findings = config::configFromJson(body["config"], check.config);
		config::Diagnostics more = config::validate(check.config);
		check.findings.insert(check.findings.end(), more.begin(), more.end());
		for (const auto & e : check.config.endpoints)
			check.endpoint_names.push_back(e.name);
	}
	check.errors = config::countErrors(check.findings);
	check.warnings = check.findings.size() - check.errors;
	return check;
}

} // namespace ccc::admin
