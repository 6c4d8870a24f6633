// DeployJob's steps and errors against a scripted node (what a real node does not
// do on demand: refuse a sudo password, corrupt an upload, fail apt, ship another
// architecture), and its wait for hello against a scripted agent socket.

#include <hadeck/console/actions/deploy_job.h>
#include <hadeck/console/connectionpool.h>

#include <QCryptographicHash>
#include <QFile>
#include <QLocalServer>
#include <QLocalSocket>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <chrono>
#include <condition_variable>
#include <mutex>

using namespace hadeck;
using namespace hadeck::console;
using Step = DeployJob::Step;

namespace {

struct Rendezvous {
    std::mutex m;
    std::condition_variable cv;
    int arrived = 0;
    int expected = 2;
    bool met(std::chrono::milliseconds timeout)
    {
        std::unique_lock lock(m);
        ++arrived;
        cv.notify_all();
        return cv.wait_for(lock, timeout, [this] { return arrived >= expected; });
    }
};

/// A node's shell and SFTP, scripted. Called from the job's worker threads.
struct NodeScript {
    bool root = true;
    bool sudoNoPassword = false;
    QByteArray sudoPassword = "secret";
    QString installed; ///< version installed before
    QString debPackage = QStringLiteral("hadeck-agent");
    QString debVersion = QStringLiteral("0.2.0");
    QString debArch = QStringLiteral("amd64");
    bool corruptUpload = false;
    int aptExit = 0;
    QByteArray aptErr;
    int startExit = 0;
    /// Both nodes' uploads must overlap (proves the parallel run).
    std::shared_ptr<Rendezvous> rendezvous;
};

struct CommandLog {
    std::mutex m;
    QList<QPair<QByteArray, QByteArray>> commands; ///< command, stdin
    void add(const QByteArray& c, const QByteArray& in)
    {
        std::lock_guard lock(m);
        commands.push_back({c, in});
    }
    QList<QPair<QByteArray, QByteArray>> all()
    {
        std::lock_guard lock(m);
        return commands;
    }
    QList<QPair<QByteArray, QByteArray>> matching(const QByteArray& needle)
    {
        QList<QPair<QByteArray, QByteArray>> out;
        for (const auto& c : all())
            if (c.first.contains(needle))
                out.push_back(c);
        return out;
    }
};

class FakeRemote final : public RemoteHost {
public:
    FakeRemote(NodeScript script, std::shared_ptr<CommandLog> log) : m_s(std::move(script)), m_log(std::move(log)) {}

    Status open() override { return {}; }
    QString user() const override { return m_s.root ? QStringLiteral("root") : QStringLiteral("ops"); }

    RemoteCommandResult run(const QByteArray& command, const QByteArray& input, int) override
    {
        m_log->add(command, input);
        RemoteCommandResult r;
        r.exitStatus = 0;
        if (command.startsWith("printf 'uid=")) {
            r.out = "uid=" + QByteArray(m_s.root ? "0" : "1000") + "\narch=amd64\ninstalled=" +
                    (m_installedNow.isEmpty() ? QByteArray() : "install ok installed " + m_installedNow.toUtf8()) +
                    "\napt=1\nsudo=1\ntmp=/tmp/hadeck-deploy.AbCdEf12\n";
            return r;
        }
        if (command == "sudo -n true") {
            r.exitStatus = m_s.sudoNoPassword ? 0 : 1;
            return r;
        }
        // Privileged commands: as root, or through sudo with the right password.
        if (command.startsWith("sudo -S")) {
            if (input != m_s.sudoPassword + '\n') {
                r.exitStatus = 1;
                r.err = "Sorry, try again.\nsudo: 1 incorrect password attempt\n";
                return r;
            }
        }
        if (command.endsWith(" true"))
            return r;
        if (command.startsWith("sha256sum ")) {
            QByteArray data = m_uploaded;
            if (m_s.corruptUpload && !data.isEmpty())
                data[0] = static_cast<char>(data[0] ^ 0x55);
            r.out = QCryptographicHash::hash(data, QCryptographicHash::Sha256).toHex() + "  /tmp/x\n";
            return r;
        }
        if (command.startsWith("dpkg-deb -f ")) {
            r.out = QStringLiteral("Package: %1\nVersion: %2\nArchitecture: %3\n")
                        .arg(m_s.debPackage, m_s.debVersion, m_s.debArch)
                        .toUtf8();
            return r;
        }
        if (command.contains("apt-get install")) {
            r.exitStatus = m_s.aptExit;
            r.err = m_s.aptErr;
            if (r.exitStatus == 0)
                m_installedNow = m_s.debVersion;
            return r;
        }
        if (command.startsWith("dpkg-query ")) {
            r.out = m_installedNow.isEmpty() ? QByteArray() : "install ok installed " + m_installedNow.toUtf8();
            return r;
        }
        if (command.contains("UPGRADED=")) {
            r.exitStatus = m_s.startExit;
            if (r.exitStatus == 101)
                r.err = "policy-rc.d forbids starting services on this node\n";
            return r;
        }
        return r; // usermod script, rm -rf
    }

    Status upload(const QString& localPath, const QString&,
                  const std::function<bool(qint64, qint64)>& progress) override
    {
        if (m_s.rendezvous && !m_s.rendezvous->met(std::chrono::seconds(10)))
            return fail("the other node's upload never ran at the same time");
        QFile f(localPath);
        if (!f.open(QIODevice::ReadOnly))
            return fail("cannot read");
        m_uploaded = f.readAll();
        progress(m_uploaded.size(), m_uploaded.size());
        return {};
    }

    void setInstalled(const QString& v) { m_installedNow = v; }

private:
    NodeScript m_s;
    std::shared_ptr<CommandLog> m_log;
    QByteArray m_uploaded;
    QString m_installedNow;
};

/// An agent socket that answers hello (with a chosen protocol version), pings and subscribes.
class HelloAgent : public QObject {
public:
    int protocolVersion = proto::kProtocolVersion;

    explicit HelloAgent(const QString& path)
    {
        QLocalServer::removeServer(path);
        m_server.listen(path);
        connect(&m_server, &QLocalServer::newConnection, this, [this] {
            auto* c = m_server.nextPendingConnection();
            connect(c, &QLocalSocket::readyRead, this, [this, c] {
                while (c->canReadLine()) {
                    const auto req = rpc::Json::parse(c->readLine().toStdString(), nullptr, false);
                    const auto id = req.value("id", rpc::Json());
                    rpc::Json result = rpc::Json::object();
                    if (req.value("method", "") == "agent.hello") {
                        proto::HelloResult h;
                        h.protocolVersion = protocolVersion;
                        h.agentVersion = "0.2.0";
                        h.node = "n";
                        h.user = "ops";
                        h.permission = proto::PermissionLevel::Read;
                        proto::to_json(result, h);
                    }
                    c->write(QByteArray::fromStdString(
                                 rpc::Json{{"jsonrpc", "2.0"}, {"id", id}, {"result", result}}.dump()) +
                             '\n');
                }
            });
        });
    }

private:
    QLocalServer m_server;
};

} // namespace

class TestDeployJob : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_deb;

    ClusterInventory inventory(const QStringList& nodes)
    {
        ClusterInventory inv;
        inv.name = QStringLiteral("test");
        for (const auto& n : nodes) {
            NodeSpec s;
            s.name = n;
            s.transport = NodeSpec::TransportKind::Local;
            s.socket = m_dir.filePath(n + QStringLiteral(".sock"));
            inv.nodes.push_back(s);
        }
        return inv;
    }

    static ConnectionPoolOptions fast()
    {
        ConnectionPoolOptions o;
        o.client.autoReconnect = false;
        o.client.backoffInitialMs = 100;
        return o;
    }

    struct Run {
        std::unique_ptr<ConnectionPool> pool;
        std::unique_ptr<DeployJob> job;
        std::shared_ptr<CommandLog> log = std::make_shared<CommandLog>();
    };

    Run makeRun(const QStringList& nodes, const QHash<QString, NodeScript>& scripts, DeployRequest req = {})
    {
        Run r;
        r.pool = std::make_unique<ConnectionPool>(inventory(nodes), nullptr, fast());
        req.nodes = nodes;
        if (req.packagePath.isEmpty())
            req.packagePath = m_deb;
        req.helloTimeoutMs = 5000;
        r.job = std::make_unique<DeployJob>(r.pool.get(), req);
        auto log = r.log;
        r.job->setRemoteFactory([scripts, log](const NodeSpec& spec) -> std::unique_ptr<RemoteHost> {
            auto f = std::make_unique<FakeRemote>(scripts.value(spec.name), log);
            f->setInstalled(scripts.value(spec.name).installed);
            return f;
        });
        return r;
    }

    static bool finish(DeployJob& job)
    {
        QSignalSpy done(&job, &DeployJob::finished);
        if (!done.wait(15000))
            return false;
        return done.first().first().toBool();
    }

private slots:
    void initTestCase()
    {
        m_deb = m_dir.filePath(QStringLiteral("hadeck-agent_0.2.0_amd64.deb"));
        QFile f(m_deb);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QByteArray(200 * 1024, 'x'));
    }

    void probeParsing()
    {
        auto p = parseDeployProbe("uid=1000\narch=amd64\ninstalled=install ok installed 0.1.0\napt=1\nsudo=1\n"
                                  "systemd=1\ntmp=/tmp/hadeck-deploy.XyZ\n");
        QVERIFY(p.hasValue());
        QVERIFY(!p->root);
        QCOMPARE(p->installedVersion, QStringLiteral("0.1.0"));
        QVERIFY(p->hasApt && p->hasSudo && p->systemd);
        // Removed but configuration left: not installed.
        p = parseDeployProbe(
            "uid=0\narch=arm64\ninstalled=deinstall ok config-files 0.1.0\ntmp=/tmp/hadeck-deploy.a\n");
        QVERIFY(p.hasValue());
        QVERIFY(p->root);
        QVERIFY(p->installedVersion.isEmpty());
        QVERIFY(!p->hasApt);
        // No dpkg, no shell output, no temporary directory: clear errors.
        QVERIFY(QString::fromStdString(parseDeployProbe("uid=0\narch=\ntmp=/tmp/hadeck-deploy.a\n").error().message)
                    .contains(QLatin1String("dpkg")));
        QVERIFY(!parseDeployProbe("").hasValue());
        QVERIFY(!parseDeployProbe("uid=0\narch=amd64\ntmp=\n").hasValue());
        QVERIFY(!parseDeployProbe("uid=root\narch=amd64\ntmp=/tmp/hadeck-deploy.a\n").hasValue());
        auto d = parseDebFields("Package: hadeck-agent\nVersion: 0.2.0\nArchitecture: amd64\n");
        QVERIFY(d.hasValue());
        QCOMPARE(d->version, QStringLiteral("0.2.0"));
        QVERIFY(!parseDebFields("dpkg-deb: error: not a Debian format archive\n").hasValue());
    }

    void refusesBadRequests()
    {
        auto r = makeRun({QStringLiteral("n1")}, {});
        DeployRequest bad;
        bad.nodes = {QStringLiteral("nope")};
        bad.packagePath = m_deb;
        DeployJob unknownNode(r.pool.get(), bad);
        unknownNode.setRemoteFactory([](const NodeSpec&) { return std::unique_ptr<RemoteHost>(); });
        QVERIFY(!unknownNode.start().hasValue());
        bad.nodes = {QStringLiteral("n1")};
        bad.group = QStringLiteral("wheel");
        DeployJob badGroup(r.pool.get(), bad);
        QVERIFY(QString::fromStdString(badGroup.start().error().message).contains(QLatin1String("hadeck-operator")));
        bad.group = QStringLiteral("hadeck");
        bad.packagePath = m_dir.filePath(QStringLiteral("missing.deb"));
        DeployJob noPackage(r.pool.get(), bad);
        QVERIFY(!noPackage.start().hasValue());
        // The default (SSH) factory refuses a node without SSH.
        bad.packagePath = m_deb;
        DeployJob local(r.pool.get(), bad);
        QVERIFY(QString::fromStdString(local.start().error().message).contains(QLatin1String("local socket")));
    }

    void rootInstallStepsAndHello()
    {
        HelloAgent agent(m_dir.filePath(QStringLiteral("n1.sock")));
        auto r = makeRun({QStringLiteral("n1")}, {{QStringLiteral("n1"), NodeScript{}}});
        QList<Step> steps;
        connect(r.job.get(), &DeployJob::nodeChanged, this, [&](const QString& n) {
            const Step s = r.job->progress(n).step;
            if (steps.isEmpty() || steps.last() != s)
                steps << s;
        });
        QVERIFY(r.job->start().hasValue());
        QVERIFY2(finish(*r.job), qPrintable(r.job->summary()));
        QCOMPARE(steps, (QList<Step>{Step::Connecting, Step::Checking, Step::Uploading, Step::Installing,
                                     Step::JoiningGroup, Step::Starting, Step::WaitingForHello, Step::Done}));
        QCOMPARE(r.pool->state(QStringLiteral("n1")), NodeState::Online);
        const auto p = r.job->progress(QStringLiteral("n1"));
        QVERIFY(p.versionBefore.isEmpty());
        QCOMPARE(p.versionAfter, QStringLiteral("0.2.0"));
        // Root: no sudo anywhere, no usermod, apt with the admin's configuration kept.
        for (const auto& c : r.log->all())
            QVERIFY2(!c.first.startsWith("sudo"), c.first.constData());
        QVERIFY(r.log->matching("usermod").isEmpty());
        const auto apt = r.log->matching("apt-get install");
        QCOMPARE(apt.size(), 1);
        QVERIFY(apt.first().first.startsWith("sh -c "));
        QVERIFY(apt.first().first.contains("--force-confold"));
        QVERIFY(apt.first().first.contains("/tmp/hadeck-deploy.AbCdEf12/hadeck-agent.deb"));
        // Fresh install: started, not restarted; the temporary directory removed at the end.
        QCOMPARE(r.log->matching("UPGRADED=0").size(), 1);
        QVERIFY(r.log->all().last().first.startsWith("rm -rf '/tmp/hadeck-deploy.AbCdEf12'"));
    }

    void sudoPasswordAskedUsedAndGroupJoined()
    {
        HelloAgent agent(m_dir.filePath(QStringLiteral("n1.sock")));
        NodeScript s;
        s.root = false;
        s.installed = QStringLiteral("0.1.0"); // an upgrade
        DeployRequest req;
        req.group = QStringLiteral("hadeck-operator");
        auto r = makeRun({QStringLiteral("n1")}, {{QStringLiteral("n1"), s}}, req);
        QStringList asked;
        r.job->setPasswordAsker([&](const QString& node, const QString& user, auto reply) {
            asked << node + QLatin1Char('/') + user;
            reply(QByteArray("secret"));
        });
        QVERIFY(r.job->start().hasValue());
        QVERIFY2(finish(*r.job), qPrintable(r.job->summary()));
        QCOMPARE(asked, QStringList{QStringLiteral("n1/ops")});
        // Every privileged command went through sudo -S with the password on stdin, never on the command line.
        const auto apt = r.log->matching("apt-get install");
        QCOMPARE(apt.size(), 1);
        QVERIFY(apt.first().first.startsWith("sudo -S -p '' sh -c "));
        QCOMPARE(apt.first().second, QByteArray("secret\n"));
        for (const auto& c : r.log->all())
            QVERIFY(!c.first.contains("secret"));
        // hadeck for the socket, and the chosen group.
        const auto group = r.log->matching("usermod");
        QCOMPARE(group.size(), 1);
        QVERIFY(group.first().first.contains("usermod -a -G '\\''hadeck'\\'' '\\''ops'\\''"));
        QVERIFY(group.first().first.contains("usermod -a -G '\\''hadeck-operator'\\'' '\\''ops'\\''"));
        QCOMPARE(r.log->matching("UPGRADED=1").size(), 1);
        const auto p = r.job->progress(QStringLiteral("n1"));
        QCOMPARE(p.versionBefore, QStringLiteral("0.1.0"));
        QVERIFY2(p.detail.contains(QLatin1String("upgraded from 0.1.0 to 0.2.0")), qPrintable(p.detail));
    }

    void sudoWithoutPasswordAsksNothing()
    {
        HelloAgent agent(m_dir.filePath(QStringLiteral("n1.sock")));
        NodeScript s;
        s.root = false;
        s.sudoNoPassword = true;
        auto r = makeRun({QStringLiteral("n1")}, {{QStringLiteral("n1"), s}});
        bool asked = false;
        r.job->setPasswordAsker([&](const QString&, const QString&, auto reply) {
            asked = true;
            reply(std::nullopt);
        });
        QVERIFY(r.job->start().hasValue());
        QVERIFY2(finish(*r.job), qPrintable(r.job->summary()));
        QVERIFY(!asked);
        QVERIFY(r.log->matching("apt-get install").first().first.startsWith("sudo -n sh -c "));
    }

    void errorsAreClear_data()
    {
        QTest::addColumn<int>("kind");
        QTest::addColumn<QString>("expected");
        QTest::addColumn<int>("failedAt");
        QTest::newRow("wrong sudo password")
            << 0 << QStringLiteral("sudo refused the password of ops on n1") << int(Step::Checking);
        QTest::newRow("password not given")
            << 1 << QStringLiteral("no sudo password given for ops on n1") << int(Step::Checking);
        QTest::newRow("upload corrupted")
            << 2 << QStringLiteral("the uploaded package differs") << int(Step::Uploading);
        QTest::newRow("not the agent") << 3 << QStringLiteral("the package is hadeck, not hadeck-agent")
                                       << int(Step::Uploading);
        QTest::newRow("other architecture")
            << 4 << QStringLiteral("built for arm64, the node is amd64") << int(Step::Uploading);
        QTest::newRow("apt fails") << 5
                                   << QStringLiteral("installing failed: exit status 100: Reading package lists... | "
                                                     "E: Unable to locate package libsystemd0")
                                   << int(Step::Installing);
        QTest::newRow("policy-rc.d says no")
            << 6 << QStringLiteral("installed, but not started: policy-rc.d forbids") << int(Step::Starting);
    }

    void errorsAreClear()
    {
        QFETCH(int, kind);
        QFETCH(QString, expected);
        QFETCH(int, failedAt);
        NodeScript s;
        switch (kind) {
        case 0:
            s.root = false;
            s.sudoPassword = "other";
            break;
        case 1: s.root = false; break;
        case 2: s.corruptUpload = true; break;
        case 3: s.debPackage = QStringLiteral("hadeck"); break;
        case 4: s.debArch = QStringLiteral("arm64"); break;
        case 5:
            s.aptExit = 100;
            s.aptErr = "Reading package lists...\nE: Unable to locate package libsystemd0\n";
            break;
        case 6: s.startExit = 101; break;
        }
        auto r = makeRun({QStringLiteral("n1")}, {{QStringLiteral("n1"), s}});
        r.job->setPasswordAsker([kind](const QString&, const QString&, auto reply) {
            reply(kind == 1 ? std::nullopt : std::optional<QByteArray>(QByteArray("secret")));
        });
        Step lastBeforeFailure = Step::Queued;
        connect(r.job.get(), &DeployJob::nodeChanged, this, [&](const QString& n) {
            const Step st = r.job->progress(n).step;
            if (st != Step::Failed)
                lastBeforeFailure = st;
        });
        QVERIFY(r.job->start().hasValue());
        QVERIFY(!finish(*r.job));
        const auto p = r.job->progress(QStringLiteral("n1"));
        QCOMPARE(p.step, Step::Failed);
        QVERIFY2(p.error.contains(expected), qPrintable(p.error));
        QCOMPARE(int(lastBeforeFailure), failedAt);
        // Nothing installed after a failed check, and the upload directory is removed in every case.
        if (failedAt < int(Step::Installing))
            QVERIFY(r.log->matching("apt-get install").isEmpty());
        QVERIFY(r.log->all().last().first.startsWith("rm -rf "));
        QVERIFY(r.job->summary().startsWith(QLatin1String("0 of 1 nodes deployed; n1: ")));
    }

    void versionMismatchAfterDeployFails()
    {
        HelloAgent agent(m_dir.filePath(QStringLiteral("n1.sock")));
        agent.protocolVersion = proto::kProtocolVersion + 1;
        auto r = makeRun({QStringLiteral("n1")}, {{QStringLiteral("n1"), NodeScript{}}});
        QVERIFY(r.job->start().hasValue());
        QVERIFY(!finish(*r.job));
        QCOMPARE(r.pool->state(QStringLiteral("n1")), NodeState::VersionMismatch);
        const QString e = r.job->progress(QStringLiteral("n1")).error;
        QVERIFY2(e.contains(QStringLiteral("protocol version mismatch: agent %1").arg(proto::kProtocolVersion + 1)) &&
                     e.contains(QStringLiteral("console %1").arg(proto::kProtocolVersion)),
                 qPrintable(e));
        // The hello is kept, so the console can say which agent answered.
        QVERIFY(r.pool->hello(QStringLiteral("n1")).has_value());
    }

    void nodesRunInParallel()
    {
        HelloAgent a1(m_dir.filePath(QStringLiteral("p1.sock")));
        HelloAgent a2(m_dir.filePath(QStringLiteral("p2.sock")));
        NodeScript s;
        s.rendezvous = std::make_shared<Rendezvous>();
        auto r = makeRun({QStringLiteral("p1"), QStringLiteral("p2")},
                         {{QStringLiteral("p1"), s}, {QStringLiteral("p2"), s}});
        QVERIFY(r.job->start().hasValue());
        QVERIFY2(finish(*r.job), qPrintable(r.job->summary()));
        QCOMPARE(r.job->summary(), QStringLiteral("2 of 2 nodes deployed"));
    }

    void idempotentSecondRun()
    {
        HelloAgent agent(m_dir.filePath(QStringLiteral("n1.sock")));
        NodeScript s;
        s.installed = QStringLiteral("0.2.0");
        auto r = makeRun({QStringLiteral("n1")}, {{QStringLiteral("n1"), s}});
        QVERIFY(r.job->start().hasValue());
        QVERIFY2(finish(*r.job), qPrintable(r.job->summary()));
        const auto p = r.job->progress(QStringLiteral("n1"));
        QVERIFY2(p.detail.contains(QLatin1String("already installed")), qPrintable(p.detail));
        QCOMPARE(r.log->matching("UPGRADED=0").size(), 1); // the same version: not restarted
    }
};

QTEST_MAIN(TestDeployJob)
#include "tst_deploy_job.moc"
