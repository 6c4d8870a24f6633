// hadeckctl fw end to end over real SSH, in a private network namespace (root):
// real sshd and agent on its loopback, the real nft. A good change is applied and
// confirmed over a new connection; a lockout of the SSH port, forced, cannot be
// confirmed, the agent rolls it back within the window plus 1 s, and hadeckctl
// gets in again. Prints apply -> reconnected, median and worst. An apply whose
// answer is lost is reported as maybe live, and asked after over a new connection.

#include "../console/sshtestenv.h"

#include <QtTest>

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>

#include <algorithm>
#include <chrono>

#include <unistd.h>

using namespace hadeck::test;

namespace {

// A rollback is never early. How late it may be is a stall bound, not the 1 s goal (11.016 s
// was seen with the unit tests running two at a time): it includes the restore itself, which
// a loaded machine or the sanitizers slow. The time is printed.
constexpr double kRollbackLateS = 4.0;

int sh(const QString& program, const QStringList& args, QByteArray* out = nullptr)
{
    auto r = runProgram(program, args, {.mergeChannels = true});
    if (out) {
        *out = std::move(r.out);
    }
    return r.code;
}

/// The time of the last audit entry of @p method in the agent's log.
QDateTime lastAudit(const QString& path, const char* method)
{
    QFile f(path);
    f.open(QIODevice::ReadOnly);
    QDateTime t;
    for (const QByteArray& line : f.readAll().split('\n')) {
        const auto doc = QJsonDocument::fromJson(line);
        if (doc.isObject() && doc[QStringLiteral("method")].toString() == QLatin1String(method)) {
            t = QDateTime::fromString(doc[QStringLiteral("time")].toString(), Qt::ISODateWithMs);
        }
    }
    return t;
}

QByteArray inputChain()
{
    QByteArray out;
    sh(QStringLiteral("nft"), {QStringLiteral("list"), QStringLiteral("chain"), QStringLiteral("inet"),
                               QStringLiteral("hadeck_filter"), QStringLiteral("input")},
       &out);
    return out;
}

} // namespace

class TestFwHadeckctl : public QObject {
    Q_OBJECT

    using Result = ProcessResult;

    Result run(const QStringList& args)
    {
        return runProgram(
            hadeckctlBinary(), QStringList{QStringLiteral("--cluster"), m_inventory, QStringLiteral("--batch")} + args,
            {.timeoutMs = 120000, .environment = {{QStringLiteral("HADECK_LANG"), QStringLiteral("en")}}});
    }

    FirewallNode m_node;
    QString m_inventory;

private slots:
    void initTestCase();
    void cleanupTestCase();
    void goodChangeConfirmedOverNewConnection();
    void lintRefusesWithoutForce();
    void lockoutRolledBackAndReconnected();
    void answerLostThenCutOff();
    void answerLostThenFoundPending();
};

void TestFwHadeckctl::initTestCase()
{
    if (const QString why = FirewallNode::cannotRun(); !why.isEmpty()) {
        QSKIP(qPrintable(why));
    }
    QString error;
    QVERIFY2(m_node.start(QStringLiteral(HADECK_TEST_DATA "/firewall/node.nft"), &error), qPrintable(error));
    m_inventory = m_node.inventory();
}

void TestFwHadeckctl::cleanupTestCase() { m_node.stop(); }

void TestFwHadeckctl::goodChangeConfirmedOverNewConnection()
{
    Result r = run({QStringLiteral("fw"), QStringLiteral("apply"), QStringLiteral("web1"), QStringLiteral("--add-rule"),
                    QStringLiteral("tcp dport 8443 accept comment \"ctl-good\""), QStringLiteral("--chain"),
                    QStringLiteral("inet/hadeck_filter/input")});
    QVERIFY2(r.code == 0, (r.out + r.err).constData());
    QVERIFY2(r.out.contains("+ [table inet hadeck_filter chain input] tcp dport 8443 accept comment \"ctl-good\""), r.out.constData());
    QVERIFY2(r.out.contains("over a new connection; persisted to " +
                            m_node.filePath(QStringLiteral("nftables.conf")).toUtf8()),
             r.out.constData());
    QVERIFY(inputChain().contains("ctl-good"));
    r = run({QStringLiteral("fw"), QStringLiteral("pending"), QStringLiteral("web1")});
    QCOMPARE(r.code, 0);
    QVERIFY(r.out.contains("nothing is waiting"));
    r = run({QStringLiteral("fw"), QStringLiteral("show"), QStringLiteral("web1")});
    QCOMPARE(r.code, 0);
    QVERIFY2(r.out.contains("tcp dport 8443 accept comment \"ctl-good\"") && r.out.contains("policy drop"), r.out.constData());
    r = run({QStringLiteral("fw"), QStringLiteral("show"), QStringLiteral("web1"), QStringLiteral("--json")});
    QVERIFY(QJsonDocument::fromJson(r.out).isObject());
    // A syntax error: nft's message, exit 4, nothing changed.
    r = run({QStringLiteral("fw"), QStringLiteral("check"), QStringLiteral("web1"), QStringLiteral("--add-rule"),
             QStringLiteral("tcp dport 9 acept"), QStringLiteral("--chain"), QStringLiteral("inet/hadeck_filter/input")});
    QCOMPARE(r.code, 4);
    QVERIFY2(r.err.contains("syntax error"), r.err.constData());
    // nft quotes the rule back in its error; a terminal escape in it is shown, not obeyed.
    r = run({QStringLiteral("fw"), QStringLiteral("check"), QStringLiteral("web1"), QStringLiteral("--add-rule"),
             QStringLiteral("tcp dport 9 acept comment \"\x1b[2J\""), QStringLiteral("--chain"),
             QStringLiteral("inet/hadeck_filter/input")});
    QCOMPARE(r.code, 4);
    QVERIFY2(!r.err.contains('\x1b') && r.err.contains("\\e[2J"), r.err.constData());
}

void TestFwHadeckctl::lintRefusesWithoutForce()
{
    // A rule naming an interface by index loads on the node but not in the scratch namespace of the
    // preview: the lint cannot judge the new ruleset, so the change is refused unless forced.
    QCOMPARE(sh(QStringLiteral("ip"), {QStringLiteral("link"), QStringLiteral("add"), QStringLiteral("fwdummy0"),
                                       QStringLiteral("type"), QStringLiteral("veth"), QStringLiteral("peer"),
                                       QStringLiteral("name"), QStringLiteral("fwdummy1")}),
             0);
    const QString file = m_node.filePath(QStringLiteral("iif.nft"));
    QFile f(file);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("insert rule inet hadeck_filter input iif \"fwdummy0\" tcp dport 9999 drop\n");
    f.close();
    const Result r = run({QStringLiteral("fw"), QStringLiteral("apply"), QStringLiteral("web1"), file});
    QCOMPARE(r.code, 4);
    QVERIFY2(r.err.contains("no preview of the new ruleset"), r.err.constData());
    QVERIFY2(r.err.contains("--force"), r.err.constData());
    QVERIFY(!inputChain().contains("9999"));
}

void TestFwHadeckctl::lockoutRolledBackAndReconnected()
{
    const QString file = m_node.filePath(QStringLiteral("lockout.nft"));
    QFile f(file);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(QStringLiteral("insert rule inet hadeck_filter input tcp dport %1 drop comment \"ctl-lockout\"\n")
                .arg(m_node.sshd().port())
                .toUtf8());
    f.close();
    std::vector<double> times;
    for (int i = 0; i < 5; ++i) {
        Result r = run({QStringLiteral("fw"), QStringLiteral("apply"), QStringLiteral("web1"), file, QStringLiteral("--force"),
                        QStringLiteral("--confirm-within"), QStringLiteral("10"), QStringLiteral("--timeout"), QStringLiteral("4")});
        // Applied, then the confirmation cannot get in.
        QVERIFY2(r.out.contains("applied "), (r.out + r.err).constData());
        QVERIFY2(r.err.contains("could not confirm over a new connection"), r.err.constData());
        QVERIFY(r.code != 0);
        // The agent rolls back on its own within the window plus 1 s.
        QTRY_VERIFY_WITH_TIMEOUT(!inputChain().contains("ctl-lockout"), 15000);
        // hadeckctl gets in again.
        QTRY_VERIFY_WITH_TIMEOUT(run({QStringLiteral("fw"), QStringLiteral("pending"), QStringLiteral("web1")}).code == 0, 10000);
        const QDateTime reconnected = QDateTime::currentDateTimeUtc();
        // From the apply as the agent audited it to its own rollback entry.
        const QString audit = m_node.agent().auditPath();
        const QDateTime applied = lastAudit(audit, "firewall.apply");
        const QDateTime rolled = lastAudit(audit, "firewall.rollback");
        QVERIFY(applied.isValid() && rolled.isValid() && rolled > applied);
        const double rolledBack = applied.msecsTo(rolled) / 1000.0;
        QVERIFY2(rolledBack <= 10.0 + kRollbackLateS, qPrintable(QString::number(rolledBack)));
        times.push_back(applied.msecsTo(reconnected) / 1000.0);
        qInfo("lockout %d: rolled back after %.2f s, reconnected after %.2f s", i + 1, rolledBack, times.back());
    }
    std::sort(times.begin(), times.end());
    qInfo("apply -> reconnected over %zu runs: median %.2f s, worst %.2f s", times.size(), times[times.size() / 2], times.back());
}

/// The node answers the apply, but the answer never reaches the console: a rule that drops what
/// sshd sends. hadeckctl says the change may be live and asks over a new connection, which the
/// same rule keeps out: it says so, and the agent rolls the change back at its deadline.
void TestFwHadeckctl::answerLostThenCutOff()
{
    const QString file = m_node.filePath(QStringLiteral("lost.nft"));
    QFile f(file);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(QStringLiteral("insert rule inet hadeck_filter input tcp sport %1 drop comment \"ctl-lost\"\n")
                .arg(m_node.sshd().port())
                .toUtf8());
    f.close();
    const Result r = run({QStringLiteral("fw"), QStringLiteral("apply"), QStringLiteral("web1"), file,
                          QStringLiteral("--force"), QStringLiteral("--confirm-within"), QStringLiteral("10"),
                          QStringLiteral("--timeout"), QStringLiteral("3")});
    QVERIFY2(r.err.contains("no answer from web1 to the apply") && r.err.contains("the change may be live"),
             (r.out + r.err).constData());
    QVERIFY2(r.err.contains("cannot ask web1 over a new connection either"), r.err.constData());
    QCOMPARE(r.code, 1);
    QVERIFY(!r.out.contains("applied "));
    QTRY_VERIFY_WITH_TIMEOUT(!inputChain().contains("ctl-lost"), 15000);
    QTRY_VERIFY_WITH_TIMEOUT(run({QStringLiteral("fw"), QStringLiteral("pending"), QStringLiteral("web1")})
                                 .out.contains("nothing is waiting"),
                             10000);
}

/// The same lost answer, but the new connection gets in (the rule is taken out by hand once
/// hadeckctl reports the lost answer): it finds the change live and names it, with how to keep
/// it or end it; ending it restores the ruleset from before.
void TestFwHadeckctl::answerLostThenFoundPending()
{
    const QString file = m_node.filePath(QStringLiteral("lost2.nft"));
    QFile f(file);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(QStringLiteral("insert rule inet hadeck_filter input tcp sport %1 drop comment \"ctl-lost2\"\n")
                .arg(m_node.sshd().port())
                .toUtf8());
    f.close();
    QProcess ctl;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("HADECK_LANG"), QStringLiteral("en"));
    ctl.setProcessEnvironment(env);
    ctl.start(hadeckctlBinary(), {QStringLiteral("--cluster"), m_inventory, QStringLiteral("--batch"),
                                  QStringLiteral("fw"), QStringLiteral("apply"), QStringLiteral("web1"), file,
                                  QStringLiteral("--force"), QStringLiteral("--confirm-within"), QStringLiteral("60"),
                                  QStringLiteral("--timeout"), QStringLiteral("15")});
    QVERIFY(ctl.waitForStarted());
    QByteArray err;
    QObject::connect(&ctl, &QProcess::readyReadStandardError, &ctl, [&] { err += ctl.readAllStandardError(); });
    QTRY_VERIFY2_WITH_TIMEOUT(err.contains("the change may be live"), err.constData(), 30000);
    // The change's own rule, by its handle: the agent's pending change stays as it is.
    QByteArray listing;
    sh(QStringLiteral("nft"),
       {QStringLiteral("-a"), QStringLiteral("list"), QStringLiteral("chain"), QStringLiteral("inet"),
        QStringLiteral("hadeck_filter"), QStringLiteral("input")},
       &listing);
    QString handle;
    for (const QByteArray& line : listing.split('\n')) {
        if (line.contains("ctl-lost2")) {
            handle = QString::fromLatin1(line.mid(line.lastIndexOf(' ') + 1)).trimmed();
        }
    }
    QVERIFY2(!handle.isEmpty(), listing.constData());
    QCOMPARE(sh(QStringLiteral("nft"),
                {QStringLiteral("delete"), QStringLiteral("rule"), QStringLiteral("inet"),
                 QStringLiteral("hadeck_filter"), QStringLiteral("input"), QStringLiteral("handle"), handle}),
             0);
    QVERIFY(ctl.waitForFinished(60000));
    err += ctl.readAllStandardError();
    const QByteArray out = ctl.readAllStandardOutput();
    QCOMPARE(ctl.exitCode(), 4);
    const QRegularExpression live(
        QStringLiteral("web1: change (\\S+) by root is live, rolled back at \\S+ unless confirmed: "
                       "hadeckctl fw confirm web1 \\1 keeps it, hadeckctl fw rollback web1 \\1 ends it now"));
    const auto m = live.match(QString::fromUtf8(out));
    QVERIFY2(m.hasMatch(), (out + err).constData());
    const Result rb = run({QStringLiteral("fw"), QStringLiteral("rollback"), QStringLiteral("web1"), m.captured(1)});
    QVERIFY2(rb.code == 0, (rb.out + rb.err).constData());
    QVERIFY(run({QStringLiteral("fw"), QStringLiteral("pending"), QStringLiteral("web1")})
                .out.contains("nothing is waiting"));
    QVERIFY(!inputChain().contains("ctl-lost2"));
}

QTEST_GUILESS_MAIN(TestFwHadeckctl)
#include "tst_fw_hadeckctl.moc"
