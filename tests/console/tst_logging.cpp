// The console's logging categories: they exist under their documented names,
// stay quiet below warnings by default, and QT_LOGGING_RULES turns them on in
// the field. The enabled case runs in a child process, because the rules are
// read once when the application starts.
#include <hadeck/console/agentclient.h>
#include <hadeck/console/logging.h>
#include <hadeck/console/model/clustermodel.h>
#include <hadeck/console/model/logging.h>
#include <hadeck/console/sshtransport.h>

#include "app/logging.h"

#include <QCoreApplication>
#include <QMutex>
#include <QProcess>
#include <QTest>

using namespace hadeck;

namespace {

struct Captured {
    QString category;
    QtMsgType type;
    QString text;
};

QMutex g_lock;
QList<Captured> g_captured;

void capture(QtMsgType type, const QMessageLogContext& context, const QString& text)
{
    QMutexLocker lock(&g_lock);
    g_captured.append({QString::fromUtf8(context.category ? context.category : ""), type, text});
}

QList<Captured> capturedIn(const QString& category)
{
    QMutexLocker lock(&g_lock);
    QList<Captured> out;
    for (const auto& c : std::as_const(g_captured)) {
        if (c.category == category)
            out.append(c);
    }
    return out;
}

std::vector<const QLoggingCategory*> allCategories()
{
    return {&console::lcSsh(), &console::lcAgent(), &console::lcModel(), &ui::lcUi()};
}

constexpr auto kChildMarker = "HADECK_LOGGING_CHILD";

} // namespace

class TestLogging : public QObject {
    Q_OBJECT
private slots:
    void names()
    {
        QStringList names;
        for (const auto* c : allCategories())
            names << QString::fromUtf8(c->categoryName());
        QCOMPARE(names, (QStringList{QStringLiteral("hadeck.ssh"), QStringLiteral("hadeck.agent"),
                                     QStringLiteral("hadeck.model"), QStringLiteral("hadeck.ui")}));
    }

    void quietByDefault()
    {
        if (qEnvironmentVariableIsSet(kChildMarker))
            QSKIP("the child runs with rules");
        for (const auto* c : allCategories()) {
            QVERIFY2(!c->isDebugEnabled(), c->categoryName());
            QVERIFY2(!c->isInfoEnabled(), c->categoryName());
            QVERIFY2(c->isWarningEnabled(), c->categoryName());
        }
    }

    void enabledByLoggingRules()
    {
        if (qEnvironmentVariableIsSet(kChildMarker))
            QSKIP("already the child");
        QProcess child;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QString::fromLatin1(kChildMarker), QStringLiteral("1"));
        env.insert(QStringLiteral("QT_LOGGING_RULES"),
                   QStringLiteral("hadeck.ssh=true;hadeck.agent=true;hadeck.model=true;hadeck.ui.debug=true"));
        child.setProcessEnvironment(env);
        child.start(QCoreApplication::applicationFilePath(), {QStringLiteral("childLogs")});
        QVERIFY(child.waitForFinished(60000));
        const QByteArray out = child.readAllStandardOutput() + child.readAllStandardError();
        QVERIFY2(child.exitStatus() == QProcess::NormalExit && child.exitCode() == 0, out.constData());
        QVERIFY2(out.contains("PASS   : TestLogging::childLogs"), out.constData());
    }

    // Run by enabledByLoggingRules in a child with QT_LOGGING_RULES set: real code
    // paths log under each category.
    void childLogs()
    {
        if (!qEnvironmentVariableIsSet(kChildMarker))
            QSKIP("run by enabledByLoggingRules in a child process");
        for (const auto* c : allCategories())
            QVERIFY2(c->isDebugEnabled(), c->categoryName());
        QVERIFY(console::lcSsh().isInfoEnabled());
        QVERIFY(console::lcAgent().isInfoEnabled());
        QVERIFY(!ui::lcUi().isInfoEnabled()); // only its debug level was named
        const auto previous = qInstallMessageHandler(capture);

        console::ClusterModel model(QStringLiteral("logtest"));
        model.addNode(QStringLiteral("dir1"), QStringLiteral("198.18.0.1"));
        QVERIFY(!capturedIn(QStringLiteral("hadeck.model")).isEmpty());

        // Nothing listens on port 1 of the loopback: the SSH transport fails at once,
        // and the agent client on top of it reports the disconnect.
        console::SshTransportConfig config;
        config.target = {QStringLiteral("n1"), QStringLiteral("127.0.0.1"), 1, QStringLiteral("nobody"), {}};
        config.useSshAgent = false;
        config.connectTimeoutMs = 5000;
        auto* transport = new console::SshTransport(config);
        console::AgentClientOptions options;
        options.autoReconnect = false;
        console::AgentClient client(QStringLiteral("n1"), transport, options);
        transport->setParent(&client);
        client.start();
        QVERIFY(!capturedIn(QStringLiteral("hadeck.ssh")).isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(!capturedIn(QStringLiteral("hadeck.agent")).isEmpty(), 10000);
        client.stop();

        qCDebug(ui::lcUi) << "ui category on";
        QCOMPARE(capturedIn(QStringLiteral("hadeck.ui")).size(), 1);
        qInstallMessageHandler(previous);
    }
};

QTEST_GUILESS_MAIN(TestLogging)
#include "tst_logging.moc"
