// Deploy from the console onto a lab node without an agent (issue 17):
//   - `lab no-agent client` stops the client node's agent, removes its socket and gives the
//     node its own /usr, /etc and /var (overlays), so the package installs there only;
//   - the console shows the node as "agent not installed" (detected over SSH), not as an error;
//   - DeployJob uploads the hadeck-agent .deb that cpack builds from this build dir over SFTP,
//     installs it with apt-get, starts it the way the lab starts agents, and waits for hello:
//     the node is online in the console model, with the package's agent (/usr/sbin/hadeck-agent);
//   - the console reaches the client through the jump host gw (issue 17: deploy through a jump host);
//   - a second deployment (hadeckctl deploy --json) changes nothing and succeeds (idempotent).

#include "processutil.h"

#include "hadeck/console/actions/deploy_job.h"
#include "hadeck/console/connectionpool.h"
#include "hadeck/console/credentialprompter.h"
#include "hadeck/console/inventory.h"
#include "hadeck/console/model/clustermodel.h"

#include <QDir>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>

#include <QtTest>

#include <memory>

using namespace hadeck;
using namespace hadeck::console;

namespace {

const QString kNode = QStringLiteral("client");
const QString kJump = QStringLiteral("gw");

QString labDir() { return qEnvironmentVariable("HADECK_LAB_DIR", QStringLiteral("/run/hadeck-lab")); }
QString buildDir() { return qEnvironmentVariable("HADECK_BUILD_DIR"); }

using Run = hadeck::test::ProcessResult;

Run runProgram(const QString& program, const QStringList& args, int timeoutMs, const QString& dir = {})
{
    return hadeck::test::runProgram(program, args, {.timeoutMs = timeoutMs, .workingDirectory = dir});
}

Run lab(const QStringList& args, int timeoutMs = 120000)
{
    return runProgram(qEnvironmentVariable("HADECK_LAB"), args, timeoutMs);
}

/// The lab's way of starting an agent (tests/lab/lab spawn): in the background, its output in
/// the node's log, its pid in the node's pids/agent.pid. Idempotent; an upgrade restarts it.
QString labStartCommand(const QString& node)
{
    const QString d = labDir() + QStringLiteral("/nodes/") + node;
    return QStringLiteral(
               "d=%1; pid=$(cat $d/pids/agent.pid 2>/dev/null); "
               "if [ -n \"$pid\" ] && kill -0 \"$pid\" 2>/dev/null; then "
               "[ \"$UPGRADED\" = 1 ] || exit 0; kill \"$pid\"; while kill -0 \"$pid\" 2>/dev/null; do sleep 0.1; done; fi; "
               "printf '\\n=== %s: starting the deployed /usr/sbin/hadeck-agent\\n' \"$(date '+%F %T')\" >>$d/log/agent.log; "
               "setsid /usr/sbin/hadeck-agent --foreground --config /etc/hadeck/agent.toml >>$d/log/agent.log 2>&1 "
               "</dev/null & echo $! >$d/pids/agent.pid")
        .arg(d);
}

} // namespace

class TestDeployLab : public QObject {
    Q_OBJECT

private:
    QString m_deb;
    ClusterInventory m_inventory;
    std::unique_ptr<ClusterModel> m_model;
    std::unique_ptr<RefusingPrompter> m_prompter;
    std::unique_ptr<ConnectionPool> m_pool;

private slots:
    void initTestCase()
    {
        if (::geteuid() != 0)
            QSKIP("the lab needs root");
        QVERIFY2(QFile::exists(labDir() + QStringLiteral("/inventory.json")), "the lab is not up (lab_up fixture)");
        // The packages, as tests/pkg makes them: the programs, their man pages, cpack.
        QElapsedTimer t;
        t.start();
        Run b = runProgram(QStringLiteral("cmake"),
                           {QStringLiteral("--build"), buildDir(), QStringLiteral("--target"),
                            QStringLiteral("hadeck-agent"), QStringLiteral("hadeckctl"), QStringLiteral("manpages")},
                           900000);
        QVERIFY2(b.code == 0, b.out.right(2000).constData());
        const QString pkgDir = buildDir() + QStringLiteral("/packages-deploy");
        QDir(pkgDir).removeRecursively();
        // The agent's package only (-D overrides the component list of CPackConfig.cmake).
        b = runProgram(QStringLiteral("cpack"),
                       {QStringLiteral("-G"), QStringLiteral("DEB"), QStringLiteral("-D"),
                        QStringLiteral("CPACK_COMPONENTS_ALL=agent"), QStringLiteral("-B"), pkgDir},
                       900000, buildDir());
        QVERIFY2(b.code == 0, (b.out + b.err).right(2000).constData());
        const auto debs = QDir(pkgDir).entryInfoList({QStringLiteral("hadeck-agent_*.deb")}, QDir::Files);
        QCOMPARE(debs.size(), 1);
        m_deb = debs.first().absoluteFilePath();
        qInfo("package %s (%lld KiB) built in %.1f s", qPrintable(debs.first().fileName()), debs.first().size() / 1024,
              t.elapsed() / 1000.0);

        const Run na = lab({QStringLiteral("no-agent"), kNode});
        QVERIFY2(na.code == 0, na.err.constData());

        auto inv = loadInventory(labDir() + QStringLiteral("/inventory.json"));
        QVERIFY2(inv, inv ? "" : inv.error().message.c_str());
        m_inventory = *inv;
        // The console reaches the client through gw, as an admin reaches nodes behind a bastion:
        // deployment and the agent's connection both go through its jump host (hadeckctl's second
        // deployment below uses the inventory file as it is, directly).
        for (auto& spec : m_inventory.nodes) {
            if (spec.name == kNode)
                spec.jump = kJump;
        }
        m_model = std::make_unique<ClusterModel>(m_inventory.name);
        for (const auto& spec : m_inventory.nodes)
            m_model->addNode(spec.name, spec.address, {});
        m_prompter = std::make_unique<RefusingPrompter>();
        ConnectionPoolOptions opts;
        opts.client.backoffMaxMs = 5000;
        m_pool = std::make_unique<ConnectionPool>(m_inventory, m_prompter.get(), opts);
        connect(m_pool.get(), &ConnectionPool::nodeStateChanged, m_model.get(),
                [this](const QString& node, NodeState state, const QString& error) {
                    m_model->setLink(node, state, error);
                });
        connect(m_pool.get(), &ConnectionPool::nodeHelloReceived, m_model.get(),
                [this](const QString& node, const proto::HelloResult& hello) { m_model->setHello(node, hello); });
    }

    void nodeWithoutAgentShowsNotInstalled()
    {
        m_pool->client(kNode)->start();
        QTRY_VERIFY_WITH_TIMEOUT(m_model->node(kNode)->link != NodeState::Connecting, 30000);
        const auto* n = m_model->node(kNode);
        QVERIFY2(n->link == NodeState::NotInstalled, qPrintable(toId(n->link) + QStringLiteral(": ") + n->lastError));
        QVERIFY2(n->lastError.contains(QLatin1String("the HaDeck agent is not installed on client")),
                 qPrintable(n->lastError));
        qInfo("before: %s (%s)", qPrintable(displayName(n->link)), qPrintable(n->lastError));
    }

    void deployBringsTheNodeOnline()
    {
        DeployRequest req;
        req.nodes = {kNode};
        req.packagePath = m_deb;
        req.startCommand = labStartCommand(kNode);
        DeployJob job(m_pool.get(), req);
        QStringList seen;
        connect(&job, &DeployJob::nodeChanged, this, [&](const QString& node) {
            const auto p = job.progress(node);
            const QString line = DeployJob::stepName(p.step);
            if (seen.isEmpty() || seen.last() != line) {
                seen << line;
                qInfo("%s: %s", qPrintable(node), qPrintable(p.detail));
            }
        });
        QSignalSpy finished(&job, &DeployJob::finished);
        const auto jumpLogins = [] {
            QFile log(labDir() + QStringLiteral("/nodes/%1/log/sshd.log").arg(kJump));
            return log.open(QIODevice::ReadOnly) ? log.readAll().count("Accepted publickey") : -1;
        };
        const auto loginsBefore = jumpLogins();
        QElapsedTimer t;
        t.start();
        const auto started = job.start();
        QVERIFY2(started.hasValue(), started ? "" : started.error().message.c_str());
        QVERIFY(finished.wait(300000));
        QVERIFY2(finished.first().first().toBool(), qPrintable(job.summary()));
        qInfo("deployed through %s in %.1f s: %s", qPrintable(kJump), t.elapsed() / 1000.0,
              qPrintable(job.progress(kNode).detail));
        // gw's sshd let the deployment's session in (and the agent connection's, for the hello).
        QVERIFY2(jumpLogins() > loginsBefore,
                 qPrintable(QStringLiteral("%1 -> %2").arg(loginsBefore).arg(jumpLogins())));
        QTRY_COMPARE_WITH_TIMEOUT(m_model->node(kNode)->link, NodeState::Online, 10000);
        QVERIFY(m_model->node(kNode)->hello.has_value());
        // The agent that answers is the package's, from the node's own /usr, not the build's.
        const Run exe = lab({QStringLiteral("exec"), kNode, QStringLiteral("sh"), QStringLiteral("-c"),
                             QStringLiteral("readlink /proc/$(cat %1/nodes/%2/pids/agent.pid)/exe; "
                                            "dpkg-query -W -f='${Status} ${Version}' hadeck-agent; getent group hadeck")
                                 .arg(labDir(), kNode)});
        QVERIFY2(exe.code == 0, exe.err.constData());
        QVERIFY2(exe.out.startsWith("/usr/sbin/hadeck-agent\n"), exe.out.constData());
        QVERIFY2(exe.out.contains("install ok installed"), exe.out.constData());
        QVERIFY2(exe.out.contains("hadeck:"), exe.out.constData());
        // The host itself got nothing.
        QVERIFY(!QFile::exists(QStringLiteral("/usr/sbin/hadeck-agent")));
        QVERIFY(runProgram(QStringLiteral("dpkg-query"), {QStringLiteral("-W"), QStringLiteral("hadeck-agent")}, 30000)
                    .code != 0);
        // The upload directory is gone.
        const Run tmp = lab({QStringLiteral("exec"), kNode, QStringLiteral("sh"), QStringLiteral("-c"),
                             QStringLiteral("ls -d /tmp/hadeck-deploy.* 2>/dev/null | wc -l")});
        QCOMPARE(tmp.out.trimmed(), QByteArray("0"));
    }

    void secondDeployIsIdempotent()
    {
        // Through hadeckctl this time: the same job, from the CLI, in batch mode.
        QElapsedTimer t;
        t.start();
        const Run r =
            runProgram(qEnvironmentVariable("HADECKCTL"),
                       {QStringLiteral("--cluster"), labDir() + QStringLiteral("/inventory.json"),
                        QStringLiteral("--batch"), QStringLiteral("--json"), QStringLiteral("deploy"), kNode,
                        QStringLiteral("--package"), m_deb, QStringLiteral("--start-command"), labStartCommand(kNode)},
                       300000);
        qInfo("hadeckctl deploy (again) in %.1f s, exit %d; stderr:\n%s", t.elapsed() / 1000.0, r.code,
              r.err.constData());
        QCOMPARE(r.code, 0);
        const QJsonObject o = QJsonDocument::fromJson(r.out).object();
        const QJsonObject n = o.value(QStringLiteral("nodes")).toArray().first().toObject();
        QCOMPARE(n.value(QStringLiteral("name")).toString(), kNode);
        QVERIFY(n.value(QStringLiteral("ok")).toBool());
        QCOMPARE(n.value(QStringLiteral("versionBefore")).toString(),
                 n.value(QStringLiteral("versionAfter")).toString());
        QVERIFY(r.err.contains("already installed"));
        // The console's own connection stayed online through it.
        QTRY_COMPARE_WITH_TIMEOUT(m_model->node(kNode)->link, NodeState::Online, 10000);
    }

    void cleanupTestCase()
    {
        if (m_pool)
            m_pool->disconnectAll();
    }
};

QTEST_MAIN(TestDeployLab)
#include "tst_deploy_lab.moc"
