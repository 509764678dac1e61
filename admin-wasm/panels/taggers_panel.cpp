#include "panels/taggers_panel.h"

#include <string>

#include <imgui.h>

#include "model/app_state.h"
#include "platform/test_hook.h"
#include "ui/widgets.h"

namespace ccc::admin
{

void TaggersPanel::draw(PanelContext & ctx)
{
	const ConfigResource & res = ctx.state.config();
	if (ui::reloadButton(ctx.hook, "taggers.reload"))
		ctx.state.reloadConfig();
	ui::requestStatus(res.state, res.error, Msg::LoadFailed, ctx.hook, "taggers.status");
	ImGui::TextUnformatted(tr(Msg::TaggersIntro));
	ImGui::TextDisabled("%s", tr(Msg::ComingWithApi));
	if (!res.data)
	{
		if (res.state != LoadState::Failed)
			ImGui::TextDisabled("%s", tr(Msg::WaitingForService));
		return;
	}
	const auto & taggers = res.data->config.tagging.taggers;
	if (taggers.empty())
	{
		ImGui::TextUnformatted(tr(Msg::NoTaggers));
		ctx.hook.recordItem("taggers.empty");
		return;
	}
	const ImGuiTableFlags flags = ImGuiTableFlags_Borders | ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingStretchProp;
	if (!ImGui::BeginTable("taggers", 6, flags))
		return;
	ImGui::TableSetupColumn(tr(Msg::ColName), ImGuiTableColumnFlags_WidthStretch, 1.0f);
	ImGui::TableSetupColumn(tr(Msg::ColType), ImGuiTableColumnFlags_WidthFixed, 70.0f);
	ImGui::TableSetupColumn(tr(Msg::ColBuiltin), ImGuiTableColumnFlags_WidthStretch, 1.0f);
	ImGui::TableSetupColumn(tr(Msg::ColTag), ImGuiTableColumnFlags_WidthStretch, 1.0f);
	ImGui::TableSetupColumn(tr(Msg::ColEnabled), ImGuiTableColumnFlags_WidthFixed, 60.0f);
	ImGui::TableSetupColumn(tr(Msg::ColPriority), ImGuiTableColumnFlags_WidthFixed, 60.0f);
	ImGui::TableHeadersRow();
	for (size_t i = 0; i < taggers.size(); ++i)
	{
		const config::Tagger & t = taggers[i];
		ImGui::TableNextRow();
		ImGui::TableNextColumn();
		ImGui::TextUnformatted(t.name.c_str());
		ctx.hook.recordItem("taggers.row." + std::to_string(i));
		ImGui::TableNextColumn();
		ImGui::TextUnformatted(t.type.c_str());
		ImGui::TableNextColumn();
		ImGui::TextUnformatted(t.builtin_type.c_str());
		ImGui::TableNextColumn();
		ImGui::TextUnformatted(t.tag.c_str());
		ImGui::TableNextColumn();
		ImGui::TextUnformatted(tr(t.enabled ? Msg::Yes : Msg::No));
		ImGui::TableNextColumn();
		ImGui::Text("%d", t.priority);
	}
	ImGui::EndTable();
}

} // namespace ccc::admin
