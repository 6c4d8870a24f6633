#include "hadeck/console/appdata/appoverview.h"

#include <QHash>

#include <algorithm>
#include <map>

namespace hadeck::console {

namespace {

QString q(const std::string& s) { return QString::fromStdString(s); }

const AppNode* byAddress(const std::vector<AppNode>& nodes, const QString& address)
{
    for (const auto& n : nodes) {
        if (n.address == address || n.name == address) {
            return &n;
        }
    }
    return nullptr;
}

} // namespace

ReplicationTopology replicationTopology(const std::vector<AppNode>& nodes)
{
    ReplicationTopology t;
    for (const auto& n : nodes) {
        if (!n.db) {
            continue;
        }
        const auto& d = *n.db;
        DbServer s;
        s.node = n.name;
        s.readOnly = d.readOnly;
        s.role = d.state == proto::DbState::Ok ? q(d.role) : q(std::string(proto::toString(d.state)));
        s.reason = q(d.reason);
        if (d.state == proto::DbState::NotInstalled ||
            (d.state == proto::DbState::Unreachable && d.reason.find("no MariaDB/MySQL socket") != std::string::npos)) {
            continue; // no database on this node
        }
        t.servers.push_back(s);
        if (d.replica) {
            ReplicaLink l;
            l.replica = n.name;
            l.masterHost = q(d.replica->masterHost);
            if (const AppNode* m = byAddress(nodes, l.masterHost)) {
                l.masterNode = m->name;
            }
            l.ioRunning = q(d.replica->ioRunning);
            l.sqlRunning = q(d.replica->sqlRunning);
            l.lagSeconds = d.replica->lagSeconds;
            l.lastError = q(!d.replica->lastIoError.empty() ? d.replica->lastIoError : d.replica->lastSqlError);
            t.links.push_back(l);
        }
    }
    return t;
}

StorageOverview storageOverview(const std::vector<AppNode>& nodes)
{
    StorageOverview o;
    for (const auto& n : nodes) {
        if (n.mfs && n.mfs->ok) {
            o.masterNode = n.name;
            o.status = n.mfs;
            break;
        }
    }
    return o;
}

std::vector<ObservedEdge> observedEdges(const std::vector<AppNode>& nodes)
{
    // (established, recently closed) per edge.
    std::map<std::tuple<QString, QString, std::uint16_t>, std::pair<std::uint32_t, std::uint32_t>> edges;
    // byAddress() for every connection group of every node, as one lookup: the first node whose
    // address or name it is (300 nodes with a few groups each would otherwise cost 10^5 comparisons).
    QHash<QString, const AppNode*> index;
    for (const auto& n : nodes) {
        for (const QString& key : {n.address, n.name}) {
            if (!index.contains(key)) {
                index.insert(key, &n);
            }
        }
    }
    for (const auto& n : nodes) {
        if (!n.host) {
            continue;
        }
        for (const auto& g : n.host->tcp.byRemote) {
            const AppNode* to = index.value(q(g.address), nullptr);
            if (to && to->name != n.name && (g.count > 0 || g.recentlyClosed > 0)) {
                auto& e = edges[{n.name, to->name, g.port}];
                e.first += g.count;
                e.second += g.recentlyClosed;
            }
        }
    }
    std::vector<ObservedEdge> out;
    for (const auto& [k, n] : edges) {
        out.push_back({std::get<0>(k), std::get<1>(k), std::get<2>(k), n.first, n.second});
    }
    return out;
}

std::vector<AppFinding> appChecks(const std::vector<AppNode>& nodes, const QStringList& ipvsRealServers)
{
    std::vector<AppFinding> out;
    const auto topo = replicationTopology(nodes);
    for (const auto& l : topo.links) {
        if (l.masterNode.isEmpty()) {
            out.push_back({QStringLiteral("replica-master-unknown/") + l.replica, AppCheckSeverity::Warning, {l.replica},
                           AppOverviewText::tr("%1 replicates from %2, which is not in the inventory")
                               .arg(l.replica, l.masterHost)});
        }
        if (l.ioRunning != QLatin1String("Yes") || l.sqlRunning != QLatin1String("Yes")) {
            out.push_back({QStringLiteral("replica-stopped/") + l.replica, AppCheckSeverity::Critical,
                           {l.replica, l.masterNode},
                           AppOverviewText::tr("replication on %1 is not running (IO %2, SQL %3): %4")
                               .arg(l.replica, l.ioRunning, l.sqlRunning, l.lastError)});
        }
    }
    QStringList writable;
    for (const auto& s : topo.servers) {
        if (s.role == QLatin1String("master") && !s.readOnly) {
            writable << s.node;
        }
    }
    if (writable.size() > 1) {
        out.push_back({QStringLiteral("two-writable-masters"), AppCheckSeverity::Critical, writable,
                       AppOverviewText::tr("%n writable masters: %1", nullptr, static_cast<int>(writable.size()))
                           .arg(writable.join(QStringLiteral(", ")))});
    }
    if (const auto storage = storageOverview(nodes); storage.status) {
        const auto& cs = storage.status->chunkservers;
        const auto inMaintenance = std::count_if(cs.begin(), cs.end(), [](const proto::MfsChunkserver& c) {
            return c.maintenance != "off" && c.maintenance != "-" && !c.maintenance.empty();
        });
        if (!cs.empty() && inMaintenance * 5 >= static_cast<long>(cs.size()) && inMaintenance > 0) {
            out.push_back({QStringLiteral("mfs-maintenance-20"), AppCheckSeverity::Warning, {storage.masterNode},
                           AppOverviewText::tr("%1 of %2 chunkservers are in maintenance: at 20 % or more the "
                                               "MooseFS master ignores maintenance")
                               .arg(inMaintenance)
                               .arg(cs.size())});
        }
    }
    for (const auto& address : ipvsRealServers) {
        const AppNode* n = byAddress(nodes, address);
        if (n && n->apache && n->apache->state != proto::ApacheState::Ok) {
            out.push_back({QStringLiteral("realserver-apache-down/") + n->name, AppCheckSeverity::Critical, {n->name},
                           AppOverviewText::tr("%1 is a real server in IPVS but its Apache is not serving: %2")
                               .arg(n->name, q(n->apache->reason))});
        }
    }
    std::stable_sort(out.begin(), out.end(), [](const AppFinding& a, const AppFinding& b) {
        return a.severity != b.severity ? a.severity == AppCheckSeverity::Critical : a.id < b.id;
    });
    return out;
}

} // namespace hadeck::console
