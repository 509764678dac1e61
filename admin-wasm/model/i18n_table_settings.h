// The settings panel's strings: CCC_I18N(Key, "English", "简体中文"). Included by model/i18n_table.h
// (X-macro, so no include guard) and read by fonts/make_fonts.py like every model/i18n_table*.h.
// clang-format off


// Login screen and logout button (admin-wide; the settings helper owns them).
CCC_I18N(LoginTitle, "Log in to the admin", "登录管理页面")
CCC_I18N(LoginIntro, "This service asks for the admin password (server.require_admin_password or a bind beyond loopback). What you were doing continues after the login.", "此服务需要管理密码（server.require_admin_password 或监听在本机以外的地址）。登录后会继续之前的操作。")
CCC_I18N(LoginPassword, "Admin password", "管理密码")
CCC_I18N(LoginButton, "Log in", "登录")
CCC_I18N(LoginRunning, "checking...", "正在验证...")
CCC_I18N(LoginFailed, "login failed: %s", "登录失败：%s")
CCC_I18N(LoginLocked, "too many failed attempts: try again in %d s", "失败次数过多：请在 %d 秒后重试")
CCC_I18N(LoginHeld, "%d requests wait for the login", "%d 个请求正在等待登录")
CCC_I18N(LoginLogout, "Log out", "退出登录")
CCC_I18N(LoginLogoutFailed, "logout failed: %s", "退出失败：%s")
