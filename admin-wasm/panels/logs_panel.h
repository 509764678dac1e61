#pragma once
#include "panels/panel.h"

namespace ccc::admin
{

/// The request log: a virtualised table (ui/virtual_table.h) waiting for the logs API.
class LogsPanel : public Panel
{
public:
	const char * id() const override { return "logs"; }
	Msg title() const override { return Msg::PanelLogs; }
	void draw(PanelContext & ctx) override;
};

} // namespace ccc::admin
