// fake_upstream: FakeUpstream servers driven by a JSON scenario, for tests written in other
// languages (the JavaScript end-to-end suite).
//
//   fake_upstream <scenario.json>
//
// Scenario:
//   {
//     "requestLog": "/tmp/dir/requests.jsonl",      // optional: one JSON line per request
//     "exitOnStdinEof": true,                       // default true; SIGTERM/SIGINT always stop it
//     "servers": [
//       { "name": "primary",
//         "responses": [ <response>, ... ],         // queue for requests no route matches; last repeats
//         "routes": [ { "method": "POST", "path": "/v1/messages/count_tokens",   // both optional;
//                       "responses": [ <response>, ... ] } ],                   // path "/x*" = prefix
//         "refused": false }                        // true: no server, READY prints a refused port
//     ]
//   }
// With no route matching, a HEAD request (Claude Code's connectivity probe) gets 200 with an empty
// body; anything else takes the next entry of "responses" (500 when there is none).
//
// <response> kinds ("kind"):
//   json       {"status":200, "body": <JSON value> | "bodyText": "<exact text>"}
//   text       {"status":200, "bodyText": "...", "contentType": "text/html"}
//   empty      {"status":200, "contentType": "application/json"}
//   sse        {"events": [ {"event":"x","data": <JSON value or string>} | {"raw":"bytes"} ]}
//   raw        {"bytes": "HTTP/1.1 200 OK\r\n...", "after": "close"|"reset"|"keepAlive"}
//   resetBeforeHeaders | closeBeforeHeaders | hang
//   anthropic            {"text":"pong"}: a stream when the request has "stream": true, else a
//                        message (model: "model" or the request's model)
//   anthropicStream      {"text":"pong", "model":...}      anthropicMessage {"text":"pong"}
//   anthropicToolUse     {"tool":"name","input":{...},"text":"leading text"} (stream or message)
//   anthropicThinking    {"thinking":"...","text":"..."}: a thinking block then text (stream or message)
//   overloaded           529 overloaded_error JSON
//   error                {"status":400,"errorType":"invalid_request_error","message":"..."}
//   midError             200 SSE: message_start then event: error (overloaded)
//   zeroUsage | malformedData | noMessageStop   {"text":"..."}: broken Anthropic streams
//   openaiStream | openaiMessage                {"text":"..."}: OpenAI chat completions
//   openai               {"text":"..."}: an OpenAI stream when the request has "stream": true, else a completion
//   openaiToolCall       {"tool":"Bash","input":{...}}: one OpenAI tool call (stream or completion)
// Modifiers on any response: "status", "headers": {name: value}, "retryAfter", "slowFirstByteMs",
// "delayMs" (between events), "pause": {"after": n, "ms": m}, "cut": {"after": n, "how": "reset"|
// "close"}, "encoding": "gzip"|"deflate"|"br"|"zstd", "framing": "chunked"|"length"|"close",
// "after": "keepAlive"|"close"|"reset".
//
// Output: "READY <name> <port>" per server on stdout, in scenario order, then "ALL READY".
// Request log line: {"server","sequence","index","connection","method","target","path","query",
// "headers":{lower-case},"body": text,"bodyBase64","arrivalMs" (since start)}.

#include <csignal>
#include <fstream>
#include <iostream>
#include <memory>
#include <mutex>
#include <sstream>
#include <thread>
#include <unistd.h>

#include <Poco/Base64Encoder.h>

#include "AnthropicFixtures.h"
#include "FakeUpstream.h"

using namespace ccc::test;
using json = nlohmann::json;

namespace
{

struct Route
{
	std::string method;
	std::string path;
	std::vector<json> responses;
	size_t next = 0;
};

struct Server
{
	std::string name;
	std::unique_ptr<FakeUpstream> upstream;
	int refusedPort = 0;
	std::vector<json> responses;
	size_t next = 0;
	std::vector<Route> routes;
	std::mutex mutex;
};

std::mutex gLogMutex;
std::ofstream gLog;
Clock::time_point gStart = Clock::now();

std::string base64(const std::string & s)
{
	std::ostringstream out;
	Poco::Base64Encoder enc(out);
	enc.rdbuf()->setLineLength(0);
	enc << s;
	enc.close();
	return out.str();
}

std::string str(const json & j, const char * key, const std::string & def = "")
{
	auto it = j.find(key);
	return it != j.end() && it->is_string() ? it->get<std::string>() : def;
}

int num(const json & j, const char * key, int def)
{
	auto it = j.find(key);
	return it != j.end() && it->is_number() ? it->get<int>() : def;
}

Encoding encodingOf(const std::string & s)
{
	if (s == "gzip")
		return Encoding::Gzip;
	if (s == "deflate")
		return Encoding::Deflate;
	if (s == "br")
		return Encoding::Brotli;
	if (s == "zstd")
		return Encoding::Zstd;
	return Encoding::Identity;
}

Response::After afterOf(const std::string & s)
{
	if (s == "close")
		return Response::After::Close;
	if (s == "reset")
		return Response::After::Reset;
	return Response::After::KeepAlive;
}

std::string dataText(const json & d)
{
	return d.is_string() ? d.get<std::string>() : d.dump();
}

Response build(const json & spec, const ReceivedRequest & req)
{
	std::string kind = str(spec, "kind", "json");
	json reqBody = req.json();
	bool streaming = reqBody.is_object() && reqBody.value("stream", false);
	std::string requestModel = reqBody.is_object() && reqBody.contains("model") && reqBody["model"].is_string()
		? reqBody["model"].get<std::string>()
		: std::string(kFakeModel);
	std::string model = str(spec, "model", requestModel);
	std::string text = str(spec, "text", "pong");
	int status = num(spec, "status", 200);

	Response r;
	if (kind == "json")
		r = spec.contains("bodyText") ? Response::json(status, str(spec, "bodyText"))
		                              : Response::json(status, spec.value("body", json::object()).dump());
	else if (kind == "text")
		r = Response::text(status, str(spec, "bodyText"), str(spec, "contentType", "text/plain"));
	else if (kind == "empty")
		r = Response::empty(status, str(spec, "contentType", "application/json"));
	else if (kind == "sse")
	{
		std::vector<SseEvent> events;
		for (const auto & e : spec.value("events", json::array()))
		{
			if (e.contains("raw"))
				events.push_back(SseEvent::rawBytes(str(e, "raw")));
			else
				events.push_back(SseEvent{str(e, "event"), dataText(e.value("data", json(""))), ""});
		}
		r = Response::sse(events);
	}
	else if (kind == "raw")
		r = Response::raw(str(spec, "bytes"), afterOf(str(spec, "after", "close")));
	else if (kind == "resetBeforeHeaders")
		return Response::resetBeforeHeaders();
	else if (kind == "closeBeforeHeaders")
		return Response::closeBeforeHeaders();
	else if (kind == "hang")
		return Response::hang();
	else if (kind == "anthropic")
		r = streaming ? Response::sse(anthropicStream(text, model)) : Response::json(200, anthropicMessage(text, model));
	else if (kind == "anthropicStream")
		r = Response::sse(anthropicStream(text, model));
	else if (kind == "anthropicMessage")
		r = Response::json(200, anthropicMessage(text, model));
	else if (kind == "anthropicThinking")
		r = streaming ? Response::sse(anthropicThinkingStream(str(spec, "thinking", "Let me think."), text, model))
		              : Response::json(200, anthropicThinkingMessage(str(spec, "thinking", "Let me think."), text, model));
	else if (kind == "anthropicToolUse")
	{
		std::string input = spec.value("input", json::object()).dump();
		std::string tool = str(spec, "tool", "Bash");
		r = streaming ? Response::sse(anthropicToolUseStream(tool, input, str(spec, "text"), model))
		              : Response::json(200, anthropicToolUseMessage(tool, input, model));
	}
	else if (kind == "overloaded")
		r = overloadedResponse();
	else if (kind == "error")
		r = Response::json(num(spec, "status", 400),
			anthropicError(str(spec, "errorType", "invalid_request_error"), str(spec, "message", "fake error")));
	else if (kind == "midError")
		r = Response::sse(anthropicStreamMidError(model));
	else if (kind == "zeroUsage")
		r = Response::sse(anthropicStreamZeroUsage(text, model));
	else if (kind == "malformedData")
		r = Response::sse(anthropicStreamMalformedData(text, model));
	else if (kind == "noMessageStop")
		r = Response::sse(anthropicStreamWithoutMessageStop(text, model));
	else if (kind == "openai")
		r = streaming ? Response::sse(openaiChatStream(text, str(spec, "model", "gpt-4o")))
		              : Response::json(200, openaiChatCompletion(text, str(spec, "model", "gpt-4o")));
	else if (kind == "openaiToolCall")
	{
		std::string args = spec.value("input", json::object()).dump();
		std::string tool = str(spec, "tool", "Bash");
		r = streaming ? Response::sse(openaiToolCallStream(tool, args, str(spec, "model", "gpt-4o")))
		              : Response::json(200, openaiToolCallCompletion(tool, args, str(spec, "model", "gpt-4o")));
	}
	else if (kind == "openaiStream")
		r = Response::sse(openaiChatStream(text, str(spec, "model", "gpt-4o")));
	else if (kind == "openaiMessage")
		r = Response::json(200, openaiChatCompletion(text, str(spec, "model", "gpt-4o")));
	else
		r = Response::json(500, anthropicError("api_error", "fake_upstream: unknown kind " + kind));

	if (spec.contains("status") && kind != "json" && kind != "text" && kind != "empty" && kind != "error")
		r.status(status);
	if (spec.contains("headers") && spec["headers"].is_object())
		for (const auto & [name, value] : spec["headers"].items())
			r.header(name, dataText(value));
	if (spec.contains("retryAfter"))
		r.retryAfter(dataText(spec["retryAfter"]));
	if (spec.contains("slowFirstByteMs"))
		r.slowFirstByte(num(spec, "slowFirstByteMs", 0));
	if (spec.contains("delayMs"))
		r.delayBetweenEvents(num(spec, "delayMs", 0));
	if (spec.contains("pause"))
		r.longPause(static_cast<size_t>(num(spec["pause"], "after", 0)), num(spec["pause"], "ms", 0));
	if (spec.contains("cut"))
		r.cutAfter(static_cast<size_t>(num(spec["cut"], "after", 0)), str(spec["cut"], "how", "reset") == "close" ? Cut::Close : Cut::Reset);
	if (spec.contains("encoding"))
		r.encoded(encodingOf(str(spec, "encoding")));
	if (spec.contains("framing"))
	{
		std::string f = str(spec, "framing");
		r.framing(f == "chunked" ? Response::Framing::Chunked
		          : f == "close" ? Response::Framing::CloseDelimited
		                         : Response::Framing::ContentLength);
	}
	if (spec.contains("after"))
		r.after(afterOf(str(spec, "after")));
	return r;
}

json pick(std::vector<json> & list, size_t & next)
{
	if (list.empty())
		return json{{"kind", "error"}, {"status", 500}, {"errorType", "api_error"}, {"message", "fake_upstream: nothing scripted"}};
	json j = list[std::min(next, list.size() - 1)];
	if (next < list.size())
		++next;
	return j;
}

bool matches(const Route & route, const ReceivedRequest & req)
{
	if (!route.method.empty() && route.method != req.method)
		return false;
	if (route.path.empty())
		return true;
	if (route.path.back() == '*')
		return req.path.compare(0, route.path.size() - 1, route.path, 0, route.path.size() - 1) == 0;
	return req.path == route.path;
}

void logRequest(const Server & s, const ReceivedRequest & req)
{
	if (!gLog.is_open())
		return;
	json line{{"server", s.name}, {"sequence", req.sequence}, {"index", req.index}, {"connection", req.connection},
		{"method", req.method}, {"target", req.target}, {"path", req.path}, {"query", req.query},
		{"headers", req.headers}, {"body", req.body}, {"bodyBase64", base64(req.body)},
		{"arrivalMs", std::chrono::duration_cast<std::chrono::milliseconds>(req.arrival - gStart).count()}};
	std::lock_guard<std::mutex> lock(gLogMutex);
	gLog << line.dump(-1, ' ', false, json::error_handler_t::replace) << '\n';
	gLog.flush();
}

Response respond(Server & s, const ReceivedRequest & req)
{
	logRequest(s, req);
	json spec;
	{
		std::lock_guard<std::mutex> lock(s.mutex);
		bool routed = false;
		for (auto & route : s.routes)
			if (matches(route, req))
			{
				spec = pick(route.responses, route.next);
				routed = true;
				break;
			}
		if (!routed)
		{
			if (req.method == "HEAD")
				return Response::empty(200);
			spec = pick(s.responses, s.next);
		}
	}
	return build(spec, req);
}

} // namespace

int main(int argc, char ** argv)
{
	if (argc != 2)
	{
		std::cerr << "usage: fake_upstream <scenario.json>\n";
		return 2;
	}
	std::ifstream in(argv[1]);
	std::stringstream text;
	text << in.rdbuf();
	json scenario = json::parse(text.str(), nullptr, false);
	if (!in || scenario.is_discarded() || !scenario.contains("servers"))
	{
		std::cerr << "fake_upstream: cannot read scenario " << argv[1] << "\n";
		return 2;
	}

	// Signals are taken synchronously by sigwait below; block them before any thread starts.
	sigset_t sigs;
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &sigs, nullptr);
	std::signal(SIGPIPE, SIG_IGN);

	std::string logPath = str(scenario, "requestLog");
	if (!logPath.empty())
	{
		gLog.open(logPath, std::ios::app);
		if (!gLog)
		{
			std::cerr << "fake_upstream: cannot open request log " << logPath << "\n";
			return 2;
		}
	}

	std::vector<std::unique_ptr<Server>> servers;
	for (const auto & spec : scenario["servers"])
	{
		auto s = std::make_unique<Server>();
		s->name = str(spec, "name", "server" + std::to_string(servers.size()));
		s->responses = spec.value("responses", std::vector<json>{});
		for (const auto & r : spec.value("routes", json::array()))
			s->routes.push_back(Route{str(r, "method"), str(r, "path"), r.value("responses", std::vector<json>{}), 0});
		if (spec.value("refused", false))
			s->refusedPort = FakeUpstream::refusedPort();
		else
		{
			s->upstream = std::make_unique<FakeUpstream>();
			Server * raw = s.get();
			s->upstream->setHandler([raw](const ReceivedRequest & req) { return respond(*raw, req); });
		}
		servers.push_back(std::move(s));
	}
	for (const auto & s : servers)
		std::cout << "READY " << s->name << " " << (s->upstream ? s->upstream->port() : s->refusedPort) << "\n";
	std::cout << "ALL READY" << std::endl;

	if (scenario.value("exitOnStdinEof", true))
	{
		std::thread([] {
			char buf[256];
			while (::read(STDIN_FILENO, buf, sizeof buf) > 0)
			{
			}
			::kill(::getpid(), SIGTERM);
		}).detach();
	}
	int sig = 0;
	sigwait(&sigs, &sig);
	for (auto & s : servers)
		if (s->upstream)
			s->upstream->stop();
	std::cout.flush();
	// Exit without running destructors of the detached stdin thread's world.
	std::_Exit(0);
}
