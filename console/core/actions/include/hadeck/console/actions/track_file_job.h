#pragma once

// The admin's one-step fix for a failover refused for lack of the hadeck track
// file: the director's agent adds the lines (keepalived.addFailoverTrack),
// checks the new file with `keepalived -t`, installs it and reloads keepalived.
// The job then confirms the agent reads the track file from the file on disk.
// Same job for the GUI's failover dialog and `hadeckctl add-track`.

#include "hadeck/console/actions/cluster_rpc.h"

#include <QElapsedTimer>
#include <QObject>
#include <QString>

namespace hadeck::console {

struct TrackFileResult {
    bool ok = false;
    bool denied = false;    // the SSH user is not admin on the director (nothing changed)
    bool validated = false; // `keepalived -t` accepted the new configuration
    bool warningsBefore = false; // it warned, but only what it warned about the file before the edit
    bool reloaded = false;  // keepalived's parent got SIGHUP
    bool effective = false; // vrrp.failoverStatus now lists the instance
    QString file;           // the configuration file changed
    QString backup;         // the previous file, kept beside it
    QString checkOutput;    // what `keepalived -t` printed
    QString error;          // the agent's refusal verbatim (with keepalived -t's output when it rejected)
    QString snippet;        // when the agent could not edit the file itself: the lines to add by hand
};

/// Decodes the answer of keepalived.addFailoverTrack. Pure.
TrackFileResult trackFileResultFrom(const Reply<proto::AddFailoverTrackResult>& answer);

class TrackFileJob : public QObject {
    Q_OBJECT
public:
    TrackFileJob(ClusterRpc& rpc, QString director, QString instance, QObject* parent = nullptr);

    /// Why the console's user cannot run this on @p director (not admin, offline), or empty.
    [[nodiscard]] static QString unavailableReason(const ClusterRpc& rpc, const QString& director);

    void start();

    [[nodiscard]] const TrackFileResult& result() const { return m_result; }
    [[nodiscard]] const QString& director() const { return m_director; }
    [[nodiscard]] const QString& instance() const { return m_instance; }
    /// The result in a few lines for the admin.
    [[nodiscard]] QString summary() const;

    int verifyTimeoutMs = 5000;

signals:
    /// Once. @p ok when the file was checked, installed and keepalived reloaded.
    void finishedWith(bool ok, const QString& message);

private:
    void confirm();
    void finish();

    ClusterRpc& m_rpc;
    QString m_director;
    QString m_instance;
    TrackFileResult m_result;
    QElapsedTimer m_clock;
};

} // namespace hadeck::console
