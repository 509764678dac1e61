#include "model/ui_state.h"

namespace ccc::admin
{

const char * themeName(Theme theme)
{
	return theme == Theme::Light ? "light" : "dark";
}

bool parseThemeName(std::string_view name, Theme & out)
{
	if (name == "dark")
		out = Theme::Dark;
	else if (name == "light")
		out = Theme::Light;
	else
		return false;
	return true;
}

} // namespace ccc::admin
