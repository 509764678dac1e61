#include "ui/chart.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ctime>

namespace ccc::admin::ui
{

double niceCeiling(double v)
{
	// 2, 4 or 10 times a power of ten: the middle grid line is then a round number too.
	if (!(v > 0))
		return 2.0;
	const double p = std::pow(10.0, std::floor(std::log10(v)));
	for (double m : {1.0, 2.0, 4.0, 10.0})
		if (m * p >= v * 0.999999 && (m != 1.0 || p >= 10.0))
			return m * p;
	return 10.0 * p;
}

std::string formatClock(int64_t ms, bool withDate)
{
	const std::time_t t = static_cast<std::time_t>(ms / 1000);
	std::tm tm{};
	localtime_r(&t, &tm);
	char buf[32];
	if (withDate)
		std::snprintf(buf, sizeof buf, "%02d-%02d %02d:%02d", tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min);
	else
		std::snprintf(buf, sizeof buf, "%02d:%02d", tm.tm_hour, tm.tm_min);
	return buf;
}

int drawChart(const ChartSpec & spec)
{
	ImDrawList * dl = ImGui::GetWindowDrawList();
	const ImGuiStyle & style = ImGui::GetStyle();
	const float lineH = ImGui::GetTextLineHeight();
	const ImVec2 origin = ImGui::GetCursorScreenPos();
	const float width = std::max(120.0f, ImGui::GetContentRegionAvail().x);
	const ImVec2 size(width, spec.height);
	ImGui::InvisibleButton(spec.id, size);
	const bool hovered = ImGui::IsItemHovered();

	size_t count = 0;
	double maxValue = 0;
	for (const auto & l : spec.lines)
		if (l.values)
		{
			count = std::max(count, l.values->size());
			for (float v : *l.values)
				maxValue = std::max(maxValue, static_cast<double>(v));
		}
	const double top = niceCeiling(maxValue);

	// Plot area: y labels on the left, time labels below, the legend above.
	char label[64];
	std::snprintf(label, sizeof label, spec.value_format, top);
	const float axisW = ImGui::CalcTextSize(label).x + style.ItemSpacing.x;
	const ImVec2 p0(origin.x + axisW, origin.y + lineH + 4.0f);
	const ImVec2 p1(origin.x + size.x - 4.0f, origin.y + size.y - lineH - 4.0f);
	const ImU32 text = ImGui::GetColorU32(ImGuiCol_Text);
	const ImU32 dim = ImGui::GetColorU32(ImGuiCol_TextDisabled);
	const ImU32 grid = ImGui::GetColorU32(ImGuiCol_Separator, 0.5f);
	dl->AddRectFilled(p0, p1, ImGui::GetColorU32(ImGuiCol_FrameBg, 0.6f));

	// Legend.
	float lx = p0.x;
	for (const auto & l : spec.lines)
	{
		dl->AddRectFilled(ImVec2(lx, origin.y + lineH * 0.3f), ImVec2(lx + 10.0f, origin.y + lineH * 0.8f), l.colour);
		dl->AddText(ImVec2(lx + 14.0f, origin.y), text, l.label);
		lx += 14.0f + ImGui::CalcTextSize(l.label).x + style.ItemSpacing.x * 2;
	}

	// Y axis: 0, half and the top, with grid lines.
	for (int i = 0; i <= 2; ++i)
	{
		const double v = top * i / 2.0;
		const float y = p1.y - (p1.y - p0.y) * static_cast<float>(i) / 2.0f;
		dl->AddLine(ImVec2(p0.x, y), ImVec2(p1.x, y), grid);
		std::snprintf(label, sizeof label, spec.value_format, v);
		const float w = ImGui::CalcTextSize(label).x;
		dl->AddText(ImVec2(p0.x - w - 4.0f, y - lineH * 0.5f), dim, label);
	}
	if (count == 0)
		return -1;

	// X axis: the first, middle and last bucket's start time.
	const bool withDate = spec.bucket_ms * static_cast<int64_t>(count) > 24LL * 3600 * 1000;
	const float step = count > 1 ? (p1.x - p0.x) / static_cast<float>(count - 1) : 0.0f;
	const size_t ticks[3] = {0, count / 2, count - 1};
	for (size_t t : ticks)
	{
		const std::string s = formatClock(spec.start_ms + static_cast<int64_t>(t) * spec.bucket_ms, withDate);
		const float w = ImGui::CalcTextSize(s.c_str()).x;
		const float x = std::clamp(p0.x + step * static_cast<float>(t) - w * 0.5f, p0.x, p1.x - w);
		dl->AddText(ImVec2(x, p1.y + 2.0f), dim, s.c_str());
	}

	// Lines (a lone bucket is a dot).
	const float scale = static_cast<float>((p1.y - p0.y) / top);
	std::vector<ImVec2> points;
	points.reserve(count);
	for (const auto & l : spec.lines)
	{
		if (!l.values || l.values->empty())
			continue;
		points.clear();
		for (size_t i = 0; i < l.values->size(); ++i)
			points.emplace_back(p0.x + step * static_cast<float>(i), p1.y - (*l.values)[i] * scale);
		if (points.size() == 1)
			dl->AddCircleFilled(points[0], 2.5f, l.colour);
		else
			dl->AddPolyline(points.data(), static_cast<int>(points.size()), l.colour, 0, 1.5f);
	}

	// Hover: the nearest bucket, its time and every value.
	if (!hovered)
		return -1;
	const float mx = ImGui::GetIO().MousePos.x;
	int index = step > 0 ? static_cast<int>(std::lround((mx - p0.x) / step)) : 0;
	index = std::clamp(index, 0, static_cast<int>(count) - 1);
	const float x = p0.x + step * static_cast<float>(index);
	dl->AddLine(ImVec2(x, p0.y), ImVec2(x, p1.y), ImGui::GetColorU32(ImGuiCol_Text, 0.5f));
	ImGui::BeginTooltip();
	const int64_t at = spec.start_ms + static_cast<int64_t>(index) * spec.bucket_ms;
	ImGui::Text("%s - %s", formatClock(at, withDate).c_str(), formatClock(at + spec.bucket_ms, withDate).c_str());
	for (const auto & l : spec.lines)
	{
		if (!l.values || static_cast<size_t>(index) >= l.values->size())
			continue;
		std::snprintf(label, sizeof label, spec.value_format, static_cast<double>((*l.values)[static_cast<size_t>(index)]));
		ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(l.colour), "%s: %s", l.label, label);
	}
	ImGui::EndTooltip();
	return index;
}

} // namespace ccc::admin::ui
