#include <gtest/gtest.h>

#include "model/logs_diff.h"
#include "model/logs_query.h"

namespace ccc::admin
{
namespace
{

constexpr int64_t kNow = 1764361200000; // 2025-11-28 20:20:00 UTC

TEST(LogsQuery, DefaultFiltersAskForTheNewestPage)
{
	EXPECT_EQ(logsListPath(logsParams(LogsFilters{}, kNow, 200)), "/admin/api/logs?limit=200");
}

TEST(LogsQuery, PresetsAreRelativeToNowWithAnOpenEnd)
{
	LogsFilters f;
	f.time = LogsTimePreset::LastHour;
	api::LogsListParams p = logsParams(f, kNow, 100);
	EXPECT_EQ(p.from_ms, kNow - 3600000);
	EXPECT_EQ(p.to_ms, -1);
	f.time = LogsTimePreset::Last15Min;
	EXPECT_EQ(logsParams(f, kNow, 100).from_ms, kNow - 15 * 60000);
	f.time = LogsTimePreset::Last24Hours;
	EXPECT_EQ(logsParams(f, kNow, 100).from_ms, kNow - 86400000);
	f.time = LogsTimePreset::Last7Days;
	EXPECT_EQ(logsParams(f, kNow, 100).from_ms, kNow - 7 * 86400000LL);
}

TEST(LogsQuery, EveryFilterIsEncodedInAStableOrder)
{
	LogsFilters f;
	f.time = LogsTimePreset::Custom;
	f.custom_from_ms = 1000;
	f.custom_to_ms = 5000;
	f.endpoint = " ep-a ";
	f.model = "claude-opus-4-8";
	f.status = "5xx";
	f.tag = "fast lane";
	f.session = "5f1c";
	f.q = "overloaded & 529";
	api::LogsListParams p = logsParams(f, kNow, 5000); // limit clamped
	p.cursor = "1764361100456:807";
	EXPECT_EQ(logsListPath(p),
		"/admin/api/logs?cursor=1764361100456%3A807&endpoint=ep-a&from=1000&limit=1000&model=claude-opus-4-8"
		"&q=overloaded%20%26%20529&session=5f1c&status=5xx&tag=fast%20lane&to=5000");
}

TEST(LogsQuery, InvalidStatusAndInvertedRangeAreNeverSent)
{
	LogsFilters f;
	f.status = "6xx";
	f.time = LogsTimePreset::Custom;
	f.custom_from_ms = 9000;
	f.custom_to_ms = 1000;
	api::LogsListParams p = logsParams(f, kNow, 100);
	EXPECT_EQ(p.status, "");
	EXPECT_LT(p.from_ms, p.to_ms);
	std::map<std::string, std::string> q = p.toQuery();
	api::LogsListParams back;
	std::string bad, msg;
	EXPECT_TRUE(api::LogsListParams::fromQuery(q, back, bad, msg)) << bad << ": " << msg;
}

TEST(LogsQuery, TimesFormatAndParseInUtc)
{
	EXPECT_EQ(formatLogTime(kNow), "2025-11-28 20:20:00");
	EXPECT_EQ(parseLogTime("2025-11-28 20:20:00"), kNow);
	EXPECT_EQ(parseLogTime("2025-11-28 20:20"), kNow);
	EXPECT_EQ(parseLogTime("2025-11-28"), kNow - (20 * 3600 + 20 * 60) * 1000LL);
	EXPECT_EQ(parseLogTime("yesterday"), -1);
	EXPECT_EQ(parseLogTime("2025-13-01"), -1);
	EXPECT_EQ(formatLogTime(-1), "");
}

std::string render(const LineDiff & d)
{
	std::string out;
	for (const DiffLine & l : d.lines)
		out += std::string(l.op == DiffLine::Op::Added ? "+" : l.op == DiffLine::Op::Removed ? "-" : " ") + l.text + "\n";
	return out;
}

TEST(LogsDiff, IdenticalTextsHaveNoEdits)
{
	LineDiff d = diffLines("a\nb\nc\n", "a\nb\nc");
	EXPECT_TRUE(d.identical());
	EXPECT_EQ(d.lines.size(), 3u);
}

TEST(LogsDiff, ShortestScriptWithChangesInTheMiddle)
{
	LineDiff d = diffLines("a\nb\nc\nd\ne\nf", "a\nx\nc\nd\nf\ng");
	EXPECT_EQ(render(d), " a\n-b\n+x\n c\n d\n-e\n f\n+g\n");
	EXPECT_EQ(d.added, 2u);
	EXPECT_EQ(d.removed, 2u);
}

TEST(LogsDiff, EmptySides)
{
	EXPECT_EQ(render(diffLines("", "a\nb")), "+a\n+b\n");
	EXPECT_EQ(render(diffLines("a\nb", "")), "-a\n-b\n");
	EXPECT_TRUE(diffLines("", "").identical());
}

TEST(LogsDiff, ClassicMyersExample)
{
	// Myers' paper: ABCABBA -> CBABAC has 5 edits.
	LineDiff d = diffLines("A\nB\nC\nA\nB\nB\nA", "C\nB\nA\nB\nA\nC");
	EXPECT_EQ(d.added + d.removed, 5u);
	// Applying the script yields both texts back.
	std::string a, b;
	for (const DiffLine & l : d.lines)
	{
		if (l.op != DiffLine::Op::Added)
			a += l.text;
		if (l.op != DiffLine::Op::Removed)
			b += l.text;
	}
	EXPECT_EQ(a, "ABCABBA");
	EXPECT_EQ(b, "CBABAC");
}

TEST(LogsDiff, GivesUpBeyondTheBoundButKeepsBothTexts)
{
	std::string a, b;
	for (int i = 0; i < 50; ++i)
		a += "a" + std::to_string(i) + "\n", b += "b" + std::to_string(i) + "\n";
	LineDiff d = diffLines(a, b, 10);
	EXPECT_TRUE(d.gave_up);
	EXPECT_EQ(d.removed, 50u);
	EXPECT_EQ(d.added, 50u);
}

TEST(LogsDiff, JsonBodiesDiffLineByLineAfterReindenting)
{
	const std::string original = R"({"model":"claude-opus-4-8","max_tokens":1024,"messages":[{"role":"user","content":"hi"}]})";
	const std::string sent = R"({"model":"glm-4.6","max_tokens":1024,"messages":[{"role":"user","content":"hi"}]})";
	LineDiff d = diffLines(diffableText(original), diffableText(sent));
	EXPECT_EQ(d.removed, 1u);
	EXPECT_EQ(d.added, 1u);
	std::string changed;
	for (const DiffLine & l : d.lines)
		if (l.op == DiffLine::Op::Added)
			changed = l.text;
	EXPECT_EQ(changed, R"(  "model": "glm-4.6",)");
	EXPECT_EQ(diffableText("event: ping\n"), "event: ping\n");
}

TEST(LogsDiff, LargeBodiesStayCheap)
{
	// A 20,000-line body with three edits is diffed exactly; two unrelated ones give up at the
	// bound instead of costing O(N * M).
	std::string a, b, c;
	for (int i = 0; i < 20000; ++i)
	{
		a += "line " + std::to_string(i) + "\n";
		b += (i == 10 || i == 9000 ? "changed " : "line ") + std::to_string(i) + "\n";
		c += "other " + std::to_string(i) + "\n";
	}
	b += "appended\n";
	LineDiff d = diffLines(a, b);
	EXPECT_FALSE(d.gave_up);
	EXPECT_EQ(d.removed, 2u);
	EXPECT_EQ(d.added, 3u);
	EXPECT_EQ(d.lines.size(), 20003u);
	LineDiff u = diffLines(a, c);
	EXPECT_TRUE(u.gave_up);
	EXPECT_EQ(u.lines.size(), 40000u);
}

} // namespace
} // namespace ccc::admin
