#pragma once

// A made-up cluster shaped like the seed's (two directors, web real servers,
// DB master and replica, MooseFS, a gateway) that tests, GUI tests and
// benchmarks feed into a ClusterModel. It produces the same structs the
// agents' state.delta notifications decode to, so the model code under test
// is the code the live console runs.

#include "hadeck/console/model/clustermodel.h"

#include <QString>

namespace hadeck::testing {

/// Where a test's cluster comes from. GUI tests talk to this, so the same test
/// body runs against the synthetic cluster now and the lab cluster later.
class ClusterDataSource {
public:
    virtual ~ClusterDataSource() = default;
    /// Adds the nodes and their first state to @p model.
    virtual void open(console::ClusterModel& model) = 0;
    /// Moves the cluster one second forward (counters, connections).
    virtual void advance(console::ClusterModel& model) = 0;
    [[nodiscard]] virtual QString name() const = 0;
};

struct SyntheticOptions {
    int directors = 2;
    int realServers = 3;
    int services = 2; // TCP VIP:80, VIP:443, then more VIPs
    int dbReplicas = 1;
    int chunkservers = 3;
    bool gateway = true;
    quint32 seed = 1;
};

class SyntheticCluster final : public ClusterDataSource {
public:
    explicit SyntheticCluster(SyntheticOptions options = {});

    void open(console::ClusterModel& model) override;
    void advance(console::ClusterModel& model) override;
    [[nodiscard]] QString name() const override { return QStringLiteral("synthetic"); }

    // Scenario switches: each changes the next picture pushed to the model.
    void setVrrpState(console::ClusterModel& model, int director, proto::VrrpState state);
    void setWeight(console::ClusterModel& model, int director, int service, int realServer, std::uint32_t weight);

    /// One second of agent traffic as the agents send it: per director, a
    /// `state.delta` line carrying only the real servers whose counters moved
    /// (@p fraction of them, at least one). The model is not touched.
    [[nodiscard]] std::vector<std::string> ipvsDeltaLines(double fraction);
    /// Per director, a `state.delta` snapshot line with every counter moved.
    [[nodiscard]] std::vector<std::string> ipvsSnapshotLines();

    [[nodiscard]] static QString directorName(int i) { return QStringLiteral("lb%1").arg(i + 1); }
    [[nodiscard]] static QString realServerName(int i) { return QStringLiteral("web%1").arg(i + 1); }
    [[nodiscard]] static QString realServerAddress(int i);
    [[nodiscard]] std::vector<proto::VirtualService> ipvsOf(int director) const { return m_ipvs.at(director); }
    [[nodiscard]] std::vector<proto::VrrpInstance> vrrpOf(int director) const { return m_vrrp.at(director); }
    [[nodiscard]] const SyntheticOptions& options() const { return m_options; }
    [[nodiscard]] int realServerRows() const { return m_options.services * m_options.realServers; }

private:
    void push(console::ClusterModel& model);
    void moveCounters(proto::RealServer& rs);
    quint32 next();

    SyntheticOptions m_options;
    std::vector<std::vector<proto::VirtualService>> m_ipvs; // per director
    std::vector<std::vector<proto::VrrpInstance>> m_vrrp;   // per director
    quint32 m_rng;
    int m_tick = 0;
};

proto::HelloResult makeHello(const QString& node, std::vector<proto::Role> roles,
                             proto::PermissionLevel level = proto::PermissionLevel::Operate);

} // namespace hadeck::testing
