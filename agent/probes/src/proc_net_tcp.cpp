#include "hadeck/probes/proc_net_tcp.h"

#include "text_util.h"

#include <arpa/inet.h>

#include <array>
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
