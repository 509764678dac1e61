#include <gtest/gtest.h>

#include <set>

#include <imgui.h>

#include "fake_transport.h"
#include "headless_imgui.h"
#include "model/logs_model.h"
#include "ui/virtual_table.h"

namespace ccc::admin
{
namespace
{

constexpr int64_t kNow = 1764361200000;

nlohmann::json row(int64_t id, int64_t startedAt)
{
	api::LogSummary s;
	s.id = id;
	s.request_id = "req_" + std::to_string(id);
	s.started_at_ms = startedAt;
	s.status = 200;
	s.outcome = "success";
	s.model_requested = "claude-opus-4-8";
	return api::toJson(s);
}

/// A page of rows ids [first, first - count) (newest first), with a cursor when `more`.
std::string page(int64_t first, int count, bool more)
{
	nlohmann::json items = nlohmann::json::array();
	for (int i = 0; i < count; ++i)
		items.push_back(row(first - i, 1000000 + (first - i) * 10));
	nlohmann::json p = {{"items", items}, {"next_cursor", more ? nlohmann::json("c" + std::to_string(first - count)) : nlohmann::json()}};
	return p.dump();
}

class LogsModelTest : public ::testing::Test
{
protected:
	testing::FakeTransport transport;
	ApiClient api{transport.transport()};
	LogsModel model{api};
};

TEST_F(LogsModelTest, FirstPageThenNextPagesWithTheCursorOnlyNearTheEnd)
{
	model.ensureLoaded(kNow);
	ASSERT_EQ(transport.pending(), 1u);
	EXPECT_EQ(transport.front().path, "/admin/api/logs?limit=200");
	EXPECT_EQ(model.listState(), LoadState::Loading);
	transport.answer(200, page(1000, 200, true));
	EXPECT_EQ(model.rows().size(), 200u);
	EXPECT_TRUE(model.hasMore());
	EXPECT_EQ(model.rows().front().request_id, "req_1000");

	model.onRowsVisible(30); // far from the end: nothing
	EXPECT_EQ(transport.pending(), 0u);
	model.onRowsVisible(150);
	ASSERT_EQ(transport.pending(), 1u);
	EXPECT_EQ(transport.front().path, "/admin/api/logs?cursor=c800&limit=200");
	model.onRowsVisible(199); // one page in flight at a time
	EXPECT_EQ(transport.pending(), 1u);
	transport.answer(200, page(800, 100, false));
	EXPECT_EQ(model.rows().size(), 300u);
	EXPECT_FALSE(model.hasMore());
	model.onRowsVisible(299);
	EXPECT_EQ(transport.pending(), 0u);
	EXPECT_EQ(model.testState()["rows"], 300);
	EXPECT_EQ(model.testState()["pages"], 2);
}

TEST_F(LogsModelTest, ApplyingFiltersResetsTheListAndDropsStaleAnswers)
{
	model.ensureLoaded(kNow);
	transport.answer(200, page(1000, 200, true));
	model.onRowsVisible(199); // next page in flight
	LogsFilters f;
	f.status = "5xx";
	f.time = LogsTimePreset::Last15Min;
	model.apply(f, kNow);
	EXPECT_TRUE(model.rows().empty());
	ASSERT_EQ(transport.pending(), 2u);
	transport.answer(200, page(800, 200, true)); // the old generation's page: ignored
	EXPECT_TRUE(model.rows().empty());
	EXPECT_EQ(transport.front().path, "/admin/api/logs?from=" + std::to_string(kNow - 900000) + "&limit=200&status=5xx");
	transport.answer(200, page(50, 3, false));
	EXPECT_EQ(model.rows().size(), 3u);
	nlohmann::ordered_json s = model.testState();
	EXPECT_EQ(s["filters"]["status"], "5xx");
	EXPECT_EQ(s["filters"]["time"], "15m");
}

TEST_F(LogsModelTest, AFailedPageIsShownAndRetriedOnlyOnRequest)
{
	model.ensureLoaded(kNow);
	transport.answer(400, R"({"error": "limit must be an integer in 1..1000", "path": "limit"})");
	EXPECT_EQ(model.listState(), LoadState::Failed);
	EXPECT_NE(model.listError().find("limit must be"), std::string::npos);
	model.onRowsVisible(0);
	EXPECT_EQ(transport.pending(), 0u);
	model.reload(kNow);
	EXPECT_EQ(transport.pending(), 1u);
}

TEST_F(LogsModelTest, LiveTailPrependsNewerRecordsWithoutDuplicates)
{
	model.ensureLoaded(kNow);
	transport.answer(200, page(100, 50, true));
	const int64_t newest = model.rows().front().started_at_ms;
	model.setLiveTail(true, kNow);
	model.tick(kNow);
	ASSERT_EQ(transport.pending(), 1u);
	EXPECT_EQ(transport.front().path, "/admin/api/logs?from=" + std::to_string(newest) + "&limit=200");
	// The answer repeats the newest known row (same millisecond, `from` is inclusive) plus two new ones.
	transport.answer(200, page(102, 3, false));
	ASSERT_EQ(model.rows().size(), 52u);
	EXPECT_EQ(model.rows()[0].request_id, "req_102");
	EXPECT_EQ(model.rows()[1].request_id, "req_101");
	EXPECT_EQ(model.rows()[2].request_id, "req_100");
	EXPECT_EQ(model.takePrepended(), 2u);
	EXPECT_EQ(model.takePrepended(), 0u);

	model.tick(kNow + 1000); // not yet due
	EXPECT_EQ(transport.pending(), 0u);
	model.tick(kNow + 2000);
	ASSERT_EQ(transport.pending(), 1u);
	transport.answer(200, page(102, 1, false)); // nothing new
	EXPECT_EQ(model.rows().size(), 52u);
	EXPECT_EQ(model.takePrepended(), 0u);

	model.setLiveTail(false, kNow + 5000);
	model.tick(kNow + 10000);
	EXPECT_EQ(transport.pending(), 0u);
}

TEST_F(LogsModelTest, LiveTailFollowsPagesWhenManyArrivedAtOnce)
{
	model.ensureLoaded(kNow);
	transport.answer(200, page(100, 10, false));
	model.setLiveTail(true, kNow);
	model.tick(kNow);
	transport.answer(200, page(500, 200, true)); // all new: there may be more below
	ASSERT_EQ(transport.pending(), 1u);
	EXPECT_NE(transport.front().path.find("cursor=c300"), std::string::npos);
	transport.answer(200, page(300, 201, false)); // reaches req_100, already known
	EXPECT_EQ(model.rows().size(), 410u);
	EXPECT_EQ(model.rows().front().request_id, "req_500");
	EXPECT_EQ(model.rows()[400].request_id, "req_100");
	EXPECT_EQ(model.takePrepended(), 400u);
}

TEST_F(LogsModelTest, RowsFromAPageThatOverlapsTheTailAreNotRepeated)
{
	model.ensureLoaded(kNow);
	transport.answer(200, page(100, 10, true));
	model.setLiveTail(true, kNow);
	model.tick(kNow);
	transport.answer(200, page(105, 6, false)); // 5 new
	model.onRowsVisible(14);
	transport.answer(200, page(95, 10, false)); // req_95.. overlaps nothing; req_91 first new below
	std::set<std::string> seen;
	for (const api::LogSummary & s : model.rows())
		EXPECT_TRUE(seen.insert(s.request_id).second) << s.request_id;
}

const char * kDetail = R"({"id": 7, "request_id": "req_7", "started_at_ms": 1764361200123, "status": 200, "outcome": "success",
 "streaming": false, "attempt_count": 2,
 "client_request_headers": [["content-type", "application/json"]],
 "client_request_body": {"text": "{\"model\":\"claude-opus-4-8\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", "size": 80},
 "client_response_headers": [],
 "client_response_body": {"text": "{\"id\":\"m\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-opus-4-8\",\"content\":[{\"type\":\"text\",\"text\":\"hello\"}],\"stop_reason\":\"end_turn\",\"usage\":{\"input_tokens\":5,\"output_tokens\":2}}", "size": 150},
 "attempts": [
  {"attempt_number": 1, "endpoint_name": "a", "status": 529, "outcome": "upstream_error", "error": "overloaded_error: Overloaded",
   "request_body_same_as_client": true, "request_body": {"text": ""},
   "response_body": {"text": "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}"}},
  {"attempt_number": 2, "endpoint_name": "b", "status": 200, "outcome": "success",
   "request_body": {"text": "{\"model\":\"glm-4.6\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"},
   "response_body": {"text": "{\"id\":\"m\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"glm-4.6\",\"content\":[{\"type\":\"text\",\"text\":\"hello\"}],\"stop_reason\":\"end_turn\",\"usage\":{\"input_tokens\":5,\"output_tokens\":2}}"}}
 ]})";

TEST_F(LogsModelTest, DetailIsInspectedAndDiffedOnArrival)
{
	model.select("req 7/x");
	ASSERT_EQ(transport.pending(), 1u);
	EXPECT_EQ(transport.front().path, "/admin/api/logs/req%207%2Fx");
	transport.answer(404, R"({"error": "no request with id 'req 7/x'", "path": "request_id"})");
	EXPECT_EQ(model.detail().state, LoadState::Failed);
	EXPECT_NE(model.detail().error.find("no request"), std::string::npos);

	model.select("req_7");
	transport.answer(200, kDetail);
	ASSERT_EQ(model.detail().state, LoadState::Loaded);
	const LogDetailView & v = *model.detail().data;
	EXPECT_EQ(v.tabs, (std::vector<std::string>{"summary", "attempt_1", "attempt_2", "request", "response"}));
	ASSERT_EQ(v.attempts.size(), 2u);
	EXPECT_TRUE(v.attempts[0].sent_vs_original.identical());
	EXPECT_EQ(v.attempts[0].received.upstream_error, "overloaded_error: Overloaded");
	EXPECT_EQ(v.attempts[1].sent_vs_original.added, 1u);
	EXPECT_EQ(v.attempts[1].sent_vs_original.removed, 1u);
	EXPECT_TRUE(v.attempts[1].has_returned_diff);
	EXPECT_EQ(v.attempts[1].returned_vs_received.added, 1u); // the model name restored for the client
	EXPECT_TRUE(v.request.parsed);
	EXPECT_EQ(v.response.blocks.size(), 1u);
	// Bodies are shown re-indented (the diffs compare the same text).
	EXPECT_NE(v.client_request_text.find("\n  \"model\": \"claude-opus-4-8\","), std::string::npos) << v.client_request_text;
	EXPECT_NE(v.attempts[1].sent_text.find("\"glm-4.6\""), std::string::npos);
	EXPECT_EQ(v.attempts[0].sent_text, ""); // same as the client's: not repeated

	nlohmann::ordered_json s = model.testState();
	EXPECT_EQ(s["selected"], "req_7");
	EXPECT_EQ(s["detail_state"], "loaded");
	EXPECT_EQ(s["attempts"][0]["status"], 529);
	EXPECT_EQ(s["attempts"][1]["outcome"], "success");
	EXPECT_EQ(s["request_inspector"]["roles"], nlohmann::ordered_json::array({"user"}));
	EXPECT_EQ(s["response_inspector"]["stop_reason"], "end_turn");

	EXPECT_EQ(LogsModel::exportPath("req_7"), "/admin/api/logs/req_7/export");
	model.exportStarted("req_7");
	EXPECT_EQ(model.exportAction().state, LoadState::Loading);
	model.exportFinished("HTTP 404: no request with id 'req_7'");
	EXPECT_EQ(model.exportAction().state, LoadState::Failed);
	EXPECT_EQ(model.testState()["export_error"], "HTTP 404: no request with id 'req_7'");
	model.exportFinished(""); // a late second answer changes nothing
	EXPECT_EQ(model.exportAction().state, LoadState::Failed);
	model.exportStarted("req_7");
	model.exportFinished("");
	EXPECT_EQ(model.exportAction().state, LoadState::Loaded);
	EXPECT_EQ(model.testState()["exports"], 2);
	model.closeDetail();
	EXPECT_EQ(model.testState()["selected"], "");
}

/// The list with 100,000 rows fetched page by page as a headless ImGui table scrolls to its end:
/// only visible rows are drawn, and a page is asked for only when the view nears the end.
TEST_F(LogsModelTest, HundredThousandRowsArriveOnlyAsTheTableScrolls)
{
	testing::HeadlessImGuiContext imgui;

	auto frame = [&](std::optional<size_t> scrollTo) {
		ui::VirtualTableOptions options;
		options.scroll_to_row = scrollTo;
		const auto & rows = model.rows();
		ui::VirtualTableResult r = testing::fullWindowFrame([&] {
			return ui::drawVirtualTable("rows", {{"Time", 150.0f}, {"Request"}}, rows.size(), [&](size_t i) {
				ImGui::TextUnformatted(rows[i].request_id.c_str());
				ImGui::TableNextColumn();
				ImGui::Text("%d", rows[i].status);
			}, options);
		});
		if (r.rows_drawn > 0)
			model.onRowsVisible(r.first_drawn + r.rows_drawn - 1);
		return r;
	};

	model.ensureLoaded(kNow);
	constexpr int kTotal = 100000;
	int served = 0;
	size_t maxDrawn = 0;
	int frames = 0;
	while (served < kTotal)
	{
		ASSERT_LE(transport.pending(), 1u);
		if (transport.pending() == 1)
		{
			const int count = std::min(LogsModel::kPageSize, kTotal - served);
			transport.answer(200, page(kTotal - served, count, served + count < kTotal));
			served += count;
		}
		// Two frames: one at the top of what is loaded, one jumping to its end.
		maxDrawn = std::max(maxDrawn, frame(std::nullopt).rows_drawn);
		maxDrawn = std::max(maxDrawn, frame(model.rows().size()).rows_drawn);
		frame(std::nullopt);
		++frames;
		ASSERT_LT(frames, 1000);
	}
	EXPECT_EQ(model.rows().size(), static_cast<size_t>(kTotal));
	EXPECT_EQ(model.pagesLoaded(), kTotal / LogsModel::kPageSize);
	EXPECT_FALSE(model.hasMore());
	EXPECT_LT(maxDrawn, 80u);
	// Scrolled back to the top, nothing more is asked for.
	frame(0);
	frame(std::nullopt);
	EXPECT_EQ(transport.pending(), 0u);
}

/// What the panel does with LogsModel::takePrepended(): scrolled away from the top, the rows in
/// view stay in view when the live tail inserts rows above them.
TEST_F(LogsModelTest, PrependedRowsKeepTheViewWhenScrolledAway)
{
	testing::HeadlessImGuiContext imgui;
	auto frame = [&](ui::VirtualTableOptions options, std::string & firstId) {
		const auto & rows = model.rows();
		bool first = true;
		return testing::fullWindowFrame([&] {
			return ui::drawVirtualTable("rows", {{"Request"}}, rows.size(), [&](size_t i) {
				// The clipper draws one row above the view: the first fully visible one is the second.
				if (!first && firstId.empty())
					firstId = rows[i].request_id;
				first = false;
				ImGui::TextUnformatted(rows[i].request_id.c_str());
			}, options);
		});
	};
	model.ensureLoaded(kNow);
	transport.answer(200, page(1000, 200, true));
	ui::VirtualTableOptions to100;
	to100.scroll_to_row = 100;
	std::string id;
	frame(to100, id);
	id.clear();
	ui::VirtualTableResult before = frame({}, id);
	ASSERT_GT(before.scroll_y, 0.0f);
	const std::string firstBefore = id;

	model.setLiveTail(true, kNow);
	model.tick(kNow);
	transport.answer(200, page(1003, 4, false)); // 3 new rows above
	ui::VirtualTableOptions shift;
	shift.scroll_by_rows = model.takePrepended();
	EXPECT_EQ(shift.scroll_by_rows, 3u);
	id.clear();
	frame(shift, id);
	id.clear();
	frame({}, id);
	EXPECT_EQ(id, firstBefore);
}

} // namespace
} // namespace ccc::admin
