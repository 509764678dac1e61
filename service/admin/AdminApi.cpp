#include "admin/AdminApi.h"

#include "admin/ConfigApi.h"
#include "admin/LogsApi.h"
#include "admin/TaggerTryApi.h"

namespace ccc::admin
{

Poco::Net::HTTPRequestHandler * makeAdminApiHandler(const Poco::Net::HTTPServerRequest & request, const ServiceContext & ctx)
{
	if (auto * h = makeLogsApiHandler(request, ctx))
		return h;
	if (auto * h = makeTaggerTryHandler(request, ctx))
		return h;
	if (auto * h = makeConfigApiHandler(request, ctx))
		return h;
	return nullptr;
}

} // namespace ccc::admin
