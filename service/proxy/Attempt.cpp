#include "proxy/Attempt.h"

#include <Poco/String.h>
#include <nlohmann/json.hpp>

#include "ccc/anthropic/message_validator.h"
#include "ccc/anthropic/stream_validator.h"
#include "upstream/ContentDecoder.h"
#include "upstream/ResponseReader.h"

namespace ccc::proxy
{

namespace
{

using Clock = std::chrono::steady_clock;
using upstream::IoStatus;

int64_t msSince(Clock::time_point t)
{
	return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t).count();
}

void captureInto(api::CapturedBody & body, std::string_view bytes, size_t limit)
{
	body.totalSize += static_cast<int64_t>(bytes.size());
	if (body.bytes.size() < limit)
		body.bytes.append(bytes.data(), std::min(bytes.size(), limit - body.bytes.size()));
}

/// Upstream response headers that must not be copied to the client: hop-by-hop headers, framing
/// and coding we redo ourselves, and the upstream's own request id (ours replaces it).
bool passToClient(const std::string & name)
{
	static const char * const drop[] = {"connection", "keep-alive", "proxy-connection", "transfer-encoding", "content-length",
		"content-encoding", "content-type", "te", "trailer", "upgrade", "request-id", "set-cookie", "date", "server", "alt-svc",
		"x-should-retry", "cache-control", "x-accel-buffering", "vary"};
	std::string lower = Poco::toLower(name);
	for (const char * d : drop)
		if (lower == d)
			return false;
	return true;
}

api::HeaderList clientHeadersFrom(const upstream::ResponseReader & reader)
{
	api::HeaderList out;
	for (const auto & [k, v] : reader.headers())
		if (passToClient(k))
			out.emplace_back(k, v);
	const std::string upstreamId = reader.header("request-id");
	if (!upstreamId.empty())
		out.emplace_back("upstream-request-id", upstreamId);
	return out;
}

std::string contentTypeClass(const std::string & contentType)
{
	std::string ct = Poco::toLower(contentType);
	if (ct.find("text/event-stream") != std::string::npos)
		return "sse";
	if (ct.find("json") != std::string::npos)
		return "json";
	if (ct.empty())
		return "unknown";
	return "plain";
}

/// Reports the client's model name in a message_start event (the upstream saw the rewritten one).
std::string restoreModelInEvent(const sse::Event & ev, const std::string & requested)
{
	auto j = nlohmann::ordered_json::parse(ev.data, nullptr, false);
	if (j.is_discarded() || !j.is_object() || !j.contains("message") || !j["message"].is_object())
		return ev.raw;
	j["message"]["model"] = requested;
	return sse::serialize(ev.event.empty() ? "message_start" : ev.event, j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace));
}

std::string restoreModelInBody(const std::string & body, const std::string & requested)
{
	auto j = nlohmann::ordered_json::parse(body, nullptr, false);
	if (j.is_discarded() || !j.is_object() || !j.contains("model"))
		return body;
	j["model"] = requested;
	return j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

/// The error type inside an Anthropic or OpenAI error body, if any.
std::string errorTypeOf(const std::string & body)
{
	auto j = nlohmann::json::parse(body, nullptr, false);
	if (j.is_discarded() || !j.is_object())
		return {};
	auto it = j.find("error");
	if (it == j.end())
		return {};
	if (it->is_object())
	{
		auto t = it->find("type");
		if (t != it->end() && t->is_string())
			return t->get<std::string>();
		auto c = it->find("code");
		if (c != it->end() && c->is_string())
			return c->get<std::string>();
	}
	return "api_error";
}

class Exchange
{
public:
	Exchange(upstream::EndpointRuntime & rt, const UpstreamRequest & req, const AttemptSettings & s, ClientWriter & client, api::AttemptRecord & rec)
		: _rt(rt), _req(req), _s(s), _client(client), _rec(rec)
	{
	}

	AttemptResult run();

private:
	AttemptResult fail(api::Outcome outcome, FailureClass cls, std::string error)
	{
		AttemptResult r;
		r.outcome = outcome;
		r.failure = cls;
		r.error = std::move(error);
		r.status = _reader ? _reader->status() : 0;
		r.committed = _client.committed();
		return r;
	}
	AttemptResult ioFailure(IoStatus st, const std::string & error)
	{
		if (st == IoStatus::Cancelled)
			return fail(api::Outcome::ClientCancelled, FailureClass::Network, error);
		if (st == IoStatus::Timeout)
			return fail(api::Outcome::Timeout, FailureClass::Timeout, error);
		return fail(api::Outcome::Network, FailureClass::Network, error);
	}
	/// After commit an upstream failure can only be reported in-band.
	AttemptResult failCommitted(api::Outcome outcome, FailureClass cls, const std::string & error)
	{
		if (outcome != api::Outcome::ClientCancelled && _client.clientAlive())
			_client.sendError(502, cls == FailureClass::Overloaded ? "overloaded_error" : "api_error", "upstream failed mid-stream: " + error);
		return fail(outcome, cls, error);
	}

	bool connectAndSend(std::string & error, IoStatus & st, bool allowReuse);
	/// Next piece of decoded body; Eof at the end.
	IoStatus nextBody(std::string & out, int64_t timeoutMs, std::string & error);
	AttemptResult handleErrorStatus();
	AttemptResult handlePassThrough();
	AttemptResult handleStream(std::string firstBytes);
	AttemptResult handleJson(std::string firstBytes);
	void releaseIfReusable()
	{
		if (_conn && _reader && _reader->reusable())
		{
			_conn->requestsServed++;
			_rt.pool.release(std::move(_conn));
		}
	}

	upstream::EndpointRuntime & _rt;
	const UpstreamRequest & _req;
	const AttemptSettings & _s;
	ClientWriter & _client;
	api::AttemptRecord & _rec;
	Clock::time_point _start = Clock::now();
	std::unique_ptr<upstream::Connection> _conn;
	std::unique_ptr<upstream::ResponseReader> _reader;
	std::unique_ptr<upstream::ContentDecoder> _decoder;
};

bool Exchange::connectAndSend(std::string & error, IoStatus & st, bool allowReuse)
{
	if (allowReuse)
		_conn = _rt.pool.acquire(_req.poolKey, _s.idleConnectionMs);
	if (!_conn)
	{
		_conn = upstream::Connection::open(_req.url, _req.connect, st, error);
		if (!_conn)
			return false;
		_conn->setPoolKey(_req.poolKey);
		_rt.pool.countOpened();
	}
	std::string head = _req.method + " " + _req.target + " HTTP/1.1\r\n";
	for (const auto & [k, v] : _req.headers)
		head += k + ": " + v + "\r\n";
	head += "\r\n";
	st = _conn->writeAll(head, _s.firstByteTimeoutMs, error);
	if (st == IoStatus::Ok && _req.body && !_req.body->empty())
		st = _conn->writeAll(*_req.body, _s.firstByteTimeoutMs, error);
	return st == IoStatus::Ok;
}

IoStatus Exchange::nextBody(std::string & out, int64_t timeoutMs, std::string & error)
{
	std::string raw;
	while (true)
	{
		raw.clear();
		IoStatus st = _reader->readBody(*_conn, raw, timeoutMs, _s.cancelFd, error);
		if (st == IoStatus::Eof)
		{
			if (!_decoder->finish(error))
				return IoStatus::Error;
			return IoStatus::Eof;
		}
		if (st != IoStatus::Ok)
			return st;
		size_t before = out.size();
		if (!_decoder->decode(raw, out, error))
			return IoStatus::Error;
		if (out.size() > before)
			return IoStatus::Ok;
		// compressed bytes that decoded to nothing yet: keep reading
	}
}

AttemptResult Exchange::run()
{
	_rec.started_at_ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
	_rec.endpoint_url = _req.url.origin() + _req.target;
	_rec.request_headers = _req.headers;
	if (_req.body && _req.body.get() == _s.clientBody)
	{
		_rec.request_body_same_as_client = true;
		_rec.request_body.totalSize = static_cast<int64_t>(_req.body->size());
	}
	else if (_req.body)
		captureInto(_rec.request_body, *_req.body, _s.requestCaptureLimit);

	std::string error;
	IoStatus st = IoStatus::Ok;
	// A pooled connection may have been closed by the upstream just as we picked it: if it fails
	// before any response byte, the request never reached the upstream; resend on a new one.
	bool sent = connectAndSend(error, st, true);
	bool reused = _conn && _conn->requestsServed > 0;
	if (!sent && reused)
	{
		_conn.reset();
		sent = connectAndSend(error, st, false);
		reused = false;
	}
	if (!sent)
		return ioFailure(st, error);
	_reader = std::make_unique<upstream::ResponseReader>(_req.method == "HEAD");
	st = _reader->readHead(*_conn, _s.firstByteTimeoutMs, _s.cancelFd, error);
	if (st != IoStatus::Ok && reused && _reader->firstByteAt() == Clock::time_point{} && st != IoStatus::Cancelled && st != IoStatus::Timeout)
	{
		_conn.reset();
		if (!connectAndSend(error, st, false))
			return ioFailure(st, error);
		_reader = std::make_unique<upstream::ResponseReader>(_req.method == "HEAD");
		st = _reader->readHead(*_conn, _s.firstByteTimeoutMs, _s.cancelFd, error);
	}
	if (st != IoStatus::Ok)
		return ioFailure(st, error);
	_rec.ttfb_ms = std::chrono::duration_cast<std::chrono::milliseconds>(_reader->firstByteAt() - _start).count();
	_rec.status = _reader->status();
	for (const auto & h : _reader->headers())
		_rec.response_headers.push_back(h);

	_decoder = upstream::ContentDecoder::create(_reader->header("content-encoding"), error);
	if (!_decoder)
		return fail(api::Outcome::ValidationFailed, FailureClass::Validation, error);

	const int status = _reader->status();
	if (status < 200 || status >= 300)
		return handleErrorStatus();
	if (_s.kind == CallKind::Other)
		return handlePassThrough();

	// Decide JSON or SSE from the bytes themselves; upstreams lie in Content-Type.
	std::string first;
	while (true)
	{
		auto kind = anthropic::sniffBody(first);
		if (kind != anthropic::BodyKind::Unknown)
			break;
		st = nextBody(first, _s.firstByteTimeoutMs, error);
		if (st == IoStatus::Eof)
			break;
		if (st != IoStatus::Ok)
			return ioFailure(st, error);
	}
	captureInto(_rec.response_body, first, _s.captureLimit);
	auto kind = anthropic::sniffBody(first);
	if (first.find_first_not_of(" \t\r\n") == std::string::npos)
		return fail(api::Outcome::ValidationFailed, FailureClass::Validation, "the upstream answered " + std::to_string(status) + " with an empty body");
	const std::string declared = contentTypeClass(_reader->header("content-type"));
	if (kind == anthropic::BodyKind::Sse)
	{
		if (declared != "sse")
			_rec.content_type_override = declared + "->sse";
		return handleStream(std::move(first));
	}
	if (kind == anthropic::BodyKind::Json)
	{
		if (declared != "json")
			_rec.content_type_override = declared + "->json";
		return handleJson(std::move(first));
	}
	return fail(api::Outcome::ValidationFailed, FailureClass::Validation,
		"the upstream answered " + std::to_string(status) + " with a body that is neither JSON nor SSE: " + first.substr(0, 120));
}

AttemptResult Exchange::handleErrorStatus()
{
	const int status = _reader->status();
	std::string body, error;
	// Read the error body (bounded in size and time) for the log and for passing it on.
	auto deadline = Clock::now() + std::chrono::seconds(30);
	while (body.size() < (1u << 20) && Clock::now() < deadline)
	{
		IoStatus st = nextBody(body, std::min<int64_t>(_s.idleTimeoutMs, 30000), error);
		if (st != IoStatus::Ok)
			break;
	}
	captureInto(_rec.response_body, body, _s.captureLimit);
	releaseIfReusable();
	AttemptResult r;
	r.status = status;
	r.outcome = api::Outcome::UpstreamError;
	r.failure = classifyStatus(status);
	// An error body can say more than the status ("overloaded_error" behind a 500).
	const std::string type = errorTypeOf(body);
	if (!type.empty() && (r.failure == FailureClass::ServerError || r.failure == FailureClass::OtherStatus))
	{
		FailureClass byType = classifyErrorType(type);
		if (byType == FailureClass::Overloaded || byType == FailureClass::RateLimited)
			r.failure = byType;
	}
	r.retryAfterMs = parseRetryAfterMs(_reader->header("retry-after"));
	r.upstreamBody = body;
	r.upstreamContentType = _reader->header("content-type");
	std::string snippet = body.substr(0, 300);
	for (auto & c : snippet)
		if (c == '\n' || c == '\r')
			c = ' ';
	r.error = "HTTP " + std::to_string(status) + (snippet.empty() ? "" : ": " + snippet);
	return r;
}

AttemptResult Exchange::handlePassThrough()
{
	// Paths we do not validate (models, unknown ones): forward as they come.
	std::string error;
	api::HeaderList headers = clientHeadersFrom(*_reader);
	const std::string ct = _reader->header("content-type");
	if (!ct.empty())
		headers.emplace_back("Content-Type", ct);
	if (!_reader->header("content-length").empty() && _decoder->identity())
	{
		std::string body;
		while (true)
		{
			IoStatus st = nextBody(body, _s.idleTimeoutMs, error);
			if (st == IoStatus::Eof)
				break;
			if (st != IoStatus::Ok)
				return ioFailure(st, error);
		}
		captureInto(_rec.response_body, body, _s.captureLimit);
		_client.sendWhole(_reader->status(), ct.empty() ? "application/octet-stream" : ct, body, headers);
		releaseIfReusable();
		AttemptResult r;
		r.status = _reader->status();
		return r;
	}
	_client.commitStream(_reader->status(), headers);
	while (true)
	{
		std::string piece;
		IoStatus st = nextBody(piece, _s.idleTimeoutMs, error);
		if (st == IoStatus::Eof)
			break;
		if (st != IoStatus::Ok)
			return st == IoStatus::Cancelled ? ioFailure(st, error) : failCommitted(api::Outcome::Network, FailureClass::Truncated, error);
		captureInto(_rec.response_body, piece, _s.captureLimit);
		if (!_client.write(piece))
			return fail(api::Outcome::ClientCancelled, FailureClass::Network, "the client went away");
	}
	_client.finishStream();
	releaseIfReusable();
	AttemptResult r;
	r.status = _reader->status();
	return r;
}

AttemptResult Exchange::handleStream(std::string firstBytes)
{
	_rec.streaming = true;
	std::unique_ptr<StreamAdapter> adapter = _s.makeStreamAdapter ? _s.makeStreamAdapter() : std::make_unique<AnthropicStreamAdapter>();
	anthropic::StreamValidator validator;
	const bool restore = !_s.requestedModel.empty() && _s.requestedModel != _s.sentModel;
	std::string held;
	std::vector<sse::Event> events;
	std::string error;
	const api::HeaderList headers = clientHeadersFrom(*_reader);

	auto classify = [](const anthropic::Check & c) {
		switch (c.violation)
		{
			case anthropic::Violation::UpstreamError: return classifyErrorType(c.errorType);
			case anthropic::Violation::Truncated: return FailureClass::Truncated;
			default: return FailureClass::Validation;
		}
	};
	// Validates and forwards (or holds back) the events produced so far.
	auto process = [&](AttemptResult & failure) -> bool {
		for (const sse::Event & ev : events)
		{
			anthropic::Check c = validator.onEvent(ev);
			if (!c.ok())
			{
				api::Outcome o = c.violation == anthropic::Violation::UpstreamError ? api::Outcome::UpstreamError : api::Outcome::ValidationFailed;
				failure = _client.committed() ? failCommitted(o, classify(c), c.message) : fail(o, classify(c), c.message);
				return false;
			}
			std::string bytes = restore && (ev.event == "message_start") ? restoreModelInEvent(ev, _s.requestedModel) : ev.raw;
			if (!_client.committed())
			{
				held += bytes;
				if (validator.proven())
				{
					if (!_client.commitStream(_reader->status(), headers) || !_client.write(held))
					{
						failure = fail(api::Outcome::ClientCancelled, FailureClass::Network, "the client went away");
						return false;
					}
					held.clear();
				}
			}
			else if (!_client.write(bytes))
			{
				failure = fail(api::Outcome::ClientCancelled, FailureClass::Network, "the client went away");
				return false;
			}
		}
		events.clear();
		return true;
	};

	AttemptResult failure;
	if (!adapter->feed(firstBytes, events))
		return fail(adapter->upstreamError() ? api::Outcome::UpstreamError : api::Outcome::ValidationFailed,
			adapter->upstreamError() ? FailureClass::ServerError : FailureClass::Validation, adapter->error());
	if (!process(failure))
		return failure;
	while (true)
	{
		std::string piece;
		IoStatus st = nextBody(piece, _s.idleTimeoutMs, error);
		if (st == IoStatus::Eof)
			break;
		if (st != IoStatus::Ok)
		{
			AttemptResult r = ioFailure(st, error);
			if (st != IoStatus::Cancelled)
			{
				// A cut stream is a truncated response, whatever the socket said.
				r.failure = st == IoStatus::Timeout ? FailureClass::Timeout : FailureClass::Truncated;
				r.error = "stream interrupted after " + std::to_string(validator.eventCount()) + " events: " + error;
				if (_client.committed())
					return failCommitted(r.outcome, r.failure, r.error);
			}
			return r;
		}
		captureInto(_rec.response_body, piece, _s.captureLimit);
		bool ok = adapter->feed(piece, events);
		if (!process(failure))
			return failure;
		if (!ok)
		{
			api::Outcome o = adapter->upstreamError() ? api::Outcome::UpstreamError : api::Outcome::ValidationFailed;
			FailureClass cls = adapter->upstreamError() ? FailureClass::ServerError : FailureClass::Validation;
			return _client.committed() ? failCommitted(o, cls, adapter->error()) : fail(o, cls, adapter->error());
		}
	}
	bool ok = adapter->finish(events);
	if (!process(failure))
		return failure;
	if (!ok)
	{
		FailureClass cls = adapter->upstreamError() ? FailureClass::ServerError : FailureClass::Truncated;
		api::Outcome o = adapter->upstreamError() ? api::Outcome::UpstreamError : api::Outcome::ValidationFailed;
		return _client.committed() ? failCommitted(o, cls, adapter->error()) : fail(o, cls, adapter->error());
	}
	anthropic::Check end = validator.finish();
	if (!end.ok())
		return _client.committed() ? failCommitted(api::Outcome::ValidationFailed, classify(end), end.message)
								   : fail(api::Outcome::ValidationFailed, classify(end), end.message);
	if (!_client.committed())
	{
		if (!_client.commitStream(_reader->status(), headers) || !_client.write(held))
			return fail(api::Outcome::ClientCancelled, FailureClass::Network, "the client went away");
	}
	_client.finishStream();
	_rec.usage = validator.usage();
	releaseIfReusable();
	AttemptResult r;
	r.status = _reader->status();
	r.committed = true;
	return r;
}

AttemptResult Exchange::handleJson(std::string body)
{
	std::string error;
	constexpr size_t kMaxJson = 64u << 20;
	while (true)
	{
		if (body.size() > kMaxJson)
			return fail(api::Outcome::ValidationFailed, FailureClass::Validation, "the upstream's JSON body exceeds 64 MB");
		std::string piece;
		IoStatus st = nextBody(piece, _s.idleTimeoutMs, error);
		if (st == IoStatus::Eof)
			break;
		if (st != IoStatus::Ok)
		{
			AttemptResult r = ioFailure(st, error);
			if (st == IoStatus::Error)
				r.failure = FailureClass::Truncated;
			return r;
		}
		captureInto(_rec.response_body, piece, _s.captureLimit);
		body += piece;
	}
	std::string out = body;
	if (_s.makeBodyAdapter)
	{
		bool upstreamError = false;
		std::unique_ptr<BodyAdapter> adapter = _s.makeBodyAdapter();
		if (!adapter->convert(body, out, error, upstreamError))
			return fail(upstreamError ? api::Outcome::UpstreamError : api::Outcome::ValidationFailed,
				upstreamError ? classifyErrorType(errorTypeOf(body)) : FailureClass::Validation, error);
	}
	if (_s.kind == CallKind::CountTokens)
	{
		anthropic::Check c = anthropic::validateCountTokensBody(out);
		if (!c.ok())
			return fail(api::Outcome::ValidationFailed, FailureClass::Validation, c.message);
	}
	else
	{
		anthropic::MessageCheck c = anthropic::validateMessageBody(out);
		if (!c.ok())
		{
			if (c.violation == anthropic::Violation::UpstreamError)
				return fail(api::Outcome::UpstreamError, classifyErrorType(c.errorType), c.message);
			return fail(api::Outcome::ValidationFailed, c.violation == anthropic::Violation::Truncated ? FailureClass::Truncated : FailureClass::Validation,
				c.message);
		}
		_rec.usage = c.usage;
		if (!_s.requestedModel.empty() && _s.requestedModel != _s.sentModel)
			out = restoreModelInBody(out, _s.requestedModel);
	}
	releaseIfReusable();
	if (!_client.sendWhole(_reader->status(), "application/json", out, clientHeadersFrom(*_reader)))
		return fail(api::Outcome::ClientCancelled, FailureClass::Network, "the client went away");
	AttemptResult r;
	r.status = _reader->status();
	r.committed = true;
	return r;
}

} // namespace

AttemptResult runAttempt(upstream::EndpointRuntime & runtime, const UpstreamRequest & request, const AttemptSettings & settings,
	ClientWriter & client, api::AttemptRecord & record)
{
	const auto start = Clock::now();
	Exchange ex(runtime, request, settings, client, record);
	AttemptResult r = ex.run();
	record.duration_ms = msSince(start);
	record.outcome = r.outcome;
	record.error = r.error;
	if (r.status)
		record.status = r.status;
	return r;
}

} // namespace ccc::proxy
