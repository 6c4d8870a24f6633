// The lockout lint's facts from the console's live model: the virtual services come
// from the directors' IPVS tables (so a real server's VIP and health-check packets,
// and the gateway's forward path, are checked), and the firewall topic's deltas and
// the rolledBack event are decoded with checks.

#include "hadeck/console/firewall/clusterfacts.h"
#include "hadeck/console/model/clustermodel.h"
#include "hadeck/protocol/wire.h"

#include <QTest>

#include <algorithm>

using namespace hadeck;
using console::fw::NeedKind;

namespace {

proto::VirtualService web(const char* vip, std::uint16_t port, std::vector<const char*> reals)
{
    proto::VirtualService vs;
    vs.protocol = "tcp";
    vs.address = vip;
    vs.port = port;
    for (const char* r : reals) {
        proto::RealServer rs;
        rs.address = r;
        rs.port = port;
        vs.realServers.push_back(rs);
    }
    return vs;
}

int count(const std::vector<console::fw::Need>& needs, NeedKind kind, const std::string& daddr = {})
{
    return static_cast<int>(std::count_if(needs.begin(), needs.end(), [&](const auto& n) {
        return n.kind == kind && (daddr.empty() || n.packet.daddr == daddr);
    }));
}

} // namespace

class TstFwFacts : public QObject {
    Q_OBJECT
private slots:
    void servicesFromTheDirectorsTables();
    void topicDeltaDecoded();
    void rolledBackEventDecoded();
};

void TstFwFacts::servicesFromTheDirectorsTables()
{
    console::ClusterModel model(QStringLiteral("lab"));
    model.setTickInterval(0);
    model.addNode(QStringLiteral("dir1"), QStringLiteral("198.18.0.11"), {proto::Role::Director});
    model.addNode(QStringLiteral("dir2"), QStringLiteral("198.18.0.12"), {proto::Role::Director});
    model.addNode(QStringLiteral("web1"), QStringLiteral("198.18.0.21"), {proto::Role::RealServer});
    model.addNode(QStringLiteral("gw"), QStringLiteral("198.18.0.1"), {proto::Role::Gateway});
    // Both directors show the same services: each counts once.
    const std::vector<proto::VirtualService> table{web("198.18.0.100", 80, {"198.18.0.21", "198.18.0.22"}),
                                                   web("198.18.0.101", 443, {"198.18.0.22"})};
    model.setIpvs(QStringLiteral("dir1"), table);
    model.setIpvs(QStringLiteral("dir2"), table);
    model.flush();

    const auto facts = console::fw::factsFromModel(model, std::vector<std::string>{"198.18.0.254"});
    QCOMPARE(facts.services.size(), std::size_t(2));
    QCOMPARE(facts.nodes.size(), std::size_t(4));

    const auto web1 = console::fw::neededPackets(facts, "web1");
    QCOMPARE(count(web1, NeedKind::SshFromConsole), 1);
    QCOMPARE(count(web1, NeedKind::VipOnRealServer, "198.18.0.100"), 1);
    QCOMPARE(count(web1, NeedKind::VipOnRealServer, "198.18.0.101"), 0); // web1 is not behind :443
    QCOMPARE(count(web1, NeedKind::HealthCheck), 2); // from dir1 and dir2
    const auto dir1 = console::fw::neededPackets(facts, "dir1");
    QCOMPARE(count(dir1, NeedKind::VirtualService), 2);
    QCOMPARE(count(dir1, NeedKind::Vrrp), 1);
    const auto gw = console::fw::neededPackets(facts, "gw");
    QCOMPARE(count(gw, NeedKind::GatewayForward, "198.18.0.100"), 1);
    QCOMPARE(count(gw, NeedKind::GatewayForward, "198.18.0.101"), 1);

    // Without the directors' tables there is nothing to build these packets from.
    console::ClusterModel empty(QStringLiteral("lab"));
    empty.addNode(QStringLiteral("web1"), QStringLiteral("198.18.0.21"), {proto::Role::RealServer});
    QCOMPARE(count(console::fw::neededPackets(console::fw::factsFromModel(empty, std::vector<std::string>{}), "web1"), NeedKind::VipOnRealServer), 0);
}

void TstFwFacts::topicDeltaDecoded()
{
    using Json = proto::fw::Json;
    QVERIFY(!proto::fw::topicDelta(Json{{"topic", "ipvs"}, {"services", Json::array()}}));
    auto d = proto::fw::topicDelta(Json::parse(
        R"({"topic":"firewall","hash":"abc","counters":[["inet","filter","input",8,12,960]]})"));
    QVERIFY(d);
    QCOMPARE(QString::fromStdString(d->hash), QStringLiteral("abc"));
    QCOMPARE(d->counters.size(), std::size_t(1));
    QCOMPARE(d->counters[0].handle, std::uint64_t(8));
    QCOMPARE(d->counters[0].counter.packets, std::uint64_t(12));
    QCOMPARE(d->counters[0].counter.bytes, std::uint64_t(960));
    QVERIFY(!d->ruleset);
    d = proto::fw::topicDelta(Json::parse(R"({"topic":"firewall","snapshot":true,"hash":"abc","pending":{"pending":false}})"));
    QVERIFY(d && d->pending && !d->pending->pending);
    // Bad rows are refused, not guessed at.
    for (const char* bad : {R"({"topic":"firewall","counters":[["inet","filter","input",8,-1,0]]})",
                            R"({"topic":"firewall","counters":[["inet","filter","input",8,1.5,0]]})",
                            R"({"topic":"firewall","counters":[["inet","filter",8,1,0]]})",
                            R"({"topic":"firewall","counters":{}})"}) {
        bool threw = false;
        try {
            (void)proto::fw::topicDelta(Json::parse(bad));
        } catch (const proto::wire::DecodeError&) {
            threw = true;
        }
        QVERIFY2(threw, bad);
    }
}

void TstFwFacts::rolledBackEventDecoded()
{
    using Json = proto::fw::Json;
    QVERIFY(!proto::fw::rolledBackEvent(Json{{"type", "firewall.applied"}, {"id", "x"}}));
    const auto e = proto::fw::rolledBackEvent(Json::parse(
        R"({"type":"firewall.rolledBack","node":"web1","id":"fw-1","ok":true,"reason":"not confirmed within 10 s","hash":"h"})"));
    QVERIFY(e);
    QVERIFY(e->ok);
    QCOMPARE(QString::fromStdString(e->reason), QStringLiteral("not confirmed within 10 s"));
    bool threw = false;
    try {
        (void)proto::fw::rolledBackEvent(Json::parse(R"({"type":"firewall.rolledBack","ok":"yes"})"));
    } catch (const proto::wire::DecodeError&) {
        threw = true;
    }
    QVERIFY(threw);
}

QTEST_GUILESS_MAIN(TstFwFacts)
#include "tst_fw_facts.moc"
