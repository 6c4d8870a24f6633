#pragma once

// The actions the GUI offers on a node, behind a narrow interface. The
// implementation that runs them across directors lives with the console's
// action layer; until it is wired, UnwiredActions tells the user so instead of
// pretending to succeed.

#include "hadeck/console/model/nodesnapshot.h"

#include <QString>

#include <functional>

namespace hadeck::console {

/// Whether an action can be offered now, and if not, the reason shown in the tooltip.
struct ActionAvailability {
    bool enabled = false;
    QString reason;
};

enum class NodeAction { Drain, Restore, SetWeight, Failover, MakeMaster };

QString nodeActionName(NodeAction action);
/// The permission each action needs, as the agent's method table demands it.
proto::PermissionLevel requiredPermission(NodeAction action);

class ClusterActions {
public:
    using Done = std::function<void(bool ok, const QString& message)>;
    virtual ~ClusterActions() = default;
    /// Availability of @p action on @p node given what the node's agent told us.
    [[nodiscard]] virtual ActionAvailability availability(NodeAction action, const NodeSnapshot& node) const = 0;
    virtual void drain(const QString& realServer, Done done) = 0;
    virtual void restore(const QString& realServer, Done done) = 0;
    virtual void setWeight(const QString& director, const QString& serviceKey, const QString& endpoint, int weight,
                           Done done) = 0;
    virtual void failover(const QString& director, int vrid, Done done) = 0;
};

/// Permission and reachability are checked first, so a read-only user sees
/// "needs hadeck-operator" rather than "not wired yet".
ActionAvailability permissionGate(NodeAction action, const NodeSnapshot& node);

class UnwiredActions final : public ClusterActions {
public:
    [[nodiscard]] ActionAvailability availability(NodeAction action, const NodeSnapshot& node) const override;
    void drain(const QString& realServer, Done done) override;
    void restore(const QString& realServer, Done done) override;
    void setWeight(const QString& director, const QString& serviceKey, const QString& endpoint, int weight,
                   Done done) override;
    void failover(const QString& director, int vrid, Done done) override;
};

} // namespace hadeck::console
