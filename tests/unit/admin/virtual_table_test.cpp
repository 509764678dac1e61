#include <gtest/gtest.h>

#include <imgui.h>

#include "headless_imgui.h"
#include "ui/virtual_table.h"

namespace ccc::admin::ui
{
namespace
{

/// Frames laid out in a headless ImGui context (headless_imgui.h).
class HeadlessImGui : public ::testing::Test
{
protected:
	testing::HeadlessImGuiContext _imgui;

	/// One frame with a full-window table of `rows` rows; returns what the helper reports and
	/// counts the drawRow calls itself.
	VirtualTableResult frame(size_t rows, size_t & calls, std::vector<size_t> & drawn, const VirtualTableOptions & options = {})
	{
		const std::vector<TableColumn> columns = {{"Time", 150.0f}, {"Endpoint"}, {"Model"}, {"Status", 60.0f}};
		calls = 0;
		drawn.clear();
		return testing::fullWindowFrame([&] {
			return drawVirtualTable("rows", columns, rows, [&](size_t i) {
				++calls;
				drawn.push_back(i);
				ImGui::Text("%zu", i);
				ImGui::TableNextColumn();
				ImGui::TextUnformatted("endpoint");
				ImGui::TableNextColumn();
				ImGui::TextUnformatted("claude");
				ImGui::TableNextColumn();
				ImGui::TextUnformatted("200");
			}, options);
		});
	}
};

TEST_F(HeadlessImGui, HundredThousandRowsDrawOnlyTheVisibleOnes)
{
	size_t calls = 0;
	std::vector<size_t> drawn;
	VirtualTableResult r;
	for (int i = 0; i < 3; ++i) // a few frames: tables settle their layout over the first ones
		r = frame(100000, calls, drawn);
	ASSERT_TRUE(r.visible);
	// 800 px of window hold about 45 rows of a 13 px font: far fewer than 100 are drawn.
	EXPECT_GT(calls, 20u);
	EXPECT_LT(calls, 100u);
	EXPECT_EQ(r.rows_drawn, calls);
	EXPECT_EQ(r.first_drawn, 0u);
	EXPECT_EQ(drawn.front(), 0u);
	for (size_t i = 1; i < drawn.size(); ++i)
		EXPECT_EQ(drawn[i], drawn[i - 1] + 1) << "visible rows are contiguous";
	// The draw data holds about as many vertices as the visible rows need, not 100,000 rows' worth.
	EXPECT_LT(ImGui::GetDrawData()->TotalVtxCount, 40000);
}

TEST_F(HeadlessImGui, ScrollingShowsTheTargetRowsOnly)
{
	size_t calls = 0;
	std::vector<size_t> drawn;
	frame(100000, calls, drawn);
	VirtualTableOptions jump;
	jump.scroll_to_row = 50000;
	frame(100000, calls, drawn, jump);
	VirtualTableResult r;
	for (int i = 0; i < 2; ++i)
		r = frame(100000, calls, drawn);
	EXPECT_LT(calls, 100u);
	ASSERT_FALSE(drawn.empty());
	// The clipper may draw a row or two above the view; the target row is in what was drawn.
	EXPECT_LE(r.first_drawn, 50000u);
	EXPECT_GE(r.first_drawn, 49990u);
	EXPECT_GE(drawn.back(), 50020u);
	EXPECT_LT(drawn.back(), 50100u);

	// Scrolling to the end of a shorter list clamps to its last rows.
	jump.scroll_to_row = 1000000;
	frame(1000, calls, drawn, jump);
	frame(1000, calls, drawn);
	ASSERT_FALSE(drawn.empty());
	EXPECT_EQ(drawn.back(), 999u);
	EXPECT_LT(calls, 100u);
}

TEST_F(HeadlessImGui, EmptyTablesAndNoColumns)
{
	size_t calls = 0;
	std::vector<size_t> drawn;
	VirtualTableResult r = frame(0, calls, drawn);
	EXPECT_TRUE(r.visible);
	EXPECT_EQ(calls, 0u);
	ImGui::NewFrame();
	ImGui::Begin("x");
	r = drawVirtualTable("none", {}, 10, [](size_t) { FAIL() << "no columns, no rows"; });
	ImGui::End();
	ImGui::Render();
	EXPECT_FALSE(r.visible);
}

} // namespace
} // namespace ccc::admin::ui
