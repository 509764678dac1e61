#pragma once
#include "panels/panel.h"

namespace ccc::admin
{

/// The loaded config (GET /admin/api/config) as validated in the browser by shared/'s
/// configFromJson + validate: a summary line, every finding with its key path, and every setting
/// read-only (secrets arrive masked).
class SettingsPanel : public Panel
{
public:
	const char * id() const override { return "settings"; }
	Msg title() const override { return Msg::PanelSettings; }
	void onShow(PanelContext & ctx) override;
	void draw(PanelContext & ctx) override;

private:
	bool _showWarnings = true;
};

} // namespace ccc::admin
