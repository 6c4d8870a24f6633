// The application-node modules inside the real hadeck-agent: host.status,
// history.get filling at 1 s, apache.status through each failure state against
// a local HTTP server (serving the captured Apache and php-fpm pages), logs.query
// on a named source only, and db.status / mfs.status on a node without them.

#include "fixture.h"
#include "agenttestutil.h"

#include "hadeck/protocol/appdata.h"
#include "hadeck/protocol/methods.h"

#include <QFile>
#include <QTcpServer>
#include <QTcpSocket>
#include <QtTest>

using namespace hadeck;
using namespace hadeck::test;
namespace m = hadeck::proto::methods;

namespace {

std::string fixture(const char* name) { return hadeck::test::fixture(QLatin1String(name)); }

/// Answers every request with the current status code and body.
class TinyHttp : public QObject {
public:
    TinyHttp()
    {
        m_server.listen(QHostAddress(QStringLiteral("127.0.0.1")), 0);
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket* s = m_server.nextPendingConnection()) {
                connect(s, &QTcpSocket::readyRead, s, [this, s] {
                    if (!s->readAll().contains("\r\n\r\n")) {
                        return;
                    }
                    ++requests;
                    const QByteArray head = "HTTP/1.1 " + QByteArray::number(code) + " X\r\nContent-Length: " +
                                            QByteArray::number(body.size()) + "\r\nConnection: close\r\n\r\n";
                    s->write(head + body);
                    s->disconnectFromHost();
                });
                connect(s, &QTcpSocket::disconnected, s, &QObject::deleteLater);
            }
        });
    }
    quint16 port() const { return m_server.serverPort(); }
    int code = 200;
    QByteArray body;
    int requests = 0;

private:
    QTcpServer m_server;
};

template <typename T>
std::optional<T> typed(LineClient& c, std::string_view method, const rpc::Json& params = rpc::Json::object())
{
    auto r = c.call(std::string(method), params);
    if (!r || !r->contains("result")) {
        qWarning("%s: %s", std::string(method).c_str(), r ? r->dump().c_str() : "no answer");
        return std::nullopt;
    }
    auto v = proto::fromJson<T>((*r)["result"]);
    if (!v) {
        qWarning("%s: %s", std::string(method).c_str(), v.error().message.c_str());
        return std::nullopt;
    }
    return *v;
}

} // namespace

class TestAppdataAgent : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void hostStatusAndHistory();
    void socketTableWalkedApart();
    void apacheStates();
    void logsNamedSourcesOnly();
    void logsFollow();
    void absentServices();
    void cleanupTestCase();

private:
    TinyHttp m_http;
    AgentProcess m_agent;
    QString m_log;
};

void TestAppdataAgent::initTestCase()
{
    m_log = m_agent.dir() + QStringLiteral("/access.log");
    QFile log(m_log);
    QVERIFY(log.open(QIODevice::WriteOnly));
    log.write("198.19.0.10 - - [02/Dec/2026:02:22:26 +0000] \"GET / HTTP/1.1\" 200 12 345\n"
              "198.19.0.10 - - [02/Dec/2026:02:22:27 +0000] \"GET /upload HTTP/1.1\" 500 10 999\n"
              "198.19.0.11 - - [02/Dec/2026:02:23:00 +0000] \"GET / HTTP/1.1\" 200 12 300\n");
    log.close();
    m_http.body = QByteArray::fromStdString(fixture("apache/status-worker-ext.txt"));
    m_agent.writeConfig(QStringLiteral("[sample]\ninterval_ms = 200\n"
                                       "[modules.apache]\nstatus_url = \"http://127.0.0.1:%1/server-status?auto\"\n"
                                       "[modules.mysql]\nsocket = \"%2/no-such.sock\"\n"
                                       "[modules.moosefs]\nport = 1\n"
                                       "[modules.logs]\ntest-access = \"%3\"\n")
                            .arg(m_http.port())
                            .arg(m_agent.dir(), m_log));
    QString error;
    QVERIFY2(m_agent.start(&error), qPrintable(error));
}

void TestAppdataAgent::hostStatusAndHistory()
{
    auto c = LineClient::connectTo(m_agent.socketPath());
    QVERIFY(c.valid());
    // Rates need two samples: wait until CPU usage has a total and the rings fill.
    std::optional<proto::HostStatus> h;
    QTRY_VERIFY_WITH_TIMEOUT((h = typed<proto::HostStatus>(c, m::HostStatusGet.name)) && !h->cpus.empty(), 10000);
    QCOMPARE(QString::fromStdString(h->cpus.front().name), QStringLiteral("cpu"));
    QVERIFY(h->memTotalKiB > 0);
    QVERIFY(!h->filesystems.empty());
    QVERIFY(!h->interfaces.empty());
    QVERIFY(h->tcp.states.count("LISTEN") == 1);
    QVERIFY2(h->errors.empty(), h->errors.empty() ? "" : h->errors.front().c_str());

    std::optional<proto::HistoryResult> hist;
    proto::HistoryParams p;
    p.series = "host.load1";
    QTRY_VERIFY_WITH_TIMEOUT((hist = typed<proto::HistoryResult>(c, m::HistoryGet.name, rpc::Json(p))) &&
                                 hist->times.size() >= 2,
                             10000);
    QCOMPARE(hist->times.size(), hist->values.size());
    QVERIFY(hist->times.back() > 1'700'000'000);
    p.series.clear();
    const auto list = typed<proto::HistoryResult>(c, m::HistoryGet.name, rpc::Json(p));
    QVERIFY(list);
    QVERIFY(std::find(list->available.begin(), list->available.end(), "host.cpuBusyPct") != list->available.end());
    p.series = "no.such.series";
    auto r = c.call(std::string(m::HistoryGet.name), rpc::Json(p));
    QVERIFY(r && r->contains("error"));
    r = c.call(std::string(m::HistoryGet.name), rpc::Json{{"series", "host.load1"}, {"step", -1}});
    QVERIFY(r && r->contains("error"));
}

// The TCP states and connection groups cost a walk of the kernel's whole socket hash table, so
// they are refreshed every [modules.host] sockets_interval_ms (5 s), not at every 200 ms sample.
// The history keeps a point a second: while host.load1 gains three (about 3 s), tcp.established
// gains at most one. A new connection still shows in the groups at the next walk.
void TestAppdataAgent::socketTableWalkedApart()
{
    auto c = LineClient::connectTo(m_agent.socketPath());
    QVERIFY(c.valid());
    const auto points = [&c](const char* series) -> std::optional<std::size_t> {
        proto::HistoryParams p;
        p.series = series;
        if (auto h = typed<proto::HistoryResult>(c, m::HistoryGet.name, rpc::Json(p))) {
            return h->times.size();
        }
        return std::nullopt;
    };
    std::optional<std::size_t> load;
    std::optional<std::size_t> tcp;
    QTRY_VERIFY_WITH_TIMEOUT((load = points("host.load1")) && (tcp = points("tcp.established")), 10000);
    const std::size_t loadStart = *load;
    QTRY_VERIFY_WITH_TIMEOUT((load = points("host.load1")) && *load >= loadStart + 3, 10000);
    const auto tcpAfter = points("tcp.established");
    QVERIFY(tcpAfter);
    QVERIFY2(*tcpAfter <= *tcp + 1,
             qPrintable(QStringLiteral("%1 socket walks in 3 seconds of samples").arg(*tcpAfter - *tcp)));

    QTcpServer server;
    QVERIFY(server.listen(QHostAddress(QStringLiteral("127.0.0.1")), 0));
    QTcpSocket client;
    client.connectToHost(QHostAddress(QStringLiteral("127.0.0.1")), server.serverPort());
    QVERIFY(client.waitForConnected(5000));
    std::optional<proto::HostStatus> h;
    const auto grouped = [&] {
        if (!(h = typed<proto::HostStatus>(c, m::HostStatusGet.name))) {
            return false;
        }
        for (const auto& g : h->tcp.byLocal) {
            if (g.port == server.serverPort()) {
                return true;
            }
        }
        return false;
    };
    QTRY_VERIFY_WITH_TIMEOUT(grouped(), 15000);
}

void TestAppdataAgent::apacheStates()
{
    auto c = LineClient::connectTo(m_agent.socketPath());
    QVERIFY(c.valid());
    std::optional<proto::ApacheStatus> a;
    const auto waitState = [&](proto::ApacheState want) {
        return QTest::qWaitFor(
            [&] { return (a = typed<proto::ApacheStatus>(c, m::ApacheStatusGet.name)) && a->state == want; }, 10000);
    };
    QVERIFY(waitState(proto::ApacheState::Ok));
    QCOMPARE(QString::fromStdString(a->mpm), QStringLiteral("worker"));
    QCOMPARE(a->busyWorkers, 1u);

    m_http.code = 404;
    m_http.body = "<html>Not Found</html>";
    QVERIFY(waitState(proto::ApacheState::StatusDisabled));
    QVERIFY(QString::fromStdString(a->reason).contains(QLatin1String("SetHandler server-status")));

    m_http.code = 403;
    QVERIFY(waitState(proto::ApacheState::AccessDenied));

    m_http.code = 200;
    m_http.body = QByteArray::fromStdString(fixture("apache/fpm-status.txt"));
    QVERIFY(waitState(proto::ApacheState::NotApache));

    m_http.body = QByteArray::fromStdString(fixture("apache/status-event-ext-tls.txt"));
    QVERIFY(waitState(proto::ApacheState::Ok));
    QCOMPARE(QString::fromStdString(a->mpm), QStringLiteral("event"));
}

void TestAppdataAgent::logsNamedSourcesOnly()
{
    auto c = LineClient::connectTo(m_agent.socketPath());
    QVERIFY(c.valid());
    proto::LogsParams p;
    p.source = "test-access";
    auto all = typed<proto::LogsResult>(c, m::LogsQuery.name, rpc::Json(p));
    QVERIFY(all);
    QCOMPARE(all->lines.size(), std::size_t(3));
    QCOMPARE(all->lines[0].time, 1796178146); // 2026-12-02T02:22:26Z
    QVERIFY(std::find(all->sources.begin(), all->sources.end(), "test-access") != all->sources.end());

    p.grep = "500";
    auto errors = typed<proto::LogsResult>(c, m::LogsQuery.name, rpc::Json(p));
    QVERIFY(errors);
    QCOMPARE(errors->lines.size(), std::size_t(1));
    QVERIFY(errors->lines[0].text.find("/upload") != std::string::npos);

    p.grep.clear();
    p.since = 1796178180; // 02:23:00
    auto late = typed<proto::LogsResult>(c, m::LogsQuery.name, rpc::Json(p));
    QVERIFY(late);
    QCOMPARE(late->lines.size(), std::size_t(1));

    p.since = 0;
    p.maxLines = 2;
    auto bounded = typed<proto::LogsResult>(c, m::LogsQuery.name, rpc::Json(p));
    QVERIFY(bounded);
    QCOMPARE(bounded->lines.size(), std::size_t(2)); // the newest two
    QVERIFY(bounded->truncated);
    QCOMPARE(bounded->lines.back().time, 1796178180);

    // A caller's path is never a source.
    p.source = m_log.toStdString();
    auto r = c.call(std::string(m::LogsQuery.name), rpc::Json(p));
    QVERIFY(r && r->contains("error"));
    QVERIFY(QString::fromStdString((*r)["error"]["message"].get<std::string>()).contains(QLatin1String("test-access")));
    p.source = "/etc/shadow";
    r = c.call(std::string(m::LogsQuery.name), rpc::Json(p));
    QVERIFY(r && r->contains("error"));
}

void TestAppdataAgent::logsFollow()
{
    auto c = LineClient::connectTo(m_agent.socketPath());
    QVERIFY(c.valid());
    proto::LogsParams p;
    p.source = "test-access";
    p.follow = true;
    p.maxLines = 1;
    const auto first = typed<proto::LogsResult>(c, m::LogsQuery.name, rpc::Json(p));
    QVERIFY(first);
    QCOMPARE(QString::fromStdString(first->followTopic), QStringLiteral("log.test-access"));
    proto::SubscribeParams sp;
    sp.topics = {first->followTopic};
    auto r = c.call(std::string(m::Subscribe.name), rpc::Json(sp));
    QVERIFY(r && r->contains("result"));
    QFile log(m_log);
    QVERIFY(log.open(QIODevice::Append));
    log.write("198.19.0.12 - - [02/Dec/2026:02:30:00 +0000] \"GET /new HTTP/1.1\" 200 12 100\n"
              "198.19.0.12 - - [02/Dec/2026:02:30:01 +0000] \"GET /partial");
    log.close();
    // The complete line arrives as a state.delta of the topic; the partial one waits for its end.
    std::optional<std::string> line;
    QVERIFY((line = c.readLineContaining("GET /new", 15000)));
    const auto j = rpc::Json::parse(*line);
    QCOMPARE(j["params"]["lines"].size(), std::size_t(1));
    QCOMPARE(j["params"]["lines"][0]["time"].get<std::int64_t>(), 1796178600);
    QVERIFY(log.open(QIODevice::Append));
    log.write(" HTTP/1.1\" 200 12 100\n");
    log.close();
    QVERIFY((line = c.readLineContaining("GET /partial HTTP/1.1", 15000)));
}

void TestAppdataAgent::absentServices()
{
    auto c = LineClient::connectTo(m_agent.socketPath());
    QVERIFY(c.valid());
    const auto db = typed<proto::DbStatus>(c, m::DbStatusGet.name);
    QVERIFY(db);
    QVERIFY(db->state == proto::DbState::Unreachable);
    QVERIFY(QString::fromStdString(db->reason).contains(QLatin1String("no-such.sock")));
    const auto mfs = typed<proto::MfsStatus>(c, m::MfsStatusGet.name);
    QVERIFY(mfs);
    QVERIFY(!mfs->ok);
    QVERIFY(!mfs->reason.empty());
    // An action on an absent server fails with the preflight's reason (and is audited).
    auto r = c.call(std::string(m::DbSetReadOnly.name), rpc::Json{{"on", true}});
    QVERIFY(r && r->contains("error"));
    r = c.call(std::string(m::MfsSetMaintenance.name), rpc::Json{{"host", "not-an-ip"}, {"on", true}});
    QVERIFY(r && r->contains("error"));
    QFile audit(m_agent.auditPath());
    QVERIFY(audit.open(QIODevice::ReadOnly));
    QVERIFY(audit.readAll().contains(QByteArray::fromStdString(std::string(m::DbSetReadOnly.name))));
}

void TestAppdataAgent::cleanupTestCase()
{
    QString why;
    QVERIFY2(m_agent.stopCleanly(&why), qPrintable(why));
}

QTEST_GUILESS_MAIN(TestAppdataAgent)
#include "tst_appdata_agent.moc"
