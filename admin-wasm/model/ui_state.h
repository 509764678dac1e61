#pragma once
#include <string>
#include <string_view>

/// What the user chose about the admin itself (not the service): the open panel and the theme.
/// The language lives in LanguageState (switching it may need a font download first).
namespace ccc::admin
{

enum class Theme
{
	Dark,
	Light,
};

/// "dark" / "light": stable names (test hook, localStorage).
const char * themeName(Theme theme);
/// Parses a themeName; false (and `out` untouched) for anything else.
bool parseThemeName(std::string_view name, Theme & out);

struct UiState
{
	std::string panel = "dashboard"; ///< id of the panel shown (Panel::id())
	Theme theme = Theme::Dark;
};

} // namespace ccc::admin
