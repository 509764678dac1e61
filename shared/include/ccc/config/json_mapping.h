#pragma once
#include <nlohmann/json.hpp>

#include "ccc/config/diagnostic.h"
#include "ccc/config/model.h"

/// The config <-> JSON mapping. config.yaml is first turned into the same JSON tree (see
/// ccc_config_yaml), so YAML files, the admin API and the browser all go through this one
/// mapping and produce the same diagnostics with the same key paths.
namespace ccc::config
{

/// Reads `root` into `out` (which starts from defaults). Type errors are Errors naming the key
/// path; unknown keys are Warnings naming the key. Scalars are read leniently because YAML plain
/// scalars arrive typed by their look: "8080" reads as an int, 12345 reads as a string field.
/// Never throws.
Diagnostics configFromJson(const nlohmann::ordered_json & root, Config & out);

/// Writes the config as JSON with the YAML key names. Durations are written Go-style ("30s").
/// With maskSecrets, every secret (auth_value, OAuth tokens, proxy password, client tokens,
/// admin password hash) is replaced by maskSecret(value).
nlohmann::ordered_json configToJson(const Config & config, bool maskSecrets);

/// "sk-a...89" style mask that keeps a hint of which key is configured but never the key itself:
/// the first 4 and last 2 characters for values of 16+ characters, otherwise only "********".
std::string maskSecret(const std::string & value);

/// True when `value` is a mask produced by maskSecret (the admin keeps the stored secret then).
bool isMaskedSecret(const std::string & value);

} // namespace ccc::config
