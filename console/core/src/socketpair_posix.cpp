#include "socketpair.h"

#include <cerrno>
#include <cstring>
#include <string>

#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

namespace hadeck::console::detail {

Expected<SocketPair> makeSocketPair()
{
    int fds[2] = {-1, -1};
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, fds) != 0)
        return fail(std::string("socketpair: ") + std::strerror(errno));
    return SocketPair{fds[0], fds[1]};
}

std::ptrdiff_t socketRead(NativeSocket s, char* buf, std::size_t len)
{
    const ssize_t n = ::recv(static_cast<int>(s), buf, len, 0);
    if (n >= 0)
        return n;
    return (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) ? -1 : -2;
}

std::ptrdiff_t socketWrite(NativeSocket s, const char* buf, std::size_t len)
{
    const ssize_t n = ::send(static_cast<int>(s), buf, len, MSG_NOSIGNAL);
    if (n >= 0)
        return n;
    return (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) ? -1 : -2;
}

void socketClose(NativeSocket s)
{
    if (s >= 0)
        ::close(static_cast<int>(s));
}

} // namespace hadeck::console::detail
