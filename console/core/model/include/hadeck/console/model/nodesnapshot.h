#pragma once

// What the console knows about one node at a moment: its link, what its agent
// said in agent.hello, and the latest state of each subsystem it publishes.

#include "hadeck/console/nodestate.h"
#include "hadeck/protocol/director.h"
#include "hadeck/protocol/types.h"

#include <QString>
#include <QStringList>

#include <cstddef>
#include <optional>
#include <vector>

namespace hadeck::console {


/// The cluster layers of the seed architecture, in display order.
enum class Layer { LoadBalancing = 0, Application = 1, Data = 2, Gateway = 3, Unassigned = 4 };
inline constexpr int kLayerCount = 5;

/// One line of the LVS-DR conformance check a real server runs on itself.
struct DrCheckItem {
    QString name;   // "arp_ignore", "vip_on_lo", ...
    bool ok = true;
    QString detail; // what was found, in the agent's words
    bool operator==(const DrCheckItem&) const = default;
};

/// Result of realserver.check on one node.
struct DrCheck {
    bool ok = true;
    std::vector<DrCheckItem> items;
    bool operator==(const DrCheck&) const = default;

    /// The failing items joined for a tooltip or an alarm ("arp_ignore: 0").
    [[nodiscard]] QString failureSummary() const;
};

struct NodeSnapshot {
    QString name;
    QString address;
    std::vector<proto::Role> roleHints; // from the inventory, used until hello arrives
    NodeState link = NodeState::Connecting;
    QString lastError;
    std::optional<proto::HelloResult> hello;
    bool hasIpvs = false;
    std::vector<proto::VirtualService> ipvs;
    bool hasVrrp = false;
    std::vector<proto::VrrpInstance> vrrp;
    /// VRRP instances the agent reported past ClusterModel::kMaxVrrpInstances and that were
    /// dropped, since its last "vrrp" snapshot (0: none). A director runs a handful.
    std::size_t vrrpDropped = 0;
    /// keepalived runs there, as its agent says (the "running" of the vrrp topic); unset: not said (older agents).
    std::optional<bool> keepalivedRunning;
    std::optional<DrCheck> drCheck;
    /// Why the last state.delta from this node could not be read (a wrong type, a number out of
    /// range, ...). Nothing of it was applied: the last readable state stays, and an alarm says so.
    /// Cleared by the next readable delta.
    QString unreadableState;
    qint64 updatedMs = 0; // wall clock of the last change, ms since the epoch

    /// Roles reported by the agent, or the inventory's hints before hello.
    [[nodiscard]] std::vector<proto::Role> roles() const;
    [[nodiscard]] bool hasRole(proto::Role role) const;
    [[nodiscard]] Layer layer() const;
    [[nodiscard]] bool reachable() const { return link == NodeState::Online || link == NodeState::Degraded; }
    [[nodiscard]] proto::PermissionLevel permission() const
    {
        return hello ? hello->permission : proto::PermissionLevel::None;
    }
    /// The instance this node runs for @p vrid, or nullptr.
    [[nodiscard]] const proto::VrrpInstance* vrrpInstance(int vrid) const;
};

/// The layer a node with these roles is drawn in. A director that is also a
/// gateway stays in load balancing: that is where an admin looks for it.
Layer layerFor(const std::vector<proto::Role>& roles);

QString layerName(Layer layer);
/// Same words as the core's displayName(NodeState); kept here so the model needs no transport.
QString linkName(NodeState link);
QString roleName(proto::Role role);
QString vrrpStateName(proto::VrrpState state);
QString permissionName(proto::PermissionLevel level);

} // namespace hadeck::console
