#pragma once
#include <string>

#include <nlohmann/json.hpp>

#include "ccc/config/model.h"

/// Writing an edited config back into config.yaml while keeping as much of the user's text as the
/// YAML library allows (yaml-cpp has no round-trip mode, so we edit the text ourselves). Native only.
namespace ccc::config
{

/// Turns `current` (which `text` holds) into the text of `next`:
/// - a changed scalar that sits in a block mapping of the file is replaced in place
///   (patchYamlScalars: comments, quoting of other values and key order all stay);
/// - any other change (a list grew or shrank, a key the file does not write, flow style `{...}`)
///   re-emits only the top-level section it belongs to (e.g. `endpoints:`), in block style, with
///   the keys the file had plus those differing from the defaults; every other section keeps its
///   text and comments. Comments inside a re-emitted section are lost; comment lines just before
///   the next section stay.
/// The result is re-read and must map to exactly `next`; otherwise false with `error`.
bool rewriteConfigYaml(const std::string & text, const Config & current, const Config & next, std::string & out, std::string & error);

/// Block-style YAML for a JSON value under `key` at `indent` spaces ("key: value\n" or "key:\n  ...").
/// Strings that could be read as another type (or need escapes) are double-quoted.
std::string emitYamlEntry(const std::string & key, const nlohmann::ordered_json & value, int indent);

} // namespace ccc::config
