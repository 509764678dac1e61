#pragma once
#include <functional>

namespace ccc
{

/// How the foreground service process waits for its end.
///
/// On Unix, blockServiceSignals() must run before any thread is started: SIGTERM, SIGINT,
/// SIGQUIT and SIGHUP are then blocked in every thread (new threads inherit the mask), so none
/// of them can kill the process from a worker thread, and waitForStop() takes them one by one
/// with sigwait. SIGHUP calls `onReload` and keeps waiting; the others return. (POCO's
/// waitForTerminationRequest does not handle SIGHUP, whose default action would end the
/// process.) On Windows the service control manager and Ctrl+C end the wait through
/// `fallbackWait` (ServerApplication::waitForTerminationRequest); `onReload` is never called.
void blockServiceSignals();

/// Returns the number of the signal that ended the wait (0 on Windows).
int waitForStop(const std::function<void()> & onReload, const std::function<void()> & fallbackWait);

} // namespace ccc
