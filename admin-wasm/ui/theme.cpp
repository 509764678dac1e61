#include "ui/theme.h"

namespace ccc::admin::ui
{

namespace
{

// Dark: warm and bright on near-black. Light: darker, saturated tones on white (yellow text on
// white is unreadable, so the warning colour turns to a deep amber).
const StatusColours kDark{ImVec4(0.95f, 0.35f, 0.35f, 1.0f), ImVec4(0.95f, 0.75f, 0.30f, 1.0f), ImVec4(0.40f, 0.85f, 0.45f, 1.0f)};
const StatusColours kLight{ImVec4(0.75f, 0.10f, 0.10f, 1.0f), ImVec4(0.60f, 0.38f, 0.00f, 1.0f), ImVec4(0.10f, 0.50f, 0.15f, 1.0f)};

Theme g_theme = Theme::Dark;

} // namespace

void applyTheme(Theme theme)
{
	g_theme = theme;
	ImGuiStyle & style = ImGui::GetStyle();
	if (theme == Theme::Light)
		ImGui::StyleColorsLight(&style);
	else
		ImGui::StyleColorsDark(&style);
	style.WindowRounding = 0.0f;
	style.FrameRounding = 3.0f;
	style.GrabRounding = 3.0f;
	style.ItemSpacing = ImVec2(8.0f, 5.0f);
	style.FramePadding = ImVec2(6.0f, 4.0f);
	// Light frames are white on a near-white page: a border shows where text fields are.
	style.FrameBorderSize = theme == Theme::Light ? 1.0f : 0.0f;
	if (theme == Theme::Light)
	{
		// ImGui's light window background is a grey; a white page reads better.
		style.Colors[ImGuiCol_WindowBg] = ImVec4(0.98f, 0.98f, 0.98f, 1.0f);
		style.Colors[ImGuiCol_ChildBg] = ImVec4(0.0f, 0.0f, 0.0f, 0.0f);
	}
}

const StatusColours & statusColours()
{
	return g_theme == Theme::Light ? kLight : kDark;
}

ImVec4 backgroundColour()
{
	return g_theme == Theme::Light ? ImVec4(0.98f, 0.98f, 0.98f, 1.0f) : ImVec4(0.10f, 0.10f, 0.12f, 1.0f);
}

} // namespace ccc::admin::ui
