#include "model/endpoints.h"

#include <algorithm>
#include <cctype>

namespace ccc::admin
{

namespace
{

using Json = nlohmann::ordered_json;

std::string str(const Json & o, const char * key)
{
	auto it = o.find(key);
	return it != o.end() && it->is_string() ? it->get<std::string>() : std::string();
}

int64_t num(const Json & o, const char * key, int64_t fallback = 0)
{
	auto it = o.find(key);
	return it != o.end() && it->is_number_integer() ? it->get<int64_t>() : fallback;
}

bool flag(const Json & o, const char * key, bool fallback)
{
	auto it = o.find(key);
	return it != o.end() && it->is_boolean() ? it->get<bool>() : fallback;
}

bool containsNoCase(std::string_view hay, std::string_view needle)
{
	auto it = std::search(hay.begin(), hay.end(), needle.begin(), needle.end(), [](char a, char b) {
		return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
	});
	return it != hay.end();
}

} // namespace

double EndpointStatus::successRate() const
{
	const int64_t finished = successes + failures;
	return finished > 0 ? 100.0 * static_cast<double>(successes) / static_cast<double>(finished) : -1.0;
}

std::vector<EndpointStatus> parseEndpoints(const Json & body, std::string & error)
{
	std::vector<EndpointStatus> out;
	if (!body.is_object() || !body.contains("endpoints") || !body["endpoints"].is_array())
	{
		error = "the answer holds no endpoints list";
		return out;
	}
	error.clear();
	for (const Json & j : body["endpoints"])
	{
		if (!j.is_object())
			continue;
		EndpointStatus e;
		e.id = str(j, "id");
		e.name = str(j, "name");
		e.url = str(j, "url");
		e.endpoint_type = str(j, "endpoint_type");
		e.enabled = flag(j, "enabled", true);
		e.priority = static_cast<int>(num(j, "priority"));
		if (auto it = j.find("tags"); it != j.end() && it->is_array())
			for (const Json & t : *it)
				if (t.is_string())
					e.tags.push_back(t.get<std::string>());
		e.status = str(j, "status");
		if (auto it = j.find("breaker"); it != j.end() && it->is_object())
		{
			e.breaker_state = str(*it, "state");
			e.consecutive_failures = num(*it, "consecutive_failures");
			e.open_reason = str(*it, "open_reason");
			e.last_failure = str(*it, "last_failure");
		}
		e.requests = num(j, "requests");
		e.successes = num(j, "successes");
		e.failures = num(j, "failures");
		e.active = num(j, "active");
		out.push_back(std::move(e));
	}
	return out;
}

bool endpointMatches(const EndpointStatus & e, std::string_view filter)
{
	if (filter.empty())
		return true;
	if (containsNoCase(e.name, filter) || containsNoCase(e.url, filter) || containsNoCase(e.endpoint_type, filter))
		return true;
	return std::any_of(e.tags.begin(), e.tags.end(), [&](const std::string & t) { return containsNoCase(t, filter); });
}

} // namespace ccc::admin
