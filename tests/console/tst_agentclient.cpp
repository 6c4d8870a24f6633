// AgentClient over LocalTransport: against the real agent, and against a
// scripted socket for what a real agent does not do on demand (go silent,
// answer slowly, push chosen notifications).

#include "sshtestenv.h"

#include <hadeck/console/agentclient.h>
#include <hadeck/console/localtransport.h>
#include <hadeck/protocol/methods.h>

#include <QElapsedTimer>
#include <QLocalServer>
#include <QLocalSocket>
#include <QSignalSpy>
#include <QTest>
#include <QTimer>

#include <map>
#include <optional>
#include <memory>

using namespace hadeck;
using namespace hadeck::console;
using namespace hadeck::test;

namespace {

/// A stand-in agent: answers hello, and pings after a chosen delay (or never).
class ScriptedAgent : public QObject {
public:
    int pingDelayMs = 0;
    bool answerPings = true;
    /// Results for other methods, by name, sent after answerDelayMs on the socket asked.
    std::map<std::string, rpc::Json> answers;
    int answerDelayMs = 0;
    QByteArray firstLine; ///< sent instead of any answer, if set
    QLocalSocket* client = nullptr;

    explicit ScriptedAgent(const QString& path)
    {
        QLocalServer::removeServer(path);
        m_server.listen(path);
        connect(&m_server, &QLocalServer::newConnection, this, [this] {
            client = m_server.nextPendingConnection();
            if (!firstLine.isEmpty()) {
                client->write(firstLine + '\n');
                client->flush();
                QTimer::singleShot(100, client, &QLocalSocket::disconnectFromServer);
                return;
            }
            connect(client, &QLocalSocket::readyRead, this, [this, c = client] { onRead(c); });
        });
    }

    void send(const rpc::Json& j)
    {
        if (client)
            client->write(QByteArray::fromStdString(j.dump()) + '\n');
    }

private:
    void onRead(QLocalSocket* c)
    {
        while (c->canReadLine()) {
            const auto req = rpc::Json::parse(c->readLine().toStdString(), nullptr, false);
            const std::string method = req.value("method", "");
            const auto id = req.value("id", rpc::Json());
            if (method == "agent.hello") {
                proto::HelloResult h;
                h.agentVersion = "scripted";
                h.node = "fake";
                h.user = "tester";
                h.permission = proto::PermissionLevel::Read;
                rpc::Json r;
                proto::to_json(r, h);
                send({{"jsonrpc", "2.0"}, {"id", id}, {"result", r}});
            } else if (method == "agent.ping") {
                if (!answerPings)
                    continue;
                QTimer::singleShot(pingDelayMs, this, [this, id] {
                    send({{"jsonrpc", "2.0"}, {"id", id}, {"result", rpc::Json::object()}});
                });
            } else if (method == "agent.subscribe") {
                send({{"jsonrpc", "2.0"}, {"id", id}, {"result", rpc::Json::object()}});
            } else if (const auto a = answers.find(method); a != answers.end()) {
                const rpc::Json line{{"jsonrpc", "2.0"}, {"id", id}, {"result", a->second}};
                QTimer::singleShot(answerDelayMs, c,
                                   [c, line] { c->write(QByteArray::fromStdString(line.dump()) + '\n'); });
            }
        }
    }

    QLocalServer m_server;
};

AgentClientOptions fast()
{
    AgentClientOptions o;
    o.pingIntervalMs = 300;
    o.pingTimeoutMs = 800;
    o.degradedThresholdMs = 200;
    o.backoffInitialMs = 100;
    o.backoffMaxMs = 500;
    return o;
}

} // namespace

class TestAgentClient : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;

private slots:
    void helloAndReconnectWithRealAgent()
    {
        if (!QFile::exists(agentBinary()))
            QSKIP("hadeck-agent is not built");
        Agent agent(m_dir.filePath(QStringLiteral("real.sock")));
        QString error;
        QVERIFY2(agent.start(&error), qPrintable(error));
        AgentClient client(QStringLiteral("local"), new LocalTransport(agent.socketPath()), fast());
        QSignalSpy states(&client, &AgentClient::stateChanged);
        client.start();
        QTRY_COMPARE_WITH_TIMEOUT(client.state(), NodeState::Online, 10000);
        QVERIFY(client.hello().has_value());
        QCOMPARE(client.hello()->protocolVersion, proto::kProtocolVersion);

        bool typed = false;
        client.call<proto::HelloResult>(
            QStringLiteral("agent.hello"), rpc::Json{{"protocolVersion", 1}, {"client", "test"}},
            [&typed](const Expected<proto::HelloResult>& h) { typed = h.hasValue() && !h->agentVersion.empty(); });
        QTRY_VERIFY_WITH_TIMEOUT(typed, 5000);

        agent.stop();
        QTRY_COMPARE_WITH_TIMEOUT(client.state(), NodeState::Unreachable, 5000);
        QVERIFY(!client.lastError().isEmpty());
        QVERIFY2(agent.start(&error), qPrintable(error));
        QTRY_COMPARE_WITH_TIMEOUT(client.state(), NodeState::Online, 10000);
        QVERIFY(states.count() >= 3);
    }

    void missingSocketIsUnreachable()
    {
        AgentClient client(QStringLiteral("gone"), new LocalTransport(m_dir.filePath(QStringLiteral("none.sock"))),
                           fast());
        client.start();
        QTRY_COMPARE_WITH_TIMEOUT(client.state(), NodeState::Unreachable, 5000);
        QVERIFY2(client.lastError().contains(QLatin1String("is hadeck-agent running")), qPrintable(client.lastError()));
        bool failed = false;
        client.request(QStringLiteral("agent.ping"), {}, [&failed](const RpcResult& r) {
            failed = !r.hasValue() && r.error().code == rpc::Disconnected;
        });
        QTRY_VERIFY_WITH_TIMEOUT(failed, 2000);
    }

    void silentAgentBecomesUnreachable()
    {
        ScriptedAgent fake(m_dir.filePath(QStringLiteral("silent.sock")));
        fake.answerPings = false;
        AgentClient client(QStringLiteral("silent"), new LocalTransport(m_dir.filePath(QStringLiteral("silent.sock"))),
                           fast());
        client.start();
        QTRY_COMPARE_WITH_TIMEOUT(client.state(), NodeState::Online, 5000);
        QTRY_COMPARE_WITH_TIMEOUT(client.state(), NodeState::Unreachable, 3000);
        QVERIFY2(client.lastError().contains(QLatin1String("did not answer agent.ping")), qPrintable(client.lastError()));
    }

    // The lab's "mfsmaster did not answer agent.ping within 2.5 s" from the maintenance
    // preflight: on a loaded machine a ping went unanswered while the dry run was in flight,
    // the link was dropped, and the dry run failed with it. ask() waits for the reconnect and
    // asks again; request() keeps its contract (it fails on the drop).
    void askOutlivesALinkDroppedUnderIt()
    {
        ScriptedAgent fake(m_dir.filePath(QStringLiteral("dropask.sock")));
        const QString question = methodName(proto::methods::MfsStatusGet);
        fake.answers[question.toStdString()] = rpc::Json{{"ok", true}};
        fake.answerDelayMs = 2000; // slower than the ping's deadline: the link drops first
        AgentClient client(QStringLiteral("mfsmaster"),
                           new LocalTransport(m_dir.filePath(QStringLiteral("dropask.sock"))), fast());
        client.start();
        QTRY_COMPARE_WITH_TIMEOUT(client.state(), NodeState::Online, 5000);
        fake.answerPings = false;
        std::optional<RpcResult> plain;
        std::optional<RpcResult> asked;
        QStringList waited;
        client.request(
            question, rpc::Json::object(), [&plain](const RpcResult& r) { plain = r; }, 10000);
        client.ask(
            question, rpc::Json::object(), [&asked](const RpcResult& r) { asked = r; }, 10000, 10000,
            [&](const QString& m) {
                waited << m;
                fake.answerPings = true; // the node is fine again once the link is back
                fake.answerDelayMs = 0;
            });
        QTRY_VERIFY_WITH_TIMEOUT(plain.has_value(), 5000);
        QVERIFY(!plain->hasValue());
        QVERIFY2(plain->error().message.find("did not answer agent.ping") != std::string::npos,
                 plain->error().message.c_str());
        QTRY_VERIFY_WITH_TIMEOUT(asked.has_value(), 10000);
        QVERIFY2(asked->hasValue(), asked->hasValue() ? "" : asked->error().message.c_str());
        QCOMPARE(asked->value().value("ok", false), true);
        QCOMPARE(waited, QStringList{QStringLiteral("waiting for mfsmaster to reconnect…")});
        QCOMPARE(client.state(), NodeState::Online);
    }

    // Asked while the link is down after a drop: the question waits for the reconnect.
    void askWaitsForALinkThatJustDropped()
    {
        ScriptedAgent fake(m_dir.filePath(QStringLiteral("justdropped.sock")));
        const QString question = methodName(proto::methods::MfsStatusGet);
        fake.answers[question.toStdString()] = rpc::Json{{"ok", true}};
        auto options = fast();
        options.backoffInitialMs = 1500; // the link stays down a while after the drop
        options.jitterPercent = 0;
        AgentClient client(QStringLiteral("cs"), new LocalTransport(m_dir.filePath(QStringLiteral("justdropped.sock"))),
                           options);
        client.start();
        QTRY_COMPARE_WITH_TIMEOUT(client.state(), NodeState::Online, 5000);
        fake.answerPings = false;
        QTRY_COMPARE_WITH_TIMEOUT(client.state(), NodeState::Unreachable, 5000);
        fake.answerPings = true;
        QVERIFY(client.reconnecting());
        // request() fails at once, as before.
        std::optional<RpcResult> plain;
        client.request(question, rpc::Json::object(), [&plain](const RpcResult& r) { plain = r; });
        QTRY_VERIFY_WITH_TIMEOUT(plain.has_value(), 1000);
        QVERIFY(!plain->hasValue());
        std::optional<RpcResult> asked;
        QStringList waited;
        client.ask(
            question, rpc::Json::object(), [&asked](const RpcResult& r) { asked = r; }, 5000, 10000,
            [&waited](const QString& m) { waited << m; });
        QCOMPARE(waited.size(), 1);
        QTRY_VERIFY_WITH_TIMEOUT(asked.has_value(), 8000);
        QVERIFY2(asked->hasValue(), asked->hasValue() ? "" : asked->error().message.c_str());
    }

    // The wait is bounded: a node that does not come back fails with a clear error past the
    // bound, and one that was never reached (or is away for longer) fails at once.
    void askFailsClearlyPastTheBound()
    {
        const QString question = methodName(proto::methods::MfsStatusGet);
        const QString path = m_dir.filePath(QStringLiteral("gone.sock"));
        auto fake = std::make_unique<ScriptedAgent>(path);
        AgentClient client(QStringLiteral("db9"), new LocalTransport(path), fast());
        client.start();
        QTRY_COMPARE_WITH_TIMEOUT(client.state(), NodeState::Online, 5000);
        fake.reset();
        QLocalServer::removeServer(path);
        QTRY_COMPARE_WITH_TIMEOUT(client.state(), NodeState::Unreachable, 5000);
        std::optional<RpcResult> asked;
        QStringList waited;
        QElapsedTimer clock;
        clock.start();
        client.ask(
            question, rpc::Json::object(), [&asked](const RpcResult& r) { asked = r; }, 5000, 1500,
            [&waited](const QString& m) { waited << m; });
        QTRY_VERIFY_WITH_TIMEOUT(asked.has_value(), 5000);
        QVERIFY(clock.elapsed() >= 1400);
        QVERIFY(!asked->hasValue());
        QCOMPARE(asked->error().code, int(rpc::Disconnected));
        QVERIFY2(asked->error().message.find("db9 did not reconnect within 1.5 s (the link had dropped: ") == 0,
                 asked->error().message.c_str());
        QCOMPARE(waited.size(), 1);

        // Never reached: nothing to wait for.
        AgentClient never(QStringLiteral("never"), new LocalTransport(m_dir.filePath(QStringLiteral("never.sock"))),
                          fast());
        never.start();
        QTRY_COMPARE_WITH_TIMEOUT(never.state(), NodeState::Unreachable, 5000);
        QVERIFY(!never.reconnecting());
        asked.reset();
        waited.clear();
        clock.restart();
        never.ask(
            question, rpc::Json::object(), [&asked](const RpcResult& r) { asked = r; }, 5000, 10000,
            [&waited](const QString& m) { waited << m; });
        QTRY_VERIFY_WITH_TIMEOUT(asked.has_value(), 1000);
        QVERIFY(clock.elapsed() < 1000);
        QVERIFY(!asked->hasValue());
        QVERIFY(waited.isEmpty());
    }

    void requestTimeout()
    {
        ScriptedAgent fake(m_dir.filePath(QStringLiteral("slowreq.sock")));
        AgentClient client(QStringLiteral("slow"), new LocalTransport(m_dir.filePath(QStringLiteral("slowreq.sock"))),
                           fast());
        client.start();
        QTRY_COMPARE_WITH_TIMEOUT(client.state(), NodeState::Online, 5000);
        int code = 0;
        client.request(QStringLiteral("never.answered"), rpc::Json::object(),
                       [&code](const RpcResult& r) { code = r ? 0 : r.error().code; }, 200);
        QTRY_COMPARE_WITH_TIMEOUT(code, int(rpc::Timeout), 2000);
    }

    void slowAnswersDegrade()
    {
        ScriptedAgent fake(m_dir.filePath(QStringLiteral("slow.sock")));
        fake.pingDelayMs = 400;
        AgentClient client(QStringLiteral("slow"), new LocalTransport(m_dir.filePath(QStringLiteral("slow.sock"))),
                           fast());
        client.start();
        QTRY_COMPARE_WITH_TIMEOUT(client.state(), NodeState::Degraded, 5000);
        QVERIFY(client.lastRoundTripMs() >= 400);
        fake.pingDelayMs = 0;
        QTRY_COMPARE_WITH_TIMEOUT(client.state(), NodeState::Online, 5000);
    }

    void notificationsRoutedByTopic()
    {
        ScriptedAgent fake(m_dir.filePath(QStringLiteral("notify.sock")));
        AgentClient client(QStringLiteral("n"), new LocalTransport(m_dir.filePath(QStringLiteral("notify.sock"))),
                           fast());
        QStringList ipvs;
        QStringList host;
        client.subscribe({QStringLiteral("ipvs")}, [&ipvs](const QString& m, const rpc::Json& p) {
            ipvs << m + QLatin1Char(':') + QString::fromStdString(p.value("seq", ""));
        });
        client.subscribe({QStringLiteral("host")}, [&host](const QString& m, const rpc::Json& p) {
            host << m + QLatin1Char(':') + QString::fromStdString(p.value("seq", ""));
        });
        client.start();
        QTRY_COMPARE_WITH_TIMEOUT(client.state(), NodeState::Online, 5000);
        fake.send({{"jsonrpc", "2.0"}, {"method", "state.delta"}, {"params", {{"topic", "ipvs"}, {"seq", "1"}}}});
        fake.send({{"jsonrpc", "2.0"}, {"method", "state.delta"}, {"params", {{"topic", "host"}, {"seq", "2"}}}});
        fake.send({{"jsonrpc", "2.0"}, {"method", "event"}, {"params", {{"seq", "3"}}}});
        QTRY_COMPARE_WITH_TIMEOUT(ipvs, (QStringList{QStringLiteral("state.delta:1"), QStringLiteral("event:3")}), 3000);
        QCOMPARE(host, (QStringList{QStringLiteral("state.delta:2"), QStringLiteral("event:3")}));
    }

    void bridgeRefusalIsPermission()
    {
        // What hadeck-agent --bridge prints when connect() on the socket gets EACCES.
        ScriptedAgent fake(m_dir.filePath(QStringLiteral("denied.sock")));
        fake.firstLine = QByteArray::fromStdString(
            rpc::encode(rpc::makeError(nullptr, rpc::Unavailable,
                                       "cannot reach the agent at /run/hadeck/agent.sock: Permission denied (is this "
                                       "user in the unix group \"hadeck\"?)",
                                       rpc::Json{{"transport", "bridge"}})));
        AgentClient client(QStringLiteral("d"), new LocalTransport(m_dir.filePath(QStringLiteral("denied.sock"))),
                           fast());
        client.start();
        QTRY_VERIFY2_WITH_TIMEOUT(client.state() == NodeState::Refused, qPrintable(client.lastError()), 5000);
        QCOMPARE(client.lastErrorKind(), TransportError::Kind::Permission);
        QVERIFY(client.lastError().contains(QLatin1String("permission none")));
    }
};

QTEST_GUILESS_MAIN(TestAgentClient)
#include "tst_agentclient.moc"
