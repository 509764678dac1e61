#include "platform/web_fetch.h"

#include <cctype>
#include <cstring>
#include <string>
#include <utility>
#include <vector>
#include <memory>

#include <emscripten/fetch.h>

namespace ccc::admin
{

namespace
{

/// Owns everything emscripten_fetch points into until the answer arrives.
struct PendingFetch
{
	HttpRequest request;
	HttpCallback done;
	std::vector<const char *> header_ptrs; ///< key, value, ..., nullptr
};

/// "Name: value\r\n" lines as (lower-case name, value) pairs (e.g. a 429's Retry-After).
std::vector<std::pair<std::string, std::string>> responseHeaders(emscripten_fetch_t * fetch)
{
	std::vector<std::pair<std::string, std::string>> out;
	const size_t length = emscripten_fetch_get_response_headers_length(fetch);
	if (length == 0)
		return out;
	std::string raw(length + 1, '\0');
	emscripten_fetch_get_response_headers(fetch, &raw[0], raw.size());
	raw.resize(std::strlen(raw.c_str()));
	size_t start = 0;
	while (start < raw.size())
	{
		size_t end = raw.find('\n', start);
		if (end == std::string::npos)
			end = raw.size();
		std::string line = raw.substr(start, end - start);
		start = end + 1;
		if (!line.empty() && line.back() == '\r')
			line.pop_back();
		const size_t colon = line.find(':');
		if (colon == std::string::npos)
			continue;
		std::string name = line.substr(0, colon);
		for (char & c : name)
			c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
		size_t v = colon + 1;
		while (v < line.size() && line[v] == ' ')
			++v;
		out.emplace_back(std::move(name), line.substr(v));
	}
	return out;
}

void finish(emscripten_fetch_t * fetch, bool gotAnswer)
{
	std::unique_ptr<PendingFetch> pending(static_cast<PendingFetch *>(fetch->userData));
	HttpResponse response;
	response.status = gotAnswer ? fetch->status : 0;
	if (fetch->data && fetch->numBytes > 0)
		response.body.assign(fetch->data, static_cast<size_t>(fetch->numBytes));
	if (response.status == 0)
		response.transport_error = fetch->statusText[0] ? fetch->statusText : "network error";
	else
		response.headers = responseHeaders(fetch);
	emscripten_fetch_close(fetch);
	pending->done(std::move(response));
}

void onSuccess(emscripten_fetch_t * fetch)
{
	finish(fetch, true);
}

void onError(emscripten_fetch_t * fetch)
{
	// emscripten_fetch reports non-2xx answers here too; status 0 means no answer at all.
	finish(fetch, fetch->status != 0);
}

} // namespace

HttpTransport makeWebTransport()
{
	return [](const HttpRequest & request, HttpCallback done) {
		auto pending = std::make_unique<PendingFetch>();
		pending->request = request;
		pending->done = std::move(done);
		for (const auto & h : pending->request.headers)
		{
			pending->header_ptrs.push_back(h.first.c_str());
			pending->header_ptrs.push_back(h.second.c_str());
		}
		pending->header_ptrs.push_back(nullptr);

		emscripten_fetch_attr_t attr;
		emscripten_fetch_attr_init(&attr);
		std::strncpy(attr.requestMethod, pending->request.method.c_str(), sizeof(attr.requestMethod) - 1);
		attr.attributes = EMSCRIPTEN_FETCH_LOAD_TO_MEMORY;
		attr.onsuccess = onSuccess;
		attr.onerror = onError;
		attr.requestHeaders = pending->header_ptrs.data();
		if (!pending->request.body.empty())
		{
			attr.requestData = pending->request.body.data();
			attr.requestDataSize = pending->request.body.size();
		}
		attr.userData = pending.get();
		const std::string url = pending->request.path;
		pending.release(); // owned by the fetch now; finish() takes it back
		emscripten_fetch(&attr, url.c_str());
	};
}

} // namespace ccc::admin
