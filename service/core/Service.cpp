#include "core/Service.h"

#include <condition_variable>
#include <cstdlib>
#include <iostream>
#include <thread>

#include <Poco/AutoPtr.h>
#include <Poco/ConsoleChannel.h>
#include <Poco/File.h>
#include <Poco/FormattingChannel.h>
#include <Poco/Logger.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Path.h>
#include <Poco/PatternFormatter.h>
#include <Poco/Util/Application.h>
#include <Poco/Net/SSLManager.h>

#include "admin/AdminApi.h"
#include "admin/EventHub.h"
#include "admin/StaticAssets.h"
#include "ccc/config/yaml_config.h"
#include "ccc/version.h"
#include "core/GracefulStop.h"
#include "http/AccessControl.h"
#include "http/BasicHandlers.h"
#include "http/HttpServer.h"
#include "http/Router.h"
#include "metrics/Metrics.h"
#include "proxy/ProxyEngine.h"
#include "proxy/ProxyRoutes.h"
#include "proxy/RequestSink.h"
#include "tagging/TaggingEngine.h"
#include "store/BodyPolicy.h"
#include "store/RequestLogger.h"

namespace ccc
{

struct Service::Impl
{
	std::unique_ptr<admin::StaticAssets> assets;
	std::unique_ptr<http::HttpServer> server;
	Poco::SharedPtr<DrainingFactory> draining; ///< the router, counting requests in flight
	std::thread watcher;
	std::mutex watcherMutex;
	std::condition_variable watcherWake;
	bool watcherStop = false;
	bool watcherReload = false; ///< SIGHUP: reload now, even if the file looks unchanged
	std::unique_ptr<store::RequestLogger> logger;
	std::unique_ptr<proxy::RequestSink> storeSink;
	std::unique_ptr<proxy::ConsoleRequestSink> consoleSink;
	std::unique_ptr<proxy::FanOutRequestSink> sink;
	std::unique_ptr<admin::EventHub> events;
	std::unique_ptr<proxy::ProxyEngine> engine;
	std::unique_ptr<proxy::ProxyRoutes> proxy;
	std::unique_ptr<http::AccessControl> access;
	std::unique_ptr<metrics::Metrics> metrics;
};

namespace
{

/// Feeds finished requests to the log store's queue.
class StoreSink : public proxy::RequestSink
{
public:
	explicit StoreSink(store::RequestLogger & logger) : _logger(logger) { }
	void submit(api::RequestRecord && record) override { _logger.submit(std::move(record)); }

private:
	store::RequestLogger & _logger;
};

/// The tagging engine of the current config snapshot.
struct TaggingCache
{
	struct Entry
	{
		ConfigPtr config; ///< held so a new snapshot can never reuse this address
		std::shared_ptr<const tagging::TaggingEngine> engine;
	};
	std::string configDir;
	std::mutex mutex;
	std::shared_ptr<const Entry> current;

	std::shared_ptr<const tagging::TaggingEngine> engineFor(const ConfigPtr & cfg)
	{
		auto e = std::atomic_load(&current);
		if (e && e->config == cfg)
			return e->engine;
		std::lock_guard<std::mutex> lock(mutex);
		e = std::atomic_load(&current);
		if (e && e->config == cfg)
			return e->engine;
		std::vector<std::string> warnings;
		auto next = std::make_shared<Entry>();
		next->config = cfg;
		next->engine = tagging::TaggingEngine::build(*cfg, warnings, configDir);
		for (const auto & w : warnings)
			Poco::Logger::get("tagging").warning(w);
		std::atomic_store(&current, std::shared_ptr<const Entry>(next));
		return next->engine;
	}
};

/// A timeout from the environment (milliseconds), for tests that cannot wait for the defaults.
std::chrono::milliseconds envMs(const char * name, std::chrono::milliseconds fallback)
{
	const char * v = std::getenv(name);
	if (v == nullptr || *v < '0' || *v > '9')
		return fallback;
	return std::chrono::milliseconds(std::strtoll(v, nullptr, 10));
}

void setUpLogging(const std::string & level)
{
	Poco::AutoPtr<Poco::PatternFormatter> fmt(new Poco::PatternFormatter("%Y-%m-%dT%H:%M:%S.%iZ %q %s: %t"));
	Poco::AutoPtr<Poco::ConsoleChannel> console(new Poco::ConsoleChannel(std::cerr));
	Poco::AutoPtr<Poco::FormattingChannel> channel(new Poco::FormattingChannel(fmt, console));
	Poco::Logger::root().setChannel(channel);
	std::string l = level == "warn" ? "warning" : level;
	try
	{
		Poco::Logger::setLevel("", Poco::Logger::parseLevel(l));
	}
	catch (const Poco::Exception &)
	{
		Poco::Logger::setLevel("", Poco::Message::PRIO_INFORMATION);
	}
}

} // namespace

Service::Service(ServiceOptions options) : _options(std::move(options)), _impl(std::make_unique<Impl>())
{
}

Service::~Service()
{
	stop();
}

std::string Service::findAdminDir(const ServiceOptions & options)
{
	if (!options.adminDir.empty())
		return options.adminDir;
	if (!options.executablePath.empty())
	{
		Poco::Path exe(options.executablePath);
		Poco::Path beside = Poco::Path(exe.parent()).pushDirectory("admin");
		if (Poco::File(beside).exists())
			return beside.toString();
		Poco::Path shared = Poco::Path(exe.parent()).popDirectory().pushDirectory("share").pushDirectory("claude-code-companion").pushDirectory("admin");
		if (Poco::File(shared).exists())
			return shared.toString();
		return beside.toString();
	}
	return "admin";
}

int Service::checkConfig(const ServiceOptions & options, std::ostream & out, std::ostream & err)
{
	ConfigStore store(options.configPath);
	if (!Poco::File(options.configPath).exists())
	{
		err << options.configPath << ": error: no such file" << std::endl;
		return 1;
	}
	config::Diagnostics diags = store.load();
	err << config::formatDiagnostics(diags, options.configPath);
	size_t errors = config::countErrors(diags);
	size_t warnings = diags.size() - errors;
	if (errors)
	{
		err << options.configPath << ": " << errors << " error(s), " << warnings << " warning(s): configuration is invalid" << std::endl;
		return 1;
	}
	ConfigPtr cfg = store.snapshot();
	size_t enabled = 0;
	for (const auto & e : cfg->endpoints)
		enabled += e.enabled ? 1 : 0;
	out << options.configPath << ": configuration is valid (" << cfg->endpoints.size() << " endpoints, " << enabled << " enabled, "
		<< cfg->tagging.taggers.size() << " taggers, " << warnings << " warning(s))" << std::endl;
	return 0;
}

int Service::start(std::ostream & err)
{
	_configStore = std::make_unique<ConfigStore>(_options.configPath);
	try
	{
		if (_configStore->writeDefaultIfMissing())
			err << "Wrote a default configuration to " << _options.configPath
				<< " (its example endpoints are disabled: add yours there or in the admin)." << std::endl;
	}
	catch (const Poco::Exception & e)
	{
		err << "cannot write a default configuration to " << _options.configPath << ": " << e.displayText() << std::endl;
		return Poco::Util::Application::EXIT_CANTCREAT;
	}
	_configStore->setPortOverride(_options.portOverride);
	config::Diagnostics diags = _configStore->load();
	err << config::formatDiagnostics(diags, _options.configPath);
	if (config::hasErrors(diags))
	{
		err << _options.configPath << ": configuration is invalid; not starting (the file was left as it is)" << std::endl;
		return Poco::Util::Application::EXIT_CONFIG;
	}
	ConfigPtr cfg = _configStore->snapshot();
	// Exposed without an admin password: refuse before anything listens (docs/SECURITY.md).
	if (const std::string refusal = http::AccessControl::startupRefusal(*cfg); !refusal.empty())
	{
		err << _options.configPath << ": " << refusal << std::endl;
		return Poco::Util::Application::EXIT_CONFIG;
	}
	setUpLogging(cfg->logging.level);
	Poco::Logger & log = Poco::Logger::get("service");
	for (const auto & warning : http::AccessControl::startupWarnings(*cfg))
		log.warning("SECURITY: %s", warning);

	_ctx.configStore = _configStore.get();
	_ctx.version = CCC_VERSION;
	_ctx.adminAssetsDir = findAdminDir(_options);
	_impl->assets = std::make_unique<admin::StaticAssets>(_ctx.adminAssetsDir);
	Poco::Net::initializeSSL();
	_impl->consoleSink = std::make_unique<proxy::ConsoleRequestSink>();
	_impl->consoleSink->setFilter(cfg->logging.log_request_types);
	_impl->sink = std::make_unique<proxy::FanOutRequestSink>();
	_impl->sink->add(_impl->consoleSink.get());
	// Metrics and the live events only read the record: attached before the store, the last sink,
	// which takes the record itself (every other sink observes it without a copy).
	_impl->metrics = std::make_unique<metrics::Metrics>(_ctx);
	_impl->sink->add(_impl->metrics.get());
	// The admin's live event stream (GET /admin/api/events): finished requests and breaker
	// transitions; transitions are also kept as history in the log store.
	_impl->events = std::make_unique<admin::EventHub>();
	_impl->sink->add(_impl->events.get());
	_ctx.events = _impl->events.get();
	// The request log store: every client request and attempt, written off the request path.
	try
	{
		config::LoggingConfig logging = cfg->logging;
		Poco::Path dir(logging.log_directory);
		if (dir.isRelative())
			logging.log_directory = Poco::Path(_options.configPath).parent().resolve(dir).toString();
		_impl->logger = std::make_unique<store::RequestLogger>(logging);
		_impl->logger->setSecrets(store::collectSecrets(*cfg));
		_impl->storeSink = std::make_unique<StoreSink>(*_impl->logger);
		_impl->sink->add(_impl->storeSink.get());
		_ctx.logger = _impl->logger.get();
	}
	catch (const std::exception & e)
	{
		Poco::Logger::get("store").error("the request log store could not be opened (%s); requests are only logged to the console", std::string(e.what()));
	}
	_impl->engine = std::make_unique<proxy::ProxyEngine>(*_configStore, *_impl->sink);
	// Tagging: one engine per config snapshot, rebuilt (Lua compiled once) when the config changes,
	// so tagger edits apply to the next request. Steady state is a pointer compare, no lock.
	{
		auto cache = std::make_shared<TaggingCache>();
		const std::string configDir = Poco::Path(_options.configPath).parent().toString();
		cache->configDir = configDir;
		_impl->engine->setTagger([cache](const ConfigPtr & c, const routing::RequestView & view) {
			return cache->engineFor(c)->tag(view);
		});
		cache->engineFor(cfg); // build now so tagger warnings appear at start-up
	}
	_impl->proxy = std::make_unique<proxy::ProxyRoutes>(*_impl->engine);
	_ctx.engine = _impl->engine.get();
	_ctx.sinks = _impl->sink.get();
	_impl->engine->setTransitionObserver([hub = _impl->events.get(), logger = _impl->logger.get()](const config::Endpoint & e,
											 const upstream::CircuitBreaker::Transition & t) {
		const int64_t at = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
		const std::string id = config::endpointId(e);
		hub->publishBreaker(id, e.name, upstream::CircuitBreaker::stateName(t.from), upstream::CircuitBreaker::stateName(t.to), t.reason, at);
		if (logger)
			logger->recordBreakerEvent({id, e.name, at, upstream::CircuitBreaker::stateName(t.to), t.reason});
	});

	auto router = Poco::makeShared<http::Router>();
	const ServiceContext & ctx = _ctx;
	admin::StaticAssets * assets = _impl->assets.get();
	proxy::ProxyRoutes * proxyRoutes = _impl->proxy.get();
	router->add([&ctx](const Poco::Net::HTTPServerRequest & r) -> Poco::Net::HTTPRequestHandler * {
		return http::requestPath(r) == "/healthz" ? http::makeHealthHandler(ctx) : nullptr;
	});
	router->add([proxyRoutes](const Poco::Net::HTTPServerRequest & r) { return proxyRoutes->route(r); });
	// Access control guards everything under /admin (and serves login/logout/session) before the admin routes.
	_impl->access = std::make_unique<http::AccessControl>(*_configStore);
	http::AccessControl * access = _impl->access.get();
	metrics::Metrics * metricsSink = _impl->metrics.get();
	router->add([access](const Poco::Net::HTTPServerRequest & r) { return access->route(r); });
	router->add([access, metricsSink](const Poco::Net::HTTPServerRequest & r) -> Poco::Net::HTTPRequestHandler * {
		if (http::requestPath(r) != "/metrics")
			return nullptr;
		if (Poco::Net::HTTPRequestHandler * denied = access->metricsDenial(r))
			return denied;
		return metrics::makeMetricsHandler(*metricsSink);
	});
	router->add([&ctx](const Poco::Net::HTTPServerRequest & r) -> Poco::Net::HTTPRequestHandler * {
		const std::string path = http::requestPath(r);
		return path.rfind("/admin/api/", 0) == 0 ? admin::makeAdminApiHandler(r, ctx) : nullptr;
	});
	router->add([assets](const Poco::Net::HTTPServerRequest & r) -> Poco::Net::HTTPRequestHandler * {
		const std::string path = http::requestPath(r);
		if (path == "/admin")
			return http::makeRedirectHandler("/admin/");
		if (path.rfind("/admin/", 0) == 0 && path.rfind("/admin/api/", 0) != 0
			&& (r.getMethod() == "GET" || r.getMethod() == "HEAD"))
			return assets->makeHandler(path.substr(7));
		return nullptr;
	});
	router->add([&ctx](const Poco::Net::HTTPServerRequest & r) -> Poco::Net::HTTPRequestHandler * {
		const std::string path = http::requestPath(r);
		return (path == "/" || path.rfind("/setup/", 0) == 0) && (r.getMethod() == "GET" || r.getMethod() == "HEAD") ? http::makeRootHandler(ctx)
																												   : nullptr;
	});

	// One worker thread per open connection (a stream holds its thread): size the pool for the
	// promised number of concurrent streams, plus headroom for admin and health requests.
	http::HttpServerOptions serverOptions;
	serverOptions.maxThreads = cfg->server.max_concurrent_streams + 16;
	serverOptions.maxQueued = 4096;
	serverOptions.keepAliveTimeout = envMs("CCC_HTTP_KEEP_ALIVE_TIMEOUT_MS", std::chrono::milliseconds(75000));
	serverOptions.headerTimeout = envMs("CCC_HTTP_HEADER_TIMEOUT_MS", std::chrono::milliseconds(30000));
	serverOptions.ioTimeout = std::chrono::milliseconds(120000);
	serverOptions.serverName = "claude-code-companion/" + _ctx.version;
	try
	{
		Poco::Net::SocketAddress addr(cfg->server.host, static_cast<Poco::UInt16>(cfg->server.port));
		// SO_REUSEADDR only: POCO's (address, backlog) constructor also sets SO_REUSEPORT, which
		// would let a second instance bind the same port and silently take half the traffic.
		Poco::Net::ServerSocket socket;
		socket.bind(addr, /*reuseAddress=*/true, /*reusePort=*/false);
		socket.listen(1024);
		_impl->draining = Poco::makeShared<DrainingFactory>(router);
		_impl->server = std::make_unique<http::HttpServer>(_impl->draining, socket, serverOptions);
		_impl->server->start();
	}
	catch (const Poco::Exception & e)
	{
		err << "cannot listen on " << cfg->server.host << ":" << cfg->server.port << ": " << e.displayText() << std::endl;
		return Poco::Util::Application::EXIT_OSERR;
	}
	const std::string base = "http://" + cfg->server.host + ":" + std::to_string(cfg->server.port);
	log.information("Claude Code Companion %s listening: proxy %s/v1  admin %s/admin/  config %s", _ctx.version, base, base,
		_options.configPath);
	_impl->engine->startProber();
	// Hand edits of config.yaml apply live; an invalid edit is logged and the running config stays.
	_impl->watcherStop = false;
	_impl->watcher = std::thread([this] {
		std::unique_lock<std::mutex> lock(_impl->watcherMutex);
		for (;;)
		{
			_impl->watcherWake.wait_for(lock, std::chrono::seconds(1), [this] { return _impl->watcherStop || _impl->watcherReload; });
			if (_impl->watcherStop)
				break;
			const bool forced = _impl->watcherReload;
			_impl->watcherReload = false;
			lock.unlock(); // a SIGHUP during the reload is noted, not lost
			_configStore->syncWithFile(forced);
			lock.lock();
		}
	});
	if (!Poco::File(_ctx.adminAssetsDir + "/index.html").exists())
		log.warning("admin UI files not found in %s (build with `make build`); /admin/ will answer 404", _ctx.adminAssetsDir);
	return 0;
}

void Service::stop()
{
	if (_impl && _impl->watcher.joinable())
	{
		{
			std::lock_guard<std::mutex> lock(_impl->watcherMutex);
			_impl->watcherStop = true;
		}
		_impl->watcherWake.notify_all();
		_impl->watcher.join();
	}
	// Open event streams end now, so the server's stop never waits on them.
	if (_impl && _impl->events)
		_impl->events->shutdown();
	if (_impl && _impl->engine)
		_impl->engine->stopProber();
	if (_impl && _impl->server)
	{
		drainServer(*_impl->server, *_impl->draining, _configStore->snapshot()->server.shutdown_grace_ms);
		_impl->server.reset();
	}
	// After the last request finished: flush what is queued for the store.
	if (_impl && _impl->logger)
	{
		_impl->sink->remove(_impl->storeSink.get());
		_ctx.logger = nullptr;
		_impl->logger->stop();
		_impl->storeSink.reset();
		_impl->logger.reset();
	}
}

void Service::reloadConfig()
{
	if (!_impl)
		return;
	{
		std::lock_guard<std::mutex> lock(_impl->watcherMutex);
		_impl->watcherReload = true;
	}
	_impl->watcherWake.notify_all();
}

} // namespace ccc
