#include "bridge.h"

#include "hadeck/protocol/jsonrpc.h"

#include <array>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <string>

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

namespace hadeck::agent {

namespace {

bool writeAll(int fd, const char* data, std::size_t size)
{
    while (size > 0) {
        const ssize_t n = ::write(fd, data, size);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            if (errno == EAGAIN) {
                pollfd p{fd, POLLOUT, 0};
                ::poll(&p, 1, -1);
                continue;
            }
            return false;
        }
        data += n;
        size -= static_cast<std::size_t>(n);
    }
    return true;
}

// The console reads stdout as JSON-RPC; a failure to reach the agent is told
// there too, so it can show why, as well as on stderr for a human.
int reportUnreachable(const std::string& message)
{
    const std::string line =
        rpc::encode(rpc::makeError(nullptr, rpc::Unavailable, message, rpc::Json{{"transport", "bridge"}})) + "\n";
    writeAll(STDOUT_FILENO, line.data(), line.size());
    std::fprintf(stderr, "hadeck-agent --bridge: %s\n", message.c_str());
    return 1;
}

} // namespace

int runBridge(const std::filesystem::path& socketPath)
{
    ::signal(SIGPIPE, SIG_IGN);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    if (socketPath.native().size() >= sizeof addr.sun_path) {
        return reportUnreachable("socket path too long: " + socketPath.string());
    }
    std::memcpy(addr.sun_path, socketPath.c_str(), socketPath.native().size() + 1);
    const int sock = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (sock < 0 || ::connect(sock, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) < 0) {
        const int err = errno;
        std::string message = "cannot reach the agent at " + socketPath.string() + ": " + std::strerror(err);
        if (err == EACCES) {
            message += " (is this user in the unix group \"hadeck\"?)";
        } else if (err == ENOENT || err == ECONNREFUSED) {
            message += " (is hadeck-agent running?)";
        }
        return reportUnreachable(message);
    }

    std::array<char, 65536> buffer{};
    bool inputOpen = true;
    for (;;) {
        std::array<pollfd, 2> fds{{{sock, POLLIN, 0}, {inputOpen ? STDIN_FILENO : -1, POLLIN, 0}}};
        if (::poll(fds.data(), fds.size(), -1) < 0) {
            if (errno == EINTR) {
                continue;
            }
            break;
        }
        if ((fds[0].revents & (POLLIN | POLLHUP | POLLERR)) != 0) {
            const ssize_t n = ::read(sock, buffer.data(), buffer.size());
            if (n < 0 && errno == EINTR) {
                continue;
            }
            if (n <= 0) {
                break; // the agent closed: nothing more will come
            }
            if (!writeAll(STDOUT_FILENO, buffer.data(), static_cast<std::size_t>(n))) {
                break; // the SSH channel is gone
            }
        }
        if (inputOpen && (fds[1].revents & (POLLIN | POLLHUP | POLLERR)) != 0) {
            const ssize_t n = ::read(STDIN_FILENO, buffer.data(), buffer.size());
            if (n < 0 && errno == EINTR) {
                continue;
            }
            if (n <= 0) {
                // The console is done sending; keep relaying the answers still due.
                inputOpen = false;
                ::shutdown(sock, SHUT_WR);
            } else if (!writeAll(sock, buffer.data(), static_cast<std::size_t>(n))) {
                break;
            }
        }
    }
    ::close(sock);
    return 0;
}

} // namespace hadeck::agent
