#pragma once
#include "panels/panel.h"

namespace ccc::admin
{

/// One card per endpoint (status, breaker, success rate, counters) from GET /admin/api/endpoints.
/// Live charts come with the dashboard API (docs/ADMIN_API.md).
class DashboardPanel : public Panel
{
public:
	const char * id() const override { return "dashboard"; }
	Msg title() const override { return Msg::PanelDashboard; }
	void onShow(PanelContext & ctx) override;
	void draw(PanelContext & ctx) override;
};

} // namespace ccc::admin
