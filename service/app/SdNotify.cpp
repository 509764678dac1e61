#include "app/SdNotify.h"

#include <cstddef>
#include <cstdlib>
#include <cstring>

#if !defined(_WIN32)
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#endif

namespace ccc
{

bool sdNotify(const std::string & state)
{
#if defined(_WIN32)
	(void)state;
	return false;
#else
	const char * name = std::getenv("NOTIFY_SOCKET");
	if (name == nullptr || name[0] == '\0')
		return false;
	const size_t len = std::strlen(name);
	sockaddr_un addr{};
	addr.sun_family = AF_UNIX;
	if ((name[0] != '/' && name[0] != '@') || len >= sizeof(addr.sun_path))
		return false;
	std::memcpy(addr.sun_path, name, len);
	if (name[0] == '@')
		addr.sun_path[0] = '\0'; // abstract namespace
	const int fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return false;
	const socklen_t addrLen = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + len);
	const ssize_t sent = ::sendto(fd, state.data(), state.size(), MSG_NOSIGNAL, reinterpret_cast<const sockaddr *>(&addr), addrLen);
	::close(fd);
	return sent == static_cast<ssize_t>(state.size());
#endif
}

} // namespace ccc
