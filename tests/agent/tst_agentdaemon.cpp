// Runs the real hadeck-agent binary on a temporary socket and talks to it.

#include "agenttestutil.h"
#include "processutil.h"

#include "hadeck/protocol/methods.h"
#include "hadeck/protocol/types.h"

#include <QtTest>

#include <csignal>

#include <grp.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace hadeck;
using namespace hadeck::test;

class TestAgentDaemon : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void version();
    void methodsMatchTheDeclarations();
    void helpMethodsPrintsTheTable();
    void readyNotificationAndCleanExit();
    void lateReplyAfterHalfClose();
    void badInput();
    void oversizedFrame();
    void subscriptions();
    void helloPerGroup_data();
    void helloPerGroup();
    void refusals_data();
    void refusals();
    void socketModeAndGroup();
    void concurrentClients();
    void stuckClientDoesNotBlockOthers();
    void answerLargerThanTheOutputLimitArrives();
    void sighupReload();
    void auditChain();
    void configErrorNamesLine();
    void bridgeRelays();
    void bridgeReportsUnreachableAgent();

private:
    void requireRoot();
    bool m_usersReady = false;
    QString m_usersError;
};

void TestAgentDaemon::initTestCase()
{
    QVERIFY2(QFileInfo(AgentProcess::binary()).isExecutable(), qPrintable(AgentProcess::binary()));
    m_usersReady = testUsersReady(&m_usersError);
}

void TestAgentDaemon::requireRoot()
{
    if (!m_usersReady) {
        QSKIP(qPrintable(m_usersError));
    }
}

void TestAgentDaemon::version()
{
    const ProcessResult r = runProgram(AgentProcess::binary(), {QStringLiteral("--version")}, {.timeoutMs = 10000});
    QCOMPARE(r.code, 0);
    QVERIFY(r.out.startsWith("hadeck-agent 0."));
}


// The running agent serves exactly the declared methods (protocol/methods.h), each
// at its declared permission, both ways: neither side can drift.
void TestAgentDaemon::methodsMatchTheDeclarations()
{
    AgentProcess agent;
    agent.writeConfig();
    QString error;
    QVERIFY2(agent.start(&error), qPrintable(error));
    LineClient c = LineClient::connectTo(agent.socketPath());
    QVERIFY(c.valid());
    const auto r = c.call(std::string(proto::methods::Methods.name));
    QVERIFY(r && r->contains("result"));
    auto served = proto::fromJson<proto::MethodsResult>((*r)["result"]);
    QVERIFY2(served, served ? "" : served.error().message.c_str());

    QMap<QString, QString> fromAgent;
    for (const auto& m : served->methods) {
        fromAgent.insert(QString::fromStdString(m.name), QString::fromLatin1(proto::toString(m.permission)));
    }
    QMap<QString, QString> declared;
    for (const auto& e : proto::methodTable()) {
        declared.insert(QString::fromLatin1(e.name), QString::fromLatin1(proto::toString(e.permission)));
    }
    for (auto it = declared.cbegin(); it != declared.cend(); ++it) {
        QVERIFY2(fromAgent.contains(it.key()), qPrintable(it.key() + QStringLiteral(" is declared but not served")));
        QVERIFY2(fromAgent.value(it.key()) == it.value(),
                 qPrintable(it.key() + QStringLiteral(": served at ") + fromAgent.value(it.key()) +
                            QStringLiteral(", declared at ") + it.value()));
    }
    for (auto it = fromAgent.cbegin(); it != fromAgent.cend(); ++it) {
        QVERIFY2(declared.contains(it.key()), qPrintable(it.key() + QStringLiteral(" is served but not declared")));
    }
    QCOMPARE(fromAgent.size(), declared.size());
    QCOMPARE(agent.terminate(), 0);
}

void TestAgentDaemon::helpMethodsPrintsTheTable()
{
    const ProcessResult r =
        runProgram(AgentProcess::binary(), {QStringLiteral("--help-methods")}, {.timeoutMs = 10000});
    QCOMPARE(r.code, 0);
    const QStringList lines = QString::fromUtf8(r.out).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    QStringList rows;
    for (const QString& l : lines) {
        if (!l.startsWith(QLatin1Char(' ')) && l.contains(QLatin1Char('.'))) {
            rows << l.section(QLatin1Char(' '), 0, 0) + QLatin1Char(' ') +
                        l.section(QLatin1Char(' '), 1, -1, QString::SectionSkipEmpty).section(QLatin1Char(' '), 0, 0);
        }
    }
    QStringList expected;
    for (const auto& e : proto::methodTable()) {
        expected << QString::fromLatin1(e.name) + QLatin1Char(' ') + QString::fromLatin1(proto::toString(e.permission));
    }
    QCOMPARE(rows, expected);
}
void TestAgentDaemon::readyNotificationAndCleanExit()
{
    AgentProcess agent;
    agent.writeConfig();
    QString error;
    QVERIFY2(agent.start(&error), qPrintable(error)); // start() waits for READY=1 on NOTIFY_SOCKET
    QVERIFY(QFileInfo::exists(agent.socketPath()));
    LineClient c = LineClient::connectTo(agent.socketPath());
    QVERIFY(c.valid());
    QVERIFY(c.call(proto::methods::Ping).has_value());
    QCOMPARE(agent.terminate(), 0);
    QVERIFY2(!QFileInfo::exists(agent.socketPath()), "socket file left behind after SIGTERM");
    QVERIFY(c.waitClosed());
}

void TestAgentDaemon::lateReplyAfterHalfClose()
{
    // `echo REQUEST | socat -t 10 - UNIX-CONNECT:...`: the client half-closes right after its
    // request. drain.local answers later (it reads /proc and asks mod_status off the loop);
    // the agent must answer before it closes, not drop the connection when its input ends.
    AgentProcess agent;
    // mod_status on a port nobody listens on: the answer comes without Apache, with apacheError.
    agent.writeConfig(QStringLiteral("[modules.drain]\nstatus_port = 9\n"));
    QString error;
    QVERIFY2(agent.start(&error), qPrintable(error));
    LineClient c = LineClient::connectTo(agent.socketPath());
    QVERIFY(c.valid());
    proto::DrainLocalParams p;
    p.vip = "127.0.0.1";
    p.port = 80;
    const Json request{{"jsonrpc", "2.0"}, {"id", 7}, {"method", std::string(proto::methods::DrainLocal.name)},
                       {"params", proto::toJson(p)}};
    QVERIFY(c.sendLine(request.dump()));
    QCOMPARE(::shutdown(c.fd(), SHUT_WR), 0);
    const auto line = c.readLine(10000);
    QVERIFY2(line.has_value(), "the connection closed without the reply");
    const Json reply = Json::parse(*line);
    QCOMPARE(reply["id"].get<int>(), 7);
    QVERIFY2(reply.contains("result"), line->c_str());
    QVERIFY(c.waitClosed());
}

void TestAgentDaemon::badInput()
{
    AgentProcess agent;
    agent.writeConfig();
    QString error;
    QVERIFY2(agent.start(&error), qPrintable(error));
    LineClient c = LineClient::connectTo(agent.socketPath());
    QVERIFY(c.valid());

    QVERIFY(c.sendLine("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\""));
    auto line = c.readLine();
    QVERIFY(line);
    auto j = rpc::Json::parse(*line);
    QCOMPARE(j["error"]["code"].get<int>(), int(rpc::ParseError));
    QVERIFY(j["id"].is_null());

    auto r = c.call("no.such.method");
    QCOMPARE(errorCode(r), int(rpc::MethodNotFound));
    QVERIFY(errorMessage(r).contains(QStringLiteral("no.such.method")));

    r = c.call(proto::methods::Subscribe, rpc::Json{{"topics", "host"}});
    QCOMPARE(errorCode(r), int(rpc::InvalidParams));
    QVERIFY(errorMessage(r).contains(QStringLiteral("topics")));
    r = c.call(proto::methods::SetLogLevel, rpc::Json{{"level", 3}});
    QCOMPARE(errorCode(r), int(rpc::InvalidParams));
    r = c.call(proto::methods::Hello, rpc::Json{{"protocolVersion", "one"}});
    QCOMPARE(errorCode(r), int(rpc::InvalidParams));

    // The connection survives all of that, and requests may overtake.
    r = c.call(proto::methods::Ping, rpc::Json::object());
    QVERIFY(r && r->contains("result"));
    QCOMPARE((*r)["result"]["pong"].get<bool>(), true);
    // Params that are not an object are refused by the declaration's decoder.
    r = c.call(proto::methods::Ping, rpc::Json::array({1}));
    QCOMPARE(errorCode(r), int(rpc::InvalidParams));

    // String ids are answered with the same id.
    QVERIFY(c.sendLine(R"({"jsonrpc":"2.0","id":"abc","method":"agent.ping"})"));
    line = c.readLine();
    QVERIFY(line);
    QCOMPARE(QString::fromStdString(rpc::Json::parse(*line)["id"].get<std::string>()), QStringLiteral("abc"));
    QCOMPARE(agent.terminate(), 0);
}

void TestAgentDaemon::oversizedFrame()
{
    AgentProcess agent;
    agent.writeConfig();
    QString error;
    QVERIFY2(agent.start(&error), qPrintable(error));
    LineClient big = LineClient::connectTo(agent.socketPath());
    LineClient other = LineClient::connectTo(agent.socketPath());
    QVERIFY(big.valid() && other.valid());

    // 2 MiB without a newline: the agent gives up at 1 MiB (requests are small)
    // and may close while we still write, so a failed send is expected here.
    const QByteArray chunk(1024 * 1024, 'x');
    for (int i = 0; i < 2; ++i) {
        if (!big.sendRaw(chunk)) {
            break;
        }
    }
    big.sendRaw("\n");
    auto line = big.readLine();
    QVERIFY2(line, "no error line before the close");
    auto j = rpc::Json::parse(*line);
    QCOMPARE(j["error"]["code"].get<int>(), int(rpc::FrameTooLarge));
    QVERIFY(j["error"]["message"].get<std::string>().find("1048576") != std::string::npos);
    QVERIFY(big.waitClosed());

    auto r = other.call(proto::methods::Ping);
    QVERIFY(r && r->contains("result"));
    QCOMPARE(agent.terminate(), 0);
}

void TestAgentDaemon::subscriptions()
{
    AgentProcess agent;
    agent.writeConfig(QStringLiteral("[sample]\ninterval_ms = 100\n"));
    QString error;
    QVERIFY2(agent.start(&error), qPrintable(error));
    LineClient c = LineClient::connectTo(agent.socketPath());
    LineClient quiet = LineClient::connectTo(agent.socketPath());
    auto r = c.call(proto::methods::Subscribe, rpc::Json{{"topics", {"host"}}});
    QVERIFY(r && r->contains("result"));
    QVERIFY((*r)["result"]["topics"] == rpc::Json::array({"host"}));
    // The snapshot comes first, then periodic deltas from the sample timer.
    int snapshots = 0;
    int deltas = 0;
    while (deltas < 2) {
        auto line = c.readLine();
        QVERIFY2(line, "no host delta");
        const auto j = rpc::Json::parse(*line);
        QCOMPARE(QString::fromStdString(j["method"].get<std::string>()),
                 QString::fromUtf8(proto::notify::StateDelta.data(), proto::notify::StateDelta.size()));
        QCOMPARE(QString::fromStdString(j["params"]["topic"].get<std::string>()), QStringLiteral("host"));
        QVERIFY(j["params"]["memTotalKiB"].get<std::uint64_t>() > 0);
        (j["params"].value("snapshot", false) ? snapshots : deltas) += 1;
        QCOMPARE(snapshots, 1);
    }
    r = c.call(proto::methods::Unsubscribe, rpc::Json{{"topics", {"host"}}});
    QVERIFY(r && (*r)["result"]["topics"].empty());
    // A client that did not subscribe hears nothing but its answers.
    r = quiet.call(proto::methods::Ping);
    QVERIFY(r && r->contains("result"));
    QVERIFY(!quiet.readLine(300));
    QCOMPARE(agent.terminate(), 0);
}

void TestAgentDaemon::helloPerGroup_data()
{
    QTest::addColumn<QString>("user");
    QTest::addColumn<QString>("permission");
    QTest::newRow("read") << QStringLiteral("hadeck-t-read") << QStringLiteral("read");
    QTest::newRow("operator") << QStringLiteral("hadeck-t-op") << QStringLiteral("operate");
    QTest::newRow("admin") << QStringLiteral("hadeck-t-admin") << QStringLiteral("admin");
    QTest::newRow("none") << QStringLiteral("hadeck-t-none") << QStringLiteral("none");
    QTest::newRow("root") << QStringLiteral("root") << QStringLiteral("admin");
}

void TestAgentDaemon::helloPerGroup()
{
    requireRoot();
    QFETCH(QString, user);
    QFETCH(QString, permission);
    AgentProcess agent;
    // 0666 so that the user in no group reaches the agent and hears why it is refused.
    agent.writeConfig(QStringLiteral("[node]\nname = \"lb-test\"\nroles = [\"director\"]\n"),
                      QStringLiteral("mode = \"0666\""));
    QString error;
    QVERIFY2(agent.start(&error), qPrintable(error));
    LineClient c = LineClient::connectAs(agent.socketPath(), user.toStdString());
    QVERIFY2(c.valid(), qPrintable(QStringLiteral("connect as %1: %2").arg(user, QString::fromLatin1(strerror(c.connectErrno())))));
    auto r = c.call(proto::methods::Hello, rpc::Json{{"client", "tst_agentdaemon"}, {"protocolVersion", 1}});
    QVERIFY(r && r->contains("result"));
    auto hello = proto::fromJson<proto::HelloResult>((*r)["result"]);
    QVERIFY2(hello, hello ? "" : hello.error().message.c_str());
    QCOMPARE(QString::fromStdString(hello->user), user);
    QCOMPARE(QString::fromLatin1(proto::toString(hello->permission).data()), permission);
    QCOMPARE(QString::fromStdString(hello->node), QStringLiteral("lb-test"));
    QCOMPARE(hello->protocolVersion, proto::kProtocolVersion);
    QVERIFY(!hello->agentVersion.empty());
    QVERIFY(hello->roles == std::vector<proto::Role>{proto::Role::Director});
    // Capabilities are the methods this caller may call.
    const auto has = [&](const char* m) {
        return std::find(hello->capabilities.begin(), hello->capabilities.end(), m) != hello->capabilities.end();
    };
    QVERIFY(has("agent.hello"));
    QCOMPARE(has("agent.ping"), hello->permission >= proto::PermissionLevel::Read);
    QCOMPARE(has("agent.setLogLevel"), hello->permission >= proto::PermissionLevel::Operate);
    QCOMPARE(has("agent.reload"), hello->permission >= proto::PermissionLevel::Admin);
    QCOMPARE(agent.terminate(), 0);
}

void TestAgentDaemon::refusals_data()
{
    QTest::addColumn<QString>("user");
    QTest::addColumn<QString>("method");
    QTest::addColumn<QString>("group");
    QTest::newRow("none may not read") << QStringLiteral("hadeck-t-none") << QStringLiteral("agent.ping")
                                       << QStringLiteral("hadeck");
    QTest::newRow("read may not operate") << QStringLiteral("hadeck-t-read") << QStringLiteral("agent.setLogLevel")
                                          << QStringLiteral("hadeck-operator");
    QTest::newRow("operator may not administer")
        << QStringLiteral("hadeck-t-op") << QStringLiteral("agent.reload") << QStringLiteral("hadeck-admin");
}

void TestAgentDaemon::refusals()
{
    requireRoot();
    QFETCH(QString, user);
    QFETCH(QString, method);
    QFETCH(QString, group);
    AgentProcess agent;
    agent.writeConfig(QString(), QStringLiteral("mode = 0o666"));
    QString error;
    QVERIFY2(agent.start(&error), qPrintable(error));
    LineClient c = LineClient::connectAs(agent.socketPath(), user.toStdString());
    QVERIFY(c.valid());
    auto r = c.call(method.toStdString(), rpc::Json{{"level", "info"}});
    QCOMPARE(errorCode(r), int(rpc::PermissionDenied));
    QVERIFY2(errorMessage(r).contains(QStringLiteral("\"%1\"").arg(group)), qPrintable(errorMessage(r)));
    QCOMPARE(QString::fromStdString((*r)["error"]["data"]["group"].get<std::string>()), group);
    QVERIFY((*r)["error"]["data"].contains("required"));
    QCOMPARE(agent.terminate(), 0);
}

void TestAgentDaemon::socketModeAndGroup()
{
    requireRoot();
    AgentProcess agent;
    agent.writeConfig(); // defaults: group hadeck, mode 0660
    QString error;
    QVERIFY2(agent.start(&error), qPrintable(error));
    struct stat st {};
    QCOMPARE(::stat(QFile::encodeName(agent.socketPath()).constData(), &st), 0);
    QCOMPARE(st.st_mode & 07777, 0660U);
    QCOMPARE(st.st_gid, ::getgrnam("hadeck")->gr_gid);
    LineClient outsider = LineClient::connectAs(agent.socketPath(), "hadeck-t-none");
    QVERIFY(!outsider.valid());
    QCOMPARE(outsider.connectErrno(), EACCES);
    LineClient reader = LineClient::connectAs(agent.socketPath(), "hadeck-t-read");
    QVERIFY(reader.valid());
    QVERIFY(reader.call(proto::methods::Ping).has_value());
    QCOMPARE(agent.terminate(), 0);
}

void TestAgentDaemon::concurrentClients()
{
    AgentProcess agent;
    agent.writeConfig();
    QString error;
    QVERIFY2(agent.start(&error), qPrintable(error));
    const long idle = agent.rssKiB();
    constexpr int kClients = 200;
    std::vector<LineClient> clients;
    clients.reserve(kClients);
    for (int i = 0; i < kClients; ++i) {
        clients.push_back(LineClient::connectTo(agent.socketPath()));
        QVERIFY(clients.back().valid());
    }
    // Every client asks before any reads, so all 200 are in flight together.
    for (int i = 0; i < kClients; ++i) {
        const rpc::Json req{{"jsonrpc", "2.0"}, {"id", 1000 + i}, {"method", "agent.hello"}};
        QVERIFY(clients[i].sendLine(req.dump()));
    }
    for (int i = 0; i < kClients; ++i) {
        auto line = clients[i].readLine();
        QVERIFY2(line, qPrintable(QStringLiteral("client %1 got no answer").arg(i)));
        const auto j = rpc::Json::parse(*line);
        QCOMPARE(j["id"].get<int>(), 1000 + i);
        QCOMPARE(QString::fromStdString(j["result"]["permission"].get<std::string>()),
                 ::geteuid() == 0 ? QStringLiteral("admin") : QStringLiteral("none"));
    }
    const long busy = agent.rssKiB();
    qInfo("agent VmRSS: idle %ld KiB, with %d clients connected %ld KiB", idle, kClients, busy);
    QCOMPARE(agent.terminate(), 0);
}

void TestAgentDaemon::stuckClientDoesNotBlockOthers()
{
    AgentProcess agent;
    agent.writeConfig(QString(), QStringLiteral("client_output_limit = 65536"));
    QString error;
    QVERIFY2(agent.start(&error), qPrintable(error));
    LineClient stuck = LineClient::connectTo(agent.socketPath());
    LineClient healthy = LineClient::connectTo(agent.socketPath());
    QVERIFY(stuck.valid() && healthy.valid());

    // Requests whose answers (the method table, a few KiB each) far exceed the
    // socket buffer plus the 64 KiB output limit; the stuck client never reads them.
    bool writeFailed = false;
    for (int i = 0; i < 3000 && !writeFailed; ++i) {
        const rpc::Json req{{"jsonrpc", "2.0"}, {"id", i}, {"method", "agent.methods"}};
        writeFailed = !stuck.sendLine(req.dump());
        if (i % 250 == 0) {
            auto r = healthy.call(proto::methods::Ping);
            QVERIFY2(r && r->contains("result"), "a healthy client waited behind a stuck one");
        }
    }
    auto r = healthy.call(proto::methods::Hello);
    QVERIFY(r && r->contains("result"));
    QVERIFY2(stuck.waitClosed(), qPrintable(QStringLiteral("the stuck client was not dropped; agent said: ") + agent.stderrText().right(2000)));
    QVERIFY(agent.stderrText().contains("does not read its output"));
    QCOMPARE(agent.terminate(), 0);
}

// The output limit bounds what waits behind the answer being sent, not the size of that answer:
// a reply larger than the limit reaches a client that reads, and so does the ping it sends while
// that reply is still on its way (both were dropped: a 30,000-row snapshot is 7.8 MiB against the
// default 8 MiB, with nothing allowed to wait beside it).
void TestAgentDaemon::answerLargerThanTheOutputLimitArrives()
{
    AgentProcess agent;
    const QString logPath = agent.dir() + QStringLiteral("/app.log");
    QFile log(logPath);
    QVERIFY(log.open(QIODevice::WriteOnly));
    const QByteArray text(1000, 'x');
    for (int i = 0; i < 500; ++i) {
        log.write("line " + QByteArray::number(i) + " " + text + "\n");
    }
    log.close();
    agent.writeConfig(QStringLiteral("[modules.logs]\napp = \"%1\"\n").arg(logPath),
                      QStringLiteral("client_output_limit = 65536"));
    QString error;
    QVERIFY2(agent.start(&error), qPrintable(error));
    LineClient client = LineClient::connectTo(agent.socketPath());
    QVERIFY(client.valid());
    const rpc::Json query{{"jsonrpc", "2.0"},
                          {"id", 1},
                          {"method", std::string(proto::methods::LogsQuery.name)},
                          {"params", {{"source", "app"}, {"maxLines", 500}}}};
    QVERIFY(client.sendLine(query.dump()));
    // Unread, the reply fills the socket (about 200 KiB): the rest of its 500 KiB waits in the
    // agent, over the limit. Then a ping, whose answer queues behind it.
    int available = 0;
    QElapsedTimer waited;
    waited.start();
    while (available < 150 * 1024 && waited.elapsed() < 30000) {
        pollfd p{client.fd(), POLLIN, 0};
        ::poll(&p, 1, 100);
        ::ioctl(client.fd(), FIONREAD, &available);
    }
    QVERIFY2(available >= 150 * 1024, qPrintable(QString::number(available)));
    QVERIFY(client.sendLine(R"({"jsonrpc":"2.0","id":2,"method":"agent.ping"})"));
    const auto reply = client.readLine(30000);
    QVERIFY2(reply.has_value(), qPrintable(agent.stderrText().right(1000)));
    const auto r = rpc::Json::parse(*reply, nullptr, false);
    QVERIFY2(r.contains("result") && r["id"] == 1, reply->substr(0, 300).c_str());
    QCOMPARE(r["result"]["lines"].size(), std::size_t{500});
    QVERIFY(reply->size() > 7 * 65536);
    const auto pong = client.readLine(10000);
    QVERIFY2(pong && pong->find("\"id\":2") != std::string::npos && pong->find("result") != std::string::npos,
             pong ? pong->c_str() : "no answer to the ping");
    QVERIFY(!agent.stderrText().contains("does not read its output"));
    QCOMPARE(agent.terminate(), 0);
}

void TestAgentDaemon::sighupReload()
{
    AgentProcess agent;
    agent.writeConfig(QStringLiteral("[node]\nname = \"before\"\n"));
    QString error;
    QVERIFY2(agent.start(&error), qPrintable(error));
    LineClient c = LineClient::connectTo(agent.socketPath());
    QVERIFY(c.call(proto::methods::Subscribe, rpc::Json{{"topics", {"events"}}}).has_value());
    auto r = c.call(proto::methods::Hello);
    QCOMPARE(QString::fromStdString((*r)["result"]["node"].get<std::string>()), QStringLiteral("before"));

    agent.writeConfig(QStringLiteral("[node]\nname = \"after\"\n"));
    ::kill(agent.pid(), SIGHUP);
    QVERIFY(agent.waitNotify("RELOADING=1"));
    QVERIFY(agent.waitNotify("READY=1"));
    // Subscribers hear about it.
    auto note = c.readLine();
    QVERIFY(note);
    auto j = rpc::Json::parse(*note);
    QCOMPARE(QString::fromStdString(j["method"].get<std::string>()), QStringLiteral("event"));
    QCOMPARE(QString::fromStdString(j["params"]["type"].get<std::string>()), QStringLiteral("agent.reloaded"));
    r = c.call(proto::methods::Hello);
    QCOMPARE(QString::fromStdString((*r)["result"]["node"].get<std::string>()), QStringLiteral("after"));

    // A broken file is refused and the running config stays.
    QFile f(agent.configPath());
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write("[node]\nname = \n");
    f.close();
    ::kill(agent.pid(), SIGHUP);
    QVERIFY(agent.waitNotify("READY=1"));
    r = c.call(proto::methods::Hello);
    QCOMPARE(QString::fromStdString((*r)["result"]["node"].get<std::string>()), QStringLiteral("after"));
    QVERIFY(agent.stderrText().contains("agent.toml:2:"));
    QCOMPARE(agent.terminate(), 0);
}

void TestAgentDaemon::auditChain()
{
    requireRoot();
    AgentProcess agent;
    agent.writeConfig();
    QString error;
    QVERIFY2(agent.start(&error), qPrintable(error));
    LineClient op = LineClient::connectAs(agent.socketPath(), "hadeck-t-op");
    LineClient admin = LineClient::connectAs(agent.socketPath(), "hadeck-t-admin");
    LineClient reader = LineClient::connectAs(agent.socketPath(), "hadeck-t-read");
    QVERIFY(op.valid() && admin.valid() && reader.valid());
    QVERIFY(op.call(proto::methods::SetLogLevel, rpc::Json{{"level", "info"}})->contains("result"));
    QVERIFY(admin.call(proto::methods::Reload)->contains("result"));
    QCOMPARE(errorCode(reader.call(proto::methods::SetLogLevel, rpc::Json{{"level", "debug"}})),
             int(rpc::PermissionDenied));
    QCOMPARE(errorCode(op.call(proto::methods::SetLogLevel, rpc::Json{{"level", "loud"}})), int(rpc::InvalidParams));
    QVERIFY(reader.call(proto::methods::Ping)->contains("result")); // reads are not audited

    // Each change is audited twice (its intent before, its outcome after); the refusal once,
    // without params. Outcomes are written by the audit writer after the answer: wait for them.
    std::optional<rpc::Json> v;
    QTRY_VERIFY_WITH_TIMEOUT((v = reader.call(proto::methods::AuditVerify)) && v->contains("result") &&
                                 (*v)["result"]["entries"].get<int>() == 7,
                             10000);
    QCOMPARE((*v)["result"]["ok"].get<bool>(), true);
    QCOMPARE(agent.terminate(), 0);

    QFile log(agent.auditPath());
    QVERIFY(log.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = log.readAll().split('\n');
    log.close();
    QCOMPARE(lines.size(), 8); // 7 entries and the empty rest after the last newline
    const auto first = rpc::Json::parse(lines[0].toStdString());
    QCOMPARE(QString::fromStdString(first["user"].get<std::string>()), QStringLiteral("hadeck-t-op"));
    QCOMPARE(QString::fromStdString(first["phase"].get<std::string>()), QStringLiteral("intent"));
    QCOMPARE(first["params"]["level"].get<std::string>(), std::string("info"));
    QVERIFY(lines[1].contains("\"phase\":\"outcome\"") && lines[1].contains("hadeck-t-op"));
    QVERIFY(lines[4].contains("hadeck-t-read") && lines[4].contains("-32001") && lines[4].contains("\"refused\""));
    QVERIFY(lines[4].contains("\"params\":null")); // refusals carry no params
    QVERIFY(lines[6].contains("\"phase\":\"outcome\"") && lines[6].contains("-32602"));

    const auto verify = [](const QString& file, QByteArray* out) {
        QProcess p;
        p.start(AgentProcess::binary(), {QStringLiteral("--verify-audit"), file});
        p.waitForFinished(10000);
        *out = p.readAllStandardOutput();
        return p.exitCode();
    };
    QByteArray out;
    QCOMPARE(verify(agent.auditPath(), &out), 0);
    QVERIFY(out.contains("7 entries"));

    // Someone rewrites who did it in lines 3 and 4 (the admin's intent and outcome).
    QByteArray tampered = lines.join('\n');
    tampered.replace("\"user\":\"hadeck-t-admin\"", "\"user\":\"hadeck-t-op\"");
    QFile t(agent.dir() + QStringLiteral("/tampered.log"));
    QVERIFY(t.open(QIODevice::WriteOnly));
    t.write(tampered);
    t.close();
    QCOMPARE(verify(t.fileName(), &out), 1);
    QVERIFY2(out.contains("tampered.log:3:"), out.constData());
}

void TestAgentDaemon::configErrorNamesLine()
{
    AgentProcess agent;
    QFile f(agent.configPath());
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("[socket]\npath = \"/tmp/x.sock\"\nmode = [1, 2\n");
    f.close();
    QString err;
    QCOMPARE(agent.runExpectingFailure(&err), 1);
    QVERIFY2(err.contains(QStringLiteral("agent.toml:3:")), qPrintable(err));

    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write("[socket]\n\nmax_frame = \"big\"\n");
    f.close();
    QCOMPARE(agent.runExpectingFailure(&err), 1);
    QVERIFY2(err.contains(QStringLiteral("agent.toml:3:")) && err.contains(QStringLiteral("socket.max_frame")),
             qPrintable(err));
}

void TestAgentDaemon::bridgeRelays()
{
    AgentProcess agent;
    agent.writeConfig();
    QString error;
    QVERIFY2(agent.start(&error), qPrintable(error));
    QProcess bridge;
    bridge.start(AgentProcess::binary(), {QStringLiteral("--bridge"), QStringLiteral("--socket"), agent.socketPath()});
    QVERIFY(bridge.waitForStarted());
    bridge.write(R"({"jsonrpc":"2.0","id":1,"method":"agent.hello"})" "\n"
                 R"({"jsonrpc":"2.0","id":2,"method":"agent.ping"})" "\n");
    // Closing stdin must still let the answers due come back before the bridge exits.
    bridge.closeWriteChannel();
    QVERIFY(bridge.waitForFinished(10000));
    QCOMPARE(bridge.exitCode(), 0);
    const QList<QByteArray> lines = bridge.readAllStandardOutput().trimmed().split('\n');
    QCOMPARE(lines.size(), 2);
    QCOMPARE(rpc::Json::parse(lines[0].toStdString())["id"].get<int>(), 1);
    QVERIFY(rpc::Json::parse(lines[0].toStdString())["result"].contains("protocolVersion"));
    QCOMPARE(rpc::Json::parse(lines[1].toStdString())["id"].get<int>(), 2);
    QCOMPARE(agent.terminate(), 0);
}

void TestAgentDaemon::bridgeReportsUnreachableAgent()
{
    QTemporaryDir dir;
    QProcess bridge;
    bridge.start(AgentProcess::binary(),
                 {QStringLiteral("--bridge"), QStringLiteral("--socket"), dir.path() + QStringLiteral("/none.sock")});
    QVERIFY(bridge.waitForFinished(10000));
    QCOMPARE(bridge.exitCode(), 1);
    const auto j = rpc::Json::parse(bridge.readAllStandardOutput().toStdString(), nullptr, false);
    QVERIFY(j.is_object());
    QCOMPARE(j["error"]["code"].get<int>(), int(rpc::Unavailable));
    QVERIFY(j["error"]["message"].get<std::string>().find("none.sock") != std::string::npos);
}

QTEST_GUILESS_MAIN(TestAgentDaemon)
#include "tst_agentdaemon.moc"
