#include "admin/StaticAssets.h"

#include <fstream>
#include <sstream>

#include <Poco/DeflatingStream.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include "ccc/util/sha256.h"
#include "http/Responses.h"

namespace ccc::admin
{

namespace
{

std::string mimeFor(const std::string & name)
{
	auto ends = [&](const char * ext) {
		size_t n = std::char_traits<char>::length(ext);
		return name.size() >= n && name.compare(name.size() - n, n, ext) == 0;
	};
	if (ends(".html"))
		return "text/html; charset=utf-8";
	if (ends(".js"))
		return "text/javascript; charset=utf-8";
	if (ends(".wasm"))
		return "application/wasm";
	if (ends(".css"))
		return "text/css; charset=utf-8";
	if (ends(".json"))
		return "application/json";
	if (ends(".png"))
		return "image/png";
	if (ends(".svg"))
		return "image/svg+xml";
	if (ends(".ttf") || ends(".otf"))
		return "font/ttf";
	if (ends(".woff2"))
		return "font/woff2";
	if (ends(".ico"))
		return "image/x-icon";
	return "application/octet-stream";
}

bool safeName(const std::string & rel)
{
	if (rel.empty() || rel.size() > 200 || rel.find("..") != std::string::npos || rel.front() == '/')
		return false;
	for (char c : rel)
		if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_' || c == '/'))
			return false;
	return true;
}

class AssetHandler : public Poco::Net::HTTPRequestHandler
{
public:
	explicit AssetHandler(std::shared_ptr<const StaticAssets::Asset> asset) : _asset(std::move(asset)) { }

	void handleRequest(Poco::Net::HTTPServerRequest & request, Poco::Net::HTTPServerResponse & response) override
	{
		if (!_asset)
		{
			http::sendAdminError(response, 404, "no such admin file");
			return;
		}
		response.set("ETag", _asset->etag);
		// Revalidate every time: cheap with the ETag, and a new build is picked up at once.
		response.set("Cache-Control", "no-cache");
		response.set("X-Content-Type-Options", "nosniff");
		if (request.get("If-None-Match", "") == _asset->etag)
		{
			response.setStatus(Poco::Net::HTTPResponse::HTTP_NOT_MODIFIED);
			response.setContentLength(0);
			response.send();
			return;
		}
		response.setContentType(_asset->contentType);
		response.set("Vary", "Accept-Encoding");
		const bool gzip = !_asset->gzipped.empty() && request.get("Accept-Encoding", "").find("gzip") != std::string::npos;
		const std::string & body = gzip ? _asset->gzipped : _asset->body;
		if (gzip)
			response.set("Content-Encoding", "gzip");
		response.setContentLength(static_cast<std::streamsize>(body.size()));
		if (request.getMethod() == Poco::Net::HTTPRequest::HTTP_HEAD)
			response.send();
		else
			response.send().write(body.data(), static_cast<std::streamsize>(body.size()));
	}

private:
	std::shared_ptr<const StaticAssets::Asset> _asset;
};

} // namespace

StaticAssets::StaticAssets(std::string directory) : _dir(std::move(directory))
{
}

std::shared_ptr<const StaticAssets::Asset> StaticAssets::find(const std::string & relativeIn)
{
	const std::string relative = relativeIn.empty() ? "index.html" : relativeIn;
	if (!safeName(relative))
		return nullptr;
	std::lock_guard<std::mutex> lock(_mutex);
	auto it = _cache.find(relative);
	if (it != _cache.end())
		return it->second;
	std::ifstream in(_dir + "/" + relative, std::ios::binary);
	if (!in)
		return nullptr;
	std::stringstream buf;
	buf << in.rdbuf();
	auto asset = std::make_shared<Asset>();
	asset->body = buf.str();
	asset->contentType = mimeFor(relative);
	asset->etag = "\"" + util::sha256Hex(asset->body).substr(0, 20) + "\"";
	if (asset->contentType.rfind("image/png", 0) != 0 && asset->contentType != "font/woff2")
	{
		std::ostringstream gz;
		{
			Poco::DeflatingOutputStream deflater(gz, Poco::DeflatingStreamBuf::STREAM_GZIP, 9);
			deflater.write(asset->body.data(), static_cast<std::streamsize>(asset->body.size()));
			deflater.close();
		}
		if (gz.str().size() < asset->body.size())
			asset->gzipped = gz.str();
	}
	_cache.emplace(relative, asset);
	return asset;
}

Poco::Net::HTTPRequestHandler * StaticAssets::makeHandler(const std::string & relative)
{
	return new AssetHandler(find(relative));
}

} // namespace ccc::admin
