#include "socketpair.h"

#include <winsock2.h>
#include <ws2tcpip.h>

#include <string>

// Not built or tested on Linux; kept to the plain winsock calls the POSIX file uses.
namespace hadeck::console::detail {

Expected<SocketPair> makeSocketPair()
{
    SOCKET listener = ::socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    if (listener == INVALID_SOCKET)
        return fail("socket: error " + std::to_string(::WSAGetLastError()));
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    int len = sizeof(addr);
    SOCKET a = INVALID_SOCKET;
    SOCKET b = INVALID_SOCKET;
    auto cleanup = [&](const char* what) {
        const int err = ::WSAGetLastError();
        ::closesocket(listener);
        if (a != INVALID_SOCKET)
            ::closesocket(a);
        if (b != INVALID_SOCKET)
            ::closesocket(b);
        return fail(std::string(what) + ": error " + std::to_string(err));
    };
    if (::bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
        ::getsockname(listener, reinterpret_cast<sockaddr*>(&addr), &len) != 0 || ::listen(listener, 1) != 0)
        return cleanup("listen on loopback");
    a = ::socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    if (a == INVALID_SOCKET || ::connect(a, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0)
        return cleanup("connect on loopback");
    b = ::accept(listener, nullptr, nullptr);
    if (b == INVALID_SOCKET)
        return cleanup("accept on loopback");
    ::closesocket(listener);
    u_long nb = 1;
    ::ioctlsocket(a, FIONBIO, &nb);
    ::ioctlsocket(b, FIONBIO, &nb);
    return SocketPair{static_cast<NativeSocket>(a), static_cast<NativeSocket>(b)};
}

std::ptrdiff_t socketRead(NativeSocket s, char* buf, std::size_t len)
{
    const int n = ::recv(static_cast<SOCKET>(s), buf, static_cast<int>(len), 0);
    if (n >= 0)
        return n;
    return ::WSAGetLastError() == WSAEWOULDBLOCK ? -1 : -2;
}

std::ptrdiff_t socketWrite(NativeSocket s, const char* buf, std::size_t len)
{
    const int n = ::send(static_cast<SOCKET>(s), buf, static_cast<int>(len), 0);
    if (n >= 0)
        return n;
    return ::WSAGetLastError() == WSAEWOULDBLOCK ? -1 : -2;
}

void socketClose(NativeSocket s)
{
    if (s >= 0)
        ::closesocket(static_cast<SOCKET>(s));
}

} // namespace hadeck::console::detail
