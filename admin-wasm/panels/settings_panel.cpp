#include "panels/settings_panel.h"

#include <algorithm>
#include <cstdio>
#include <cstring>
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

/// The list as edited: one entry per line (empty lines dropped).
std::string listText(const Json & v)
{
	std::string out;
	if (v.is_array())
		for (const auto & item : v)
			out += (out.empty() ? "" : "\n") + (item.is_string() ? item.get<std::string>() : item.dump());
	return out;
}

Json listFromText(const char * text)
{
	Json out = Json::array();
	std::string line;
	for (const char * p = text;; ++p)
	{
		if (*p == '\n' || *p == '\0')
		{
			while (!line.empty() && (line.back() == ' ' || line.back() == '\r'))
				line.pop_back();
			if (!line.empty())
				out.push_back(line);
			line.clear();
			if (*p == '\0')
				break;
		}
		else
			line += *p;
	}
	return out;
}

} // namespace

void SettingsPanel::onShow(PanelContext & ctx)
{
	ctx.state.reloadConfig();
	ctx.state.settings().reload();
}

std::vector<char> & SettingsPanel::buffer(const std::string & path, const std::string & text, size_t size)
{
	auto it = _buffers.find(path);
	if (it == _buffers.end())
	{
		std::vector<char> b(std::max(size, text.size() + 256), '\0');
		std::memcpy(b.data(), text.data(), text.size());
		it = _buffers.emplace(path, std::move(b)).first;
	}
	return it->second;
}

void SettingsPanel::drawField(PanelContext & ctx, SettingsModel & m, const SettingField & f)
{
	const Json * v = m.value(f.path);
	if (!v)
		return;
	const ui::StatusColours & colours = ui::statusColours();
	const std::string hookName = "settings.field." + f.path;
	ImGui::PushID(f.path.c_str());
	ImGui::TableNextRow();
	ImGui::TableNextColumn();
	ImGui::AlignTextToFramePadding();
	if (m.changed(f.path))
		ImGui::TextColored(colours.warning, "%s *", f.label.c_str());
	else
		ImGui::TextUnformatted(f.label.c_str());
	if (ImGui::IsItemHovered())
		ImGui::SetTooltip("%s", f.path.c_str());
	ImGui::TableNextColumn();
	ImGui::SetNextItemWidth(std::min(360.0f, ImGui::GetContentRegionAvail().x));
	switch (f.kind)
	{
		case SettingKind::Bool:
		{
			bool b = v->is_boolean() && v->get<bool>();
			if (ImGui::Checkbox("##v", &b))
				m.setValue(f.path, b);
			break;
		}
		case SettingKind::Integer:
		{
			int64_t n = v->is_number() ? v->get<int64_t>() : 0;
			const int64_t step = 1;
			if (ImGui::InputScalar("##v", ImGuiDataType_S64, &n, &step, nullptr, "%lld"))
				m.setValue(f.path, n);
			break;
		}
		case SettingKind::Number:
		{
			double d = v->is_number() ? v->get<double>() : 0.0;
			if (ImGui::InputDouble("##v", &d, 0.05, 0.1, "%.3f"))
				m.setValue(f.path, d);
			break;
		}
		case SettingKind::Enum:
		{
			const std::string current = v->is_string() ? v->get<std::string>() : v->dump();
			if (ImGui::BeginCombo("##v", current.c_str()))
			{
				for (size_t o = 0; o < f.options.size(); ++o)
				{
					const bool selected = f.options[o] == current;
					if (ImGui::Selectable(f.options[o].c_str(), selected))
						m.setValue(f.path, f.options[o]);
					ctx.hook.recordItem(hookName + ".option." + f.options[o]);
					if (selected)
						ImGui::SetItemDefaultFocus();
				}
				ImGui::EndCombo();
			}
			break;
		}
		case SettingKind::Duration:
		case SettingKind::Text:
		{
			std::vector<char> & b = buffer(f.path, v->is_string() ? v->get<std::string>() : v->dump(), 512);
			const char * hint = f.kind == SettingKind::Duration ? tr(Msg::SetDurationHint) : "";
			if (ImGui::InputTextWithHint("##v", hint, b.data(), b.size()))
				m.setValue(f.path, std::string(b.data()));
			break;
		}
		case SettingKind::TextList:
		{
			std::vector<char> & b = buffer(f.path, listText(*v), 4096);
			const float lines = static_cast<float>(std::max<size_t>(2, v->is_array() ? v->size() + 1 : 2));
			if (ImGui::InputTextMultiline("##v", b.data(), b.size(),
					ImVec2(std::min(360.0f, ImGui::GetContentRegionAvail().x), ImGui::GetTextLineHeight() * std::min(lines, 6.0f) + 8.0f)))
				m.setValue(f.path, listFromText(b.data()));
			break;
		}
		case SettingKind::ReadOnly:
			ImGui::TextDisabled("%s", v->is_string() && !v->get<std::string>().empty() ? v->get<std::string>().c_str() : "-");
			break;
	}
	ctx.hook.recordItem(hookName);
	// Hints on the same line, the problem under the widget.
	if (f.restart)
	{
		ImGui::SameLine();
		ImGui::TextColored(colours.warning, "%s", tr(Msg::SetRestartField));
	}
	else if (f.kind == SettingKind::ReadOnly)
	{
		ImGui::SameLine();
		ImGui::TextDisabled("%s", tr(Msg::SetPasswordHint));
	}
	else if (f.secret)
	{
		ImGui::SameLine();
		ImGui::TextDisabled("%s", tr(Msg::SetSecretHint));
	}
	else if (f.has_range)
	{
		ImGui::SameLine();
		// A bound like 1 TiB only says "at least".
		if (f.max >= 1e9)
			ImGui::TextDisabled(tr(Msg::SetMin), f.min);
		else
			ImGui::TextDisabled(tr(Msg::SetRange), f.min, f.max);
	}
	else if (f.kind == SettingKind::TextList)
	{
		ImGui::SameLine();
		ImGui::TextDisabled("%s", tr(Msg::SetListHint));
	}
	if (const SettingsModel::Problem * p = m.problem(f.path))
	{
		ImGui::PushStyleColor(ImGuiCol_Text, p->error ? colours.error : colours.warning);
		ImGui::TextWrapped("%s", p->message.c_str());
		ImGui::PopStyleColor();
		ctx.hook.recordItem("settings.problem." + f.path);
	}
	ImGui::PopID();
}

void SettingsPanel::drawEditor(PanelContext & ctx)
{
	SettingsModel & m = ctx.state.settings();
	const auto & res = m.loaded();
	const ui::StatusColours & colours = ui::statusColours();
	ImGui::TextUnformatted(tr(Msg::SetEditTitle));
	ctx.hook.recordItem("settings.editor");
	ui::requestStatus(res.state, res.error, Msg::LoadFailed, ctx.hook, "settings.editor_status");
	ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
	ImGui::TextWrapped("%s", tr(Msg::SetEditIntro));
	ImGui::PopStyleColor();
	if (!res.data)
	{
		if (res.state != LoadState::Failed)
			ImGui::TextDisabled("%s", tr(Msg::WaitingForService));
		return;
	}
	if (m.generation() != _generation)
	{
		_generation = m.generation();
		_buffers.clear();
	}

	// Save / discard with their outcome next to them.
	const ActionState & save = m.saveAction();
	if (save.completed != _savesSeen)
	{
		// A save changed config.yaml: the check above and the tree below show it again.
		_savesSeen = save.completed;
		if (save.state == LoadState::Loaded)
			ctx.state.reloadConfig();
	}
	const bool saving = save.state == LoadState::Loading;
	ImGui::BeginDisabled(saving || !m.dirty() || m.errorCount() > 0);
	if (ImGui::Button(tr(Msg::SetSave)))
		m.save();
	ImGui::EndDisabled();
	ctx.hook.recordItem("settings.save");
	ImGui::SameLine();
	ImGui::BeginDisabled(saving || !m.dirty());
	if (ImGui::Button(tr(Msg::SetDiscard)))
		m.discardEdits();
	ImGui::EndDisabled();
	ctx.hook.recordItem("settings.discard");
	ImGui::SameLine();
	if (m.dirty())
		ImGui::Text(tr(Msg::SetChanges), static_cast<int>(m.changeCount()));
	else
		ImGui::TextDisabled("%s", tr(Msg::SetNoChanges));
	if (m.errorCount() > 0)
	{
		ImGui::SameLine();
		ImGui::TextColored(colours.error, tr(Msg::SetHasErrors), static_cast<int>(m.errorCount()));
		ctx.hook.recordItem("settings.errors");
	}
	if (saving)
	{
		ImGui::SameLine();
		ImGui::TextDisabled("%s", tr(Msg::SetSaving));
		ctx.hook.recordItem("settings.save_status");
	}
	else if (save.state == LoadState::Loaded)
	{
		ImGui::SameLine();
		ImGui::TextColored(colours.ok, tr(Msg::SetSaved), save.message.c_str());
		ctx.hook.recordItem("settings.save_status");
	}
	else if (save.state == LoadState::Failed)
	{
		ImGui::PushStyleColor(ImGuiCol_Text, colours.error);
		ImGui::TextWrapped(tr(Msg::SetSaveFailed), save.error.c_str());
		ImGui::PopStyleColor();
		ctx.hook.recordItem("settings.save_status");
	}
	if (m.conflict())
	{
		ImGui::PushStyleColor(ImGuiCol_Text, colours.warning);
		ImGui::TextWrapped("%s", tr(Msg::SetConflict));
		ImGui::PopStyleColor();
		if (ImGui::Button(tr(Msg::SetReloadKeep)))
			m.reload();
		ctx.hook.recordItem("settings.conflict_reload");
	}
	const SettingsSnapshot & snap = *res.data;
	if (m.restartRequiredBySave() || snap.restart_required)
	{
		ImGui::TextColored(colours.warning, "%s", tr(Msg::SetRestartRequired));
		ImGui::SameLine();
		ImGui::TextDisabled(tr(Msg::SetRunningAt), snap.running_host.c_str(), snap.running_port);
		ctx.hook.recordItem("settings.restart_required");
	}
	if (!m.otherProblems().empty())
		ImGui::TextUnformatted(tr(Msg::SetOtherProblems));
	for (const auto & [path, p] : m.otherProblems())
	{
		ImGui::TextColored(p.error ? colours.error : colours.warning, "%s: %s", path.c_str(), p.message.c_str());
		ctx.hook.recordItem("settings.problem." + path);
	}

	// One collapsing section per top-level key; a section with a problem opens by itself.
	const auto & fields = m.fields();
	size_t i = 0;
	while (i < fields.size())
	{
		const std::string section = fields[i].section;
		size_t end = i;
		bool hasProblem = false, hasChange = false;
		while (end < fields.size() && fields[end].section == section)
		{
			if (const auto * p = m.problem(fields[end].path); p && p->error)
				hasProblem = true;
			hasChange = hasChange || m.changed(fields[end].path);
			++end;
		}
		if (hasProblem)
			ImGui::SetNextItemOpen(true, ImGuiCond_Always);
		const std::string header = section + (hasChange ? " *" : "") + "###" + section;
		const bool open = ImGui::CollapsingHeader(header.c_str());
		ctx.hook.recordItem("settings.section." + section);
		if (open && ImGui::BeginTable(("form_" + section).c_str(), 2, ImGuiTableFlags_SizingStretchProp))
		{
			ImGui::TableSetupColumn("key", ImGuiTableColumnFlags_WidthFixed, 240.0f);
			ImGui::TableSetupColumn("value", ImGuiTableColumnFlags_WidthStretch);
			for (size_t k = i; k < end; ++k)
				drawField(ctx, m, fields[k]);
			ImGui::EndTable();
		}
		i = end;
	}
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
	drawEditor(ctx);
	ImGui::Spacing();
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
