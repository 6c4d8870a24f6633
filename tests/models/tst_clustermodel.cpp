// ClusterModel: coalescing, state.delta decoding, timeline events.

#include "hadeck/console/model/clustermodel.h"
#include "synthetic/syntheticcluster.h"

#include <string>

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>

using namespace hadeck;
using namespace hadeck::console;

class TstClusterModel : public QObject {
    Q_OBJECT
private slots:
    void coalescesIntoOneSignalPerTick();
    void applyStateDelta_data();
    void applyStateDelta();
    void ipvsDeltasMergeIntoTheTable();
    void vrrpDeltasMergeByInstance();
    void vrrpInstancesPerNodeAreBounded();
    void keepalivedRunningFollowsTheVrrpTopic();
    void vrrpTransitionBecomesEvent();
    void realServerWeightZeroBecomesEvent();
    void alarmRaisedAndCleared();
    void unknownRealServersAreOffered();
    void rolesFromHelloOverrideHints();
    void realServerByRoleOrIpvsTable();
    void healthSummaryCountsAndMasters();
};

void TstClusterModel::coalescesIntoOneSignalPerTick()
{
    ClusterModel model(QStringLiteral("t"));
    model.setTickInterval(20);
    QSignalSpy spy(&model, &ClusterModel::changed);
    testing::SyntheticCluster cluster;
    cluster.open(model);
    for (int i = 0; i < 10; ++i) {
        cluster.advance(model);
    }
    QCOMPARE(spy.count(), 0); // nothing before the tick
    QVERIFY(spy.wait(1000));
    QCOMPARE(spy.count(), 1);
    const auto change = spy.at(0).at(0).value<ClusterChange>();
    QVERIFY(change.has(ClusterChange::Membership));
    QVERIFY(change.has(ClusterChange::Ipvs));
    QVERIFY(change.has(ClusterChange::Vrrp));
    QVERIFY(change.nodes.contains(QStringLiteral("lb1")));
    QVERIFY(change.nodes.contains(QStringLiteral("web3")));
    QTest::qWait(60);
    QCOMPARE(spy.count(), 1); // no empty ticks afterwards

    // The same picture again changes nothing.
    model.setIpvs(QStringLiteral("lb1"), cluster.ipvsOf(0));
    QVERIFY(!model.hasPendingChange());
}

void TstClusterModel::applyStateDelta_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<QString>("errorContains");
    QTest::newRow("ipvs") << QByteArray(R"({"topic":"ipvs","services":[{"af":4,"protocol":"tcp","address":"198.18.0.100","port":80,"scheduler":"wlc","realServers":[{"address":"198.18.1.12","port":80,"weight":5}]}]})")
                          << true << QString();
    QTest::newRow("vrrp") << QByteArray(R"({"topic":"vrrp","instances":[{"name":"VI_1","vrid":51,"state":"MASTER"}]})")
                          << true << QString();
    QTest::newRow("realserver")
        << QByteArray(
               R"({"topic":"realserver","ok":false,"findings":[{"check":"arp_ignore","ok":false,"message":"0"}]})")
        << true << QString();
    QTest::newRow("unknown topic ignored") << QByteArray(R"({"topic":"future","x":1})") << true << QString();
    QTest::newRow("no topic") << QByteArray(R"({"services":[]})") << false << QStringLiteral("topic");
    QTest::newRow("services not array") << QByteArray(R"({"topic":"ipvs","services":7})") << false
                                        << QStringLiteral("services");
    QTest::newRow("mistyped field") << QByteArray(R"({"topic":"vrrp","instances":[{"name":5}]})") << false
                                    << QStringLiteral("instances");
    QTest::newRow("realserver without ok") << QByteArray(R"({"topic":"realserver"})") << false
                                           << QStringLiteral("ok");
    QTest::newRow("not an object") << QByteArray("[1,2]") << false << QStringLiteral("object");
}

void TstClusterModel::applyStateDelta()
{
    QFETCH(QByteArray, json);
    QFETCH(bool, ok);
    QFETCH(QString, errorContains);
    ClusterModel model(QStringLiteral("t"));
    model.addNode(QStringLiteral("lb1"), QStringLiteral("198.18.0.11"));
    const auto r = model.applyStateDelta(QStringLiteral("lb1"), rpc::Json::parse(json.toStdString()));
    QCOMPARE(r.hasValue(), ok);
    if (!ok) {
        QVERIFY2(QString::fromStdString(r.error().message).contains(errorContains), r.error().message.c_str());
        const auto* n = model.node(QStringLiteral("lb1"));
        QVERIFY(!n->hasIpvs && !n->hasVrrp && !n->drCheck);
    }
    if (ok && json.contains("\"ipvs\"")) {
        const auto* n = model.node(QStringLiteral("lb1"));
        QCOMPARE(n->ipvs.size(), 1U);
        QCOMPARE(n->ipvs[0].realServers[0].weight, 5U);
        QCOMPARE(n->ipvs[0].key(), std::string("TCP 198.18.0.100:80"));
    }
    if (ok && json.contains("realserver")) {
        QVERIFY(model.node(QStringLiteral("lb1"))->drCheck.has_value());
        QCOMPARE(model.node(QStringLiteral("lb1"))->drCheck->failureSummary(), QStringLiteral("arp_ignore: 0"));
    }
}

void TstClusterModel::vrrpTransitionBecomesEvent()
{
    ClusterModel model(QStringLiteral("t"));
    testing::SyntheticCluster cluster;
    cluster.open(model);
    model.flush();
    QSignalSpy events(&model, &ClusterModel::eventsOccurred);
    cluster.setVrrpState(model, 0, proto::VrrpState::Backup);
    cluster.setVrrpState(model, 1, proto::VrrpState::Master);
    model.flush();
    QCOMPARE(events.count(), 1);
    const auto list = events.at(0).at(0).value<QList<ClusterEvent>>();
    int transitions = 0;
    for (const auto& e : list) {
        if (e.kind == ClusterEvent::Kind::VrrpTransition) {
            ++transitions;
            QVERIFY(e.text.contains(QStringLiteral("→")));
        }
    }
    QCOMPARE(transitions, 2); // one instance (VI_1) on each director
    // The intermediate state (both BACKUP) raised no-master, which cleared again in the same tick's check.
    QVERIFY(model.alarms().isEmpty());
}

void TstClusterModel::realServerWeightZeroBecomesEvent()
{
    ClusterModel model(QStringLiteral("t"));
    testing::SyntheticCluster cluster;
    cluster.open(model);
    model.flush();
    QSignalSpy events(&model, &ClusterModel::eventsOccurred);
    cluster.setWeight(model, 0, 0, 1, 0);
    model.flush();
    QCOMPARE(events.count(), 1);
    const auto list = events.at(0).at(0).value<QList<ClusterEvent>>();
    bool sawWeight = false;
    bool sawDrift = false;
    for (const auto& e : list) {
        sawWeight |= e.kind == ClusterEvent::Kind::RealServerHealth && e.node == QStringLiteral("web2");
        sawDrift |= e.kind == ClusterEvent::Kind::AlarmRaised && e.text.contains(QStringLiteral("IPVS"));
    }
    QVERIFY(sawWeight);
    QVERIFY(sawDrift); // lb1 now has weight 0 where lb2 has 100
}

void TstClusterModel::alarmRaisedAndCleared()
{
    ClusterModel model(QStringLiteral("t"));
    testing::SyntheticCluster cluster;
    cluster.open(model);
    model.flush();
    QVERIFY(model.alarms().isEmpty());
    QSignalSpy alarms(&model, &ClusterModel::alarmsChanged);
    model.setLink(QStringLiteral("web1"), NodeState::Unreachable, QStringLiteral("connection reset"));
    model.flush();
    QCOMPARE(alarms.count(), 1);
    QCOMPARE(model.alarms().size(), 1);
    QCOMPARE(model.alarms().at(0).kind, AlarmKind::NodeUnreachable);
    QCOMPARE(model.alarms().at(0).severity, Severity::Warning);
    QCOMPARE(model.alarms().at(0).detail, QStringLiteral("connection reset"));
    QSignalSpy events(&model, &ClusterModel::eventsOccurred);
    model.setLink(QStringLiteral("web1"), NodeState::Online);
    model.flush();
    QCOMPARE(alarms.count(), 2);
    QVERIFY(model.alarms().isEmpty());
    const auto list = events.at(0).at(0).value<QList<ClusterEvent>>();
    QVERIFY(std::any_of(list.begin(), list.end(),
                        [](const ClusterEvent& e) { return e.kind == ClusterEvent::Kind::AlarmCleared; }));
}

void TstClusterModel::unknownRealServersAreOffered()
{
    ClusterModel model(QStringLiteral("t"));
    model.addNode(QStringLiteral("lb1"), QStringLiteral("198.18.0.11"));
    proto::VirtualService vs;
    vs.protocol = "tcp";
    vs.address = "198.18.0.100";
    vs.port = 80;
    for (const char* a : {"198.18.1.12", "198.18.1.13"}) {
        proto::RealServer rs;
        rs.address = a;
        rs.port = 80;
        vs.realServers.push_back(rs);
    }
    model.setIpvs(QStringLiteral("lb1"), {vs});
    QCOMPARE(model.unknownRealServers(), (QStringList{QStringLiteral("198.18.1.12"), QStringLiteral("198.18.1.13")}));
    model.addNode(QStringLiteral("web1"), QStringLiteral("198.18.1.12"));
    QCOMPARE(model.unknownRealServers(), QStringList{QStringLiteral("198.18.1.13")});
}

void TstClusterModel::rolesFromHelloOverrideHints()
{
    ClusterModel model(QStringLiteral("t"));
    model.addNode(QStringLiteral("n1"), QStringLiteral("198.18.0.5"), {proto::Role::Gateway});
    QCOMPARE(model.node(QStringLiteral("n1"))->layer(), Layer::Gateway);
    model.flush();
    QSignalSpy spy(&model, &ClusterModel::changed);
    model.setHello(QStringLiteral("n1"), testing::makeHello(QStringLiteral("n1"), {proto::Role::Director}));
    model.flush();
    QCOMPARE(model.node(QStringLiteral("n1"))->layer(), Layer::LoadBalancing);
    QVERIFY(spy.at(0).at(0).value<ClusterChange>().has(ClusterChange::Membership));
    QCOMPARE(model.directors(), QStringList{QStringLiteral("n1")});
}

void TstClusterModel::ipvsDeltasMergeIntoTheTable()
{
    // The agent's "ipvs" topic: a snapshot first, then only what changed (agent/probes ipvs_delta.h).
    ClusterModel model(QStringLiteral("t"));
    model.addNode(QStringLiteral("lb1"), QStringLiteral("198.18.0.11"), {proto::Role::Director});
    auto apply = [&](const char* json) {
        const auto r = model.applyStateDelta(QStringLiteral("lb1"), rpc::Json::parse(json));
        QVERIFY2(r.hasValue(), r ? "" : r.error().message.c_str());
    };
    apply(R"({"topic":"ipvs","snapshot":true,"services":[{"protocol":"tcp","address":"198.18.0.100","port":80,
              "realServers":[{"address":"198.18.0.21","port":80,"weight":100},
                             {"address":"198.18.0.22","port":80,"weight":100}]}]})");
    apply(R"({"topic":"ipvs","services":[{"protocol":"tcp","address":"198.18.0.100","port":80,
              "realServers":[{"address":"198.18.0.21","port":80,"weight":0}]}]})");
    const auto* n = model.node(QStringLiteral("lb1"));
    QCOMPARE(n->ipvs.size(), std::size_t(1));
    QCOMPARE(n->ipvs[0].realServers.size(), std::size_t(2)); // web2 is not dropped by a delta that omits it
    QCOMPARE(n->ipvs[0].realServers[0].weight, 0U);
    QCOMPARE(n->ipvs[0].realServers[1].weight, 100U);
    apply(R"({"topic":"ipvs","removedDests":[{"service":"TCP 198.18.0.100:80","endpoint":"198.18.0.22:80"}]})");
    QCOMPARE(model.node(QStringLiteral("lb1"))->ipvs[0].realServers.size(), std::size_t(1));
    apply(R"({"topic":"ipvs","removedServices":["TCP 198.18.0.100:80"]})");
    QVERIFY(model.node(QStringLiteral("lb1"))->ipvs.empty());
    QVERIFY(!model.applyStateDelta(QStringLiteral("lb1"), rpc::Json::parse(R"({"topic":"ipvs","removedDests":[{"service":1}]})")).hasValue());
}

void TstClusterModel::vrrpDeltasMergeByInstance()
{
    ClusterModel model(QStringLiteral("t"));
    model.addNode(QStringLiteral("lb1"), QStringLiteral("198.18.0.11"), {proto::Role::Director});
    QVERIFY(model.applyStateDelta(QStringLiteral("lb1"), rpc::Json::parse(
        R"({"topic":"vrrp","snapshot":true,"instances":[{"name":"VI_1","vrid":51,"state":"MASTER"},{"name":"VI_2","vrid":52,"state":"BACKUP"}]})")).hasValue());
    QVERIFY(model.applyStateDelta(QStringLiteral("lb1"), rpc::Json::parse(
        R"({"topic":"vrrp","instances":[{"name":"VI_2","vrid":52,"state":"FAULT"}]})")).hasValue());
    const auto* n = model.node(QStringLiteral("lb1"));
    QCOMPARE(n->vrrp.size(), std::size_t(2));
    QVERIFY(n->vrrpInstance(51)->state == proto::VrrpState::Master);
    QVERIFY(n->vrrpInstance(52)->state == proto::VrrpState::Fault);
}

// An agent can name as many VRRP instances as it likes, a few in each delta: the node keeps a
// bounded number (a director runs a handful), the rest dropped and counted, and the instances it
// knew still follow their transitions, in time ~n log n (measured: printed, not asserted).
void TstClusterModel::vrrpInstancesPerNodeAreBounded()
{
    constexpr std::size_t kCap = 4096; // ClusterModel::kMaxVrrpInstances
    constexpr int kNames = 50000;
    ClusterModel model(QStringLiteral("t"));
    model.addNode(QStringLiteral("lb1"), QStringLiteral("198.18.0.11"), {proto::Role::Director});
    const auto instance = [](std::string name, int vrid, proto::VrrpState state) {
        proto::VrrpInstance i;
        i.name = std::move(name);
        i.vrid = vrid;
        i.state = state;
        return i;
    };
    StateDelta snapshot;
    snapshot.topic = StateDelta::Topic::Vrrp;
    snapshot.snapshot = true;
    snapshot.instances = {instance("VI_1", 51, proto::VrrpState::Master),
                          instance("VI_2", 52, proto::VrrpState::Backup)};
    QVERIFY(model.applyStateDelta(QStringLiteral("lb1"), snapshot).hasValue());
    model.flush();
    QSignalSpy events(&model, &ClusterModel::eventsOccurred);

    QElapsedTimer took;
    took.start();
    for (int half = 0; half < 2; ++half) {
        StateDelta delta;
        delta.topic = StateDelta::Topic::Vrrp;
        for (int k = 0; k < kNames / 2; ++k) {
            delta.instances.push_back(
                instance("flood_" + std::to_string(half * kNames / 2 + k), 1 + k % 255, proto::VrrpState::Backup));
        }
        // Past the bound: a name the node already has is still updated.
        delta.instances.push_back(half == 0 ? instance("VI_1", 51, proto::VrrpState::Backup)
                                            : instance("VI_2", 52, proto::VrrpState::Fault));
        QVERIFY(model.applyStateDelta(QStringLiteral("lb1"), std::move(delta)).hasValue());
    }
    model.flush();
    qInfo("%d names in two deltas merged in %lld ms", kNames, static_cast<long long>(took.elapsed()));

    const auto* n = model.node(QStringLiteral("lb1"));
    QCOMPARE(ClusterModel::kMaxVrrpInstances, kCap);
    QCOMPARE(n->vrrp.size(), kCap);
    QCOMPARE(n->vrrpDropped, std::size_t(kNames) - (kCap - 2));
    QCOMPARE(n->vrrp[0].name, std::string("VI_1"));
    QCOMPARE(n->vrrp[1].name, std::string("VI_2"));
    QCOMPARE(n->vrrp[2].name, std::string("flood_0"));
    QCOMPARE(n->vrrp[kCap - 1].name, "flood_" + std::to_string(kCap - 3));
    QVERIFY(n->vrrpInstance(51)->state == proto::VrrpState::Backup);
    QVERIFY(n->vrrpInstance(52)->state == proto::VrrpState::Fault);
    // The two transitions, and nothing for the new names.
    QStringList transitions;
    for (const auto& args : events) {
        for (const auto& e : args.at(0).value<QList<ClusterEvent>>()) {
            if (e.kind == ClusterEvent::Kind::VrrpTransition) {
                transitions << e.text;
            }
        }
    }
    QCOMPARE(transitions.size(), 2);
    QVERIFY2(transitions[0].contains(QStringLiteral("VI_1")), qPrintable(transitions[0]));
    QVERIFY2(transitions[1].contains(QStringLiteral("VI_2")), qPrintable(transitions[1]));

    // A snapshot that fits starts over.
    QVERIFY(model.applyStateDelta(QStringLiteral("lb1"), snapshot).hasValue());
    QCOMPARE(n->vrrp.size(), std::size_t(2));
    QCOMPARE(n->vrrpDropped, std::size_t(0));
}

void TstClusterModel::keepalivedRunningFollowsTheVrrpTopic()
{
    ClusterModel model(QStringLiteral("t"));
    model.setTickInterval(10);
    model.addNode(QStringLiteral("lb1"), QStringLiteral("198.18.0.11"), {proto::Role::Director});
    model.setLink(QStringLiteral("lb1"), NodeState::Online);
    QVERIFY(model.applyStateDelta(QStringLiteral("lb1"), rpc::Json::parse(
        R"({"topic":"vrrp","snapshot":true,"running":true,"instances":[{"name":"VI_1","vrid":51,"state":"MASTER"}]})")).hasValue());
    QCOMPARE(model.node(QStringLiteral("lb1"))->keepalivedRunning, std::optional<bool>(true));
    // The agent's word on keepalived comes alone, in a delta without instances.
    QVERIFY(model.applyStateDelta(QStringLiteral("lb1"), rpc::Json::parse(
        R"({"topic":"vrrp","instances":[],"running":false})")).hasValue());
    QCOMPARE(model.node(QStringLiteral("lb1"))->keepalivedRunning, std::optional<bool>(false));
    QVERIFY(model.hasPendingChange());
    QTRY_VERIFY_WITH_TIMEOUT(!model.alarms().isEmpty(), 2000);
    QStringList ids;
    for (const auto& a : model.alarms()) {
        ids << a.id;
    }
    QVERIFY2(ids.contains(QStringLiteral("keepalived-down/lb1")), qPrintable(ids.join(QLatin1Char(' '))));
    // A delta without the field keeps what is known.
    QVERIFY(model.applyStateDelta(QStringLiteral("lb1"), rpc::Json::parse(
        R"({"topic":"vrrp","instances":[{"name":"VI_1","vrid":51,"state":"STOP"}]})")).hasValue());
    QCOMPARE(model.node(QStringLiteral("lb1"))->keepalivedRunning, std::optional<bool>(false));
}

void TstClusterModel::realServerByRoleOrIpvsTable()
{
    ClusterModel model(QStringLiteral("t"));
    model.addNode(QStringLiteral("lb1"), QStringLiteral("198.18.0.11"), {proto::Role::Director});
    model.addNode(QStringLiteral("web1"), QStringLiteral("198.18.1.12"));
    model.addNode(QStringLiteral("web9"), QStringLiteral("198.18.1.19"), {proto::Role::RealServer});
    model.addNode(QStringLiteral("db1"), QStringLiteral("198.18.1.30"), {proto::Role::Db});
    QVERIFY(!model.isRealServer(QStringLiteral("web1")));
    proto::VirtualService vs;
    vs.protocol = "tcp";
    vs.address = "198.18.0.100";
    vs.port = 80;
    proto::RealServer rs;
    rs.address = "198.18.1.12";
    rs.port = 80;
    vs.realServers.push_back(rs);
    model.setIpvs(QStringLiteral("lb1"), {vs});
    QVERIFY(model.isRealServer(QStringLiteral("web1"))); // in a director's table
    QVERIFY(model.isRealServer(QStringLiteral("web9"))); // by its role
    QVERIFY(!model.isRealServer(QStringLiteral("db1")));
    QVERIFY(!model.isRealServer(QStringLiteral("lb1")));
    QVERIFY(!model.isRealServer(QStringLiteral("nosuch")));
}

void TstClusterModel::healthSummaryCountsAndMasters()
{
    ClusterModel model(QStringLiteral("t"));
    model.addNode(QStringLiteral("lb1"), QStringLiteral("198.18.0.11"), {proto::Role::Director});
    model.addNode(QStringLiteral("lb2"), QStringLiteral("198.18.0.12"), {proto::Role::Director});
    model.addNode(QStringLiteral("web1"), QStringLiteral("198.18.1.12"));
    model.setLink(QStringLiteral("lb1"), NodeState::Online);
    model.setLink(QStringLiteral("lb2"), NodeState::Online);
    model.setLink(QStringLiteral("web1"), NodeState::Unreachable, QStringLiteral("connection reset"));
    // VI_1 is MASTER on lb1 only; VI_2 on both (a split brain): each (instance, director) once.
    QVERIFY(
        model
            .applyStateDelta(
                QStringLiteral("lb1"),
                rpc::Json::parse(
                    R"({"topic":"vrrp","snapshot":true,"instances":[{"name":"VI_1","vrid":51,"state":"MASTER"},{"name":"VI_2","vrid":52,"state":"MASTER"},{"name":"VI_2","vrid":52,"state":"MASTER"}]})"))
            .hasValue());
    QVERIFY(
        model
            .applyStateDelta(
                QStringLiteral("lb2"),
                rpc::Json::parse(
                    R"({"topic":"vrrp","snapshot":true,"instances":[{"name":"VI_1","vrid":51,"state":"BACKUP"},{"name":"VI_2","vrid":52,"state":"MASTER"}]})"))
            .hasValue());
    model.flush();
    const HealthSummary h = model.healthSummary();
    QCOMPARE(h.total, 3);
    QCOMPARE(h.online, 2);
    QCOMPARE(h.connecting, 0);
    int critical = 0;
    int warning = 0;
    for (const auto& a : model.alarms()) {
        critical += a.severity == Severity::Critical ? 1 : 0;
        warning += a.severity == Severity::Warning ? 1 : 0;
    }
    QVERIFY(warning >= 1); // web1 unreachable
    QCOMPARE(h.critical, critical);
    QCOMPARE(h.warning, warning);
    const std::vector<std::pair<QString, QString>> masters{{QStringLiteral("VI_1"), QStringLiteral("lb1")},
                                                           {QStringLiteral("VI_2"), QStringLiteral("lb1")},
                                                           {QStringLiteral("VI_2"), QStringLiteral("lb2")}};
    QCOMPARE(h.masters, masters);
}

QTEST_GUILESS_MAIN(TstClusterModel)
#include "tst_clustermodel.moc"
