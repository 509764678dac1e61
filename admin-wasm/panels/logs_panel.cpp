#include "panels/logs_panel.h"

#include <imgui.h>

#include "platform/test_hook.h"
#include "ui/virtual_table.h"

namespace ccc::admin
{

void LogsPanel::draw(PanelContext & ctx)
{
	ImGui::TextWrapped("%s", tr(Msg::LogsIntro));
	const std::vector<ui::TableColumn> columns = {{tr(Msg::ColTime), 150.0f}, {tr(Msg::ColEndpoint)}, {tr(Msg::ColModel)},
		{tr(Msg::ColStatus), 70.0f}, {tr(Msg::ColDuration), 80.0f}};
	// No rows until the logs API exists; the table and its clipper are already the real ones.
	const size_t rows = 0;
	if (rows == 0) // above the table, which takes the rest of the height
		ImGui::TextDisabled("%s", tr(Msg::NoLogRows));
	ui::drawVirtualTable("log_rows", columns, rows, [](size_t) { });
	ctx.hook.recordItem("logs.table");
}

} // namespace ccc::admin
