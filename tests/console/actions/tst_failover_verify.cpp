// The failover's verification over a scripted pair of directors: it must rest on the fact
// (the peer holds the VIPs, the old MASTER does not), observed by asking, and not wait for
// the peer's agent to report MASTER, which under load comes seconds late.

#include "hadeck/console/actions/failover_job.h"

#include <hadeck/protocol/methods.h>

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTimer>
#include <QtTest>

using namespace hadeck;
using namespace hadeck::console;

namespace {

/// dir1 MASTER, dir2 BACKUP of VI_CACHE. After vrrp.release on dir1, dir1 is in FAULT without
/// the VIP and the VIP is on dir2 at once; dir2's agent reports its state as MASTER only after
/// @c agentLagMs (the late DBus signal or dump the issue measured).
class ScriptedPair final : public ClusterRpc {
public:
    int agentLagMs = 60000;
    QElapsedTimer sinceRelease;
    /// dir2's advert counter as its agent reports it moves once every this many vrrp.list
    /// answers (a loaded director whose keepalived dump comes late); 1: every answer.
    int dumpEvery = 1;
    /// Instances that share VI_CACHE's track file on dir1 (vrrp.failoverStatus, vrrp.release).
    std::vector<std::string> sharingTrackFile;
    /// A method whose every answer is well-formed JSON of the wrong shape (a bad agent).
    QString malformed;

    [[nodiscard]] QStringList directors() const override { return {QStringLiteral("dir1"), QStringLiteral("dir2")}; }
    [[nodiscard]] QString nodeForAddress(const QString&) const override { return {}; }
    [[nodiscard]] bool isOnline(const QString&) const override { return true; }
    [[nodiscard]] QString userOn(const QString&) const override { return QStringLiteral("root"); }

    void call(const QString& node, const QString& method, rpc::Json, Handler handler, int) override
    {
        RpcResult answer = Unexpected<rpc::Error>{rpc::Error{rpc::MethodNotFound, "not scripted", nullptr}};
        if (method == methodName(proto::methods::VrrpList)) {
            proto::VrrpListResult r;
            r.source = "dump";
            r.running = true;
            r.instances.push_back(instance(node));
            if (node == QLatin1String("dir2")) {
                r.instances.back().advertRcvd = std::uint64_t(m_dir2Lists++ / dumpEvery);
            }
            answer = proto::toJson(r);
        } else if (method == methodName(proto::methods::VrrpRelease) && node == QLatin1String("dir1")) {
            sinceRelease.start();
            proto::FailoverWriteResult r;
            r.affected = {"VI_CACHE"};
            r.affected.insert(r.affected.end(), sharingTrackFile.begin(), sharingTrackFile.end());
            r.time = double(QDateTime::currentMSecsSinceEpoch()) / 1000.0;
            answer = proto::toJson(r);
        } else if (method == methodName(proto::methods::VrrpRestore)) {
            answer = proto::toJson(proto::FailoverWriteResult{});
        } else if (method == methodName(proto::methods::VrrpFailoverStatus)) {
            proto::FailoverStatusResult r;
            r.instances["VI_CACHE"] = {"/var/lib/hadeck/failover", 0,
                                       node == QLatin1String("dir1") ? sharingTrackFile : std::vector<std::string>{}};
            answer = proto::toJson(r);
        }
        if (method == malformed) {
            // Every field of the wrong type, and instances that are not objects.
            answer = rpc::Json{{"instances", rpc::Json::array({1, "x", nullptr})},
                               {"written", "x"},
                               {"affected", 5},
                               {"time", "soon"},
                               {"services", rpc::Json::object({{"a", 1}})}};
        }
        QTimer::singleShot(5, &m_context, [handler = std::move(handler), answer] { handler(answer); });
    }

private:
    proto::VrrpInstance instance(const QString& node) const
    {
        const bool released = sinceRelease.isValid();
        proto::VrrpInstance i;
        i.name = "VI_CACHE";
        i.vrid = 51;
        i.vips = {"198.18.0.100/32"};
        i.advertIntMs = 100;
        if (node == QLatin1String("dir1")) {
            i.basePriority = i.effectivePriority = 180;
            i.state = released ? proto::VrrpState::Fault : proto::VrrpState::Master;
            i.holdsVips = !released;
        } else {
            i.basePriority = i.effectivePriority = 170;
            i.holdsVips = released;
            i.state =
                released && sinceRelease.elapsed() >= agentLagMs ? proto::VrrpState::Master : proto::VrrpState::Backup;
        }
        return i;
    }
    int m_dir2Lists = 0;
    QObject m_context;
};

/// A forced failover of VI_CACHE (the scripted pairs do not answer every preflight question),
/// verified for @p verifyTimeoutMs.
FailoverRequest forcedCacheFailover(int verifyTimeoutMs)
{
    FailoverRequest req;
    req.instance = QStringLiteral("VI_CACHE");
    req.force = true;
    req.verifyTimeoutMs = verifyTimeoutMs;
    return req;
}

} // namespace

class TestFailoverVerify : public QObject {
    Q_OBJECT
private slots:
    void verifiedByTheVipWhileTheAgentLags();
    void notVerifiedWithoutTheVip();
    void advertCounterFromALateDumpIsLookedAtAgain_data();
    void advertCounterFromALateDumpIsLookedAtAgain();
    void instancesSharingTheTrackFileAreNamed();
    void malformedRepliesFailTheJob_data();
    void malformedRepliesFailTheJob();
};

void TestFailoverVerify::malformedRepliesFailTheJob_data()
{
    QTest::addColumn<QString>("method");
    QTest::newRow("vrrp.release") << methodName(proto::methods::VrrpRelease);
    QTest::newRow("vrrp.list") << methodName(proto::methods::VrrpList);
    QTest::newRow("ipvs.list") << methodName(proto::methods::IpvsList);
    QTest::newRow("vrrp.failoverStatus") << methodName(proto::methods::VrrpFailoverStatus);
}

void TestFailoverVerify::malformedRepliesFailTheJob()
{
    // A bad agent's reply, valid JSON of the wrong shape, is no reply: the job ends (or goes on
    // without that fact) with a message, and never acts on half a document or ends the process.
    QFETCH(QString, method);
    ScriptedPair pair;
    pair.malformed = method;
    const FailoverRequest req = forcedCacheFailover(1500);
    FailoverJob job(pair, req);
    QSignalSpy done(&job, &FailoverJob::finishedWith);
    job.start();
    QVERIFY(done.wait(20000));
    const bool ok = done.first().at(0).toBool();
    const QString message = done.first().at(1).toString();
    QVERIFY(!message.isEmpty());
    qInfo("%s malformed: %s: %s", qPrintable(method), ok ? "done" : "failed", qPrintable(message));
    if (method == methodName(proto::methods::VrrpRelease) || method == methodName(proto::methods::VrrpList)) {
        // Without the release's answer or the directors' VRRP state nothing can be called done.
        QVERIFY2(!ok, qPrintable(message));
        QVERIFY(!pair.sinceRelease.isValid() || method == methodName(proto::methods::VrrpRelease));
    } else {
        // A fact the preflight can go without (forced here): the failover itself still happens.
        QVERIFY2(ok, qPrintable(message));
    }
}

void TestFailoverVerify::instancesSharingTheTrackFileAreNamed()
{
    // Releasing VI_CACHE writes a track file VI_DB shares on dir1: the preflight warns of it
    // before, and the release step names it after, as the agent reports it.
    ScriptedPair pair;
    pair.sharingTrackFile = {"VI_DB", "VI_X\nforged line"}; // a bad agent's name cannot break a line
    const FailoverRequest req = forcedCacheFailover(5000);
    FailoverJob job(pair, req);
    std::optional<PreflightReport> report;
    QStringList steps;
    connect(&job, &FailoverJob::preflightDone, this, [&](const PreflightReport& r) { report = r; });
    connect(&job, &FailoverJob::stepAdded, this, [&](const FailoverJob::Step& s) { steps << s.text; });
    QSignalSpy done(&job, &FailoverJob::finishedWith);
    job.start();
    QVERIFY(done.wait(20000));
    QVERIFY(report.has_value());
    const auto shared = std::find_if(report->checks.begin(), report->checks.end(), [](const PreflightCheck& c) {
        return c.id == QLatin1String("shared-track-file");
    });
    QVERIFY(shared != report->checks.end());
    QCOMPARE(shared->outcome, PreflightCheck::Outcome::Warn);
    QVERIFY2(shared->detail.contains(QLatin1String("VI_DB")), qPrintable(shared->detail));
    QVERIFY2(steps.filter(QStringLiteral("and with it VI_DB")).size() == 1, qPrintable(steps.join('\n')));
    const QString shown = QStringLiteral("VI_X") + QChar(QChar::ReplacementCharacter) + QStringLiteral("forged line");
    QVERIFY2(!steps.filter(shown).isEmpty() && shared->detail.contains(shown),
             qPrintable(steps.join(QLatin1Char(0x0a))));
    QVERIFY(!shared->detail.contains(QLatin1Char('\n')) && steps.filter(QStringLiteral("\nforged")).isEmpty());
}

void TestFailoverVerify::advertCounterFromALateDumpIsLookedAtAgain_data()
{
    QTest::addColumn<int>("dumpEvery");
    QTest::addColumn<bool>("passes");
    QTest::newRow("late dump") << 3 << true;
    QTest::newRow("no adverts at all") << 1000 << false; // still refused, after the extra looks
}

void TestFailoverVerify::advertCounterFromALateDumpIsLookedAtAgain()
{
    // Seen in the lab under load: dir2's counter had not moved between two looks 1.3 s apart,
    // because its agent's keepalived dump was late, and the failover was refused as a split
    // brain risk. Adverts did arrive; a later look shows them.
    QFETCH(int, dumpEvery);
    QFETCH(bool, passes);
    ScriptedPair pair;
    pair.dumpEvery = dumpEvery;
    FailoverRequest req;
    req.instance = QStringLiteral("VI_CACHE");
    req.preflightOnly = true;
    FailoverJob job(pair, req);
    std::optional<PreflightReport> report;
    connect(&job, &FailoverJob::preflightDone, this, [&](const PreflightReport& r) { report = r; });
    job.start();
    QTRY_VERIFY_WITH_TIMEOUT(report.has_value(), 20000);
    const auto adverts = std::find_if(report->checks.begin(), report->checks.end(),
                                      [](const PreflightCheck& c) { return c.id == QLatin1String("peer-adverts"); });
    QVERIFY(adverts != report->checks.end());
    QVERIFY2((adverts->outcome == PreflightCheck::Outcome::Pass) == passes, qPrintable(adverts->detail));
}

void TestFailoverVerify::verifiedByTheVipWhileTheAgentLags()
{
    ScriptedPair pair;
    const FailoverRequest req = forcedCacheFailover(5000);
    FailoverJob job(pair, req);
    QSignalSpy done(&job, &FailoverJob::finishedWith);
    job.start();
    QVERIFY(done.wait(20000));
    QVERIFY2(done.first().at(0).toBool(), qPrintable(done.first().at(1).toString()));
    QCOMPARE(job.newMaster(), QStringLiteral("dir2"));
    QVERIFY(job.failoverMs().has_value());
    QVERIFY2(*job.failoverMs() < 3000, qPrintable(QString::number(*job.failoverMs())));
}

void TestFailoverVerify::notVerifiedWithoutTheVip()
{
    // The VIP never leaves dir1 (keepalived there did not fault): the job must not call it done.
    class Stuck final : public ClusterRpc {
    public:
        [[nodiscard]] QStringList directors() const override
        {
            return {QStringLiteral("dir1"), QStringLiteral("dir2")};
        }
        [[nodiscard]] QString nodeForAddress(const QString&) const override { return {}; }
        [[nodiscard]] bool isOnline(const QString&) const override { return true; }
        [[nodiscard]] QString userOn(const QString&) const override { return QStringLiteral("root"); }
        void call(const QString& node, const QString& method, rpc::Json, Handler handler, int) override
        {
            RpcResult answer = Unexpected<rpc::Error>{rpc::Error{rpc::MethodNotFound, "not scripted", nullptr}};
            if (method == methodName(proto::methods::VrrpList)) {
                proto::VrrpListResult r;
                proto::VrrpInstance i;
                i.name = "VI_CACHE";
                i.vips = {"198.18.0.100/32"};
                i.advertIntMs = 100;
                const bool one = node == QLatin1String("dir1");
                i.state = one ? proto::VrrpState::Master : proto::VrrpState::Backup;
                i.holdsVips = one;
                r.instances.push_back(i);
                answer = proto::toJson(r);
            } else if (method == methodName(proto::methods::VrrpRelease)) {
                answer = proto::toJson(proto::FailoverWriteResult{});
            }
            QTimer::singleShot(5, &m_context, [handler = std::move(handler), answer] { handler(answer); });
        }
        QObject m_context;
    } stuck;
    const FailoverRequest req = forcedCacheFailover(1500);
    FailoverJob job(stuck, req);
    QSignalSpy done(&job, &FailoverJob::finishedWith);
    job.start();
    QVERIFY(done.wait(20000));
    QVERIFY(!done.first().at(0).toBool());
}

QTEST_GUILESS_MAIN(TestFailoverVerify)
#include "tst_failover_verify.moc"
