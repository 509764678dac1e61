#include "ccc/config/diagnostic.h"

#include <algorithm>

namespace ccc::config
{

std::string Diagnostic::toString() const
{
	std::string out;
	if (!path.empty())
	{
		out += path;
		out += ": ";
	}
	out += message;
	return out;
}

bool hasErrors(const Diagnostics & diags)
{
	return countErrors(diags) > 0;
}

size_t countErrors(const Diagnostics & diags)
{
	return static_cast<size_t>(
		std::count_if(diags.begin(), diags.end(), [](const Diagnostic & d) { return d.severity == Severity::Error; }));
}

} // namespace ccc::config
