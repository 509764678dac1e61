#pragma once
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ccc::routing
{

/// What taggers see of a client request. Header names are lower-case; the body is the raw bytes
/// the client sent (taggers that need JSON read it lazily with ccc/json/scan.h).
struct RequestView
{
	std::string method;
	std::string path;  ///< e.g. /v1/messages (no query)
	std::string query; ///< raw query string without '?', e.g. beta=true
	std::vector<std::pair<std::string, std::string>> headers;
	std::string_view body;

	/// First value of a header (name given in lower case), or null.
	const std::string * header(std::string_view lowerName) const
	{
		for (const auto & h : headers)
			if (h.first == lowerName)
				return &h.second;
		return nullptr;
	}
};

} // namespace ccc::routing
