#include "proxy/ClientWriter.h"

#include "http/Responses.h"

namespace ccc::proxy
{

ClientWriter::ClientWriter(Poco::Net::HTTPServerResponse * response, std::string requestId, size_t captureLimit)
	: _response(response), _requestId(std::move(requestId)), _captureLimit(captureLimit)
{
}

void ClientWriter::capture(std::string_view bytes)
{
	_captured.totalSize += static_cast<int64_t>(bytes.size());
	if (_captured.bytes.size() < _captureLimit)
		_captured.bytes.append(bytes.data(), std::min(bytes.size(), _captureLimit - _captured.bytes.size()));
}

void ClientWriter::setHeaders(const api::HeaderList & extra)
{
	if (!_response)
	{
		_sentHeaders = extra;
		return;
	}
	for (const auto & [k, v] : extra)
		_response->set(k, v);
	_response->set("request-id", _requestId);
	for (const auto & [k, v] : *_response)
		_sentHeaders.emplace_back(k, v);
}

bool ClientWriter::commitStream(int status, const api::HeaderList & extraHeaders)
{
	_committed = true;
	_streaming = true;
	_status = status;
	if (!_response)
	{
		_firstByteAt = std::chrono::steady_clock::now();
		return true;
	}
	_response->setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status));
	_response->setChunkedTransferEncoding(true);
	_response->setContentType("text/event-stream; charset=utf-8");
	_response->set("Cache-Control", "no-cache");
	_response->set("X-Accel-Buffering", "no");
	setHeaders(extraHeaders);
	try
	{
		_out = &_response->send();
		_out->flush();
		_firstByteAt = std::chrono::steady_clock::now();
		_alive = _out->good();
	}
	catch (const Poco::Exception &)
	{
		_alive = false;
	}
	return _alive;
}

bool ClientWriter::write(std::string_view bytes)
{
	if (!_response)
	{
		capture(bytes);
		return true;
	}
	if (!_alive || !_out)
		return false;
	capture(bytes);
	try
	{
		_out->write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
		_out->flush();
		_alive = _out->good();
	}
	catch (const Poco::Exception &)
	{
		_alive = false;
	}
	return _alive;
}

void ClientWriter::finishStream()
{
	// The chunked stream's terminating chunk is written when the handler returns.
	if (_out && _alive)
	{
		try
		{
			_out->flush();
		}
		catch (const Poco::Exception &)
		{
			_alive = false;
		}
	}
}

bool ClientWriter::sendWhole(int status, const std::string & contentType, const std::string & body, const api::HeaderList & extraHeaders)
{
	_committed = true;
	_status = status;
	if (!_response)
	{
		capture(body);
		_firstByteAt = std::chrono::steady_clock::now();
		return true;
	}
	_response->setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status));
	_response->setContentType(contentType);
	_response->setContentLength(static_cast<std::streamsize>(body.size()));
	setHeaders(extraHeaders);
	capture(body);
	try
	{
		std::ostream & out = _response->send();
		_firstByteAt = std::chrono::steady_clock::now();
		out.write(body.data(), static_cast<std::streamsize>(body.size()));
		out.flush();
		_alive = out.good();
	}
	catch (const Poco::Exception &)
	{
		_alive = false;
	}
	return _alive;
}

void ClientWriter::sendError(int status, const std::string & type, const std::string & message)
{
	const std::string body = http::anthropicErrorBody(type, message);
	if (!_committed)
	{
		sendWhole(status, "application/json", body, {{"x-should-retry", status >= 500 ? "true" : "false"}});
		return;
	}
	if (_streaming)
	{
		write("event: error\ndata: " + body + "\n\n");
		finishStream();
	}
}

} // namespace ccc::proxy
