#pragma once
#include <string>
#include <string_view>
#include <vector>

/// Incremental Server-Sent Events parsing (WHATWG "event stream" rules): bytes in, events out.
/// Any split of the input (inside a line, inside a CRLF, inside a UTF-8 sequence) yields the same
/// events, so the proxy can forward each event the moment its blank line arrives.
namespace ccc::sse
{

struct Event
{
	std::string event; ///< the `event:` field; empty when absent (the spec's "message")
	std::string data;  ///< `data:` lines joined with '\n'
	std::string id;
	std::string raw;   ///< the exact bytes of the event, including its terminating blank line
	bool hasData = false;
};

class Parser
{
public:
	/// Appends every event completed by `bytes` to `out`. Comment lines (":" ...) and events with
	/// no fields are not reported (their bytes are folded into the next event's raw).
	void feed(std::string_view bytes, std::vector<Event> & out);

	/// End of input: reports an event whose fields arrived without the closing blank line
	/// (returns true then). Afterwards the parser is reset.
	bool finish(std::vector<Event> & out);

	/// Bytes received but not yet part of a reported event.
	size_t pendingBytes() const { return _raw.size(); }

	/// True if a field line has been seen since the last reported event.
	bool inEvent() const { return _sawField; }

	/// Longest line accepted; a longer line is an error (the stream is malformed or hostile).
	static constexpr size_t kMaxLine = 16 * 1024 * 1024;
	bool overflowed() const { return _overflow; }

private:
	void line(std::string_view l, std::vector<Event> & out);

	std::string _line;     ///< current partial line
	std::string _raw;      ///< raw bytes of the event in progress
	Event _current;
	bool _sawField = false;
	bool _pendingCR = false; ///< last byte was '\r': a following '\n' belongs to it
	bool _bomChecked = false;
	bool _overflow = false;
};

/// Serialises an event in the canonical form `event: X\ndata: Y\n\n` (multi-line data split).
std::string serialize(std::string_view event, std::string_view data);

} // namespace ccc::sse
