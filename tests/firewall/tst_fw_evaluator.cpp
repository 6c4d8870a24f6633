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
} // namespace

class TestFwEvaluator : public QObject {
    Q_OBJECT
private slots:
    void nodeRuleset_data();
    void nodeRuleset();
    void iptablesNftCannotBeJudged();
    void ipv6AndOtherFamilies();
    void noFilterChainAccepts();
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

QTEST_APPLESS_MAIN(TestFwEvaluator)
#include "tst_fw_evaluator.moc"
