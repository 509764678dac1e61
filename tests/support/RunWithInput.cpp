#include "RunWithInput.h"

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <fcntl.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

#include "ServiceProcess.h"

namespace ccc::test
{

RunResult runBinaryWithInput(const std::vector<std::string> & args, const std::string & input,
	const std::map<std::string, std::string> & env, const std::string & cwd, int timeoutMs)
{
	RunResult result;
	TempDir tmp;
	const std::string outPath = tmp.file("out"), errPath = tmp.file("err");
	int in[2];
	if (::pipe(in) != 0)
		return result;
	pid_t pid = ::fork();
	if (pid == 0)
	{
		::dup2(in[0], 0);
		::close(in[0]);
		::close(in[1]);
		int o = ::open(outPath.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
		int e = ::open(errPath.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
		::dup2(o, 1);
		::dup2(e, 2);
		for (const auto & [k, v] : env)
			::setenv(k.c_str(), v.c_str(), 1);
		if (!cwd.empty() && ::chdir(cwd.c_str()) != 0)
			::_exit(126);
		std::vector<char *> argv;
		argv.push_back(const_cast<char *>(CCC_BINARY_PATH));
		for (const auto & a : args)
			argv.push_back(const_cast<char *>(a.c_str()));
		argv.push_back(nullptr);
		::execv(CCC_BINARY_PATH, argv.data());
		::_exit(127);
	}
	::close(in[0]);
	// The child may exit before reading everything: do not die of SIGPIPE.
	struct sigaction ignore{}, old{};
	ignore.sa_handler = SIG_IGN;
	::sigaction(SIGPIPE, &ignore, &old);
	size_t done = 0;
	while (done < input.size())
	{
		ssize_t n = ::write(in[1], input.data() + done, input.size() - done);
		if (n <= 0)
			break;
		done += static_cast<size_t>(n);
	}
	::close(in[1]);
	::sigaction(SIGPIPE, &old, nullptr);
	int status = 0;
	const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
	while (::waitpid(pid, &status, WNOHANG) == 0)
	{
		if (std::chrono::steady_clock::now() > deadline)
		{
			::kill(pid, SIGKILL);
			::waitpid(pid, &status, 0);
			result.out = tmp.read("out");
			result.err = tmp.read("err") + "\n[timed out]";
			return result;
		}
		std::this_thread::sleep_for(std::chrono::milliseconds(10));
	}
	result.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	result.out = tmp.read("out");
	result.err = tmp.read("err");
	return result;
}

} // namespace ccc::test
