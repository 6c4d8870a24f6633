#pragma once

// The per-node connection state every view shows. One enum for the CLI, the GUI
// and the pool, so a state means the same thing everywhere.

#include <QMetaType>
#include <QString>

#include <optional>

namespace hadeck::console {

enum class NodeState {
    Connecting,      ///< resolving, SSH handshake, or waiting for the agent's hello
    Online,          ///< hello answered and pings come back in time
    Degraded,        ///< online, but answers are slower than the pool's threshold
    Unreachable,     ///< network, sshd or agent gone; retried with backoff
    Refused,         ///< host key, authentication or permission refused; not retried until the user acts
    ProtocolError,   ///< the agent sent something this console cannot read; retried with backoff
    NotInstalled,    ///< SSH works but the node has no agent (no socket, no hadeck-agent): deploy it
    VersionMismatch, ///< the agent's protocol major version differs from the console's: upgrade it
};

/// Every state, in declaration order (for lookups and tests).
inline constexpr NodeState kAllNodeStates[] = {
    NodeState::Connecting, NodeState::Online,        NodeState::Degraded,     NodeState::Unreachable,
    NodeState::Refused,    NodeState::ProtocolError, NodeState::NotInstalled, NodeState::VersionMismatch};

/// The node takes calls now: Online, or Degraded (connected and answering, only slower than the
/// pool's threshold; on a loaded cluster that is when an admin needs it most).
constexpr bool takesCalls(NodeState state) { return state == NodeState::Online || state == NodeState::Degraded; }

/// Translated name for people ("Online", "在线").
QString displayName(NodeState state);
/// Stable lower-case identifier for scripts and JSON ("online").
QString toId(NodeState state);
std::optional<NodeState> nodeStateFromId(const QString& id);

} // namespace hadeck::console

Q_DECLARE_METATYPE(hadeck::console::NodeState)
