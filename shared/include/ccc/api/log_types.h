#pragma once
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "ccc/anthropic/usage.h"

/// The request log's record types, shared by the proxy (which fills them), the log store (which
/// persists them) and the admin UI (which shows them).
namespace ccc::api
{

/// How one attempt (or a whole request) ended. Stored as its name (outcomeName).
enum class Outcome
{
	Success,            ///< a valid response reached the client
	UpstreamError,      ///< the upstream answered non-2xx, or 2xx carrying an error
	ValidationFailed,   ///< the upstream's response broke the protocol (malformed, fake usage, truncated)
	Network,            ///< connect/TLS/reset/refused
	Timeout,            ///< connect, first-byte or idle timeout
	ClientCancelled,    ///< the client went away; does not count against the endpoint
	SkippedOpenBreaker, ///< not tried: the endpoint's circuit breaker was open
	Rejected            ///< the request never reached an upstream (bad request, no endpoint for its tags)
};

const char * outcomeName(Outcome o);
bool outcomeFromName(const std::string & name, Outcome & out);

using HeaderList = std::vector<std::pair<std::string, std::string>>;

/// A captured body: the first `bytes` of it and its full size. The proxy captures up to the
/// configured cap; the store applies the none/truncated/full policy and redaction.
struct CapturedBody
{
	std::string bytes;
	int64_t totalSize = 0;
	bool truncated() const { return static_cast<int64_t>(bytes.size()) < totalSize; }
};

struct AttemptRecord
{
	int attempt_number = 1;        ///< 1-based across the whole request
	std::string endpoint_id;       ///< stable id (config::endpointId)
	std::string endpoint_name;
	std::string endpoint_url;      ///< the full upstream URL requested
	int64_t started_at_ms = 0;     ///< unix epoch ms
	int64_t duration_ms = 0;
	int64_t ttfb_ms = -1;          ///< time to the upstream's first response byte; -1 if none
	int status = 0;                ///< upstream HTTP status; 0 if none
	Outcome outcome = Outcome::Success;
	std::string error;
	bool streaming = false;
	std::string content_type_override; ///< e.g. "json->sse" when the upstream lied about Content-Type
	std::string model_sent;
	HeaderList request_headers;    ///< what went upstream (credentials included: the store redacts)
	CapturedBody request_body;     ///< what went upstream (after rewrite/conversion)
	/// The client's request body went upstream unchanged: request_body holds only its size (the
	/// log stores the client's once). The proxy knows without comparing 76 KB per attempt.
	bool request_body_same_as_client = false;
	HeaderList response_headers;   ///< what the upstream returned
	CapturedBody response_body;    ///< what the upstream returned (decoded)
	anthropic::Usage usage;
};

struct RequestRecord
{
	std::string request_id;
	int64_t started_at_ms = 0;
	int64_t duration_ms = 0;
	int64_t ttfb_ms = -1;          ///< time to the first byte sent to the client
	std::string method;
	std::string path;              ///< with query
	int status = 0;                ///< status the client received
	Outcome outcome = Outcome::Success;
	std::string error;
	bool streaming = false;
	std::vector<std::string> tags;
	std::string model_requested;
	std::string thinking_type;
	int64_t thinking_budget = -1;
	std::string session_id;
	std::string user_agent;
	std::string final_endpoint_id;  ///< the endpoint that served it (empty if none)
	std::string final_endpoint_name;
	HeaderList client_request_headers;
	CapturedBody client_request_body;
	HeaderList client_response_headers;
	CapturedBody client_response_body;
	anthropic::Usage usage;
	double cost_usd = 0;
	std::vector<AttemptRecord> attempts;
};

} // namespace ccc::api
