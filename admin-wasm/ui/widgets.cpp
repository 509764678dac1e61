#include "ui/widgets.h"

#include <imgui.h>

#include "platform/test_hook.h"
#include "ui/theme.h"

namespace ccc::admin::ui
{

void requestStatus(LoadState state, const std::string & error, Msg failedFormat, TestHook & hook, const std::string & hookName)
{
	if (state == LoadState::Loading)
	{
		ImGui::SameLine();
		ImGui::TextDisabled("%s", tr(Msg::Loading));
		hook.recordItem(hookName);
	}
	else if (state == LoadState::Failed)
	{
		ImGui::SameLine();
		ImGui::TextColored(statusColours().error, tr(failedFormat), error.c_str());
		hook.recordItem(hookName);
	}
}

bool reloadButton(TestHook & hook, const std::string & hookName)
{
	const bool pressed = ImGui::Button(tr(Msg::Reload));
	hook.recordItem(hookName);
	return pressed;
}

} // namespace ccc::admin::ui
