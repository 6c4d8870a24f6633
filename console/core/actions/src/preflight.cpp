#include "hadeck/console/actions/preflight.h"

#include <QCoreApplication>

#include <algorithm>
#include <map>
#include <set>

namespace hadeck::console {

namespace {

// One catalog context for every preflight text, declared where the translation tools read it.
struct PreflightText {
    Q_DECLARE_TR_FUNCTIONS(hadeck::console::Preflight)
};

QString q(const std::string& s) { return QString::fromStdString(s); }

PreflightCheck pass(QString id, QString title)
{
    return {std::move(id), PreflightCheck::Outcome::Pass, std::move(title), {}};
}

PreflightCheck failed(QString id, QString title, QString detail)
{
    return {std::move(id), PreflightCheck::Outcome::Fail, std::move(title), std::move(detail)};
}

PreflightCheck warned(QString id, QString title, QString detail)
{
    return {std::move(id), PreflightCheck::Outcome::Warn, std::move(title), std::move(detail)};
}

std::set<std::string> vipSet(const proto::VrrpInstance& i)
{
    return {i.vips.begin(), i.vips.end()};
}

QString joined(const std::set<std::string>& s)
{
    QStringList out;
    for (const auto& v : s) {
        out << q(v);
    }
    return out.isEmpty() ? PreflightText::tr("(none)") : out.join(QStringLiteral(", "));
}

/// Service key → real servers that take new connections (weight > 0).
std::map<std::string, std::set<std::string>> liveTable(const DirectorSnapshot& d)
{
    std::map<std::string, std::set<std::string>> out;
    for (const auto& vs : d.ipvs) {
        auto& live = out[vs.key()];
        for (const auto& rs : vs.realServers) {
            if (rs.weight > 0) {
                live.insert(rs.endpoint());
            }
        }
    }
    return out;
}

QString describeTableDiff(const DirectorSnapshot& a, const DirectorSnapshot& b)
{
    const auto ta = liveTable(a);
    const auto tb = liveTable(b);
    QStringList lines;
    for (const auto& [key, live] : ta) {
        const auto it = tb.find(key);
        if (it == tb.end()) {
            lines << PreflightText::tr("%1 exists on %2 but not on %3").arg(q(key), a.node, b.node);
        } else if (it->second != live) {
            lines << PreflightText::tr("%1: live real servers %2 on %3, %4 on %5")
                         .arg(q(key), joined(live), a.node, joined(it->second), b.node);
        }
    }
    for (const auto& [key, live] : tb) {
        if (ta.find(key) == ta.end()) {
            lines << PreflightText::tr("%1 exists on %2 but not on %3").arg(q(key), b.node, a.node);
        }
    }
    return lines.join(QLatin1Char('\n'));
}

} // namespace

QString failoverTrackSnippet(const QString& instance, const QString& trackFileName, const QString& file)
{
    // One definition (protocol/payloads.h): the admin sees the same lines from the agent.
    return QString::fromStdString(
        proto::failoverTrackSnippet(file.toStdString(), instance.toStdString(), trackFileName.toStdString()));
}

const proto::VrrpInstance* DirectorSnapshot::instance(const QString& name) const
{
    const std::string n = name.toStdString();
    const auto it = std::find_if(vrrp.begin(), vrrp.end(), [&](const auto& i) { return i.name == n; });
    return it == vrrp.end() ? nullptr : &*it;
}

bool PreflightReport::passed() const
{
    return std::none_of(checks.begin(), checks.end(),
                        [](const auto& c) { return c.outcome == PreflightCheck::Outcome::Fail; });
}

QStringList PreflightReport::failures() const
{
    QStringList out;
    for (const auto& c : checks) {
        if (c.outcome == PreflightCheck::Outcome::Fail) {
            out << c.title + QStringLiteral(": ") + c.detail;
        }
    }
    return out;
}

PreflightReport failoverPreflight(const QString& instance, const DirectorSnapshot& master,
                                  const DirectorSnapshot& peer, const std::optional<DirectorSnapshot>& peerEarlier,
                                  const QString& trackFileName)
{
    PreflightReport r;
    const auto* mi = master.instance(instance);
    const auto* pi = peer.instance(instance);

    if (!mi || mi->state != proto::VrrpState::Master) {
        r.checks << failed(QStringLiteral("master-state"), PreflightText::tr("%1 is MASTER of %2").arg(master.node, instance),
                           mi ? PreflightText::tr("%1 reports %2 for %3; only the MASTER can hand over.")
                                    .arg(master.node, q(proto::toString(mi->state)), instance)
                              : PreflightText::tr("%1 has no VRRP instance named %2.").arg(master.node, instance));
    } else {
        r.checks << pass(QStringLiteral("master-state"), PreflightText::tr("%1 is MASTER of %2").arg(master.node, instance));
    }

    for (const DirectorSnapshot* d : {&master, &peer}) {
        const QString id = d == &master ? QStringLiteral("track-file") : QStringLiteral("peer-track-file");
        const QString title = PreflightText::tr("%1 declares the track file %2").arg(d->node, trackFileName);
        const auto* di = d->instance(instance);
        if (!d->online || !di) {
            continue; // the state checks below say why
        }
        bool hasTrack = false;
        if (d->failoverTracked) {
            hasTrack = d->failoverTracked->contains(instance);
        } else {
            hasTrack = std::any_of(di->trackFiles.begin(), di->trackFiles.end(),
                                   [&](const auto& t) { return q(t.name) == trackFileName; });
        }
        if (hasTrack) {
            r.checks << pass(id, title);
            continue;
        }
        const QString snippet = failoverTrackSnippet(instance, trackFileName);
        r.checks << failed(id, title,
                           (d == &master ? PreflightText::tr("Without it, %1 cannot be driven to FAULT.").arg(d->node)
                                         : PreflightText::tr("Without it, %1, once MASTER, can be neither handed back nor taken out "
                                              "for maintenance.")
                                               .arg(d->node)) +
                               QLatin1Char(' ') +
                               PreflightText::tr("Add these lines to its keepalived configuration and reload, or let HaDeck add "
                                  "them (admin: checked with keepalived -t, then reloaded):") +
                               QStringLiteral("\n") + snippet);
        r.trackFileFixes << TrackFileFix{d->node, instance, snippet};
    }

    // Releasing the instance writes its track file: every instance that shares the file goes
    // to FAULT with it, and its VIPs move too. Common (one hadeck track file per director), so
    // a warning that names them, not a refusal.
    // Known only from an agent that answered vrrp.failoverStatus.
    const QString alone = PreflightText::tr("Only %1 goes to FAULT on %2").arg(instance, master.node);
    if (const QStringList shared = master.failoverSharedWith.value(instance); !shared.isEmpty()) {
        r.checks << warned(QStringLiteral("shared-track-file"), alone,
                           PreflightText::tr("%1 shares its track file on %2 with %3: they go to FAULT with it, and "
                                             "their VIPs move too. Give %1 a track file of its own to move it alone.")
                               .arg(instance, master.node, shared.join(QStringLiteral(", "))));
    } else if (master.failoverTracked) {
        r.checks << pass(QStringLiteral("shared-track-file"), alone);
    }

    if (!peer.online) {
        r.checks << failed(QStringLiteral("peer-online"), PreflightText::tr("%1 is reachable").arg(peer.node),
                           PreflightText::tr("The console has no live connection to %1; its state is unknown.").arg(peer.node));
    } else if (!pi) {
        r.checks << failed(QStringLiteral("peer-backup"), PreflightText::tr("%1 is BACKUP of %2").arg(peer.node, instance),
                           PreflightText::tr("%1 has no VRRP instance named %2.").arg(peer.node, instance));
    } else if (pi->state != proto::VrrpState::Backup) {
        r.checks << failed(QStringLiteral("peer-backup"), PreflightText::tr("%1 is BACKUP of %2").arg(peer.node, instance),
                           PreflightText::tr("%1 reports %2; it can take over only from BACKUP.")
                               .arg(peer.node, q(proto::toString(pi->state))));
    } else {
        r.checks << pass(QStringLiteral("peer-backup"), PreflightText::tr("%1 is BACKUP of %2").arg(peer.node, instance));
    }

    if (pi) {
        const auto* earlier = peerEarlier ? peerEarlier->instance(instance) : nullptr;
        if (!earlier) {
            r.checks << warned(QStringLiteral("peer-adverts"), PreflightText::tr("%1 receives adverts").arg(peer.node),
                               PreflightText::tr("Only one sample of %1 so far; cannot tell whether adverts arrive.").arg(peer.node));
        } else if (pi->advertRcvd > earlier->advertRcvd) {
            r.checks << pass(QStringLiteral("peer-adverts"), PreflightText::tr("%1 receives adverts").arg(peer.node));
        } else {
            r.checks << failed(QStringLiteral("peer-adverts"), PreflightText::tr("%1 receives adverts").arg(peer.node),
                               PreflightText::tr("The advert counter of %1 did not move: VRRP packets (IP protocol 112) from %2 do "
                                  "not reach it. A failover now risks a split brain.")
                                   .arg(peer.node, master.node));
        }
    }

    if (mi && pi) {
        const auto a = vipSet(*mi);
        const auto b = vipSet(*pi);
        if (a == b) {
            r.checks << pass(QStringLiteral("vip-sets"), PreflightText::tr("Both directors carry the same VIPs"));
        } else {
            r.checks << failed(QStringLiteral("vip-sets"), PreflightText::tr("Both directors carry the same VIPs"),
                               PreflightText::tr("%1 has %2; %3 has %4.").arg(master.node, joined(a), peer.node, joined(b)));
        }
    }

    const QString diff = describeTableDiff(master, peer);
    if (diff.isEmpty()) {
        r.checks << pass(QStringLiteral("ipvs-tables"), PreflightText::tr("Both IPVS tables have the same live real servers"));
    } else {
        r.checks << failed(QStringLiteral("ipvs-tables"), PreflightText::tr("Both IPVS tables have the same live real servers"), diff);
    }

    QStringList ma = master.heldDrains;
    QStringList pa = peer.heldDrains;
    ma.sort();
    pa.sort();
    if (ma == pa) {
        r.checks << pass(QStringLiteral("drains"), PreflightText::tr("No drain is half-applied"));
    } else {
        r.checks << failed(QStringLiteral("drains"), PreflightText::tr("No drain is half-applied"),
                           PreflightText::tr("%1 holds drains [%2]; %3 holds [%4]. Retry or restore the drain first.")
                               .arg(master.node, ma.join(QStringLiteral(", ")), peer.node, pa.join(QStringLiteral(", "))));
    }
    return r;
}

bool DrainTarget::matches(const proto::VirtualService& vs, const proto::RealServer& rs) const
{
    if (q(rs.address) != address) {
        return false;
    }
    if (port && rs.port != *port) {
        return false;
    }
    return serviceKey.isEmpty() || q(vs.key()) == serviceKey;
}

PreflightReport drainPreflight(const DrainTarget& target, const std::vector<DirectorSnapshot>& directors)
{
    PreflightReport r;
    bool found = false;
    QStringList lastHealthy;
    QStringList persistent;
    QStringList keepNodestConns; // directors routing the target (LVS-DR) with expire_nodest_conn=0
    QStringList offline;
    for (const auto& d : directors) {
        if (!d.online) {
            offline << d.node;
            continue;
        }
        for (const auto& vs : d.ipvs) {
            bool targetHere = false;
            int othersLive = 0;
            for (const auto& rs : vs.realServers) {
                if (target.matches(vs, rs)) {
                    targetHere = true;
                } else if (rs.weight > 0) {
                    ++othersLive;
                }
            }
            if (!targetHere) {
                continue;
            }
            found = true;
            if (othersLive == 0) {
                lastHealthy << PreflightText::tr("%1 on %2").arg(q(vs.key()), d.node);
            }
            const bool routed = std::any_of(vs.realServers.begin(), vs.realServers.end(), [&](const auto& rs) {
                return target.matches(vs, rs) && rs.forward == proto::ForwardMethod::Route;
            });
            if (routed && d.expireNodestConn && !*d.expireNodestConn && !keepNodestConns.contains(d.node)) {
                keepNodestConns << d.node;
            }
            if (vs.persistent && !d.expireQuiescentTemplate) {
                persistent << PreflightText::tr("%1 on %2 (persistence %3 s)").arg(q(vs.key()), d.node).arg(vs.timeout);
            }
        }
    }
    const QString what = target.port ? QStringLiteral("%1:%2").arg(target.address).arg(*target.port) : target.address;
    if (offline.isEmpty()) {
        r.checks << pass(QStringLiteral("directors-online"), PreflightText::tr("Every director is reachable"));
    } else {
        r.checks << failed(QStringLiteral("directors-online"), PreflightText::tr("Every director is reachable"),
                           PreflightText::tr("%1 cannot be reached; a drain applied only on the others is lost after a failover.")
                               .arg(offline.join(QStringLiteral(", "))));
    }
    // Never conclude from nodes that did not answer: only the tables read are evidence.
    QStringList answered;
    for (const auto& d : directors) {
        if (d.online) {
            answered << d.node;
        }
    }
    const QString foundTitle = PreflightText::tr("%1 is a real server in IPVS").arg(what);
    if (found) {
        r.checks << pass(QStringLiteral("target-found"), foundTitle);
    } else if (answered.isEmpty()) {
        r.checks << failed(QStringLiteral("target-found"), foundTitle,
                           PreflightText::tr("Not checked: %1 did not answer, so their IPVS tables are unknown. Try again "
                                             "with a longer --timeout once the directors answer.")
                               .arg(offline.join(QStringLiteral(", "))));
    } else if (!offline.isEmpty()) {
        r.checks << failed(QStringLiteral("target-found"), foundTitle,
                           PreflightText::tr("No virtual service on %1 has %2 as a real server; %3 did not answer, so "
                                             "its table is unknown.")
                               .arg(answered.join(QStringLiteral(", ")), what, offline.join(QStringLiteral(", "))));
    } else {
        r.checks << failed(QStringLiteral("target-found"), foundTitle,
                           PreflightText::tr("No virtual service on any director has %1 as a real server.").arg(what));
    }
    if (answered.isEmpty()) {
        // Nothing was read: the table checks are not passed, they are not done.
        const QString notChecked = PreflightText::tr("Not checked: no director answered.");
        r.checks << warned(QStringLiteral("last-healthy"), PreflightText::tr("Other real servers keep serving"), notChecked);
        r.checks << warned(QStringLiteral("persistence"), PreflightText::tr("No persistence template keeps routing clients"),
                           notChecked);
        r.checks << warned(QStringLiteral("expire-nodest-conn"),
                           PreflightText::tr("Directors expire connections to removed real servers"), notChecked);
        return r;
    }
    if (lastHealthy.isEmpty()) {
        r.checks << pass(QStringLiteral("last-healthy"), PreflightText::tr("Other real servers keep serving"));
    } else {
        r.checks << failed(QStringLiteral("last-healthy"), PreflightText::tr("Other real servers keep serving"),
                           PreflightText::tr("%1 is the last real server with a non-zero weight in: %2. Draining it takes the "
                              "service down; use --force only if that is what you want.")
                               .arg(what, lastHealthy.join(QStringLiteral("; "))));
    }
    if (persistent.isEmpty()) {
        r.checks << pass(QStringLiteral("persistence"), PreflightText::tr("No persistence template keeps routing clients"));
    } else {
        r.checks << warned(QStringLiteral("persistence"), PreflightText::tr("No persistence template keeps routing clients"),
                           PreflightText::tr("Persistent services with net.ipv4.vs.expire_quiescent_template=0: %1. Returning clients "
                              "keep reaching %2 until their templates expire; set the sysctl to 1 to end them.")
                               .arg(persistent.join(QStringLiteral("; ")), what));
    }
    if (keepNodestConns.isEmpty()) {
        r.checks << pass(QStringLiteral("expire-nodest-conn"),
                         PreflightText::tr("Directors expire connections to removed real servers"));
    } else {
        r.checks << warned(QStringLiteral("expire-nodest-conn"),
                           PreflightText::tr("Directors expire connections to removed real servers"),
                           PreflightText::tr("net.ipv4.vs.expire_nodest_conn=0 on %1: once %2 leaves the table, a client "
                                             "that reuses its port follows a leftover connection entry to it and times out. "
                                             "Set net.ipv4.vs.expire_nodest_conn=1 on the directors.")
                               .arg(keepNodestConns.join(QStringLiteral(", ")), what));
    }
    return r;
}

} // namespace hadeck::console
