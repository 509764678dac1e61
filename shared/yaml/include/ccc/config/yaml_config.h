#pragma once
#include <string>

#include <nlohmann/json.hpp>

#include "ccc/config/diagnostic.h"
#include "ccc/config/model.h"

/// config.yaml <-> the config model, on top of the JSON mapping in ccc_shared. Native only.
namespace ccc::config
{

struct YamlLoadResult
{
	Config config;                 ///< defaults overlaid with what the file says
	Diagnostics diagnostics;       ///< parse, mapping and validation findings, with line:column
	nlohmann::ordered_json tree;   ///< the file as a JSON tree (for the admin's raw view)
	bool parsed = false;           ///< false when the YAML itself could not be read
};

/// Parses YAML text, maps it and validates it. Never throws. A YAML syntax error yields one
/// Error with the line and column yaml-cpp reports. A key repeated in one mapping is an Error
/// at the second occurrence. Every other finding carries the line:column of its key (or of the
/// nearest enclosing key when the key itself is absent). Validation runs even when some keys
/// could not be read, so one call reports every problem.
YamlLoadResult loadConfigYaml(const std::string & text);

/// Converts YAML text to a JSON tree (plain scalars typed by their look: null, bool, int, float,
/// else string; quoted scalars stay strings). Records "key.path" -> (line, column) in `marks`
/// when given. Returns false with a message on a syntax error.
bool yamlToJson(const std::string & text, nlohmann::ordered_json & out, std::string & error,
	std::vector<std::pair<std::string, std::pair<int, int>>> * marks = nullptr);

/// "config.yaml:12:5: error: endpoints[2].auth_type: must be one of ..." lines, one per finding.
std::string formatDiagnostics(const Diagnostics & diags, const std::string & sourceName);

/// The commented config written on first run: binds 127.0.0.1:8080, disabled example endpoints.
const std::string & defaultConfigYaml();

} // namespace ccc::config

namespace ccc::config
{

/// Replaces scalar values in YAML text in place, keeping every comment and all other bytes:
/// `edits` maps key paths (as in diagnostics: "endpoints[2].oauth_config.access_token") to the new
/// value's YAML text (quote strings yourself, e.g. with yamlQuote). Fails (text untouched) when a
/// path does not lead to an existing scalar.
bool patchYamlScalars(std::string & text, const std::vector<std::pair<std::string, std::string>> & edits, std::string & error);

/// A YAML double-quoted scalar for any UTF-8 text.
std::string yamlQuote(const std::string & value);

} // namespace ccc::config
