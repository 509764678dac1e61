#pragma once
#include <string>

/// What the admin asks of the browser besides the canvas: language and colour-scheme
/// preferences, localStorage for the user's choices, the page's origin, the clipboard, time.
namespace ccc::admin::browser
{

/// navigator.language ("en-US", "zh-CN"); empty when the browser reports none.
std::string navigatorLanguage();

/// Whether the page's prefers-color-scheme media query says dark.
bool prefersDarkScheme();

/// localStorage; get returns "" for a missing key or when storage is unavailable (private mode).
std::string storageGet(const char * key);
void storageSet(const char * key, const std::string & value);

/// location.origin ("http://127.0.0.1:8080").
std::string pageOrigin();

/// performance.now(): milliseconds since the page's navigation started.
double nowMs();

/// Hooks ImGui's clipboard to the browser's: copying writes navigator.clipboard (and a page-local
/// copy), pasting returns the text of the latest paste event (the browser hands clipboard text to
/// pages only through that event), or the last text copied in the page. Call once after
/// ImGui_ImplGlfw_InitForOpenGL (which installs GLFW's clipboard, a no-op under Emscripten).
void installClipboard();

/// Starts a download of a same-origin URL (e.g. "/admin/api/logs/<id>/export"): fetched, then
/// saved by the browser under the name the server gives (Content-Disposition) when the answer is
/// 2xx; otherwise nothing is saved and downloadState() reports the error.
void downloadUrl(const std::string & url);

enum class DownloadState { None, Running, Saved, Failed };
/// The latest downloadUrl()'s progress; `error` ("HTTP 404: no request with id 'x'", "network
/// error: ...") is set when Failed.
DownloadState downloadState(std::string & error);

} // namespace ccc::admin::browser
