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
    }
    return {};
}

std::optional<NodeState> nodeStateFromId(const QString& id)
{
    for (auto s : {NodeState::Connecting, NodeState::Online, NodeState::Degraded, NodeState::Unreachable,
                   NodeState::Refused, NodeState::ProtocolError}) {
        if (toId(s) == id)
            return s;
    }
    return std::nullopt;
}

} // namespace hadeck::console
