#pragma once

// Preflight checks for the actions that span directors. Pure functions over
// snapshots of each director's state, so every refusal can be tested without
// a cluster, and the GUI's preflight dialog and hadeckctl list the same checks.

#include "hadeck/protocol/director.h"
#include "hadeck/protocol/payloads.h"

#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace hadeck::console {

/// What one director looked like when the admin asked for the action.
struct DirectorSnapshot {
    QString node;
    bool online = false;
    std::vector<proto::VrrpInstance> vrrp;
    std::vector<proto::VirtualService> ipvs;
    /// Drains the director's agent holds, as "serviceKey|realServerEndpoint".
    QStringList heldDrains;
    /// net.ipv4.vs.expire_quiescent_template on this director.
    bool expireQuiescentTemplate = false;
    /// net.ipv4.vs.expire_nodest_conn on this director; unknown from an agent that does not say.
    std::optional<bool> expireNodestConn;
    /// Instances whose keepalived configuration (as on disk now, sync groups included)
    /// names the hadeck track file, from vrrp.failoverStatus. Unknown: fall back to
    /// the track files vrrp.list reports, which the agent reads only at its own start.
    std::optional<QStringList> failoverTracked;
    /// Instance -> the other instances that share its hadeck track file, from
    /// vrrp.failoverStatus: releasing one faults them all.
    QMap<QString, QStringList> failoverSharedWith;
    /// Instance -> every instance a release of it moves (itself and those sharing its track
    /// file), as the agent spells them, for the release's request; from vrrp.failoverStatus.
    std::map<std::string, std::vector<std::string>> failoverAffected;

    [[nodiscard]] const proto::VrrpInstance* instance(const QString& name) const;
};

struct PreflightCheck {
    enum class Outcome { Pass, Warn, Fail };
    QString id; // stable, for scripts: "peer-backup", "vip-sets", ...
    Outcome outcome = Outcome::Pass;
    QString title;
    QString detail; // why it failed and what to do
};

/// A director whose keepalived configuration lacks the hadeck track file for an
/// instance: the lines to add, and the admin action that adds them.
struct TrackFileFix {
    QString director;
    QString instance;
    QString snippet;
};

struct PreflightReport {
    QList<PreflightCheck> checks;
    /// Filled when a track-file check failed: one per director to fix.
    QList<TrackFileFix> trackFileFixes;
    /// True when no check failed. Warnings do not block.
    [[nodiscard]] bool passed() const;
    [[nodiscard]] QStringList failures() const;
};

/// Where the agent's keepalived.addFailoverTrack points a new hadeck track file.
inline constexpr const char* kDefaultFailoverTrackPath = proto::kDefaultFailoverFile;

/// The keepalived lines that give @p instance the hadeck track file @p trackFileName
/// (the same lines keepalived.addFailoverTrack adds).
QString failoverTrackSnippet(const QString& instance,
                             const QString& trackFileName = QString::fromLatin1(proto::kFailoverTrackName),
                             const QString& file = QString::fromLatin1(kDefaultFailoverTrackPath));

/// Checks before driving @p master's instance to FAULT so that @p peer takes
/// over. @p peerEarlier is the peer seen at least one advert interval before
/// @p peer, to prove that adverts are arriving; without it that check warns.
/// Both directors need the track file: the peer too, or once MASTER it could be
/// neither handed back nor taken out for maintenance.
PreflightReport failoverPreflight(const QString& instance, const DirectorSnapshot& master,
                                  const DirectorSnapshot& peer, const std::optional<DirectorSnapshot>& peerEarlier,
                                  const QString& trackFileName);

/// What a drain targets: one real server, on one virtual service or on all.
struct DrainTarget {
    QString address;         // the real server's address
    std::optional<quint16> port;
    QString serviceKey;      // empty: every virtual service that has this real server

    [[nodiscard]] bool matches(const proto::VirtualService& vs, const proto::RealServer& rs) const;
};

/// Checks before setting weight 0 on every director.
PreflightReport drainPreflight(const DrainTarget& target, const std::vector<DirectorSnapshot>& directors);

} // namespace hadeck::console
