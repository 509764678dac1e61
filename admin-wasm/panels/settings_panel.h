#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "panels/panel.h"

namespace ccc::admin
{

class SettingsModel;
struct SettingField;

/// Two parts:
/// - the configuration check: the loaded config (GET /admin/api/config) as validated in the
///   browser by shared/'s configFromJson + validate (a summary line, every finding with its key
///   path), and, at the end, every value read-only (secrets arrive masked);
/// - the settings editor (SettingsModel): every setting of GET /admin/api/settings with a widget
///   per type, checked as typed, saved with PUT /admin/api/settings; problems show under their field.
class SettingsPanel : public Panel
{
public:
	const char * id() const override { return "settings"; }
	Msg title() const override { return Msg::PanelSettings; }
	void onShow(PanelContext & ctx) override;
	void draw(PanelContext & ctx) override;

private:
	void drawEditor(PanelContext & ctx);
	void drawField(PanelContext & ctx, SettingsModel & m, const SettingField & f);
	/// The text buffer of a text-edited field, refreshed from the model when its generation changes.
	std::vector<char> & buffer(const std::string & path, const std::string & text, size_t size);

	bool _showWarnings = true;
	uint64_t _generation = ~0ull;
	int _savesSeen = 0;
	std::map<std::string, std::vector<char>> _buffers;
};

} // namespace ccc::admin
