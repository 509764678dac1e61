#include "panels/settings_panel.h"

#include <cstdio>
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

using Json = nlohmann::ordered_json;

void drawFindings(const ConfigCheck & check, bool showWarnings, TestHook & hook)
{
	const ImGuiTableFlags flags = ImGuiTableFlags_Borders | ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingStretchProp;
	if (!ImGui::BeginTable("findings", 3, flags))
		return;
	ImGui::TableSetupColumn(tr(Msg::ColSeverity), ImGuiTableColumnFlags_WidthFixed, 80.0f);
	ImGui::TableSetupColumn(tr(Msg::ColKeyPath), ImGuiTableColumnFlags_WidthStretch, 1.0f);
	ImGui::TableSetupColumn(tr(Msg::ColMessage), ImGuiTableColumnFlags_WidthStretch, 2.0f);
	ImGui::TableHeadersRow();
	const ui::StatusColours & colours = ui::statusColours();
	for (size_t i = 0; i < check.findings.size(); ++i)
	{
		const config::Diagnostic & d = check.findings[i];
		const bool error = d.severity == config::Severity::Error;
		if (!error && !showWarnings)
			continue;
		ImGui::TableNextRow();
		ImGui::TableNextColumn();
		ImGui::TextColored(error ? colours.error : colours.warning, "%s", tr(error ? Msg::SeverityError : Msg::SeverityWarning));
		hook.recordItem("settings.finding." + std::to_string(i));
		ImGui::TableNextColumn();
		ImGui::TextUnformatted(d.path.empty() ? "(config)" : d.path.c_str());
		ImGui::TableNextColumn();
		// Messages come from shared/ validation, which speaks English; key paths identify them.
		ImGui::TextWrapped("%s", d.message.c_str());
	}
	ImGui::EndTable();
}

std::string scalarText(const Json & v)
{
	if (v.is_string())
		return v.get<std::string>();
	return v.dump(-1, ' ', false, Json::error_handler_t::replace);
}

/// Read-only tree of the served config: mappings and lists open as tree nodes, scalars as "key: value".
void drawValue(const std::string & key, const Json & v)
{
	if (v.is_object() || v.is_array())
	{
		if (v.empty())
		{
			ImGui::BulletText("%s: %s", key.c_str(), v.is_object() ? "{}" : "[]");
			return;
		}
		if (ImGui::TreeNode(key.c_str()))
		{
			size_t i = 0;
			for (auto it = v.begin(); it != v.end(); ++it, ++i)
			{
				std::string childKey = v.is_object() ? it.key() : "[" + std::to_string(i) + "]";
				// A list entry with a name is easier to find by it.
				if (v.is_array() && it->is_object() && it->contains("name") && (*it)["name"].is_string())
					childKey += " " + (*it)["name"].get<std::string>();
				ImGui::PushID(static_cast<int>(i));
				drawValue(childKey, *it);
				ImGui::PopID();
			}
			ImGui::TreePop();
		}
		return;
	}
	ImGui::BulletText("%s: %s", key.c_str(), scalarText(v).c_str());
}

} // namespace

void SettingsPanel::onShow(PanelContext & ctx)
{
	ctx.state.reloadConfig();
}

void SettingsPanel::draw(PanelContext & ctx)
{
	const ConfigResource & res = ctx.state.config();
	if (ui::reloadButton(ctx.hook, "settings.reload"))
		ctx.state.reloadConfig();
	ImGui::SameLine();
	ImGui::Checkbox(tr(Msg::ShowWarnings), &_showWarnings);
	ctx.hook.recordItem("settings.show_warnings");
	ui::requestStatus(res.state, res.error, Msg::LoadFailed, ctx.hook, "settings.status");

	if (!res.data)
	{
		if (res.state != LoadState::Failed)
			ImGui::TextDisabled("%s", tr(Msg::WaitingForService));
		return;
	}
	const ConfigCheck & check = *res.data;
	ImGui::TextDisabled(tr(Msg::ConfigFile), check.path.c_str());
	ImGui::Spacing();
	const ui::StatusColours & colours = ui::statusColours();
	const ImVec4 colour = check.valid() ? (check.warnings ? colours.warning : colours.ok) : colours.error;
	char summary[256];
	int n = check.valid() ? std::snprintf(summary, sizeof summary, tr(Msg::ConfigValid), static_cast<int>(check.endpoint_names.size()))
		: std::snprintf(summary, sizeof summary, tr(Msg::ConfigErrors), static_cast<int>(check.errors));
	if (check.warnings > 0 && n > 0 && static_cast<size_t>(n) < sizeof summary)
		std::snprintf(summary + n, sizeof summary - static_cast<size_t>(n), tr(Msg::ConfigWarnings), static_cast<int>(check.warnings));
	ImGui::TextColored(colour, "%s", summary);
	ctx.hook.recordItem("settings.summary");
	ImGui::TextDisabled("%s", tr(Msg::CheckedInBrowser));
	ImGui::Spacing();

	if (!check.findings.empty())
	{
		ImGui::Text(tr(Msg::Findings), static_cast<int>(check.findings.size()));
		drawFindings(check, _showWarnings, ctx.hook);
		ImGui::Spacing();
	}

	ImGui::Separator();
	ImGui::TextUnformatted(tr(Msg::SettingsValues));
	ctx.hook.recordItem("settings.values");
	if (check.raw.is_object())
		for (auto it = check.raw.begin(); it != check.raw.end(); ++it)
		{
			ImGui::PushID(it.key().c_str());
			drawValue(it.key(), it.value());
			ImGui::PopID();
		}
}

} // namespace ccc::admin
