#pragma once
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/api_client.h"
#include "model/resource.h"

/// The settings panel's state apart from drawing: the settings as loaded (GET /admin/api/settings),
/// the user's edits on top of them, validation of the edited settings as they are typed (the
/// shared/ config mapping and validation the service runs), and the save
/// (PUT /admin/api/settings with the version it is based on). Owned by AppState
/// (AppState::settings()); the panel reads it and calls its actions.
///
/// Edits survive everything but discardEdits(): a failed save, a 409 (someone else changed the
/// config: reload() fetches the new version and re-applies the edits on top of it), a reload.
namespace ccc::admin
{

/// How a setting is edited.
enum class SettingKind
{
	Bool,
	Integer,
	Number,     ///< a fraction (circuit_breaker.failure_rate)
	Duration,   ///< Go-style text ("30s", "1m30s"), parsed by shared/ parseDurationMs
	Enum,       ///< one of `options`
	Text,
	TextList,   ///< a list of strings (one per line in the editor)
	ReadOnly    ///< shown, never sent (server.admin_password_hash: --set-admin-password)
};

const char * settingKindName(SettingKind k);

struct SettingField
{
	std::string path;     ///< config key path: "logging.level", "validation.python_json_fixing.enabled"
	std::string section;  ///< top-level section ("logging")
	std::string label;    ///< the key below the section ("level", "python_json_fixing.enabled")
	SettingKind kind = SettingKind::Text;
	std::vector<std::string> options; ///< Enum choices
	bool has_range = false;           ///< min/max are the validation's bounds (hints for the widget)
	double min = 0, max = 0;
	bool restart = false;             ///< applies after a restart (server.host, server.port)
	bool secret = false;              ///< masked by the service; the mask sent back keeps the value
};

struct SettingsSnapshot
{
	nlohmann::ordered_json settings; ///< {section: {key: value}} as served (secrets masked)
	std::string version;
	std::string running_host;
	int running_port = 0;
	bool restart_required = false;   ///< the running server differs from the file (host/port)
};

class SettingsModel
{
public:
	explicit SettingsModel(ApiClient & api) : _api(api) { }

	/// GET /admin/api/settings. Edits are kept and re-applied on top of the new values.
	void reload();
	/// Drops every edit (back to the loaded values).
	void discardEdits();

	const Resource<SettingsSnapshot> & loaded() const { return _loaded; }
	/// Every editable setting, in the served order (built when settings load).
	const std::vector<SettingField> & fields() const { return _fields; }
	const SettingField * field(const std::string & path) const;

	/// The value being edited (the loaded one unless changed); null for an unknown path.
	const nlohmann::ordered_json * value(const std::string & path) const;
	/// Changes one setting and validates the whole edited set. False for an unknown or read-only path.
	bool setValue(const std::string & path, nlohmann::ordered_json v);
	/// True when the edited value differs from the loaded one.
	bool changed(const std::string & path) const;
	bool dirty() const { return !_changes.empty(); }
	size_t changeCount() const { return _changes.size(); }
	/// Bumps when the edited values change other than through setValue (load, save, discard), so
	/// the panel refreshes its text buffers.
	uint64_t generation() const { return _generation; }

	/// The problem with `path`: the service's 400 for it, else the browser-side validation's
	/// error or warning; null when none.
	struct Problem
	{
		bool error = true;
		std::string message;
	};
	const Problem * problem(const std::string & path) const;
	/// Errors found by validation in the edited settings (a save is refused while any remains).
	size_t errorCount() const { return _errors; }
	/// Problems whose path is not a setting of the form (shown at the top).
	const std::vector<std::pair<std::string, Problem>> & otherProblems() const { return _otherProblems; }

	/// PUT /admin/api/settings with the changed keys and the loaded version. Ignored while a save
	/// is in flight, without changes, or while validation finds errors.
	void save();
	const ActionState & saveAction() const { return _save; }
	/// The last save answered 409: the config changed elsewhere; reload() re-bases the edits.
	bool conflict() const { return _conflict; }
	/// The last successful save said host/port apply after a restart.
	bool restartRequiredBySave() const { return _restartAfterSave; }

	/// This panel's part of window.__adminTest.state (under the key "settings"); keys are stable.
	nlohmann::ordered_json testState() const;

private:
	/// Takes `snapshot` as the loaded settings (counts as a load), then rebaseEdits().
	void adopt(SettingsSnapshot snapshot);
	/// Re-applies the edits on top of the loaded settings and rebuilds the fields.
	void rebaseEdits();
	void buildFields();
	void validate();
	nlohmann::ordered_json patch() const;

	ApiClient & _api;
	Resource<SettingsSnapshot> _loaded;
	nlohmann::ordered_json _edited = nlohmann::ordered_json::object();
	std::map<std::string, nlohmann::ordered_json> _changes; ///< path -> edited value (differs from loaded)
	std::vector<SettingField> _fields;
	std::map<std::string, Problem> _problems;       ///< browser validation, by path
	std::map<std::string, Problem> _serverProblems; ///< the last save's 400, by path
	std::vector<std::pair<std::string, Problem>> _otherProblems;
	size_t _errors = 0;
	uint64_t _generation = 0;
	ActionState _save;
	bool _conflict = false;
	bool _restartAfterSave = false;
	/// Guards callbacks that outlive the object (the transport may answer after destruction).
	std::shared_ptr<bool> _alive = std::make_shared<bool>(true);
};

} // namespace ccc::admin
