#pragma once
#include <imgui.h>

namespace ccc::admin::testing
{

/// A headless ImGui context for the life of the object: no window, no GL; the font atlas is
/// built, so frames are laid out and their draw lists built as in the browser (1280 x 800, 60 Hz).
class HeadlessImGuiContext
{
public:
	HeadlessImGuiContext()
	{
		ImGui::CreateContext();
		ImGuiIO & io = ImGui::GetIO();
		io.IniFilename = nullptr;
		io.DisplaySize = ImVec2(1280.0f, 800.0f);
		io.DeltaTime = 1.0f / 60.0f;
		unsigned char * pixels = nullptr;
		int w = 0, h = 0;
		io.Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);
	}
	~HeadlessImGuiContext() { ImGui::DestroyContext(); }
	HeadlessImGuiContext(const HeadlessImGuiContext &) = delete;
	HeadlessImGuiContext & operator=(const HeadlessImGuiContext &) = delete;
};

/// One whole frame whose only window fills the display, undecorated, as the logs panel's table
/// does; `draw()` fills it and its result is returned once the frame is rendered.
template <class Draw>
auto fullWindowFrame(Draw draw)
{
	ImGui::NewFrame();
	ImGui::SetNextWindowPos(ImVec2(0, 0));
	ImGui::SetNextWindowSize(ImGui::GetIO().DisplaySize);
	ImGui::Begin("logs", nullptr, ImGuiWindowFlags_NoDecoration);
	auto result = draw();
	ImGui::End();
	ImGui::Render();
	return result;
}

} // namespace ccc::admin::testing
