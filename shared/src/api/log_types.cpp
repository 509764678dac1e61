#include "ccc/api/log_types.h"

namespace ccc::api
{

namespace
{
const char * const kNames[] = {"success", "upstream_error", "validation_failed", "network", "timeout", "client_cancelled",
	"skipped_open_breaker", "rejected"};
}

const char * outcomeName(Outcome o)
{
	return kNames[static_cast<int>(o)];
}

bool outcomeFromName(const std::string & name, Outcome & out)
{
	for (int i = 0; i < static_cast<int>(sizeof(kNames) / sizeof(kNames[0])); ++i)
		if (name == kNames[i])
		{
			out = static_cast<Outcome>(i);
			return true;
		}
	return false;
}

} // namespace ccc::api
