#include "hadeck/console/nodestate.h"

#include <QCoreApplication>

namespace hadeck::console {

QString displayName(NodeState state)
{
    switch (state) {
    case NodeState::Connecting:
        return QCoreApplication::translate("NodeState", "Connecting");
    case NodeState::Online:
        return QCoreApplication::translate("NodeState", "Online");
    case NodeState::Degraded:
        return QCoreApplication::translate("NodeState", "Degraded");
    case NodeState::Unreachable:
        return QCoreApplication::translate("NodeState", "Unreachable");
    case NodeState::Refused:
        return QCoreApplication::translate("NodeState", "Refused");
    case NodeState::ProtocolError:
        return QCoreApplication::translate("NodeState", "Protocol error");
    case NodeState::NotInstalled: return QCoreApplication::translate("NodeState", "Agent not installed");
    case NodeState::VersionMismatch: return QCoreApplication::translate("NodeState", "Protocol version mismatch");
    }
    return {};
}

QString toId(NodeState state)
{
    switch (state) {
    case NodeState::Connecting:
        return QStringLiteral("connecting");
    case NodeState::Online:
        return QStringLiteral("online");
    case NodeState::Degraded:
        return QStringLiteral("degraded");
    case NodeState::Unreachable:
        return QStringLiteral("unreachable");
    case NodeState::Refused:
        return QStringLiteral("refused");
    case NodeState::ProtocolError:
        return QStringLiteral("protocol-error");
    case NodeState::NotInstalled: return QStringLiteral("agent-not-installed");
    case NodeState::VersionMismatch: return QStringLiteral("version-mismatch");
    }
    return {};
}

std::optional<NodeState> nodeStateFromId(const QString& id)
{
    for (auto s : kAllNodeStates) {
        if (toId(s) == id)
            return s;
    }
    return std::nullopt;
}

} // namespace hadeck::console
