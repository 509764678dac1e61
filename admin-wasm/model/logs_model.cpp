#include "model/logs_model.h"

#include <algorithm>

namespace ccc::admin
{

namespace
{

/// ApiClient parses into ordered_json; the shared fromJson() readers take nlohmann::json.
nlohmann::json plain(const nlohmann::ordered_json & j)
{
	return nlohmann::json(j);
}

/// Reads one answer of the logs API into `out`: "" when it worked, otherwise why not (never empty).
template <class T>
std::string readAnswer(const ApiResult & result, T & out)
{
	std::string error = result.error;
	if (result.ok && !api::fromJson(plain(result.body), out, error) && error.empty())
		error = "unreadable answer";
	if (!result.ok || !error.empty())
		return error.empty() ? "request failed" : error;
	return std::string();
}

nlohmann::ordered_json usageJson(const anthropic::Usage & u)
{
	return {{"input_tokens", u.input_tokens}, {"output_tokens", u.output_tokens},
		{"cache_creation_input_tokens", u.cache_creation_input_tokens}, {"cache_read_input_tokens", u.cache_read_input_tokens}};
}

nlohmann::ordered_json responseSummary(const ResponseInspection & r)
{
	nlohmann::ordered_json blocks = nlohmann::ordered_json::array();
	for (const RebuiltBlock & b : r.blocks)
	{
		nlohmann::ordered_json jb = {{"type", b.type}, {"chars", b.text.size()}};
		if (!b.tool_name.empty())
			jb["tool_name"] = b.tool_name;
		if (b.type == "tool_use" || !b.input_json.empty())
		{
			jb["input_json"] = b.input_json;
			jb["input_valid"] = b.input_valid;
		}
		blocks.push_back(jb);
	}
	return {{"parsed", r.parsed}, {"error", r.error}, {"streamed", r.streamed}, {"model", r.model},
		{"stop_reason", r.stop_reason}, {"usage", usageJson(r.usage)}, {"cache_efficiency", r.cache_efficiency},
		{"events", r.event_count}, {"blocks", blocks}, {"validation", r.validation}, {"upstream_error", r.upstream_error}};
}

} // namespace

LogDetailView makeLogDetailView(api::LogDetail detail)
{
	LogDetailView v;
	v.request = inspectRequestBody(detail.client_request_body.text);
	v.response = inspectResponseBody(detail.client_response_body.text, detail.summary.streaming);
	v.client_request_text = diffableText(detail.client_request_body.text);
	v.client_response_text = diffableText(detail.client_response_body.text);
	const std::string & original = v.client_request_text;
	v.tabs.push_back("summary");
	for (size_t i = 0; i < detail.attempts.size(); ++i)
	{
		const api::AttemptDetail & a = detail.attempts[i];
		LogAttemptView av;
		if (!a.request_body_same_as_client)
		{
			av.sent_text = diffableText(a.request_body.text);
			av.sent_vs_original = diffLines(original, av.sent_text);
		}
		av.received = inspectResponseBody(a.response_body.text, a.streaming);
		av.received_text = diffableText(a.response_body.text);
		if (i + 1 == detail.attempts.size())
		{
			av.has_returned_diff = true;
			av.returned_vs_received = diffLines(av.received_text, v.client_response_text);
		}
		v.attempts.push_back(std::move(av));
		v.tabs.push_back("attempt_" + std::to_string(a.attempt_number));
	}
	v.tabs.push_back("request");
	v.tabs.push_back("response");
	v.detail = std::move(detail);
	return v;
}

void LogsModel::apply(const LogsFilters & filters, int64_t nowMs)
{
	_filters = filters;
	_params = logsParams(filters, nowMs, kPageSize);
	_applied = true;
	++_generation;
	_rows.clear();
	_ids.clear();
	_cursor.clear();
	_pages = 0;
	_prepended = 0;
	_listState = LoadState::Idle;
	_listError.clear();
	_tailState = LoadState::Idle;
	_lastPollMs = nowMs;
	fetchPage();
}

void LogsModel::ensureLoaded(int64_t nowMs)
{
	if (!_applied)
		apply(_filters, nowMs);
}

void LogsModel::loadMore()
{
	if (!_applied || _listState == LoadState::Loading || _cursor.empty())
		return;
	fetchPage();
}

void LogsModel::onRowsVisible(size_t lastVisibleRow)
{
	if (_listState != LoadState::Failed && lastVisibleRow + kPrefetchRows >= _rows.size())
		loadMore();
}

void LogsModel::fetchPage()
{
	api::LogsListParams p = _params;
	p.cursor = _cursor;
	_listState = LoadState::Loading;
	std::weak_ptr<bool> alive = _alive;
	const uint64_t generation = _generation;
	_api.request(HttpRequest{"GET", logsListPath(p), "", {}}, [this, alive, generation](ApiResult result) {
		if (alive.expired() || generation != _generation)
			return;
		api::LogsPage page;
		const std::string error = readAnswer(result, page);
		if (!error.empty())
		{
			_listState = LoadState::Failed;
			_listError = error;
			return;
		}
		for (api::LogSummary & s : page.items)
			if (addId(s.request_id))
				_rows.push_back(std::move(s));
		_cursor = page.next_cursor;
		++_pages;
		_listState = LoadState::Loaded;
		_listError.clear();
	});
}

void LogsModel::setLiveTail(bool on, int64_t nowMs)
{
	if (on && !_tail)
		_lastPollMs = nowMs - kTailIntervalMs; // first poll at the next tick
	_tail = on;
}

void LogsModel::tick(int64_t nowMs)
{
	if (!_tail || !_applied || _tailState == LoadState::Loading || _pages == 0)
		return;
	if (nowMs - _lastPollMs < kTailIntervalMs)
		return;
	_lastPollMs = nowMs;
	pollTail("", {}, 0);
}

void LogsModel::pollTail(std::string cursor, std::vector<api::LogSummary> gathered, int page)
{
	api::LogsListParams p = _params;
	// `from` is inclusive: records sharing the newest row's millisecond come back and are
	// dropped as duplicates, so none that arrived in that same millisecond is lost.
	if (!_rows.empty())
		p.from_ms = std::max(p.from_ms, _rows.front().started_at_ms);
	p.cursor = std::move(cursor);
	_tailState = LoadState::Loading;
	std::weak_ptr<bool> alive = _alive;
	const uint64_t generation = _generation;
	_api.request(HttpRequest{"GET", logsListPath(p), "", {}},
		[this, alive, generation, gathered = std::move(gathered), page](ApiResult result) mutable {
			if (alive.expired())
				return;
			if (generation != _generation)
			{
				_tailState = LoadState::Idle;
				return;
			}
			api::LogsPage answer;
			const std::string error = readAnswer(result, answer);
			if (!error.empty())
			{
				_tailState = LoadState::Failed;
				_tailError = error;
				++_tailPolls;
				return;
			}
			bool overlap = false;
			for (api::LogSummary & s : answer.items)
			{
				if (_ids.count(s.request_id))
				{
					overlap = true;
					continue;
				}
				gathered.push_back(std::move(s));
			}
			// A full page of only new records: more may lie between it and the newest row.
			if (!overlap && !answer.next_cursor.empty() && page + 1 < kTailMaxPages)
			{
				pollTail(answer.next_cursor, std::move(gathered), page + 1);
				return;
			}
			std::vector<api::LogSummary> fresh;
			for (api::LogSummary & s : gathered)
				if (addId(s.request_id))
					fresh.push_back(std::move(s));
			_prepended += fresh.size();
			_prependedTotal += fresh.size();
			_rows.insert(_rows.begin(), std::make_move_iterator(fresh.begin()), std::make_move_iterator(fresh.end()));
			++_tailPolls;
			_tailState = LoadState::Loaded;
			_tailError.clear();
		});
}

size_t LogsModel::takePrepended()
{
	size_t n = _prepended;
	_prepended = 0;
	return n;
}

void LogsModel::select(const std::string & requestId)
{
	if (requestId.empty())
		return;
	if (requestId == _selected && (_detail.state == LoadState::Loading || _detail.state == LoadState::Loaded))
		return;
	_selected = requestId;
	_detail.state = LoadState::Loading;
	const uint64_t generation = ++_detailGeneration;
	std::weak_ptr<bool> alive = _alive;
	_api.request(HttpRequest{"GET", "/admin/api/logs/" + ApiClient::encodePathSegment(requestId), "", {}},
		[this, alive, generation](ApiResult result) {
			if (alive.expired() || generation != _detailGeneration)
				return;
			api::LogDetail d;
			const std::string error = readAnswer(result, d);
			if (!error.empty())
			{
				_detail.fail(error);
				return;
			}
			_detail.succeed(makeLogDetailView(std::move(d)));
		});
}

void LogsModel::closeDetail()
{
	_selected.clear();
	++_detailGeneration;
	_detail = Resource<LogDetailView>();
}

std::string LogsModel::exportPath(const std::string & requestId)
{
	return "/admin/api/logs/" + ApiClient::encodePathSegment(requestId) + "/export";
}

void LogsModel::exportStarted(const std::string & requestId)
{
	++_exports;
	_lastExport = requestId;
	_export.state = LoadState::Loading;
	_export.error.clear();
}

void LogsModel::exportFinished(const std::string & error)
{
	if (_export.state != LoadState::Loading)
		return;
	++_export.completed;
	_export.error = error;
	_export.state = error.empty() ? LoadState::Loaded : LoadState::Failed;
}

nlohmann::ordered_json LogsModel::testState() const
{
	nlohmann::ordered_json s;
	s["rows"] = _rows.size();
	s["pages"] = _pages;
	s["has_more"] = hasMore();
	s["list_state"] = loadStateName(_listState);
	s["list_error"] = _listError;
	s["first_request_id"] = _rows.empty() ? "" : _rows.front().request_id;
	s["filters"] = {{"time", logsTimePresetName(_filters.time)}, {"from", _params.from_ms}, {"to", _params.to_ms},
		{"endpoint", _params.endpoint}, {"model", _params.model}, {"status", _params.status}, {"tag", _params.tag},
		{"session", _params.session}, {"q", _params.q}, {"request_id", _params.request_id}};
	s["query"] = logsListPath(_params);
	s["live_tail"] = _tail;
	s["tail_state"] = loadStateName(_tailState);
	s["tail_error"] = _tailError;
	s["tail_polls"] = _tailPolls;
	s["prepended_total"] = _prependedTotal;
	s["selected"] = _selected;
	s["detail_state"] = loadStateName(_detail.state);
	s["detail_error"] = _detail.error;
	s["exports"] = _exports;
	s["last_export"] = _lastExport;
	s["export_state"] = loadStateName(_export.state);
	s["export_error"] = _export.error;
	if (_detail.data && _detail.data->detail.summary.request_id == _selected)
	{
		const LogDetailView & v = *_detail.data;
		s["tabs"] = v.tabs;
		nlohmann::ordered_json attempts = nlohmann::ordered_json::array();
		for (size_t i = 0; i < v.detail.attempts.size(); ++i)
		{
			const api::AttemptDetail & a = v.detail.attempts[i];
			const LogAttemptView & av = v.attempts[i];
			attempts.push_back({{"number", a.attempt_number}, {"endpoint", a.endpoint_name}, {"status", a.status},
				{"outcome", a.outcome}, {"error", a.error}, {"same_as_client", a.request_body_same_as_client},
				{"sent_added", av.sent_vs_original.added}, {"sent_removed", av.sent_vs_original.removed},
				{"returned_diff", av.has_returned_diff}, {"returned_added", av.returned_vs_received.added},
				{"returned_removed", av.returned_vs_received.removed}, {"received", responseSummary(av.received)}});
		}
		s["attempts"] = attempts;
		const RequestInspection & r = v.request;
		nlohmann::ordered_json tools = nlohmann::ordered_json::array();
		for (const InspectedTool & t : r.tools)
			tools.push_back(t.name);
		nlohmann::ordered_json roles = nlohmann::ordered_json::array();
		for (const InspectedMessage & m : r.messages)
			roles.push_back(m.role);
		s["request_inspector"] = {{"parsed", r.parsed}, {"error", r.error}, {"model", r.model},
			{"system_chars", r.system_text.size()}, {"tools", tools}, {"roles", roles}, {"pairs", r.pairs.size()},
			{"unmatched_uses", r.unmatched_uses}, {"unmatched_results", r.unmatched_results},
			{"estimated_tokens", r.estimated_tokens}};
		s["response_inspector"] = responseSummary(v.response);
	}
	return s;
}

} // namespace ccc::admin
