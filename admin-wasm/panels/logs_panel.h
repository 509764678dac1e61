#pragma once
#include <array>
#include <string>

#include "panels/panel.h"

namespace ccc::admin
{

class LogsModel;
struct LogDetailView;

/// The request log: filters, a virtualised table fetched page by page as it scrolls, a live tail,
/// and the selected request's detail (panels/logs_detail.cpp). State lives in LogsModel.
class LogsPanel : public Panel
{
public:
	const char * id() const override { return "logs"; }
	Msg title() const override { return Msg::PanelLogs; }
	void onShow(PanelContext & ctx) override;
	void draw(PanelContext & ctx) override;

private:
	void drawFilters(PanelContext & ctx, LogsModel & model);
	void drawTable(PanelContext & ctx, LogsModel & model, float height);

	// Filter bar text being typed (applied with Apply / Enter).
	int _timePreset = 0;
	int _status = 0;
	std::array<char, 40> _from{};
	std::array<char, 40> _to{};
	std::array<char, 128> _endpoint{};
	std::array<char, 128> _model{};
	std::array<char, 128> _tag{};
	std::array<char, 128> _session{};
	std::array<char, 256> _text{};
	bool _badTime = false;
	float _lastScrollY = 0; ///< the table's scroll offset last frame (0 = at the top)
};

/// Draws the detail of the selected request (summary, one tab per attempt, inspectors).
/// Returns false when the user closed it.
bool drawLogDetail(PanelContext & ctx, LogsModel & model, const LogDetailView & view);

} // namespace ccc::admin
