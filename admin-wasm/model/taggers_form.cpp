#include "model/taggers_form.h"

#include <algorithm>
#include <cerrno>
#include <cstdlib>

#include "ccc/api/admin_config.h"
#include "ccc/config/model.h"
#include "ccc/config/validate.h"

namespace ccc::admin
{

namespace
{

using ojson = nlohmann::ordered_json;
using K = TaggerFieldKind;

std::string trim(const std::string & s)
{
	const size_t b = s.find_first_not_of(" \t\r\n");
	if (b == std::string::npos)
		return {};
	const size_t e = s.find_last_not_of(" \t\r\n");
	return s.substr(b, e - b + 1);
}

std::vector<std::string> splitList(const std::string & text)
{
	std::vector<std::string> out;
	size_t pos = 0;
	while (pos <= text.size())
	{
		size_t comma = text.find(',', pos);
		if (comma == std::string::npos)
			comma = text.size();
		std::string item = trim(text.substr(pos, comma - pos));
		if (!item.empty())
			out.push_back(std::move(item));
		pos = comma + 1;
	}
	return out;
}

/// The text a config value is edited as.
std::string valueText(const ojson & v)
{
	if (v.is_null())
		return {};
	if (v.is_string())
		return v.get<std::string>();
	if (v.is_boolean())
		return v.get<bool>() ? "true" : "false";
	if (v.is_array())
	{
		std::string out;
		for (const auto & item : v)
			out += (out.empty() ? "" : ", ") + (item.is_string() ? item.get<std::string>() : item.dump());
		return out;
	}
	return v.dump();
}

bool textIsTrue(const std::string & s)
{
	const std::string t = trim(s);
	return t == "true" || t == "1" || t == "yes";
}

const std::vector<TaggerFieldSpec> & empty()
{
	static const std::vector<TaggerFieldSpec> none;
	return none;
}

} // namespace

const std::vector<TaggerFieldSpec> & taggerFields(const std::string & type, const std::string & b)
{
	static const std::map<std::string, std::vector<TaggerFieldSpec>> builtin = {
		{"path", {{"path_pattern", K::Text, true, "*/v1/messages", false, Msg::TgHintPathPattern}}},
		{"method", {{"methods", K::List, true, "POST", false, Msg::TgHintMethods}}},
		{"header",
			{{"header_name", K::Text, true, "", false, Msg::TgHintHeaderName},
				{"expected_value", K::Text, true, "", false, Msg::TgHintExpectedValue}}},
		{"query",
			{{"param_name", K::Text, true, "", false, Msg::TgHintParamName},
				{"expected_value", K::Text, true, "", false, Msg::TgHintExpectedValue}}},
		{"body-json",
			{{"json_path", K::Text, true, "", false, Msg::TgHintJsonPath},
				{"expected_value", K::Text, true, "", false, Msg::TgHintExpectedValue}}},
		{"model", {{"expected_value", K::Text, true, "", false, Msg::TgHintModelPattern}}},
		{"user-message", {{"expected_value", K::Text, true, "", false, Msg::TgHintUserMessage}}},
		{"thinking",
			{{"min_budget_tokens", K::Number, false, "", false, Msg::TgHintMinBudget},
				{"adaptive", K::Bool, false, "true", false, Msg::TgHintAdaptive}}},
		{"context-size", {{"min_tokens", K::Number, true, "", false, Msg::TgHintMinTokens}}},
		{"subagent",
			{{"agent_header", K::Text, false, "x-claude-code-agent-id", true, Msg::TgHintAgentHeader},
				{"model_patterns", K::List, false, "*haiku*", true, Msg::TgHintModelPatterns}}},
		{"has-tools", {{"tool_name", K::Text, false, "", false, Msg::TgHintToolName}}},
		{"has-images", {{"min_images", K::Number, false, "", false, Msg::TgHintMinImages}}},
	};
	static const std::vector<TaggerFieldSpec> lua = {
		{"script", K::Script, false, "function should_tag(request)\n  return false\nend\n", false, Msg::TgHintScript},
		{"script_file", K::Text, false, "", false, Msg::TgHintScriptFile},
	};
	if (type == "lua")
		return lua;
	if (type != "builtin")
		return empty();
	auto it = builtin.find(b);
	return it == builtin.end() ? empty() : it->second;
}

void TaggerForm::setType(const std::string & t, const std::string & b)
{
	type = t;
	builtin_type = b;
	for (const auto & f : taggerFields(type, builtin_type))
	{
		auto it = fields.find(f.key);
		if (it == fields.end() || (it->second.empty() && f.initial[0] != '\0'))
			fields[f.key] = f.initial;
	}
}

TaggerForm newTaggerForm(const std::string & type, const std::string & builtinType)
{
	TaggerForm f;
	f.setType(type, type == "builtin" ? builtinType : std::string());
	return f;
}

TaggerForm taggerFormFromJson(const ojson & j)
{
	TaggerForm f;
	if (!j.is_object())
		return f;
	auto str = [&](const char * key, const std::string & fallback) {
		auto it = j.find(key);
		return it != j.end() && it->is_string() ? it->get<std::string>() : fallback;
	};
	f.name = str("name", "");
	f.original_name = f.name;
	f.type = str("type", "builtin");
	f.builtin_type = str("builtin_type", "");
	f.tag = str("tag", "");
	if (auto it = j.find("enabled"); it != j.end() && it->is_boolean())
		f.enabled = it->get<bool>();
	if (auto it = j.find("priority"); it != j.end() && it->is_number_integer())
		f.priority = it->get<int>();
	f.loaded_kind = f.type + "/" + f.builtin_type;

	ojson config = ojson::object();
	if (auto it = j.find("config"); it != j.end() && it->is_object())
		config = *it;
	if (f.type == "builtin" && f.builtin_type == "method")
	{
		// Every spelling the service accepts becomes the one list the editor shows.
		std::vector<std::string> methods;
		for (const char * key : {"methods", "allowed_methods", "method", "expected_value"})
			if (auto it = config.find(key); it != config.end())
			{
				for (auto & m : splitList(valueText(*it)))
					if (std::find(methods.begin(), methods.end(), m) == methods.end())
						methods.push_back(m);
				config.erase(key);
			}
		std::string text;
		for (const auto & m : methods)
			text += (text.empty() ? "" : ", ") + m;
		config["methods"] = text;
	}
	const auto & specs = taggerFields(f.type, f.builtin_type);
	for (const auto & spec : specs)
	{
		auto it = config.find(spec.key);
		f.fields[spec.key] = it == config.end() ? std::string(spec.always_write || spec.kind == K::Bool ? spec.initial : "") : valueText(*it);
	}
	for (auto it = config.begin(); it != config.end(); ++it)
		if (std::none_of(specs.begin(), specs.end(), [&](const TaggerFieldSpec & s) { return it.key() == s.key; }))
			f.extra[it.key()] = it.value();
	return f;
}

ojson taggerFormToJson(const TaggerForm & f)
{
	ojson j;
	j["name"] = f.name;
	j["type"] = f.type;
	if (f.type == "builtin")
		j["builtin_type"] = f.builtin_type;
	j["tag"] = f.tag;
	j["enabled"] = f.enabled;
	j["priority"] = f.priority;
	ojson config = ojson::object();
	if (f.type + "/" + f.builtin_type == f.loaded_kind)
		config = f.extra; // keys the editor does not show stay as they were
	for (const auto & spec : taggerFields(f.type, f.builtin_type))
	{
		auto it = f.fields.find(spec.key);
		const std::string text = it == f.fields.end() ? std::string() : it->second;
		switch (spec.kind)
		{
		case K::Bool:
		{
			const bool value = textIsTrue(text);
			if (spec.always_write || value != textIsTrue(spec.initial))
				config[spec.key] = value;
			break;
		}
		case K::List:
		{
			std::vector<std::string> items = splitList(text);
			if (!items.empty() || spec.always_write)
				config[spec.key] = items;
			break;
		}
		case K::Number:
		{
			const std::string t = trim(text);
			if (t.empty())
			{
				if (spec.always_write)
					config[spec.key] = "";
				break;
			}
			char * end = nullptr;
			errno = 0;
			const long long n = std::strtoll(t.c_str(), &end, 10);
			if (end && *end == '\0' && errno == 0)
				config[spec.key] = n;
			else
				config[spec.key] = t; // not a number: validation names the field
			break;
		}
		case K::Text:
		case K::Script:
			if (!text.empty() || spec.always_write)
				config[spec.key] = spec.kind == K::Text ? trim(text) : text;
			break;
		}
	}
	j["config"] = config;
	return j;
}

config::Diagnostics validateTaggerForm(const TaggerForm & f, const std::vector<std::string> & otherNames)
{
	config::Tagger t;
	config::Diagnostics d = api::taggerFromJson(nlohmann::json(taggerFormToJson(f)), t, "tagger");
	if (!config::hasErrors(d))
	{
		config::Config one;
		one.tagging.taggers.push_back(t);
		const std::string prefix = "tagging.taggers[0]";
		for (const auto & finding : config::validate(one))
			if (finding.path.compare(0, prefix.size(), prefix) == 0)
				d.push_back({finding.severity, "tagger" + finding.path.substr(prefix.size()), finding.message});
	}
	if (!f.name.empty() && std::find(otherNames.begin(), otherNames.end(), f.name) != otherNames.end())
		d.push_back({config::Severity::Error, "tagger.name", "\"" + f.name + "\" is already used by another tagger"});
	return d;
}

std::string findingFor(const config::Diagnostics & findings, const std::string & path)
{
	auto matches = [&](const std::string & p) {
		return p == path || (p.size() > path.size() && p.compare(0, path.size(), path) == 0 && (p[path.size()] == '[' || p[path.size()] == '.'));
	};
	for (auto severity : {config::Severity::Error, config::Severity::Warning})
		for (const auto & d : findings)
			if (d.severity == severity && matches(d.path))
				return d.message;
	return {};
}

std::string taggerFieldPath(const std::string & key)
{
	static const char * own[] = {"name", "type", "builtin_type", "tag", "enabled", "priority", "config"};
	for (const char * k : own)
		if (key == k)
			return "tagger." + key;
	return "tagger.config." + key;
}

} // namespace ccc::admin
