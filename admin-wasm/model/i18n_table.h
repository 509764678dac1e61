// The admin's string table: CCC_I18N(Key, "English", "简体中文"), one line per visible string.
// Included (X-macro) by model/i18n.{h,cpp}; also read at build time by
// admin-wasm/fonts/cjk_charset.py, which puts every CJK character written here into the
// subset Chinese font. Rules: printf conversions must match between the two languages (a unit
// test checks), keys are PascalCase and grouped by panel.
// clang-format off

// The frame: title line, language and theme switches.
CCC_I18N(AppTitle, "Claude Code Companion - admin", "Claude Code Companion 管理")
CCC_I18N(Language, "Language", "语言")
CCC_I18N(Theme, "Theme", "主题")
CCC_I18N(ThemeDark, "Dark", "深色")
CCC_I18N(ThemeLight, "Light", "浅色")
CCC_I18N(FontLoading, "loading the Chinese font...", "正在加载中文字体...")
CCC_I18N(FontFailed, "could not load the Chinese font: %s", "无法加载中文字体：%s")

// Panel titles (sidebar).
CCC_I18N(PanelDashboard, "Dashboard", "仪表盘")
CCC_I18N(PanelEndpoints, "Endpoints", "端点")
CCC_I18N(PanelTaggers, "Taggers", "标签器")
CCC_I18N(PanelLogs, "Logs", "日志")
CCC_I18N(PanelSettings, "Settings", "设置")
CCC_I18N(PanelHelp, "Help", "帮助")

// Shared by several panels.
CCC_I18N(Reload, "Reload", "刷新")
CCC_I18N(Loading, "loading...", "加载中...")
CCC_I18N(WaitingForService, "waiting for the service...", "正在等待服务...")
CCC_I18N(LoadFailed, "could not load: %s", "加载失败：%s")
CCC_I18N(Yes, "yes", "是")
CCC_I18N(No, "no", "否")
CCC_I18N(ColName, "Name", "名称")
CCC_I18N(ColType, "Type", "类型")
CCC_I18N(ColUrl, "URL", "地址")
CCC_I18N(ColEnabled, "Enabled", "启用")
CCC_I18N(ColPriority, "Priority", "优先级")
CCC_I18N(ColTags, "Tags", "标签")
CCC_I18N(ColStatus, "Status", "状态")
CCC_I18N(ComingWithApi, "Editing arrives with the admin API that is being built (docs/ADMIN_API.md).", "编辑功能将随正在开发的管理接口一起提供（docs/ADMIN_API.md）。")

// Endpoints.
CCC_I18N(Filter, "Filter", "筛选")
CCC_I18N(FilterHint, "name, URL or tag", "名称、地址或标签")
CCC_I18N(EndpointsShown, "%d of %d endpoints", "显示 %d 个，共 %d 个端点")
CCC_I18N(NoEndpoints, "No endpoints are configured.", "尚未配置任何端点。")
CCC_I18N(ColBreaker, "Breaker", "熔断器")
CCC_I18N(ColRequests, "Requests", "请求")
CCC_I18N(ColSuccesses, "OK", "成功")
CCC_I18N(ColFailures, "Failed", "失败")
CCC_I18N(ColActive, "Active", "活动")
CCC_I18N(ColActions, "Actions", "操作")
CCC_I18N(StatusActive, "active", "正常")
CCC_I18N(StatusOpen, "open", "已熔断")
CCC_I18N(StatusDisabled, "disabled", "已禁用")
CCC_I18N(StatusUnknown, "unknown", "未知")
CCC_I18N(ResetStatus, "Reset status", "重置状态")
CCC_I18N(ResetRunning, "resetting...", "正在重置...")
CCC_I18N(ResetDone, "reset", "已重置")
CCC_I18N(ResetFailed, "reset failed: %s", "重置失败：%s")
CCC_I18N(LastFailure, "last failure: %s", "最近失败：%s")

// Taggers.
CCC_I18N(TaggersIntro, "Taggers in the loaded configuration, in pipeline order.", "当前配置中的标签器（按处理顺序）。")
CCC_I18N(NoTaggers, "No taggers are configured.", "尚未配置任何标签器。")
CCC_I18N(ColTag, "Tag", "标签")
CCC_I18N(ColBuiltin, "Built-in type", "内置类型")

// Logs.
CCC_I18N(ColTime, "Time", "时间")
CCC_I18N(ColEndpoint, "Endpoint", "端点")
CCC_I18N(ColModel, "Model", "模型")
CCC_I18N(ColDuration, "Duration", "耗时")

// Settings (the loaded config, checked in the browser by shared/ validation).
CCC_I18N(ConfigFile, "config file: %s", "配置文件：%s")
CCC_I18N(ConfigValid, "configuration valid: %d endpoints", "配置有效：%d 个端点")
CCC_I18N(ConfigErrors, "%d errors", "%d 个错误")
CCC_I18N(ConfigWarnings, ", %d warnings", "，%d 个警告")
CCC_I18N(CheckedInBrowser, "checked in the browser by the same shared/ validation the service runs", "由与服务相同的 shared/ 校验代码在浏览器中检查")
CCC_I18N(ShowWarnings, "Show warnings", "显示警告")
CCC_I18N(Findings, "Findings (%d)", "检查结果（%d）")
CCC_I18N(ColSeverity, "Severity", "级别")
CCC_I18N(ColKeyPath, "Key path", "键路径")
CCC_I18N(ColMessage, "Message", "信息")
CCC_I18N(SeverityError, "error", "错误")
CCC_I18N(SeverityWarning, "warning", "警告")
CCC_I18N(SettingsValues, "Settings (read-only; secrets masked)", "设置（只读；密钥已隐藏）")

// Help.
CCC_I18N(HelpIntro, "Point Claude Code at this proxy: run these lines in the shell that starts claude.", "让 Claude Code 使用本代理：在启动 claude 的终端中执行以下命令。")
CCC_I18N(Copy, "Copy", "复制")
CCC_I18N(Copied, "copied to the clipboard", "已复制到剪贴板")
CCC_I18N(HelpBaseUrl, "ANTHROPIC_BASE_URL sends Claude Code's API traffic to the proxy.", "ANTHROPIC_BASE_URL 让 Claude Code 的接口请求经过代理。")
CCC_I18N(HelpToken, "ANTHROPIC_AUTH_TOKEN must be set; any value works unless server.client_tokens lists tokens.", "必须设置 ANTHROPIC_AUTH_TOKEN；除非 server.client_tokens 列出了令牌，否则任意值均可。")
CCC_I18N(HelpTimeout, "API_TIMEOUT_MS=600000 gives a request time to fail over through several endpoints.", "API_TIMEOUT_MS=600000 让请求有时间在多个端点之间故障转移。")
CCC_I18N(HelpTraffic, "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1 keeps side traffic from going around the proxy.", "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1 防止附带流量绕过代理。")
CCC_I18N(HelpEndpoints, "Then add endpoints (Endpoints panel or config.yaml). Keyboard: Tab and arrow keys move, Space activates.", "然后添加端点（端点面板或 config.yaml）。键盘：Tab 和方向键移动，空格键确认。")

// Each panel's own strings (one file per panel, so panels are worked on independently).
#include "model/i18n_table_dashboard.h"
#include "model/i18n_table_endpoints.h"
#include "model/i18n_table_taggers.h"
#include "model/i18n_table_logs.h"
#include "model/i18n_table_settings.h"
