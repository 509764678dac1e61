#include <algorithm>
#include <string>

#include <imgui.h>

#include "model/app_state.h"
#include "panels/login_view.h"
#include "panels/panel.h"
#include "platform/test_hook.h"
#include "ui/theme.h"

namespace ccc::admin
{

namespace
{

constexpr float kSidebarWidth = 170.0f;

Panel * findPanel(PanelList & panels, const std::string & id)
{
	for (auto & p : panels)
		if (id == p->id())
			return p.get();
	return panels.empty() ? nullptr : panels.front().get();
}

void drawTopBar(PanelContext & ctx)
{
	AppState & state = ctx.state;
	ImGui::TextUnformatted(tr(Msg::AppTitle));
	ctx.hook.recordItem("top.title");

	// Right-aligned switches: language buttons then theme buttons. Language names are always
	// drawn in their own language (the embedded mini font covers "简体中文").
	const float spacing = ImGui::GetStyle().ItemSpacing.x;
	const float pad = ImGui::GetStyle().FramePadding.x * 2.0f;
	float width = 0;
	for (Language l : kLanguages)
		width += ImGui::CalcTextSize(languageName(l)).x + pad + spacing;
	width += ImGui::CalcTextSize(tr(Msg::ThemeDark)).x + ImGui::CalcTextSize(tr(Msg::ThemeLight)).x + 2 * (pad + spacing) + spacing * 2;
	const LoginState & login = state.api().loginState();
	if (login.mode == SessionMode::Password && login.authenticated)
		width += ImGui::CalcTextSize(tr(Msg::LoginLogout)).x + pad + spacing;
	ImGui::SameLine(std::max(ImGui::GetCursorPosX() + spacing * 4, ImGui::GetWindowContentRegionMax().x - width));
	drawLogoutButton(ctx);

	for (Language l : kLanguages)
	{
		const bool selected = state.language().requested() == l;
		if (selected)
			ImGui::PushStyleColor(ImGuiCol_Button, ImGui::GetStyleColorVec4(ImGuiCol_ButtonActive));
		if (ImGui::Button(languageName(l)))
			state.language().request(l);
		if (selected)
			ImGui::PopStyleColor();
		ctx.hook.recordItem(std::string("top.language.") + languageTag(l));
		ImGui::SameLine();
	}
	ImGui::Dummy(ImVec2(spacing, 0));
	ImGui::SameLine();
	const Theme themes[] = {Theme::Dark, Theme::Light};
	for (Theme t : themes)
	{
		const bool selected = state.ui().theme == t;
		if (selected)
			ImGui::PushStyleColor(ImGuiCol_Button, ImGui::GetStyleColorVec4(ImGuiCol_ButtonActive));
		if (ImGui::Button(tr(t == Theme::Dark ? Msg::ThemeDark : Msg::ThemeLight)))
			state.ui().theme = t;
		if (selected)
			ImGui::PopStyleColor();
		ctx.hook.recordItem(std::string("top.theme.") + themeName(t));
		if (t == Theme::Dark)
			ImGui::SameLine();
	}

	// The font download shows where the user asked for it: under the language switch.
	const auto & font = state.language().cjkFont();
	if (font.state == LoadState::Loading)
	{
		ImGui::TextDisabled("%s", tr(Msg::FontLoading));
		ctx.hook.recordItem("top.font_status");
	}
	else if (font.state == LoadState::Failed && state.language().requested() != state.language().active())
	{
		ImGui::TextColored(ui::statusColours().error, tr(Msg::FontFailed), font.error.c_str());
		ctx.hook.recordItem("top.font_status");
	}
}

void drawSidebar(PanelList & panels, PanelContext & ctx)
{
	for (auto & panel : panels)
	{
		const bool selected = ctx.state.ui().panel == panel->id();
		ImGui::PushID(panel->id());
		if (ImGui::Selectable(tr(panel->title()), selected, 0, ImVec2(0, ImGui::GetTextLineHeight() * 1.8f)) && !selected)
		{
			ctx.state.ui().panel = panel->id();
			panel->onShow(ctx);
		}
		ctx.hook.recordItem(std::string("nav.") + panel->id());
		ImGui::PopID();
	}
}

} // namespace

void drawMainWindow(PanelList & panels, PanelContext & ctx)
{
	const ImGuiViewport * vp = ImGui::GetMainViewport();
	ImGui::SetNextWindowPos(vp->WorkPos);
	ImGui::SetNextWindowSize(vp->WorkSize);
	const ImGuiWindowFlags flags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove
		| ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoBringToFrontOnFocus;
	if (ImGui::Begin("Claude Code Companion", nullptr, flags))
	{
		drawTopBar(ctx);
		ImGui::Separator();
		// The dashboard's live stream and refreshes run whichever panel is shown.
		ctx.state.dashboard().tick(ctx.state.ui().panel == "dashboard");
		if (ctx.state.api().loginState().loginRequired())
		{
			static LoginView login;
			login.draw(ctx);
			ImGui::End();
			return;
		}
		Panel * current = findPanel(panels, ctx.state.ui().panel);
		if (current && ctx.state.ui().panel != current->id())
			ctx.state.ui().panel = current->id();

		ImGui::BeginChild("sidebar", ImVec2(kSidebarWidth, 0), true);
		drawSidebar(panels, ctx);
		ImGui::EndChild();
		ImGui::SameLine();
		ImGui::BeginChild("panel", ImVec2(0, 0), false);
		if (current)
		{
			ImGui::PushID(current->id());
			current->draw(ctx);
			ImGui::PopID();
		}
		ImGui::EndChild();
	}
	ImGui::End();
}

} // namespace ccc::admin
