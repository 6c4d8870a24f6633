#include "hadeck/probes/proc_net_tcp.h"

#include "text_util.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <optional>

namespace hadeck::probes {

namespace {

/// "0100007F:0050" -> ("127.0.0.1", 80). The kernel prints each 32-bit word of the
/// address as it sits in memory, so reading the words back in host order restores
/// the bytes (on any endianness).
std::optional<std::pair<std::string, std::uint16_t>> endpoint(std::string_view field, int af)
{
    const auto colon = field.find(':');
    if (colon == std::string_view::npos) {
        return std::nullopt;
    }
    const auto hex = field.substr(0, colon);
    const auto port = text::number<std::uint16_t>(field.substr(colon + 1), 16);
    const std::size_t words32 = af == 6 ? 4 : 1;
    if (!port || hex.size() != words32 * 8) {
        return std::nullopt;
    }
    std::array<unsigned char, 16> bin{};
    for (std::size_t k = 0; k < words32; ++k) {
        const auto word = text::number<std::uint32_t>(hex.substr(k * 8, 8), 16);
        if (!word) {
            return std::nullopt;
        }
        std::memcpy(bin.data() + k * 4, &*word, 4);
    }
    std::array<char, INET6_ADDRSTRLEN> buf{};
    inet_ntop(af == 6 ? AF_INET6 : AF_INET, bin.data(), buf.data(), buf.size());
    return std::pair<std::string, std::uint16_t>{buf.data(), *port};
}

/// Any address text as 16 bytes, IPv4 as its IPv4-mapped IPv6 form (::ffff:a.b.c.d).
std::optional<std::array<unsigned char, 16>> mappedBytes(const std::string& address)
{
    std::array<unsigned char, 16> bin{};
    if (address.find(':') != std::string::npos) {
        if (inet_pton(AF_INET6, address.c_str(), bin.data()) != 1) {
            return std::nullopt;
        }
        return bin;
    }
    bin[10] = 0xff;
    bin[11] = 0xff;
    if (inet_pton(AF_INET, address.c_str(), bin.data() + 12) != 1) {
        return std::nullopt;
    }
    return bin;
}

} // namespace

Expected<TcpTable> parseProcNetTcp(std::string_view content, int af)
{
    const auto ls = text::lines(content);
    if (ls.empty() || text::words(ls.front()).empty() || text::words(ls.front())[0] != "sl") {
        return fail("not a /proc/net/tcp table: the first line must start with \"sl\"");
    }
    TcpTable t;
    for (std::size_t i = 1; i < ls.size(); ++i) {
        const auto w = text::words(ls[i]);
        if (w.empty()) {
            continue;
        }
        const auto local = w.size() >= 4 ? endpoint(w[1], af) : std::nullopt;
        const auto remote = w.size() >= 4 ? endpoint(w[2], af) : std::nullopt;
        const auto state = w.size() >= 4 ? text::number<int>(w[3], 16) : std::nullopt;
        if (!local || !remote || !state) {
            t.malformedLines.push_back(static_cast<int>(i + 1));
            continue;
        }
        t.sockets.push_back(TcpSocket{af, local->first, local->second, remote->first, remote->second, *state});
    }
    return t;
}

Expected<TcpTable> parseInetDiagDump(std::string_view bytes, int af, bool* done)
{
    TcpTable t;
    if (done != nullptr) {
        *done = false;
    }
    std::size_t off = 0;
    while (off + sizeof(nlmsghdr) <= bytes.size()) {
        nlmsghdr h{};
        std::memcpy(&h, bytes.data() + off, sizeof h);
        if (h.nlmsg_len < sizeof(nlmsghdr) || h.nlmsg_len > bytes.size() - off) {
            return fail("a sock_diag message is cut short (" + std::to_string(h.nlmsg_len) + " bytes at " +
                        std::to_string(off) + ")");
        }
        if (h.nlmsg_type == NLMSG_DONE) {
            if (done != nullptr) {
                *done = true;
            }
            return t;
        }
        if (h.nlmsg_type == NLMSG_ERROR) {
            int err = 0;
            if (h.nlmsg_len >= sizeof(nlmsghdr) + sizeof(int)) {
                std::memcpy(&err, bytes.data() + off + sizeof(nlmsghdr), sizeof err);
            }
            return fail(std::string("sock_diag: ") + std::strerror(err < 0 ? -err : EIO), err < 0 ? -err : EIO);
        }
        // A reply carries its request's type: SOCK_DIAG_BY_FAMILY, or TCPDIAG_GETSOCK for the
        // one-walk dump of both families.
        if (h.nlmsg_type == SOCK_DIAG_BY_FAMILY || h.nlmsg_type == TCPDIAG_GETSOCK) {
            if (h.nlmsg_len < sizeof(nlmsghdr) + sizeof(inet_diag_msg)) {
                return fail("a sock_diag message is shorter than its socket");
            }
            inet_diag_msg m{};
            std::memcpy(&m, bytes.data() + off + sizeof(nlmsghdr), sizeof m);
            // The address words as they sit in memory, as in /proc (network order).
            const int family = m.idiag_family == AF_INET6 ? 6 : m.idiag_family == AF_INET ? 4 : 0;
            const auto text = [family](const __be32* words) {
                std::array<char, INET6_ADDRSTRLEN> buf{};
                inet_ntop(family == 6 ? AF_INET6 : AF_INET, words, buf.data(), buf.size());
                return std::string(buf.data());
            };
            if (family != 0 && (af == 0 || af == family)) {
                t.sockets.push_back(TcpSocket{family, text(m.id.idiag_src), ntohs(m.id.idiag_sport),
                                              text(m.id.idiag_dst), ntohs(m.id.idiag_dport), m.idiag_state});
            }
        }
        off += NLMSG_ALIGN(h.nlmsg_len);
    }
    if (off != bytes.size() && off < bytes.size()) {
        return fail("a sock_diag reply ends inside a message header");
    }
    return t;
}

namespace {

/// Set once sock_diag has failed for TCP (a kernel without inet_diag or tcp_diag): from then on the
/// /proc tables are read. Each failed dump costs the kernel an attempt to load the module.
std::atomic<bool> g_noSockDiag{false};

// @p af 4 or 6: a SOCK_DIAG_BY_FAMILY dump of that family. @p af 0: the older TCPDIAG_GETSOCK
// request, which the kernel answers for every family (AF_UNSPEC) in one walk of its TCP hash
// table, where two family dumps walk the whole table twice.
Expected<TcpTable> sockDiagTcp(int af, std::uint32_t states = kAllTcpStates)
{
    const int fd = ::socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
    if (fd < 0) {
        return fail(std::string("sock_diag socket: ") + std::strerror(errno));
    }
    struct {
        nlmsghdr h;
        inet_diag_req_v2 r;
    } req{};
    struct {
        nlmsghdr h;
        inet_diag_req r;
    } both{};
    req.h.nlmsg_len = sizeof req;
    req.h.nlmsg_type = SOCK_DIAG_BY_FAMILY;
    req.h.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
    req.h.nlmsg_seq = 1;
    req.r.sdiag_family = af == 6 ? AF_INET6 : AF_INET;
    req.r.sdiag_protocol = IPPROTO_TCP;
    req.r.idiag_states = states; // every state by default, as /proc lists them
    both.h = req.h;
    both.h.nlmsg_len = sizeof both;
    both.h.nlmsg_type = TCPDIAG_GETSOCK;
    both.r.idiag_states = states;
    const void* message = af == 0 ? static_cast<const void*>(&both) : static_cast<const void*>(&req);
    const std::size_t length = af == 0 ? sizeof both : sizeof req;
    sockaddr_nl kernel{};
    kernel.nl_family = AF_NETLINK;
    if (::sendto(fd, message, length, 0, reinterpret_cast<sockaddr*>(&kernel), sizeof kernel) < 0) {
        const int e = errno;
        ::close(fd);
        return fail(std::string("sock_diag request: ") + std::strerror(e));
    }
    TcpTable all;
    std::array<char, 32768> buf{};
    for (;;) {
        const ssize_t n = ::recv(fd, buf.data(), buf.size(), 0);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            const int e = n < 0 ? errno : EIO;
            ::close(fd);
            return fail(std::string("sock_diag reply: ") + std::strerror(e));
        }
        bool done = false;
        auto part = parseInetDiagDump(std::string_view(buf.data(), static_cast<std::size_t>(n)), af, &done);
        if (!part) {
            ::close(fd);
            return part;
        }
        all.sockets.insert(all.sockets.end(), std::make_move_iterator(part->sockets.begin()),
                           std::make_move_iterator(part->sockets.end()));
        if (done) {
            break;
        }
    }
    ::close(fd);
    return all;
}

} // namespace

Expected<TcpTable> readTcpTable(int af)
{
    // A kernel without tcp_diag answers a dump only after trying to load the module (a modprobe
    // run on every request, seconds under emulation, with the agent's loop waiting): after one
    // failure, this family is read from /proc for the rest of the process's life.
    // One flag for both families: both are answered by the same inet_diag and tcp_diag modules.
    if (!g_noSockDiag.load(std::memory_order_relaxed)) {
        if (auto t = sockDiagTcp(af)) {
            return t;
        }
        g_noSockDiag.store(true, std::memory_order_relaxed);
    }
    const char* path = af == 6 ? "/proc/net/tcp6" : "/proc/net/tcp";
    const int fd = ::open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return fail(std::string(path) + ": " + std::strerror(errno), errno);
    }
    std::string text;
    std::array<char, 65536> buf{};
    for (;;) {
        const ssize_t n = ::read(fd, buf.data(), buf.size());
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            break;
        }
        text.append(buf.data(), static_cast<std::size_t>(n));
    }
    ::close(fd);
    return parseProcNetTcp(text, af);
}

Expected<TcpTable> readTcpSockets(std::uint32_t states)
{
    static std::atomic<bool> noOneWalk{false};
    if (!noOneWalk.load(std::memory_order_relaxed) && !g_noSockDiag.load(std::memory_order_relaxed)) {
        auto t = sockDiagTcp(0, states);
        if (t) {
            return t;
        }
        noOneWalk.store(true, std::memory_order_relaxed);
        if (t.error().code == EOPNOTSUPP) {
            // The kernel could not load inet_diag: the per-family dumps would fail the same way,
            // each after another attempt to load it.
            g_noSockDiag.store(true, std::memory_order_relaxed);
        }
    }
    auto all = readTcpTable(4);
    if (!all) {
        return all;
    }
    if (auto v6 = readTcpTable(6)) {
        all->sockets.insert(all->sockets.end(), std::make_move_iterator(v6->sockets.begin()),
                            std::make_move_iterator(v6->sockets.end()));
        all->malformedLines.insert(all->malformedLines.end(), v6->malformedLines.begin(), v6->malformedLines.end());
    } else if (v6.error().code != ENOENT) { // no /proc/net/tcp6: a kernel without IPv6
        return v6;
    }
    if (states != kAllTcpStates) {
        std::erase_if(all->sockets, [states](const TcpSocket& s) {
            return s.state < 0 || s.state >= 32 || (states & (1U << static_cast<unsigned>(s.state))) == 0;
        });
    }
    return all;
}

std::vector<TcpSocket> tcpListeners(const TcpTable& table)
{
    std::vector<TcpSocket> out;
    for (const auto& s : table.sockets) {
        if (s.state == static_cast<int>(TcpState::Listen)) {
            out.push_back(s);
        }
    }
    return out;
}

std::uint32_t countEstablishedTo(const TcpTable& table, const std::string& address, std::uint16_t port)
{
    // Compare addresses as bytes: "::0001" and "::1" are the same address, and an IPv4
    // address is also ::ffff:a.b.c.d on a dual-stack socket (Apache's plain `Listen 80`
    // on a host with IPv6 puts every IPv4 connection in /proc/net/tcp6 that way).
    const auto want = mappedBytes(address);
    if (!want) {
        return 0;
    }
    std::uint32_t n = 0;
    for (const auto& s : table.sockets) {
        if (s.state == static_cast<int>(TcpState::Established) && s.localPort == port &&
            mappedBytes(s.localAddress) == want) {
            ++n;
        }
    }
    return n;
}

} // namespace hadeck::probes
