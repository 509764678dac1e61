#pragma once
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

/// The browser test hook: after every rendered frame the app publishes
///   window.__adminTest = {frame, state, widgets: {name: [x0, y0, x1, y1]}, focused, canvas: {...}, ...extra}
/// `frame` counts rendered frames (tests wait for it to advance), `state` is AppState::testState(),
/// and widget rectangles are in CSS pixels relative to the canvas' top-left corner, so a test
/// clicks at canvasBox.x + (x0 + x1) / 2. ImGui draws into a canvas, leaving no DOM to query:
/// this hook is how tests see the UI. It costs one small JSON string per frame.
namespace ccc::admin
{

class TestHook
{
public:
	/// Forgets the previous frame's widgets (a widget not drawn this frame is not clickable).
	void beginFrame();

	/// Records the rectangle of the last ImGui item under `name` (call right after the widget);
	/// when that item has keyboard focus, `name` is published as `focused`.
	void recordItem(const std::string & name);

	/// Publishes the frame to window.__adminTest; the keys of `extra` (an object) are added at the top level.
	void publish(uint64_t frame, nlohmann::ordered_json state, nlohmann::ordered_json canvas,
		nlohmann::ordered_json extra = nlohmann::ordered_json::object());

private:
	nlohmann::ordered_json _widgets = nlohmann::ordered_json::object();
	std::string _focused; ///< the recorded widget holding keyboard (nav) focus this frame, if any
};

} // namespace ccc::admin
