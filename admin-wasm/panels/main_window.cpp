#include <string>

#include <imgui.h>

#include "panels/panel.h"
#include "platform/test_hook.h"

namespace ccc::admin
{

void drawMainWindow(PanelList & panels, PanelContext & ctx)
{
	const ImGuiViewport * vp = ImGui::GetMainViewport();
	ImGui::SetNextWindowPos(vp->WorkPos);
	ImGui::SetNextWindowSize(vp->WorkSize);
	const ImGuiWindowFlags flags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove
		| ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoBringToFrontOnFocus;
	if (ImGui::Begin("Claude Code Companion", nullptr, flags))
	{
		ImGui::TextUnformatted("Claude Code Companion - admin");
		ImGui::Separator();
		if (ImGui::BeginTabBar("panels"))
		{
			for (auto & panel : panels)
			{
				ImGui::PushID(panel->id());
				const bool open = ImGui::BeginTabItem(panel->title());
				ctx.hook.recordItem(std::string("tab.") + panel->id());
				if (open)
				{
					ImGui::BeginChild("body");
					panel->draw(ctx);
					ImGui::EndChild();
					ImGui::EndTabItem();
				}
				ImGui::PopID();
			}
			ImGui::EndTabBar();
		}
	}
	ImGui::End();
}

} // namespace ccc::admin
