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

/// Reads a client request's whole body into `body`. A Content-Length body is read straight from
/// the socket in large reads once POCO's own buffer is drained (POCO's body stream reads 4 KiB
/// per system call: 19 calls for a 76 KB Claude Code body instead of 2 or 3); a chunked or
/// close-delimited body goes through POCO's stream.
BodyRead readRequestBody(Poco::Net::HTTPServerRequest & request, std::string & body, int64_t maxBytes, std::string & error);

} // namespace ccc::proxy
