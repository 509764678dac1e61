#pragma once
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

namespace ccc::bench
{

/// The captured 76 KB Claude Code request (tests/data/claude-code/messages-request.json) under
/// `dataDir`; empty, with a message on stderr, when it cannot be read.
inline std::string readClaudeCodeRequest(const std::string & dataDir)
{
	const std::string path = dataDir + "/claude-code/messages-request.json";
	std::ifstream in(path, std::ios::binary);
	if (!in)
	{
		std::fprintf(stderr, "cannot read %s\n", path.c_str());
		return {};
	}
	std::stringstream ss;
	ss << in.rdbuf();
	return ss.str();
}

} // namespace ccc::bench
