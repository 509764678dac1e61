#pragma once
#include <string>
#include <vector>

#include "ccc/config/model.h"

namespace ccc::routing
{

struct Candidate
{
	size_t index = 0; ///< into Config::endpoints
	int tier = 0;     ///< 0: serves the request's tags (or untagged request on untagged endpoint); 1: untagged fallback
};

struct SelectionPolicy
{
	bool fallbackToUntagged = true;  ///< tagged requests may fall back to untagged endpoints (original: yes)
	bool untaggedUseTagged = false;  ///< untagged requests may use tagged endpoints (original: no)
};

/// Enabled endpoints that may serve a request carrying `requestTags`, ordered by (tier, priority,
/// position in config). The original's rule: a tagged request goes to endpoints whose tags include
/// all of the request's tags, then to untagged endpoints; an untagged request goes to untagged
/// endpoints. Health, breakers and balancing are applied later by the proxy.
std::vector<Candidate> orderCandidates(const std::vector<config::Endpoint> & endpoints, const std::vector<std::string> & requestTags,
	const SelectionPolicy & policy);

/// Why no endpoint can serve the tags: names the tags and the endpoints that exist for them.
std::string describeNoCandidates(const std::vector<config::Endpoint> & endpoints, const std::vector<std::string> & requestTags,
	const SelectionPolicy & policy);

} // namespace ccc::routing
