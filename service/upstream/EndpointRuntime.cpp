#include "upstream/EndpointRuntime.h"

#include "ccc/util/sha256.h"

namespace ccc::upstream
{

std::string runtimeIdentity(const config::Endpoint & e)
{
	std::string key = e.url + "\n" + e.endpoint_type + "\n" + e.path_prefix + "\n" + e.auth_type + "\n" + e.auth_value;
	if (e.proxy)
		key += "\n" + e.proxy->type + "\n" + e.proxy->address + "\n" + e.proxy->username + "\n" + e.proxy->password;
	// OAuth tokens are left out: the service refreshes them itself and saves them back, and that
	// must not reset the endpoint's breaker, pool or the refreshed token.
	if (e.oauth_config)
		key += "\n" + e.oauth_config->token_url + "\n" + e.oauth_config->client_id;
	// Hashed so secrets never sit in a plain string that might be logged.
	return util::sha256Hex(key);
}

} // namespace ccc::upstream
