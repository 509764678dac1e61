#pragma once
#include <string>
#include <utility>
#include <vector>

#include "upstream/Connection.h"

namespace ccc::upstream
{

/// Reads one HTTP/1.1 response from a Connection incrementally: the head, then the body as it
/// arrives (de-chunked), so the proxy can validate and forward each piece at once.
class ResponseReader
{
public:
	/// `headRequest`: the request was HEAD (no body follows whatever the headers say).
	explicit ResponseReader(bool headRequest = false) : _head(headRequest) { }

	/// Reads until the end of the header block. On Ok, status()/headers() are set. The time the
	/// first byte arrived is in firstByteAt().
	IoStatus readHead(Connection & conn, int64_t timeoutMs, int cancelFd, std::string & error);

	/// Appends the next piece of body bytes to `out` (transfer coding removed, content coding
	/// kept). Returns Ok with data, Eof when the body is complete, or an error status.
	IoStatus readBody(Connection & conn, std::string & out, int64_t idleTimeoutMs, int cancelFd, std::string & error);

	int status() const { return _status; }
	const std::string & reason() const { return _reason; }
	const std::vector<std::pair<std::string, std::string>> & headers() const { return _headers; }
	/// First value of a header, case-insensitive; empty when absent.
	std::string header(const std::string & name) const;

	/// Whether the connection may be reused after the body was read completely.
	bool reusable() const { return _keepAlive && _bodyDone && !_closeDelimited; }
	bool bodyDone() const { return _bodyDone; }
	std::chrono::steady_clock::time_point firstByteAt() const { return _firstByteAt; }

private:
	bool parseHead(std::string & error);
	/// Moves decodable bytes from _buffer to out according to the framing; false on bad chunking.
	bool decode(std::string & out, std::string & error);

	bool _head;
	std::string _buffer;
	int _status = 0;
	std::string _reason;
	std::vector<std::pair<std::string, std::string>> _headers;
	bool _keepAlive = true;
	bool _chunked = false;
	bool _closeDelimited = false;
	int64_t _remaining = -1; ///< content-length left, or the current chunk's bytes left
	enum class Chunk { Size, Data, DataEnd, Trailer } _chunk = Chunk::Size;
	bool _bodyDone = false;
	std::chrono::steady_clock::time_point _firstByteAt{};
};

} // namespace ccc::upstream
