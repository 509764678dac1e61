#include "panels/taggers_panel.h"

#include <string>
#include <vector>

#include <imgui.h>

#include "ccc/config/validate.h"
#include "model/app_state.h"
#include "model/taggers_model.h"
#include "platform/test_hook.h"
#include "ui/code_editor.h"
#include "ui/theme.h"
#include "ui/widgets.h"

namespace ccc::admin
{

namespace
{

using ojson = nlohmann::ordered_json;

constexpr float kLabelWidth = 120.0f;

std::string joined(const std::vector<std::string> & items)
{
	std::string out;
	for (const auto & s : items)
		out += (out.empty() ? "" : ", ") + s;
	return out;
}

std::string str(const ojson & j, const char * key)
{
	auto it = j.find(key);
	return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

/// An action's progress or error on the current line (after SameLine).
void actionStatus(const ActionState & a, TestHook & hook, const std::string & hookName)
{
	if (a.state == LoadState::Loading)
	{
		ImGui::SameLine();
		ImGui::TextDisabled("%s", tr(Msg::TgWorking));
		hook.recordItem(hookName);
	}
	else if (a.state == LoadState::Failed)
	{
		ImGui::SameLine();
		ImGui::TextColored(ui::statusColours().error, tr(Msg::TgActionFailed), a.error.c_str());
		hook.recordItem(hookName);
	}
}

/// The label column of a form row; the input follows on the same line.
void rowLabel(const char * label, bool required)
{
	ImGui::AlignTextToFramePadding();
	if (required)
		ImGui::Text("%s *", label);
	else
		ImGui::TextUnformatted(label);
	ImGui::SameLine(kLabelWidth);
}

/// The finding about `path` under its field (the service's 400 for it, or the local validation).
void fieldFinding(TaggersModel & m, const std::string & path, TestHook & hook, const std::string & key)
{
	const std::string e = m.fieldError(path);
	if (e.empty())
		return;
	ImGui::SetCursorPosX(ImGui::GetCursorPosX() + kLabelWidth);
	ImGui::PushTextWrapPos(0.0f);
	ImGui::TextColored(ui::statusColours().error, "%s", e.c_str());
	ImGui::PopTextWrapPos();
	hook.recordItem("taggers.editor.error." + key);
}

void hintTooltip(Msg hint)
{
	if (ImGui::IsItemHovered())
		ImGui::SetTooltip("%s", tr(hint));
}

} // namespace

void TaggersPanel::onShow(PanelContext & ctx)
{
	TaggersModel & m = ctx.state.taggers();
	m.reload();
	if (m.sampleState() == LoadState::Idle)
		m.loadSample();
}

void TaggersPanel::draw(PanelContext & ctx)
{
	TaggersModel & m = ctx.state.taggers();
	if (ui::reloadButton(ctx.hook, "taggers.reload"))
		m.reload();
	ImGui::SameLine();
	if (ImGui::Button(tr(Msg::TgNewBuiltin)))
		m.startCreate("builtin");
	ctx.hook.recordItem("taggers.new_builtin");
	ImGui::SameLine();
	if (ImGui::Button(tr(Msg::TgNewLua)))
		m.startCreate("lua");
	ctx.hook.recordItem("taggers.new_lua");
	ui::requestStatus(m.list().state, m.list().error, Msg::LoadFailed, ctx.hook, "taggers.status");
	ImGui::TextWrapped("%s", tr(Msg::TgIntro));

	const float width = ImGui::GetContentRegionAvail().x;
	ImGui::BeginChild("##taggers_left", ImVec2(width * 0.42f, 0.0f), false);
	drawList(ctx, m);
	ImGui::Spacing();
	drawTags(ctx, m);
	ImGui::EndChild();
	ImGui::SameLine();
	ImGui::BeginChild("##taggers_right", ImVec2(0.0f, 0.0f), true);
	if (m.editing())
		drawEditor(ctx, m);
	else
		ImGui::TextDisabled("%s", tr(Msg::TgNothingSelected));
	ImGui::EndChild();
}

void TaggersPanel::drawList(PanelContext & ctx, TaggersModel & m)
{
	const auto & res = m.list();
	if (!res.data)
	{
		if (res.state != LoadState::Failed)
			ImGui::TextDisabled("%s", tr(Msg::WaitingForService));
		return;
	}
	const auto & taggers = res.data->taggers;
	if (taggers.empty())
	{
		ImGui::TextUnformatted(tr(Msg::NoTaggers));
		ctx.hook.recordItem("taggers.empty");
		return;
	}
	const ImGuiTableFlags flags = ImGuiTableFlags_Borders | ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingFixedFit;
	if (ImGui::BeginTable("taggers", 6, flags))
	{
		ImGui::TableSetupColumn(tr(Msg::ColPriority), ImGuiTableColumnFlags_WidthFixed);
		ImGui::TableSetupColumn(tr(Msg::ColName), ImGuiTableColumnFlags_WidthStretch, 1.0f);
		ImGui::TableSetupColumn(tr(Msg::ColType), ImGuiTableColumnFlags_WidthStretch, 0.8f);
		ImGui::TableSetupColumn(tr(Msg::ColTag), ImGuiTableColumnFlags_WidthStretch, 0.7f);
		ImGui::TableSetupColumn(tr(Msg::ColEnabled), ImGuiTableColumnFlags_WidthFixed);
		ImGui::TableSetupColumn(tr(Msg::ColActions), ImGuiTableColumnFlags_WidthFixed);
		ImGui::TableHeadersRow();
		const std::vector<size_t> order = pipelineOrder(taggers);
		for (size_t k = 0; k < order.size(); ++k)
		{
			const size_t i = order[k];
			const ojson & t = taggers[i];
			const std::string name = str(t, "name");
			const std::string type = str(t, "type");
			const std::string row = std::to_string(k);
			ImGui::PushID(static_cast<int>(i));
			ImGui::TableNextRow();
			ImGui::TableNextColumn();
			ImGui::Text("%d", taggerPriority(t));
			ImGui::TableNextColumn();
			ImGui::TextUnformatted(name.c_str());
			ctx.hook.recordItem("taggers.row." + row);
			ImGui::TableNextColumn();
			ImGui::TextUnformatted(type == "builtin" ? str(t, "builtin_type").c_str() : type.c_str());
			ImGui::TableNextColumn();
			ImGui::TextUnformatted(str(t, "tag").c_str());
			ImGui::TableNextColumn();
			bool enabled = taggerEnabled(t);
			if (ImGui::Checkbox("##enabled", &enabled))
				m.toggleEnabled(i);
			ctx.hook.recordItem("taggers.enabled." + row);
			ImGui::TableNextColumn();
			if (ImGui::SmallButton(tr(Msg::TgEdit)))
				m.startEdit(i);
			ctx.hook.recordItem("taggers.edit." + row);
			ImGui::SameLine();
			if (ImGui::SmallButton(tr(Msg::TgDelete)))
				m.requestDelete(name);
			ctx.hook.recordItem("taggers.delete." + row);
			actionStatus(m.rowAction(name), ctx.hook, "taggers.row_status." + row);
			ImGui::PopID();
		}
		ImGui::EndTable();
	}
	if (!m.pendingDelete().empty())
	{
		ImGui::TextColored(ui::statusColours().warning, tr(Msg::TgDeleteAsk), m.pendingDelete().c_str());
		ctx.hook.recordItem("taggers.delete_question");
		if (ImGui::Button(tr(Msg::TgDelete)))
			m.confirmDelete();
		ctx.hook.recordItem("taggers.delete_confirm");
		ImGui::SameLine();
		if (ImGui::Button(tr(Msg::TgCancel)))
			m.cancelDelete();
		ctx.hook.recordItem("taggers.delete_cancel");
	}
}

void TaggersPanel::drawTags(PanelContext & ctx, TaggersModel & m)
{
	ImGui::TextUnformatted(tr(Msg::TgTagsTitle));
	ImGui::Separator();
	ui::requestStatus(m.tags().state, m.tags().error, Msg::LoadFailed, ctx.hook, "taggers.tags_status");
	if (!m.tags().data)
		return;
	const auto & tags = *m.tags().data;
	if (tags.empty())
	{
		ImGui::TextDisabled("%s", tr(Msg::TgNoTags));
		return;
	}
	const ImGuiTableFlags flags = ImGuiTableFlags_Borders | ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingStretchProp;
	if (!ImGui::BeginTable("tags", 3, flags))
		return;
	ImGui::TableSetupColumn(tr(Msg::ColTag), ImGuiTableColumnFlags_WidthStretch, 0.7f);
	ImGui::TableSetupColumn(tr(Msg::TgColSetBy), ImGuiTableColumnFlags_WidthStretch, 1.0f);
	ImGui::TableSetupColumn(tr(Msg::TgColServedBy), ImGuiTableColumnFlags_WidthStretch, 1.0f);
	ImGui::TableHeadersRow();
	for (size_t i = 0; i < tags.size(); ++i)
	{
		const TagUse & t = tags[i];
		ImGui::TableNextRow();
		ImGui::TableNextColumn();
		ImGui::TextUnformatted(t.tag.c_str());
		ctx.hook.recordItem("taggers.tags." + std::to_string(i));
		ImGui::TableNextColumn();
		if (t.taggers.empty())
			ImGui::TextColored(ui::statusColours().warning, "%s", tr(Msg::TgNoTagger));
		else
			ImGui::TextWrapped("%s", joined(t.taggers).c_str());
		ImGui::TableNextColumn();
		if (t.endpoints.empty())
			ImGui::TextColored(ui::statusColours().warning, "%s", tr(Msg::TgNoEndpoint));
		else
			ImGui::TextWrapped("%s", joined(t.endpoints).c_str());
	}
	ImGui::EndTable();
}

void TaggersPanel::drawEditor(PanelContext & ctx, TaggersModel & m)
{
	TaggerForm & f = m.form();
	TestHook & hook = ctx.hook;
	if (f.isNew())
		ImGui::TextUnformatted(tr(Msg::TgEditorNew));
	else
		ImGui::Text(tr(Msg::TgEditorEdit), f.original_name.c_str());
	hook.recordItem("taggers.editor.title");
	ImGui::Separator();
	bool changed = false;
	const float inputWidth = -1.0f;

	rowLabel(tr(Msg::TgFieldName), true);
	ImGui::SetNextItemWidth(inputWidth);
	changed |= ui::editText("##name", f.name);
	hook.recordItem("taggers.editor.name");
	fieldFinding(m, "tagger.name", hook, "name");

	rowLabel(tr(Msg::TgFieldType), true);
	ImGui::SetNextItemWidth(120.0f);
	if (ImGui::BeginCombo("##type", f.type.c_str()))
	{
		for (const char * type : {"builtin", "lua"})
		{
			if (ImGui::Selectable(type, f.type == type))
			{
				f.setType(type, std::string(type) == "builtin" ? (f.builtin_type.empty() ? "path" : f.builtin_type) : "");
				changed = true;
			}
			hook.recordItem(std::string("taggers.editor.type.") + type);
		}
		ImGui::EndCombo();
	}
	hook.recordItem("taggers.editor.type");
	fieldFinding(m, "tagger.type", hook, "type");

	if (f.type == "builtin")
	{
		rowLabel(tr(Msg::TgFieldBuiltinType), true);
		ImGui::SetNextItemWidth(160.0f);
		if (ImGui::BeginCombo("##builtin_type", f.builtin_type.c_str()))
		{
			for (const auto & b : config::builtinTaggerTypes())
			{
				if (ImGui::Selectable(b.c_str(), f.builtin_type == b))
				{
					f.setType("builtin", b);
					changed = true;
				}
				hook.recordItem("taggers.editor.builtin_type." + b);
			}
			ImGui::EndCombo();
		}
		hook.recordItem("taggers.editor.builtin_type");
		fieldFinding(m, "tagger.builtin_type", hook, "builtin_type");
	}

	rowLabel(tr(Msg::TgFieldTag), true);
	ImGui::SetNextItemWidth(inputWidth);
	changed |= ui::editText("##tag", f.tag, tr(Msg::TgHintTag));
	hook.recordItem("taggers.editor.tag");
	fieldFinding(m, "tagger.tag", hook, "tag");

	rowLabel(tr(Msg::TgFieldPriority), false);
	ImGui::SetNextItemWidth(120.0f);
	changed |= ImGui::InputInt("##priority", &f.priority);
	hook.recordItem("taggers.editor.priority");
	hintTooltip(Msg::TgHintPriority);
	ImGui::SameLine();
	changed |= ImGui::Checkbox(tr(Msg::TgFieldEnabled), &f.enabled);
	hook.recordItem("taggers.editor.enabled");
	fieldFinding(m, "tagger.priority", hook, "priority");

	// The fields of this type, exactly: docs/TAGGING.md's keys.
	for (const auto & spec : taggerFields(f.type, f.builtin_type))
	{
		std::string & text = f.fields[spec.key];
		const std::string key = spec.key;
		ImGui::PushID(spec.key);
		switch (spec.kind)
		{
		case TaggerFieldKind::Bool:
		{
			ImGui::SetCursorPosX(ImGui::GetCursorPosX() + kLabelWidth);
			bool value = text == "true";
			if (ImGui::Checkbox(spec.key, &value))
			{
				text = value ? "true" : "false";
				changed = true;
			}
			hook.recordItem("taggers.editor.field." + key);
			ImGui::SameLine();
			ImGui::TextDisabled("%s", tr(spec.hint));
			break;
		}
		case TaggerFieldKind::Script:
			ImGui::TextUnformatted(tr(Msg::TgLuaScript));
			changed |= ui::codeEditor("##script", text, 12);
			hook.recordItem("taggers.editor.field." + key);
			break;
		default:
			rowLabel(spec.key, spec.required);
			ImGui::SetNextItemWidth(inputWidth);
			changed |= ui::editText("##value", text, tr(spec.hint));
			hook.recordItem("taggers.editor.field." + key);
			hintTooltip(spec.hint);
			break;
		}
		ImGui::PopID();
		fieldFinding(m, taggerFieldPath(key), hook, key);
		if (spec.kind == TaggerFieldKind::Script)
			fieldFinding(m, "tagger.config", hook, "config"); // "needs script or script_file"
	}
	if (changed)
		m.formChanged();

	ImGui::Spacing();
	const ActionState & save = m.saveAction();
	ImGui::BeginDisabled(save.state == LoadState::Loading);
	if (ImGui::Button(tr(Msg::TgSave)))
		m.save();
	ImGui::EndDisabled();
	hook.recordItem("taggers.editor.save");
	ImGui::SameLine();
	if (ImGui::Button(tr(Msg::TgCancel)))
		m.cancelEdit();
	hook.recordItem("taggers.editor.cancel");
	if (!m.editing())
		return;
	if (save.state == LoadState::Loading)
	{
		ImGui::SameLine();
		ImGui::TextDisabled("%s", tr(Msg::TgSaving));
		hook.recordItem("taggers.editor.save_status");
	}
	else if (save.state == LoadState::Loaded)
	{
		ImGui::SameLine();
		ImGui::TextColored(ui::statusColours().ok, tr(Msg::TgSaved), save.message.c_str());
		hook.recordItem("taggers.editor.save_status");
	}
	else if (save.state == LoadState::Failed)
	{
		ImGui::SameLine();
		ImGui::PushTextWrapPos(0.0f);
		ImGui::TextColored(ui::statusColours().error, tr(Msg::TgSaveFailed), save.error.c_str());
		ImGui::PopTextWrapPos();
		hook.recordItem("taggers.editor.save_status");
	}
	if (m.conflict())
	{
		ImGui::TextColored(ui::statusColours().warning, "%s", tr(Msg::TgConflict));
		if (ImGui::Button(tr(Msg::TgReloadList)))
			m.reload();
		hook.recordItem("taggers.editor.conflict_reload");
		ui::requestStatus(m.list().state, m.list().error, Msg::LoadFailed, hook, "taggers.editor.conflict_status");
	}
	drawTry(ctx, m);
}

void TaggersPanel::drawTry(PanelContext & ctx, TaggersModel & m)
{
	TestHook & hook = ctx.hook;
	ImGui::Spacing();
	ImGui::TextUnformatted(tr(Msg::TgSample));
	ImGui::Separator();
	SampleRequestForm & s = m.sample();
	ImGui::SetNextItemWidth(70.0f);
	ui::editText("##method", s.method);
	hook.recordItem("taggers.sample.method");
	ImGui::SameLine();
	ImGui::SetNextItemWidth(-1.0f);
	ui::editText("##path", s.path);
	hook.recordItem("taggers.sample.path");
	ImGui::TextDisabled("%s", tr(Msg::TgSampleHeaders));
	ui::editTextMultiline("##headers", s.headers, ImVec2(-1.0f, ImGui::GetTextLineHeight() * 4.0f + 8.0f));
	hook.recordItem("taggers.sample.headers");
	ImGui::TextDisabled("%s", tr(Msg::TgSampleBody));
	ui::editTextMultiline("##body", s.body, ImVec2(-1.0f, ImGui::GetTextLineHeight() * 6.0f + 8.0f), ImGuiInputTextFlags_AllowTabInput);
	hook.recordItem("taggers.sample.body");
	if (ImGui::SmallButton(tr(Msg::TgSampleLoad)))
		m.loadSample();
	hook.recordItem("taggers.sample.load");
	if (m.sampleState() == LoadState::Failed)
	{
		ImGui::SameLine();
		ImGui::TextColored(ui::statusColours().error, tr(Msg::TgSampleFailed), m.sampleError().c_str());
		hook.recordItem("taggers.sample.status");
	}

	const ActionState & a = m.tryAction();
	ImGui::BeginDisabled(a.state == LoadState::Loading);
	if (ImGui::Button(tr(Msg::TgTry)))
		m.tryForm();
	ImGui::EndDisabled();
	hook.recordItem("taggers.try.button");
	ImGui::SameLine();
	const TryResult & r = m.tryResult();
	const auto & colours = ui::statusColours();
	if (a.state == LoadState::Loading)
		ImGui::TextDisabled("%s", tr(Msg::TgTrying));
	else if (a.state == LoadState::Failed)
	{
		ImGui::PushTextWrapPos(0.0f);
		ImGui::TextColored(colours.error, tr(Msg::TgTryFailed), a.error.c_str());
		ImGui::PopTextWrapPos();
	}
	else if (a.state == LoadState::Loaded)
	{
		const double ms = static_cast<double>(r.duration_us) / 1000.0;
		if (r.matched)
			ImGui::TextColored(colours.ok, tr(Msg::TgTryMatched), joined(r.tags).c_str(), ms);
		else
			ImGui::Text(tr(Msg::TgTryNoMatch), ms);
	}
	else
		ImGui::TextUnformatted("");
	hook.recordItem("taggers.try.result");
	if (a.state == LoadState::Loaded)
	{
		if (!r.tagger_error.empty())
		{
			ImGui::PushTextWrapPos(0.0f);
			ImGui::TextColored(colours.error, tr(Msg::TgTryError), r.tagger_error.c_str());
			ImGui::PopTextWrapPos();
			hook.recordItem("taggers.try.error");
		}
		ImGui::Text(tr(Msg::TgTryPipeline), r.pipeline_tags.empty() ? tr(Msg::TgNone) : joined(r.pipeline_tags).c_str());
		hook.recordItem("taggers.try.pipeline");
	}
}

} // namespace ccc::admin
