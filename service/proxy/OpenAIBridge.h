#pragma once
#include <functional>
#include <memory>
#include <string>

#include "ccc/config/model.h"
#include "ccc/json/scan.h"
#include "proxy/Adapters.h"
#include "proxy/Attempt.h"

namespace ccc::proxy
{

/// An Anthropic request made ready for an OpenAI-compatible endpoint.
struct OpenAIPrepared
{
	std::string body;                 ///< the Chat Completions request
	std::string skipReason;           ///< this endpoint cannot serve the call (not tried)
	std::string error, errorField;    ///< the client's request cannot be converted (400)
	bool localAnswer = false;         ///< count_tokens answered here with an estimate
	std::string localBody;
	std::function<std::unique_ptr<StreamAdapter>()> makeStreamAdapter;
	std::function<std::unique_ptr<BodyAdapter>()> makeBodyAdapter;
};

/// Converts the request (model already rewritten to `model`; `overrides` holds the endpoint's
/// parameter overrides, applied to the converted body) and builds the response adapters.
OpenAIPrepared prepareOpenAI(const config::Config & cfg, const config::Endpoint & e, CallKind kind, const std::string & anthropicBody,
	const std::string & model, const json::TopLevelEditor & overrides);

} // namespace ccc::proxy
