// Flood soak (label bench): one agent floods state.delta notifications (default
// 100,000/s for 60 s; HADECK_SOAK_SECONDS, HADECK_SOAK_RATE) at the real
// MainWindow while a healthy real agent sits beside it. The healthy node stays
// online, the console's RSS stays under 300 MB, the GUI thread's p99 per tick
// stays under 16 ms (the GUI thread's CPU time between 5 ms ticks; the wall-clock
// gap, which on a shared machine includes other processes, is reported too), and
// closing the window takes under 1 s.
// The console's rate (notifications decoded and then handled, or skipped as
// superseded by a later snapshot) is printed two ways: per wall-clock second,
// and per CPU second of the flooded node's decode thread and of the GUI thread.
// On a shared 2-core machine the wall rate mostly measures the other processes,
// so the gate is on the CPU rates: each thread must be able to take the asked
// rate (a Release build), or a tenth of it (a Debug build, whose unoptimised
// JSON parsing is about ten times slower). HADECK_SOAK_MIN_RATE adds a gate on
// the wall-clock rate for a quiet machine.

#include "app/clustersession.h"
#include "app/mainwindow.h"
#include "hadeck/console/inventory.h"
#include "sshtestenv.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <algorithm>
#include <ctime>
#include <unistd.h>
#include <memory>
#include <vector>

using namespace hadeck;
using hadeck::ui::MainWindow;

namespace {

qint64 rssMiB()
{
    QFile f(QStringLiteral("/proc/self/statm"));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    const QList<QByteArray> parts = f.readAll().split(' ');
    return parts.size() > 1 ? parts[1].toLongLong() * 4096 / (1024 * 1024) : -1;
}

/// CPU time of this process's threads named @p name, in microseconds (the busiest one).
qint64 busiestThreadCpuUs(const QByteArray& name)
{
    qint64 best = 0;
    const QDir tasks(QStringLiteral("/proc/self/task"));
    const long ticks = sysconf(_SC_CLK_TCK);
    for (const QString& tid : tasks.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        QFile comm(tasks.filePath(tid + QStringLiteral("/comm")));
        if (!comm.open(QIODevice::ReadOnly) || comm.readAll().trimmed() != name)
            continue;
        QFile stat(tasks.filePath(tid + QStringLiteral("/stat")));
        if (!stat.open(QIODevice::ReadOnly))
            continue;
        const QByteArray text = stat.readAll();
        // Fields after the ")" that closes the name: state is field 3, utime 14, stime 15.
        const QList<QByteArray> f = text.mid(text.lastIndexOf(')') + 2).split(' ');
        if (f.size() > 12 && ticks > 0)
            best = std::max(best, (f[11].toLongLong() + f[12].toLongLong()) * 1000000 / ticks);
    }
    return best;
}

int envInt(const char* name, int fallback)
{
    bool ok = false;
    const int v = qEnvironmentVariableIntValue(name, &ok);
    return ok && v > 0 ? v : fallback;
}

} // namespace

class TstFloodSoak : public QObject {
    Q_OBJECT
private slots:
    void floodSoak()
    {
        const QString fake = QStringLiteral(HADECK_BINARY_DIR "/bin/hadeck-fakeagent");
        if (!QFile::exists(test::agentBinary()) || !QFile::exists(fake))
            QSKIP("hadeck-agent or hadeck-fakeagent is not built");
        const int seconds = envInt("HADECK_SOAK_SECONDS", 60);
        const int rate = envInt("HADECK_SOAK_RATE", 100000);
        QTemporaryDir dir;
        test::Agent good(dir.filePath(QStringLiteral("good.sock")));
        QString error;
        QVERIFY2(good.start(&error), qPrintable(error));
        const QString stats = dir.filePath(QStringLiteral("flood.stats"));
        QProcess flood;
        flood.start(fake, {QStringLiteral("--socket"), dir.filePath(QStringLiteral("flood.sock")), QStringLiteral("--flood"),
                           QString::number(rate), QStringLiteral("--seconds"), QString::number(seconds),
                           QStringLiteral("--stats"), stats});
        QVERIFY(flood.waitForStarted(5000));
        QVERIFY(QTest::qWaitFor([&] { return QFile::exists(dir.filePath(QStringLiteral("flood.sock"))); }, 5000));

        console::ClusterInventory inv;
        inv.name = QStringLiteral("soak");
        for (const auto& [name, socket, role] :
             {std::tuple{QStringLiteral("flood"), dir.filePath(QStringLiteral("flood.sock")), QStringLiteral("director")},
              std::tuple{QStringLiteral("good"), good.socketPath(), QStringLiteral("web")}}) {
            console::NodeSpec n;
            n.name = name;
            n.transport = console::NodeSpec::TransportKind::Local;
            n.socket = socket;
            n.roles = {role};
            inv.nodes << n;
        }
        const QString path = dir.filePath(QStringLiteral("soak.json"));
        QVERIFY(console::saveInventory(inv, path));

        auto window = std::make_unique<MainWindow>();
        window->resize(1200, 800);
        window->show();
        const qint64 rssBefore = rssMiB();
        QCOMPARE(window->openClusterFile(path), QString());
        QTRY_VERIFY_WITH_TIMEOUT(window->currentSession()->model().node(QStringLiteral("good"))->reachable(), 10000);

        // A 5 ms timer on the GUI thread: the gap between its ticks is how long the
        // event loop was busy with other work.
        // Also the GUI thread's own CPU time per tick: on a loaded machine the wall gap
        // includes time the scheduler gave to other processes.
        const auto threadCpuUs = [] {
            timespec ts{};
            clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
            return static_cast<qint64>(ts.tv_sec) * 1000000 + ts.tv_nsec / 1000;
        };
        std::vector<qint64> cpuUs;
        qint64 lastCpu = threadCpuUs();
        std::vector<qint64> gapsUs;
        gapsUs.reserve(static_cast<std::size_t>(seconds) * 250);
        QElapsedTimer tickClock;
        tickClock.start();
        qint64 lastTick = tickClock.nsecsElapsed();
        qint64 peakRss = 0;
        bool goodLost = false;
        QTimer tick;
        tick.setInterval(5);
        connect(&tick, &QTimer::timeout, this, [&] {
            const qint64 now = tickClock.nsecsElapsed();
            gapsUs.push_back((now - lastTick) / 1000);
            lastTick = now;
            const qint64 cpu = threadCpuUs();
            cpuUs.push_back(cpu - lastCpu);
            lastCpu = cpu;
            if (gapsUs.size() % 20 == 0)
                peakRss = std::max(peakRss, rssMiB());
            const auto* n = window->currentSession()->model().node(QStringLiteral("good"));
            goodLost |= n == nullptr || !n->reachable();
        });
        auto* floodClient = window->currentSession()->pool()->client(QStringLiteral("flood"));
        QVERIFY(floodClient != nullptr);
        QTRY_VERIFY_WITH_TIMEOUT(floodClient->linesConsumed() > 0, 10000);
        const qint64 consumedBefore = floodClient->linesConsumed();
        const qint64 supersededBefore = floodClient->supersededDropped();
        const qint64 decodeCpuBefore = busiestThreadCpuUs("hadeck-decode");
        const qint64 guiCpuBefore = threadCpuUs();
        QElapsedTimer soakClock;
        soakClock.start();
        tick.start();
        QTest::qWait(seconds * 1000);
        tick.stop();
        const double soakSeconds = static_cast<double>(soakClock.elapsed()) / 1000.0;
        const qint64 consumed = floodClient->linesConsumed() - consumedBefore;
        const qint64 superseded = floodClient->supersededDropped() - supersededBefore;
        const double consoleRate = static_cast<double>(consumed) / soakSeconds;
        const double decodeCpuS = static_cast<double>(busiestThreadCpuUs("hadeck-decode") - decodeCpuBefore) / 1e6;
        const double guiCpuS = static_cast<double>(threadCpuUs() - guiCpuBefore) / 1e6;
        const double decodeCapacity = decodeCpuS > 0 ? static_cast<double>(consumed) / decodeCpuS : 0;
        const double guiCapacity = guiCpuS > 0 ? static_cast<double>(consumed) / guiCpuS : 0;

        std::vector<qint64> sorted = gapsUs;
        std::sort(sorted.begin(), sorted.end());
        const qint64 p99 = sorted.empty() ? 0 : sorted[sorted.size() * 99 / 100];
        const qint64 maxGap = sorted.empty() ? 0 : sorted.back();
        std::sort(cpuUs.begin(), cpuUs.end());
        const qint64 cpuP99 = cpuUs.empty() ? 0 : cpuUs[cpuUs.size() * 99 / 100];
        const qint64 cpuMax = cpuUs.empty() ? 0 : cpuUs.back();

        QElapsedTimer quitting;
        quitting.start();
        window.reset();
        const qint64 quitMs = quitting.elapsed();

        flood.terminate();
        flood.waitForFinished(5000);
        QFile s(stats);
        const QByteArray sent = s.open(QIODevice::ReadOnly) ? s.readAll().trimmed() : QByteArray("sent=?");
#ifdef NDEBUG
        const char* build = "Release";
        const double minCapacity = rate;
#else
        const char* build = "Debug";
        const double minCapacity = rate / 10.0;
#endif
        const int minRate = envInt("HADECK_SOAK_MIN_RATE", 0);
        qInfo(
            "soak (%s build): %d s at %d/s asked; agent %s; console consumed %lld notifications in %.1f s = %.0f/s "
            "(%lld of them superseded snapshots skipped, %lld applied); per CPU second: decode thread %.0f/s (%.1f s CPU), "
            "GUI thread %.0f/s (%.1f s CPU); GUI ticks %zu, wall gap p99 %.1f ms max %.1f ms, "
            "GUI-thread CPU per tick p99 %.1f ms max %.1f ms; RSS %lld MiB peak (%lld before); quit %lld ms; "
            "healthy node lost: %s",
            build, seconds, rate, sent.constData(), consumed, soakSeconds, consoleRate, superseded,
            consumed - superseded, decodeCapacity, decodeCpuS, guiCapacity, guiCpuS, gapsUs.size(), p99 / 1000.0,
            maxGap / 1000.0, cpuP99 / 1000.0, cpuMax / 1000.0, peakRss, rssBefore, quitMs, goodLost ? "yes" : "no");
        QVERIFY(!goodLost);
        QVERIFY2(peakRss < 300, qPrintable(QString::number(peakRss)));
        QVERIFY2(cpuP99 < 16000, qPrintable(QString::number(cpuP99)));
        if (p99 >= 16000)
            qWarning("wall-clock p99 %.1f ms is over 16 ms (machine load included)", p99 / 1000.0);
        QVERIFY2(quitMs < 1000, qPrintable(QString::number(quitMs)));
        QVERIFY2(decodeCapacity >= minCapacity, qPrintable(QStringLiteral("decode thread: %1 per CPU second, %2 needed")
                                                               .arg(decodeCapacity, 0, 'f', 0)
                                                               .arg(minCapacity)));
        QVERIFY2(guiCapacity >= minCapacity, qPrintable(QStringLiteral("GUI thread: %1 per CPU second, %2 needed")
                                                            .arg(guiCapacity, 0, 'f', 0)
                                                            .arg(minCapacity)));
        if (minRate > 0)
            QVERIFY2(consoleRate >= minRate,
                     qPrintable(QStringLiteral("%1/s handled, %2/s needed").arg(consoleRate, 0, 'f', 0).arg(minRate)));
    }
};

QTEST_MAIN(TstFloodSoak)
#include "tst_floodsoak.moc"
