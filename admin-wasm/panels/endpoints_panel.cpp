#include "panels/endpoints_panel.h"

#include <string>

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

std::string joined(const std::vector<std::string> & items)
{
	std::string out;
	for (const auto & s : items)
		out += (out.empty() ? "" : ", ") + s;
	return out;
}

} // namespace

void EndpointsPanel::onShow(PanelContext & ctx)
{
	ctx.state.reloadEndpoints();
}

void EndpointsPanel::draw(PanelContext & ctx)
{
	const EndpointsResource & res = ctx.state.endpoints();
	if (ui::reloadButton(ctx.hook, "endpoints.reload"))
		ctx.state.reloadEndpoints();
	ImGui::SameLine();
	ImGui::SetNextItemWidth(220.0f);
	ImGui::InputTextWithHint("##filter", tr(Msg::FilterHint), _filter.data(), _filter.size());
	ctx.hook.recordItem("endpoints.filter");
	ui::requestStatus(res.state, res.error, Msg::LoadFailed, ctx.hook, "endpoints.status");
	ImGui::TextDisabled("%s", tr(Msg::ComingWithApi));

	if (!res.data)
	{
		if (res.state != LoadState::Failed)
			ImGui::TextDisabled("%s", tr(Msg::WaitingForService));
		return;
	}
	const auto & list = *res.data;
	if (list.empty())
	{
		ImGui::TextUnformatted(tr(Msg::NoEndpoints));
		return;
	}
	const std::string filter(_filter.data());
	int shown = 0;
	for (const auto & e : list)
		shown += endpointMatches(e, filter) ? 1 : 0;
	ImGui::Text(tr(Msg::EndpointsShown), shown, static_cast<int>(list.size()));
	ctx.hook.recordItem("endpoints.count");

	const ImGuiTableFlags flags = ImGuiTableFlags_Borders | ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingStretchProp
		| ImGuiTableFlags_Resizable;
	if (!ImGui::BeginTable("endpoints", 9, flags))
		return;
	ImGui::TableSetupColumn(tr(Msg::ColName), ImGuiTableColumnFlags_WidthStretch, 1.0f);
	ImGui::TableSetupColumn(tr(Msg::ColUrl), ImGuiTableColumnFlags_WidthStretch, 1.6f);
	ImGui::TableSetupColumn(tr(Msg::ColStatus), ImGuiTableColumnFlags_WidthFixed, 70.0f);
	ImGui::TableSetupColumn(tr(Msg::ColBreaker), ImGuiTableColumnFlags_WidthFixed, 80.0f);
	ImGui::TableSetupColumn(tr(Msg::ColRequests), ImGuiTableColumnFlags_WidthFixed, 60.0f);
	ImGui::TableSetupColumn(tr(Msg::ColFailures), ImGuiTableColumnFlags_WidthFixed, 50.0f);
	ImGui::TableSetupColumn(tr(Msg::ColActive), ImGuiTableColumnFlags_WidthFixed, 50.0f);
	ImGui::TableSetupColumn(tr(Msg::ColTags), ImGuiTableColumnFlags_WidthStretch, 0.8f);
	ImGui::TableSetupColumn(tr(Msg::ColActions), ImGuiTableColumnFlags_WidthStretch, 1.4f);
	ImGui::TableHeadersRow();
	const ui::StatusColours & colours = ui::statusColours();
	for (size_t i = 0; i < list.size(); ++i)
	{
		const EndpointStatus & e = list[i];
		if (!endpointMatches(e, filter))
			continue;
		const std::string row = "endpoints.row." + std::to_string(i);
		ImGui::PushID(static_cast<int>(i));
		ImGui::TableNextRow();
		ImGui::TableNextColumn();
		ImGui::TextUnformatted(e.name.c_str());
		ctx.hook.recordItem(row);
		ImGui::TableNextColumn();
		ImGui::TextUnformatted(e.url.c_str());
		ImGui::TableNextColumn();
		const ImVec4 colour = e.status == "active" ? colours.ok : e.status == "open" ? colours.error
			: ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled);
		ImGui::TextColored(colour, "%s", tr(statusMsg(e.status)));
		ImGui::TableNextColumn();
		ImGui::TextUnformatted(e.breaker_state.c_str());
		if (!e.open_reason.empty() && ImGui::IsItemHovered())
			ImGui::SetTooltip("%s", e.open_reason.c_str());
		ImGui::TableNextColumn();
		ImGui::Text("%lld", static_cast<long long>(e.requests));
		ImGui::TableNextColumn();
		ImGui::Text("%lld", static_cast<long long>(e.failures));
		ImGui::TableNextColumn();
		ImGui::Text("%lld", static_cast<long long>(e.active));
		ImGui::TableNextColumn();
		ImGui::TextUnformatted(joined(e.tags).c_str());
		ImGui::TableNextColumn();
		// The action and its outcome share the cell: the outcome shows at the button that caused it.
		const ActionState & reset = ctx.state.resetAction(e.id);
		ImGui::BeginDisabled(reset.state == LoadState::Loading || e.id.empty());
		if (ImGui::SmallButton(tr(Msg::ResetStatus)))
			ctx.state.resetEndpointStatus(e.id);
		ImGui::EndDisabled();
		ctx.hook.recordItem(row + ".reset");
		if (reset.state == LoadState::Loading)
		{
			ImGui::SameLine();
			ImGui::TextDisabled("%s", tr(Msg::ResetRunning));
			ctx.hook.recordItem(row + ".reset_status");
		}
		else if (reset.state == LoadState::Loaded)
		{
			ImGui::SameLine();
			ImGui::TextColored(colours.ok, "%s", tr(Msg::ResetDone));
			ctx.hook.recordItem(row + ".reset_status");
		}
		else if (reset.state == LoadState::Failed)
		{
			// Under the button, wrapped to the cell: an error can be long and must be read whole.
			ImGui::PushStyleColor(ImGuiCol_Text, colours.error);
			ImGui::TextWrapped(tr(Msg::ResetFailed), reset.error.c_str());
			ImGui::PopStyleColor();
			ctx.hook.recordItem(row + ".reset_status");
		}
		ImGui::PopID();
	}
	ImGui::EndTable();
}

} // namespace ccc::admin
