#pragma once
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/api_client.h"
#include "model/taggers_form.h"

/// "Try on a sample request" apart from drawing: the editable sample request, the body of
/// POST /admin/api/taggers/try and the reading of its answer (docs/ADMIN_API.md).
namespace ccc::admin
{

/// The sample request as the user edits it. Headers are one "name: value" per line.
struct SampleRequestForm
{
	std::string method = "POST";
	std::string path = "/v1/messages";
	std::string headers;
	std::string body;
};

/// From the "request" object of GET /admin/api/taggers/sample-request (tolerant of missing keys).
SampleRequestForm sampleFromJson(const nlohmann::ordered_json & request);

/// The "request" object to send: {"method", "path", "headers": {name: value}, "body"}. Header
/// lines without a ':' or with an empty name are skipped; the last of a repeated name wins.
nlohmann::ordered_json sampleToJson(const SampleRequestForm & sample);

/// The body of POST /taggers/try: {"tagger": <form>, "replace": <saved name, when editing one>,
/// "request": <sample>}.
nlohmann::ordered_json tryRequestBody(const TaggerForm & form, const SampleRequestForm & sample);

/// What a try answered.
struct TryResult
{
	bool ok = false;                       ///< a 200 with the expected shape
	std::vector<std::string> pipeline_tags; ///< "tags": the whole pipeline with this tagger
	bool matched = false;                  ///< tagger.matched
	std::vector<std::string> tags;         ///< tagger.tags
	std::string tagger_error;              ///< tagger.error: a Lua error, a timeout, a load problem
	long long duration_us = 0;
	std::string error;                     ///< why the try itself failed (HTTP error, 400 message)
	std::string path;                      ///< the 400's key path ("tagger.config.path_pattern", "request.headers.x")
};

TryResult tryResultFrom(const ApiResult & result);

} // namespace ccc::admin
