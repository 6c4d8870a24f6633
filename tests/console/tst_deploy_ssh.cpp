// DeployJob's own SSH path (no fake remote) against real sshds: a node behind a jump host,
// with host keys not yet known, asked through the connection pool's prompter on this thread.
// The package is not a Debian package, so the job stops at the package check, after the
// connection, the node check and the SFTP upload through the tunnel: nothing is installed.

#include "sshtestenv.h"

#include <hadeck/console/actions/deploy_job.h>
#include <hadeck/console/connectionpool.h>

#include <QFile>
#include <QSignalSpy>
#include <QTest>
#include <QThread>

using namespace hadeck;
using namespace hadeck::console;
using namespace hadeck::test;

namespace {
/// Answers host key questions with a fixed decision, recording each question and its thread.
class RecordingPrompter final : public CredentialPrompter {
public:
    HostKeyDecision decision = HostKeyDecision::Reject;
    QList<HostKeyQuestion> questions;
    QList<QThread*> askedOn;

    void unknownHostKey(const HostKeyQuestion& q, HostKeyReply reply) override
    {
        questions << q;
        askedOn << QThread::currentThread();
        reply(decision);
    }
    void passphrase(const PassphraseQuestion&, PassphraseReply reply) override { reply(std::nullopt); }
};
} // namespace

class TestDeploySsh : public QObject {
    Q_OBJECT

    QTemporaryDir m_work;

    ClusterInventory inventoryFor(const Sshd& jump, const Sshd& target, const QString& knownHosts)
    {
        ClusterInventory inv;
        inv.name = QStringLiteral("deploy-ssh");
        inv.knownHosts = knownHosts;
        NodeSpec gw;
        gw.name = QStringLiteral("gw");
        gw.address = QStringLiteral("127.0.0.1");
        gw.port = jump.port();
        gw.user = QStringLiteral("root");
        gw.key = jump.userKey();
        NodeSpec node;
        node.name = QStringLiteral("node1");
        node.address = QStringLiteral("127.0.0.1");
        node.port = target.port();
        node.user = QStringLiteral("root");
        node.key = target.userKey();
        node.jump = gw.name;
        inv.nodes = {gw, node};
        return inv;
    }

    QString notADeb()
    {
        const QString path = m_work.filePath(QStringLiteral("hadeck-agent_9.9_all.deb"));
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly))
            return {};
        f.write(QByteArray(200 * 1024, 'x'));
        return path;
    }

private slots:
    void initTestCase()
    {
        if (!QFile::exists(QStringLiteral("/usr/sbin/sshd")))
            QSKIP("OpenSSH server (/usr/sbin/sshd) is not installed");
        if (!QFile::exists(QStringLiteral("/usr/bin/dpkg")))
            QSKIP("the node check needs dpkg");
        qunsetenv("SSH_AUTH_SOCK");
    }

    // Through the jump host; both keys asked about on this thread and saved; the package goes up
    // through the tunnel and is refused by dpkg-deb on the node.
    void deploysThroughJumpHostAskingForKeys()
    {
        Sshd jump;
        Sshd target;
        QString error;
        QVERIFY2(jump.start({}, &error), qPrintable(error));
        SshdOptions noForward;
        noForward.allowTcpForwarding = false;
        QVERIFY2(target.start(noForward, &error), qPrintable(error));
        const QString kh = m_work.filePath(QStringLiteral("kh-jump/known_hosts"));
        RecordingPrompter prompter;
        prompter.decision = HostKeyDecision::AcceptAndSave;
        ConnectionPool pool(inventoryFor(jump, target, kh), &prompter);
        DeployRequest req;
        req.nodes = {QStringLiteral("node1")};
        req.packagePath = notADeb();
        QVERIFY(!req.packagePath.isEmpty());
        DeployJob job(&pool, req);
        QSignalSpy done(&job, &DeployJob::finished);
        const auto started = job.start();
        QVERIFY2(started.hasValue(), started ? "" : started.error().message.c_str());
        QTRY_COMPARE_WITH_TIMEOUT(done.size(), 1, 60000);
        const auto p = job.progress(QStringLiteral("node1"));
        QCOMPARE(p.step, DeployJob::Step::Failed);
        QVERIFY2(p.error.contains(QLatin1String("not a Debian package")), qPrintable(p.error));
        QCOMPARE(p.uploaded, p.uploadTotal);
        QCOMPARE(prompter.questions.size(), 2);
        QCOMPARE(prompter.questions.at(0).node, QStringLiteral("gw"));
        QCOMPARE(prompter.questions.at(1).node, QStringLiteral("node1"));
        QCOMPARE(prompter.questions.at(1).sha256Fingerprint, target.hostFingerprint());
        for (QThread* t : prompter.askedOn)
            QCOMPARE(t, QThread::currentThread());
        QCOMPARE(jump.log().count(QLatin1String("Accepted publickey for root")), 1);
        QCOMPARE(target.log().count(QLatin1String("Accepted publickey for root")), 1);
        QFile f(kh);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QString saved = QString::fromUtf8(f.readAll());
        QVERIFY2(saved.contains(QStringLiteral("[127.0.0.1]:%1 ").arg(target.port())), qPrintable(saved));
    }

    // --batch: the pool refuses every question, so does deployment, saying which key and why.
    void batchRefusesUnknownKey()
    {
        Sshd jump;
        Sshd target;
        QString error;
        QVERIFY2(jump.start({}, &error), qPrintable(error));
        QVERIFY2(target.start({}, &error), qPrintable(error));
        QFile kh(m_work.filePath(QStringLiteral("kh-batch")));
        QVERIFY(kh.open(QIODevice::WriteOnly));
        kh.write(jump.knownHostsLine().toUtf8()); // the jump host is known, the node is not
        kh.close();
        RefusingPrompter refuse;
        ConnectionPool pool(inventoryFor(jump, target, kh.fileName()), &refuse);
        DeployRequest req;
        req.nodes = {QStringLiteral("node1")};
        req.packagePath = notADeb();
        DeployJob job(&pool, req);
        QSignalSpy done(&job, &DeployJob::finished);
        QVERIFY(job.start().hasValue());
        QTRY_COMPARE_WITH_TIMEOUT(done.size(), 1, 60000);
        const auto p = job.progress(QStringLiteral("node1"));
        QCOMPARE(p.step, DeployJob::Step::Failed);
        QVERIFY2(p.error.contains(target.hostFingerprint()), qPrintable(p.error));
        QVERIFY2(p.error.contains(QLatin1String("not accepted")), qPrintable(p.error));
        QVERIFY(!target.log().contains(QLatin1String("Accepted publickey")));
    }
};

QTEST_GUILESS_MAIN(TestDeploySsh)
#include "tst_deploy_ssh.moc"
