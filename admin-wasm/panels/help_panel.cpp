#include "panels/help_panel.h"

#include <imgui.h>

#include "model/app_state.h"
#include "platform/test_hook.h"
#include "ui/theme.h"

namespace ccc::admin
{

std::string HelpPanel::setupCommands(const std::string & origin)
{
	return "export ANTHROPIC_BASE_URL=" + origin + "\n"
		"export ANTHROPIC_AUTH_TOKEN=any-value\n"
		"export API_TIMEOUT_MS=600000\n"
		"export CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1\n"
		"claude\n";
}

void HelpPanel::draw(PanelContext & ctx)
{
	ImGui::TextWrapped("%s", tr(Msg::HelpIntro));
	ctx.hook.recordItem("help.intro");
	ImGui::Spacing();
	const std::string commands = setupCommands(ctx.origin);
	// Read-only but selectable: the user may also copy part of it by hand.
	ImGui::InputTextMultiline("##commands", const_cast<char *>(commands.c_str()), commands.size() + 1,
		ImVec2(-1.0f, ImGui::GetTextLineHeight() * 7.0f + ImGui::GetStyle().FramePadding.y * 2.0f), ImGuiInputTextFlags_ReadOnly);
	ctx.hook.recordItem("help.commands");
	if (ImGui::Button(tr(Msg::Copy)))
	{
		ImGui::SetClipboardText(commands.c_str());
		_copied = true;
	}
	ctx.hook.recordItem("help.copy");
	if (_copied)
	{
		ImGui::SameLine();
		ImGui::TextColored(ui::statusColours().ok, "%s", tr(Msg::Copied));
		ctx.hook.recordItem("help.copied");
	}
	ImGui::Spacing();
	for (Msg m : {Msg::HelpBaseUrl, Msg::HelpToken, Msg::HelpTimeout, Msg::HelpTraffic, Msg::HelpEndpoints})
	{
		ImGui::Bullet();
		ImGui::TextWrapped("%s", tr(m));
	}
}

} // namespace ccc::admin
