#pragma once
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "ccc/api/admin_config.h"
#include "ccc/config/diagnostic.h"
#include "model/api_client.h"
#include "model/endpoints.h"
#include "model/endpoints_form.h"
#include "model/resource.h"

/// The endpoints panel's state apart from drawing: the list (with the config version it was read
/// at), every action on it (reorder, toggle, copy, delete, reset, test) with its progress and
/// error, the editor (form, validation as you type, save) and the wizard.
/// Owned by AppState (AppState::endpointsModel()); the panel reads it and calls its actions.
namespace ccc::admin
{

/// The list as GET /admin/api/endpoints answered it, in priority order (lower first; file order
/// among equal priorities), which is the order the proxy tries them.
struct EndpointList
{
	std::string version; ///< the config version the list was read at (mutations name it)
	std::vector<EndpointStatus> items;
	std::vector<nlohmann::json> raw;          ///< each endpoint object as served (same order)
	std::vector<config::Endpoint> configured; ///< each endpoint as the config reads it (same order)
};

/// Parses the list answer; `error` is set (and the list empty) when it holds no endpoints array.
EndpointList parseEndpointList(const nlohmann::ordered_json & body, std::string & error);

/// The ids in `items` order after moving the item at `from` to the place of the item at `to`
/// (both indices into `items`). Tagged and untagged endpoints are two lists: only items of the
/// moved item's list change places; the other list keeps its slots. Empty when the move is
/// invalid (out of range, across the two lists, or no move at all).
std::vector<std::string> movedOrder(const std::vector<EndpointStatus> & items, size_t from, size_t to);

/// The body of POST /admin/api/endpoints/reorder.
nlohmann::ordered_json reorderBody(const std::string & version, const std::vector<std::string> & order);

/// What "test endpoint" answered (POST /admin/api/endpoints/<id>/test).
struct EndpointTestResult
{
	bool ok = false;
	int status = 0;
	int64_t latency_ms = 0;
	std::string outcome;
	std::string verdict;
	std::string model;
};

/// The editor: a new endpoint or an existing one being changed.
struct EndpointEditor
{
	bool open = false;
	bool creating = true;
	std::string target_id;   ///< the endpoint being edited (empty when creating)
	std::string target_name; ///< its name when the editor opened (the title keeps it while the form renames)
	std::string base_version; ///< the version the form was opened at (a save names it)
	EndpointForm form;
	config::Diagnostics findings; ///< validation as you type (shared/), paths "endpoint.*"
	ActionState save;
	std::string save_error_path;  ///< the key path of the service's 400, if any
	bool conflict = false;        ///< the last save got 409: the form is kept, reload offered
	std::string rewrite_model = "claude-sonnet-4-5"; ///< the rewrite tester's input
	ActionState rewrite_test;
	api::ModelRewriteTest rewrite_result;
};

/// The three-step wizard (profile -> credentials and URL -> default model, name, summary).
struct EndpointWizard
{
	bool open = false;
	int step = 1; ///< 1, 2 or 3
	int profile = -1; ///< index into profiles
	std::string auth_value;
	std::string url;
	std::string default_model;
	std::string name;
	ActionState suggest;  ///< GET suggest-name
	ActionState submit;   ///< POST wizard
	std::string error_path;  ///< the key path of the last refusal
	int error_step = 0;   ///< the step the last refusal belongs to (0 = none)
	std::string step_error; ///< a client-side check that kept the wizard on its step
};

class EndpointsModel
{
public:
	explicit EndpointsModel(ApiClient & api) : _api(api) { }

	// ---- the list ----
	/// (Re)loads the list; a call while one is in flight runs again once that one is answered.
	void reload();
	const Resource<EndpointList> & list() const { return _list; }

	/// Moves the endpoint at `from` to the place of the one at `to` (indices into list().items) and
	/// applies it at once: the list shows the new order and POST .../reorder names the list's
	/// version. On failure the list is reloaded (the server's order comes back); a 409 says the
	/// configuration changed elsewhere.
	void move(size_t from, size_t to);
	const ActionState & reorderAction() const { return _reorder; }

	// ---- per endpoint ----
	void toggle(const std::string & id, bool enabled);
	void copy(const std::string & id);
	/// Delete asks first: askDelete() opens the confirmation, confirmDelete() sends it.
	void askDelete(const std::string & id) { _deleteAsked = id; }
	void cancelDelete() { _deleteAsked.clear(); }
	void confirmDelete();
	const std::string & deleteAsked() const { return _deleteAsked; }
	void resetStatus(const std::string & id);
	void test(const std::string & id);

	enum class Action
	{
		Toggle,
		Copy,
		Delete,
		Reset,
		Test
	};
	/// The state of `action` on endpoint `id` (Idle when never triggered).
	const ActionState & action(Action action, const std::string & id) const;
	/// The last answer of "test endpoint" for `id`, when one arrived.
	const EndpointTestResult * testResult(const std::string & id) const;

	// ---- editor ----
	void openNew();
	/// Opens the editor on the listed endpoint `id` (from the list's served object).
	void openEdit(const std::string & id);
	void closeEditor();
	EndpointEditor & editor() { return _editor; }
	const EndpointEditor & editor() const { return _editor; }
	/// Re-runs validation after the form changed (the panel calls it when a widget edited the form).
	void formChanged();
	/// Findings (validation and the last save's 400) whose field is `path` (see fieldOfPath).
	std::vector<const config::Diagnostic *> findingsAt(const std::string & path) const;
	/// POST (new) or PUT (edit) with the form's base version. On 409 the form is kept, `conflict`
	/// is set and the list reloaded; reloadAfterConflict() then moves the form onto the new version.
	void save();
	void reloadAfterConflict();
	/// POST .../test-rewrite with the unsaved form and editor().rewrite_model.
	void testRewrite();

	// ---- wizard ----
	void openWizard();
	void closeWizard() { _wizard.open = false; }
	EndpointWizard & wizard() { return _wizard; }
	const EndpointWizard & wizard() const { return _wizard; }
	const Resource<std::vector<api::EndpointProfile>> & profiles() const { return _profiles; }
	/// Step 1 -> 2: the chosen profile prefills the URL.
	void wizardChooseProfile(int index);
	/// Step 2 -> 3 (needs a credential) and 3 -> submit; back goes one step down.
	void wizardNext();
	void wizardBack();
	const api::EndpointProfile * wizardProfile() const;
	/// The step a wizard refusal's key path belongs to.
	static int wizardStepOfPath(const std::string & path);

	/// This panel's part of window.__adminTest.state (under the key "endpoints_model"); keys are stable.
	nlohmann::ordered_json testState() const;

private:
	ActionState & actionRef(Action action, const std::string & id);
	/// Runs a mutation of one endpoint with the list's version; reloads the list on success and on 409.
	void mutateEndpoint(Action action, const std::string & id, const std::string & method, const std::string & suffix,
		nlohmann::ordered_json body);
	void loadProfiles();
	void wizardSubmit();
	void wizardSuggestName();

	ApiClient & _api;
	Resource<EndpointList> _list;
	bool _reloadAgain = false;
	ActionState _reorder;
	std::map<std::string, ActionState> _actions[5];
	std::map<std::string, EndpointTestResult> _tests;
	std::string _deleteAsked;
	EndpointEditor _editor;
	EndpointWizard _wizard;
	Resource<std::vector<api::EndpointProfile>> _profiles;
	/// Guards callbacks that outlive the object (the transport may answer after destruction).
	std::shared_ptr<bool> _alive = std::make_shared<bool>(true);
};

} // namespace ccc::admin
