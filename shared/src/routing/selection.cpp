#include "ccc/routing/selection.h"

#include <algorithm>

namespace ccc::routing
{

namespace
{

bool hasAll(const std::vector<std::string> & have, const std::vector<std::string> & want)
{
	for (const auto & w : want)
		if (std::find(have.begin(), have.end(), w) == have.end())
			return false;
	return true;
}

std::string joinTags(const std::vector<std::string> & tags)
{
	std::string s;
	for (const auto & t : tags)
		s += (s.empty() ? "" : ", ") + t;
	return s;
}

} // namespace

std::vector<Candidate> orderCandidates(const std::vector<config::Endpoint> & endpoints, const std::vector<std::string> & requestTags,
	const SelectionPolicy & policy)
{
	std::vector<Candidate> out;
	for (size_t i = 0; i < endpoints.size(); ++i)
	{
		const config::Endpoint & e = endpoints[i];
		if (!e.enabled)
			continue;
		if (requestTags.empty())
		{
			if (e.tags.empty())
				out.push_back({i, 0});
			else if (policy.untaggedUseTagged)
				out.push_back({i, 1});
		}
		else if (!e.tags.empty() && hasAll(e.tags, requestTags))
			out.push_back({i, 0});
		else if (e.tags.empty() && policy.fallbackToUntagged)
			out.push_back({i, 1});
	}
	std::stable_sort(out.begin(), out.end(), [&](const Candidate & a, const Candidate & b) {
		if (a.tier != b.tier)
			return a.tier < b.tier;
		return endpoints[a.index].priority < endpoints[b.index].priority;
	});
	return out;
}

std::string describeNoCandidates(const std::vector<config::Endpoint> & endpoints, const std::vector<std::string> & requestTags,
	const SelectionPolicy & policy)
{
	size_t enabled = 0, enabledUntagged = 0;
	for (const auto & e : endpoints)
	{
		if (!e.enabled)
			continue;
		++enabled;
		if (e.tags.empty())
			++enabledUntagged;
	}
	if (endpoints.empty())
		return "no endpoints are configured; add one in config.yaml or the admin";
	if (enabled == 0)
		return "all " + std::to_string(endpoints.size()) + " configured endpoints are disabled";
	if (requestTags.empty())
	{
		std::string msg = "the request has no tags and no enabled untagged endpoint exists";
		if (!policy.untaggedUseTagged)
			msg += " (all " + std::to_string(enabled) + " enabled endpoints are tagged; set tagging.untagged_use_tagged: true to let untagged requests use them)";
		return msg;
	}
	std::string msg = "no enabled endpoint carries all of the request's tags [" + joinTags(requestTags) + "]";
	if (!policy.fallbackToUntagged)
		msg += " and tagging.fallback_to_untagged is off";
	else if (enabledUntagged == 0)
		msg += " and no enabled untagged endpoint exists to fall back to";
	std::string partial;
	for (const auto & e : endpoints)
		if (e.enabled && !e.tags.empty())
			partial += (partial.empty() ? "" : "; ") + e.name + " [" + joinTags(e.tags) + "]";
	if (!partial.empty())
		msg += "; tagged endpoints: " + partial;
	return msg;
}

} // namespace ccc::routing
