#pragma once
#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "ccc/api/admin_logs.h"
#include "proxy/RequestSink.h"

namespace ccc::admin
{

/// The admin's live event stream (GET /admin/api/events): new request records and circuit breaker
/// transitions, fanned out to every connected client.
///
/// Request threads call submit()/publishBreaker(); those never wait for a client: with nobody
/// connected they cost one atomic load, otherwise the event is serialised once and appended to
/// each client's queue under that client's own short lock. A queue is bounded (kMaxQueuedEvents,
/// kMaxQueuedBytes): a client that falls that far behind is marked dropped and its stream ends,
/// so a slow reader costs memory for at most one full queue and never slows the proxy.
/// Events carry summaries only: no headers, no bodies, hence no secrets.
class EventHub : public proxy::RequestSink
{
public:
	static constexpr size_t kMaxQueuedEvents = 1000;
	static constexpr size_t kMaxQueuedBytes = 4u * 1024 * 1024;

	/// One connected client. Read only through EventHub::next().
	class Client
	{
		friend class EventHub;
		std::mutex mutex;
		std::condition_variable wake;
		std::deque<std::string> queue;
		size_t bytes = 0;
		bool dropped = false; ///< fell behind: the stream ends
		bool closed = false;  ///< the hub shut down or the client unsubscribed
	};

	~EventHub() override;

	void submit(api::RequestRecord && record) override { publishRequest(record); }
	void observe(const api::RequestRecord & record) override { publishRequest(record); } ///< no copy of the record
	/// Reads only the summary fields of `record`.
	void publishRequest(const api::RequestRecord & record);
	void publishBreaker(const std::string & endpointId, const std::string & endpointName, const std::string & from,
		const std::string & to, const std::string & reason, int64_t atMs);

	/// Null after shutdown().
	std::shared_ptr<Client> subscribe();
	void unsubscribe(const std::shared_ptr<Client> & client);

	enum class Wait
	{
		Events,   ///< `out` holds one or more SSE frames
		Timeout,  ///< nothing within the wait (send a heartbeat)
		Closed    ///< end the stream (shutdown, unsubscribed or dropped)
	};
	/// Waits up to `timeoutMs` for events, moving every queued frame into `out`.
	Wait next(Client & client, std::vector<std::string> & out, int64_t timeoutMs);

	/// Ends every stream now and refuses new subscribers (Service::stop, before the server stops).
	void shutdown();

	size_t clientCount() const { return _count.load(); }
	uint64_t droppedClients() const { return _dropped.load(); }

private:
	void publish(const std::string & frame);

	mutable std::mutex _mutex;
	std::vector<std::shared_ptr<Client>> _clients;
	bool _shutdown = false;
	std::atomic<size_t> _count{0};
	std::atomic<uint64_t> _dropped{0};
};

} // namespace ccc::admin
