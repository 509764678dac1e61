#pragma once
#include <chrono>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <Poco/Net/HTTPServerResponse.h>

#include "ccc/api/log_types.h"

namespace ccc::proxy
{

/// The client side of one proxied request. Nothing reaches the client until commit*(): before
/// that the proxy may still fail over invisibly; after it, errors must go in-band.
class ClientWriter
{
public:
	/// `response` may be null: the writer then only captures (health probes use that).
	ClientWriter(Poco::Net::HTTPServerResponse * response, std::string requestId, size_t captureLimit);

	bool committed() const { return _committed; }
	bool streaming() const { return _streaming; }
	/// False once a write to the client failed (it went away).
	bool clientAlive() const { return _alive; }

	/// Starts an SSE response (status 200, chunked, text/event-stream) with extra headers.
	bool commitStream(int status, const api::HeaderList & extraHeaders);
	/// Writes bytes of an already committed stream and flushes them to the socket at once.
	bool write(std::string_view bytes);
	/// Ends a committed stream.
	void finishStream();

	/// Sends a complete body (JSON or anything) with Content-Length.
	bool sendWhole(int status, const std::string & contentType, const std::string & body, const api::HeaderList & extraHeaders);

	/// Sends an Anthropic-shaped error: as the whole response before commit, or as an SSE
	/// `event: error` (then the end of the stream) after a stream was committed.
	void sendError(int status, const std::string & type, const std::string & message);

	int status() const { return _status; }
	std::chrono::steady_clock::time_point firstByteAt() const { return _firstByteAt; }
	const api::HeaderList & sentHeaders() const { return _sentHeaders; }
	api::CapturedBody & captured() { return _captured; }

private:
	void capture(std::string_view bytes);
	void setHeaders(const api::HeaderList & extra);

	Poco::Net::HTTPServerResponse * _response;
	std::string _requestId;
	size_t _captureLimit;
	std::ostream * _out = nullptr;
	bool _committed = false;
	bool _streaming = false;
	bool _alive = true;
	int _status = 0;
	std::chrono::steady_clock::time_point _firstByteAt{};
	api::HeaderList _sentHeaders;
	api::CapturedBody _captured;
};

} // namespace ccc::proxy
