#pragma once
#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include "ccc/anthropic/request_info.h"
#include "ccc/api/log_types.h"
#include "proxy/Attempt.h"
#include "ccc/routing/request_view.h"
#include "config/ConfigStore.h"
#include "proxy/RequestSink.h"
#include "proxy/StickySessions.h"
#include "upstream/EndpointRuntime.h"

namespace ccc::proxy
{

/// The proxy engine: for each /v1/* request it reads the body, computes tags, orders the
/// candidate endpoints (tags, priority, breakers, balancing, session stickiness) and runs
/// attempts until one succeeds, then records the request. It also owns the per-endpoint runtime
/// state and the background health prober.
///
/// Threading: handle() runs on many HTTP worker threads at once. It reads the config snapshot and
/// the runtime map through atomic shared pointers and takes no process-wide lock; breakers,
/// pools and sticky-session shards have their own small locks.
class ProxyEngine
{
public:
	using Tagger = std::function<std::vector<std::string>(const ConfigPtr &, const routing::RequestView &)>;

	ProxyEngine(ConfigStore & configStore, RequestSink & sink);
	~ProxyEngine();

	void handle(Poco::Net::HTTPServerRequest & request, Poco::Net::HTTPServerResponse & response);

	/// Installs the tagging pipeline (called per request with the request's config snapshot).
	void setTagger(Tagger tagger) { _tagger = std::move(tagger); }

	/// Starts / stops the health prober thread.
	void startProber();
	void stopProber();

	/// Runtime state of an endpoint (null when unknown); refreshed from the current config.
	std::shared_ptr<upstream::EndpointRuntime> runtime(const std::string & endpointId);
	/// All runtimes for the current config.
	std::shared_ptr<const upstream::RuntimeMap> runtimes();

	/// Manual breaker reset (admin).
	bool resetEndpoint(const std::string & endpointId);

	/// Sends one health probe to an endpoint now; true on a valid answer. `detail` says why not.
	/// `attempt`, when given, receives the attempt's record (status, duration, outcome, model).
	bool probe(const config::Config & cfg, const config::Endpoint & endpoint, std::string & detail,
		api::AttemptRecord * attempt = nullptr);

	/// Called on every circuit breaker transition (request threads, the prober, admin resets), after
	/// it is logged. Set before serving; must be quick and must not call back into the engine.
	using TransitionObserver = std::function<void(const config::Endpoint &, const upstream::CircuitBreaker::Transition &)>;
	void setTransitionObserver(TransitionObserver observer) { _onTransition = std::move(observer); }

	uint64_t activeRequests() const { return _active.load(); }

private:
	struct Prepared;
	Prepared prepare(const config::Config & cfg, const config::Endpoint & e, CallKind kind, const std::string & method,
		const std::string & target, const api::HeaderList & clientHeaders, const std::shared_ptr<const std::string> & body, const anthropic::RequestInfo & info,
		const std::vector<std::string> & tags);
	std::shared_ptr<const upstream::RuntimeMap> syncRuntimes(const ConfigPtr & cfg);
	/// The OAuth access token to send: refreshed first when it expires within 5 minutes, or when
	/// `force` (after a 401/403). Empty with `error` when no usable token could be had.
	std::string oauthToken(const config::Endpoint & e, upstream::EndpointRuntime & rt, bool force, std::string & error);
	/// Records Anthropic's unified rate-limit headers; with enhanced_protection an
	/// `allowed_warning` takes the endpoint out of rotation until its reset time.
	void noteRateLimit(const config::Endpoint & e, upstream::EndpointRuntime & rt, const api::HeaderList & responseHeaders);
	void logTransition(const config::Endpoint & e, const std::optional<upstream::CircuitBreaker::Transition> & t);
	void proberLoop();

	ConfigStore & _configStore;
	RequestSink & _sink;
	Tagger _tagger;
	TransitionObserver _onTransition;
	StickySessions _sticky;

	std::mutex _syncMutex; ///< only taken when the config snapshot changed
	std::shared_ptr<const config::Config> _syncedConfig;
	std::shared_ptr<const upstream::RuntimeMap> _runtimes;

	std::atomic<uint64_t> _active{0};

	std::mutex _proberMutex;
	std::condition_variable _proberWake;
	bool _proberStop = false;
	std::thread _prober;
};

} // namespace ccc::proxy
