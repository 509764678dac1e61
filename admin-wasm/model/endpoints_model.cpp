#include "model/endpoints_model.h"

#include <algorithm>

#include "ccc/config/json_mapping.h"
#include "model/resource_load.h"

namespace ccc::admin
{

namespace
{

using Json = nlohmann::ordered_json;

std::string str(const Json & o, const char * key)
{
	auto it = o.find(key);
	return it != o.end() && it->is_string() ? it->get<std::string>() : std::string();
}

/// The "path" of an error body (a 400's key path), empty when none.
std::string errorPath(const ApiResult & r)
{
	return r.body.is_object() ? str(r.body, "path") : std::string();
}

std::string stripPathPrefix(const std::string & message, const std::string & path)
{
	// "HTTP 400: endpoint.url: is required" reads "is required" next to the URL field.
	const std::string lead = "HTTP 400: " + path + ": ";
	if (!path.empty() && message.compare(0, lead.size(), lead) == 0)
		return message.substr(lead.size());
	return message;
}

void succeedAction(ActionState & a, const ApiResult & r)
{
	++a.completed;
	a.state = LoadState::Loaded;
	a.error.clear();
	a.message = r.body.is_object() ? str(r.body, "message") : std::string();
}

void failAction(ActionState & a, const std::string & error)
{
	++a.completed;
	a.state = LoadState::Failed;
	a.error = error;
	a.message.clear();
}

HttpRequest jsonRequest(const std::string & method, const std::string & path, const Json & body)
{
	HttpRequest req;
	req.method = method;
	req.path = path;
	req.body = body.dump();
	req.headers.push_back({"Content-Type", "application/json"});
	return req;
}

bool profilesFromJson(const Json & body, std::vector<api::EndpointProfile> & out, std::string & error)
{
	if (!body.is_object() || !body.contains("profiles") || !body["profiles"].is_array())
	{
		error = "the answer holds no profiles list";
		return false;
	}
	for (const Json & j : body["profiles"])
	{
		if (!j.is_object())
			continue;
		api::EndpointProfile p;
		p.profile_id = str(j, "profile_id");
		p.display_name = str(j, "display_name");
		p.url = str(j, "url");
		p.endpoint_type = str(j, "endpoint_type");
		p.auth_type = str(j, "auth_type");
		p.path_prefix = str(j, "path_prefix");
		p.require_default_model = j.value("require_default_model", false);
		if (j.contains("default_model_options") && j["default_model_options"].is_array())
			for (const Json & m : j["default_model_options"])
				if (m.is_string())
					p.default_model_options.push_back(m.get<std::string>());
		out.push_back(std::move(p));
	}
	return true;
}

const char * kConflictNote = "the configuration changed elsewhere; the list was reloaded";

} // namespace

EndpointList parseEndpointList(const Json & body, std::string & error)
{
	EndpointList out;
	std::vector<EndpointStatus> items = parseEndpoints(body, error);
	if (!error.empty())
		return out;
	out.version = str(body, "version");
	std::vector<size_t> order(items.size());
	for (size_t i = 0; i < order.size(); ++i)
		order[i] = i;
	std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return items[a].priority < items[b].priority; });
	// parseEndpoints skips non-objects; the served objects are matched by position among objects.
	std::vector<nlohmann::json> objects;
	for (const Json & j : body["endpoints"])
		if (j.is_object())
			objects.push_back(nlohmann::json::parse(j.dump(), nullptr, false));
	for (size_t i : order)
	{
		out.items.push_back(items[i]);
		out.raw.push_back(i < objects.size() ? objects[i] : nlohmann::json::object());
		config::Diagnostics ignored;
		out.configured.push_back(formToEndpoint(formFromJson(out.raw.back(), ignored)));
		// The id stays as served: duplicate-id checks must see what the file holds.
		if (out.configured.back().id.empty() && out.raw.back().contains("id") && out.raw.back()["id"].is_string()
			&& out.raw.back()["id"].get<std::string>() != config::derivedEndpointId(out.configured.back().name))
			out.configured.back().id = out.raw.back()["id"].get<std::string>();
	}
	return out;
}

std::vector<std::string> movedOrder(const std::vector<EndpointStatus> & items, size_t from, size_t to)
{
	if (from >= items.size() || to >= items.size() || from == to)
		return {};
	const bool tagged = !items[from].tags.empty();
	if (tagged != !items[to].tags.empty())
		return {};
	std::vector<size_t> slots; // the places of the moved item's list
	for (size_t i = 0; i < items.size(); ++i)
		if (items[i].tags.empty() != tagged)
			slots.push_back(i);
	std::vector<size_t> group = slots;
	const size_t pf = static_cast<size_t>(std::find(group.begin(), group.end(), from) - group.begin());
	const size_t pt = static_cast<size_t>(std::find(group.begin(), group.end(), to) - group.begin());
	const size_t moved = group[pf];
	group.erase(group.begin() + static_cast<std::ptrdiff_t>(pf));
	group.insert(group.begin() + static_cast<std::ptrdiff_t>(pt), moved);
	std::vector<std::string> ids;
	for (const auto & e : items)
		ids.push_back(e.id);
	for (size_t k = 0; k < slots.size(); ++k)
		ids[slots[k]] = items[group[k]].id;
	return ids;
}

Json reorderBody(const std::string & version, const std::vector<std::string> & order)
{
	api::ReorderRequest r;
	r.version = version;
	r.order = order;
	return api::toJson(r);
}

// ---- the list ----

void EndpointsModel::reload()
{
	if (!_list.begin())
	{
		_reloadAgain = true;
		return;
	}
	HttpRequest req;
	req.path = "/admin/api/endpoints";
	const auto parse = [](const Json & body, EndpointList & out, std::string & error) {
		out = parseEndpointList(body, error);
		return error.empty();
	};
	loadInto(_api, req, _list, _alive, parse, [this](bool) {
		if (_editor.open)
			formChanged(); // other endpoints take part in validation (duplicate names)
		if (_reloadAgain)
		{
			// A change may have landed after that request was sent: read again.
			_reloadAgain = false;
			reload();
		}
	});
}

void EndpointsModel::move(size_t from, size_t to)
{
	if (!_list.data || _reorder.state == LoadState::Loading)
		return;
	EndpointList & l = *_list.data;
	std::vector<std::string> order = movedOrder(l.items, from, to);
	if (order.empty())
		return;
	// Applied at once: the rows take their new places before the service answers.
	EndpointList next;
	next.version = l.version;
	for (const auto & id : order)
		for (size_t i = 0; i < l.items.size(); ++i)
			if (l.items[i].id == id)
			{
				next.items.push_back(l.items[i]);
				next.raw.push_back(l.raw[i]);
				next.configured.push_back(l.configured[i]);
				break;
			}
	for (size_t i = 0; i < next.items.size(); ++i)
		next.items[i].priority = static_cast<int>(i) + 1;
	l = std::move(next);
	_reorder.state = LoadState::Loading;
	std::weak_ptr<bool> alive = _alive;
	_api.request(jsonRequest("POST", "/admin/api/endpoints/reorder", reorderBody(l.version, order)),
		[this, alive](ApiResult result) {
			if (alive.expired())
				return;
			if (result.ok)
			{
				succeedAction(_reorder, result);
				if (_list.data)
					_list.data->version = str(result.body, "version");
			}
			else
				failAction(_reorder, result.status == 409 ? std::string(kConflictNote) + "; drag again" : result.error);
			reload();
		});
}

// ---- per endpoint ----

ActionState & EndpointsModel::actionRef(Action action, const std::string & id)
{
	return _actions[static_cast<int>(action)][id];
}

const ActionState & EndpointsModel::action(Action action, const std::string & id) const
{
	static const ActionState idle;
	const auto & m = _actions[static_cast<int>(action)];
	auto it = m.find(id);
	return it == m.end() ? idle : it->second;
}

const EndpointTestResult * EndpointsModel::testResult(const std::string & id) const
{
	auto it = _tests.find(id);
	return it == _tests.end() ? nullptr : &it->second;
}

void EndpointsModel::mutateEndpoint(Action action, const std::string & id, const std::string & method, const std::string & suffix,
	Json body)
{
	ActionState & a = actionRef(action, id);
	if (a.state == LoadState::Loading || !_list.data)
		return;
	a.state = LoadState::Loading;
	body["version"] = _list.data->version;
	std::weak_ptr<bool> alive = _alive;
	const std::string path = "/admin/api/endpoints/" + ApiClient::encodePathSegment(id) + suffix;
	_api.request(jsonRequest(method, path, body), [this, alive, action, id](ApiResult result) {
		if (alive.expired())
			return;
		ActionState & s = actionRef(action, id);
		if (result.ok)
		{
			succeedAction(s, result);
			if (_list.data)
				_list.data->version = str(result.body, "version");
		}
		else
			failAction(s, result.status == 409 ? std::string(kConflictNote) + "; try again" : result.error);
		reload();
	});
}

void EndpointsModel::toggle(const std::string & id, bool enabled)
{
	mutateEndpoint(Action::Toggle, id, "POST", "/toggle", Json{{"enabled", enabled}});
}

void EndpointsModel::copy(const std::string & id)
{
	mutateEndpoint(Action::Copy, id, "POST", "/copy", Json::object());
}

void EndpointsModel::confirmDelete()
{
	const std::string id = _deleteAsked;
	_deleteAsked.clear();
	if (!id.empty())
		mutateEndpoint(Action::Delete, id, "DELETE", "", Json::object());
}

void EndpointsModel::resetStatus(const std::string & id)
{
	ActionState & a = actionRef(Action::Reset, id);
	if (a.state == LoadState::Loading)
		return;
	a.state = LoadState::Loading;
	std::weak_ptr<bool> alive = _alive;
	_api.request(jsonRequest("POST", "/admin/api/endpoints/" + ApiClient::encodePathSegment(id) + "/reset-status", Json::object()),
		[this, alive, id](ApiResult result) {
			if (alive.expired())
				return;
			ActionState & s = actionRef(Action::Reset, id);
			if (result.ok)
				succeedAction(s, result);
			else
				failAction(s, result.error);
			reload();
		});
}

void EndpointsModel::test(const std::string & id)
{
	ActionState & a = actionRef(Action::Test, id);
	if (a.state == LoadState::Loading)
		return;
	a.state = LoadState::Loading;
	std::weak_ptr<bool> alive = _alive;
	_api.request(jsonRequest("POST", "/admin/api/endpoints/" + ApiClient::encodePathSegment(id) + "/test", Json::object()),
		[this, alive, id](ApiResult result) {
			if (alive.expired())
				return;
			ActionState & s = actionRef(Action::Test, id);
			if (!result.ok || !result.body.is_object())
			{
				failAction(s, result.ok ? "the answer is not an object" : result.error);
				_tests.erase(id);
				return;
			}
			const Json & b = result.body;
			EndpointTestResult t;
			t.ok = b.value("ok", false);
			t.status = b.contains("status") && b["status"].is_number_integer() ? b["status"].get<int>() : 0;
			t.latency_ms = b.contains("latency_ms") && b["latency_ms"].is_number_integer() ? b["latency_ms"].get<int64_t>() : 0;
			t.outcome = str(b, "outcome");
			t.verdict = str(b, "verdict");
			t.model = str(b, "model");
			_tests[id] = t;
			succeedAction(s, result);
		});
}

// ---- editor ----

void EndpointsModel::openNew()
{
	_editor = EndpointEditor();
	_editor.open = true;
	_editor.creating = true;
	_editor.base_version = _list.data ? _list.data->version : std::string();
	if (_list.data)
	{
		int maxPriority = 0;
		for (const auto & e : _list.data->items)
			maxPriority = std::max(maxPriority, e.priority);
		_editor.form.priority = maxPriority + 1;
	}
	formChanged();
}

void EndpointsModel::openEdit(const std::string & id)
{
	if (!_list.data)
		return;
	const EndpointList & l = *_list.data;
	for (size_t i = 0; i < l.items.size(); ++i)
		if (l.items[i].id == id)
		{
			_editor = EndpointEditor();
			_editor.open = true;
			_editor.creating = false;
			_editor.target_id = id;
			_editor.target_name = l.items[i].name;
			_editor.base_version = l.version;
			config::Diagnostics mapping;
			_editor.form = formFromJson(l.raw[i], mapping);
			formChanged();
			return;
		}
}

void EndpointsModel::closeEditor()
{
	_editor.open = false;
}

void EndpointsModel::formChanged()
{
	std::vector<config::Endpoint> others;
	int index = -1;
	if (_list.data)
	{
		others = _list.data->configured;
		if (!_editor.creating)
			for (size_t i = 0; i < _list.data->items.size(); ++i)
				if (_list.data->items[i].id == _editor.target_id)
					index = static_cast<int>(i);
	}
	_editor.findings = validateForm(_editor.form, others, index);
}

std::vector<const config::Diagnostic *> EndpointsModel::findingsAt(const std::string & path) const
{
	std::vector<const config::Diagnostic *> out;
	for (const auto & d : _editor.findings)
		if (fieldOfPath(d.path) == path)
			out.push_back(&d);
	return out;
}

void EndpointsModel::save()
{
	if (_editor.save.state == LoadState::Loading)
		return;
	_editor.save.state = LoadState::Loading;
	_editor.save_error_path.clear();
	_editor.conflict = false;
	Json body = {{"version", _editor.base_version}, {"endpoint", formToJson(_editor.form)}};
	const bool creating = _editor.creating;
	const std::string path = creating ? "/admin/api/endpoints"
		: "/admin/api/endpoints/" + ApiClient::encodePathSegment(_editor.target_id);
	std::weak_ptr<bool> alive = _alive;
	_api.request(jsonRequest(creating ? "POST" : "PUT", path, body), [this, alive](ApiResult result) {
		if (alive.expired())
			return;
		ActionState & s = _editor.save;
		if (result.ok)
		{
			succeedAction(s, result);
			_editor.open = false;
			reload();
			return;
		}
		if (result.status == 409)
		{
			_editor.conflict = true;
			failAction(s, std::string(kConflictNote) + " (your changes are kept)");
			reload();
			return;
		}
		_editor.save_error_path = errorPath(result);
		failAction(s, stripPathPrefix(result.error, _editor.save_error_path));
	});
}

void EndpointsModel::reloadAfterConflict()
{
	// The form stays as typed; it is now based on the version the reloaded list was read at.
	if (_list.data)
		_editor.base_version = _list.data->version;
	_editor.conflict = false;
	_editor.save = ActionState();
	formChanged();
}

void EndpointsModel::testRewrite()
{
	ActionState & a = _editor.rewrite_test;
	if (a.state == LoadState::Loading)
		return;
	a.state = LoadState::Loading;
	const std::string key = _editor.creating || _editor.target_id.empty() ? std::string("new") : _editor.target_id;
	Json body = {{"model", _editor.rewrite_model}, {"endpoint", formToJson(_editor.form)}};
	std::weak_ptr<bool> alive = _alive;
	_api.request(jsonRequest("POST", "/admin/api/endpoints/" + ApiClient::encodePathSegment(key) + "/test-rewrite", body),
		[this, alive](ApiResult result) {
			if (alive.expired())
				return;
			ActionState & s = _editor.rewrite_test;
			api::ModelRewriteTest t;
			std::string error;
			if (!result.ok)
				failAction(s, result.error);
			else if (!api::fromJson(result.body, t, error))
				failAction(s, error);
			else
			{
				_editor.rewrite_result = t;
				succeedAction(s, result);
			}
		});
}

// ---- wizard ----

void EndpointsModel::loadProfiles()
{
	if (!_profiles.begin())
		return;
	HttpRequest req;
	req.path = "/admin/api/endpoint-profiles";
	loadInto(_api, req, _profiles, _alive, profilesFromJson);
}

void EndpointsModel::openWizard()
{
	_wizard = EndpointWizard();
	_wizard.open = true;
	if (!_profiles.data)
		loadProfiles();
}

const api::EndpointProfile * EndpointsModel::wizardProfile() const
{
	if (!_profiles.data || _wizard.profile < 0 || static_cast<size_t>(_wizard.profile) >= _profiles.data->size())
		return nullptr;
	return &(*_profiles.data)[static_cast<size_t>(_wizard.profile)];
}

void EndpointsModel::wizardChooseProfile(int index)
{
	if (!_profiles.data || index < 0 || static_cast<size_t>(index) >= _profiles.data->size())
		return;
	if (_wizard.profile != index)
	{
		// Another provider: its URL and models replace the previous choice's.
		_wizard.url = (*_profiles.data)[static_cast<size_t>(index)].url;
		_wizard.default_model.clear();
		_wizard.name.clear();
	}
	_wizard.profile = index;
	_wizard.step = 2;
	_wizard.step_error.clear();
}

void EndpointsModel::wizardBack()
{
	if (_wizard.step > 1)
		--_wizard.step;
	_wizard.step_error.clear();
}

void EndpointsModel::wizardNext()
{
	const api::EndpointProfile * p = wizardProfile();
	_wizard.step_error.clear();
	if (_wizard.step == 1)
	{
		if (!p)
			_wizard.step_error = "choose a provider";
		else
			_wizard.step = 2;
		return;
	}
	if (_wizard.step == 2)
	{
		if (_wizard.auth_value.empty())
		{
			_wizard.step_error = "auth_value: is required";
			return;
		}
		_wizard.step = 3;
		if (_wizard.default_model.empty() && p && !p->default_model_options.empty())
			_wizard.default_model = p->default_model_options.front();
		if (_wizard.name.empty())
			wizardSuggestName();
		return;
	}
	if (p && p->require_default_model && _wizard.default_model.empty())
	{
		_wizard.step_error = "default_model: this provider needs a default model";
		return;
	}
	wizardSubmit();
}

void EndpointsModel::wizardSuggestName()
{
	const api::EndpointProfile * p = wizardProfile();
	if (!p || _wizard.suggest.state == LoadState::Loading)
		return;
	_wizard.suggest.state = LoadState::Loading;
	HttpRequest req;
	req.path = "/admin/api/endpoints/suggest-name?profile_id=" + ApiClient::encodePathSegment(p->profile_id);
	std::weak_ptr<bool> alive = _alive;
	_api.request(req, [this, alive](ApiResult result) {
		if (alive.expired())
			return;
		if (!result.ok)
			return failAction(_wizard.suggest, result.error);
		succeedAction(_wizard.suggest, result);
		if (_wizard.name.empty())
			_wizard.name = str(result.body, "name");
	});
}

int EndpointsModel::wizardStepOfPath(const std::string & path)
{
	if (path == "profile_id")
		return 1;
	if (path == "auth_value" || path == "url" || path == "endpoint.url" || path == "endpoint.auth_value"
		|| path == "endpoint.auth_type")
		return 2;
	return 3;
}

void EndpointsModel::wizardSubmit()
{
	const api::EndpointProfile * p = wizardProfile();
	if (!p || _wizard.submit.state == LoadState::Loading)
		return;
	_wizard.submit.state = LoadState::Loading;
	_wizard.error_path.clear();
	_wizard.error_step = 0;
	api::WizardRequest w;
	w.version = _list.data ? _list.data->version : std::string();
	w.profile_id = p->profile_id;
	w.name = _wizard.name;
	w.auth_value = _wizard.auth_value;
	w.default_model = _wizard.default_model;
	w.url = _wizard.url == p->url ? std::string() : _wizard.url;
	std::weak_ptr<bool> alive = _alive;
	_api.request(jsonRequest("POST", "/admin/api/endpoints/wizard", api::toJson(w)), [this, alive](ApiResult result) {
		if (alive.expired())
			return;
		if (result.ok)
		{
			succeedAction(_wizard.submit, result);
			_wizard.open = false;
			reload();
			return;
		}
		if (result.status == 409)
		{
			failAction(_wizard.submit, std::string(kConflictNote) + "; press Create again");
			_wizard.error_step = 3;
			reload();
			return;
		}
		_wizard.error_path = errorPath(result);
		_wizard.error_step = wizardStepOfPath(_wizard.error_path);
		_wizard.step = std::min(_wizard.step, _wizard.error_step);
		failAction(_wizard.submit, stripPathPrefix(result.error, _wizard.error_path));
	});
}

// ---- test hook ----

Json EndpointsModel::testState() const
{
	Json s;
	s["list_state"] = loadStateName(_list.state);
	s["list_error"] = _list.error;
	s["list_loads"] = _list.loads_completed;
	s["version"] = _list.data ? _list.data->version : std::string();
	Json order = Json::array(), tagged = Json::array(), general = Json::array();
	if (_list.data)
		for (const auto & e : _list.data->items)
		{
			order.push_back(e.name);
			(e.tags.empty() ? general : tagged).push_back(e.name);
		}
	s["order"] = std::move(order);
	s["tagged"] = std::move(tagged);
	s["general"] = std::move(general);
	s["reorder"] = {{"state", loadStateName(_reorder.state)}, {"error", _reorder.error}, {"completed", _reorder.completed}};
	static const char * names[] = {"toggle", "copy", "delete", "reset", "test"};
	Json actions = Json::object();
	for (int k = 0; k < 5; ++k)
	{
		Json m = Json::object();
		for (const auto & [id, a] : _actions[k])
			m[id] = {{"state", loadStateName(a.state)}, {"error", a.error}, {"message", a.message}, {"completed", a.completed}};
		actions[names[k]] = std::move(m);
	}
	s["actions"] = std::move(actions);
	Json tests = Json::object();
	for (const auto & [id, t] : _tests)
		tests[id] = {{"ok", t.ok}, {"status", t.status}, {"latency_ms", t.latency_ms}, {"verdict", t.verdict}};
	s["tests"] = std::move(tests);
	s["delete_asked"] = _deleteAsked;

	Json ed;
	ed["open"] = _editor.open;
	ed["creating"] = _editor.creating;
	ed["target"] = _editor.target_id;
	ed["name"] = _editor.form.name;
	ed["url"] = _editor.form.url;
	Json fields = Json::object();
	for (const auto & d : _editor.findings)
		if (!fields.contains(d.path))
			fields[d.path] = (d.severity == config::Severity::Error ? "error: " : "warning: ") + d.message;
	ed["findings"] = std::move(fields);
	ed["save"] = {{"state", loadStateName(_editor.save.state)}, {"error", _editor.save.error},
		{"path", _editor.save_error_path}, {"completed", _editor.save.completed}};
	ed["conflict"] = _editor.conflict;
	ed["rewrite_test"] = {{"state", loadStateName(_editor.rewrite_test.state)}, {"error", _editor.rewrite_test.error},
		{"result", _editor.rewrite_result.result}, {"rule_index", _editor.rewrite_result.rule_index}};
	s["editor"] = std::move(ed);

	Json wz;
	wz["open"] = _wizard.open;
	wz["step"] = _wizard.step;
	wz["profiles_state"] = loadStateName(_profiles.state);
	wz["profiles"] = _profiles.data ? static_cast<int>(_profiles.data->size()) : 0;
	const api::EndpointProfile * p = wizardProfile();
	wz["profile"] = p ? p->profile_id : std::string();
	wz["url"] = _wizard.url;
	wz["name"] = _wizard.name;
	wz["default_model"] = _wizard.default_model;
	wz["step_error"] = _wizard.step_error;
	wz["submit"] = {{"state", loadStateName(_wizard.submit.state)}, {"error", _wizard.submit.error},
		{"path", _wizard.error_path}, {"step", _wizard.error_step}, {"completed", _wizard.submit.completed}};
	s["wizard"] = std::move(wz);
	return s;
}

} // namespace ccc::admin
