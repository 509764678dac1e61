#include "admin/TaggerTryApi.h"

#include <chrono>
#include <optional>

#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/String.h>

#include "admin/RouteSupport.h"
#include "ccc/api/admin_config.h"
#include "ccc/config/validate.h"
#include "http/Responses.h"
#include "http/Router.h"
#include "tagging/TaggingEngine.h"

namespace ccc::admin
{

namespace
{

using json = nlohmann::json;
using ojson = nlohmann::ordered_json;
using Request = Poco::Net::HTTPServerRequest;
using Response = Poco::Net::HTTPServerResponse;

constexpr const char * kTriedTaggerName = "(tried)";

/// The sample request of the body, owned (the RequestView points into it).
struct Sample
{
	routing::RequestView view;
	std::string body;
};

/// Reads {"method", "path", "headers", "body"}; an error names its key path under "request".
bool readSample(const ojson & j, Sample & out, api::ApiError & err)
{
	if (!j.is_object())
	{
		err = {"request: must be an object {method, path, headers, body}", "request", ""};
		return false;
	}
	auto text = [&](const char * key, const std::string & fallback, std::string & value) {
		auto it = j.find(key);
		if (it == j.end() || it->is_null())
		{
			value = fallback;
			return true;
		}
		if (!it->is_string())
		{
			err = {std::string("request.") + key + ": must be a string", std::string("request.") + key, ""};
			return false;
		}
		value = it->get<std::string>();
		return true;
	};
	std::string path;
	if (!text("method", "POST", out.view.method) || !text("path", "/v1/messages", path))
		return false;
	if (out.view.method.empty())
		out.view.method = "POST";
	if (size_t q = path.find('?'); q != std::string::npos)
	{
		out.view.query = path.substr(q + 1);
		path.resize(q);
	}
	out.view.path = path;
	if (auto it = j.find("headers"); it != j.end() && !it->is_null())
	{
		if (!it->is_object())
		{
			err = {"request.headers: must be an object of header names to values", "request.headers", ""};
			return false;
		}
		for (auto h = it->begin(); h != it->end(); ++h)
		{
			if (!h.value().is_string())
			{
				err = {"request.headers." + h.key() + ": must be a string", "request.headers." + h.key(), ""};
				return false;
			}
			out.view.headers.emplace_back(Poco::toLower(h.key()), h.value().get<std::string>());
		}
	}
	if (auto it = j.find("body"); it != j.end() && !it->is_null())
		// A JSON value instead of its text is accepted too (convenient for scripts and curl).
		out.body = it->is_string() ? it->get<std::string>() : it->dump();
	out.view.body = out.body;
	return true;
}

/// Reads and validates the tagger like POST /taggers would (paths under "tagger").
bool readTagger(const json & j, config::Tagger & out, api::ApiError & err)
{
	config::Diagnostics d = api::taggerFromJson(j, out, "tagger");
	if (!config::hasErrors(d))
	{
		config::Config one;
		one.tagging.taggers.push_back(out);
		const std::string prefix = "tagging.taggers[0]";
		for (const auto & f : config::validate(one))
			if (f.severity == config::Severity::Error && f.path.compare(0, prefix.size(), prefix) == 0)
				d.push_back({f.severity, "tagger" + f.path.substr(prefix.size()), f.message});
	}
	if (!config::hasErrors(d))
		return true;
	err = api::firstError(d);
	return false;
}

std::string configDir(const ServiceContext & ctx)
{
	const std::string & p = ctx.configStore->path();
	size_t slash = p.rfind('/');
	return slash == std::string::npos ? std::string() : p.substr(0, slash == 0 ? 1 : slash);
}

/// What the tried tagger alone does on the sample: the real engine with only this tagger
/// (enabled for the run, so a disabled one can be tried before it is switched on).
ojson runAlone(const ServiceContext & ctx, const config::Config & base, config::Tagger t, const routing::RequestView & view)
{
	config::Config solo;
	solo.tagging.pipeline_timeout_ms = base.tagging.pipeline_timeout_ms;
	t.enabled = true;
	if (t.name.empty())
		t.name = kTriedTaggerName;
	solo.tagging.taggers.push_back(t);
	std::vector<std::string> warnings;
	auto engine = tagging::TaggingEngine::build(solo, warnings, configDir(ctx));
	ojson out = {{"matched", false}, {"tags", ojson::array()}, {"error", ""}, {"duration_us", 0}};
	if (engine->size() == 0)
	{
		// A load problem (Lua syntax error, no should_tag, unreadable script_file, starlark):
		// the warning without its "tagging.taggers[0] 'name': " label.
		std::string error = warnings.empty() ? "the tagger was not loaded" : warnings.front();
		const std::string label = "tagging.taggers[0] '" + t.name + "': ";
		if (error.compare(0, label.size(), label) == 0)
			error.erase(0, label.size());
		const std::string tail = "; not loaded";
		if (error.size() > tail.size() && error.compare(error.size() - tail.size(), tail.size(), tail) == 0)
			error.resize(error.size() - tail.size());
		out["error"] = error;
		return out;
	}
	const auto start = std::chrono::steady_clock::now();
	std::vector<std::string> tags = engine->tag(view);
	const auto us = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - start).count();
	const tagging::TaggerStats s = engine->stats().front();
	out["matched"] = !tags.empty();
	out["tags"] = tags;
	out["error"] = s.errors + s.timeouts > 0 ? s.lastError : std::string();
	out["duration_us"] = us;
	return out;
}

void tryTagger(const ServiceContext & ctx, Request & request, Response & response)
{
	json body;
	if (!readJsonBody(request, response, body, true))
		return;
	Sample sample;
	api::ApiError err;
	const bool given = body.contains("request") && !body["request"].is_null();
	if (!readSample(given ? ojson(body["request"]) : sampleTaggerRequest(), sample, err))
		return sendApiError(response, 400, {err.error, err.path, ""});

	ConfigPtr cfg = currentFileConfig(ctx);
	config::Config pipeline = *cfg;
	ojson answer = ojson::object();
	std::optional<config::Tagger> tried;
	if (body.contains("tagger") && !body["tagger"].is_null())
	{
		config::Tagger t;
		if (!readTagger(body["tagger"], t, err))
			return sendApiError(response, 400, {err.error, err.path, ""});
		if (body.contains("replace") && !body["replace"].is_string())
			return sendApiError(response, 400, {"replace: must be the name of a saved tagger", "replace", ""});
		// The tried tagger takes the place of the saved one it edits (by "replace", else by its
		// name), so "tags" is what the pipeline would give once it is saved.
		const std::string replaces = body.value("replace", t.name);
		bool placed = false;
		for (auto & saved : pipeline.tagging.taggers)
			if (!replaces.empty() && saved.name == replaces)
			{
				saved = t;
				placed = true;
				break;
			}
		if (!placed)
			pipeline.tagging.taggers.push_back(t);
		tried = std::move(t);
	}

	std::vector<std::string> warnings;
	auto engine = tagging::TaggingEngine::build(pipeline, warnings, configDir(ctx));
	answer["tags"] = engine->tag(sample.view);
	if (tried)
		answer["tagger"] = runAlone(ctx, *cfg, *tried, sample.view);
	http::sendJson(response, Poco::Net::HTTPResponse::HTTP_OK, answer);
}

} // namespace

ojson sampleTaggerRequest()
{
	// Shaped like a real `claude -p` turn (docs/TAGGING.md examples match it), only much shorter:
	// two tools instead of 24, one system block of three.
	ojson body = {
		{"model", "claude-opus-4-8"},
		{"max_tokens", 64000},
		{"stream", true},
		{"thinking", {{"type", "adaptive"}}},
		{"metadata", {{"user_id", R"({"device_id":"5f1c0b9e","account_uuid":"","session_id":"0b7e7f7a-2c54-4a8e-9d0c-6f4f3d1c2a11"})"}}},
		{"system", ojson::array({{{"type", "text"}, {"text", "You are Claude Code, Anthropic's official CLI for Claude."}},
					   {{"type", "text"}, {"text", "You are an interactive CLI tool that helps users with software engineering tasks."},
						   {"cache_control", {{"type", "ephemeral"}}}}})},
		{"tools",
			ojson::array({{{"name", "Bash"}, {"description", "Executes a bash command."},
							  {"input_schema",
								  {{"type", "object"}, {"properties", {{"command", {{"type", "string"}}}}}, {"required", {"command"}}}}},
				{{"name", "Read"}, {"description", "Reads a file from the local filesystem."},
					{"input_schema",
						{{"type", "object"}, {"properties", {{"file_path", {{"type", "string"}}}}}, {"required", {"file_path"}}}}}})},
		{"messages",
			ojson::array({{{"role", "user"},
				{"content", ojson::array({{{"type", "text"}, {"text", "Explain what src/main.cpp does."}}})}}})},
	};
	ojson headers = {
		{"anthropic-version", "2023-06-01"},
		{"anthropic-beta", "claude-code-20250219,interleaved-thinking-2025-05-14,context-management-2025-06-27"},
		{"content-type", "application/json"},
		{"user-agent", "claude-cli/2.1.197 (external, sdk-cli)"},
		{"x-app", "cli"},
		{"x-claude-code-session-id", "0b7e7f7a-2c54-4a8e-9d0c-6f4f3d1c2a11"},
	};
	return {{"method", "POST"}, {"path", "/v1/messages?beta=true"}, {"headers", headers}, {"body", body.dump(2)}};
}

Poco::Net::HTTPRequestHandler * makeTaggerTryHandler(const Poco::Net::HTTPServerRequest & request, const ServiceContext & ctx)
{
	const std::string path = http::requestPath(request);
	const std::string & m = request.getMethod();
	const ServiceContext * c = &ctx;
	if (path == "/admin/api/taggers/try" && m == "POST")
		return new http::FunctionHandler([c](Request & q, Response & r) { tryTagger(*c, q, r); });
	if (path == "/admin/api/taggers/sample-request" && m == "GET")
	{
		for (const auto & t : currentFileConfig(ctx)->tagging.taggers)
			if (t.name == "sample-request")
				return nullptr; // GET /taggers/<name> of a tagger that happens to carry this name
		return new http::FunctionHandler([](Request &, Response & r) {
			http::sendJson(r, Poco::Net::HTTPResponse::HTTP_OK, ojson{{"request", sampleTaggerRequest()}});
		});
	}
	return nullptr;
}

} // namespace ccc::admin
