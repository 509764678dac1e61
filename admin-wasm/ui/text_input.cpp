#include "ui/text_input.h"

namespace ccc::admin::ui
{

namespace
{

int resize(ImGuiInputTextCallbackData * data)
{
	if (data->EventFlag != ImGuiInputTextFlags_CallbackResize)
		return 0;
	// ImGui asks for room for BufTextLen characters; the string's buffer is the edit buffer.
	auto * s = static_cast<std::string *>(data->UserData);
	s->resize(static_cast<size_t>(data->BufTextLen));
	data->Buf = &(*s)[0];
	return 0;
}

} // namespace

bool inputString(const char * label, std::string & value, ImGuiInputTextFlags flags, const char * hint)
{
	flags |= ImGuiInputTextFlags_CallbackResize;
	// c_str() keeps a terminating NUL after size() characters: capacity size() + 1.
	char * buf = value.data();
	if (hint)
		return ImGui::InputTextWithHint(label, hint, buf, value.size() + 1, flags, resize, &value);
	return ImGui::InputText(label, buf, value.size() + 1, flags, resize, &value);
}

} // namespace ccc::admin::ui
