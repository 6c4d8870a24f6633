#include "hadeck/console/actions/preflight.h"

#include <QtTest>

using namespace hadeck;
using namespace hadeck::console;

namespace {

proto::RealServer rs(const std::string& addr, std::uint32_t weight)
{
    proto::RealServer r;
    r.address = addr;
    r.port = 80;
    r.weight = weight;
    return r;
}

proto::VirtualService web(std::vector<proto::RealServer> servers, bool persistent = false)
{
    proto::VirtualService vs;
    vs.protocol = "tcp";
    vs.address = "198.18.0.100";
    vs.port = 80;
    vs.scheduler = "wrr";
    vs.persistent = persistent;
    vs.timeout = persistent ? 300 : 0;
    vs.realServers = std::move(servers);
    return vs;
}

proto::VrrpInstance vi(proto::VrrpState state, std::uint64_t advertRcvd, bool track = true)
{
    proto::VrrpInstance i;
    i.name = "VI_1";
    i.vrid = 51;
    i.state = state;
    i.vips = {"198.18.0.100/32"};
    i.advertRcvd = advertRcvd;
    if (track) {
        i.trackFiles.push_back({"hadeck_failover", "/var/lib/hadeck/failover", 0, 0});
    }
    return i;
}

DirectorSnapshot director(const QString& node, proto::VrrpState state, std::uint64_t adverts)
{
    DirectorSnapshot d;
    d.node = node;
    d.online = true;
    d.vrrp = {vi(state, adverts)};
    d.ipvs = {web({rs("198.18.0.21", 1), rs("198.18.0.22", 1)})};
    return d;
}

const PreflightCheck* find(const PreflightReport& r, const QString& id)
{
    for (const auto& c : r.checks) {
        if (c.id == id) {
            return &c;
        }
    }
    return nullptr;
}

} // namespace

class TestPreflight : public QObject {
    Q_OBJECT
private slots:
    void failoverAllGood();
    void failoverRefusals_data();
    void failoverRefusals();
    void failoverWithoutSecondSampleWarns();
    void trackFileFixNamesTheDirector_data();
    void trackFileFixNamesTheDirector();
    void trackFileOnDiskWins();
    void sharedTrackFileWarns();
    void drainAllowed();
    void drainRefusesLastHealthy();
    void drainWarnsPersistence();
    void drainProposesExpireNodestConn();
    void drainUnknownTarget();
    void drainDirectorOffline();
    void drainNoConclusionFromSilentDirectors();
    void drainPerService();
};

void TestPreflight::failoverAllGood()
{
    const auto m = director("dir1", proto::VrrpState::Master, 0);
    const auto earlier = director("dir2", proto::VrrpState::Backup, 10);
    const auto p = director("dir2", proto::VrrpState::Backup, 12);
    const auto r = failoverPreflight("VI_1", m, p, earlier, "hadeck_failover");
    QVERIFY2(r.passed(), qPrintable(r.failures().join('\n')));
    QCOMPARE(r.checks.size(), 8);
    QVERIFY(r.trackFileFixes.isEmpty());
}

void TestPreflight::failoverRefusals_data()
{
    QTest::addColumn<QString>("breakage");
    QTest::addColumn<QString>("failingCheck");
    QTest::newRow("master not master") << "master-backup"
                                       << "master-state";
    QTest::newRow("peer faulty") << "peer-fault"
                                 << "peer-backup";
    QTest::newRow("peer offline") << "peer-offline"
                                  << "peer-online";
    QTest::newRow("adverts stalled") << "adverts"
                                     << "peer-adverts";
    QTest::newRow("vip differs") << "vips"
                                 << "vip-sets";
    QTest::newRow("table differs") << "ipvs"
                                   << "ipvs-tables";
    QTest::newRow("half drain") << "drain"
                                << "drains";
    QTest::newRow("no track file") << "track"
                                   << "track-file";
    QTest::newRow("peer without track file") << "peer-track"
                                             << "peer-track-file";
    QTest::newRow("config on disk lost it") << "track-on-disk"
                                            << "track-file";
}

void TestPreflight::failoverRefusals()
{
    QFETCH(QString, breakage);
    QFETCH(QString, failingCheck);
    auto m = director("dir1", proto::VrrpState::Master, 0);
    const auto earlier = director("dir2", proto::VrrpState::Backup, 10);
    auto p = director("dir2", proto::VrrpState::Backup, 12);
    if (breakage == "master-backup") {
        m.vrrp[0].state = proto::VrrpState::Backup;
    } else if (breakage == "peer-fault") {
        p.vrrp[0].state = proto::VrrpState::Fault;
    } else if (breakage == "peer-offline") {
        p.online = false;
    } else if (breakage == "adverts") {
        p.vrrp[0].advertRcvd = 10;
    } else if (breakage == "vips") {
        p.vrrp[0].vips.push_back("198.18.0.101/32");
    } else if (breakage == "ipvs") {
        p.ipvs[0].realServers[1].weight = 0;
    } else if (breakage == "drain") {
        m.heldDrains << "TCP 198.18.0.100:80|198.18.0.21:80";
    } else if (breakage == "track") {
        m.vrrp[0].trackFiles.clear();
    } else if (breakage == "peer-track") {
        p.vrrp[0].trackFiles.clear();
    } else if (breakage == "track-on-disk") {
        // vrrp.list still reports the track file the agent read at its start; the file now lacks it.
        m.failoverTracked = QStringList{};
    }
    const auto r = failoverPreflight("VI_1", m, p, earlier, "hadeck_failover");
    QVERIFY(!r.passed());
    const auto* c = find(r, failingCheck);
    QVERIFY(c);
    QCOMPARE(int(c->outcome), int(PreflightCheck::Outcome::Fail));
    QVERIFY(!c->detail.isEmpty());
    // Only the broken thing fails; the admin is not sent chasing other checks.
    QCOMPARE(r.failures().size(), 1);
}

void TestPreflight::failoverWithoutSecondSampleWarns()
{
    const auto r = failoverPreflight("VI_1", director("dir1", proto::VrrpState::Master, 0),
                                     director("dir2", proto::VrrpState::Backup, 12), std::nullopt, "hadeck_failover");
    QVERIFY(r.passed());
    QCOMPARE(int(find(r, "peer-adverts")->outcome), int(PreflightCheck::Outcome::Warn));
}

void TestPreflight::trackFileFixNamesTheDirector_data()
{
    QTest::addColumn<bool>("masterLacks");
    QTest::addColumn<bool>("peerLacks");
    QTest::addColumn<QStringList>("fixFor");
    QTest::newRow("master") << true << false << QStringList{"dir1"};
    QTest::newRow("peer") << false << true << QStringList{"dir2"};
    QTest::newRow("both") << true << true << QStringList{"dir1", "dir2"};
}

void TestPreflight::trackFileFixNamesTheDirector()
{
    QFETCH(bool, masterLacks);
    QFETCH(bool, peerLacks);
    QFETCH(QStringList, fixFor);
    auto m = director("dir1", proto::VrrpState::Master, 0);
    auto p = director("dir2", proto::VrrpState::Backup, 12);
    if (masterLacks) {
        m.vrrp[0].trackFiles.clear();
    }
    if (peerLacks) {
        p.vrrp[0].trackFiles.clear();
    }
    const auto r = failoverPreflight("VI_1", m, p, director("dir2", proto::VrrpState::Backup, 10), "hadeck_failover");
    QVERIFY(!r.passed());
    QStringList directors;
    for (const auto& f : r.trackFileFixes) {
        directors << f.director;
        QCOMPARE(f.instance, QStringLiteral("VI_1"));
        QCOMPARE(f.snippet, failoverTrackSnippet("VI_1"));
        // The refusal itself shows the lines, so an admin without the button can paste them.
        const auto* c = find(r, f.director == "dir1" ? "track-file" : "peer-track-file");
        QVERIFY(c && c->detail.contains(f.snippet));
    }
    QCOMPARE(directors, fixFor);
    QVERIFY(failoverTrackSnippet("VI_1").contains("vrrp_instance VI_1 {"));
    QVERIFY(failoverTrackSnippet("VI_1").contains("file \"/var/lib/hadeck/failover\""));
}

void TestPreflight::trackFileOnDiskWins()
{
    // The agent's vrrp.list lags a config edit; vrrp.failoverStatus reads the file now.
    auto m = director("dir1", proto::VrrpState::Master, 0);
    auto p = director("dir2", proto::VrrpState::Backup, 12);
    m.vrrp[0].trackFiles.clear();
    p.vrrp[0].trackFiles.clear();
    m.failoverTracked = QStringList{"VI_1"};
    p.failoverTracked = QStringList{"VI_2", "VI_1"};
    const auto r = failoverPreflight("VI_1", m, p, director("dir2", proto::VrrpState::Backup, 10), "hadeck_failover");
    QVERIFY2(r.passed(), qPrintable(r.failures().join('\n')));
    QVERIFY(r.trackFileFixes.isEmpty());
}

void TestPreflight::sharedTrackFileWarns()
{
    auto m = director("dir1", proto::VrrpState::Master, 0);
    const auto p = director("dir2", proto::VrrpState::Backup, 12);
    const auto earlier = director("dir2", proto::VrrpState::Backup, 10);
    m.failoverTracked = QStringList{"VI_1", "VI_2"};
    const auto alone = failoverPreflight("VI_1", m, p, earlier, "hadeck_failover");
    QVERIFY(find(alone, "shared-track-file"));
    QCOMPARE(find(alone, "shared-track-file")->outcome, PreflightCheck::Outcome::Pass);
    // VI_2 goes to FAULT with VI_1: said, naming it, but not a refusal (one hadeck track file
    // per director is the common setup).
    m.failoverSharedWith.insert("VI_1", {"VI_2"});
    const auto r = failoverPreflight("VI_1", m, p, earlier, "hadeck_failover");
    QVERIFY2(r.passed(), qPrintable(r.failures().join('\n')));
    const auto* c = find(r, "shared-track-file");
    QVERIFY(c);
    QCOMPARE(c->outcome, PreflightCheck::Outcome::Warn);
    QVERIFY2(c->detail.contains("VI_2") && c->detail.contains("dir1"), qPrintable(c->detail));
    // What other instances share is no concern of VI_1's.
    m.failoverSharedWith = {{"VI_3", {"VI_4"}}};
    QCOMPARE(find(failoverPreflight("VI_1", m, p, earlier, "hadeck_failover"), "shared-track-file")->outcome,
             PreflightCheck::Outcome::Pass);
}

void TestPreflight::drainAllowed()
{
    const auto r = drainPreflight({"198.18.0.21", 80, {}}, {director("dir1", proto::VrrpState::Master, 0),
                                                            director("dir2", proto::VrrpState::Backup, 0)});
    QVERIFY2(r.passed(), qPrintable(r.failures().join('\n')));
}

void TestPreflight::drainRefusesLastHealthy()
{
    auto d1 = director("dir1", proto::VrrpState::Master, 0);
    auto d2 = director("dir2", proto::VrrpState::Backup, 0);
    d2.ipvs[0].realServers[1].weight = 0; // web2 already out on dir2 only
    const auto r = drainPreflight({"198.18.0.21", std::nullopt, {}}, {d1, d2});
    QVERIFY(!r.passed());
    QVERIFY(find(r, "last-healthy")->detail.contains("dir2"));
    QVERIFY(!find(r, "last-healthy")->detail.contains("dir1"));
}

void TestPreflight::drainWarnsPersistence()
{
    auto d1 = director("dir1", proto::VrrpState::Master, 0);
    d1.ipvs[0].persistent = true;
    d1.ipvs[0].timeout = 300;
    auto r = drainPreflight({"198.18.0.21", 80, {}}, {d1});
    QVERIFY(r.passed());
    QCOMPARE(int(find(r, "persistence")->outcome), int(PreflightCheck::Outcome::Warn));
    d1.expireQuiescentTemplate = true;
    r = drainPreflight({"198.18.0.21", 80, {}}, {d1});
    QCOMPARE(int(find(r, "persistence")->outcome), int(PreflightCheck::Outcome::Pass));
}

void TestPreflight::drainProposesExpireNodestConn()
{
    auto d1 = director("dir1", proto::VrrpState::Master, 0);
    auto d2 = director("dir2", proto::VrrpState::Backup, 0);
    for (auto* d : {&d1, &d2}) {
        for (auto& r : d->ipvs[0].realServers) {
            r.forward = proto::ForwardMethod::Route;
        }
    }
    // Unknown (an agent that does not report it): no warning.
    auto r = drainPreflight({"198.18.0.21", 80, {}}, {d1, d2});
    QCOMPARE(int(find(r, "expire-nodest-conn")->outcome), int(PreflightCheck::Outcome::Pass));
    d1.expireNodestConn = false;
    d2.expireNodestConn = true;
    r = drainPreflight({"198.18.0.21", 80, {}}, {d1, d2});
    QVERIFY(r.passed()); // a warning: the drain may go on
    const auto* c = find(r, "expire-nodest-conn");
    QCOMPARE(int(c->outcome), int(PreflightCheck::Outcome::Warn));
    QVERIFY(c->detail.contains("dir1"));
    QVERIFY(!c->detail.contains("dir2"));
    QVERIFY(c->detail.contains("net.ipv4.vs.expire_nodest_conn=1"));
    // NAT services are not concerned.
    for (auto& s : d1.ipvs[0].realServers) {
        s.forward = proto::ForwardMethod::Masq;
    }
    r = drainPreflight({"198.18.0.21", 80, {}}, {d1, d2});
    QCOMPARE(int(find(r, "expire-nodest-conn")->outcome), int(PreflightCheck::Outcome::Pass));
}

void TestPreflight::drainUnknownTarget()
{
    const auto r = drainPreflight({"198.18.0.99", 80, {}}, {director("dir1", proto::VrrpState::Master, 0)});
    QVERIFY(!r.passed());
    QCOMPARE(int(find(r, "target-found")->outcome), int(PreflightCheck::Outcome::Fail));
}

void TestPreflight::drainDirectorOffline()
{
    auto d2 = director("dir2", proto::VrrpState::Backup, 0);
    d2.online = false;
    const auto r = drainPreflight({"198.18.0.21", 80, {}}, {director("dir1", proto::VrrpState::Master, 0), d2});
    QVERIFY(!r.passed());
    QVERIFY(find(r, "directors-online")->detail.contains("dir2"));
}

void TestPreflight::drainNoConclusionFromSilentDirectors()
{
    // Neither director answered (SSH logins to loaded nodes not finished): nothing is known of
    // their tables, so nothing may be said of the target but that it could not be checked.
    auto d1 = director("dir1", proto::VrrpState::Master, 0);
    auto d2 = director("dir2", proto::VrrpState::Backup, 0);
    d1.online = false;
    d2.online = false;
    auto r = drainPreflight({"198.18.0.21", std::nullopt, {}}, {d1, d2});
    QVERIFY(!r.passed());
    const QString all = r.failures().join(QLatin1Char('\n'));
    QVERIFY2(!all.contains(QStringLiteral("No virtual service")), qPrintable(all));
    const auto* found = find(r, "target-found");
    QVERIFY(found);
    QCOMPARE(int(found->outcome), int(PreflightCheck::Outcome::Fail));
    QVERIFY2(found->detail.contains(QStringLiteral("dir1, dir2")), qPrintable(found->detail));
    QVERIFY2(found->detail.contains(QStringLiteral("did not answer")), qPrintable(found->detail));
    // Nor are the other table checks passed on no evidence.
    for (const char* id : {"last-healthy", "persistence", "expire-nodest-conn"}) {
        QVERIFY(find(r, QString::fromLatin1(id)));
        QVERIFY2(find(r, QString::fromLatin1(id))->outcome != PreflightCheck::Outcome::Pass, id);
    }

    // One answered without the target, one did not: the verdict names only the one that answered.
    d1.online = true;
    d1.ipvs = {web({rs("198.18.0.22", 100)})};
    r = drainPreflight({"198.18.0.21", std::nullopt, {}}, {d1, d2});
    found = find(r, "target-found");
    QVERIFY(found);
    QCOMPARE(int(found->outcome), int(PreflightCheck::Outcome::Fail));
    QVERIFY2(found->detail.contains(QStringLiteral("dir1")) &&
                 found->detail.contains(QStringLiteral("dir2 did not answer")),
             qPrintable(found->detail));
    QVERIFY2(!found->detail.contains(QStringLiteral("any director")), qPrintable(found->detail));
}

void TestPreflight::drainPerService()
{
    auto d1 = director("dir1", proto::VrrpState::Master, 0);
    auto other = web({rs("198.18.0.21", 1)});
    other.port = 443;
    d1.ipvs.push_back(other);
    // Draining web1 everywhere would empty :443, but only :80 is asked for.
    QVERIFY(!drainPreflight({"198.18.0.21", std::nullopt, {}}, {d1}).passed());
    QVERIFY(drainPreflight({"198.18.0.21", std::nullopt, "TCP 198.18.0.100:80"}, {d1}).passed());
}

QTEST_GUILESS_MAIN(TestPreflight)
#include "tst_preflight.moc"
