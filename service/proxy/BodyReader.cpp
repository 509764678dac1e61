#include "proxy/BodyReader.h"

#include <algorithm>

#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/HTTPServerSession.h>
#include <Poco/Net/NetException.h>

namespace ccc::proxy
{

namespace
{

/// HTTPSession::buffered() is protected; naming it through a derived class is allowed.
struct SessionAccess : Poco::Net::HTTPSession
{
	static int bufferedIn(const Poco::Net::HTTPSession & s) { return (s.*(&SessionAccess::buffered))(); }
};

BodyRead readThroughStream(std::istream & in, std::string & body, int64_t maxBytes)
{
	while (in)
	{
		const size_t old = body.size();
		body.resize(old + 65536);
		in.read(&body[old], 65536);
		body.resize(old + static_cast<size_t>(in.gcount()));
		if (static_cast<int64_t>(body.size()) > maxBytes)
			return BodyRead::TooLarge;
	}
	return BodyRead::Ok;
}

} // namespace

BodyRead readRequestBody(Poco::Net::HTTPServerRequest & request, std::string & body, int64_t maxBytes, std::string & error)
{
	try
	{
		std::istream & in = request.stream();
		auto * impl = dynamic_cast<Poco::Net::HTTPServerRequestImpl *>(&request);
		if (!request.hasContentLength() || request.getChunkedTransferEncoding() || impl == nullptr)
			return readThroughStream(in, body, maxBytes);
		const int64_t announced = request.getContentLength64();
		if (announced > maxBytes)
			return BodyRead::TooLarge;
		const size_t total = static_cast<size_t>(announced);
		body.resize(total);
		size_t have = 0;
		// Whatever POCO read past the head sits in the session's buffer: take it through the
		// stream, which then makes no system call of its own.
		const size_t buffered = std::min(static_cast<size_t>(std::max(SessionAccess::bufferedIn(impl->session()), 0)), total);
		if (buffered > 0)
		{
			in.read(&body[0], static_cast<std::streamsize>(buffered));
			have = static_cast<size_t>(in.gcount());
			if (have < buffered) // not expected; let POCO's stream deliver the rest in order
			{
				body.resize(have);
				return readThroughStream(in, body, maxBytes);
			}
		}
		// The rest straight from the socket (its receive timeout is the server's), as much per call
		// as has arrived.
		Poco::Net::StreamSocket & socket = impl->session().socket();
		while (have < total)
		{
			int n = socket.receiveBytes(&body[have], static_cast<int>(std::min<size_t>(total - have, 1 << 20)));
			if (n <= 0)
				break;
			have += static_cast<size_t>(n);
		}
		if (have < total)
		{
			body.resize(have);
			error = "the client sent " + std::to_string(have) + " of " + std::to_string(total) + " announced body bytes";
			return BodyRead::Failed;
		}
		return BodyRead::Ok;
	}
	catch (const Poco::Exception & e)
	{
		error = e.displayText();
		return BodyRead::Failed;
	}
}

} // namespace ccc::proxy
