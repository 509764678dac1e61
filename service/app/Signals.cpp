#include "app/Signals.h"

#if !defined(_WIN32)
#include <cerrno>
#include <csignal>
#include <pthread.h>
#endif

namespace ccc
{

#if !defined(_WIN32)
namespace
{
sigset_t serviceSignals()
{
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGQUIT);
	sigaddset(&set, SIGHUP);
	return set;
}
} // namespace
#endif

void blockServiceSignals()
{
#if !defined(_WIN32)
	const sigset_t set = serviceSignals();
	pthread_sigmask(SIG_BLOCK, &set, nullptr);
#endif
}

int waitForStop(const std::function<void()> & onReload, const std::function<void()> & fallbackWait)
{
#if defined(_WIN32)
	(void)onReload;
	fallbackWait();
	return 0;
#else
	(void)fallbackWait;
	const sigset_t set = serviceSignals();
	for (;;)
	{
		int sig = 0;
		if (sigwait(&set, &sig) != 0)
			continue;
		if (sig == SIGHUP)
		{
			onReload();
			continue;
		}
		return sig;
	}
#endif
}

} // namespace ccc
