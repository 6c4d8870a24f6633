#pragma once

// A drain asked once and applied on every director, with progress seen from
// both sides: the directors' IPVS counts and the real server's own established
// connections to VIP:port and busy Apache workers. Same job for the GUI, the
// CLI (`hadeckctl drain --wait`) and scripts.

#include "hadeck/console/actions/cluster_rpc.h"
#include "hadeck/console/actions/drain_estimator.h"
#include "hadeck/console/actions/preflight.h"

#include <QElapsedTimer>
#include <QMap>
#include <QObject>
#include <QTimer>

#include <optional>

namespace hadeck::console {

struct DrainRequest {
    DrainTarget target;
    bool force = false;     // past a failed preflight; audited by each agent
    int timeoutSec = 600;   // then the admin chooses: keep waiting, force or cancel
    int pollIntervalMs = 1000;
};

class DrainJob : public QObject {
    Q_OBJECT
public:
    enum class Phase { Preflight, Applying, PartiallyApplied, Draining, TimedOut, Completed, Cancelled, Failed };
    Q_ENUM(Phase)

    struct DirectorProgress {
        QString node;
        bool applied = false;
        QString error;
        quint64 active = 0;
        quint64 inactive = 0;
        quint64 persistent = 0;
        /// Of `active`: entries of services whose connections the real server cannot count
        /// itself (UDP, SCTP, firewall-mark and port-0 services). Only these, and the
        /// templates, hold the drain open while the real server's own count is known.
        quint64 uncounted = 0;
        /// Its IPVS entries are stale: it does not hold the VIPs while another director does
        /// (after a failover). In LVS-DR no client packet reaches it, so it never sees those
        /// connections close; its entries are shown but do not hold the drain open.
        bool stale = false;
    };

    struct Progress {
        Phase phase = Phase::Preflight;
        QList<DirectorProgress> directors;
        QString realServerNode; // empty when the real server is not in the inventory
        std::optional<quint32> established;
        std::optional<quint32> busyWorkers;
        QString realServerError;
        /// While the preflight waits for a director whose link dropped: what it waits for.
        QString waiting;
        double remaining = 0; // what must reach zero
        std::optional<double> etaSeconds;
        /// Persistence templates left for the real server (the most any director holds), the longest
        /// persistence timeout of its services, and when the last template is gone (unknown while
        /// connections remain). The ETA accounts for them.
        quint64 templates = 0;
        quint32 persistenceTimeoutSec = 0;
        std::optional<double> templatesExpireInSeconds;
        double elapsedSeconds = 0;
        /// From the start of the apply step until every director acknowledged weight 0.
        std::optional<double> applyLatencyMs;
        bool forced = false;
        /// Samples of both sides taken since the drain was applied: until the first one, no
        /// count is known (a count of 0 before it would be a guess, not a measure).
        int samples = 0;
    };

    /// How many of @p d's entries for the services the real server counts are connections the
    /// server has already closed (after a failover and a failback); 0 without the server's count.
    [[nodiscard]] static quint64 closedOnServer(const Progress& p, const DirectorProgress& d)
    {
        const quint64 counted = d.active - d.uncounted;
        return p.established && counted > *p.established ? counted - *p.established : 0;
    }

    DrainJob(ClusterRpc& rpc, DrainRequest request, QObject* parent = nullptr);
    ~DrainJob() override;

    void start();
    /// After PartiallyApplied: apply again on the directors that failed.
    void retry();
    /// After TimedOut: wait another timeout period.
    void keepWaiting();
    /// After TimedOut (or while draining): call it done although connections remain.
    void forceFinish();
    /// Gives the real server its weight back on every director and stops.
    void cancel();

    [[nodiscard]] const Progress& progress() const { return m_progress; }
    [[nodiscard]] const PreflightReport& preflight() const { return m_preflight; }
    [[nodiscard]] QString summary() const;
    /// Once applied (for a caller that does not follow the drain): what the real server itself
    /// counts, or that it was not measured and why; the directors' count beside it.
    [[nodiscard]] QString appliedSummary() const;
    /// "3 persistence templates left, gone in 95 s (persistence_timeout 120 s)"; empty when none are left.
    [[nodiscard]] QString persistenceNote() const;
    [[nodiscard]] static QString phaseName(Phase phase);
    [[nodiscard]] bool finished() const;

signals:
    void preflightDone(const hadeck::console::PreflightReport& report);
    void progressChanged();
    void phaseChanged(hadeck::console::DrainJob::Phase phase);
    /// Once, at Completed, Cancelled or Failed.
    void finishedWith(bool ok, const QString& message);

private:
    void setPhase(Phase phase, const QString& message = {});
    void runPreflight();
    void apply(const QStringList& directors);
    void poll();
    void onDirectorTables(const QMap<QString, Reply<proto::IpvsListResult>>& tables,
                          const QMap<QString, Reply<proto::VrrpListResult>>& vrrp);
    proto::DrainTarget targetParams() const;

    ClusterRpc& m_rpc;
    DrainRequest m_request;
    Progress m_progress;
    PreflightReport m_preflight;
    DrainEstimator m_estimator;
    PersistenceClock m_persistence;
    QElapsedTimer m_clock;
    QElapsedTimer m_applyClock;
    QTimer m_pollTimer;
    qint64 m_deadlineMs = 0;
    /// VIP:port of each matched virtual service, for the real server's own count.
    QList<QPair<QString, quint16>> m_vips;
    bool m_pollInFlight = false;
};

} // namespace hadeck::console
