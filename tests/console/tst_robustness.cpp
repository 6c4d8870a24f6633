// The console against a misbehaving agent (hadeck-fakeagent) with a healthy
// real agent beside it: hadeckctl's output, the receive path's memory and
// liveness, quitting after a burst, an agent that never reads, protocol errors.

#include "sshtestenv.h"

#include <hadeck/console/agentclient.h>
#include <hadeck/console/connectionpool.h>
#include <hadeck/console/localtransport.h>

#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>
#include <QProcess>
#include <QProcessEnvironment>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <any>
#include <memory>
#include <optional>
#include <utility>

using namespace hadeck;
using namespace hadeck::console;
using namespace hadeck::test;

namespace {

/// Resident set of this process, in MiB.
qint64 rssMiB()
{
    QFile f(QStringLiteral("/proc/self/statm"));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    const QList<QByteArray> parts = f.readAll().split(' ');
    return parts.size() > 1 ? parts[1].toLongLong() * 4096 / (1024 * 1024) : -1;
}

AgentClientOptions fast()
{
    AgentClientOptions o;
    o.pingIntervalMs = 300;
    o.pingTimeoutMs = 1500;
    o.degradedThresholdMs = 1000;
    o.backoffInitialMs = 100;
    o.backoffMaxMs = 500;
    return o;
}

} // namespace

class TestRobustness : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<Agent> m_real;

    struct Result {
        int code = -1;
        QByteArray out;
        QByteArray err;
    };

    Result ctl(const QStringList& args)
    {
        ProcessResult r =
            runProgram(hadeckctlBinary(), args,
                       {.timeoutMs = 60000, .environment = {{QStringLiteral("HADECK_LANG"), QStringLiteral("en")}}});
        return {r.code, std::move(r.out), std::move(r.err)};
    }

    /// An inventory of local nodes: name -> socket, in order.
    QString inventory(const QString& file, const QList<QPair<QString, QString>>& nodes)
    {
        QByteArray text = "{\"name\": \"robust\", \"nodes\": [";
        for (qsizetype i = 0; i < nodes.size(); ++i) {
            text += (i ? "," : "") + QStringLiteral("{\"name\": \"%1\", \"transport\": \"local\", \"socket\": \"%2\"}")
                                         .arg(nodes[i].first, nodes[i].second)
                                         .toUtf8();
        }
        text += "]}\n";
        QFile f(m_dir.filePath(file));
        f.open(QIODevice::WriteOnly | QIODevice::Truncate);
        f.write(text);
        return f.fileName();
    }

    QString sock(const QString& name) const { return m_dir.filePath(name + QStringLiteral(".sock")); }

private slots:
    void initTestCase()
    {
        if (!QFile::exists(agentBinary()) || !QFile::exists(hadeckctlBinary()) || !QFile::exists(fakeAgentBinary()))
            QSKIP("hadeck-agent, hadeckctl or hadeck-fakeagent is not built");
        m_real = std::make_unique<Agent>(sock(QStringLiteral("good")));
        QString error;
        QVERIFY2(m_real->start(&error), qPrintable(error));
    }

    // Issue 11 item 5: escapes, a forged row and an escaped NUL from agents.
    void ctlShowsAgentTextEscaped()
    {
        FakeAgent title(sock(QStringLiteral("title")),
                        {QStringLiteral("--user"),
                         QStringLiteral("ops\\e]0;pwned\\a\\e[2J\\e]8;;http://evil.example/\\e\\\\x\\nforged     Online  director  root  admin")});
        FakeAgent nul(sock(QStringLiteral("nul")), {QStringLiteral("--hello-error"), QStringLiteral("cut\\0here")});
        QVERIFY(title.start());
        QVERIFY(nul.start());
        const QString inv = inventory(QStringLiteral("escapes.json"), {{QStringLiteral("title"), title.socket()},
                                                                       {QStringLiteral("nul"), nul.socket()},
                                                                       {QStringLiteral("good"), sock(QStringLiteral("good"))}});
        const Result r = ctl({QStringLiteral("--batch"), QStringLiteral("--cluster"), inv, QStringLiteral("status")});
        QVERIFY2(!r.out.contains('\x1b'), r.out.toHex().constData());
        QVERIFY2(!r.out.contains('\0'), r.out.constData());
        QVERIFY2(!r.out.contains('\a'), r.out.constData());
        // The node after the NUL is still listed, and the '\n' forged no row.
        QVERIFY2(r.out.contains("\ngood "), r.out.constData());
        QVERIFY2(!r.out.contains("\nforged"), r.out.constData());
        QVERIFY2(r.out.contains("cut\\x00here"), r.out.constData());
        QVERIFY2(r.out.contains("\\e]0;pwned"), r.out.constData());
        // Every output line is a header, a row of a node in the inventory, or an indented detail;
        // in the VRRP section an indented row; in the alarms section an alarm, its detail, or a node
        // that did not answer.
        const QList<QByteArray> lines = r.out.split('\n');
        enum { Nodes, Vrrp, Alarms } section = Nodes;
        // A node's row, or a line about one node ("title: ..."), starts with its name.
        const auto isNodeRow = [](const QByteArray& l) {
            for (const char* n : {"title", "nul", "good"}) {
                if (l.startsWith(QByteArray(n) + ' ') || l.startsWith(QByteArray(n) + ':'))
                    return true;
            }
            return false;
        };
        for (const QByteArray& line : lines) {
            if (line.isEmpty())
                continue;
            if (line == "VRRP:") {
                section = Vrrp;
                continue;
            }
            if (line == "ALARMS") {
                section = Alarms;
                continue;
            }
            switch (section) {
            case Nodes:
                QVERIFY2(line.startsWith("    ") || line.startsWith("NODE") || isNodeRow(line), line.constData());
                break;
            case Vrrp: QVERIFY2(line.startsWith("  "), line.constData()); break;
            case Alarms:
                QVERIFY2(line.startsWith("CRITICAL ") || line.startsWith("WARNING ") || line.startsWith("INFO ") ||
                             line.startsWith("          ") || line == "No active alarm." || isNodeRow(line),
                         line.constData());
                break;
            }
        }
        QVERIFY2(section == Alarms, r.out.constData());
    }

    // Issue 11 item 5 for the app/data commands (host, apache, db, mfs, logs, history): every
    // text field an agent returns holds terminal escapes, a C1 control, a NUL and a newline
    // followed by a forged row. Nothing raw reaches the terminal, nothing after the NUL is lost,
    // the newline forges no line, and --json stays valid ASCII JSON.
    void ctlAppDataShowsAgentTextEscaped()
    {
        FakeAgent evil(
            sock(QStringLiteral("appdata")),
            {QStringLiteral("--appdata"),
             QStringLiteral(
                 "ops\\e]0;pwned\\a\\e[2J\\e]8;;http://evil.example/\\e\\\\x\\xc2\\x9b31m\\nforged-row  Online\\0cut-tail")});
        QVERIFY(evil.start());
        const QString inv =
            inventory(QStringLiteral("appdata.json"), {{QStringLiteral("evil"), evil.socket()},
                                                       {QStringLiteral("good"), sock(QStringLiteral("good"))}});
        const QList<QStringList> commands = {
            {QStringLiteral("db")},
            {QStringLiteral("storage")},
            {QStringLiteral("hosts")},
            {QStringLiteral("logs"), QStringLiteral("evil"), QStringLiteral("apache-error")},
            {QStringLiteral("history"), QStringLiteral("evil")},
            {QStringLiteral("history"), QStringLiteral("evil"), QStringLiteral("host.load1")},
        };
        const auto clean = [](const QByteArray& bytes, const QByteArray& what) {
            QVERIFY2(!bytes.contains('\x1b'), (what + ": ESC: " + bytes.toHex()).constData());
            QVERIFY2(!bytes.contains('\a'), (what + ": BEL: " + bytes).constData());
            QVERIFY2(!bytes.contains('\0'), (what + ": NUL: " + bytes).constData());
            QVERIFY2(!bytes.contains("\xc2\x9b"), (what + ": CSI: " + bytes).constData());
            for (const QByteArray& line : bytes.split('\n'))
                QVERIFY2(!line.trimmed().startsWith("forged-row"), (what + ": forged row: " + bytes).constData());
        };
        for (const QStringList& cmd : commands) {
            const QByteArray what = cmd.join(QLatin1Char(' ')).toUtf8();
            const Result r = ctl(QStringList{QStringLiteral("--batch"), QStringLiteral("--cluster"), inv} + cmd);
            clean(r.out, what);
            clean(r.err, what + " (stderr)");
            if (QTest::currentTestFailed())
                return;
            // The agent's text is shown, escaped, whole: the part after the NUL too.
            const QByteArray all = r.out + r.err;
            QVERIFY2(all.contains("ops\\e]0;pwned\\x07\\e[2J"), (what + ": " + all).constData());
            QVERIFY2(all.contains("\\x9b31m\\nforged-row  Online\\x00cut-tail"), (what + ": " + all).constData());
            if (cmd.first() == QLatin1String("logs") || (cmd.first() == QLatin1String("history") && cmd.size() == 2))
                QVERIFY2(r.out.endsWith("last line\n") || r.out.endsWith("last.series\n"),
                         (what + ": " + r.out).constData());

            const Result j =
                ctl(QStringList{QStringLiteral("--batch"), QStringLiteral("--json"), QStringLiteral("--cluster"), inv} +
                    cmd);
            clean(j.out, what + " --json");
            clean(j.err, what + " --json (stderr)");
            if (QTest::currentTestFailed())
                return;
            if (j.code == 0 || !j.out.isEmpty()) {
                for (const char c : j.out)
                    QVERIFY2(static_cast<unsigned char>(c) < 0x80 && (c >= 0x20 || c == '\n'),
                             (what + " --json: not printable ASCII: " + j.out.toHex()).constData());
                QJsonParseError pe{};
                QJsonDocument::fromJson(j.out, &pe);
                QVERIFY2(pe.error == QJsonParseError::NoError, (what + " --json: " + j.out).constData());
                QVERIFY2(j.out.contains("\\u001b]0;pwned"), (what + " --json: " + j.out).constData());
            }
        }
    }

    // Issue 11 items 1-3: a flooding agent beside a healthy real one. The healthy node
    // stays online, memory stays bounded, and closing the pool cancels instead of draining.
    void floodIsBoundedAndHealthyNodeStaysOnline()
    {
        // HADECK_FLOOD_RATE and HADECK_FLOOD_LINE_BYTES change the flood for measurements.
        bool rateOk = false;
        bool bytesOk = false;
        const int rate = qEnvironmentVariableIntValue("HADECK_FLOOD_RATE", &rateOk);
        const int lineBytes = qEnvironmentVariableIntValue("HADECK_FLOOD_LINE_BYTES", &bytesOk);
        FakeAgent flood(sock(QStringLiteral("flood")),
                        {QStringLiteral("--flood"), QString::number(rateOk && rate > 0 ? rate : 20000),
                         QStringLiteral("--line-bytes"), QString::number(bytesOk && lineBytes >= 0 ? lineBytes : 4096),
                         QStringLiteral("--seconds"), QStringLiteral("60")});
        QVERIFY(flood.start());
        ClusterInventory inv;
        inv.name = QStringLiteral("robust");
        for (const auto& [name, socket] : {std::pair{QStringLiteral("good"), sock(QStringLiteral("good"))},
                                           std::pair{QStringLiteral("flood"), flood.socket()}}) {
            NodeSpec n;
            n.name = name;
            n.transport = NodeSpec::TransportKind::Local;
            n.socket = socket;
            inv.nodes.push_back(n);
        }
        ConnectionPoolOptions opts;
        opts.client = fast();
        opts.decodeOffThread = true;
        opts.notificationDecoder = [](const std::string&, rpc::Json& params) -> std::any {
            return params.size();
        };
        const qint64 rssBefore = rssMiB();
        auto pool = std::make_unique<ConnectionPool>(inv, nullptr, opts);
        bool goodLost = false;
        QString goodError;
        connect(pool.get(), &ConnectionPool::nodeStateChanged, this,
                [&](const QString& node, NodeState s, const QString& error) {
                    if (node == QLatin1String("good") && s != NodeState::Online && s != NodeState::Degraded &&
                        s != NodeState::Connecting) {
                        goodLost = true;
                        goodError = error;
                    }
                });
        qint64 floodNotes = 0;
        pool->client(QStringLiteral("flood"))
            ->subscribeDecoded({QStringLiteral("vrrp")},
                               [&floodNotes](const QString&, const rpc::Json&, const std::any&) { ++floodNotes; });
        pool->client(QStringLiteral("good"))->subscribe({QStringLiteral("vrrp")}, [](const QString&, const rpc::Json&) {});
        pool->connectAll();
        QTRY_COMPARE_WITH_TIMEOUT(pool->state(QStringLiteral("good")), NodeState::Online, 10000);
        // Snapshots superseded by a later one are skipped unhandled: both count as consumed.
        auto* floodClient = pool->client(QStringLiteral("flood"));
        QTRY_VERIFY_WITH_TIMEOUT(floodNotes + floodClient->supersededDropped() > 1000, 10000);
        qint64 peakRss = 0;
        qint64 peakBacklog = 0;
        const qint64 consumedBefore = floodClient->linesConsumed();
        QElapsedTimer t;
        t.start();
        while (t.elapsed() < 8000 && !goodLost) {
            QTest::qWait(50);
            peakRss = std::max(peakRss, rssMiB());
            peakBacklog = std::max(peakBacklog, pool->client(QStringLiteral("flood"))->decodeBacklog());
        }
        const double consumedRate = static_cast<double>(floodClient->linesConsumed() - consumedBefore) * 1000.0 /
                                    static_cast<double>(t.elapsed());
        qInfo("flood: %lld notifications handled, %lld superseded snapshots skipped, %.0f lines/s consumed while "
              "measured, peak RSS %lld MiB (from %lld), peak backlog %lld lines",
              floodNotes, floodClient->supersededDropped(), consumedRate, peakRss, rssBefore, peakBacklog);
        QVERIFY2(!goodLost, qPrintable(goodError));
        QVERIFY(pool->state(QStringLiteral("flood")) == NodeState::Online ||
                pool->state(QStringLiteral("flood")) == NodeState::Degraded);
        // Unbounded growth reached gigabytes; the sanitizers' quarantine and shadow memory add their own.
#ifdef HADECK_SANITIZED
        constexpr qint64 kGrowthBoundMiB = 1024;
#else
        constexpr qint64 kGrowthBoundMiB = 200;
#endif
        QVERIFY2(peakRss - rssBefore < kGrowthBoundMiB, qPrintable(QString::number(peakRss - rssBefore)));
        QVERIFY(peakBacklog <= AgentClient::kMaxInFlightLines + 4096);
        // Item 2: closing cancels what is queued instead of parsing it.
        QElapsedTimer closing;
        closing.start();
        pool.reset();
        qInfo("pool closed in %lld ms", closing.elapsed());
        QVERIFY(closing.elapsed() < 1000);
    }

    // Issue 11 item 8: a protocol error is its own state, message and exit code, and is retried.
    // Issue 11 item 6 through hadeckctl: a director whose ipvs.list holds a number out of range
    // or a wrong type. The checks across nodes run without it and say so (exit 7, the field
    // named); no wrapped value is printed (2^40 as 0, -1 as 4294967295, 70000 as 4464).
    void ctlSaysWhatADirectorCouldNotGive_data()
    {
        QTest::addColumn<QString>("services");
        QTest::addColumn<QString>("field");
        const auto rs = [](const QString& fields) {
            return QStringLiteral("[{\"protocol\":\"tcp\",\"address\":\"198.18.0.100\",\"port\":80,\"scheduler\":"
                                  "\"wlc\",\"realServers\":[{\"address\":\"198.18.0.21\",%1}]}]")
                .arg(fields);
        };
        QTest::newRow("weight 2^40") << rs(QStringLiteral("\"port\":80,\"weight\":1099511627776"))
                                     << QStringLiteral("'weight'");
        QTest::newRow("weight -1") << rs(QStringLiteral("\"port\":80,\"weight\":-1")) << QStringLiteral("'weight'");
        QTest::newRow("weight 1e300") << rs(QStringLiteral("\"port\":80,\"weight\":1e300"))
                                      << QStringLiteral("'weight'");
        QTest::newRow("port 70000") << rs(QStringLiteral("\"port\":70000,\"weight\":5")) << QStringLiteral("'port'");
        QTest::newRow("service not an object") << QStringLiteral("[7]") << QStringLiteral("services[0]");
    }

    void ctlSaysWhatADirectorCouldNotGive()
    {
        QFETCH(QString, services);
        QFETCH(QString, field);
        FakeAgent evil(sock(QStringLiteral("junkipvs")), {QStringLiteral("--ipvs"), services});
        QVERIFY(evil.start());
        const QString inv =
            inventory(QStringLiteral("junkipvs.json"), {{QStringLiteral("evil"), evil.socket()},
                                                        {QStringLiteral("good"), sock(QStringLiteral("good"))}});
        Result r = ctl({QStringLiteral("--batch"), QStringLiteral("--cluster"), inv, QStringLiteral("check")});
        QCOMPARE(r.code, 7);
        QVERIFY2(r.out.contains("evil: the checks across nodes ran without what it could not give (") &&
                     r.out.contains("ipvs.list: ") && r.out.contains(field.toUtf8()),
                 r.out.constData());
        for (const char* wrapped : {"4294967295", "4464", "1099511627776"})
            QVERIFY2(!r.out.contains(wrapped), r.out.constData());
        QVERIFY2(!r.out.contains("good did not list"), r.out.constData());

        r = ctl({QStringLiteral("--batch"), QStringLiteral("--cluster"), inv, QStringLiteral("--json"),
                 QStringLiteral("check")});
        QCOMPARE(r.code, 7);
        const QJsonObject root = QJsonDocument::fromJson(r.out).object();
        QVERIFY2(
            root.value(QStringLiteral("unread")).toObject().value(QStringLiteral("evil")).toString().contains(field),
            r.out.constData());
        QVERIFY2(!root.value(QStringLiteral("unread")).toObject().contains(QStringLiteral("good")), r.out.constData());
    }

    // Item 6: roles as a string in the hello is refused whole (a protocol error naming the
    // field), not read as a director.
    void ctlHelloWithRolesAsAStringIsAProtocolError()
    {
        FakeAgent evil(sock(QStringLiteral("roles")), {QStringLiteral("--roles"), QStringLiteral("\"director\"")});
        QVERIFY(evil.start());
        const QString inv =
            inventory(QStringLiteral("roles.json"), {{QStringLiteral("evil"), evil.socket()},
                                                     {QStringLiteral("good"), sock(QStringLiteral("good"))}});
        const Result r = ctl({QStringLiteral("--batch"), QStringLiteral("--cluster"), inv, QStringLiteral("status")});
        QCOMPARE(r.code, 6);
        QVERIFY2(r.out.contains("Protocol error") && r.out.contains("'roles' must be an array of strings"),
                 r.out.constData());
        QVERIFY2(r.out.contains("\ngood "), r.out.constData());
    }

    void protocolErrorIsItsOwnStateAndRetried()
    {
        FakeAgent junk(sock(QStringLiteral("junk")), {QStringLiteral("--garbage")});
        QVERIFY(junk.start());
        AgentClient client(QStringLiteral("junk"), new LocalTransport(junk.socket()), fast());
        int protocolErrors = 0;
        connect(&client, &AgentClient::stateChanged, this, [&protocolErrors](NodeState s, const QString&) {
            if (s == NodeState::ProtocolError)
                ++protocolErrors;
        });
        client.start();
        QTRY_VERIFY_WITH_TIMEOUT(protocolErrors >= 1, 10000);
        QVERIFY2(client.lastError().contains(QLatin1String("not JSON-RPC")), qPrintable(client.lastError()));
        QVERIFY2(!client.lastError().contains(QLatin1String("host key")), qPrintable(client.lastError()));
        // Retried with backoff: it comes back (and fails again) by itself.
        QTRY_VERIFY_WITH_TIMEOUT(protocolErrors >= 2, 10000);

        const QString inv = inventory(QStringLiteral("junk.json"), {{QStringLiteral("junk"), junk.socket()},
                                                                    {QStringLiteral("good"), sock(QStringLiteral("good"))}});
        const Result r = ctl({QStringLiteral("--batch"), QStringLiteral("--cluster"), inv, QStringLiteral("status")});
        QCOMPARE(r.code, 6);
        QVERIFY2(r.out.contains("Protocol error"), r.out.constData());
        QVERIFY2(!r.out.contains("host key"), r.out.constData());
    }

    // An agent can send any error code, the console's own ones too (Disconnected, Timeout):
    // a hello refused with one is a protocol error, dropped and retried like any other, never
    // a node left Connecting with no link, ping or reconnect.
    void helloErrorWithTheConsolesOwnCodeIsAProtocolError_data()
    {
        QTest::addColumn<int>("code");
        QTest::newRow("server error") << -32000;
        QTest::newRow("Disconnected") << int(rpc::Disconnected);
        QTest::newRow("Timeout") << int(rpc::Timeout);
    }

    void helloErrorWithTheConsolesOwnCodeIsAProtocolError()
    {
        QFETCH(int, code);
        FakeAgent refusing(sock(QStringLiteral("helloerr")),
                           {QStringLiteral("--hello-error"), QStringLiteral("go away"), QStringLiteral("--error-code"),
                            QString::number(code)});
        QVERIFY(refusing.start());
        AgentClient client(QStringLiteral("helloerr"), new LocalTransport(refusing.socket()), fast());
        int protocolErrors = 0;
        connect(&client, &AgentClient::stateChanged, this, [&protocolErrors](NodeState s, const QString&) {
            if (s == NodeState::ProtocolError)
                ++protocolErrors;
        });
        client.start();
        QTRY_VERIFY2_WITH_TIMEOUT(protocolErrors >= 1, qPrintable(displayName(client.state())), 10000);
        QVERIFY2(client.lastError().contains(QLatin1String("hello failed: go away")), qPrintable(client.lastError()));
        // Retried with backoff: it comes back (and is refused again) by itself.
        QTRY_VERIFY2_WITH_TIMEOUT(client.consecutiveFailures() >= 2, qPrintable(displayName(client.state())), 10000);
        QCOMPARE(client.state(), NodeState::ProtocolError);
    }

    // The same code in the answer to a question: the agent's answer, at once, never a wait
    // for a reconnect of a link that did not drop.
    void askAnsweredWithTheConsolesOwnCodeIsAnsweredAtOnce()
    {
        FakeAgent fake(sock(QStringLiteral("askerr")),
                       {QStringLiteral("--error-code"), QString::number(int(rpc::Disconnected))});
        QVERIFY(fake.start());
        AgentClient client(QStringLiteral("askerr"), new LocalTransport(fake.socket()), fast());
        client.start();
        QTRY_VERIFY_WITH_TIMEOUT(client.state() == NodeState::Online, 10000);
        std::optional<RpcResult> answer;
        int waits = 0;
        client.ask(
            QStringLiteral("test.not-served"), rpc::Json::object(), [&answer](const RpcResult& r) { answer = r; }, -1,
            60000, [&waits](const QString&) { ++waits; });
        QTRY_VERIFY_WITH_TIMEOUT(answer.has_value() || waits > 0, 10000);
        QCOMPARE(waits, 0);
        QVERIFY(answer.has_value() && !answer->hasValue());
        QCOMPARE(answer->error().code, int(rpc::Disconnected));
        QCOMPARE(QString::fromStdString(answer->error().message), QStringLiteral("no such method"));
        QCOMPARE(client.state(), NodeState::Online);
    }

    // Issue 18 item 15: a legitimate snapshot of tens of MiB (30,000 rows) fits the console's frame limit.
    void largeSnapshotFitsTheFrameLimit()
    {
        FakeAgent big(sock(QStringLiteral("big")), {QStringLiteral("--flood"), QStringLiteral("2"), QStringLiteral("--line-bytes"),
                                                    QStringLiteral("20000000"), QStringLiteral("--seconds"), QStringLiteral("30")});
        QVERIFY(big.start());
        AgentClient client(QStringLiteral("big"), new LocalTransport(big.socket()), fast());
        int notes = 0;
        client.subscribe({QStringLiteral("vrrp")}, [&notes](const QString&, const rpc::Json&) { ++notes; });
        client.start();
        // One 20 MB line parses in seconds on a loaded machine (Debug): one is enough.
        QTRY_VERIFY2_WITH_TIMEOUT(notes >= 1, qPrintable(client.lastError()), 60000);
        QVERIFY2(client.state() == NodeState::Online || client.state() == NodeState::Degraded, qPrintable(client.lastError()));
    }

    // Issue 11 item 10: an agent that sends requests and never reads the answers.
    void agentThatNeverReadsIsDropped()
    {
        FakeAgent deaf(sock(QStringLiteral("deaf")), {QStringLiteral("--requests"), QStringLiteral("400000")});
        QVERIFY(deaf.start());
        AgentClientOptions o = fast();
        o.pingTimeoutMs = 30000; // the write bound, not the ping, must end it
        o.pingIntervalMs = 60000;
        o.autoReconnect = false;
        const qint64 rssBefore = rssMiB();
        AgentClient client(QStringLiteral("deaf"), new LocalTransport(deaf.socket()), o);
        client.start();
        QTRY_COMPARE_WITH_TIMEOUT(client.state(), NodeState::Online, 10000);
        QTRY_VERIFY_WITH_TIMEOUT(client.state() != NodeState::Online, 25000);
        QVERIFY2(client.lastError().contains(QLatin1String("does not read")), qPrintable(client.lastError()));
        QVERIFY(rssMiB() - rssBefore < 100);
    }

    // hadeckctl watch: the cluster's changes as they happen, from the live feed the GUI uses,
    // with agent text escaped (text) or carried in JSON strings (--json), until interrupted.
    void watchPrintsLiveChanges_data()
    {
        QTest::addColumn<bool>("json");
        QTest::newRow("text") << false;
        QTest::newRow("json") << true;
    }

    void watchPrintsLiveChanges()
    {
        QFETCH(bool, json);
        auto watched =
            std::make_unique<FakeAgent>(sock(QStringLiteral("watched")),
                                        QStringList{QStringLiteral("--vrrp-name"), QStringLiteral("VI_\\e]0;pwned\\a"),
                                                    QStringLiteral("--vrrp-state"), QStringLiteral("BACKUP")});
        QVERIFY(watched->start());
        const QString inv =
            inventory(QStringLiteral("watch.json"), {{QStringLiteral("watched"), watched->socket()},
                                                     {QStringLiteral("good"), sock(QStringLiteral("good"))}});
        QProcess watch;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("HADECK_LANG"), QStringLiteral("en"));
        watch.setProcessEnvironment(env);
        QStringList args{QStringLiteral("--batch"), QStringLiteral("--cluster"), inv, QStringLiteral("watch")};
        if (json)
            args << QStringLiteral("--json");
        watch.start(hadeckctlBinary(), args);
        QVERIFY(watch.waitForStarted(5000));
        const auto guard = qScopeGuard([&] {
            watch.terminate();
            if (!watch.waitForFinished(5000))
                watch.kill();
        });
        QByteArray out;
        // A line the watch printed that matches: the text columns, or the JSON object's fields.
        const auto printed = [&](const QString& kind, const QString& node, const QString& text) {
            return QTest::qWaitFor(
                [&] {
                    out += watch.readAllStandardOutput();
                    for (const QByteArray& line : out.split('\n')) {
                        if (json) {
                            const QJsonObject o = QJsonDocument::fromJson(line).object();
                            if (o.value(QStringLiteral("kind")).toString() == kind &&
                                o.value(QStringLiteral("node")).toString() == node &&
                                o.value(QStringLiteral("text")).toString().contains(text))
                                return true;
                        } else if (line.contains(node.toUtf8()) && line.contains(text.toUtf8())) {
                            return true;
                        }
                    }
                    return false;
                },
                20000);
        };
        QVERIFY2(printed(QStringLiteral("link"), QStringLiteral("watched"), QStringLiteral("is now online")),
                 out.constData());
        QVERIFY2(printed(QStringLiteral("alarm-raised"), QStringLiteral("watched"), QStringLiteral("No MASTER")),
                 out.constData());
        watched.reset(); // the agent goes away; the watch goes on and says so
        QVERIFY2(QTest::qWaitFor(
                     [&] {
                         out += watch.readAllStandardOutput();
                         return out.count("watched is now") >= 2;
                     },
                     20000),
                 out.constData());
        QVERIFY2(out.mid(out.lastIndexOf("watched is now")).startsWith("watched is now unreachable") ||
                     out.mid(out.lastIndexOf("watched is now")).startsWith("watched is now connecting"),
                 out.constData());
        QCOMPARE(watch.state(), QProcess::Running);
        // The instance name's escapes never reach the terminal.
        QVERIFY2(!out.contains('\x1b') && !out.contains('\a'), out.toHex().constData());
        if (!json)
            QVERIFY2(out.contains("\\e]0;pwned"), out.constData());
    }
};

QTEST_GUILESS_MAIN(TestRobustness)
#include "tst_robustness.moc"
