#pragma once
#include <string>

#include <imgui.h>

/// Text inputs the taggers editor uses: std::string in place (the buffer grows through
/// ImGuiInputTextFlags_CallbackResize), and a small code editor for Lua scripts.
namespace ccc::admin::ui
{

/// One line, with `hint` shown while it is empty; true when the text changed this frame.
bool editText(const char * label, std::string & text, const char * hint = nullptr, ImGuiInputTextFlags flags = 0);

/// Several lines of `size` editing `text` in place; true when the text changed this frame.
bool editTextMultiline(const char * label, std::string & text, const ImVec2 & size, ImGuiInputTextFlags flags = 0);

/// A code editor: the line numbers of `text` in a gutter left of a monospace multi-line input
/// of `lines` visible lines and full width; the gutter follows the input's scroll. Tab inserts a
/// tab. True when the text changed.
bool codeEditor(const char * id, std::string & text, int lines);

} // namespace ccc::admin::ui
