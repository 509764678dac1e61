#include "model/i18n.h"

#include <cctype>

namespace ccc::admin
{

namespace
{

struct Entry
{
	const char * name;
	const char * en;
	const char * zh;
};

constexpr Entry kTable[] = {
#define CCC_I18N(key, en, zh) {#key, en, zh},
#include "model/i18n_table.h"
#undef CCC_I18N
};
static_assert(sizeof(kTable) / sizeof(kTable[0]) == kMsgCount, "one table row per key");

Language g_language = Language::English;

} // namespace

const char * text(Msg key, Language language)
{
	const size_t i = static_cast<size_t>(key);
	if (i >= kMsgCount)
		return "";
	return language == Language::Chinese ? kTable[i].zh : kTable[i].en;
}

const char * msgName(Msg key)
{
	const size_t i = static_cast<size_t>(key);
	return i < kMsgCount ? kTable[i].name : "";
}

Language currentLanguage()
{
	return g_language;
}

void setLanguage(Language language)
{
	g_language = language;
}

const char * languageTag(Language language)
{
	return language == Language::Chinese ? "zh-CN" : "en";
}

const char * languageName(Language language)
{
	return language == Language::Chinese ? "简体中文" : "English";
}

Language languageFromTag(std::string_view tag)
{
	if (tag.size() >= 2 && std::tolower(static_cast<unsigned char>(tag[0])) == 'z'
		&& std::tolower(static_cast<unsigned char>(tag[1])) == 'h' && (tag.size() == 2 || tag[2] == '-' || tag[2] == '_'))
		return Language::Chinese;
	return Language::English;
}

bool parseLanguageTag(std::string_view tag, Language & out)
{
	for (Language l : kLanguages)
		if (tag == languageTag(l))
		{
			out = l;
			return true;
		}
	return false;
}

} // namespace ccc::admin
