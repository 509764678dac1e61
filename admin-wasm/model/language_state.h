#pragma once
#include <cstdint>
#include <memory>
#include <string>

#include "model/http.h"
#include "model/i18n.h"
#include "model/resource.h"

/// Switching languages, including the on-demand CJK font: English needs nothing, Chinese needs a
/// subset CJK font (admin-cjk.ttf, built from Debian's fonts-droid-fallback) that is fetched only
/// when Chinese is first requested, so the English first load stays small. Until the font has
/// arrived the UI keeps its current language: Chinese is never drawn as missing-glyph boxes.
namespace ccc::admin
{

class LanguageState
{
public:
	/// Where the font is served (next to admin.js; the service gzips it on the way out).
	static constexpr const char * kCjkFontPath = "/admin/admin-cjk.ttf";

	explicit LanguageState(HttpTransport transport);
	~LanguageState();
	LanguageState(const LanguageState &) = delete;
	LanguageState & operator=(const LanguageState &) = delete;

	/// Asks for `language`. Applies at once when its font is available; otherwise fetches the font
	/// (one request at a time) and applies the language when the font arrives. A failed fetch keeps
	/// the current language and records why in cjkFont().error; requesting again retries.
	/// Requesting a language that needs no font cancels a pending switch.
	void request(Language language);

	/// The language drawn now (also currentLanguage()).
	Language active() const { return currentLanguage(); }
	/// The last language asked for; differs from active() while its font is loading or failed.
	Language requested() const { return _requested; }

	/// The CJK font file (TrueType bytes) once loaded.
	const Resource<std::string> & cjkFont() const { return _font; }
	/// Incremented each time font bytes arrive: the platform rebuilds its font atlas when it changes.
	uint32_t fontGeneration() const { return _fontGeneration; }

	/// Whether `bytes` look like a TrueType/OpenType font (sfnt version tag), so an HTML error page
	/// or a truncated answer is reported instead of handed to the rasteriser.
	static bool looksLikeFont(const std::string & bytes);

private:
	HttpTransport _transport;
	Language _requested = Language::English;
	Resource<std::string> _font;
	uint32_t _fontGeneration = 0;
	std::shared_ptr<bool> _alive = std::make_shared<bool>(true);
};

} // namespace ccc::admin
