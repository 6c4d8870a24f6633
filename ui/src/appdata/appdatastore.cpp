#include "appdata/appdatastore.h"

#include <QDateTime>
#include <QStringList>

#include <algorithm>
#include <map>
#include <tuple>

namespace hadeck::ui {

AppDataStore::AppDataStore(QObject* parent)
    : QObject(parent)
    , m_clock([] { return QDateTime::currentMSecsSinceEpoch(); })
{
    m_timer.setSingleShot(true);
    m_timer.setInterval(250);
    connect(&m_timer, &QTimer::timeout, this, &AppDataStore::flush);
}

void AppDataStore::setTickInterval(int ms) { m_timer.setInterval(std::max(0, ms)); }

console::AppNode* AppDataStore::find(const QString& name)
{
    const auto it = m_index.constFind(name);
    return it == m_index.cend() ? nullptr : &m_nodes[it.value()];
}

const console::AppNode* AppDataStore::node(const QString& name) const
{
    const auto it = m_index.constFind(name);
    return it == m_index.cend() ? nullptr : &m_nodes[it.value()];
}

void AppDataStore::touch()
{
    if (!m_timer.isActive()) {
        m_timer.start();
    }
}

void AppDataStore::addNode(const QString& name, const QString& address)
{
    if (auto* n = find(name)) {
        n->address = address;
    } else {
        console::AppNode a;
        a.name = name;
        a.address = address;
        m_index.insert(name, m_nodes.size());
        m_nodes.push_back(std::move(a));
    }
    touch();
}

void AppDataStore::removeNode(const QString& name)
{
    m_nodes.erase(std::remove_if(m_nodes.begin(), m_nodes.end(), [&](const auto& n) { return n.name == name; }),
                  m_nodes.end());
    m_index.clear();
    for (std::size_t i = 0; i < m_nodes.size(); ++i) {
        m_index.insert(m_nodes[i].name, i);
    }
    m_hostChanged = true;
    touch();
}

void AppDataStore::setDb(const QString& node, const proto::DbStatus& status)
{
    if (auto* n = find(node)) {
        n->db = status;
        touch();
        emit dbReceived(node);
    }
}

void AppDataStore::setMfs(const QString& node, const proto::MfsStatus& status)
{
    if (auto* n = find(node)) {
        n->mfs = status;
        touch();
        emit mfsReceived(node);
    }
}

void AppDataStore::setHost(const QString& node, const proto::HostStatus& status)
{
    if (auto* n = find(node)) {
        n->host = status;
        m_hostChanged = true;
        touch();
        emit hostReceived(node);
    }
}

void AppDataStore::setApache(const QString& node, const proto::ApacheStatus& status)
{
    // No shape or tick depends on it: readers take it with each host sample.
    if (auto* n = find(node)) {
        n->apache = status;
        emit apacheReceived(node);
    }
}

void AppDataStore::clearNode(const QString& node)
{
    if (auto* n = find(node)) {
        n->db.reset();
        n->apache.reset();
        n->mfs.reset();
        n->host.reset();
        m_hostChanged = true;
        touch();
    }
}

void AppDataStore::recompute()
{
    m_replication = console::replicationTopology(m_nodes);
    m_storage = console::storageOverview(m_nodes);

    const qint64 now = m_clock();
    if (m_hostChanged) {
        m_hostChanged = false;
        // Edges from a node whose host sample is gone are no longer current; the rest follow the samples.
        std::map<std::tuple<QString, QString, std::uint16_t>, console::ObservedEdge> seen;
        for (const auto& e : console::observedEdges(m_nodes)) {
            seen[{e.from, e.to, e.port}] = e;
        }
        for (auto& h : m_observed) {
            const auto it = seen.find({h.edge.from, h.edge.to, h.edge.port});
            if (it != seen.end()) {
                h.edge = it->second;
                h.lastSeenMs = now;
                h.current = true;
                seen.erase(it);
            } else {
                h.current = false;
                h.edge.connections = 0;
                h.edge.recentlyClosed = 0;
            }
        }
        for (const auto& [key, e] : seen) {
            m_observed.push_back({e, now, true});
        }
    }
    m_observed.erase(
        std::remove_if(m_observed.begin(), m_observed.end(),
                       [now](const HeldEdge& h) { return !h.current && now - h.lastSeenMs > kObservedHoldMs; }),
        m_observed.end());
    std::sort(m_observed.begin(), m_observed.end(), [](const HeldEdge& a, const HeldEdge& b) {
        return std::tie(a.edge.from, a.edge.to, a.edge.port) < std::tie(b.edge.from, b.edge.to, b.edge.port);
    });

    QStringList parts;
    for (const auto& s : m_replication.servers) {
        parts << QStringLiteral("db:") + s.node + QLatin1Char('=') + s.role;
    }
    for (const auto& l : m_replication.links) {
        parts << QStringLiteral("repl:") + l.replica + QLatin1Char('>') +
                     (l.masterNode.isEmpty() ? l.masterHost : l.masterNode);
    }
    if (m_storage.status) {
        parts << QStringLiteral("mfs:") + m_storage.masterNode;
        for (const auto& c : m_storage.status->chunkservers) {
            parts << QStringLiteral("cs:") + QString::fromStdString(c.host) + QLatin1Char(':') +
                         QString::number(c.port);
        }
        for (const auto& m : m_storage.status->metaloggers) {
            parts << QStringLiteral("ml:") + QString::fromStdString(m.host);
        }
    }
    m_shapeKey = parts.join(QLatin1Char('|'));
}

void AppDataStore::flush()
{
    m_timer.stop();
    const QString before = m_shapeKey;
    recompute();
    emit changed(before != m_shapeKey);
}

} // namespace hadeck::ui
