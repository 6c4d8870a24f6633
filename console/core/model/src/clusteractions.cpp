#include "hadeck/console/model/clusteractions.h"

#include <hadeck/protocol/methods.h>

#include <QCoreApplication>

namespace hadeck::console {

namespace {
QString notWired()
{
    return QCoreApplication::translate("ClusterActions",
                                       "Not available yet: this console build has no action engine for it");
}
} // namespace

QString nodeActionName(NodeAction action)
{
    switch (action) {
    case NodeAction::Drain: return QCoreApplication::translate("ClusterActions", "Drain");
    case NodeAction::Restore: return QCoreApplication::translate("ClusterActions", "Restore");
    case NodeAction::SetWeight: return QCoreApplication::translate("ClusterActions", "Set weight");
    case NodeAction::Failover: return QCoreApplication::translate("ClusterActions", "Fail over");
    case NodeAction::MakeMaster: return QCoreApplication::translate("ClusterActions", "Make master");
    }
    return {};
}

proto::PermissionLevel requiredPermission(NodeAction action)
{
    // The level the agent enforces: the declaration of the method the action calls.
    switch (action) {
    case NodeAction::Drain: return proto::methods::DrainApply.permission;
    case NodeAction::Restore: return proto::methods::DrainRestore.permission;
    case NodeAction::SetWeight: return proto::methods::IpvsSetWeight.permission;
    case NodeAction::Failover:
    case NodeAction::MakeMaster: return proto::methods::VrrpRelease.permission;
    }
    return proto::PermissionLevel::Admin; // an action added without a method: refuse until declared
}

ActionAvailability permissionGate(NodeAction action, const NodeSnapshot& node)
{
    if (!node.reachable()) {
        return {false, QCoreApplication::translate("ClusterActions", "%1 is %2: actions need a live connection")
                           .arg(node.name, linkName(node.link))};
    }
    const auto need = requiredPermission(action);
    if (node.permission() < need) {
        const QString user = node.hello ? QString::fromStdString(node.hello->user) : QString();
        return {false, QCoreApplication::translate("ClusterActions",
                                                   "Needs membership of the group %1 on %2; user %3 has %4 access")
                           .arg(QString::fromStdString(std::string(proto::groupFor(need))), node.name, user,
                                permissionName(node.permission()))};
    }
    return {true, {}};
}

ActionAvailability UnwiredActions::availability(NodeAction action, const NodeSnapshot& node) const
{
    auto gate = permissionGate(action, node);
    if (!gate.enabled) {
        return gate;
    }
    return {false, notWired()};
}

void UnwiredActions::drain(const QString& /*realServer*/, Done done) { done(false, notWired()); }
void UnwiredActions::restore(const QString& /*realServer*/, Done done) { done(false, notWired()); }
void UnwiredActions::setWeight(const QString& /*director*/, const QString& /*serviceKey*/,
                               const QString& /*endpoint*/, int /*weight*/, Done done)
{
    done(false, notWired());
}
void UnwiredActions::failover(const QString& /*director*/, int /*vrid*/, Done done) { done(false, notWired()); }

} // namespace hadeck::console
