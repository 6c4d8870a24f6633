#pragma once

// What actions that span nodes need from the connection pool: which nodes are
// directors, which node is a given real server, and calls to any node's agent.
// PoolRpc is the implementation on ConnectionPool.

#include "hadeck/console/agentclient.h"

#include <hadeck/protocol/jsonrpc.h>

#include <QMap>
#include <QObject>
#include <QString>
#include <QStringList>

#include <functional>
#include <optional>
#include <vector>

namespace hadeck::console {

class ConnectionPool;

class ClusterRpc {
public:
    using Handler = std::function<void(const RpcResult&)>;
    /// The params of one state.delta notification of a topic (snapshot or delta).
    using TopicHandler = std::function<void(const rpc::Json& params)>;
    virtual ~ClusterRpc() = default;
    /// Nodes whose agent reports the director role, online or not.
    [[nodiscard]] virtual QStringList directors() const = 0;
    /// The node whose inventory address is @p address, or empty.
    [[nodiscard]] virtual QString nodeForAddress(const QString& address) const = 0;
    [[nodiscard]] virtual bool isOnline(const QString& node) const = 0;
    /// The SSH user the console logs in as on @p node (for the job's record).
    [[nodiscard]] virtual QString userOn(const QString& node) const = 0;
    /// What the console's SSH user may do on @p node, once its agent said hello.
    [[nodiscard]] virtual std::optional<proto::PermissionLevel> permissionOn(const QString& node) const
    {
        (void)node;
        return std::nullopt;
    }
    /// Calls @p method on @p node; @p handler runs exactly once (Disconnected when offline).
    virtual void call(const QString& node, const QString& method, rpc::Json params, Handler handler,
                      int timeoutMs = -1) = 0;
    /// Subscribes to @p topic of @p node's agent; the snapshot comes first, then deltas.
    /// @return an id for unsubscribe(), or 0 when subscriptions are not available (poll instead).
    virtual int subscribe(const QString& node, const QString& topic, TopicHandler handler)
    {
        (void)node;
        (void)topic;
        (void)handler;
        return 0;
    }
    virtual void unsubscribe(const QString& node, int id)
    {
        (void)node;
        (void)id;
    }
};

class PoolRpc final : public ClusterRpc {
public:
    explicit PoolRpc(ConnectionPool& pool) : m_pool(pool) {}
    [[nodiscard]] QStringList directors() const override;
    [[nodiscard]] QString nodeForAddress(const QString& address) const override;
    [[nodiscard]] bool isOnline(const QString& node) const override;
    [[nodiscard]] QString userOn(const QString& node) const override;
    [[nodiscard]] std::optional<proto::PermissionLevel> permissionOn(const QString& node) const override;
    void call(const QString& node, const QString& method, rpc::Json params, Handler handler,
              int timeoutMs = -1) override;
    int subscribe(const QString& node, const QString& topic, TopicHandler handler) override;
    void unsubscribe(const QString& node, int id) override;

private:
    ConnectionPool& m_pool;
};

/// Calls a declared method (protocol/methods.h) on @p node; @p handler gets the
/// decoded, checked result or the error (Disconnected when offline).
template <typename P, typename R>
void invoke(ClusterRpc& rpc, const QString& node, const proto::MethodSpec<P, R>& spec, const P& params,
            std::function<void(const Expected<R>&)> handler, int timeoutMs = -1)
{
    rpc.call(
        node, methodName(spec), proto::toJson(params),
        [handler = std::move(handler)](const RpcResult& r) {
            if (!r) {
                handler(fail(r.error().message, r.error().code));
                return;
            }
            handler(proto::fromJson<R>(r.value()));
        },
        timeoutMs);
}

/// The answer of @p node in a callAll() result, or Disconnected when it was not asked.
const RpcResult& answerOf(const QMap<QString, RpcResult>& answers, const QString& node);

/// Decodes a list result: either a bare array or an object holding it under @p key.
template <typename T>
std::vector<T> listOf(const RpcResult& r, const char* key)
{
    if (!r) {
        return {};
    }
    const auto& j = r.value();
    const rpc::Json& list = j.is_object() && j.contains(key) ? j[key] : j;
    auto decoded = proto::fromJson<std::vector<T>>(list);
    return decoded ? std::move(*decoded) : std::vector<T>{};
}

/// Calls @p method on every node of @p nodes at once and hands all answers to
/// @p done, keyed by node, when the last one arrives.
void callAll(ClusterRpc& rpc, const QStringList& nodes, const QString& method, const rpc::Json& params,
             std::function<void(const QMap<QString, RpcResult>&)> done, int timeoutMs = -1);

} // namespace hadeck::console
