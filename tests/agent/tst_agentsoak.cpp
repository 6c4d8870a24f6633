// Soak (label bench, not run by default): a viewer keeps 1,000 connections
// coming (the agent holds at most max_clients_per_user of them), and sends
// garbage, refused calls and huge partial frames, while root pings. Duration:
// HADECK_SOAK_SECONDS (default 600). Checks root's agent.ping p99 < 50 ms, the
// agent's RSS < 64 MB and its fds under the limit, and prints the numbers.

#include "agenttestutil.h"
#include "hadeck/protocol/methods.h"

#include <QtTest>

#include <algorithm>
#include <atomic>
#include <thread>

#include <dirent.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace hadeck;
using namespace hadeck::test;

class TestAgentSoak : public QObject {
    Q_OBJECT
private slots:
    void viewerFloodWhileRootPings();
};

void TestAgentSoak::viewerFloodWhileRootPings()
{
    QString error;
    if (::geteuid() != 0 || !ensureTestUsers(&error)) {
        QSKIP("needs root to connect as the test viewer");
    }
    const int seconds = qEnvironmentVariableIsSet("HADECK_SOAK_SECONDS") ? qEnvironmentVariableIntValue("HADECK_SOAK_SECONDS") : 600;
    constexpr int kFdLimit = 1024; // systemd's default soft limit
    AgentProcess agent;
    agent.setFdLimit(kFdLimit);
    agent.writeConfig();
    QVERIFY2(agent.start(&error), qPrintable(error));

    std::atomic<bool> stop{false};
    std::atomic<long> attempts{0};
    // The viewer: 1,000 connections, re-opened as the agent refuses or closes them.
    std::thread viewer([&] {
        std::vector<LineClient> conns;
        const std::string refused = R"({"jsonrpc":"2.0","id":1,"method":"agent.reload"})" "\n";
        const std::string garbage = "}{ not json\n{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"no.such\"}\n";
        const std::string partial(900 * 1024, 'x'); // under the 1 MiB limit, never finished
        std::size_t turn = 0;
        while (!stop) {
            while (conns.size() < 1000 && !stop) {
                conns.push_back(LineClient::connectAs(agent.socketPath(), "hadeck-t-read"));
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

    auto root = LineClient::connectTo(agent.socketPath());
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
            root = LineClient::connectTo(agent.socketPath());
        }
        maxRss = std::max(maxRss, agent.rssKiB());
        maxFds = std::max(maxFds, openFds(agent.pid()));
        QTest::qWait(100);
    }
    stop = true;
    viewer.join();
    std::sort(times.begin(), times.end());
    const qint64 p50 = times[times.size() / 2];
    const qint64 p99 = times[times.size() * 99 / 100];
    qInfo("soak %d s: %ld viewer connection attempts; root agent.ping %zu calls, %d unanswered, p50 %lld ms, "
          "p99 %lld ms, max %lld ms; agent RSS max %ld KiB; fds max %d (limit %d)",
          seconds, attempts.load(), times.size(), unanswered, static_cast<long long>(p50),
          static_cast<long long>(p99), static_cast<long long>(times.back()), maxRss, maxFds, kFdLimit);
    QCOMPARE(unanswered, 0);
    QVERIFY2(p99 < 50, qPrintable(QString::number(p99)));
    QVERIFY2(maxRss < 64 * 1024, qPrintable(QString::number(maxRss)));
    QVERIFY(maxFds < kFdLimit);
    QCOMPARE(agent.terminate(), 0);
}

QTEST_GUILESS_MAIN(TestAgentSoak)
#include "tst_agentsoak.moc"
