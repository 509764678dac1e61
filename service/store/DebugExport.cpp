#include "store/DebugExport.h"

#include <algorithm>
#include <ctime>
#include <set>
#include <sstream>

#include <Poco/DateTime.h>
#include <Poco/Path.h>
#include <Poco/Timestamp.h>
#include <Poco/Zip/Compress.h>
#include <nlohmann/json.hpp>

#include "ccc/config/json_mapping.h"

namespace ccc::store
{

namespace
{
using ojson = nlohmann::ordered_json;

std::string headersText(const api::HeaderList & h)
{
	std::string s;
	for (const auto & kv : h)
		s += kv.first + ": " + kv.second + "\n";
	return s;
}

ojson usageJson(const anthropic::Usage & u)
{
	return {{"input_tokens", u.input_tokens}, {"output_tokens", u.output_tokens},
		{"cache_creation_input_tokens", u.cache_creation_input_tokens},
		{"cache_read_input_tokens", u.cache_read_input_tokens}};
}

ojson bodyJson(const api::CapturedBody & b, const BodyInfo & i)
{
	return {{"original_size", b.totalSize}, {"stored_size", b.bytes.size()}, {"truncated", i.truncated},
		{"omitted", i.omitted}};
}

/// Secrets never leave in an export, not even as a masked hint.
void redactConfigJson(ojson & j)
{
	static const std::set<std::string> kKeys = {"auth_value", "access_token", "refresh_token", "password",
		"client_tokens", "admin_password_hash", "client_id"};
	if (j.is_object())
	{
		for (auto it = j.begin(); it != j.end(); ++it)
		{
			if (kKeys.count(it.key()))
			{
				if (it.value().is_string() && !it.value().get<std::string>().empty())
					it.value() = kRedacted;
				else if (it.value().is_array())
					for (auto & e : it.value())
						e = kRedacted;
			}
			else
				redactConfigJson(it.value());
		}
	}
	else if (j.is_array())
		for (auto & e : j)
			redactConfigJson(e);
}

std::string safeName(const std::string & s, size_t max)
{
	std::string out;
	for (char c : s)
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-')
			out.push_back(c);
	if (out.size() > max)
		out.resize(max);
	return out.empty() ? "unnamed" : out;
}

std::string dump(const ojson & j)
{
	return j.dump(2, ' ', false, ojson::error_handler_t::replace) + "\n";
}

class ZipWriter
{
public:
	explicit ZipWriter(std::ostream & out) : _zip(out, true) {}
	void add(const std::string & path, const std::string & data)
	{
		std::istringstream in(data);
		_zip.addFile(in, _when, Poco::Path(path, Poco::Path::PATH_UNIX),
			data.empty() ? Poco::Zip::ZipCommon::CM_STORE : Poco::Zip::ZipCommon::CM_DEFLATE,
			Poco::Zip::ZipCommon::CL_NORMAL);
	}
	void close() { _zip.close(); }

private:
	Poco::Zip::Compress _zip;
	Poco::DateTime _when;
};
} // namespace

std::string exportZipFileName(const std::string & requestId, int64_t nowMs)
{
	std::time_t t = static_cast<std::time_t>(nowMs / 1000);
	std::tm tm{};
	gmtime_r(&t, &tm);
	char buf[32];
	std::strftime(buf, sizeof buf, "%Y%m%d_%H%M%S", &tm);
	return "debug_" + safeName(requestId, 50) + "_" + buf + ".zip";
}

std::optional<std::string> exportRequestZip(LogStore & store, const std::string & requestId, const config::Config * cfg,
	int64_t nowMs)
{
	auto found = store.get(requestId);
	if (!found)
		return std::nullopt;
	const StoredRequest & s = *found;
	const api::RequestRecord & r = s.rec;

	std::ostringstream out;
	ZipWriter zip(out);

	std::set<std::string> endpoints;
	bool hasErrors = r.outcome != api::Outcome::Success || !r.error.empty();
	for (const auto & a : r.attempts)
	{
		if (!a.endpoint_id.empty())
			endpoints.insert(a.endpoint_id);
		if (a.outcome != api::Outcome::Success || !a.error.empty())
			hasErrors = true;
	}
	if (!r.final_endpoint_id.empty())
		endpoints.insert(r.final_endpoint_id);

	zip.add("README.txt",
		"Debug export of request " + r.request_id +
			"\n\n"
			"meta.json                 the request: times (unix ms), client status, outcome, usage, cost\n"
			"request/                  what the client sent and what it received\n"
			"attempts/attempt_N/       each upstream attempt: metadata, what went upstream, what came back\n"
			"endpoints/                configuration of the endpoints involved, secrets replaced by [REDACTED]\n"
			"taggers/                  taggers whose tag the request carries\n\n"
			"Credentials (authorization, x-api-key, cookies, configured secrets) were redacted before the\n"
			"request was stored. Bodies marked truncated end with \"... [truncated]\".\n");

	ojson meta = {{"request_id", r.request_id}, {"export_timestamp_ms", nowMs}, {"started_at_ms", r.started_at_ms},
		{"duration_ms", r.duration_ms}, {"ttfb_ms", r.ttfb_ms}, {"method", r.method}, {"path", r.path},
		{"final_status_code", r.status}, {"outcome", api::outcomeName(r.outcome)}, {"error", r.error},
		{"has_errors", hasErrors}, {"streaming", r.streaming}, {"tags", r.tags}, {"model_requested", r.model_requested},
		{"thinking_type", r.thinking_type}, {"thinking_budget", r.thinking_budget}, {"session_id", r.session_id},
		{"user_agent", r.user_agent}, {"final_endpoint_id", r.final_endpoint_id},
		{"final_endpoint_name", r.final_endpoint_name}, {"usage", usageJson(r.usage)}, {"cost_usd", r.cost_usd},
		{"total_attempts", r.attempts.size()}, {"unique_endpoints", endpoints}, {"bodies_shed", s.bodies_shed},
		{"client_request_body", bodyJson(r.client_request_body, s.client_request_body)},
		{"client_response_body", bodyJson(r.client_response_body, s.client_response_body)}};
	zip.add("meta.json", dump(meta));
	zip.add("request/client_request_headers.txt", headersText(r.client_request_headers));
	zip.add("request/client_request_body.txt", r.client_request_body.bytes);
	zip.add("request/client_response_headers.txt", headersText(r.client_response_headers));
	zip.add("request/client_response_body.txt", r.client_response_body.bytes);

	for (size_t i = 0; i < r.attempts.size(); ++i)
	{
		const auto & a = r.attempts[i];
		BodyInfo reqInfo, respInfo;
		if (i < s.attempt_bodies.size())
		{
			reqInfo = s.attempt_bodies[i].first;
			respInfo = s.attempt_bodies[i].second;
		}
		std::string dir = "attempts/attempt_" + std::to_string(a.attempt_number) + "/";
		ojson am = {{"attempt_number", a.attempt_number}, {"endpoint_id", a.endpoint_id},
			{"endpoint_name", a.endpoint_name}, {"endpoint_url", a.endpoint_url}, {"started_at_ms", a.started_at_ms},
			{"duration_ms", a.duration_ms}, {"ttfb_ms", a.ttfb_ms}, {"status", a.status},
			{"outcome", api::outcomeName(a.outcome)}, {"error", a.error}, {"streaming", a.streaming},
			{"content_type_override", a.content_type_override}, {"model_sent", a.model_sent},
			{"usage", usageJson(a.usage)}, {"request_body", bodyJson(a.request_body, reqInfo)},
			{"response_body", bodyJson(a.response_body, respInfo)}};
		zip.add(dir + "meta.json", dump(am));
		zip.add(dir + "request_headers.txt", headersText(a.request_headers));
		zip.add(dir + "request_body.txt", a.request_body.bytes);
		zip.add(dir + "response_headers.txt", headersText(a.response_headers));
		zip.add(dir + "response_body.txt", a.response_body.bytes);
	}

	if (cfg)
	{
		ojson all = config::configToJson(*cfg, true);
		redactConfigJson(all);
		const ojson & eps = all.contains("endpoints") ? all["endpoints"] : ojson::array();
		for (size_t i = 0; i < cfg->endpoints.size() && i < eps.size(); ++i)
		{
			std::string id = config::endpointId(cfg->endpoints[i]);
			if (endpoints.count(id))
				zip.add("endpoints/endpoint_" + safeName(id, 80) + ".json", dump(eps[i]));
		}
		const ojson tagging = all.contains("tagging") ? all["tagging"] : ojson::object();
		const ojson taggers = tagging.contains("taggers") ? tagging["taggers"] : ojson::array();
		for (size_t i = 0; i < cfg->tagging.taggers.size() && i < taggers.size(); ++i)
		{
			const auto & t = cfg->tagging.taggers[i];
			if (std::find(r.tags.begin(), r.tags.end(), t.tag) != r.tags.end())
				zip.add("taggers/tagger_" + safeName(t.name, 80) + ".json", dump(taggers[i]));
		}
	}
	zip.close();
	return out.str();
}

} // namespace ccc::store
