#include "proxy/ProxyEngine.h"

#include <random>

#include <Poco/Logger.h>
#include <Poco/String.h>

#include "ccc/anthropic/request_info.h"
#include "ccc/anthropic/thinking_history.h"
#include "ccc/json/scan.h"
#include "ccc/routing/glob.h"
#include "ccc/routing/selection.h"
#include "http/HttpServer.h"
#include "http/PasswordHash.h"
#include "http/Router.h"
#include "proxy/Attempt.h"
#include "proxy/BodyReader.h"
#include "proxy/OpenAIBridge.h"
#include "upstream/ContentDecoder.h"
#include "upstream/SimpleClient.h"
#include "ccc/config/yaml_config.h"
#include <nlohmann/json.hpp>

namespace ccc::proxy
{

namespace
{

using Clock = std::chrono::steady_clock;

int64_t nowMs()
{
	return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::string newRequestId()
{
	static std::atomic<uint64_t> counter{0};
	thread_local std::mt19937_64 rng(std::random_device{}() ^ (static_cast<uint64_t>(nowMs()) << 16));
	char buf[40];
	std::snprintf(buf, sizeof buf, "req_%011llx%04llx%08llx", static_cast<unsigned long long>(nowMs()) & 0xFFFFFFFFFFFull,
		static_cast<unsigned long long>(counter++ & 0xFFFF), static_cast<unsigned long long>(rng() & 0xFFFFFFFF));
	return buf;
}

/// Client request headers never forwarded: hop-by-hop headers, framing we redo, and the client's
/// own credentials (replaced by the endpoint's).
bool forwardHeader(const std::string & lower)
{
	static const char * const drop[] = {"host", "content-length", "connection", "keep-alive", "proxy-connection", "te", "trailer",
		"transfer-encoding", "upgrade", "authorization", "x-api-key", "proxy-authorization", "accept-encoding", "expect"};
	for (const char * d : drop)
		if (lower == d)
			return false;
	return true;
}

void setHeader(api::HeaderList & headers, const std::string & name, const std::string & value)
{
	for (auto it = headers.begin(); it != headers.end();)
		it = Poco::icompare(it->first, name) == 0 ? headers.erase(it) : std::next(it);
	headers.emplace_back(name, value);
}

void removeHeader(api::HeaderList & headers, const std::string & name)
{
	for (auto it = headers.begin(); it != headers.end();)
		it = Poco::icompare(it->first, name) == 0 ? headers.erase(it) : std::next(it);
}

std::string headerValue(const api::HeaderList & headers, const std::string & name)
{
	for (const auto & [k, v] : headers)
		if (Poco::icompare(k, name) == 0)
			return v;
	return {};
}

/// The model an endpoint's rewrite rules turn `model` into (first matching rule wins).
std::string rewriteModel(const config::Endpoint & e, const std::string & model)
{
	if (!e.model_rewrite || !e.model_rewrite->enabled || model.empty())
		return model;
	for (const auto & rule : e.model_rewrite->rules)
		if (routing::globMatch(rule.source_pattern, model))
			return rule.target_model;
	return model;
}

/// Accept-Encoding for the upstream: the client's wishes limited to what we can decode.
std::string upstreamAcceptEncoding(const std::string & client)
{
	if (client.empty())
		return {};
	std::string lower = Poco::toLower(client);
	std::string out;
	for (const char * enc : {"gzip", "deflate", "br", "zstd"})
		if (lower.find(enc) != std::string::npos)
			out += (out.empty() ? "" : ", ") + std::string(enc);
	return out;
}

CallKind callKind(const std::string & method, const std::string & path)
{
	if (method == "POST" && (path == "/v1/messages" || path == "/v1/messages/"))
		return CallKind::Messages;
	if (method == "POST" && (path == "/v1/messages/count_tokens" || path == "/v1/messages/count_tokens/"))
		return CallKind::CountTokens;
	return CallKind::Other;
}

/// Bytes of a body worth keeping for the log under a body policy (none / truncated / full): the
/// rest would be thrown away by the store anyway, so it is never held for the request's lifetime.
/// Truncated keeps a margin so redaction and UTF-8-safe cutting still see whole secrets.
size_t captureLimit(const config::LoggingConfig & l, const std::string & policy)
{
	if (policy == "none")
		return 0;
	if (policy == "truncated")
		return static_cast<size_t>(l.truncated_body_bytes) + 4096;
	return static_cast<size_t>(l.max_body_bytes);
}

std::string joinTags(const std::vector<std::string> & tags)
{
	std::string s;
	for (const auto & t : tags)
		s += (s.empty() ? "" : ", ") + t;
	return s;
}

} // namespace

ProxyEngine::ProxyEngine(ConfigStore & configStore, RequestSink & sink) : _configStore(configStore), _sink(sink)
{
}

ProxyEngine::~ProxyEngine()
{
	stopProber();
}

std::shared_ptr<const upstream::RuntimeMap> ProxyEngine::syncRuntimes(const ConfigPtr & cfg)
{
	{
		std::shared_ptr<const config::Config> synced = std::atomic_load(&_syncedConfig);
		if (synced == cfg)
			return std::atomic_load(&_runtimes);
	}
	std::lock_guard<std::mutex> lock(_syncMutex);
	if (_syncedConfig == cfg)
		return _runtimes;
	auto next = std::make_shared<upstream::RuntimeMap>();
	for (const auto & e : cfg->endpoints)
	{
		const std::string id = config::endpointId(e);
		const std::string identity = upstream::runtimeIdentity(e);
		std::shared_ptr<upstream::EndpointRuntime> rt;
		if (_runtimes)
		{
			auto it = _runtimes->find(id);
			if (it != _runtimes->end() && it->second->identity == identity)
				rt = it->second; // same endpoint: keep breaker, pool and counters
		}
		if (!rt)
			rt = std::make_shared<upstream::EndpointRuntime>(id, identity);
		(*next)[id] = rt;
	}
	std::shared_ptr<const upstream::RuntimeMap> published = next;
	std::atomic_store(&_runtimes, published);
	std::atomic_store(&_syncedConfig, cfg);
	return published;
}

std::shared_ptr<const upstream::RuntimeMap> ProxyEngine::runtimes()
{
	return syncRuntimes(_configStore.snapshot());
}

std::shared_ptr<upstream::EndpointRuntime> ProxyEngine::runtime(const std::string & endpointId)
{
	auto map = runtimes();
	auto it = map->find(endpointId);
	return it == map->end() ? nullptr : it->second;
}

bool ProxyEngine::resetEndpoint(const std::string & endpointId)
{
	auto rt = runtime(endpointId);
	if (!rt)
		return false;
	ConfigPtr cfg = _configStore.snapshot();
	for (const auto & e : cfg->endpoints)
		if (config::endpointId(e) == endpointId)
			logTransition(e, rt->breaker.reset(nowMs()));
	return true;
}

void ProxyEngine::logTransition(const config::Endpoint & e, const std::optional<upstream::CircuitBreaker::Transition> & t)
{
	if (!t)
		return;
	Poco::Logger::get("breaker").warning("endpoint %s: circuit breaker %s -> %s (%s)", e.name, std::string(upstream::CircuitBreaker::stateName(t->from)),
		std::string(upstream::CircuitBreaker::stateName(t->to)), t->reason);
	if (_onTransition)
		_onTransition(e, *t);
}

/// Everything about one endpoint's version of the request that does not change between retries.
struct ProxyEngine::Prepared
{
	bool ok = false;
	std::string skipReason; ///< not tried at all (e.g. an OpenAI endpoint cannot serve this path)
	bool localAnswer = false;
	std::string localBody;  ///< answered without an upstream (count_tokens estimate)
	UpstreamRequest request;
	AttemptSettings settings;
	std::string error;      ///< conversion failure: the client's request cannot be converted (400)
	std::string errorField;
};

namespace
{

struct ClientRequest
{
	std::string method;
	std::string path;   ///< without query
	std::string target; ///< path + query as received
	std::string query;
	api::HeaderList headers;
	std::shared_ptr<std::string> body = std::make_shared<std::string>();
	anthropic::RequestInfo info;
	CallKind kind = CallKind::Other;
};

} // namespace

void ProxyEngine::handle(Poco::Net::HTTPServerRequest & request, Poco::Net::HTTPServerResponse & response)
{
	const auto started = Clock::now();
	_active++;
	struct ActiveGuard
	{
		std::atomic<uint64_t> & a;
		~ActiveGuard() { a--; }
	} guard{_active};

	ConfigPtr cfg = _configStore.snapshot();
	auto runtimes = syncRuntimes(cfg);

	api::RequestRecord rec;
	rec.request_id = newRequestId();
	rec.started_at_ms = nowMs();
	ClientWriter client(&response, rec.request_id, captureLimit(cfg->logging, cfg->logging.log_response_body));

	ClientRequest cr;
	cr.method = request.getMethod();
	cr.target = request.getURI();
	cr.path = http::requestPath(request);
	size_t q = cr.target.find('?');
	cr.query = q == std::string::npos ? "" : cr.target.substr(q + 1);
	for (const auto & [k, v] : request)
		cr.headers.emplace_back(k, v);
	rec.method = cr.method;
	rec.path = cr.target;
	rec.client_request_headers = cr.headers;
	rec.user_agent = request.get("User-Agent", "");

	// The client's body goes into the record when the request is over, moved when it is kept
	// whole: nothing reads it afterwards, and a copy of a 76 KB Claude Code body per request is
	// a visible part of full-body logging's cost.
	bool bodyRead = false;
	size_t requestCapture = 0;
	auto finish = [&](api::Outcome outcome, const std::string & error) {
		if (bodyRead)
		{
			rec.client_request_body.totalSize = static_cast<int64_t>(cr.body->size());
			if (cr.body->size() <= requestCapture)
				rec.client_request_body.bytes = std::move(*cr.body);
			else
				rec.client_request_body.bytes = cr.body->substr(0, requestCapture);
		}
		rec.outcome = outcome;
		if (!error.empty())
			rec.error = error;
		rec.status = client.status();
		rec.streaming = client.streaming();
		rec.duration_ms = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started).count();
		if (client.firstByteAt() != Clock::time_point{})
			rec.ttfb_ms = std::chrono::duration_cast<std::chrono::milliseconds>(client.firstByteAt() - started).count();
		rec.client_response_headers = client.sentHeaders();
		rec.client_response_body = std::move(client.captured());
		_sink.submit(std::move(rec));
	};

	// Client authentication, when the operator requires client tokens.
	if (!cfg->server.client_tokens.empty())
	{
		std::string presented = request.get("x-api-key", "");
		std::string auth = request.get("Authorization", "");
		if (presented.empty() && Poco::icompare(auth.substr(0, 7), "bearer ") == 0)
			presented = Poco::trim(auth.substr(7));
		bool ok = false;
		for (const auto & t : cfg->server.client_tokens)
			ok = (!presented.empty() && http::constantTimeEquals(presented, t)) || ok; // every token compared: no timing hint
		if (!ok)
		{
			request.stream().ignore(std::numeric_limits<std::streamsize>::max());
			client.sendError(401, "authentication_error", "this proxy requires a client token (x-api-key or Authorization: Bearer)");
			finish(api::Outcome::Rejected, "missing or unknown client token");
			return;
		}
	}

	// Read the body, bounded.
	const int64_t maxBody = cfg->server.max_request_body;
	if (request.hasContentLength() && request.getContentLength64() > maxBody)
	{
		client.sendError(413, "request_too_large", "the request body exceeds server.max_request_body (" + std::to_string(maxBody) + " bytes)");
		finish(api::Outcome::Rejected, "request body too large");
		return;
	}
	if (request.getExpectContinue())
		response.sendContinue();
	{
		std::string readError;
		const BodyRead read = readRequestBody(request, *cr.body, maxBody, readError);
		if (read == BodyRead::TooLarge)
		{
			client.sendError(413, "request_too_large", "the request body exceeds server.max_request_body (" + std::to_string(maxBody) + " bytes)");
			finish(api::Outcome::Rejected, "request body too large");
			return;
		}
		if (read == BodyRead::Failed)
		{
			finish(api::Outcome::ClientCancelled, "reading the request body failed: " + readError);
			return;
		}
	}
	requestCapture = captureLimit(cfg->logging, cfg->logging.log_request_body);
	const size_t responseCapture = captureLimit(cfg->logging, cfg->logging.log_response_body);
	bodyRead = true;

	cr.kind = callKind(cr.method, cr.path);
	if (cr.kind != CallKind::Other)
	{
		cr.info = anthropic::inspectRequest(*cr.body);
		if (!cr.info.isJsonObject)
		{
			client.sendError(400, "invalid_request_error", "the request body is not a valid JSON object");
			finish(api::Outcome::Rejected, "request body is not a JSON object");
			return;
		}
	}
	rec.model_requested = cr.info.model;
	rec.thinking_type = cr.info.thinkingType;
	rec.thinking_budget = cr.info.thinkingBudget.value_or(-1);
	std::string session = request.get("x-claude-code-session-id", "");
	if (session.empty())
		session = cr.info.sessionId;
	rec.session_id = session;

	// Tags.
	std::vector<std::string> tags;
	if (_tagger)
	{
		routing::RequestView view;
		view.method = cr.method;
		view.path = cr.path;
		view.query = cr.query;
		for (const auto & [k, v] : cr.headers)
			view.headers.emplace_back(Poco::toLower(k), v);
		view.body = *cr.body;
		tags = _tagger(cfg, view);
	}
	rec.tags = tags;

	// Candidates: tags and priority, then balancing and stickiness.
	routing::SelectionPolicy policy{cfg->tagging.fallback_to_untagged, cfg->tagging.untagged_use_tagged};
	std::vector<routing::Candidate> candidates = routing::orderCandidates(cfg->endpoints, tags, policy);
	if (candidates.empty())
	{
		const std::string why = routing::describeNoCandidates(cfg->endpoints, tags, policy);
		client.sendError(503, "api_error", "no endpoint can serve this request: " + why);
		finish(api::Outcome::Rejected, why);
		return;
	}
	std::vector<size_t> order;
	size_t firstGroupEnd = 0; ///< stickiness only reorders among the best candidates (same tier and priority)
	for (size_t i = 0; i < candidates.size();)
	{
		size_t j = i;
		const auto & first = cfg->endpoints[candidates[i].index];
		while (j < candidates.size() && candidates[j].tier == candidates[i].tier && cfg->endpoints[candidates[j].index].priority == first.priority)
			++j;
		std::vector<size_t> group;
		for (size_t k = i; k < j; ++k)
			group.push_back(candidates[k].index);
		if (cfg->load_balancing.enabled && group.size() > 1)
		{
			// Weighted round-robin: the group's counter lives on its first endpoint's runtime.
			int64_t total = 0;
			for (size_t idx : group)
				total += cfg->endpoints[idx].weight;
			auto rtIt = runtimes->find(config::endpointId(first));
			uint64_t tick = rtIt != runtimes->end() ? rtIt->second->rrCounter.fetch_add(1) : 0;
			int64_t point = static_cast<int64_t>(tick % static_cast<uint64_t>(total));
			size_t start = 0;
			for (size_t k = 0; k < group.size(); ++k)
			{
				point -= cfg->endpoints[group[k]].weight;
				if (point < 0)
				{
					start = k;
					break;
				}
			}
			std::rotate(group.begin(), group.begin() + static_cast<std::ptrdiff_t>(start), group.end());
		}
		order.insert(order.end(), group.begin(), group.end());
		if (firstGroupEnd == 0)
			firstGroupEnd = order.size();
		i = j;
	}
	if (cfg->load_balancing.sticky_sessions && !session.empty())
	{
		const std::string stickyId = _sticky.lookup(session, nowMs());
		for (size_t k = 0; k < firstGroupEnd && !stickyId.empty(); ++k)
		{
			const auto & e = cfg->endpoints[order[k]];
			if (config::endpointId(e) != stickyId)
				continue;
			auto rtIt = runtimes->find(stickyId);
			if (k > 0 && rtIt != runtimes->end() && rtIt->second->breaker.allowsTraffic())
			{
				size_t idx = order[k];
				order.erase(order.begin() + static_cast<std::ptrdiff_t>(k));
				order.insert(order.begin(), idx);
			}
			break;
		}
	}

	// The client socket, watched during long waits so a client that leaves cancels the upstream.
	int cancelFd = -1;
	if (auto * served = dynamic_cast<http::ServerRequest *>(&request))
		cancelFd = served->socketFd();

	const auto deadline = started + std::chrono::milliseconds(cfg->failover.request_deadline_ms);
	std::vector<std::string> failures;
	bool allOverloaded = true;
	bool allInvalid = true;
	int attemptsMade = 0;
	AttemptResult lastInvalid;
	int attemptNumber = 0;

	for (size_t idx : order)
	{
		const config::Endpoint & e = cfg->endpoints[idx];
		const std::string id = config::endpointId(e);
		auto rtIt = runtimes->find(id);
		if (rtIt == runtimes->end())
			continue;
		upstream::EndpointRuntime & rt = *rtIt->second;

		if (!rt.breaker.allowsTraffic())
		{
			api::AttemptRecord skipped;
			skipped.attempt_number = ++attemptNumber;
			skipped.endpoint_id = id;
			skipped.endpoint_name = e.name;
			skipped.endpoint_url = e.url;
			skipped.started_at_ms = nowMs();
			skipped.outcome = api::Outcome::SkippedOpenBreaker;
			auto snap = rt.breaker.snapshot();
			skipped.error = "circuit breaker open: " + snap.openReason;
			rec.attempts.push_back(std::move(skipped));
			failures.push_back(e.name + ": skipped (circuit breaker open)");
			allInvalid = false;
			continue;
		}

		if (e.auth_type == "oauth")
		{
			std::string oauthError;
			if (oauthToken(e, rt, false, oauthError).empty())
			{
				failures.push_back(e.name + ": " + oauthError);
				allInvalid = false;
				allOverloaded = false;
				continue;
			}
		}
		// The request as this endpoint gets it, with the per-request attempt settings; redone only
		// after an OAuth refresh (the token is part of the headers).
		auto prepareHere = [&] {
			Prepared p = prepare(*cfg, e, cr.kind, cr.method, cr.target, cr.headers, cr.body, cr.info, tags);
			p.settings.cancelFd = cancelFd;
			p.settings.captureLimit = responseCapture;
			p.settings.requestCaptureLimit = requestCapture;
			p.settings.clientBody = cr.body.get();
			return p;
		};
		Prepared prep = prepareHere();
		if (!prep.skipReason.empty())
		{
			failures.push_back(e.name + ": " + prep.skipReason);
			continue;
		}
		if (!prep.error.empty())
		{
			// The client's request cannot be converted for this endpoint: that is the client's fault.
			client.sendError(400, "invalid_request_error", prep.error + (prep.errorField.empty() ? "" : " (" + prep.errorField + ")"));
			finish(api::Outcome::Rejected, prep.error);
			return;
		}
		if (prep.localAnswer)
		{
			client.sendWhole(200, "application/json", prep.localBody, {{"x-ccc-estimated", "true"}});
			rec.final_endpoint_id = id;
			rec.final_endpoint_name = e.name;
			finish(api::Outcome::Success, "");
			return;
		}

		bool endpointFailed = false;
		bool countsAgainst = false;
		bool refreshed = false;
		std::string lastError;
		int attemptsHere = 0;
		for (int attempt = 1; attempt <= cfg->failover.max_attempts_per_endpoint; ++attempt)
		{
			auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
			if (left <= 0)
			{
				failures.push_back(e.name + ": not tried, the request deadline passed");
				break;
			}
			AttemptSettings settings = prep.settings;
			settings.firstByteTimeoutMs = std::min<int64_t>(settings.firstByteTimeoutMs, left);
			api::AttemptRecord arec;
			arec.attempt_number = ++attemptNumber;
			arec.endpoint_id = id;
			arec.endpoint_name = e.name;
			arec.model_sent = prep.settings.sentModel;
			rt.requests++;
			rt.activeStreams++;
			AttemptResult r = runAttempt(rt, prep.request, settings, client, arec);
			rt.activeStreams--;
			++attemptsMade;
			++attemptsHere;
			rec.attempts.push_back(std::move(arec));

			if (r.success())
			{
				noteRateLimit(e, rt, rec.attempts.back().response_headers);
				rt.successes++;
				logTransition(e, rt.breaker.recordRequest(true, nowMs(), cfg->circuit_breaker, ""));
				{
					std::lock_guard<std::mutex> lock(rt.mutex);
					if (!cr.info.model.empty())
						rt.lastModel = cr.info.model;
				}
				if (cfg->load_balancing.sticky_sessions)
					_sticky.remember(session, id, nowMs());
				rec.final_endpoint_id = id;
				rec.final_endpoint_name = e.name;
				rec.usage = rec.attempts.back().usage;
				finish(api::Outcome::Success, "");
				return;
			}
			if (r.outcome == api::Outcome::ClientCancelled)
			{
				// The client left: nothing to answer, and the endpoint is not to blame.
				rec.final_endpoint_id = id;
				rec.final_endpoint_name = e.name;
				finish(api::Outcome::ClientCancelled, r.error);
				return;
			}
			rt.failures++;
			lastError = r.error;
			endpointFailed = true;
			countsAgainst = countsAgainst || countsAgainstEndpoint(r.failure);
			if (r.failure != FailureClass::Overloaded)
				allOverloaded = false;
			if (r.failure == FailureClass::InvalidRequest)
				lastInvalid = r;
			else
				allInvalid = false;
			if (r.committed)
			{
				// Failed after content reached the client: the stream was ended with an error event.
				logTransition(e, rt.breaker.recordRequest(false, nowMs(), cfg->circuit_breaker, r.error));
				rec.final_endpoint_id = id;
				rec.final_endpoint_name = e.name;
				finish(r.outcome, r.error);
				return;
			}
			if (r.failure == FailureClass::Auth && e.auth_type == "oauth" && !refreshed)
			{
				// One refresh per request on 401/403, then the same endpoint again.
				refreshed = true;
				std::string oauthError;
				if (!oauthToken(e, rt, true, oauthError).empty())
				{
					prep = prepareHere();
					--attempt;
					continue;
				}
				lastError += "; token refresh failed: " + oauthError;
			}
			if (decide(r.failure, attempt, cfg->failover.max_attempts_per_endpoint) != Decision::RetrySameEndpoint)
				break;
			int64_t wait = cfg->failover.retry_delay_ms;
			if (r.retryAfterMs >= 0)
			{
				if (r.retryAfterMs > cfg->failover.retry_after_max_ms)
					break; // the upstream asks for longer than we are willing to wait: move on
				wait = std::max(wait, r.retryAfterMs);
			}
			if (wait > 0)
				std::this_thread::sleep_for(std::chrono::milliseconds(std::min<int64_t>(wait, left)));
		}
		if (endpointFailed)
		{
			failures.push_back(e.name + ": " + lastError + (attemptsHere > 1 ? " (" + std::to_string(attemptsHere) + " attempts)" : ""));
			if (countsAgainst)
				logTransition(e, rt.breaker.recordRequest(false, nowMs(), cfg->circuit_breaker, lastError));
		}
	}

	// Every endpoint failed: give the most useful answer.
	std::string summary;
	for (const auto & f : failures)
		summary += (summary.empty() ? "" : "; ") + f;
	if (attemptsMade > 0 && allInvalid && !lastInvalid.upstreamBody.empty())
	{
		client.sendWhole(lastInvalid.status, lastInvalid.upstreamContentType.empty() ? "application/json" : lastInvalid.upstreamContentType,
			lastInvalid.upstreamBody, {});
		finish(api::Outcome::UpstreamError, summary);
		return;
	}
	std::string message = attemptsMade == 0 ? "no endpoint could be tried" : "all endpoints failed";
	if (!tags.empty())
		message += " for tags [" + joinTags(tags) + "]";
	message += ": " + summary;
	if (attemptsMade > 0 && allOverloaded)
		client.sendError(529, "overloaded_error", message);
	else if (attemptsMade == 0)
		client.sendError(503, "api_error", message);
	else
		client.sendError(502, "api_error", message);
	finish(attemptsMade == 0 ? api::Outcome::Rejected : api::Outcome::UpstreamError, message);
}

ProxyEngine::Prepared ProxyEngine::prepare(const config::Config & cfg, const config::Endpoint & e, CallKind kind, const std::string & method,
	const std::string & target, const api::HeaderList & clientHeaders, const std::shared_ptr<const std::string> & bodyPtr,
	const anthropic::RequestInfo & info,
	const std::vector<std::string> &)
{
	Prepared p;
	UpstreamRequest & u = p.request;
	AttemptSettings & s = p.settings;
	if (!upstream::parseUrl(e.url, u.url))
	{
		p.skipReason = "invalid url";
		return p;
	}
	const bool openai = e.endpoint_type == "openai";
	s.kind = kind;
	s.clientWantsStream = info.stream;
	s.requestedModel = info.model;
	s.sentModel = rewriteModel(e, info.model);
	s.firstByteTimeoutMs = info.stream || kind == CallKind::Other ? cfg.timeouts.response_header_ms : cfg.timeouts.response_header_non_streaming_ms;
	s.idleTimeoutMs = cfg.timeouts.stream_idle_ms;
	s.idleConnectionMs = cfg.timeouts.idle_connection_ms;
	u.method = method;
	u.connect.connectMs = cfg.timeouts.connect_ms;
	u.connect.tlsHandshakeMs = cfg.timeouts.tls_handshake_ms;
	u.connect.tlsVerify = e.tls_verify;
	u.connect.caFile = e.ca_file;
	u.connect.proxy = e.proxy;
	u.poolKey = u.url.origin() + (e.proxy ? "|" + e.proxy->type + "://" + e.proxy->address : "") + (e.tls_verify ? "" : "|insecure")
		+ (e.ca_file.empty() ? "" : "|ca=" + e.ca_file);

	// Body: byte for byte (the client's own buffer, shared) unless a rewrite or an override must
	// change a field.
	const std::string & body = *bodyPtr;
	std::shared_ptr<const std::string> outBody = bodyPtr;
	if (kind != CallKind::Other)
	{
		json::TopLevelEditor editor;
		if (s.sentModel != info.model)
			editor.set("model", json::quote(s.sentModel));
		for (const auto & [k, v] : e.parameter_overrides)
		{
			if (v.empty())
				editor.remove(k);
			else
			{
				// JSON-typed values (true, 123, {"a":1}) go in as JSON; anything else as a string.
				std::vector<json::Member> probe;
				std::string wrapped = "{\"v\":" + v + "}";
				editor.set(k, json::scanObject(wrapped, probe) ? v : json::quote(v));
			}
		}
		if (!editor.empty() && !openai)
		{
			std::string edited;
			if (editor.apply(body, edited))
				outBody = std::make_shared<const std::string>(std::move(edited));
		}
		// History that an OpenAI-compatible endpoint produced carries thinking blocks without a
		// signature, which Anthropic rejects: drop those blocks only, every other byte stays.
		if (!openai && anthropic::mayHoldThinkingBlocks(*outBody))
		{
			std::string stripped;
			if (anthropic::stripUnsignedThinking(*outBody, stripped) > 0)
				outBody = std::make_shared<const std::string>(std::move(stripped));
		}
		if (openai)
		{
			OpenAIPrepared op = prepareOpenAI(cfg, e, kind, body, s.sentModel, editor);
			if (!op.skipReason.empty())
			{
				p.skipReason = op.skipReason;
				return p;
			}
			if (!op.error.empty())
			{
				p.error = op.error;
				p.errorField = op.errorField;
				return p;
			}
			if (op.localAnswer)
			{
				p.localAnswer = true;
				p.localBody = op.localBody;
				return p;
			}
			outBody = std::make_shared<const std::string>(std::move(op.body));
			s.makeStreamAdapter = op.makeStreamAdapter;
			s.makeBodyAdapter = op.makeBodyAdapter;
			s.convertsResponse = true;
		}
	}
	else if (openai)
	{
		p.skipReason = "OpenAI-compatible endpoints only serve /v1/messages";
		return p;
	}

	// Target: the endpoint's base path + the client's path and query (Anthropic), or path_prefix (OpenAI).
	if (openai)
		u.target = u.url.basePath + e.path_prefix;
	else
		u.target = u.url.basePath + target;

	// Headers.
	for (const auto & [k, v] : clientHeaders)
	{
		std::string lower = Poco::toLower(k);
		if (forwardHeader(lower))
			u.headers.emplace_back(k, v);
	}
	if (openai)
	{
		// Anthropic-specific headers mean nothing to an OpenAI-compatible API.
		removeHeader(u.headers, "anthropic-version");
		removeHeader(u.headers, "anthropic-beta");
		removeHeader(u.headers, "anthropic-dangerous-direct-browser-access");
		setHeader(u.headers, "Content-Type", "application/json");
	}
	u.headers.emplace_back("Host", u.url.hostHeader());
	const std::string accept = upstreamAcceptEncoding(headerValue(clientHeaders, "accept-encoding"));
	if (!accept.empty())
		u.headers.emplace_back("Accept-Encoding", accept);
	u.headers.emplace_back("Connection", "keep-alive");
	std::string token = e.auth_value;
	if (e.auth_type == "oauth")
	{
		token = e.oauth_config ? e.oauth_config->access_token : "";
		auto map = std::atomic_load(&_runtimes);
		auto rtIt = map ? map->find(config::endpointId(e)) : upstream::RuntimeMap::const_iterator{};
		if (map && rtIt != map->end())
		{
			std::lock_guard<std::mutex> lock(rtIt->second->mutex);
			if (!rtIt->second->accessToken.empty())
				token = rtIt->second->accessToken;
		}
	}
	if (e.auth_type == "api_key")
		u.headers.emplace_back("x-api-key", token);
	else
		u.headers.emplace_back("Authorization", "Bearer " + token);
	if (!openai && e.url.find("api.anthropic.com") != std::string::npos && token.rfind("sk-ant-oat01", 0) == 0)
	{
		// Anthropic's OAuth tokens need the oauth beta flag.
		std::string beta = headerValue(u.headers, "anthropic-beta");
		if (beta.find("oauth-2025-04-20") == std::string::npos)
			setHeader(u.headers, "anthropic-beta", beta.empty() ? "oauth-2025-04-20" : "oauth-2025-04-20," + beta);
	}
	for (const auto & [k, v] : e.header_overrides)
	{
		if (v.empty())
			removeHeader(u.headers, k);
		else
			setHeader(u.headers, k, v);
	}
	if (!outBody->empty() || method == "POST" || method == "PUT" || method == "PATCH")
		u.headers.emplace_back("Content-Length", std::to_string(outBody->size()));
	u.body = std::move(outBody);
	p.ok = true;
	return p;
}

std::string ProxyEngine::oauthToken(const config::Endpoint & e, upstream::EndpointRuntime & rt, bool force, std::string & error)
{
	if (!e.oauth_config)
	{
		error = "oauth endpoint without oauth_config";
		return {};
	}
	const config::OAuthConfig & oc = *e.oauth_config;
	auto current = [&](std::string & token, std::string & refresh, int64_t & expiresAt) {
		std::lock_guard<std::mutex> lock(rt.mutex);
		token = rt.accessToken.empty() ? oc.access_token : rt.accessToken;
		refresh = rt.refreshToken.empty() ? oc.refresh_token : rt.refreshToken;
		expiresAt = rt.expiresAtMs >= 0 ? rt.expiresAtMs : oc.expires_at;
	};
	std::string token, refresh;
	int64_t expiresAt = 0;
	current(token, refresh, expiresAt);
	constexpr int64_t kMargin = 5 * 60 * 1000;
	auto fresh = [&] { return expiresAt > 0 && nowMs() + kMargin < expiresAt; };
	if (!force && fresh())
		return token;
	// One refresh at a time per endpoint; other endpoints are never blocked by it.
	std::lock_guard<std::mutex> refreshLock(rt.refreshMutex);
	const std::string before = token;
	current(token, refresh, expiresAt);
	if ((!force && fresh()) || (force && token != before))
		return token; // another request refreshed it meanwhile
	upstream::ConnectOptions co;
	co.proxy = e.proxy;
	co.tlsVerify = e.tls_verify;
	co.caFile = e.ca_file;
	const std::string clientId = oc.client_id.empty() ? config::kDefaultOAuthClientId : oc.client_id;
	nlohmann::json req = {{"grant_type", "refresh_token"}, {"refresh_token", refresh}, {"client_id", clientId}};
	upstream::SimpleResponse resp = upstream::simpleRequest(oc.token_url, "POST",
		{{"Content-Type", "application/json"}, {"Accept", "application/json"}}, req.dump(), co, 30000);
	if (resp.status != 200)
	{
		// Some token endpoints only take the form encoding.
		std::string form = "grant_type=refresh_token&refresh_token=" + Poco::replace(refresh, "+", "%2B") + "&client_id=" + clientId;
		resp = upstream::simpleRequest(oc.token_url, "POST",
			{{"Content-Type", "application/x-www-form-urlencoded"}, {"Accept", "application/json"}}, form, co, 30000);
	}
	auto j = nlohmann::json::parse(resp.body, nullptr, false);
	if (resp.status != 200 || !j.is_object() || !j.contains("access_token") || !j["access_token"].is_string())
	{
		error = "OAuth token refresh failed: " + (resp.error.empty() ? "HTTP " + std::to_string(resp.status) : resp.error);
		Poco::Logger::get("oauth").warning("endpoint %s: %s", e.name, error);
		return {};
	}
	token = j["access_token"].get<std::string>();
	if (j.contains("refresh_token") && j["refresh_token"].is_string())
		refresh = j["refresh_token"].get<std::string>();
	int64_t expiresIn = j.contains("expires_in") && j["expires_in"].is_number() ? j["expires_in"].get<int64_t>() : 3600;
	expiresAt = nowMs() + expiresIn * 1000;
	{
		std::lock_guard<std::mutex> lock(rt.mutex);
		rt.accessToken = token;
		rt.refreshToken = refresh;
		rt.expiresAtMs = expiresAt;
	}
	// Save the new tokens into config.yaml (comments kept, atomic), so a restart keeps them.
	ConfigPtr cfg = _configStore.snapshot();
	for (size_t i = 0; i < cfg->endpoints.size(); ++i)
		if (cfg->endpoints[i].name == e.name)
		{
			const std::string base = "endpoints[" + std::to_string(i) + "].oauth_config.";
			std::string saveError;
			if (!_configStore.patchScalars({{base + "access_token", config::yamlQuote(token)}, {base + "refresh_token", config::yamlQuote(refresh)},
					{base + "expires_at", std::to_string(expiresAt)}},
					saveError))
				Poco::Logger::get("oauth").warning("endpoint %s: refreshed token not saved to config.yaml: %s", e.name, saveError);
			break;
		}
	Poco::Logger::get("oauth").information("endpoint %s: access token refreshed", e.name);
	return token;
}

void ProxyEngine::noteRateLimit(const config::Endpoint & e, upstream::EndpointRuntime & rt, const api::HeaderList & headers)
{
	if (e.url.find("api.anthropic.com") == std::string::npos)
		return;
	const std::string status = headerValue(headers, "anthropic-ratelimit-unified-status");
	const std::string reset = headerValue(headers, "anthropic-ratelimit-unified-reset");
	if (status.empty() && reset.empty())
		return;
	{
		std::lock_guard<std::mutex> lock(rt.mutex);
		rt.rateLimitStatus = status;
		rt.rateLimitReset = std::atoll(reset.c_str());
	}
	if (e.enhanced_protection && status == "allowed_warning")
		logTransition(e, rt.breaker.forceOpen(nowMs(), "rate limit status allowed_warning (enhanced_protection); no probe before the reset time"));
}

void ProxyEngine::startProber()
{
	std::lock_guard<std::mutex> lock(_proberMutex);
	if (_prober.joinable())
		return;
	_proberStop = false;
	_prober = std::thread([this] { proberLoop(); });
}

void ProxyEngine::stopProber()
{
	{
		std::lock_guard<std::mutex> lock(_proberMutex);
		_proberStop = true;
	}
	_proberWake.notify_all();
	if (_prober.joinable())
		_prober.join();
}

bool ProxyEngine::probe(const config::Config & cfg, const config::Endpoint & e, std::string & detail, api::AttemptRecord * attempt)
{
	auto rt = runtime(config::endpointId(e));
	if (!rt)
	{
		detail = "unknown endpoint";
		return false;
	}
	std::string model;
	{
		std::lock_guard<std::mutex> lock(rt->mutex);
		model = rt->lastModel;
	}
	if (model.empty())
		model = "claude-haiku-4-5-20251001";
	if (e.auth_type == "oauth" && oauthToken(e, *rt, false, detail).empty())
		return false;
	// A minimal valid request through the real attempt path (rewrite, conversion, validation).
	const std::string body = "{\"model\":" + json::quote(model)
		+ ",\"max_tokens\":16,\"messages\":[{\"role\":\"user\",\"content\":\"Reply with the word ok.\"}]}";
	api::HeaderList headers = {{"anthropic-version", "2023-06-01"}, {"content-type", "application/json"},
		{"user-agent", "claude-code-companion-health-probe"}};
	anthropic::RequestInfo info = anthropic::inspectRequest(body);
	Prepared prep = prepare(cfg, e, CallKind::Messages, "POST", "/v1/messages", headers, std::make_shared<const std::string>(body), info, {});
	if (!prep.ok)
	{
		detail = prep.skipReason.empty() ? prep.error : prep.skipReason;
		return false;
	}
	prep.settings.firstByteTimeoutMs = cfg.timeouts.health_check_timeout_ms;
	prep.settings.idleTimeoutMs = cfg.timeouts.health_check_timeout_ms;
	ClientWriter sink(nullptr, "probe", 4096);
	api::AttemptRecord arec;
	AttemptResult r = runAttempt(*rt, prep.request, prep.settings, sink, arec);
	if (attempt)
	{
		arec.model_sent = prep.settings.sentModel;
		*attempt = arec;
	}
	detail = r.success() ? "ok" : r.error;
	return r.success();
}

void ProxyEngine::proberLoop()
{
	Poco::Logger & log = Poco::Logger::get("health");
	while (true)
	{
		{
			std::unique_lock<std::mutex> lock(_proberMutex);
			_proberWake.wait_for(lock, std::chrono::milliseconds(250), [this] { return _proberStop; });
			if (_proberStop)
				return;
		}
		ConfigPtr cfg = _configStore.snapshot();
		auto map = syncRuntimes(cfg);
		for (const auto & e : cfg->endpoints)
		{
			if (!e.enabled)
				continue;
			auto it = map->find(config::endpointId(e));
			if (it == map->end() || it->second->breaker.allowsTraffic())
				continue;
			upstream::EndpointRuntime & rt = *it->second;
			const int64_t now = nowMs();
			if (rt.nextProbeAtMs.load() == 0)
			{
				// First probe one interval after the breaker opened.
				rt.nextProbeAtMs = now + cfg->timeouts.check_interval_ms;
				continue;
			}
			if (now < rt.nextProbeAtMs.load())
				continue;
			// Anthropic rate-limited accounts: no probe before the reset time.
			int64_t resetAt = e.rate_limit_reset.value_or(0);
			{
				std::lock_guard<std::mutex> lock(rt.mutex);
				resetAt = std::max(resetAt, rt.rateLimitReset);
			}
			if (e.url.find("api.anthropic.com") != std::string::npos && resetAt * 1000 > now)
			{
				rt.nextProbeAtMs = resetAt * 1000;
				continue;
			}
			std::string detail;
			bool ok = probe(*cfg, e, detail);
			rt.nextProbeAtMs = nowMs() + cfg->timeouts.check_interval_ms;
			log.information("probe of %s: %s", e.name, detail);
			auto t = rt.breaker.recordProbe(ok, nowMs(), cfg->timeouts.recovery_threshold, detail);
			if (t)
				rt.nextProbeAtMs = 0;
			logTransition(e, t);
		}
	}
}

} // namespace ccc::proxy
