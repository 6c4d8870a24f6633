// The typed view of keepalived.conf: the values keepalived 2.2.7 loads, with its
// defaults, ranges and fallbacks, and a diagnostic (file and line) for each value
// it changes or drops. The rules were checked against keepalived's own dump of
// what it loaded (tests/data/keepalived/oracle).

#include "hadeck/probes/keepalived_config.h"

#include "text_util.h"

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdlib>
#include <set>

namespace hadeck::probes {

namespace {

constexpr std::uint32_t kMaxPersistence = 2678400; // keepalived's LVS_MAX_TIMEOUT (31 days)
constexpr std::uint32_t kDefaultPersistence = 360; // IPVS_SVC_PERSISTENT_TIMEOUT
constexpr std::array kSchedulers{"rr", "wrr", "lc", "wlc", "lblc", "sh", "mh", "dh", "fo", "ovf", "lblcr", "sed", "nq",
                                 "twos"};
constexpr std::array kCheckers{"TCP_CHECK", "HTTP_GET", "SSL_GET", "MISC_CHECK", "SMTP_CHECK", "PING_CHECK",
                               "UDP_CHECK", "DNS_CHECK", "FILE_CHECK", "BFD_CHECK"};

/// keepalived reads a statement only when its config id selects it and it knows the keyword there.
bool live(const ConfNode& n) { return n.enabled && n.known; }

bool isIp(const std::string& s)
{
    std::array<unsigned char, 16> buf{};
    return inet_pton(AF_INET, s.c_str(), buf.data()) == 1 || inet_pton(AF_INET6, s.c_str(), buf.data()) == 1;
}

/// "198.18.0.1", "198.18.0.1/24", "2001:db8::1/64".
bool isIpWithPrefix(const std::string& s)
{
    const auto slash = s.find('/');
    if (slash == std::string::npos) {
        return isIp(s);
    }
    const std::string addr = s.substr(0, slash);
    const auto len = text::number<int>(s.substr(slash + 1));
    const int max = addr.find(':') != std::string::npos ? 128 : 32;
    return isIp(addr) && len && *len >= 0 && *len <= max;
}

class ViewBuilder {
public:
    explicit ViewBuilder(KeepalivedConfig& cfg) : m_cfg(cfg) {}

    void build()
    {
        // What instances and services refer to may be declared anywhere in the files.
        for (const auto& n : m_cfg.tree.nodes) {
            if (!live(n)) {
                continue;
            }
            if (n.keyword == "vrrp_script") {
                vrrpScript(n);
            } else if (n.keyword == "track_file" || n.keyword == "vrrp_track_file") {
                trackFile(n);
            } else if (n.keyword == "virtual_server_group") {
                vsGroup(n);
            }
        }
        for (const auto& n : m_cfg.tree.nodes) {
            if (!live(n)) {
                continue;
            }
            if (n.keyword == "global_defs") {
                globalDefs(n);
            } else if (n.keyword == "vrrp_sync_group") {
                syncGroup(n);
            } else if (n.keyword == "vrrp_instance") {
                instance(n);
            } else if (n.keyword == "virtual_server") {
                virtualServer(n);
            }
        }
        for (const auto& g : m_cfg.syncGroups) {
            for (const auto& member : g.members) {
                auto it = std::find_if(m_cfg.instances.begin(), m_cfg.instances.end(),
                                       [&](const KaVrrpInstance& i) { return i.name == member; });
                if (it == m_cfg.instances.end()) {
                    note(g.where, "vrrp_sync_group " + g.name + " names unknown vrrp_instance " + member);
                } else {
                    it->syncGroup = g.name;
                }
            }
        }
    }

private:
    void note(const std::string& where, std::string message)
    {
        const auto colon = where.rfind(':');
        ConfDiagnostic d;
        d.file = where.substr(0, colon);
        d.line = colon == std::string::npos ? 0 : text::number<int>(where.substr(colon + 1)).value_or(0);
        d.message = std::move(message);
        m_cfg.diagnostics.push_back(std::move(d));
    }

    template <typename T>
    std::optional<T> num(const ConfNode& n, std::size_t i, std::string_view what)
    {
        const auto v = text::number<T>(n.arg(i));
        if (!v) {
            note(n.where(), std::string(what) + " needs a number, got \"" + n.arg(i) + "\"");
        }
        return v;
    }

    static std::string joined(const ConfNode& n)
    {
        std::string s;
        for (const auto& a : n.args) {
            s += (s.empty() ? "" : " ") + a;
        }
        return s;
    }

    static std::vector<std::string> listItems(const ConfNode& block)
    {
        std::vector<std::string> out;
        for (const auto& c : block.children) {
            if (!live(c)) {
                continue;
            }
            out.push_back(c.keyword);
            for (const auto& a : c.args) {
                out.push_back(a);
            }
        }
        return out;
    }

    static std::string spec(const ConfNode& c)
    {
        std::string s = c.keyword;
        for (const auto& a : c.args) {
            s += " " + a;
        }
        return s;
    }

    /// The references of a track_* block; with @p known, those naming nothing declared are dropped,
    /// as keepalived does ("track script X not found, ignoring...").
    std::vector<KaTrackRef> trackRefs(const ConfNode& block, const std::string& owner = {},
                                      const std::set<std::string>* known = nullptr, std::string_view what = {})
    {
        std::vector<KaTrackRef> out;
        for (const auto& c : block.children) {
            if (!live(c)) {
                continue;
            }
            if (known != nullptr && known->count(c.keyword) == 0) {
                note(c.where(), "(" + owner + ") " + std::string(what) + " " + c.keyword + " not found, ignoring");
                continue;
            }
            KaTrackRef ref;
            ref.name = c.keyword;
            for (std::size_t i = 0; i < c.args.size(); ++i) {
                if (c.args[i] == "weight" && i + 1 < c.args.size()) {
                    ref.weight = num<int>(c, i + 1, "weight");
                    ++i;
                } else if (c.args[i] == "reverse") {
                    ref.reverse = true;
                }
            }
            out.push_back(std::move(ref));
        }
        return out;
    }

    void globalDefs(const ConfNode& n)
    {
        auto& g = m_cfg.global;
        for (const auto& c : n.children) {
            if (!live(c)) {
                continue;
            }
            if (c.keyword == "router_id") {
                g.routerId = c.arg(0);
            } else if (c.keyword == "notify_fifo") {
                g.notifyFifo = c.arg(0);
            } else if (c.keyword == "vrrp_notify_fifo") {
                g.vrrpNotifyFifo = c.arg(0);
            } else if (c.keyword == "lvs_notify_fifo") {
                g.lvsNotifyFifo = c.arg(0);
            } else if (c.keyword == "enable_dbus") {
                g.enableDbus = true;
            } else if (c.keyword == "enable_script_security") {
                g.enableScriptSecurity = true;
            }
        }
    }

    void syncGroup(const ConfNode& n)
    {
        KaSyncGroup g;
        g.name = n.arg(0);
        g.where = n.where();
        for (const auto& c : n.children) {
            if (!live(c)) {
                continue;
            }
            if (c.keyword == "group") {
                g.members = listItems(c);
            } else if (c.keyword == "track_file") {
                g.trackFiles = trackRefs(c, g.name, &m_trackFileNames, "track file");
            } else if (text::startsWith(c.keyword, "notify")) {
                g.notify[c.keyword] = joined(c);
            }
        }
        if (g.name.empty()) {
            note(g.where, "vrrp_sync_group without a name");
        }
        m_cfg.syncGroups.push_back(std::move(g));
    }

    void vrrpScript(const ConfNode& n)
    {
        KaVrrpScript s;
        s.name = n.arg(0);
        s.where = n.where();
        for (const auto& c : n.children) {
            if (!live(c)) {
                continue;
            }
            if (c.keyword == "script") {
                s.script = joined(c);
            } else if (c.keyword == "interval") {
                s.intervalSec = num<int>(c, 0, "interval").value_or(1);
            } else if (c.keyword == "weight") {
                s.weight = num<int>(c, 0, "weight").value_or(0);
            }
        }
        m_scriptNames.insert(s.name);
        m_cfg.vrrpScripts.push_back(std::move(s));
    }

    void instance(const ConfNode& n)
    {
        KaVrrpInstance v;
        v.name = n.arg(0);
        v.where = n.where();
        if (!v.name.empty() && !m_instanceNames.insert(v.name).second) {
            note(v.where, "vrrp instance " + v.name + " already defined; keepalived skips this one");
            return;
        }
        std::optional<int> priority;
        bool vridSeen = false;
        for (const auto& c : n.children) {
            if (!live(c)) {
                continue;
            }
            const auto& k = c.keyword;
            if (k == "state") {
                v.state = c.arg(0);
                if (v.state != "MASTER" && v.state != "BACKUP") {
                    note(c.where(), "state must be MASTER or BACKUP, got \"" + v.state + "\"");
                }
            } else if (k == "interface") {
                v.interface = c.arg(0);
            } else if (k == "virtual_router_id") {
                vridSeen = true;
                if (const auto id = num<int>(c, 0, "virtual_router_id")) {
                    if (*id < 1 || *id > 255) {
                        note(c.where(), "(" + v.name + ") virtual_router_id " + std::to_string(*id) +
                                            " not valid - must be between 1 & 255");
                    } else {
                        v.vrid = *id;
                    }
                }
            } else if (k == "priority") {
                if (const auto p = num<int>(c, 0, "priority")) {
                    if (*p < 1 || *p > 255) {
                        note(c.where(), "(" + v.name + ") priority " + std::to_string(*p) +
                                            " not valid, must be between 1 & 255; keepalived uses the default");
                    } else {
                        priority = *p;
                    }
                }
            } else if (k == "advert_int") {
                const std::string a = c.arg(0);
                char* end = nullptr;
                const double sec = std::strtod(a.c_str(), &end);
                // VRRP's advertisement interval is at most 255 s (a byte of seconds in version 2);
                // out of range (or not a number) is noted and keeps the default.
                if (a.empty() || end == nullptr || *end != '\0' || !(sec > 0 && sec <= 255)) {
                    note(c.where(), "advert_int needs a number of seconds above 0 and up to 255, got \"" + a + "\"");
                } else {
                    v.advertIntMs = static_cast<int>(sec * 1000 + 0.5);
                }
            } else if (k == "nopreempt") {
                v.nopreempt = true;
            } else if (k == "preempt") {
                v.nopreempt = false;
            } else if (k == "virtual_ipaddress" || k == "virtual_ipaddress_excluded") {
                auto& out = k == "virtual_ipaddress" ? v.virtualIpAddresses : v.virtualIpAddressesExcluded;
                for (const auto& a : c.children) {
                    if (!live(a)) {
                        continue;
                    }
                    if (!isIpWithPrefix(a.keyword)) {
                        note(a.where(), "VRRP parsed invalid IP " + a.keyword + "; keepalived skips it");
                        continue;
                    }
                    out.push_back(spec(a));
                }
            } else if (k == "unicast_peer") {
                for (const auto& a : c.children) {
                    if (!live(a)) {
                        continue;
                    }
                    if (!isIp(a.keyword)) {
                        note(a.where(), "(" + v.name + ") malformed unicast peer address " + a.keyword +
                                            "; keepalived skips it");
                        continue;
                    }
                    v.unicastPeers.push_back(a.keyword);
                }
            } else if (k == "track_interface") {
                v.trackInterfaces = trackRefs(c);
            } else if (k == "track_script") {
                v.trackScripts = trackRefs(c, v.name, &m_scriptNames, "track script");
            } else if (k == "track_file") {
                v.trackFiles = trackRefs(c, v.name, &m_trackFileNames, "track file");
            } else if (text::startsWith(k, "notify")) {
                v.notify[k] = joined(c);
            }
        }
        if (v.name.empty()) {
            note(v.where, "vrrp_instance without a name");
        }
        if (v.interface.empty()) {
            note(v.where, "vrrp_instance " + v.name + " has no interface");
        }
        if (!vridSeen) {
            note(v.where, "vrrp_instance " + v.name + " has no virtual_router_id");
        }
        // keepalived's effective values.
        v.priority = priority.value_or(v.state == "MASTER" ? 255 : 100);
        if (v.nopreempt && v.state == "MASTER") {
            note(v.where, "(" + v.name + ") nopreempt will not work with initial state MASTER; keepalived clears it");
            v.nopreempt = false;
        } else if (v.nopreempt && v.priority == 255) {
            note(v.where, "(" + v.name + ") nopreempt is incompatible with priority 255; keepalived clears it");
            v.nopreempt = false;
        }
        m_cfg.instances.push_back(std::move(v));
    }

    void trackFile(const ConfNode& n)
    {
        KaTrackFile t;
        t.name = n.arg(0);
        t.where = n.where();
        for (const auto& c : n.children) {
            if (!live(c)) {
                continue;
            }
            if (c.keyword == "file") {
                t.path = c.arg(0);
            } else if (c.keyword == "weight") {
                t.weight = num<int>(c, 0, "weight").value_or(1);
                t.reverse = c.arg(1) == "reverse";
            } else if (c.keyword == "init_file") {
                t.initValue = 0;
                for (const auto& a : c.args) {
                    if (a == "overwrite") {
                        t.overwrite = true;
                    } else if (const auto v = text::number<int>(a)) {
                        t.initValue = *v;
                    }
                }
            }
        }
        if (t.path.empty()) {
            note(t.where, "track_file " + t.name + " has no file");
        }
        m_trackFileNames.insert(t.name);
        m_cfg.trackFiles.push_back(std::move(t));
    }

    void vsGroup(const ConfNode& n)
    {
        KaVirtualServerGroup g;
        g.name = n.arg(0);
        g.where = n.where();
        for (const auto& c : n.children) {
            if (!live(c)) {
                continue;
            }
            KaVsGroupEntry e;
            e.where = c.where();
            if (c.keyword == "fwmark") {
                const auto mark = text::number<std::uint32_t>(c.arg(0));
                if (!mark || *mark == 0) {
                    note(c.where(), "virtual_server_group " + g.name + ": fwmark needs a number, got \"" + c.arg(0) +
                                        "\"; keepalived skips it");
                    continue;
                }
                e.fwmark = *mark;
            } else {
                std::string first = c.keyword;
                std::string last;
                if (const auto dash = first.find('-'); dash != std::string::npos) {
                    // 198.18.0.1-10: a range of the last part of the address.
                    const std::string tail = first.substr(dash + 1);
                    first = first.substr(0, dash);
                    const auto sep = first.find_last_of(first.find(':') != std::string::npos ? ':' : '.');
                    last = sep == std::string::npos ? tail : first.substr(0, sep + 1) + tail;
                }
                const auto port = text::number<std::uint16_t>(c.arg(0));
                if (!isIp(first) || (!last.empty() && !isIp(last)) || (c.args.size() > 0 && !port)) {
                    note(c.where(), "virtual_server_group " + g.name + ": invalid address/port " + spec(c) +
                                        "; keepalived skips it");
                    continue;
                }
                e.address = first;
                e.lastAddress = last;
                e.port = port.value_or(0);
            }
            g.entries.push_back(std::move(e));
        }
        m_cfg.virtualServerGroups.push_back(std::move(g));
    }

    KaCheck check(const ConfNode& n)
    {
        KaCheck ch;
        ch.type = n.keyword;
        ch.where = n.where();
        for (const auto& c : n.children) {
            if (!live(c)) {
                continue;
            }
            if (c.keyword == "url") {
                if (const auto* p = c.child("path")) {
                    ch.urlPaths.push_back(p->arg(0));
                }
            } else {
                ch.params[c.keyword] = joined(c);
            }
        }
        return ch;
    }

    void virtualServer(const ConfNode& n)
    {
        KaVirtualServer vs;
        vs.where = n.where();
        const std::string label = "virtual_server " + joined(n);
        bool onlyFwmarks = false; // a fwmark service, or a group of fwmarks only: no protocol
        if (n.arg(0) == "fwmark") {
            const auto mark = text::number<std::uint32_t>(n.arg(1));
            if (!mark || *mark == 0) {
                note(vs.where, "Invalid virtual server fwmark " + n.arg(1) + "; keepalived skips the service");
                return;
            }
            vs.fwmark = *mark;
            onlyFwmarks = true;
        } else if (n.arg(0) == "group") {
            vs.group = n.arg(1);
            const auto it = std::find_if(m_cfg.virtualServerGroups.begin(), m_cfg.virtualServerGroups.end(),
                                         [&](const KaVirtualServerGroup& g) { return g.name == vs.group; });
            if (it == m_cfg.virtualServerGroups.end()) {
                note(vs.where, "virtual_server_group " + vs.group + " is not defined; keepalived skips the service");
                return;
            }
            vs.groupEntries = it->entries;
            onlyFwmarks = !vs.groupEntries.empty() &&
                          std::all_of(vs.groupEntries.begin(), vs.groupEntries.end(),
                                      [](const KaVsGroupEntry& e) { return e.fwmark != 0; });
        } else {
            vs.address = n.arg(0);
            const auto port = text::number<std::uint16_t>(n.arg(1));
            if (!isIp(vs.address) || (n.args.size() > 1 && !port)) {
                note(vs.where, "Invalid virtual server IP address/port " + vs.address + "/" + n.arg(1) +
                                   "; keepalived skips the service");
                return;
            }
            vs.port = port.value_or(0);
        }
        bool algoSet = false;
        bool kindSet = false;
        bool protocolSet = false;
        for (const auto& c : n.children) {
            if (!live(c)) {
                continue;
            }
            const auto& k = c.keyword;
            if (k == "lb_algo" || k == "lvs_sched") {
                const std::string a = c.arg(0);
                if (std::find(kSchedulers.begin(), kSchedulers.end(), a) == kSchedulers.end()) {
                    note(c.where(), "Invalid lvs_scheduler '" + a + "'; keepalived ignores it");
                } else {
                    vs.lbAlgo = a;
                    algoSet = true;
                }
            } else if (k == "lb_kind" || k == "lvs_method") {
                const std::string m = c.arg(0);
                if (m == "NAT" || m == "DR" || m == "TUN") {
                    vs.lbKind = m;
                    kindSet = true;
                } else {
                    note(c.where(), "unknown [" + m + "] routing method (keepalived wants NAT, DR or TUN, " +
                                        "in capitals); keepalived ignores it");
                }
            } else if (k == "protocol") {
                const std::string p = text::lower(c.arg(0));
                if (p == "tcp" || p == "udp" || p == "sctp") {
                    std::string up = c.arg(0);
                    std::transform(up.begin(), up.end(), up.begin(),
                                   [](unsigned char ch) { return static_cast<char>(std::toupper(ch)); });
                    vs.protocol = up;
                    protocolSet = true;
                } else {
                    note(c.where(), "Unknown protocol " + c.arg(0) + "; keepalived ignores it");
                }
                if (onlyFwmarks) {
                    note(c.where(), "protocol specified for a fwmark service; keepalived ignores it");
                }
            } else if (k == "persistence_timeout") {
                if (c.args.empty()) {
                    vs.persistenceTimeout = kDefaultPersistence;
                } else {
                    const auto t = text::number<std::uint32_t>(c.arg(0));
                    if (!t || *t < 1 || *t > kMaxPersistence) {
                        note(c.where(), "persistence_timeout " + c.arg(0) + " outside range [1, " +
                                            std::to_string(kMaxPersistence) +
                                            "]; keepalived rejects it and the service is not persistent");
                    } else {
                        vs.persistenceTimeout = *t;
                    }
                }
            } else if (k == "real_server") {
                realServer(vs, c, vs.fwmark != 0);
            }
        }
        if (onlyFwmarks) {
            vs.protocol.clear();
        } else if (!protocolSet) {
            note(vs.where, label + ": no protocol set; keepalived 2.2.7 defaults to UDP");
        }
        if (!algoSet) {
            note(vs.where, label + ": no scheduler set; keepalived uses wlc");
        }
        if (!kindSet) {
            note(vs.where, label + ": no forwarding method set; keepalived uses NAT");
        }
        m_cfg.virtualServers.push_back(std::move(vs));
    }

    void realServer(KaVirtualServer& vs, const ConfNode& n, bool fwmark)
    {
        KaRealServer rs;
        rs.where = n.where();
        rs.address = n.arg(0);
        const auto port = text::number<std::uint16_t>(n.arg(1));
        if (!isIp(rs.address) || (n.args.size() > 1 && !port)) {
            note(rs.where, "Invalid real server ip address/port " + rs.address + "/" + n.arg(1) +
                               "; keepalived skips it");
            return;
        }
        // Without a port, a real server takes its virtual server's one (keepalived 2.2.7).
        rs.port = port.value_or(fwmark ? 0 : vs.port);
        if (fwmark && rs.port != 0) {
            note(rs.where, "real server " + rs.address + " of a fwmark service has port " + std::to_string(rs.port) +
                               "; keepalived clears it (IPVS holds port 0)");
            rs.port = 0;
        }
        for (const auto& c : n.children) {
            if (!live(c)) {
                continue;
            }
            const auto& k = c.keyword;
            if (k == "weight") {
                const auto w = text::number<std::uint32_t>(c.arg(0));
                if (!w || *w > 2147483647U) {
                    note(c.where(), "Real server weight " + c.arg(0) + " is outside range 0-2147483647");
                } else {
                    rs.weight = static_cast<int>(*w);
                }
            } else if (k == "inhibit_on_failure") {
                rs.inhibitOnFailure = c.args.empty() || c.arg(0) == "on" || c.arg(0) == "true" || c.arg(0) == "yes";
            } else if (text::startsWith(k, "notify")) {
                rs.notify[k] = joined(c);
            } else if (std::find(kCheckers.begin(), kCheckers.end(), k) != kCheckers.end()) {
                rs.checks.push_back(check(c));
            }
        }
        vs.realServers.push_back(std::move(rs));
    }

    KeepalivedConfig& m_cfg;
    std::set<std::string> m_instanceNames;
    std::set<std::string> m_scriptNames;
    std::set<std::string> m_trackFileNames;
};

/// "198.18.0.9" + 1 = "198.18.0.10"; IPv6 steps the last group.
std::vector<std::string> expandRange(const std::string& first, const std::string& last)
{
    std::vector<std::string> out;
    const bool v6 = first.find(':') != std::string::npos;
    const auto sep = first.find_last_of(v6 ? ':' : '.');
    const auto lastSep = last.find_last_of(v6 ? ':' : '.');
    if (sep == std::string::npos || lastSep == std::string::npos) {
        return {first};
    }
    const int base = v6 ? 16 : 10;
    const auto from = text::number<unsigned>(first.substr(sep + 1), base);
    const auto to = text::number<unsigned>(last.substr(lastSep + 1), base);
    if (!from || !to || *to < *from || *to - *from > 65535) {
        return {first};
    }
    for (unsigned i = *from; i <= *to; ++i) {
        char buf[16];
        std::snprintf(buf, sizeof buf, v6 ? "%x" : "%u", i);
        out.push_back(first.substr(0, sep + 1) + buf);
    }
    return out;
}

} // namespace

std::vector<std::string> KaVsGroupEntry::addresses() const
{
    if (address.empty()) {
        return {};
    }
    return lastAddress.empty() ? std::vector<std::string>{address} : expandRange(address, lastAddress);
}

std::vector<KaIpvsService> KaVirtualServer::ipvsServices() const
{
    std::vector<KaIpvsService> out;
    if (fwmark != 0) {
        out.push_back({{}, 0, fwmark, {}});
        return out;
    }
    if (group.empty()) {
        out.push_back({address, port, 0, protocol});
        return out;
    }
    for (const auto& e : groupEntries) {
        if (e.fwmark != 0) {
            out.push_back({{}, 0, e.fwmark, {}});
            continue;
        }
        for (const auto& a : e.addresses()) {
            out.push_back({a, e.port, 0, protocol});
        }
    }
    return out;
}

namespace {

/// keepalived's inet_sockaddrtotrio(): "[ADDRESS]:PROTOCOL:PORT", the address as inet_ntop writes it.
std::string lvsTrio(const std::string& address, const std::string& protocol, std::uint16_t port)
{
    std::string addr = address;
    std::array<unsigned char, sizeof(in6_addr)> bin{};
    const int af = address.find(':') != std::string::npos ? AF_INET6 : AF_INET;
    std::array<char, INET6_ADDRSTRLEN> buf{};
    if (inet_pton(af, address.c_str(), bin.data()) == 1 &&
        inet_ntop(af, bin.data(), buf.data(), buf.size()) != nullptr) {
        addr = buf.data();
    }
    std::string proto = protocol.empty() ? std::string("none") : protocol;
    std::transform(proto.begin(), proto.end(), proto.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return "[" + addr + "]:" + proto + ":" + std::to_string(port);
}

} // namespace

std::string KaVirtualServer::lvsName() const
{
    if (!group.empty()) {
        return "[" + group + "]:0"; // a group-based service has no address of its own, so port 0
    }
    if (fwmark != 0) {
        return "FWM " + std::to_string(fwmark);
    }
    return lvsTrio(address, protocol, port);
}

std::string KaVirtualServer::lvsName(const KaRealServer& rs) const
{
    return lvsTrio(rs.address, fwmark != 0 ? std::string() : protocol, rs.port);
}

std::vector<std::string> KaVrrpInstance::vipAddresses() const
{
    std::vector<std::string> out;
    for (const auto& s : virtualIpAddresses) {
        const auto w = text::words(s);
        if (!w.empty()) {
            out.emplace_back(w.front());
        }
    }
    return out;
}

KeepalivedConfig typedView(ConfTree tree)
{
    KeepalivedConfig cfg;
    cfg.tree = std::move(tree);
    cfg.diagnostics = cfg.tree.diagnostics;
    ViewBuilder(cfg).build();
    return cfg;
}

} // namespace hadeck::probes
