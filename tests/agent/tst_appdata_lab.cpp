// The application-node agents on the lab's real MariaDB, MooseFS and Apache
// (label lab; needs the lab fixture). Talks to each node's agent through its
// socket under $HADECK_LAB_DIR/local/<node>/run/hadeck/agent.sock.
//  - stop the MariaDB master: the replica's IO thread shows Connecting with the
//    error; start it: the replica recovers and its lag returns to 0;
//  - stop cs2: it shows disconnected and chunk health changes; maintenance on/off
//    with the 20 % rule in the preflight, seen by mfscli too;
//  - load from `client`: web1's requests/s move, and the observed edge
//    web1 -> db1:3306 appears in web1's connection groups.

#include "agenttestutil.h"
#include "labtestutil.h"

#include "hadeck/protocol/appdata.h"
#include "hadeck/protocol/methods.h"

#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QtTest>

using namespace hadeck;
using namespace hadeck::test;
using namespace hadeck::labtest;
namespace m = hadeck::proto::methods;

namespace {

QString socketOf(const char* node)
{
    return labDir() + QStringLiteral("/local/") + QLatin1String(node) + QStringLiteral("/run/hadeck/agent.sock");
}

template <typename T>
std::optional<T> typed(LineClient& c, std::string_view method, const rpc::Json& params = rpc::Json::object())
{
    auto r = c.call(std::string(method), params, 30000);
    if (!r || !r->contains("result")) {
        return std::nullopt;
    }
    auto v = proto::fromJson<T>((*r)["result"]);
    return v ? std::optional<T>(*v) : std::nullopt;
}

} // namespace

class TestAppdataLab : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void replicationMasterDown();
    void chunkserverDownAndMaintenance();
    void apacheLoadAndObservedEdge();
};

void TestAppdataLab::initTestCase()
{
    if (::geteuid() != 0) {
        QSKIP("the lab needs root");
    }
    for (const char* n : {"db1", "db2", "mfsmaster", "web1"}) {
        QVERIFY2(QFile::exists(socketOf(n)), qPrintable(socketOf(n) + QStringLiteral(" missing: lab up with the agent?")));
    }
}

void TestAppdataLab::replicationMasterDown()
{
    auto db1 = LineClient::connectTo(socketOf("db1"));
    auto db2 = LineClient::connectTo(socketOf("db2"));
    QVERIFY(db1.valid() && db2.valid());
    std::optional<proto::DbStatus> s1;
    std::optional<proto::DbStatus> s2;
    QTRY_VERIFY_WITH_TIMEOUT((s1 = typed<proto::DbStatus>(db1, m::DbStatusGet.name)) && s1->state == proto::DbState::Ok,
                             20000);
    QCOMPARE(QString::fromStdString(s1->role), QStringLiteral("master"));
    QVERIFY(!s1->readOnly);
    QVERIFY(!s1->binlogFile.empty());
    QTRY_VERIFY_WITH_TIMEOUT((s2 = typed<proto::DbStatus>(db2, m::DbStatusGet.name)) && s2->replica &&
                                 s2->replica->ioRunning == "Yes",
                             20000);
    QCOMPARE(QString::fromStdString(s2->role), QStringLiteral("replica"));
    QVERIFY(s2->readOnly);
    QCOMPARE(QString::fromStdString(s2->replica->masterHost), QStringLiteral("198.18.0.31"));

    QCOMPARE(lab({QStringLiteral("stop"), QStringLiteral("db1"), QStringLiteral("mariadb")}), 0);
    QTRY_VERIFY_WITH_TIMEOUT((s2 = typed<proto::DbStatus>(db2, m::DbStatusGet.name)) && s2->replica &&
                                 s2->replica->ioRunning == "Connecting" && !s2->replica->lastIoError.empty(),
                             60000);
    QVERIFY(!s2->replica->lagSeconds); // NULL while the IO thread is down
    qInfo("replica while the master is down: IO %s, error: %s", s2->replica->ioRunning.c_str(),
          s2->replica->lastIoError.c_str());
    QTRY_VERIFY_WITH_TIMEOUT((s1 = typed<proto::DbStatus>(db1, m::DbStatusGet.name)) &&
                                 s1->state == proto::DbState::Unreachable,
                             20000);

    QCOMPARE(lab({QStringLiteral("start"), QStringLiteral("db1"), QStringLiteral("mariadb")}), 0);
    QTRY_VERIFY_WITH_TIMEOUT((s2 = typed<proto::DbStatus>(db2, m::DbStatusGet.name)) && s2->replica &&
                                 s2->replica->ioRunning == "Yes" && s2->replica->lagSeconds &&
                                 *s2->replica->lagSeconds == 0,
                             90000);
    // The replica's lag is in its history.
    proto::HistoryParams hp;
    hp.series = "db.replicaLagSeconds";
    const auto h = typed<proto::HistoryResult>(db2, m::HistoryGet.name, rpc::Json(hp));
    QVERIFY(h && !h->values.empty());
}

void TestAppdataLab::chunkserverDownAndMaintenance()
{
    auto c = LineClient::connectTo(socketOf("mfsmaster"));
    QVERIFY(c.valid());
    std::optional<proto::MfsStatus> s;
    const auto cs2 = [&]() -> const proto::MfsChunkserver* {
        for (const auto& cs : s->chunkservers) {
            if (cs.host == "198.18.0.43") {
                return &cs;
            }
        }
        return nullptr;
    };
    QTRY_VERIFY_WITH_TIMEOUT((s = typed<proto::MfsStatus>(c, m::MfsStatusGet.name)) && s->ok &&
                                 s->chunkservers.size() == 2 && cs2() && cs2()->connected,
                             30000);
    QCOMPARE(QString::fromStdString(s->master->version), QStringLiteral("3.0.117"));
    QCOMPARE(s->metaloggers.size(), std::size_t(1));
    // Every section was read: the disks too (mfscli -SHD timed out when it resolved addresses).
    QVERIFY2(s->reason.empty(), s->reason.c_str());
    QCOMPARE(s->disks.size(), std::size_t(2));
    const auto undergoalBefore = s->master->undergoalChunks;

    QCOMPARE(lab({QStringLiteral("stop"), QStringLiteral("cs2"), QStringLiteral("mfschunkserver")}), 0);
    QTRY_VERIFY_WITH_TIMEOUT((s = typed<proto::MfsStatus>(c, m::MfsStatusGet.name)) && s->ok && cs2() &&
                                 !cs2()->connected,
                             60000);
    if (s->master->chunks > 0) {
        QTRY_VERIFY_WITH_TIMEOUT((s = typed<proto::MfsStatus>(c, m::MfsStatusGet.name)) && s->ok &&
                                     s->master->undergoalChunks > undergoalBefore,
                                 30000);
    }
    QCOMPARE(lab({QStringLiteral("start"), QStringLiteral("cs2"), QStringLiteral("mfschunkserver")}), 0);
    QTRY_VERIFY_WITH_TIMEOUT((s = typed<proto::MfsStatus>(c, m::MfsStatusGet.name)) && s->ok && cs2() &&
                                 cs2()->connected,
                             60000);

    // Maintenance: the preflight names the 20 % rule (1 of 2 is 50 %).
    proto::MfsMaintenanceParams p;
    p.host = "198.18.0.43";
    p.dryRun = true;
    auto dry = typed<proto::ActionResult>(c, m::MfsSetMaintenance.name, rpc::Json(p));
    QVERIFY(dry);
    QVERIFY(!dry->done);
    QVERIFY(!dry->warnings.empty());
    QVERIFY(QString::fromStdString(dry->warnings.front()).contains(QLatin1String("20 %")));
    p.dryRun = false;
    const auto raw = c.call(std::string(m::MfsSetMaintenance.name), rpc::Json(p), 90000);
    QVERIFY2(raw && raw->contains("result"),
             qPrintable(QStringLiteral("mfs.setMaintenance on: ") +
                        QString::fromStdString(raw ? raw->dump() : std::string("no answer in 60 s"))));
    const auto on = proto::fromJson<proto::ActionResult>((*raw)["result"]);
    QVERIFY(on && on->done);
    QTRY_VERIFY_WITH_TIMEOUT((s = typed<proto::MfsStatus>(c, m::MfsStatusGet.name)) && s->ok && cs2() &&
                                 cs2()->maintenance == "on",
                             60000);
    const QByteArray out = labExecArgv(QStringLiteral("mfsmaster"),
                                       {QStringLiteral("mfscli"), QStringLiteral("-H"), QStringLiteral("127.0.0.1"),
                                        QStringLiteral("-s"), QStringLiteral("|"), QStringLiteral("-SCS")});
    QVERIFY2(out.contains("198.18.0.43|9422|2|-|3.0.117|0|maintenance_on"), out.constData());
    p.on = false;
    auto off = typed<proto::ActionResult>(c, m::MfsSetMaintenance.name, rpc::Json(p));
    QVERIFY(off && off->done);
    QTRY_VERIFY_WITH_TIMEOUT((s = typed<proto::MfsStatus>(c, m::MfsStatusGet.name)) && s->ok && cs2() &&
                                 cs2()->maintenance == "off",
                             60000);
}

void TestAppdataLab::apacheLoadAndObservedEdge()
{
    auto web1 = LineClient::connectTo(socketOf("web1"));
    QVERIFY(web1.valid());
    std::optional<proto::ApacheStatus> a;
    QTRY_VERIFY_WITH_TIMEOUT((a = typed<proto::ApacheStatus>(web1, m::ApacheStatusGet.name)) &&
                                 a->state == proto::ApacheState::Ok,
                             20000);
    QCOMPARE(QString::fromStdString(a->mpm), QStringLiteral("worker"));
    const auto accessesBefore = a->totalAccesses;

    // Follow web1's access log while the load runs.
    auto logc = LineClient::connectTo(socketOf("web1"));
    QVERIFY(logc.valid());
    proto::LogsParams lp;
    lp.source = "apache-access";
    lp.follow = true;
    lp.maxLines = 1;
    const auto followed = typed<proto::LogsResult>(logc, m::LogsQuery.name, rpc::Json(lp));
    QVERIFY(followed && !followed->followTopic.empty());
    proto::SubscribeParams sp;
    sp.topics = {followed->followTopic};
    QVERIFY(logc.call(std::string(m::Subscribe.name), rpc::Json(sp)).has_value());

    // 16 parallel request loops from the client through the VIP: at least 12 s, and on until web1's
    // agent has seen its connection to db1 (the agent walks the socket table every 5 s; PHP's
    // connections to the database last milliseconds), 45 s at most.
    const QString stop = QStringLiteral("/tmp/hadeck-appdata-load-%1.stop").arg(QCoreApplication::applicationPid());
    QFile::remove(stop);
    QProcess load;
    load.start(QStringLiteral(HADECK_SOURCE_DIR "/tests/lab/lab"),
               {QStringLiteral("exec"), QStringLiteral("client"), QStringLiteral("bash"), QStringLiteral("-c"),
                QStringLiteral("end=$((SECONDS+45)); for i in $(seq 16); do (while [ $SECONDS -lt $end ] && "
                               "[ ! -e %1 ]; do curl -s -o /dev/null -m 5 http://198.18.0.100/; done) & done; wait")
                    .arg(stop)});
    QVERIFY(load.waitForStarted());
    const auto endLoad = [&] {
        if (load.state() != QProcess::NotRunning) {
            QFile f(stop);
            (void)f.open(QIODevice::WriteOnly);
            f.close();
            if (!load.waitForFinished(30000)) {
                load.kill();
                load.waitForFinished();
            }
        }
        QFile::remove(stop);
    };
    const auto endLoadOnFailure = qScopeGuard(endLoad);
    QElapsedTimer loadTime;
    loadTime.start();
    double maxRate = 0;
    std::uint32_t maxBusy = 0;
    bool edge = false;
    const bool loadEnded = QTest::qWaitFor(
        [&] {
            if (edge && loadTime.elapsed() >= 12000) {
                return true;
            }
            if (auto s = typed<proto::ApacheStatus>(web1, m::ApacheStatusGet.name); s && s->state == proto::ApacheState::Ok) {
                maxRate = std::max(maxRate, s->requestsPerSec);
                maxBusy = std::max(maxBusy, s->busyWorkers);
            }
            if (auto h = typed<proto::HostStatus>(web1, m::HostStatusGet.name)) {
                for (const auto& g : h->tcp.byRemote) {
                    if (!edge && g.address == "198.18.0.31" && g.port == 3306) {
                        edge = true;
                        qInfo("edge web1->db1:3306: %u open, %u closed in the last minute", g.count, g.recentlyClosed);
                    }
                }
            }
            return load.state() == QProcess::NotRunning;
        },
        60000);
    QVERIFY(loadEnded);
    endLoad();
    qInfo("under load: web1 at most %.1f requests/s and %u busy workers; edge web1->db1:3306 %s", maxRate, maxBusy,
          edge ? "seen" : "not seen");
    QVERIFY(maxRate > 2.0);
    QVERIFY(maxBusy >= 1);
    QVERIFY(edge);
    const auto logLine = logc.readLineContaining("GET / HTTP", 20000);
    QVERIFY2(logLine, "no access log line was pushed while requests arrived");
    qInfo("followed: %s", logLine->substr(0, 300).c_str());
    QTRY_VERIFY_WITH_TIMEOUT((a = typed<proto::ApacheStatus>(web1, m::ApacheStatusGet.name)) &&
                                 a->totalAccesses > accessesBefore + 10,
                             10000);
    // After the load the rate falls back.
    QTRY_VERIFY_WITH_TIMEOUT((a = typed<proto::ApacheStatus>(web1, m::ApacheStatusGet.name)) && a->requestsPerSec < 1.0,
                             20000);
}

QTEST_GUILESS_MAIN(TestAppdataLab)
#include "tst_appdata_lab.moc"
