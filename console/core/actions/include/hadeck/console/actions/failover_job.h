#pragma once

// Forced failover of a VRRP instance or sync group: preflight both directors,
// drive the MASTER to FAULT through its hadeck_failover track file, verify
// that the peer reports MASTER and holds the VIPs, then either give the old
// master back (it rejoins as BACKUP) or keep it out for maintenance.

#include "hadeck/console/actions/cluster_rpc.h"
#include "hadeck/console/actions/preflight.h"

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

#include <memory>
#include <optional>

namespace hadeck::console {

struct FailoverRequest {
    QString instance;        // the VRRP instance (for a sync group: any member, plus group)
    QString group;           // optional: release the whole sync group
    QString makeMaster;      // optional: the director that must end up MASTER
    bool force = false;      // past a failed preflight
    bool keepOut = false;    // director maintenance: the old master stays in FAULT
    bool preflightOnly = false; // check and report, change nothing (e.g. after fixing a refusal)
    int verifyTimeoutMs = 10000;
    int pollIntervalMs = 100;        // without the agents' vrrp topic
    int fallbackPollIntervalMs = 500; // alongside it: a push may be late, asking observes the VIPs now
    bool usePush = true;               // false: poll only (to compare the two)
};

class FailoverJob : public QObject {
    Q_OBJECT
public:
    enum class Phase { Preflight, Releasing, Verifying, Restoring, Completed, Failed };
    Q_ENUM(Phase)

    struct Step {
        QString text;
        bool ok = true;
        double atMs = 0;
    };

    FailoverJob(ClusterRpc& rpc, FailoverRequest request, QObject* parent = nullptr);
    ~FailoverJob() override;

    void start();

    [[nodiscard]] Phase phase() const { return m_phase; }
    [[nodiscard]] const FailoverRequest& request() const { return m_request; }
    [[nodiscard]] ClusterRpc& rpc() const { return m_rpc; }
    /// Directors refused for lacking the hadeck track file (by the preflight, or by
    /// the agent when forced past it), with the lines to add: see TrackFileJob.
    [[nodiscard]] QList<TrackFileFix> trackFileFixes() const;
    [[nodiscard]] const PreflightReport& preflight() const { return m_preflight; }
    [[nodiscard]] const QList<Step>& steps() const { return m_steps; }
    [[nodiscard]] QString oldMaster() const { return m_master; }
    [[nodiscard]] QString newMaster() const { return m_peer; }
    /// From the release request to the console seeing the peer MASTER with the VIPs
    /// (includes the round trips to both agents).
    [[nodiscard]] std::optional<double> failoverMs() const { return m_failoverMs; }
    /// From the track-file write to the peer's keepalived transition to MASTER, by
    /// the directors' own clocks: what the cluster felt.
    [[nodiscard]] std::optional<double> transitionMs() const { return m_transitionMs; }
    /// Whether the verification came from the agents' vrrp topic ("push") or from polling vrrp.list ("poll").
    [[nodiscard]] QString verifiedBy() const { return m_verifiedBy; }
    /// Why the old master is (or is not) given back, in words for the admin.
    [[nodiscard]] QString preemptionNote() const { return m_preemptionNote; }
    [[nodiscard]] static QString phaseName(Phase phase);

signals:
    void preflightDone(const hadeck::console::PreflightReport& report);
    void stepAdded(const hadeck::console::FailoverJob::Step& step);
    void phaseChanged(hadeck::console::FailoverJob::Phase phase);
    void finishedWith(bool ok, const QString& message);

private:
    void setPhase(Phase phase, const QString& message = {});
    void step(const QString& text, bool ok = true);
    void collect(std::function<void(std::vector<DirectorSnapshot>)> done);
    /// The preflight's second look, @p waitMs after the first (@p earlier: the peer then).
    /// While the peer's advert counter stands still, up to @p looksLeft more looks follow.
    void lookAgain(std::shared_ptr<DirectorSnapshot> earlier, int waitMs, int looksLeft);
    /// Extra looks at a peer whose advert counter has not moved: keepalived's dump, the
    /// counters' source, is written once a second and later on a loaded director.
    static constexpr int kAdvertLooks = 3;
    void release();
    void verify();
    void subscribe();
    void unsubscribeAll();
    /// Judges the peer and the old master as last seen; @p how says where they were seen.
    void evaluate(const std::optional<proto::VrrpInstance>& peer, const std::optional<proto::VrrpInstance>& old,
                  const QString& how);
    void giveBack();
    proto::FailoverTarget targetParams() const;

    ClusterRpc& m_rpc;
    FailoverRequest m_request;
    Phase m_phase = Phase::Preflight;
    PreflightReport m_preflight;
    QList<Step> m_steps;
    QList<TrackFileFix> m_releaseFixes;
    QString m_master;
    /// What the preflight saw a release of the instance move on m_master (unknown: nothing
    /// is named, as with an agent that does not say).
    std::optional<std::vector<std::string>> m_expectedAffected;
    QString m_peer;
    QString m_preemptionNote;
    bool m_giveBack = true;
    std::optional<double> m_failoverMs;
    std::optional<double> m_transitionMs;
    double m_releasedAt = 0; // the master agent's clock, unix seconds
    QElapsedTimer m_clock;
    QElapsedTimer m_releaseClock;
    QTimer m_pollTimer;
    bool m_pollInFlight = false;
    QMap<QString, int> m_subscriptions;
    QMap<QString, proto::VrrpInstance> m_pushed; // the instance as the vrrp topic last showed it, per node
    QString m_verifiedBy;
};

} // namespace hadeck::console
