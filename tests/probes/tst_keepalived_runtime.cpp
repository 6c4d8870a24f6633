// keepalived's JSON dump and notify FIFO lines, captured from keepalived 2.2.7
// running a VRRP pair in two network namespaces and a director in the IPVS VM.

#include "hadeck/probes/keepalived_runtime.h"

#include "fixture.h"

#include <QtTest>

using namespace hadeck;
using namespace hadeck::probes;
using proto::VrrpState;


class TestKeepalivedRuntime : public QObject {
    Q_OBJECT
private slots:
    void dump_data();
    void dump();
    void dumpCounters();
    void olderDumpNeverWins();
    void dumpNumbersOutOfRange();
    void dumpBad_data();
    void dumpBad();
    void vips_data();
    void vips();
    void fifoFiles_data();
    void fifoFiles();
    void fifoLines_data();
    void fifoLines();
    void fifoBad_data();
    void fifoBad();
};

void TestKeepalivedRuntime::dump_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("name");
    QTest::addColumn<int>("vrid");
    QTest::addColumn<QString>("iface");
    QTest::addColumn<QString>("state");
    QTest::addColumn<int>("base");
    QTest::addColumn<int>("effective");
    QTest::addColumn<bool>("nopreempt");
    QTest::addColumn<QString>("vips");
    QTest::newRow("a master") << "dump-a-master.json" << "VI_1" << 51 << "hdpa0" << "MASTER" << 150 << 150
                              << false << "198.18.0.100/24";
    QTest::newRow("b backup") << "dump-b-backup.json" << "VI_1" << 51 << "hdpb0" << "BACKUP" << 100 << 100
                              << false << "198.18.0.100/24";
    QTest::newRow("a fault by track_file") << "dump-a-fault.json" << "VI_1" << 51 << "hdpa0" << "FAULT"
                                           << 150 << 150 << false << "198.18.0.100/24";
    QTest::newRow("b took over") << "dump-b-master.json" << "VI_1" << 51 << "hdpb0" << "MASTER" << 100
                                 << 100 << false << "198.18.0.100/24";
    QTest::newRow("nopreempt, two /32 vips") << "dump-a-fault.json" << "VI_2" << 52 << "hdpa0" << "MASTER"
                                             << 150 << 150 << true << "198.18.0.101/32 198.18.0.102/32";
    QTest::newRow("vm director") << "dump-vm-master.json" << "VI_1" << 51 << "veth0" << "MASTER" << 150
                                 << 150 << false << "198.18.0.110/32";
}

void TestKeepalivedRuntime::dump()
{
    QFETCH(QString, file);
    QFETCH(QString, name);
    const auto r = parseKeepalivedJson(fixture(QStringLiteral("keepalived/") + file));
    QVERIFY2(r.hasValue(), r.hasValue() ? "" : r.error().message.c_str());
    const auto it = std::find_if(r->begin(), r->end(), [&](const auto& v) { return q(v.name) == name; });
    QVERIFY(it != r->end());
    QTEST(it->vrid, "vrid");
    QTEST(q(it->interface), "iface");
    QTEST(q(proto::toString(it->state)), "state");
    QVERIFY(it->wantState == it->state);
    QTEST(it->basePriority, "base");
    QTEST(it->effectivePriority, "effective");
    QTEST(it->nopreempt, "nopreempt");
    QStringList vips;
    for (const auto& v : it->vips) {
        vips << q(v);
    }
    QTEST(vips.join(QLatin1Char(' ')), "vips");
    QCOMPARE(it->advertIntMs, 1000);
    QVERIFY(it->lastTransition > 1.7e9);
}

void TestKeepalivedRuntime::dumpCounters()
{
    const auto fault = parseKeepalivedJson(fixture(QStringLiteral("keepalived/dump-a-fault.json")));
    QVERIFY(fault.hasValue());
    QCOMPARE(fault->size(), std::size_t{2});
    const auto& a = fault->front();
    // Going to FAULT sends one priority-0 advert and counts a release.
    QCOMPARE(a.becomeMaster, 1u);
    QCOMPARE(a.releaseMaster, 1u);
    QCOMPARE(a.priZeroSent, 1u);
    QCOMPARE(a.advertSent, 5u);
    const auto b = parseKeepalivedJson(fixture(QStringLiteral("keepalived/dump-b-master.json")));
    QVERIFY(b.hasValue());
    QCOMPARE(b->front().priZeroRcvd, 2u); // as captured: b counted two priority-0 adverts from a during the run
    QCOMPARE(b->front().becomeMaster, 1u);
    QVERIFY(b->front().advertRcvd > 0);
}

void TestKeepalivedRuntime::olderDumpNeverWins()
{
    // Director b: keepalived takes over (DBus VrrpStatusChange MASTER, seen at 1000.5), but the
    // dump the agent reads next was asked for and written earlier (1000.2) and still says BACKUP.
    const auto backup = parseKeepalivedJson(fixture(QStringLiteral("keepalived/dump-b-backup.json")));
    const auto master = parseKeepalivedJson(fixture(QStringLiteral("keepalived/dump-b-master.json")));
    QVERIFY(backup.hasValue() && master.hasValue());
    auto current = *backup;
    current.front().state = proto::VrrpState::Master; // the push, applied
    std::map<std::string, PushedTransition> pushed{{"VI_1", {proto::VrrpState::Master, 1000.5}}};
    auto oldDump = *backup;
    oldDump.front().lastTransition = 900.0;
    std::vector<std::string> stale;
    auto merged = mergeVrrpDump(current, oldDump, 1000.2, pushed, &stale);
    QCOMPARE(merged.size(), current.size());
    QCOMPARE(q(proto::toString(merged.front().state)), QStringLiteral("MASTER")); // no MASTER -> BACKUP flap
    QVERIFY(stale == std::vector<std::string>{"VI_1"});
    QCOMPARE(pushed.size(), std::size_t(1)); // still waiting for a dump that confirms it

    // The dump written after the push confirms it and the push is forgotten.
    auto newDump = *master;
    newDump.front().lastTransition = 1000.4;
    stale.clear();
    merged = mergeVrrpDump(merged, newDump, 1000.9, pushed, &stale);
    QCOMPARE(q(proto::toString(merged.front().state)), QStringLiteral("MASTER"));
    QCOMPARE(merged.front().lastTransition, 1000.4);
    QVERIFY(stale.empty());
    QVERIFY(pushed.empty());

    // With nothing pushed, a dump is the truth, whatever it says (a transition whose signal was lost).
    auto later = *backup;
    later.front().lastTransition = 1003.0;
    merged = mergeVrrpDump(merged, later, 1003.1, pushed, &stale);
    QCOMPARE(q(proto::toString(merged.front().state)), QStringLiteral("BACKUP"));

    // A dump written after the push that disagrees is a newer transition: it wins.
    pushed = {{"VI_1", {proto::VrrpState::Master, 1004.0}}};
    auto after = *backup;
    after.front().lastTransition = 1004.5;
    merged = mergeVrrpDump(merged, after, 1004.6, pushed, &stale);
    QCOMPARE(q(proto::toString(merged.front().state)), QStringLiteral("BACKUP"));
    QVERIFY(pushed.empty());
}

/// Numbers no keepalived writes (found by the fuzzer: converting them to int was undefined
/// behaviour) leave their field at its default; whole numbers written as floats are read.
void TestKeepalivedRuntime::dumpNumbersOutOfRange()
{
    const auto r = parseKeepalivedJson(
        R"([{"data":{"iname":"VI_1","vrid":3.11111e+19,"state":2,"base_priority":-4.4e62,"effective_priority":1e300,)"
        R"("master_priority":7.5,"adver_int":1.95636e+11,"last_transition":17.5},)"
        R"("stats":{"advert_rcvd":6.66667e+98,"advert_sent":-1,"become_master":2.0,"release_master":"3",)"
        R"("pri_zero_rcvd":[1],"pri_zero_sent":{}}}])");
    QVERIFY2(r.hasValue(), r ? "" : r.error().message.c_str());
    const auto& v = r->front();
    QCOMPARE(v.vrid, 0);
    QCOMPARE(v.basePriority, 0);
    QCOMPARE(v.effectivePriority, 0);
    QCOMPARE(v.masterPriority, 0);
    QCOMPARE(v.advertIntMs, 1000);
    QCOMPARE(v.lastTransition, 17.5);
    QCOMPARE(v.advertRcvd, std::uint64_t{0});
    QCOMPARE(v.advertSent, std::uint64_t{0});
    QCOMPARE(v.becomeMaster, std::uint64_t{2});
    // Not a number at all: the default too, and no exception.
    QCOMPARE(v.releaseMaster, std::uint64_t{0});
    QCOMPARE(v.priZeroRcvd, std::uint64_t{0});
    QCOMPARE(v.priZeroSent, std::uint64_t{0});
}

void TestKeepalivedRuntime::dumpBad_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("error");
    QTest::newRow("partial write") << R"([{"data":{"iname":"VI_1")" << "not valid JSON";
    QTest::newRow("object") << R"({"data":{}})" << "must be an array";
    QTest::newRow("no data") << R"([{"stats":{}}])" << "entry 0 has no \"data\" object";
    QTest::newRow("no name") << R"([{"data":{"vrid":1}}])" << "entry 0 has no instance name";
}

void TestKeepalivedRuntime::dumpBad()
{
    QFETCH(QString, text);
    QFETCH(QString, error);
    const auto r = parseKeepalivedJson(text.toStdString());
    QVERIFY(!r.hasValue());
    QVERIFY2(q(r.error().message).contains(error), r.error().message.c_str());
}

void TestKeepalivedRuntime::vips_data()
{
    QTest::addColumn<QString>("entry");
    QTest::addColumn<QString>("vip");
    QTest::newRow("with prefix") << "198.18.0.100/24 dev hdpa0 scope global" << "198.18.0.100/24";
    QTest::newRow("host, set") << "198.18.0.101 dev hdpa0 scope global set" << "198.18.0.101/32";
    QTest::newRow("v6") << "2001:db8::100 dev eth0 scope global" << "2001:db8::100/128";
    QTest::newRow("empty") << "" << "";
}

void TestKeepalivedRuntime::vips()
{
    QFETCH(QString, entry);
    QTEST(q(vipFromDump(entry.toStdString())), "vip");
}

void TestKeepalivedRuntime::fifoFiles_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("lines");
    QTest::newRow("a") << "notify_fifo-a.txt" << 11;
    QTest::newRow("b") << "notify_fifo-b.txt" << 11;
    QTest::newRow("vm") << "notify_fifo-vm.txt" << 5;
    // fwmark ("FWM 21", two words) and virtual_server_group ("[WEBG]:0") services.
    QTest::newRow("lvs services") << "notify_fifo-lvs-services.txt" << 7;
}

void TestKeepalivedRuntime::fifoFiles()
{
    QFETCH(QString, file);
    int n = 0;
    for (const auto& line : q(fixture(QStringLiteral("keepalived/") + file)).split(QLatin1Char('\n'), Qt::SkipEmptyParts)) {
        const auto e = parseNotifyLine(line.toStdString());
        QVERIFY2(e.hasValue(), qPrintable(line));
        ++n;
    }
    QTEST(n, "lines");
}

void TestKeepalivedRuntime::fifoLines_data()
{
    QTest::addColumn<QString>("line");
    QTest::addColumn<int>("kind");
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("state");
    QTest::addColumn<int>("priority");
    QTest::addColumn<QString>("rs");
    QTest::addColumn<QString>("vs");
    using K = NotifyEvent::Kind;
    QTest::newRow("instance") << R"(INSTANCE "VI_1" MASTER 150)" << int(K::Instance) << "VI_1" << "MASTER" << 150
                              << "" << "";
    QTest::newRow("group") << R"(GROUP "G1" FAULT 0)" << int(K::Group) << "G1" << "FAULT" << 0 << "" << "";
    QTest::newRow("stop") << R"(INSTANCE "VI_2" STOP 100)" << int(K::Instance) << "VI_2" << "STOP" << 100 << ""
                          << "";
    QTest::newRow("rs down") << "RS [198.18.1.12]:tcp:80 [198.18.0.110]:tcp:80 DOWN" << int(K::RealServer) << ""
                             << "DOWN" << 0 << "198.18.1.12 tcp 80" << "198.18.0.110 tcp 80";
    QTest::newRow("vs up") << "VS [198.18.0.110]:tcp:80 UP" << int(K::VirtualServer) << "" << "UP" << 0 << ""
                           << "198.18.0.110 tcp 80";
    QTest::newRow("rs v6") << "RS [2001:db8:1::11]:tcp:443 [2001:db8::100]:tcp:443 UP" << int(K::RealServer) << ""
                           << "UP" << 0 << "2001:db8:1::11 tcp 443" << "2001:db8::100 tcp 443";
    // As keepalived 2.2.7 wrote them (notify_fifo-lvs-services.txt).
    QTest::newRow("vs fwmark") << "VS FWM 21 UP" << int(K::VirtualServer) << ""
                               << "UP" << 0 << ""
                               << "fwmark 21";
    QTest::newRow("rs fwmark") << "RS [198.18.99.2]:none:0 FWM 21 DOWN" << int(K::RealServer) << ""
                               << "DOWN" << 0 << "198.18.99.2 none 0"
                               << "fwmark 21";
    QTest::newRow("vs group") << "VS [WEBG]:0 UP" << int(K::VirtualServer) << ""
                              << "UP" << 0 << ""
                              << "group WEBG";
    QTest::newRow("rs group") << "RS [198.18.99.2]:tcp:8080 [WEBG]:0 DOWN" << int(K::RealServer) << ""
                              << "DOWN" << 0 << "198.18.99.2 tcp 8080"
                              << "group WEBG";
}

void TestKeepalivedRuntime::fifoLines()
{
    QFETCH(QString, line);
    const auto e = parseNotifyLine(line.toStdString());
    QVERIFY2(e.hasValue(), e.hasValue() ? "" : e.error().message.c_str());
    QTEST(static_cast<int>(e->kind), "kind");
    QTEST(q(e->name), "name");
    QTEST(q(e->state), "state");
    QTEST(e->priority, "priority");
    const auto ep = [](const LvsEndpoint& x) {
        if (x.fwmark != 0) {
            return QStringLiteral("fwmark %1").arg(x.fwmark);
        }
        if (!x.group.empty()) {
            return QStringLiteral("group ") + q(x.group);
        }
        return x.address.empty() ? QString() : QStringLiteral("%1 %2 %3").arg(q(x.address), q(x.protocol)).arg(x.port);
    };
    QTEST(ep(e->realServer), "rs");
    QTEST(ep(e->virtualServer), "vs");
}

void TestKeepalivedRuntime::fifoBad_data()
{
    QTest::addColumn<QString>("line");
    QTest::newRow("empty") << "";
    QTest::newRow("unknown type") << "FOO bar";
    QTest::newRow("short instance") << "INSTANCE \"VI_1\" MASTER";
    QTest::newRow("priority") << "INSTANCE \"VI_1\" MASTER high";
    QTest::newRow("short rs") << "RS [198.18.1.12]:tcp:80 DOWN";
    QTest::newRow("vs extra word") << "VS FWM 21 22 UP";
}

void TestKeepalivedRuntime::fifoBad()
{
    QFETCH(QString, line);
    const auto e = parseNotifyLine(line.toStdString());
    QVERIFY(!e.hasValue());
    QVERIFY(q(e.error().message).startsWith(QStringLiteral("unrecognised notify line")));
}

QTEST_GUILESS_MAIN(TestKeepalivedRuntime)
#include "tst_keepalived_runtime.moc"
