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

constexpr const char * kDragPayload = "CCC_ENDPOINT";
constexpr double kRefreshSeconds = 30.0; // the original's status refresh

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

/// An action's progress or error under its buttons, wrapped to the cell; recorded as `hookName`.
void actionOutcome(TestHook & hook, const ActionState & a, const std::string & hookName)
{
	const ui::StatusColours & colours = ui::statusColours();
	if (a.state == LoadState::Loading)
		ImGui::TextDisabled("%s", tr(Msg::EpWorking));
	else if (a.state == LoadState::Failed)
	{
		ImGui::PushStyleColor(ImGuiCol_Text, colours.error);
		ImGui::TextWrapped(tr(Msg::EpActionFailed), a.error.c_str());
		ImGui::PopStyleColor();
	}
	else
		return;
	hook.recordItem(hookName);
}

} // namespace

void EndpointsPanel::onShow(PanelContext & ctx)
{
	ctx.state.endpointsModel().reload();
	_lastReload = ImGui::GetTime();
}

void EndpointsPanel::draw(PanelContext & ctx)
{
	EndpointsModel & model = ctx.state.endpointsModel();
	if (model.editor().open)
		return drawEndpointEditor(ctx);
	if (model.wizard().open)
		return drawEndpointWizard(ctx);

	if (ImGui::GetTime() - _lastReload > kRefreshSeconds)
	{
		model.reload();
		_lastReload = ImGui::GetTime();
	}
	const Resource<EndpointList> & res = model.list();
	if (ui::reloadButton(ctx.hook, "endpoints.reload"))
	{
		model.reload();
		_lastReload = ImGui::GetTime();
	}
	ImGui::SameLine();
	if (ImGui::Button(tr(Msg::EpNew)))
		model.openNew();
	ctx.hook.recordItem("endpoints.new");
	ImGui::SameLine();
	if (ImGui::Button(tr(Msg::EpWizard)))
		model.openWizard();
	ctx.hook.recordItem("endpoints.wizard");
	ImGui::SameLine();
	ImGui::SetNextItemWidth(220.0f);
	ImGui::InputTextWithHint("##filter", tr(Msg::FilterHint), _filter.data(), _filter.size());
	ctx.hook.recordItem("endpoints.filter");
	ui::requestStatus(res.state, res.error, Msg::LoadFailed, ctx.hook, "endpoints.status");

	// The reorder's outcome sits right above the lists it changed.
	ImGui::TextDisabled("%s", tr(Msg::EpDragHint));
	const ActionState & reorder = model.reorderAction();
	const ui::StatusColours & colours = ui::statusColours();
	if (reorder.state == LoadState::Loading)
	{
		ImGui::SameLine();
		ImGui::TextDisabled("%s", tr(Msg::EpReordering));
		ctx.hook.recordItem("endpoints.reorder_status");
	}
	else if (reorder.state == LoadState::Loaded)
	{
		ImGui::SameLine();
		ImGui::TextColored(colours.ok, "%s", tr(Msg::EpReordered));
		ctx.hook.recordItem("endpoints.reorder_status");
	}
	else if (reorder.state == LoadState::Failed)
	{
		ImGui::PushStyleColor(ImGuiCol_Text, colours.error);
		ImGui::TextWrapped(tr(Msg::EpReorderFailed), reorder.error.c_str());
		ImGui::PopStyleColor();
		ctx.hook.recordItem("endpoints.reorder_status");
	}

	if (!res.data)
	{
		if (res.state != LoadState::Failed)
			ImGui::TextDisabled("%s", tr(Msg::WaitingForService));
		return;
	}
	const auto & list = res.data->items;
	if (list.empty())
		ImGui::TextUnformatted(tr(Msg::NoEndpoints));
	else
	{
		const std::string filter(_filter.data());
		int shown = 0;
		for (const auto & e : list)
			shown += endpointMatches(e, filter) ? 1 : 0;
		ImGui::Text(tr(Msg::EndpointsShown), shown, static_cast<int>(list.size()));
		ctx.hook.recordItem("endpoints.count");
		drawList(ctx, true);
		drawList(ctx, false);
	}
	drawDeleteConfirmation(ctx);
}

void EndpointsPanel::drawList(PanelContext & ctx, bool tagged)
{
	EndpointsModel & model = ctx.state.endpointsModel();
	const auto & list = model.list().data->items;
	ImGui::Spacing();
	ImGui::TextUnformatted(tr(tagged ? Msg::EpTagged : Msg::EpGeneral));
	ctx.hook.recordItem(tagged ? "endpoints.list.tagged" : "endpoints.list.general");
	const std::string filter(_filter.data());
	bool any = false;
	for (const auto & e : list)
		any = any || (e.tags.empty() != tagged);
	if (!any)
	{
		ImGui::SameLine();
		ImGui::TextDisabled("(%s)", tr(Msg::EpListEmpty));
		return;
	}
	const ImGuiTableFlags flags = ImGuiTableFlags_Borders | ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingStretchProp
		| ImGuiTableFlags_Resizable;
	const int columns = tagged ? 11 : 10;
	if (!ImGui::BeginTable(tagged ? "tagged" : "general", columns, flags))
		return;
	ImGui::TableSetupColumn("##handle", ImGuiTableColumnFlags_WidthFixed, 18.0f);
	ImGui::TableSetupColumn(tr(Msg::EpColOrder), ImGuiTableColumnFlags_WidthFixed, 22.0f);
	ImGui::TableSetupColumn(tr(Msg::ColName), ImGuiTableColumnFlags_WidthStretch, 0.9f);
	ImGui::TableSetupColumn(tr(Msg::ColType), ImGuiTableColumnFlags_WidthFixed, 64.0f);
	ImGui::TableSetupColumn(tr(Msg::ColUrl), ImGuiTableColumnFlags_WidthStretch, 1.3f);
	ImGui::TableSetupColumn(tr(Msg::ColStatus), ImGuiTableColumnFlags_WidthFixed, 60.0f);
	ImGui::TableSetupColumn(tr(Msg::ColBreaker), ImGuiTableColumnFlags_WidthFixed, 64.0f);
	ImGui::TableSetupColumn(tr(Msg::ColEnabled), ImGuiTableColumnFlags_WidthFixed, 50.0f);
	ImGui::TableSetupColumn(tr(Msg::EpColCounters), ImGuiTableColumnFlags_WidthFixed, 124.0f);
	if (tagged)
		ImGui::TableSetupColumn(tr(Msg::ColTags), ImGuiTableColumnFlags_WidthStretch, 0.6f);
	ImGui::TableSetupColumn(tr(Msg::ColActions), ImGuiTableColumnFlags_WidthStretch, 1.8f);
	ImGui::TableHeadersRow();
	const ui::StatusColours & colours = ui::statusColours();
	for (size_t i = 0; i < list.size(); ++i)
	{
		const EndpointStatus & e = list[i];
		if (e.tags.empty() == tagged || !endpointMatches(e, filter))
			continue;
		// Rows are named by their place in the priority order (both lists together).
		const std::string row = "endpoints.row." + std::to_string(i);
		ImGui::PushID(e.id.c_str());
		ImGui::TableNextRow();
		ImGui::TableNextColumn();
		ImGui::SmallButton("=");
		ctx.hook.recordItem(row + ".handle");
		if (ImGui::BeginDragDropSource())
		{
			const int from = static_cast<int>(i);
			ImGui::SetDragDropPayload(kDragPayload, &from, sizeof from);
			ImGui::TextUnformatted(e.name.c_str());
			ImGui::EndDragDropSource();
		}
		ImGui::TableNextColumn();
		ImGui::Text("%d", e.priority);
		ImGui::TableNextColumn();
		ImGui::Selectable(e.name.c_str(), false);
		ctx.hook.recordItem(row);
		if (ImGui::IsItemHovered() && ImGui::IsMouseDoubleClicked(ImGuiMouseButton_Left))
			model.openEdit(e.id);
		// The whole name cell takes drops: the dragged endpoint takes this one's place.
		if (ImGui::BeginDragDropTarget())
		{
			const ImGuiPayload * peek = ImGui::GetDragDropPayload();
			if (peek && peek->IsDataType(kDragPayload))
			{
				const int from = *static_cast<const int *>(peek->Data);
				const bool sameList = from >= 0 && static_cast<size_t>(from) < list.size()
					&& list[static_cast<size_t>(from)].tags.empty() == e.tags.empty();
				if (sameList)
					if (const ImGuiPayload * p = ImGui::AcceptDragDropPayload(kDragPayload))
						model.move(static_cast<size_t>(*static_cast<const int *>(p->Data)), i);
			}
			ImGui::EndDragDropTarget();
		}
		ImGui::TableNextColumn();
		ImGui::TextUnformatted(e.endpoint_type.c_str());
		ImGui::TableNextColumn();
		ImGui::TextUnformatted(e.url.c_str());
		if (ImGui::IsItemHovered())
			ImGui::SetTooltip("%s", e.url.c_str());
		ImGui::TableNextColumn();
		const ImVec4 colour = e.status == "active" ? colours.ok : e.status == "open" ? colours.error
			: ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled);
		ImGui::TextColored(colour, "%s", tr(statusMsg(e.status)));
		ImGui::TableNextColumn();
		ImGui::TextUnformatted(e.breaker_state.c_str());
		if (ImGui::IsItemHovered() && (!e.open_reason.empty() || !e.last_failure.empty()))
			ImGui::SetTooltip("%s\n%s", e.open_reason.c_str(), e.last_failure.c_str());
		ImGui::TableNextColumn();
		bool enabled = e.enabled;
		const ActionState & toggle = model.action(EndpointsModel::Action::Toggle, e.id);
		ImGui::BeginDisabled(toggle.state == LoadState::Loading);
		if (ImGui::Checkbox("##enabled", &enabled))
			model.toggle(e.id, enabled);
		ImGui::EndDisabled();
		ctx.hook.recordItem(row + ".enabled");
		actionOutcome(ctx.hook, toggle, row + ".toggle_status");
		ImGui::TableNextColumn();
		ImGui::Text("%lld / %lld / %lld", static_cast<long long>(e.requests), static_cast<long long>(e.successes),
			static_cast<long long>(e.failures));
		if (tagged)
		{
			ImGui::TableNextColumn();
			ImGui::TextWrapped("%s", joined(e.tags).c_str());
		}
		ImGui::TableNextColumn();
		drawRowActions(ctx, model, e, row);
		ImGui::PopID();
	}
	ImGui::EndTable();
}

void EndpointsPanel::drawRowActions(PanelContext & ctx, EndpointsModel & model, const EndpointStatus & e, const std::string & row)
{
	using Action = EndpointsModel::Action;
	const ui::StatusColours & colours = ui::statusColours();
	if (ImGui::SmallButton(tr(Msg::EpEdit)))
		model.openEdit(e.id);
	ctx.hook.recordItem(row + ".edit");
	ImGui::SameLine();
	ImGui::BeginDisabled(model.action(Action::Copy, e.id).state == LoadState::Loading);
	if (ImGui::SmallButton(tr(Msg::EpCopy)))
		model.copy(e.id);
	ImGui::EndDisabled();
	ctx.hook.recordItem(row + ".copy");
	ImGui::SameLine();
	if (ImGui::SmallButton(tr(Msg::EpDelete)))
		model.askDelete(e.id);
	ctx.hook.recordItem(row + ".delete");
	// A second line: five buttons do not fit a narrow cell, and ImGui clips rather than wraps.
	const ActionState & reset = model.action(Action::Reset, e.id);
	ImGui::BeginDisabled(reset.state == LoadState::Loading || e.id.empty());
	if (ImGui::SmallButton(tr(Msg::ResetStatus)))
		model.resetStatus(e.id);
	ImGui::EndDisabled();
	ctx.hook.recordItem(row + ".reset");
	ImGui::SameLine();
	const ActionState & test = model.action(Action::Test, e.id);
	ImGui::BeginDisabled(test.state == LoadState::Loading);
	if (ImGui::SmallButton(tr(Msg::EpTest)))
		model.test(e.id);
	ImGui::EndDisabled();
	ctx.hook.recordItem(row + ".test");

	// Each outcome under the buttons, wrapped to the cell: errors can be long and must be read whole.
	actionOutcome(ctx.hook, model.action(Action::Copy, e.id), row + ".copy_status");
	actionOutcome(ctx.hook, model.action(Action::Delete, e.id), row + ".delete_status");
	if (reset.state == LoadState::Loaded)
	{
		ImGui::TextColored(colours.ok, "%s", tr(Msg::ResetDone));
		ctx.hook.recordItem(row + ".reset_status");
	}
	else if (reset.state == LoadState::Failed)
	{
		ImGui::PushStyleColor(ImGuiCol_Text, colours.error);
		ImGui::TextWrapped(tr(Msg::ResetFailed), reset.error.c_str());
		ImGui::PopStyleColor();
		ctx.hook.recordItem(row + ".reset_status");
	}
	else if (reset.state == LoadState::Loading)
	{
		ImGui::TextDisabled("%s", tr(Msg::ResetRunning));
		ctx.hook.recordItem(row + ".reset_status");
	}
	if (test.state == LoadState::Loading)
	{
		ImGui::TextDisabled("%s", tr(Msg::EpTesting));
		ctx.hook.recordItem(row + ".test_status");
	}
	else if (test.state == LoadState::Failed)
		actionOutcome(ctx.hook, test, row + ".test_status");
	else if (const EndpointTestResult * t = model.testResult(e.id))
	{
		ImGui::PushStyleColor(ImGuiCol_Text, t->ok ? colours.ok : colours.error);
		if (t->ok)
			ImGui::TextWrapped(tr(Msg::EpTestOk), t->status, static_cast<long long>(t->latency_ms), t->verdict.c_str());
		else
			ImGui::TextWrapped(tr(Msg::EpTestBad), t->status, static_cast<long long>(t->latency_ms), t->verdict.c_str());
		ImGui::PopStyleColor();
		ctx.hook.recordItem(row + ".test_status");
	}
}

void EndpointsPanel::drawDeleteConfirmation(PanelContext & ctx)
{
	EndpointsModel & model = ctx.state.endpointsModel();
	const char * popup = "##delete_endpoint";
	if (!model.deleteAsked().empty() && !ImGui::IsPopupOpen(popup))
		ImGui::OpenPopup(popup);
	if (!ImGui::BeginPopupModal(popup, nullptr, ImGuiWindowFlags_AlwaysAutoResize))
		return;
	std::string name = model.deleteAsked();
	if (model.list().data)
		for (const auto & e : model.list().data->items)
			if (e.id == model.deleteAsked())
				name = e.name;
	ImGui::TextUnformatted(tr(Msg::EpDeleteTitle));
	ImGui::Separator();
	ImGui::Text(tr(Msg::EpDeleteQuestion), name.c_str());
	ctx.hook.recordItem("endpoints.delete.question");
	if (ImGui::Button(tr(Msg::EpDelete)))
	{
		model.confirmDelete();
		ImGui::CloseCurrentPopup();
	}
	ctx.hook.recordItem("endpoints.delete.yes");
	ImGui::SameLine();
	if (ImGui::Button(tr(Msg::EpCancel)) || model.deleteAsked().empty())
	{
		model.cancelDelete();
		ImGui::CloseCurrentPopup();
	}
	ctx.hook.recordItem("endpoints.delete.no");
	ImGui::EndPopup();
}

} // namespace ccc::admin
