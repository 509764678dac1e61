#pragma once
#include <nlohmann/json.hpp>

/// Keeps the canvas' backing store matched to its CSS size times devicePixelRatio, so the UI is
/// crisp on HiDPI screens and follows the window. The canvas' CSS size is set by index.html
/// (it fills the window); this code only sizes the pixels behind it.
namespace ccc::admin
{

struct CanvasSize
{
	int css_width = 0;   ///< CSS pixels: the coordinate space ImGui works in
	int css_height = 0;
	float pixel_ratio = 1; ///< window.devicePixelRatio (> 0)
	int fb_width = 0;    ///< device pixels of the backing store (the GL framebuffer)
	int fb_height = 0;

	nlohmann::ordered_json toJson() const;
};

/// Reads the canvas' CSS size and devicePixelRatio; when the backing store differs, resizes it
/// through Browser.setCanvasSize (emscripten's GLFW follows that; glfwSetWindowSize would not).
CanvasSize syncCanvasSize();

} // namespace ccc::admin
