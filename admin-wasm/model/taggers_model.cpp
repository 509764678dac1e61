#include "model/taggers_model.h"

#include <algorithm>

#include "model/resource_load.h"

namespace ccc::admin
{

namespace
{

using ojson = nlohmann::ordered_json;

std::string str(const ojson & j, const char * key)
{
	auto it = j.find(key);
	return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::vector<std::string> strings(const ojson & j, const char * key)
{
	std::vector<std::string> out;
	auto it = j.find(key);
	if (it != j.end() && it->is_array())
		for (const auto & v : *it)
			if (v.is_string())
				out.push_back(v.get<std::string>());
	return out;
}

ojson actionJson(const ActionState & a)
{
	return {{"state", loadStateName(a.state)}, {"error", a.error}, {"message", a.message}, {"completed", a.completed}};
}

} // namespace

int taggerPriority(const ojson & t)
{
	auto it = t.find("priority");
	return it != t.end() && it->is_number_integer() ? it->get<int>() : 0;
}

bool taggerEnabled(const ojson & t)
{
	auto it = t.find("enabled");
	return it == t.end() || !it->is_boolean() || it->get<bool>();
}

bool taggerListFromJson(const ojson & body, TaggerList & out, std::string & error)
{
	if (!body.is_object() || !body.contains("taggers") || !body["taggers"].is_array())
	{
		error = "the answer has no \"taggers\" list";
		return false;
	}
	out = TaggerList{};
	for (const auto & t : body["taggers"])
		if (t.is_object())
			out.taggers.push_back(t);
	out.builtin_types = strings(body, "builtin_types");
	out.version = str(body, "version");
	return true;
}

std::vector<TagUse> tagUsesFromJson(const ojson & body)
{
	std::vector<TagUse> out;
	if (!body.is_object() || !body.contains("tags") || !body["tags"].is_array())
		return out;
	for (const auto & t : body["tags"])
	{
		if (!t.is_object() || !t.contains("tag") || !t["tag"].is_string())
			continue;
		out.push_back({t["tag"].get<std::string>(), strings(t, "taggers"), strings(t, "endpoints")});
	}
	return out;
}

std::vector<size_t> pipelineOrder(const std::vector<ojson> & taggers)
{
	std::vector<size_t> order(taggers.size());
	for (size_t i = 0; i < order.size(); ++i)
		order[i] = i;
	std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return taggerPriority(taggers[a]) < taggerPriority(taggers[b]); });
	return order;
}

void TaggersModel::reload()
{
	reloadList();
	reloadTags();
}

void TaggersModel::reloadList()
{
	if (!_list.begin())
	{
		_listAgain = true;
		return;
	}
	_listAgain = false;
	loadInto(_api, HttpRequest{"GET", "/admin/api/taggers", "", {}}, _list, _alive, taggerListFromJson, [this](bool loaded) {
		if (loaded)
		{
			_version = _list.data->version;
			if (_form)
				formChanged(); // names of the other taggers may have changed
		}
		if (_listAgain)
			reloadList();
	});
}

void TaggersModel::reloadTags()
{
	if (!_tags.begin())
	{
		_tagsAgain = true;
		return;
	}
	_tagsAgain = false;
	const auto parse = [](const ojson & body, std::vector<TagUse> & out, std::string &) {
		out = tagUsesFromJson(body);
		return true;
	};
	loadInto(_api, HttpRequest{"GET", "/admin/api/tags", "", {}}, _tags, _alive, parse, [this](bool) {
		if (_tagsAgain)
			reloadTags();
	});
}

void TaggersModel::loadSample()
{
	if (_sampleState == LoadState::Loading)
		return;
	_sampleState = LoadState::Loading;
	std::weak_ptr<bool> alive = _alive;
	_api.request(HttpRequest{"GET", "/admin/api/taggers/sample-request", "", {}}, [this, alive](ApiResult r) {
		if (alive.expired())
			return;
		if (r.ok && r.body.is_object() && r.body.contains("request"))
		{
			_sample = sampleFromJson(r.body["request"]);
			_sampleState = LoadState::Loaded;
			_sampleError.clear();
		}
		else
		{
			_sampleState = LoadState::Failed;
			_sampleError = r.ok ? "the answer has no \"request\"" : r.error;
		}
	});
}

void TaggersModel::startCreate(const std::string & type)
{
	_form = newTaggerForm(type);
	_save = ActionState{};
	_conflict = false;
	_tryResult = TryResult{};
	_try = ActionState{};
	formChanged();
}

void TaggersModel::startEdit(size_t index)
{
	if (!_list.data || index >= _list.data->taggers.size())
		return;
	_form = taggerFormFromJson(_list.data->taggers[index]);
	_save = ActionState{};
	_conflict = false;
	_tryResult = TryResult{};
	_try = ActionState{};
	formChanged();
}

void TaggersModel::cancelEdit()
{
	_form.reset();
	_findings.clear();
	_serverError.clear();
	_serverErrorPath.clear();
}

std::vector<std::string> TaggersModel::otherNames() const
{
	std::vector<std::string> names;
	if (!_list.data)
		return names;
	for (const auto & t : _list.data->taggers)
	{
		std::string name = str(t, "name");
		if (!_form || name != _form->original_name)
			names.push_back(std::move(name));
	}
	return names;
}

void TaggersModel::formChanged()
{
	_serverError.clear();
	_serverErrorPath.clear();
	_findings = _form ? validateTaggerForm(*_form, otherNames()) : config::Diagnostics{};
}

std::string TaggersModel::fieldError(const std::string & path) const
{
	if (!_serverErrorPath.empty() && _serverErrorPath == path)
		return _serverError;
	return findingFor(_findings, path);
}

void TaggersModel::save()
{
	if (!_form || _save.state == LoadState::Loading)
		return;
	formChanged();
	_conflict = false;
	if (config::hasErrors(_findings))
	{
		_save.state = LoadState::Failed;
		_save.error = "the form has errors; they are marked next to their fields";
		_saveErrorPath.clear();
		++_save.completed;
		return;
	}
	_save.state = LoadState::Loading;
	_save.error.clear();
	_saveErrorPath.clear();
	const bool create = _form->isNew();
	ojson body = {{"version", _version}, {"tagger", taggerFormToJson(*_form)}};
	HttpRequest req{create ? "POST" : "PUT",
		create ? "/admin/api/taggers" : "/admin/api/taggers/" + ApiClient::encodePathSegment(_form->original_name), body.dump(),
		{{"Content-Type", "application/json"}}};
	std::weak_ptr<bool> alive = _alive;
	_api.request(req, [this, alive](ApiResult r) {
		if (alive.expired())
			return;
		++_save.completed;
		if (!r.ok)
		{
			_save.state = LoadState::Failed;
			_save.error = r.error;
			_conflict = r.status == 409;
			_saveErrorPath = r.body.is_object() ? str(r.body, "path") : std::string();
			if (r.status == 400 && !_saveErrorPath.empty())
			{
				// The service's message starts with the path; the field shows the rest.
				std::string message = r.body.is_object() ? str(r.body, "error") : r.error;
				if (message.compare(0, _saveErrorPath.size() + 2, _saveErrorPath + ": ") == 0)
					message.erase(0, _saveErrorPath.size() + 2);
				_serverError = message;
				_serverErrorPath = _saveErrorPath;
			}
			return;
		}
		_save.state = LoadState::Loaded;
		_save.message = str(r.body, "message");
		if (r.body.contains("data") && r.body["data"].is_object() && _form)
		{
			// The saved tagger as the service stored it; further edits and saves start from it.
			_form = taggerFormFromJson(r.body["data"]);
			formChanged();
		}
		afterMutation(r);
	});
}

void TaggersModel::afterMutation(const ApiResult & r)
{
	const std::string v = str(r.body, "version");
	if (!v.empty())
		_version = v;
	reload();
}

void TaggersModel::toggleEnabled(size_t index)
{
	if (!_list.data || index >= _list.data->taggers.size())
		return;
	ojson tagger = _list.data->taggers[index];
	const std::string name = str(tagger, "name");
	ActionState & a = _rows[name];
	if (a.state == LoadState::Loading)
		return;
	tagger["enabled"] = !taggerEnabled(tagger);
	a.state = LoadState::Loading;
	a.error.clear();
	ojson body = {{"version", _version}, {"tagger", tagger}};
	sendRowAction(name,
		HttpRequest{"PUT", "/admin/api/taggers/" + ApiClient::encodePathSegment(name), body.dump(), {{"Content-Type", "application/json"}}},
		nullptr);
}

void TaggersModel::confirmDelete()
{
	if (_pendingDelete.empty())
		return;
	const std::string name = _pendingDelete;
	_pendingDelete.clear();
	ActionState & a = _rows[name];
	if (a.state == LoadState::Loading)
		return;
	a.state = LoadState::Loading;
	a.error.clear();
	ojson body = {{"version", _version}};
	sendRowAction(name,
		HttpRequest{"DELETE", "/admin/api/taggers/" + ApiClient::encodePathSegment(name), body.dump(),
			{{"Content-Type", "application/json"}, {"If-Match", "\"" + _version + "\""}}},
		[this, name] {
			if (_form && _form->original_name == name)
				cancelEdit();
		});
}

void TaggersModel::sendRowAction(const std::string & name, const HttpRequest & request, std::function<void()> succeeded)
{
	std::weak_ptr<bool> alive = _alive;
	_api.request(request, [this, alive, name, succeeded = std::move(succeeded)](ApiResult r) {
		if (alive.expired())
			return;
		ActionState & row = _rows[name];
		++row.completed;
		if (!r.ok)
		{
			row.state = LoadState::Failed;
			row.error = r.error;
			return;
		}
		row.state = LoadState::Loaded;
		row.message = str(r.body, "message");
		if (succeeded)
			succeeded();
		afterMutation(r);
	});
}

const ActionState & TaggersModel::rowAction(const std::string & name) const
{
	static const ActionState idle;
	auto it = _rows.find(name);
	return it == _rows.end() ? idle : it->second;
}

void TaggersModel::tryForm()
{
	if (!_form || _try.state == LoadState::Loading)
		return;
	_try.state = LoadState::Loading;
	_try.error.clear();
	ojson body = tryRequestBody(*_form, _sample);
	if (_sampleState != LoadState::Loaded && _sample.body.empty() && _sample.headers.empty())
		body.erase("request"); // nothing typed yet: the service tries its own sample
	std::weak_ptr<bool> alive = _alive;
	_api.request(HttpRequest{"POST", "/admin/api/taggers/try", body.dump(), {{"Content-Type", "application/json"}}},
		[this, alive](ApiResult r) {
			if (alive.expired())
				return;
			++_try.completed;
			_tryResult = tryResultFrom(r);
			if (!_tryResult.ok)
			{
				_try.state = LoadState::Failed;
				_try.error = _tryResult.error;
				if (r.status == 400 && !_tryResult.path.empty())
				{
					std::string message = str(r.body, "error");
					if (message.compare(0, _tryResult.path.size() + 2, _tryResult.path + ": ") == 0)
						message.erase(0, _tryResult.path.size() + 2);
					_serverError = message;
					_serverErrorPath = _tryResult.path;
				}
				return;
			}
			_try.state = LoadState::Loaded;
		});
}

ojson TaggersModel::testState() const
{
	ojson s;
	s["list_state"] = loadStateName(_list.state);
	s["list_error"] = _list.error;
	s["list_loads"] = _list.loads_completed;
	s["version"] = _version;
	ojson taggers = ojson::array();
	if (_list.data)
		for (size_t i : pipelineOrder(_list.data->taggers))
		{
			const ojson & t = _list.data->taggers[i];
			taggers.push_back({{"index", i}, {"name", str(t, "name")}, {"type", str(t, "type")}, {"builtin_type", str(t, "builtin_type")},
				{"tag", str(t, "tag")}, {"enabled", taggerEnabled(t)}, {"priority", taggerPriority(t)}});
		}
	s["taggers"] = taggers;
	ojson tags = ojson::array();
	if (_tags.data)
		for (const auto & t : *_tags.data)
			tags.push_back({{"tag", t.tag}, {"taggers", t.taggers}, {"endpoints", t.endpoints}});
	s["tags"] = tags;
	s["tags_state"] = loadStateName(_tags.state);
	if (_form)
	{
		ojson findings = ojson::array();
		for (const auto & f : _findings)
			findings.push_back({{"path", f.path}, {"message", f.message}, {"error", f.severity == config::Severity::Error}});
		s["editor"] = {{"original_name", _form->original_name}, {"tagger", taggerFormToJson(*_form)}, {"findings", findings},
			{"server_error", _serverError}, {"server_error_path", _serverErrorPath}};
	}
	else
		s["editor"] = nullptr;
	ojson save = actionJson(_save);
	save["path"] = _saveErrorPath;
	save["conflict"] = _conflict;
	s["save"] = save;
	s["pending_delete"] = _pendingDelete;
	ojson rows = ojson::object();
	for (const auto & [name, a] : _rows)
		rows[name] = actionJson(a);
	s["rows"] = rows;
	s["sample_state"] = loadStateName(_sampleState);
	s["sample"] = {{"method", _sample.method}, {"path", _sample.path}, {"body_bytes", _sample.body.size()}};
	ojson tr = actionJson(_try);
	tr["ok"] = _tryResult.ok;
	tr["matched"] = _tryResult.matched;
	tr["tags"] = _tryResult.tags;
	tr["pipeline_tags"] = _tryResult.pipeline_tags;
	tr["tagger_error"] = _tryResult.tagger_error;
	tr["duration_us"] = _tryResult.duration_us;
	tr["path"] = _tryResult.path;
	s["try"] = tr;
	return s;
}

} // namespace ccc::admin
