// The GUI's "Install agent" dialog, offscreen: per-node progress rows, and sudo's password
// asked in the console's own prompt (hidden input), given to the node on stdin only, and
// cleared from the prompt once read. The node is scripted (a real one never needs a
// password on demand); the agent's hello comes from a scripted socket.

#include "dialogs/deploydialog.h"

#include <hadeck/console/connectionpool.h>

#include <QCryptographicHash>
#include <QFile>
#include <QInputDialog>
#include <QLineEdit>
#include <QLocalServer>
#include <QLocalSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeWidget>

#include <mutex>

using namespace hadeck;
using namespace hadeck::console;

namespace {

struct Log {
    std::mutex m;
    QList<QPair<QByteArray, QByteArray>> runs;
};

/// A non-root node whose sudo wants the password "s3cret".
class SudoNode final : public RemoteHost {
public:
    explicit SudoNode(std::shared_ptr<Log> log) : m_log(std::move(log)) {}
    Status open() override { return {}; }
    QString user() const override { return QStringLiteral("ops"); }
    RemoteCommandResult run(const QByteArray& c, const QByteArray& in, int) override
    {
        {
            std::lock_guard lock(m_log->m);
            m_log->runs.push_back({c, in});
        }
        RemoteCommandResult r;
        r.exitStatus = 0;
        if (c.startsWith("printf 'uid="))
            r.out = "uid=1000\narch=amd64\ninstalled=\napt=1\nsudo=1\ntmp=/tmp/hadeck-deploy.Gui\n";
        else if (c == "sudo -n true")
            r.exitStatus = 1;
        else if (c.startsWith("sudo -S") && in != "s3cret\n")
            r.exitStatus = 1;
        else if (c.startsWith("sha256sum"))
            r.out = QCryptographicHash::hash(m_data, QCryptographicHash::Sha256).toHex() + "  x\n";
        else if (c.startsWith("dpkg-deb"))
            r.out = "Package: hadeck-agent\nVersion: 0.3.0\nArchitecture: amd64\n";
        else if (c.startsWith("dpkg-query"))
            r.out = "install ok installed 0.3.0";
        return r;
    }
    Status upload(const QString& local, const QString&, const std::function<bool(qint64, qint64)>& progress) override
    {
        QFile f(local);
        f.open(QIODevice::ReadOnly);
        m_data = f.readAll();
        progress(m_data.size(), m_data.size());
        return {};
    }

private:
    std::shared_ptr<Log> m_log;
    QByteArray m_data;
};

class HelloAgent : public QObject {
public:
    explicit HelloAgent(const QString& path)
    {
        QLocalServer::removeServer(path);
        m_server.listen(path);
        connect(&m_server, &QLocalServer::newConnection, this, [this] {
            auto* c = m_server.nextPendingConnection();
            connect(c, &QLocalSocket::readyRead, this, [c] {
                while (c->canReadLine()) {
                    const auto req = rpc::Json::parse(c->readLine().toStdString(), nullptr, false);
                    rpc::Json result = rpc::Json::object();
                    if (req.value("method", "") == "agent.hello") {
                        proto::HelloResult h;
                        h.agentVersion = "0.3.0";
                        h.user = "ops";
                        h.permission = proto::PermissionLevel::Read;
                        proto::to_json(result, h);
                    }
                    c->write(QByteArray::fromStdString(rpc::Json{
                                 {"jsonrpc", "2.0"},
                                 {"id", req.value("id", rpc::Json())},
                                 {"result", result}}.dump()) +
                             '\n');
                }
            });
        });
    }

private:
    QLocalServer m_server;
};

} // namespace

class TestDeployDialog : public QObject {
    Q_OBJECT
private slots:
    void installWithSudoPrompt()
    {
        QTemporaryDir dir;
        const QString deb = dir.filePath(QStringLiteral("hadeck-agent_0.3.0_amd64.deb"));
        {
            QFile f(deb);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(QByteArray(64 * 1024, 'd'));
        }
        HelloAgent agent(dir.filePath(QStringLiteral("web9.sock")));
        ClusterInventory inv;
        inv.name = QStringLiteral("gui");
        NodeSpec n;
        n.name = QStringLiteral("web9");
        n.transport = NodeSpec::TransportKind::Local;
        n.socket = dir.filePath(QStringLiteral("web9.sock"));
        inv.nodes.push_back(n);
        ConnectionPoolOptions opts;
        opts.client.autoReconnect = false;
        ConnectionPool pool(inv, nullptr, opts);
        auto log = std::make_shared<Log>();

        ui::DeployDialog dialog(&pool, QStringLiteral("web9"));
        dialog.setRemoteFactory([log](const NodeSpec&) { return std::make_unique<SudoNode>(log); });
        dialog.setPackagePath(deb);
        dialog.show();
        QVERIFY(dialog.startDeploy());
        QCOMPARE(dialog.progressTree()->topLevelItemCount(), 1);
        QCOMPARE(dialog.progressTree()->topLevelItem(0)->text(0), QStringLiteral("web9"));

        // The console's own prompt, hidden input.
        QTRY_VERIFY_WITH_TIMEOUT(dialog.passwordPrompt() != nullptr && dialog.passwordPrompt()->isVisible(), 10000);
        QInputDialog* prompt = dialog.passwordPrompt();
        QCOMPARE(prompt->textEchoMode(), QLineEdit::Password);
        QVERIFY(prompt->labelText().contains(QLatin1String("ops")));
        auto* edit = prompt->findChild<QLineEdit*>();
        QVERIFY(edit != nullptr);
        QTest::keyClicks(edit, QStringLiteral("s3cret"));
        QCOMPARE(edit->echoMode(), QLineEdit::Password);
        QPointer<QInputDialog> watch(prompt);
        prompt->accept();
        // Cleared from the widget as soon as it was read.
        QVERIFY(!watch || watch->textValue().isEmpty());

        QTRY_VERIFY_WITH_TIMEOUT(dialog.job() && dialog.job()->isFinished(), 15000);
        QCOMPARE(dialog.job()->progress(QStringLiteral("web9")).step, DeployJob::Step::Done);
        QCOMPARE(dialog.progressTree()->topLevelItem(0)->text(1), DeployJob::stepName(DeployJob::Step::Done));
        QCOMPARE(pool.state(QStringLiteral("web9")), NodeState::Online);
        // The password went to sudo on stdin, never on a command line.
        std::lock_guard lock(log->m);
        bool viaStdin = false;
        for (const auto& r : log->runs) {
            QVERIFY(!r.first.contains("s3cret"));
            viaStdin |= r.first.contains("apt-get install") && r.second == "s3cret\n";
        }
        QVERIFY(viaStdin);
    }
};

QTEST_MAIN(TestDeployDialog)
#include "tst_deploy_dialog.moc"
