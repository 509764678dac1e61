#pragma once
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include <Poco/Net/HTTPRequestHandler.h>

namespace ccc::admin
{

/// The admin UI's files (index.html, admin.js, admin.wasm, fonts), read once from a directory and
/// served from memory with the right MIME type, an ETag, and gzip when the browser accepts it.
class StaticAssets
{
public:
	explicit StaticAssets(std::string directory);

	struct Asset
	{
		std::string body;
		std::string gzipped; ///< empty when compression does not pay (already compressed data)
		std::string contentType;
		std::string etag;
	};

	/// The asset for a path relative to /admin/ ("" means index.html); null when absent.
	std::shared_ptr<const Asset> find(const std::string & relative);

	/// A handler serving GET/HEAD for /admin/<file>.
	Poco::Net::HTTPRequestHandler * makeHandler(const std::string & relative);

	const std::string & directory() const { return _dir; }

private:
	std::string _dir;
	std::mutex _mutex;
	std::map<std::string, std::shared_ptr<const Asset>> _cache;
};

} // namespace ccc::admin
