#pragma once

// One live picture of every node of a cluster. Feeds (the connection pool, a
// test, a benchmark) push what they learn; the model coalesces it and tells
// its views once per tick, so a burst of deltas from 300 agents costs one
// repaint, not 300.

#include "hadeck/console/checks/alarm.h"
#include "hadeck/console/model/clusterevent.h"
#include "hadeck/console/model/nodesnapshot.h"
#include "hadeck/console/model/statedelta.h"
#include "hadeck/protocol/expected.h"
#include "hadeck/protocol/jsonrpc.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QSet>
#include <QTimer>

#include <memory>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace hadeck::console {

/// Which rows of one node's IPVS table changed during a tick, so views update
/// those rows instead of re-reading 30,000 of them.
struct IpvsTouch {
    /// Anything may have changed (first picture, a removal, a reordered snapshot): re-read the table.
    bool all = false;
    /// (service, real server) indices into NodeSnapshot::ipvs as it is at the end of the tick;
    /// real server -1 means the service's own fields. May repeat.
    std::vector<std::pair<int, int>> rows;
};

/// The cluster at a glance, as the health banner and the status bar say it.
struct HealthSummary {
    int total = 0;
    int online = 0; // reachable (online or degraded)
    int connecting = 0;
    int critical = 0; // active alarms by severity
    int warning = 0;
    /// (instance, director) for every VRRP instance a director reports as MASTER, in director order, no repeats.
    std::vector<std::pair<QString, QString>> masters;
};

/// What changed since the last tick.
struct ClusterChange {
    enum Part : unsigned {
        Membership = 1U << 0, // nodes added or removed
        Link = 1U << 1,
        Hello = 1U << 2,
        Ipvs = 1U << 3,
        Vrrp = 1U << 4,
        DrCheck = 1U << 5,
    };
    unsigned parts = 0;
    QSet<QString> nodes; // nodes whose state changed (added ones included)
    QHash<QString, IpvsTouch> ipvs; // per node with an Ipvs change

    [[nodiscard]] bool has(Part p) const { return (parts & p) != 0; }
};

class ClusterModel final : public QObject {
    Q_OBJECT
public:
    explicit ClusterModel(QString clusterName, QObject* parent = nullptr);
    ~ClusterModel() override;

    /// VRRP instances kept per node: a director runs a handful. Names an agent reports past
    /// it are dropped (counted in NodeSnapshot::vrrpDropped, logged once per overflow).
    static constexpr std::size_t kMaxVrrpInstances = 4096;

    [[nodiscard]] QString clusterName() const { return m_clusterName; }

    /// Interval of the coalescing tick. 0 flushes on the next event-loop turn.
    void setTickInterval(int ms);
    [[nodiscard]] int tickInterval() const { return m_timer.interval(); }

    // --- Feed side -------------------------------------------------------------------------------
    void addNode(const QString& name, const QString& address, std::vector<proto::Role> roleHints = {});
    void removeNode(const QString& name);
    void setLink(const QString& name, NodeState link, const QString& error = {});
    void setHello(const QString& name, const proto::HelloResult& hello);
    void setIpvs(const QString& name, std::vector<proto::VirtualService> services);
    void setVrrp(const QString& name, std::vector<proto::VrrpInstance> instances);
    void setDrCheck(const QString& name, const DrCheck& check);
    /// Records an action an admin took, for the timeline.
    void recordAdminAction(const QString& node, const QString& text);
    /// Same, with the text kept untranslated so the timeline follows a language switch.
    void recordAdminAction(const QString& node, const TrText& text);

    /**
     * Applies one `state.delta` notification from @p name's agent.
     * Topics: "ipvs" {"services":[VirtualService...]}, "vrrp" {"instances":[VrrpInstance...]},
     * "realserver" proto::DrCheckResult (as realserver.check answers). Unknown topics are ignored
     * so a newer agent does not break an older console.
     * @return an error naming the bad field; the model is left unchanged then.
     */
    Status applyStateDelta(const QString& name, const rpc::Json& params);
    /// Applies a delta decoded by decodeStateDelta() (on any thread). Cheap: the
    /// table is merged through per-node hash indices and only the touched rows are reported.
    Status applyStateDelta(const QString& name, StateDelta delta);
    /// A state.delta from @p name could not be read (@p why): nothing of it is applied, and a
    /// warning alarm says that the node's last readable state is what is shown, until a readable
    /// delta comes.
    void noteUnreadableState(const QString& name, const QString& why);

    /// Emits the pending change now instead of at the next tick.
    void flush();

    // --- Reader side -----------------------------------------------------------------------------
    [[nodiscard]] const NodeSnapshot* node(const QString& name) const;
    [[nodiscard]] QStringList nodeNames() const; // in insertion order
    [[nodiscard]] std::vector<const NodeSnapshot*> nodes() const;
    /// Nodes that publish IPVS or VRRP state or carry the director role, sorted by name.
    [[nodiscard]] QStringList directors() const;
    /// The node whose address is @p address, or nullptr. Links IPVS real servers to nodes.
    [[nodiscard]] const NodeSnapshot* nodeByAddress(const QString& address) const;
    [[nodiscard]] const QList<Alarm>& alarms() const { return m_alarms; }
    /// Whether @p name serves as a real server: by its role, or by its address in a director's IPVS table.
    [[nodiscard]] bool isRealServer(const QString& name) const;
    [[nodiscard]] HealthSummary healthSummary() const;
    /// Real-server addresses present in some director's IPVS table but in no inventory node.
    [[nodiscard]] QStringList unknownRealServers() const;
    [[nodiscard]] bool hasPendingChange() const { return m_pending.parts != 0; }

signals:
    /// Once per tick with everything that changed since the last one.
    void changed(const hadeck::console::ClusterChange& change);
    void alarmsChanged();
    /// Timeline entries produced during the tick, oldest first.
    void eventsOccurred(const QList<hadeck::console::ClusterEvent>& events);

private:
    NodeSnapshot* find(const QString& name);
    void markDirty(const QString& name, ClusterChange::Part part);
    void emitEvent(ClusterEvent::Kind kind, Severity severity, const QString& node, const TrText& text);
    void detectVrrpTransitions(const NodeSnapshot& before, const std::vector<proto::VrrpInstance>& after);
    void reportDest(const NodeSnapshot& n, const std::string& serviceKey, const proto::RealServer* before,
                    const proto::RealServer* after);
    void replaceIpvs(NodeSnapshot& n, std::vector<proto::VirtualService> table);
    void mergeIpvs(NodeSnapshot& n, StateDelta& delta);
    void reindexIpvs(const NodeSnapshot& n);
    void ipvsChanged(NodeSnapshot& n, bool structural);
    void rerunChecks();

    /// Where each service and real server sits in a node's NodeSnapshot::ipvs.
    struct IpvsIndex {
        std::unordered_map<std::string, int> services;
        std::vector<std::unordered_map<std::string, int>> dests; // per service index, by endpoint
    };

    QString m_clusterName;
    std::vector<std::unique_ptr<NodeSnapshot>> m_nodes;
    QHash<QString, NodeSnapshot*> m_byName;
    QHash<QString, NodeSnapshot*> m_byAddress;
    std::unordered_map<const NodeSnapshot*, IpvsIndex> m_ipvsIndex;
    QList<Alarm> m_alarms;
    // The drift check compares whole tables; it runs again only when a real
    // server was added, removed or re-weighted, or a director came or went.
    bool m_driftDirty = true;
    std::vector<Alarm> m_driftAlarms;
    ClusterChange m_pending;
    QList<ClusterEvent> m_pendingEvents;
    QTimer m_timer;
};

} // namespace hadeck::console

Q_DECLARE_METATYPE(hadeck::console::ClusterChange)
Q_DECLARE_METATYPE(hadeck::console::ClusterEvent)
