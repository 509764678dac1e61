// The browser entry point: GLFW window on the page's canvas, WebGL2 context, ImGui frame loop
// driven by requestAnimationFrame (emscripten_set_main_loop with fps 0).
#include <cfloat>
#include <cmath>
#include <cstdio>
#include <string>

#include <GLFW/glfw3.h>
#include <emscripten.h>
#include <imgui.h>
#include <imgui_impl_glfw.h>
#include <imgui_impl_opengl3.h>

#include "cjk_label_font.h"
#include "model/app_state.h"
#include "panels/panel.h"
#include "platform/browser.h"
#include "platform/canvas.h"
#include "platform/event_source.h"
#include "platform/test_hook.h"
#include "platform/web_fetch.h"
#include "ui/theme.h"

namespace ccc::admin
{
namespace
{

/// Font size in CSS pixels. The atlas is rasterised at this size times devicePixelRatio and
/// drawn scaled back down, so glyphs map 1:1 to device pixels (crisp on HiDPI screens).
constexpr float kFontSize = 13.0f;
/// CJK glyphs fill their em square; at the Latin size they read too small next to ProggyClean.
constexpr float kCjkFontSize = 14.0f;
constexpr const char * kLanguageKey = "ccc-admin-language";
constexpr const char * kThemeKey = "ccc-admin-theme";

struct App
{
	GLFWwindow * window = nullptr;
	AppState state{makeWebTransport(), makeWebEventStream()};
	PanelList panels = makePanels();
	TestHook hook;
	std::string origin;
	uint64_t frame = 0;
	float font_pixel_ratio = 0;     ///< the ratio the font atlas was built for
	uint32_t font_generation = 0;   ///< LanguageState::fontGeneration() the atlas includes
	Theme applied_theme = Theme::Dark;
	Language saved_language = Language::English;
	double interactive_ms = -1;     ///< performance.now() when the first data was on screen
};

/// Everything the Chinese UI can show: ImGui's 2,500 common characters with punctuation, plus
/// every character of the Chinese string table (admin-cjk.ttf is subset to the same set).
const ImWchar * cjkRanges()
{
	static ImVector<ImWchar> ranges;
	if (ranges.empty())
	{
		ImFontGlyphRangesBuilder builder;
		builder.AddRanges(ImGui::GetIO().Fonts->GetGlyphRangesChineseSimplifiedCommon());
		for (size_t i = 0; i < kMsgCount; ++i)
			builder.AddText(text(static_cast<Msg>(i), Language::Chinese));
		builder.BuildRanges(&ranges);
	}
	return ranges.Data;
}

const ImWchar * labelRanges()
{
	static ImVector<ImWchar> ranges;
	if (ranges.empty())
	{
		ImFontGlyphRangesBuilder builder;
		builder.AddText(languageName(Language::Chinese));
		builder.BuildRanges(&ranges);
	}
	return ranges.Data;
}

void buildFonts(App & app, float pixelRatio)
{
	ImGuiIO & io = ImGui::GetIO();
	const LanguageState & lang = app.state.language();
	if (app.font_pixel_ratio == pixelRatio && app.font_generation == lang.fontGeneration())
		return;
	const bool rebuild = app.font_pixel_ratio != 0; // the first atlas is uploaded with the device objects
	if (rebuild)
		ImGui_ImplOpenGL3_DestroyFontsTexture();
	io.Fonts->Clear();
	ImFontConfig cfg;
	cfg.SizePixels = std::round(kFontSize * pixelRatio);
	io.Fonts->AddFontDefault(&cfg);

	// CJK glyphs merge into the default font, which keeps its own Latin glyphs. The data stays
	// owned by us (the embedded array, LanguageState's bytes): both outlive the atlas.
	ImFontConfig merge;
	merge.MergeMode = true;
	merge.FontDataOwnedByAtlas = false;
	merge.OversampleH = 1; // thousands of glyphs: no horizontal oversampling, the atlas stays small
	merge.OversampleV = 1;
	merge.PixelSnapH = true;
	const float cjkSize = std::round(kCjkFontSize * pixelRatio);
	io.Fonts->AddFontFromMemoryTTF(const_cast<unsigned char *>(kCjkLabelFont), static_cast<int>(sizeof(kCjkLabelFont)),
		cjkSize, &merge, labelRanges());
	if (lang.cjkFont().data)
	{
		const std::string & bytes = *lang.cjkFont().data;
		io.Fonts->AddFontFromMemoryTTF(const_cast<char *>(bytes.data()), static_cast<int>(bytes.size()), cjkSize, &merge, cjkRanges());
	}
	io.FontGlobalScale = 1.0f / pixelRatio;
	app.font_pixel_ratio = pixelRatio;
	app.font_generation = lang.fontGeneration();
	if (rebuild)
		ImGui_ImplOpenGL3_CreateFontsTexture();
}

/// Applies and remembers the user's theme and language choices when they change.
void syncPreferences(App & app)
{
	if (app.state.ui().theme != app.applied_theme)
	{
		app.applied_theme = app.state.ui().theme;
		ui::applyTheme(app.applied_theme);
		browser::storageSet(kThemeKey, themeName(app.applied_theme));
	}
	if (app.state.language().active() != app.saved_language)
	{
		app.saved_language = app.state.language().active();
		browser::storageSet(kLanguageKey, languageTag(app.saved_language));
	}
}

bool settled(LoadState s)
{
	return s == LoadState::Loaded || s == LoadState::Failed;
}

void frame(void * arg)
{
	App & app = *static_cast<App *>(arg);
	glfwPollEvents();
	pumpEventSources();
	const CanvasSize canvas = syncCanvasSize();
	syncPreferences(app);
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

	PanelContext ctx{app.state, app.hook, app.origin};
	app.hook.beginFrame();
	drawMainWindow(app.panels, ctx);

	ImGui::Render();
	glViewport(0, 0, canvas.fb_width, canvas.fb_height);
	const ImVec4 bg = ui::backgroundColour();
	glClearColor(bg.x, bg.y, bg.z, 1.0f);
	glClear(GL_COLOR_BUFFER_BIT);
	ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());

	++app.frame;
	// Interactive: the first frame that shows the service's answers (or their errors).
	if (app.interactive_ms < 0 && settled(app.state.config().state) && settled(app.state.endpoints().state))
		app.interactive_ms = browser::nowMs();
	nlohmann::ordered_json extra;
	extra["interactive_ms"] = app.interactive_ms;
	extra["font_atlas"] = {{"width", io.Fonts->TexWidth}, {"height", io.Fonts->TexHeight},
		{"glyphs", io.Fonts->Fonts.empty() ? 0 : io.Fonts->Fonts[0]->Glyphs.Size}};
	app.hook.publish(app.frame, app.state.testState(), canvas.toJson(), std::move(extra));
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
	// Lives for the page's lifetime: the main loop never returns.
	static App app;
	app.origin = browser::pageOrigin();
	// The requests go out first: the service answers while the WebGL context and ImGui start
	// (answers are delivered between frames, never during main()).
	Language language = languageFromTag(browser::navigatorLanguage());
	parseLanguageTag(browser::storageGet(kLanguageKey), language); // the user's stored choice wins
	app.saved_language = language;
	app.state.language().request(language); // Chinese: shown once its font has arrived
	app.state.api().refreshSession(); // the CSRF token for mutations, and whether a login is needed
	app.state.reloadConfig();
	app.state.reloadEndpoints();

	glfwSetErrorCallback(glfwError);
	if (!glfwInit())
		return 1;
	glfwWindowHint(GLFW_CLIENT_API, GLFW_OPENGL_ES_API);
	glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
	glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 0);
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
	ImGui_ImplGlfw_InitForOpenGL(app.window, true);
	ImGui_ImplOpenGL3_Init("#version 300 es");
	browser::installClipboard();

	// The user's stored theme wins; otherwise the browser's colour scheme.
	Theme theme = browser::prefersDarkScheme() ? Theme::Dark : Theme::Light;
	parseThemeName(browser::storageGet(kThemeKey), theme);
	app.state.ui().theme = theme;
	app.applied_theme = theme;
	ui::applyTheme(theme);

	emscripten_set_main_loop_arg(frame, &app, 0, true);
	return 0;
}
