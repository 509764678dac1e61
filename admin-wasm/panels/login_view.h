#pragma once
#include "panels/panel.h"

namespace ccc::admin
{

/// The login screen, drawn by the frame instead of the sidebar and panels while the service wants
/// a login (ApiClient::loginState().loginRequired()): a password field with the login's error or
/// lockout countdown next to it. Requests that met the 401 resume once the login succeeds.
class LoginView
{
public:
	void draw(PanelContext & ctx);

private:
	char _password[256] = {};
	bool _focusPassword = true;
	int _lastFrame = -10; ///< ImGui frame this screen was last drawn in
};

/// The top bar's "Log out" button, drawn only in password mode while logged in (with the
/// logout's error next to it, if any).
void drawLogoutButton(PanelContext & ctx);

} // namespace ccc::admin
