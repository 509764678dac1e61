#pragma once
#include <string>

#include "model/i18n.h"
#include "model/resource.h"

namespace ccc::admin
{
class TestHook;
}

/// Small drawing helpers every panel uses, so request state looks the same everywhere.
namespace ccc::admin::ui
{

/// On the current line (after SameLine), shows "loading..." while `state` is Loading, or the
/// error formatted with `failedFormat` (one %s) when Failed; nothing otherwise. The text is
/// recorded in the test hook as `hookName`. Call it right after the widget that triggered the
/// request, so the error sits next to its cause.
void requestStatus(LoadState state, const std::string & error, Msg failedFormat, TestHook & hook, const std::string & hookName);

/// The "Reload" button, recorded as `hookName`; true when pressed.
bool reloadButton(TestHook & hook, const std::string & hookName);

} // namespace ccc::admin::ui
