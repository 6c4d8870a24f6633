// The drain hold's window on the lab's real directors (issue 20, item 8): how long web1's weight
// is not 0 on dir1 and dir2
//   - after keepalived's health check takes web1 out and puts it back (Apache stopped, then
//     started: the checker re-adds web1 at its configured weight 100), and
//   - after the director's agent was killed while web1 was drained and the weight went back to
//     100 meanwhile: the time from the restarted agent's start to weight 0.
// Each director's weight is watched from inside it (/proc/net/ip_vs, every 20 ms, on the VM's own
// clock, so no host/VM clock comparison is made). The windows are printed (median and worst) and
// the test fails when one exceeds its bound.

#include "labtestutil.h"
#include "hadeck/console/actions/cluster_rpc.h"
#include "hadeck/console/agentclient.h"
#include "hadeck/console/connectionpool.h"
#include "hadeck/console/credentialprompter.h"
#include "hadeck/console/inventory.h"

#include <QProcess>
#include <QScopeGuard>
#include <hadeck/protocol/methods.h>

#include <QtTest>

#include <algorithm>
#include <memory>

using namespace hadeck;
using namespace hadeck::console;

namespace {

const QString kWeb1 = QStringLiteral("198.18.0.21");
// web1:80 as /proc/net/ip_vs writes it.
const QString kWeb1Hex = QStringLiteral("C6120015:0050");
const QStringList kDirectors{QStringLiteral("dir1"), QStringLiteral("dir2")};

// The goal is a hold that wins within a second of anything that undoes it; the windows are
// printed against it. The test itself is a report (label bench): its bounds catch a hold that
// does not come back (a stall), not a slow one, since the lab's directors run under software
// emulation on a shared machine.
constexpr double kGoalMs = 1000;
constexpr double kCheckerBoundMs = 15000;
constexpr double kRestartBoundMs = 15000;

QString labDir() { return qEnvironmentVariable("HADECK_LAB_DIR", QStringLiteral("/run/hadeck-lab")); }

using labtest::labExecArgv;

bool labCtl(const QString& op, const QString& node, const QString& daemon)
{
    return QProcess::execute(qEnvironmentVariable("HADECK_LAB"), {op, node, daemon}) == 0;
}

/// A shell run inside the node: the agent of this node (same network namespace) and its start
/// time on the node's clock, from /proc/PID/stat (clock ticks since boot) and /proc/uptime.
const QString kAgentPid = QStringLiteral("me=$(readlink /proc/self/ns/net); for p in $(pgrep -x hadeck-agent); do "
                                         "[ \"$(readlink /proc/$p/ns/net)\" = \"$me\" ] && echo $p; done; true");

QString stats(QList<double> v)
{
    if (v.isEmpty()) {
        return QStringLiteral("no samples");
    }
    std::sort(v.begin(), v.end());
    return QStringLiteral("median %1 ms, worst %2 ms (n=%3)")
        .arg(v[v.size() / 2], 0, 'f', 0)
        .arg(v.last(), 0, 'f', 0)
        .arg(v.size());
}

/// web1's weight on one director, seen from inside it every 20 ms; one line per change:
/// "<epoch seconds> <weight|absent>". It stops by itself (stop file, or after an hour).
class WeightWatch {
public:
    struct Change {
        double atMs;
        QString weight;
    };

    explicit WeightWatch(QString director) : m_director(std::move(director))
    {
        labExecArgv(m_director, {QStringLiteral("rm"), QStringLiteral("-f"), stopFile()});
        const QString script =
            QStringLiteral(
                "f=/tmp/hadeck-hold-watch.$$; mkfifo $f && exec {s}<>$f && rm -f $f || exit 1; "
                "last=; end=$((SECONDS + 3600)); "
                "while [ ! -e %1 ] && [ $SECONDS -lt $end ]; do w=absent; "
                "while read -r a b c d e; do [ \"$a\" = '->' ] && [ \"$b\" = %2 ] && w=$d; done < /proc/net/ip_vs; "
                "if [ \"$w\" != \"$last\" ]; then echo \"$EPOCHREALTIME $w\"; last=$w; fi; "
                "read -t 0.02 -u $s || :; done")
                .arg(stopFile(), kWeb1Hex);
        m_proc.start(qEnvironmentVariable("HADECK_LAB"),
                     {QStringLiteral("exec"), m_director, QStringLiteral("bash"), QStringLiteral("-c"), script});
    }
    ~WeightWatch()
    {
        labExecArgv(m_director, {QStringLiteral("touch"), stopFile()});
        if (!m_proc.waitForFinished(10000)) {
            m_proc.kill();
            m_proc.waitForFinished();
        }
    }
    WeightWatch(const WeightWatch&) = delete;
    WeightWatch& operator=(const WeightWatch&) = delete;

    /// Every change seen so far (reads what the watcher printed).
    const QList<Change>& changes()
    {
        m_buffer += m_proc.readAllStandardOutput();
        qsizetype nl = 0;
        while ((nl = m_buffer.indexOf('\n')) >= 0) {
            const QList<QByteArray> f = m_buffer.left(nl).trimmed().split(' ');
            m_buffer.remove(0, nl + 1);
            if (f.size() == 2) {
                m_changes.append({f[0].toDouble() * 1000.0, QString::fromLatin1(f[1])});
            }
        }
        return m_changes;
    }
    QString current()
    {
        const auto& c = changes();
        return c.isEmpty() ? QString() : c.last().weight;
    }
    qsizetype mark() { return changes().size(); }
    const QString& director() const { return m_director; }

private:
    static QString stopFile() { return QStringLiteral("/tmp/hadeck-hold-watch.stop"); }
    QString m_director;
    QProcess m_proc;
    QByteArray m_buffer;
    QList<Change> m_changes;
};

/// From the changes after @p from: when web1 was first present with a weight other than 0, and
/// when it was 0 after that. The window is 0 when the watcher never saw it at non-zero (it was
/// put back faster than one look).
struct Window {
    std::optional<double> nonZeroAt;
    std::optional<double> zeroAt;
    std::optional<double> firstPresentAt;
};

Window windowAfter(const QList<WeightWatch::Change>& changes, qsizetype from)
{
    Window w;
    for (qsizetype i = from; i < changes.size(); ++i) {
        const auto& c = changes[i];
        if (c.weight == QLatin1String("absent")) {
            continue;
        }
        if (!w.firstPresentAt) {
            w.firstPresentAt = c.atMs;
        }
        if (c.weight != QLatin1String("0") && !w.nonZeroAt) {
            w.nonZeroAt = c.atMs;
        } else if (c.weight == QLatin1String("0") && w.firstPresentAt && !w.zeroAt) {
            w.zeroAt = c.atMs;
            break;
        }
    }
    return w;
}

} // namespace

class TestDrainHoldLab : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void holdAfterCheckerTransition();
    void reassertAfterAgentRestart();
    void cleanupTestCase();

private:
    void drainWeb1();
    void restoreWeb1();

    std::unique_ptr<RefusingPrompter> m_prompter;
    std::unique_ptr<ConnectionPool> m_pool;
    std::unique_ptr<PoolRpc> m_rpc;
};

void TestDrainHoldLab::initTestCase()
{
    auto inventory = loadInventory(labDir() + QStringLiteral("/inventory.json"));
    QVERIFY2(inventory, inventory ? "" : inventory.error().message.c_str());
    m_prompter = std::make_unique<RefusingPrompter>();
    m_pool = std::make_unique<ConnectionPool>(*inventory, m_prompter.get());
    m_pool->connectAll();
    m_rpc = std::make_unique<PoolRpc>(*m_pool);
    for (const QString& node : kDirectors) {
        QVERIFY2(QTest::qWaitFor([&] { return m_rpc->isOnline(node); }, 60000),
                 qPrintable(node + QStringLiteral(": ") + m_pool->lastError(node)));
    }
    restoreWeb1();
}

void TestDrainHoldLab::drainWeb1()
{
    // A starved VM can drop the SSH sessions: wait until the pool has both directors again.
    QVERIFY2(QTest::qWaitFor([&] { return m_rpc->isOnline(kDirectors[0]) && m_rpc->isOnline(kDirectors[1]); }, 120000),
             "the directors are not online");
    int left = 2;
    QStringList errors;
    for (const QString& d : kDirectors) {
        proto::DrainTarget t;
        t.address = kWeb1.toStdString();
        invoke(*m_rpc, d, proto::methods::DrainApply, t, [&, d](const Reply<proto::DrainApplyResult>& r) {
            if (!r) {
                errors << d + QStringLiteral(": ") + QString::fromStdString(r.error().message);
            }
            --left;
        });
    }
    QVERIFY(QTest::qWaitFor([&] { return left == 0; }, 30000));
    QVERIFY2(errors.isEmpty(), qPrintable(errors.join(QStringLiteral("; "))));
}

void TestDrainHoldLab::restoreWeb1()
{
    if (!m_rpc) {
        return;
    }
    (void)QTest::qWaitFor([&] { return m_rpc->isOnline(kDirectors[0]) && m_rpc->isOnline(kDirectors[1]); }, 120000);
    int left = 2;
    for (const QString& d : kDirectors) {
        proto::DrainTarget t;
        t.address = kWeb1.toStdString();
        invoke(*m_rpc, d, proto::methods::DrainRestore, t, [&](const Reply<proto::DrainRestoreResult>&) { --left; });
    }
    (void)QTest::qWaitFor([&] { return left == 0; }, 30000);
}

void TestDrainHoldLab::holdAfterCheckerTransition()
{
    const int runs =
        qEnvironmentVariableIntValue("HADECK_HOLD_RUNS") > 0 ? qEnvironmentVariableIntValue("HADECK_HOLD_RUNS") : 10;
    std::vector<std::unique_ptr<WeightWatch>> watches;
    for (const QString& d : kDirectors) {
        watches.push_back(std::make_unique<WeightWatch>(d));
    }
    drainWeb1();
    if (QTest::currentTestFailed()) {
        return;
    }
    const auto guard = qScopeGuard([this] {
        labCtl(QStringLiteral("start"), QStringLiteral("web1"), QStringLiteral("apache"));
        restoreWeb1();
    });
    // The agent's own view, on its clock: when it read the checker's UP line for web1
    // (realserver.health, observedAt) and when it wrote weight 0 back (drain.reasserted).
    struct AgentSeen {
        QList<double> upAt;
        QList<double> reassertedAt;
    };
    QMap<QString, AgentSeen> seen;
    std::vector<std::pair<AgentClient*, AgentClient::SubscriptionId>> subscriptions;
    const auto unsubscribe = qScopeGuard([&] {
        for (const auto& [client, id] : subscriptions) {
            client->unsubscribe(id);
        }
    });
    for (const QString& d : kDirectors) {
        AgentClient* client = m_pool->client(d);
        QVERIFY(client != nullptr);
        subscriptions.emplace_back(
            client, client->subscribe(
                        {topicName(proto::topic::Events)}, [&seen, d](const QString& method, const rpc::Json& params) {
                            if (method.toStdString() != proto::notify::Event) {
                                return;
                            }
                            const auto head = proto::fromJson<proto::EventHead>(params);
                            if (!head) {
                                return;
                            }
                            if (head->type == proto::event::RealServerHealth) {
                                const auto e = proto::fromJson<proto::RealServerHealthEvent>(params);
                                if (e && e->state == "UP" && QString::fromStdString(e->realServer).contains(kWeb1)) {
                                    seen[d].upAt << e->observedAt * 1000.0;
                                }
                            } else if (head->type == proto::event::DrainReasserted) {
                                const auto e = proto::fromJson<proto::DrainReassertedEvent>(params);
                                if (e && QString::fromStdString(e->detail.dest).startsWith(kWeb1 + QLatin1Char(':'))) {
                                    seen[d].reassertedAt << e->time * 1000.0;
                                }
                            }
                        }));
    }
    QMap<QString, QList<double>> reaction;
    for (auto& w : watches) {
        QVERIFY2(QTest::qWaitFor([&] { return w->current() == QLatin1String("0"); }, 15000),
                 qPrintable(w->director() + QStringLiteral(": web1 not at weight 0 after the drain")));
    }
    QMap<QString, QList<double>> windows;
    for (int run = 0; run < runs; ++run) {
        // Apache down: keepalived's TCP_CHECK fails (3 retries, 3 s apart) and removes web1.
        QVERIFY(labCtl(QStringLiteral("stop"), QStringLiteral("web1"), QStringLiteral("apache")));
        for (auto& w : watches) {
            QVERIFY2(QTest::qWaitFor([&] { return w->current() == QLatin1String("absent"); }, 40000),
                     qPrintable(w->director() + QStringLiteral(": keepalived did not take web1 out")));
        }
        std::vector<qsizetype> marks;
        for (auto& w : watches) {
            marks.push_back(w->mark());
        }
        // Apache up: the checker adds web1 back at its configured weight; the hold must put 0 back.
        QVERIFY(labCtl(QStringLiteral("start"), QStringLiteral("web1"), QStringLiteral("apache")));
        QStringList line;
        for (std::size_t i = 0; i < watches.size(); ++i) {
            auto& w = *watches[i];
            const bool back = QTest::qWaitFor(
                [&] {
                    return windowAfter(w.changes(), marks[i]).firstPresentAt.has_value() &&
                           w.current() == QLatin1String("0");
                },
                40000);
            const Window win = windowAfter(w.changes(), marks[i]);
            QStringList seq;
            for (qsizetype k = marks[i]; k < w.changes().size(); ++k) {
                seq << w.changes()[k].weight;
            }
            QVERIFY2(back,
                     qPrintable(w.director() + QStringLiteral(": web1 came back as ") +
                                seq.join(QStringLiteral(" -> ")) + QStringLiteral(" and weight 0 was not put back")));
            const double ms = win.nonZeroAt && win.zeroAt ? *win.zeroAt - *win.nonZeroAt : 0.0;
            windows[w.director()] << ms;
            line << QStringLiteral("%1 %2 ms (%3)")
                        .arg(w.director())
                        .arg(ms, 0, 'f', 0)
                        .arg(seq.join(QStringLiteral(" -> ")));
        }
        qInfo("checker run %d: web1 at non-zero weight for %s", run + 1, qPrintable(line.join(QStringLiteral(", "))));
    }
    QList<double> all;
    for (const QString& d : kDirectors) {
        qInfo("hold after a checker transition on %s: %s", qPrintable(d), qPrintable(stats(windows[d])));
        all += windows[d];
    }
    qInfo("hold after a checker transition, both directors: %s (goal: worst <= %.0f ms)", qPrintable(stats(all)),
          kGoalMs);
    // The agent's part, on its own clock: each UP line it read for web1, paired with the first weight-0
    // write from 1 s before it to 5 s after (the checker's transitions are 9 s or more apart). The
    // events come over SSH later than the kernel's weights, so they are paired once all runs are over:
    // paired per run, a late UP line was matched with the next run's write (a "reaction" of 13 s).
    for (const QString& d : kDirectors) {
        const AgentSeen& a = seen[d];
        int unpaired = 0;
        for (const double up : a.upAt) {
            const auto r = std::find_if(a.reassertedAt.begin(), a.reassertedAt.end(),
                                        [&](double t) { return t >= up - 1000.0 && t <= up + 5000.0; });
            if (r != a.reassertedAt.end()) {
                reaction[d] << *r - up;
            } else {
                ++unpaired;
            }
        }
        qInfo("agent's reaction on %s (UP line read to weight 0 written, its own clock; negative: written "
              "before the line was read): %s; %d UP line(s) seen, %d without a write near them",
              qPrintable(d), qPrintable(stats(reaction[d])), int(a.upAt.size()), unpaired);
    }
    QVERIFY2(*std::max_element(all.begin(), all.end()) <= kCheckerBoundMs,
             qPrintable(QStringLiteral("the hold came back later than %1 ms").arg(kCheckerBoundMs)));
}

void TestDrainHoldLab::reassertAfterAgentRestart()
{
    const int runs =
        qEnvironmentVariableIntValue("HADECK_HOLD_RUNS") > 0 ? qEnvironmentVariableIntValue("HADECK_HOLD_RUNS") : 10;
    drainWeb1();
    if (QTest::currentTestFailed()) {
        return;
    }
    const auto guard = qScopeGuard([this] {
        for (const QString& d : kDirectors) {
            labCtl(QStringLiteral("start"), d, QStringLiteral("agent"));
        }
        (void)QTest::qWaitFor(
            [&] { return m_rpc->isOnline(QStringLiteral("dir1")) && m_rpc->isOnline(QStringLiteral("dir2")); }, 60000);
        restoreWeb1();
    });
    QList<double> reassert;
    for (int run = 0; run < runs; ++run) {
        const QString d = kDirectors[run % 2];
        WeightWatch watch(d);
        QVERIFY2(QTest::qWaitFor([&] { return watch.current() == QLatin1String("0"); }, 15000),
                 qPrintable(d + QStringLiteral(": web1 not at weight 0 before the kill")));
        // The agent dies; meanwhile something (a checker, an admin) puts web1 back at 100.
        labExecArgv(d, {QStringLiteral("bash"), QStringLiteral("-c"),
                        QStringLiteral("for p in $(%1); do kill -9 $p; done").arg(kAgentPid)});
        QVERIFY2(labExecArgv(d, {QStringLiteral("bash"), QStringLiteral("-c"), kAgentPid}).trimmed().isEmpty(),
                 qPrintable(d + QStringLiteral(": the agent survived kill -9")));
        labExecArgv(d, {QStringLiteral("ipvsadm"), QStringLiteral("-e"), QStringLiteral("-t"),
                        QStringLiteral("198.18.0.100:80"), QStringLiteral("-r"), kWeb1 + QStringLiteral(":80"),
                        QStringLiteral("-g"), QStringLiteral("-w"), QStringLiteral("100")});
        QVERIFY2(QTest::qWaitFor([&] { return watch.current() == QLatin1String("100"); }, 15000),
                 qPrintable(d + QStringLiteral(": web1's weight did not go to 100 with the agent down")));
        const qsizetype mark = watch.mark();
        QVERIFY(labCtl(QStringLiteral("start"), d, QStringLiteral("agent")));
        QVERIFY2(QTest::qWaitFor([&] { return watch.current() == QLatin1String("0"); }, 30000),
                 qPrintable(d + QStringLiteral(": the restarted agent did not put weight 0 back within 30 s")));
        // The new agent's start on the node's clock (fork time, 10 ms ticks), asked once weight 0
        // is back: a query in the window would compete with the agent for the VM's two emulated CPUs.
        const QByteArray started = labExecArgv(
            d, {QStringLiteral("bash"), QStringLiteral("-c"),
                QStringLiteral("p=$(%1); [ -n \"$p\" ] || exit 1; read -r up _ < /proc/uptime; now=$EPOCHREALTIME; "
                               "st=$(awk '{print $22}' /proc/$p/stat); hz=$(getconf CLK_TCK); "
                               "echo \"$now $up $st $hz\"")
                    .arg(kAgentPid)});
        const QList<QByteArray> f = started.trimmed().split(' ');
        QVERIFY2(f.size() == 4, started.constData());
        const double startMs = (f[0].toDouble() - (f[1].toDouble() - f[2].toDouble() / f[3].toDouble())) * 1000.0;
        double zeroAt = 0;
        for (qsizetype k = mark; k < watch.changes().size(); ++k) {
            if (watch.changes()[k].weight == QLatin1String("0")) {
                zeroAt = watch.changes()[k].atMs;
                break;
            }
        }
        reassert << zeroAt - startMs;
        qInfo("restart run %d on %s: weight 0 re-asserted %.0f ms after the agent started", run + 1, qPrintable(d),
              zeroAt - startMs);
        QVERIFY(QTest::qWaitFor([&] { return m_rpc->isOnline(d); }, 60000));
    }
    qInfo("re-assert after an agent restart: %s (goal: worst <= %.0f ms)", qPrintable(stats(reassert)), kGoalMs);
    QVERIFY2(*std::max_element(reassert.begin(), reassert.end()) <= kRestartBoundMs,
             qPrintable(QStringLiteral("a restarted agent took longer than %1 ms to re-assert").arg(kRestartBoundMs)));
}

void TestDrainHoldLab::cleanupTestCase() { restoreWeb1(); }

QTEST_GUILESS_MAIN(TestDrainHoldLab)
#include "tst_drain_hold_lab.moc"
