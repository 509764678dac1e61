#include "upstream/ResponseReader.h"

#include <Poco/String.h>

namespace ccc::upstream
{

namespace
{
constexpr size_t kMaxHead = 64 * 1024;
constexpr size_t kReadChunk = 64 * 1024;
}

std::string ResponseReader::header(const std::string & name) const
{
	for (const auto & h : _headers)
		if (Poco::icompare(h.first, name) == 0)
			return h.second;
	return {};
}

IoStatus ResponseReader::readHead(Connection & conn, int64_t timeoutMs, int cancelFd, std::string & error)
{
	auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
	char buf[16384];
	while (true)
	{
		size_t end = _buffer.find("\r\n\r\n");
		if (end != std::string::npos)
		{
			std::string rest = _buffer.substr(end + 4);
			_buffer.resize(end + 2);
			if (!parseHead(error))
				return IoStatus::Error;
			_buffer = std::move(rest);
			return IoStatus::Ok;
		}
		if (_buffer.size() > kMaxHead)
		{
			error = "upstream response headers exceed 64 KB";
			return IoStatus::Error;
		}
		auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()).count();
		if (left <= 0)
		{
			error = "no response from the upstream within " + std::to_string(timeoutMs) + " ms";
			return IoStatus::Timeout;
		}
		size_t got = 0;
		IoStatus st = conn.readSome(buf, sizeof buf, got, left, cancelFd, error);
		if (st == IoStatus::Eof)
		{
			error = _buffer.empty() ? "the upstream closed the connection without answering" : "the upstream closed the connection inside the response headers";
			return IoStatus::Error;
		}
		if (st != IoStatus::Ok)
		{
			if (st == IoStatus::Timeout)
				error = "no response from the upstream within " + std::to_string(timeoutMs) + " ms";
			return st;
		}
		if (_buffer.empty())
			_firstByteAt = std::chrono::steady_clock::now();
		_buffer.append(buf, got);
	}
}

bool ResponseReader::parseHead(std::string & error)
{
	size_t lineEnd = _buffer.find("\r\n");
	std::string statusLine = _buffer.substr(0, lineEnd);
	// HTTP/1.x SP 3DIGIT [SP reason]
	if (statusLine.compare(0, 5, "HTTP/") != 0 || statusLine.size() < 12 || statusLine[8] != ' ')
	{
		error = "malformed status line from the upstream: " + statusLine.substr(0, 80);
		return false;
	}
	const bool http10 = statusLine.compare(0, 8, "HTTP/1.0") == 0;
	try
	{
		_status = std::stoi(statusLine.substr(9, 3));
	}
	catch (const std::exception &)
	{
		error = "malformed status code from the upstream";
		return false;
	}
	_reason = statusLine.size() > 13 ? statusLine.substr(13) : "";
	size_t pos = lineEnd + 2;
	std::string connection;
	std::string transferEncoding;
	std::string contentLength;
	while (pos < _buffer.size())
	{
		size_t e = _buffer.find("\r\n", pos);
		if (e == std::string::npos)
			e = _buffer.size();
		std::string line = _buffer.substr(pos, e - pos);
		pos = e + 2;
		if (line.empty())
			continue;
		size_t colon = line.find(':');
		if (colon == std::string::npos)
		{
			error = "malformed header line from the upstream";
			return false;
		}
		std::string name = Poco::trim(line.substr(0, colon));
		std::string value = Poco::trim(line.substr(colon + 1));
		if (Poco::icompare(name, "connection") == 0)
			connection = Poco::toLower(value);
		else if (Poco::icompare(name, "transfer-encoding") == 0)
			transferEncoding = Poco::toLower(value);
		else if (Poco::icompare(name, "content-length") == 0)
			contentLength = value;
		_headers.emplace_back(std::move(name), std::move(value));
	}
	_keepAlive = http10 ? connection.find("keep-alive") != std::string::npos : connection.find("close") == std::string::npos;
	if (_head || _status == 204 || _status == 304 || (_status >= 100 && _status < 200))
	{
		_bodyDone = true;
		return true;
	}
	if (transferEncoding.find("chunked") != std::string::npos)
		_chunked = true;
	else if (!contentLength.empty())
	{
		try
		{
			_remaining = std::stoll(contentLength);
		}
		catch (const std::exception &)
		{
			error = "malformed Content-Length from the upstream";
			return false;
		}
		if (_remaining == 0)
			_bodyDone = true;
	}
	else
		_closeDelimited = true;
	return true;
}

bool ResponseReader::decode(std::string & out, std::string & error)
{
	if (_closeDelimited)
	{
		out += _buffer;
		_buffer.clear();
		return true;
	}
	if (!_chunked)
	{
		size_t take = static_cast<size_t>(std::min<int64_t>(_remaining, static_cast<int64_t>(_buffer.size())));
		out.append(_buffer, 0, take);
		_buffer.erase(0, take);
		_remaining -= static_cast<int64_t>(take);
		if (_remaining == 0)
			_bodyDone = true;
		return true;
	}
	size_t pos = 0;
	while (pos < _buffer.size() && !_bodyDone)
	{
		if (_chunk == Chunk::Size)
		{
			size_t e = _buffer.find("\r\n", pos);
			if (e == std::string::npos)
			{
				if (_buffer.size() - pos > 1024)
				{
					error = "malformed chunk size from the upstream";
					return false;
				}
				break;
			}
			std::string sizeText = _buffer.substr(pos, e - pos);
			size_t semi = sizeText.find(';');
			if (semi != std::string::npos)
				sizeText.resize(semi);
			sizeText = Poco::trim(sizeText);
			if (sizeText.empty() || sizeText.size() > 15 || sizeText.find_first_not_of("0123456789abcdefABCDEF") != std::string::npos)
			{
				error = "malformed chunk size from the upstream";
				return false;
			}
			_remaining = std::stoll(sizeText, nullptr, 16);
			pos = e + 2;
			_chunk = _remaining == 0 ? Chunk::Trailer : Chunk::Data;
		}
		else if (_chunk == Chunk::Data)
		{
			size_t take = static_cast<size_t>(std::min<int64_t>(_remaining, static_cast<int64_t>(_buffer.size() - pos)));
			out.append(_buffer, pos, take);
			pos += take;
			_remaining -= static_cast<int64_t>(take);
			if (_remaining == 0)
				_chunk = Chunk::DataEnd;
		}
		else if (_chunk == Chunk::DataEnd)
		{
			if (_buffer.size() - pos < 2)
				break;
			if (_buffer.compare(pos, 2, "\r\n") != 0)
			{
				error = "malformed chunk framing from the upstream";
				return false;
			}
			pos += 2;
			_chunk = Chunk::Size;
		}
		else // Trailer: lines until an empty one
		{
			size_t e = _buffer.find("\r\n", pos);
			if (e == std::string::npos)
				break;
			if (e == pos)
				_bodyDone = true;
			pos = e + 2;
		}
	}
	_buffer.erase(0, pos);
	return true;
}

IoStatus ResponseReader::readBody(Connection & conn, std::string & out, int64_t idleTimeoutMs, int cancelFd, std::string & error)
{
	const size_t before = out.size();
	while (true)
	{
		if (!decode(out, error))
			return IoStatus::Error;
		if (out.size() > before)
			return IoStatus::Ok;
		if (_bodyDone)
			return IoStatus::Eof;
		char buf[kReadChunk];
		size_t got = 0;
		IoStatus st = conn.readSome(buf, sizeof buf, got, idleTimeoutMs, cancelFd, error);
		if (st == IoStatus::Eof)
		{
			if (_closeDelimited)
			{
				_bodyDone = true;
				return IoStatus::Eof;
			}
			error = "the upstream closed the connection before the end of the body";
			return IoStatus::Error;
		}
		if (st != IoStatus::Ok)
			return st;
		_buffer.append(buf, got);
	}
}

} // namespace ccc::upstream
