#pragma once
#include <chrono>
#include <map>
#include <string>
#include <vector>

namespace ccc::test
{

/// A client that sends one HTTP/1.1 request over a raw socket and records the response body as
/// it arrives, with the arrival time of every piece: what tests of streaming latency and of
/// mid-stream behaviour need (ordinary clients buffer).
struct StreamedResponse
{
	int status = 0;
	std::map<std::string, std::string> headers; ///< lower-case names
	std::string body;                           ///< de-chunked
	struct Piece
	{
		std::chrono::steady_clock::time_point at;
		std::string bytes;
	};
	std::vector<Piece> pieces;                  ///< de-chunked pieces in arrival order
	bool complete = false;                      ///< the body ended properly (terminating chunk / length)
	std::string error;
	std::chrono::steady_clock::time_point sentAt;

	/// Arrival time of the first body byte of each SSE event (split on blank lines).
	std::vector<std::chrono::steady_clock::time_point> eventTimes() const;
	/// The `data:` JSON of every event whose `event:` is `name`.
	std::vector<std::string> eventData(const std::string & name) const;
	/// Concatenated text of all text_delta events.
	std::string text() const;
};

/// Sends the request and reads the response. `closeAfterMs` >= 0 closes the connection that many
/// ms after the first body byte (a client that goes away mid-stream).
StreamedResponse streamRequest(int port, const std::string & method, const std::string & target, const std::string & body,
	const std::map<std::string, std::string> & headers, int timeoutMs = 30000, int closeAfterMs = -1);

} // namespace ccc::test
