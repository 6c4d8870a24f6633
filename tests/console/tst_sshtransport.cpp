// SshTransport + AgentClient against a real OpenSSH sshd and a real hadeck-agent.

#include "sshtestenv.h"

#include <hadeck/console/remotehost.h>

#include <hadeck/console/agentclient.h>
#include <hadeck/console/sshtransport.h>

#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QScopeGuard>
#include <QStandardPaths>
#include <QSignalSpy>
#include <QTest>
#include <QThread>

#include <unistd.h>

using namespace hadeck;
using namespace hadeck::console;
using namespace hadeck::test;

/// Answers passphrase questions from a list (then "no"), and records each question.
class SequencePrompter final : public CredentialPrompter {
public:
    explicit SequencePrompter(QStringList answers) : m_answers(std::move(answers)) {}
    QList<PassphraseQuestion> questions;

    void unknownHostKey(const HostKeyQuestion&, HostKeyReply reply) override { reply(HostKeyDecision::Reject); }
    void passphrase(const PassphraseQuestion& q, PassphraseReply reply) override
    {
        questions << q;
        if (m_answers.isEmpty())
            reply(std::nullopt);
        else
            reply(m_answers.takeFirst());
    }

private:
    QStringList m_answers;
};

/// Answers as a deployment's admin would, on the thread it lives on (the GUI's or the terminal's), and
/// records each question and the thread that asked it. With hold set, host key questions wait for
/// answerHeld().
class DeployPrompter final : public CredentialPrompter {
public:
    HostKeyDecision decision = HostKeyDecision::Reject;
    QStringList passphrases; ///< answered in turn, then "no"
    bool hold = false;
    QList<HostKeyQuestion> hostKeyQuestions;
    QList<PassphraseQuestion> passphraseQuestions;
    QList<QThread*> askedOn;

    void unknownHostKey(const HostKeyQuestion& q, HostKeyReply reply) override
    {
        hostKeyQuestions << q;
        askedOn << QThread::currentThread();
        if (hold) {
            m_held = std::move(reply);
            return;
        }
        reply(decision);
    }
    void passphrase(const PassphraseQuestion& q, PassphraseReply reply) override
    {
        passphraseQuestions << q;
        askedOn << QThread::currentThread();
        if (passphrases.isEmpty())
            reply(std::nullopt);
        else
            reply(passphrases.takeFirst());
    }
    bool holding() const { return bool(m_held); }
    void answerHeld(HostKeyDecision d)
    {
        auto r = std::exchange(m_held, {});
        r(d);
    }

private:
    HostKeyReply m_held;
};

/// Opens @p remote on a thread of its own, as a deployment's worker does, while this thread's event
/// loop answers the prompter. @return open()'s result, or an error when it did not return in time.
Status openOnWorker(RemoteHost& remote, int timeoutMs = 30000)
{
    std::optional<Status> result;
    std::unique_ptr<QThread> worker(QThread::create([&] { result = remote.open(); }));
    worker->start();
    if (!QTest::qWaitFor([&] { return worker->isFinished(); }, timeoutMs)) {
        worker->wait();
        return fail("open() did not return in time");
    }
    worker->wait();
    return *result;
}

QString messageOf(const Status& st) { return st ? QString() : QString::fromStdString(st.error().message); }

class TestSshTransport : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_work;
    std::unique_ptr<Agent> m_agent;

    QString knownHostsWith(const QString& name, const QString& content)
    {
        const QString path = m_work.filePath(name);
        QFile f(path);
        f.open(QIODevice::WriteOnly | QIODevice::Truncate);
        f.write(content.toUtf8());
        return path;
    }

    static SshTransportConfig configFor(const Sshd& sshd, const QString& knownHosts, const QString& agentSocket)
    {
        SshTransportConfig c;
        c.target = SshEndpoint{QStringLiteral("node1"), QStringLiteral("127.0.0.1"), sshd.port(),
                               QStringLiteral("root"), sshd.userKey()};
        c.knownHostsFile = knownHosts;
        c.agentSocket = agentSocket;
        c.bridgeCommand = agentBinary();
        c.connectTimeoutMs = 10000;
        return c;
    }

    static AgentClientOptions fastOptions()
    {
        AgentClientOptions o;
        o.pingIntervalMs = 1000;
        o.pingTimeoutMs = 1500;
        o.backoffInitialMs = 200;
        o.backoffMaxMs = 2000;
        return o;
    }

    std::unique_ptr<AgentClient> makeClient(SshTransportConfig config, CredentialPrompter* prompter,
                                            AgentClientOptions options = fastOptions())
    {
        auto* t = new SshTransport(std::move(config));
        t->setPrompter(prompter);
        return std::make_unique<AgentClient>(QStringLiteral("node1"), t, options);
    }


    /// A copy of @p sshd's user key, encrypted with @p passphrase (the public half is unchanged,
    /// so the sshd still authorizes it).
    QString encryptedCopyOfUserKey(const Sshd& sshd, const QString& name, const QString& passphrase)
    {
        const QString path = m_work.filePath(name);
        QFile::remove(path);
        if (!QFile::copy(sshd.userKey(), path))
            return {};
        QFile::setPermissions(path, QFile::ReadOwner | QFile::WriteOwner);
        const int rc = runProgram(QStringLiteral("ssh-keygen"),
                                  {QStringLiteral("-q"), QStringLiteral("-p"), QStringLiteral("-f"), path,
                                   QStringLiteral("-P"), QString(), QStringLiteral("-N"), passphrase},
                                  {.mergeChannels = true})
                           .code;
        return rc == 0 ? path : QString();
    }

    SshRemoteConfig remoteConfigFor(const Sshd& sshd, const QString& knownHosts)
    {
        SshRemoteConfig rc;
        rc.endpoint = SshEndpoint{QStringLiteral("node1"), QStringLiteral("127.0.0.1"), sshd.port(),
                                  QStringLiteral("root"), sshd.userKey()};
        rc.useSshAgent = false;
        rc.knownHostsFile = knownHosts;
        rc.connectTimeoutMs = 10000;
        return rc;
    }

private slots:
    void initTestCase()
    {
        if (!QFile::exists(QStringLiteral("/usr/sbin/sshd")))
            QSKIP("OpenSSH server (/usr/sbin/sshd) is not installed");
        if (!QFile::exists(agentBinary()))
            QSKIP("hadeck-agent is not built");
        qunsetenv("SSH_AUTH_SOCK"); // only the configured keys, never the developer's agent
        QFile::setPermissions(m_work.path(), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner |
                                                 QFile::ReadOther | QFile::ExeOther | QFile::ReadGroup |
                                                 QFile::ExeGroup);
        m_agent = std::make_unique<Agent>(m_work.filePath(QStringLiteral("agent.sock")));
        QString error;
        QVERIFY2(m_agent->start(&error), qPrintable(error));
    }

    void connectAndHello()
    {
        Sshd sshd;
        QString error;
        QVERIFY2(sshd.start({}, &error), qPrintable(error));
        RefusingPrompter refuse;
        auto client = makeClient(configFor(sshd, knownHostsWith(QStringLiteral("kh1"), sshd.knownHostsLine()),
                                           m_agent->socketPath()),
                                 &refuse);
        QSignalSpy hello(client.get(), &AgentClient::helloReceived);
        client->start();
        QTRY_COMPARE_WITH_TIMEOUT(client->state(), NodeState::Online, 15000);
        QCOMPARE(hello.count(), 1);
        QVERIFY(client->hello().has_value());
        QCOMPARE(client->hello()->user, std::string(::geteuid() == 0 ? "root" : ""));
        QVERIFY(client->hello()->permission == proto::PermissionLevel::Admin);
        QCOMPARE(client->hello()->protocolVersion, proto::kProtocolVersion);
        QVERIFY(!static_cast<SshTransport*>(client->transport())->usesBridge());

        // Several requests in flight are matched to their answers by id.
        int answered = 0;
        for (int i = 0; i < 5; ++i)
            client->request(QStringLiteral("agent.ping"), rpc::Json::object(), [&answered](const RpcResult& r) {
                QVERIFY(r.hasValue());
                ++answered;
            });
        bool gotError = false;
        client->request(QStringLiteral("no.such.method"), rpc::Json::object(), [&gotError](const RpcResult& r) {
            QVERIFY(!r.hasValue());
            QCOMPARE(r.error().code, int(rpc::MethodNotFound));
            gotError = true;
        });
        QTRY_COMPARE_WITH_TIMEOUT(answered, 5, 5000);
        QTRY_VERIFY_WITH_TIMEOUT(gotError, 5000);
        QVERIFY(sshd.log().contains(QLatin1String("Accepted publickey for root")));
    }

    void unknownHostKeyAccepted()
    {
        Sshd sshd;
        QString error;
        QVERIFY2(sshd.start({}, &error), qPrintable(error));
        const QString kh = m_work.filePath(QStringLiteral("kh-accept/known_hosts")); // directory does not exist yet
        ScriptedPrompter prompter;
        prompter.decision = HostKeyDecision::AcceptAndSave;
        auto client = makeClient(configFor(sshd, kh, m_agent->socketPath()), &prompter);
        client->start();
        QTRY_COMPARE_WITH_TIMEOUT(client->state(), NodeState::Online, 15000);
        QCOMPARE(prompter.hostKeyQuestions, 1);
        QCOMPARE(prompter.lastQuestion.sha256Fingerprint, sshd.hostFingerprint());
        QCOMPARE(prompter.lastQuestion.keyType, QStringLiteral("ssh-ed25519"));
        QCOMPARE(prompter.lastQuestion.port, sshd.port());
        QFile f(kh);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QVERIFY(QString::fromUtf8(f.readAll()).contains(QStringLiteral("[127.0.0.1]:%1 ").arg(sshd.port())));

        // Recorded: the next connection asks nobody.
        RefusingPrompter refuse;
        auto second = makeClient(configFor(sshd, kh, m_agent->socketPath()), &refuse);
        second->start();
        QTRY_COMPARE_WITH_TIMEOUT(second->state(), NodeState::Online, 15000);
    }

    void unknownHostKeyRefused()
    {
        Sshd sshd;
        QString error;
        QVERIFY2(sshd.start({}, &error), qPrintable(error));
        const QString kh = knownHostsWith(QStringLiteral("kh-refuse"), QString());
        ScriptedPrompter prompter;
        prompter.decision = HostKeyDecision::Reject;
        auto client = makeClient(configFor(sshd, kh, m_agent->socketPath()), &prompter);
        client->start();
        QTRY_COMPARE_WITH_TIMEOUT(client->state(), NodeState::Refused, 15000);
        QCOMPARE(client->lastErrorKind(), TransportError::Kind::HostKeyUnknown);
        QVERIFY2(client->lastError().contains(sshd.hostFingerprint()), qPrintable(client->lastError()));
        QFile f(kh);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QVERIFY(f.readAll().isEmpty());
        // Refused is not retried behind the user's back: no reconnect is scheduled.
        QVERIFY(!client->reconnectScheduled());
        QCOMPARE(prompter.hostKeyQuestions, 1);
        QCOMPARE(client->state(), NodeState::Refused);
        // Until the user acts.
        prompter.decision = HostKeyDecision::AcceptOnce;
        client->retry();
        QTRY_COMPARE_WITH_TIMEOUT(client->state(), NodeState::Online, 15000);
        QCOMPARE(prompter.hostKeyQuestions, 2);
    }

    void changedHostKeyRefused()
    {
        Sshd sshd;
        const QString oldLine = sshd.knownHostsLine();
        const QString oldFp = sshd.hostFingerprint();
        QVERIFY(sshd.regenerateHostKey());
        const QString newFp = sshd.hostFingerprint();
        QVERIFY(oldFp != newFp);
        QString error;
        QVERIFY2(sshd.start({}, &error), qPrintable(error));
        ScriptedPrompter prompter;
        prompter.decision = HostKeyDecision::AcceptAndSave; // must never be asked
        auto client = makeClient(configFor(sshd, knownHostsWith(QStringLiteral("kh-changed"), oldLine),
                                           m_agent->socketPath()),
                                 &prompter);
        client->start();
        QTRY_COMPARE_WITH_TIMEOUT(client->state(), NodeState::Refused, 15000);
        QCOMPARE(client->lastErrorKind(), TransportError::Kind::HostKeyChanged);
        QCOMPARE(prompter.hostKeyQuestions, 0);
        const QString msg = client->lastError();
        QVERIFY2(msg.contains(oldFp), qPrintable(msg));
        QVERIFY2(msg.contains(newFp), qPrintable(msg));
        QVERIFY2(msg.contains(QLatin1String("MISMATCH")), qPrintable(msg));
        QVERIFY(!sshd.log().contains(QLatin1String("Accepted publickey")));
        // The keys come as data too: nobody has to scan the translated message for them.
        const TransportError& refusal = client->lastTransportError();
        QCOMPARE(refusal.presented, (HostKey{QStringLiteral("ssh-ed25519"), newFp}));
        QCOMPARE(refusal.recorded, (QList<HostKey>{{QStringLiteral("ssh-ed25519"), oldFp}}));
        QVERIFY(refusal.knownHostsFile.endsWith(QLatin1String("kh-changed")));
    }

    void wrongUserKeyRefused()
    {
        Sshd sshd;
        QString error;
        QVERIFY2(sshd.start({}, &error), qPrintable(error));
        const QString otherKey = m_work.filePath(QStringLiteral("other_ed25519"));
        QVERIFY(makeKey(otherKey));
        auto cfg = configFor(sshd, knownHostsWith(QStringLiteral("kh-auth"), sshd.knownHostsLine()),
                             m_agent->socketPath());
        cfg.target.keyFile = otherKey;
        RefusingPrompter refuse;
        auto client = makeClient(cfg, &refuse);
        client->start();
        QTRY_COMPARE_WITH_TIMEOUT(client->state(), NodeState::Refused, 15000);
        const auto attempts = sshd.log().count(QLatin1String("Connection from 127.0.0.1"));
        QCOMPARE(client->lastErrorKind(), TransportError::Kind::Auth);
        QVERIFY2(client->lastError().contains(QLatin1String("authentication")), qPrintable(client->lastError()));
        QVERIFY2(client->lastError().contains(otherKey), qPrintable(client->lastError()));
        // No retry: nothing is scheduled that would log in again.
        QVERIFY(!client->reconnectScheduled());
        QCOMPARE(client->state(), NodeState::Refused);
        QCOMPARE(sshd.log().count(QLatin1String("Connection from 127.0.0.1")), attempts);
    }

    void bridgeFallback()
    {
        Sshd sshd;
        QString error;
        SshdOptions o;
        o.allowStreamLocal = false;
        QVERIFY2(sshd.start(o, &error), qPrintable(error));
        RefusingPrompter refuse;
        auto client = makeClient(configFor(sshd, knownHostsWith(QStringLiteral("kh-bridge"), sshd.knownHostsLine()),
                                           m_agent->socketPath()),
                                 &refuse);
        client->start();
        QTRY_COMPARE_WITH_TIMEOUT(client->state(), NodeState::Online, 15000);
        QVERIFY(static_cast<SshTransport*>(client->transport())->usesBridge());
        QVERIFY(client->hello()->permission == proto::PermissionLevel::Admin);
        bool pong = false;
        client->request(QStringLiteral("agent.ping"), rpc::Json::object(), [&pong](const RpcResult& r) {
            pong = r.hasValue();
        });
        QTRY_VERIFY_WITH_TIMEOUT(pong, 5000);
        QVERIFY2(sshd.log().contains(QLatin1String("streamlocal")), qPrintable(sshd.log()));
    }

    void agentNotInstalled()
    {
        // SSH works, but the node has neither the agent's socket nor its program: its own
        // state, with what to do, not an error (issue 17).
        Sshd sshd;
        QString error;
        QVERIFY2(sshd.start({}, &error), qPrintable(error));
        RefusingPrompter refuse;
        auto cfg = configFor(sshd, knownHostsWith(QStringLiteral("kh-none"), sshd.knownHostsLine()),
                             m_work.filePath(QStringLiteral("no-agent.sock")));
        cfg.bridgeCommand = m_work.filePath(QStringLiteral("no-such-dir/hadeck-agent"));
        auto client = makeClient(cfg, &refuse);
        client->start();
        QTRY_COMPARE_WITH_TIMEOUT(client->state(), NodeState::NotInstalled, 15000);
        QCOMPARE(client->lastErrorKind(), TransportError::Kind::NotInstalled);
        QVERIFY2(client->lastError().contains(QLatin1String("the HaDeck agent is not installed on node1")),
                 qPrintable(client->lastError()));
        QVERIFY(client->reconnectScheduled()); // an agent installed by other means shows up
        QCOMPARE(toId(client->state()), QStringLiteral("agent-not-installed"));
    }

    void agentInstalledButStopped()
    {
        // The program is there, its socket is not: the agent is stopped, which is not "not installed".
        Sshd sshd;
        QString error;
        QVERIFY2(sshd.start({}, &error), qPrintable(error));
        RefusingPrompter refuse;
        auto client = makeClient(configFor(sshd, knownHostsWith(QStringLiteral("kh-stopped"), sshd.knownHostsLine()),
                                           m_work.filePath(QStringLiteral("stopped.sock"))),
                                 &refuse);
        client->start();
        QTRY_VERIFY_WITH_TIMEOUT(client->state() != NodeState::Connecting, 15000);
        QCOMPARE(client->state(), NodeState::Unreachable);
        QVERIFY2(client->lastError().contains(QLatin1String("is hadeck-agent running?")),
                 qPrintable(client->lastError()));
    }

    void remoteHostRunsAndUploads()
    {
        Sshd sshd;
        QString error;
        QVERIFY2(sshd.start({}, &error), qPrintable(error));
        SshRemoteConfig rc;
        rc.endpoint = SshEndpoint{QStringLiteral("node1"), QStringLiteral("127.0.0.1"), sshd.port(),
                                  QStringLiteral("root"), sshd.userKey()};
        rc.useSshAgent = false;
        // An unknown host key: deployment never accepts one by itself.
        rc.knownHostsFile = knownHostsWith(QStringLiteral("kh-remote-empty"), QString());
        auto unknown = makeSshRemoteHost(rc);
        const auto refused = unknown->open();
        QVERIFY(!refused.hasValue());
        QVERIFY2(QString::fromStdString(refused.error().message).contains(QLatin1String("is not in")),
                 refused.error().message.c_str());

        rc.knownHostsFile = knownHostsWith(QStringLiteral("kh-remote"), sshd.knownHostsLine());
        auto remote = makeSshRemoteHost(rc);
        const auto opened = remote->open();
        QVERIFY2(opened.hasValue(), opened ? "" : opened.error().message.c_str());
        // stdin in, stdout and stderr apart, the exit status.
        auto r = remote->run("cat; echo oops >&2; exit 3", "hello\n", 10000);
        QVERIFY2(r.ran(), qPrintable(r.failure));
        QCOMPARE(r.exitStatus, 3);
        QCOMPARE(r.out, QByteArray("hello\n"));
        QCOMPARE(r.err, QByteArray("oops\n"));
        // A command that does not finish in time.
        r = remote->run("sleep 5", {}, 1000);
        QVERIFY(!r.ran());
        QVERIFY2(r.failure.contains(QLatin1String("did not finish")), qPrintable(r.failure));
        // SFTP: a file of several chunks arrives whole, with progress.
        const QString src = m_work.filePath(QStringLiteral("upload-src.bin"));
        QByteArray data;
        for (int i = 0; i < 300 * 1024; ++i)
            data.append(static_cast<char>(i * 7 + i / 1024));
        {
            QFile f(src);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(data);
        }
        const QString dst = m_work.filePath(QStringLiteral("upload-dst.bin"));
        qint64 lastSent = 0;
        const auto up = remote->upload(src, dst, [&](qint64 sent, qint64 total) {
            lastSent = sent;
            return total == data.size();
        });
        QVERIFY2(up.hasValue(), up ? "" : up.error().message.c_str());
        QCOMPARE(lastSent, qint64(data.size()));
        QFile got(dst);
        QVERIFY(got.open(QIODevice::ReadOnly));
        QVERIFY(got.readAll() == data);
        QCOMPARE(got.permissions() & (QFile::ReadOther | QFile::ReadGroup), QFile::Permissions{});
        // A path that cannot be created: a clear error.
        const auto bad = remote->upload(src, m_work.filePath(QStringLiteral("no-such-dir/x.deb")), {});
        QVERIFY(!bad.hasValue());
        QVERIFY2(QString::fromStdString(bad.error().message).contains(QLatin1String("cannot create")),
                 bad.error().message.c_str());
    }

    void sshdKilledThenBack()
    {
        Sshd sshd;
        QString error;
        QVERIFY2(sshd.start({}, &error), qPrintable(error));
        RefusingPrompter refuse;
        auto client = makeClient(configFor(sshd, knownHostsWith(QStringLiteral("kh-kill"), sshd.knownHostsLine()),
                                           m_agent->socketPath()),
                                 &refuse);
        client->start();
        QTRY_COMPARE_WITH_TIMEOUT(client->state(), NodeState::Online, 15000);
        QElapsedTimer t;
        t.start();
        sshd.kill();
        QTRY_COMPARE_WITH_TIMEOUT(client->state(), NodeState::Unreachable, 5000);
        qInfo("node unreachable %lld ms after sshd was killed", static_cast<long long>(t.elapsed()));
        QVERIFY(!client->lastError().isEmpty());
        // A few failed reconnects while sshd is down, counted, then it comes back.
        const int failures = client->consecutiveFailures();
        QTRY_VERIFY_WITH_TIMEOUT(client->consecutiveFailures() >= failures + 2, 10000);
        QVERIFY(client->reconnectScheduled());
        QCOMPARE(client->state(), NodeState::Unreachable);
        QVERIFY2(sshd.start({}, &error), qPrintable(error));
        QTRY_COMPARE_WITH_TIMEOUT(client->state(), NodeState::Online, 15000);
    }

    void outsiderHasNoAccess()
    {
        if (::geteuid() != 0)
            QSKIP("needs root to create a test user");
        const QString user = QStringLiteral("hadeck-t-sshnone");
        QString error;
        QVERIFY2(ensureOutsiderUser(user, &error), qPrintable(error));
        // Restart so the socket gets the (maybe just created) group hadeck, as in production.
        QVERIFY2(m_agent->start(&error), qPrintable(error));
        Sshd sshd;
        QVERIFY2(sshd.start({}, &error), qPrintable(error));
        auto cfg = configFor(sshd, knownHostsWith(QStringLiteral("kh-outsider"), sshd.knownHostsLine()),
                             m_agent->socketPath());
        cfg.target.user = user;
        RefusingPrompter refuse;
        auto client = makeClient(cfg, &refuse);
        client->start();
        QTRY_COMPARE_WITH_TIMEOUT(client->state(), NodeState::Refused, 15000);
        QCOMPARE(client->lastErrorKind(), TransportError::Kind::Permission);
        const QString msg = client->lastError();
        QVERIFY2(msg.contains(QLatin1String("permission none")), qPrintable(msg));
        QVERIFY2(msg.contains(QLatin1String("\"hadeck\"")), qPrintable(msg));
        QVERIFY2(msg.contains(user), qPrintable(msg));
        QVERIFY(sshd.log().contains(QLatin1String("Accepted publickey for ") + user));
    }

    void jumpHost()
    {
        Sshd jump;
        Sshd target;
        QString error;
        QVERIFY2(jump.start({}, &error), qPrintable(error));
        SshdOptions noForward;
        noForward.allowTcpForwarding = false;
        QVERIFY2(target.start(noForward, &error), qPrintable(error));
        auto cfg = configFor(target,
                             knownHostsWith(QStringLiteral("kh-jump"), jump.knownHostsLine() + target.knownHostsLine()),
                             m_agent->socketPath());
        cfg.jump = SshEndpoint{QStringLiteral("gw"), QStringLiteral("127.0.0.1"), jump.port(), QStringLiteral("root"),
                               jump.userKey()};
        RefusingPrompter refuse;
        auto client = makeClient(cfg, &refuse);
        client->start();
        QTRY_COMPARE_WITH_TIMEOUT(client->state(), NodeState::Online, 15000);
        QVERIFY(client->transport()->describe().contains(QLatin1String("via gw")));
        QCOMPARE(jump.log().count(QLatin1String("Accepted publickey for root")), 1);
        QCOMPARE(target.log().count(QLatin1String("Accepted publickey for root")), 1);
        // The target session lives inside the jump session: losing the jump host loses the node.
        jump.kill();
        QTRY_COMPARE_WITH_TIMEOUT(client->state(), NodeState::Unreachable, 5000);
        QVERIFY2(jump.start({}, &error), qPrintable(error));
        QTRY_COMPARE_WITH_TIMEOUT(client->state(), NodeState::Online, 15000);
    }

    // An encrypted key: the prompter is asked, a wrong answer is asked again (attempt 2), the right
    // one connects.
    void encryptedKeyAsksForPassphrase()
    {
        Sshd sshd;
        QString error;
        QVERIFY2(sshd.start({}, &error), qPrintable(error));
        auto cfg = configFor(sshd, knownHostsWith(QStringLiteral("kh-pass"), sshd.knownHostsLine()),
                             m_agent->socketPath());
        cfg.target.keyFile = encryptedCopyOfUserKey(sshd, QStringLiteral("enc1"), QStringLiteral("exam-day"));
        QVERIFY(!cfg.target.keyFile.isEmpty());
        SequencePrompter prompter({QStringLiteral("wrong"), QStringLiteral("exam-day")});
        auto client = makeClient(cfg, &prompter);
        client->start();
        QTRY_COMPARE_WITH_TIMEOUT(client->state(), NodeState::Online, 15000);
        QCOMPARE(prompter.questions.size(), 2);
        QCOMPARE(prompter.questions.at(0).attempt, 1);
        QCOMPARE(prompter.questions.at(1).attempt, 2);
        QCOMPARE(prompter.questions.at(0).node, QStringLiteral("node1"));
        QCOMPARE(prompter.questions.at(0).keyFile, cfg.target.keyFile);
        QVERIFY(sshd.log().contains(QLatin1String("Accepted publickey for root")));
    }

    // Three wrong answers end the attempt with a clear refusal, and the node is not retried in a loop
    // (each retry would ask the admin again).
    void encryptedKeyWrongPassphraseRefused()
    {
        Sshd sshd;
        QString error;
        QVERIFY2(sshd.start({}, &error), qPrintable(error));
        auto cfg = configFor(sshd, knownHostsWith(QStringLiteral("kh-pass2"), sshd.knownHostsLine()),
                             m_agent->socketPath());
        cfg.target.keyFile = encryptedCopyOfUserKey(sshd, QStringLiteral("enc2"), QStringLiteral("exam-day"));
        QVERIFY(!cfg.target.keyFile.isEmpty());
        SequencePrompter prompter({QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c"),
                                   QStringLiteral("d")});
        auto client = makeClient(cfg, &prompter);
        client->start();
        QTRY_COMPARE_WITH_TIMEOUT(client->state(), NodeState::Refused, 15000);
        QCOMPARE(prompter.questions.size(), 3);
        QCOMPARE(client->lastErrorKind(), TransportError::Kind::Auth);
        QVERIFY2(client->lastError().contains(QLatin1String("wrong passphrase")), qPrintable(client->lastError()));
        QVERIFY2(client->lastError().contains(cfg.target.keyFile), qPrintable(client->lastError()));
        QVERIFY(!client->reconnectScheduled());
        QCOMPARE(prompter.questions.size(), 3);
        QVERIFY(!sshd.log().contains(QLatin1String("Accepted publickey")));
    }

    // The admin cancels the passphrase prompt (and --batch answers no): refused, saying why.
    void encryptedKeyPromptCancelled()
    {
        Sshd sshd;
        QString error;
        QVERIFY2(sshd.start({}, &error), qPrintable(error));
        auto cfg = configFor(sshd, knownHostsWith(QStringLiteral("kh-pass3"), sshd.knownHostsLine()),
                             m_agent->socketPath());
        cfg.target.keyFile = encryptedCopyOfUserKey(sshd, QStringLiteral("enc3"), QStringLiteral("exam-day"));
        QVERIFY(!cfg.target.keyFile.isEmpty());
        RefusingPrompter refuse;
        auto client = makeClient(cfg, &refuse);
        client->start();
        QTRY_COMPARE_WITH_TIMEOUT(client->state(), NodeState::Refused, 15000);
        QCOMPARE(client->lastErrorKind(), TransportError::Kind::Auth);
        QVERIFY2(client->lastError().contains(QLatin1String("no passphrase given")), qPrintable(client->lastError()));
    }

    // ssh-agent holds the key: no key file configured, no question asked. Without the agent the same
    // configuration is refused and the message says what was tried.
    void sshAgentAuthentication()
    {
        if (QStandardPaths::findExecutable(QStringLiteral("ssh-agent")).isEmpty())
            QSKIP("ssh-agent is not installed");
        Sshd sshd;
        QString error;
        QVERIFY2(sshd.start({}, &error), qPrintable(error));
        const QString sock = m_work.filePath(QStringLiteral("ssh-agent.sock"));
        QFile::remove(sock);
        QProcess sshAgent;
        sshAgent.setProcessChannelMode(QProcess::MergedChannels);
        sshAgent.start(QStringLiteral("ssh-agent"), {QStringLiteral("-D"), QStringLiteral("-a"), sock});
        QVERIFY(sshAgent.waitForStarted(5000));
        QTRY_VERIFY_WITH_TIMEOUT(QFileInfo::exists(sock), 5000);
        const QByteArray savedSock = qgetenv("SSH_AUTH_SOCK");
        qputenv("SSH_AUTH_SOCK", sock.toLocal8Bit());
        const auto restore = qScopeGuard([&] {
            if (savedSock.isEmpty())
                qunsetenv("SSH_AUTH_SOCK");
            else
                qputenv("SSH_AUTH_SOCK", savedSock);
            sshAgent.terminate();
            sshAgent.waitForFinished(3000);
        });

        auto cfg = configFor(sshd, knownHostsWith(QStringLiteral("kh-agent"), sshd.knownHostsLine()),
                             m_agent->socketPath());
        cfg.target.keyFile.clear();
        {
            // The agent is empty: refused, naming ssh-agent and the missing key file.
            SequencePrompter prompter({});
            auto client = makeClient(cfg, &prompter);
            client->start();
            QTRY_COMPARE_WITH_TIMEOUT(client->state(), NodeState::Refused, 15000);
            QCOMPARE(client->lastErrorKind(), TransportError::Kind::Auth);
            QVERIFY2(client->lastError().contains(QLatin1String("ssh-agent")), qPrintable(client->lastError()));
            QVERIFY2(client->lastError().contains(QLatin1String("no key file")), qPrintable(client->lastError()));
        }
        QCOMPARE(
            runProgram(QStringLiteral("ssh-add"), {QStringLiteral("-q"), sshd.userKey()}, {.mergeChannels = true}).code,
            0);
        SequencePrompter prompter({});
        auto client = makeClient(cfg, &prompter);
        client->start();
        QTRY_COMPARE_WITH_TIMEOUT(client->state(), NodeState::Online, 15000);
        QCOMPARE(prompter.questions.size(), 0);
        QVERIFY(sshd.log().contains(QLatin1String("Accepted publickey for root")));
    }

    // ---- Deployment's connection (SshRemoteHost): the agent connection's jump host, prompter and
    // host key rules, with the prompter asked on the caller's thread while a worker connects.

    // (a) Through a jump host that forwards, to a node whose sshd forwards nothing: commands and SFTP
    // through the relay. Neither host key is known yet: both are asked about (the jump host's on the
    // relay's thread, answered here) and saved.
    void deployThroughJumpHost()
    {
        Sshd jump;
        Sshd target;
        QString error;
        QVERIFY2(jump.start({}, &error), qPrintable(error));
        SshdOptions noForward;
        noForward.allowTcpForwarding = false;
        QVERIFY2(target.start(noForward, &error), qPrintable(error));
        const QString kh = m_work.filePath(QStringLiteral("kh-deploy-jump/known_hosts"));
        auto rc = remoteConfigFor(target, kh);
        rc.jump = SshEndpoint{QStringLiteral("gw"), QStringLiteral("127.0.0.1"), jump.port(), QStringLiteral("root"),
                              jump.userKey()};
        DeployPrompter prompter;
        prompter.decision = HostKeyDecision::AcceptAndSave;
        rc.prompter = &prompter;
        rc.prompterContext = this;
        auto remote = makeSshRemoteHost(rc);
        const auto opened = openOnWorker(*remote);
        QVERIFY2(opened.hasValue(), qPrintable(messageOf(opened)));
        QCOMPARE(prompter.hostKeyQuestions.size(), 2);
        QCOMPARE(prompter.hostKeyQuestions.at(0).node, QStringLiteral("gw"));
        QCOMPARE(prompter.hostKeyQuestions.at(0).sha256Fingerprint, jump.hostFingerprint());
        QCOMPARE(prompter.hostKeyQuestions.at(1).node, QStringLiteral("node1"));
        QCOMPARE(prompter.hostKeyQuestions.at(1).sha256Fingerprint, target.hostFingerprint());
        for (QThread* t : prompter.askedOn)
            QCOMPARE(t, QThread::currentThread());
        QCOMPARE(jump.log().count(QLatin1String("Accepted publickey for root")), 1);
        QCOMPARE(target.log().count(QLatin1String("Accepted publickey for root")), 1);

        // Blocking use from this thread while the relay runs on its own.
        auto r = remote->run("cat; echo via-jump >&2", "through the tunnel\n", 10000);
        QVERIFY2(r.succeeded(), qPrintable(r.failure));
        QCOMPARE(r.out, QByteArray("through the tunnel\n"));
        QCOMPARE(r.err, QByteArray("via-jump\n"));
        const QString src = m_work.filePath(QStringLiteral("jump-upload-src.bin"));
        QByteArray data;
        for (int i = 0; i < 700 * 1024; ++i)
            data.append(static_cast<char>(i * 13 + i / 4096));
        {
            QFile f(src);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(data);
        }
        const QString dst = m_work.filePath(QStringLiteral("jump-upload-dst.bin"));
        const auto up = remote->upload(src, dst, {});
        QVERIFY2(up.hasValue(), qPrintable(messageOf(up)));
        QFile got(dst);
        QVERIFY(got.open(QIODevice::ReadOnly));
        QVERIFY(got.readAll() == data);
        remote.reset();

        // Both keys were saved: the next deployment asks nobody, even in batch mode.
        QFile f(kh);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QString saved = QString::fromUtf8(f.readAll());
        QVERIFY2(saved.contains(QStringLiteral("[127.0.0.1]:%1 ").arg(jump.port())), qPrintable(saved));
        QVERIFY2(saved.contains(QStringLiteral("[127.0.0.1]:%1 ").arg(target.port())), qPrintable(saved));
        rc.prompter = nullptr;
        auto again = makeSshRemoteHost(rc);
        const auto reopened = openOnWorker(*again);
        QVERIFY2(reopened.hasValue(), qPrintable(messageOf(reopened)));
        QVERIFY(again->run("true", {}, 10000).succeeded());
    }

    // The jump host is down: a clear error naming it, promptly.
    void deployJumpHostDown()
    {
        Sshd target;
        QString error;
        QVERIFY2(target.start({}, &error), qPrintable(error));
        auto rc =
            remoteConfigFor(target, knownHostsWith(QStringLiteral("kh-deploy-jumpdown"), target.knownHostsLine()));
        rc.jump = SshEndpoint{QStringLiteral("gw"), QStringLiteral("127.0.0.1"), freePort(), QStringLiteral("root"),
                              target.userKey()};
        auto remote = makeSshRemoteHost(rc);
        const auto opened = openOnWorker(*remote);
        QVERIFY(!opened.hasValue());
        QVERIFY2(messageOf(opened).contains(QStringLiteral("127.0.0.1:%1").arg(rc.jump->port)),
                 qPrintable(messageOf(opened)));
        QVERIFY(!target.log().contains(QLatin1String("Accepted publickey")));
    }

    // (b) An encrypted key: a wrong passphrase is asked again (attempt 2), the right one connects;
    // the questions are asked on the prompter's thread.
    void deployEncryptedKey()
    {
        Sshd sshd;
        QString error;
        QVERIFY2(sshd.start({}, &error), qPrintable(error));
        auto rc = remoteConfigFor(sshd, knownHostsWith(QStringLiteral("kh-deploy-pass"), sshd.knownHostsLine()));
        rc.endpoint.keyFile = encryptedCopyOfUserKey(sshd, QStringLiteral("deploy-enc1"), QStringLiteral("exam-day"));
        QVERIFY(!rc.endpoint.keyFile.isEmpty());

        // Right at once.
        DeployPrompter right;
        right.passphrases = {QStringLiteral("exam-day")};
        rc.prompter = &right;
        rc.prompterContext = this;
        auto first = makeSshRemoteHost(rc);
        auto opened = openOnWorker(*first);
        QVERIFY2(opened.hasValue(), qPrintable(messageOf(opened)));
        QCOMPARE(right.passphraseQuestions.size(), 1);
        QCOMPARE(right.askedOn.value(0), QThread::currentThread());
        QVERIFY(first->run("true", {}, 10000).succeeded());
        first.reset();

        // Wrong, then right.
        DeployPrompter retry;
        retry.passphrases = {QStringLiteral("wrong"), QStringLiteral("exam-day")};
        rc.prompter = &retry;
        auto second = makeSshRemoteHost(rc);
        opened = openOnWorker(*second);
        QVERIFY2(opened.hasValue(), qPrintable(messageOf(opened)));
        QCOMPARE(retry.passphraseQuestions.size(), 2);
        QCOMPARE(retry.passphraseQuestions.at(0).attempt, 1);
        QCOMPARE(retry.passphraseQuestions.at(1).attempt, 2);
        QCOMPARE(retry.passphraseQuestions.at(0).keyFile, rc.endpoint.keyFile);
        QCOMPARE(retry.passphraseQuestions.at(0).node, QStringLiteral("node1"));
        QCOMPARE(sshd.log().count(QLatin1String("Accepted publickey for root")), 2);
    }

    // (b) The admin cancels the passphrase prompt, or nobody can be asked (--batch): refused, saying why.
    void deployEncryptedKeyRefused()
    {
        Sshd sshd;
        QString error;
        QVERIFY2(sshd.start({}, &error), qPrintable(error));
        auto rc = remoteConfigFor(sshd, knownHostsWith(QStringLiteral("kh-deploy-pass2"), sshd.knownHostsLine()));
        rc.endpoint.keyFile = encryptedCopyOfUserKey(sshd, QStringLiteral("deploy-enc2"), QStringLiteral("exam-day"));
        QVERIFY(!rc.endpoint.keyFile.isEmpty());
        DeployPrompter cancels; // answers no passphrase
        rc.prompter = &cancels;
        rc.prompterContext = this;
        auto remote = makeSshRemoteHost(rc);
        auto opened = openOnWorker(*remote);
        QVERIFY(!opened.hasValue());
        QCOMPARE(cancels.passphraseQuestions.size(), 1);
        QVERIFY2(messageOf(opened).contains(QLatin1String("no passphrase given")), qPrintable(messageOf(opened)));
        QVERIFY2(messageOf(opened).contains(rc.endpoint.keyFile), qPrintable(messageOf(opened)));

        rc.prompter = nullptr;
        remote = makeSshRemoteHost(rc);
        opened = openOnWorker(*remote);
        QVERIFY(!opened.hasValue());
        QVERIFY2(messageOf(opened).contains(QLatin1String("no passphrase can be asked for")),
                 qPrintable(messageOf(opened)));
        QVERIFY(!sshd.log().contains(QLatin1String("Accepted publickey")));
    }

    // (c) An unknown host key: accepted and saved to the known_hosts file given; rejected (nothing
    // saved, the fingerprint in the error); with nobody to ask, refused.
    void deployUnknownHostKey()
    {
        Sshd sshd;
        QString error;
        QVERIFY2(sshd.start({}, &error), qPrintable(error));

        const QString rejectedKh = knownHostsWith(QStringLiteral("kh-deploy-reject"), QString());
        auto rc = remoteConfigFor(sshd, rejectedKh);
        DeployPrompter rejects;
        rejects.decision = HostKeyDecision::Reject;
        rc.prompter = &rejects;
        rc.prompterContext = this;
        auto remote = makeSshRemoteHost(rc);
        auto opened = openOnWorker(*remote);
        QVERIFY(!opened.hasValue());
        QCOMPARE(rejects.hostKeyQuestions.size(), 1);
        QVERIFY2(messageOf(opened).contains(sshd.hostFingerprint()), qPrintable(messageOf(opened)));
        QVERIFY2(messageOf(opened).contains(QLatin1String("not accepted")), qPrintable(messageOf(opened)));
        QFile rejected(rejectedKh);
        QVERIFY(rejected.open(QIODevice::ReadOnly));
        QVERIFY(rejected.readAll().isEmpty());

        rc.prompter = nullptr; // --batch
        remote = makeSshRemoteHost(rc);
        opened = openOnWorker(*remote);
        QVERIFY(!opened.hasValue());
        QVERIFY2(messageOf(opened).contains(QLatin1String("nobody can be asked")), qPrintable(messageOf(opened)));
        QVERIFY(!sshd.log().contains(QLatin1String("Accepted publickey")));

        const QString kh = m_work.filePath(QStringLiteral("kh-deploy-accept/known_hosts"));
        rc.knownHostsFile = kh;
        DeployPrompter accepts;
        accepts.decision = HostKeyDecision::AcceptAndSave;
        rc.prompter = &accepts;
        remote = makeSshRemoteHost(rc);
        opened = openOnWorker(*remote);
        QVERIFY2(opened.hasValue(), qPrintable(messageOf(opened)));
        QCOMPARE(accepts.hostKeyQuestions.size(), 1);
        const auto q = accepts.hostKeyQuestions.first();
        QCOMPARE(q.sha256Fingerprint, sshd.hostFingerprint());
        QCOMPARE(q.keyType, QStringLiteral("ssh-ed25519"));
        QCOMPARE(q.port, sshd.port());
        QCOMPARE(q.knownHostsFile, kh);
        QCOMPARE(accepts.askedOn.value(0), QThread::currentThread());
        QFile saved(kh);
        QVERIFY(saved.open(QIODevice::ReadOnly));
        QVERIFY(QString::fromUtf8(saved.readAll()).contains(QStringLiteral("[127.0.0.1]:%1 ").arg(sshd.port())));
        remote.reset();
        rc.prompter = nullptr;
        remote = makeSshRemoteHost(rc);
        opened = openOnWorker(*remote);
        QVERIFY2(opened.hasValue(), qPrintable(messageOf(opened)));
    }

    // (c) A changed host key is refused without a question, whatever the prompter would answer.
    void deployChangedHostKeyRefused()
    {
        Sshd sshd;
        const QString oldLine = sshd.knownHostsLine();
        const QString oldFp = sshd.hostFingerprint();
        QVERIFY(sshd.regenerateHostKey());
        QString error;
        QVERIFY2(sshd.start({}, &error), qPrintable(error));
        const QString kh = knownHostsWith(QStringLiteral("kh-deploy-changed"), oldLine);
        auto rc = remoteConfigFor(sshd, kh);
        DeployPrompter accepts;
        accepts.decision = HostKeyDecision::AcceptAndSave; // must never be asked
        rc.prompter = &accepts;
        rc.prompterContext = this;
        auto remote = makeSshRemoteHost(rc);
        const auto opened = openOnWorker(*remote);
        QVERIFY(!opened.hasValue());
        QCOMPARE(accepts.hostKeyQuestions.size(), 0);
        QVERIFY2(messageOf(opened).contains(QLatin1String("MISMATCH")), qPrintable(messageOf(opened)));
        QVERIFY2(messageOf(opened).contains(oldFp), qPrintable(messageOf(opened)));
        QVERIFY2(messageOf(opened).contains(sshd.hostFingerprint()), qPrintable(messageOf(opened)));
        QFile f(kh);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(QString::fromUtf8(f.readAll()), oldLine);
        QVERIFY(!sshd.log().contains(QLatin1String("Accepted publickey")));
    }

    // An admin who takes longer than the connect timeout to answer is not timed out, and a
    // cancelled deployment stops waiting for an answer.
    void deployPromptOutlastsTimeoutAndCancel()
    {
        Sshd sshd;
        QString error;
        QVERIFY2(sshd.start({}, &error), qPrintable(error));
        auto rc = remoteConfigFor(sshd, knownHostsWith(QStringLiteral("kh-deploy-slow"), QString()));
        rc.connectTimeoutMs = 1000;
        DeployPrompter slow;
        slow.hold = true;
        rc.prompter = &slow;
        rc.prompterContext = this;
        auto remote = makeSshRemoteHost(rc);
        std::optional<Status> result;
        std::unique_ptr<QThread> worker(QThread::create([&] { result = remote->open(); }));
        worker->start();
        QTRY_VERIFY_WITH_TIMEOUT(slow.holding(), 10000);
        QTest::qWait(2500); // more than twice the connect timeout, spent by the admin
        QVERIFY(!worker->isFinished());
        slow.answerHeld(HostKeyDecision::AcceptOnce);
        QTRY_VERIFY_WITH_TIMEOUT(worker->isFinished(), 10000);
        worker->wait();
        QVERIFY2(result && result->hasValue(), result ? qPrintable(messageOf(*result)) : "no result");
        remote.reset();

        rc.cancelled = std::make_shared<std::atomic<bool>>(false);
        DeployPrompter never;
        never.hold = true;
        rc.prompter = &never;
        remote = makeSshRemoteHost(rc);
        result.reset();
        worker.reset(QThread::create([&] { result = remote->open(); }));
        worker->start();
        QTRY_VERIFY_WITH_TIMEOUT(never.holding(), 10000);
        rc.cancelled->store(true);
        QTRY_VERIFY_WITH_TIMEOUT(worker->isFinished(), 5000);
        worker->wait();
        QVERIFY(result && !result->hasValue());
        QVERIFY2(messageOf(*result).contains(QLatin1String("cancelled")), qPrintable(messageOf(*result)));
        never.answerHeld(HostKeyDecision::AcceptOnce); // too late: dropped, nothing happens
        QTest::qWait(100);
    }

    void cleanupTestCase() { m_agent.reset(); }
};

QTEST_GUILESS_MAIN(TestSshTransport)
#include "tst_sshtransport.moc"
