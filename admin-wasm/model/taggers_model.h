#pragma once
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "ccc/config/diagnostic.h"
#include "model/api_client.h"
#include "model/resource.h"
#include "model/taggers_form.h"
#include "model/taggers_try.h"

/// The taggers panel's state apart from drawing: what it loaded, what is in flight, what failed.
/// Owned by AppState (AppState::taggers()); the panel reads it and calls its actions.
namespace ccc::admin
{

/// GET /admin/api/taggers.
struct TaggerList
{
	std::vector<nlohmann::ordered_json> taggers; ///< tagger objects as served, in config order
	std::vector<std::string> builtin_types;
	std::string version;
};

/// One row of GET /admin/api/tags: the taggers that set the tag and the endpoints that carry it.
struct TagUse
{
	std::string tag;
	std::vector<std::string> taggers;
	std::vector<std::string> endpoints;
};

/// Parses GET /taggers; false (with `error`) when the answer lacks "taggers".
bool taggerListFromJson(const nlohmann::ordered_json & body, TaggerList & out, std::string & error);
/// Parses GET /tags (entries without a string "tag" are skipped).
std::vector<TagUse> tagUsesFromJson(const nlohmann::ordered_json & body);

/// A served tagger's "priority" (0 when absent or not an integer) and "enabled" (true when absent).
int taggerPriority(const nlohmann::ordered_json & tagger);
bool taggerEnabled(const nlohmann::ordered_json & tagger);

/// The order the pipeline runs the taggers in: by priority, ties in config order (TaggingEngine).
std::vector<size_t> pipelineOrder(const std::vector<nlohmann::ordered_json> & taggers);

class TaggersModel
{
public:
	explicit TaggersModel(ApiClient & api) : _api(api) { }

	/// (Re)loads the tagger list and the tag list; each ignored while its request is in flight.
	void reload();
	/// Loads the service's sample request into the try editor (replacing what is typed there).
	void loadSample();

	const Resource<TaggerList> & list() const { return _list; }
	const Resource<std::vector<TagUse>> & tags() const { return _tags; }
	/// The config version mutations are based on (from the last list or mutation answer).
	const std::string & version() const { return _version; }

	// ---- the editor (one tagger at a time) ----
	void startCreate(const std::string & type);
	/// Opens the saved tagger at `index` of list() (ignored when out of range).
	void startEdit(size_t index);
	void cancelEdit();
	bool editing() const { return _form.has_value(); }
	/// The form being edited (only while editing()); call formChanged() after changing it.
	TaggerForm & form() { return *_form; }
	const TaggerForm & form() const { return *_form; }
	/// Validates the form again (shared/ validation: cheap, so the panel calls it per edit).
	void formChanged();
	/// Local findings, paths under "tagger." (see validateTaggerForm).
	const config::Diagnostics & findings() const { return _findings; }
	/// What to show next to the field with key path `path`: the service's 400 for that path if it
	/// is the latest word, else the local finding; empty when none.
	std::string fieldError(const std::string & path) const;

	/// POST (new) or PUT (existing) with the current version. Refused locally while the form has
	/// errors. 409 keeps the form and sets conflict() (reload() then save again); 400 names a field.
	void save();
	const ActionState & saveAction() const { return _save; }
	const std::string & saveErrorPath() const { return _saveErrorPath; }
	bool conflict() const { return _conflict; }

	// ---- list actions ----
	/// Flips `enabled` of the saved tagger at `index` (a PUT of the whole tagger).
	void toggleEnabled(size_t index);
	/// Deleting asks first: requestDelete names the tagger, confirmDelete sends the DELETE.
	void requestDelete(const std::string & name) { _pendingDelete = name; }
	void cancelDelete() { _pendingDelete.clear(); }
	const std::string & pendingDelete() const { return _pendingDelete; }
	void confirmDelete();
	/// The last toggle/delete of tagger `name` (Idle when none).
	const ActionState & rowAction(const std::string & name) const;

	// ---- try on a sample request ----
	SampleRequestForm & sample() { return _sample; }
	LoadState sampleState() const { return _sampleState; }
	const std::string & sampleError() const { return _sampleError; }
	/// POST /taggers/try with the form (while editing) and the sample request.
	void tryForm();
	const ActionState & tryAction() const { return _try; }
	const TryResult & tryResult() const { return _tryResult; }

	/// This panel's part of window.__adminTest.state (under the key "taggers"); keys are stable.
	nlohmann::ordered_json testState() const;

private:
	void reloadList();
	void reloadTags();
	void afterMutation(const ApiResult & r);
	/// Sends one row's action (enable/disable, delete) and settles its rowAction(name); after a
	/// 2xx, `succeeded` runs, then afterMutation().
	void sendRowAction(const std::string & name, const HttpRequest & request, std::function<void()> succeeded);
	std::vector<std::string> otherNames() const;

	ApiClient & _api;
	Resource<TaggerList> _list;
	Resource<std::vector<TagUse>> _tags;
	std::string _version;
	/// A reload was asked for while one was in flight (e.g. right after a save): its answer may
	/// predate the change, so another follows.
	bool _listAgain = false;
	bool _tagsAgain = false;

	std::optional<TaggerForm> _form;
	config::Diagnostics _findings;
	ActionState _save;
	std::string _saveErrorPath;
	bool _conflict = false;
	/// The service's last 400 about a field (save or try), until the form changes again.
	std::string _serverError;
	std::string _serverErrorPath;

	std::string _pendingDelete;
	std::map<std::string, ActionState> _rows;

	SampleRequestForm _sample;
	LoadState _sampleState = LoadState::Idle;
	std::string _sampleError;
	ActionState _try;
	TryResult _tryResult;

	/// Guards callbacks that outlive the object (the transport may answer after destruction).
	std::shared_ptr<bool> _alive = std::make_shared<bool>(true);
};

} // namespace ccc::admin
