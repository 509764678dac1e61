#pragma once
#include <cstdint>
#include <string>

#include <Poco/Net/HTTPServerRequest.h>

namespace ccc::proxy
{

enum class BodyRead
{
	Ok,
	TooLarge, ///< more than maxBytes arrived (or were announced)
	Failed    ///< the client went away, timed out or sent less than announced (`error` says which)
};

/// Reads a client request's whole body into `body`. A Content-Length body is read with one read
/// of the announced size (http::HttpServer's body stream then reads straight from the socket into
/// `body`: 2 or 3 system calls for a 76 KB Claude Code body); a chunked body in 64 KiB reads.
BodyRead readRequestBody(Poco::Net::HTTPServerRequest & request, std::string & body, int64_t maxBytes, std::string & error);

} // namespace ccc::proxy
