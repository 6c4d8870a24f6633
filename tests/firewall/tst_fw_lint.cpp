// The lockout lint: the packets a node needs, from a cluster picture, judged on the
// captured ruleset and on variants of it that block each kind; each blocked packet
// is named with the rule that blocks it.

#include "hadeck/console/firewall/lint.h"
#include "hadeck/probes/nft_ruleset.h"

#include <QtTest>

#include <functional>

using namespace hadeck;
using namespace hadeck::console::fw;
using proto::Role;
using Json = proto::fw::Json;

namespace {

Json fixtureJson()
{
    QFile f(QStringLiteral(HADECK_TEST_DATA "/firewall/ruleset.json"));
    if (!f.open(QIODevice::ReadOnly)) {
        qFatal("cannot read ruleset.json");
    }
    return Json::parse(f.readAll().toStdString());
}

Ruleset rulesetFrom(const Json& doc)
{
    auto rs = probes::nft::parseRuleset(doc.dump());
    if (!rs) {
        qFatal("%s", rs.error().message.c_str());
    }
    return *rs;
}

/// The fixture with @p edit applied to the rule of handle @p handle.
Ruleset withRule(std::uint64_t handle, const std::function<void(Json&)>& edit)
{
    Json doc = fixtureJson();
    for (auto& item : doc["nftables"]) {
        if (item.contains("rule") && item["rule"]["handle"] == handle) {
            edit(item["rule"]);
        }
    }
    return rulesetFrom(doc);
}

ClusterFacts cluster()
{
    ClusterFacts f;
    f.nodes = {
        {"gw", "198.18.1.1", {Role::Gateway}},
        {"dir1", "198.18.1.2", {Role::Director}},
        {"dir2", "198.18.1.3", {Role::Director}},
        {"web1", "198.18.1.10", {Role::RealServer}},
        {"db1", "198.18.1.20", {Role::Db}},
        {"db2", "198.18.1.21", {Role::Db}},
        {"mfsmaster", "198.18.1.30", {Role::MfsMaster}},
        {"chunk1", "198.18.1.31", {Role::MfsChunkserver}},
    };
    proto::VirtualService vs;
    vs.protocol = "tcp";
    vs.address = "198.18.100.10";
    vs.port = 80;
    proto::RealServer rs;
    rs.address = "198.18.1.10";
    rs.port = 80;
    vs.realServers = {rs};
    f.services = {vs};
    f.consoleAddresses = {"198.18.0.5"};
    return f;
}

int count(const std::vector<Need>& needs, NeedKind k)
{
    return static_cast<int>(std::count_if(needs.begin(), needs.end(), [k](const Need& n) { return n.kind == k; }));
}

} // namespace

class TestFwLint : public QObject {
    Q_OBJECT
private slots:
    void needsPerRole();
    void capturedRulesetPassesWhereItShould();
    void eachKindCaughtWithItsRule();
    void gatewayForwardBlocked();
    void cannotJudgeIsAFinding();
    void interfacesKnownAreJudged();
    void routeInterfaceChoosesTheLongestPrefix();
};

void TestFwLint::needsPerRole()
{
    const auto f = cluster();
    const auto web = neededPackets(f, "web1");
    QCOMPARE(count(web, NeedKind::SshFromConsole), 1);
    QCOMPARE(count(web, NeedKind::VipOnRealServer), 1);
    QCOMPARE(count(web, NeedKind::HealthCheck), 2); // from both directors
    const auto dir = neededPackets(f, "dir1");
    QCOMPARE(count(dir, NeedKind::Vrrp), 1);
    QCOMPARE(count(dir, NeedKind::VirtualService), 1);
    QCOMPARE(count(neededPackets(f, "db1"), NeedKind::MariaDb), 2); // web1, and the replica db2
    QCOMPARE(count(neededPackets(f, "mfsmaster"), NeedKind::MooseFs), 2); // chunkserver, client web1
    QCOMPARE(count(neededPackets(f, "chunk1"), NeedKind::MooseFs), 1);
    QCOMPARE(count(neededPackets(f, "gw"), NeedKind::GatewayForward), 1);
    QVERIFY(neededPackets(f, "nobody").empty());
}

void TestFwLint::capturedRulesetPassesWhereItShould()
{
    const Ruleset rs = rulesetFrom(fixtureJson());
    const auto f = cluster();
    for (const char* node : {"web1", "dir1", "db1", "mfsmaster", "chunk1"}) {
        const auto findings = lint(rs, neededPackets(f, node));
        QVERIFY2(findings.empty(), findings.empty() ? "" : findings.front().text().c_str());
    }
}

void TestFwLint::eachKindCaughtWithItsRule()
{
    const auto f = cluster();
    struct Case {
        const char* node;
        NeedKind kind;
        Ruleset rs;
        std::uint64_t blockingHandle; // 0: the chain's policy
    };
    // SSH rule moved to port 2222: SSH from the console ends at the reject.
    const Ruleset noSsh = withRule(12, [](Json& r) { r["expr"][0]["match"]["right"] = 2222; });
    // VRRP only from another net: the adverts end at the input policy.
    const Ruleset noVrrp = withRule(11, [](Json& r) { r["expr"][1]["match"]["right"]["prefix"]["addr"] = "198.18.2.0"; });
    // The web ports rule removed: VIP, health checks end at the reject.
    const Ruleset noWeb = withRule(13, [](Json& r) { r["expr"][0]["match"]["right"] = 8; });
    // The cluster-net rule for 3306 and MooseFS moved to another net.
    const Ruleset noCluster = withRule(15, [](Json& r) { r["expr"][1]["match"]["right"]["prefix"]["addr"] = "198.18.2.0"; });
    const std::vector<Case> cases{
        {"web1", NeedKind::SshFromConsole, noSsh, 19},
        {"dir1", NeedKind::Vrrp, noVrrp, 0},
        {"dir1", NeedKind::VirtualService, noWeb, 19},
        {"web1", NeedKind::VipOnRealServer, noWeb, 19},
        {"web1", NeedKind::HealthCheck, noWeb, 19},
        {"db1", NeedKind::MariaDb, noCluster, 19},
        {"mfsmaster", NeedKind::MooseFs, noCluster, 19},
        {"chunk1", NeedKind::MooseFs, noCluster, 19},
    };
    for (const auto& c : cases) {
        const auto findings = lint(c.rs, neededPackets(f, c.node));
        const auto it = std::find_if(findings.begin(), findings.end(), [&](const Finding& x) { return x.need.kind == c.kind; });
        QVERIFY2(it != findings.end(), (std::string(c.node) + " " + std::string(toString(c.kind))).c_str());
        QVERIFY2(it->decision.verdict == Verdict::Drop, it->text().c_str());
        QCOMPARE(it->decision.handle, c.blockingHandle);
        const std::string text = it->text();
        QVERIFY2(text.rfind("blocked: ", 0) == 0, text.c_str());
        if (c.blockingHandle != 0) {
            QVERIFY2(text.find("#19 \"meta l4proto tcp counter reject with tcp reset\"") != std::string::npos ||
                         text.find("#19") != std::string::npos,
                     text.c_str());
        } else {
            QVERIFY2(text.find("policy drop") != std::string::npos, text.c_str());
        }
    }
    // The SSH finding reads well.
    const auto ssh = lint(noSsh, neededPackets(f, "web1"));
    QVERIFY(!ssh.empty());
    QCOMPARE(ssh.front().text(), std::string("blocked: tcp 198.18.0.5 -> 198.18.1.10:22 (new, input) — SSH from the console "
                                             "(198.18.0.5), by rule inet hadeck_filter input #19 \"\""));
}

void TestFwLint::gatewayForwardBlocked()
{
    auto f = cluster();
    Json doc = fixtureJson();
    // A forward rule that drops the VIP, first in the forward chain.
    Json drop = Json{{"rule", Json{{"family", "inet"}, {"table", "hadeck_filter"}, {"chain", "forward"}, {"handle", 99},
                                   {"expr", Json::array({Json{{"match", Json{{"op", "=="},
                                                                             {"left", Json{{"payload", Json{{"protocol", "ip"}, {"field", "daddr"}}}}},
                                                                             {"right", "198.18.100.10"}}}},
                                                         Json{{"drop", nullptr}}})}}}};
    auto& items = doc["nftables"];
    for (auto it = items.begin(); it != items.end(); ++it) {
        if (it->contains("rule") && (*it)["rule"]["chain"] == "forward") {
            items.insert(it, drop);
            break;
        }
    }
    const auto findings = lint(rulesetFrom(doc), neededPackets(f, "gw"));
    QCOMPARE(findings.size(), std::size_t(1));
    QVERIFY(findings.front().decision.verdict == Verdict::Drop);
    QCOMPARE(findings.front().decision.handle, std::uint64_t(99));
    QVERIFY(findings.front().need.kind == NeedKind::GatewayForward);
}

void TestFwLint::cannotJudgeIsAFinding()
{
    // The gateway's forward rule names an interface the lint does not know: not a silent pass.
    const auto findings = lint(rulesetFrom(fixtureJson()), neededPackets(cluster(), "gw"));
    QCOMPARE(findings.size(), std::size_t(1));
    QVERIFY(findings.front().decision.verdict == Verdict::CannotJudge);
    QVERIFY2(findings.front().text().rfind("cannot judge: ", 0) == 0, findings.front().text().c_str());
}

void TestFwLint::interfacesKnownAreJudged()
{
    // The gateway's rules name interfaces: with the node's interfaces known (as its agent
    // reports them), the lint judges them instead of "cannot judge".
    auto f = cluster();
    f.interfaces = {{"lo", {"127.0.0.1/8"}}, {"eth0", {"198.19.0.1/24"}}, {"eth1", {"198.18.100.1/24"}}};
    f.defaultInterface = "eth0";
    const auto needs = neededPackets(f, "gw");
    const auto fwd =
        std::find_if(needs.begin(), needs.end(), [](const Need& n) { return n.kind == NeedKind::GatewayForward; });
    QVERIFY(fwd != needs.end());
    QCOMPARE(fwd->packet.iif, std::string("eth0")); // the client is behind the default route
    QCOMPARE(fwd->packet.oif, std::string("eth1")); // the VIP's network
    const auto findings = lint(rulesetFrom(fixtureJson()), needs);
    for (const auto& x : findings) {
        qWarning("%s", x.text().c_str());
    }
    QVERIFY(findings.empty());

    // The deciding rule follows the interfaces: out of eth1 the oifname rule accepts the packet;
    // routed out of eth0 it is not that rule's, and falls through to the chain's policy.
    const auto rs = rulesetFrom(fixtureJson());
    const Decision viaEth1 = evaluate(rs, fwd->packet);
    QVERIFY(viaEth1.verdict == Verdict::Accept);
    // Rule #22 is `oifname "eth1" ip daddr 198.18.100.10 tcp dport { 80, 443 } accept` (this
    // JSON-only parse has no rule texts).
    QCOMPARE(viaEth1.handle, std::uint64_t(22));
    f.interfaces = {{"eth0", {"198.19.0.1/24", "198.18.100.1/24"}}, {"eth1", {"198.18.200.1/24"}}};
    const auto other = neededPackets(f, "gw");
    const auto fwd0 =
        std::find_if(other.begin(), other.end(), [](const Need& n) { return n.kind == NeedKind::GatewayForward; });
    QVERIFY(fwd0 != other.end());
    QCOMPARE(fwd0->packet.oif, std::string("eth0"));
    const Decision viaEth0 = evaluate(rs, fwd0->packet);
    QVERIFY(viaEth0.verdict == Verdict::Accept);
    QVERIFY2(viaEth0.handle != 22, viaEth0.reason().c_str());
    QVERIFY2(describe(fwd0->packet).find("out eth0") != std::string::npos, describe(fwd0->packet).c_str());
}

void TestFwLint::routeInterfaceChoosesTheLongestPrefix()
{
    const std::vector<proto::fw::Interface> ifs = {
        {"eth0", {"198.18.0.1/16", "fd00::1/64"}}, {"eth1", {"198.18.5.1/24"}}, {"lo", {"127.0.0.1/8", "::1/128"}}};
    QCOMPARE(routeInterface(ifs, "eth9", "198.18.5.7"), std::string("eth1"));
    QCOMPARE(routeInterface(ifs, "eth9", "198.18.6.7"), std::string("eth0"));
    QCOMPARE(routeInterface(ifs, "eth9", "198.19.0.10"), std::string("eth9")); // the default route
    QCOMPARE(routeInterface(ifs, "eth9", "fd00::5"), std::string("eth0"));
    QCOMPARE(routeInterface(ifs, "eth9", "fd01::5"), std::string());        // no IPv6 default known
    QCOMPARE(routeInterface(ifs, "eth9", "198.18.5.1"), std::string("lo")); // its own address
    QCOMPARE(routeInterface({}, "", "198.18.5.1"), std::string());
    QCOMPARE(prefixMatch("198.18.5.7", "198.18.5.1/33"), -1);
    QCOMPARE(prefixMatch("198.18.5.7", "198.18.5.1/x"), -1);
    QCOMPARE(prefixMatch("198.18.5.7", "198.18.5.7"), 32);
}

QTEST_APPLESS_MAIN(TestFwLint)
#include "tst_fw_lint.moc"
