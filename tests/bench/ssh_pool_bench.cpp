// 100 hadeck-agents behind one OpenSSH sshd on loopback, one SSH session each,
// as a console watching a 100-node cluster would hold them.
//   BM_ConnectAll100: wall time from connectAll() until every node is Online.
//   BM_Idle100: the console process's RSS and CPU share over 30 s of idling
//               (keepalive pings every 2 s per node) with all 100 online.

#include "../console/sshtestenv.h"

#include <hadeck/console/connectionpool.h>

#include <benchmark/benchmark.h>

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QTimer>

#include <sys/resource.h>

#include <cstdio>
#include <memory>
#include <vector>

using namespace hadeck;
using namespace hadeck::console;
using namespace hadeck::test;

namespace {

constexpr int kNodes = 100;

struct Cluster {
    std::unique_ptr<QTemporaryDir> dir;
    std::unique_ptr<Sshd> sshd;
    std::vector<std::unique_ptr<Agent>> agents;
    ClusterInventory inventory;
    QString error;
};

Cluster& cluster()
{
    static Cluster c = [] {
        Cluster k;
        k.dir = std::make_unique<QTemporaryDir>();
        k.sshd = std::make_unique<Sshd>();
        SshdOptions o;
        o.maxStartups = 2 * kNodes; // sshd's default (10) drops parallel handshakes
        if (!k.sshd->start(o, &k.error))
            return k;
        const QString kh = k.dir->filePath(QStringLiteral("known_hosts"));
        QFile f(kh);
        f.open(QIODevice::WriteOnly);
        f.write(k.sshd->knownHostsLine().toUtf8());
        f.close();
        k.inventory.name = QStringLiteral("bench");
        k.inventory.knownHosts = kh;
        for (int i = 0; i < kNodes; ++i) {
            auto a = std::make_unique<Agent>(k.dir->filePath(QStringLiteral("a%1.sock").arg(i)));
            if (!a->start(&k.error))
                return k;
            NodeSpec n;
            n.name = QStringLiteral("n%1").arg(i, 3, 10, QLatin1Char('0'));
            n.address = QStringLiteral("127.0.0.1");
            n.port = k.sshd->port();
            n.user = QStringLiteral("root");
            n.key = k.sshd->userKey();
            n.socket = a->socketPath();
            k.inventory.nodes.push_back(n);
            k.agents.push_back(std::move(a));
        }
        return k;
    }();
    return c;
}

bool waitAllOnline(ConnectionPool& pool, int timeoutMs)
{
    QEventLoop loop;
    QTimer deadline;
    deadline.setSingleShot(true);
    QObject::connect(&deadline, &QTimer::timeout, &loop, &QEventLoop::quit);
    QObject::connect(&pool, &ConnectionPool::nodeStateChanged, &loop, [&] {
        if (pool.countIn(NodeState::Online) == kNodes)
            loop.quit();
    });
    deadline.start(timeoutMs);
    if (pool.countIn(NodeState::Online) != kNodes)
        loop.exec();
    return pool.countIn(NodeState::Online) == kNodes;
}

double cpuSeconds()
{
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

double rssMiB()
{
    QFile f(QStringLiteral("/proc/self/status"));
    f.open(QIODevice::ReadOnly);
    for (const auto& line : f.readAll().split('\n')) {
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').first().toDouble() / 1024.0;
    }
    return 0;
}

void BM_ConnectAll100(benchmark::State& state)
{
    Cluster& c = cluster();
    if (!c.error.isEmpty()) {
        state.SkipWithError(c.error.toLocal8Bit().constData());
        return;
    }
    RefusingPrompter refuse;
    for (auto _ : state) {
        ConnectionPool pool(c.inventory, &refuse);
        QElapsedTimer t;
        t.start();
        pool.connectAll();
        const bool ok = waitAllOnline(pool, 120000);
        state.SetIterationTime(double(t.nsecsElapsed()) / 1e9);
        if (!ok) {
            state.SkipWithError("not all nodes came online within 120 s");
            break;
        }
        pool.disconnectAll();
        QCoreApplication::processEvents();
    }
    state.counters["nodes"] = kNodes;
}
BENCHMARK(BM_ConnectAll100)->UseManualTime()->Unit(benchmark::kMillisecond)->Iterations(3);

void BM_Idle100(benchmark::State& state)
{
    Cluster& c = cluster();
    if (!c.error.isEmpty()) {
        state.SkipWithError(c.error.toLocal8Bit().constData());
        return;
    }
    RefusingPrompter refuse;
    const double rssBefore = rssMiB();
    for (auto _ : state) {
        ConnectionPool pool(c.inventory, &refuse);
        pool.connectAll();
        if (!waitAllOnline(pool, 120000)) {
            state.SkipWithError("not all nodes came online within 120 s");
            break;
        }
        const double cpu0 = cpuSeconds();
        QElapsedTimer wall;
        wall.start();
        QEventLoop idle;
        QTimer::singleShot(30000, &idle, &QEventLoop::quit);
        idle.exec();
        const double cpu = cpuSeconds() - cpu0;
        state.SetIterationTime(double(wall.nsecsElapsed()) / 1e9);
        state.counters["cpu_percent"] = 100.0 * cpu / (double(wall.nsecsElapsed()) / 1e9);
        state.counters["rss_MiB"] = rssMiB();
        state.counters["rss_before_pool_MiB"] = rssBefore;
        state.counters["online_after_idle"] = pool.countIn(NodeState::Online) + pool.countIn(NodeState::Degraded);
        pool.disconnectAll();
    }
}
BENCHMARK(BM_Idle100)->UseManualTime()->Unit(benchmark::kSecond)->Iterations(1);

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    qunsetenv("SSH_AUTH_SOCK");
    benchmark::Initialize(&argc, argv);
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
