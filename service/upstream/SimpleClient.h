#pragma once
#include <string>
#include <utility>
#include <vector>

#include "upstream/Connection.h"

namespace ccc::upstream
{

struct SimpleResponse
{
	int status = 0;
	std::string body; ///< decoded
	std::string error;
};

/// One complete request/response on a fresh connection (OAuth token refreshes and other
/// out-of-band calls; not for proxied traffic). Goes through the endpoint's proxy when given.
SimpleResponse simpleRequest(const std::string & url, const std::string & method, const std::vector<std::pair<std::string, std::string>> & headers,
	const std::string & body, const ConnectOptions & options, int64_t timeoutMs);

} // namespace ccc::upstream
