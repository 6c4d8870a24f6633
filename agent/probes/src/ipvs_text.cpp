#include "hadeck/probes/ipvs_text.h"

#include "text_util.h"

#include <arpa/inet.h>

#include <array>
#include <bit>
#include <cstring>

namespace hadeck::probes {

using proto::ForwardMethod;
using proto::IpvsStats;
using proto::RealServer;
using proto::VirtualService;

namespace {

struct Endpoint {
    int af = 4;
    std::string address;
    std::uint16_t port = 0;
};

std::string v4FromHostOrder(std::uint32_t hostOrder)
{
    const std::uint32_t net = htonl(hostOrder);
    std::array<char, INET_ADDRSTRLEN> buf{};
    inet_ntop(AF_INET, &net, buf.data(), buf.size());
    return buf.data();
}

/// "C6120065:01BB" or "[2001:0db8:...]:0050", as /proc/net/ip_vs prints them.
std::optional<Endpoint> procEndpoint(std::string_view s)
{
    const auto colon = s.rfind(':');
    if (colon == std::string_view::npos) {
        return std::nullopt;
    }
    const auto port = text::number<std::uint16_t>(s.substr(colon + 1), 16);
    if (!port) {
        return std::nullopt;
    }
    const auto host = s.substr(0, colon);
    Endpoint ep;
    ep.port = *port;
    if (!host.empty() && host.front() == '[') {
        if (host.size() < 3 || host.back() != ']') {
            return std::nullopt;
        }
        ep.af = 6;
        ep.address = canonicalAddress(host.substr(1, host.size() - 2));
        if (ep.address.empty()) {
            return std::nullopt;
        }
        return ep;
    }
    const auto v4 = text::number<std::uint32_t>(host, 16);
    if (!v4 || host.size() != 8) {
        return std::nullopt;
    }
    ep.address = v4FromHostOrder(*v4);
    return ep;
}

/// "198.18.0.100:80" or "[2001:db8::100]:80", as ipvsadm -n prints them.
std::optional<Endpoint> numericEndpoint(std::string_view s)
{
    const auto colon = s.rfind(':');
    if (colon == std::string_view::npos) {
        return std::nullopt;
    }
    const auto port = text::number<std::uint16_t>(s.substr(colon + 1));
    if (!port) {
        return std::nullopt;
    }
    auto host = s.substr(0, colon);
    Endpoint ep;
    ep.port = *port;
    if (!host.empty() && host.front() == '[') {
        if (host.size() < 3 || host.back() != ']') {
            return std::nullopt;
        }
        host = host.substr(1, host.size() - 2);
        ep.af = 6;
    }
    ep.address = canonicalAddress(host);
    if (ep.address.empty() || (ep.af == 6) != (ep.address.find(':') != std::string::npos)) {
        return std::nullopt;
    }
    return ep;
}

std::optional<ForwardMethod> forwardFromName(std::string_view s)
{
    if (s == "Masq") {
        return ForwardMethod::Masq;
    }
    if (s == "Local") {
        return ForwardMethod::Local;
    }
    if (s == "Tunnel") {
        return ForwardMethod::Tunnel;
    }
    if (s == "Route") {
        return ForwardMethod::Route;
    }
    return std::nullopt;
}

bool isContiguousV4Mask(std::uint32_t m)
{
    return m == 0 || std::countl_one(m) + std::countr_zero(m) == 32;
}

Unexpected<Failure> lineError(std::string_view what, std::size_t lineNo, std::string_view line)
{
    return fail(std::string(what) + " at line " + std::to_string(lineNo) + ": \"" + std::string(text::trim(line)) +
                "\"");
}

std::string defaultNetmask(int af) { return af == 6 ? "128" : "255.255.255.255"; }

} // namespace

std::string canonicalAddress(std::string_view textAddr)
{
    const std::string s(textAddr);
    std::array<unsigned char, 16> bin{};
    std::array<char, INET6_ADDRSTRLEN> buf{};
    if (inet_pton(AF_INET, s.c_str(), bin.data()) == 1) {
        inet_ntop(AF_INET, bin.data(), buf.data(), buf.size());
        return buf.data();
    }
    if (inet_pton(AF_INET6, s.c_str(), bin.data()) == 1) {
        inet_ntop(AF_INET6, bin.data(), buf.data(), buf.size());
        return buf.data();
    }
    return {};
}

std::uint64_t procIpVsStructureStamp(std::string_view text)
{
    // FNV-1a over the kept fields, each followed by a separator byte.
    std::uint64_t h = 14695981039346656037ULL;
    const auto mix = [&h](std::string_view field) {
        for (const char c : field) {
            h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
        }
        h = (h ^ 0x1fU) * 1099511628211ULL;
    };
    std::size_t pos = 0;
    while (pos < text.size()) {
        auto end = text.find('\n', pos);
        if (end == std::string_view::npos) {
            end = text.size();
        }
        const auto line = text.substr(pos, end - pos);
        pos = end + 1;
        // Fields split on blanks; a real server's line ("-> addr Forward Weight ActiveConn
        // InActConn") keeps its first four.
        std::size_t i = 0;
        int field = 0;
        bool realServer = false;
        while (i < line.size()) {
            while (i < line.size() && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r')) {
                ++i;
            }
            const auto start = i;
            while (i < line.size() && line[i] != ' ' && line[i] != '\t' && line[i] != '\r') {
                ++i;
            }
            if (start == i) {
                break;
            }
            const auto f = line.substr(start, i - start);
            if (field == 0) {
                realServer = f == "->";
            }
            if (realServer && field >= 4) {
                break;
            }
            mix(f);
            ++field;
        }
        h = (h ^ 0x1eU) * 1099511628211ULL; // end of line
    }
    return h;
}

Expected<std::vector<VirtualService>> parseProcIpVs(std::string_view content, unsigned kernelHz)
{
    if (kernelHz == 0) {
        return fail("kernel HZ must be positive");
    }
    const auto ls = text::lines(content);
    if (ls.empty() || !text::startsWith(ls.front(), "IP Virtual Server")) {
        return fail("not an IPVS table: /proc/net/ip_vs must start with \"IP Virtual Server\"");
    }
    std::vector<VirtualService> out;
    // Raw netmask per service: a fwmark service's family is only known from its dests.
    std::vector<std::optional<std::uint32_t>> rawMasks;
    for (std::size_t i = 1; i < ls.size(); ++i) {
        const auto line = ls[i];
        const auto w = text::words(line);
        if (w.empty() || w[0] == "Prot" || (w[0] == "->" && w.size() > 1 && w[1] == "RemoteAddress:Port")) {
            continue;
        }
        if (w[0] == "->") {
            if (out.empty()) {
                return lineError("real server before any virtual service", i + 1, line);
            }
            if (w.size() != 6) {
                return lineError("expected \"-> address:port forward weight active inactive\"", i + 1, line);
            }
            const auto ep = procEndpoint(w[1]);
            const auto fwd = forwardFromName(w[2]);
            const auto weight = text::number<std::uint32_t>(w[3]);
            const auto active = text::number<std::uint32_t>(w[4]);
            const auto inactive = text::number<std::uint32_t>(w[5]);
            if (!ep || !fwd || !weight || !active || !inactive) {
                return lineError("malformed real server", i + 1, line);
            }
            RealServer rs;
            rs.af = ep->af;
            rs.address = ep->address;
            rs.port = ep->port;
            rs.forward = *fwd;
            rs.weight = *weight;
            rs.activeConns = *active;
            rs.inactiveConns = *inactive;
            out.back().realServers.push_back(std::move(rs));
            continue;
        }
        if (w.size() < 3) {
            return lineError("expected \"protocol address:port scheduler [flags]\"", i + 1, line);
        }
        VirtualService vs;
        const auto proto = w[0];
        if (proto == "FWM") {
            const auto mark = text::number<std::uint32_t>(w[1], 16);
            if (!mark) {
                return lineError("malformed firewall mark", i + 1, line);
            }
            vs.fwmark = *mark;
        } else if (proto == "TCP" || proto == "UDP" || proto == "SCTP") {
            const auto ep = procEndpoint(w[1]);
            if (!ep) {
                return lineError("malformed virtual address", i + 1, line);
            }
            vs.protocol = text::lower(proto);
            vs.af = ep->af;
            vs.address = ep->address;
            vs.port = ep->port;
        } else {
            return lineError("unknown protocol \"" + std::string(proto) + "\"", i + 1, line);
        }
        vs.scheduler = std::string(w[2]);
        std::optional<std::uint32_t> rawMask;
        for (std::size_t k = 3; k < w.size(); ++k) {
            if (w[k] == "ops") {
                vs.flags |= kSvcOnePacket;
            } else if (w[k] == "persistent" && k + 2 < w.size()) {
                const auto jiffies = text::number<std::uint32_t>(w[k + 1]);
                const auto mask = text::number<std::uint32_t>(w[k + 2], 16);
                if (!jiffies || !mask) {
                    return lineError("malformed persistence", i + 1, line);
                }
                vs.flags |= kSvcPersistent;
                vs.persistent = true;
                vs.timeout = *jiffies / kernelHz;
                rawMask = *mask;
                k += 2;
            } else {
                return lineError("unknown service flag \"" + std::string(w[k]) + "\"", i + 1, line);
            }
        }
        out.push_back(std::move(vs));
        rawMasks.push_back(rawMask);
    }
    for (std::size_t i = 0; i < out.size(); ++i) {
        auto& vs = out[i];
        if (vs.fwmark != 0) {
            // The fwmark line carries no family. Its dests do; without dests, a v6
            // service shows up as a byte-swapped prefix length, never a valid v4 mask.
            bool v6 = !vs.realServers.empty();
            for (const auto& rs : vs.realServers) {
                v6 = v6 && rs.af == 6;
            }
            if (vs.realServers.empty() && rawMasks[i] && !isContiguousV4Mask(*rawMasks[i])) {
                v6 = true;
            }
            vs.af = v6 ? 6 : 4;
        }
        if (!rawMasks[i]) {
            vs.netmask = defaultNetmask(vs.af);
        } else if (vs.af == 6) {
            // The kernel keeps a v6 prefix length in host order and prints ntohl() of it.
            vs.netmask = std::to_string(ntohl(*rawMasks[i]));
        } else {
            vs.netmask = v4FromHostOrder(*rawMasks[i]);
        }
    }
    return out;
}

Expected<IpvsStats> parseProcIpVsStats(std::string_view content)
{
    std::vector<std::array<std::uint64_t, 5>> rows;
    for (const auto line : text::lines(content)) {
        const auto w = text::words(line);
        if (w.size() != 5) {
            continue;
        }
        std::array<std::uint64_t, 5> row{};
        bool ok = true;
        for (std::size_t k = 0; k < 5 && ok; ++k) {
            const auto v = text::number<std::uint64_t>(w[k], 16);
            ok = v.has_value();
            if (ok) {
                row[k] = *v;
            }
        }
        if (ok) {
            rows.push_back(row);
        }
    }
    if (rows.size() != 2) {
        return fail("not an IPVS statistics file: expected a totals row and a rates row of hex numbers, found " +
                    std::to_string(rows.size()) + " numeric rows");
    }
    IpvsStats s;
    s.conns = rows[0][0];
    s.inPkts = rows[0][1];
    s.outPkts = rows[0][2];
    s.inBytes = rows[0][3];
    s.outBytes = rows[0][4];
    s.cps = rows[1][0];
    s.inPps = rows[1][1];
    s.outPps = rows[1][2];
    s.inBps = rows[1][3];
    s.outBps = rows[1][4];
    return s;
}

namespace {

enum class ListMode { Plain, Stats, Rate, Thresholds, PersistentConn };

std::optional<std::array<std::uint64_t, 5>> fiveNumbers(const std::vector<std::string_view>& w, std::size_t from)
{
    if (w.size() != from + 5) {
        return std::nullopt;
    }
    std::array<std::uint64_t, 5> out{};
    for (std::size_t k = 0; k < 5; ++k) {
        const auto v = text::number<std::uint64_t>(w[from + k]);
        if (!v) {
            return std::nullopt;
        }
        out[k] = *v;
    }
    return out;
}

void putStats(IpvsStats& s, ListMode mode, const std::array<std::uint64_t, 5>& n)
{
    if (mode == ListMode::Stats) {
        s.conns = n[0];
        s.inPkts = n[1];
        s.outPkts = n[2];
        s.inBytes = n[3];
        s.outBytes = n[4];
    } else {
        s.cps = n[0];
        s.inPps = n[1];
        s.outPps = n[2];
        s.inBps = n[3];
        s.outBps = n[4];
    }
}

} // namespace

Expected<std::vector<VirtualService>> parseIpvsadmList(std::string_view content)
{
    const auto ls = text::lines(content);
    if (ls.size() < 3 || !text::startsWith(ls[0], "IP Virtual Server")) {
        return fail("not an ipvsadm listing: it must start with \"IP Virtual Server\"");
    }
    const auto head = text::words(ls[1]);
    ListMode mode = ListMode::Plain;
    if (head.size() >= 3 && head[2] == "Conns") {
        mode = ListMode::Stats;
    } else if (head.size() >= 3 && head[2] == "CPS") {
        mode = ListMode::Rate;
    } else if (head.size() >= 3 && head[2] == "Uthreshold") {
        mode = ListMode::Thresholds;
    } else if (head.size() >= 3 && head[2] == "Weight") {
        mode = ListMode::PersistentConn;
    } else if (head.size() < 3 || head[2] != "Scheduler") {
        return lineError("unknown ipvsadm column set", 2, ls[1]);
    }
    std::vector<VirtualService> out;
    for (std::size_t i = 3; i < ls.size(); ++i) {
        const auto line = ls[i];
        const auto w = text::words(line);
        if (w.empty()) {
            continue;
        }
        if (w[0] == "->") {
            if (out.empty()) {
                return lineError("real server before any virtual service", i + 1, line);
            }
            const auto ep = w.size() > 1 ? numericEndpoint(w[1]) : std::nullopt;
            if (!ep) {
                return lineError("malformed real server address (numeric output -n expected)", i + 1, line);
            }
            RealServer rs;
            rs.af = ep->af;
            rs.address = ep->address;
            rs.port = ep->port;
            if (mode == ListMode::Plain) {
                const auto fwd = w.size() == 6 ? forwardFromName(w[2]) : std::nullopt;
                const auto weight = w.size() == 6 ? text::number<std::uint32_t>(w[3]) : std::nullopt;
                const auto active = w.size() == 6 ? text::number<std::uint32_t>(w[4]) : std::nullopt;
                const auto inactive = w.size() == 6 ? text::number<std::uint32_t>(w[5]) : std::nullopt;
                if (!fwd || !weight || !active || !inactive) {
                    return lineError("malformed real server", i + 1, line);
                }
                rs.forward = *fwd;
                rs.weight = *weight;
                rs.activeConns = *active;
                rs.inactiveConns = *inactive;
            } else if (mode == ListMode::Stats || mode == ListMode::Rate) {
                const auto n = fiveNumbers(w, 2);
                if (!n) {
                    return lineError("malformed real server statistics (use --exact)", i + 1, line);
                }
                putStats(rs.stats, mode, *n);
            } else {
                if (w.size() != 6) {
                    return lineError("malformed real server", i + 1, line);
                }
                std::array<std::uint32_t, 4> n{};
                for (std::size_t k = 0; k < 4; ++k) {
                    const auto v = text::number<std::uint32_t>(w[2 + k]);
                    if (!v) {
                        return lineError("malformed real server", i + 1, line);
                    }
                    n[k] = *v;
                }
                if (mode == ListMode::Thresholds) {
                    rs.upperThreshold = n[0];
                    rs.lowerThreshold = n[1];
                } else {
                    rs.weight = n[0];
                    rs.persistentConns = n[1];
                }
                rs.activeConns = n[2];
                rs.inactiveConns = n[3];
            }
            out.back().realServers.push_back(std::move(rs));
            continue;
        }
        VirtualService vs;
        std::size_t next = 2;
        if (w[0] == "FWM") {
            const auto mark = w.size() > 1 ? text::number<std::uint32_t>(w[1]) : std::nullopt;
            if (!mark) {
                return lineError("malformed firewall mark", i + 1, line);
            }
            vs.fwmark = *mark;
            if (w.size() > 2 && w[2] == "IPv6") {
                vs.af = 6;
                next = 3;
            }
        } else if (w[0] == "TCP" || w[0] == "UDP" || w[0] == "SCTP") {
            const auto ep = w.size() > 1 ? numericEndpoint(w[1]) : std::nullopt;
            if (!ep) {
                return lineError("malformed virtual address (numeric output -n expected)", i + 1, line);
            }
            vs.protocol = text::lower(w[0]);
            vs.af = ep->af;
            vs.address = ep->address;
            vs.port = ep->port;
        } else {
            return lineError("unknown protocol \"" + std::string(w[0]) + "\"", i + 1, line);
        }
        vs.netmask = defaultNetmask(vs.af);
        if (mode == ListMode::Stats || mode == ListMode::Rate) {
            const auto n = fiveNumbers(w, next);
            if (!n) {
                return lineError("malformed service statistics (use --exact)", i + 1, line);
            }
            putStats(vs.stats, mode, *n);
        } else {
            if (next >= w.size()) {
                return lineError("missing scheduler", i + 1, line);
            }
            vs.scheduler = std::string(w[next]);
            for (std::size_t k = next + 1; k < w.size(); ++k) {
                if (w[k] == "persistent" && k + 1 < w.size()) {
                    const auto t = text::number<std::uint32_t>(w[k + 1]);
                    if (!t) {
                        return lineError("malformed persistence timeout", i + 1, line);
                    }
                    vs.persistent = true;
                    vs.flags |= kSvcPersistent;
                    vs.timeout = *t;
                    ++k;
                } else if (w[k] == "mask" && k + 1 < w.size()) {
                    vs.netmask = std::string(w[k + 1]);
                    ++k;
                } else if (w[k] == "ops") {
                    vs.flags |= kSvcOnePacket;
                } else if (w[k] == "pe" && k + 1 < w.size()) {
                    vs.peName = std::string(w[k + 1]);
                    ++k;
                }
                // Scheduler flags (flag-1, sh-port, ...) are not modelled from the listing.
            }
        }
        out.push_back(std::move(vs));
    }
    return out;
}

} // namespace hadeck::probes
