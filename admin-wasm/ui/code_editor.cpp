#include "ui/code_editor.h"

#include <algorithm>
#include <cstdio>

#include <imgui_internal.h>

namespace ccc::admin::ui
{

namespace
{

int resize(ImGuiInputTextCallbackData * data)
{
	if (data->EventFlag == ImGuiInputTextFlags_CallbackResize)
	{
		auto * text = static_cast<std::string *>(data->UserData);
		text->resize(static_cast<size_t>(data->BufTextLen));
		data->Buf = text->data();
	}
	return 0;
}

} // namespace

bool editText(const char * label, std::string & text, const char * hint, ImGuiInputTextFlags flags)
{
	return ImGui::InputTextWithHint(label, hint ? hint : "", text.data(), text.capacity() + 1, flags | ImGuiInputTextFlags_CallbackResize, resize,
		&text);
}

bool editTextMultiline(const char * label, std::string & text, const ImVec2 & size, ImGuiInputTextFlags flags)
{
	return ImGui::InputTextMultiline(label, text.data(), text.capacity() + 1, size, flags | ImGuiInputTextFlags_CallbackResize, resize, &text);
}

bool codeEditor(const char * id, std::string & text, int lines)
{
	// ImGui's default font (ProggyClean) is monospace, so the editor needs no font of its own.
	const ImGuiStyle & style = ImGui::GetStyle();
	const float lineHeight = ImGui::GetTextLineHeight();
	const float height = lineHeight * static_cast<float>(lines) + style.FramePadding.y * 2.0f;
	const int total = static_cast<int>(std::count(text.begin(), text.end(), '\n')) + 1;
	char widest[16];
	std::snprintf(widest, sizeof widest, "%d", std::max(total, 10));
	const float gutter = ImGui::CalcTextSize(widest).x + style.FramePadding.x * 2.0f;

	ImGui::PushID(id);
	const ImVec2 origin = ImGui::GetCursorScreenPos();
	ImGui::Dummy(ImVec2(gutter, height));
	ImGui::SameLine(0.0f, 0.0f);
	const bool changed = editTextMultiline("##code", text, ImVec2(-1.0f, height), ImGuiInputTextFlags_AllowTabInput);
	// ImGui 1.86 draws a multi-line input as a child window named "<parent>/<label>_<id>"
	// (BeginChildEx); its scroll decides which line numbers are visible.
	float scroll = 0.0f;
	char childName[256];
	std::snprintf(childName, sizeof childName, "%s/%s_%08X", ImGui::GetCurrentWindowRead()->Name, "##code", ImGui::GetID("##code"));
	if (ImGuiWindow * child = ImGui::FindWindowByName(childName))
		scroll = child->Scroll.y;
	ImDrawList * draw = ImGui::GetWindowDrawList();
	const ImU32 colour = ImGui::GetColorU32(ImGuiCol_TextDisabled);
	const float top = origin.y + style.FramePadding.y - scroll;
	draw->PushClipRect(origin, ImVec2(origin.x + gutter, origin.y + height), true);
	for (int i = 0; i < total; ++i)
	{
		const float y = top + lineHeight * static_cast<float>(i);
		if (y + lineHeight < origin.y)
			continue;
		if (y > origin.y + height)
			break;
		char num[16];
		std::snprintf(num, sizeof num, "%d", i + 1);
		draw->AddText(ImVec2(origin.x + gutter - style.FramePadding.x - ImGui::CalcTextSize(num).x, y), colour, num);
	}
	draw->PopClipRect();
	ImGui::PopID();
	return changed;
}

} // namespace ccc::admin::ui
