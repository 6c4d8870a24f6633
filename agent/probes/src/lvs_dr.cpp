#include "hadeck/probes/lvs_dr.h"
#include "hadeck/probes/proc_net_tcp.h"

#include "hadeck/probes/ipvs_text.h"
#include "text_util.h"

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <set>

namespace hadeck::probes {

using Severity = DrFinding::Severity;

std::string toString(Severity s)
{
    switch (s) {
    case Severity::Ok: return "ok";
    case Severity::Info: return "info";
    case Severity::Warning: return "warning";
    case Severity::Error: return "error";
    }
    return "unknown";
}

namespace {

std::string stripPrefix(const std::string& vip)
{
    return canonicalAddress(vip.substr(0, vip.find('/')));
}

std::optional<int> confValue(const DrSnapshot& s, const std::string& iface, const std::string& key)
{
    const auto it = s.ipv4Conf.find(iface);
    if (it == s.ipv4Conf.end()) {
        return std::nullopt;
    }
    const auto k = it->second.find(key);
    if (k == it->second.end()) {
        return std::nullopt;
    }
    return k->second;
}

/// Interfaces where ARP for the VIP could be asked or answered: up, not lo, with an IPv4 address.
std::vector<std::string> arpInterfaces(const DrSnapshot& s)
{
    std::set<std::string> withV4;
    for (const auto& a : s.addresses) {
        if (a.af == 4 && a.interface != "lo") {
            withV4.insert(a.interface);
        }
    }
    std::vector<std::string> out;
    for (const auto& name : withV4) {
        if (s.upInterfaces.empty() ||
            std::find(s.upInterfaces.begin(), s.upInterfaces.end(), name) != s.upInterfaces.end()) {
            out.push_back(name);
        }
    }
    return out;
}

DrFinding sysctlFinding(const DrSnapshot& s, const std::string& key, const std::string& iface)
{
    DrFinding f;
    f.check = key;
    f.subject = iface;
    f.allValue = confValue(s, "all", key);
    f.interfaceValue = confValue(s, iface, key);
    const int all = f.allValue.value_or(0);
    const int dev = f.interfaceValue.value_or(0);
    // The kernel uses max(conf/all, conf/<if>) for arp_ignore, arp_announce and rp_filter.
    f.effective = std::max(all, dev);
    f.winner = dev > all ? iface : "all";
    const std::string val = "net.ipv4.conf.all." + key + "=" + std::to_string(all) + ", net.ipv4.conf." + iface +
                            "." + key + "=" + std::to_string(dev) + "; the kernel uses the larger, " +
                            std::to_string(*f.effective) + " (from " + f.winner + ")";
    f.message = val;
    const int eff = *f.effective;
    const bool isLo = iface == "lo";
    const auto problem = [&](Severity sev, std::string breaks, std::string fix) {
        // lo never carries ARP itself; the seed's script sets it for parity, so a miss there is only a warning.
        f.severity = isLo && sev == Severity::Error ? Severity::Warning : sev;
        f.breaks = std::move(breaks);
        f.fix = std::move(fix);
    };
    if (key == "arp_ignore") {
        if (eff == 1 || eff == 2) {
            f.severity = Severity::Ok;
        } else if (eff == 0) {
            problem(Severity::Error,
                    "the host answers ARP requests for the VIP on " + iface +
                        ", so clients or the router may send VIP traffic straight here instead of to the director",
                    "sysctl -w net.ipv4.conf.all.arp_ignore=1 net.ipv4.conf.lo.arp_ignore=1 (or realserver.apply)");
        } else {
            problem(Severity::Warning,
                    "arp_ignore=" + std::to_string(eff) + " on " + iface +
                        " is stricter than LVS-DR needs and can stop the host answering ARP for its own addresses",
                    "sysctl -w net.ipv4.conf.all.arp_ignore=1 net.ipv4.conf." + iface + ".arp_ignore=1");
        }
    } else if (key == "arp_announce") {
        if (eff == 2) {
            f.severity = Severity::Ok;
        } else if (eff == 1) {
            problem(Severity::Warning,
                    "arp_announce=1 on " + iface +
                        " only avoids the VIP as ARP source when the target is in a local subnet; other ARP "
                        "requests may still advertise the VIP and poison neighbours' caches",
                    "sysctl -w net.ipv4.conf.all.arp_announce=2 net.ipv4.conf.lo.arp_announce=2");
        } else {
            problem(Severity::Error,
                    "ARP requests sent on " + iface +
                        " may use the VIP as source address, teaching the router that the VIP lives here",
                    "sysctl -w net.ipv4.conf.all.arp_announce=2 net.ipv4.conf.lo.arp_announce=2 (or "
                    "realserver.apply)");
        }
    } else { // rp_filter
        f.severity = Severity::Ok;
        if (eff == 1 && !isLo && arpInterfaces(s).size() > 1) {
            f.severity = Severity::Warning;
            f.breaks = "strict reverse-path filtering on " + iface +
                       " drops VIP traffic that arrives on an interface other than the route back to the client "
                       "(asymmetric routing with several interfaces)";
            f.fix = "sysctl -w net.ipv4.conf.all.rp_filter=2 net.ipv4.conf." + iface + ".rp_filter=2 (loose)";
        } else if (eff == 1) {
            f.severity = Severity::Info;
            f.message += "; strict mode is fine while replies to clients leave by the interface requests arrive on";
        }
    }
    return f;
}

bool listensFor(const DrSnapshot& s, const std::string& vip, int af, std::uint16_t port, std::string& how)
{
    for (const auto& l : s.listeners) {
        if (l.port != port) {
            continue;
        }
        if (l.af == af && l.address == vip) {
            how = "listening on " + vip + ":" + std::to_string(port);
            return true;
        }
        if (af == 4 && l.af == 4 && l.address == "0.0.0.0") {
            how = "listening on 0.0.0.0:" + std::to_string(port);
            return true;
        }
        if (l.af == 6 && l.address == "::") {
            how = "listening on [::]:" + std::to_string(port) +
                  (af == 4 ? " (accepts IPv4 unless net.ipv6.bindv6only or IPV6_V6ONLY is set)" : "");
            return true;
        }
    }
    return false;
}

} // namespace

std::vector<DrFinding> checkLvsDr(const DrSnapshot& s, const DrExpectation& e)
{
    std::vector<DrFinding> out;
    for (const auto& rawVip : e.vips) {
        const std::string vip = stripPrefix(rawVip);
        if (vip.empty()) {
            DrFinding f;
            f.check = "vip-on-lo";
            f.subject = rawVip;
            f.severity = Severity::Error;
            f.message = "\"" + rawVip + "\" is not an IP address";
            f.breaks = "nothing can be checked for it";
            f.fix = "give the VIP as an address, e.g. 198.18.0.100";
            out.push_back(std::move(f));
            continue;
        }
        const int af = vip.find(':') != std::string::npos ? 6 : 4;
        const int hostPrefix = af == 6 ? 128 : 32;
        const std::string hostSuffix = "/" + std::to_string(hostPrefix);
        const DrAddress* onLo = nullptr;
        std::vector<const DrAddress*> elsewhere;
        for (const auto& a : s.addresses) {
            if (a.address != vip) {
                continue;
            }
            if (a.interface == "lo") {
                onLo = &a;
            } else {
                elsewhere.push_back(&a);
            }
        }
        DrFinding lo;
        lo.check = "vip-on-lo";
        lo.subject = vip;
        if (onLo == nullptr) {
            lo.severity = Severity::Error;
            lo.message = vip + " is not configured on lo";
            lo.breaks = "the director forwards packets addressed to " + vip +
                        " here, and the kernel drops them because the address is not local";
            lo.fix = "ip addr add " + vip + hostSuffix + " dev lo label lo:0 (or realserver.apply)";
        } else {
            lo.severity = Severity::Ok;
            lo.message = vip + "/" + std::to_string(onLo->prefixLength) + " is on lo" +
                         (onLo->label.empty() ? "" : " (" + onLo->label + ")");
        }
        out.push_back(lo);
        if (onLo != nullptr) {
            DrFinding p;
            p.check = "vip-prefix";
            p.subject = vip;
            if (onLo->prefixLength != hostPrefix) {
                p.severity = Severity::Error;
                p.message = vip + " is on lo as /" + std::to_string(onLo->prefixLength) + ", not " + hostSuffix;
                p.breaks = "the whole /" + std::to_string(onLo->prefixLength) +
                           " becomes local to lo, so this host can no longer reach other hosts in that network "
                           "(including the director and the gateway if they are in it)";
                p.fix = "ip addr del " + vip + "/" + std::to_string(onLo->prefixLength) + " dev lo && ip addr add " +
                        vip + hostSuffix + " dev lo label lo:0";
            } else {
                p.severity = Severity::Ok;
                p.message = vip + " is a host address (" + hostSuffix + ") on lo";
            }
            out.push_back(std::move(p));
        }
        DrFinding el;
        el.check = "vip-elsewhere";
        el.subject = vip;
        if (!elsewhere.empty()) {
            el.severity = Severity::Error;
            el.message = vip + " is also configured on " + elsewhere.front()->interface;
            el.breaks = "the host claims the VIP on a real network, competing with the director for its traffic";
            el.fix = "ip addr del " + vip + "/" + std::to_string(elsewhere.front()->prefixLength) + " dev " +
                     elsewhere.front()->interface;
        } else {
            el.severity = Severity::Ok;
            el.message = vip + " is on no interface other than lo";
        }
        out.push_back(std::move(el));
        for (const auto port : e.ports) {
            DrFinding l;
            l.check = "listener";
            l.subject = (af == 6 ? "[" + vip + "]" : vip) + ":" + std::to_string(port);
            std::string how;
            if (listensFor(s, vip, af, port, how)) {
                l.severity = Severity::Ok;
                l.message = how;
            } else {
                l.severity = Severity::Error;
                l.message = "no TCP socket listens on " + l.subject + " or on " +
                            (af == 6 ? "[::]" : "0.0.0.0") + ":" + std::to_string(port);
                l.breaks = "connections the director forwards to this host are refused (reset)";
                l.fix = "make the web server listen on the VIP or on all addresses (Apache: \"Listen " +
                        std::to_string(port) + "\" in ports.conf), then restart it";
            }
            out.push_back(std::move(l));
        }
    }
    if (!e.vips.empty()) {
        std::vector<std::string> ifaces = arpInterfaces(s);
        ifaces.insert(ifaces.begin(), "lo");
        for (const char* key : {"arp_ignore", "arp_announce", "rp_filter"}) {
            for (const auto& iface : ifaces) {
                out.push_back(sysctlFinding(s, key, iface));
            }
        }
    }
    return out;
}

Expected<std::vector<DrListener>> parseProcNetTcpListeners(std::string_view content, int af)
{
    auto table = parseProcNetTcp(content, af);
    if (!table) {
        return Unexpected<Failure>{table.error()};
    }
    // The DR check would rather say the table is unreadable than miss a listener.
    if (!table->malformedLines.empty()) {
        return fail("malformed /proc/net/tcp line " + std::to_string(table->malformedLines.front()));
    }
    std::vector<DrListener> out;
    for (const auto& l : tcpListeners(*table)) {
        out.push_back(DrListener{af, l.localAddress, l.localPort});
    }
    return out;
}

} // namespace hadeck::probes

namespace hadeck::probes {

std::vector<DrFinding> checkLvsDrDirector(const DrDirectorSnapshot& s, bool drServices)
{
    std::vector<DrFinding> out;
    if (!s.hasIpvs || !drServices) {
        return out;
    }
    DrFinding f;
    f.check = "expire_nodest_conn";
    f.subject = "net.ipv4.vs.expire_nodest_conn";
    const auto it = s.ipvsSysctls.find("expire_nodest_conn");
    if (it != s.ipvsSysctls.end()) {
        f.effective = it->second;
    }
    if (f.effective && *f.effective != 0) {
        f.severity = DrFinding::Severity::Ok;
        f.message = "net.ipv4.vs.expire_nodest_conn=" + std::to_string(*f.effective) +
                    ": connection entries of a removed real server are expired";
        out.push_back(std::move(f));
        return out;
    }
    f.severity = DrFinding::Severity::Warning;
    f.message = f.effective ? "net.ipv4.vs.expire_nodest_conn=0 on this director"
                            : "net.ipv4.vs.expire_nodest_conn cannot be read on this director";
    f.breaks = "IPVS keeps the connection entries of a real server that left the table: a client that reuses its "
               "port follows a FIN_WAIT/TIME_WAIT entry to the removed server and its request times out";
    f.fix = "sysctl -w net.ipv4.vs.expire_nodest_conn=1 (and net.ipv4.vs.expire_nodest_conn = 1 in /etc/sysctl.d/)";
    out.push_back(std::move(f));
    return out;
}

} // namespace hadeck::probes
