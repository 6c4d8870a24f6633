// Cross-node checks on hand-built node pictures.

#include "hadeck/console/checks/clusterchecks.h"

#include <QTest>

using namespace hadeck;
using namespace hadeck::console;

namespace {

NodeSnapshot director(const QString& name, const QString& addr)
{
    NodeSnapshot n;
    n.name = name;
    n.address = addr;
    n.roleHints = {proto::Role::Director};
    n.link = NodeState::Online;
    n.hasVrrp = true;
    n.hasIpvs = true;
    return n;
}

proto::VrrpInstance instance(int vrid, proto::VrrpState state, std::vector<std::string> vips)
{
    proto::VrrpInstance i;
    i.name = "VI_" + std::to_string(vrid);
    i.vrid = vrid;
    i.state = state;
    i.vips = std::move(vips);
    return i;
}

proto::VirtualService service(const std::string& vip, std::vector<std::pair<std::string, std::uint32_t>> dests)
{
    proto::VirtualService vs;
    vs.protocol = "tcp";
    vs.address = vip;
    vs.port = 80;
    for (const auto& [addr, w] : dests) {
        proto::RealServer rs;
        rs.address = addr;
        rs.port = 80;
        rs.weight = w;
        vs.realServers.push_back(rs);
    }
    return vs;
}

std::vector<const NodeSnapshot*> ptrs(const std::vector<NodeSnapshot>& v)
{
    std::vector<const NodeSnapshot*> out;
    for (const auto& n : v) {
        out.push_back(&n);
    }
    return out;
}

QStringList kinds(const std::vector<Alarm>& alarms)
{
    QStringList out;
    for (const auto& a : alarms) {
        out << a.id;
    }
    return out;
}

} // namespace

class TstClusterChecks : public QObject {
    Q_OBJECT
private slots:
    void vrrp_data();
    void vrrp();
    void ipvsDrift_data();
    void ipvsDrift();
    void unreachableDirectorIsCriticalAndLeftOutOfComparisons();
    void drCheck();
    void orderIsCriticalFirst();
    void emptyTableIsNotADirector();
    void noMasterWaitsForEveryDirectorsVrrp_data();
    void noMasterWaitsForEveryDirectorsVrrp();
    void driftFoundWhenOrderDiffers();
    void splitBrainGroupsByVridAndFamilyOrInterface();
    void deadKeepalivedIsAnAlarmAndNeverMaster();
    void deadKeepalivedWithVipsLeftIsTheSplitBrainCause();
    void noKeepalivedAlarmOffTheDirectors();
};

void TstClusterChecks::vrrp_data()
{
    using S = proto::VrrpState;
    QTest::addColumn<int>("a");
    QTest::addColumn<int>("b");
    QTest::addColumn<QString>("vipB");
    QTest::addColumn<QStringList>("expected");
    const QString vip = QStringLiteral("198.18.0.100/32");
    QTest::newRow("healthy") << int(S::Master) << int(S::Backup) << vip << QStringList{};
    QTest::newRow("split brain") << int(S::Master) << int(S::Master) << vip
                                 << QStringList{QStringLiteral("split-brain/51")};
    QTest::newRow("no master") << int(S::Backup) << int(S::Fault) << vip << QStringList{QStringLiteral("no-master/51")};
    QTest::newRow("vip decoration ignored") << int(S::Master) << int(S::Backup)
                                            << QStringLiteral("198.18.0.100/24 dev eth0 scope global") << QStringList{};
    QTest::newRow("vip set differs") << int(S::Master) << int(S::Backup) << QStringLiteral("198.18.0.101/32")
                                     << QStringList{QStringLiteral("vip-diff/51/lb2")};
}

void TstClusterChecks::vrrp()
{
    QFETCH(int, a);
    QFETCH(int, b);
    QFETCH(QString, vipB);
    QFETCH(QStringList, expected);
    std::vector<NodeSnapshot> nodes{director(QStringLiteral("lb1"), QStringLiteral("198.18.0.11")),
                                    director(QStringLiteral("lb2"), QStringLiteral("198.18.0.12"))};
    nodes[0].vrrp = {instance(51, proto::VrrpState(a), {"198.18.0.100/32"})};
    nodes[1].vrrp = {instance(51, proto::VrrpState(b), {vipB.toStdString()})};
    std::vector<Alarm> out;
    checkVrrp(ptrs(nodes), out);
    QCOMPARE(kinds(out), expected);
    for (const auto& alarm : out) {
        QVERIFY(!alarm.text.isEmpty());
        if (alarm.kind == AlarmKind::SplitBrain) {
            QCOMPARE(alarm.severity, Severity::Critical);
            QCOMPARE(alarm.nodes, (QStringList{QStringLiteral("lb1"), QStringLiteral("lb2")}));
        }
        if (alarm.kind == AlarmKind::VipSetDiffers) {
            QVERIFY(alarm.detail.contains(QStringLiteral("198.18.0.101")));
        }
    }
}

void TstClusterChecks::ipvsDrift_data()
{
    QTest::addColumn<int>("variant");
    QTest::addColumn<int>("alarms");
    QTest::addColumn<QString>("detail");
    QTest::newRow("same") << 0 << 0 << QString();
    QTest::newRow("weight differs") << 1 << 1 << QStringLiteral("weight 100 on lb1, 0 on lb2");
    QTest::newRow("dest missing") << 2 << 1 << QStringLiteral("198.18.1.13:80 missing on lb2");
    QTest::newRow("service missing") << 3 << 1 << QStringLiteral("TCP 198.18.0.101:80 missing on lb1");
}

void TstClusterChecks::ipvsDrift()
{
    QFETCH(int, variant);
    QFETCH(int, alarms);
    QFETCH(QString, detail);
    std::vector<NodeSnapshot> nodes{director(QStringLiteral("lb1"), QStringLiteral("198.18.0.11")),
                                    director(QStringLiteral("lb2"), QStringLiteral("198.18.0.12"))};
    nodes[0].ipvs = {service("198.18.0.100", {{"198.18.1.12", 100}, {"198.18.1.13", 100}})};
    switch (variant) {
    case 0: nodes[1].ipvs = nodes[0].ipvs; break;
    case 1: nodes[1].ipvs = {service("198.18.0.100", {{"198.18.1.12", 100}, {"198.18.1.13", 0}})}; break;
    case 2: nodes[1].ipvs = {service("198.18.0.100", {{"198.18.1.12", 100}})}; break;
    case 3:
        nodes[1].ipvs = nodes[0].ipvs;
        nodes[1].ipvs.push_back(service("198.18.0.101", {}));
        break;
    }
    std::vector<Alarm> out;
    checkIpvsDrift(ptrs(nodes), out);
    QCOMPARE(int(out.size()), alarms);
    if (alarms > 0) {
        QCOMPARE(out[0].kind, AlarmKind::IpvsTableDiffers);
        QVERIFY2(out[0].detail.contains(detail), qPrintable(out[0].detail));
    }
}

void TstClusterChecks::unreachableDirectorIsCriticalAndLeftOutOfComparisons()
{
    std::vector<NodeSnapshot> nodes{director(QStringLiteral("lb1"), QStringLiteral("198.18.0.11")),
                                    director(QStringLiteral("lb2"), QStringLiteral("198.18.0.12"))};
    nodes[0].vrrp = {instance(51, proto::VrrpState::Master, {"198.18.0.100/32"})};
    nodes[1].vrrp = {instance(51, proto::VrrpState::Master, {"198.18.0.100/32"})}; // stale
    nodes[0].ipvs = {service("198.18.0.100", {{"198.18.1.12", 100}})};
    nodes[1].link = NodeState::Unreachable;
    nodes[1].lastError = QStringLiteral("timeout");
    const auto out = runClusterChecks(ptrs(nodes));
    QCOMPARE(kinds(out), QStringList{QStringLiteral("unreachable/lb2")});
    QCOMPARE(out[0].severity, Severity::Critical);
    QCOMPARE(out[0].detail, QStringLiteral("timeout"));
}

void TstClusterChecks::drCheck()
{
    std::vector<NodeSnapshot> nodes{director(QStringLiteral("lb1"), QStringLiteral("198.18.0.11"))};
    nodes[0].ipvs = {service("198.18.0.100", {{"198.18.1.12", 100}})};
    NodeSnapshot web;
    web.name = QStringLiteral("web1");
    web.address = QStringLiteral("198.18.1.12");
    web.link = NodeState::Online;
    web.drCheck = DrCheck{false, {{QStringLiteral("arp_ignore"), false, QStringLiteral("0, want 1")},
                                  {QStringLiteral("vip_on_lo"), true, {}}}};
    NodeSnapshot spare = web;
    spare.name = QStringLiteral("web9");
    spare.address = QStringLiteral("198.18.1.99");
    NodeSnapshot good = web;
    good.name = QStringLiteral("web2");
    good.drCheck = DrCheck{true, {}};
    nodes.push_back(web);
    nodes.push_back(spare);
    nodes.push_back(good);
    std::vector<Alarm> out;
    checkDrConformance(ptrs(nodes), out);
    QCOMPARE(kinds(out), (QStringList{QStringLiteral("dr-check/web1"), QStringLiteral("dr-check/web9")}));
    QCOMPARE(out[0].severity, Severity::Critical); // in IPVS
    QCOMPARE(out[1].severity, Severity::Warning);  // not serving
    QCOMPARE(out[0].detail, QStringLiteral("arp_ignore: 0, want 1"));
}

void TstClusterChecks::orderIsCriticalFirst()
{
    std::vector<NodeSnapshot> nodes{director(QStringLiteral("lb1"), QStringLiteral("198.18.0.11")),
                                    director(QStringLiteral("lb2"), QStringLiteral("198.18.0.12"))};
    nodes[0].ipvs = {service("198.18.0.100", {{"198.18.1.12", 100}})};
    nodes[1].ipvs = {};
    nodes[0].vrrp = {instance(51, proto::VrrpState::Backup, {"198.18.0.100/32"})};
    nodes[1].vrrp = {instance(51, proto::VrrpState::Backup, {"198.18.0.100/32"})};
    const auto out = runClusterChecks(ptrs(nodes));
    QCOMPARE(kinds(out), (QStringList{QStringLiteral("no-master/51"), QStringLiteral("ipvs-diff/lb1/lb2")}));
}

void TstClusterChecks::emptyTableIsNotADirector()
{
    // Every agent publishes an ipvs topic; a client with an empty table must not be
    // compared with the directors (seen in the lab as "tables differ between client and dir1").
    auto d1 = director(QStringLiteral("dir1"), QStringLiteral("198.18.0.11"));
    auto d2 = director(QStringLiteral("dir2"), QStringLiteral("198.18.0.12"));
    d1.ipvs = {service("198.18.0.100", {{"198.18.0.21", 100}})};
    d2.ipvs = d1.ipvs;
    NodeSnapshot client;
    client.name = QStringLiteral("client");
    client.link = NodeState::Online;
    client.hasIpvs = true; // published, but empty
    std::vector<Alarm> out;
    checkIpvsDrift(ptrs({d1, d2, client}), out);
    QVERIFY2(out.empty(), qPrintable(kinds(out).join(',')));
    d2.ipvs[0].realServers[0].weight = 0;
    checkIpvsDrift(ptrs({d1, d2, client}), out);
    QCOMPARE(out.size(), std::size_t(1));
}

void TstClusterChecks::noMasterWaitsForEveryDirectorsVrrp_data()
{
    QTest::addColumn<int>("lb1Link");
    QTest::addColumn<bool>("lb1HasVrrp");
    QTest::addColumn<bool>("noMaster");
    QTest::addColumn<QStringList>("awaiting");
    const auto online = static_cast<int>(NodeState::Online);
    // At connect the backup often answers first: its BACKUP alone is not "no MASTER".
    QTest::newRow("lb1 still connecting") << static_cast<int>(NodeState::Connecting) << false << false
                                          << QStringList{QStringLiteral("lb1")};
    QTest::newRow("lb1 online, no VRRP picture yet") << online << false << false << QStringList{QStringLiteral("lb1")};
    QTest::newRow("lb1 answered BACKUP too") << online << true << true << QStringList{};
    // An unreachable director may never answer: waiting for it would hide the outage.
    QTest::newRow("lb1 unreachable") << static_cast<int>(NodeState::Unreachable) << false << true << QStringList{};
    QTest::newRow("lb1 refused") << static_cast<int>(NodeState::Refused) << false << true << QStringList{};
}

void TstClusterChecks::noMasterWaitsForEveryDirectorsVrrp()
{
    QFETCH(int, lb1Link);
    QFETCH(bool, lb1HasVrrp);
    QFETCH(bool, noMaster);
    QFETCH(QStringList, awaiting);
    auto lb1 = director(QStringLiteral("lb1"), QStringLiteral("198.18.0.11"));
    lb1.link = static_cast<NodeState>(lb1Link);
    lb1.hasVrrp = lb1HasVrrp;
    lb1.hasIpvs = false;
    if (lb1HasVrrp) {
        lb1.vrrp = {instance(51, proto::VrrpState::Backup, {"198.18.0.100"})};
    }
    auto lb2 = director(QStringLiteral("lb2"), QStringLiteral("198.18.0.12"));
    lb2.hasIpvs = false;
    lb2.vrrp = {instance(51, proto::VrrpState::Backup, {"198.18.0.100"})};
    const std::vector<NodeSnapshot> nodes{lb1, lb2};
    QCOMPARE(directorsAwaitingVrrp(ptrs(nodes)), awaiting);
    QCOMPARE(kinds(runClusterChecks(ptrs(nodes))).contains(QStringLiteral("no-master/51")), noMaster);
    // Split brain needs no waiting: two MASTERs already seen are two MASTERs.
    lb2.vrrp = {instance(51, proto::VrrpState::Master, {"198.18.0.100"})};
    auto lb3 = director(QStringLiteral("lb3"), QStringLiteral("198.18.0.13"));
    lb3.vrrp = {instance(51, proto::VrrpState::Master, {"198.18.0.100"})};
    const std::vector<NodeSnapshot> three{lb1, lb2, lb3};
    QVERIFY(kinds(runClusterChecks(ptrs(three))).contains(QStringLiteral("split-brain/51")));
}

void TstClusterChecks::driftFoundWhenOrderDiffers()
{
    // Same tables in another order are not drift; a weight that differs is, wherever it sits.
    auto lb1 = director(QStringLiteral("lb1"), QStringLiteral("198.18.0.11"));
    auto lb2 = director(QStringLiteral("lb2"), QStringLiteral("198.18.0.12"));
    lb1.ipvs = {service("198.18.0.100", {{"198.18.1.11", 100}, {"198.18.1.12", 100}})};
    lb2.ipvs = {service("198.18.0.100", {{"198.18.1.12", 100}, {"198.18.1.11", 100}})};
    std::vector<Alarm> out;
    const std::vector<NodeSnapshot> same{lb1, lb2};
    checkIpvsDrift(ptrs(same), out);
    QVERIFY(out.empty());
    lb2.ipvs = {service("198.18.0.100", {{"198.18.1.12", 0}, {"198.18.1.11", 100}})};
    const std::vector<NodeSnapshot> differ{lb1, lb2};
    checkIpvsDrift(ptrs(differ), out);
    QCOMPARE(out.size(), std::size_t(1));
    QVERIFY2(out.front().detail.contains(QStringLiteral("198.18.1.12:80")), qPrintable(out.front().detail));
}

// Issue 11 item 9: keepalived allows one VRID on two interfaces or in two families of
// one node; that is no split brain, and one node is never counted twice.
void TstClusterChecks::splitBrainGroupsByVridAndFamilyOrInterface()
{
    using S = proto::VrrpState;
    std::vector<NodeSnapshot> nodes{director(QStringLiteral("lb1"), QStringLiteral("198.18.0.11")),
                                    director(QStringLiteral("lb2"), QStringLiteral("198.18.0.12"))};
    auto eth0 = instance(51, S::Master, {"198.18.0.100/32"});
    eth0.interface = "eth0";
    auto eth1 = instance(51, S::Master, {"198.18.0.101/32"});
    eth1.interface = "eth1";
    auto v6 = instance(51, S::Master, {"2001:db8::100/128"});
    v6.interface = "eth0";
    nodes[0].vrrp = {eth0, eth1, v6};
    auto peer0 = eth0;
    peer0.state = S::Backup;
    auto peer1 = eth1;
    peer1.state = S::Backup;
    auto peer6 = v6;
    peer6.state = S::Backup;
    nodes[1].vrrp = {peer0, peer1, peer6};
    std::vector<Alarm> out;
    checkVrrp(ptrs(nodes), out);
    QVERIFY2(out.empty(), qPrintable(kinds(out).join(QLatin1Char(' '))));

    // A real split brain on eth1 only names each node once.
    nodes[1].vrrp[1].state = S::Master;
    out.clear();
    checkVrrp(ptrs(nodes), out);
    QCOMPARE(kinds(out), QStringList{QStringLiteral("split-brain/51/eth1")});
    QCOMPARE(out.front().nodes, (QStringList{QStringLiteral("lb1"), QStringLiteral("lb2")}));

    // Two MASTER instances of one node in one group are still one node.
    nodes[1].vrrp[1].state = S::Backup;
    nodes[0].vrrp = {eth0, eth0};
    out.clear();
    checkVrrp(ptrs(nodes), out);
    QVERIFY2(!kinds(out).join(QLatin1Char(' ')).contains(QStringLiteral("split-brain")), qPrintable(kinds(out).join(QLatin1Char(' '))));
}

void TstClusterChecks::deadKeepalivedIsAnAlarmAndNeverMaster()
{
    using S = proto::VrrpState;
    // The agent still says MASTER (an older agent, or its last dump), but keepalived is gone.
    std::vector<NodeSnapshot> nodes{director(QStringLiteral("dir1"), QStringLiteral("198.18.0.11")),
                                    director(QStringLiteral("dir2"), QStringLiteral("198.18.0.12"))};
    nodes[0].vrrp = {instance(51, S::Master, {"198.18.0.100/32"})};
    nodes[0].keepalivedRunning = false;
    nodes[1].vrrp = {instance(51, S::Master, {"198.18.0.100/32"})};
    nodes[1].vrrp[0].holdsVips = true;
    nodes[1].keepalivedRunning = true;
    std::vector<Alarm> out;
    checkVrrp(ptrs(nodes), out);
    // dir1 claims no MASTER: there is no split brain, and dir1 is named as down.
    QCOMPARE(kinds(out), QStringList{QStringLiteral("keepalived-down/dir1")});
    QCOMPARE(out[0].kind, AlarmKind::KeepalivedDown);
    QCOMPARE(out[0].severity, Severity::Critical);
    QCOMPARE(out[0].nodes, QStringList{QStringLiteral("dir1")});
    QCOMPARE(out[0].text, QStringLiteral("keepalived is not running on dir1"));

    // The only MASTER is dead: no MASTER at all, and the alarm names the cause.
    nodes[1].vrrp[0].state = S::Backup;
    nodes[1].vrrp[0].holdsVips = false;
    out.clear();
    checkVrrp(ptrs(nodes), out);
    sortAlarms(out);
    QCOMPARE(kinds(out), (QStringList{QStringLiteral("keepalived-down/dir1"), QStringLiteral("no-master/51")}));
    QVERIFY2(out[1].text.contains(QStringLiteral("keepalived is not running on dir1")), qPrintable(out[1].text));

    // An agent that does not say (older agents) is believed as before.
    nodes[0].keepalivedRunning.reset();
    out.clear();
    checkVrrp(ptrs(nodes), out);
    QCOMPARE(kinds(out), QStringList{});

    // A running keepalived raises nothing.
    nodes[0].keepalivedRunning = true;
    out.clear();
    checkVrrp(ptrs(nodes), out);
    QCOMPARE(kinds(out), QStringList{});

    // An unreachable node's last word is not current: no keepalived alarm for it.
    nodes[0].keepalivedRunning = false;
    nodes[0].link = NodeState::Unreachable;
    out.clear();
    checkVrrp(ptrs(nodes), out);
    QVERIFY2(!kinds(out).join(QLatin1Char(' ')).contains(QStringLiteral("keepalived-down")),
             qPrintable(kinds(out).join(QLatin1Char(' '))));
}

void TstClusterChecks::deadKeepalivedWithVipsLeftIsTheSplitBrainCause()
{
    using S = proto::VrrpState;
    // kill -9 on the MASTER: keepalived leaves its VIPs up, the peer takes over.
    std::vector<NodeSnapshot> nodes{director(QStringLiteral("dir1"), QStringLiteral("198.18.0.11")),
                                    director(QStringLiteral("dir2"), QStringLiteral("198.18.0.12"))};
    nodes[0].vrrp = {instance(51, S::Stop, {"198.18.0.100/32"})};
    nodes[0].vrrp[0].holdsVips = true;
    nodes[0].keepalivedRunning = false;
    nodes[1].vrrp = {instance(51, S::Master, {"198.18.0.100/32"})};
    nodes[1].vrrp[0].holdsVips = true;
    nodes[1].keepalivedRunning = true;
    std::vector<Alarm> out;
    checkVrrp(ptrs(nodes), out);
    sortAlarms(out);
    QCOMPARE(kinds(out), (QStringList{QStringLiteral("keepalived-down/dir1"), QStringLiteral("split-brain/51")}));
    const Alarm& split = out[1];
    QCOMPARE(split.kind, AlarmKind::SplitBrain);
    QCOMPARE(split.nodes, (QStringList{QStringLiteral("dir1"), QStringLiteral("dir2")}));
    QVERIFY2(split.text.contains(QStringLiteral("keepalived is not running on dir1")), qPrintable(split.text));
    QVERIFY2(!split.text.contains(QStringLiteral("MASTER on dir1")), qPrintable(split.text));

    // Once dir1's VIPs are gone, only the keepalived alarm stays.
    nodes[0].vrrp[0].holdsVips = false;
    out.clear();
    checkVrrp(ptrs(nodes), out);
    QCOMPARE(kinds(out), QStringList{QStringLiteral("keepalived-down/dir1")});

    // A live BACKUP is not a split brain contender (holding VIPs briefly is the agent's own alarm).
    nodes[0].keepalivedRunning = true;
    nodes[0].vrrp[0].state = S::Backup;
    nodes[0].vrrp[0].holdsVips = true;
    out.clear();
    checkVrrp(ptrs(nodes), out);
    QCOMPARE(kinds(out), QStringList{});
}

// Every agent says whether keepalived runs on its node; only where keepalived belongs
// (a director) is its absence an alarm. Seen in the lab: "keepalived is not running" on
// every web, DB and storage node, nine false critical alarms.
void TstClusterChecks::noKeepalivedAlarmOffTheDirectors()
{
    std::vector<NodeSnapshot> nodes{director(QStringLiteral("dir1"), QStringLiteral("198.18.0.11"))};
    nodes[0].vrrp = {instance(51, proto::VrrpState::Master, {"198.18.0.100/32"})};
    nodes[0].keepalivedRunning = true;
    for (const char* name : {"web1", "db1", "cs1", "client"}) {
        NodeSnapshot n;
        n.name = QString::fromLatin1(name);
        n.address = QStringLiteral("198.18.0.21");
        n.roleHints = {proto::Role::RealServer};
        n.link = NodeState::Online;
        n.hasVrrp = true; // an agent publishes an empty VRRP list everywhere
        n.keepalivedRunning = false;
        nodes.push_back(n);
    }
    std::vector<Alarm> out;
    checkVrrp(ptrs(nodes), out);
    QCOMPARE(kinds(out), QStringList{});
    nodes[0].keepalivedRunning = false;
    out.clear();
    checkVrrp(ptrs(nodes), out);
    sortAlarms(out);
    // The director's own alarm, and no MASTER left; still nothing about the other nodes.
    QCOMPARE(kinds(out), (QStringList{QStringLiteral("keepalived-down/dir1"), QStringLiteral("no-master/51")}));
}

QTEST_GUILESS_MAIN(TstClusterChecks)
#include "tst_clusterchecks.moc"
