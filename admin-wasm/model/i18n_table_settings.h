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

// The settings editor (GET/PUT /admin/api/settings).
CCC_I18N(SetEditTitle, "Edit settings", "编辑设置")
CCC_I18N(SetEditIntro, "Changes are checked as you type by the same shared/ validation the service runs, and apply to the next request once saved (server.host and server.port after a restart).", "输入时即由与服务相同的 shared/ 校验代码检查；保存后对下一个请求生效（server.host 和 server.port 需重启后生效）。")
CCC_I18N(SetSave, "Save", "保存")
CCC_I18N(SetDiscard, "Discard changes", "放弃修改")
CCC_I18N(SetChanges, "%d changed", "已修改 %d 项")
CCC_I18N(SetNoChanges, "no changes", "无修改")
CCC_I18N(SetSaving, "saving...", "正在保存...")
CCC_I18N(SetSaved, "saved: %s", "已保存：%s")
CCC_I18N(SetSaveFailed, "save failed: %s", "保存失败：%s")
CCC_I18N(SetHasErrors, "%d errors: fix them to save", "%d 个错误：修正后才能保存")
CCC_I18N(SetConflict, "The configuration was changed elsewhere. Reload to get the new version; your edits are kept and re-applied.", "配置已在别处被修改。请重新加载以获取新版本；您的修改会保留并重新应用。")
CCC_I18N(SetReloadKeep, "Reload, keep my edits", "重新加载并保留修改")
CCC_I18N(SetRestartRequired, "server.host / server.port changed: restart the service to apply them", "server.host / server.port 已修改：重启服务后生效")
CCC_I18N(SetRunningAt, "running at %s:%d", "当前运行于 %s:%d")
CCC_I18N(SetRestartField, "applies after a restart", "重启后生效")
CCC_I18N(SetRange, "range %g - %g", "范围 %g - %g")
CCC_I18N(SetMin, "at least %g", "至少 %g")
CCC_I18N(SetDurationHint, "e.g. 30s, 1m30s, 500ms", "例如 30s、1m30s、500ms")
CCC_I18N(SetListHint, "one entry per line", "每行一项")
CCC_I18N(SetSecretHint, "masked: leave it to keep the stored value", "已隐藏：保持不变即保留原值")
CCC_I18N(SetPasswordHint, "set with claude-code-companion --set-admin-password", "使用 claude-code-companion --set-admin-password 设置")
CCC_I18N(SetOtherProblems, "Other findings in the edited settings:", "编辑中的设置的其他问题：")
