// The pure nftables parsers on fixtures captured from the real nft 1.0.6 and
// iptables 1.8.9 (tests/data/firewall/capture.sh), and the change-set script.

#include "fixture.h"
#include "hadeck/probes/nft_ruleset.h"
#include "hadeck/protocol/firewall.h"

#include <QtTest>

using namespace hadeck;
namespace fw = proto::fw;
namespace nft = probes::nft;

namespace {
std::string fixture(const char* name)
{
    return hadeck::test::fixture(QStringLiteral("firewall/") + QString::fromLatin1(name));
}

fw::Change mk(fw::ChangeOp op, const std::string& chain)
{
    fw::Change c;
    c.op = op;
    c.family = "inet";
    c.table = "hadeck_filter";
    c.chain = chain;
    return c;
}

const fw::Rule* ruleByComment(const fw::Ruleset& rs, const std::string& comment)
{
    for (const auto& r : rs.rules) {
        if (r.comment == comment) {
            return &r;
        }
    }
    return nullptr;
}
} // namespace

class TestNftRuleset : public QObject {
    Q_OBJECT
private slots:
    void parsesTablesChainsRulesSets();
    void ruleTextsAndCounters();
    void hashIgnoresCountersOnly();
    void iptablesNftTablesMarked();
    void legacyDetection();
    void badDocuments_data();
    void badDocuments();
    void modelRoundTripsOnTheWire();
    void changeSetScript();
    void changeSetRefusesInjection_data();
    void changeSetRefusesInjection();
    void rawTextOnlyChanges_data();
    void rawTextOnlyChanges();
    void listingDiffNamesTheChange();
    void defaultRouteFromProcNetRoute();
};

void TestNftRuleset::parsesTablesChainsRulesSets()
{
    auto rs = nft::parseRuleset(fixture("ruleset.json"), fixture("ruleset-handles.txt"));
    QVERIFY2(rs, rs ? "" : rs.error().message.c_str());
    QCOMPARE(rs->nftVersion, std::string("1.0.6"));
    QCOMPARE(rs->tables.size(), std::size_t(2));
    QCOMPARE(rs->tables[0].family, std::string("inet"));
    QCOMPARE(rs->tables[0].name, std::string("hadeck_filter"));
    QVERIFY(!rs->tables[0].iptablesNft);

    const fw::Chain* input = rs->findChain("inet", "hadeck_filter", "input");
    QVERIFY(input);
    QCOMPARE(input->type, std::string("filter"));
    QCOMPARE(input->hook, std::string("input"));
    QCOMPARE(input->policy, std::string("drop"));
    QCOMPARE(input->priority.value_or(-1), std::int64_t(0));
    const fw::Chain* regular = rs->findChain("inet", "hadeck_filter", "fwd_extra");
    QVERIFY(regular && !regular->isBase());
    const fw::Chain* post = rs->findChain("ip", "nat", "postrouting");
    QVERIFY(post && post->priority == 100 && post->type == "nat");

    QCOMPARE(rs->rulesOf(*input).size(), std::size_t(12)); // node.nft: twelve rules in input

    const fw::NamedSet* admins = rs->findSet("inet", "hadeck_filter", "admin_nets");
    QVERIFY(admins && !admins->isMap);
    QCOMPARE(admins->type, std::string("ipv4_addr"));
    QCOMPARE(admins->flags, std::vector<std::string>{"interval"});
    QCOMPARE(admins->elementTexts, (std::vector<std::string>{"198.18.0.0/24", "198.18.9.0/28"}));
    const fw::NamedSet* vmap = rs->findSet("inet", "hadeck_filter", "port_verdicts");
    QVERIFY(vmap && vmap->isMap);
    QCOMPARE(vmap->mapType, std::string("verdict"));
    QCOMPARE(vmap->elementTexts, (std::vector<std::string>{"8080 : drop", "9000 : accept"}));
    QCOMPARE(rs->findSet("inet", "hadeck_filter", "web_ports")->elementTexts, (std::vector<std::string>{"80", "443"}));
}

void TestNftRuleset::ruleTextsAndCounters()
{
    auto rs = nft::parseRuleset(fixture("ruleset.json"), fixture("ruleset-handles.txt"));
    QVERIFY(rs);
    const fw::Rule* ssh = ruleByComment(*rs, "SSH from admins");
    QVERIFY(ssh);
    QCOMPARE(ssh->handle, std::uint64_t(12));
    QCOMPARE(ssh->text, std::string("tcp dport 22 ip saddr @admin_nets counter accept comment \"SSH from admins\""));
    QVERIFY(ssh->counter.has_value());
    QVERIFY(ssh->expr.is_array() && !ssh->expr.empty());
    // The loopback rule counted the capture's one TCP SYN to 127.0.0.1:81.
    const fw::Rule* lo = nullptr;
    for (const auto& r : rs->rules) {
        if (r.text == "iifname \"lo\" counter accept") {
            lo = &r;
        }
    }
    QVERIFY(lo && lo->counter);
    QCOMPARE(lo->counter->packets, std::uint64_t(1));
    QCOMPARE(lo->counter->bytes, std::uint64_t(60));
    // Every rule got its text from the listing.
    for (const auto& r : rs->rules) {
        QVERIFY2(!r.text.empty(), std::to_string(r.handle).c_str());
        QVERIFY(r.text.find("# handle") == std::string::npos);
        QVERIFY(r.text.find("packets") == std::string::npos);
    }
    // Without the listing the model is the same but texts are empty.
    auto bare = nft::parseRuleset(fixture("ruleset.json"));
    QVERIFY(bare);
    QCOMPARE(bare->rules.size(), rs->rules.size());
    QVERIFY(bare->rules.front().text.empty());
    QCOMPARE(bare->hash, rs->hash);
}

void TestNftRuleset::hashIgnoresCountersOnly()
{
    const std::string json = fixture("ruleset.json");
    auto a = nft::parseRuleset(json);
    QVERIFY(a);
    QCOMPARE(a->hash.size(), std::size_t(64));
    // Same ruleset, other counter values: same hash.
    auto doc = fw::Json::parse(json);
    for (auto& item : doc["nftables"]) {
        if (item.contains("rule")) {
            for (auto& stmt : item["rule"]["expr"]) {
                if (stmt.contains("counter")) {
                    stmt["counter"] = fw::Json{{"packets", 999}, {"bytes", 123456}};
                }
            }
        }
    }
    auto b = nft::parseRuleset(doc.dump());
    QVERIFY(b);
    QCOMPARE(b->hash, a->hash);
    // A changed port: another hash.
    std::string changed = json;
    const auto pos = changed.find("\"right\": 22}");
    QVERIFY(pos != std::string::npos);
    changed.replace(pos, 12, "\"right\": 23}");
    auto c = nft::parseRuleset(changed);
    QVERIFY(c);
    QVERIFY(c->hash != a->hash);
    // A set element more: another hash.
    auto d = doc;
    for (auto& item : d["nftables"]) {
        if (item.contains("set") && item["set"]["name"] == "web_ports") {
            item["set"]["elem"].push_back(8443);
        }
    }
    QVERIFY(nft::parseRuleset(d.dump())->hash != a->hash);
}

void TestNftRuleset::iptablesNftTablesMarked()
{
    // nft warns about iptables-nft tables on its error stream; the agent passes it with the listing.
    const std::string warnings = "# Warning: table ip nat is managed by iptables-nft, do not touch!\n"
                                 "# Warning: table ip filter is managed by iptables-nft, do not touch!\n";
    auto rs = nft::parseRuleset(fixture("iptables-nft.json"), warnings + fixture("iptables-nft-handles.txt"));
    QVERIFY(rs);
    std::map<std::string, bool> marked;
    for (const auto& t : rs->tables) {
        marked[t.family + " " + t.name] = t.iptablesNft;
    }
    QCOMPARE(marked["inet hadeck_filter"], false);
    QCOMPARE(marked["ip filter"], true);
    QCOMPARE(marked["ip nat"], true);
    // Without nft's warnings the x_tables statements ("xt") still give both away.
    auto bare = nft::parseRuleset(fixture("iptables-nft.json"));
    QVERIFY(bare);
    for (const auto& t : bare->tables) {
        QCOMPARE(t.iptablesNft, t.name != "hadeck_filter");
    }
}

void TestNftRuleset::legacyDetection()
{
    QVERIFY(nft::legacyInUse(fixture("iptables-legacy.txt")));
    QVERIFY(!nft::legacyInUse("*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\nCOMMIT\n"));
    QVERIFY(nft::legacyInUse("*filter\n:INPUT DROP [0:0]\nCOMMIT\n"));
    QVERIFY(!nft::legacyInUse(""));
}

void TestNftRuleset::badDocuments_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::newRow("empty") << QByteArray("");
    QTest::newRow("not json") << QByteArray("table inet f {");
    QTest::newRow("array") << QByteArray("[1,2]");
    QTest::newRow("no nftables") << QByteArray("{\"foo\": []}");
    QTest::newRow("nftables not array") << QByteArray("{\"nftables\": {}}");
}

void TestNftRuleset::badDocuments()
{
    QFETCH(QByteArray, json);
    auto rs = nft::parseRuleset(json.toStdString());
    QVERIFY(!rs);
    QVERIFY(!rs.error().message.empty());
    // Odd members are skipped, not fatal.
    auto odd = nft::parseRuleset(R"({"nftables":[1,"x",{"rule":5},{"table":{"family":7}},{"rule":{"expr":"no"}},{"a":{},"b":{}}]})");
    QVERIFY(odd);
    QCOMPARE(odd->tables.size(), std::size_t(1));
    QCOMPARE(odd->rules.size(), std::size_t(1));
}

void TestNftRuleset::modelRoundTripsOnTheWire()
{
    auto rs = nft::parseRuleset(fixture("ruleset.json"), fixture("ruleset-handles.txt"));
    QVERIFY(rs);
    rs->sshPeers = {"198.18.0.5"};
    rs->interfaces = {{"eth0", {"198.18.0.21/24", "fd00::21/64"}}, {"lo", {"127.0.0.1/8"}}};
    rs->defaultInterface = "eth0";
    const fw::Json j = *rs;
    auto back = j.get<fw::Ruleset>();
    QCOMPARE(back.rules, rs->rules);
    QCOMPARE(back.chains, rs->chains);
    QCOMPARE(back.sets, rs->sets);
    QCOMPARE(back.tables, rs->tables);
    QCOMPARE(back.hash, rs->hash);
    QCOMPARE(back.sshPeers, rs->sshPeers);
    QCOMPARE(back.interfaces, rs->interfaces);
    QCOMPARE(back.defaultInterface, rs->defaultInterface);
    QCOMPARE(nft::rulesetHash(back), rs->hash); // host facts are not part of the version
    // Checked decoding: a negative handle is refused.
    fw::Json bad = j;
    bad["rules"][0]["handle"] = -1;
    bool threw = false;
    try {
        (void)bad.get<fw::Ruleset>();
    } catch (const std::exception&) {
        threw = true;
    }
    QVERIFY(threw);
    // confirmWithin is 10..600.
    fw::ApplyParams p;
    p.changes.baseHash = "x";
    p.confirmWithin = 5;
    fw::Json pj = p;
    threw = false;
    try {
        (void)pj.get<fw::ApplyParams>();
    } catch (const std::exception&) {
        threw = true;
    }
    QVERIFY(threw);
    pj["confirmWithin"] = 600;
    QCOMPARE(pj.get<fw::ApplyParams>().confirmWithin, 600);
    pj.erase("confirmWithin");
    QCOMPARE(pj.get<fw::ApplyParams>().confirmWithin, fw::kConfirmDefault);
}

void TestNftRuleset::changeSetScript()
{
    fw::ChangeSet cs;
    cs.baseHash = "h";
    fw::Change add = mk(fw::ChangeOp::AddRule, "input");
    add.rule = "tcp dport 8443 accept comment \"new; web\"";
    fw::Change ins = add;
    ins.op = fw::ChangeOp::InsertRule;
    ins.position = 12;
    ins.rule = "ip saddr 198.18.66.1 drop";
    fw::Change del = mk(fw::ChangeOp::DeleteRule, "input");
    del.handle = 16;
    fw::Change pol = mk(fw::ChangeOp::SetPolicy, "forward");
    pol.policy = "drop";
    fw::Change el = mk(fw::ChangeOp::AddElements, "");
    el.set = "web_ports";
    el.elements = {"8080", "8443"};
    fw::Change raw;
    raw.op = fw::ChangeOp::Raw;
    raw.text = "add table ip extra";
    cs.changes = {add, ins, del, pol, el, raw};
    auto script = fw::toNftScript(cs);
    QVERIFY2(script, script ? "" : script.error().message.c_str());
    QCOMPARE(*script, std::string("add rule inet hadeck_filter input tcp dport 8443 accept comment \"new; web\"\n"
                                  "insert rule inet hadeck_filter input position 12 ip saddr 198.18.66.1 drop\n"
                                  "delete rule inet hadeck_filter input handle 16\n"
                                  "chain inet hadeck_filter forward { policy drop ; }\n"
                                  "add element inet hadeck_filter web_ports { 8080, 8443 }\n"
                                  "add table ip extra\n"));
    // And back from the wire.
    const fw::Json j = cs;
    QCOMPARE(j.get<fw::ChangeSet>(), cs);
}

void TestNftRuleset::changeSetRefusesInjection_data()
{
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("value");
    QTest::newRow("rule with ;") << "rule" << "accept; flush ruleset";
    QTest::newRow("rule with newline") << "rule" << "accept\nflush ruleset";
    QTest::newRow("unbalanced quote") << "rule" << "accept comment \"x";
    QTest::newRow("table with space") << "table" << "a b";
    QTest::newRow("chain with brace") << "chain" << "input{";
    QTest::newRow("family") << "family" << "ipx";
    QTest::newRow("empty rule") << "rule" << "";
}

void TestNftRuleset::changeSetRefusesInjection()
{
    QFETCH(QString, field);
    QFETCH(QString, value);
    fw::Change c = mk(fw::ChangeOp::AddRule, "input");
    c.table = "t";
    c.rule = "accept";
    const std::string v = value.toStdString();
    if (field == "rule") {
        c.rule = v;
    } else if (field == "table") {
        c.table = v;
    } else if (field == "chain") {
        c.chain = v;
    } else {
        c.family = v;
    }
    auto script = fw::toNftScript(fw::ChangeSet{"h", {c}});
    QVERIFY(!script);
    QVERIFY(script.error().message.rfind("change 1: ", 0) == 0);
    QVERIFY(!fw::toNftScript(fw::ChangeSet{"h", {}}));
}

void TestNftRuleset::rawTextOnlyChanges_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QString>("refused"); // a word of the refusal, or empty: accepted
    QTest::newRow("add") << QByteArray("add rule inet f input tcp dport 22 accept") << QString();
    QTest::newRow("block")
        << QByteArray("table inet f {\n chain input { type filter hook input priority 0; policy drop; }\n}\n")
        << QString();
    QTest::newRow("flush and define") << QByteArray(
                                             "flush ruleset\ndefine p = 22\nadd rule inet f input tcp dport $p accept")
                                      << QString();
    QTest::newRow("reset as a reject's word") << QByteArray("add rule inet f input reject with tcp reset") << QString();
    QTest::newRow("words in quotes and comments")
        << QByteArray("add rule inet f input accept comment \"include monitor\" # list include\n") << QString();
    QTest::newRow("include") << QByteArray("include \"/etc/shadow\"") << QStringLiteral("include");
    QTest::newRow("include in a block") << QByteArray("table inet f {\n include \"/root/x\"\n}")
                                        << QStringLiteral("include");
    QTest::newRow("include after ;") << QByteArray("add table inet f;include \"/x\"") << QStringLiteral("include");
    QTest::newRow("monitor") << QByteArray("monitor") << QStringLiteral("'monitor'");
    QTest::newRow("monitor after a block") << QByteArray("table inet f { }monitor") << QStringLiteral("'monitor'");
    QTest::newRow("monitor on line 2") << QByteArray("add table inet f\n\tmonitor trace") << QStringLiteral("line 2");
    QTest::newRow("list") << QByteArray("list ruleset") << QStringLiteral("'list'");
    QTest::newRow("reset counters") << QByteArray("reset counters") << QStringLiteral("'reset'");
    QTest::newRow("export after ;") << QByteArray("add table inet f ; export ruleset") << QStringLiteral("'export'");
    QTest::newRow("describe") << QByteArray("describe tcp dport") << QStringLiteral("'describe'");
    QTest::newRow("get") << QByteArray("get element inet f s { 1 }") << QStringLiteral("'get'");
    QTest::newRow("import") << QByteArray("import ruleset json") << QStringLiteral("'import'");
    QTest::newRow("NUL") << QByteArray("add table inet f\0include \"/x\"", 29) << QStringLiteral("NUL");
    QTest::newRow("NUL in a comment") << QByteArray("# x\0\ninclude", 12) << QStringLiteral("NUL");
}

// Raw text, a rule and an element all go through libnftables as root: nothing that reads a file
// or waits instead of changing the ruleset is taken, and real rulesets are.
void TestNftRuleset::rawTextOnlyChanges()
{
    QFETCH(QByteArray, text);
    QFETCH(QString, refused);
    const auto problem = fw::nftTextProblem(std::string_view(text.constData(), static_cast<std::size_t>(text.size())));
    if (refused.isEmpty()) {
        QVERIFY2(!problem, problem ? problem->c_str() : "");
    } else {
        QVERIFY(problem);
        QVERIFY2(QString::fromStdString(*problem).contains(refused), problem->c_str());
    }
    fw::Change raw;
    raw.op = fw::ChangeOp::Raw;
    raw.text = text.toStdString();
    const auto script = fw::toNftScript(fw::ChangeSet{"h", {raw}});
    QCOMPARE(bool(script), refused.isEmpty());
    // The ruleset files this suite applies and the listings nft prints are accepted as they are.
    for (const char* name : {"node.nft", "ruleset-handles.txt"}) {
        const std::string file = fixture(name);
        QVERIFY(!file.empty());
        const auto p = fw::nftTextProblem(file);
        QVERIFY2(!p, p ? p->c_str() : "");
    }
}

void TestNftRuleset::listingDiffNamesTheChange()
{
    const std::string before = fixture("ruleset-handles.txt");
    std::string after = before;
    const std::string line = "\t\tudp dport 53 accept # handle 16\n";
    const auto pos = after.find(line);
    QVERIFY(pos != std::string::npos);
    after.replace(pos, line.size(), "\t\ttcp dport 8443 counter packets 4 bytes 240 accept # handle 30\n");
    // Counters alone are no change.
    std::string counted = before;
    counted.replace(counted.find("packets 1 bytes 60"), 18, "packets 9 bytes 99");
    QVERIFY(nft::listingDiff(before, counted).empty());
    const auto diff = nft::listingDiff(before, after);
    QCOMPARE(diff, (std::vector<std::string>{"- [table inet hadeck_filter chain input] udp dport 53 accept",
                                             "+ [table inet hadeck_filter chain input] tcp dport 8443 counter accept"}));
}

void TestNftRuleset::defaultRouteFromProcNetRoute()
{
    // Captured in the lab: web1 routes by default through gw on eth0; gw itself has no default route.
    QCOMPARE(nft::defaultRouteInterface(fixture("proc-net-route-web1.txt")), std::string("eth0"));
    QCOMPARE(nft::defaultRouteInterface(fixture("proc-net-route-gw.txt")), std::string());
    QCOMPARE(nft::defaultRouteInterface(""), std::string());
    QCOMPARE(nft::defaultRouteInterface("Iface\tDestination\n"), std::string());
    // A default route that is not up does not count; a garbled flags field neither.
    QCOMPARE(nft::defaultRouteInterface("h\neth7\t00000000\t010012C6\t0002\t0\t0\t0\t00000000\t0\t0\t0\n"),
             std::string());
    QCOMPARE(nft::defaultRouteInterface("h\neth7\t00000000\t010012C6\tzz\t0\t0\t0\t00000000\t0\t0\t0\n"),
             std::string());
    QCOMPARE(nft::defaultRouteInterface("h\neth7\t00000000\t010012C6\t0003\t0\t0\t0\t00000000\t0\t0\t0"),
             std::string("eth7"));
}

QTEST_APPLESS_MAIN(TestNftRuleset)
#include "tst_nft_ruleset.moc"
