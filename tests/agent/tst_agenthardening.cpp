// Runs the real hadeck-agent as an attacker would: as a viewer (group hadeck
// only), as a user in no hadeck group, and as root, and checks that a viewer
// cannot exhaust the agent's fds or memory, stall root's calls, or crash it on
// shutdown, and that the permission level follows the peer's own groups.

#include "agenttestutil.h"
#include "hadeck/protocol/methods.h"
#include "processutil.h"

#include "hadeck/protocol/types.h"

#include <QtTest>

#include <algorithm>
#include <array>
#include <map>
#include <atomic>
#include <csignal>
#include <cstring>
#include <set>
#include <thread>

#include <dirent.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <poll.h>
#include <grp.h>
#include <linux/capability.h>
#include <pwd.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace hadeck;
using namespace hadeck::test;

class TestAgentHardening : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void fdExhaustionLeavesRootServed();
    void outOfFdsRefusesWithAReason();
    void softFdLimitRaisedToTheHardOne();
    void unitCredentialsReadAdmLogs();
    void cleanShutdownAfterFloodAndHeldConnections();
    void partialFrameTimesOut();
    void idleConnectionTimesOut();
    void requestFramesLimitedToOneMiB();
    void unknownTopicsRefused();
    void logTopicsOnlyForConfiguredSources();
    void logSourcesReadOnlyAsRegularFiles();
    void floodingViewerDoesNotStallRoot();
    void requestBudgetOutlivesTheConnection();
    void droppedGroupsLoseTheirLevel();
    void revokedOperatorRefusedAfterReload();
    void revokedOperatorRefusedWithoutReload();
    void revokedViewerStopsReceiving();
    void nonMemberGetsNothing();
    void drainLocalHasATotalDeadline();
    void failoverStatusFloodDoesNotStallRoot();
    void trackFileFifoDoesNotBlockTheAgent();

private:
    void requireRoot();
    /// Starts @p agent and connects @p op as @p user, created in hadeck and hadeck-operator.
    bool startWithOperator(AgentProcess& agent, const char* user, LineClient* op, QString* why);
    bool m_usersReady = false;
    QString m_usersError;
};

namespace {

bool run(const QString& program, const QStringList& args) { return runProgram(program, args).ok(); }

// A refused call for a viewer: needs admin.
std::string refusedCall(int id)
{
    return R"({"jsonrpc":"2.0","id":)" + std::to_string(id) + R"(,"method":"agent.reload"})";
}

} // namespace

void TestAgentHardening::initTestCase()
{
    QVERIFY2(QFileInfo(AgentProcess::binary()).isExecutable(), qPrintable(AgentProcess::binary()));
    m_usersReady = testUsersReady(&m_usersError);
}

void TestAgentHardening::requireRoot()
{
    if (!m_usersReady) {
        QSKIP(qPrintable(m_usersError));
    }
}

// Item 3: with a tight fd limit a viewer holding hundreds of connections used to
// push the agent into EMFILE, where the accept loop spun and logged on every
// wake-up and nobody, root included, got an answer.
void TestAgentHardening::fdExhaustionLeavesRootServed()
{
    HADECK_SKIP_BOUNDS_UNDER_SANITIZERS();
    requireRoot();
    AgentProcess agent;
    agent.setFdLimit(200);
    agent.writeConfig();
    QString error;
    QVERIFY2(agent.start(&error), qPrintable(error));

    std::vector<LineClient> held;
    for (int i = 0; i < 300; ++i) {
        auto c = LineClient::connectAs(agent.socketPath(), "hadeck-t-read");
        if (c.valid()) {
            held.push_back(std::move(c));
        }
    }
    // The per-user cap refuses the viewer's surplus with a reason and closes.
    int served = 0;
    int refusedForCap = 0;
    for (auto& c : held) {
        auto r = c.call(proto::methods::Ping, nullptr, 2000);
        if (r && r->contains("result")) {
            ++served;
        } else if (r && errorCode(r) == int(rpc::Unavailable) &&
                   errorMessage(r).contains(QStringLiteral("connections"))) {
            ++refusedForCap;
        } else if (!r) {
            // A refusal is written before our request; read it from the buffer.
            ++refusedForCap;
        }
    }
    QVERIFY2(served <= 16, qPrintable(QStringLiteral("viewer kept %1 connections").arg(served)));
    QVERIFY(served >= 1);

    // Root still gets in and is answered at once.
    auto root = LineClient::connectTo(agent.socketPath());
    QVERIFY(root.valid());
    auto pong = root.call(proto::methods::Ping, nullptr, 3000);
    QVERIFY2(pong && pong->contains("result"), "root got no answer while a viewer held 300 connections");

    QVERIFY2(openFds(agent.pid()) < 200, qPrintable(QString::number(openFds(agent.pid()))));
    const auto lines = agent.stderrText().count('\n');
    QVERIFY2(lines < 100, qPrintable(QStringLiteral("%1 log lines").arg(lines)));
    held.clear();
    QCOMPARE(agent.terminate(), 0);
}

// Item 3: when accept fails with EMFILE, the agent frees its reserve fd to take the waiting client
// and refuse it with a reason, logs that once per interval, and keeps serving the connections it
// holds. The limit is lowered on the running agent (prlimit) to its lowest free fd number, the way a
// node runs out (the caps on clients keep an unchanged agent from reaching EMFILE); its reserve fd
// is one of the numbers below the limit.
void TestAgentHardening::outOfFdsRefusesWithAReason()
{
    requireRoot();
    AgentProcess agent;
    // No sampling meanwhile: its short-lived fds (reading /proc) would move the lowest free number.
    agent.writeConfig(QStringLiteral("[sample]\ninterval_ms = 3600000\n"));
    QString error;
    QVERIFY2(agent.start(&error), qPrintable(error));
    auto root = LineClient::connectTo(agent.socketPath());
    QVERIFY(root.valid());
    QVERIFY(root.call(proto::methods::Ping));
    // The lowest free fd number: with the limit there, every new fd fails (those above it stay).
    const auto lowestFreeFd = [&agent] {
        std::set<int> open;
        for (const QString& name : QDir(QStringLiteral("/proc/%1/fd").arg(agent.pid()))
                                       .entryList(QDir::NoDotAndDotDot | QDir::AllEntries | QDir::System)) {
            open.insert(name.toInt());
        }
        int lowest = 0;
        while (open.count(lowest) != 0) {
            ++lowest;
        }
        return lowest;
    };
    // The soft limit only: raising it back needs no privilege.
    rlimit old{};
    QVERIFY2(::prlimit(agent.pid(), RLIMIT_NOFILE, nullptr, &old) == 0, std::strerror(errno));
    // Set again until the listing agrees before and after (a short-lived fd seen once is gone).
    int lowestFree = -1;
    for (int i = 0; i < 10 && lowestFree != lowestFreeFd(); ++i) {
        lowestFree = lowestFreeFd();
        const rlimit tight{rlim_t(lowestFree), old.rlim_max};
        QVERIFY2(::prlimit(agent.pid(), RLIMIT_NOFILE, &tight, nullptr) == 0, std::strerror(errno));
    }
    QVERIFY(lowestFree > 2);
    std::vector<LineClient> clients;
    int served = 0;
    int refused = 0;
    for (int i = 0; i < 3; ++i) {
        auto c = LineClient::connectAs(agent.socketPath(), i % 2 == 0 ? "hadeck-t-read" : "hadeck-t-op");
        QVERIFY(c.valid());
        // A refusal comes unasked, as the first line, and the agent closes; a served client is
        // answered its ping.
        const auto line = c.readLine(2000);
        if (!line) {
            const auto pong = c.call(proto::methods::Ping, nullptr, 5000);
            QVERIFY2(pong && pong->contains("result"), "neither refused with a reason nor served");
            ++served;
        } else {
            const auto r = std::optional<Json>(Json::parse(*line, nullptr, false));
            QVERIFY2(errorCode(r) == int(rpc::Unavailable) &&
                         errorMessage(r).contains(QStringLiteral("out of file descriptors")),
                     line->c_str());
            QVERIFY(c.waitClosed(5000));
            ++refused;
        }
        clients.push_back(std::move(c));
    }
    qInfo("limit at fd %d: %d client(s) served, %d refused with a reason", lowestFree, served, refused);
    QCOMPARE(served, 0);
    QCOMPARE(refused, 3);
    // What it holds is still served, and the refusals were logged once.
    auto pong = root.call(proto::methods::Ping, nullptr, 3000);
    QVERIFY2(pong && pong->contains("result"), "root's connection got no answer");
    QCOMPARE(agent.stderrText().count("accept: Too many open files"), 1);
    // Room again: a new client is served.
    QVERIFY2(::prlimit(agent.pid(), RLIMIT_NOFILE, &old, nullptr) == 0, std::strerror(errno));
    auto later = LineClient::connectAs(agent.socketPath(), "hadeck-t-read");
    QVERIFY(later.valid());
    const auto r = later.call(proto::methods::Ping, nullptr, 5000);
    QVERIFY2(r && r->contains("result"), r ? r->dump().c_str() : "no answer");
    clients.clear();
    QCOMPARE(agent.terminate(), 0);
}

// Item 3: started with a soft open-file limit below the hard one (a shell's ulimit -n 1024 under
// a larger hard limit), the agent raises the soft limit to the hard one.
void TestAgentHardening::softFdLimitRaisedToTheHardOne()
{
    requireRoot();
    AgentProcess agent;
    agent.setFdLimit(128, 2048);
    agent.writeConfig();
    QString error;
    QVERIFY2(agent.start(&error), qPrintable(error));
    QFile limits(QStringLiteral("/proc/%1/limits").arg(agent.pid()));
    QVERIFY(limits.open(QIODevice::ReadOnly));
    QByteArray line;
    for (const QByteArray& l : limits.readAll().split('\n')) {
        if (l.startsWith("Max open files")) {
            line = l.simplified();
        }
    }
    QCOMPARE(line, QByteArray("Max open files 2048 2048 files"));
    QCOMPARE(agent.terminate(), 0);
}

// Under its unit's credentials (CapabilityBoundingSet= and SupplementaryGroups=, read from
// installer/hadeck-agent.service) root has no CAP_DAC_OVERRIDE: a log that another daemon keeps
// closed to root's uid is read through group adm, as Debian's MariaDB leaves its error log
// (mysql:adm, 0640, in a 2750 directory). The unit granted no such group: logs.query failed.
void TestAgentHardening::unitCredentialsReadAdmLogs()
{
    requireRoot();
    QFile unit(QStringLiteral(QT_TESTCASE_SOURCEDIR "/../installer/hadeck-agent.service"));
    QVERIFY2(unit.open(QIODevice::ReadOnly), qPrintable(unit.fileName()));
    QStringList capNames;
    QStringList groupNames;
    for (const QByteArray& line : unit.readAll().split('\n')) {
        const QString l = QString::fromUtf8(line).trimmed();
        if (l.startsWith(QLatin1String("CapabilityBoundingSet="))) {
            capNames = l.mid(22).split(QLatin1Char(' '), Qt::SkipEmptyParts);
        } else if (l.startsWith(QLatin1String("SupplementaryGroups="))) {
            groupNames = l.mid(20).split(QLatin1Char(' '), Qt::SkipEmptyParts);
        }
    }
    QVERIFY(!capNames.isEmpty());
    const std::map<QString, int> known{{QStringLiteral("CAP_CHOWN"), CAP_CHOWN},
                                       {QStringLiteral("CAP_DAC_OVERRIDE"), CAP_DAC_OVERRIDE},
                                       {QStringLiteral("CAP_DAC_READ_SEARCH"), CAP_DAC_READ_SEARCH},
                                       {QStringLiteral("CAP_KILL"), CAP_KILL},
                                       {QStringLiteral("CAP_NET_ADMIN"), CAP_NET_ADMIN},
                                       {QStringLiteral("CAP_NET_RAW"), CAP_NET_RAW},
                                       {QStringLiteral("CAP_SYS_RESOURCE"), CAP_SYS_RESOURCE}};
    std::vector<int> caps;
    for (const QString& name : capNames) {
        const auto it = known.find(name);
        QVERIFY2(it != known.end(), qPrintable(QStringLiteral("add %1 to this test's table").arg(name)));
        caps.push_back(it->second);
    }
    std::vector<gid_t> gids;
    for (const QString& name : groupNames) {
        const group* g = ::getgrnam(name.toLocal8Bit().constData());
        QVERIFY2(g != nullptr, qPrintable(name));
        gids.push_back(g->gr_gid);
    }
    const group* adm = ::getgrnam("adm");
    QVERIFY(adm != nullptr);
    AgentProcess agent;
    const QString dir = agent.dir() + QStringLiteral("/mysql");
    const QString log = dir + QStringLiteral("/error.log");
    QVERIFY(QDir().mkpath(dir));
    QFile f(log);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("2026-12-05 10:00:00 0 [ERROR] hadeck-unit-check\n");
    f.close();
    for (const auto& [path, mode] : {std::pair{dir, mode_t(02750)}, std::pair{log, mode_t(0640)}}) {
        QVERIFY(::chown(path.toLocal8Bit().constData(), 65534, adm->gr_gid) == 0);
        QVERIFY(::chmod(path.toLocal8Bit().constData(), mode) == 0);
    }
    agent.writeConfig(QStringLiteral("[modules.logs]\nmariadb-error = \"%1\"\n").arg(log));
    std::uint64_t expectedCaps = 0;
    for (const int c : caps) {
        expectedCaps |= std::uint64_t{1} << c;
    }
    // @return the reply to logs.query, the agent run with @p groups; checks it runs as the unit says.
    const auto queryAs = [&](const std::vector<gid_t>& groups) -> std::optional<Json> {
        agent.setCredentials(caps, groups);
        QString error;
        if (!agent.start(&error)) {
            qWarning("%s", qPrintable(error));
            return std::nullopt;
        }
        QFile status(QStringLiteral("/proc/%1/status").arg(agent.pid()));
        status.open(QIODevice::ReadOnly);
        for (const QByteArray& l : status.readAll().split('\n')) {
            if (l.startsWith("CapEff:") && l.mid(7).trimmed().toULongLong(nullptr, 16) != expectedCaps) {
                qWarning("the agent's capabilities are not the unit's: %s", l.constData());
                return std::nullopt;
            }
            const QByteArray listed = l.mid(7).simplified();
            if (l.startsWith("Groups:") &&
                (listed.isEmpty() ? 0 : listed.split(' ').size()) != qsizetype(groups.size())) {
                qWarning("the agent's groups are not the unit's: %s", l.constData());
                return std::nullopt;
            }
        }
        auto root = LineClient::connectTo(agent.socketPath());
        auto r = root.call(proto::methods::LogsQuery, rpc::Json{{"source", "mariadb-error"}, {"maxLines", 10}});
        agent.terminate();
        return r;
    };
    // Without the unit's groups the log is closed: the emulation leaves root no way around it.
    const auto closed = queryAs({});
    QVERIFY2(closed && errorMessage(closed).contains(QStringLiteral("Permission denied")),
             closed ? closed->dump().c_str() : "no answer");
    const auto r = queryAs(gids);
    QVERIFY2(r && r->contains("result") && r->dump().find("hadeck-unit-check") != std::string::npos,
             r ? r->dump().c_str() : "no answer");
}

// Item 4: a flood of refused calls and 300 held connections, then SIGTERM.
void TestAgentHardening::cleanShutdownAfterFloodAndHeldConnections()
{
    requireRoot();
    AgentProcess agent;
    agent.setFdLimit(256);
    agent.writeConfig(QString(), QStringLiteral("max_clients_per_user = 1000\nmax_clients = 1000"));
    QString error;
    QVERIFY2(agent.start(&error), qPrintable(error));

    std::vector<LineClient> held;
    for (int i = 0; i < 300; ++i) {
        auto c = LineClient::connectAs(agent.socketPath(), "hadeck-t-read");
        if (c.valid()) {
            held.push_back(std::move(c));
        }
    }
    QVERIFY(!held.empty());
    std::string flood;
    for (int i = 0; i < 5000; ++i) {
        flood += refusedCall(i) + "\n";
    }
    // As much as the socket takes without blocking: the agent reads at its own pace.
    std::size_t sent = 0;
    for (std::size_t k = 0; k < std::min<std::size_t>(held.size(), 4); ++k) {
        const ssize_t n = ::send(held[k].fd(), flood.data(), flood.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
        sent += n > 0 ? static_cast<std::size_t>(n) : 0;
    }
    QVERIFY(sent > 0);
    // Half-written requests on other connections.
    for (std::size_t k = 4; k < held.size(); k += 7) {
        (void)::send(held[k].fd(), "{\"jsonrpc\":\"2.0\",\"method\":", 27, MSG_NOSIGNAL | MSG_DONTWAIT);
    }
    auto root = LineClient::connectTo(agent.socketPath());
    (void)root.call(proto::methods::Ping, nullptr, 5000);
    const int rc = agent.terminate();
    const QByteArray log = agent.stderrText();
    // The log without the accept loop's EMFILE lines, which would hide the rest.
    QByteArray brief;
    for (const QByteArray& l : log.split('\n')) {
        if (!l.contains("Too many open files")) {
            brief += l + '\n';
        }
    }
    QVERIFY2(rc == 0, qPrintable(QStringLiteral("exit %1; agent's log:\n%2").arg(rc).arg(QString::fromUtf8(brief.right(8000)))));
    QVERIFY2(!log.contains("AddressSanitizer") && !log.contains("runtime error"), brief.right(8000).constData());
}

void TestAgentHardening::partialFrameTimesOut()
{
    requireRoot();
    AgentProcess agent;
    agent.writeConfig(QString(), QStringLiteral("frame_timeout_ms = 300"));
    QString error;
    QVERIFY2(agent.start(&error), qPrintable(error));
    auto viewer = LineClient::connectAs(agent.socketPath(), "hadeck-t-read");
    QVERIFY(viewer.valid());
    QVERIFY(viewer.sendRaw(QByteArrayLiteral("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"agent.pi")));
    QVERIFY2(viewer.waitClosed(5000), "a half-sent frame was held open");
    // A client that completes its frame in time is served as before.
    auto ok = LineClient::connectAs(agent.socketPath(), "hadeck-t-read");
    QVERIFY(ok.sendRaw(QByteArrayLiteral("{\"jsonrpc\":\"2.0\",\"id\":1,")));
    QVERIFY(ok.sendRaw(QByteArrayLiteral("\"method\":\"agent.ping\"}\n")));
    auto line = ok.readLine(3000);
    QVERIFY(line && line->find("\"pong\":true") != std::string::npos);
    QCOMPARE(agent.terminate(), 0);
}

void TestAgentHardening::idleConnectionTimesOut()
{
    requireRoot();
    AgentProcess agent;
    agent.writeConfig(QString(), QStringLiteral("idle_timeout_ms = 400"));
    QString error;
    QVERIFY2(agent.start(&error), qPrintable(error));
    auto idle = LineClient::connectAs(agent.socketPath(), "hadeck-t-read");
    QVERIFY(idle.valid());
    auto busy = LineClient::connectAs(agent.socketPath(), "hadeck-t-read");
    QVERIFY(busy.valid());
    QElapsedTimer t;
    t.start();
    // The busy one keeps calling for longer than the idle timeout and stays.
    while (t.elapsed() < 1500) {
        auto r = busy.call(proto::methods::Ping, nullptr, 2000);
        QVERIFY2(r && r->contains("result"), "an active client was cut");
        QTest::qWait(100);
    }
    QVERIFY2(idle.waitClosed(100), "an idle connection was kept past idle_timeout_ms");
    QCOMPARE(agent.terminate(), 0);
}

// Item 6: requests are small; 16 MiB frames parked by a viewer took the RSS to hundreds of MB.
void TestAgentHardening::requestFramesLimitedToOneMiB()
{
    HADECK_SKIP_BOUNDS_UNDER_SANITIZERS();
    requireRoot();
    AgentProcess agent;
    agent.writeConfig();
    QString error;
    QVERIFY2(agent.start(&error), qPrintable(error));
    const long before = agent.rssKiB();
    std::vector<LineClient> viewers;
    for (int i = 0; i < 8; ++i) {
        viewers.push_back(LineClient::connectAs(agent.socketPath(), "hadeck-t-read"));
        QVERIFY(viewers.back().valid());
    }
    const QByteArray big(3 * 1024 * 1024, 'x');
    for (auto& v : viewers) {
        (void)v.sendRaw(big); // the agent closes the connection mid-way
    }
    for (auto& v : viewers) {
        auto line = v.readLine(5000);
        QVERIFY2(line, "no frame-limit error");
        const auto j = rpc::Json::parse(*line);
        QCOMPARE(j["error"]["code"].get<int>(), int(rpc::FrameTooLarge));
        QVERIFY(j["error"]["data"]["limit"].get<std::size_t>() <= 1024U * 1024U);
    }
    const long after = agent.rssKiB();
    QVERIFY2(after - before < 16 * 1024, qPrintable(QStringLiteral("RSS grew by %1 KiB").arg(after - before)));
    QCOMPARE(agent.terminate(), 0);
}

void TestAgentHardening::unknownTopicsRefused()
{
    requireRoot();
    AgentProcess agent;
    agent.writeConfig();
    QString error;
    QVERIFY2(agent.start(&error), qPrintable(error));
    auto viewer = LineClient::connectAs(agent.socketPath(), "hadeck-t-read");
    auto r = viewer.call(proto::methods::Subscribe, rpc::Json{{"topics", {"no-such-topic"}}});
    QCOMPARE(errorCode(r), int(rpc::InvalidParams));
    QVERIFY2(errorMessage(r).contains(QStringLiteral("no-such-topic")), qPrintable(errorMessage(r)));
    QVERIFY2(errorMessage(r).contains(QStringLiteral("host")), "the error names the known topics");

    // Made-up topics beside a real one: only the real one is kept.
    rpc::Json many = rpc::Json::array();
    for (int i = 0; i + 1 < int(proto::kMaxTopics); ++i) {
        many.push_back("t" + std::to_string(i));
    }
    many.push_back("host");
    r = viewer.call(proto::methods::Subscribe, proto::SubscribeParams{many.get<std::vector<std::string>>()});
    QVERIFY2(r && r->contains("result"), r ? r->dump().c_str() : "no answer");
    QCOMPARE((*r)["result"]["topics"], rpc::Json({"host"}));
    // More than a call may name is refused as a whole.
    many.push_back("events");
    r = viewer.call(proto::methods::Subscribe, proto::SubscribeParams{many.get<std::vector<std::string>>()});
    QCOMPARE(errorCode(r), int(rpc::InvalidParams));
    QCOMPARE(agent.terminate(), 0);
}

// A log topic ("log." + a source) was accepted for any name: a viewer's subscribes (as
// notifications, with no answer to drop it for) kept thousands of made-up names per
// connection, copied in full on every call, and an idle connection with topics never expired.
void TestAgentHardening::logTopicsOnlyForConfiguredSources()
{
    requireRoot();
    AgentProcess agent;
    const QString logPath = agent.dir() + QStringLiteral("/app.log");
    QFile log(logPath);
    QVERIFY(log.open(QIODevice::WriteOnly));
    log.write("started\n");
    log.close();
    agent.writeConfig(QStringLiteral("[modules.logs]\napp = \"%1\"\n").arg(logPath));
    QString error;
    QVERIFY2(agent.start(&error), qPrintable(error));
    auto viewer = LineClient::connectAs(agent.socketPath(), "hadeck-t-read");
    const std::string app = std::string(proto::kLogTopicPrefix) + "app";
    std::vector<std::string> asked{app};
    for (int round = 0; round < 20; ++round) {
        std::vector<std::string> made;
        for (std::size_t i = 0; i + 1 < proto::kMaxTopics; ++i) {
            made.push_back(std::string(proto::kLogTopicPrefix) + "made-up-" + std::to_string(round) + "-" +
                           std::to_string(i));
        }
        const auto r = viewer.call(proto::methods::Subscribe, proto::SubscribeParams{made});
        QCOMPARE(errorCode(r), int(rpc::InvalidParams)); // none of them exists
    }
    const auto r = viewer.call(proto::methods::Subscribe, proto::SubscribeParams{asked});
    QVERIFY2(r && r->contains("result"), r ? r->dump().c_str() : "no answer");
    QCOMPARE((*r)["result"]["topics"], rpc::Json({app}));
    QCOMPARE(agent.terminate(), 0);
}

// A log source sits in a directory its daemon's user may write (/var/log/mysql): that user
// could replace the log with a link to a root-only file, which a viewer then read through
// logs.query; or with a FIFO, whose open blocked a read worker for good.
void TestAgentHardening::logSourcesReadOnlyAsRegularFiles()
{
    requireRoot();
    AgentProcess agent;
    const QString dir = agent.dir();
    QFile secret(dir + QStringLiteral("/secret"));
    QVERIFY(secret.open(QIODevice::WriteOnly));
    secret.write("Dec  4 10:00:00 node hadeck-secret-line-4711\n");
    secret.close();
    secret.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    QVERIFY(QFile::link(dir + QStringLiteral("/secret"), dir + QStringLiteral("/linked.log")));
    QCOMPARE(::mkfifo(QFile::encodeName(dir + QStringLiteral("/fifo.log")).constData(), 0644), 0);
    QFile plain(dir + QStringLiteral("/plain.log"));
    QVERIFY(plain.open(QIODevice::WriteOnly));
    plain.write("Dec  4 10:00:00 node started\n");
    plain.close();
    agent.writeConfig(QStringLiteral("[modules.logs]\nlinked = \"%1/linked.log\"\nfifo = \"%1/fifo.log\"\n"
                                     "plain = \"%1/plain.log\"\n")
                          .arg(dir));
    QString error;
    QVERIFY2(agent.start(&error), qPrintable(error));
    auto viewer = LineClient::connectAs(agent.socketPath(), "hadeck-t-read");
    const auto query = [&](const std::string& source) {
        proto::LogsParams p;
        p.source = source;
        return viewer.call(proto::methods::LogsQuery, p, 5000);
    };
    auto r = query("linked");
    QVERIFY2(r, "no answer");
    QVERIFY2(r->dump().find("hadeck-secret-line") == std::string::npos, r->dump().c_str());
    QVERIFY2(errorMessage(r).contains(QStringLiteral("not a regular file")), r->dump().c_str());
    for (int i = 0; i < 3; ++i) { // more than the read lane's workers
        r = query("fifo");
        QVERIFY2(r, "no answer: the FIFO's open blocked a worker");
        QVERIFY2(errorMessage(r).contains(QStringLiteral("not a regular file")), r->dump().c_str());
    }
    r = query("plain");
    QVERIFY2(r && r->contains("result"), r ? r->dump().c_str() : "no answer");
    QVERIFY(r->dump().find("started") != std::string::npos);
    QCOMPARE(agent.terminate(), 0);
}

// Item 2 (request budgets): a viewer pouring requests in must not delay root's ping.
void TestAgentHardening::floodingViewerDoesNotStallRoot()
{
    HADECK_SKIP_BOUNDS_UNDER_SANITIZERS();
    requireRoot();
    AgentProcess agent;
    agent.writeConfig();
    QString error;
    QVERIFY2(agent.start(&error), qPrintable(error));
    std::vector<LineClient> viewers;
    for (int i = 0; i < 8; ++i) {
        viewers.push_back(LineClient::connectAs(agent.socketPath(), "hadeck-t-read"));
    }
    // Garbage, unknown methods, reads and subscriptions. (Refused operate calls
    // are audited; their cost is the audit log's, tested with it.)
    std::string flood;
    for (int i = 0; i < 20000; ++i) {
        switch (i % 4) {
        case 0: flood += "{\"jsonrpc\":\"2.0\",\"id\":" + std::to_string(i) + ",\"method\":\"agent.ping\"}\n"; break;
        case 1: flood += "}{ not json at all\n"; break;
        case 2: flood += "{\"jsonrpc\":\"2.0\",\"id\":" + std::to_string(i) + ",\"method\":\"no.such\"}\n"; break;
        default: flood += "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"agent.subscribe\",\"params\":{\"topics\":[\"x\"]}}\n";
        }
    }
    // The viewers never read their answers; writes go through a helper thread so
    // the test does not block on full socket buffers.
    std::vector<int> fds;
    for (auto& v : viewers) {
        fds.push_back(::dup(v.fd()));
    }
    std::thread writer([fds, flood] {
        for (const int fd : fds) {
            ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
        }
        QElapsedTimer t;
        t.start();
        std::vector<std::size_t> sent(fds.size(), 0);
        while (t.elapsed() < 4000) {
            for (std::size_t i = 0; i < fds.size(); ++i) {
                const std::size_t off = sent[i] % flood.size();
                const ssize_t n = ::send(fds[i], flood.data() + off, flood.size() - off, MSG_NOSIGNAL);
                if (n > 0) {
                    sent[i] += static_cast<std::size_t>(n);
                }
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
        for (const int fd : fds) {
            ::close(fd);
        }
    });
    auto root = LineClient::connectTo(agent.socketPath());
    std::vector<qint64> times;
    QElapsedTimer total;
    total.start();
    while (total.elapsed() < 3500) {
        QElapsedTimer t;
        t.start();
        auto r = root.call(proto::methods::Ping, nullptr, 10000);
        times.push_back(t.elapsed());
        QVERIFY(r && r->contains("result"));
        QTest::qWait(20);
    }
    writer.join();
    std::sort(times.begin(), times.end());
    const qint64 p99 = times[times.size() * 99 / 100];
    qInfo("root agent.ping under a viewer flood: %zu calls, p50 %lld ms, p99 %lld ms", times.size(),
          static_cast<long long>(times[times.size() / 2]), static_cast<long long>(p99));
    // A stall (the defect: over 60 s) fails this; the 50 ms goal is measured by the soak, not gated here.
    QVERIFY2(p99 < 500, qPrintable(QStringLiteral("p99 %1 ms; agent log: %2")
                                      .arg(p99)
                                      .arg(QString::fromUtf8(agent.stderrText().right(1500)))));
    viewers.clear();
    QCOMPARE(agent.terminate(), 0);
}

// Item 2: a viewer's request budget is its uid's and outlives its connections, so closing and
// reconnecting buys no new burst. At request_rate 1 the burst is 2 calls and the third token comes
// a second after the first call: the third call, on a new connection, cannot be answered sooner
// however slow the machine. A fresh budget per connection answered it at once.
void TestAgentHardening::requestBudgetOutlivesTheConnection()
{
    requireRoot();
    AgentProcess agent;
    agent.writeConfig({}, QStringLiteral("request_rate = 1"));
    QString error;
    QVERIFY2(agent.start(&error), qPrintable(error));
    QElapsedTimer t;
    t.start();
    {
        auto first = LineClient::connectAs(agent.socketPath(), "hadeck-t-read");
        QVERIFY(first.valid());
        for (int i = 0; i < 2; ++i) {
            const auto r = first.call(proto::methods::Ping, nullptr, 10000);
            QVERIFY(r && r->contains("result"));
        }
    }
    // The close reaches the agent before root's call does (one socket each, read in order).
    auto root = LineClient::connectTo(agent.socketPath());
    QVERIFY(root.call(proto::methods::Ping));
    auto again = LineClient::connectAs(agent.socketPath(), "hadeck-t-read");
    QVERIFY(again.valid());
    const auto r = again.call(proto::methods::Ping, nullptr, 10000);
    QVERIFY(r && r->contains("result"));
    // 950: the loop's clock and this one may round differently by a few milliseconds.
    QVERIFY2(t.elapsed() >= 950, qPrintable(QStringLiteral("three calls in %1 ms: a new burst").arg(t.elapsed())));
    QCOMPARE(agent.terminate(), 0);
}

// Item 10: a process that dropped its supplementary groups gets only what it still holds.
void TestAgentHardening::droppedGroupsLoseTheirLevel()
{
    requireRoot();
    AgentProcess agent;
    agent.writeConfig(QString(), QStringLiteral("mode = 0o666"));
    QString error;
    QVERIFY2(agent.start(&error), qPrintable(error));
    const passwd* pw = ::getpwnam("hadeck-t-op");
    QVERIFY(pw != nullptr);
    const gid_t hadeckGid = ::getgrnam("hadeck")->gr_gid;

    auto full = LineClient::connectAs(agent.socketPath(), "hadeck-t-op");
    auto r = full.call(proto::methods::Hello, rpc::Json{{"protocolVersion", proto::kProtocolVersion}});
    QVERIFY(r && r->contains("result"));
    QCOMPARE(QString::fromStdString((*r)["result"]["permission"].get<std::string>()), QStringLiteral("operate"));

    // Kept only "hadeck": read, not operate.
    auto dropped = LineClient::connectAsIds(agent.socketPath(), pw->pw_uid, pw->pw_gid, {hadeckGid});
    QVERIFY(dropped.valid());
    r = dropped.call(proto::methods::Hello, rpc::Json{{"protocolVersion", proto::kProtocolVersion}});
    QVERIFY(r && r->contains("result"));
    QCOMPARE(QString::fromStdString((*r)["result"]["permission"].get<std::string>()), QStringLiteral("read"));
    r = dropped.call(proto::methods::SetLogLevel, rpc::Json{{"level", "info"}});
    QCOMPARE(errorCode(r), int(rpc::PermissionDenied));

    // Dropped them all: nothing.
    auto none = LineClient::connectAsIds(agent.socketPath(), pw->pw_uid, pw->pw_gid, {});
    r = none.call(proto::methods::Ping);
    QCOMPARE(errorCode(r), int(rpc::PermissionDenied));
    QCOMPARE(agent.terminate(), 0);
}

// Item 10: the level is re-checked for operate calls; a revoked operator loses it on reload.
bool TestAgentHardening::startWithOperator(AgentProcess& agent, const char* user, LineClient* op, QString* why)
{
    // A user of its own, so that no other test sees its groups change.
    if (!ensureSystemUser(QString::fromLatin1(user), QStringLiteral("hadeck,hadeck-operator"),
                          QStringLiteral("/usr/sbin/nologin"), why)) {
        return false;
    }
    agent.writeConfig();
    if (!agent.start(why)) {
        return false;
    }
    *op = LineClient::connectAs(agent.socketPath(), user);
    const auto r = op->call(proto::methods::SetLogLevel, rpc::Json{{"level", "info"}});
    if (!r || !r->contains("result")) {
        *why = QStringLiteral("%1 is no operator: %2")
                   .arg(QString::fromLatin1(user), r ? QString::fromStdString(r->dump()) : QStringLiteral("no answer"));
        return false;
    }
    return true;
}

void TestAgentHardening::revokedOperatorRefusedAfterReload()
{
    requireRoot();
    const char* user = "hadeck-t-revoke";
    AgentProcess agent;
    LineClient op;
    QString why;
    QVERIFY2(startWithOperator(agent, user, &op, &why), qPrintable(why));
    std::optional<Json> r;

    QVERIFY(run(QStringLiteral("gpasswd"), {QStringLiteral("-d"), QString::fromLatin1(user), QStringLiteral("hadeck-operator")}));
    ::kill(agent.pid(), SIGHUP);
    QVERIFY(agent.waitNotify("READY=1"));
    r = op.call(proto::methods::SetLogLevel, rpc::Json{{"level", "info"}});
    const bool refused = errorCode(r) == int(rpc::PermissionDenied);
    // Restore before judging, so a failure does not leave the user changed.
    run(QStringLiteral("usermod"), {QStringLiteral("-a"), QStringLiteral("-G"), QStringLiteral("hadeck-operator"),
                                    QString::fromLatin1(user)});
    QVERIFY2(refused, r ? r->dump().c_str() : "no answer");
    // Reads stay: the user is still in hadeck.
    r = op.call(proto::methods::Ping);
    QVERIFY(r && r->contains("result"));
    QCOMPARE(agent.terminate(), 0);
}

// The same without a reload: the caller's groups are re-read every 5 s, so an open connection
// loses the operator's level within seconds of the change in the user database.
void TestAgentHardening::revokedOperatorRefusedWithoutReload()
{
    requireRoot();
    const char* user = "hadeck-t-revoke2";
    AgentProcess agent;
    LineClient op;
    QString why;
    QVERIFY2(startWithOperator(agent, user, &op, &why), qPrintable(why));
    std::optional<Json> r;

    QVERIFY(run(QStringLiteral("gpasswd"),
                {QStringLiteral("-d"), QString::fromLatin1(user), QStringLiteral("hadeck-operator")}));
    // Refused within the re-check period (5 s) and a margin; until then the old level may hold.
    bool refused = false;
    QElapsedTimer t;
    t.start();
    while (!refused && t.elapsed() < 15000) {
        r = op.call(proto::methods::SetLogLevel, rpc::Json{{"level", "info"}});
        refused = errorCode(r) == int(rpc::PermissionDenied);
        if (!refused) {
            QVERIFY2(r && r->contains("result"), r ? r->dump().c_str() : "no answer");
            QTest::qWait(200);
        }
    }
    const qint64 after = t.elapsed();
    run(QStringLiteral("usermod"),
        {QStringLiteral("-a"), QStringLiteral("-G"), QStringLiteral("hadeck-operator"), QString::fromLatin1(user)});
    QVERIFY2(refused, "still an operator 15 s after leaving hadeck-operator, with no reload");
    qInfo("refused %lld ms after the group change", static_cast<long long>(after));
    QVERIFY(op.call(proto::methods::Ping)); // reads stay: still in hadeck
    QCOMPARE(agent.terminate(), 0);
}

// Only operate and admin calls re-read the caller's groups: a viewer removed from hadeck kept
// reading on its open connection, and a subscribed one kept receiving every change for good.
void TestAgentHardening::revokedViewerStopsReceiving()
{
    requireRoot();
    const char* user = "hadeck-t-revoke-read"; // of its own: no other test sees its groups change
    QString why;
    QVERIFY2(ensureSystemUser(QString::fromLatin1(user), QStringLiteral("hadeck"), QStringLiteral("/usr/sbin/nologin"),
                              &why),
             qPrintable(why));
    AgentProcess agent;
    agent.writeConfig();
    QString error;
    QVERIFY2(agent.start(&error), qPrintable(error));
    auto subscriber = LineClient::connectAs(agent.socketPath(), user);
    auto reader = LineClient::connectAs(agent.socketPath(), user);
    QVERIFY(subscriber.valid() && reader.valid());
    auto r = subscriber.call(proto::methods::Subscribe, proto::SubscribeParams{{"host"}});
    QVERIFY2(r && r->contains("result"), r ? r->dump().c_str() : "no answer");
    QVERIFY(reader.call(proto::methods::HostStatusGet).value_or(rpc::Json()).contains("result"));

    QVERIFY(
        run(QStringLiteral("gpasswd"), {QStringLiteral("-d"), QString::fromLatin1(user), QStringLiteral("hadeck")}));
    ::kill(agent.pid(), SIGHUP);
    const bool reloaded = agent.waitNotify("READY=1");
    r = reader.call(proto::methods::HostStatusGet);
    const int readAfter = errorCode(r);
    const bool closed = subscriber.waitClosed(15000);
    run(QStringLiteral("usermod"), {QStringLiteral("-a"), QStringLiteral("-G"), QStringLiteral("hadeck"),
                                    QString::fromLatin1(user)}); // restored before judging
    QVERIFY(reloaded);
    QCOMPARE(readAfter, int(rpc::PermissionDenied));
    QVERIFY2(closed, "the revoked viewer's subscription was still open 15 s after the reload");
    QCOMPARE(agent.terminate(), 0);
}

void TestAgentHardening::nonMemberGetsNothing()
{
    requireRoot();
    AgentProcess agent;
    agent.writeConfig(QString(), QStringLiteral("mode = 0o666"));
    QString error;
    QVERIFY2(agent.start(&error), qPrintable(error));
    auto outsider = LineClient::connectAs(agent.socketPath(), "hadeck-t-none");
    QVERIFY(outsider.valid());
    auto r = outsider.call(proto::methods::Subscribe, rpc::Json{{"topics", {"host"}}});
    QCOMPARE(errorCode(r), int(rpc::PermissionDenied));
    // Nor can it hold more connections than a viewer.
    std::vector<LineClient> many;
    for (int i = 0; i < 40; ++i) {
        many.push_back(LineClient::connectAs(agent.socketPath(), "hadeck-t-none"));
    }
    int answered = 0;
    for (auto& c : many) {
        auto p = c.call(proto::methods::Ping, nullptr, 2000);
        answered += p && errorCode(p) == int(rpc::PermissionDenied) ? 1 : 0;
    }
    QVERIFY2(answered <= 16, qPrintable(QString::number(answered)));
    QCOMPARE(agent.terminate(), 0);
}

// Item 7: httpGet's timeout restarted on every poll, so a trickling status port
// held an offload worker for as long as it trickled; two such viewer calls held
// both workers and root's offloaded calls got no answer. The port came from the caller.
void TestAgentHardening::drainLocalHasATotalDeadline()
{
    requireRoot();
    TrickleServer trickle;
    AgentProcess agent;
    agent.writeConfig(QStringLiteral("[modules.drain]\nstatus_port = %1\n").arg(trickle.port()));
    QString error;
    QVERIFY2(agent.start(&error), qPrintable(error));

    std::vector<LineClient> viewers;
    for (int i = 0; i < 4; ++i) {
        viewers.push_back(LineClient::connectAs(agent.socketPath(), "hadeck-t-read"));
        QVERIFY(viewers.back().sendLine(
            rpc::Json{{"jsonrpc", "2.0"}, {"id", 1}, {"method", "drain.local"}, {"params", {{"vip", "198.18.0.1"}, {"port", 80}, {"statusPort", trickle.port()}}}}
                .dump()));
    }
    // Root's offloaded call is answered while the viewers' calls wait on the trickle.
    auto root = LineClient::connectTo(agent.socketPath());
    QElapsedTimer t;
    t.start();
    auto r = root.call(proto::methods::AuditVerify, nullptr, 10000);
    QVERIFY2(r && r->contains("result"), r ? r->dump().c_str() : "no answer");
    QVERIFY2(t.elapsed() < 3000, qPrintable(QStringLiteral("root waited %1 ms behind viewers' reads").arg(t.elapsed())));

    // Each viewer gets its answer: the status page timed out within the total deadline.
    for (auto& v : viewers) {
        auto line = v.readLine(8000);
        QVERIFY2(line, "drain.local did not answer while the status port trickled");
        const auto j = rpc::Json::parse(*line);
        QVERIFY2(j.contains("result"), line->c_str());
        QVERIFY2(j["result"].contains("apacheError"), line->c_str());
    }
    QVERIFY2(t.elapsed() < 6000, qPrintable(QString::number(t.elapsed())));

    // The caller cannot pick another port: statusPort is not a parameter the agent reads.
    auto v = LineClient::connectAs(agent.socketPath(), "hadeck-t-read");
    r = v.call(proto::methods::DrainLocal, rpc::Json{{"vip", "198.18.0.1"}, {"port", 80}, {"statusPort", 1}}, 8000);
    QVERIFY(r && r->contains("result"));
    const std::string why = (*r)["result"].value("apacheError", "");
    QVERIFY2(why.find(":" + std::to_string(trickle.port())) != std::string::npos, why.c_str());
    QCOMPARE(agent.terminate(), 0);
}

namespace {

/// keepalived.conf with a hadeck_failover track referenced by VI_1, VI_2 in an include, and
/// @p servers virtual servers (a director's real size) so a parse has a cost.
void writeFailoverConf(const QString& dir, int servers, bool vi2Tracks)
{
    QString vs;
    for (int i = 0; i < servers; ++i) {
        vs += QStringLiteral("virtual_server 198.18.%1.%2 80 {\n    delay_loop 6\n    lb_algo wrr\n    lb_kind DR\n"
                             "    protocol TCP\n    real_server 198.19.0.1 80 {\n        weight 100\n"
                             "        TCP_CHECK {\n            connect_timeout 3\n        }\n    }\n"
                             "    real_server 198.19.0.2 80 {\n        weight 100\n    }\n}\n")
                  .arg(i / 250 + 1)
                  .arg(i % 250 + 1);
    }
    QFile main(dir + QStringLiteral("/keepalived.conf"));
    QVERIFY(main.open(QIODevice::WriteOnly | QIODevice::Truncate));
    main.write(QStringLiteral("global_defs {\n    router_id hdt\n}\ntrack_file hadeck_failover {\n    file \"%1/failover\"\n"
                              "    weight 0\n}\nvrrp_instance VI_1 {\n    state BACKUP\n    interface lo\n"
                              "    virtual_router_id 51\n    priority 100\n    track_file {\n        hadeck_failover\n    }\n"
                              "    virtual_ipaddress {\n        198.18.0.100/32\n    }\n}\ninclude %1/conf.d/*.conf\n%2")
                   .arg(dir, vs)
                   .toUtf8());
    QDir().mkpath(dir + QStringLiteral("/conf.d"));
    // Written elsewhere and renamed into place, as an editor or the agent itself does.
    QFile inc(dir + QStringLiteral("/vi2.new"));
    QVERIFY(inc.open(QIODevice::WriteOnly | QIODevice::Truncate));
    inc.write(QStringLiteral("vrrp_instance VI_2 {\n    state BACKUP\n    interface lo\n    virtual_router_id 52\n"
                             "    priority 100\n%1    virtual_ipaddress {\n        198.18.0.101/32\n    }\n}\n")
                  .arg(vi2Tracks ? QStringLiteral("    track_file {\n        hadeck_failover\n    }\n") : QString())
                  .toUtf8());
    inc.close();
    QVERIFY(std::rename((dir + QStringLiteral("/vi2.new")).toLocal8Bit().constData(),
                        (dir + QStringLiteral("/conf.d/vi2.conf")).toLocal8Bit().constData()) == 0);
}

/// The agent's config for the keepalived files in @p kdir (no keepalived runs: no pid file, no dump).
void writeKeepalivedAgentConfig(AgentProcess& agent, const QString& kdir, const QString& socketTable = {})
{
    agent.writeConfig(QStringLiteral("[keepalived]\nconfig = \"%1/keepalived.conf\"\npid_file = \"%1/none.pid\"\n"
                                     "json_dump = \"%1/keepalived.json\"\n")
                          .arg(kdir),
                      socketTable);
}

} // namespace

// Item 2/5 (cached keepalived facts): 20,000 vrrp.failoverStatus calls from a viewer must
// not delay root's agent.ping, and an edit of keepalived.conf's includes is seen at once.
void TestAgentHardening::failoverStatusFloodDoesNotStallRoot()
{
    HADECK_SKIP_BOUNDS_UNDER_SANITIZERS();
    requireRoot();
    AgentProcess agent;
    const QString kdir = agent.dir() + QStringLiteral("/keepalived");
    QDir().mkpath(kdir);
    writeFailoverConf(kdir, 1000, false);
    // The viewer's request budget (100/s) would spread the calls over 200 s: lift it, so the
    // calls' own cost is what root competes with.
    writeKeepalivedAgentConfig(agent, kdir, QStringLiteral("request_rate = 1000000"));
    QString error;
    QVERIFY2(agent.start(&error), qPrintable(error));
    auto root = LineClient::connectTo(agent.socketPath());
    auto first = root.call(proto::methods::VrrpFailoverStatus, nullptr, 10000);
    QVERIFY2(first && first->contains("result"), first ? first->dump().c_str() : "no answer");
    QVERIFY((*first)["result"]["instances"].contains("VI_1"));
    QVERIFY(!(*first)["result"]["instances"].contains("VI_2"));

    auto viewer = LineClient::connectAs(agent.socketPath(), "hadeck-t-read");
    QVERIFY(viewer.valid());
    constexpr int kCalls = 20000;
    std::atomic<int> answered{0};
    const int fd = ::dup(viewer.fd());
    std::thread worker([fd, &answered] {
        std::string req;
        for (int i = 0; i < kCalls; ++i) {
            req += "{\"jsonrpc\":\"2.0\",\"id\":" + std::to_string(i) + ",\"method\":\"vrrp.failoverStatus\"}\n";
        }
        std::size_t off = 0;
        std::array<char, 65536> buf{};
        QElapsedTimer t;
        t.start();
        while (answered.load() < kCalls && t.elapsed() < 120000) {
            pollfd p{fd, static_cast<short>(POLLIN | (off < req.size() ? POLLOUT : 0)), 0};
            if (::poll(&p, 1, 1000) <= 0) {
                continue;
            }
            if ((p.revents & POLLOUT) != 0 && off < req.size()) {
                const ssize_t n = ::send(fd, req.data() + off, std::min<std::size_t>(req.size() - off, 65536),
                                         MSG_NOSIGNAL | MSG_DONTWAIT);
                off += n > 0 ? static_cast<std::size_t>(n) : 0;
            }
            if ((p.revents & POLLIN) != 0) {
                const ssize_t n = ::recv(fd, buf.data(), buf.size(), MSG_DONTWAIT);
                if (n == 0) {
                    break;
                }
                answered += n > 0 ? static_cast<int>(std::count(buf.begin(), buf.begin() + n, '\n')) : 0;
            }
        }
        ::close(fd);
    });
    std::vector<qint64> times;
    QElapsedTimer total;
    total.start();
    while (answered.load() < kCalls && total.elapsed() < 120000) {
        QElapsedTimer t;
        t.start();
        auto r = root.call(proto::methods::Ping, nullptr, 30000);
        times.push_back(t.elapsed());
        QVERIFY(r && r->contains("result"));
        QTest::qWait(10);
    }
    const qint64 floodMs = total.elapsed();
    worker.join();
    QCOMPARE(answered.load(), kCalls);
    std::sort(times.begin(), times.end());
    const qint64 p99 = times[times.size() * 99 / 100];
    qInfo("%d vrrp.failoverStatus calls (1,000 virtual servers) answered in %lld ms; root agent.ping meanwhile: %zu "
          "calls, p50 %lld ms, p99 %lld ms, max %lld ms",
          kCalls, static_cast<long long>(floodMs), times.size(), static_cast<long long>(times[times.size() / 2]),
          static_cast<long long>(p99), static_cast<long long>(times.back()));
    // A stall (the defect: 35 s) fails this; the 50 ms goal is a measurement, not a gate on a loaded machine.
    QVERIFY2(p99 < 500, qPrintable(QStringLiteral("p99 %1 ms").arg(p99)));

    // The cache follows the files: VI_2's include now references the track.
    writeFailoverConf(kdir, 1000, true);
    QTRY_VERIFY_WITH_TIMEOUT(([&] {
                                 auto s = root.call(proto::methods::VrrpFailoverStatus, nullptr, 10000);
                                 return s && s->contains("result") && (*s)["result"]["instances"].contains("VI_2");
                             }()),
                             5000);
    QCOMPARE(agent.terminate(), 0);
}

// A track file in a directory others may write (a /tmp path is common) made a FIFO: the
// status call opened it on the loop thread, blocking, and the whole agent stopped answering.
void TestAgentHardening::trackFileFifoDoesNotBlockTheAgent()
{
    requireRoot();
    AgentProcess agent;
    const QString kdir = agent.dir() + QStringLiteral("/keepalived");
    QDir().mkpath(kdir);
    writeFailoverConf(kdir, 1, false);
    QCOMPARE(::mkfifo(QFile::encodeName(kdir + QStringLiteral("/failover")).constData(), 0666), 0);
    writeKeepalivedAgentConfig(agent, kdir);
    QString error;
    QVERIFY2(agent.start(&error), qPrintable(error));
    auto viewer = LineClient::connectAs(agent.socketPath(), "hadeck-t-read");
    const auto r = viewer.call(proto::methods::VrrpFailoverStatus, nullptr, 5000);
    QVERIFY2(r && r->contains("result"), r ? r->dump().c_str() : "no answer: the FIFO's open blocked the agent");
    QVERIFY((*r)["result"]["instances"].contains("VI_1"));
    auto root = LineClient::connectTo(agent.socketPath());
    const auto ping = root.call(proto::methods::Ping, nullptr, 3000);
    QVERIFY2(ping && ping->contains("result"), "root's ping was not answered");
    QCOMPARE(agent.terminate(), 0);
}

QTEST_GUILESS_MAIN(TestAgentHardening)
#include "tst_agenthardening.moc"
