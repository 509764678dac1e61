#include "panels/logs_panel.h"

#include <algorithm>
#include <chrono>
#include <cstdio>

#include <imgui.h>

#include "model/app_state.h"
#include "platform/test_hook.h"
#include "ui/theme.h"
#include "ui/virtual_table.h"
#include "ui/widgets.h"

namespace ccc::admin
{

namespace
{

int64_t epochNowMs()
{
	return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
		.count();
}

const LogsTimePreset kPresets[] = {LogsTimePreset::All, LogsTimePreset::Last15Min, LogsTimePreset::LastHour,
	LogsTimePreset::Last24Hours, LogsTimePreset::Last7Days, LogsTimePreset::Custom};
const Msg kPresetLabels[] = {Msg::LogsTimeAll, Msg::LogsTime15m, Msg::LogsTime1h, Msg::LogsTime24h, Msg::LogsTime7d,
	Msg::LogsTimeCustom};
const char * const kStatuses[] = {"", "2xx", "3xx", "4xx", "5xx", "failed", "success"};

const char * statusLabel(int i)
{
	if (i == 0)
		return tr(Msg::LogsStatusAny);
	if (i == 5)
		return tr(Msg::LogsStatusFailed);
	if (i == 6)
		return tr(Msg::LogsStatusSuccess);
	return kStatuses[i];
}

std::string tokens(const anthropic::Usage & u)
{
	if (u.input_tokens < 0 && u.output_tokens < 0)
		return "";
	auto v = [](int64_t x) { return x < 0 ? std::string("-") : std::to_string(x); };
	return v(u.input_tokens) + " / " + v(u.output_tokens);
}

std::string joined(const std::vector<std::string> & items)
{
	std::string out;
	for (const auto & s : items)
		out += (out.empty() ? "" : ", ") + s;
	return out;
}

} // namespace

void LogsPanel::onShow(PanelContext & ctx)
{
	ctx.state.logs().ensureLoaded(epochNowMs());
}

void LogsPanel::drawFilters(PanelContext & ctx, LogsModel & model)
{
	bool apply = false;
	ImGui::SetNextItemWidth(130.0f);
	if (ImGui::BeginCombo("##time", tr(kPresetLabels[_timePreset])))
	{
		for (int i = 0; i < 6; ++i)
		{
			if (ImGui::Selectable(tr(kPresetLabels[i]), i == _timePreset))
			{
				_timePreset = i;
				apply = i != 5; // a custom range waits for its times
			}
			ctx.hook.recordItem("logs.time." + std::string(logsTimePresetName(kPresets[i])));
		}
		ImGui::EndCombo();
	}
	ctx.hook.recordItem("logs.time");
	const ImGuiInputTextFlags enter = ImGuiInputTextFlags_EnterReturnsTrue;
	if (kPresets[_timePreset] == LogsTimePreset::Custom)
	{
		ImGui::SameLine();
		ImGui::SetNextItemWidth(170.0f);
		apply |= ImGui::InputTextWithHint("##from", tr(Msg::LogsFromHint), _from.data(), _from.size(), enter);
		ctx.hook.recordItem("logs.from");
		ImGui::SameLine();
		ImGui::SetNextItemWidth(170.0f);
		apply |= ImGui::InputTextWithHint("##to", tr(Msg::LogsToHint), _to.data(), _to.size(), enter);
		ctx.hook.recordItem("logs.to");
	}
	ImGui::SameLine();
	ImGui::SetNextItemWidth(110.0f);
	if (ImGui::BeginCombo("##status", statusLabel(_status)))
	{
		for (int i = 0; i < 7; ++i)
		{
			if (ImGui::Selectable(statusLabel(i), i == _status))
			{
				_status = i;
				apply = true;
			}
			ctx.hook.recordItem(std::string("logs.status.") + (i == 0 ? "any" : kStatuses[i]));
		}
		ImGui::EndCombo();
	}
	ctx.hook.recordItem("logs.status");
	auto field = [&](const char * id, Msg hint, char * buf, size_t size, float width, const char * hookName) {
		ImGui::SameLine();
		ImGui::SetNextItemWidth(width);
		apply |= ImGui::InputTextWithHint(id, tr(hint), buf, size, enter);
		ctx.hook.recordItem(hookName);
	};
	field("##endpoint", Msg::LogsFilterEndpoint, _endpoint.data(), _endpoint.size(), 110.0f, "logs.filter.endpoint");
	field("##model", Msg::LogsFilterModel, _model.data(), _model.size(), 130.0f, "logs.filter.model");
	field("##tag", Msg::LogsFilterTag, _tag.data(), _tag.size(), 80.0f, "logs.filter.tag");
	field("##session", Msg::LogsFilterSession, _session.data(), _session.size(), 110.0f, "logs.filter.session");
	field("##text", Msg::LogsFilterText, _text.data(), _text.size(), 130.0f, "logs.filter.text");
	ImGui::SameLine();
	apply |= ImGui::Button(tr(Msg::LogsApply));
	ctx.hook.recordItem("logs.apply");
	ImGui::SameLine();
	if (ImGui::Button(tr(Msg::LogsClear)))
	{
		_timePreset = _status = 0;
		_from[0] = _to[0] = _endpoint[0] = _model[0] = _tag[0] = _session[0] = _text[0] = '\0';
		apply = true;
	}
	ctx.hook.recordItem("logs.clear");

	if (apply)
	{
		LogsFilters f;
		f.time = kPresets[_timePreset];
		_badTime = false;
		if (f.time == LogsTimePreset::Custom)
		{
			f.custom_from_ms = _from[0] ? parseLogTime(_from.data()) : -1;
			f.custom_to_ms = _to[0] ? parseLogTime(_to.data()) : -1;
			_badTime = (_from[0] && f.custom_from_ms < 0) || (_to[0] && f.custom_to_ms < 0);
		}
		f.status = kStatuses[_status];
		f.endpoint = _endpoint.data();
		f.model = _model.data();
		f.tag = _tag.data();
		f.session = _session.data();
		f.q = _text.data();
		if (!_badTime)
			model.apply(f, epochNowMs());
	}
	if (_badTime)
	{
		ImGui::TextColored(ui::statusColours().error, "%s", tr(Msg::LogsBadTime));
		ctx.hook.recordItem("logs.bad_time");
	}

	bool tail = model.liveTail();
	if (ImGui::Checkbox(tr(Msg::LogsLiveTail), &tail))
		model.setLiveTail(tail, epochNowMs());
	ctx.hook.recordItem("logs.live_tail");
	if (model.tailState() == LoadState::Failed)
	{
		ImGui::SameLine();
		ImGui::TextColored(ui::statusColours().error, tr(Msg::LogsTailFailed), model.tailError().c_str());
		ctx.hook.recordItem("logs.tail_error");
	}
	ImGui::SameLine();
	if (ui::reloadButton(ctx.hook, "logs.reload"))
		model.reload(epochNowMs());
	ImGui::SameLine();
	ImGui::Text(tr(Msg::LogsRowsLoaded), static_cast<int>(model.rows().size()));
	ctx.hook.recordItem("logs.count");
	if (model.hasMore())
	{
		ImGui::SameLine();
		ImGui::TextDisabled("%s", tr(Msg::LogsScrollForMore));
	}
	ui::requestStatus(model.listState(), model.listError(), Msg::LogsLoadFailed, ctx.hook, "logs.list_status");
}

void LogsPanel::drawTable(PanelContext & ctx, LogsModel & model, float height)
{
	const std::vector<ui::TableColumn> columns = {{tr(Msg::ColTime), 135.0f}, {tr(Msg::ColStatus), 55.0f},
		{tr(Msg::ColEndpoint)}, {tr(Msg::ColModel)}, {tr(Msg::ColDuration), 70.0f}, {tr(Msg::LogsColTokens), 95.0f},
		{tr(Msg::ColTags)}, {tr(Msg::LogsColSession)}, {tr(Msg::LogsColError)}};
	const auto & rows = model.rows();
	if (rows.empty() && model.listState() == LoadState::Loaded)
		ImGui::TextDisabled("%s", tr(Msg::LogsNoRows));

	ui::VirtualTableOptions options;
	options.height = height;
	// Records prepended by the live tail push what the user is reading down: scroll as many rows
	// down too, unless they sit at the very top (then the newest simply appear).
	const size_t prepended = model.takePrepended();
	if (prepended > 0 && _lastScrollY > 0.5f)
		options.scroll_by_rows = prepended;
	const ui::StatusColours & colours = ui::statusColours();
	const std::string & selected = model.selectedId();
	std::string clicked;
	ui::VirtualTableResult r = ui::drawVirtualTable("log_rows", columns, rows.size(), [&](size_t i) {
		const api::LogSummary & s = rows[i];
		const std::string time = formatLogTime(s.started_at_ms);
		if (ImGui::Selectable(time.c_str(), s.request_id == selected, ImGuiSelectableFlags_SpanAllColumns))
			clicked = s.request_id;
		ctx.hook.recordItem("logs.row." + std::to_string(i));
		ImGui::TableNextColumn();
		const ImVec4 c = s.status >= 200 && s.status < 300 && s.outcome == "success" ? colours.ok
			: s.status >= 400 || s.outcome != "success" ? colours.error : colours.warning;
		ImGui::TextColored(c, "%d", s.status);
		ImGui::TableNextColumn();
		ImGui::TextUnformatted(s.final_endpoint_name.empty() ? s.final_endpoint_id.c_str() : s.final_endpoint_name.c_str());
		ImGui::TableNextColumn();
		ImGui::TextUnformatted(s.model_requested.c_str());
		ImGui::TableNextColumn();
		ImGui::Text("%lld ms", static_cast<long long>(s.duration_ms));
		ImGui::TableNextColumn();
		ImGui::TextUnformatted(tokens(s.usage).c_str());
		ImGui::TableNextColumn();
		ImGui::TextUnformatted(joined(s.tags).c_str());
		ImGui::TableNextColumn();
		ImGui::TextUnformatted(s.session_id.c_str());
		ImGui::TableNextColumn();
		if (!s.error.empty())
		{
			ImGui::TextColored(colours.error, "%s", s.error.c_str());
			if (ImGui::IsItemHovered())
				ImGui::SetTooltip("%s", s.error.c_str());
		}
	}, options);
	ctx.hook.recordItem("logs.table");
	_lastScrollY = r.scroll_y;
	if (r.rows_drawn > 0)
		model.onRowsVisible(r.first_drawn + r.rows_drawn - 1);
	else if (rows.empty())
		model.onRowsVisible(0);
	if (!clicked.empty())
		model.select(clicked);
}

void LogsPanel::draw(PanelContext & ctx)
{
	LogsModel & model = ctx.state.logs();
	model.ensureLoaded(epochNowMs());
	model.tick(epochNowMs());
	ImGui::TextWrapped("%s", tr(Msg::LogsIntroText));
	drawFilters(ctx, model);

	const bool detailOpen = !model.selectedId().empty();
	const float avail = ImGui::GetContentRegionAvail().y;
	drawTable(ctx, model, detailOpen ? std::max(120.0f, avail * 0.38f) : 0.0f);
	if (!detailOpen)
		return;

	ImGui::BeginChild("log_detail", ImVec2(0, 0), true);
	const auto & detail = model.detail();
	if (detail.state == LoadState::Failed)
	{
		ImGui::TextColored(ui::statusColours().error, tr(Msg::LogsDetailFailed), detail.error.c_str());
		ctx.hook.recordItem("logs.detail.error");
		if (ImGui::Button(tr(Msg::LogsClose)))
			model.closeDetail();
		ctx.hook.recordItem("logs.detail.close");
	}
	else if (!detail.data)
		ImGui::TextDisabled("%s", tr(Msg::Loading));
	else if (!drawLogDetail(ctx, model, *detail.data))
		model.closeDetail();
	ImGui::EndChild();
}

} // namespace ccc::admin
