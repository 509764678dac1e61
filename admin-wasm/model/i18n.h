#pragma once
#include <cstddef>
#include <cstdint>
#include <string_view>

/// The admin's languages and string table. Every string the admin shows goes through tr(): the
/// table (model/i18n_table.h) holds each key in English and Simplified Chinese, so a key cannot
/// exist in one language only. The current language is process-wide (the admin has one UI
/// thread); switching it takes effect on the next frame.
namespace ccc::admin
{

enum class Language
{
	English,
	Chinese, ///< Simplified Chinese (zh-CN)
};

inline constexpr Language kLanguages[] = {Language::English, Language::Chinese};

/// One key per visible string (see model/i18n_table.h).
enum class Msg : uint16_t
{
#define CCC_I18N(key, en, zh) key,
#include "model/i18n_table.h"
#undef CCC_I18N
	Count_
};

inline constexpr size_t kMsgCount = static_cast<size_t>(Msg::Count_);

/// The string of `key` in `language`: never null, valid for the program's lifetime, UTF-8.
const char * text(Msg key, Language language);

/// The key's name in the table ("AppTitle"), for diagnostics and tests.
const char * msgName(Msg key);

/// The current language (English until setLanguage is called).
Language currentLanguage();
void setLanguage(Language language);

/// The string of `key` in the current language.
inline const char * tr(Msg key)
{
	return text(key, currentLanguage());
}

/// BCP 47 tag: "en", "zh-CN".
const char * languageTag(Language language);

/// The language's own name, as shown in the language switch: "English", "简体中文".
const char * languageName(Language language);

/// Maps a browser language tag (navigator.language) to an admin language: any "zh..." tag
/// (zh, zh-CN, zh-Hans-CN, zh-TW...) is Chinese (the only Chinese table is Simplified, still
/// closer than English for a Traditional reader); everything else, empty included, is English.
Language languageFromTag(std::string_view tag);

/// Parses a tag written by languageTag; false (and `out` untouched) for anything else.
bool parseLanguageTag(std::string_view tag, Language & out);

/// Whether showing `language` needs the on-demand CJK font.
inline bool needsCjkFont(Language language)
{
	return language == Language::Chinese;
}

} // namespace ccc::admin
