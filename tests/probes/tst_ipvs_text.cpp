// /proc/net/ip_vs, /proc/net/ip_vs_stats and ipvsadm -Ln listings, on
// fixtures captured from Debian's 6.1 kernel and ipvsadm 1.31 (tests/data/ipvs/README.md).

#include "hadeck/probes/ipvs_text.h"

#include "fixture.h"

#include <QtTest>

#include <algorithm>

using namespace hadeck;
using namespace hadeck::probes;
using proto::ForwardMethod;
using proto::VirtualService;

namespace {

const VirtualService* find(const std::vector<VirtualService>& v, const std::string& key)
{
    const auto it = std::find_if(v.begin(), v.end(), [&](const VirtualService& s) { return s.key() == key; });
    return it == v.end() ? nullptr : &*it;
}

QString describeDests(const VirtualService& vs)
{
    QStringList out;
    for (const auto& rs : vs.realServers) {
        out << QStringLiteral("%1 %2 w%3 a%4 i%5")
                   .arg(q(rs.endpoint()))
                   .arg(static_cast<int>(rs.forward))
                   .arg(rs.weight)
                   .arg(rs.activeConns)
                   .arg(rs.inactiveConns);
    }
    out.sort();
    return out.join(QStringLiteral("; "));
}

} // namespace

class TestIpvsText : public QObject {
    Q_OBJECT
private slots:
    void procServices_data();
    void procServices();
    void procDests_data();
    void procDests();
    void procEmpty();
    void procKeepalivedTable();
    void procMatchesIpvsadm();
    void procBad_data();
    void procBad();
    void procHz();
    void procStructureStamp();
    void stats();
    void statsBad();
    void ipvsadmListings_data();
    void ipvsadmListings();
    void ipvsadmBad_data();
    void ipvsadmBad();
};

void TestIpvsText::procStructureStamp()
{
    const std::string text = fixture(QStringLiteral("ipvs/ip_vs.txt"));
    const auto base = procIpVsStructureStamp(text);
    const auto replaced = [&](const std::string& from, const std::string& to) {
        std::string t = text;
        const auto at = t.find(from);
        if (at == std::string::npos) {
            qFatal("fixture line not found");
        }
        return t.replace(at, from.size(), to);
    };
    // Connection counts move with traffic, spacing is the kernel's: the structure is the same.
    QCOMPARE(procIpVsStructureStamp(replaced("Masq    3      0          8", "Masq    3      12         40")), base);
    QCOMPARE(procIpVsStructureStamp(replaced("Masq    3      0          8", "Masq 3 0 8")), base);
    // A weight, a forwarding method, a real server or service gone, a scheduler: another structure.
    QVERIFY(procIpVsStructureStamp(replaced("Masq    3      0          8", "Masq    0      0          8")) != base);
    QVERIFY(procIpVsStructureStamp(replaced("C612010B:0050      Masq", "C612010B:0050      Route")) != base);
    QVERIFY(procIpVsStructureStamp(replaced("  -> C612010B:0050      Masq    3      0          8         \n", "")) !=
            base);
    QVERIFY(procIpVsStructureStamp(replaced("TCP  C6120064:0050 wlc", "TCP  C6120064:0050 rr")) != base);
    QVERIFY(procIpVsStructureStamp(fixture(QStringLiteral("ipvs/ip_vs-empty.txt"))) != base);
    // Fields are kept apart: a weight of 1 followed by 23 connections is not a weight of 12.
    QVERIFY(procIpVsStructureStamp("TCP  C6120064:0050 wlc\n  -> C612010B:0050 Masq 1 23 0\n") !=
            procIpVsStructureStamp("TCP  C6120064:0050 wlc\n  -> C612010B:0050 Masq 12 3 0\n"));
}

void TestIpvsText::procServices_data()
{
    QTest::addColumn<QString>("key");
    QTest::addColumn<int>("af");
    QTest::addColumn<QString>("scheduler");
    QTest::addColumn<bool>("persistent");
    QTest::addColumn<uint>("timeout");
    QTest::addColumn<QString>("netmask");
    QTest::addColumn<uint>("flags");
    QTest::addColumn<int>("dests");

    QTest::newRow("tcp v4 wlc") << "TCP 198.18.0.100:80" << 4 << "wlc" << false << 0u << "255.255.255.255" << 0u << 2;
    QTest::newRow("tcp v4 persistent 300 s = 75000 jiffies")
        << "TCP 198.18.0.101:443" << 4 << "rr" << true << 300u << "255.255.255.255" << 1u << 2;
    QTest::newRow("udp sh") << "UDP 198.18.0.100:53" << 4 << "sh" << false << 0u << "255.255.255.255" << 0u << 1;
    QTest::newRow("udp one-packet") << "UDP 198.18.0.104:5353" << 4 << "rr" << false << 0u << "255.255.255.255"
                                    << 4u << 1;
    QTest::newRow("sctp") << "SCTP 198.18.0.102:3868" << 4 << "lc" << false << 0u << "255.255.255.255" << 0u << 1;
    QTest::newRow("tcp v6") << "TCP [2001:db8::100]:80" << 6 << "wrr" << false << 0u << "128" << 0u << 2;
    QTest::newRow("fwmark v4 with mask") << "FWM 7" << 4 << "wrr" << true << 60u << "255.255.255.0" << 1u << 2;
    QTest::newRow("fwmark v6 prefix 64") << "FWM6 9" << 6 << "rr" << true << 120u << "64" << 1u << 1;
}

void TestIpvsText::procServices()
{
    QFETCH(QString, key);
    const auto table = parseProcIpVs(fixture(QStringLiteral("ipvs/ip_vs.txt")));
    QVERIFY2(table.hasValue(), table.hasValue() ? "" : table.error().message.c_str());
    QCOMPARE(table->size(), std::size_t{8});
    const auto* vs = find(*table, key.toStdString());
    QVERIFY2(vs, qPrintable(key));
    QTEST(vs->af, "af");
    QTEST(q(vs->scheduler), "scheduler");
    QTEST(vs->persistent, "persistent");
    QTEST(vs->timeout, "timeout");
    QTEST(q(vs->netmask), "netmask");
    QTEST(vs->flags, "flags");
    QTEST(static_cast<int>(vs->realServers.size()), "dests");
}

void TestIpvsText::procDests_data()
{
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("dests");
    QTest::newRow("masq, weight 0, inactive conns")
        << "TCP 198.18.0.100:80" << "198.18.1.11:80 0 w3 a0 i8; 198.18.1.12:80 0 w0 a0 i0";
    QTest::newRow("tunnel weight 65535 and route")
        << "TCP 198.18.0.101:443" << "198.18.1.11:443 3 w1 a0 i0; 198.18.1.13:443 2 w65535 a0 i0";
    QTest::newRow("v6 dests, port 8080")
        << "TCP [2001:db8::100]:80" << "[2001:db8:1::11]:80 3 w7 a0 i0; [2001:db8:1::12]:8080 0 w1 a0 i0";
    QTest::newRow("fwmark port 0") << "FWM 7" << "198.18.1.11:0 3 w2 a0 i0; 198.18.1.12:0 3 w4 a0 i0";
    QTest::newRow("fwmark v6 dest") << "FWM6 9" << "[2001:db8:1::11]:0 3 w1 a0 i0";
}

void TestIpvsText::procDests()
{
    QFETCH(QString, key);
    QFETCH(QString, dests);
    const auto table = parseProcIpVs(fixture(QStringLiteral("ipvs/ip_vs.txt")));
    QVERIFY(table.hasValue());
    const auto* vs = find(*table, key.toStdString());
    QVERIFY(vs);
    QCOMPARE(describeDests(*vs), dests);
}

void TestIpvsText::procEmpty()
{
    const auto table = parseProcIpVs(fixture(QStringLiteral("ipvs/ip_vs-empty.txt")));
    QVERIFY(table.hasValue());
    QVERIFY(table->empty());
}

void TestIpvsText::procKeepalivedTable()
{
    // keepalived's checker left 198.18.1.12 inhibited (weight 0) after a failed TCP_CHECK.
    const auto table = parseProcIpVs(fixture(QStringLiteral("ipvs/ip_vs-keepalived.txt")));
    QVERIFY(table.hasValue());
    QCOMPARE(table->size(), std::size_t{1});
    QCOMPARE(describeDests(table->front()), QStringLiteral("198.18.1.11:80 3 w2 a0 i0; 198.18.1.12:80 3 w0 a0 i0"));
}

void TestIpvsText::procMatchesIpvsadm()
{
    // Both captured from the same kernel table one after the other.
    const auto proc = parseProcIpVs(fixture(QStringLiteral("ipvs/ip_vs.txt")));
    const auto adm = parseIpvsadmList(fixture(QStringLiteral("ipvs/ipvsadm-Ln.txt")));
    QVERIFY(proc.hasValue());
    QVERIFY2(adm.hasValue(), adm.hasValue() ? "" : adm.error().message.c_str());
    QCOMPARE(proc->size(), adm->size());
    for (const auto& a : *adm) {
        const auto* p = find(*proc, a.key());
        QVERIFY2(p, a.key().c_str());
        QCOMPARE(q(p->scheduler), q(a.scheduler));
        QCOMPARE(p->persistent, a.persistent);
        QCOMPARE(p->timeout, a.timeout);
        QCOMPARE(q(p->netmask), q(a.netmask));
        QCOMPARE(p->flags, a.flags);
        QCOMPARE(describeDests(*p), describeDests(a));
    }
}

void TestIpvsText::procBad_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("error");
    const QString head = QStringLiteral("IP Virtual Server version 1.2.1 (size=4096)\n"
                                        "Prot LocalAddress:Port Scheduler Flags\n"
                                        "  -> RemoteAddress:Port Forward Weight ActiveConn InActConn\n");
    QTest::newRow("empty") << "" << "not an IPVS table";
    QTest::newRow("other file") << "Pro FromIP FPrt ToIP\n" << "not an IPVS table";
    QTest::newRow("dest first") << head + "  -> C612010B:0050      Masq    3      0          8\n"
                                << "real server before any virtual service at line 4";
    QTest::newRow("unknown protocol") << head + "ICMP  C6120064:0050 wlc\n" << "unknown protocol \"ICMP\" at line 4";
    QTest::newRow("bad address") << head + "TCP  C61200:0050 wlc\n" << "malformed virtual address at line 4";
    QTest::newRow("bad forward") << head + "TCP  C6120064:0050 wlc\n  -> C612010B:0050 Bogus 3 0 8\n"
                                 << "malformed real server at line 5";
    QTest::newRow("truncated dest") << head + "TCP  C6120064:0050 wlc\n  -> C612010B:0050 Masq 3\n"
                                    << "expected \"-> address:port forward weight active inactive\" at line 5";
    QTest::newRow("weight overflow") << head + "TCP  C6120064:0050 wlc\n  -> C612010B:0050 Masq 99999999999 0 0\n"
                                     << "malformed real server at line 5";
    QTest::newRow("bad persistence") << head + "TCP  C6120064:0050 rr persistent x FFFFFFFF\n"
                                     << "malformed persistence at line 4";
}

void TestIpvsText::procBad()
{
    QFETCH(QString, text);
    QFETCH(QString, error);
    const auto r = parseProcIpVs(text.toStdString());
    QVERIFY(!r.hasValue());
    QVERIFY2(q(r.error().message).startsWith(error), r.error().message.c_str());
}

void TestIpvsText::procHz()
{
    const auto r = parseProcIpVs(fixture(QStringLiteral("ipvs/ip_vs.txt")), 1000);
    QVERIFY(r.hasValue());
    QCOMPARE(find(*r, "TCP 198.18.0.101:443")->timeout, 75u);
    QVERIFY(!parseProcIpVs(fixture(QStringLiteral("ipvs/ip_vs.txt")), 0).hasValue());
}

void TestIpvsText::stats()
{
    const auto s = parseProcIpVsStats(fixture(QStringLiteral("ipvs/ip_vs_stats.txt")));
    QVERIFY(s.hasValue());
    // Same numbers as ipvsadm -Ln --stats/--rate --exact printed for the only busy service.
    QCOMPARE(s->conns, 8u);
    QCOMPARE(s->inPkts, 39u);
    QCOMPARE(s->outPkts, 28u);
    QCOMPARE(s->inBytes, 2092u);
    QCOMPARE(s->outBytes, 1568u);
    QCOMPARE(s->cps, 1u);
    QCOMPARE(s->inPps, 3u);
    QCOMPARE(s->outPps, 2u);
    QCOMPARE(s->inBps, 178u);
    QCOMPARE(s->outBps, 133u);
}

void TestIpvsText::statsBad()
{
    QVERIFY(!parseProcIpVsStats("").hasValue());
    QVERIFY(!parseProcIpVsStats("   Total Incoming\n       8       27       1C              82C              620\n")
                 .hasValue());
    QVERIFY(!parseProcIpVsStats(fixture(QStringLiteral("ipvs/ip_vs.txt"))).hasValue());
}

void TestIpvsText::ipvsadmListings_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("expected");
    QTest::newRow("plain") << "ipvsadm-Ln.txt" << "TCP 198.18.0.101:443"
                           << "rr p300 | 198.18.1.11:443 w1 fwd3; 198.18.1.13:443 w65535 fwd2";
    QTest::newRow("plain fwmark v6") << "ipvsadm-Ln.txt" << "FWM6 9" << "rr p120 m64 | [2001:db8:1::11]:0 w1 fwd3";
    QTest::newRow("stats") << "ipvsadm-Ln-stats-exact.txt" << "TCP 198.18.0.100:80"
                           << "conns8 in39 out28 inB2092 outB1568 | 198.18.1.11:80 conns8 in39 out28 inB2092 "
                              "outB1568; 198.18.1.12:80 conns0 in0 out0 inB0 outB0";
    QTest::newRow("rate") << "ipvsadm-Ln-rate-exact.txt" << "TCP 198.18.0.100:80"
                          << "cps1 inpps3 outpps2 inbps178 outbps133 | 198.18.1.11:80 cps1 inpps3 outpps2 inbps178 "
                             "outbps133; 198.18.1.12:80 cps0 inpps0 outpps0 inbps0 outbps0";
    QTest::newRow("thresholds") << "ipvsadm-Ln-thresholds.txt" << "TCP [2001:db8::100]:80"
                                << "u1000 l500; u0 l0";
    QTest::newRow("persistent-conn") << "ipvsadm-Ln-persistent-conn.txt" << "TCP 198.18.0.100:80"
                                     << "w3 pc0 a0 i8; w0 pc0 a0 i0";
}

void TestIpvsText::ipvsadmListings()
{
    QFETCH(QString, file);
    QFETCH(QString, key);
    QFETCH(QString, expected);
    const auto r = parseIpvsadmList(fixture(QStringLiteral("ipvs/") + file));
    QVERIFY2(r.hasValue(), r.hasValue() ? "" : r.error().message.c_str());
    QCOMPARE(r->size(), std::size_t{8});
    const auto* vs = find(*r, key.toStdString());
    QVERIFY(vs);
    QString got;
    QStringList dests;
    if (file.contains(QStringLiteral("stats"))) {
        got = QStringLiteral("conns%1 in%2 out%3 inB%4 outB%5")
                  .arg(vs->stats.conns).arg(vs->stats.inPkts).arg(vs->stats.outPkts).arg(vs->stats.inBytes)
                  .arg(vs->stats.outBytes);
        for (const auto& rs : vs->realServers) {
            dests << QStringLiteral("%1 conns%2 in%3 out%4 inB%5 outB%6")
                         .arg(q(rs.endpoint())).arg(rs.stats.conns).arg(rs.stats.inPkts).arg(rs.stats.outPkts)
                         .arg(rs.stats.inBytes).arg(rs.stats.outBytes);
        }
        got += QStringLiteral(" | ") + dests.join(QStringLiteral("; "));
    } else if (file.contains(QStringLiteral("rate"))) {
        got = QStringLiteral("cps%1 inpps%2 outpps%3 inbps%4 outbps%5")
                  .arg(vs->stats.cps).arg(vs->stats.inPps).arg(vs->stats.outPps).arg(vs->stats.inBps)
                  .arg(vs->stats.outBps);
        for (const auto& rs : vs->realServers) {
            dests << QStringLiteral("%1 cps%2 inpps%3 outpps%4 inbps%5 outbps%6")
                         .arg(q(rs.endpoint())).arg(rs.stats.cps).arg(rs.stats.inPps).arg(rs.stats.outPps)
                         .arg(rs.stats.inBps).arg(rs.stats.outBps);
        }
        got += QStringLiteral(" | ") + dests.join(QStringLiteral("; "));
    } else if (file.contains(QStringLiteral("thresholds"))) {
        for (const auto& rs : vs->realServers) {
            dests << QStringLiteral("u%1 l%2").arg(rs.upperThreshold).arg(rs.lowerThreshold);
        }
        got = dests.join(QStringLiteral("; "));
    } else if (file.contains(QStringLiteral("persistent"))) {
        for (const auto& rs : vs->realServers) {
            dests << QStringLiteral("w%1 pc%2 a%3 i%4").arg(rs.weight).arg(rs.persistentConns).arg(rs.activeConns)
                         .arg(rs.inactiveConns);
        }
        got = dests.join(QStringLiteral("; "));
    } else {
        got = q(vs->scheduler);
        if (vs->persistent) {
            got += QStringLiteral(" p%1").arg(vs->timeout);
        }
        if (vs->af == 6 && vs->netmask != "128") {
            got += QStringLiteral(" m") + q(vs->netmask);
        }
        for (const auto& rs : vs->realServers) {
            dests << QStringLiteral("%1 w%2 fwd%3").arg(q(rs.endpoint())).arg(rs.weight).arg(static_cast<int>(rs.forward));
        }
        got += QStringLiteral(" | ") + dests.join(QStringLiteral("; "));
    }
    QCOMPARE(got, expected);
}

void TestIpvsText::ipvsadmBad_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("error");
    QTest::newRow("empty") << "" << "not an ipvsadm listing";
    QTest::newRow("names not numbers")
        << "IP Virtual Server version 1.2.1 (size=4096)\nProt LocalAddress:Port Scheduler Flags\n"
           "  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\nTCP  www.example:http wlc\n"
        << "malformed virtual address (numeric output -n expected) at line 4";
    QTest::newRow("rounded stats")
        << "IP Virtual Server version 1.2.1 (size=4096)\nProt LocalAddress:Port               Conns   InPkts  "
           "OutPkts  InBytes OutBytes\n  -> RemoteAddress:Port\nTCP  198.18.0.100:80   8 39 28 2092K 1568\n"
        << "malformed service statistics (use --exact) at line 4";
    QTest::newRow("unknown columns") << "IP Virtual Server version 1.2.1 (size=4096)\nProt Foo Bar\n\n"
                                     << "unknown ipvsadm column set at line 2";
}

void TestIpvsText::ipvsadmBad()
{
    QFETCH(QString, text);
    QFETCH(QString, error);
    const auto r = parseIpvsadmList(text.toStdString());
    QVERIFY(!r.hasValue());
    QVERIFY2(q(r.error().message).startsWith(error), r.error().message.c_str());
}

QTEST_GUILESS_MAIN(TestIpvsText)
#include "tst_ipvs_text.moc"
