#pragma once
#include <array>
#include <string>

#include "panels/panel.h"

namespace ccc::admin
{

class EndpointsModel;
struct EndpointStatus;

/// The endpoints: tagged ("special") and untagged ("general") lists in priority order with live
/// state, drag-and-drop reordering that applies at once, and per endpoint enable, edit, copy,
/// delete (confirmed), reset status and test, each action's outcome on its row. The editor
/// (panels/endpoint_editor.cpp) and the wizard (panels/endpoint_wizard.cpp) replace the lists
/// while open. State lives in EndpointsModel.
class EndpointsPanel : public Panel
{
public:
	const char * id() const override { return "endpoints"; }
	Msg title() const override { return Msg::PanelEndpoints; }
	void onShow(PanelContext & ctx) override;
	void draw(PanelContext & ctx) override;

private:
	void drawList(PanelContext & ctx, bool tagged);
	void drawRowActions(PanelContext & ctx, EndpointsModel & model, const EndpointStatus & e, const std::string & row);
	void drawDeleteConfirmation(PanelContext & ctx);

	std::array<char, 128> _filter{};
	double _lastReload = 0.0;
};

/// The endpoint editor (new or existing), drawn in place of the lists while open.
void drawEndpointEditor(PanelContext & ctx);
/// The three-step wizard, drawn in place of the lists while open.
void drawEndpointWizard(PanelContext & ctx);

} // namespace ccc::admin
