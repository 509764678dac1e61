#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <imgui.h>

/// A small time-series chart drawn with ImDrawList (no plotting library): a few lines over
/// evenly spaced buckets, a y axis from 0 to a rounded maximum with labels, time labels under the
/// x axis, and on hover a vertical marker with the bucket's time and every line's value. Cost per
/// frame is one pass over the points (a few hundred at most).
namespace ccc::admin::ui
{

struct ChartLine
{
	const std::vector<float> * values = nullptr; ///< one value per bucket
	ImU32 colour = 0;
	const char * label = "";
};

struct ChartSpec
{
	const char * id = "chart";    ///< ImGui id (unique within the window)
	int64_t start_ms = 0;         ///< start of the first bucket (epoch ms)
	int64_t bucket_ms = 0;
	std::vector<ChartLine> lines;
	const char * value_format = "%.0f"; ///< printf format of one value (axis and tooltip)
	float height = 140.0f;
};

/// Draws the chart across the available width; returns the index of the hovered bucket or -1.
int drawChart(const ChartSpec & spec);

/// The smallest "nice" number at least `v` (2, 4 or 10 times a power of ten, 10^k for k >= 1)
/// whose half is a whole number when `v` >= 1; 2 for v <= 0.
double niceCeiling(double v);

/// "HH:MM" (or "MM-DD HH:MM" when `withDate`) of an epoch-ms time, in the browser's time zone.
std::string formatClock(int64_t ms, bool withDate);

} // namespace ccc::admin::ui
