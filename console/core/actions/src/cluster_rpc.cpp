#include "hadeck/console/actions/cluster_rpc.h"

#include "hadeck/console/connectionpool.h"

#include <QMap>

#include <memory>

namespace hadeck::console {

QStringList PoolRpc::directors() const
{
    QStringList out;
    for (const QString& node : m_pool.nodeNames()) {
        const auto hello = m_pool.hello(node);
        bool director = false;
        if (hello) {
            director = std::find(hello->roles.begin(), hello->roles.end(), proto::Role::Director) != hello->roles.end();
        } else if (const auto* spec = m_pool.inventory().node(node)) {
            director = spec->roles.contains(QStringLiteral("director")); // not connected yet: trust the hint
        }
        if (director) {
            out << node;
        }
    }
    return out;
}

QString PoolRpc::nodeForAddress(const QString& address) const
{
    for (const auto& spec : m_pool.inventory().nodes) {
        if (spec.address == address) {
            return spec.name;
        }
    }
    return {};
}

bool PoolRpc::isOnline(const QString& node) const { return takesCalls(m_pool.state(node)); }

QString PoolRpc::userOn(const QString& node) const
{
    const auto hello = m_pool.hello(node);
    return hello ? QString::fromStdString(hello->user) : QString();
}

std::optional<proto::PermissionLevel> PoolRpc::permissionOn(const QString& node) const
{
    const auto hello = m_pool.hello(node);
    return hello ? std::optional<proto::PermissionLevel>(hello->permission) : std::nullopt;
}

void PoolRpc::call(const QString& node, const QString& method, rpc::Json params, Handler handler, int timeoutMs)
{
    AgentClient* client = m_pool.client(node);
    if (client) {
        // Answers Disconnected by itself when the node is offline.
        client->request(method, std::move(params), std::move(handler), timeoutMs);
    } else {
        handler(RpcResult(Unexpected<rpc::Error>{
            rpc::Error{rpc::Disconnected, QObject::tr("%1 is not connected").arg(node).toStdString(), nullptr}}));
    }
}

void PoolRpc::ask(const QString& node, const QString& method, rpc::Json params, Handler handler, int timeoutMs,
                  WaitingHandler waiting)
{
    AgentClient* client = m_pool.client(node);
    if (client) {
        client->ask(method, std::move(params), std::move(handler), timeoutMs, AgentClient::kReconnectWaitMs,
                    std::move(waiting));
    } else {
        call(node, method, std::move(params), std::move(handler), timeoutMs);
    }
}

int PoolRpc::subscribe(const QString& node, const QString& topic, TopicHandler handler)
{
    AgentClient* client = m_pool.client(node);
    if (!client) {
        return 0;
    }
    const std::string wanted = topic.toStdString();
    return client->subscribe({topic}, [handler = std::move(handler), wanted](const QString& method,
                                                                             const rpc::Json& params) {
        if (method.toStdString() != proto::notify::StateDelta) {
            return;
        }
        if (const auto head = proto::fromJson<proto::StateDeltaHead>(params); head && head->topic == wanted) {
            handler(params);
        }
    });
}

void PoolRpc::unsubscribe(const QString& node, int id)
{
    if (AgentClient* client = m_pool.client(node); client && id != 0) {
        client->unsubscribe(id);
    }
}

const RpcResult& answerOf(const QMap<QString, RpcResult>& answers, const QString& node)
{
    static const RpcResult missing(Unexpected<rpc::Error>{rpc::Error{rpc::Disconnected, "not asked", nullptr}});
    const auto it = answers.find(node);
    return it == answers.end() ? missing : it.value();
}

namespace {
/// Asks every node of @p nodes at once and hands all answers to @p done when the last arrives:
/// with ClusterRpc::ask() when @p preflight (waiting for a node that just dropped), else call().
void gather(ClusterRpc& rpc, const QStringList& nodes, const QString& method, const rpc::Json& params,
            std::function<void(const QMap<QString, RpcResult>&)> done, int timeoutMs, bool preflight,
            const ClusterRpc::WaitingHandler& waiting)
{
    struct Gather {
        QMap<QString, RpcResult> results;
        int left = 0;
        std::function<void(const QMap<QString, RpcResult>&)> done;
    };
    auto g = std::make_shared<Gather>();
    g->left = static_cast<int>(nodes.size());
    g->done = std::move(done);
    if (nodes.isEmpty()) {
        g->done(g->results);
        return;
    }
    for (const QString& node : nodes) {
        auto handler = [g, node](const RpcResult& r) {
            g->results.insert(node, r);
            if (--g->left == 0) {
                g->done(g->results);
            }
        };
        if (preflight) {
            rpc.ask(node, method, params, std::move(handler), timeoutMs, waiting);
        } else {
            rpc.call(node, method, params, std::move(handler), timeoutMs);
        }
    }
}
} // namespace

void callAll(ClusterRpc& rpc, const QStringList& nodes, const QString& method, const rpc::Json& params,
             std::function<void(const QMap<QString, RpcResult>&)> done, int timeoutMs)
{
    gather(rpc, nodes, method, params, std::move(done), timeoutMs, false, {});
}

void askAll(ClusterRpc& rpc, const QStringList& nodes, const QString& method, const rpc::Json& params,
            std::function<void(const QMap<QString, RpcResult>&)> done, ClusterRpc::WaitingHandler waiting,
            int timeoutMs)
{
    gather(rpc, nodes, method, params, std::move(done), timeoutMs, true, waiting);
}

} // namespace hadeck::console
