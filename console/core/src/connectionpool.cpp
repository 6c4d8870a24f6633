#include "hadeck/console/connectionpool.h"

#include "hadeck/console/localtransport.h"
#include "hadeck/console/sshtransport.h"

#include <QCoreApplication>
#include <QThread>

namespace hadeck::console {

namespace {
QString defaultUser()
{
    QString u = qEnvironmentVariable("USER");
    if (u.isEmpty())
        u = qEnvironmentVariable("USERNAME");
    return u;
}

} // namespace

SshEndpoint sshEndpointFor(const NodeSpec& n)
{
    return SshEndpoint{n.name, n.address, n.port, n.user.isEmpty() ? defaultUser() : n.user, n.key};
}

std::optional<SshEndpoint> sshJumpFor(const ClusterInventory& inventory, const NodeSpec& n)
{
    if (n.jump.isEmpty())
        return std::nullopt;
    if (const NodeSpec* j = inventory.node(n.jump))
        return sshEndpointFor(*j);
    return std::nullopt;
}

ConnectionPool::ConnectionPool(ClusterInventory inventory, CredentialPrompter* prompter, ConnectionPoolOptions options,
                               QObject* parent)
    : QObject(parent), m_inventory(std::move(inventory)), m_prompter(prompter), m_options(std::move(options))
{
    for (const auto& spec : m_inventory.nodes) {
        auto* client = new AgentClient(spec.name, makeTransport(spec), m_options.client, this);
        const QString name = spec.name;
        connect(client, &AgentClient::stateChanged, this, [this, name](NodeState s, const QString& error) {
            emit nodeStateChanged(name, s, error);
            if (s != NodeState::Connecting && allSettled())
                emit settled();
        });
        connect(client, &AgentClient::helloReceived, this,
                [this, name](const proto::HelloResult& h) { emit nodeHelloReceived(name, h); });
        connect(client, &AgentClient::notificationReceived, this,
                [this, name](const QString& method, const rpc::Json& params) {
                    emit nodeNotification(name, method, params);
                });
        if (m_options.decodeOffThread) {
            auto thread = std::make_unique<QThread>();
            thread->setObjectName(QStringLiteral("hadeck-decode"));
            thread->start();
            client->setDecodeThread(thread.get(), m_options.notificationDecoder, m_options.fastDeltaDecoder);
            m_decodeThreads.push_back(std::move(thread));
        }
        m_clients.push_back(client);
    }
}

ConnectionPool::~ConnectionPool()
{
    if (m_decodeThreads.empty())
        return;
    // Cancel, never drain: each client bumps its generation, so the lines still
    // queued for its decoder are dropped unparsed (the queues are bounded too).
    for (auto* c : m_clients)
        c->setDecodeThread(nullptr);
    // Each thread runs its decoder's deferred delete as it finishes.
    for (auto& t : m_decodeThreads)
        t->quit();
    for (auto& t : m_decodeThreads)
        t->wait();
}

Transport* ConnectionPool::makeTransport(const NodeSpec& spec)
{
    Transport* t = nullptr;
    if (spec.transport == NodeSpec::TransportKind::Local) {
        t = new LocalTransport(spec.socket);
    } else {
        SshTransportConfig cfg;
        cfg.target = sshEndpointFor(spec);
        cfg.jump = sshJumpFor(m_inventory, spec);
        cfg.knownHostsFile = m_inventory.knownHosts;
        cfg.agentSocket = spec.socket;
        cfg.bridgeCommand = m_options.bridgeCommand;
        cfg.useSshAgent = m_options.useSshAgent;
        cfg.connectTimeoutMs = m_options.connectTimeoutMs;
        t = new SshTransport(std::move(cfg));
    }
    t->setPrompter(m_prompter);
    return t;
}

void ConnectionPool::connectAll()
{
    // Each client connects asynchronously, so all handshakes run at once.
    for (auto* c : m_clients)
        c->start();
    if (m_clients.empty())
        QMetaObject::invokeMethod(this, &ConnectionPool::settled, Qt::QueuedConnection);
}

void ConnectionPool::disconnectAll()
{
    for (auto* c : m_clients)
        c->stop();
}

void ConnectionPool::retry(const QString& node)
{
    if (auto* c = client(node))
        c->retry();
}

QStringList ConnectionPool::nodeNames() const
{
    QStringList out;
    for (const auto* c : m_clients)
        out << c->nodeName();
    return out;
}

AgentClient* ConnectionPool::callable(const QString& node) const
{
    auto* c = client(node);
    return c != nullptr && takesCalls(c->state()) ? c : nullptr;
}

AgentClient* ConnectionPool::client(const QString& node) const
{
    for (auto* c : m_clients) {
        if (c->nodeName() == node)
            return c;
    }
    return nullptr;
}

NodeState ConnectionPool::state(const QString& node) const
{
    const auto* c = client(node);
    return c ? c->state() : NodeState::Unreachable;
}

QString ConnectionPool::lastError(const QString& node) const
{
    const auto* c = client(node);
    return c ? c->lastError() : QCoreApplication::translate("ConnectionPool", "no node named \"%1\"").arg(node);
}

std::optional<proto::HelloResult> ConnectionPool::hello(const QString& node) const
{
    const auto* c = client(node);
    return c ? c->hello() : std::nullopt;
}

bool ConnectionPool::allSettled() const
{
    for (const auto* c : m_clients) {
        if (c->state() == NodeState::Connecting)
            return false;
    }
    return true;
}

int ConnectionPool::countIn(NodeState s) const
{
    int n = 0;
    for (const auto* c : m_clients)
        n += c->state() == s ? 1 : 0;
    return n;
}

} // namespace hadeck::console
