#pragma once

// The GUI's action layer on the live cluster: each action runs the same job
// hadeckctl runs (DrainJob, FailoverJob). The jobs are announced so a view can
// show their progress, checks and steps, and cancel them.

#include "hadeck/console/actions/cluster_rpc.h"
#include "hadeck/console/actions/drain_job.h"
#include "hadeck/console/actions/failover_job.h"
#include "hadeck/console/model/clusteractions.h"
#include "hadeck/console/model/clustermodel.h"

#include <QObject>

namespace hadeck::console {

class LiveActions final : public QObject, public ClusterActions {
    Q_OBJECT
public:
    /// @param rpc and @p model must outlive this object.
    LiveActions(ClusterRpc& rpc, const ClusterModel& model, QObject* parent = nullptr);

    [[nodiscard]] ActionAvailability availability(NodeAction action, const NodeSnapshot& node) const override;
    void drain(const QString& realServer, Done done) override;
    void restore(const QString& realServer, Done done) override;
    void setWeight(const QString& director, const QString& serviceKey, const QString& endpoint, int weight,
                   Done done) override;
    void failover(const QString& director, int vrid, Done done) override;

signals:
    /// A job began; it is a child of this object and deletes itself after it finishes.
    void drainStarted(hadeck::console::DrainJob* job, const QString& realServer);
    void failoverStarted(hadeck::console::FailoverJob* job, const QString& director);

private:
    [[nodiscard]] QString addressOf(const QString& node) const;

    ClusterRpc& m_rpc;
    const ClusterModel& m_model;
};

} // namespace hadeck::console
