#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <unordered_set>
#include <vector>

#include <nlohmann/json.hpp>

#include "ccc/api/admin_logs.h"
#include "model/api_client.h"
#include "model/logs_diff.h"
#include "model/logs_inspect.h"
#include "model/logs_query.h"
#include "model/resource.h"

/// The logs panel's state apart from drawing: what it loaded, what is in flight, what failed.
/// Owned by AppState (AppState::logs()); the panel reads it and calls its actions.
namespace ccc::admin
{

/// One attempt of a detail, with what the inspectors and diffs computed when it arrived.
struct LogAttemptView
{
	/// The body sent upstream against the client's original (JSON re-indented first); empty
	/// (identical) when the store kept one copy (request_body_same_as_client).
	LineDiff sent_vs_original;
	/// What the client got against what this attempt received; only for the attempt whose answer
	/// went back to the client (the last one), has_returned_diff false otherwise.
	LineDiff returned_vs_received;
	bool has_returned_diff = false;
	ResponseInspection received; ///< this attempt's upstream response body, inspected
	std::string sent_text;       ///< request_body as shown: JSON re-indented (diffableText)
	std::string received_text;   ///< response_body as shown
};

/// A loaded request detail plus everything derived from it (computed once, on arrival).
struct LogDetailView
{
	api::LogDetail detail;
	RequestInspection request;   ///< the client's request body
	ResponseInspection response; ///< the body returned to the client
	std::vector<LogAttemptView> attempts; ///< parallel to detail.attempts
	std::string client_request_text;  ///< client_request_body as shown: JSON re-indented
	std::string client_response_text; ///< client_response_body as shown
	/// Stable tab ids in display order: "summary", "attempt_1".., "request", "response".
	std::vector<std::string> tabs;
};

/// Builds the view of a detail (runs the inspectors and diffs).
LogDetailView makeLogDetailView(api::LogDetail detail);

class LogsModel
{
public:
	explicit LogsModel(ApiClient & api) : _api(api) { }

	static constexpr int kPageSize = 200;
	/// Rows from the end of the list at which scrolling asks for the next page.
	static constexpr size_t kPrefetchRows = 60;
	static constexpr int64_t kTailIntervalMs = 2000;
	/// A live-tail poll follows at most this many pages of newer records (then waits for the next poll).
	static constexpr int kTailMaxPages = 5;

	const LogsFilters & filters() const { return _filters; }
	/// The list parameters in force (from the last apply), without cursor.
	const api::LogsListParams & params() const { return _params; }

	/// Sets the filters and restarts the list from its first page (older answers are ignored).
	void apply(const LogsFilters & filters, int64_t nowMs);
	/// Loads the first page if nothing was ever requested (panel entry).
	void ensureLoaded(int64_t nowMs);
	/// Restarts the list with the current filters (presets are re-anchored at nowMs).
	void reload(int64_t nowMs) { apply(_filters, nowMs); }
	/// Fetches the next page (cursor) unless one is in flight or there is none.
	void loadMore();
	/// The panel reports the last row on screen; near the end this asks for the next page.
	void onRowsVisible(size_t lastVisibleRow);

	const std::vector<api::LogSummary> & rows() const { return _rows; }
	bool hasMore() const { return !_cursor.empty(); }
	LoadState listState() const { return _listState; }
	const std::string & listError() const { return _listError; }
	int pagesLoaded() const { return _pages; }

	/// Live tail: while on, tick() polls for records newer than the newest row every
	/// kTailIntervalMs and prepends them (no duplicates).
	void setLiveTail(bool on, int64_t nowMs);
	bool liveTail() const { return _tail; }
	void tick(int64_t nowMs);
	LoadState tailState() const { return _tailState; }
	const std::string & tailError() const { return _tailError; }
	/// Rows prepended since the last call (the panel shifts its scroll by as many rows, so what
	/// the user looks at stays put when they are not at the top).
	size_t takePrepended();

	/// Opens the detail of `requestId` (loads it; the previous detail stays until it arrives).
	void select(const std::string & requestId);
	void closeDetail();
	const std::string & selectedId() const { return _selected; }
	const Resource<LogDetailView> & detail() const { return _detail; }

	/// The debug ZIP's URL path for `requestId` (downloaded by the browser itself).
	static std::string exportPath(const std::string & requestId);
	/// The debug ZIP download of `requestId` started (the browser fetches it itself) ...
	void exportStarted(const std::string & requestId);
	/// ... and ended: saved (`error` empty) or refused/failed (`error` says why).
	void exportFinished(const std::string & error);
	/// The latest export: Loading while the browser fetches it, Loaded when saved, Failed with error.
	const ActionState & exportAction() const { return _export; }
	const std::string & lastExport() const { return _lastExport; }

	/// This panel's part of window.__adminTest.state (under the key "logs"); keys are stable.
	nlohmann::ordered_json testState() const;

private:
	void fetchPage();
	void pollTail(std::string cursor, std::vector<api::LogSummary> gathered, int page);
	bool addId(const std::string & requestId) { return _ids.insert(requestId).second; }

	ApiClient & _api;
	LogsFilters _filters;
	api::LogsListParams _params;
	bool _applied = false;
	uint64_t _generation = 0; ///< bumped by apply(): answers of an older generation are dropped
	std::vector<api::LogSummary> _rows;
	std::unordered_set<std::string> _ids;
	std::string _cursor;
	LoadState _listState = LoadState::Idle;
	std::string _listError;
	int _pages = 0;

	bool _tail = false;
	int64_t _lastPollMs = 0;
	LoadState _tailState = LoadState::Idle;
	std::string _tailError;
	int _tailPolls = 0;
	size_t _prepended = 0;
	size_t _prependedTotal = 0;

	std::string _selected;
	Resource<LogDetailView> _detail;
	uint64_t _detailGeneration = 0;
	ActionState _export;
	int _exports = 0; ///< downloads started
	std::string _lastExport;

	/// Guards callbacks that outlive the object (the transport may answer after destruction).
	std::shared_ptr<bool> _alive = std::make_shared<bool>(true);
};

} // namespace ccc::admin
