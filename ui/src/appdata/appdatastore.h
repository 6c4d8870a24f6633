#pragma once

// The application layer's live state: every node's last db, mfs and host topic
// from its agent, and what follows from them across nodes (the replication
// topology, the MooseFS master and its chunkservers, the observed connections
// between nodes). The topology reads it per tick; the Database, Storage and Hosts
// tabs read the nodes' last topics from it (each sample as it comes), instead of
// asking the agents for the same state again.
//
// Feeds push what they learn; the store coalesces it and tells its views once
// per tick, saying whether the shape changed (a server, a replication link, a
// chunkserver came or went) or only the numbers. Observed connections are short
// lived (a PHP page opens and closes its database connection in milliseconds,
// the agent samples once a second): an edge stays known for kObservedHoldMs after
// it was last seen, so the picture does not flicker.

#include "hadeck/console/appdata/appoverview.h"

#include <QHash>
#include <QObject>
#include <QTimer>

#include <functional>

#include <vector>

namespace hadeck::ui {

/// An observed edge with when it was last seen (ms since the epoch).
struct HeldEdge {
    console::ObservedEdge edge;
    qint64 lastSeenMs = 0;
    bool current = false; // seen in the latest host sample of its source
};

class AppDataStore final : public QObject {
    Q_OBJECT
public:
    static constexpr qint64 kObservedHoldMs = 60000;

    explicit AppDataStore(QObject* parent = nullptr);

    /// Interval of the coalescing tick; 0 flushes on the next event-loop turn.
    void setTickInterval(int ms);
    /// The clock (ms since the epoch) used to age observed edges; tests set it.
    void setClock(std::function<qint64()> clock) { m_clock = std::move(clock); }

    // --- Feed side ---------------------------------------------------------------------------------
    /// Declares a node (its inventory address resolves connections to it).
    void addNode(const QString& name, const QString& address);
    void removeNode(const QString& name);
    void setDb(const QString& node, const proto::DbStatus& status);
    void setMfs(const QString& node, const proto::MfsStatus& status);
    void setHost(const QString& node, const proto::HostStatus& status);
    void setApache(const QString& node, const proto::ApacheStatus& status);
    /// Forgets what @p node said (its agent went away).
    void clearNode(const QString& node);
    /// Emits the pending change now.
    void flush();

    // --- Reader side -------------------------------------------------------------------------------
    [[nodiscard]] const std::vector<console::AppNode>& nodes() const { return m_nodes; }
    [[nodiscard]] const console::AppNode* node(const QString& name) const;
    [[nodiscard]] const console::ReplicationTopology& replication() const { return m_replication; }
    [[nodiscard]] const console::StorageOverview& storage() const { return m_storage; }
    /// Observed edges seen within kObservedHoldMs, by (from, to, port).
    [[nodiscard]] const std::vector<HeldEdge>& observed() const { return m_observed; }
    /// A key that changes only when the application layer's shape changes.
    [[nodiscard]] const QString& shapeKey() const { return m_shapeKey; }

signals:
    /// Once per tick. @p structural: the shape changed (see shapeKey()).
    void changed(bool structural);
    /// At once, for each topic a node's agent sent (not coalesced): node(@p node)'s db, mfs, host or apache.
    void dbReceived(const QString& node);
    void mfsReceived(const QString& node);
    void hostReceived(const QString& node);
    void apacheReceived(const QString& node);

private:
    console::AppNode* find(const QString& name);
    void touch();
    void recompute();

    std::vector<console::AppNode> m_nodes;
    QHash<QString, std::size_t> m_index; // name -> position in m_nodes
    console::ReplicationTopology m_replication;
    console::StorageOverview m_storage;
    std::vector<HeldEdge> m_observed;
    QString m_shapeKey;
    QTimer m_timer;
    std::function<qint64()> m_clock;
    bool m_hostChanged = false;
};

} // namespace hadeck::ui
