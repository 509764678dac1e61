// The browser entry point: GLFW window on the page's canvas, WebGL2 context, ImGui frame loop
// driven by requestAnimationFrame (emscripten_set_main_loop with fps 0).
#include <cfloat>
#include <cmath>
#include <cstdio>

#include <GLFW/glfw3.h>
#include <emscripten.h>
#include <imgui.h>
#include <imgui_impl_glfw.h>
#include <imgui_impl_opengl3.h>

#include "model/app_state.h"
#include "panels/panel.h"
#include "platform/canvas.h"
#include "platform/test_hook.h"
#include "platform/web_fetch.h"

namespace ccc::admin
{
namespace
{

/// Font size in CSS pixels. The atlas is rasterised at this size times devicePixelRatio and
/// drawn scaled back down, so glyphs map 1:1 to device pixels (crisp on HiDPI screens).
constexpr float kFontSize = 13.0f;

struct App
{
	GLFWwindow * window = nullptr;
	AppState state{makeWebTransport()};
	PanelList panels = makePanels();
	TestHook hook;
	uint64_t frame = 0;
	float font_pixel_ratio = 0; ///< the ratio the font atlas was built for
};

void buildFonts(App & app, float pixelRatio)
{
	ImGuiIO & io = ImGui::GetIO();
	if (app.font_pixel_ratio == pixelRatio)
		return;
	const bool rebuild = app.font_pixel_ratio != 0; // the first atlas is uploaded with the device objects
	if (rebuild)
		ImGui_ImplOpenGL3_DestroyFontsTexture();
	io.Fonts->Clear();
	ImFontConfig cfg;
	cfg.SizePixels = std::round(kFontSize * pixelRatio);
	io.Fonts->AddFontDefault(&cfg);
	io.FontGlobalScale = 1.0f / pixelRatio;
	app.font_pixel_ratio = pixelRatio;
	if (rebuild)
		ImGui_ImplOpenGL3_CreateFontsTexture();
}

void frame(void * arg)
{
	App & app = *static_cast<App *>(arg);
	glfwPollEvents();
	const CanvasSize canvas = syncCanvasSize();
	buildFonts(app, canvas.pixel_ratio);

	ImGui_ImplOpenGL3_NewFrame();
	ImGui_ImplGlfw_NewFrame();
	// GLFW works in backing-store pixels (emscripten scales mouse events to the canvas' pixel
	// size); ImGui works in CSS pixels, with the framebuffer scale mapping one to the other.
	ImGuiIO & io = ImGui::GetIO();
	io.DisplaySize = ImVec2(static_cast<float>(canvas.css_width), static_cast<float>(canvas.css_height));
	io.DisplayFramebufferScale = ImVec2(static_cast<float>(canvas.fb_width) / canvas.css_width,
		static_cast<float>(canvas.fb_height) / canvas.css_height);
	if (io.MousePos.x != -FLT_MAX && io.MousePos.y != -FLT_MAX)
		io.MousePos = ImVec2(io.MousePos.x / io.DisplayFramebufferScale.x, io.MousePos.y / io.DisplayFramebufferScale.y);
	// Headless browsers with virtual time can deliver two frames at the same timestamp; ImGui
	// requires a positive delta.
	if (!(io.DeltaTime > 0.0f))
		io.DeltaTime = 1.0f / 1000.0f;
	ImGui::NewFrame();

	PanelContext ctx{app.state, app.hook};
	app.hook.beginFrame();
	drawMainWindow(app.panels, ctx);

	ImGui::Render();
	glViewport(0, 0, canvas.fb_width, canvas.fb_height);
	glClearColor(0.10f, 0.10f, 0.12f, 1.0f);
	glClear(GL_COLOR_BUFFER_BIT);
	ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());

	++app.frame;
	app.hook.publish(app.frame, app.state.testState(), canvas.toJson());
}

void glfwError(int code, const char * description)
{
	std::fprintf(stderr, "GLFW error %d: %s\n", code, description);
}

} // namespace
} // namespace ccc::admin

int main()
{
	using namespace ccc::admin;
	glfwSetErrorCallback(glfwError);
	if (!glfwInit())
		return 1;
	glfwWindowHint(GLFW_CLIENT_API, GLFW_OPENGL_ES_API);
	glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
	glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 0);

	// Lives for the page's lifetime: the main loop never returns.
	static App app;
	const CanvasSize canvas = syncCanvasSize();
	app.window = glfwCreateWindow(canvas.fb_width, canvas.fb_height, "Claude Code Companion", nullptr, nullptr);
	if (!app.window)
	{
		std::fprintf(stderr, "could not create a WebGL2 context\n");
		return 1;
	}
	glfwMakeContextCurrent(app.window);

	IMGUI_CHECKVERSION();
	ImGui::CreateContext();
	ImGuiIO & io = ImGui::GetIO();
	io.IniFilename = nullptr; // no file system in the browser; layout is code-defined
	io.ConfigFlags |= ImGuiConfigFlags_NavEnableKeyboard;
	ImGui::StyleColorsDark();
	ImGui_ImplGlfw_InitForOpenGL(app.window, true);
	ImGui_ImplOpenGL3_Init("#version 300 es");

	app.state.reloadConfig();
	emscripten_set_main_loop_arg(frame, &app, 0, true);
	return 0;
}
