#pragma once

// A connected pair of stream sockets for the jump-host relay: libssh runs the
// target's session over one end (SSH_OPTIONS_FD), and the console pumps bytes
// between the other end and the jump session's direct-tcpip channel.
// POSIX: socketpair(AF_UNIX). Windows: libssh wants a SOCKET, so a loopback TCP
// pair (listen on 127.0.0.1:0, connect, accept, close the listener).

#include <hadeck/protocol/expected.h>

#include <cstddef>
#include <cstdint>

namespace hadeck::console::detail {

using NativeSocket = std::intptr_t;

struct SocketPair {
    NativeSocket console = -1; ///< end the console pumps
    NativeSocket session = -1; ///< end handed to libssh (it closes it)
};

/// Both ends non-blocking.
Expected<SocketPair> makeSocketPair();
/// > 0 bytes, 0 on end of stream, -1 would block, -2 error.
std::ptrdiff_t socketRead(NativeSocket s, char* buf, std::size_t len);
/// >= 0 bytes written, -1 would block, -2 error.
std::ptrdiff_t socketWrite(NativeSocket s, const char* buf, std::size_t len);
void socketClose(NativeSocket s);

} // namespace hadeck::console::detail
