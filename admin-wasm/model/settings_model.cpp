#include "model/settings_model.h"

#include <functional>
#include <set>

#include "ccc/config/json_mapping.h"
#include "ccc/config/validate.h"
#include "model/resource_load.h"

namespace ccc::admin
{

namespace
{

using Json = nlohmann::ordered_json;

std::vector<std::string> splitPath(const std::string & path)
{
	std::vector<std::string> out;
	size_t start = 0;
	while (start <= path.size())
	{
		const size_t dot = path.find('.', start);
		out.push_back(path.substr(start, dot == std::string::npos ? std::string::npos : dot - start));
		if (dot == std::string::npos)
			break;
		start = dot + 1;
	}
	return out;
}

const Json * lookup(const Json & root, const std::string & path)
{
	const Json * at = &root;
	for (const auto & key : splitPath(path))
	{
		if (!at->is_object())
			return nullptr;
		auto it = at->find(key);
		if (it == at->end())
			return nullptr;
		at = &*it;
	}
	return at;
}

void assign(Json & root, const std::string & path, Json v)
{
	Json * at = &root;
	for (const auto & key : splitPath(path))
	{
		if (!at->is_object())
			*at = Json::object();
		at = &(*at)[key];
	}
	*at = std::move(v);
}

/// Strips "HTTP 400: " from an ApiResult error: next to a field the status says nothing.
std::string withoutStatus(const ApiResult & r)
{
	const std::string prefix = "HTTP " + std::to_string(r.status) + ": ";
	return r.error.rfind(prefix, 0) == 0 ? r.error.substr(prefix.size()) : r.error;
}

struct Range
{
	const char * path;
	double min, max;
};

// The validation's bounds (shared/src/config/validate.cpp), as hints for the number widgets;
// the check itself is always validate()'s.
const Range kRanges[] = {
	{"server.port", 1, 65535},
	{"server.max_concurrent_streams", 1, 100000},
	{"server.max_request_body", 1024, 1099511627776.0},
	{"logging.retention_days", 0, 3650},
	{"logging.truncated_body_bytes", 16, 1099511627776.0},
	{"logging.max_body_bytes", 16, 1099511627776.0},
	{"logging.retention_max_bytes", 0, 1099511627776.0 * 1024},
	{"validation.python_json_fixing.max_attempts", 0, 100},
	{"timeouts.recovery_threshold", 1, 100},
	{"failover.max_attempts_per_endpoint", 1, 10},
	{"circuit_breaker.failure_threshold", 1, 1000},
	{"circuit_breaker.failure_rate", 0, 1},
	{"circuit_breaker.min_requests", 0, 1000000},
};

const std::map<std::string, std::vector<std::string>> & enums()
{
	static const std::map<std::string, std::vector<std::string>> e = {
		{"logging.level", {"debug", "info", "warn", "error"}},
		{"logging.log_request_types", {"failed", "success", "all"}},
		{"logging.log_request_body", {"none", "truncated", "full"}},
		{"logging.log_response_body", {"none", "truncated", "full"}},
		{"logging.storage", {"sqlite", "postgresql"}},
	};
	return e;
}

bool isDurationPath(const std::string & path)
{
	static const std::set<std::string> durations = {"server.shutdown_grace", "tagging.pipeline_timeout",
		"failover.request_deadline", "failover.retry_after_max", "failover.retry_delay", "circuit_breaker.window"};
	return durations.count(path) || (path.rfind("timeouts.", 0) == 0 && path != "timeouts.recovery_threshold");
}

bool settingsFromJson(const Json & b, SettingsSnapshot & s, std::string & error)
{
	if (!b.is_object() || !b.contains("settings") || !b["settings"].is_object())
	{
		error = "unexpected settings answer (no \"settings\" object)";
		return false;
	}
	s.settings = b["settings"];
	s.version = b.contains("version") && b["version"].is_string() ? b["version"].get<std::string>() : "";
	if (b.contains("running") && b["running"].is_object())
	{
		const Json & r = b["running"];
		s.running_host = r.contains("host") && r["host"].is_string() ? r["host"].get<std::string>() : "";
		s.running_port = r.contains("port") && r["port"].is_number_integer() ? r["port"].get<int>() : 0;
	}
	s.restart_required = b.contains("restart_required") && b["restart_required"].is_boolean() && b["restart_required"].get<bool>();
	return true;
}

} // namespace

const char * settingKindName(SettingKind k)
{
	switch (k)
	{
		case SettingKind::Bool: return "bool";
		case SettingKind::Integer: return "integer";
		case SettingKind::Number: return "number";
		case SettingKind::Duration: return "duration";
		case SettingKind::Enum: return "enum";
		case SettingKind::Text: return "text";
		case SettingKind::TextList: return "list";
		case SettingKind::ReadOnly: return "read-only";
	}
	return "unknown";
}

void SettingsModel::reload()
{
	if (!_loaded.begin())
		return;
	HttpRequest req;
	req.path = "/admin/api/settings";
	loadInto(_api, req, _loaded, _alive, settingsFromJson, [this](bool loaded) {
		if (!loaded)
			return;
		_conflict = false;
		rebaseEdits();
	});
}

void SettingsModel::adopt(SettingsSnapshot snapshot)
{
	_loaded.succeed(std::move(snapshot));
	rebaseEdits();
}

void SettingsModel::rebaseEdits()
{
	_edited = _loaded.data->settings;
	// Edits survive a reload: re-applied on top of the new values, dropped where they now agree.
	std::map<std::string, Json> kept;
	for (auto & [path, v] : _changes)
	{
		const Json * now = lookup(_edited, path);
		if (now && *now == v)
			continue;
		assign(_edited, path, v);
		kept.emplace(path, std::move(v));
	}
	_changes = std::move(kept);
	buildFields();
	++_generation;
	validate();
}

void SettingsModel::discardEdits()
{
	if (!_loaded.data)
		return;
	_changes.clear();
	_serverProblems.clear();
	_edited = _loaded.data->settings;
	++_generation;
	validate();
}

void SettingsModel::buildFields()
{
	_fields.clear();
	if (!_loaded.data || !_loaded.data->settings.is_object())
		return;
	std::set<std::string> ranged;
	for (const auto & r : kRanges)
		ranged.insert(r.path);
	// Leaves in served order; nested objects (validation.python_json_fixing) are walked.
	std::function<void(const std::string &, const std::string &, const std::string &, const Json &)> walk =
		[&](const std::string & section, const std::string & prefix, const std::string & label, const Json & v) {
			if (v.is_object())
			{
				for (auto it = v.begin(); it != v.end(); ++it)
					walk(section, prefix + "." + it.key(), label.empty() ? it.key() : label + "." + it.key(), it.value());
				return;
			}
			SettingField f;
			f.path = prefix;
			f.section = section;
			f.label = label;
			if (v.is_boolean())
				f.kind = SettingKind::Bool;
			else if (v.is_number_integer())
				f.kind = SettingKind::Integer;
			else if (v.is_number())
				f.kind = SettingKind::Number;
			else if (v.is_array())
				f.kind = SettingKind::TextList;
			else if (enums().count(prefix))
			{
				f.kind = SettingKind::Enum;
				f.options = enums().at(prefix);
			}
			else if (isDurationPath(prefix))
				f.kind = SettingKind::Duration;
			else
				f.kind = SettingKind::Text;
			for (const auto & r : kRanges)
				if (prefix == r.path)
				{
					f.has_range = true;
					f.min = r.min;
					f.max = r.max;
				}
			f.restart = prefix == "server.host" || prefix == "server.port";
			f.secret = prefix == "server.client_tokens" || prefix == "logging.postgres_dsn" || prefix == "server.admin_password_hash";
			if (prefix == "server.admin_password_hash")
				f.kind = SettingKind::ReadOnly;
			_fields.push_back(std::move(f));
		};
	const Json & all = _loaded.data->settings;
	for (auto it = all.begin(); it != all.end(); ++it)
		walk(it.key(), it.key(), "", it.value());
}

const SettingField * SettingsModel::field(const std::string & path) const
{
	for (const auto & f : _fields)
		if (f.path == path)
			return &f;
	return nullptr;
}

const Json * SettingsModel::value(const std::string & path) const
{
	return lookup(_edited, path);
}

bool SettingsModel::setValue(const std::string & path, Json v)
{
	const SettingField * f = field(path);
	if (!f || f->kind == SettingKind::ReadOnly || !_loaded.data)
		return false;
	const Json * original = lookup(_loaded.data->settings, path);
	if (original && *original == v)
		_changes.erase(path);
	else
		_changes[path] = v;
	assign(_edited, path, std::move(v));
	_serverProblems.erase(path);
	validate();
	return true;
}

bool SettingsModel::changed(const std::string & path) const
{
	return _changes.count(path) != 0;
}

void SettingsModel::validate()
{
	_problems.clear();
	_otherProblems.clear();
	_errors = 0;
	if (!_edited.is_object())
		return;
	// The same mapping and validation as the service; the settings alone make a config whose
	// endpoints and taggers are empty, so findings about those are not the form's business.
	config::Config cfg;
	config::Diagnostics d = config::configFromJson(_edited, cfg);
	config::Diagnostics more = config::validate(cfg);
	d.insert(d.end(), more.begin(), more.end());
	for (const auto & diag : d)
	{
		if (diag.path.rfind("endpoints", 0) == 0 || diag.path.rfind("tagging.taggers", 0) == 0)
			continue;
		const bool error = diag.severity == config::Severity::Error;
		_errors += error ? 1 : 0;
		Problem p{error, diag.message};
		if (field(diag.path))
		{
			auto it = _problems.find(diag.path);
			if (it == _problems.end() || (error && !it->second.error))
				_problems[diag.path] = p;
		}
		else
			_otherProblems.emplace_back(diag.path, p);
	}
	for (const auto & [path, p] : _serverProblems)
		if (!field(path))
			_otherProblems.emplace_back(path, p);
}

const SettingsModel::Problem * SettingsModel::problem(const std::string & path) const
{
	auto s = _serverProblems.find(path);
	if (s != _serverProblems.end())
		return &s->second;
	auto it = _problems.find(path);
	return it == _problems.end() ? nullptr : &it->second;
}

Json SettingsModel::patch() const
{
	Json p = Json::object();
	for (const auto & [path, v] : _changes)
		assign(p, path, v);
	return p;
}

void SettingsModel::save()
{
	if (_save.state == LoadState::Loading || !_loaded.data || _changes.empty() || _errors > 0)
		return;
	_save.state = LoadState::Loading;
	HttpRequest req;
	req.method = "PUT";
	req.path = "/admin/api/settings";
	req.headers.emplace_back("Content-Type", "application/json");
	req.body = Json{{"version", _loaded.data->version}, {"settings", patch()}}.dump();
	std::weak_ptr<bool> alive = _alive;
	_api.request(req, [this, alive](ApiResult result) {
		if (alive.expired())
			return;
		++_save.completed;
		if (!result.ok)
		{
			_save.state = LoadState::Failed;
			_save.message.clear();
			_save.error = withoutStatus(result);
			_conflict = result.status == 409;
			if (result.status == 400 && result.body.is_object() && result.body.contains("path") && result.body["path"].is_string())
			{
				const std::string path = result.body["path"].get<std::string>();
				std::string message = _save.error;
				// "logging.level: must be ..." next to logging.level reads as "must be ...".
				if (message.rfind(path + ": ", 0) == 0)
					message = message.substr(path.size() + 2);
				_serverProblems[path] = Problem{true, message};
				validate();
			}
			return;
		}
		_save.state = LoadState::Loaded;
		_save.error.clear();
		_conflict = false;
		const Json & b = result.body;
		_save.message = b.contains("message") && b["message"].is_string() ? b["message"].get<std::string>() : "";
		_restartAfterSave = b.contains("restart_required") && b["restart_required"].is_boolean() && b["restart_required"].get<bool>();
		SettingsSnapshot s = *_loaded.data;
		if (b.contains("data") && b["data"].is_object())
			s.settings = b["data"];
		else
			s.settings = _edited;
		if (b.contains("version") && b["version"].is_string())
			s.version = b["version"].get<std::string>();
		s.restart_required = s.restart_required || _restartAfterSave;
		_changes.clear();
		_serverProblems.clear();
		adopt(std::move(s));
	});
}

nlohmann::ordered_json SettingsModel::testState() const
{
	Json s;
	s["state"] = loadStateName(_loaded.state);
	s["error"] = _loaded.error;
	s["loads"] = _loaded.loads_completed;
	s["version"] = _loaded.data ? _loaded.data->version : "";
	s["fields"] = _fields.size();
	Json kinds = Json::object();
	for (const auto & f : _fields)
		kinds[f.path] = settingKindName(f.kind);
	s["kinds"] = std::move(kinds);
	Json changes = Json::object();
	for (const auto & [path, v] : _changes)
		changes[path] = v;
	s["changes"] = std::move(changes);
	s["validation_errors"] = _errors;
	Json problems = Json::object();
	for (const auto & f : _fields)
		if (const Problem * p = problem(f.path))
			problems[f.path] = {{"error", p->error}, {"message", p->message}};
	for (const auto & [path, p] : _otherProblems)
		problems[path] = {{"error", p.error}, {"message", p.message}};
	s["problems"] = std::move(problems);
	s["save_state"] = loadStateName(_save.state);
	s["save_error"] = _save.error;
	s["save_message"] = _save.message;
	s["saves"] = _save.completed;
	s["conflict"] = _conflict;
	s["restart_required"] = _restartAfterSave || (_loaded.data && _loaded.data->restart_required);
	return s;
}

} // namespace ccc::admin
