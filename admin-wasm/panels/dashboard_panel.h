#pragma once
#include "panels/panel.h"

namespace ccc::admin
{

/// Totals, live charts (requests and errors, latency p50/p95, tokens) for a range preset, and one
/// card per endpoint (status, breaker, success rate, latency, tokens, active streams, reset),
/// from DashboardModel: GET /admin/api/dashboard and /admin/api/timeseries, updated live by the
/// event stream, whose connection state is shown next to the range buttons.
class DashboardPanel : public Panel
{
public:
	const char * id() const override { return "dashboard"; }
	Msg title() const override { return Msg::PanelDashboard; }
	void onShow(PanelContext & ctx) override;
	void draw(PanelContext & ctx) override;
};

} // namespace ccc::admin
