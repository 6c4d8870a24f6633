// LVS-DR on a real kernel (label lab, root): in a network namespace of its own the
// test breaks each setting the seed's lvs_real script makes, one at a time, and the
// check must report it; realserver apply/revert set and clear them.

#include "hadeck/probes/lvs_dr.h"

#include "fixture.h"
#include "processutil.h"

#include <QProcess>
#include <QtTest>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sched.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fstream>

using namespace hadeck;
using namespace hadeck::probes;

namespace {

const std::string kVip = "198.18.0.100";

using hadeck::test::shell;

void sysctl(const std::string& iface, const std::string& key, int v)
{
    std::ofstream("/proc/sys/net/ipv4/conf/" + iface + "/" + key) << v << '\n';
}

/// A TCP listener on 0.0.0.0:port for as long as it lives.
struct Listener {
    int fd = -1;
    explicit Listener(std::uint16_t port)
    {
        fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        int one = 1;
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_port = htons(port);
        if (bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || listen(fd, 4) != 0) {
            qFatal("cannot listen");
        }
    }
    ~Listener() { close(fd); }
    Listener(const Listener&) = delete;
    Listener& operator=(const Listener&) = delete;
};

std::vector<DrFinding> check()
{
    auto s = readDrSnapshot();
    if (!s) {
        qFatal("%s", s.error().message.c_str());
    }
    return checkLvsDr(*s, DrExpectation{{kVip}, {80}});
}

QStringList failures(const std::vector<DrFinding>& f)
{
    QStringList out;
    for (const auto& x : f) {
        if (!x.ok()) {
            out << q(x.check + " " + x.subject);
        }
    }
    out.sort();
    return out;
}

} // namespace

class TestRealServerLab : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void appliedPasses();
    void broken_data();
    void broken();
    void revertClears();

private:
    std::unique_ptr<Listener> m_web;
};

void TestRealServerLab::initTestCase()
{
    if (geteuid() != 0) {
        QFAIL("needs root (network namespaces, sysctls)");
    }
    QCOMPARE(unshare(CLONE_NEWNET), 0);
    shell(QStringLiteral("ip link set lo up && ip link add rs0 type veth peer name rs1 && "
                         "ip addr add 198.18.1.11/24 dev rs0 && ip link set rs0 up && ip link set rs1 up"));
    m_web = std::make_unique<Listener>(80);
}

void TestRealServerLab::init()
{
    const auto rv = revertDrSettings({kVip});
    QVERIFY2(rv.hasValue(), rv.hasValue() ? "" : rv.error().message.c_str());
    const auto st = applyDrSettings({kVip});
    QVERIFY2(st.hasValue(), st.hasValue() ? "" : st.error().message.c_str());
}

void TestRealServerLab::appliedPasses()
{
    QCOMPARE(failures(check()), QStringList());
    // As the seed's runbook has it: a host address on lo, labelled lo:0.
    QCOMPARE(shell(QStringLiteral("ip -4 -o addr show dev lo label lo:0 | grep -q ' 198.18.0.100/32 '")), 0);
    QVERIFY(applyDrSettings({kVip}).hasValue()); // idempotent
    QCOMPARE(failures(check()), QStringList());
}

void TestRealServerLab::broken_data()
{
    QTest::addColumn<QString>("breakCmd");
    QTest::addColumn<QStringList>("expected");
    QTest::newRow("VIP removed from lo") << "ip addr del 198.18.0.100/32 dev lo"
                                         << QStringList{QStringLiteral("vip-on-lo 198.18.0.100")};
    QTest::newRow("VIP as /24") << "ip addr del 198.18.0.100/32 dev lo && ip addr add 198.18.0.100/24 dev lo"
                                << QStringList{QStringLiteral("vip-prefix 198.18.0.100")};
    QTest::newRow("VIP also on the LAN interface") << "ip addr add 198.18.0.100/24 dev rs0"
                                                   << QStringList{QStringLiteral("vip-elsewhere 198.18.0.100")};
    QTest::newRow("arp_ignore all=0") << "sysctl:all:arp_ignore:0"
                                      << QStringList{QStringLiteral("arp_ignore rs0"), QStringLiteral("arp_ignore rs1")};
    QTest::newRow("arp_announce all=0") << "sysctl:all:arp_announce:0"
                                        << QStringList{QStringLiteral("arp_announce rs0"),
                                                       QStringLiteral("arp_announce rs1")};
    QTest::newRow("lo=0 alone is harmless (all=1 wins)") << "sysctl:lo:arp_ignore:0" << QStringList{};
    QTest::newRow("web server gone") << "nolisten" << QStringList{QStringLiteral("listener 198.18.0.100:80")};
}

void TestRealServerLab::broken()
{
    QFETCH(QString, breakCmd);
    QFETCH(QStringList, expected);
    if (breakCmd.startsWith(QLatin1String("sysctl:"))) {
        const auto p = breakCmd.split(QLatin1Char(':'));
        sysctl(p[1].toStdString(), p[2].toStdString(), p[3].toInt());
    } else if (breakCmd == QLatin1String("nolisten")) {
        m_web.reset();
    } else {
        shell(breakCmd);
    }
    auto got = failures(check());
    // rs1 carries no IPv4 address, so only rs0 faces ARP; keep the expectation honest either way.
    expected.removeAll(QStringLiteral("arp_ignore rs1"));
    expected.removeAll(QStringLiteral("arp_announce rs1"));
    expected.sort();
    QCOMPARE(got, expected);
    // Each failure says what breaks and how to fix it.
    for (const auto& f : check()) {
        if (!f.ok()) {
            QVERIFY(!f.breaks.empty() && !f.fix.empty());
        }
    }
    // Undo for the next row.
    shell(QStringLiteral(
        "ip addr del 198.18.0.100/24 dev rs0 2>/dev/null; ip addr del 198.18.0.100/24 dev lo 2>/dev/null; true"));
    if (!m_web) {
        m_web = std::make_unique<Listener>(80);
    }
}

void TestRealServerLab::revertClears()
{
    QVERIFY(revertDrSettings({kVip}).hasValue());
    QVERIFY(revertDrSettings({kVip}).hasValue()); // idempotent: already gone is what was wanted
    QCOMPARE(shell(QStringLiteral("ip -o addr show dev lo | grep -q ' 198.18.0.100/'")), 1);
    const auto got = failures(check());
    QVERIFY(got.contains(QStringLiteral("vip-on-lo 198.18.0.100")));
    QVERIFY(got.contains(QStringLiteral("arp_ignore rs0")));
    QVERIFY(got.contains(QStringLiteral("arp_announce rs0")));
    std::ifstream in("/proc/sys/net/ipv4/conf/all/arp_ignore");
    int v = -1;
    in >> v;
    QCOMPARE(v, 0);
}

QTEST_GUILESS_MAIN(TestRealServerLab)
#include "tst_realserver_lab.moc"
