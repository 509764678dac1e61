#pragma once
#include <memory>
#include <string>
#include <vector>

#include "model/i18n.h"

namespace ccc::admin
{

class AppState;
class TestHook;

/// What a panel may touch while drawing: the app state (read it, call its actions), the test hook
/// (record the rectangles of widgets a browser test needs to find) and facts about the page.
struct PanelContext
{
	AppState & state;
	TestHook & hook;
	std::string origin; ///< the page's origin ("http://127.0.0.1:8080"): the proxy's base URL
};

/// One panel of the admin (one entry of the sidebar). A panel keeps only view state (text being
/// typed, an open section); everything loaded from the service, and every action's progress and
/// error, lives in AppState, so panels can come and go freely and the model is unit-tested
/// without ImGui.
class Panel
{
public:
	virtual ~Panel() = default;
	/// Stable identifier: the ImGui id, UiState::panel, and the prefix of test hook widget names.
	virtual const char * id() const = 0;
	/// The sidebar label (translated through tr()).
	virtual Msg title() const = 0;
	/// Called when the panel becomes the one shown (e.g. to refresh its data); also at start-up
	/// for the initial panel.
	virtual void onShow(PanelContext &) { }
	/// Draws the panel's content into the current ImGui child window.
	virtual void draw(PanelContext & ctx) = 0;
};

using PanelList = std::vector<std::unique_ptr<Panel>>;

/// Every panel of the admin, in sidebar order (panels/panel_list.cpp is the one place to register one).
PanelList makePanels();

/// Draws the full-window admin: a top bar (title, language and theme switches), the sidebar with
/// one entry per panel, and the selected panel (AppState::ui().panel).
void drawMainWindow(PanelList & panels, PanelContext & ctx);

} // namespace ccc::admin
