#include "platform/browser.h"

#include <algorithm>
#include <vector>

#include <emscripten.h>
#include <imgui.h>

// Strings cross from JS with a length query then a copy into our buffer: no malloc export needed.
// The only way a page reads the system clipboard without a permission prompt is the paste event:
// Ctrl+V fires it before the next frame, where ImGui handles the key and asks for the text.
// localStorage may throw (some private modes): then choices last for this page only.
EM_JS(int, ccc_js_string_length, (int which, const char * arg), {
	var s = Module.cccJsString(which, arg ? UTF8ToString(arg) : "");
	Module.cccLastString = s;
	return lengthBytesUTF8(s) + 1;
});
EM_JS(void, ccc_js_string_copy, (char * out, int size), {
	stringToUTF8(Module.cccLastString || "", out, size);
});
EM_JS(void, ccc_js_install, (), {
	Module.cccClipboardText = "";
	Module.cccJsString = function(which, arg) {
		try {
			switch (which) {
				case 0: return navigator.language || "";
				case 1: return window.localStorage ? (window.localStorage.getItem(arg) || "") : "";
				case 2: return location.origin || "";
				case 3: return Module.cccClipboardText || "";
			}
		} catch (e) {
			return "";
		}
		return "";
	};
	document.addEventListener("paste", function(e) {
		var t = e.clipboardData ? e.clipboardData.getData("text/plain") : "";
		if (t) Module.cccClipboardText = t;
	});
});
EM_JS(int, ccc_js_prefers_dark, (), {
	return window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches ? 1 : 0;
});
EM_JS(void, ccc_js_storage_set, (const char * key, const char * value), {
	try {
		window.localStorage.setItem(UTF8ToString(key), UTF8ToString(value));
	} catch (e) {
		return;
	}
});
EM_JS(double, ccc_js_now, (), {
	return performance.now();
});
EM_JS(void, ccc_js_clipboard_set, (const char * text), {
	var t = UTF8ToString(text);
	Module.cccClipboardText = t;
	if (navigator.clipboard && navigator.clipboard.writeText)
		navigator.clipboard.writeText(t).catch(function(e) { console.warn("clipboard write refused: " + e); });
});

// Downloads go through fetch() so a refusal (404, 401, 503) is reported instead of saving an
// error page: a 2xx body becomes a blob saved by an <a download> click under the server's
// Content-Disposition filename. Module.cccDownload holds the latest download's state.
EM_JS(void, ccc_js_download_url, (const char * url), {
	Module.cccDownload = {state: 1, error: ""};
	fetch(UTF8ToString(url), {credentials: "same-origin"}).then(function(r) {
		if (!r.ok)
			return r.text().then(function(t) {
				var msg = "HTTP " + r.status;
				try {
					var j = JSON.parse(t);
					if (j && j.error) msg += ": " + j.error;
				} catch (e) {}
				Module.cccDownload = {state: 3, error: msg};
			});
		// (no quote characters in here: EM_JS bodies pass through the C preprocessor)
		var cd = r.headers.get("content-disposition") || "";
		var at = cd.indexOf("filename=");
		var name = at < 0 ? "download" : cd.substring(at + 9).split(";")[0].split(String.fromCharCode(34)).join("").trim();
		return r.blob().then(function(b) {
			var a = document.createElement("a");
			a.href = URL.createObjectURL(b);
			a.download = name || "download";
			a.style.display = "none";
			document.body.appendChild(a);
			a.click();
			document.body.removeChild(a);
			setTimeout(function() { URL.revokeObjectURL(a.href); }, 60000);
			Module.cccDownload = {state: 2, error: ""};
		});
	}).catch(function(e) {
		Module.cccDownload = {state: 3, error: "network error: " + e};
	});
});
EM_JS(int, ccc_js_download_state, (), {
	return Module.cccDownload ? Module.cccDownload.state : 0;
});
EM_JS(int, ccc_js_download_error_length, (), {
	return lengthBytesUTF8(Module.cccDownload ? Module.cccDownload.error : "") + 1;
});
EM_JS(void, ccc_js_download_error_copy, (char * out, int size), {
	stringToUTF8(Module.cccDownload ? Module.cccDownload.error : "", out, size);
});

namespace ccc::admin::browser
{

namespace
{

bool g_installed = false;

void install()
{
	if (!g_installed)
	{
		ccc_js_install();
		g_installed = true;
	}
}

std::string jsString(int which, const char * arg = nullptr)
{
	install();
	const int size = ccc_js_string_length(which, arg);
	std::vector<char> buf(static_cast<size_t>(size > 0 ? size : 1), '\0');
	ccc_js_string_copy(buf.data(), static_cast<int>(buf.size()));
	return std::string(buf.data());
}

const char * getClipboard(void *)
{
	static std::string text;
	text = jsString(3);
	return text.c_str();
}

void setClipboard(void *, const char * text)
{
	ccc_js_clipboard_set(text ? text : "");
}

} // namespace

std::string navigatorLanguage()
{
	return jsString(0);
}

bool prefersDarkScheme()
{
	return ccc_js_prefers_dark() != 0;
}

std::string storageGet(const char * key)
{
	return jsString(1, key);
}

void storageSet(const char * key, const std::string & value)
{
	ccc_js_storage_set(key, value.c_str());
}

std::string pageOrigin()
{
	return jsString(2);
}

double nowMs()
{
	return ccc_js_now();
}

void installClipboard()
{
	install();
	ImGuiIO & io = ImGui::GetIO();
	io.GetClipboardTextFn = getClipboard;
	io.SetClipboardTextFn = setClipboard;
	io.ClipboardUserData = nullptr;
}

void downloadUrl(const std::string & url)
{
	ccc_js_download_url(url.c_str());
}

DownloadState downloadState(std::string & error)
{
	const int state = ccc_js_download_state();
	error.clear();
	if (state == 3)
	{
		std::vector<char> buf(static_cast<size_t>(std::max(1, ccc_js_download_error_length())), '\0');
		ccc_js_download_error_copy(buf.data(), static_cast<int>(buf.size()));
		error = buf.data();
	}
	switch (state)
	{
		case 1: return DownloadState::Running;
		case 2: return DownloadState::Saved;
		case 3: return DownloadState::Failed;
		default: return DownloadState::None;
	}
}

} // namespace ccc::admin::browser
