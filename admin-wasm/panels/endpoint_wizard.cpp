#include <string>

#include <imgui.h>

#include "model/app_state.h"
#include "panels/endpoints_panel.h"
#include "platform/test_hook.h"
#include "ui/text_input.h"
#include "ui/theme.h"
#include "ui/widgets.h"

namespace ccc::admin
{

namespace
{

/// The refusal of the last attempt, shown at the step it belongs to; and a client-side check.
void stepErrors(PanelContext & ctx, const EndpointWizard & w)
{
	const ui::StatusColours & colours = ui::statusColours();
	if (!w.step_error.empty())
	{
		ImGui::TextColored(colours.error, "%s", w.step_error.c_str());
		ctx.hook.recordItem("endpoints.wizard.step_error");
	}
	if (w.submit.state == LoadState::Failed && w.error_step == w.step)
	{
		ImGui::PushStyleColor(ImGuiCol_Text, colours.error);
		ImGui::TextWrapped(tr(Msg::EpWizardFailed), w.submit.error.c_str());
		ImGui::PopStyleColor();
		ctx.hook.recordItem("endpoints.wizard.error");
	}
}

} // namespace

void drawEndpointWizard(PanelContext & ctx)
{
	EndpointsModel & model = ctx.state.endpointsModel();
	EndpointWizard & w = model.wizard();
	const api::EndpointProfile * profile = model.wizardProfile();

	if (ImGui::Button(tr(Msg::EpBack)))
		model.closeWizard();
	ctx.hook.recordItem("endpoints.wizard.cancel");
	ImGui::SameLine();
	ImGui::Text(tr(Msg::EpWizardTitle), w.step);
	ctx.hook.recordItem("endpoints.wizard.title");
	ImGui::Separator();

	if (w.step == 1)
	{
		const auto & profiles = model.profiles();
		ImGui::TextUnformatted(tr(Msg::EpWizardPick));
		ui::requestStatus(profiles.state, profiles.error, Msg::LoadFailed, ctx.hook, "endpoints.wizard.profiles_status");
		if (profiles.data)
			for (size_t i = 0; i < profiles.data->size(); ++i)
			{
				const api::EndpointProfile & p = (*profiles.data)[i];
				const std::string label = p.display_name + "  (" + p.endpoint_type + ", " + p.url + ")";
				if (ImGui::Selectable(label.c_str(), static_cast<int>(i) == w.profile))
					model.wizardChooseProfile(static_cast<int>(i));
				ctx.hook.recordItem("endpoints.wizard.profile." + p.profile_id);
			}
		stepErrors(ctx, w);
		return;
	}
	if (!profile)
	{
		model.wizardBack();
		return;
	}

	const bool submitting = w.submit.state == LoadState::Loading;
	if (w.step == 2)
	{
		ImGui::Text(tr(Msg::EpWizardCredentials), profile->display_name.c_str());
		ImGui::TextUnformatted(profile->auth_type == "api_key" ? "API key (x-api-key)" : "API token (Authorization: Bearer)");
		ImGui::SetNextItemWidth(420.0f);
		ui::inputString("##auth_value", w.auth_value, ImGuiInputTextFlags_Password);
		ctx.hook.recordItem("endpoints.wizard.auth_value");
		ImGui::TextUnformatted(tr(Msg::EpFieldUrl));
		ImGui::SetNextItemWidth(420.0f);
		ui::inputString("##url", w.url);
		ctx.hook.recordItem("endpoints.wizard.url");
	}
	else
	{
		ImGui::TextUnformatted(tr(Msg::EpWizardModel));
		if (profile->require_default_model)
		{
			ImGui::SameLine();
			ImGui::TextDisabled("(%s)", tr(Msg::EpWizardModelRequired));
		}
		ImGui::SetNextItemWidth(320.0f);
		ui::inputString("##default_model", w.default_model);
		ctx.hook.recordItem("endpoints.wizard.default_model");
		if (!profile->default_model_options.empty())
		{
			ImGui::SameLine();
			if (ImGui::BeginCombo("##models", "", ImGuiComboFlags_NoPreview))
			{
				for (const auto & m : profile->default_model_options)
					if (ImGui::Selectable(m.c_str(), m == w.default_model))
						w.default_model = m;
				ImGui::EndCombo();
			}
		}
		ImGui::TextUnformatted(tr(Msg::EpFieldName));
		ImGui::SetNextItemWidth(320.0f);
		ui::inputString("##name", w.name, 0, tr(Msg::EpWizardNameHint));
		ctx.hook.recordItem("endpoints.wizard.name");
		ui::requestStatus(w.suggest.state, w.suggest.error, Msg::LoadFailed, ctx.hook, "endpoints.wizard.suggest_status");

		ImGui::Separator();
		ImGui::TextUnformatted(tr(Msg::EpWizardSummary));
		ImGui::BulletText("%s: %s", tr(Msg::EpFieldName), w.name.c_str());
		ImGui::BulletText("%s: %s (%s)", tr(Msg::EpWizardProvider), profile->display_name.c_str(), profile->endpoint_type.c_str());
		ImGui::BulletText("%s: %s%s", tr(Msg::EpFieldUrl), w.url.c_str(), profile->path_prefix.c_str());
		ImGui::BulletText("%s: %s", tr(Msg::EpFieldAuthType), profile->auth_type.c_str());
		if (!w.default_model.empty())
			ImGui::BulletText("%s: * -> %s", tr(Msg::EpWizardModel), w.default_model.c_str());
		ctx.hook.recordItem("endpoints.wizard.summary");
	}
	stepErrors(ctx, w);

	ImGui::Separator();
	if (ImGui::Button(tr(Msg::EpWizardPrev)))
		model.wizardBack();
	ctx.hook.recordItem("endpoints.wizard.back");
	ImGui::SameLine();
	ImGui::BeginDisabled(submitting);
	if (ImGui::Button(tr(w.step == 3 ? Msg::EpWizardCreate : Msg::EpWizardNext)))
		model.wizardNext();
	ImGui::EndDisabled();
	ctx.hook.recordItem("endpoints.wizard.next");
	if (submitting)
	{
		ImGui::SameLine();
		ImGui::TextDisabled("%s", tr(Msg::EpWizardCreating));
		ctx.hook.recordItem("endpoints.wizard.creating");
	}
}

} // namespace ccc::admin
