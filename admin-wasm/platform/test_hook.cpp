#include "platform/test_hook.h"

#include <emscripten.h>
#include <imgui.h>

// JSON.parse of one string is cheaper and simpler than building the object through many calls.
EM_JS(void, ccc_publish_test_hook, (const char * json), {
	window.__adminTest = JSON.parse(UTF8ToString(json));
});

namespace ccc::admin
{

void TestHook::beginFrame()
{
	_widgets = nlohmann::ordered_json::object();
	_focused.clear();
}

void TestHook::recordItem(const std::string & name)
{
	const ImVec2 min = ImGui::GetItemRectMin();
	const ImVec2 max = ImGui::GetItemRectMax();
	_widgets[name] = {min.x, min.y, max.x, max.y};
	if (ImGui::IsItemFocused())
		_focused = name;
}

void TestHook::publish(uint64_t frame, nlohmann::ordered_json state, nlohmann::ordered_json canvas, nlohmann::ordered_json extra)
{
	nlohmann::ordered_json hook;
	hook["frame"] = frame;
	hook["state"] = std::move(state);
	hook["widgets"] = std::move(_widgets);
	hook["canvas"] = std::move(canvas);
	hook["focused"] = _focused;
	if (extra.is_object())
		for (auto it = extra.begin(); it != extra.end(); ++it)
			hook[it.key()] = std::move(it.value());
	_widgets = nlohmann::ordered_json::object();
	// Replace invalid UTF-8 (a config value could hold any bytes) instead of throwing.
	const std::string text = hook.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
	ccc_publish_test_hook(text.c_str());
}

} // namespace ccc::admin
