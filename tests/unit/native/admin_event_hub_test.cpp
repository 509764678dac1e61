// The admin's live event hub: fan-out, bounded queues (a slow client is dropped, publishers never
// wait), and shutdown waking every waiting stream.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "admin/EventHub.h"

using namespace ccc;
using admin::EventHub;

namespace
{

api::RequestRecord record(const std::string & id)
{
	api::RequestRecord r;
	r.request_id = id;
	r.status = 200;
	r.client_request_headers = {{"x-api-key", "sk-secret-never-in-events"}};
	r.client_request_body.bytes = "body-never-in-events";
	r.client_request_body.totalSize = 20;
	return r;
}

} // namespace

TEST(AdminEventHub, NothingIsBuiltWithoutClients)
{
	EventHub hub;
	EXPECT_EQ(hub.clientCount(), 0u);
	hub.submit(record("r0")); // no client: a no-op
	auto c = hub.subscribe();
	ASSERT_TRUE(c);
	std::vector<std::string> frames;
	EXPECT_EQ(hub.next(*c, frames, 10), EventHub::Wait::Timeout);
	EXPECT_TRUE(frames.empty());
}

TEST(AdminEventHub, EveryClientGetsEveryEventInOrderWithoutBodiesOrSecrets)
{
	EventHub hub;
	auto a = hub.subscribe();
	auto b = hub.subscribe();
	EXPECT_EQ(hub.clientCount(), 2u);
	hub.observe(record("r1")); // how FanOutRequestSink hands it over (no copy)
	hub.publishBreaker("ep-a", "a", "closed", "open", "3 failures", 42);
	for (auto * c : {&a, &b})
	{
		std::vector<std::string> frames;
		ASSERT_EQ(hub.next(**c, frames, 1000), EventHub::Wait::Events);
		ASSERT_EQ(frames.size(), 2u);
		EXPECT_EQ(frames[0].rfind("event: request\ndata: ", 0), 0u);
		EXPECT_NE(frames[0].find("\"request_id\":\"r1\""), std::string::npos);
		EXPECT_EQ(frames[0].find("sk-secret-never-in-events"), std::string::npos);
		EXPECT_EQ(frames[0].find("body-never-in-events"), std::string::npos);
		EXPECT_EQ(frames[1].rfind("event: breaker\ndata: ", 0), 0u);
		EXPECT_NE(frames[1].find("\"to_state\":\"open\""), std::string::npos);
	}
	hub.unsubscribe(a);
	EXPECT_EQ(hub.clientCount(), 1u);
	std::vector<std::string> frames;
	EXPECT_EQ(hub.next(*a, frames, 10), EventHub::Wait::Closed);
}

TEST(AdminEventHub, ASlowClientIsDroppedOthersAreNot)
{
	EventHub hub;
	auto slow = hub.subscribe();
	auto fast = hub.subscribe();
	std::vector<std::string> frames;
	for (size_t i = 0; i + 1 < EventHub::kMaxQueuedEvents; ++i)
		hub.submit(record("r" + std::to_string(i)));
	ASSERT_EQ(hub.next(*fast, frames, 10), EventHub::Wait::Events);
	EXPECT_EQ(frames.size(), EventHub::kMaxQueuedEvents - 1);
	// `slow` reaches its bound, then goes over it.
	hub.submit(record("full"));
	hub.submit(record("over"));
	frames.clear();
	EXPECT_EQ(hub.next(*slow, frames, 10), EventHub::Wait::Closed);
	EXPECT_TRUE(frames.empty());
	EXPECT_EQ(hub.droppedClients(), 1u);
	frames.clear();
	ASSERT_EQ(hub.next(*fast, frames, 10), EventHub::Wait::Events);
	EXPECT_EQ(frames.size(), 2u);
}

TEST(AdminEventHub, ConcurrentPublishersWithAReaderAndAStalledClient)
{
	EventHub hub;
	auto stalled = hub.subscribe(); // never reads: publishers must not wait for it
	auto reader = hub.subscribe();
	const size_t perThread = 200, threads = 4; // 800 < kMaxQueuedEvents: nobody is dropped
	std::atomic<size_t> received{0};
	std::thread consumer([&] {
		std::vector<std::string> frames;
		while (received < perThread * threads)
		{
			frames.clear();
			if (hub.next(*reader, frames, 100) == EventHub::Wait::Closed)
				break;
			received += frames.size();
		}
	});
	std::vector<std::thread> publishers;
	for (size_t t = 0; t < threads; ++t)
		publishers.emplace_back([&, t] {
			for (size_t i = 0; i < perThread; ++i)
				hub.submit(record("t" + std::to_string(t) + "-" + std::to_string(i)));
		});
	for (auto & p : publishers)
		p.join();
	consumer.join();
	EXPECT_EQ(received.load(), perThread * threads);
	EXPECT_EQ(hub.droppedClients(), 0u);
	std::vector<std::string> frames;
	ASSERT_EQ(hub.next(*stalled, frames, 10), EventHub::Wait::Events);
	EXPECT_EQ(frames.size(), perThread * threads);
}

TEST(AdminEventHub, ShutdownWakesWaitingStreamsAndRefusesNewOnes)
{
	EventHub hub;
	auto c = hub.subscribe();
	std::atomic<bool> woke{false};
	const auto start = std::chrono::steady_clock::now();
	std::thread waiter([&] {
		std::vector<std::string> frames;
		EXPECT_EQ(hub.next(*c, frames, 30000), EventHub::Wait::Closed);
		woke = true;
	});
	std::this_thread::sleep_for(std::chrono::milliseconds(50));
	hub.shutdown();
	waiter.join();
	EXPECT_TRUE(woke);
	EXPECT_LT(std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count(), 5000);
	EXPECT_EQ(hub.subscribe(), nullptr);
	hub.submit(record("after")); // harmless
	hub.unsubscribe(c);          // harmless after shutdown
}
