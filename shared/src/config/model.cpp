#include "ccc/config/model.h"

#include "ccc/util/sha256.h"

namespace ccc::config
{

std::string derivedEndpointId(const std::string & name)
{
	auto digest = util::sha256(name);
	return "ep-name-" + util::toHex(digest.data(), 12);
}

std::string endpointId(const Endpoint & e)
{
	return e.id.empty() ? derivedEndpointId(e.name) : e.id;
}

std::string joinUrl(const std::string & base, const std::string & path)
{
	std::string b = base;
	while (!b.empty() && b.back() == '/')
		b.pop_back();
	if (path.empty())
		return b;
	return path.front() == '/' ? b + path : b + "/" + path;
}

} // namespace ccc::config
