#pragma once

// One cluster fed live: a connection pool over the inventory whose nodes' links, hellos, IPVS
// tables and VRRP instances flow into a ClusterModel (decoded on the pool's own thread, merged
// on the caller's), the RPC layer over the pool, and the live drain/failover engine. The GUI's
// session and `hadeckctl watch` are both built on it.

#include "hadeck/console/actions/cluster_rpc.h"
#include "hadeck/console/actions/live_actions.h"
#include "hadeck/console/connectionpool.h"
#include "hadeck/console/inventory.h"
#include "hadeck/console/model/clustermodel.h"
#include "hadeck/protocol/appdata.h"

#include <QObject>

#include <memory>
#include <optional>
#include <string>

namespace hadeck::console {

/// A state.delta of the db, mfs, apache or host topic, decoded off the caller's thread.
struct AppTopicDelta {
    std::optional<proto::DbStatus> db;
    std::optional<proto::MfsStatus> mfs;
    std::optional<proto::ApacheStatus> apache;
    std::optional<proto::HostStatus> host;
    std::string error; // the delta could not be read; the last good state stays
};

class LiveCluster final : public QObject {
    Q_OBJECT
public:
    /// @param model fed from now on; it must outlive this object. The inventory's nodes are added
    /// to it. @p prompter answers host key and passphrase questions; not owned; null refuses.
    /// @p options: the pool's, whose decoders this replaces.
    LiveCluster(const ClusterInventory& inventory, CredentialPrompter* prompter, ClusterModel& model,
                ConnectionPoolOptions options = {}, QObject* parent = nullptr);
    ~LiveCluster() override;

    [[nodiscard]] ConnectionPool& pool() const { return *m_pool; }
    [[nodiscard]] PoolRpc& rpc() const { return *m_rpc; }
    [[nodiscard]] LiveActions& actions() const { return *m_live; }

    /// Also subscribes every node's db, mfs, host and apache topics; each delta comes as appTopic().
    void subscribeAppTopics();
    /// Connects every node.
    void start();

signals:
    /// A node's application state (one of db, mfs, apache, host set), or its unreadable delta.
    void appTopic(const QString& node, const hadeck::console::AppTopicDelta& delta);
    /// A node's link went away (not Online, not Degraded): what it said no longer holds.
    void nodeLost(const QString& node);

private:
    ClusterModel& m_model;
    ConnectionPool* m_pool = nullptr; // child of this
    std::unique_ptr<PoolRpc> m_rpc;
    // Declared after m_rpc so running jobs, which hold the RPC layer, go first.
    std::unique_ptr<LiveActions> m_live;
};

} // namespace hadeck::console
