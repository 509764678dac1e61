#pragma once
#include <functional>
#include <memory>
#include <string>

#include "ccc/api/log_types.h"
#include "ccc/proxy/retry_policy.h"
#include "proxy/Adapters.h"
#include "proxy/ClientWriter.h"
#include "upstream/Connection.h"
#include "upstream/EndpointRuntime.h"
#include "upstream/Url.h"

namespace ccc::proxy
{

/// What kind of API call this is; decides how a 2xx response is validated.
enum class CallKind
{
	Messages,    ///< POST /v1/messages: full Anthropic message / stream validation
	CountTokens, ///< POST /v1/messages/count_tokens: {"input_tokens": N}
	Other        ///< anything else under /v1: status-based failover only, body passed through
};

/// One request as it goes to one upstream.
struct UpstreamRequest
{
	upstream::Url url;
	std::string target; ///< path and query, e.g. /api/anthropic/v1/messages?beta=true
	std::string method;
	api::HeaderList headers;
	/// Shared with the client request when nothing had to change: no copy of a 100 KB body per
	/// endpoint tried or per open stream.
	std::shared_ptr<const std::string> body;
	std::string poolKey;
	upstream::ConnectOptions connect;
};

struct AttemptSettings
{
	CallKind kind = CallKind::Messages;
	bool clientWantsStream = false;
	int64_t firstByteTimeoutMs = 60000;
	int64_t idleTimeoutMs = 300000;
	int64_t idleConnectionMs = 90000;
	int cancelFd = -1;            ///< the client's socket, watched while we wait
	std::string requestedModel;   ///< what the client asked for (reported back)
	std::string sentModel;        ///< what went upstream (after rewrite)
	size_t captureLimit = 1 << 20;        ///< bytes of the upstream's response kept for the log
	size_t requestCaptureLimit = 1 << 20; ///< bytes of the request kept for the log
	/// The client's body: when the upstream gets this very string (nothing rewritten), the log
	/// is told so instead of getting a second copy to compare (see AttemptRecord).
	const std::string * clientBody = nullptr;
	/// Builds the stream adapter for an SSE response (Anthropic pass-through when null).
	std::function<std::unique_ptr<StreamAdapter>()> makeStreamAdapter;
	/// Converts a JSON response (identity when null).
	std::function<std::unique_ptr<BodyAdapter>()> makeBodyAdapter;
	/// Used for a 2xx SSE response when the endpoint is OpenAI-compatible: the upstream's lack of
	/// Anthropic framing is not a violation; the converted events are validated instead.
	bool convertsResponse = false;
};

struct AttemptResult
{
	api::Outcome outcome = api::Outcome::Success;
	FailureClass failure = FailureClass::ServerError; ///< meaningful when outcome is not Success
	std::string error;
	int status = 0;
	bool committed = false;     ///< the client received (part of) this attempt's response
	int64_t retryAfterMs = -1;
	std::string upstreamBody;   ///< decoded error body (passed to the client for invalid requests)
	std::string upstreamContentType;
	bool success() const { return outcome == api::Outcome::Success; }
};

/// Runs one attempt: connect (or reuse a pooled connection), send, read the response as it
/// arrives, validate it, and forward it to the client once it has proven itself. Fills `record`
/// with what was sent and received.
AttemptResult runAttempt(upstream::EndpointRuntime & runtime, const UpstreamRequest & request, const AttemptSettings & settings,
	ClientWriter & client, api::AttemptRecord & record);

} // namespace ccc::proxy
