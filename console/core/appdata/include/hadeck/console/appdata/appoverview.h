#pragma once

// The console's picture of the application nodes, built from every agent's
// db.status, mfs.status, apache.status and host.status: the replication
// topology, the storage overview, the observed edges between nodes, and the
// checks only a view across nodes can make. Pure: the same answers give the
// same picture, so each piece is tested on fixed inputs.

#include "hadeck/protocol/appdata.h"

#include <QCoreApplication>
#include <QString>
#include <QStringList>

#include <optional>
#include <vector>

namespace hadeck::console {

/// What one node's agent answered (absent: not asked, or the call failed).
struct AppNode {
    QString name;
    QString address; // the inventory's address
    std::optional<proto::DbStatus> db;
    std::optional<proto::MfsStatus> mfs;
    std::optional<proto::ApacheStatus> apache;
    std::optional<proto::HostStatus> host;
};

struct ReplicaLink {
    QString replica;      // node name
    QString masterHost;   // as the replica names it
    QString masterNode;   // inventory node of that address; empty when not in the inventory
    QString ioRunning;
    QString sqlRunning;
    std::optional<std::int64_t> lagSeconds;
    QString lastError;    // IO error, else SQL error
};

struct DbServer {
    QString node;
    QString role; // master, replica, standalone, or the state when not ok ("unreachable"...)
    bool readOnly = false;
    QString reason;
};

struct ReplicationTopology {
    std::vector<DbServer> servers;
    std::vector<ReplicaLink> links;
};

struct StorageOverview {
    QString masterNode; // the node whose agent reads the MooseFS master
    std::optional<proto::MfsStatus> status;
};

/// Established connections from one node to another's address:port (the client's view).
struct ObservedEdge {
    QString from;
    QString to;
    std::uint16_t port = 0;
    std::uint32_t connections = 0;    // established now
    std::uint32_t recentlyClosed = 0; // closed by the client within the last minute
};

enum class AppCheckSeverity { Warning, Critical };

struct AppFinding {
    QString id; // stable: "replica-master-unknown/db2", "two-writable-masters", ...
    AppCheckSeverity severity = AppCheckSeverity::Warning;
    QStringList nodes;
    QString text; // translated
};

ReplicationTopology replicationTopology(const std::vector<AppNode>& nodes);
StorageOverview storageOverview(const std::vector<AppNode>& nodes);
std::vector<ObservedEdge> observedEdges(const std::vector<AppNode>& nodes);

/// The application checks:
/// - a replica whose master is not in the inventory;
/// - two (or more) writable masters;
/// - MooseFS maintenance on 20 % or more of the chunkservers (the master then ignores it);
/// - a real server in IPVS (@p ipvsRealServers: addresses) whose Apache is not Ok.
std::vector<AppFinding> appChecks(const std::vector<AppNode>& nodes, const QStringList& ipvsRealServers);

class AppOverviewText {
    Q_DECLARE_TR_FUNCTIONS(AppOverviewText)
};

} // namespace hadeck::console
