#include "proxy/BodyReader.h"

#include <Poco/Exception.h>

namespace ccc::proxy
{

BodyRead readRequestBody(Poco::Net::HTTPServerRequest & request, std::string & body, int64_t maxBytes, std::string & error)
{
	try
	{
		std::istream & in = request.stream();
		if (request.hasContentLength() && !request.getChunkedTransferEncoding())
		{
			// One read of the announced size: the server's body stream copies what it already
			// buffered and reads the rest straight from the socket into `body`.
			const int64_t announced = request.getContentLength64();
			if (announced > maxBytes)
				return BodyRead::TooLarge;
			const size_t old = body.size();
			body.resize(old + static_cast<size_t>(announced));
			in.read(&body[old], static_cast<std::streamsize>(announced));
			const size_t have = static_cast<size_t>(in.gcount());
			if (have < static_cast<size_t>(announced))
			{
				body.resize(old + have);
				error = "the client sent " + std::to_string(have) + " of " + std::to_string(announced) + " announced body bytes";
				return BodyRead::Failed;
			}
			return BodyRead::Ok;
		}
		while (in)
		{
			const size_t old = body.size();
			body.resize(old + 65536);
			in.read(&body[old], 65536);
			body.resize(old + static_cast<size_t>(in.gcount()));
			if (static_cast<int64_t>(body.size()) > maxBytes)
				return BodyRead::TooLarge;
		}
		if (in.bad())
		{
			error = "reading the chunked request body failed";
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
