#include <string>
#include <vector>

#include <imgui.h>

#include "ccc/config/json_mapping.h"
#include "model/app_state.h"
#include "panels/endpoints_panel.h"
#include "platform/test_hook.h"
#include "ui/text_input.h"
#include "ui/theme.h"

namespace ccc::admin
{

namespace
{

/// One editor being drawn: the model, the hook, and whether the form changed this frame.
struct Ed
{
	PanelContext & ctx;
	EndpointsModel & model;
	EndpointForm & form;
	bool showSecrets;
	bool changed = false;

	std::string hookName(const std::string & path) const { return "endpoints.editor." + path.substr(path.find('.') + 1); }

	/// The label column of a field row; its key path shows on hover.
	void label(Msg text, const std::string & path)
	{
		ImGui::TableNextRow();
		ImGui::TableNextColumn();
		ImGui::AlignTextToFramePadding();
		ImGui::TextUnformatted(tr(text));
		if (ImGui::IsItemHovered())
			ImGui::SetTooltip("%s", path.c_str());
		ImGui::TableNextColumn();
		ImGui::SetNextItemWidth(-1.0f);
	}

	/// Every finding (validation as you type, the last save's refusal) about `path`, under its field.
	void findings(const std::string & path)
	{
		const ui::StatusColours & colours = ui::statusColours();
		int n = 0;
		for (const config::Diagnostic * d : model.findingsAt(path))
		{
			ImGui::PushStyleColor(ImGuiCol_Text, d->severity == config::Severity::Error ? colours.error : colours.warning);
			ImGui::TextWrapped("%s", d->message.c_str());
			ImGui::PopStyleColor();
			ctx.hook.recordItem("endpoints.editor.error." + path + (n++ ? "." + std::to_string(n) : std::string()));
		}
		const EndpointEditor & ed = model.editor();
		if (ed.save.state == LoadState::Failed && !ed.save_error_path.empty() && fieldOfPath(ed.save_error_path) == path)
		{
			ImGui::PushStyleColor(ImGuiCol_Text, colours.error);
			ImGui::TextWrapped(tr(Msg::EpSaveFailed), ed.save.error.c_str());
			ImGui::PopStyleColor();
			ctx.hook.recordItem("endpoints.editor.save_error." + path);
		}
	}

	void text(Msg text, const std::string & path, std::string & value, const char * hint = nullptr)
	{
		label(text, path);
		changed |= ui::inputString(("##" + path).c_str(), value, 0, hint);
		ctx.hook.recordItem(hookName(path));
		findings(path);
	}

	void secret(Msg text, const std::string & path, std::string & value)
	{
		label(text, path);
		changed |= ui::inputString(("##" + path).c_str(), value, showSecrets ? 0 : ImGuiInputTextFlags_Password);
		ctx.hook.recordItem(hookName(path));
		if (config::isMaskedSecret(value))
			ImGui::TextDisabled("%s", tr(Msg::EpMaskedNote));
		findings(path);
	}

	void check(Msg text, const std::string & path, bool & value)
	{
		label(text, path);
		changed |= ImGui::Checkbox(("##" + path).c_str(), &value);
		ctx.hook.recordItem(hookName(path));
		findings(path);
	}

	void integer(Msg text, const std::string & path, int & value)
	{
		label(text, path);
		changed |= ImGui::InputInt(("##" + path).c_str(), &value);
		ctx.hook.recordItem(hookName(path));
		findings(path);
	}

	void combo(Msg text, const std::string & path, std::string & value, std::initializer_list<const char *> options)
	{
		label(text, path);
		if (ImGui::BeginCombo(("##" + path).c_str(), value.c_str()))
		{
			for (const char * o : options)
				if (ImGui::Selectable(o, value == o))
				{
					value = o;
					changed = true;
				}
			ImGui::EndCombo();
		}
		ctx.hook.recordItem(hookName(path));
		findings(path);
	}

	void tri(Msg text, const std::string & path, TriState & value)
	{
		label(text, path);
		int v = static_cast<int>(value);
		const char * items[] = {tr(Msg::EpTriDefault), tr(Msg::EpTriOn), tr(Msg::EpTriOff)};
		if (ImGui::Combo(("##" + path).c_str(), &v, items, 3))
		{
			value = static_cast<TriState>(v);
			changed = true;
		}
		ctx.hook.recordItem(hookName(path));
		findings(path);
	}

	bool beginFields(const char * id)
	{
		if (!ImGui::BeginTable(id, 2, ImGuiTableFlags_SizingStretchProp))
			return false;
		ImGui::TableSetupColumn("label", ImGuiTableColumnFlags_WidthFixed, 190.0f);
		ImGui::TableSetupColumn("field", ImGuiTableColumnFlags_WidthStretch);
		return true;
	}

	/// Key/value rows (header or parameter overrides) with add and remove.
	void rows(const char * id, const std::string & path, config::OrderedStringMap & map, bool secretValues)
	{
		ImGui::PushID(id);
		for (size_t i = 0; i < map.size(); ++i)
		{
			ImGui::PushID(static_cast<int>(i));
			ImGui::SetNextItemWidth(220.0f);
			changed |= ui::inputString("##key", map[i].first, 0, tr(Msg::EpKey));
			ctx.hook.recordItem("endpoints.editor." + std::string(id) + "." + std::to_string(i) + ".key");
			ImGui::SameLine();
			ImGui::SetNextItemWidth(-90.0f);
			const bool masked = secretValues && config::isMaskedSecret(map[i].second);
			changed |= ui::inputString("##value", map[i].second, masked && !showSecrets ? ImGuiInputTextFlags_Password : 0,
				tr(Msg::EpValue));
			ctx.hook.recordItem("endpoints.editor." + std::string(id) + "." + std::to_string(i) + ".value");
			ImGui::SameLine();
			const bool remove = ImGui::SmallButton(tr(Msg::EpRemove));
			if (masked)
				ImGui::TextDisabled("%s", tr(Msg::EpMaskedNote));
			findings(path + "." + map[i].first);
			ImGui::PopID();
			if (remove)
			{
				map.erase(map.begin() + static_cast<std::ptrdiff_t>(i));
				changed = true;
				break;
			}
		}
		if (ImGui::SmallButton(tr(Msg::EpAddRow)))
		{
			map.push_back({"", ""});
			changed = true;
		}
		ctx.hook.recordItem("endpoints.editor." + std::string(id) + ".add");
		findings(path);
		ImGui::PopID();
	}
};

/// A tab's label with a marker when any finding about its fields is an error.
std::string tabLabel(Msg text, const EndpointEditor & ed, const std::vector<const char *> & prefixes)
{
	bool bad = false;
	for (const auto & d : ed.findings)
		for (const char * p : prefixes)
			bad = bad || (d.severity == config::Severity::Error && d.path.rfind(p, 0) == 0);
	return std::string(tr(text)) + (bad ? " (!)" : "") + "###" + std::to_string(static_cast<int>(text));
}

void basicTab(Ed & ed)
{
	EndpointForm & f = ed.form;
	if (!ed.beginFields("basic"))
		return;
	ed.text(Msg::EpFieldName, "endpoint.name", f.name);
	ed.text(Msg::EpFieldUrl, "endpoint.url", f.url, "https://api.example.com");
	const std::string type = f.endpoint_type;
	ed.combo(Msg::EpFieldType, "endpoint.endpoint_type", f.endpoint_type, {"anthropic", "openai"});
	if (f.endpoint_type != type && f.endpoint_type == "openai")
	{
		// What an OpenAI-compatible endpoint needs (the original's defaults).
		if (f.path_prefix.empty())
			f.path_prefix = "/v1/chat/completions";
		if (f.auth_type == "api_key")
			f.auth_type = "auth_token";
	}
	if (f.endpoint_type == "openai" || !f.path_prefix.empty())
		ed.text(Msg::EpFieldPathPrefix, "endpoint.path_prefix", f.path_prefix, "/v1/chat/completions");
	ed.label(Msg::EpWizardModel, "endpoint.model_rewrite");
	if (defaultModelApplies(f))
	{
		std::string model = defaultModelOf(f);
		if (ui::inputString("##default_model", model, 0, "glm-4.5"))
		{
			setDefaultModel(f, model);
			ed.changed = true;
		}
		ed.ctx.hook.recordItem("endpoints.editor.default_model");
	}
	else
		ImGui::TextDisabled("%s", tr(Msg::EpDefaultModelOff));
	ed.check(Msg::EpFieldEnabled, "endpoint.enabled", f.enabled);
	ed.integer(Msg::EpFieldPriority, "endpoint.priority", f.priority);
	ed.integer(Msg::EpFieldWeight, "endpoint.weight", f.weight);
	ed.text(Msg::EpFieldTags, "endpoint.tags", f.tags, tr(Msg::EpTagsHint));
	ImGui::EndTable();
}

void authTab(Ed & ed)
{
	EndpointForm & f = ed.form;
	if (!ed.beginFields("auth"))
		return;
	if (f.endpoint_type == "openai")
		ed.combo(Msg::EpFieldAuthType, "endpoint.auth_type", f.auth_type, {"auth_token", "oauth"});
	else
		ed.combo(Msg::EpFieldAuthType, "endpoint.auth_type", f.auth_type, {"api_key", "auth_token", "oauth"});
	if (f.auth_type != "oauth")
		ed.secret(Msg::EpFieldAuthValue, "endpoint.auth_value", f.auth_value);
	else
	{
		ed.findings("endpoint.oauth_config");
		ed.secret(Msg::EpOAuthAccess, "endpoint.oauth_config.access_token", f.oauth.access_token);
		ed.secret(Msg::EpOAuthRefresh, "endpoint.oauth_config.refresh_token", f.oauth.refresh_token);
		ed.label(Msg::EpOAuthExpires, "endpoint.oauth_config.expires_at");
		ed.changed |= ImGui::InputScalar("##expires", ImGuiDataType_S64, &f.oauth.expires_at);
		ed.findings("endpoint.oauth_config.expires_at");
		ed.text(Msg::EpOAuthTokenUrl, "endpoint.oauth_config.token_url", f.oauth.token_url);
		ed.text(Msg::EpOAuthClientId, "endpoint.oauth_config.client_id", f.oauth.client_id, config::kDefaultOAuthClientId);
		ed.text(Msg::EpOAuthScopes, "endpoint.oauth_config.scopes", f.oauth_scopes);
		ed.check(Msg::EpOAuthAutoRefresh, "endpoint.oauth_config.auto_refresh", f.oauth.auto_refresh);
	}
	ImGui::EndTable();
	if (f.auth_type != "oauth")
		ImGui::TextDisabled("%s", tr(Msg::EpOAuthOnly));
}

void openaiTab(Ed & ed)
{
	EndpointForm & f = ed.form;
	if (!ed.beginFields("openai"))
		return;
	ed.combo(Msg::EpMaxTokensField, "endpoint.max_tokens_field_name", f.max_tokens_field_name,
		{"", "max_tokens", "max_completion_tokens", "max_output_tokens"});
	ed.check(Msg::EpMaxTokensLimit, "endpoint.max_tokens_limit", f.max_tokens_limit_set);
	if (f.max_tokens_limit_set)
	{
		ImGui::SetNextItemWidth(-1.0f);
		ed.changed |= ImGui::InputScalar("##limit", ImGuiDataType_S64, &f.max_tokens_limit);
		ed.ctx.hook.recordItem("endpoints.editor.max_tokens_limit_value");
	}
	ed.check(Msg::EpStripCustom, "endpoint.openai.strip_schema_keywords", f.strip_schema_keywords_custom);
	if (f.strip_schema_keywords_custom)
	{
		ImGui::SetNextItemWidth(-1.0f);
		ed.changed |= ui::inputString("##strip", f.strip_schema_keywords, 0, "$schema, $id");
	}
	ed.check(Msg::EpKeepThinking, "endpoint.openai.keep_thinking_history", f.keep_thinking_history);
	ed.check(Msg::EpCountTokens, "endpoint.openai.count_tokens_estimate", f.count_tokens_estimate);
	ed.tri(Msg::EpAllowMissingDone, "endpoint.openai.allow_missing_done", f.allow_missing_done);
	ImGui::EndTable();
}

void proxyTab(Ed & ed)
{
	EndpointForm & f = ed.form;
	if (!ed.beginFields("proxy"))
		return;
	ed.check(Msg::EpProxyUse, "endpoint.proxy", f.proxy_enabled);
	if (f.proxy_enabled)
	{
		if (f.proxy.type.empty())
			f.proxy.type = "http";
		ed.combo(Msg::EpProxyType, "endpoint.proxy.type", f.proxy.type, {"http", "socks5"});
		ed.text(Msg::EpProxyAddress, "endpoint.proxy.address", f.proxy.address, "127.0.0.1:3128");
		ed.text(Msg::EpProxyUser, "endpoint.proxy.username", f.proxy.username);
		ed.secret(Msg::EpProxyPassword, "endpoint.proxy.password", f.proxy.password);
	}
	ImGui::EndTable();
}

void rewriteTab(Ed & ed)
{
	EndpointForm & f = ed.form;
	EndpointEditor & editor = ed.model.editor();
	ed.changed |= ImGui::Checkbox(tr(Msg::EpRewriteEnabled), &f.model_rewrite.enabled);
	ed.ctx.hook.recordItem("endpoints.editor.model_rewrite.enabled");
	ed.findings("endpoint.model_rewrite.rules");
	auto & rules = f.model_rewrite.rules;
	for (size_t i = 0; i < rules.size(); ++i)
	{
		ImGui::PushID(static_cast<int>(i));
		const std::string rp = "endpoint.model_rewrite.rules[" + std::to_string(i) + "]";
		ImGui::SetNextItemWidth(200.0f);
		ed.changed |= ui::inputString("##source", rules[i].source_pattern, 0, tr(Msg::EpRewriteSource));
		ed.ctx.hook.recordItem("endpoints.editor.rule." + std::to_string(i) + ".source");
		ImGui::SameLine();
		if (ImGui::BeginCombo("##preset", "", ImGuiComboFlags_NoPreview))
		{
			// The original's presets.
			for (const char * p : {"claude-*haiku*", "claude-*sonnet*", "claude-*opus*", "claude-*", "*"})
				if (ImGui::Selectable(p))
				{
					rules[i].source_pattern = p;
					ed.changed = true;
				}
			ImGui::EndCombo();
		}
		ImGui::SameLine();
		ImGui::TextUnformatted("->");
		ImGui::SameLine();
		ImGui::SetNextItemWidth(-90.0f);
		ed.changed |= ui::inputString("##target", rules[i].target_model, 0, tr(Msg::EpRewriteTarget));
		ed.ctx.hook.recordItem("endpoints.editor.rule." + std::to_string(i) + ".target");
		ImGui::SameLine();
		const bool remove = ImGui::SmallButton(tr(Msg::EpRemove));
		ed.findings(rp + ".source_pattern");
		ed.findings(rp + ".target_model");
		ed.findings(rp);
		ImGui::PopID();
		if (remove)
		{
			rules.erase(rules.begin() + static_cast<std::ptrdiff_t>(i));
			ed.changed = true;
			break;
		}
	}
	if (ImGui::SmallButton(tr(Msg::EpAddRule)))
	{
		rules.push_back({"claude-*", ""});
		ed.changed = true;
	}
	ed.ctx.hook.recordItem("endpoints.editor.rule.add");

	ImGui::Separator();
	ImGui::TextUnformatted(tr(Msg::EpRewriteTester));
	ImGui::SetNextItemWidth(260.0f);
	ui::inputString("##try_model", editor.rewrite_model);
	ed.ctx.hook.recordItem("endpoints.editor.rewrite_model");
	ImGui::SameLine();
	ImGui::BeginDisabled(editor.rewrite_test.state == LoadState::Loading);
	if (ImGui::Button(tr(Msg::EpTest)))
		ed.model.testRewrite();
	ImGui::EndDisabled();
	ed.ctx.hook.recordItem("endpoints.editor.rewrite_test");
	const ui::StatusColours & colours = ui::statusColours();
	const ActionState & t = editor.rewrite_test;
	if (t.state == LoadState::Loading)
		ImGui::TextDisabled("%s", tr(Msg::EpTesting));
	else if (t.state == LoadState::Failed)
		ImGui::TextColored(colours.error, tr(Msg::EpActionFailed), t.error.c_str());
	else if (t.state == LoadState::Loaded)
	{
		const api::ModelRewriteTest & r = editor.rewrite_result;
		if (r.rewritten)
			ImGui::TextColored(colours.ok, tr(Msg::EpRewriteResult), r.model.c_str(), r.result.c_str(), r.rule_index + 1);
		else
			ImGui::Text(tr(Msg::EpRewriteNone), r.model.c_str(), r.reason.c_str());
	}
	if (t.state != LoadState::Idle)
		ed.ctx.hook.recordItem("endpoints.editor.rewrite_result");
}

void overridesTab(Ed & ed)
{
	ImGui::TextDisabled("%s", tr(Msg::EpEmptyRemoves));
	ImGui::TextUnformatted(tr(Msg::EpHeaders));
	ed.rows("header", "endpoint.header_overrides", ed.form.header_overrides, true);
	ImGui::Separator();
	ImGui::TextUnformatted(tr(Msg::EpParams));
	ed.rows("param", "endpoint.parameter_overrides", ed.form.parameter_overrides, false);
}

void advancedTab(Ed & ed)
{
	EndpointForm & f = ed.form;
	if (!ed.beginFields("advanced"))
		return;
	ed.text(Msg::EpId, "endpoint.id", f.id, tr(Msg::EpIdHint));
	ed.check(Msg::EpTlsVerify, "endpoint.tls_verify", f.tls_verify);
	ed.text(Msg::EpCaFile, "endpoint.ca_file", f.ca_file);
	ed.check(Msg::EpEnhanced, "endpoint.enhanced_protection", f.enhanced_protection);
	ed.tri(Msg::EpReorderSystem, "endpoint.reorder_system_messages_first", f.reorder_system_messages_first);
	ImGui::EndTable();
	if (f.rate_limit_status)
		ImGui::TextDisabled(tr(Msg::EpRateLimit), f.rate_limit_status->c_str());
}

} // namespace

void drawEndpointEditor(PanelContext & ctx)
{
	EndpointsModel & model = ctx.state.endpointsModel();
	EndpointEditor & editor = model.editor();
	static bool showSecrets = false;
	Ed ed{ctx, model, editor.form, showSecrets};
	const ui::StatusColours & colours = ui::statusColours();

	if (ImGui::Button(tr(Msg::EpBack)))
		model.closeEditor();
	ctx.hook.recordItem("endpoints.editor.cancel");
	ImGui::SameLine();
	if (editor.creating)
		ImGui::TextUnformatted(tr(Msg::EpNewTitle));
	else
		ImGui::Text(tr(Msg::EpEditTitle), editor.target_name.c_str());
	ctx.hook.recordItem("endpoints.editor.title");
	ImGui::SameLine();
	ImGui::Checkbox(tr(Msg::EpShowSecrets), &showSecrets);

	if (ImGui::BeginTabBar("editor_tabs"))
	{
		struct Tab
		{
			Msg title;
			std::vector<const char *> prefixes;
			void (*draw)(Ed &);
			const char * hook;
		};
		static const Tab tabs[] = {
			{Msg::EpTabBasic, {"endpoint.name", "endpoint.url", "endpoint.endpoint_type", "endpoint.path_prefix", "endpoint.priority",
				"endpoint.weight", "endpoint.tags", "endpoint.enabled"}, basicTab, "basic"},
			{Msg::EpTabAuth, {"endpoint.auth", "endpoint.oauth_config"}, authTab, "auth"},
			{Msg::EpTabOpenAI, {"endpoint.openai", "endpoint.max_tokens"}, openaiTab, "openai"},
			{Msg::EpTabProxy, {"endpoint.proxy"}, proxyTab, "proxy"},
			{Msg::EpTabRewrite, {"endpoint.model_rewrite"}, rewriteTab, "rewrite"},
			{Msg::EpTabOverrides, {"endpoint.header_overrides", "endpoint.parameter_overrides"}, overridesTab, "overrides"},
			{Msg::EpTabAdvanced, {"endpoint.id", "endpoint.tls_verify", "endpoint.ca_file", "endpoint.enhanced_protection",
				"endpoint.reorder_system_messages_first"}, advancedTab, "advanced"},
		};
		for (const Tab & tab : tabs)
		{
			const bool open = ImGui::BeginTabItem(tabLabel(tab.title, editor, tab.prefixes).c_str());
			ctx.hook.recordItem(std::string("endpoints.editor.tab.") + tab.hook);
			if (open)
			{
				ImGui::BeginChild("fields", ImVec2(0.0f, -ImGui::GetFrameHeightWithSpacing() * 4.0f));
				tab.draw(ed);
				ImGui::EndChild();
				ImGui::EndTabItem();
			}
		}
		ImGui::EndTabBar();
	}
	if (ed.changed)
		model.formChanged();

	// Save, its outcome, and a count of the findings (each is shown at its field).
	ImGui::Separator();
	size_t errors = config::countErrors(editor.findings);
	ImGui::BeginDisabled(editor.save.state == LoadState::Loading);
	if (ImGui::Button(tr(Msg::EpSave)))
		model.save();
	ImGui::EndDisabled();
	ctx.hook.recordItem("endpoints.editor.save");
	ImGui::SameLine();
	if (editor.save.state == LoadState::Loading)
		ImGui::TextDisabled("%s", tr(Msg::EpSaving));
	else if (editor.save.state == LoadState::Failed)
	{
		ImGui::TextColored(colours.error, tr(Msg::EpSaveFailed), editor.save.error.c_str());
		if (!editor.save_error_path.empty())
		{
			ImGui::SameLine();
			ImGui::TextDisabled("(%s)", editor.save_error_path.c_str());
		}
	}
	if (editor.save.state != LoadState::Idle)
		ctx.hook.recordItem("endpoints.editor.save_status");
	if (editor.conflict)
	{
		ImGui::SameLine();
		ImGui::BeginDisabled(model.list().state == LoadState::Loading);
		if (ImGui::Button(tr(Msg::EpReloadKeep)))
			model.reloadAfterConflict();
		ImGui::EndDisabled();
		ctx.hook.recordItem("endpoints.editor.conflict_reload");
	}
	if (editor.findings.empty())
		ImGui::TextDisabled("%s", tr(Msg::EpNoFindings));
	else
	{
		ImGui::TextColored(errors ? colours.error : colours.warning, tr(Msg::EpFindings), static_cast<int>(editor.findings.size()));
		if (ImGui::IsItemHovered())
		{
			std::string all;
			for (const auto & d : editor.findings)
				all += d.toString() + "\n";
			ImGui::SetTooltip("%s", all.c_str());
		}
	}
	ctx.hook.recordItem("endpoints.editor.findings");
}

} // namespace ccc::admin
