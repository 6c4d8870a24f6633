// The "ipvs" topic carries only what changed between two samples.

#include "hadeck/probes/ipvs_delta.h"
#include "hadeck/probes/ipvs_text.h"

#include "fixture.h"

#include <QtTest>

using namespace hadeck;
using namespace hadeck::probes;

class TestIpvsDelta : public QObject {
    Q_OBJECT
private slots:
    void unchangedIsEmpty();
    void firstSampleHasEverything();
    void oneWeight();
    void keepalivedInhibit();
    void removals();
    void serviceField();
    void structureIgnoresCounters();
    void structureSeesWeightsAndMembers();
};

namespace {
std::vector<proto::VirtualService> table()
{
    auto t = parseProcIpVs(fixture(QStringLiteral("ipvs/ip_vs.txt")));
    if (!t) {
        qFatal("fixture");
    }
    return *t;
}
} // namespace

void TestIpvsDelta::unchangedIsEmpty() { QVERIFY(ipvsDelta(table(), table()).empty()); }

void TestIpvsDelta::firstSampleHasEverything()
{
    const auto d = ipvsDelta({}, table());
    QCOMPARE(d["services"].size(), std::size_t{8});
    QVERIFY(!d.contains("removedServices"));
}

void TestIpvsDelta::oneWeight()
{
    auto after = table();
    for (auto& s : after) {
        if (s.key() == "TCP 198.18.0.100:80") {
            s.realServers[0].weight = 77;
        }
    }
    const auto d = ipvsDelta(table(), after);
    QCOMPARE(d["services"].size(), std::size_t{1});
    QCOMPARE(QString::fromStdString(d["services"][0]["key"].get<std::string>()), QStringLiteral("TCP 198.18.0.100:80"));
    QCOMPARE(d["services"][0]["realServers"].size(), std::size_t{1}); // not the unchanged second dest
    QCOMPARE(d["services"][0]["realServers"][0]["weight"].get<int>(), 77);
}

void TestIpvsDelta::keepalivedInhibit()
{
    // Two real captures: the same service before and after keepalived's checker inhibited a dest.
    auto before = parseProcIpVs(fixture(QStringLiteral("ipvs/ip_vs-keepalived.txt")));
    QVERIFY(before.hasValue());
    auto up = *before;
    up[0].realServers[0].weight = 3; // as configured in vm-lvs.conf, before the TCP_CHECK failed
    const auto d = ipvsDelta(up, *before);
    QCOMPARE(d["services"][0]["realServers"].size(), std::size_t{1});
    QCOMPARE(QString::fromStdString(d["services"][0]["realServers"][0]["address"].get<std::string>()),
             QStringLiteral("198.18.1.12"));
}

void TestIpvsDelta::removals()
{
    auto after = table();
    after.erase(after.begin()); // a whole service
    after[0].realServers.pop_back();
    const auto d = ipvsDelta(table(), after);
    QCOMPARE(d["removedServices"].size(), std::size_t{1});
    QCOMPARE(d["removedDests"].size(), std::size_t{1});
    QVERIFY(!d.contains("services"));
}

void TestIpvsDelta::serviceField()
{
    auto after = table();
    after[2].scheduler = "wlc";
    const auto d = ipvsDelta(table(), after);
    QCOMPARE(d["services"].size(), std::size_t{1});
    QVERIFY(d["services"][0]["realServers"].empty());
    QCOMPARE(QString::fromStdString(d["services"][0]["scheduler"].get<std::string>()), QStringLiteral("wlc"));
}

void TestIpvsDelta::structureIgnoresCounters()
{
    // Counters, rates and connection counts move every sample: not a change of the table.
    auto after = table();
    for (auto& s : after) {
        s.stats.conns += 5;
        s.stats.inBytes += 1000;
        for (auto& rs : s.realServers) {
            rs.activeConns += 3;
            rs.inactiveConns += 1;
            rs.persistentConns += 2;
            rs.stats.inPkts += 7;
        }
    }
    QVERIFY(!ipvsStructureChanged(table(), table()));
    QVERIFY(!ipvsStructureChanged(table(), after));
    QVERIFY(!ipvsDelta(table(), after).empty()); // while the delta does carry them
}

void TestIpvsDelta::structureSeesWeightsAndMembers()
{
    auto weight = table();
    weight[0].realServers[0].weight += 1;
    QVERIFY(ipvsStructureChanged(table(), weight));

    auto threshold = table();
    threshold[0].realServers[0].upperThreshold = 9;
    QVERIFY(ipvsStructureChanged(table(), threshold));

    auto scheduler = table();
    scheduler[0].scheduler = "sh";
    QVERIFY(ipvsStructureChanged(table(), scheduler));

    auto lessDests = table();
    lessDests[0].realServers.pop_back();
    QVERIFY(ipvsStructureChanged(table(), lessDests));

    auto lessServices = table();
    lessServices.pop_back();
    QVERIFY(ipvsStructureChanged(table(), lessServices));
    QVERIFY(ipvsStructureChanged({}, table()));
    QVERIFY(ipvsStructureChanged(table(), {}));
}

QTEST_GUILESS_MAIN(TestIpvsDelta)
#include "tst_ipvs_delta.moc"
