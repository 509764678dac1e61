#include "http/Responses.h"

namespace ccc::http
{

namespace
{
void sendJsonText(Poco::Net::HTTPServerResponse & response, Poco::Net::HTTPResponse::HTTPStatus status, const std::string & text)
{
	response.setStatus(status);
	response.setContentType("application/json; charset=utf-8");
	response.setContentLength(static_cast<std::streamsize>(text.size()));
	response.set("Cache-Control", "no-store");
	response.send() << text;
}
} // namespace

void sendJson(Poco::Net::HTTPServerResponse & response, Poco::Net::HTTPResponse::HTTPStatus status, const nlohmann::json & body)
{
	sendJsonText(response, status, body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

void sendJson(Poco::Net::HTTPServerResponse & response, Poco::Net::HTTPResponse::HTTPStatus status, const nlohmann::ordered_json & body)
{
	sendJsonText(response, status, body.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace));
}

std::string anthropicErrorBody(const std::string & type, const std::string & message)
{
	nlohmann::json body = {{"type", "error"}, {"error", {{"type", type}, {"message", message}}}};
	return body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void sendAnthropicError(Poco::Net::HTTPServerResponse & response, int status, const std::string & type, const std::string & message)
{
	const std::string text = anthropicErrorBody(type, message);
	response.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status));
	response.setContentType("application/json");
	response.setContentLength(static_cast<std::streamsize>(text.size()));
	response.send() << text;
}

void sendAdminError(Poco::Net::HTTPServerResponse & response, int status, const std::string & message, const std::string & keyPath)
{
	nlohmann::json body = {{"error", message}};
	if (!keyPath.empty())
		body["path"] = keyPath;
	sendJson(response, static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status), body);
}

std::string htmlEscape(const std::string & s)
{
	std::string out;
	for (char c : s)
		switch (c)
		{
			case '<': out += "&lt;"; break;
			case '>': out += "&gt;"; break;
			case '&': out += "&amp;"; break;
			case '"': out += "&quot;"; break;
			case '\'': out += "&#39;"; break;
			default: out += c;
		}
	return out;
}

} // namespace ccc::http
