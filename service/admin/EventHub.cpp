#include "admin/EventHub.h"

#include <algorithm>
#include <chrono>

namespace ccc::admin
{

namespace
{
int64_t nowMs()
{
	return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}
} // namespace

EventHub::~EventHub()
{
	shutdown();
}

void EventHub::publishRequest(const api::RequestRecord & record)
{
	if (_count.load(std::memory_order_relaxed) == 0)
		return;
	api::LiveEvent ev;
	ev.type = "request";
	ev.at_ms = nowMs();
	ev.request = api::LogSummary::fromRecord(record);
	publish(ev.toSse());
}

void EventHub::publishBreaker(const std::string & endpointId, const std::string & endpointName, const std::string & from,
	const std::string & to, const std::string & reason, int64_t atMs)
{
	if (_count.load(std::memory_order_relaxed) == 0)
		return;
	api::LiveEvent ev;
	ev.type = "breaker";
	ev.at_ms = atMs;
	ev.endpoint_id = endpointId;
	ev.endpoint_name = endpointName;
	ev.from_state = from;
	ev.to_state = to;
	ev.reason = reason;
	publish(ev.toSse());
}

void EventHub::publish(const std::string & frame)
{
	std::vector<std::shared_ptr<Client>> clients;
	{
		std::lock_guard<std::mutex> lock(_mutex);
		clients = _clients;
	}
	for (const auto & c : clients)
	{
		bool droppedNow = false;
		{
			std::lock_guard<std::mutex> lock(c->mutex);
			if (c->closed || c->dropped)
				continue;
			if (c->queue.size() >= kMaxQueuedEvents || c->bytes + frame.size() > kMaxQueuedBytes)
			{
				// Too far behind: end its stream (it reconnects and re-reads the log list) rather
				// than buffer without bound or make this request thread wait.
				c->dropped = true;
				c->queue.clear();
				c->bytes = 0;
				droppedNow = true;
			}
			else
			{
				c->queue.push_back(frame);
				c->bytes += frame.size();
			}
		}
		if (droppedNow)
			_dropped++;
		c->wake.notify_one();
	}
}

std::shared_ptr<EventHub::Client> EventHub::subscribe()
{
	std::lock_guard<std::mutex> lock(_mutex);
	if (_shutdown)
		return nullptr;
	auto c = std::make_shared<Client>();
	_clients.push_back(c);
	_count = _clients.size();
	return c;
}

void EventHub::unsubscribe(const std::shared_ptr<Client> & client)
{
	if (!client)
		return;
	{
		std::lock_guard<std::mutex> lock(_mutex);
		_clients.erase(std::remove(_clients.begin(), _clients.end(), client), _clients.end());
		_count = _clients.size();
	}
	std::lock_guard<std::mutex> lock(client->mutex);
	client->closed = true;
	client->queue.clear();
}

EventHub::Wait EventHub::next(Client & c, std::vector<std::string> & out, int64_t timeoutMs)
{
	std::unique_lock<std::mutex> lock(c.mutex);
	c.wake.wait_for(lock, std::chrono::milliseconds(timeoutMs), [&] { return c.closed || c.dropped || !c.queue.empty(); });
	if (c.closed || c.dropped)
		return Wait::Closed;
	if (c.queue.empty())
		return Wait::Timeout;
	for (auto & f : c.queue)
		out.push_back(std::move(f));
	c.queue.clear();
	c.bytes = 0;
	return Wait::Events;
}

void EventHub::shutdown()
{
	std::vector<std::shared_ptr<Client>> clients;
	{
		std::lock_guard<std::mutex> lock(_mutex);
		_shutdown = true;
		clients.swap(_clients);
		_count = 0;
	}
	for (const auto & c : clients)
	{
		{
			std::lock_guard<std::mutex> lock(c->mutex);
			c->closed = true;
		}
		c->wake.notify_all();
	}
}

} // namespace ccc::admin
