#pragma once
#include <cstddef>
#include <functional>
#include <optional>
#include <vector>

/// A table that draws only its visible rows (ImGuiListClipper), so 100,000 log rows cost the
/// same per frame as 30. Used by the Logs panel; any long list should use it.
namespace ccc::admin::ui
{

struct TableColumn
{
	const char * label; ///< header text (already translated)
	float width = 0;    ///< fixed width in CSS pixels; 0 = share the remaining width
};

struct VirtualTableOptions
{
	/// Table height in CSS pixels; 0 fills the remaining height of the window.
	float height = 0;
	/// Scrolls so that this row is at the top (applied in this frame's layout, drawn next frame).
	std::optional<size_t> scroll_to_row;
	/// Scrolls down by this many rows from where the view is (keeps the rows in view when as many
	/// were inserted above them); ignored when scroll_to_row is set.
	size_t scroll_by_rows = 0;
};

struct VirtualTableResult
{
	size_t rows_drawn = 0;  ///< drawRow calls this frame
	size_t first_drawn = 0; ///< index of the first row drawn (meaningful when rows_drawn > 0)
	bool visible = false;   ///< false when the table is clipped away entirely
	float scroll_y = 0;     ///< the table's vertical scroll offset this frame (0 = at the top)
};

/// Draws a scrolling table of `rowCount` rows with a frozen header. `drawRow(i)` is called only
/// for the rows in view; the table row and first column are already started, so it draws cell 0
/// then calls ImGui::TableNextColumn() for the others. Row height is one text line.
VirtualTableResult drawVirtualTable(const char * id, const std::vector<TableColumn> & columns, size_t rowCount,
	const std::function<void(size_t row)> & drawRow, const VirtualTableOptions & options = {});

} // namespace ccc::admin::ui
