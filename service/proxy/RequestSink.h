#pragma once
#include <memory>
#include <mutex>
#include <vector>

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
	/// Sees a record that a later sink will take (FanOutRequestSink). The default submits a copy;
	/// sinks that only read (metrics) override it to skip the copy of headers and bodies.
	virtual void observe(const api::RequestRecord & record)
	{
		api::RequestRecord copy = record;
		submit(std::move(copy));
	}
};

/// Writes one summary line per request to the "requests" logger (no bodies, no headers), honouring
/// logging.log_request_types. Used alone until the log store is configured, and always for the
/// console.
class ConsoleRequestSink : public RequestSink
{
public:
	void submit(api::RequestRecord && record) override { observe(record); }
	void observe(const api::RequestRecord & record) override; ///< only reads: no copy of the record
	void setFilter(const std::string & logRequestTypes) { _types = logRequestTypes; }

private:
	std::string _types = "all";
};

/// Fans a record out to every attached sink (console, store, metrics, the admin's live event
/// stream). Sinks are attached while the service starts and detached while it stops; the list is
/// an atomically swapped snapshot so request threads never take a lock to submit.
class FanOutRequestSink : public RequestSink
{
public:
	void add(RequestSink * sink);
	void remove(RequestSink * sink);
	void submit(api::RequestRecord && record) override;

private:
	using List = std::vector<RequestSink *>;
	std::shared_ptr<const List> _sinks = std::make_shared<const List>();
	std::mutex _changeMutex;
};

} // namespace ccc::proxy
