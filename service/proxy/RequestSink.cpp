#include "proxy/RequestSink.h"

#include <algorithm>

#include <Poco/Logger.h>

namespace ccc::proxy
{

void ConsoleRequestSink::observe(const api::RequestRecord & r)
{
	const bool failed = r.outcome != api::Outcome::Success;
	if ((_types == "failed" && !failed) || (_types == "success" && failed))
		return;
	std::string tried;
	for (const auto & a : r.attempts)
	{
		if (!tried.empty())
			tried += ", ";
		tried += a.endpoint_name + ":" + (a.status ? std::to_string(a.status) : api::outcomeName(a.outcome));
	}
	std::string line = r.request_id + " " + r.method + " " + r.path + " -> " + std::to_string(r.status) + " " + api::outcomeName(r.outcome)
		+ " in " + std::to_string(r.duration_ms) + " ms";
	if (!r.final_endpoint_name.empty())
		line += " via " + r.final_endpoint_name;
	if (!r.model_requested.empty())
		line += " model=" + r.model_requested;
	if (!tried.empty())
		line += " attempts=[" + tried + "]";
	if (failed && !r.error.empty())
		line += " error=" + r.error.substr(0, 500);
	Poco::Logger & log = Poco::Logger::get("requests");
	if (failed)
		log.warning(line);
	else
		log.information(line);
}

void FanOutRequestSink::add(RequestSink * sink)
{
	std::lock_guard<std::mutex> lock(_changeMutex);
	auto next = std::make_shared<List>(*std::atomic_load(&_sinks));
	next->push_back(sink);
	std::atomic_store(&_sinks, std::shared_ptr<const List>(std::move(next)));
}

void FanOutRequestSink::remove(RequestSink * sink)
{
	std::lock_guard<std::mutex> lock(_changeMutex);
	auto next = std::make_shared<List>(*std::atomic_load(&_sinks));
	next->erase(std::remove(next->begin(), next->end(), sink), next->end());
	std::atomic_store(&_sinks, std::shared_ptr<const List>(std::move(next)));
}

void FanOutRequestSink::submit(api::RequestRecord && record)
{
	auto sinks = std::atomic_load(&_sinks);
	if (sinks->empty())
		return;
	// All but the last sink observe (by default: take a copy); the last takes the record itself.
	for (size_t i = 0; i + 1 < sinks->size(); ++i)
		(*sinks)[i]->observe(record);
	sinks->back()->submit(std::move(record));
}

} // namespace ccc::proxy
