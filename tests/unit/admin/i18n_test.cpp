#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "model/i18n.h"

namespace ccc::admin
{
namespace
{

/// The printf conversions of a format string, in order ("%d", "%s", "%.1f", "%%"...).
std::vector<std::string> conversions(const std::string & format)
{
	std::vector<std::string> out;
	for (size_t i = 0; i < format.size(); ++i)
	{
		if (format[i] != '%')
			continue;
		size_t j = i + 1;
		while (j < format.size() && std::string("0123456789.-+ #lhz").find(format[j]) != std::string::npos)
			++j;
		if (j < format.size())
			out.push_back(format.substr(i, j - i + 1));
		i = j;
	}
	return out;
}

/// Decodes UTF-8; false on any malformed sequence.
bool decodeUtf8(const std::string & s, std::vector<uint32_t> & out)
{
	for (size_t i = 0; i < s.size();)
	{
		const unsigned char c = static_cast<unsigned char>(s[i]);
		int n = c < 0x80 ? 0 : (c >> 5) == 6 ? 1 : (c >> 4) == 14 ? 2 : (c >> 3) == 30 ? 3 : -1;
		if (n < 0 || (n > 0 && i + static_cast<size_t>(n) >= s.size()))
			return false;
		uint32_t cp = n == 0 ? c : n == 1 ? (c & 0x1Fu) : n == 2 ? (c & 0x0Fu) : (c & 0x07u);
		for (int k = 1; k <= n; ++k)
		{
			const unsigned char cc = static_cast<unsigned char>(s[i + static_cast<size_t>(k)]);
			if ((cc >> 6) != 2)
				return false;
			cp = (cp << 6) | (cc & 0x3Fu);
		}
		out.push_back(cp);
		i += static_cast<size_t>(n) + 1;
	}
	return true;
}

class LanguageGuard : public ::testing::Test
{
protected:
	void TearDown() override { setLanguage(Language::English); }
};

TEST(I18nTable, EveryKeyHasBothLanguagesWithMatchingConversions)
{
	std::set<std::string> names;
	for (size_t i = 0; i < kMsgCount; ++i)
	{
		const Msg m = static_cast<Msg>(i);
		const std::string en = text(m, Language::English);
		const std::string zh = text(m, Language::Chinese);
		SCOPED_TRACE(msgName(m));
		EXPECT_TRUE(names.insert(msgName(m)).second) << "duplicate key";
		EXPECT_FALSE(en.empty());
		EXPECT_FALSE(zh.empty());
		// ImGui::Text(tr(key), args...) must get the same arguments in either language.
		EXPECT_EQ(conversions(en), conversions(zh)) << en << " | " << zh;
	}
}

TEST(I18nTable, EnglishIsAsciiAndChineseIsValidUtf8WithCjk)
{
	size_t withCjk = 0;
	for (size_t i = 0; i < kMsgCount; ++i)
	{
		const Msg m = static_cast<Msg>(i);
		SCOPED_TRACE(msgName(m));
		for (char c : std::string(text(m, Language::English)))
			EXPECT_LT(static_cast<unsigned char>(c), 0x80) << "English text must render with the default font alone";
		std::vector<uint32_t> cps;
		ASSERT_TRUE(decodeUtf8(text(m, Language::Chinese), cps));
		bool cjk = false;
		for (uint32_t cp : cps)
			cjk = cjk || (cp >= 0x4E00 && cp <= 0x9FFF);
		withCjk += cjk ? 1 : 0;
	}
	// Every string except a few brand names is actually translated.
	EXPECT_GE(withCjk, kMsgCount - 2);
	// The language switch's label is the one Chinese text drawn before the CJK font loads.
	std::vector<uint32_t> label;
	ASSERT_TRUE(decodeUtf8(languageName(Language::Chinese), label));
	EXPECT_EQ(label.size(), 4u);
}

TEST_F(LanguageGuard, TrFollowsTheCurrentLanguage)
{
	EXPECT_EQ(currentLanguage(), Language::English);
	EXPECT_STREQ(tr(Msg::PanelLogs), "Logs");
	setLanguage(Language::Chinese);
	EXPECT_STREQ(tr(Msg::PanelLogs), "日志");
	EXPECT_STREQ(msgName(Msg::PanelLogs), "PanelLogs");
	setLanguage(Language::English);
	EXPECT_STREQ(tr(Msg::PanelLogs), "Logs");
	EXPECT_STREQ(text(Msg::Count_, Language::English), "");
}

TEST(I18nTags, BrowserLanguageMapsToTheAdminLanguage)
{
	for (const char * zh : {"zh", "zh-CN", "zh-cn", "ZH-Hans-CN", "zh-TW", "zh_CN"})
		EXPECT_EQ(languageFromTag(zh), Language::Chinese) << zh;
	for (const char * en : {"", "en", "en-US", "de-DE", "z", "zhx", "yue-HK"})
		EXPECT_EQ(languageFromTag(en), Language::English) << en;
	Language l = Language::English;
	EXPECT_TRUE(parseLanguageTag("zh-CN", l));
	EXPECT_EQ(l, Language::Chinese);
	EXPECT_FALSE(parseLanguageTag("fr", l));
	EXPECT_EQ(l, Language::Chinese);
	for (Language x : kLanguages)
	{
		Language back = x == Language::English ? Language::Chinese : Language::English;
		EXPECT_TRUE(parseLanguageTag(languageTag(x), back));
		EXPECT_EQ(back, x);
	}
}

} // namespace
} // namespace ccc::admin
