#pragma once

// What actions that span nodes need from the connection pool: which nodes are
// directors, which node is a given real server, and calls to any node's agent.
// PoolRpc is the implementation on ConnectionPool.

#include "hadeck/console/agentclient.h"

#include <hadeck/protocol/jsonrpc.h>
#include <hadeck/protocol/methods.h>

#include <QMap>
#include <QObject>
#include <QString>
#include <QStringList>

#include <functional>
#include <optional>
#include <type_traits>
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
    /// Told what a question waits for ("waiting for dir2 to reconnect…").
    using WaitingHandler = AgentClient::WaitingHandler;
    /// A preflight's question to @p node: like call(), but when the node's link has just dropped
    /// (or drops under the question) it waits, bounded, for the reconnect and asks again
    /// (AgentClient::ask). Only for questions that are safe to ask twice (reads, dry runs).
    virtual void ask(const QString& node, const QString& method, rpc::Json params, Handler handler, int timeoutMs = -1,
                     WaitingHandler waiting = {})
    {
        (void)waiting;
        call(node, method, std::move(params), std::move(handler), timeoutMs);
    }
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
    void ask(const QString& node, const QString& method, rpc::Json params, Handler handler, int timeoutMs = -1,
             WaitingHandler waiting = {}) override;
    int subscribe(const QString& node, const QString& topic, TopicHandler handler) override;
    void unsubscribe(const QString& node, int id) override;

private:
    ConnectionPool& m_pool;
};

/// A declared method's answer: its decoded, checked result, or the agent's error
/// (with its data), or a decoding error naming the field the agent got wrong.
template <typename R>
using Reply = Expected<R, rpc::Error>;

/// Decodes @p r with R's checked from_json. A reply that does not match the
/// declaration is an error value, never an exception or a default-filled row.
template <typename R>
Reply<R> decodeReply(const RpcResult& r)
{
    if (!r) {
        return Unexpected<rpc::Error>{r.error()};
    }
    auto decoded = proto::fromJson<R>(r.value());
    if (!decoded) {
        return Unexpected<rpc::Error>{rpc::Error{rpc::InvalidParams, "unexpected answer: " + decoded.error().message, nullptr}};
    }
    return std::move(decoded).value();
}

/// Calls a declared method (protocol/methods.h) on @p node; @p handler gets the
/// decoded, checked result or the error (Disconnected when offline).
template <typename P, typename R>
void invoke(ClusterRpc& rpc, const QString& node, const proto::MethodSpec<P, R>& spec, const P& params,
            std::type_identity_t<std::function<void(const Reply<R>&)>> handler, int timeoutMs = -1)
{
    rpc.call(
        node, methodName(spec), proto::toJson(params),
        [handler = std::move(handler)](const RpcResult& r) { handler(decodeReply<R>(r)); }, timeoutMs);
}

/// The answer of @p node in a callAll() result, or Disconnected when it was not asked.
const RpcResult& answerOf(const QMap<QString, RpcResult>& answers, const QString& node);

/// The answer of @p node in an invokeAll() result, or Disconnected when it was not asked.
template <typename R>
Reply<R> answerOf(const QMap<QString, Reply<R>>& answers, const QString& node)
{
    const auto it = answers.find(node);
    if (it == answers.end()) {
        return Unexpected<rpc::Error>{rpc::Error{rpc::Disconnected, "not asked", nullptr}};
    }
    return it.value();
}

/// Calls @p method on every node of @p nodes at once and hands all answers to
/// @p done, keyed by node, when the last one arrives.
void callAll(ClusterRpc& rpc, const QStringList& nodes, const QString& method, const rpc::Json& params,
             std::function<void(const QMap<QString, RpcResult>&)> done, int timeoutMs = -1);

/// callAll() for a preflight's question (ClusterRpc::ask): a node whose link has just dropped
/// is waited for, bounded, and @p waiting told so.
void askAll(ClusterRpc& rpc, const QStringList& nodes, const QString& method, const rpc::Json& params,
            std::function<void(const QMap<QString, RpcResult>&)> done, ClusterRpc::WaitingHandler waiting,
            int timeoutMs = -1);

/// askAll() for a declared method: every node's decoded, checked answer.
template <typename P, typename R>
void inquireAll(ClusterRpc& rpc, const QStringList& nodes, const proto::MethodSpec<P, R>& spec, const P& params,
                std::type_identity_t<std::function<void(const QMap<QString, Reply<R>>&)>> done,
                ClusterRpc::WaitingHandler waiting, int timeoutMs = -1)
{
    askAll(
        rpc, nodes, methodName(spec), proto::toJson(params),
        [done = std::move(done)](const QMap<QString, RpcResult>& answers) {
            QMap<QString, Reply<R>> out;
            for (auto it = answers.cbegin(); it != answers.cend(); ++it) {
                out.insert(it.key(), decodeReply<R>(it.value()));
            }
            done(out);
        },
        std::move(waiting), timeoutMs);
}

/// callAll() for a declared method: every node's decoded, checked answer.
template <typename P, typename R>
void invokeAll(ClusterRpc& rpc, const QStringList& nodes, const proto::MethodSpec<P, R>& spec, const P& params,
               std::type_identity_t<std::function<void(const QMap<QString, Reply<R>>&)>> done,
               int timeoutMs = -1)
{
    callAll(
        rpc, nodes, methodName(spec), proto::toJson(params),
        [done = std::move(done)](const QMap<QString, RpcResult>& answers) {
            QMap<QString, Reply<R>> out;
            for (auto it = answers.cbegin(); it != answers.cend(); ++it) {
                out.insert(it.key(), decodeReply<R>(it.value()));
            }
            done(out);
        },
        timeoutMs);
}

} // namespace hadeck::console
