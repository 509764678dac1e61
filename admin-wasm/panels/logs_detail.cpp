#include <algorithm>
#include <cstdio>
#include <string>

#include <imgui.h>

#include "model/app_state.h"
#include "panels/logs_panel.h"
#include "platform/browser.h"
#include "platform/test_hook.h"
#include "ui/theme.h"
#include "ui/widgets.h"

namespace ccc::admin
{

namespace
{

std::string headersText(const api::HeaderList & headers)
{
	std::string out;
	for (const auto & [name, value] : headers)
		out += name + ": " + value + "\n";
	return out;
}

void copyButton(PanelContext & ctx, Msg label, const std::string & text, const std::string & hookName)
{
	ImGui::PushID(hookName.c_str());
	if (ImGui::SmallButton(tr(label)))
		ImGui::SetClipboardText(text.c_str());
	ImGui::PopID();
	ctx.hook.recordItem(hookName);
}

void label(Msg m)
{
	ImGui::TextDisabled("%s", tr(m));
	ImGui::SameLine(150.0f);
}

void usageLine(const anthropic::Usage & u)
{
	label(Msg::LogsLblUsage);
	ImGui::Text(tr(Msg::LogsUsageFormat), static_cast<long long>(u.input_tokens), static_cast<long long>(u.output_tokens),
		static_cast<long long>(u.cache_read_input_tokens), static_cast<long long>(u.cache_creation_input_tokens));
}

/// A read-only, selectable text box (Ctrl+A / Ctrl+C work) for a body.
void textBox(const char * id, const std::string & text, float height)
{
	// ReadOnly: ImGui never writes through the pointer.
	ImGui::InputTextMultiline(id, const_cast<char *>(text.c_str()), text.size() + 1, ImVec2(-1.0f, height),
		ImGuiInputTextFlags_ReadOnly);
}

/// One side of an exchange: headers and body (`shown`: the body as displayed, JSON re-indented)
/// with copy buttons; copying takes the stored bytes.
void exchangeSide(PanelContext & ctx, const char * id, Msg title, const api::HeaderList & headers, const api::BodyView & body,
	const std::string & shown, const std::string & hookBase, bool open = true)
{
	ImGui::PushID(id);
	if (ImGui::CollapsingHeader(tr(title), open ? ImGuiTreeNodeFlags_DefaultOpen : 0))
	{
		ImGui::Text(tr(Msg::LogsHeaders), static_cast<int>(headers.size()));
		ImGui::SameLine();
		const std::string headerText = headersText(headers);
		copyButton(ctx, Msg::LogsCopyHeaders, headerText, hookBase + ".copy_headers");
		if (!headers.empty())
			textBox("##headers", headerText, std::min(ImGui::GetTextLineHeightWithSpacing() * (headers.size() + 1.5f), 140.0f));
		ImGui::Text(tr(Msg::LogsBodyInfo), static_cast<long long>(body.size));
		if (body.truncated || body.omitted)
		{
			ImGui::SameLine();
			ImGui::TextColored(ui::statusColours().warning, "%s", tr(body.omitted ? Msg::LogsBodyOmitted : Msg::LogsBodyTruncated));
		}
		ImGui::SameLine();
		copyButton(ctx, Msg::LogsCopyBody, body.text, hookBase + ".copy_body");
		if (!shown.empty())
			textBox("##body", shown, 200.0f);
	}
	ImGui::PopID();
}

/// A line diff with +/- colouring; only visible lines are drawn.
void diffView(PanelContext & ctx, const char * id, Msg title, const LineDiff & d, const std::string & hookName)
{
	ImGui::PushID(id);
	if (ImGui::CollapsingHeader(tr(title), ImGuiTreeNodeFlags_DefaultOpen))
	{
		ctx.hook.recordItem(hookName);
		if (d.identical())
		{
			ImGui::TextDisabled("%s", tr(Msg::LogsIdentical));
			ImGui::PopID();
			return;
		}
		ImGui::Text(tr(Msg::LogsDiffCounts), static_cast<int>(d.added), static_cast<int>(d.removed));
		if (d.gave_up)
		{
			ImGui::SameLine();
			ImGui::TextColored(ui::statusColours().warning, "%s", tr(Msg::LogsDiffGaveUp));
		}
		const ui::StatusColours & c = ui::statusColours();
		ImGui::BeginChild("diff", ImVec2(0, 220.0f), true, ImGuiWindowFlags_HorizontalScrollbar);
		ImGuiListClipper clipper;
		clipper.Begin(static_cast<int>(d.lines.size()));
		while (clipper.Step())
			for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i)
			{
				const DiffLine & l = d.lines[static_cast<size_t>(i)];
				if (l.op == DiffLine::Op::Added)
					ImGui::TextColored(c.ok, "+ %s", l.text.c_str());
				else if (l.op == DiffLine::Op::Removed)
					ImGui::TextColored(c.error, "- %s", l.text.c_str());
				else
					ImGui::TextDisabled("  %s", l.text.c_str());
			}
		ImGui::EndChild();
	}
	ImGui::PopID();
}

void drawSummary(PanelContext & ctx, const api::LogSummary & s)
{
	label(Msg::LogsLblStarted);
	ImGui::Text("%s UTC", formatLogTime(s.started_at_ms).c_str());
	label(Msg::LogsLblStatus);
	ImGui::Text("%d  %s  %s", s.status, s.outcome.c_str(), s.streaming ? "stream" : "json");
	ctx.hook.recordItem("logs.detail.status");
	label(Msg::LogsLblEndpoint);
	ImGui::Text("%s (%s)", s.final_endpoint_name.c_str(), s.final_endpoint_id.c_str());
	label(Msg::LogsLblModel);
	ImGui::TextUnformatted(s.model_requested.c_str());
	label(Msg::LogsLblThinking);
	ImGui::Text("%s %s", s.thinking_type.c_str(), s.thinking_budget >= 0 ? std::to_string(s.thinking_budget).c_str() : "");
	label(Msg::LogsLblDuration);
	ImGui::Text("%lld ms", static_cast<long long>(s.duration_ms));
	label(Msg::LogsLblTtfb);
	ImGui::Text("%lld ms", static_cast<long long>(s.ttfb_ms));
	usageLine(s.usage);
	label(Msg::LogsLblCost);
	ImGui::Text("$%.6f", s.cost_usd);
	label(Msg::LogsLblAttempts);
	ImGui::Text("%d", s.attempt_count);
	label(Msg::LogsLblTags);
	std::string tags;
	for (const auto & t : s.tags)
		tags += (tags.empty() ? "" : ", ") + t;
	ImGui::TextUnformatted(tags.c_str());
	label(Msg::LogsLblSession);
	ImGui::TextUnformatted(s.session_id.c_str());
	label(Msg::LogsLblClient);
	ImGui::TextUnformatted(s.user_agent.c_str());
	if (!s.error.empty())
	{
		label(Msg::LogsLblError);
		ImGui::PushTextWrapPos(0.0f);
		ImGui::TextColored(ui::statusColours().error, "%s", s.error.c_str());
		ImGui::PopTextWrapPos();
	}
}

void drawResponseInspection(PanelContext & ctx, const ResponseInspection & r, const std::string & hookBase)
{
	if (!r.parsed)
	{
		ImGui::TextColored(ui::statusColours().warning, tr(Msg::LogsNotReadable), r.error.c_str());
		return;
	}
	const ui::StatusColours & c = ui::statusColours();
	if (!r.upstream_error.empty())
		ImGui::TextColored(c.error, tr(Msg::LogsUpstreamError), r.upstream_error.c_str());
	if (!r.model.empty() || !r.message_id.empty())
		ImGui::Text("%s  %s", r.model.c_str(), r.message_id.c_str());
	ImGui::Text(tr(Msg::LogsStopReason), r.stop_reason.c_str());
	usageLine(r.usage);
	if (r.cache_efficiency >= 0)
		ImGui::Text(tr(Msg::LogsCacheEfficiency), r.cache_efficiency * 100.0);
	else
		ImGui::TextDisabled("%s", tr(Msg::LogsCacheNone));
	if (r.streamed)
	{
		if (r.validation.empty())
			ImGui::TextColored(c.ok, "%s", tr(Msg::LogsStreamValid));
		else
			ImGui::TextColored(c.warning, tr(Msg::LogsStreamInvalid), r.validation.c_str());
	}
	ctx.hook.recordItem(hookBase + ".summary");
	char title[96];
	std::snprintf(title, sizeof title, tr(Msg::LogsRebuilt), static_cast<int>(r.blocks.size()));
	if (ImGui::CollapsingHeader((std::string(title) + "###rebuilt").c_str(), ImGuiTreeNodeFlags_DefaultOpen))
	{
		for (size_t i = 0; i < r.blocks.size(); ++i)
		{
			const RebuiltBlock & b = r.blocks[i];
			ImGui::PushID(static_cast<int>(i));
			ImGui::Separator();
			ImGui::TextColored(c.warning, "[%zu] %s", i, b.type.c_str());
			if (!b.tool_name.empty())
			{
				ImGui::SameLine();
				ImGui::Text("%s  %s", b.tool_name.c_str(), b.tool_id.c_str());
			}
			ImGui::PushTextWrapPos(0.0f);
			if (!b.text.empty())
				ImGui::TextUnformatted(b.text.c_str(), b.text.c_str() + std::min<size_t>(b.text.size(), 4000));
			if (b.type == "tool_use" || !b.input_json.empty())
			{
				ImGui::TextUnformatted(b.input_json.empty() ? "{}" : b.input_json.c_str());
				if (!b.input_valid)
					ImGui::TextColored(c.error, "%s", tr(Msg::LogsInputInvalid));
			}
			ImGui::PopTextWrapPos();
			ImGui::PopID();
		}
	}
	std::snprintf(title, sizeof title, tr(Msg::LogsEvents), static_cast<int>(r.event_count));
	if (r.streamed && ImGui::CollapsingHeader((std::string(title) + "###events").c_str()))
	{
		ImGui::BeginChild("events", ImVec2(0, 200.0f), true);
		ImGuiListClipper clipper;
		clipper.Begin(static_cast<int>(r.events.size()));
		while (clipper.Step())
			for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i)
			{
				const InspectedEvent & e = r.events[static_cast<size_t>(i)];
				if (e.index >= 0)
					ImGui::Text("%4d  %-20s [%d] %s", i, e.name.c_str(), e.index, e.detail.c_str());
				else
					ImGui::Text("%4d  %-20s %s", i, e.name.c_str(), e.detail.c_str());
			}
		ImGui::EndChild();
	}
}

void drawRequestInspection(PanelContext & ctx, const RequestInspection & r)
{
	if (!r.parsed)
	{
		ImGui::TextColored(ui::statusColours().warning, tr(Msg::LogsNotReadable), r.error.c_str());
		return;
	}
	const ui::StatusColours & c = ui::statusColours();
	ImGui::Text(tr(Msg::LogsRequestFacts), r.model.c_str(), static_cast<long long>(r.max_tokens), r.stream ? "true" : "false",
		r.thinking.empty() ? "-" : r.thinking.c_str());
	ImGui::PushTextWrapPos(0.0f);
	ImGui::TextColored(c.warning, tr(Msg::LogsTokenEstimate), static_cast<long long>(r.estimated_tokens));
	ImGui::PopTextWrapPos();
	ctx.hook.recordItem("logs.inspector.request.summary");
	int matched = 0;
	for (const ToolPair & p : r.pairs)
		matched += p.use_message >= 0 && p.result_message >= 0 ? 1 : 0;
	ImGui::TextColored(r.unmatched_uses + r.unmatched_results > 0 ? c.error : ImGui::GetStyleColorVec4(ImGuiCol_Text),
		tr(Msg::LogsToolPairs), matched, static_cast<int>(r.unmatched_uses), static_cast<int>(r.unmatched_results));

	char title[160];
	std::snprintf(title, sizeof title, tr(Msg::LogsSystemPrompt), static_cast<int>(r.system_blocks),
		static_cast<long long>(r.estimated_system_tokens));
	if (ImGui::CollapsingHeader((std::string(title) + "###system").c_str()))
		textBox("##system", r.system_text, 160.0f);
	std::snprintf(title, sizeof title, tr(Msg::LogsTools), static_cast<int>(r.tools.size()),
		static_cast<long long>(r.estimated_tools_tokens));
	if (ImGui::CollapsingHeader((std::string(title) + "###tools").c_str()))
		for (const InspectedTool & t : r.tools)
			ImGui::Text(tr(Msg::LogsToolRow), t.name.c_str(), t.type.c_str(), static_cast<int>(t.schema_bytes));
	std::snprintf(title, sizeof title, tr(Msg::LogsMessages), static_cast<int>(r.messages.size()),
		static_cast<long long>(r.estimated_messages_tokens));
	if (ImGui::CollapsingHeader((std::string(title) + "###messages").c_str(), ImGuiTreeNodeFlags_DefaultOpen))
	{
		// Long conversations: draw only the visible messages' blocks (one line each).
		std::vector<std::pair<size_t, int>> lines; // (message, block or -1 for the role line)
		for (size_t m = 0; m < r.messages.size(); ++m)
		{
			lines.push_back({m, -1});
			for (size_t b = 0; b < r.messages[m].blocks.size(); ++b)
				lines.push_back({m, static_cast<int>(b)});
		}
		ImGui::BeginChild("messages", ImVec2(0, 260.0f), true, ImGuiWindowFlags_HorizontalScrollbar);
		ImGuiListClipper clipper;
		clipper.Begin(static_cast<int>(lines.size()));
		while (clipper.Step())
			for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i)
			{
				const auto [m, b] = lines[static_cast<size_t>(i)];
				const InspectedMessage & msg = r.messages[m];
				if (b < 0)
				{
					ImGui::TextColored(msg.role == "user" ? c.ok : c.warning, "#%zu %s", m, msg.role.c_str());
					continue;
				}
				const InspectedBlock & blk = msg.blocks[static_cast<size_t>(b)];
				ImGui::Text("    %-12s %6zu  ", blk.type.c_str(), blk.chars);
				ImGui::SameLine();
				if (!blk.tool_id.empty())
				{
					ImGui::TextDisabled("%s", blk.tool_id.c_str());
					ImGui::SameLine();
				}
				if (blk.unmatched)
				{
					ImGui::TextColored(c.error, "%s", tr(Msg::LogsUnmatched));
					ImGui::SameLine();
				}
				if (blk.is_error)
				{
					ImGui::TextColored(c.error, "is_error");
					ImGui::SameLine();
				}
				ImGui::TextUnformatted(blk.preview.c_str());
			}
		ImGui::EndChild();
	}
}

} // namespace

bool drawLogDetail(PanelContext & ctx, LogsModel & model, const LogDetailView & view)
{
	const api::LogDetail & d = view.detail;
	const std::string & id = d.summary.request_id;
	ImGui::Text(tr(Msg::LogsDetailTitle), id.c_str());
	ctx.hook.recordItem("logs.detail.title");
	ImGui::SameLine();
	copyButton(ctx, Msg::LogsCopyId, id, "logs.detail.copy_id");
	ImGui::SameLine();
	if (ImGui::SmallButton(tr(Msg::LogsExport)) && model.exportAction().state != LoadState::Loading)
	{
		browser::downloadUrl(LogsModel::exportPath(id));
		model.exportStarted(id);
	}
	ctx.hook.recordItem("logs.detail.export");
	if (model.exportAction().state == LoadState::Loading)
	{
		std::string error;
		const browser::DownloadState st = browser::downloadState(error);
		if (st == browser::DownloadState::Saved || st == browser::DownloadState::Failed)
			model.exportFinished(st == browser::DownloadState::Saved ? "" : (error.empty() ? "failed" : error));
	}
	ui::requestStatus(model.exportAction().state, model.exportAction().error, Msg::LogsExportFailed, ctx.hook,
		"logs.detail.export_status");
	if (model.exportAction().state == LoadState::Loaded && model.lastExport() == id)
	{
		ImGui::SameLine();
		ImGui::TextColored(ui::statusColours().ok, "%s", tr(Msg::LogsExportSaved));
	}
	ImGui::SameLine();
	const bool close = ImGui::SmallButton(tr(Msg::LogsClose));
	ctx.hook.recordItem("logs.detail.close");
	if (close)
		return false;

	if (!ImGui::BeginTabBar("detail_tabs"))
		return true;
	const bool summaryOpen = ImGui::BeginTabItem(tr(Msg::LogsTabSummary));
	ctx.hook.recordItem("logs.tab.summary");
	if (summaryOpen)
	{
		ImGui::BeginChild("summary_body");
		drawSummary(ctx, d.summary);
		exchangeSide(ctx, "client_req", Msg::LogsOriginal, d.client_request_headers, d.client_request_body,
			view.client_request_text, "logs.client_request");
		exchangeSide(ctx, "client_resp", Msg::LogsReturned, d.client_response_headers, d.client_response_body,
			view.client_response_text, "logs.client_response");
		ImGui::EndChild();
		ImGui::EndTabItem();
	}
	for (size_t i = 0; i < d.attempts.size(); ++i)
	{
		const api::AttemptDetail & a = d.attempts[i];
		const LogAttemptView & av = view.attempts[i];
		char tab[64];
		std::snprintf(tab, sizeof tab, tr(Msg::LogsTabAttempt), a.attempt_number);
		const std::string tabId = std::string(tab) + " " + std::to_string(a.status) + "###attempt" + std::to_string(i);
		const std::string hookName = "logs.tab.attempt_" + std::to_string(a.attempt_number);
		const bool success = a.outcome == "success";
		ImGui::PushStyleColor(ImGuiCol_Text, success ? ImGui::GetStyleColorVec4(ImGuiCol_Text) : ui::statusColours().error);
		const bool open = ImGui::BeginTabItem(tabId.c_str());
		ImGui::PopStyleColor();
		ctx.hook.recordItem(hookName);
		if (!open)
			continue;
		ImGui::BeginChild("attempt_body");
		label(Msg::LogsLblEndpoint);
		ImGui::Text("%s (%s)", a.endpoint_name.c_str(), a.endpoint_id.c_str());
		label(Msg::LogsLblUrl);
		ImGui::TextUnformatted(a.endpoint_url.c_str());
		label(Msg::LogsLblStatus);
		ImGui::TextColored(success ? ui::statusColours().ok : ui::statusColours().error, "%d  %s", a.status, a.outcome.c_str());
		ctx.hook.recordItem(hookName + ".status");
		if (!a.error.empty())
		{
			label(Msg::LogsLblError);
			ImGui::PushTextWrapPos(0.0f);
			ImGui::TextColored(ui::statusColours().error, "%s", a.error.c_str());
			ImGui::PopTextWrapPos();
		}
		label(Msg::LogsLblDuration);
		ImGui::Text("%lld ms (%s %lld ms)", static_cast<long long>(a.duration_ms), tr(Msg::LogsLblTtfb),
			static_cast<long long>(a.ttfb_ms));
		label(Msg::LogsLblModel);
		ImGui::TextUnformatted(a.model_sent.c_str());
		usageLine(a.usage);

		// What the proxy changed comes first (open); each side's headers and body below (closed).
		if (a.request_body_same_as_client)
			ImGui::TextDisabled("%s: %s", tr(Msg::LogsSentVsOriginal), tr(Msg::LogsSameAsClient));
		else
			diffView(ctx, "sent_diff", Msg::LogsSentVsOriginal, av.sent_vs_original, hookName + ".sent_diff");
		if (av.has_returned_diff)
			diffView(ctx, "ret_diff", Msg::LogsReturnedVsReceived, av.returned_vs_received, hookName + ".returned_diff");
		exchangeSide(ctx, "sent", Msg::LogsSent, a.request_headers,
			a.request_body_same_as_client ? d.client_request_body : a.request_body,
			a.request_body_same_as_client ? view.client_request_text : av.sent_text, hookName + ".sent", false);
		exchangeSide(ctx, "recv", Msg::LogsReceived, a.response_headers, a.response_body, av.received_text,
			hookName + ".received", false);
		if (ImGui::CollapsingHeader((std::string(tr(Msg::LogsReceived)) + ": " + tr(Msg::LogsTabResponse) + "###recv_insp").c_str()))
			drawResponseInspection(ctx, av.received, hookName + ".inspector");
		exchangeSide(ctx, "orig", Msg::LogsOriginal, d.client_request_headers, d.client_request_body,
			view.client_request_text, hookName + ".original", false);
		if (av.has_returned_diff)
			exchangeSide(ctx, "ret", Msg::LogsReturned, d.client_response_headers, d.client_response_body,
				view.client_response_text, hookName + ".returned", false);
		ImGui::EndChild();
		ImGui::EndTabItem();
	}
	const bool requestOpen = ImGui::BeginTabItem(tr(Msg::LogsTabRequest));
	ctx.hook.recordItem("logs.tab.request");
	if (requestOpen)
	{
		ImGui::BeginChild("request_inspector");
		drawRequestInspection(ctx, view.request);
		ImGui::EndChild();
		ImGui::EndTabItem();
	}
	const bool responseOpen = ImGui::BeginTabItem(tr(Msg::LogsTabResponse));
	ctx.hook.recordItem("logs.tab.response");
	if (responseOpen)
	{
		ImGui::BeginChild("response_inspector");
		drawResponseInspection(ctx, view.response, "logs.inspector.response");
		ImGui::EndChild();
		ImGui::EndTabItem();
	}
	ImGui::EndTabBar();
	return true;
}

} // namespace ccc::admin
