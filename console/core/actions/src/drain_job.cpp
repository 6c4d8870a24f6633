#include "hadeck/console/actions/drain_job.h"

#include <QCoreApplication>

#include <algorithm>
#include <memory>

namespace hadeck::console {

namespace {

template <typename T>
QString errorText(const T& r)
{
    return r ? QString() : QString::fromStdString(r.error().message);
}

/// Whether the real server can count this service's connections itself: drain.local counts
/// the TCP sockets on VIP:port, so UDP, SCTP, firewall-mark and port-0 services are not.
bool serverCounts(const proto::VirtualService& vs) { return vs.fwmark == 0 && vs.protocol == "tcp" && vs.port != 0; }

} // namespace

DrainJob::DrainJob(ClusterRpc& rpc, DrainRequest request, QObject* parent)
    : QObject(parent)
    , m_rpc(rpc)
    , m_request(std::move(request))
{
    m_pollTimer.setInterval(m_request.pollIntervalMs);
    connect(&m_pollTimer, &QTimer::timeout, this, &DrainJob::poll);
    m_progress.forced = m_request.force;
    m_progress.realServerNode = m_rpc.nodeForAddress(m_request.target.address);
}

DrainJob::~DrainJob() = default;

QString DrainJob::phaseName(Phase phase)
{
    switch (phase) {
    case Phase::Preflight: return tr("Checking");
    case Phase::Applying: return tr("Applying");
    case Phase::PartiallyApplied: return tr("Partially applied");
    case Phase::Draining: return tr("Draining");
    case Phase::TimedOut: return tr("Timed out");
    case Phase::Completed: return tr("Completed");
    case Phase::Cancelled: return tr("Cancelled");
    case Phase::Failed: return tr("Failed");
    }
    return {};
}

bool DrainJob::finished() const
{
    return m_progress.phase == Phase::Completed || m_progress.phase == Phase::Cancelled ||
           m_progress.phase == Phase::Failed;
}

proto::DrainTarget DrainJob::targetParams() const
{
    proto::DrainTarget p;
    p.address = m_request.target.address.toStdString();
    p.force = m_request.force;
    if (m_request.target.port) {
        p.port = static_cast<std::uint16_t>(*m_request.target.port);
    }
    p.service = m_request.target.serviceKey.toStdString();
    return p;
}

void DrainJob::setPhase(Phase phase, const QString& message)
{
    if (m_progress.phase == phase && phase != Phase::Preflight) {
        return;
    }
    m_progress.phase = phase;
    emit phaseChanged(phase);
    emit progressChanged();
    if (phase == Phase::Completed || phase == Phase::Cancelled || phase == Phase::Failed) {
        m_pollTimer.stop();
        emit finishedWith(phase == Phase::Completed, message.isEmpty() ? summary() : message);
    }
}

void DrainJob::start()
{
    m_clock.start();
    setPhase(Phase::Preflight);
    runPreflight();
}

void DrainJob::runPreflight()
{
    const QStringList directors = m_rpc.directors();
    if (directors.isEmpty()) {
        setPhase(Phase::Failed, tr("No director is known in this cluster: connect to the directors first."));
        return;
    }
    // Each director's table and held drains, then the pure checks.
    auto snapshots = std::make_shared<std::vector<DirectorSnapshot>>();
    // A director whose link just dropped (a missed ping on a loaded machine) is waited for,
    // bounded, rather than counted as not answering; the wait shows in the progress.
    const auto waiting = [this](const QString& message) {
        m_progress.waiting = message;
        emit progressChanged();
    };
    inquireAll(
        m_rpc, directors, proto::methods::IpvsList, {},
        [this, directors, snapshots, waiting](const auto& tables) {
            inquireAll(
                m_rpc, directors, proto::methods::DrainList, {},
                [this, directors, tables, snapshots](const QMap<QString, Reply<proto::DrainBookState>>& drains) {
                    m_progress.waiting.clear();
                    for (const QString& d : directors) {
                        DirectorSnapshot s;
                        s.node = d;
                        const auto t = answerOf(tables, d);
                        s.online = m_rpc.isOnline(d) && t.hasValue();
                        if (t) {
                            s.ipvs = t->services;
                        }
                        if (const auto dl = answerOf(drains, d)) {
                            s.expireQuiescentTemplate = dl->expireQuiescentTemplate;
                            s.expireNodestConn = dl->expireNodestConn;
                        }
                        snapshots->push_back(std::move(s));
                    }
                    m_preflight = drainPreflight(m_request.target, *snapshots);
                    emit preflightDone(m_preflight);
                    // VIPs of the matched services, for the real server's side.
                    for (const auto& s : *snapshots) {
                        for (const auto& vs : s.ipvs) {
                            for (const auto& rs : vs.realServers) {
                                const QPair<QString, quint16> vip{QString::fromStdString(vs.address), vs.port};
                                if (m_request.target.matches(vs, rs) && serverCounts(vs) && !m_vips.contains(vip)) {
                                    m_vips << vip;
                                }
                            }
                        }
                    }
                    if (!m_preflight.passed() && !m_request.force) {
                        setPhase(Phase::Failed, tr("Preflight refused the drain:\n%1")
                                                    .arg(m_preflight.failures().join(QLatin1Char('\n'))));
                        return;
                    }
                    m_progress.directors.clear();
                    for (const QString& d : directors) {
                        DirectorProgress p;
                        p.node = d;
                        m_progress.directors << p;
                    }
                    apply(directors);
                },
                waiting);
        },
        waiting);
}

void DrainJob::apply(const QStringList& directors)
{
    setPhase(Phase::Applying);
    m_applyClock.start();
    invokeAll(m_rpc, directors, proto::methods::DrainApply, targetParams(),
            [this](const QMap<QString, Reply<proto::DrainApplyResult>>& results) {
                bool all = true;
                for (auto& d : m_progress.directors) {
                    if (!results.contains(d.node)) {
                        continue;
                    }
                    const auto r = answerOf(results, d.node);
                    d.applied = r.hasValue();
                    d.error = errorText(r);
                    all = all && d.applied;
                }
                for (const auto& d : m_progress.directors) {
                    all = all && d.applied;
                }
                if (!all) {
                    setPhase(Phase::PartiallyApplied);
                    return;
                }
                m_progress.applyLatencyMs = static_cast<double>(m_applyClock.nsecsElapsed()) / 1e6;
                m_deadlineMs = m_clock.elapsed() + qint64(m_request.timeoutSec) * 1000;
                setPhase(Phase::Draining);
                poll();
                m_pollTimer.start();
            });
}

void DrainJob::retry()
{
    if (m_progress.phase != Phase::PartiallyApplied) {
        return;
    }
    QStringList failed;
    for (const auto& d : m_progress.directors) {
        if (!d.applied) {
            failed << d.node;
        }
    }
    apply(failed);
}

void DrainJob::poll()
{
    if (m_pollInFlight || finished()) {
        return;
    }
    m_pollInFlight = true;
    QStringList directors;
    for (const auto& d : m_progress.directors) {
        directors << d.node;
    }
    // The tables, and which director holds the VIPs: only that one routes (LVS-DR).
    invokeAll(m_rpc, directors, proto::methods::IpvsList, {},
              [this, directors](const QMap<QString, Reply<proto::IpvsListResult>>& tables) {
                  invokeAll(m_rpc, directors, proto::methods::VrrpList, {},
                            [this, tables](const QMap<QString, Reply<proto::VrrpListResult>>& vrrp) {
                                onDirectorTables(tables, vrrp);
                            });
              });
}

void DrainJob::onDirectorTables(const QMap<QString, Reply<proto::IpvsListResult>>& tables,
                                const QMap<QString, Reply<proto::VrrpListResult>>& vrrp)
{
    // A director that answered vrrp.list and holds no VIP, while another one holds them, keeps
    // only stale entries. Unknown (no answer, no keepalived) counts as routing: never guess down.
    QMap<QString, bool> holds;
    for (const auto& d : m_progress.directors) {
        const auto v = answerOf(vrrp, d.node);
        if (v && !v->instances.empty()) {
            holds[d.node] = std::any_of(v->instances.begin(), v->instances.end(),
                                        [](const proto::VrrpInstance& i) { return i.holdsVips; });
        }
    }
    const bool someoneHolds = std::any_of(holds.begin(), holds.end(), [](bool h) { return h; });
    for (auto& d : m_progress.directors) {
        d.stale = someoneHolds && holds.contains(d.node) && !holds.value(d.node);
    }
    quint32 persistenceTimeout = 0;
    for (auto& d : m_progress.directors) {
        const auto r = answerOf(tables, d.node);
        if (!r) {
            d.error = errorText(r);
            continue;
        }
        d.error.clear();
        d.active = d.inactive = d.persistent = d.uncounted = 0;
        for (const auto& vs : r->services) {
            for (const auto& rs : vs.realServers) {
                if (m_request.target.matches(vs, rs)) {
                    d.active += rs.activeConns;
                    if (!serverCounts(vs)) {
                        d.uncounted += rs.activeConns;
                    }
                    d.inactive += rs.inactiveConns;
                    d.persistent += rs.persistentConns;
                    if (vs.persistent) {
                        persistenceTimeout = std::max<quint32>(persistenceTimeout, vs.timeout);
                    }
                }
            }
        }
    }

    m_progress.persistenceTimeoutSec = persistenceTimeout;

    auto finishPoll = [this] {
        // Inactive entries are FIN_WAIT/TIME_WAIT bookkeeping the director keeps
        // for its tcp_fin timeout; they carry no requests, so they are shown but
        // do not hold the job open.
        // Persistence templates are no connections: they do not decay with the traffic but
        // expire one persistence timeout after the last connection, so the ETA counts them apart.
        // The real server's own count, when known, is the truth for the TCP services it counts:
        // a connection it has no socket for carries no request. The routing director can list
        // such connections as ESTABLISHED for 15 min: after a failover and a failback the
        // clients' FINs went through its peer. Its entries decide only what the server cannot
        // count (UDP, firewall marks) and, without the server's count, everything.
        const bool serverMeasured = m_progress.established.has_value();
        double directorSide = 0;
        double directorConnections = 0;
        quint64 templates = 0;
        for (const auto& d : m_progress.directors) {
            if (d.stale) {
                continue; // shown, but the real server's truth and the routing director decide
            }
            const quint64 connections = serverMeasured ? d.uncounted : d.active;
            directorSide = std::max(directorSide, double(connections + d.persistent));
            directorConnections = std::max(directorConnections, double(connections));
            templates = std::max(templates, d.persistent);
        }
        double serverSide = m_progress.established.value_or(0);
        m_progress.remaining = std::max(directorSide, serverSide);
        m_progress.elapsedSeconds = double(m_clock.elapsed()) / 1000.0;
        const double connections = std::max(directorConnections, serverSide);
        m_estimator.addSample(m_progress.elapsedSeconds, connections);
        m_persistence.addSample(m_progress.elapsedSeconds, connections, double(templates),
                                double(m_progress.persistenceTimeoutSec));
        m_progress.templates = templates;
        m_progress.templatesExpireInSeconds =
            templates > 0 ? m_persistence.expiresInSeconds() : std::optional<double>{};
        m_progress.etaSeconds = m_persistence.combinedEta(m_estimator.etaSeconds());
        m_pollInFlight = false;
        ++m_progress.samples;
        emit progressChanged();
        if (m_progress.phase == Phase::Draining && m_progress.remaining <= 0) {
            setPhase(Phase::Completed);
        } else if (m_progress.phase == Phase::Draining && m_clock.elapsed() > m_deadlineMs) {
            setPhase(Phase::TimedOut);
        }
    };

    const QString rsNode = m_progress.realServerNode;
    if (rsNode.isEmpty() || m_vips.isEmpty()) {
        finishPoll();
        return;
    }
    struct Sum {
        quint32 established = 0;
        std::optional<quint32> busy;
        QString error;
        int left = 0;
    };
    auto sum = std::make_shared<Sum>();
    sum->left = static_cast<int>(m_vips.size());
    for (const auto& [vip, port] : m_vips) {
        proto::DrainLocalParams local;
        local.vip = vip.toStdString();
        local.port = port;
        invoke(m_rpc, rsNode, proto::methods::DrainLocal, local,
                   [this, sum, finishPoll](const Reply<proto::DrainLocalResult>& r) {
                       if (r) {
                           // Summed over the VIP's ports without wrapping: an agent's count is any
                           // uint64, the progress holds a quint32 (it saturates).
                           sum->established = static_cast<quint32>(std::min<std::uint64_t>(
                               std::uint64_t{sum->established} + std::min<std::uint64_t>(r->established, 0xffffffffu),
                               0xffffffffu));
                           if (r->apache) {
                               // The status request itself occupies one worker.
                               const quint32 busy = r->apache->busyWorkers;
                               sum->busy = busy > 0 ? busy - 1 : 0;
                           }
                       } else {
                           sum->error = errorText(r);
                       }
                       if (--sum->left == 0) {
                           m_progress.established = sum->error.isEmpty() ? std::optional<quint32>(sum->established)
                                                                         : std::nullopt;
                           m_progress.busyWorkers = sum->busy;
                           m_progress.realServerError = sum->error;
                           finishPoll();
                       }
                   });
    }
}

void DrainJob::keepWaiting()
{
    if (m_progress.phase != Phase::TimedOut) {
        return;
    }
    m_deadlineMs = m_clock.elapsed() + qint64(m_request.timeoutSec) * 1000;
    setPhase(Phase::Draining);
}

void DrainJob::forceFinish()
{
    if (m_progress.phase != Phase::TimedOut && m_progress.phase != Phase::Draining) {
        return;
    }
    m_progress.forced = true;
    setPhase(Phase::Completed, tr("Drain of %1 marked complete by the admin with %2 connection(s) left.")
                                   .arg(m_request.target.address)
                                   .arg(m_progress.remaining));
}

void DrainJob::cancel()
{
    if (finished()) {
        return;
    }
    m_pollTimer.stop();
    QStringList directors;
    for (const auto& d : m_progress.directors) {
        if (d.applied) {
            directors << d.node;
        }
    }
    proto::DrainTarget params = targetParams();
    params.force = false;
    invokeAll(m_rpc, directors, proto::methods::DrainRestore, params,
              [this](const QMap<QString, Reply<proto::DrainRestoreResult>>& r) {
        QStringList errors;
        for (auto it = r.begin(); it != r.end(); ++it) {
            if (!it.value()) {
                errors << QStringLiteral("%1: %2").arg(it.key(), errorText(it.value()));
            }
        }
        setPhase(Phase::Cancelled, errors.isEmpty()
                                       ? tr("Drain cancelled; %1 is back in rotation.").arg(m_request.target.address)
                                       : tr("Drain cancelled, but restoring failed on: %1").arg(errors.join(QStringLiteral("; "))));
    });
}

QString DrainJob::appliedSummary() const
{
    quint64 directorSide = 0;
    for (const auto& d : m_progress.directors) {
        if (!d.stale) {
            directorSide = std::max<quint64>(directorSide, d.active + d.persistent);
        }
    }
    const QString head = tr("%1 drained on %2 director(s)").arg(m_request.target.address).arg(m_progress.directors.size());
    if (m_progress.samples == 0) {
        return tr("%1; connections still open: not measured yet.").arg(head);
    }
    if (m_progress.established) {
        return tr("%1; the real server counts %2 connection(s) still open (directors: %3).")
            .arg(head)
            .arg(*m_progress.established)
            .arg(directorSide);
    }
    const QString why = m_progress.realServerNode.isEmpty()
                            ? tr("the real server is not in the inventory")
                            : (m_progress.realServerError.isEmpty() ? tr("no virtual service address to count")
                                                                     : m_progress.realServerError);
    return tr("%1; the real server's own count was not measured (%2); directors: %3 connection(s).")
        .arg(head, why)
        .arg(directorSide);
}

QString DrainJob::summary() const
{
    switch (m_progress.phase) {
    case Phase::Completed:
        return tr("%1 drained on %2 director(s) in %3 s.")
            .arg(m_request.target.address)
            .arg(m_progress.directors.size())
            .arg(m_progress.elapsedSeconds, 0, 'f', 1);
    case Phase::PartiallyApplied: {
        QStringList failed;
        for (const auto& d : m_progress.directors) {
            if (!d.applied) {
                failed << QStringLiteral("%1 (%2)").arg(d.node, d.error);
            }
        }
        return tr("Weight 0 is applied on some directors only. Failed: %1. Retry, or cancel to restore.")
            .arg(failed.join(QStringLiteral(", ")));
    }
    default: return phaseName(m_progress.phase);
    }
}

QString DrainJob::persistenceNote() const
{
    const auto& p = m_progress;
    if (p.templates == 0) {
        return {};
    }
    const int n = static_cast<int>(std::min<quint64>(p.templates, 1000000));
    if (p.templatesExpireInSeconds) {
        return tr("%n persistence template(s) left, gone in %1 s (persistence_timeout %2 s)", nullptr, n)
            .arg(*p.templatesExpireInSeconds, 0, 'f', 0)
            .arg(p.persistenceTimeoutSec);
    }
    return tr("%n persistence template(s) left, gone %1 s after the last connection (persistence_timeout)",
              nullptr, n)
        .arg(p.persistenceTimeoutSec);
}

} // namespace hadeck::console
