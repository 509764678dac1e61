#include "panels/dashboard_panel.h"

#include <algorithm>
#include <cstdio>

#include <imgui.h>

#include "model/app_state.h"
#include "platform/test_hook.h"
#include "ui/chart.h"
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

/// 1234567 -> "1.2M": token counts stay short on a card.
std::string compact(int64_t v)
{
	char buf[32];
	const double d = static_cast<double>(v);
	if (v >= 1000000000)
		std::snprintf(buf, sizeof buf, "%.1fG", d / 1e9);
	else if (v >= 1000000)
		std::snprintf(buf, sizeof buf, "%.1fM", d / 1e6);
	else if (v >= 10000)
		std::snprintf(buf, sizeof buf, "%.1fk", d / 1e3);
	else
		std::snprintf(buf, sizeof buf, "%lld", static_cast<long long>(v));
	return buf;
}

void drawStreamState(const DashboardModel & m, TestHook & hook)
{
	const ui::StatusColours & c = ui::statusColours();
	switch (m.streamState())
	{
		case StreamState::Open:
			ImGui::TextColored(c.ok, "%s", tr(Msg::DashLive));
			break;
		case StreamState::Connecting:
			ImGui::TextDisabled("%s", tr(Msg::DashConnecting));
			break;
		case StreamState::Waiting:
			ImGui::TextColored(c.warning, tr(Msg::DashReconnecting),
				static_cast<int>(std::max<int64_t>(0, (m.reconnectAtMs() - m.nowMs() + 999) / 1000)));
			break;
		case StreamState::Idle:
			ImGui::TextDisabled("%s", tr(Msg::DashNoStream));
			break;
	}
	hook.recordItem("dashboard.stream");
}

void drawCharts(const DashboardModel & m, TestHook & hook)
{
	const ChartSeries & c = m.chart();
	const ui::StatusColours & colours = ui::statusColours();
	const ImU32 blue = IM_COL32(90, 160, 240, 255);
	const ImU32 red = ImGui::ColorConvertFloat4ToU32(colours.error);
	const ImU32 green = ImGui::ColorConvertFloat4ToU32(colours.ok);
	const ImU32 amber = ImGui::ColorConvertFloat4ToU32(colours.warning);

	ui::ChartSpec requests;
	requests.id = "chart_requests";
	requests.start_ms = c.start_ms;
	requests.bucket_ms = c.bucket_ms;
	requests.lines = {{&c.requests, blue, tr(Msg::DashChartRequests)}, {&c.errors, red, tr(Msg::DashChartErrors)}};
	ui::ChartSpec latency = requests;
	latency.id = "chart_latency";
	latency.lines = {{&c.latency_p50, green, tr(Msg::DashChartP50)}, {&c.latency_p95, amber, tr(Msg::DashChartP95)}};
	latency.value_format = "%.0f ms";
	ui::ChartSpec tokens = requests;
	tokens.id = "chart_tokens";
	tokens.lines = {{&c.input_tokens, blue, tr(Msg::DashChartInput)}, {&c.output_tokens, green, tr(Msg::DashChartOutput)}};

	const struct
	{
		const ui::ChartSpec * spec;
		Msg title;
		const char * hookName;
	} charts[] = {{&requests, Msg::DashChartRequests, "dashboard.chart.requests"},
		{&latency, Msg::DashChartLatency, "dashboard.chart.latency"},
		{&tokens, Msg::DashChartTokens, "dashboard.chart.tokens"}};
	// Side by side when there is room, else stacked.
	const bool wide = ImGui::GetContentRegionAvail().x >= 900.0f;
	if (wide && ImGui::BeginTable("charts", 3, ImGuiTableFlags_SizingStretchSame))
	{
		for (const auto & ch : charts)
		{
			ImGui::TableNextColumn();
			ImGui::TextUnformatted(tr(ch.title));
			ui::drawChart(*ch.spec);
			hook.recordItem(ch.hookName);
		}
		ImGui::EndTable();
		return;
	}
	for (const auto & ch : charts)
	{
		ImGui::TextUnformatted(tr(ch.title));
		ui::drawChart(*ch.spec);
		hook.recordItem(ch.hookName);
	}
}

void drawCard(PanelContext & ctx, const api::EndpointCard & e, size_t i, float width)
{
	const ui::StatusColours & colours = ui::statusColours();
	ImGui::PushID(static_cast<int>(i));
	ImGui::BeginChild("card", ImVec2(width, ImGui::GetTextLineHeightWithSpacing() * 9.2f), true);
	ImGui::TextUnformatted(e.name.c_str());
	ImGui::SameLine();
	ImGui::TextColored(statusColour(e.status), "%s", tr(statusMsg(e.status)));
	if (e.active_streams > 0)
	{
		ImGui::SameLine();
		ImGui::TextColored(colours.ok, tr(Msg::DashCardActive), static_cast<long long>(e.active_streams));
	}
	ImGui::TextDisabled("%s", e.url.c_str());
	ImGui::TextColored(e.breaker_state == "open" ? colours.error : ImGui::GetStyleColorVec4(ImGuiCol_Text), tr(Msg::DashBreaker),
		e.breaker_state.c_str(), e.consecutive_failures);
	ImGui::Text(tr(Msg::DashCardCounts), static_cast<long long>(e.total_requests), static_cast<long long>(e.total_successes),
		static_cast<long long>(e.total_failures), static_cast<long long>(e.live_requests));
	if (e.success_rate < 0)
		ImGui::TextDisabled("%s", tr(Msg::DashCardNoRate));
	else
		ImGui::TextColored(e.success_rate >= 0.95 ? colours.ok : e.success_rate >= 0.8 ? colours.warning : colours.error,
			tr(Msg::DashCardRate), e.success_rate * 100.0);
	ImGui::Text(tr(Msg::DashCardLatency), static_cast<long long>(e.latency_p50_ms), static_cast<long long>(e.latency_p95_ms));
	ImGui::Text(tr(Msg::DashCardTokens), compact(e.input_tokens).c_str(), compact(e.output_tokens).c_str());
	if (!e.last_failure.empty())
	{
		ImGui::PushStyleColor(ImGuiCol_Text, colours.warning);
		ImGui::TextWrapped(tr(Msg::LastFailure), e.last_failure.c_str());
		ImGui::PopStyleColor();
	}
	// Reset status, with its outcome next to it.
	const ActionState & reset = ctx.state.resetAction(e.id);
	ImGui::BeginDisabled(reset.state == LoadState::Loading || e.id.empty());
	if (ImGui::SmallButton(tr(Msg::ResetStatus)))
		ctx.state.resetEndpointStatus(e.id);
	ImGui::EndDisabled();
	ctx.hook.recordItem("dashboard.card." + std::to_string(i) + ".reset");
	if (reset.state != LoadState::Idle)
	{
		ImGui::SameLine();
		if (reset.state == LoadState::Loading)
			ImGui::TextDisabled("%s", tr(Msg::ResetRunning));
		else if (reset.state == LoadState::Loaded)
			ImGui::TextColored(colours.ok, "%s", tr(Msg::ResetDone));
		else
		{
			ImGui::PushStyleColor(ImGuiCol_Text, colours.error);
			ImGui::TextWrapped(tr(Msg::ResetFailed), reset.error.c_str());
			ImGui::PopStyleColor();
		}
		ctx.hook.recordItem("dashboard.card." + std::to_string(i) + ".reset_status");
	}
	ImGui::EndChild();
	ctx.hook.recordItem("dashboard.card." + std::to_string(i));
	ImGui::PopID();
}

} // namespace

void DashboardPanel::onShow(PanelContext & ctx)
{
	ctx.state.dashboard().reload();
}

void DashboardPanel::draw(PanelContext & ctx)
{
	DashboardModel & m = ctx.state.dashboard();
	const auto & summary = m.summary();
	if (ui::reloadButton(ctx.hook, "dashboard.reload"))
		m.reload();
	ImGui::SameLine();
	ImGui::TextUnformatted(tr(Msg::DashRange));
	const auto & presets = rangePresets();
	for (size_t i = 0; i < presets.size(); ++i)
	{
		ImGui::SameLine();
		const bool selected = m.rangeIndex() == i;
		if (selected)
			ImGui::PushStyleColor(ImGuiCol_Button, ImGui::GetStyleColorVec4(ImGuiCol_ButtonActive));
		if (ImGui::SmallButton(presets[i].id))
			m.selectRange(i);
		if (selected)
			ImGui::PopStyleColor();
		ctx.hook.recordItem(std::string("dashboard.range.") + presets[i].id);
	}
	ImGui::SameLine();
	drawStreamState(m, ctx.hook);
	ui::requestStatus(summary.state, summary.error, Msg::LoadFailed, ctx.hook, "dashboard.status");
	ui::requestStatus(m.series().state, m.series().error, Msg::LoadFailed, ctx.hook, "dashboard.series_status");

	if (!summary.data)
	{
		if (summary.state != LoadState::Failed)
			ImGui::TextDisabled("%s", tr(Msg::WaitingForService));
		return;
	}
	const api::DashboardSummary & d = *summary.data;
	ImGui::Text(tr(Msg::DashTotals), static_cast<int>(d.endpoints.size()), static_cast<long long>(d.total_requests),
		static_cast<long long>(d.failed_requests), static_cast<long long>(m.activeStreams()),
		static_cast<long long>(m.eventsReceived()));
	ctx.hook.recordItem("dashboard.totals");
	ImGui::Spacing();

	drawCharts(m, ctx.hook);
	if (m.series().data && m.series().data->truncated)
		ImGui::TextColored(ui::statusColours().warning, "%s", tr(Msg::DashSeriesTruncated));
	ImGui::Spacing();

	if (d.endpoints.empty())
	{
		ImGui::TextUnformatted(tr(Msg::DashNoEndpoints));
		return;
	}
	// Cards flow left to right and wrap.
	const float spacing = ImGui::GetStyle().ItemSpacing.x;
	const float avail = ImGui::GetContentRegionAvail().x;
	const int perRow = std::max(1, static_cast<int>((avail + spacing) / (330.0f + spacing)));
	const float cardWidth = (avail - spacing * static_cast<float>(perRow - 1)) / static_cast<float>(perRow);
	for (size_t i = 0; i < d.endpoints.size(); ++i)
	{
		if (i % static_cast<size_t>(perRow) != 0)
			ImGui::SameLine();
		drawCard(ctx, d.endpoints[i], i, cardWidth);
	}
}

} // namespace ccc::admin
