// Benchmark (label bench): the Hosts tab of a 300-node cluster, each node's agent
// pushing its host topic with 20 series (CPU, memory, load 1/5/15, two interfaces'
// rates, two disks, filesystems, TCP states) at 1 Hz, and the tab comparing 60 nodes on
// one chart over the last hour (history loaded: 3600 points a node). Per tick: the lines
// parsed from their JSON text into HostStatus, as the pool's decode thread does (timed apart),
// then on the GUI thread each status applied to the view (HostsView::applyStatus, the
// topic's own path), the chart redrawn and painted.
// Printed: time per tick (median, p99) for the 60 polled nodes, and for all 300 (as if
// every node's answer reached the GUI thread), and the process's RSS.
// Goal: p99 <= 8 ms. Wall time and the GUI thread's CPU time are both printed; gated only
// against a stall (CPU p99 under 500 ms): the time depends on the machine, its load and the build type.

#include "guitest.h"

#include "app/clustersession.h"
#include "charts/timechart.h"
#include "hosts/hostsview.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QFile>
#include <QListWidget>
#include <QTest>
#include <QThread>

#include <algorithm>
#include <cmath>
#include <ctime>

using namespace hadeck;

namespace {

constexpr int kNodes = 300;
constexpr int kCompared = 60;

QString nodeName(int i) { return QStringLiteral("node%1").arg(i, 3, 10, QLatin1Char('0')); }

/// host.status of node @p i at tick @p t, as the agent's answer line carries it.
std::string statusLine(int i, int t)
{
    proto::HostStatus s;
    const double phase = (i * 37 + t) / 30.0;
    s.load1 = 1 + std::sin(phase);
    s.load5 = 1 + std::sin(phase / 5);
    s.load15 = 1 + std::sin(phase / 15);
    s.tasks = 180;
    s.memTotalKiB = 16u * 1024 * 1024;
    s.memAvailableKiB = static_cast<std::uint64_t>(s.memTotalKiB * (0.5 + 0.3 * std::sin(phase / 3)));
    s.cpus.push_back({"cpu", 50 + 40 * std::sin(phase), 2, 0});
    s.cpus.push_back({"cpu0", 50 + 40 * std::sin(phase + 1), 2, 0});
    s.cpus.push_back({"cpu1", 50 + 40 * std::sin(phase + 2), 2, 0});
    for (const char* dev : {"vda", "vdb"}) {
        proto::DiskIo d;
        d.device = dev;
        d.busyPct = 20 + 10 * std::sin(phase);
        d.readBytesPerSec = 1e6;
        d.writeBytesPerSec = 2e6;
        s.disks.push_back(d);
    }
    for (const char* ifname : {"eth0", "eth1"}) {
        proto::InterfaceRates r;
        r.name = ifname;
        r.rxBytesPerSec = 1e6 * (1.5 + std::sin(phase));
        r.txBytesPerSec = 2e6 * (1.5 + std::cos(phase));
        s.interfaces.push_back(r);
    }
    s.filesystems.push_back({"/", "/dev/vda1", "ext4", 100u << 30, 60u << 30, 40u << 30, 6000000, 5000000});
    s.tcp.states["ESTABLISHED"] = 40;
    s.tcp.states["TIME_WAIT"] = 12;
    rpc::Json line{{"jsonrpc", "2.0"}, {"id", t * kNodes + i}, {"result", proto::toJson(s)}};
    return line.dump();
}

/// CPU time of the calling thread, in ms: on a shared, loaded machine the wall time mostly
/// measures the other processes; this is the GUI thread's own work.
double threadCpuMs()
{
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

long rssKiB()
{
    QFile f(QStringLiteral("/proc/self/status"));
    if (!f.open(QIODevice::ReadOnly)) {
        return -1;
    }
    for (const auto& l : f.readAll().split('\n')) {
        if (l.startsWith("VmRSS:")) {
            return l.mid(6).trimmed().split(' ').value(0).toLong();
        }
    }
    return -1;
}

struct Stats {
    double median = 0;
    double p99 = 0;
    double max = 0;
};

Stats stats(std::vector<double> ms)
{
    std::sort(ms.begin(), ms.end());
    Stats s;
    s.median = ms[ms.size() / 2];
    s.p99 = ms[std::min(ms.size() - 1, static_cast<std::size_t>(std::ceil(ms.size() * 0.99)) - 1)];
    s.max = ms.back();
    return s;
}

} // namespace

class TstHostsBench : public QObject {
    Q_OBJECT
private slots:
    void sixtyOfThreeHundredNodes();
};

void TstHostsBench::sixtyOfThreeHundredNodes()
{
    const long rssStart = rssKiB();
    ui::ClusterSession session(QStringLiteral("bench"));
    for (int i = 0; i < kNodes; ++i) {
        session.model().addNode(nodeName(i), QStringLiteral("198.18.%1.%2").arg(10 + i / 200).arg(10 + i % 200));
    }
    ui::HostsView view;
    view.resize(1440, 860);
    view.setSession(&session);
    view.setMetric(ui::HostsView::Metric::Network); // summed over the interfaces: the busiest decoding path
    view.setRange(ui::HostsView::Range::Hour);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    for (int i = 0; i < kNodes; ++i) {
        view.setNodeChecked(nodeName(i), i < kCompared);
    }
    QCOMPARE(view.checkedNodes().size(), kCompared);
    auto* chart = view.chart();
    // The last hour from each compared node's history (what history.get answers at open).
    // Ending two minutes ago: the 65 ticks after it stay behind this computer's clock (a chart
    // draws no sample more than 60 s ahead of it).
    const auto now = static_cast<double>(QDateTime::currentSecsSinceEpoch() - 120);
    for (int i = 0; i < kCompared; ++i) {
        std::vector<std::int64_t> times(3600);
        std::vector<double> values(3600);
        for (int k = 0; k < 3600; ++k) {
            times[static_cast<std::size_t>(k)] = static_cast<std::int64_t>(now) - 3600 + k;
            values[static_cast<std::size_t>(k)] = 3e6 * (1.5 + std::sin((i * 37 + k) / 30.0));
        }
        chart->merge(nodeName(i), times, values);
    }
    chart->flush();
    chart->viewport()->repaint();
    qInfo("history loaded: %d series of %d points", int(chart->seriesKeys().size()), chart->rawCount(nodeName(0)));

    // The answers' text, made before the clock starts (the agents' work, not the console's).
    // Ten rounds of answers, used in turn (the values differ from tick to tick all the same).
    constexpr int kTicks = 60;
    constexpr int kWarmup = 5;
    constexpr int kRounds = 10;
    std::vector<std::vector<std::string>> lines(kRounds);
    for (int t = 0; t < kRounds; ++t) {
        lines[static_cast<std::size_t>(t)].reserve(kNodes);
        for (int i = 0; i < kNodes; ++i) {
            lines[static_cast<std::size_t>(t)].push_back(statusLine(i, t));
        }
    }
    std::vector<double> cpu;
    std::vector<double> decodeCpu;
    std::vector<proto::HostStatus> statuses(kNodes);
    const auto tick = [&](int t, int nodes) {
        // What the pool's decode thread does with each host topic line (ClusterSession's
        // decodeDelta): the JSON parsed and read into a HostStatus. Timed apart: it is not
        // the GUI thread's work.
        const double decode0 = threadCpuMs();
        for (int i = 0; i < nodes; ++i) {
            const auto j = rpc::Json::parse(lines[static_cast<std::size_t>(t % kRounds)][static_cast<std::size_t>(i)]);
            auto status = proto::fromJson<proto::HostStatus>(j.at("result"));
            if (!status) {
                qFatal("%s", status.error().message.c_str());
            }
            statuses[static_cast<std::size_t>(i)] = std::move(*status);
        }
        decodeCpu.push_back(threadCpuMs() - decode0);
        // The GUI thread: each decoded status applied to the view, the chart redrawn and painted.
        QElapsedTimer timer;
        timer.start();
        const double cpu0 = threadCpuMs();
        for (int i = 0; i < nodes; ++i) {
            view.applyStatus(nodeName(i), view.generation(), now + t, statuses[static_cast<std::size_t>(i)]);
        }
        chart->flush();
        chart->viewport()->repaint(); // the paint of this tick, synchronously
        cpu.push_back(threadCpuMs() - cpu0);
        return static_cast<double>(timer.nsecsElapsed()) / 1e6;
    };
    for (int t = 0; t < kWarmup; ++t) {
        tick(t, kCompared);
    }
    cpu.clear();
    decodeCpu.clear();
    std::vector<double> polled;
    for (int t = kWarmup; t < kWarmup + kTicks / 2; ++t) {
        polled.push_back(tick(t, kCompared));
    }
    const std::vector<double> polledCpu = cpu;
    const std::vector<double> polledDecode = decodeCpu;
    cpu.clear();
    decodeCpu.clear();
    std::vector<double> everyNode;
    for (int t = kWarmup + kTicks / 2; t < kWarmup + kTicks; ++t) {
        everyNode.push_back(tick(t, kNodes));
    }
    const std::vector<double> everyCpu = cpu;
    const std::vector<double> everyDecode = decodeCpu;
    double load = 0;
    if (QFile f(QStringLiteral("/proc/loadavg")); f.open(QIODevice::ReadOnly)) {
        load = f.readAll().split(' ').value(0).toDouble();
    }
    const long rssEnd = rssKiB();
    const Stats a = stats(polled);
    const Stats b = stats(everyNode);
    qInfo("Hosts tab, %d of %d nodes on one chart (1 h, %d points drawn at most a series, plot %d px wide):", kCompared,
          kNodes, chart->drawnPointsMax(), chart->viewport()->width());
    qInfo("  60 answers a tick (the tab's poll): median %.2f ms, p99 %.2f ms, max %.2f ms (goal p99 <= 8 ms)", a.median,
          a.p99, a.max);
    qInfo("  300 answers a tick (every node's):  median %.2f ms, p99 %.2f ms, max %.2f ms", b.median, b.p99, b.max);
    const Stats ac = stats(polledCpu);
    const Stats bc = stats(everyCpu);
    qInfo("  GUI thread CPU, 60 answers:  median %.2f ms, p99 %.2f ms", ac.median, ac.p99);
    qInfo("  GUI thread CPU, 300 answers: median %.2f ms, p99 %.2f ms", bc.median, bc.p99);
    const Stats ad = stats(polledDecode);
    const Stats bd = stats(everyDecode);
    qInfo("  decode thread CPU (JSON to HostStatus), 60 answers: median %.2f ms, p99 %.2f ms; 300 answers: median "
          "%.2f ms, p99 %.2f ms",
          ad.median, ad.p99, bd.median, bd.p99);
    qInfo("  RSS %.1f MiB at start, %.1f MiB at the end; load average %.1f on %d CPUs", rssStart / 1024.0,
          rssEnd / 1024.0, load, QThread::idealThreadCount());
    QCOMPARE(chart->seriesKeys().size(), kCompared);
    QVERIFY(chart->rawCount(nodeName(0)) >= 3600);
    QVERIFY(chart->drawnPointsMax() <= 2 * chart->viewport()->width());
    QVERIFY2(ac.p99 < 500, qPrintable(QString::number(ac.p99)));
}

QTEST_MAIN(TstHostsBench)
#include "tst_hosts_bench.moc"
