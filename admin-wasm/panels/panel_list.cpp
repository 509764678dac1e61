#include "panels/config_check_panel.h"

namespace ccc::admin
{

PanelList makePanels()
{
	PanelList panels;
	panels.push_back(std::make_unique<ConfigCheckPanel>());
	return panels;
}

} // namespace ccc::admin
