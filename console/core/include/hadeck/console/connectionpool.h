#pragma once

// All nodes of one cluster, connected in parallel; each node's state, last error
// and hello, with signals when they change.

#include "hadeck/console/agentclient.h"
#include "hadeck/console/inventory.h"
#include "hadeck/console/sshtransport.h"

#include <QObject>
#include <QString>
#include <QStringList>

#include <memory>
#include <optional>
#include <vector>

class QThread;

namespace hadeck::console {

class CredentialPrompter;

/// How the pool reaches @p node over SSH (the inventory's user, or the login name when none).
SshEndpoint sshEndpointFor(const NodeSpec& node);
/// The jump host @p node is reached through, as an SSH hop; std::nullopt when there is none.
std::optional<SshEndpoint> sshJumpFor(const ClusterInventory& inventory, const NodeSpec& node);

struct ConnectionPoolOptions {
    AgentClientOptions client;
    int connectTimeoutMs = 15000;
    /// Remote program for the exec fallback.
    QString bridgeCommand = QStringLiteral("/usr/sbin/hadeck-agent"); // where the package installs it; not the remote PATH
    bool useSshAgent = true;
    /// Parse each agent's lines on a worker thread of its own instead of the
    /// caller's thread (a GUI keeps its event loop free of megabyte snapshots).
    bool decodeOffThread = false;
    /// Runs on that worker for every notification (AgentClient::setDecodeThread).
    AgentClient::NotificationDecoder notificationDecoder;
    /// And its fast path for large state.delta lines (AgentClient::FastDeltaDecoder).
    AgentClient::FastDeltaDecoder fastDeltaDecoder;
};

class ConnectionPool : public QObject {
    Q_OBJECT
public:
    /// @param prompter answers host key and passphrase questions; not owned; null refuses.
    ConnectionPool(ClusterInventory inventory, CredentialPrompter* prompter, ConnectionPoolOptions options = {},
                   QObject* parent = nullptr);
    ~ConnectionPool() override;

    void connectAll();
    void disconnectAll();
    /// After the user fixed a refusal (accepted a key, loaded a key).
    void retry(const QString& node);

    [[nodiscard]] const ClusterInventory& inventory() const { return m_inventory; }
    /// Who answers host key and passphrase questions for this pool's connections (null: nobody).
    [[nodiscard]] CredentialPrompter* prompter() const { return m_prompter; }
    [[nodiscard]] QStringList nodeNames() const;
    [[nodiscard]] AgentClient* client(const QString& node) const;
    [[nodiscard]] NodeState state(const QString& node) const;
    /// The node's client when it takes calls now (takesCalls()); null otherwise.
    [[nodiscard]] AgentClient* callable(const QString& node) const;
    [[nodiscard]] QString lastError(const QString& node) const;
    [[nodiscard]] std::optional<proto::HelloResult> hello(const QString& node) const;
    /// No node is still Connecting (each is Online, Degraded, Unreachable or Refused).
    [[nodiscard]] bool allSettled() const;
    [[nodiscard]] int countIn(NodeState state) const;

signals:
    void nodeStateChanged(const QString& node, hadeck::console::NodeState state, const QString& error);
    void nodeHelloReceived(const QString& node, const hadeck::proto::HelloResult& hello);
    void nodeNotification(const QString& node, const QString& method, const hadeck::rpc::Json& params);
    /// Emitted each time the last Connecting node settles.
    void settled();

private:
    Transport* makeTransport(const NodeSpec& spec);

    ClusterInventory m_inventory;
    CredentialPrompter* m_prompter;
    ConnectionPoolOptions m_options;
    std::vector<AgentClient*> m_clients; // children of this
    // One per node: a flooding agent's backlog never delays another node's lines.
    std::vector<std::unique_ptr<QThread>> m_decodeThreads;
};

} // namespace hadeck::console
