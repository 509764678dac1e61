#pragma once
#include <map>
#include <string>
#include <vector>

namespace ccc::test
{

struct RunResult
{
	int exitCode = -1; ///< the exit status; 128+signal when killed; -1 on timeout
	std::string out;   ///< standard output
	std::string err;   ///< standard error
};

/// Runs the claude-code-companion binary to completion with `args`, `input` on its standard input
/// (a pipe, so never a terminal), the variables of `env` set on top of this process's environment,
/// and `cwd` as working directory when given. stdout and stderr are captured apart.
RunResult runBinaryWithInput(const std::vector<std::string> & args, const std::string & input,
	const std::map<std::string, std::string> & env = {}, const std::string & cwd = "", int timeoutMs = 30000);

} // namespace ccc::test
