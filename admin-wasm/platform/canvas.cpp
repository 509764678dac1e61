#include "platform/canvas.h"

#include <algorithm>
#include <cmath>

#include <emscripten.h>

EM_JS(int, ccc_canvas_css_width, (), {
	return Math.max(1, Math.round(Module['canvas'].getBoundingClientRect().width));
});
EM_JS(int, ccc_canvas_css_height, (), {
	return Math.max(1, Math.round(Module['canvas'].getBoundingClientRect().height));
});
EM_JS(double, ccc_device_pixel_ratio, (), {
	return window.devicePixelRatio || 1;
});
EM_JS(int, ccc_canvas_fb_width, (), {
	return Module['canvas'].width;
});
EM_JS(int, ccc_canvas_fb_height, (), {
	return Module['canvas'].height;
});
EM_JS(void, ccc_set_canvas_size, (int width, int height), {
	Browser.setCanvasSize(width, height);
});

namespace ccc::admin
{

nlohmann::ordered_json CanvasSize::toJson() const
{
	return {{"css_width", css_width}, {"css_height", css_height}, {"pixel_ratio", pixel_ratio},
		{"fb_width", fb_width}, {"fb_height", fb_height}};
}

CanvasSize syncCanvasSize()
{
	CanvasSize s;
	s.css_width = ccc_canvas_css_width();
	s.css_height = ccc_canvas_css_height();
	s.pixel_ratio = static_cast<float>(std::clamp(ccc_device_pixel_ratio(), 0.25, 8.0));
	const int wantW = std::max(1, static_cast<int>(std::lround(s.css_width * s.pixel_ratio)));
	const int wantH = std::max(1, static_cast<int>(std::lround(s.css_height * s.pixel_ratio)));
	if (ccc_canvas_fb_width() != wantW || ccc_canvas_fb_height() != wantH)
		ccc_set_canvas_size(wantW, wantH);
	s.fb_width = wantW;
	s.fb_height = wantH;
	return s;
}

} // namespace ccc::admin
