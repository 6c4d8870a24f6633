#include "hadeck/console/actions/failover_job.h"

#include <algorithm>
#include <memory>

namespace hadeck::console {

namespace {

QStringList heldDrains(const Reply<proto::DrainBookState>& r)
{
    QStringList out;
    if (r) {
        for (const auto& d : r->drains) {
            out << QString::fromStdString(d.id);
        }
    }
    return out;
}

/// Instances whose configuration names the hadeck track file, from vrrp.failoverStatus.
std::optional<QStringList> failoverTracked(const Reply<proto::FailoverStatusResult>& r)
{
    if (!r) {
        return std::nullopt; // an older agent, or offline: the preflight falls back to vrrp.list
    }
    QStringList out;
    for (const auto& [name, _] : r->instances) {
        out << QString::fromStdString(name);
    }
    return out;
}

/// An instance name from the agent, for a step or a check's text: a control or format
/// character (a line break would forge a line of hadeckctl's output) shows as U+FFFD.
QString agentName(const std::string& name)
{
    QString out = QString::fromStdString(name);
    for (QChar& c : out) {
        if (c.category() == QChar::Other_Control || c.category() == QChar::Other_Format) {
            c = QChar::ReplacementCharacter;
        }
    }
    return out;
}

/// Instance -> the instances a release of it faults too (they share its track file).
QMap<QString, QStringList> failoverSharedWith(const Reply<proto::FailoverStatusResult>& r)
{
    QMap<QString, QStringList> out;
    for (const auto& [name, state] : r ? r->instances : std::map<std::string, proto::FailoverFileState>{}) {
        for (const auto& other : state.sharedWith) {
            out[QString::fromStdString(name)] << agentName(other);
        }
    }
    return out;
}

/// Instance -> itself and the instances sharing its track file, as the agent spells them.
std::map<std::string, std::vector<std::string>> failoverAffected(const Reply<proto::FailoverStatusResult>& r)
{
    std::map<std::string, std::vector<std::string>> out;
    for (const auto& [name, state] : r ? r->instances : std::map<std::string, proto::FailoverFileState>{}) {
        auto& moved = out[name];
        moved.push_back(name);
        moved.insert(moved.end(), state.sharedWith.begin(), state.sharedWith.end());
    }
    return out;
}

/// The instances in @p affected other than @p named, joined for a step's text.
QString othersThan(const std::vector<std::string>& affected, const QString& named)
{
    QStringList out;
    for (const auto& a : affected) {
        if (QString::fromStdString(a) != named) {
            out << agentName(a);
        }
    }
    return out.join(QStringLiteral(", "));
}

} // namespace

QList<TrackFileFix> FailoverJob::trackFileFixes() const
{
    return m_preflight.trackFileFixes + m_releaseFixes;
}

FailoverJob::FailoverJob(ClusterRpc& rpc, FailoverRequest request, QObject* parent)
    : QObject(parent)
    , m_rpc(rpc)
    , m_request(std::move(request))
{
    m_pollTimer.setInterval(m_request.pollIntervalMs);
    connect(&m_pollTimer, &QTimer::timeout, this, &FailoverJob::verify);
}

FailoverJob::~FailoverJob()
{
    unsubscribeAll();
}

void FailoverJob::subscribe()
{
    // Pushed state: keepalived's transitions reach the console as the agents see them,
    // without a vrrp.list round trip every 100 ms over SSH.
    for (const QString& node : {m_master, m_peer}) {
        const int id = m_rpc.subscribe(node, QString::fromLatin1(proto::topic::Vrrp), [this, node](const rpc::Json& params) {
            auto topic = proto::fromJson<proto::VrrpTopic>(params);
            if (!topic) {
                return; // a malformed push is ignored; the poll still verifies
            }
            for (auto& i : topic->instances) {
                if (QString::fromStdString(i.name) == m_request.instance) {
                    m_pushed.insert(node, std::move(i));
                }
            }
            if (m_phase == Phase::Verifying && m_pushed.contains(m_master) && m_pushed.contains(m_peer)) {
                evaluate(m_pushed.value(m_peer), m_pushed.value(m_master), QStringLiteral("push"));
            }
        });
        if (id != 0) {
            m_subscriptions.insert(node, id);
        }
    }
}

void FailoverJob::unsubscribeAll()
{
    for (auto it = m_subscriptions.begin(); it != m_subscriptions.end(); ++it) {
        m_rpc.unsubscribe(it.key(), it.value());
    }
    m_subscriptions.clear();
}

QString FailoverJob::phaseName(Phase phase)
{
    switch (phase) {
    case Phase::Preflight: return tr("Checking");
    case Phase::Releasing: return tr("Releasing MASTER");
    case Phase::Verifying: return tr("Verifying");
    case Phase::Restoring: return tr("Giving back");
    case Phase::Completed: return tr("Completed");
    case Phase::Failed: return tr("Failed");
    }
    return {};
}

void FailoverJob::setPhase(Phase phase, const QString& message)
{
    m_phase = phase;
    emit phaseChanged(phase);
    if (phase == Phase::Completed || phase == Phase::Failed) {
        m_pollTimer.stop();
        unsubscribeAll();
        emit finishedWith(phase == Phase::Completed, message);
    }
}

void FailoverJob::step(const QString& text, bool ok)
{
    Step s{text, ok, double(m_clock.nsecsElapsed()) / 1e6};
    m_steps << s;
    emit stepAdded(s);
}

proto::FailoverTarget FailoverJob::targetParams() const
{
    proto::FailoverTarget t;
    if (!m_request.group.isEmpty()) {
        t.group = m_request.group.toStdString();
    } else {
        t.instance = m_request.instance.toStdString();
    }
    return t;
}

void FailoverJob::collect(std::function<void(std::vector<DirectorSnapshot>)> done)
{
    using namespace proto::methods;
    using VrrpReplies = QMap<QString, Reply<proto::VrrpListResult>>;
    using IpvsReplies = QMap<QString, Reply<proto::IpvsListResult>>;
    using DrainReplies = QMap<QString, Reply<proto::DrainBookState>>;
    using TrackReplies = QMap<QString, Reply<proto::FailoverStatusResult>>;
    const QStringList directors = m_rpc.directors();
    auto out = std::make_shared<std::vector<DirectorSnapshot>>();
    // A director whose link just dropped is waited for (bounded), not taken as down; the wait is a step.
    const auto w = [this](const QString& message) { step(message); };
    // Fresh: the preflight compares the advert counters of two looks, and an agent whose
    // transitions are pushed dumps keepalived's counters only every few seconds otherwise.
    inquireAll(
        m_rpc, directors, VrrpList, proto::VrrpListParams{.fresh = true},
        [this, directors, out, done, w](const VrrpReplies& vrrp) {
            inquireAll(
                m_rpc, directors, IpvsList, {},
                [this, directors, out, done, vrrp, w](const IpvsReplies& ipvs) {
                    inquireAll(
                        m_rpc, directors, DrainList, {},
                        [this, directors, out, done, vrrp, ipvs, w](const DrainReplies& drains) {
                            inquireAll(
                                m_rpc, directors, VrrpFailoverStatus, {},
                                [this, directors, out, done, vrrp, ipvs, drains](const TrackReplies& tracked) {
                                    for (const QString& d : directors) {
                                        DirectorSnapshot s;
                                        s.node = d;
                                        const auto v = answerOf(vrrp, d);
                                        const auto t = answerOf(ipvs, d);
                                        // A reply that does not decode counts as no reply: never a half-read table.
                                        s.online = m_rpc.isOnline(d) && v.hasValue();
                                        if (v) {
                                            s.vrrp = v->instances;
                                        }
                                        if (t) {
                                            s.ipvs = t->services;
                                        }
                                        s.heldDrains = heldDrains(answerOf(drains, d));
                                        s.failoverTracked = failoverTracked(answerOf(tracked, d));
                                        s.failoverSharedWith = failoverSharedWith(answerOf(tracked, d));
                                        s.failoverAffected = failoverAffected(answerOf(tracked, d));
                                        out->push_back(std::move(s));
                                    }
                                    done(*out);
                                },
                                w);
                        },
                        w);
                },
                w);
        },
        w);
}

void FailoverJob::start()
{
    m_clock.start();
    setPhase(Phase::Preflight);
    collect([this](std::vector<DirectorSnapshot> first) {
        const DirectorSnapshot* master = nullptr;
        const DirectorSnapshot* peer = nullptr;
        for (const auto& s : first) {
            const auto* i = s.instance(m_request.instance);
            if (!i) {
                continue;
            }
            if (i->state == proto::VrrpState::Master && !master) {
                master = &s;
            } else if (!peer || (!m_request.makeMaster.isEmpty() && s.node == m_request.makeMaster)) {
                peer = &s;
            }
        }
        if (!master) {
            setPhase(Phase::Failed, tr("No director reports MASTER for %1; nothing to fail over.").arg(m_request.instance));
            return;
        }
        if (!m_request.makeMaster.isEmpty() && master->node == m_request.makeMaster) {
            step(tr("%1 is already MASTER of %2.").arg(master->node, m_request.instance));
            setPhase(Phase::Completed, tr("%1 is already MASTER; nothing to do.").arg(master->node));
            return;
        }
        if (!peer) {
            setPhase(Phase::Failed, tr("No other director has the instance %1.").arg(m_request.instance));
            return;
        }
        m_master = master->node;
        m_peer = peer->node;
        const auto* mi = master->instance(m_request.instance);
        const auto* pi = peer->instance(m_request.instance);
        // Adverts come every advert_int: look again a little later to see them arrive.
        const int waitMs = std::max(mi->advertIntMs, pi->advertIntMs) + 300;
        lookAgain(std::make_shared<DirectorSnapshot>(*peer), waitMs, kAdvertLooks);
    });
}

void FailoverJob::lookAgain(std::shared_ptr<DirectorSnapshot> earlier, int waitMs, int looksLeft)
{
    QTimer::singleShot(waitMs, this, [this, earlier, waitMs, looksLeft] {
        collect([this, earlier, waitMs, looksLeft](std::vector<DirectorSnapshot> second) {
            const DirectorSnapshot* peerNow = nullptr;
            const DirectorSnapshot* masterLater = nullptr;
            for (const auto& s : second) {
                if (s.node == m_peer) {
                    peerNow = &s;
                } else if (s.node == m_master) {
                    masterLater = &s;
                }
            }
            if (!peerNow || !masterLater) {
                setPhase(Phase::Failed, tr("Lost the directors during the preflight."));
                return;
            }
            m_preflight = failoverPreflight(m_request.instance, *masterLater, *peerNow, *earlier,
                                            QStringLiteral("hadeck_failover"));
            // The release names what the preflight saw it move: the agent refuses if that changed.
            m_expectedAffected.reset();
            if (m_request.group.isEmpty()) {
                if (const auto it = masterLater->failoverAffected.find(m_request.instance.toStdString());
                    it != masterLater->failoverAffected.end()) {
                    m_expectedAffected = it->second;
                }
            }
            // The agents' VRRP counters come from keepalived's periodic dump, which a loaded
            // director writes late: a counter that did not move yet is looked at again (from the
            // same first sample, so the interval only grows) before it counts as a blocked path.
            const auto advertsStill = [this] {
                const auto& checks = m_preflight.checks;
                return std::any_of(checks.begin(), checks.end(), [](const PreflightCheck& c) {
                    return c.outcome == PreflightCheck::Outcome::Fail && c.id == QLatin1String("peer-adverts");
                });
            };
            if (looksLeft > 0 && advertsStill()) {
                lookAgain(earlier, waitMs, looksLeft - 1);
                return;
            }
            emit preflightDone(m_preflight);
            for (const auto& c : m_preflight.checks) {
                step(c.detail.isEmpty() ? c.title : c.title + QStringLiteral(": ") + c.detail,
                     c.outcome != PreflightCheck::Outcome::Fail);
            }
            if (!m_preflight.passed() && !m_request.force) {
                setPhase(Phase::Failed,
                         tr("Preflight refused the failover:\n%1").arg(m_preflight.failures().join(QLatin1Char('\n'))));
                return;
            }
            if (m_request.preflightOnly) {
                setPhase(Phase::Completed, m_preflight.passed()
                                               ? tr("The preflight passes: %1 can hand %2 over to %3.")
                                                     .arg(m_master, m_request.instance, m_peer)
                                               : tr("The preflight fails; only --force would go ahead."));
                return;
            }
            // nopreempt: without it, a higher-priority old master takes the VIP
            // straight back once its FAULT clears, which would undo the failover.
            const auto* mi2 = masterLater->instance(m_request.instance);
            const auto* pi2 = peerNow->instance(m_request.instance);
            const bool preemptsBack = mi2 && pi2 && !mi2->nopreempt && mi2->basePriority > pi2->basePriority;
            m_giveBack = !m_request.keepOut && !preemptsBack;
            if (m_request.keepOut) {
                m_preemptionNote = tr("%1 stays in FAULT (maintenance) until you restore it.").arg(m_master);
            } else if (preemptsBack) {
                m_preemptionNote =
                    tr("%1 has the higher priority (%2 > %3) and preempts: clearing its FAULT now would take the "
                       "VIP straight back. It stays in FAULT until you restore it; set nopreempt (with state "
                       "BACKUP on both directors) to let it rejoin as BACKUP.")
                        .arg(m_master)
                        .arg(mi2->basePriority)
                        .arg(pi2->basePriority);
            } else {
                m_preemptionNote = tr("%1 rejoins as BACKUP: %2.")
                                       .arg(m_master, mi2 && mi2->nopreempt ? tr("nopreempt is set")
                                                                            : tr("its priority is not higher"));
            }
            release();
        });
    });
}

void FailoverJob::release()
{
    setPhase(Phase::Releasing);
    if (m_request.usePush) {
        subscribe();
    }
    if (m_subscriptions.size() == 2) {
        m_pollTimer.setInterval(std::max(m_request.pollIntervalMs, m_request.fallbackPollIntervalMs));
    }
    m_releaseClock.start();
    proto::FailoverTarget params = targetParams();
    params.affected = m_expectedAffected;
    invoke(m_rpc, m_master, proto::methods::VrrpRelease, params, [this](const Reply<proto::FailoverWriteResult>& r) {
        if (!r) {
            QString detail = QString::fromStdString(r.error().message);
            if (auto fix = proto::fromJson<proto::TrackSnippetData>(r.error().data); fix && !fix->snippet.empty()) {
                const QString snippet = QString::fromStdString(fix->snippet);
                detail += QStringLiteral("\n\n") + snippet;
                m_releaseFixes << TrackFileFix{m_master,
                                               fix->instance.empty() ? m_request.instance
                                                                     : QString::fromStdString(fix->instance),
                                               snippet};
            }
            step(tr("%1 refused to release MASTER: %2").arg(m_master, detail), false);
            setPhase(Phase::Failed, detail);
            return;
        }
        m_releasedAt = r->time;
        // The agent names every instance its write moves: those sharing a track file go too.
        if (!m_request.group.isEmpty() && !r->affected.empty()) {
            step(tr("%1: track files set, going to FAULT: %2").arg(m_master, othersThan(r->affected, {})));
        } else if (const QString others = othersThan(r->affected, m_request.instance); !others.isEmpty()) {
            step(tr("%1: track file set, %2 going to FAULT, and with it %3 (the same track file)")
                     .arg(m_master, m_request.instance, others));
        } else {
            step(tr("%1: track file set, instance going to FAULT").arg(m_master));
        }
        setPhase(Phase::Verifying);
        verify();
        m_pollTimer.start();
    });
}

void FailoverJob::verify()
{
    if (m_pollInFlight || m_phase != Phase::Verifying) {
        return;
    }
    if (!m_failoverMs && m_releaseClock.elapsed() > m_request.verifyTimeoutMs) {
        step(tr("%1 did not become MASTER within %2 s").arg(m_peer).arg(m_request.verifyTimeoutMs / 1000.0), false);
        setPhase(Phase::Failed, tr("The VIP did not move to %1. %2 is left in FAULT so the cluster does not flap; "
                                   "check VRRP traffic between the directors, then restore %2.")
                                    .arg(m_peer, m_master));
        return;
    }
    m_pollInFlight = true;
    invokeAll(m_rpc, {m_master, m_peer}, proto::methods::VrrpList, {},
              [this](const QMap<QString, Reply<proto::VrrpListResult>>& r) {
        m_pollInFlight = false;
        if (m_phase != Phase::Verifying) {
            return;
        }
        auto find = [&](const QString& node) -> std::optional<proto::VrrpInstance> {
            const auto answer = answerOf(r, node);
            if (answer) {
                for (const auto& i : answer->instances) {
                    if (QString::fromStdString(i.name) == m_request.instance) {
                        return i;
                    }
                }
            }
            return std::nullopt;
        };
        evaluate(find(m_peer), find(m_master), QStringLiteral("poll"));
    });
}

void FailoverJob::evaluate(const std::optional<proto::VrrpInstance>& peer, const std::optional<proto::VrrpInstance>& old,
                           const QString& how)
{
    if (m_phase != Phase::Verifying) {
        return;
    }
    // The fact is the VIPs: keepalived adds them only on the MASTER, and the agents read them from
    // the kernel when asked. The peer's reported state may lag (its DBus signal or dump comes
    // seconds late on a loaded node), so it is not waited for.
    if (peer && peer->holdsVips && (!old || !old->holdsVips)) {
        if (!m_failoverMs) {
            m_failoverMs = double(m_releaseClock.nsecsElapsed()) / 1e6;
            m_verifiedBy = how;
            if (peer->state != proto::VrrpState::Master) {
                step(tr("%1 holds the VIPs and %2 no longer does, verified after %3 ms (its agent still reports %4)")
                         .arg(m_peer, m_master)
                         .arg(*m_failoverMs, 0, 'f', 0)
                         .arg(QString::fromStdString(proto::toString(peer->state))));
            } else {
                step(how == QLatin1String("push")
                         ? tr("%1 is MASTER and holds the VIPs, verified after %2 ms (pushed by the agents)")
                               .arg(m_peer)
                               .arg(*m_failoverMs, 0, 'f', 0)
                         : tr("%1 is MASTER and holds the VIPs, verified after %2 ms").arg(m_peer).arg(*m_failoverMs, 0, 'f', 0));
            }
        }
        // keepalived's own transition time comes with its next JSON dump (at most a
        // sample interval later); wait a little for it, then carry on without it.
        const bool fresh = m_releasedAt > 0 && peer->lastTransition >= m_releasedAt;
        if (fresh) {
            m_transitionMs = (peer->lastTransition - m_releasedAt) * 1000.0;
            step(tr("%1 became MASTER %2 ms after the release (keepalived's transition time)")
                     .arg(m_peer)
                     .arg(*m_transitionMs, 0, 'f', 0));
        }
        if (fresh || m_releaseClock.elapsed() > *m_failoverMs + 3000) {
            m_pollTimer.stop();
            giveBack();
        }
    }
}

void FailoverJob::giveBack()
{
    if (!m_giveBack) {
        step(m_preemptionNote);
        setPhase(Phase::Completed, tr("%1 is now MASTER of %2. %3").arg(m_peer, m_request.instance, m_preemptionNote));
        return;
    }
    setPhase(Phase::Restoring);
    invoke(m_rpc, m_master, proto::methods::VrrpRestore, targetParams(), [this](const Reply<proto::FailoverWriteResult>& r) {
        if (!r) {
            step(tr("Could not clear the FAULT on %1: %2").arg(m_master, QString::fromStdString(r.error().message)), false);
            setPhase(Phase::Completed, tr("%1 is now MASTER, but %2 is still in FAULT: restore it by hand.")
                                           .arg(m_peer, m_master));
            return;
        }
        step(m_preemptionNote);
        setPhase(Phase::Completed, tr("%1 is now MASTER of %2. %3").arg(m_peer, m_request.instance, m_preemptionNote));
    });
}

} // namespace hadeck::console
