#pragma once
#include <chrono>
#include <string>

#include "config/ConfigStore.h"

namespace ccc
{

namespace proxy
{
class ProxyEngine;
class FanOutRequestSink;
}
namespace store
{
class RequestLogger;
}
namespace admin
{
class EventHub;
}

/// What request handlers may see of the running service (ClickHouse's IServer idea): handlers
/// depend on this, not on the Application, so tests can build one without a process.
struct ServiceContext
{
	ConfigStore * configStore = nullptr;
	std::string version;
	proxy::ProxyEngine * engine = nullptr; ///< null until started
	proxy::FanOutRequestSink * sinks = nullptr; ///< attach observers of finished requests (metrics, live events)
	store::RequestLogger * logger = nullptr; ///< the request log store; null when it could not be opened
	admin::EventHub * events = nullptr; ///< the admin's live event stream (GET /admin/api/events)
	std::string adminAssetsDir; ///< directory with index.html, admin.js, admin.wasm
	std::chrono::steady_clock::time_point startedAt = std::chrono::steady_clock::now();
};

} // namespace ccc
