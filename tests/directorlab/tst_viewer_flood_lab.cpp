// A viewer's flood on a director while its admin drains and fails over (issue 18's soak, on the
// lab's real IPVS and keepalived). tst_agentsoak runs inside dir1 against dir1's own agent:
// 1,000 viewer connections coming with garbage, refused calls and 900 KiB partial frames, while
// root pings, and checks the agent answered every ping, kept its RSS under 64 MB and its fds
// under its limit. Meanwhile hadeckctl drains web1 and restores it, hands VI_CACHE to dir2 and
// brings dir1 back, over and over: each must succeed as on a quiet director.
// Labels bench and vm; HADECK_FLOOD_SECONDS (600 by default). The viewer user must exist before
// the lab starts: the VM reads /etc through a cache filled at its boot.

#include "directorlab.h"
#include "labtestutil.h"
#include "hadeck/console/actions/drain_job.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>

#include <QtTest>

using namespace hadeck;

namespace {

using directorlab::CtlRun;
using directorlab::hadeckctl;
using labtest::labExecArgv;

const QString kInstance = QStringLiteral("VI_CACHE");
const QString kDir1 = QStringLiteral("dir1");
const QString kViewer = QStringLiteral("hadeck-t-read");

bool dir1HoldsVip()
{
    return labExecArgv(kDir1,
                       {QStringLiteral("ip"), QStringLiteral("-o"), QStringLiteral("-4"), QStringLiteral("addr")})
        .contains(QString(directorlab::kVip + QLatin1Char('/')).toLatin1());
}

} // namespace

class TestViewerFloodLab : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void drainAndFailoverUnderViewerFlood();
    void cleanupTestCase();
};

void TestViewerFloodLab::initTestCase()
{
    const QByteArray id = labExecArgv(kDir1, {QStringLiteral("id"), QStringLiteral("-u"), kViewer}).trimmed();
    if (id.isEmpty() || id.toInt() <= 0) {
        QSKIP("dir1 has no user hadeck-t-read: create the test users (tst_agentsoak does) before `lab up`");
    }
    QVERIFY2(dir1HoldsVip(), "dir1 is not MASTER at the start");
}

void TestViewerFloodLab::drainAndFailoverUnderViewerFlood()
{
    const int seconds = qEnvironmentVariableIntValue("HADECK_FLOOD_SECONDS") > 0
                            ? qEnvironmentVariableIntValue("HADECK_FLOOD_SECONDS")
                            : 600;
    // The VM reads the host's files through a cache that never sees a rebuilt file at an old path:
    // the soak runs there from a copy at a new one.
    QTemporaryDir copyDir(QStringLiteral(HADECK_BINARY_DIR "/flood-XXXXXX"));
    const QString soak = copyDir.filePath(QStringLiteral("tst_agentsoak"));
    QVERIFY(copyDir.isValid() && QFile::copy(qEnvironmentVariable("HADECK_SOAK_BIN"), soak));
    QProcess flood;
    flood.setProcessChannelMode(QProcess::MergedChannels);
    // In the emulated VM every step is slower than on a host core: the ping bound is 1 s there.
    flood.start(qEnvironmentVariable("HADECK_LAB"),
                {QStringLiteral("exec"), kDir1, QStringLiteral("env"),
                 QStringLiteral("HADECK_SOAK_SOCKET=/run/hadeck/agent.sock"),
                 QStringLiteral("HADECK_SOAK_SECONDS=%1").arg(seconds), QStringLiteral("HADECK_SOAK_PING_P99_MS=1000"),
                 // Qt Test stops a function after 300 s by default; the flood's one function runs longer.
                 QStringLiteral("QTEST_FUNCTION_TIMEOUT=%1").arg((seconds + 200) * 1000),
                 QStringLiteral("QT_QPA_PLATFORM=offscreen"), soak, QStringLiteral("viewerFloodWhileRootPings")});
    QByteArray said;
    QVERIFY2(QTest::qWaitFor(
                 [&] {
                     said += flood.readAll();
                     return said.contains("soak: flooding") || flood.state() == QProcess::NotRunning;
                 },
                 60000) &&
                 said.contains("soak: flooding"),
             said.constData());
    qInfo("%s", said.mid(said.indexOf("soak: flooding")).split('\n').first().constData());

    QElapsedTimer running;
    running.start();
    int cycles = 0;
    // Each cycle takes well under a minute on the lab; the last one starts before the flood's end.
    while (running.elapsed() < (seconds - 90) * 1000LL || cycles == 0) {
        QElapsedTimer cycle;
        cycle.start();
        CtlRun r = hadeckctl({QStringLiteral("--json"), QStringLiteral("drain"), QStringLiteral("web1"),
                              QStringLiteral("--wait"), QStringLiteral("--drain-timeout"), QStringLiteral("60"),
                              QStringLiteral("--on-timeout=force")});
        QVERIFY2(r.code == 0, r.all().constData());
        QVERIFY2(r.json()[QStringLiteral("phase")].toString() ==
                     console::DrainJob::phaseName(console::DrainJob::Phase::Completed),
                 r.all().constData());
        const qint64 drained = cycle.elapsed();
        r = hadeckctl({QStringLiteral("restore"), QStringLiteral("web1")});
        QVERIFY2(r.code == 0, r.all().constData());
        const qint64 restored = cycle.elapsed();

        r = hadeckctl({QStringLiteral("--json"), QStringLiteral("failover"), kInstance});
        QVERIFY2(r.code == 0, r.all().constData());
        QCOMPARE(r.json()[QStringLiteral("newMaster")].toString(), QStringLiteral("dir2"));
        QVERIFY2(!dir1HoldsVip(), "dir1 still holds the VIP after the failover");
        const qint64 failedOver = cycle.elapsed();
        r = hadeckctl({QStringLiteral("maintenance"), kDir1, QStringLiteral("off"), kInstance});
        QVERIFY2(r.code == 0, r.all().constData());
        QVERIFY2(QTest::qWaitFor(dir1HoldsVip, 30000), "dir1 did not take the VIP back");
        ++cycles;
        qInfo("cycle %d under the flood (hadeckctl's whole run each, SSH logins included): drained %lld ms, "
              "restored %lld ms, failed over %lld ms, dir1 back and holding the VIP %lld ms",
              cycles, static_cast<long long>(drained), static_cast<long long>(restored - drained),
              static_cast<long long>(failedOver - restored), static_cast<long long>(cycle.elapsed() - failedOver));
        if (flood.state() == QProcess::NotRunning && running.elapsed() < seconds * 1000LL) {
            qWarning("dir1's flood:\n%s", (said + flood.readAll()).constData());
            QFAIL("the flood ended before its time");
        }
    }
    QVERIFY(flood.waitForFinished((seconds + 300) * 1000));
    said += flood.readAll();
    for (const QByteArray& line : said.split('\n')) {
        if (line.contains("soak ") || line.contains("FAIL")) {
            qInfo("dir1: %s", line.constData());
        }
    }
    if (flood.exitStatus() != QProcess::NormalExit || flood.exitCode() != 0) {
        qWarning("dir1's flood:\n%s", said.constData());
    }
    QCOMPARE(flood.exitStatus(), QProcess::NormalExit);
    QCOMPARE(flood.exitCode(), 0);
    qInfo("%d drain and failover cycle(s) under the flood", cycles);
}

void TestViewerFloodLab::cleanupTestCase()
{
    // Back to the lab's start whatever happened: web1 in rotation, dir1 in VRRP.
    (void)hadeckctl({QStringLiteral("restore"), QStringLiteral("web1")});
    (void)hadeckctl({QStringLiteral("maintenance"), kDir1, QStringLiteral("off"), kInstance});
    (void)QTest::qWaitFor(dir1HoldsVip, 30000);
}

QTEST_GUILESS_MAIN(TestViewerFloodLab)
#include "tst_viewer_flood_lab.moc"
