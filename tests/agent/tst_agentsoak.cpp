// Soak (label bench, not run by default): a viewer keeps 1,000 connections
// coming (the agent holds at most max_clients_per_user of them), and sends
// garbage, refused calls and huge partial frames, while root pings. Duration:
// HADECK_SOAK_SECONDS (default 600). Checks root's agent.ping p99 (under
// HADECK_SOAK_PING_P99_MS, 50 by default), the agent's RSS < 64 MB and its fds
// under its limit, and prints the numbers.
// With HADECK_SOAK_SOCKET it floods the agent already behind that socket (a lab
// director's, run inside the node by tst_viewer_flood_lab) instead of starting
// one; the viewer user must exist there, and the limit is the agent's own.
// HADECK_SOAK_VIEWERS sets the number of viewer connections (1,000; 0 measures the
// pings alone, a baseline).

#include "agenttestutil.h"
#include "hadeck/protocol/methods.h"

#include <QtTest>

#include <algorithm>
#include <atomic>
#include <thread>

#include <dirent.h>
#include <pwd.h>
#include <signal.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace hadeck;
using namespace hadeck::test;

namespace {
constexpr const char* kViewer = "hadeck-t-read";
} // namespace

class TestAgentSoak : public QObject {
    Q_OBJECT
private slots:
    void viewerFloodWhileRootPings();
};

void TestAgentSoak::viewerFloodWhileRootPings()
{
    QString error;
    const QString existing = qEnvironmentVariable("HADECK_SOAK_SOCKET");
    if (::geteuid() != 0) {
        QSKIP("needs root to connect as the test viewer");
    }
    if (existing.isEmpty() && !ensureTestUsers(&error)) {
        QSKIP(qPrintable(QStringLiteral("cannot create the test users: ") + error));
    }
    if (!existing.isEmpty()) {
        // Another node's user database is not ours to change: the viewer must be there already.
        QVERIFY2(::getpwnam(kViewer) != nullptr,
                 "no user hadeck-t-read here: create the test users before the lab starts");
    }
    const int seconds = qEnvironmentVariableIsSet("HADECK_SOAK_SECONDS") ? qEnvironmentVariableIntValue("HADECK_SOAK_SECONDS") : 600;
    const int viewers =
        qEnvironmentVariableIsSet("HADECK_SOAK_VIEWERS") ? qEnvironmentVariableIntValue("HADECK_SOAK_VIEWERS") : 1000;
    const int p99Bound = qEnvironmentVariableIsSet("HADECK_SOAK_PING_P99_MS")
                             ? qEnvironmentVariableIntValue("HADECK_SOAK_PING_P99_MS")
                             : 50;
    AgentProcess agent;
    QString socketPath = existing;
    if (existing.isEmpty()) {
        agent.setFdLimit(1024); // systemd's default soft limit
        agent.writeConfig();
        QVERIFY2(agent.start(&error), qPrintable(error));
        socketPath = agent.socketPath();
    }
    auto root = LineClient::connectTo(socketPath);
    QVERIFY2(root.valid(), qPrintable(QStringLiteral("cannot connect to ") + socketPath));
    const pid_t agentPid = peerPid(root.fd());
    QVERIFY(agentPid > 0);
    const long fdLimit = softFdLimitOf(agentPid);
    QVERIFY2(fdLimit > 0, "cannot read the agent's open-files limit");
    // A fixed marker for a driver that waits for the flood to begin.
    qInfo("soak: flooding %s with %d viewer connections (agent pid %d, open-files limit %ld) for %d s",
          qPrintable(socketPath), viewers, static_cast<int>(agentPid), fdLimit, seconds);

    std::atomic<bool> stop{false};
    std::atomic<long> attempts{0};
    // The viewer: 1,000 connections, re-opened as the agent refuses or closes them.
    std::thread viewer([&] {
        std::vector<LineClient> conns;
        // agent.reload needs admin: refused for a viewer, and audited as a refusal.
        const std::string refused =
            rpc::Json{{"jsonrpc", "2.0"}, {"id", 1}, {"method", std::string(proto::methods::Reload.name)}}.dump() +
            "\n";
        const std::string garbage = "}{ not json\n{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"no.such\"}\n";
        const std::string partial(900 * 1024, 'x'); // under the 1 MiB limit, never finished
        std::size_t turn = 0;
        while (!stop) {
            while (conns.size() < static_cast<std::size_t>(viewers) && !stop) {
                conns.push_back(LineClient::connectAs(socketPath, kViewer));
                ++attempts;
            }
            for (std::size_t i = 0; i < conns.size() && !stop; ++i) {
                auto& c = conns[i];
                const std::string& what = (turn + i) % 3 == 0 ? refused : (turn + i) % 3 == 1 ? garbage : partial;
                const ssize_t n = ::send(c.fd(), what.data(), what.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
                char sink[65536];
                while (::recv(c.fd(), sink, sizeof sink, MSG_DONTWAIT) > 0) {
                }
                if (n < 0 && errno != EAGAIN) {
                    c = LineClient(); // closed by the agent: reconnect next round
                }
            }
            conns.erase(std::remove_if(conns.begin(), conns.end(), [](const LineClient& c) { return !c.valid(); }),
                        conns.end());
            ++turn;
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
    });

    std::vector<qint64> times;
    long maxRss = 0;
    int maxFds = 0;
    int unanswered = 0;
    QElapsedTimer total;
    total.start();
    while (total.elapsed() < seconds * 1000LL) {
        QElapsedTimer t;
        t.start();
        auto r = root.call(proto::methods::Ping, nullptr, 5000);
        times.push_back(t.elapsed());
        if (!r || !r->contains("result")) {
            ++unanswered;
            root = LineClient::connectTo(socketPath);
        }
        maxRss = std::max(maxRss, rssKiBOf(agentPid));
        maxFds = std::max(maxFds, openFds(agentPid));
        QTest::qWait(100);
    }
    stop = true;
    viewer.join();
    std::sort(times.begin(), times.end());
    const qint64 p50 = times[times.size() / 2];
    const qint64 p99 = times[times.size() * 99 / 100];
    qInfo("soak %d s: %ld viewer connection attempts; root agent.ping %zu calls, %d unanswered, p50 %lld ms, "
          "p99 %lld ms, max %lld ms; agent RSS max %ld KiB; fds max %d (limit %ld)",
          seconds, attempts.load(), times.size(), unanswered, static_cast<long long>(p50), static_cast<long long>(p99),
          static_cast<long long>(times.back()), maxRss, maxFds, fdLimit);
    QCOMPARE(unanswered, 0);
    QVERIFY2(p99 < p99Bound, qPrintable(QStringLiteral("p99 %1 ms, bound %2 ms").arg(p99).arg(p99Bound)));
    QVERIFY2(maxRss > 0 && maxRss < 64 * 1024, qPrintable(QString::number(maxRss)));
    QVERIFY(maxFds > 0 && maxFds < fdLimit);
    QVERIFY2(::kill(agentPid, 0) == 0, "the agent is gone");
    if (existing.isEmpty()) {
        QCOMPARE(agent.terminate(), 0);
    }
}

QTEST_GUILESS_MAIN(TestAgentSoak)
#include "tst_agentsoak.moc"
