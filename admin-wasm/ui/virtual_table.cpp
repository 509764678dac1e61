#include "ui/virtual_table.h"

#include <algorithm>
#include <climits>

#include <imgui.h>

namespace ccc::admin::ui
{

VirtualTableResult drawVirtualTable(const char * id, const std::vector<TableColumn> & columns, size_t rowCount,
	const std::function<void(size_t row)> & drawRow, const VirtualTableOptions & options)
{
	VirtualTableResult result;
	if (columns.empty())
		return result;
	const ImGuiTableFlags flags = ImGuiTableFlags_ScrollY | ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersOuter
		| ImGuiTableFlags_BordersV | ImGuiTableFlags_Resizable | ImGuiTableFlags_SizingStretchProp;
	if (!ImGui::BeginTable(id, static_cast<int>(columns.size()), flags, ImVec2(0.0f, options.height)))
		return result;
	result.visible = true;
	ImGui::TableSetupScrollFreeze(0, 1);
	for (const TableColumn & c : columns)
		ImGui::TableSetupColumn(c.label, c.width > 0 ? ImGuiTableColumnFlags_WidthFixed : ImGuiTableColumnFlags_WidthStretch,
			c.width > 0 ? c.width : 1.0f);
	ImGui::TableHeadersRow();

	// Every row has the same height, so the clipper needs no measuring pass and a scroll target
	// maps to a row exactly.
	const float rowHeight = ImGui::GetTextLineHeight() + ImGui::GetStyle().CellPadding.y * 2.0f;
	if (options.scroll_to_row)
		ImGui::SetScrollY(static_cast<float>(std::min(*options.scroll_to_row, rowCount)) * rowHeight);
	else if (options.scroll_by_rows > 0)
		ImGui::SetScrollY(ImGui::GetScrollY() + static_cast<float>(options.scroll_by_rows) * rowHeight);
	result.scroll_y = ImGui::GetScrollY();

	// ImGuiListClipper counts in int; a log longer than that is clamped (and far beyond any UI use).
	const int count = static_cast<int>(std::min<size_t>(rowCount, INT_MAX));
	ImGuiListClipper clipper;
	clipper.Begin(count, rowHeight);
	while (clipper.Step())
	{
		for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i)
		{
			ImGui::TableNextRow(ImGuiTableRowFlags_None, rowHeight);
			ImGui::TableNextColumn();
			ImGui::PushID(i);
			if (result.rows_drawn == 0)
				result.first_drawn = static_cast<size_t>(i);
			drawRow(static_cast<size_t>(i));
			ImGui::PopID();
			++result.rows_drawn;
		}
	}
	ImGui::EndTable();
	return result;
}

} // namespace ccc::admin::ui
