// A VRRP pair of real keepalived daemons (this test's network namespace, "a", and a
// second one, "b") with the real hadeck-agent on "a" (label lab, root). A subscribed
// client must get every transition of a's instance as an event, once; the test drives 20
// transitions through keepalived's track_file and reports the median delay between
// keepalived's transition (last_transition in its own dump) and the event's arrival.
// a has both a notify FIFO and `enable_dbus` on a system bus of the test's own (a real
// dbus-daemon): with the agent on that bus every event must come from DBus; with the agent
// kept off it (no bus at its address) every event must come from the FIFO.

#include "agenttestutil.h"
#include "privatebus.h"
#include "processutil.h"
#include "fixture.h"
#include "hadeck/protocol/methods.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <sched.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <fstream>

using namespace hadeck;
using hadeck::test::AgentProcess;
using hadeck::test::LineClient;

namespace {

const QString kNsB = QStringLiteral("hdt-vrrp-b");

using hadeck::test::shell;

QString kaConf(const QString& dir, const QString& iface, int prio, bool dbus)
{
    return QStringLiteral(R"(global_defs {
    router_id hdt_%4
    notify_fifo %1/fifo
    enable_script_security
%5}
track_file force {
    file "%1/track"
    weight 0
    init_file 0 overwrite
}
vrrp_instance VI_T {
    state BACKUP
    interface %2
    virtual_router_id 77
    priority %3
    advert_int 1
    track_file {
        force weight 0
    }
    virtual_ipaddress {
        198.18.5.100/24
    }
}
)")
        .arg(dir, iface)
        .arg(prio)
        .arg(iface, dbus ? QStringLiteral("    enable_dbus\n") : QString());
}

double unixNow()
{
    return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

/// keepalived.json written into @p dir (close-write) since @p in was set up; drains the watch.
int dumpsWritten(int in)
{
    int dumps = 0;
    std::array<char, 4096> buf{};
    for (ssize_t n = 0; (n = read(in, buf.data(), buf.size())) > 0;) {
        for (ssize_t off = 0; off < n;) {
            const auto* ev = reinterpret_cast<const inotify_event*>(buf.data() + off);
            if (ev->len > 0 && QByteArray(ev->name) == "keepalived.json") {
                ++dumps;
            }
            off += static_cast<ssize_t>(sizeof(inotify_event) + ev->len);
        }
    }
    return dumps;
}

std::int64_t advertsSent(const std::optional<rpc::Json>& reply)
{
    if (!reply || !reply->contains("result") || (*reply)["result"]["instances"].empty()) {
        return -1;
    }
    return (*reply)["result"]["instances"][0].value("advertSent", std::int64_t{-1});
}

} // namespace

class TestVrrpEventsLab : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void transitionsReachSubscriber_data();
    void transitionsReachSubscriber();
    void spoofedSignalsIgnored();
    void plantedDumpIgnored();
    void periodicDumpsFollowTheInterval();
    void deadKeepalivedNotCurrent(); // last: it kills a's keepalived
    void cleanupTestCase();

private:
    void startKeepalived(QProcess& p, const QString& dir, bool inB);
    bool writeTrack(int value);
    void startAgentAtMaster(LineClient& c, const QString& extraConfig = {});

    QTemporaryDir m_dir;
    QProcess m_bus;
    QProcess m_kaA;
    QProcess m_kaB;
    std::unique_ptr<AgentProcess> m_agent;
};

void TestVrrpEventsLab::startKeepalived(QProcess& p, const QString& dir, bool inB)
{
    auto env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("TMPDIR"), dir + QStringLiteral("/tmp"));
    p.setProcessEnvironment(env);
    QStringList args{QStringLiteral("--dont-fork"), QStringLiteral("--log-console"), QStringLiteral("-f"),
                     dir + QStringLiteral("/keepalived.conf"), QStringLiteral("-p"), dir + QStringLiteral("/k.pid"),
                     QStringLiteral("-r"), dir + QStringLiteral("/v.pid"), QStringLiteral("-c"),
                     dir + QStringLiteral("/c.pid")};
    if (inB) {
        args = QStringList{QStringLiteral("netns"), QStringLiteral("exec"), kNsB, QStringLiteral("keepalived")} + args;
        p.start(QStringLiteral("ip"), args);
    } else {
        p.start(QStringLiteral("keepalived"), args);
    }
    QVERIFY(p.waitForStarted(5000));
}

bool TestVrrpEventsLab::writeTrack(int value)
{
    // keepalived re-reads the file on close-write or rename: write a temp file, then rename.
    const QString path = m_dir.path() + QStringLiteral("/a/track");
    {
        std::ofstream out((path + QStringLiteral(".new")).toStdString());
        out << value << '\n';
    }
    return std::rename((path + QStringLiteral(".new")).toLocal8Bit().constData(), path.toLocal8Bit().constData()) == 0;
}

void TestVrrpEventsLab::initTestCase()
{
    if (geteuid() != 0) {
        QFAIL("needs root (network namespaces, keepalived)");
    }
    QString err;
    QVERIFY2(test::ensureTestUsers(&err), qPrintable(err));
    QCOMPARE(unshare(CLONE_NEWNET), 0);
    shell(QStringLiteral("ip netns del %1 2>/dev/null; true").arg(kNsB));
    QCOMPARE(shell(QStringLiteral("ip netns add %1 && ip link set lo up && ip link add hdta0 type veth peer name hdtb0 "
                                  "netns %1 && ip addr add 198.18.5.1/24 dev hdta0 && ip link set hdta0 up && "
                                  "ip -n %1 addr add 198.18.5.2/24 dev hdtb0 && ip -n %1 link set hdtb0 up && "
                                  "ip -n %1 link set lo up")
                       .arg(kNsB)),
             0);
    // The bus first: keepalived joins it when it starts.
    const QString busSocket = m_dir.path() + QStringLiteral("/system_bus_socket");
    {
        QFile f(m_dir.path() + QStringLiteral("/bus.conf"));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(privateSystemBusConf(busSocket).toUtf8());
    }
    m_bus.start(QStringLiteral("dbus-daemon"), {QStringLiteral("--config-file=") + m_dir.path() + QStringLiteral("/bus.conf"),
                                                QStringLiteral("--nofork"), QStringLiteral("--nopidfile")});
    QVERIFY2(m_bus.waitForStarted(5000), "cannot run dbus-daemon (package dbus-daemon)");
    QTRY_VERIFY_WITH_TIMEOUT(QFile::exists(busSocket), 10000);
    qputenv("DBUS_SYSTEM_BUS_ADDRESS", QByteArray("unix:path=") + busSocket.toLocal8Bit());
    for (const char* side : {"a", "b"}) {
        const QString d = m_dir.path() + QLatin1Char('/') + QLatin1String(side);
        QDir().mkpath(d + QStringLiteral("/tmp"));
        QFile f(d + QStringLiteral("/keepalived.conf"));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(kaConf(d, side == QLatin1String("a") ? QStringLiteral("hdta0") : QStringLiteral("hdtb0"),
                       side == QLatin1String("a") ? 150 : 100, side == QLatin1String("a"))
                    .toUtf8());
        QCOMPARE(shell(QStringLiteral("mkfifo %1/fifo").arg(d)), 0);
    }
    startKeepalived(m_kaA, m_dir.path() + QStringLiteral("/a"), false);
    startKeepalived(m_kaB, m_dir.path() + QStringLiteral("/b"), true);
    // keepalived owns its name once its VRRP process is up.
    QTRY_COMPARE_WITH_TIMEOUT(
        shell(QStringLiteral("dbus-send --system --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus "
                             "org.freedesktop.DBus.NameHasOwner string:org.keepalived.Vrrp1 | grep -q 'boolean true'")),
        0, 20000);
}

void TestVrrpEventsLab::transitionsReachSubscriber_data()
{
    QTest::addColumn<QString>("source");
    QTest::newRow("dbus") << "dbus";
    QTest::newRow("fifo (agent off the bus)") << "fifo";
}

void TestVrrpEventsLab::transitionsReachSubscriber()
{
    QFETCH(QString, source);
    QString err;
    QVERIFY(writeTrack(0)); // a may be in FAULT from the previous row
    const QByteArray busAddress = qgetenv("DBUS_SYSTEM_BUS_ADDRESS");
    if (source == QLatin1String("fifo")) {
        qputenv("DBUS_SYSTEM_BUS_ADDRESS", QByteArray("unix:path=") + m_dir.path().toLocal8Bit() + "/no-bus-here");
    }
    m_agent = std::make_unique<AgentProcess>();
    const QString a = m_dir.path() + QStringLiteral("/a");
    m_agent->writeConfig(QStringLiteral("[sample]\ninterval_ms = 1000\n[keepalived]\nconfig = \"%1/keepalived.conf\"\n"
                                        "pid_file = \"%1/k.pid\"\njson_dump = \"%1/tmp/keepalived.json\"\n")
                             .arg(a));
    const bool started = m_agent->start(&err);
    qputenv("DBUS_SYSTEM_BUS_ADDRESS", busAddress);
    QVERIFY2(started, qPrintable(err));

    auto c = LineClient::connectTo(m_agent->socketPath());
    QVERIFY(c.valid());
    auto r = c.call(proto::methods::Subscribe, rpc::Json{{"topics", {"events", "vrrp"}}});
    QVERIFY(r && r->contains("result"));

    // Wait until a is MASTER and the agent has seen it.
    QTRY_VERIFY_WITH_TIMEOUT(([&] {
                                 auto l = c.call(proto::methods::VrrpList);
                                 return l && l->contains("result") && (*l)["result"]["source"] == "dump" &&
                                        !(*l)["result"]["instances"].empty() &&
                                        (*l)["result"]["instances"][0]["state"] == "MASTER" &&
                                        (*l)["result"]["instances"][0]["holdsVips"] == true;
                             }()),
                             20000);

    std::vector<double> delays;
    QString lastTo = QStringLiteral("MASTER");
    double previousKaTime = 0;
    if (auto l = c.call(proto::methods::VrrpList); l && l->contains("result") && !(*l)["result"]["instances"].empty()) {
        previousKaTime = (*l)["result"]["instances"][0].value("lastTransition", 0.0);
    }
    int value = 1;
    int byDump = 0;
    while (delays.size() < 20) {
        QVERIFY(writeTrack(value));
        // a goes MASTER -> FAULT on 1; on 0 FAULT -> BACKUP -> MASTER (it has the higher priority).
        const QString want = value == 1 ? QStringLiteral("FAULT") : QStringLiteral("MASTER");
        bool reached = false;
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
        while (!reached && std::chrono::steady_clock::now() < deadline) {
            const auto line = c.readLine(1000);
            if (!line) {
                continue;
            }
            const double arrived = unixNow();
            const auto msg = rpc::Json::parse(*line, nullptr, false);
            if (msg.is_discarded() || msg.value("method", "") != "event" ||
                msg["params"].value("type", "") != "vrrp.transition") {
                continue;
            }
            const auto to = QString::fromStdString(msg["params"].value("to", ""));
            const auto from = QString::fromStdString(msg["params"].value("source", ""));
            // The agent's own dump read can see a transition before the push does when the machine
            // is loaded (seen once in 20 in a full suite run): the event is still one and right, but
            // not the push path's. The push source must carry nearly all of them.
            if (from != source) {
                ++byDump;
                QVERIFY2(
                    from == QLatin1String("dump") && byDump <= 2,
                    qPrintable(QStringLiteral("event to %1 from %2, not %3 (%4 not by %3 so far); agent's log:\n%5")
                                   .arg(to, from, source)
                                   .arg(byDump)
                                   .arg(QString::fromUtf8(m_agent->stderrText()))));
            }
            // One event per transition: the other push source must not repeat it.
            QVERIFY2(to != lastTo, qPrintable(QStringLiteral("a second event for the transition to ") + to));
            QCOMPARE(QString::fromStdString(msg["params"].value("from", "")), lastTo);
            lastTo = to;
            // keepalived's own transition time, from the dump the agent reads next. A pushed
            // event updates the state before that dump comes, while lastTransition still
            // names the previous transition: only a newer time is this one's.
            double kaTime = 0;
            for (int i = 0; i < 50 && kaTime <= 0; ++i) {
                auto l = c.call(proto::methods::VrrpList);
                if (l && l->contains("result") && !(*l)["result"]["instances"].empty()) {
                    const auto& inst = (*l)["result"]["instances"][0];
                    const double t = inst.value("lastTransition", 0.0);
                    if (QString::fromStdString(inst.value("state", "")) == to && t > previousKaTime) {
                        kaTime = t;
                    }
                }
                if (kaTime <= 0) {
                    QTest::qWait(100);
                }
            }
            QVERIFY2(kaTime > 0, qPrintable(to));
            previousKaTime = kaTime;
            delays.push_back(arrived - kaTime);
            qInfo("transition to %s: event %.1f ms after keepalived's", qPrintable(to), (arrived - kaTime) * 1000);
            reached = to == want;
        }
        QVERIFY2(reached, qPrintable(QStringLiteral("no event for a transition to ") + want));
        value = value == 1 ? 0 : 1;
    }
    std::sort(delays.begin(), delays.end());
    const double median = (delays[delays.size() / 2 - 1] + delays[delays.size() / 2]) / 2;
    qInfo("VRRP transition -> subscriber event (%s) over %zu transitions: median %.1f ms, min %.1f ms, max %.1f ms; "
          "%d seen first by the dump read",
          qPrintable(source), delays.size(), median * 1000, delays.front() * 1000, delays.back() * 1000, byDump);
    QVERIFY(delays.front() > -0.05); // an event cannot precede the transition (clock granularity aside)
    m_agent->terminate();
    if (source == QLatin1String("dbus")) {
        QVERIFY2(m_agent->stderrText().contains("VRRP transitions come from DBus"), m_agent->stderrText().constData());
    } else {
        QVERIFY2(m_agent->stderrText().contains("no system bus"), m_agent->stderrText().constData());
    }
    m_agent.reset();
}

void TestVrrpEventsLab::spoofedSignalsIgnored()
{
    // A local user outside every hadeck group sends VrrpStatusChange signals on a's path
    // claiming BACKUP (the system bus lets anyone send signals). The agent must neither
    // publish them nor ask keepalived for a dump per fake; the real transition that follows
    // must be the first event.
    QString err;
    QVERIFY(writeTrack(0));
    m_agent = std::make_unique<AgentProcess>();
    const QString a = m_dir.path() + QStringLiteral("/a");
    m_agent->writeConfig(QStringLiteral("[sample]\ninterval_ms = 1000\n[keepalived]\nconfig = \"%1/keepalived.conf\"\n"
                                        "pid_file = \"%1/k.pid\"\njson_dump = \"%1/tmp/keepalived.json\"\n")
                             .arg(a));
    QVERIFY2(m_agent->start(&err), qPrintable(err));
    auto c = LineClient::connectTo(m_agent->socketPath());
    QVERIFY(c.valid());
    auto r = c.call(proto::methods::Subscribe, rpc::Json{{"topics", {"events"}}});
    QVERIFY(r && r->contains("result"));
    QTRY_VERIFY_WITH_TIMEOUT(([&] {
                                 auto l = c.call(proto::methods::VrrpList);
                                 return l && l->contains("result") && (*l)["result"]["source"] == "dump" &&
                                        !(*l)["result"]["instances"].empty() &&
                                        (*l)["result"]["instances"][0]["state"] == "MASTER";
                             }()),
                             20000);
    QTRY_VERIFY_WITH_TIMEOUT(m_agent->stderrText().contains("VRRP transitions come from DBus"), 10000);

    // Count the dumps keepalived writes while the fakes arrive.
    const int in = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    QVERIFY(in >= 0);
    QVERIFY(inotify_add_watch(in, (a + QStringLiteral("/tmp")).toLocal8Bit().constData(), IN_CLOSE_WRITE) >= 0);
    constexpr int kFakes = 150;
    // The bus socket lives in the test's directory: let the other user reach it.
    QCOMPARE(shell(QStringLiteral("chmod 0711 %1").arg(m_dir.path())), 0);
    const auto t0 = std::chrono::steady_clock::now();
    QCOMPARE(shell(QStringLiteral("setpriv --reuid=65534 --regid=65534 --clear-groups sh -c 'for i in $(seq %1); do "
                                  "dbus-send --system --type=signal /org/keepalived/Vrrp1/Instance/hdta0/77/IPv4 "
                                  "org.keepalived.Vrrp1.Instance.VrrpStatusChange uint32:1 || exit 1; done'")
                       .arg(kFakes)),
             0);
    const double spoofSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    // The real transition: a goes to FAULT. Every event before it would be a fake.
    QVERIFY(writeTrack(1));
    bool reached = false;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
    while (!reached && std::chrono::steady_clock::now() < deadline) {
        const auto line = c.readLine(1000);
        if (!line) {
            continue;
        }
        const auto msg = rpc::Json::parse(*line, nullptr, false);
        if (msg.is_discarded() || msg.value("method", "") != "event" ||
            msg["params"].value("type", "") != "vrrp.transition") {
            continue;
        }
        QCOMPARE(QString::fromStdString(msg["params"].value("to", "")), QStringLiteral("FAULT"));
        QCOMPARE(QString::fromStdString(msg["params"].value("from", "")), QStringLiteral("MASTER"));
        reached = true;
    }
    QVERIFY2(reached, "no event for the real transition to FAULT");
    const int dumps = dumpsWritten(in);
    close(in);
    qInfo("%d fake signals in %.1f s: %d dumps written meanwhile", kFakes,
          spoofSeconds, dumps);
    // Sampling asks once a second; the fakes must add nothing.
    QVERIFY2(dumps <= static_cast<int>(spoofSeconds) + 4, qPrintable(QString::number(dumps)));
    m_agent->terminate();
    QVERIFY2(m_agent->stderrText().contains("ignored a VrrpStatusChange"), m_agent->stderrText().constData());
    m_agent.reset();
    QVERIFY(writeTrack(0));
}

void TestVrrpEventsLab::startAgentAtMaster(LineClient& c, const QString& extraConfig)
{
    QString err;
    QVERIFY(writeTrack(0));
    m_agent = std::make_unique<AgentProcess>();
    const QString a = m_dir.path() + QStringLiteral("/a");
    m_agent->writeConfig(QStringLiteral("[sample]\ninterval_ms = 1000\n[keepalived]\nconfig = \"%1/keepalived.conf\"\n"
                                        "pid_file = \"%1/k.pid\"\njson_dump = \"%1/tmp/keepalived.json\"\n")
                             .arg(a) +
                         extraConfig);
    QVERIFY2(m_agent->start(&err), qPrintable(err));
    c = LineClient::connectTo(m_agent->socketPath());
    QVERIFY(c.valid());
    auto r = c.call(proto::methods::Subscribe, rpc::Json{{"topics", {"events", "vrrp"}}});
    QVERIFY(r && r->contains("result"));
    QTRY_VERIFY_WITH_TIMEOUT(([&] {
                                 auto l = c.call(proto::methods::VrrpList);
                                 return l && l->contains("result") && (*l)["result"]["source"] == "dump" &&
                                        !(*l)["result"]["instances"].empty() &&
                                        (*l)["result"]["instances"][0]["state"] == "MASTER";
                             }()),
                             20000);
}

void TestVrrpEventsLab::plantedDumpIgnored()
{
    // A local user creates keepalived's dump file first (here: replaces it with one of its
    // own that says BACKUP). The agent must not believe a file that is not root's.
    LineClient c;
    startAgentAtMaster(c);
    if (QTest::currentTestFailed()) {
        return;
    }
    const QString tmp = m_dir.path() + QStringLiteral("/a/tmp");
    QCOMPARE(shell(QStringLiteral(
                       "chmod 0711 %1 && chmod 1777 %2 && cp %2/keepalived.json %1/real.json && rm %2/keepalived.json")
                       .arg(m_dir.path(), tmp)),
             0);
    QVERIFY(QFile(m_dir.path() + QStringLiteral("/real.json")).size() > 0);
    QCOMPARE(shell(QStringLiteral(
                       "sed 's/\"state\":2/\"state\":1/g' %1/real.json > %1/fake.json && chmod 0644 %1/fake.json && "
                       "setpriv --reuid=65534 --regid=65534 --clear-groups sh -c 'cp %1/fake.json %2/.fake && "
                       "mv %2/.fake %2/keepalived.json'")
                       .arg(m_dir.path(), tmp)),
             0);
    // The real transition: a goes to FAULT. An event before it would be the planted file's.
    QVERIFY(writeTrack(1));
    bool reached = false;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
    while (!reached && std::chrono::steady_clock::now() < deadline) {
        const auto line = c.readLine(1000);
        if (!line) {
            continue;
        }
        const auto msg = rpc::Json::parse(*line, nullptr, false);
        if (msg.is_discarded() || msg.value("method", "") != "event" ||
            msg["params"].value("type", "") != "vrrp.transition") {
            continue;
        }
        QCOMPARE(QString::fromStdString(msg["params"].value("to", "")), QStringLiteral("FAULT"));
        reached = true;
    }
    QVERIFY2(reached, "no event for the real transition to FAULT");
    m_agent->terminate();
    QVERIFY2(m_agent->stderrText().contains("so not keepalived's"), m_agent->stderrText().constData());
    m_agent.reset();
    QCOMPARE(shell(QStringLiteral("rm -f %1/keepalived.json && chmod 0755 %1").arg(tmp)), 0);
    QVERIFY(writeTrack(0));
}

void TestVrrpEventsLab::deadKeepalivedNotCurrent()
{
    // kill -9 of keepalived on the MASTER: its last dump stays behind and says MASTER. The
    // agent must say keepalived is not running, at once as an event, and stop reporting MASTER.
    LineClient c;
    startAgentAtMaster(c);
    if (QTest::currentTestFailed()) {
        return;
    }
    if (auto l = c.call(proto::methods::VrrpList); l && l->contains("result")) {
        QCOMPARE((*l)["result"].value("running", false), true);
    }
    const auto killedAt = std::chrono::steady_clock::now();
    m_kaA.kill();
    m_kaA.waitForFinished(5000);
    bool down = false;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (!down && std::chrono::steady_clock::now() < deadline) {
        const auto line = c.readLine(1000);
        if (!line) {
            continue;
        }
        const auto msg = rpc::Json::parse(*line, nullptr, false);
        down = !msg.is_discarded() && msg.value("method", "") == "event" &&
               msg["params"].value("type", "") == "keepalived.running" && msg["params"].value("running", true) == false;
    }
    QVERIFY2(down, "no keepalived.running=false event after keepalived died");
    qInfo("keepalived down reported %.0f ms after kill -9",
          std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - killedAt).count());
    auto l = c.call(proto::methods::VrrpList);
    QVERIFY(l && l->contains("result"));
    QCOMPARE((*l)["result"].value("running", true), false);
    QCOMPARE(QString::fromStdString((*l)["result"].value("source", "")), QStringLiteral("config"));
    for (const auto& i : (*l)["result"]["instances"]) {
        QVERIFY2(i.value("state", "") != "MASTER", i.dump().c_str());
    }
    m_agent->terminate();
    m_agent.reset();
}

void TestVrrpEventsLab::periodicDumpsFollowTheInterval()
{
    // With transitions pushed (the agent is on keepalived's bus), the periodic dump only
    // refreshes priorities and counters: it comes every [modules.keepalived] dump_interval_ms,
    // not every sample. A preflight that needs this moment's counters asks vrrp.list for a
    // fresh answer, which waits for a dump written after the request.
    LineClient c;
    startAgentAtMaster(c, QStringLiteral("[modules.keepalived]\ndump_interval_ms = 600000\n"));
    if (QTest::currentTestFailed()) {
        return;
    }
    QTRY_VERIFY_WITH_TIMEOUT(m_agent->stderrText().contains("VRRP transitions come from DBus"), 10000);
    const QString tmp = m_dir.path() + QStringLiteral("/a/tmp");
    const int in = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    QVERIFY(in >= 0);
    QVERIFY(inotify_add_watch(in, tmp.toLocal8Bit().constData(), IN_CLOSE_WRITE) >= 0);
    // Until the agent was on the bus, each sample asked for a dump; the last one asked may still be
    // on its way (on a loaded machine it landed in the window below). The window opens once two
    // seconds have passed with no dump written.
    int settling = 0;
    for (int round = 0;; ++round) {
        QTest::qWait(2000);
        const int n = dumpsWritten(in);
        if (n == 0) {
            break;
        }
        settling += n;
        QVERIFY2(round < 15, qPrintable(QStringLiteral("dumps still written every 2 s after 30 s: %1").arg(settling)));
    }
    qInfo("dumps written after the agent was on the bus, before the window: %d", settling);
    // A window of four samples (the agent samples every second): no periodic dump was due in it.
    // A transition keepalived pushes in it (its adverts late on a loaded machine) is followed by a
    // dump, as it should be: those are counted from the subscribed events and allowed.
    while (c.readLine(100)) {
    }
    QTest::qWait(4000);
    const int quiet = dumpsWritten(in);
    int transitions = 0;
    while (const auto line = c.readLine(100)) {
        const auto msg = rpc::Json::parse(*line, nullptr, false);
        if (!msg.is_discarded() && msg.value("method", "") == proto::notify::Event &&
            msg["params"].value("type", "") == proto::event::VrrpTransition) {
            ++transitions;
        }
    }
    qInfo("dumps written in 4 s with dump_interval_ms = 600000: %d (transitions pushed meanwhile: %d)", quiet,
          transitions);
    QVERIFY2(quiet <= transitions, qPrintable(QStringLiteral("%1 dump(s), %2 transition(s); the agent's log:\n%3")
                                                  .arg(quiet)
                                                  .arg(transitions)
                                                  .arg(QString::fromUtf8(m_agent->stderrText().right(2000)))));

    const auto plain = c.call(proto::methods::VrrpList);
    const auto fresh = c.call(proto::methods::VrrpList, rpc::Json(proto::VrrpListParams{.fresh = true}));
    const int asked = dumpsWritten(in);
    close(in);
    qInfo("advertSent: %lld held, %lld fresh; dumps for the fresh list: %d", static_cast<long long>(advertsSent(plain)),
          static_cast<long long>(advertsSent(fresh)), asked);
    QVERIFY(advertsSent(plain) >= 0);
    // a is MASTER and advertises every second: four or more adverts since the held dump.
    QVERIFY2(advertsSent(fresh) >= advertsSent(plain) + 3, fresh ? fresh->dump().c_str() : "no reply");
    QVERIFY(asked >= 1);
    m_agent->terminate();
    m_agent.reset();
}

void TestVrrpEventsLab::cleanupTestCase()
{
    if (m_agent) {
        m_agent->terminate();
    }
    for (QProcess* p : {&m_kaA, &m_kaB, &m_bus}) {
        if (p->state() != QProcess::NotRunning) {
            p->terminate();
            if (!p->waitForFinished(10000)) {
                p->kill();
                p->waitForFinished(3000);
            }
        }
    }
    // keepalived in b was started through `ip netns exec`; its pid file names it.
    shell(QStringLiteral(
              "[ -f %1/b/k.pid ] && kill $(cat %1/b/k.pid) 2>/dev/null; sleep 1; ip netns del %2 2>/dev/null; true")
              .arg(m_dir.path(), kNsB));
}

QTEST_GUILESS_MAIN(TestVrrpEventsLab)
#include "tst_vrrp_events_lab.moc"
