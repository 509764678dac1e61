#pragma once
#include <string>

namespace ccc
{

/// systemd's readiness protocol (sd_notify(3)), spoken directly: one datagram with `state`
/// ("READY=1", "STOPPING=1", "RELOADING=1", "STATUS=...") to the AF_UNIX socket named by
/// $NOTIFY_SOCKET (a path, or "@name" for the abstract namespace). Written here rather than
/// linked from libsystemd so the binary and its packages need no extra library and behave the
/// same where systemd is absent. Returns true when a datagram was sent; false when
/// NOTIFY_SOCKET is unset (not started by systemd with Type=notify), on other platforms, or when
/// sending failed. Never throws.
bool sdNotify(const std::string & state);

} // namespace ccc
