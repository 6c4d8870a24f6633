// The lockout lint on the lab's real rulesets (issue 13): for each packet kind the cluster
// needs, `hadeckctl fw check` on the node that receives it, with a table of the test's own
// that drops exactly that packet. The agent builds the would-be ruleset from the node's
// real one in a scratch namespace; the lint must name the packet, why the cluster needs
// it, and the rule (its comment) that blocks it. Nothing changes on the node.
// Then the gateway: a forward rule that drops the VIP, applied with --force and left
// unconfirmed: requests from `client` fail until the agent's rollback, then succeed.

#include "processutil.h"

#include <QtTest>

#include <QElapsedTimer>
#include <QTemporaryDir>

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

/// hadeckctl; with @p retry (for what changes nothing) tried again, up to 5 times, while a node
/// it needs is not online: the directors' agents in the emulated VM miss the 2.5 s hello ping on
/// a loaded machine, and without them the lint does not know the virtual services.
Result ctl(const QStringList& args, bool retry = false)
{
    Result r;
    for (int attempt = 1; attempt <= (retry ? 5 : 1); ++attempt) {
        r = runProgram(qEnvironmentVariable("HADECKCTL"),
                       QStringList{QStringLiteral("--cluster"), labDir() + QStringLiteral("/inventory.json"),
                                   QStringLiteral("--batch"), QStringLiteral("--timeout"), QStringLiteral("60")} +
                           args,
                       300000);
        // A director offline: the lint would not know the virtual services.
        const bool incomplete =
            r.err.contains("is not online") || r.err.contains("did not answer") || r.err.contains("no IPVS table");
        if (!incomplete) {
            break;
        }
        qInfo("attempt %d: %s", attempt, r.err.trimmed().constData());
    }
    return r;
}

QByteArray rulesetOf(const QString& node)
{
    return runProgram(lab(), {QStringLiteral("exec"), node, QStringLiteral("nft"), QStringLiteral("list"),
                              QStringLiteral("ruleset")})
        .out;
}

/// A table of the test's own whose base chain on @p hook drops what @p match says.
QByteArray dropTable(const QString& hook, const QString& match, const QString& comment)
{
    return QStringLiteral("add table inet hadeck_lint\n"
                          "add chain inet hadeck_lint %1 { type filter hook %1 priority -10 ; policy accept ; }\n"
                          "add rule inet hadeck_lint %1 %2 drop comment \"%3\"\n")
        .arg(hook, match, comment)
        .toUtf8();
}

/// One HTTP request from the client namespace to the VIP; true when it was answered 200.
bool clientRequest(int timeoutS)
{
    const Result r = runProgram(lab(),
                                {QStringLiteral("exec"), QStringLiteral("client"), QStringLiteral("curl"),
                                 QStringLiteral("-s"), QStringLiteral("-o"), QStringLiteral("/dev/null"),
                                 QStringLiteral("-w"), QStringLiteral("%{http_code}"), QStringLiteral("--max-time"),
                                 QString::number(timeoutS), QStringLiteral("http://198.18.0.100/")},
                                (timeoutS + 30) * 1000);
    return r.out.trimmed() == "200";
}

} // namespace

class TestFwLintLab : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void eachPacketKindIsCaught_data();
    void eachPacketKindIsCaught();
    void harmlessChangeIsClean_data();
    void harmlessChangeIsClean();
    void gatewayForwardBlockedUntilRollback();

private:
    QTemporaryDir m_dir;
};

void TestFwLintLab::initTestCase()
{
    if (!QFile::exists(labDir() + QStringLiteral("/inventory.json"))) {
        QSKIP("the lab is not up");
    }
    QVERIFY(m_dir.isValid());
    // The lint knows the virtual services from the directors' IPVS tables and the roles from hello.
    QTRY_VERIFY_WITH_TIMEOUT(ctl({QStringLiteral("status")}).code == 0, 60000);
}

void TestFwLintLab::eachPacketKindIsCaught_data()
{
    QTest::addColumn<QString>("node");
    QTest::addColumn<QString>("hook");
    QTest::addColumn<QString>("match");
    QTest::addColumn<QString>("packet"); // the packet as the lint describes it
    QTest::addColumn<QString>("why");    // why the cluster needs it
    // The console on the host is 198.18.0.254 as the nodes see it.
    QTest::newRow("ssh") << "web1"
                         << "input"
                         << "tcp dport 22"
                         << "tcp 198.18.0.254 -> 198.18.0.21:22 (new, input"
                         << "SSH from the console (198.18.0.254)";
    QTest::newRow("vrrp dir1") << "dir1"
                               << "input"
                               << "ip protocol vrrp"
                               << "vrrp 198.18.0.12 -> 224.0.0.18 (new, input"
                               << "VRRP adverts from the other director dir2";
    QTest::newRow("vrrp dir2") << "dir2"
                               << "input"
                               << "ip saddr 198.18.0.11 ip protocol vrrp"
                               << "vrrp 198.18.0.11 -> 224.0.0.18 (new, input"
                               << "VRRP adverts from the other director dir1";
    QTest::newRow("virtual service on director") << "dir1"
                                                 << "input"
                                                 << "ip daddr 198.18.0.100 tcp dport 80"
                                                 << "tcp 198.19.0.10 -> 198.18.0.100:80 (new, input"
                                                 << "clients to the virtual service tcp 198.18.0.100:80";
    QTest::newRow("VIP on real server") << "web1"
                                        << "input"
                                        << "ip daddr 198.18.0.100 tcp dport 80"
                                        << "tcp 198.19.0.10 -> 198.18.0.100:80 (new, input"
                                        << "clients to tcp 198.18.0.100:80 (LVS-DR: the VIP on this real server)";
    QTest::newRow("health check dir1->web2") << "web2"
                                             << "input"
                                             << "ip saddr 198.18.0.11 tcp dport 80"
                                             << "tcp 198.18.0.11 -> 198.18.0.22:80 (new, input"
                                             << "keepalived health check from dir1 for tcp 198.18.0.100:80";
    QTest::newRow("health check dir2->web1") << "web1"
                                             << "input"
                                             << "ip saddr 198.18.0.12 tcp dport 80"
                                             << "tcp 198.18.0.12 -> 198.18.0.21:80 (new, input"
                                             << "keepalived health check from dir2 for tcp 198.18.0.100:80";
    QTest::newRow("mariadb web->db") << "db1"
                                     << "input"
                                     << "ip saddr 198.18.0.22 tcp dport 3306"
                                     << "tcp 198.18.0.22 -> 198.18.0.31:3306 (new, input"
                                     << "MariaDB from the web node web2";
    QTest::newRow("mariadb replica->master") << "db1"
                                             << "input"
                                             << "ip saddr 198.18.0.32 tcp dport 3306"
                                             << "tcp 198.18.0.32 -> 198.18.0.31:3306 (new, input"
                                             << "MariaDB replication with db2";
    QTest::newRow("mariadb master->replica") << "db2"
                                             << "input"
                                             << "ip saddr 198.18.0.31 tcp dport 3306"
                                             << "tcp 198.18.0.31 -> 198.18.0.32:3306 (new, input"
                                             << "MariaDB replication with db1";
    QTest::newRow("moosefs chunkserver->master") << "mfsmaster"
                                                 << "input"
                                                 << "tcp dport 9420"
                                                 << "tcp 198.18.0.42 -> 198.18.0.41:9420 (new, input"
                                                 << "MooseFS chunkserver cs1 to the master";
    QTest::newRow("moosefs metalogger->master") << "mfsmaster"
                                                << "input"
                                                << "tcp dport 9419"
                                                << "tcp 198.18.0.32 -> 198.18.0.41:9419 (new, input"
                                                << "MooseFS metalogger db2 to the master";
    QTest::newRow("moosefs client->master") << "mfsmaster"
                                            << "input"
                                            << "ip saddr 198.18.0.21 tcp dport 9421"
                                            << "tcp 198.18.0.21 -> 198.18.0.41:9421 (new, input"
                                            << "MooseFS client web1 to the master";
    QTest::newRow("moosefs client->chunkserver") << "cs2"
                                                 << "input"
                                                 << "ip saddr 198.18.0.22 tcp dport 9422"
                                                 << "tcp 198.18.0.22 -> 198.18.0.43:9422 (new, input"
                                                 << "MooseFS client web2 to this chunkserver";
    QTest::newRow("gateway forward to the VIP") << "gw"
                                                << "forward"
                                                << "ip daddr 198.18.0.100 tcp dport 80"
                                                << "tcp 198.19.0.10 -> 198.18.0.100:80 (new, forward"
                                                << "clients through the gateway to tcp 198.18.0.100:80";
}

void TestFwLintLab::eachPacketKindIsCaught()
{
    QFETCH(QString, node);
    QFETCH(QString, hook);
    QFETCH(QString, match);
    QFETCH(QString, packet);
    QFETCH(QString, why);
    const QString comment = QStringLiteral("lint-%1").arg(
        QString::fromLatin1(QTest::currentDataTag()).replace(QLatin1Char(' '), QLatin1Char('-')));
    const QString file = m_dir.filePath(comment + QStringLiteral(".nft"));
    QFile f(file);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(dropTable(hook, match, comment));
    f.close();
    const QByteArray before = rulesetOf(node);

    const Result r = ctl({QStringLiteral("fw"), QStringLiteral("check"), node, file}, true);
    const QByteArray all = r.out + r.err;
    QVERIFY2(r.code == 4, all.constData()); // blocked: the check fails
    // The finding for this packet names why it is needed and the rule that drops it.
    QList<QByteArray> mine;
    for (const QByteArray& line : r.out.split('\n')) {
        if (line.startsWith("lint: blocked: ") && line.contains(packet.toUtf8())) {
            mine << line;
        }
    }
    QVERIFY2(!mine.isEmpty(), all.constData());
    bool named = false;
    for (const QByteArray& line : mine) {
        named = named ||
                (line.contains(why.toUtf8()) && line.contains("by rule inet hadeck_lint " + hook.toUtf8() + " #") &&
                 line.contains(QStringLiteral("drop comment \"%1\"").arg(comment).toUtf8()));
    }
    QVERIFY2(named, all.constData());
    // Every finding this change causes is caused by its own rule (nothing blamed on another).
    for (const QByteArray& line : r.out.split('\n')) {
        if (line.startsWith("lint: blocked: ")) {
            QVERIFY2(line.contains(comment.toUtf8()), line.constData());
        }
    }
    qInfo("%s", mine.first().constData());
    QCOMPARE(rulesetOf(node), before); // a check changes nothing
}

void TestFwLintLab::harmlessChangeIsClean_data()
{
    QTest::addColumn<QString>("node");
    QTest::addColumn<QString>("hook");
    for (const char* n : {"web1", "dir1", "db1", "db2", "mfsmaster", "cs1"}) {
        QTest::newRow(n) << QString::fromLatin1(n) << QStringLiteral("input");
    }
    QTest::newRow("gw") << QStringLiteral("gw") << QStringLiteral("forward");
}

/// The control: a rule that drops nothing the cluster needs lints clean on the same real
/// rulesets, so the findings above come from the rules that drop, not from the lint itself.
void TestFwLintLab::harmlessChangeIsClean()
{
    QFETCH(QString, node);
    QFETCH(QString, hook);
    const QString file = m_dir.filePath(QStringLiteral("harmless-%1.nft").arg(node));
    QFile f(file);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(dropTable(hook, QStringLiteral("tcp dport 7777"), QStringLiteral("lint-harmless")));
    f.close();
    const Result r = ctl({QStringLiteral("fw"), QStringLiteral("check"), node, file}, true);
    QVERIFY2(r.code == 0 && r.out.contains("lint: nothing the cluster needs is blocked"), (r.out + r.err).constData());
}

void TestFwLintLab::gatewayForwardBlockedUntilRollback()
{
    const QString file = m_dir.filePath(QStringLiteral("gw-vip.nft"));
    QFile f(file);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(dropTable(QStringLiteral("forward"), QStringLiteral("ip daddr 198.18.0.100 tcp dport 80"),
                      QStringLiteral("gw-blocks-vip")));
    f.close();
    QVERIFY(clientRequest(10));
    // The lint knows the VIP from the directors (checked first: it changes nothing).
    Result r = ctl({QStringLiteral("fw"), QStringLiteral("check"), QStringLiteral("gw"), file}, true);
    QVERIFY2(r.code == 4 && r.out.contains("gw-blocks-vip"), (r.out + r.err).constData());

    // Without --force: refused, the finding named.
    r = ctl({QStringLiteral("fw"), QStringLiteral("apply"), QStringLiteral("gw"), file});
    QCOMPARE(r.code, 4);
    QVERIFY2(r.out.contains("lint: blocked: tcp 198.19.0.10 -> 198.18.0.100:80") && r.out.contains("gw-blocks-vip"),
             (r.out + r.err).constData());
    QVERIFY(!rulesetOf(QStringLiteral("gw")).contains("gw-blocks-vip"));

    // Forced and left unconfirmed: the agent's timer is what brings the VIP back.
    constexpr int kWindow = 15;
    r = ctl({QStringLiteral("fw"), QStringLiteral("apply"), QStringLiteral("gw"), file, QStringLiteral("--force"),
             QStringLiteral("--no-confirm"), QStringLiteral("--confirm-within"), QString::number(kWindow)});
    QVERIFY2(r.code == 0 && r.out.contains("not confirmed (--no-confirm)"), (r.out + r.err).constData());
    QElapsedTimer since;
    since.start();
    QVERIFY(rulesetOf(QStringLiteral("gw")).contains("gw-blocks-vip"));
    int failed = 0;
    // Requests while the change is live fail (each gives up after 2 s).
    while (since.elapsed() < (kWindow - 5) * 1000) {
        QVERIFY2(!clientRequest(2),
                 qPrintable(QStringLiteral("a request passed %1 ms after the apply").arg(since.elapsed())));
        ++failed;
    }
    QVERIFY(failed >= 2);
    // The agent restores the ruleset at the deadline; requests pass again.
    QTRY_VERIFY_WITH_TIMEOUT(!rulesetOf(QStringLiteral("gw")).contains("gw-blocks-vip"), (kWindow + 10) * 1000);
    const qint64 restoredMs = since.elapsed();
    QTRY_VERIFY_WITH_TIMEOUT(clientRequest(3), 20000);
    qInfo(
        "gateway: %d requests failed while the change was live; ruleset restored %.1f s after the apply (window %d s); "
        "requests pass again %.1f s after the apply",
        failed, restoredMs / 1000.0, kWindow, since.elapsed() / 1000.0);
    const Result pending = ctl({QStringLiteral("fw"), QStringLiteral("pending"), QStringLiteral("gw")});
    QVERIFY2(pending.out.contains("nothing is waiting"), (pending.out + pending.err).constData());
}

QTEST_GUILESS_MAIN(TestFwLintLab)
#include "tst_fw_lint_lab.moc"
