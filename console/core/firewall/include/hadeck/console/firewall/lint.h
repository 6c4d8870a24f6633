#pragma once

// The lockout lint: the packets the cluster needs on one node, built from the live
// cluster picture, judged against the ruleset a change would produce. Each blocked
// packet is named with the rule that blocks it; a packet the evaluator cannot judge
// is a finding too. Pure.

#include "hadeck/console/firewall/evaluator.h"
#include "hadeck/protocol/director.h"
#include "hadeck/protocol/types.h"

#include <string>
#include <vector>

namespace hadeck::console::fw {

struct ClusterNode {
    std::string name;
    std::string address;
    std::vector<proto::Role> roles;
    [[nodiscard]] bool has(proto::Role r) const;
};

struct ClusterFacts {
    std::vector<ClusterNode> nodes;
    /// The virtual services as the directors' IPVS tables show them.
    std::vector<proto::VirtualService> services;
    /// The console as the node sees it: the peers of its established SSH connections.
    std::vector<std::string> consoleAddresses;
    /// A client of the virtual services, for the VIP and gateway paths.
    std::string clientAddress = "198.19.0.10";
    /// The node's interfaces and default route (Ruleset::interfaces): each packet gets the
    /// interface it arrives on, and a forwarded one the interface it leaves by. Empty: unknown.
    std::vector<proto::fw::Interface> interfaces;
    std::string defaultInterface;
};

/// The interface a packet from (or to) @p address uses on a node with @p interfaces: the one
/// whose prefix holds it (the longest), else the IPv4 default route's; "lo" for the node's own
/// addresses; empty when not known.
std::string routeInterface(const std::vector<proto::fw::Interface>& interfaces, const std::string& defaultInterface,
                           const std::string& address);

enum class NeedKind { SshFromConsole, Vrrp, VirtualService, VipOnRealServer, HealthCheck, MariaDb, MooseFs, GatewayForward };
std::string_view toString(NeedKind kind);

struct Need {
    NeedKind kind = NeedKind::SshFromConsole;
    std::string why; // "SSH from the console (198.18.0.5)"
    Packet packet;
    /// `why` before its arguments were put in: the sentence (with %1, %2) as the console's catalog
    /// has it (context FirewallLint), so it can be shown in the console's language; empty when
    /// only `why` is known.
    const char* whyText = "";
    std::vector<std::string> whyArgs;
};

struct Finding {
    Need need;
    Decision decision; // Drop or CannotJudge
    /// "blocked: tcp 198.18.0.5 -> 198.18.1.10:22 (new, input) — SSH from the console, by inet hadeck_filter input #19 \"...\""
    [[nodiscard]] std::string text() const;
};

/// The packets node @p node needs to receive (or forward, on the gateway).
std::vector<Need> neededPackets(const ClusterFacts& facts, const std::string& node);

/// The needs @p ruleset drops or cannot judge. Empty: nothing in the way.
std::vector<Finding> lint(const Ruleset& ruleset, const std::vector<Need>& needs);

} // namespace hadeck::console::fw
