#pragma once
#include "ccc/api/log_types.h"

namespace ccc::proxy
{

/// Where finished request records go. submit() is called on request threads after the response
/// is complete and must not block for long (the log store queues and writes in batches).
class RequestSink
{
public:
	virtual ~RequestSink() = default;
	virtual void submit(api::RequestRecord && record) = 0;
};

/// Writes one summary line per request to the "requests" logger (no bodies, no headers), honouring
/// logging.log_request_types. Used alone until the log store is configured, and always for the
/// console.
class ConsoleRequestSink : public RequestSink
{
public:
	void submit(api::RequestRecord && record) override;
	void setFilter(const std::string & logRequestTypes) { _types = logRequestTypes; }

private:
	std::string _types = "all";
};

/// Fans a record out to several sinks (console + store).
class TeeRequestSink : public RequestSink
{
public:
	TeeRequestSink(RequestSink & first, RequestSink * second) : _first(first), _second(second) { }
	void setSecond(RequestSink * second) { _second = second; }
	void submit(api::RequestRecord && record) override
	{
		if (_second)
		{
			api::RequestRecord copy = record;
			_first.submit(std::move(copy));
			_second->submit(std::move(record));
		}
		else
			_first.submit(std::move(record));
	}

private:
	RequestSink & _first;
	RequestSink * _second;
};

} // namespace ccc::proxy
