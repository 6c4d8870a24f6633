#include "hadeck/console/firewall/lint.h"

#include <algorithm>

// The sentences of the needs are marked for the console's catalog (context FirewallLint), which
// translates them with their arguments (linttext.h); this library itself stays free of Qt.
#ifndef QT_TRANSLATE_NOOP
#define QT_TRANSLATE_NOOP(scope, x) x
#endif

namespace hadeck::console::fw {

using proto::Role;

bool ClusterNode::has(Role r) const { return std::find(roles.begin(), roles.end(), r) != roles.end(); }

std::string_view toString(NeedKind kind)
{
    switch (kind) {
    case NeedKind::SshFromConsole: return "ssh";
    case NeedKind::Vrrp: return "vrrp";
    case NeedKind::VirtualService: return "virtual-service";
    case NeedKind::VipOnRealServer: return "vip-on-realserver";
    case NeedKind::HealthCheck: return "health-check";
    case NeedKind::MariaDb: return "mariadb";
    case NeedKind::MooseFs: return "moosefs";
    case NeedKind::GatewayForward: return "gateway-forward";
    }
    return "unknown";
}

namespace {

std::string family(const std::string& addr) { return addr.find(':') != std::string::npos ? "ip6" : "ip"; }

Packet packet(const std::string& hook, const std::string& saddr, const std::string& daddr, int proto,
              std::optional<std::uint16_t> dport)
{
    Packet p;
    p.family = family(daddr);
    p.hook = hook;
    p.saddr = saddr;
    p.daddr = daddr;
    p.l4proto = proto;
    if (proto == 6 || proto == 17) {
        p.sport = 40000;
    }
    p.dport = dport;
    return p;
}

int protoNumber(const std::string& p) { return p == "udp" ? 17 : p == "sctp" ? 132 : 6; }

std::string vsName(const proto::VirtualService& vs)
{
    return vs.protocol + " " + vs.address + ":" + std::to_string(vs.port);
}

} // namespace

std::string routeInterface(const std::vector<proto::fw::Interface>& interfaces, const std::string& defaultInterface,
                           const std::string& address)
{
    std::string best;
    int bestLen = -1;
    for (const auto& i : interfaces) {
        for (const auto& cidr : i.addresses) {
            if (cidr.substr(0, cidr.find('/')) == address) {
                return "lo"; // the node's own address
            }
            if (const int len = prefixMatch(address, cidr); len > bestLen) {
                best = i.name;
                bestLen = len;
            }
        }
    }
    if (bestLen < 0 && address.find(':') == std::string::npos) {
        best = defaultInterface;
    }
    return best;
}

std::vector<Need> neededPackets(const ClusterFacts& facts, const std::string& nodeName)
{
    std::vector<Need> needs;
    const auto self = std::find_if(facts.nodes.begin(), facts.nodes.end(),
                                   [&](const ClusterNode& n) { return n.name == nodeName; });
    if (self == facts.nodes.end() || self->address.empty()) {
        return needs;
    }
    const ClusterNode& me = *self;
    const auto others = [&](Role r) {
        std::vector<const ClusterNode*> out;
        for (const auto& n : facts.nodes) {
            if (n.name != me.name && n.has(r) && !n.address.empty()) {
                out.push_back(&n);
            }
        }
        return out;
    };
    const auto add = [&](NeedKind k, const char* whyText, std::vector<std::string> whyArgs, Packet p) {
        if (!facts.interfaces.empty()) {
            p.iif = routeInterface(facts.interfaces, facts.defaultInterface, p.saddr);
            if (p.hook == "forward") {
                p.oif = routeInterface(facts.interfaces, facts.defaultInterface, p.daddr);
            }
        }
        std::string why = fillArgs(whyText, whyArgs);
        needs.push_back(Need{k, std::move(why), std::move(p), whyText, std::move(whyArgs)});
    };

    for (const auto& c : facts.consoleAddresses) {
        add(NeedKind::SshFromConsole, QT_TRANSLATE_NOOP("FirewallLint", "SSH from the console (%1)"), {c},
            packet("input", c, me.address, 6, 22));
    }
    if (me.has(Role::Director)) {
        for (const auto* d : others(Role::Director)) {
            add(NeedKind::Vrrp, QT_TRANSLATE_NOOP("FirewallLint", "VRRP adverts from the other director %1"), {d->name},
                packet("input", d->address, family(d->address) == "ip" ? "224.0.0.18" : "ff02::12", 112, std::nullopt));
        }
        for (const auto& vs : facts.services) {
            if (vs.fwmark == 0 && !vs.address.empty()) {
                add(NeedKind::VirtualService, QT_TRANSLATE_NOOP("FirewallLint", "clients to the virtual service %1"),
                    {vsName(vs)}, packet("input", facts.clientAddress, vs.address, protoNumber(vs.protocol), vs.port));
            }
        }
    }
    if (me.has(Role::RealServer)) {
        for (const auto& vs : facts.services) {
            for (const auto& rs : vs.realServers) {
                if (rs.address != me.address) {
                    continue;
                }
                if (!vs.address.empty()) {
                    add(NeedKind::VipOnRealServer,
                        QT_TRANSLATE_NOOP("FirewallLint", "clients to %1 (LVS-DR: the VIP on this real server)"),
                        {vsName(vs)},
                        packet("input", facts.clientAddress, vs.address, protoNumber(vs.protocol), vs.port));
                }
                for (const auto* d : others(Role::Director)) {
                    add(NeedKind::HealthCheck,
                        QT_TRANSLATE_NOOP("FirewallLint", "keepalived health check from %1 for %2"),
                        {d->name, vsName(vs)},
                        packet("input", d->address, me.address, protoNumber(vs.protocol), rs.port ? rs.port : vs.port));
                }
            }
        }
    }
    if (me.has(Role::Db)) {
        for (const auto* w : others(Role::RealServer)) {
            add(NeedKind::MariaDb, QT_TRANSLATE_NOOP("FirewallLint", "MariaDB from the web node %1"), {w->name},
                packet("input", w->address, me.address, 6, 3306));
        }
        for (const auto* d : others(Role::Db)) {
            add(NeedKind::MariaDb, QT_TRANSLATE_NOOP("FirewallLint", "MariaDB replication with %1"), {d->name},
                packet("input", d->address, me.address, 6, 3306));
        }
    }
    if (me.has(Role::MfsMaster)) {
        for (const auto* m : others(Role::MfsMetalogger)) {
            add(NeedKind::MooseFs, QT_TRANSLATE_NOOP("FirewallLint", "MooseFS metalogger %1 to the master"), {m->name},
                packet("input", m->address, me.address, 6, 9419));
        }
        for (const auto* c : others(Role::MfsChunkserver)) {
            add(NeedKind::MooseFs, QT_TRANSLATE_NOOP("FirewallLint", "MooseFS chunkserver %1 to the master"), {c->name},
                packet("input", c->address, me.address, 6, 9420));
        }
        for (const auto* w : others(Role::RealServer)) {
            add(NeedKind::MooseFs, QT_TRANSLATE_NOOP("FirewallLint", "MooseFS client %1 to the master"), {w->name},
                packet("input", w->address, me.address, 6, 9421));
        }
    }
    if (me.has(Role::MfsChunkserver)) {
        for (const auto* w : others(Role::RealServer)) {
            add(NeedKind::MooseFs, QT_TRANSLATE_NOOP("FirewallLint", "MooseFS client %1 to this chunkserver"),
                {w->name}, packet("input", w->address, me.address, 6, 9422));
        }
        for (const auto* c : others(Role::MfsChunkserver)) {
            add(NeedKind::MooseFs, QT_TRANSLATE_NOOP("FirewallLint", "MooseFS chunkserver %1 (replication)"), {c->name},
                packet("input", c->address, me.address, 6, 9422));
        }
    }
    if (me.has(Role::Gateway)) {
        for (const auto& vs : facts.services) {
            if (vs.fwmark == 0 && !vs.address.empty()) {
                add(NeedKind::GatewayForward, QT_TRANSLATE_NOOP("FirewallLint", "clients through the gateway to %1"),
                    {vsName(vs)},
                    packet("forward", facts.clientAddress, vs.address, protoNumber(vs.protocol), vs.port));
            }
        }
    }
    return needs;
}

std::vector<Finding> lint(const Ruleset& ruleset, const std::vector<Need>& needs)
{
    std::vector<Finding> out;
    for (const auto& n : needs) {
        Decision d = evaluate(ruleset, n.packet);
        if (d.verdict != Verdict::Accept) {
            out.push_back(Finding{n, std::move(d)});
        }
    }
    return out;
}

std::string Finding::text() const
{
    std::string s = decision.verdict == Verdict::Drop ? "blocked: " : "cannot judge: ";
    s += describe(need.packet) + " — " + need.why + ", ";
    if (decision.handle != 0) {
        s += "by rule " + decision.family + " " + decision.table + " " + decision.chain + " #" +
             std::to_string(decision.handle) + " \"" + decision.ruleText + "\"";
    } else {
        s +=
            "by the " + decision.family + " " + decision.table + " " + decision.chain + " chain's " + decision.reason();
    }
    if (decision.verdict == Verdict::CannotJudge && decision.handle != 0) {
        s += " (" + decision.reason() + ")";
    }
    return s;
}

} // namespace hadeck::console::fw
