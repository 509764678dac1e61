#pragma once
#include <string>

#include <Poco/Net/HTTPServerResponse.h>
#include <nlohmann/json.hpp>

namespace ccc::http
{

/// Sends a JSON body with the given status (Content-Type application/json; charset=utf-8).
void sendJson(Poco::Net::HTTPServerResponse & response, Poco::Net::HTTPResponse::HTTPStatus status, const nlohmann::json & body);

/// Sends `{"type":"error","error":{"type":type,"message":message}}`, the shape Anthropic's API
/// and every Anthropic SDK understand. `type` is one of Anthropic's error types
/// (invalid_request_error, authentication_error, permission_error, not_found_error,
/// request_too_large, rate_limit_error, api_error, overloaded_error).
void sendAnthropicError(Poco::Net::HTTPServerResponse & response, int status, const std::string & type, const std::string & message);

/// The Anthropic error body as a string (also used for in-band SSE `event: error`).
std::string anthropicErrorBody(const std::string & type, const std::string & message);

/// Sends the admin API's error shape: {"error": message[, "path": keyPath]}.
void sendAdminError(Poco::Net::HTTPServerResponse & response, int status, const std::string & message, const std::string & keyPath = "");

/// Text made safe inside HTML element content and quoted attribute values (< > & " ').
std::string htmlEscape(const std::string & s);

} // namespace ccc::http
