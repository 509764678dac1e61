#pragma once
#include <string>

namespace ccc::upstream
{

/// An upstream base URL split into what a connection needs. `basePath` has no trailing slash
/// ("" for "https://host/", "/api/anthropic" for "https://host/api/anthropic/").
struct Url
{
	bool tls = false;
	std::string host; ///< without brackets for IPv6
	int port = 0;
	std::string basePath;

	/// "host:port" as used in Host headers (port omitted when default, brackets for IPv6).
	std::string hostHeader() const;
	/// Identity of the origin for connection pooling: scheme://host:port.
	std::string origin() const;
};

/// Parses http(s)://host[:port][/path]; false on anything else.
bool parseUrl(const std::string & text, Url & out);

} // namespace ccc::upstream
