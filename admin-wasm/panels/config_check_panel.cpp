#include "panels/config_check_panel.h"

#include <string>

#include <imgui.h>

#include "model/app_state.h"
#include "platform/test_hook.h"

namespace ccc::admin
{

namespace
{

const ImVec4 kErrorColour(0.95f, 0.35f, 0.35f, 1.0f);
const ImVec4 kWarningColour(0.95f, 0.75f, 0.30f, 1.0f);
const ImVec4 kOkColour(0.40f, 0.85f, 0.45f, 1.0f);

void drawFindings(const ConfigCheck & check, bool showWarnings, TestHook & hook)
{
	const ImGuiTableFlags flags = ImGuiTableFlags_Borders | ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingStretchProp;
	if (!ImGui::BeginTable("findings", 3, flags))
		return;
	ImGui::TableSetupColumn("Severity", ImGuiTableColumnFlags_WidthFixed, 80.0f);
	ImGui::TableSetupColumn("Key path", ImGuiTableColumnFlags_WidthStretch, 1.0f);
	ImGui::TableSetupColumn("Message", ImGuiTableColumnFlags_WidthStretch, 2.0f);
	ImGui::TableHeadersRow();
	for (size_t i = 0; i < check.findings.size(); ++i)
	{
		const config::Diagnostic & d = check.findings[i];
		const bool error = d.severity == config::Severity::Error;
		if (!error && !showWarnings)
			continue;
		ImGui::TableNextRow();
		ImGui::TableNextColumn();
		ImGui::TextColored(error ? kErrorColour : kWarningColour, "%s", error ? "error" : "warning");
		hook.recordItem("config_check.finding." + std::to_string(i));
		ImGui::TableNextColumn();
		ImGui::TextUnformatted(d.path.empty() ? "(config)" : d.path.c_str());
		ImGui::TableNextColumn();
		ImGui::TextWrapped("%s", d.message.c_str());
	}
	ImGui::EndTable();
}

void drawEndpoints(const ConfigCheck & check, TestHook & hook)
{
	const ImGuiTableFlags flags = ImGuiTableFlags_Borders | ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingStretchProp;
	if (!ImGui::BeginTable("endpoints", 6, flags))
		return;
	ImGui::TableSetupColumn("Name", ImGuiTableColumnFlags_WidthStretch, 1.0f);
	ImGui::TableSetupColumn("Type", ImGuiTableColumnFlags_WidthFixed, 80.0f);
	ImGui::TableSetupColumn("URL", ImGuiTableColumnFlags_WidthStretch, 2.0f);
	ImGui::TableSetupColumn("Enabled", ImGuiTableColumnFlags_WidthFixed, 60.0f);
	ImGui::TableSetupColumn("Priority", ImGuiTableColumnFlags_WidthFixed, 60.0f);
	ImGui::TableSetupColumn("Tags", ImGuiTableColumnFlags_WidthStretch, 1.0f);
	ImGui::TableHeadersRow();
	for (size_t i = 0; i < check.config.endpoints.size(); ++i)
	{
		const config::Endpoint & e = check.config.endpoints[i];
		ImGui::TableNextRow();
		ImGui::TableNextColumn();
		ImGui::TextUnformatted(e.name.c_str());
		hook.recordItem("config_check.endpoint." + std::to_string(i));
		ImGui::TableNextColumn();
		ImGui::TextUnformatted(e.endpoint_type.c_str());
		ImGui::TableNextColumn();
		ImGui::TextUnformatted(e.url.c_str());
		ImGui::TableNextColumn();
		ImGui::TextUnformatted(e.enabled ? "yes" : "no");
		ImGui::TableNextColumn();
		ImGui::Text("%d", e.priority);
		ImGui::TableNextColumn();
		std::string tags;
		for (const auto & t : e.tags)
			tags += (tags.empty() ? "" : ", ") + t;
		ImGui::TextUnformatted(tags.c_str());
	}
	ImGui::EndTable();
}

} // namespace

void ConfigCheckPanel::draw(PanelContext & ctx)
{
	const ConfigResource & res = ctx.state.config();

	if (ImGui::Button("Reload"))
		ctx.state.reloadConfig();
	ctx.hook.recordItem("config_check.reload");
	ImGui::SameLine();
	ImGui::Checkbox("Show warnings", &_showWarnings);
	ctx.hook.recordItem("config_check.show_warnings");
	if (res.state == LoadState::Loading)
	{
		ImGui::SameLine();
		ImGui::TextDisabled("loading...");
		ctx.hook.recordItem("config_check.status");
	}
	else if (res.state == LoadState::Failed)
	{
		// Next to the action that failed, and kept until the next attempt succeeds.
		ImGui::SameLine();
		ImGui::TextColored(kErrorColour, "could not load the config: %s", res.error.c_str());
		ctx.hook.recordItem("config_check.status");
	}

	if (!res.check)
	{
		if (res.state != LoadState::Failed)
			ImGui::TextDisabled("waiting for the service...");
		return;
	}
	const ConfigCheck & check = *res.check;
	ImGui::TextDisabled("config file: %s", check.path.c_str());
	ImGui::Spacing();
	ImGui::TextColored(check.valid() ? (check.warnings ? kWarningColour : kOkColour) : kErrorColour, "%s",
		check.summary().c_str());
	ctx.hook.recordItem("config_check.summary");
	ImGui::TextDisabled("checked in the browser by the same shared/ validation the service runs");
	ImGui::Spacing();

	if (!check.findings.empty())
	{
		ImGui::Text("Findings (%zu)", check.findings.size());
		drawFindings(check, _showWarnings, ctx.hook);
		ImGui::Spacing();
	}
	ImGui::Text("Endpoints (%zu)", check.config.endpoints.size());
	drawEndpoints(check, ctx.hook);
}

} // namespace ccc::admin
