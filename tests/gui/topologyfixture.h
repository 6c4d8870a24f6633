#pragma once

// A 300-node cluster for the topology's tests and benchmark: the synthetic
// cluster (2 directors, 240 real servers, a gateway, db1 master with 5
// replicas, a MooseFS master with 50 chunkservers) and, for the application
// layer, the db, mfs and host topics their agents would send: each replica
// with its lag, the chunkservers in the master's list, and every real server
// connected to db1:3306 and the MooseFS master (what its host topic's
// connection groups say), each replica connected to db1:3306.

#include "appdata/appdatastore.h"
#include "hadeck/console/model/clustermodel.h"
#include "synthetic/syntheticcluster.h"

namespace hadeck::testing {

inline SyntheticOptions topologyOptions300()
{
    SyntheticOptions o;
    o.directors = 2;
    o.realServers = 240;
    o.services = 2;
    o.dbReplicas = 5;
    o.chunkservers = 50;
    o.gateway = true;
    return o; // 2 + 240 + 6 + 1 + 50 + 1 = 300 nodes
}

inline proto::DbStatus dbMaster()
{
    proto::DbStatus s;
    s.state = proto::DbState::Ok;
    s.role = "master";
    s.version = "10.11.6-MariaDB";
    s.queriesPerSec = 120;
    return s;
}

inline proto::DbStatus dbReplica(const std::string& master, std::int64_t lag, bool running = true)
{
    proto::DbStatus s = dbMaster();
    s.role = "replica";
    s.readOnly = true;
    proto::ReplicaStatus r;
    r.ioRunning = running ? "Yes" : "No";
    r.sqlRunning = running ? "Yes" : "No";
    if (running) {
        r.lagSeconds = lag;
    }
    r.masterHost = master;
    r.masterPort = 3306;
    s.replica = r;
    return s;
}

inline proto::HostStatus hostConnectedTo(const std::vector<std::pair<std::string, std::uint16_t>>& remotes)
{
    proto::HostStatus h;
    for (const auto& [address, port] : remotes) {
        h.tcp.byRemote.push_back({address, port, 2, 0});
    }
    return h;
}

/// Feeds @p store with the application layer of the nodes in @p model (as built by topologyOptions300()).
inline void feedAppData(ui::AppDataStore& store, const console::ClusterModel& model, int tick = 0)
{
    for (const auto* n : model.nodes()) {
        store.addNode(n->name, n->address);
    }
    const auto* db1 = model.node(QStringLiteral("db1"));
    const auto* mfs = model.node(QStringLiteral("mfsmaster"));
    const std::string db1Address = db1->address.toStdString();
    const std::string mfsAddress = mfs->address.toStdString();
    proto::MfsStatus st;
    st.ok = true;
    st.master = proto::MfsMasterInfo{};
    st.master->version = "4.56.6";
    st.master->totalSpaceBytes = 100ULL << 30;
    st.master->availSpaceBytes = 60ULL << 30;
    for (const auto* n : model.nodes()) {
        if (n->name == QLatin1String("db1")) {
            store.setDb(n->name, dbMaster());
        } else if (n->hasRole(proto::Role::Db)) {
            store.setDb(n->name, dbReplica(db1Address, (n->name.mid(2).toInt() + tick) % 9));
            store.setHost(n->name, hostConnectedTo({{db1Address, 3306}}));
        } else if (n->hasRole(proto::Role::MfsChunkserver)) {
            proto::MfsChunkserver c;
            c.host = n->address.toStdString();
            c.port = 9422;
            c.maintenance = "off";
            c.usedBytes = (1ULL << 30) * (1 + tick % 5);
            c.totalBytes = 2ULL << 30;
            st.chunkservers.push_back(c);
            store.setHost(n->name, hostConnectedTo({{mfsAddress, 9420}}));
        } else if (n->hasRole(proto::Role::RealServer)) {
            store.setHost(n->name, hostConnectedTo({{db1Address, 3306}, {mfsAddress, 9421}}));
        }
    }
    store.setMfs(QStringLiteral("mfsmaster"), st);
}

} // namespace hadeck::testing
