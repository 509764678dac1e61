#include "panels/dashboard_panel.h"
#include "panels/endpoints_panel.h"
#include "panels/help_panel.h"
#include "panels/logs_panel.h"
#include "panels/settings_panel.h"
#include "panels/taggers_panel.h"

namespace ccc::admin
{

PanelList makePanels()
{
	PanelList panels;
	panels.push_back(std::make_unique<DashboardPanel>());
	panels.push_back(std::make_unique<EndpointsPanel>());
	panels.push_back(std::make_unique<TaggersPanel>());
	panels.push_back(std::make_unique<LogsPanel>());
	panels.push_back(std::make_unique<SettingsPanel>());
	panels.push_back(std::make_unique<HelpPanel>());
	return panels;
}

} // namespace ccc::admin
