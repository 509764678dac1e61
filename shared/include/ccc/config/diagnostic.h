#pragma once
#include <string>
#include <vector>

namespace ccc::config
{

enum class Severity
{
	Warning, ///< The config loads; the key is ignored or a default is used. Printed, never fatal.
	Error    ///< The config is refused (at start-up, by --check-config, by the admin API).
};

/// One finding about a config, named by its key path, e.g. `endpoints[2].auth_type`.
/// line/column are 1-based positions in the YAML source when known, 0 otherwise.
struct Diagnostic
{
	Severity severity = Severity::Error;
	std::string path;
	std::string message;
	int line = 0;
	int column = 0;

	/// "endpoints[2].auth_type: must be one of api_key, auth_token, oauth"
	std::string toString() const;
};

using Diagnostics = std::vector<Diagnostic>;

bool hasErrors(const Diagnostics & diags);
size_t countErrors(const Diagnostics & diags);

} // namespace ccc::config
