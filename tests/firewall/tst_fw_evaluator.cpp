// The console's rule evaluator on rulesets captured from the real nft
// (tests/data/firewall): which rule decides, accept or drop, and "cannot judge"
// for what it does not understand.

#include "hadeck/console/firewall/evaluator.h"
#include "hadeck/probes/nft_ruleset.h"

#include <QtTest>

using namespace hadeck;
using console::fw::Decision;
using console::fw::Packet;
using console::fw::Verdict;

Q_DECLARE_METATYPE(console::fw::Verdict)

namespace {
proto::fw::Ruleset load(const char* json, const char* listing)
{
    const auto read = [](const char* name) {
        QFile f(QStringLiteral(HADECK_TEST_DATA "/firewall/") + QString::fromLatin1(name));
        if (!f.open(QIODevice::ReadOnly)) {
            qFatal("cannot read %s", name);
        }
        return f.readAll().toStdString();
    };
    auto rs = probes::nft::parseRuleset(read(json), listing ? read(listing) : std::string());
    if (!rs) {
        qFatal("%s", rs.error().message.c_str());
    }
    return *rs;
}

Packet tcp(const std::string& saddr, const std::string& daddr, std::uint16_t dport, const std::string& hook = "input")
{
    Packet p;
    p.hook = hook;
    p.saddr = saddr;
    p.daddr = daddr;
    p.l4proto = 6;
    p.sport = 40000;
    p.dport = dport;
    return p;
}

/// An ip table "t" with the base chain "input" (filter, policy drop) and the regular chains @p regular.
proto::fw::Ruleset table(const std::vector<std::string>& regular = {})
{
    proto::fw::Ruleset rs;
    rs.tables.push_back({"ip", "t", 1, false});
    proto::fw::Chain input;
    input.family = "ip";
    input.table = "t";
    input.name = "input";
    input.type = "filter";
    input.hook = "input";
    input.priority = 0;
    input.policy = "drop";
    rs.chains.push_back(input);
    for (const auto& name : regular) {
        proto::fw::Chain c;
        c.family = "ip";
        c.table = "t";
        c.name = name;
        rs.chains.push_back(c);
    }
    return rs;
}

/// Appends a rule of @p chain with the libnftables statements @p expr; its handle is its position.
void addRule(proto::fw::Ruleset& rs, const std::string& chain, const std::string& expr)
{
    proto::fw::Rule r;
    r.family = "ip";
    r.table = "t";
    r.chain = chain;
    r.handle = rs.rules.size() + 1;
    r.text = expr;
    r.expr = proto::fw::Json::parse(expr);
    rs.rules.push_back(r);
}

/// The named set "s" of table t with @p elements.
void addSet(proto::fw::Ruleset& rs, const std::string& elements)
{
    proto::fw::NamedSet s;
    s.family = "ip";
    s.table = "t";
    s.name = "s";
    s.type = "ipv4_addr";
    s.elements = proto::fw::Json::parse(elements);
    rs.sets.push_back(s);
}

/// evaluate(), with an exception out of it a failure of the test rather than its end.
Decision evaluated(const proto::fw::Ruleset& rs, const Packet& p)
{
    try {
        return console::fw::evaluate(rs, p);
    } catch (const std::exception& e) {
        Decision d;
        d.chain = std::string("exception: ") + e.what();
        return d;
    }
}
} // namespace

class TestFwEvaluator : public QObject {
    Q_OBJECT
private slots:
    void nodeRuleset_data();
    void nodeRuleset();
    void elementsWithOptions_data();
    void elementsWithOptions();
    void iptablesNftCannotBeJudged();
    void ipv6AndOtherFamilies();
    void noFilterChainAccepts();
    void malformedExpressionsCannotBeJudged_data();
    void malformedExpressionsCannotBeJudged();
    void jumpsAreFollowedOncePerChain();
    void sameChainDeeperHitsTheCap();
    void selfReferringSetCannotBeJudged();
};

void TestFwEvaluator::nodeRuleset_data()
{
    QTest::addColumn<Packet>("packet");
    QTest::addColumn<Verdict>("verdict");
    QTest::addColumn<QString>("chain");
    QTest::addColumn<int>("handle");

    QTest::newRow("ssh from admin net") << tcp("198.18.0.5", "198.18.1.10", 22) << Verdict::Accept << "input" << 12;
    QTest::newRow("ssh from admin /28") << tcp("198.18.9.14", "198.18.1.10", 22) << Verdict::Accept << "input" << 12;
    QTest::newRow("ssh from elsewhere: reject") << tcp("198.18.5.5", "198.18.1.10", 22) << Verdict::Drop << "input" << 19;
    QTest::newRow("web port in named set") << tcp("198.18.5.5", "198.18.1.10", 443) << Verdict::Accept << "input" << 13;
    QTest::newRow("mariadb from cluster net") << tcp("198.18.1.20", "198.18.1.10", 3306) << Verdict::Accept << "input" << 15;
    QTest::newRow("moosefs range") << tcp("198.18.1.20", "198.18.1.10", 9421) << Verdict::Accept << "input" << 15;
    QTest::newRow("moosefs from outside") << tcp("198.18.7.1", "198.18.1.10", 9421) << Verdict::Drop << "input" << 19;
    QTest::newRow("vmap drop") << tcp("198.18.7.1", "198.18.1.10", 8080) << Verdict::Drop << "input" << 18;
    QTest::newRow("vmap accept") << tcp("198.18.7.1", "198.18.1.10", 9000) << Verdict::Accept << "input" << 18;
    Packet established = tcp("198.18.7.1", "198.18.1.10", 5555);
    established.ctState = "established";
    QTest::newRow("established") << established << Verdict::Accept << "input" << 8;
    Packet invalid = tcp("198.18.7.1", "198.18.1.10", 22);
    invalid.ctState = "invalid";
    QTest::newRow("invalid") << invalid << Verdict::Drop << "input" << 10;
    Packet lo = tcp("127.0.0.1", "127.0.0.1", 81);
    lo.iif = "lo";
    QTest::newRow("loopback") << lo << Verdict::Accept << "input" << 9;
    Packet vrrp;
    vrrp.saddr = "198.18.1.2";
    vrrp.daddr = "224.0.0.18";
    vrrp.l4proto = 112;
    QTest::newRow("vrrp between directors") << vrrp << Verdict::Accept << "input" << 11;
    vrrp.saddr = "198.18.2.2";
    QTest::newRow("vrrp from elsewhere: policy") << vrrp << Verdict::Drop << "input" << 0;
    Packet dns = tcp("198.18.7.1", "198.18.1.10", 53);
    dns.l4proto = 17;
    QTest::newRow("udp dns") << dns << Verdict::Accept << "input" << 16;
    Packet ping;
    ping.saddr = "198.18.7.1";
    ping.daddr = "198.18.1.10";
    ping.l4proto = 1;
    QTest::newRow("icmp type and limit: cannot judge") << ping << Verdict::CannotJudge << "input" << 17;
    Packet ssh = tcp("198.18.5.5", "198.18.1.10", 22);
    ssh.iif = "";
    // Interface unknown, not loopback: "iifname lo" is judged false, not unknown.
    QTest::newRow("unknown iif is not lo") << ssh << Verdict::Drop << "input" << 19;

    Packet fwdOk = tcp("198.18.7.1", "198.18.100.10", 443, "forward");
    fwdOk.oif = "eth1";
    QTest::newRow("forward to vip") << fwdOk << Verdict::Accept << "forward" << 22;
    Packet fwdJump = tcp("198.18.66.9", "198.18.100.10", 22, "forward");
    fwdJump.oif = "eth1";
    QTest::newRow("forward jump drop") << fwdJump << Verdict::Drop << "fwd_extra" << 24;
    Packet fwdReturn = tcp("198.18.7.1", "198.18.100.10", 22, "forward");
    fwdReturn.oif = "eth1";
    QTest::newRow("forward return then policy") << fwdReturn << Verdict::Accept << "forward" << 0;
    Packet fwdNoOif = tcp("198.18.7.1", "198.18.100.10", 443, "forward");
    QTest::newRow("forward, oif unknown: cannot judge") << fwdNoOif << Verdict::CannotJudge << "forward" << 22;
    QTest::newRow("output: policy accept") << tcp("198.18.1.10", "198.18.7.1", 22, "output") << Verdict::Accept << "output" << 0;
}

void TestFwEvaluator::nodeRuleset()
{
    QFETCH(Packet, packet);
    QFETCH(Verdict, verdict);
    QFETCH(QString, chain);
    QFETCH(int, handle);
    const auto rs = load("ruleset.json", "ruleset-handles.txt");
    const Decision d = console::fw::evaluate(rs, packet);
    const QString where = QString::fromStdString(console::fw::describe(packet) + " -> " + d.chain + " #" +
                                                 std::to_string(d.handle) + " " + d.ruleText + " (" + d.reason() + ")");
    QVERIFY2(d.verdict == verdict, qPrintable(where));
    QCOMPARE(QString::fromStdString(d.chain), chain);
    QCOMPARE(d.handle, std::uint64_t(handle));
    QCOMPARE(d.table, std::string("hadeck_filter"));
    if (handle != 0) {
        QVERIFY(!d.ruleText.empty());
    } else {
        QVERIFY(d.reason().rfind("policy ", 0) == 0);
    }
    if (verdict == Verdict::CannotJudge) {
        QVERIFY(!d.reason().empty());
    }
}

void TestFwEvaluator::elementsWithOptions_data()
{
    QTest::addColumn<Packet>("packet");
    QTest::addColumn<Verdict>("verdict");
    QTest::addColumn<int>("handle");
    // An element with a comment (or a timeout) is {"elem":{"val":...,"comment":...}} in nft's
    // JSON, in sets and as a verdict map's key alike (elements-with-options.nft).
    QTest::newRow("set element with a comment") << tcp("198.18.0.7", "198.18.1.10", 2222) << Verdict::Accept << 4;
    QTest::newRow("set element without") << tcp("198.18.9.2", "198.18.1.10", 2222) << Verdict::Accept << 4;
    QTest::newRow("in no set element") << tcp("198.18.5.5", "198.18.1.10", 2222) << Verdict::Drop << 0;
    QTest::newRow("anonymous vmap, commented accept") << tcp("198.18.5.5", "198.18.1.10", 22) << Verdict::Accept << 6;
    QTest::newRow("anonymous vmap, commented drop") << tcp("198.18.5.5", "198.18.1.10", 23) << Verdict::Drop << 6;
    QTest::newRow("named vmap, commented drop") << tcp("198.18.5.5", "198.18.1.10", 8080) << Verdict::Drop << 7;
    QTest::newRow("named vmap, plain accept") << tcp("198.18.5.5", "198.18.1.10", 9000) << Verdict::Accept << 7;
    QTest::newRow("in no map: policy") << tcp("198.18.5.5", "198.18.1.10", 24) << Verdict::Drop << 0;
}

void TestFwEvaluator::elementsWithOptions()
{
    QFETCH(Packet, packet);
    QFETCH(Verdict, verdict);
    QFETCH(int, handle);
    const auto rs = load("elements-with-options.json", "elements-with-options-handles.txt");
    const Decision d = evaluated(rs, packet);
    QVERIFY2(d.verdict == verdict, (console::fw::describe(packet) + " -> " + d.chain + " #" + std::to_string(d.handle) +
                                    " (" + d.reason() + ")")
                                       .c_str());
    QCOMPARE(d.handle, std::uint64_t(handle));
}

void TestFwEvaluator::iptablesNftCannotBeJudged()
{
    const auto rs = load("iptables-nft.json", "iptables-nft-handles.txt");
    // Accepted by hadeck_filter, then iptables-nft's INPUT chain: 198.18.5.0/24 -> 22 is accepted there.
    Decision d = console::fw::evaluate(rs, tcp("198.18.0.5", "198.18.1.10", 22));
    QVERIFY2(d.verdict == Verdict::CannotJudge, d.reason().c_str());
    // The x_tables "comment" match of rule 3 is not understood: never a silent pass.
    QCOMPARE(d.table, std::string("filter"));
    QCOMPARE(d.handle, std::uint64_t(3));
    QVERIFY2(d.reason().find("xt") != std::string::npos, d.reason().c_str());
    // The reason is a sentence for the console's catalog and its arguments; the English is both filled in.
    QVERIFY(!d.why.empty());
    QCOMPARE(d.why.english(), d.reason());
    d = console::fw::evaluate(rs, tcp("198.18.5.1", "198.18.1.10", 443));
    QVERIFY(d.verdict == Verdict::CannotJudge || d.verdict == Verdict::Accept);
    // A drop found anyway is a drop.
    d = console::fw::evaluate(rs, tcp("198.18.5.5", "198.18.1.10", 2222));
    QVERIFY(d.verdict == Verdict::Drop);
    QCOMPARE(d.table, std::string("hadeck_filter"));
}

void TestFwEvaluator::ipv6AndOtherFamilies()
{
    const auto rs = load("ruleset.json", "ruleset-handles.txt");
    Packet p = tcp("2001:db8::5", "2001:db8::10", 22);
    p.family = "ip6";
    // "ip saddr @admin_nets" does not hold for IPv6: rejected at 19; the ip-only nat table is not consulted.
    const Decision d = console::fw::evaluate(rs, p);
    QVERIFY(d.verdict == Verdict::Drop);
    QCOMPARE(d.handle, std::uint64_t(19));
    Packet bad = tcp("not-an-address", "198.18.1.10", 22);
    QVERIFY(console::fw::evaluate(rs, bad).verdict == Verdict::CannotJudge);
}

void TestFwEvaluator::noFilterChainAccepts()
{
    const proto::fw::Ruleset empty;
    const Decision d = console::fw::evaluate(empty, tcp("198.18.0.5", "198.18.1.10", 22));
    QVERIFY(d.verdict == Verdict::Accept);
    QVERIFY(d.chain.empty());
}

void TestFwEvaluator::malformedExpressionsCannotBeJudged_data()
{
    // What the agent sends is not trusted to be nft's JSON: whatever the shape, rule 1 cannot be
    // judged (it would accept), and the input chain's policy drop is not reported either.
    QTest::addColumn<QString>("expr");
    QTest::addColumn<QString>("set"); // elements of @s, or empty: no set
    const auto saddrIn = [](const char* right) {
        return QStringLiteral(
                   R"([{"match":{"op":"==","left":{"payload":{"protocol":"ip","field":"saddr"}},"right":%1}},{"accept":null}])")
            .arg(QLatin1String(right));
    };
    QTest::newRow("match a number") << R"([{"match":5},{"accept":null}])"
                                    << "";
    QTest::newRow("match an array") << R"([{"match":[1,2]},{"accept":null}])"
                                    << "";
    QTest::newRow("numeric protocol")
        << R"([{"match":{"op":"==","left":{"payload":{"protocol":6,"field":"dport"}},"right":22}},{"accept":null}])"
        << "";
    QTest::newRow("numeric field")
        << R"([{"match":{"op":"==","left":{"payload":{"protocol":"tcp","field":5}},"right":22}},{"accept":null}])"
        << "";
    QTest::newRow("numeric meta key") << R"([{"match":{"left":{"meta":{"key":1}},"right":"eth0"}},{"accept":null}])"
                                      << "";
    QTest::newRow("numeric ct key") << R"([{"match":{"left":{"ct":{"key":1}},"right":"new"}},{"accept":null}])"
                                    << "";
    QTest::newRow("numeric op")
        << R"([{"match":{"op":1,"left":{"payload":{"protocol":"tcp","field":"dport"}},"right":22}},{"accept":null}])"
        << "";
    QTest::newRow("no left, no right") << R"([{"match":{}},{"accept":null}])"
                                       << "";
    QTest::newRow("prefix, numeric address") << saddrIn(R"({"prefix":{"addr":1,"len":24}})") << "";
    QTest::newRow("prefix, text length") << saddrIn(R"({"prefix":{"addr":"198.18.5.0","len":"24"}})") << "";
    QTest::newRow("prefix, huge length") << saddrIn(R"({"prefix":{"addr":"198.18.5.0","len":1e300}})") << "";
    QTest::newRow("prefix, length too large") << saddrIn(R"({"prefix":{"addr":"198.18.5.0","len":4294967320}})") << "";
    QTest::newRow("set element, empty elem") << saddrIn(R"({"set":[{"elem":{}}]})") << "";
    QTest::newRow("set element, numeric elem") << saddrIn(R"({"set":[{"elem":1}]})") << "";
    QTest::newRow("named set, empty elem") << saddrIn(R"("@s")") << R"([{"elem":{}}])";
    QTest::newRow("named set, numeric elem") << saddrIn(R"("@s")") << R"([{"elem":1}])";
    QTest::newRow("named set, elem without val") << saddrIn(R"("@s")") << R"([{"elem":{"timeout":5}},["x",1]])";
    QTest::newRow("jump, numeric target") << R"([{"jump":{"target":5}}])"
                                          << "";
    QTest::newRow("goto, array target") << R"([{"goto":{"target":["input"]}}])"
                                        << "";
    QTest::newRow("vmap, odd key and data")
        << R"([{"vmap":{"key":{"meta":{"key":7}},"data":{"set":[[1,{"accept":null}]]}}}])"
        << "";
    QTest::newRow("vmap, numeric port key")
        << R"([{"vmap":{"key":{"payload":{"protocol":"tcp","field":"dport"}},"data":{"set":[[{"elem":3},{"accept":null}]]}}}])"
        << "";
}

void TestFwEvaluator::malformedExpressionsCannotBeJudged()
{
    QFETCH(QString, expr);
    QFETCH(QString, set);
    auto rs = table();
    addRule(rs, "input", expr.toStdString());
    if (!set.isEmpty()) {
        addSet(rs, set.toStdString());
    }
    const Decision d = evaluated(rs, tcp("198.18.5.5", "198.18.1.10", 22));
    QVERIFY2(d.verdict == Verdict::CannotJudge, (d.chain + ": " + d.reason()).c_str());
    QCOMPARE(d.chain, std::string("input"));
    QCOMPARE(d.handle, std::uint64_t(1));
    QVERIFY(!d.reason().empty());
}

void TestFwEvaluator::jumpsAreFollowedOncePerChain()
{
    // c1..c16 each jump 4 times to the next: 4^16 runs of c16 if each jump ran its chain again.
    // The packet is the same on every path, so one run per chain and depth says it all.
    constexpr int kChains = 16;
    std::vector<std::string> names;
    for (int i = 1; i <= kChains; ++i) {
        names.push_back("c" + std::to_string(i));
    }
    auto rs = table(names);
    for (int i = 0; i < kChains; ++i) {
        const std::string from = i == 0 ? "input" : names[static_cast<std::size_t>(i - 1)];
        for (int k = 0; k < 4; ++k) {
            addRule(rs, from, R"([{"jump":{"target":")" + names[static_cast<std::size_t>(i)] + R"("}}])");
        }
    }
    for (int k = 0; k < 4; ++k) {
        addRule(rs, "c16",
                R"([{"match":{"op":"==","left":{"payload":{"protocol":"tcp","field":"dport"}},"right":)" +
                    std::to_string(80 + k) + R"(}},{"accept":null}])");
    }
    // Not accepted in c16: back up every chain, the input chain's policy.
    Decision d = evaluated(rs, tcp("198.18.5.5", "198.18.1.10", 22));
    QVERIFY2(d.verdict == Verdict::Drop, (d.chain + ": " + d.reason()).c_str());
    QCOMPARE(d.chain, std::string("input"));
    QCOMPARE(d.handle, std::uint64_t(0));
    // Accepted by c16's third rule, through the first jump of each chain.
    d = evaluated(rs, tcp("198.18.5.5", "198.18.1.10", 82));
    QVERIFY2(d.verdict == Verdict::Accept, (d.chain + ": " + d.reason()).c_str());
    QCOMPARE(d.chain, std::string("c16"));
    QCOMPARE(d.handle, std::uint64_t(kChains * 4 + 3));
}

void TestFwEvaluator::sameChainDeeperHitsTheCap()
{
    // x is run twice: from the input chain (and returns), then at the end of 16 jumps, where its
    // own jump is one more than the evaluator follows. A chain's run is only reused at the same
    // depth: the second one cannot be judged, not taken for the first one's "return".
    constexpr int kChains = 16;
    std::vector<std::string> names{"x", "y"};
    for (int i = 1; i <= kChains; ++i) {
        names.push_back("a" + std::to_string(i));
    }
    auto rs = table(names);
    addRule(rs, "input", R"([{"jump":{"target":"x"}}])");
    addRule(rs, "input", R"([{"jump":{"target":"a1"}}])");
    addRule(rs, "x", R"([{"jump":{"target":"y"}}])");
    for (int i = 1; i < kChains; ++i) {
        addRule(rs, "a" + std::to_string(i), R"([{"jump":{"target":"a)" + std::to_string(i + 1) + R"("}}])");
    }
    addRule(rs, "a16", R"([{"jump":{"target":"x"}}])");
    const Decision d = evaluated(rs, tcp("198.18.5.5", "198.18.1.10", 22));
    QVERIFY2(d.verdict == Verdict::CannotJudge, (d.chain + ": " + d.reason()).c_str());
    QCOMPARE(d.chain, std::string("x"));
    QCOMPARE(d.reason(), std::string("jumps nest too deep"));
}

void TestFwEvaluator::selfReferringSetCannotBeJudged()
{
    // A named set whose elements name itself: each lookup 4 more, down to the nesting cap
    // (4^17 lookups). The evaluator stops at its budget and says it cannot judge.
    auto rs = table();
    addSet(rs, R"(["@s","@s","@s","@s"])");
    addRule(
        rs, "input",
        R"([{"match":{"op":"==","left":{"payload":{"protocol":"ip","field":"saddr"}},"right":"@s"}},{"accept":null}])");
    const Decision d = evaluated(rs, tcp("198.18.5.5", "198.18.1.10", 22));
    QVERIFY2(d.verdict == Verdict::CannotJudge, (d.chain + ": " + d.reason()).c_str());
    QCOMPARE(d.handle, std::uint64_t(1));
    QVERIFY2(d.reason().rfind("more than ", 0) == 0, d.reason().c_str());
}

QTEST_APPLESS_MAIN(TestFwEvaluator)
#include "tst_fw_evaluator.moc"
