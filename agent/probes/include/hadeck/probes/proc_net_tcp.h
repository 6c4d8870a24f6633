#pragma once

// The kernel's TCP socket tables, /proc/net/tcp and /proc/net/tcp6, as a pure parser
// and the two questions the agent asks of them: who listens (the LVS-DR check), and
// how many connections are established to VIP:port (a drain, from the real server's
// own side, since in LVS-DR the director never sees the replies).

#include "hadeck/protocol/expected.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace hadeck::probes {

/// The kernel's TCP states as /proc prints them (hex): include/net/tcp_states.h.
enum class TcpState : int { Established = 0x01, TimeWait = 0x06, CloseWait = 0x08, Listen = 0x0A };

struct TcpSocket {
    int af = 4;
    std::string localAddress; // text form: "198.18.0.100", "::1"
    std::uint16_t localPort = 0;
    std::string remoteAddress;
    std::uint16_t remotePort = 0;
    int state = 0; // TcpState values, and the others the kernel has
};

struct TcpTable {
    std::vector<TcpSocket> sockets;
    std::vector<int> malformedLines; // 1-based line numbers that did not parse
};

/**
 * Parses /proc/net/tcp (@p af 4) or /proc/net/tcp6 (@p af 6). A text without the "sl"
 * header line is an error; lines that do not parse are listed, not fatal, so each query
 * decides how strict to be.
 */
Expected<TcpTable> parseProcNetTcp(std::string_view text, int af);

/**
 * Parses the reply of a NETLINK_SOCK_DIAG dump of TCP sockets (inet_diag, the interface `ss`
 * uses): netlink messages, each an inet_diag_msg, up to NLMSG_DONE. The same sockets as
 * parseProcNetTcp() gives for that family; @p af 0 keeps every family (the reply to the one-walk
 * TCPDIAG_GETSOCK request of readTcpSockets()). A message too short for its header, or an
 * NLMSG_ERROR, is an error; @p done tells whether NLMSG_DONE was seen (a dump may take
 * several reads).
 */
Expected<TcpTable> parseInetDiagDump(std::string_view bytes, int af, bool* done = nullptr);

/**
 * The TCP sockets of this network namespace for @p af (4 or 6): one sock_diag dump, or
 * /proc/net/tcp{,6} when that fails. The /proc files restart their walk of the kernel's whole
 * established-socket hash table (shared by every namespace: 262144 buckets on a 24 GiB host)
 * at each read(), which took 8 ms per file on a loaded host against 0.5 ms for the dump.
 */
Expected<TcpTable> readTcpTable(int af);

/// Bit masks of TCP states (1 << state) for readTcpSockets(): every state, or LISTEN only.
inline constexpr std::uint32_t kAllTcpStates = ~0U;
inline constexpr std::uint32_t kTcpListenOnly = 1U << static_cast<int>(TcpState::Listen);

/**
 * The TCP sockets of this network namespace in @p states, IPv4 and IPv6, from one sock_diag
 * dump: one walk of the kernel's hash table where readTcpTable(4) and readTcpTable(6) make two.
 * Any state but LISTEN makes the kernel walk its whole established-socket hash table, whatever
 * this namespace holds (4.7 ms of CPU per dump on a 24 GiB host, most of a real server's agent
 * CPU at one dump a second); kTcpListenOnly walks only the listeners' table (0.05 ms). Falls
 * back to readTcpTable() for each family. No IPv6 in the kernel is not an error.
 */
Expected<TcpTable> readTcpSockets(std::uint32_t states = kAllTcpStates);

/// Sockets in LISTEN, as (af, local address, port).
std::vector<TcpSocket> tcpListeners(const TcpTable& table);

/// ESTABLISHED sockets whose local end is @p address (any text form) : @p port. An IPv4
/// address also matches its IPv4-mapped form (::ffff:a.b.c.d) of a dual-stack socket in tcp6.
std::uint32_t countEstablishedTo(const TcpTable& table, const std::string& address, std::uint16_t port);

} // namespace hadeck::probes
