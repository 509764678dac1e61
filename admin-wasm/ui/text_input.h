#pragma once
#include <string>

#include <imgui.h>

/// ImGui text fields bound to a std::string (the string grows as the user types).
namespace ccc::admin::ui
{

/// InputText (or InputTextWithHint when `hint` is set) editing `value` in place; true when edited.
bool inputString(const char * label, std::string & value, ImGuiInputTextFlags flags = 0, const char * hint = nullptr);

} // namespace ccc::admin::ui
