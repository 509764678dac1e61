#pragma once
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "ccc/sse/parser.h"

namespace ccc::proxy
{

/// Turns an upstream's decoded SSE bytes into Anthropic events for the validator and the client.
/// Anthropic endpoints: the events as they are. OpenAI endpoints: converted chunk by chunk.
class StreamAdapter
{
public:
	virtual ~StreamAdapter() = default;
	/// False when the upstream stream is malformed or carried an error (see error()).
	virtual bool feed(std::string_view bytes, std::vector<sse::Event> & out) = 0;
	virtual bool finish(std::vector<sse::Event> & out) = 0;
	virtual const std::string & error() const = 0;
	/// The failure was an error object sent by the upstream (not a protocol break).
	virtual bool upstreamError() const { return false; }
};

/// Turns an upstream's complete JSON body into an Anthropic message body.
class BodyAdapter
{
public:
	virtual ~BodyAdapter() = default;
	/// False with `error` when the body cannot be turned into an Anthropic message;
	/// `upstreamError` tells whether the body was the upstream's own error object.
	virtual bool convert(const std::string & upstreamBody, std::string & anthropicBody, std::string & error, bool & upstreamError) = 0;
};

/// Anthropic pass-through: the SSE parser alone.
class AnthropicStreamAdapter : public StreamAdapter
{
public:
	bool feed(std::string_view bytes, std::vector<sse::Event> & out) override
	{
		_parser.feed(bytes, out);
		if (_parser.overflowed())
		{
			_error = "an SSE line from the upstream exceeds 16 MB";
			return false;
		}
		return true;
	}
	bool finish(std::vector<sse::Event> & out) override
	{
		_parser.finish(out);
		return true;
	}
	const std::string & error() const override { return _error; }

private:
	sse::Parser _parser;
	std::string _error;
};

} // namespace ccc::proxy
