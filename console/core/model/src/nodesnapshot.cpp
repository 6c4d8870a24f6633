#include "hadeck/console/model/nodesnapshot.h"

#include "hadeck/console/checks/alarm.h"
#include "hadeck/console/model/clusterevent.h"

#include <QCoreApplication>

#include <algorithm>

namespace hadeck::console {

QString DrCheck::failureSummary() const
{
    QStringList parts;
    for (const auto& item : items) {
        if (!item.ok) {
            parts << (item.detail.isEmpty() ? item.name : item.name + QStringLiteral(": ") + item.detail);
        }
    }
    return parts.join(QStringLiteral("; "));
}

std::vector<proto::Role> NodeSnapshot::roles() const
{
    if (hello && !hello->roles.empty()) {
        return hello->roles;
    }
    return roleHints;
}

bool NodeSnapshot::hasRole(proto::Role role) const
{
    const auto r = roles();
    return std::find(r.begin(), r.end(), role) != r.end();
}

Layer NodeSnapshot::layer() const { return layerFor(roles()); }

const proto::VrrpInstance* NodeSnapshot::vrrpInstance(int vrid) const
{
    for (const auto& i : vrrp) {
        if (i.vrid == vrid) {
            return &i;
        }
    }
    return nullptr;
}

Layer layerFor(const std::vector<proto::Role>& roles)
{
    using proto::Role;
    const auto has = [&](Role r) { return std::find(roles.begin(), roles.end(), r) != roles.end(); };
    if (has(Role::Director)) {
        return Layer::LoadBalancing;
    }
    if (has(Role::RealServer)) {
        return Layer::Application;
    }
    if (has(Role::Db) || has(Role::MfsMaster) || has(Role::MfsChunkserver) || has(Role::MfsMetalogger)) {
        return Layer::Data;
    }
    if (has(Role::Gateway)) {
        return Layer::Gateway;
    }
    return Layer::Unassigned;
}

QString layerName(Layer layer)
{
    switch (layer) {
    case Layer::LoadBalancing: return QCoreApplication::translate("Names", "Load balancing");
    case Layer::Application: return QCoreApplication::translate("Names", "Application");
    case Layer::Data: return QCoreApplication::translate("Names", "Data");
    case Layer::Gateway: return QCoreApplication::translate("Names", "Gateway");
    case Layer::Unassigned: return QCoreApplication::translate("Names", "Unassigned");
    }
    return {};
}

QString linkName(NodeState link)
{
    switch (link) {
    case NodeState::Connecting: return QCoreApplication::translate("Names", "connecting");
    case NodeState::Online: return QCoreApplication::translate("Names", "online");
    case NodeState::Degraded: return QCoreApplication::translate("Names", "degraded");
    case NodeState::Unreachable: return QCoreApplication::translate("Names", "unreachable");
    case NodeState::Refused: return QCoreApplication::translate("Names", "refused");
    case NodeState::ProtocolError: return QCoreApplication::translate("Names", "protocol error");
    case NodeState::NotInstalled: return QCoreApplication::translate("Names", "agent not installed");
    case NodeState::VersionMismatch: return QCoreApplication::translate("Names", "protocol version mismatch");
    }
    return {};
}

QString roleName(proto::Role role)
{
    using proto::Role;
    switch (role) {
    case Role::Director: return QCoreApplication::translate("Names", "director");
    case Role::RealServer: return QCoreApplication::translate("Names", "real server");
    case Role::Db: return QCoreApplication::translate("Names", "database");
    case Role::MfsMaster: return QCoreApplication::translate("Names", "MooseFS master");
    case Role::MfsChunkserver: return QCoreApplication::translate("Names", "MooseFS chunkserver");
    case Role::MfsMetalogger: return QCoreApplication::translate("Names", "MooseFS metalogger");
    case Role::Gateway: return QCoreApplication::translate("Names", "gateway");
    }
    return {};
}

QString vrrpStateName(proto::VrrpState state)
{
    // keepalived's own state words are what admins grep logs for: keep them untranslated.
    return QString::fromStdString(proto::toString(state));
}

QString permissionName(proto::PermissionLevel level)
{
    using proto::PermissionLevel;
    switch (level) {
    case PermissionLevel::None: return QCoreApplication::translate("Names", "no access");
    case PermissionLevel::Read: return QCoreApplication::translate("Names", "read");
    case PermissionLevel::Operate: return QCoreApplication::translate("Names", "operate");
    case PermissionLevel::Admin: return QCoreApplication::translate("Names", "admin");
    }
    return {};
}

QString severityName(Severity severity)
{
    switch (severity) {
    case Severity::Info: return QCoreApplication::translate("Names", "info");
    case Severity::Warning: return QCoreApplication::translate("Names", "warning");
    case Severity::Critical: return QCoreApplication::translate("Names", "critical");
    }
    return {};
}

QString eventKindName(ClusterEvent::Kind kind)
{
    using K = ClusterEvent::Kind;
    switch (kind) {
    case K::AlarmRaised: return QCoreApplication::translate("Names", "alarm");
    case K::AlarmCleared: return QCoreApplication::translate("Names", "cleared");
    case K::VrrpTransition: return QCoreApplication::translate("Names", "VRRP");
    case K::RealServerHealth: return QCoreApplication::translate("Names", "real server");
    case K::LinkChange: return QCoreApplication::translate("Names", "link");
    case K::AdminAction: return QCoreApplication::translate("Names", "action");
    }
    return {};
}

} // namespace hadeck::console
