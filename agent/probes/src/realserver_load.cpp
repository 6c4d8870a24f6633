#include "hadeck/probes/realserver_load.h"

#include "hadeck/probes/proc_net_tcp.h"

#include <algorithm>
#include <array>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstring>
#include <sstream>

#include <arpa/inet.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace hadeck::probes {

Expected<std::uint32_t> countEstablished(std::string_view text, const std::string& address, std::uint16_t port)
{
    const bool v6 = address.find(':') != std::string::npos;
    std::array<unsigned char, 16> raw{};
    if (::inet_pton(v6 ? AF_INET6 : AF_INET, address.c_str(), raw.data()) != 1) {
        return fail("not an IP address: " + address);
    }
    auto table = probes::parseProcNetTcp(text, v6 ? 6 : 4);
    if (!table) {
        return Unexpected<Failure>{table.error()};
    }
    return probes::countEstablishedTo(*table, address, port);
}

Expected<std::uint32_t> countEstablished(std::string_view procNetTcp, std::string_view procNetTcp6,
                                         const std::string& address, std::uint16_t port)
{
    const bool v6 = address.find(':') != std::string::npos;
    std::array<unsigned char, 16> raw{};
    if (::inet_pton(v6 ? AF_INET6 : AF_INET, address.c_str(), raw.data()) != 1) {
        return fail("not an IP address: " + address);
    }
    std::uint32_t n = 0;
    if (!v6) {
        auto table = probes::parseProcNetTcp(procNetTcp, 4);
        if (!table) {
            return Unexpected<Failure>{table.error()};
        }
        n += probes::countEstablishedTo(*table, address, port);
    }
    if (procNetTcp6.empty()) {
        return n; // a kernel without IPv6
    }
    auto table = probes::parseProcNetTcp(procNetTcp6, 6);
    if (!table) {
        return Unexpected<Failure>{table.error()};
    }
    return n + probes::countEstablishedTo(*table, address, port);
}

Expected<std::string> httpGet(const std::string& host, std::uint16_t port, const std::string& path, int timeoutMs)
{
    addrinfo hints{};
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV;
    addrinfo* res = nullptr;
    const std::string portText = std::to_string(port);
    if (::getaddrinfo(host.c_str(), portText.c_str(), &hints, &res) != 0 || !res) {
        return fail("not a numeric address: " + host);
    }
    const int fd = ::socket(res->ai_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0) {
        ::freeaddrinfo(res);
        return fail(std::string("socket: ") + std::strerror(errno));
    }
    struct Closer {
        int fd;
        ~Closer() { ::close(fd); }
    } closer{fd};
    const int rc = ::connect(fd, res->ai_addr, res->ai_addrlen);
    ::freeaddrinfo(res);
    const std::string where = host + ":" + portText;
    // One deadline for the whole exchange: a server that trickles a byte at a
    // time must not restart the clock on each poll.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
    auto waitFor = [&](short events) {
        for (;;) {
            const auto left =
                std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
            if (left.count() <= 0) {
                return false;
            }
            pollfd p{fd, events, 0};
            const int r = ::poll(&p, 1, static_cast<int>(left.count()));
            if (r < 0 && errno == EINTR) {
                continue;
            }
            return r == 1;
        }
    };
    if (rc != 0 && errno != EINPROGRESS) {
        return fail("cannot connect to " + where + ": " + std::strerror(errno));
    }
    int soError = 0;
    socklen_t len = sizeof soError;
    if (!waitFor(POLLOUT) || ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &soError, &len) != 0 || soError != 0) {
        return fail("cannot connect to " + where + ": " + (soError ? std::strerror(soError) : "timed out"));
    }
    const std::string request = "GET " + path + " HTTP/1.0\r\nHost: " + host + "\r\nUser-Agent: hadeck-agent\r\n\r\n";
    if (::send(fd, request.data(), request.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(request.size())) {
        return fail("cannot send to " + where);
    }
    std::string response;
    char buf[8192];
    constexpr std::size_t kMaxResponse = 1U << 20;
    while (response.size() < kMaxResponse) {
        if (!waitFor(POLLIN)) {
            return fail("no answer from " + where + " within " + std::to_string(timeoutMs) + " ms");
        }
        const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
        if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
            continue;
        }
        if (n <= 0) {
            break;
        }
        response.append(buf, static_cast<std::size_t>(n));
    }
    const std::size_t bodyAt = response.find("\r\n\r\n");
    if (response.rfind("HTTP/", 0) != 0 || bodyAt == std::string::npos) {
        return fail("not an HTTP answer from " + where);
    }
    const std::size_t sp = response.find(' ');
    const std::string status = response.substr(sp + 1, 3);
    if (status != "200") {
        return fail("http://" + where + path + " answered " + response.substr(sp + 1, response.find('\r') - sp - 1));
    }
    return response.substr(bodyAt + 4);
}

} // namespace hadeck::probes
