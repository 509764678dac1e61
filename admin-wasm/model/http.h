#pragma once
#include <functional>
#include <string>
#include <utility>
#include <vector>

/// The admin's view of HTTP: one request, one response, delivered later through a callback.
/// The browser implementation (platform/web_fetch.cpp) uses emscripten_fetch against the page's
/// own origin; native unit tests plug in a fake. Everything runs on the one UI thread: a callback
/// is invoked between frames, never during one.
namespace ccc::admin
{

struct HttpRequest
{
	std::string method = "GET";
	std::string path; ///< absolute path on the service, e.g. "/admin/api/config"
	std::string body;
	std::vector<std::pair<std::string, std::string>> headers;
};

struct HttpResponse
{
	/// HTTP status; 0 when no response arrived at all (network error, service down).
	int status = 0;
	std::string body;
	/// Transport-level failure description ("network error"); empty whenever status != 0.
	std::string transport_error;
	/// Response headers, names in lower case (e.g. "retry-after"); may be empty (fakes).
	std::vector<std::pair<std::string, std::string>> headers;

	bool ok() const { return status >= 200 && status < 300; }
	/// The value of header `lowerName`, or "" when absent.
	std::string header(const std::string & lowerName) const
	{
		for (const auto & h : headers)
			if (h.first == lowerName)
				return h.second;
		return std::string();
	}
};

using HttpCallback = std::function<void(HttpResponse)>;

/// Sends `request` and calls `done` exactly once with the outcome (also for non-2xx answers).
using HttpTransport = std::function<void(const HttpRequest & request, HttpCallback done)>;

} // namespace ccc::admin
