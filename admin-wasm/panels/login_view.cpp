#include "panels/login_view.h"

#include <algorithm>
#include <cstring>

#include <imgui.h>

#include "model/app_state.h"
#include "platform/test_hook.h"
#include "ui/theme.h"

namespace ccc::admin
{

void LoginView::draw(PanelContext & ctx)
{
	ApiClient & api = ctx.state.api();
	const LoginState & s = api.loginState();
	const float width = std::min(420.0f, ImGui::GetContentRegionAvail().x);
	ImGui::SetCursorPosX(std::max(ImGui::GetCursorPosX(), (ImGui::GetWindowContentRegionMax().x - width) * 0.5f));
	ImGui::SetCursorPosY(ImGui::GetCursorPosY() + ImGui::GetTextLineHeight() * 4.0f);
	ImGui::BeginChild("login", ImVec2(width, ImGui::GetTextLineHeightWithSpacing() * 11.0f), true);
	ImGui::TextUnformatted(tr(Msg::LoginTitle));
	ctx.hook.recordItem("login.title");
	ImGui::Separator();
	ImGui::TextWrapped("%s", tr(Msg::LoginIntro));
	ImGui::Spacing();

	// The field takes the keyboard whenever the screen (re)appears.
	if (ImGui::GetFrameCount() != _lastFrame + 1)
		_focusPassword = true;
	_lastFrame = ImGui::GetFrameCount();
	const int64_t lockout = s.lockoutSecondsLeft(api.nowMs());
	const bool busy = s.login.state == LoadState::Loading;
	ImGui::TextUnformatted(tr(Msg::LoginPassword));
	if (_focusPassword)
	{
		ImGui::SetKeyboardFocusHere();
		_focusPassword = false;
	}
	ImGui::SetNextItemWidth(-1);
	const bool enter = ImGui::InputText("##password", _password, sizeof _password,
		ImGuiInputTextFlags_Password | ImGuiInputTextFlags_EnterReturnsTrue);
	ctx.hook.recordItem("login.password");
	// The outcome sits right under the field it is about.
	const ui::StatusColours & colours = ui::statusColours();
	if (lockout > 0)
	{
		ImGui::PushStyleColor(ImGuiCol_Text, colours.error);
		ImGui::TextWrapped(tr(Msg::LoginLocked), static_cast<int>(lockout));
		ImGui::PopStyleColor();
		ctx.hook.recordItem("login.error");
	}
	else if (s.login.state == LoadState::Failed && s.locked_until_ms == 0) // an expired lockout says nothing more
	{
		ImGui::PushStyleColor(ImGuiCol_Text, colours.error);
		ImGui::TextWrapped(tr(Msg::LoginFailed), s.login.error.c_str());
		ImGui::PopStyleColor();
		ctx.hook.recordItem("login.error");
	}
	else if (busy)
	{
		ImGui::TextDisabled("%s", tr(Msg::LoginRunning));
		ctx.hook.recordItem("login.status");
	}
	else
		ImGui::NewLine();
	ImGui::Spacing();
	ImGui::BeginDisabled(busy || lockout > 0 || _password[0] == '\0');
	const bool clicked = ImGui::Button(tr(Msg::LoginButton));
	ImGui::EndDisabled();
	ctx.hook.recordItem("login.submit");
	if ((clicked || enter) && !busy && lockout == 0 && _password[0] != '\0')
	{
		const int before = s.logins;
		api.login(_password);
		// The password is not kept once sent (a failure asks for it again).
		std::memset(_password, 0, sizeof _password);
		_focusPassword = s.logins == before;
	}
	if (s.held_requests > 0)
	{
		ImGui::SameLine();
		ImGui::TextDisabled(tr(Msg::LoginHeld), static_cast<int>(s.held_requests));
	}
	ImGui::EndChild();
}

void drawLogoutButton(PanelContext & ctx)
{
	ApiClient & api = ctx.state.api();
	const LoginState & s = api.loginState();
	if (s.mode != SessionMode::Password || !s.authenticated)
		return;
	ImGui::BeginDisabled(s.logout.state == LoadState::Loading);
	if (ImGui::Button(tr(Msg::LoginLogout)))
		api.logout();
	ImGui::EndDisabled();
	ctx.hook.recordItem("top.logout");
	if (s.logout.state == LoadState::Failed)
	{
		ImGui::SameLine();
		ImGui::TextColored(ui::statusColours().error, tr(Msg::LoginLogoutFailed), s.logout.error.c_str());
		ctx.hook.recordItem("top.logout_status");
	}
	ImGui::SameLine();
}

} // namespace ccc::admin
