#pragma once
#include <memory>
#include <vector>

namespace ccc::admin
{

class AppState;
class TestHook;

/// What a panel may touch while drawing: the app state (read it, call its actions) and the test
/// hook (record the rectangles of widgets a browser test needs to find).
struct PanelContext
{
	AppState & state;
	TestHook & hook;
};

/// One tab of the admin. A panel keeps only view state (filters, selection, open editors);
/// everything loaded from the service lives in AppState, so panels can come and go freely.
class Panel
{
public:
	virtual ~Panel() = default;
	/// Stable identifier, used as the ImGui id and as the prefix of test hook widget names.
	virtual const char * id() const = 0;
	/// The tab label shown to the user.
	virtual const char * title() const = 0;
	/// Draws the panel's content into the current ImGui window (the tab's body).
	virtual void draw(PanelContext & ctx) = 0;
};

using PanelList = std::vector<std::unique_ptr<Panel>>;

/// Every panel of the admin, in tab order (panels/panel_list.cpp is the one place to register one).
PanelList makePanels();

/// Draws the full-window admin frame: a title bar line and one tab per panel.
void drawMainWindow(PanelList & panels, PanelContext & ctx);

} // namespace ccc::admin
