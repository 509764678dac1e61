#pragma once
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "ccc/config/diagnostic.h"
#include "model/i18n.h"

/// The tagger editor's form apart from drawing: which config keys each tagger type uses, the
/// conversion between a tagger's JSON (as the taggers API sends it) and the text the user edits,
/// and validation with the very shared/ code the service runs (api::taggerFromJson +
/// config::validate), so findings carry the key paths a 400 from the service would name
/// ("tagger.config.path_pattern").
namespace ccc::admin
{

/// How a config key is edited.
enum class TaggerFieldKind
{
	Text,   ///< one line, sent as a string (patterns, names, paths)
	Number, ///< one line; sent as a JSON integer when it reads as one, else as the text (so validation names it)
	Bool,   ///< a checkbox
	List,   ///< one line, comma-separated; sent as a JSON array of the trimmed non-empty items
	Script  ///< a multi-line text (Lua source)
};

struct TaggerFieldSpec
{
	const char * key;        ///< the config key (config.<key>)
	TaggerFieldKind kind;
	bool required;           ///< the type needs it (validation says so too; the editor marks it)
	const char * initial;    ///< the text of a new tagger (and of a loaded one without the key); "true"/"false" for Bool
	bool always_write;       ///< written even when empty ("" and [] mean something, e.g. subagent's agent_header)
	Msg hint;                ///< what the key does, shown next to it
};

/// The config keys a tagger of `type` ("builtin" | "lua" | other) and `builtinType` uses, in
/// display order: exactly the keys docs/TAGGING.md lists for it (method: the `methods` list;
/// older spellings are folded into it on load). Empty for unknown types.
const std::vector<TaggerFieldSpec> & taggerFields(const std::string & type, const std::string & builtinType);

/// One tagger being edited. `fields` holds every field's text by config key (Bool: "true"/"false").
struct TaggerForm
{
	std::string original_name; ///< the saved name this form edits; empty for a new tagger
	std::string name;
	std::string type = "builtin";
	std::string builtin_type = "path";
	std::string tag;
	bool enabled = true;
	int priority = 0;
	std::map<std::string, std::string> fields;
	/// Config keys of the loaded tagger that no field shows (kept on save while the type is unchanged).
	nlohmann::ordered_json extra = nlohmann::ordered_json::object();
	std::string loaded_kind; ///< type + "/" + builtin_type at load ("" for a new tagger)

	bool isNew() const { return original_name.empty(); }
	/// Switches the type and gives the new type's fields their initial text where empty.
	void setType(const std::string & type, const std::string & builtinType);
};

/// A new tagger of this type with the fields' initial values.
TaggerForm newTaggerForm(const std::string & type, const std::string & builtinType = "path");

/// The form of a tagger object from the API ({"name", "type", "builtin_type", "tag", "enabled",
/// "priority", "config"}). Tolerant: wrong types read as defaults (validation then reports them).
TaggerForm taggerFormFromJson(const nlohmann::ordered_json & tagger);

/// The tagger object to send (POST/PUT /taggers, POST /taggers/try). Optional empty fields are
/// left out; numbers are sent as numbers when they are integers.
nlohmann::ordered_json taggerFormToJson(const TaggerForm & form);

/// Checks the form as the service will: mapping and validation findings with paths under
/// "tagger." (e.g. "tagger.config.min_tokens"), plus a duplicate-name error when `otherNames`
/// (the saved taggers except the one being edited) holds the name. Warnings are kept.
config::Diagnostics validateTaggerForm(const TaggerForm & form, const std::vector<std::string> & otherNames);

/// The first message (error first, then warning) about `path` or anything under it
/// (`tagger.config.model_patterns` also takes `...model_patterns[1]`); empty when none.
std::string findingFor(const config::Diagnostics & findings, const std::string & path);

/// The key path of field `key`: "tagger.config.<key>"; of the form's own keys "tagger.<key>".
std::string taggerFieldPath(const std::string & key);

} // namespace ccc::admin
