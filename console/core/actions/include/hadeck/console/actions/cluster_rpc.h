#pragma once

// What actions that span nodes need from the connection pool: which nodes are
// directors, which node is a given real server, and calls to any node's agent.
// PoolRpc is the implementation on ConnectionPool.

#include "hadeck/console/agentclient.h"

#include <hadeck/protocol/jsonrpc.h>

#include <QObject>
#include <QString>
#include <QStringList>

#include <functional>

namespace hadeck::console {

class ConnectionPool;

class ClusterRpc {
public:
    using Handler = std::function<void(const RpcResult&)>;
    virtual ~ClusterRpc() = default;
    /// Nodes whose agent reports the director role, online or not.
    [[nodiscard]] virtual QStringList directors() const = 0;
    /// The node whose inventory address is @p address, or empty.
    [[nodiscard]] virtual QString nodeForAddress(const QString& address) const = 0;
    [[nodiscard]] virtual bool isOnline(const QString& node) const = 0;
    /// The SSH user the console logs in as on @p node (for the job's record).
    [[nodiscard]] virtual QString userOn(const QString& node) const = 0;
    /// Calls @p method on @p node; @p handler runs exactly once (Disconnected when offline).
    virtual void call(const QString& node, const QString& method, rpc::Json params, Handler handler,
                      int timeoutMs = -1) = 0;
};

class PoolRpc final : public ClusterRpc {
public:
    explicit PoolRpc(ConnectionPool& pool) : m_pool(pool) {}
    [[nodiscard]] QStringList directors() const override;
    [[nodiscard]] QString nodeForAddress(const QString& address) const override;
    [[nodiscard]] bool isOnline(const QString& node) const override;
    [[nodiscard]] QString userOn(const QString& node) const override;
    void call(const QString& node, const QString& method, rpc::Json params, Handler handler,
              int timeoutMs = -1) override;

private:
    ConnectionPool& m_pool;
};

/// Calls @p method on every node of @p nodes at once and hands all answers to
/// @p done, keyed by node, when the last one arrives.
void callAll(ClusterRpc& rpc, const QStringList& nodes, const QString& method, const rpc::Json& params,
             std::function<void(const QMap<QString, RpcResult>&)> done, int timeoutMs = -1);

} // namespace hadeck::console
