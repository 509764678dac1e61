#include "upstream/SimpleClient.h"

#include "upstream/ContentDecoder.h"
#include "upstream/ResponseReader.h"

namespace ccc::upstream
{

SimpleResponse simpleRequest(const std::string & urlText, const std::string & method, const std::vector<std::pair<std::string, std::string>> & headers,
	const std::string & body, const ConnectOptions & options, int64_t timeoutMs)
{
	SimpleResponse r;
	Url url;
	// parseUrl keeps the path as basePath; a query stays part of it here.
	if (!parseUrl(urlText, url))
	{
		r.error = "invalid URL: " + urlText;
		return r;
	}
	IoStatus st;
	auto conn = Connection::open(url, options, st, r.error);
	if (!conn)
		return r;
	std::string head = method + " " + (url.basePath.empty() ? "/" : url.basePath) + " HTTP/1.1\r\nHost: " + url.hostHeader()
		+ "\r\nConnection: close\r\nAccept-Encoding: gzip, deflate, br, zstd\r\nContent-Length: " + std::to_string(body.size()) + "\r\n";
	for (const auto & [k, v] : headers)
		head += k + ": " + v + "\r\n";
	head += "\r\n";
	if (conn->writeAll(head + body, timeoutMs, r.error) != IoStatus::Ok)
		return r;
	ResponseReader reader;
	if (reader.readHead(*conn, timeoutMs, -1, r.error) != IoStatus::Ok)
		return r;
	auto decoder = ContentDecoder::create(reader.header("content-encoding"), r.error);
	if (!decoder)
		return r;
	std::string raw;
	while (true)
	{
		raw.clear();
		IoStatus s = reader.readBody(*conn, raw, timeoutMs, -1, r.error);
		if (s == IoStatus::Eof)
			break;
		if (s != IoStatus::Ok)
			return r;
		if (!decoder->decode(raw, r.body, r.error))
			return r;
		if (r.body.size() > (4u << 20))
		{
			r.error = "response too large";
			return r;
		}
	}
	r.status = reader.status();
	r.error.clear();
	return r;
}

} // namespace ccc::upstream
