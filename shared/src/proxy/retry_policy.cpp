#include "ccc/proxy/retry_policy.h"

#include <cctype>
#include <cmath>
#include <cstdlib>

namespace ccc::proxy
{

const char * failureClassName(FailureClass c)
{
	switch (c)
	{
		case FailureClass::ServerError: return "server_error";
		case FailureClass::Overloaded: return "overloaded";
		case FailureClass::RateLimited: return "rate_limited";
		case FailureClass::Timeout: return "timeout";
		case FailureClass::Network: return "network";
		case FailureClass::Truncated: return "truncated";
		case FailureClass::InvalidRequest: return "invalid_request";
		case FailureClass::Auth: return "auth";
		case FailureClass::NotFound: return "not_found";
		case FailureClass::OtherStatus: return "other_status";
		case FailureClass::Validation: return "validation";
	}
	return "unknown";
}

Decision decide(FailureClass c, int attemptOnEndpoint, int maxAttempts)
{
	if (attemptOnEndpoint >= maxAttempts)
		return Decision::NextEndpoint;
	switch (c)
	{
		case FailureClass::ServerError:
		case FailureClass::Overloaded:
		case FailureClass::RateLimited:
		case FailureClass::Timeout:
		case FailureClass::Network:
		case FailureClass::Truncated: return Decision::RetrySameEndpoint;
		default: return Decision::NextEndpoint;
	}
}

bool countsAgainstEndpoint(FailureClass c)
{
	return c != FailureClass::InvalidRequest && c != FailureClass::NotFound;
}

FailureClass classifyStatus(int status)
{
	if (status == 529)
		return FailureClass::Overloaded;
	if (status == 429)
		return FailureClass::RateLimited;
	if (status == 408)
		return FailureClass::Timeout;
	if (status >= 500)
		return FailureClass::ServerError;
	if (status == 400 || status == 413 || status == 422)
		return FailureClass::InvalidRequest;
	if (status == 401 || status == 403)
		return FailureClass::Auth;
	if (status == 404)
		return FailureClass::NotFound;
	return FailureClass::OtherStatus;
}

FailureClass classifyErrorType(const std::string & t)
{
	if (t == "overloaded_error")
		return FailureClass::Overloaded;
	if (t == "rate_limit_error")
		return FailureClass::RateLimited;
	if (t == "invalid_request_error" || t == "request_too_large")
		return FailureClass::InvalidRequest;
	if (t == "authentication_error" || t == "permission_error")
		return FailureClass::Auth;
	if (t == "not_found_error")
		return FailureClass::NotFound;
	if (t == "timeout_error")
		return FailureClass::Timeout;
	return FailureClass::ServerError; // api_error and anything new
}

int64_t parseRetryAfterMs(const std::string & value)
{
	size_t i = 0;
	while (i < value.size() && std::isspace(static_cast<unsigned char>(value[i])))
		++i;
	if (i == value.size() || !std::isdigit(static_cast<unsigned char>(value[i])))
		return -1;
	char * end = nullptr;
	double secs = std::strtod(value.c_str() + i, &end);
	while (end && *end && std::isspace(static_cast<unsigned char>(*end)))
		++end;
	if (!end || *end != '\0' || secs < 0 || secs > 86400)
		return -1;
	return static_cast<int64_t>(std::llround(secs * 1000));
}

} // namespace ccc::proxy
