#include "panels/dashboard_panel.h"

#include <algorithm>

#include <imgui.h>

#include "model/app_state.h"
#include "platform/test_hook.h"
#include "ui/theme.h"
#include "ui/widgets.h"

namespace ccc::admin
{

namespace
{

Msg statusMsg(const std::string & status)
{
	if (status == "active")
		return Msg::StatusActive;
	if (status == "open")
		return Msg::StatusOpen;
	if (status == "disabled")
		return Msg::StatusDisabled;
	return Msg::StatusUnknown;
}

ImVec4 statusColour(const std::string & status)
{
	const ui::StatusColours & c = ui::statusColours();
	if (status == "active")
		return c.ok;
	if (status == "open")
		return c.error;
	return ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled);
}

} // namespace

void DashboardPanel::onShow(PanelContext & ctx)
{
	ctx.state.reloadEndpoints();
}

void DashboardPanel::draw(PanelContext & ctx)
{
	const EndpointsResource & res = ctx.state.endpoints();
	if (ui::reloadButton(ctx.hook, "dashboard.reload"))
		ctx.state.reloadEndpoints();
	ui::requestStatus(res.state, res.error, Msg::LoadFailed, ctx.hook, "dashboard.status");
	ImGui::TextWrapped("%s", tr(Msg::DashboardIntro));
	if (!res.data)
	{
		if (res.state != LoadState::Failed)
			ImGui::TextDisabled("%s", tr(Msg::WaitingForService));
		return;
	}
	const auto & list = *res.data;
	long long requests = 0, failures = 0, active = 0;
	for (const auto & e : list)
	{
		requests += e.requests;
		failures += e.failures;
		active += e.active;
	}
	ImGui::Text(tr(Msg::DashboardTotals), static_cast<int>(list.size()), static_cast<int>(requests),
		static_cast<int>(failures), static_cast<int>(active));
	ctx.hook.recordItem("dashboard.totals");
	ImGui::Spacing();

	// Cards flow left to right and wrap.
	const float cardWidth = 340.0f;
	const float avail = ImGui::GetContentRegionAvail().x;
	const int perRow = std::max(1, static_cast<int>((avail + ImGui::GetStyle().ItemSpacing.x) / (cardWidth + ImGui::GetStyle().ItemSpacing.x)));
	for (size_t i = 0; i < list.size(); ++i)
	{
		const EndpointStatus & e = list[i];
		if (i % static_cast<size_t>(perRow) != 0)
			ImGui::SameLine();
		ImGui::PushID(static_cast<int>(i));
		ImGui::BeginChild("card", ImVec2(cardWidth, ImGui::GetTextLineHeightWithSpacing() * 5.5f), true);
		ImGui::TextUnformatted(e.name.c_str());
		ImGui::SameLine();
		ImGui::TextColored(statusColour(e.status), "%s", tr(statusMsg(e.status)));
		ImGui::TextDisabled("%s", e.url.c_str());
		ImGui::Text(tr(Msg::DashboardCard), static_cast<int>(e.requests), static_cast<int>(e.successes),
			static_cast<int>(e.failures), static_cast<int>(e.active));
		const double rate = e.successRate();
		if (rate < 0)
			ImGui::TextDisabled("%s", tr(Msg::NoRequestsYet));
		else
			ImGui::Text(tr(Msg::SuccessRate), rate);
		if (!e.last_failure.empty())
			ImGui::TextColored(ui::statusColours().warning, tr(Msg::LastFailure), e.last_failure.c_str());
		ImGui::EndChild();
		ctx.hook.recordItem("dashboard.card." + std::to_string(i));
		ImGui::PopID();
	}
}

} // namespace ccc::admin
