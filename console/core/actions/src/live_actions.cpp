#include "hadeck/console/actions/live_actions.h"

#include <algorithm>

namespace hadeck::console {

LiveActions::LiveActions(ClusterRpc& rpc, const ClusterModel& model, QObject* parent)
    : QObject(parent)
    , m_rpc(rpc)
    , m_model(model)
{
}

QString LiveActions::addressOf(const QString& node) const
{
    const NodeSnapshot* snap = m_model.node(node);
    return snap && !snap->address.isEmpty() ? snap->address : node;
}

ActionAvailability LiveActions::availability(NodeAction action, const NodeSnapshot& node) const
{
    switch (action) {
    case NodeAction::Drain:
    case NodeAction::Restore: {
        if (!node.hasRole(proto::Role::RealServer)) {
            return {false, tr("%1 is not a real server").arg(node.name)};
        }
        // The directors' agents do the work, so their permission is what counts.
        const QStringList directors = m_rpc.directors();
        if (directors.isEmpty()) {
            return {false, tr("No director is connected")};
        }
        for (const QString& d : directors) {
            const NodeSnapshot* ds = m_model.node(d);
            if (!ds) {
                continue;
            }
            const auto gate = permissionGate(action, *ds);
            if (!gate.enabled) {
                return gate;
            }
        }
        return {true, {}};
    }
    case NodeAction::Failover:
    case NodeAction::MakeMaster:
    case NodeAction::SetWeight: {
        if (!node.hasRole(proto::Role::Director)) {
            return {false, tr("%1 is not a director").arg(node.name)};
        }
        return permissionGate(action, node);
    }
    }
    return {false, {}};
}

void LiveActions::drain(const QString& realServer, Done done)
{
    DrainRequest req;
    req.target.address = addressOf(realServer);
    auto* job = new DrainJob(m_rpc, req, this);
    connect(job, &DrainJob::finishedWith, this, [job, done](bool ok, const QString& message) {
        done(ok, message);
        job->deleteLater();
    });
    emit drainStarted(job, realServer);
    job->start();
}

void LiveActions::restore(const QString& realServer, Done done)
{
    const QString address = addressOf(realServer);
    proto::DrainTarget target;
    target.address = address.toStdString();
    invokeAll(m_rpc, m_rpc.directors(), proto::methods::DrainRestore, target,
            [done, realServer](const QMap<QString, Reply<proto::DrainRestoreResult>>& results) {
                QStringList lines;
                bool ok = true;
                for (auto it = results.begin(); it != results.end(); ++it) {
                    if (!it.value()) {
                        ok = false;
                        lines << tr("%1: %2").arg(it.key(), QString::fromStdString(it.value().error().message));
                        continue;
                    }
                    for (const auto& r : it.value()->restored) {
                        lines << tr("%1: weight %2 (%3)")
                                     .arg(it.key())
                                     .arg(r.weight)
                                     .arg(QString::fromStdString(r.source));
                    }
                }
                done(ok, (ok ? tr("%1 is back in rotation.").arg(realServer) : tr("Restore failed on some directors."))
                             + QLatin1Char('\n') + lines.join(QLatin1Char('\n')));
            });
}

void LiveActions::setWeight(const QString& director, const QString& serviceKey, const QString& endpoint, int weight,
                            Done done)
{
    if (weight < 0 || weight > int(proto::kMaxWeight)) {
        done(false, tr("A weight must be between 0 and %1").arg(proto::kMaxWeight));
        return;
    }
    const int colon = static_cast<int>(endpoint.lastIndexOf(QLatin1Char(':')));
    QString address = endpoint.left(colon);
    address.remove(QLatin1Char('[')).remove(QLatin1Char(']'));
    bool portOk = false;
    const uint port = endpoint.mid(colon + 1).toUInt(&portOk);
    if (!portOk || port > 65535) {
        done(false, tr("%1 is not an address:port").arg(endpoint));
        return;
    }
    proto::SetWeightParams params;
    params.service = serviceKey.toStdString();
    params.address = address.toStdString();
    params.port = static_cast<std::uint16_t>(port);
    params.weight = static_cast<std::uint32_t>(weight);
    invoke(m_rpc, director, proto::methods::IpvsSetWeight, params,
               [done, director, endpoint, weight](const Reply<proto::RealServer>& r) {
                   done(r.hasValue(), r ? tr("%1: %2 weight %3").arg(director, endpoint).arg(weight)
                                        : QString::fromStdString(r.error().message));
               });
}

void LiveActions::failover(const QString& director, int vrid, Done done)
{
    const NodeSnapshot* snap = m_model.node(director);
    const proto::VrrpInstance* instance = snap ? snap->vrrpInstance(vrid) : nullptr;
    if (!instance) {
        done(false, tr("%1 runs no VRRP instance with VRID %2").arg(director).arg(vrid));
        return;
    }
    FailoverRequest req;
    req.instance = QString::fromStdString(instance->name);
    // On the MASTER: hand over to the peer. On a BACKUP: make it the master.
    if (instance->state != proto::VrrpState::Master) {
        req.makeMaster = director;
    }
    auto* job = new FailoverJob(m_rpc, req, this);
    connect(job, &FailoverJob::finishedWith, this, [job, done](bool ok, const QString& message) {
        done(ok, message);
        job->deleteLater();
    });
    emit failoverStarted(job, director);
    job->start();
}

} // namespace hadeck::console
