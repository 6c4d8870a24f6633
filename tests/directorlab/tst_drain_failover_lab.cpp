// Drain and forced failover on the lab's real directors while the client
// namespace keeps keep-alive connections busy through the VIP; hadeckctl's
// add-track, maintenance and drain timeout choices against the same lab.

#include "directorlab.h"
#include "labtestutil.h"
#include "hadeck/console/actions/cluster_rpc.h"
#include "hadeck/console/actions/drain_job.h"
#include "hadeck/console/actions/failover_job.h"
#include "hadeck/console/connectionpool.h"
#include "hadeck/console/credentialprompter.h"
#include "hadeck/console/inventory.h"

#include <QDateTime>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>
#include <QProcess>
#include <QScopeGuard>
#include <QSet>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <hadeck/protocol/methods.h>

#include <QtTest>

#include <algorithm>
#include <memory>

using namespace hadeck;
using namespace hadeck::console;

namespace {

using directorlab::kVip;
const QString kWeb1 = QStringLiteral("198.18.0.21");
const QString kInstance = QStringLiteral("VI_CACHE");

QString labDir()
{
    return qEnvironmentVariable("HADECK_LAB_DIR", QStringLiteral("/run/hadeck-lab"));
}

using labtest::labExecArgv;

double unixMs()
{
    return double(QDateTime::currentMSecsSinceEpoch());
}

using directorlab::CtlRun;
using directorlab::hadeckctl;
using directorlab::Traffic;

/// drain.restore's params for web1 on every service.
proto::DrainTarget web1Target()
{
    proto::DrainTarget t;
    t.address = kWeb1.toStdString();
    return t;
}

/// vrrp.restore's params for the lab's instance.
proto::FailoverTarget instanceTarget()
{
    proto::FailoverTarget t;
    t.instance = kInstance.toStdString();
    return t;
}

const QString kKeepalivedConf = QStringLiteral("/etc/keepalived/keepalived.conf");
const QString kKeepalivedOrig = QStringLiteral("/etc/keepalived/keepalived.conf.lab-orig");

/// Puts back a director's keepalived configuration saved by the test, whatever happened.
/// Puts the lab's keepalived.conf back when a test saved it aside, and waits (bounded) for
/// keepalived's VRRP process to reload it.
void restoreKeepalivedConf(const QString& director)
{
    const qsizetype vrrpStarts = directorlab::keepalivedLogCount(director, "VRRP sockpool");
    const QByteArray said =
        labExecArgv(director, {QStringLiteral("sh"), QStringLiteral("-c"),
                               QStringLiteral("if [ -e %1 ]; then cp %1 %2 && rm -f %1 %2.hadeck-bak %2.hadeck-new && "
                                              "kill -HUP $(cat /run/keepalived.pid) && echo reloading; fi")
                                   .arg(kKeepalivedOrig, kKeepalivedConf)});
    if (said.contains("reloading")) {
        (void)QTest::qWaitFor([&] { return directorlab::keepalivedLogCount(director, "VRRP sockpool") > vrrpStarts; },
                              15000);
    }
}

QString serverName(const QString& address)
{
    return address == kWeb1 ? QStringLiteral("web1") : QStringLiteral("web2");
}

} // namespace

class TestDrainFailoverLab : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void drainUnderTraffic();
    void drainSurvivesReloadAndFailover();
    void failoverUnderTraffic();
    void failoverRefusesWithoutPeer();
    void addTrackFileFromCli();
    void maintenanceOnOff();
    void drainTimeoutChoices();
    void cleanupTestCase();

private:
    std::optional<std::uint32_t> weightOn(const QString& director, const QString& address);
    QString masterOf(const QString& instance);
    std::optional<proto::VrrpState> stateOn(const QString& director, const QString& instance);
    void restoreAll();

    std::unique_ptr<RefusingPrompter> m_prompter;
    std::unique_ptr<ConnectionPool> m_pool;
    std::unique_ptr<PoolRpc> m_rpc;
};

void TestDrainFailoverLab::initTestCase()
{
    auto inventory = loadInventory(labDir() + QStringLiteral("/inventory.json"));
    QVERIFY2(inventory, inventory ? "" : inventory.error().message.c_str());
    m_prompter = std::make_unique<RefusingPrompter>();
    m_pool = std::make_unique<ConnectionPool>(*inventory, m_prompter.get());
    m_pool->connectAll();
    m_rpc = std::make_unique<PoolRpc>(*m_pool);
    for (const QString& node : {QStringLiteral("dir1"), QStringLiteral("dir2"), QStringLiteral("web1")}) {
        QVERIFY2(QTest::qWaitFor([&] { return m_rpc->isOnline(node); }, 60000),
                 qPrintable(node + QStringLiteral(": ") + m_pool->lastError(node)));
    }
    QCOMPARE(m_rpc->directors().size(), 2);
    restoreAll();
}

std::optional<std::uint32_t> TestDrainFailoverLab::weightOn(const QString& director, const QString& address)
{
    std::optional<std::uint32_t> weight;
    bool done = false;
    invoke(*m_rpc, director, proto::methods::IpvsList, {}, [&](const Reply<proto::IpvsListResult>& r) {
        for (const auto& vs : r ? r->services : std::vector<proto::VirtualService>{}) {
            for (const auto& rs : vs.realServers) {
                if (QString::fromStdString(rs.address) == address) {
                    weight = rs.weight;
                }
            }
        }
        done = true;
    });
    (void)QTest::qWaitFor([&] { return done; }, 15000);
    return weight;
}

QString TestDrainFailoverLab::masterOf(const QString& instance)
{
    QString master;
    int left = 2;
    for (const QString& d : m_rpc->directors()) {
        invoke(*m_rpc, d, proto::methods::VrrpList, {}, [&, d](const Reply<proto::VrrpListResult>& r) {
            for (const auto& i : r ? r->instances : std::vector<proto::VrrpInstance>{}) {
                if (QString::fromStdString(i.name) == instance && i.state == proto::VrrpState::Master && i.holdsVips) {
                    master = master.isEmpty() ? d : QStringLiteral("SPLIT:") + master + QLatin1Char(',') + d;
                }
            }
            --left;
        });
    }
    (void)QTest::qWaitFor([&] { return left == 0; }, 15000);
    return master;
}

std::optional<proto::VrrpState> TestDrainFailoverLab::stateOn(const QString& director, const QString& instance)
{
    return directorlab::vrrpStateOn(*m_rpc, director, instance);
}

void TestDrainFailoverLab::restoreAll()
{
    // Back to the lab's start: nothing drained, no director held in FAULT.
    int left = 0;
    for (const QString& d : m_rpc->directors()) {
        left += 2;
        console::invoke(*m_rpc, d, proto::methods::DrainRestore, web1Target(),
                        [&](const console::Reply<proto::DrainRestoreResult>&) { --left; });
        console::invoke(*m_rpc, d, proto::methods::VrrpRestore, instanceTarget(),
                        [&](const console::Reply<proto::FailoverWriteResult>&) { --left; });
    }
    (void)QTest::qWaitFor([&] { return left == 0; }, 15000);
    QVERIFY2(QTest::qWaitFor([&] { return masterOf(kInstance) == QStringLiteral("dir1"); }, 20000),
             "dir1 did not return to MASTER");
}

void TestDrainFailoverLab::drainUnderTraffic()
{
    Traffic traffic(30);
    QVERIFY2(traffic.waitFlowing(), "no traffic through the VIP");

    DrainRequest req;
    req.target.address = kWeb1;
    req.timeoutSec = 60;
    DrainJob job(*m_rpc, req);
    QSignalSpy done(&job, &DrainJob::finishedWith);
    double appliedAt = 0;
    connect(&job, &DrainJob::phaseChanged, this, [&](DrainJob::Phase p) {
        if (p == DrainJob::Phase::Draining) {
            appliedAt = unixMs();
        }
    });
    const double clickAt = unixMs();
    job.start();
    QVERIFY(done.wait(90000));
    QVERIFY2(done.first().at(0).toBool(), qPrintable(done.first().at(1).toString()));
    QVERIFY(job.progress().applyLatencyMs.has_value());
    qInfo("drain: apply latency %.1f ms (click to weight 0 on both directors: %.1f ms), completed in %.1f s",
          *job.progress().applyLatencyMs, appliedAt - clickAt, job.progress().elapsedSeconds);
    QVERIFY(job.progress().established.has_value()); // the real server's own count was read
    QCOMPARE(weightOn(QStringLiteral("dir1"), kWeb1), std::optional<std::uint32_t>(0));
    QCOMPARE(weightOn(QStringLiteral("dir2"), kWeb1), std::optional<std::uint32_t>(0));

    // Restore: keepalived's configured weight comes back, on both directors.
    int left = 2;
    QStringList sources;
    for (const QString& d : m_rpc->directors()) {
        console::invoke(*m_rpc, d, proto::methods::DrainRestore, web1Target(),
                        [&](const console::Reply<proto::DrainRestoreResult>& r) {
                            for (const auto& x : r ? r->restored : std::vector<proto::RestoredWeight>{}) {
                                sources << QString::fromStdString(x.source);
                            }
                            --left;
                        });
    }
    QVERIFY(QTest::qWaitFor([&] { return left == 0; }, 15000));
    const double restoredAt = unixMs();
    QVERIFY(sources.size() == 2 && sources.count(QStringLiteral("keepalived-config")) == 2);
    QCOMPARE(weightOn(QStringLiteral("dir1"), kWeb1), std::optional<std::uint32_t>(100));

    const QJsonObject load = traffic.finish();
    QVERIFY(!load.isEmpty());
    qInfo("drain traffic: %d requests, %d failed, longest gap %.0f ms", load["requests"].toInt(),
          load["failed"].toInt(), load["longestGapMs"].toDouble());
    QCOMPARE(load["failed"].toInt(), 0);
    int newOnWeb1WhileDrained = 0;
    int newOnWeb1AfterRestore = 0;
    for (const auto& v : load["connections"].toArray()) {
        const QJsonObject c = v.toObject();
        if (c["server"].toString() != serverName(kWeb1)) {
            continue;
        }
        const double opened = c["opened"].toDouble();
        // A connection whose SYN left before weight 0 may land just after it: allow 100 ms.
        if (opened > appliedAt + 100 && opened < restoredAt) {
            ++newOnWeb1WhileDrained;
        }
        if (opened > restoredAt) {
            ++newOnWeb1AfterRestore;
        }
    }
    QCOMPARE(newOnWeb1WhileDrained, 0);
    QVERIFY2(newOnWeb1AfterRestore > 0, "web1 did not come back into rotation after the restore");
}

void TestDrainFailoverLab::drainSurvivesReloadAndFailover()
{
    DrainRequest req;
    req.target.address = kWeb1;
    req.timeoutSec = 60;
    DrainJob job(*m_rpc, req);
    QSignalSpy done(&job, &DrainJob::finishedWith);
    job.start();
    QVERIFY(done.wait(90000));
    QVERIFY2(done.first().at(0).toBool(), qPrintable(done.first().at(1).toString()));

    // keepalived reload on both directors: if it writes the configured weight back, the agent
    // re-asserts weight 0 and says so with a drain.reasserted event.
    const QStringList directors{QStringLiteral("dir1"), QStringLiteral("dir2")};
    QSet<QString> reasserted;
    std::vector<std::pair<AgentClient*, AgentClient::SubscriptionId>> subscriptions;
    const auto unsubscribe = qScopeGuard([&] {
        for (const auto& [client, id] : subscriptions) {
            client->unsubscribe(id);
        }
    });
    for (const QString& d : directors) {
        AgentClient* client = m_pool->client(d);
        QVERIFY(client != nullptr);
        subscriptions.emplace_back(client, client->subscribe({topicName(proto::topic::Events)},
                                                             [&reasserted, d](const QString& method, const rpc::Json& params) {
            if (method.toStdString() != proto::notify::Event) {
                return;
            }
            const auto head = proto::fromJson<proto::EventHead>(params);
            if (!head || head->type != proto::event::DrainReasserted) {
                return;
            }
            const auto e = proto::fromJson<proto::DrainReassertedEvent>(params);
            if (e && QString::fromStdString(e->detail.dest).startsWith(kWeb1 + QLatin1Char(':')) && e->detail.to == 0) {
                reasserted.insert(d);
            }
        }));
        // A call on the same connection after the subscribe: once it answers, the agent has the subscription.
        QCOMPARE(weightOn(d, kWeb1), std::optional<std::uint32_t>(0));
    }
    const auto reloadsLogged = [](const QString& director) {
        return directorlab::keepalivedLogCount(director, "Reload complete");
    };
    QMap<QString, qsizetype> reloadsBefore;
    for (const QString& d : directors) {
        reloadsBefore.insert(d, reloadsLogged(d));
        QVERIFY2(reloadsBefore.value(d) >= 0, qPrintable(d + QStringLiteral(": no keepalived.log")));
        labExecArgv(
            d, {QStringLiteral("sh"), QStringLiteral("-c"), QStringLiteral("kill -HUP $(cat /run/keepalived.pid)")});
    }
    for (const QString& d : directors) {
        QTRY_VERIFY2_WITH_TIMEOUT(reloadsLogged(d) > reloadsBefore.value(d),
                                  qPrintable(d + QStringLiteral(": keepalived did not log its reload")), 15000);
    }
    // keepalived 2.2.7 keeps an unchanged real server's weight on reload, so the event comes only
    // when a reload (or a health check) wrote the configured weight back: the weights are read once
    // both directors re-asserted, or after a bounded wait for that event when it wrote nothing back.
    (void)QTest::qWaitFor([&] { return reasserted.size() == directors.size(); }, 3000);
    qInfo("drain.reasserted after the reload on: %s",
          qPrintable(QStringList(reasserted.values()).join(QLatin1Char(' '))));
    QCOMPARE(weightOn(QStringLiteral("dir1"), kWeb1), std::optional<std::uint32_t>(0));
    QCOMPARE(weightOn(QStringLiteral("dir2"), kWeb1), std::optional<std::uint32_t>(0));

    // After a failover the new MASTER's table has the drain too.
    FailoverRequest fr;
    fr.instance = kInstance;
    FailoverJob failover(*m_rpc, fr);
    QSignalSpy fdone(&failover, &FailoverJob::finishedWith);
    failover.start();
    QVERIFY(fdone.wait(60000));
    QVERIFY2(fdone.first().at(0).toBool(), qPrintable(fdone.first().at(1).toString()));
    QCOMPARE(masterOf(kInstance), QStringLiteral("dir2"));
    QCOMPARE(weightOn(QStringLiteral("dir2"), kWeb1), std::optional<std::uint32_t>(0));
    restoreAll();
}

void TestDrainFailoverLab::failoverUnderTraffic()
{
    const int runs = qEnvironmentVariableIntValue("HADECK_FAILOVER_RUNS") > 0
                         ? qEnvironmentVariableIntValue("HADECK_FAILOVER_RUNS")
                         : 1;
    QList<double> times;
    QList<double> gaps;
    QList<double> verified;
    QList<int> failures;
    for (int run = 0; run < runs; ++run) {
        Traffic traffic(14);
        QVERIFY2(traffic.waitFlowing(), "no traffic through the VIP");
        FailoverRequest fr;
        fr.instance = kInstance;
        // HADECK_FAILOVER_POLL=1 verifies by polling vrrp.list only, to compare with the pushed vrrp topic.
        fr.usePush = qEnvironmentVariableIntValue("HADECK_FAILOVER_POLL") == 0;
        FailoverJob job(*m_rpc, fr);
        QSignalSpy done(&job, &FailoverJob::finishedWith);
        job.start();
        QVERIFY(done.wait(60000));
        QVERIFY2(done.first().at(0).toBool(), qPrintable(done.first().at(1).toString()));
        QVERIFY(job.verifiedBy() == QStringLiteral("push") || job.verifiedBy() == QStringLiteral("poll"));
        if (!fr.usePush) {
            QCOMPARE(job.verifiedBy(), QStringLiteral("poll"));
        }
        QCOMPARE(job.oldMaster(), QStringLiteral("dir1"));
        QCOMPARE(job.newMaster(), QStringLiteral("dir2"));
        QVERIFY(job.failoverMs().has_value());
        // dir1 preempts (priority 100 > 90, no nopreempt): it must stay out, and the job says why.
        QVERIFY(job.preemptionNote().contains(QStringLiteral("nopreempt")));
        QCOMPARE(masterOf(kInstance), QStringLiteral("dir2"));
        const QJsonObject load = traffic.finish();
        QVERIFY2(job.transitionMs().has_value(), "the peer's keepalived reported no transition time");
        times << *job.transitionMs();
        gaps << load["longestGapMs"].toDouble();
        failures << load["failed"].toInt();
        verified << *job.failoverMs();
        qInfo("failover run %d: peer MASTER %.0f ms after the release (verified by the console after %.0f ms, by %s); "
              "traffic %d requests, %d failed, longest gap %.0f ms",
              run + 1, *job.transitionMs(), *job.failoverMs(), qPrintable(job.verifiedBy()), load["requests"].toInt(),
              load["failed"].toInt(), load["longestGapMs"].toDouble());
        restoreAll();
    }
    std::sort(times.begin(), times.end());
    std::sort(gaps.begin(), gaps.end());
    std::sort(verified.begin(), verified.end());
    qInfo("failover over %d run(s): console verification median %.0f ms worst %.0f ms", runs,
          verified[verified.size() / 2], verified.last());
    qInfo("failover over %d run(s): time median %.0f ms worst %.0f ms; gap median %.0f ms worst %.0f ms", runs,
          times[times.size() / 2], times.last(), gaps[gaps.size() / 2], gaps.last());
    // The target is 1 s; under the VM's software emulation allow 3 s before calling it broken.
    QVERIFY2(times.last() < 3000, "the peer took longer than 3 s to become MASTER");
    // Failed requests during a failover are reported, not forbidden: connections in flight
    // have no state on the new MASTER (no connection sync daemon in the lab).
    qInfo("failover: failed requests per run: %s", qPrintable([&] {
              QStringList l;
              for (int f : failures) {
                  l << QString::number(f);
              }
              return l.join(QLatin1Char(' '));
          }()));
}

void TestDrainFailoverLab::failoverRefusesWithoutPeer()
{
    // With dir2's keepalived stopped, the peer is not BACKUP: the preflight refuses and nothing changes.
    QProcess::execute(qEnvironmentVariable("HADECK_LAB"), {QStringLiteral("stop"), QStringLiteral("dir2"), QStringLiteral("keepalived")});
    FailoverRequest fr;
    fr.instance = kInstance;
    FailoverJob job(*m_rpc, fr);
    QSignalSpy done(&job, &FailoverJob::finishedWith);
    job.start();
    QVERIFY(done.wait(60000));
    const bool ok = done.first().at(0).toBool();
    QProcess::execute(qEnvironmentVariable("HADECK_LAB"), {QStringLiteral("start"), QStringLiteral("dir2"), QStringLiteral("keepalived")});
    QVERIFY(!ok);
    QVERIFY(!job.preflight().passed());
    QVERIFY(job.preflight().failures().join(' ').contains(QStringLiteral("dir2")));
    QCOMPARE(masterOf(kInstance), QStringLiteral("dir1"));
}

void TestDrainFailoverLab::addTrackFileFromCli()
{
    const QString dir2 = QStringLiteral("dir2");
    // Whatever happens below, dir2 gets the lab's own configuration back, and the pair settles.
    const auto guard = qScopeGuard([this] {
        restoreKeepalivedConf(QStringLiteral("dir2"));
        (void)QTest::qWaitFor([&] { return stateOn(QStringLiteral("dir2"), kInstance) == proto::VrrpState::Backup; }, 20000);
    });
    labExecArgv(dir2, {QStringLiteral("cp"), kKeepalivedConf, kKeepalivedOrig});
    // Drop the track_file definition and the instance's reference to it, then reload.
    labExecArgv(dir2, {QStringLiteral("sed"), QStringLiteral("-i"),
                       QStringLiteral("/^track_file hadeck_failover {/,/^}/d;/^    track_file {/,/^    }/d"),
                       kKeepalivedConf});
    QCOMPARE(labExecArgv(dir2, {QStringLiteral("sh"), QStringLiteral("-c"),
                                QStringLiteral("grep -c hadeck_failover %1 || true").arg(kKeepalivedConf)})
                 .trimmed(),
             QByteArray("0"));
    labExecArgv(dir2,
                {QStringLiteral("sh"), QStringLiteral("-c"), QStringLiteral("kill -HUP $(cat /run/keepalived.pid)")});
    QVERIFY2(QTest::qWaitFor([&] { return stateOn(dir2, kInstance) == proto::VrrpState::Backup && masterOf(kInstance) == "dir1"; },
                     20000),
             "dir2 did not settle as BACKUP after the reload");

    // The failover refuses, names dir2, shows the lines and the command; nothing moves.
    CtlRun r = hadeckctl({QStringLiteral("--json"), QStringLiteral("failover"), kInstance});
    QVERIFY2(r.code == 4, r.all().constData());
    const QJsonObject refused = r.json();
    QCOMPARE(refused[QStringLiteral("ok")].toBool(), false);
    const QJsonArray fixes = refused[QStringLiteral("trackFileFixes")].toArray();
    QVERIFY2(fixes.size() == 1, r.all().constData());
    QCOMPARE(fixes[0][QStringLiteral("director")].toString(), dir2);
    QCOMPARE(fixes[0][QStringLiteral("command")].toString(), QStringLiteral("hadeckctl add-track dir2 VI_CACHE"));
    QVERIFY(fixes[0][QStringLiteral("snippet")].toString().contains(QStringLiteral("track_file hadeck_failover {")));
    QVERIFY(refused[QStringLiteral("message")].toString().contains(QStringLiteral("dir2 declares the track file")));
    r = hadeckctl({QStringLiteral("failover"), kInstance});
    QCOMPARE(r.code, 4);
    QVERIFY2(r.out.contains("hadeckctl add-track dir2 VI_CACHE"), r.all().constData());
    QVERIFY2(r.err.contains("vrrp_instance VI_CACHE {"), r.all().constData()); // the snippet, in the check's detail
    QCOMPARE(masterOf(kInstance), QStringLiteral("dir1"));

    // The one-step fix: checked with keepalived -t, installed, keepalived reloaded, audited with the SSH user.
    r = hadeckctl({QStringLiteral("--json"), QStringLiteral("add-track"), dir2, kInstance});
    QVERIFY2(r.code == 0, r.all().constData());
    const QJsonObject added = r.json();
    QVERIFY(added[QStringLiteral("validated")].toBool());
    QVERIFY(added[QStringLiteral("reloaded")].toBool());
    QVERIFY(added[QStringLiteral("effective")].toBool());
    QCOMPARE(added[QStringLiteral("file")].toString(), kKeepalivedConf);
    qInfo("add-track: keepalived -t said: %s", qPrintable(added[QStringLiteral("check")].toString().trimmed()));
    QVERIFY(labExecArgv(dir2, {QStringLiteral("cat"), kKeepalivedConf}).contains("track_file hadeck_failover {"));
    const QByteArray audit =
        labExecArgv(dir2, {QStringLiteral("sh"), QStringLiteral("-c"),
                           QStringLiteral("grep keepalived.addFailoverTrack /var/lib/hadeck/audit.log | tail -n 1")});
    const QJsonObject entry = QJsonDocument::fromJson(audit).object();
    QVERIFY2(!entry.isEmpty(), audit.constData());
    QCOMPARE(entry[QStringLiteral("user")].toString(), m_rpc->userOn(dir2));

    // Asked again: refused without touching the file, keepalived -t never runs.
    r = hadeckctl({QStringLiteral("--json"), QStringLiteral("add-track"), dir2, kInstance});
    QCOMPARE(r.code, 4);
    QVERIFY2(r.json()[QStringLiteral("error")].toString().contains(QStringLiteral("already")), r.all().constData());

    // keepalived runs the new configuration: dir2 settles as BACKUP, and the failover now goes through.
    QVERIFY2(QTest::qWaitFor([&] { return stateOn(dir2, kInstance) == proto::VrrpState::Backup && masterOf(kInstance) == "dir1"; },
                     20000),
             "dir2 did not settle as BACKUP after add-track's reload");
    r = hadeckctl({QStringLiteral("--json"), QStringLiteral("failover"), kInstance});
    QVERIFY2(r.code == 0, r.all().constData());
    QCOMPARE(r.json()[QStringLiteral("newMaster")].toString(), dir2);
    QCOMPARE(masterOf(kInstance), dir2);
    restoreAll();
}

void TestDrainFailoverLab::maintenanceOnOff()
{
    // The MASTER goes out: a verified handover, then it stays in FAULT.
    CtlRun r = hadeckctl({QStringLiteral("--json"), QStringLiteral("maintenance"), QStringLiteral("dir1"),
                          QStringLiteral("on"), kInstance});
    QVERIFY2(r.code == 0, r.all().constData());
    QJsonObject j = r.json();
    QCOMPARE(j[QStringLiteral("ok")].toBool(), true);
    QCOMPARE(j[QStringLiteral("oldMaster")].toString(), QStringLiteral("dir1"));
    QCOMPARE(j[QStringLiteral("newMaster")].toString(), QStringLiteral("dir2"));
    QVERIFY(j[QStringLiteral("note")].toString().contains(QStringLiteral("maintenance")));
    QCOMPARE(stateOn(QStringLiteral("dir1"), kInstance), std::optional(proto::VrrpState::Fault));
    QCOMPARE(masterOf(kInstance), QStringLiteral("dir2"));
    // It stays out: over a few advert intervals neither director reports another state, not even
    // for a moment (each pushed VRRP state is counted, so a flap and a flap back are seen).
    {
        QMap<QString, proto::VrrpState> last;
        int changes = 0;
        QList<std::pair<QString, int>> ids;
        const auto unsubscribe = qScopeGuard([&] {
            for (const auto& [d, id] : ids) {
                m_rpc->unsubscribe(d, id);
            }
        });
        for (const QString& d : {QStringLiteral("dir1"), QStringLiteral("dir2")}) {
            ids.append(
                {d, m_rpc->subscribe(d, QString::fromLatin1(proto::topic::Vrrp), [&, d](const rpc::Json& params) {
                     const auto topic = proto::fromJson<proto::VrrpTopic>(params);
                     for (const auto& i : topic ? topic->instances : std::vector<proto::VrrpInstance>{}) {
                         if (QString::fromStdString(i.name) != kInstance) {
                             continue;
                         }
                         if (last.contains(d) && last.value(d) != i.state) {
                             ++changes;
                         }
                         last.insert(d, i.state);
                     }
                 })});
        }
        QTRY_COMPARE_WITH_TIMEOUT(last.size(), 2, 15000); // both snapshots in
        QVERIFY(last.value(QStringLiteral("dir1")) == proto::VrrpState::Fault);
        QVERIFY(last.value(QStringLiteral("dir2")) == proto::VrrpState::Master);
        QTest::qWait(3000); // the window itself: three advert intervals
        QCOMPARE(changes, 0);
        QVERIFY(last.value(QStringLiteral("dir1")) == proto::VrrpState::Fault);
    }

    r = hadeckctl({QStringLiteral("--json"), QStringLiteral("maintenance"), QStringLiteral("dir1"), QStringLiteral("off"),
                   kInstance});
    QVERIFY2(r.code == 0, r.all().constData());
    j = r.json();
    QCOMPARE(j[QStringLiteral("ok")].toBool(), true);
    QCOMPARE(j[QStringLiteral("maintenance")].toString(), QStringLiteral("off"));
    QCOMPARE(j[QStringLiteral("written")].toArray().size(), 1);
    QCOMPARE(j[QStringLiteral("written")][0][QStringLiteral("value")].toInt(), 0);
    // dir1 has the higher priority and preempts: it comes back as MASTER.
    QVERIFY2(QTest::qWaitFor([&] { return masterOf(kInstance) == QStringLiteral("dir1"); }, 20000), "dir1 did not come back");
    QVERIFY(QTest::qWaitFor([&] { return stateOn(QStringLiteral("dir2"), kInstance) == proto::VrrpState::Backup; }, 10000));

    // The BACKUP goes out without a handover and comes back as BACKUP.
    r = hadeckctl({QStringLiteral("--json"), QStringLiteral("maintenance"), QStringLiteral("dir2"), QStringLiteral("on"),
                   kInstance});
    QVERIFY2(r.code == 0, r.all().constData());
    QCOMPARE(r.json()[QStringLiteral("written")][0][QStringLiteral("value")].toInt(), 1);
    QVERIFY(QTest::qWaitFor([&] { return stateOn(QStringLiteral("dir2"), kInstance) == proto::VrrpState::Fault; }, 5000));
    QCOMPARE(masterOf(kInstance), QStringLiteral("dir1"));
    r = hadeckctl({QStringLiteral("maintenance"), QStringLiteral("dir2"), QStringLiteral("off"), kInstance});
    QVERIFY2(r.code == 0, r.all().constData());
    QVERIFY(r.out.contains("back in service"));
    QVERIFY(QTest::qWaitFor([&] { return stateOn(QStringLiteral("dir2"), kInstance) == proto::VrrpState::Backup; }, 10000));
    QCOMPARE(masterOf(kInstance), QStringLiteral("dir1"));
}

void TestDrainFailoverLab::drainTimeoutChoices()
{
    // Slow keep-alive clients: a connection to web1 lives for Apache's 100 requests, ~50 s,
    // so a 2 s drain timeout always finds some left.
    Traffic traffic(40, 500);
    QVERIFY2(traffic.waitFlowing(), "no traffic through the VIP");
    const QStringList drain{QStringLiteral("--json"), QStringLiteral("drain"), QStringLiteral("web1"),
                            QStringLiteral("--wait"), QStringLiteral("--drain-timeout"), QStringLiteral("2")};
    auto both = [&](std::uint32_t w) {
        return weightOn(QStringLiteral("dir1"), kWeb1) == std::optional(w) &&
               weightOn(QStringLiteral("dir2"), kWeb1) == std::optional(w);
    };

    // cancel: exit 5 (timed out), and the weight is back on both directors.
    CtlRun r = hadeckctl(drain + QStringList{QStringLiteral("--on-timeout"), QStringLiteral("cancel")});
    QVERIFY2(r.code == 5, r.all().constData());
    QJsonObject j = r.json();
    QCOMPARE(j[QStringLiteral("onTimeout")].toString(), QStringLiteral("cancel"));
    QCOMPARE(j[QStringLiteral("phase")].toString(), console::DrainJob::phaseName(DrainJob::Phase::Cancelled));
    QVERIFY(j[QStringLiteral("remaining")].toDouble() > 0);
    QVERIFY(both(100));

    // force: done with connections left, exit 0, the drain held on both.
    r = hadeckctl(drain + QStringList{QStringLiteral("--on-timeout=force")});
    QVERIFY2(r.code == 0, r.all().constData());
    j = r.json();
    QCOMPARE(j[QStringLiteral("forced")].toBool(), true);
    QCOMPARE(j[QStringLiteral("phase")].toString(), console::DrainJob::phaseName(DrainJob::Phase::Completed));
    QVERIFY(both(0));
    QCOMPARE(hadeckctl({QStringLiteral("restore"), QStringLiteral("web1")}).code, 0);
    QVERIFY(both(100));

    // No choice and no terminal: exit 5, the drain stays applied, and the text says which flags choose.
    r = hadeckctl({QStringLiteral("drain"), QStringLiteral("web1"), QStringLiteral("--wait"),
                   QStringLiteral("--drain-timeout"), QStringLiteral("2")});
    QVERIFY2(r.code == 5, r.all().constData());
    QVERIFY2(r.out.contains("--on-timeout=wait|force|cancel"), r.all().constData());
    QVERIFY(both(0));

    // wait: another period each time, until the clients leave and the drain completes by itself.
    // web1 has been at weight 0 since the step above and its first clients may be leaving by now:
    // it is put back and gets clients of its own again, which the timeout must find there.
    QCOMPARE(hadeckctl({QStringLiteral("restore"), QStringLiteral("web1")}).code, 0);
    QVERIFY(both(100));
    Traffic fresh(20, 500);
    QVERIFY2(fresh.waitFlowing(), "no traffic through the VIP");
    r = hadeckctl(drain + QStringList{QStringLiteral("--on-timeout"), QStringLiteral("wait")}, 180000);
    QVERIFY2(r.code == 0, r.all().constData());
    j = r.json();
    QCOMPARE(j[QStringLiteral("onTimeout")].toString(), QStringLiteral("wait"));
    QCOMPARE(j[QStringLiteral("forced")].toBool(), false);
    QCOMPARE(j[QStringLiteral("remaining")].toDouble(), 0.0);
    const QJsonObject load = traffic.finish();
    const QJsonObject freshLoad = fresh.finish();
    qInfo("drain timeout choices: traffic %d + %d requests, %d + %d failed; waited drain finished after %.1f s",
          load["requests"].toInt(), freshLoad["requests"].toInt(), load["failed"].toInt(), freshLoad["failed"].toInt(),
          j[QStringLiteral("elapsedSeconds")].toDouble());
    QCOMPARE(load["failed"].toInt(), 0);
    QCOMPARE(freshLoad["failed"].toInt(), 0);
    QCOMPARE(hadeckctl({QStringLiteral("restore"), QStringLiteral("web1")}).code, 0);
    QVERIFY(both(100));
}

void TestDrainFailoverLab::cleanupTestCase()
{
    restoreKeepalivedConf(QStringLiteral("dir2"));
    if (m_rpc) {
        restoreAll();
    }
}

QTEST_GUILESS_MAIN(TestDrainFailoverLab)
#include "tst_drain_failover_lab.moc"
