// The drain job over a scripted cluster: what it reports once applied, before and after
// its first sample of both sides (hadeckctl drain without --wait prints that line).

#include "hadeck/console/actions/drain_job.h"

#include <hadeck/protocol/methods.h>

#include <QSignalSpy>
#include <QTimer>
#include <QtTest>

using namespace hadeck;
using namespace hadeck::console;

namespace {

/// Two directors with web1 (198.18.0.21) in TCP 198.18.0.100:80, web1's agent counting
/// its own established connections. Every answer arrives later, as a real one does.
class ScriptedCluster final : public ClusterRpc {
public:
    std::uint32_t directorActive = 2;
    std::uint64_t serverEstablished = 5;
    bool webInInventory = true;
    QString serverError;             // drain.local answers this error when set
    QMap<QString, quint32> activeOn; // per director, when it differs from directorActive
    QMap<QString, bool> holdsVips;   // vrrp.list per director; absent: vrrp.list not answered
    std::string protocol = "tcp";    // the virtual service: TCP 198.18.0.100:80 unless changed
    std::uint32_t fwmark = 0;
    std::uint16_t port = 80;
    bool countedOnServer = false; // drain.local was asked
    /// A method whose every answer is well-formed JSON of the wrong shape (a bad agent).
    QString malformed;

    [[nodiscard]] QStringList directors() const override { return {QStringLiteral("dir1"), QStringLiteral("dir2")}; }
    [[nodiscard]] QString nodeForAddress(const QString& address) const override
    {
        return webInInventory && address == QLatin1String("198.18.0.21") ? QStringLiteral("web1") : QString();
    }
    [[nodiscard]] bool isOnline(const QString&) const override { return true; }
    [[nodiscard]] QString userOn(const QString&) const override { return QStringLiteral("root"); }

    void call(const QString& node, const QString& method, rpc::Json params, Handler handler, int) override
    {
        RpcResult answer = Unexpected<rpc::Error>{rpc::Error{rpc::MethodNotFound, "not scripted", nullptr}};
        if (method == methodName(proto::methods::IpvsList)) {
            proto::IpvsListResult r;
            proto::VirtualService vs;
            vs.protocol = protocol;
            vs.address = fwmark != 0 ? std::string() : "198.18.0.100";
            vs.port = port;
            vs.fwmark = fwmark;
            vs.persistent = port == 0; // the kernel takes port 0 only on a persistent service
            vs.timeout = vs.persistent ? 300 : 0;
            vs.scheduler = "rr";
            for (const char* a : {"198.18.0.21", "198.18.0.22"}) {
                proto::RealServer rs;
                rs.address = a;
                rs.port = port;
                rs.weight = 100;
                rs.activeConns = std::string(a) == "198.18.0.21" ? activeOn.value(node, directorActive) : 3;
                vs.realServers.push_back(rs);
            }
            r.services.push_back(vs);
            answer = proto::toJson(r);
        } else if (method == methodName(proto::methods::VrrpList) && holdsVips.contains(node)) {
            proto::VrrpListResult r;
            proto::VrrpInstance i;
            i.name = "VI_CACHE";
            i.vips = {"198.18.0.100/32"};
            i.holdsVips = holdsVips.value(node);
            i.state = i.holdsVips ? proto::VrrpState::Master : proto::VrrpState::Backup;
            r.instances.push_back(i);
            answer = proto::toJson(r);
        } else if (method == methodName(proto::methods::DrainApply)) {
            proto::DrainApplyResult r;
            r.id = "d1";
            r.matched = 1;
            answer = proto::toJson(r);
        } else if (method == methodName(proto::methods::DrainLocal) && node == QLatin1String("web1")) {
            countedOnServer = true;
            if (!serverError.isEmpty()) {
                answer = Unexpected<rpc::Error>{rpc::Error{rpc::InternalError, serverError.toStdString(), nullptr}};
            } else {
                const auto p = proto::fromJson<proto::DrainLocalParams>(params);
                proto::DrainLocalResult r;
                r.vip = p ? p->vip : std::string();
                r.port = p ? p->port : 0;
                r.established = serverEstablished;
                answer = proto::toJson(r);
            }
        }
        if (method == malformed) {
            answer = rpc::Json{{"services", rpc::Json::array({1, "x"})},
                               {"instances", 7},
                               {"id", 5},
                               {"matched", "all"},
                               {"established", "many"},
                               {"vip", 9}};
        }
        QTimer::singleShot(5, &m_context, [handler = std::move(handler), answer] { handler(answer); });
    }

    QStringList asked;  // methods sent through ask(): a preflight's questions, safe to ask twice
    QString comingBack; // this node's first question waits, as for a link that just dropped

    void ask(const QString& node, const QString& method, rpc::Json params, Handler handler, int timeoutMs,
             WaitingHandler waiting) override
    {
        asked << method;
        if (node == comingBack && waiting) {
            comingBack.clear();
            waiting(QStringLiteral("waiting for %1 to reconnect…").arg(node));
            QTimer::singleShot(300, &m_context, [this, node, method, params, handler, timeoutMs]() mutable {
                call(node, method, std::move(params), std::move(handler), timeoutMs);
            });
            return;
        }
        call(node, method, std::move(params), std::move(handler), timeoutMs);
    }

private:
    QObject m_context; // answers still queued die with the cluster, as a closed connection's do
};

DrainRequest web1(int timeoutSec = 600)
{
    DrainRequest req;
    req.target.address = QStringLiteral("198.18.0.21");
    req.pollIntervalMs = 100;
    req.timeoutSec = timeoutSec;
    return req;
}

/// dir1 and dir2 list @p dir1Active and @p dir2Active connections to web1; only @p routing
/// holds the VIP; web1 itself counts @p serverCount.
void directorsSee(ScriptedCluster& c, quint32 dir1Active, quint32 dir2Active, const QString& routing,
                  std::uint64_t serverCount = 0)
{
    const QString dir1 = QStringLiteral("dir1");
    const QString dir2 = QStringLiteral("dir2");
    c.activeOn = {{dir1, dir1Active}, {dir2, dir2Active}};
    c.holdsVips = {{dir1, routing == dir1}, {dir2, routing == dir2}};
    c.serverEstablished = serverCount;
}

} // namespace

class TestDrainJob : public QObject {
    Q_OBJECT
private slots:
    void appliedBeforeAnySampleIsNotZero();
    void appliedCountIsTheServers();
    void appliedSaysWhyNotMeasured_data();
    void appliedSaysWhyNotMeasured();
    void staleEntriesAfterFailoverDoNotHoldIt();
    void routingDirectorsEntriesTheServerClosedDoNotHoldIt();
    void routingDirectorCountsWithoutTheServersCount_data();
    void routingDirectorCountsWithoutTheServersCount();
    void servicesTheServerCannotCountKeepTheDirectors_data();
    void servicesTheServerCannotCountKeepTheDirectors();
    void preflightWaitsForADirectorComingBack();
    void malformedRepliesEndOrAreDoneWithout_data();
    void malformedRepliesEndOrAreDoneWithout();
};

void TestDrainJob::malformedRepliesEndOrAreDoneWithout_data()
{
    QTest::addColumn<QString>("method");
    QTest::addColumn<bool>("canFinish"); // the drain can still complete without that answer
    QTest::newRow("ipvs.list") << methodName(proto::methods::IpvsList) << false;
    QTest::newRow("drain.apply") << methodName(proto::methods::DrainApply) << false; // waits, see below
    QTest::newRow("drain.local") << methodName(proto::methods::DrainLocal) << true;
    QTest::newRow("vrrp.list") << methodName(proto::methods::VrrpList) << true;
}

void TestDrainJob::malformedRepliesEndOrAreDoneWithout()
{
    // A bad agent's reply, valid JSON of the wrong shape, is no reply: the job never acts on
    // half a document or ends the process; without the table or the apply it fails saying why.
    QFETCH(QString, method);
    QFETCH(bool, canFinish);
    ScriptedCluster cluster;
    directorsSee(cluster, 0, 0, QStringLiteral("dir1"));
    cluster.malformed = method;
    DrainJob job(cluster, web1(3));
    QSignalSpy done(&job, &DrainJob::finishedWith);
    job.start();
    if (method == methodName(proto::methods::DrainApply)) {
        // Not applied as far as the console can tell: the job waits for the admin's retry or
        // cancel, naming each director's problem.
        QTRY_VERIFY_WITH_TIMEOUT(job.progress().phase == DrainJob::Phase::PartiallyApplied, 20000);
        for (const auto& d : job.progress().directors) {
            QVERIFY2(!d.applied && !d.error.isEmpty(), qPrintable(d.node));
            qInfo("%s: %s", qPrintable(d.node), qPrintable(d.error));
        }
        return;
    }
    QVERIFY(done.wait(20000));
    const bool ok = done.first().at(0).toBool();
    const QString message = done.first().at(1).toString();
    qInfo("%s malformed: %s: %s", qPrintable(method), ok ? "done" : "failed", qPrintable(message));
    QVERIFY(!message.isEmpty());
    if (!canFinish) {
        QVERIFY2(!ok, qPrintable(message));
    }
}

void TestDrainJob::appliedBeforeAnySampleIsNotZero()
{
    ScriptedCluster cluster;
    DrainJob job(cluster, web1());
    QString atApply;
    int samplesAtApply = -1;
    connect(&job, &DrainJob::phaseChanged, this, [&](DrainJob::Phase p) {
        if (p == DrainJob::Phase::Draining) {
            atApply = job.appliedSummary();
            samplesAtApply = job.progress().samples;
        }
    });
    job.start();
    QTRY_VERIFY_WITH_TIMEOUT(samplesAtApply >= 0, 5000);
    // Nothing was counted yet: the line must say so, not "0 connection(s)".
    QCOMPARE(samplesAtApply, 0);
    QVERIFY2(atApply.contains(QStringLiteral("not measured")), qPrintable(atApply));
    QVERIFY2(!atApply.contains(QStringLiteral(" 0 connection")), qPrintable(atApply));
}

void TestDrainJob::appliedCountIsTheServers()
{
    ScriptedCluster cluster;
    DrainJob job(cluster, web1());
    job.start();
    QTRY_VERIFY_WITH_TIMEOUT(job.progress().samples > 0, 5000);
    QCOMPARE(job.progress().established, std::optional<quint32>(5));
    const QString line = job.appliedSummary();
    QVERIFY2(line.contains(QStringLiteral("real server counts 5 connection(s)")), qPrintable(line));
    QVERIFY2(line.contains(QStringLiteral("directors: 2")), qPrintable(line));
}

void TestDrainJob::appliedSaysWhyNotMeasured_data()
{
    QTest::addColumn<bool>("inInventory");
    QTest::addColumn<QString>("serverError");
    QTest::addColumn<QString>("why");
    QTest::newRow("not in the inventory") << false << QString() << QStringLiteral("not in the inventory");
    QTest::newRow("agent error") << true << QStringLiteral("cannot read /proc/net/tcp")
                                 << QStringLiteral("cannot read /proc/net/tcp");
}

void TestDrainJob::appliedSaysWhyNotMeasured()
{
    QFETCH(bool, inInventory);
    QFETCH(QString, serverError);
    QFETCH(QString, why);
    ScriptedCluster cluster;
    cluster.webInInventory = inInventory;
    cluster.serverError = serverError;
    DrainJob job(cluster, web1());
    job.start();
    QTRY_VERIFY_WITH_TIMEOUT(job.progress().samples > 0, 5000);
    const QString line = job.appliedSummary();
    QVERIFY2(line.contains(QStringLiteral("not measured")) && line.contains(why), qPrintable(line));
    QVERIFY2(line.contains(QStringLiteral("directors: 2")), qPrintable(line));
}

void TestDrainJob::staleEntriesAfterFailoverDoNotHoldIt()
{
    // After a failover dir1 (BACKUP now, no VIP) keeps 42 ESTABLISHED entries it will never
    // see close; dir2 routes and has none; web1 itself counts 0. The drain is done.
    ScriptedCluster cluster;
    directorsSee(cluster, 42, 0, QStringLiteral("dir2"));
    DrainJob job(cluster, web1(3));
    QSignalSpy done(&job, &DrainJob::finishedWith);
    job.start();
    QVERIFY(done.wait(10000));
    QCOMPARE(job.progress().phase, DrainJob::Phase::Completed);
    const auto& ds = job.progress().directors;
    QCOMPARE(ds.size(), 2);
    QVERIFY(ds[0].stale && ds[0].active == 42);
    QVERIFY(!ds[1].stale);
}

void TestDrainJob::routingDirectorsEntriesTheServerClosedDoNotHoldIt()
{
    // Seen in the lab: a failover and a failback under traffic. The clients' FINs went through
    // dir2 meanwhile, so dir1, routing again, keeps ESTABLISHED entries for 15 min of
    // connections web1 has long closed. web1's own socket table is the truth for TCP.
    ScriptedCluster cluster;
    directorsSee(cluster, 6, 0, QStringLiteral("dir1"));
    DrainJob job(cluster, web1(3));
    QSignalSpy done(&job, &DrainJob::finishedWith);
    job.start();
    QVERIFY(done.wait(10000));
    QCOMPARE(job.progress().phase, DrainJob::Phase::Completed);
    QCOMPARE(job.progress().directors[0].active, quint64(6)); // still shown
}

void TestDrainJob::routingDirectorCountsWithoutTheServersCount_data()
{
    QTest::addColumn<bool>("inInventory");
    QTest::addColumn<QString>("serverError");
    QTest::newRow("not in the inventory") << false << QString();
    QTest::newRow("agent error") << true << QStringLiteral("cannot read /proc/net/tcp");
}

void TestDrainJob::routingDirectorCountsWithoutTheServersCount()
{
    // Without web1's own count the routing director's entries are all there is: not done.
    QFETCH(bool, inInventory);
    QFETCH(QString, serverError);
    ScriptedCluster cluster;
    cluster.webInInventory = inInventory;
    cluster.serverError = serverError;
    directorsSee(cluster, 0, 4, QStringLiteral("dir2"), 5);
    DrainJob job(cluster, web1(1));
    job.start();
    QTRY_VERIFY_WITH_TIMEOUT(job.progress().phase == DrainJob::Phase::TimedOut, 10000);
    QCOMPARE(job.progress().remaining, 4.0);
}

void TestDrainJob::servicesTheServerCannotCountKeepTheDirectors_data()
{
    QTest::addColumn<QString>("protocol");
    QTest::addColumn<quint32>("fwmark");
    QTest::addColumn<quint16>("port");
    QTest::newRow("udp") << QStringLiteral("udp") << 0u << quint16(53);
    QTest::newRow("fwmark") << QString() << 21u << quint16(0);
    QTest::newRow("tcp, any port") << QStringLiteral("tcp") << 0u << quint16(0);
}

void TestDrainJob::servicesTheServerCannotCountKeepTheDirectors()
{
    // web1 counts TCP sockets on VIP:port. A UDP, fwmark or port-0 service's connections are
    // not among them, so the routing director's entries for it still hold the drain open,
    // while web1's TCP count (0) says nothing about them.
    QFETCH(QString, protocol);
    QFETCH(quint32, fwmark);
    QFETCH(quint16, port);
    ScriptedCluster cluster;
    cluster.protocol = protocol.toStdString();
    cluster.fwmark = fwmark;
    cluster.port = port;
    directorsSee(cluster, 3, 0, QStringLiteral("dir1"));
    DrainJob job(cluster, web1(1));
    QString failed;
    connect(&job, &DrainJob::finishedWith, this, [&](bool, const QString& why) { failed = why; });
    job.start();
    QTRY_VERIFY2_WITH_TIMEOUT(job.progress().phase == DrainJob::Phase::TimedOut, qPrintable(failed), 10000);
    QCOMPARE(job.progress().remaining, 3.0);
    QVERIFY2(!cluster.countedOnServer, "drain.local asked for a service web1 cannot count");
}

/// The preflight's reads go through ClusterRpc::ask(): a director whose link just dropped is
/// waited for, and the wait shows in the progress, instead of counting as "did not answer".
/// The apply itself is a write and is only ever sent once (call()).
void TestDrainJob::preflightWaitsForADirectorComingBack()
{
    ScriptedCluster cluster;
    cluster.comingBack = QStringLiteral("dir2");
    DrainJob job(cluster, web1());
    QStringList waits;
    connect(&job, &DrainJob::progressChanged, this, [&] {
        if (!job.progress().waiting.isEmpty() && !waits.contains(job.progress().waiting)) {
            waits << job.progress().waiting;
        }
    });
    job.start();
    QTRY_VERIFY_WITH_TIMEOUT(
        job.progress().phase == DrainJob::Phase::Draining || job.progress().phase == DrainJob::Phase::Completed, 5000);
    QCOMPARE(waits, QStringList{QStringLiteral("waiting for dir2 to reconnect…")});
    QVERIFY(job.progress().waiting.isEmpty());
    QVERIFY(job.preflight().passed());
    QVERIFY(cluster.asked.contains(methodName(proto::methods::IpvsList)));
    QVERIFY(cluster.asked.contains(methodName(proto::methods::DrainList)));
    QVERIFY(!cluster.asked.contains(methodName(proto::methods::DrainApply)));
    QCOMPARE(job.progress().directors.size(), 2);
}

QTEST_GUILESS_MAIN(TestDrainJob)
#include "tst_drain_job.moc"
