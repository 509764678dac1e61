#include "proxy/OpenAIBridge.h"

#include <nlohmann/json.hpp>

#include "ccc/openai/convert.h"

namespace ccc::proxy
{

namespace
{

class OpenAIStreamAdapter : public StreamAdapter
{
public:
	explicit OpenAIStreamAdapter(openai::StreamConverter::Options o) : _conv(std::move(o)) { }
	bool feed(std::string_view bytes, std::vector<sse::Event> & out) override { return _conv.feed(bytes, out); }
	bool finish(std::vector<sse::Event> & out) override { return _conv.finish(out); }
	const std::string & error() const override { return _conv.error(); }
	bool upstreamError() const override { return _conv.upstreamError(); }

private:
	openai::StreamConverter _conv;
};

class OpenAIBodyAdapter : public BodyAdapter
{
public:
	explicit OpenAIBodyAdapter(openai::ResponseOptions o) : _opts(std::move(o)) { }
	bool convert(const std::string & upstreamBody, std::string & anthropicBody, std::string & error, bool & upstreamError) override
	{
		openai::ResponseResult r = openai::convertResponse(upstreamBody, _opts);
		upstreamError = r.upstreamError;
		if (!r.ok)
		{
			error = r.error;
			return false;
		}
		anthropicBody = std::move(r.body);
		return true;
	}

private:
	openai::ResponseOptions _opts;
};

std::vector<std::string> stopSequences(const std::string & body)
{
	std::vector<std::string> out;
	auto span = json::findPath(body, "stop_sequences");
	if (!span)
		return out;
	auto j = nlohmann::json::parse(span->of(body), nullptr, false);
	if (j.is_array())
		for (const auto & s : j)
			if (s.is_string())
				out.push_back(s.get<std::string>());
	return out;
}

} // namespace

OpenAIPrepared prepareOpenAI(const config::Config & cfg, const config::Endpoint & e, CallKind kind, const std::string & anthropicBody,
	const std::string & model, const json::TopLevelEditor & overrides)
{
	OpenAIPrepared p;
	if (kind == CallKind::CountTokens)
	{
		if (!e.openai.count_tokens_estimate)
		{
			p.skipReason = "count_tokens is not served by this OpenAI-compatible endpoint (openai.count_tokens_estimate is off)";
			return p;
		}
		p.localAnswer = true;
		p.localBody = "{\"input_tokens\":" + std::to_string(openai::estimateInputTokens(anthropicBody)) + "}";
		return p;
	}
	openai::RequestOptions ro;
	ro.model = model;
	if (!e.max_tokens_field_name.empty())
		ro.maxTokensField = e.max_tokens_field_name == "max_completion_tokens" || e.max_tokens_field_name == "max_output_tokens"
			? e.max_tokens_field_name
			: "max_tokens";
	ro.maxTokensLimit = e.max_tokens_limit;
	ro.reorderSystemFirst = e.reorder_system_messages_first.value_or(false);
	ro.stripSchemaKeywords = e.openai.strip_schema_keywords;
	ro.keepThinkingHistory = e.openai.keep_thinking_history;
	openai::RequestResult rr = openai::convertRequest(anthropicBody, ro);
	if (!rr.ok)
	{
		p.error = "the request cannot be converted for OpenAI-compatible endpoint " + e.name + ": " + rr.error;
		p.errorField = rr.errorField;
		return p;
	}
	p.body = std::move(rr.body);
	if (!overrides.empty())
	{
		std::string edited;
		if (overrides.apply(p.body, edited))
			p.body = std::move(edited);
	}
	openai::ResponseOptions resp;
	resp.pythonFixEnabled = cfg.validation.python_json_fixing.enabled;
	resp.pythonFixTools = cfg.validation.python_json_fixing.target_tools;
	resp.stopSequences = stopSequences(anthropicBody);
	// message_start must carry a plausible input count before the upstream reports usage.
	resp.estimatedInputTokens = openai::estimateInputTokens(anthropicBody);
	auto span = json::findPath(anthropicBody, "model");
	if (span)
		resp.clientModel = json::decodeString(anthropicBody, *span).value_or(model);
	openai::StreamConverter::Options so;
	static_cast<openai::ResponseOptions &>(so) = resp;

	so.allowMissingDone = e.openai.allow_missing_done.value_or(e.url.find("apis.iflow.cn") != std::string::npos);
	p.makeStreamAdapter = [so] { return std::make_unique<OpenAIStreamAdapter>(so); };
	p.makeBodyAdapter = [resp] { return std::make_unique<OpenAIBodyAdapter>(resp); };
	return p;
}

} // namespace ccc::proxy
