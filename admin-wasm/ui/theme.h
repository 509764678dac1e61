#pragma once
#include <imgui.h>

#include "model/ui_state.h"

/// The two themes: ImGui's dark and light styles plus the admin's own status colours, chosen per
/// theme so that status text stays readable on either background.
namespace ccc::admin::ui
{

struct StatusColours
{
	ImVec4 error;
	ImVec4 warning;
	ImVec4 ok;
};

/// Applies `theme` to the current ImGui style (colours and the admin's spacing).
void applyTheme(Theme theme);

/// The status colours of the theme applied last.
const StatusColours & statusColours();

/// The colour behind the UI (the GL clear colour) of the theme applied last.
ImVec4 backgroundColour();

} // namespace ccc::admin::ui
