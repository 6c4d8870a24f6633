// The console's application-node picture: replication topology, storage
// overview, observed edges and the checks, on agent answers built from the
// captured lab fixtures (parsed by the agent's own parsers).

#include "hadeck/console/appdata/appoverview.h"

#include <QtTest>

using namespace hadeck;
using namespace hadeck::console;

namespace {

proto::DbStatus master(bool readOnly = false)
{
    proto::DbStatus d;
    d.state = proto::DbState::Ok;
    d.role = "master";
    d.readOnly = readOnly;
    return d;
}

proto::DbStatus replica(const std::string& masterHost, const std::string& io, std::optional<std::int64_t> lag)
{
    proto::DbStatus d;
    d.state = proto::DbState::Ok;
    d.role = "replica";
    d.readOnly = true;
    proto::ReplicaStatus r;
    r.masterHost = masterHost;
    r.masterPort = 3306;
    r.ioRunning = io;
    r.sqlRunning = "Yes";
    r.lagSeconds = lag;
    if (io != "Yes") {
        r.lastIoError = "error reconnecting to master 'repl@198.18.0.31:3306'";
    }
    d.replica = r;
    return d;
}

std::vector<AppNode> lab()
{
    std::vector<AppNode> n(5);
    n[0] = {QStringLiteral("db1"), QStringLiteral("198.18.0.31"), master(), {}, {}, {}};
    n[1] = {QStringLiteral("db2"), QStringLiteral("198.18.0.32"), replica("198.18.0.31", "Yes", 0), {}, {}, {}};
    n[2].name = QStringLiteral("web1");
    n[2].address = QStringLiteral("198.18.0.21");
    proto::HostStatus h;
    h.tcp.byRemote = {{"198.18.0.31", 3306, 3, 0},
                      {"198.18.0.32", 3306, 0, 40}, // only closed connections in the last minute
                      {"198.18.0.41", 9421, 1, 0},
                      {"198.18.0.99", 443, 5, 0},
                      {"198.18.0.32", 22, 0, 0}}; // nothing: no edge
    n[2].host = h;
    proto::ApacheStatus a;
    a.state = proto::ApacheState::Ok;
    n[2].apache = a;
    n[3].name = QStringLiteral("mfsmaster");
    n[3].address = QStringLiteral("198.18.0.41");
    proto::MfsStatus m;
    m.ok = true;
    m.master = proto::MfsMasterInfo{};
    m.chunkservers = {{"198.18.0.42", 9422, 1, "-", "3.0.117", true, "off", 1, 1, 2, 0},
                      {"198.18.0.43", 9422, 2, "-", "3.0.117", true, "off", 1, 1, 2, 0}};
    n[3].mfs = m;
    n[4].name = QStringLiteral("web2");
    n[4].address = QStringLiteral("198.18.0.22");
    proto::ApacheStatus down;
    down.state = proto::ApacheState::NotRunning;
    down.reason = "nothing answers at http://127.0.0.1/server-status?auto";
    n[4].apache = down;
    return n;
}

QStringList ids(const std::vector<AppFinding>& f)
{
    QStringList out;
    for (const auto& x : f) {
        out << x.id;
    }
    return out;
}

} // namespace

class TestAppOverview : public QObject {
    Q_OBJECT
private slots:
    void healthyLab();
    void masterDown();
    void replicaOfUnknownMaster();
    void twoWritableMasters();
    void mooseFsMaintenanceRule();
    void realServerApacheDown();
    void edges();
};

void TestAppOverview::healthyLab()
{
    const auto nodes = lab();
    const auto t = replicationTopology(nodes);
    QCOMPARE(t.servers.size(), std::size_t(2));
    QCOMPARE(t.links.size(), std::size_t(1));
    QCOMPARE(t.links[0].replica, QStringLiteral("db2"));
    QCOMPARE(t.links[0].masterNode, QStringLiteral("db1"));
    QCOMPARE(*t.links[0].lagSeconds, 0);
    const auto s = storageOverview(nodes);
    QCOMPARE(s.masterNode, QStringLiteral("mfsmaster"));
    QVERIFY(appChecks(nodes, {}).empty());
}

void TestAppOverview::masterDown()
{
    auto nodes = lab();
    nodes[0].db->state = proto::DbState::Unreachable;
    nodes[0].db->reason = "Can't connect to local server through socket";
    nodes[1].db = replica("198.18.0.31", "Connecting", std::nullopt);
    const auto f = appChecks(nodes, {});
    QCOMPARE(ids(f), QStringList{QStringLiteral("replica-stopped/db2")});
    QVERIFY(f[0].severity == AppCheckSeverity::Critical);
    QVERIFY(f[0].text.contains(QLatin1String("Connecting")));
    QVERIFY(f[0].text.contains(QLatin1String("error reconnecting")));
}

void TestAppOverview::replicaOfUnknownMaster()
{
    auto nodes = lab();
    nodes[1].db = replica("10.9.9.9", "Yes", 2);
    const auto f = appChecks(nodes, {});
    QCOMPARE(ids(f), QStringList{QStringLiteral("replica-master-unknown/db2")});
    QVERIFY(f[0].text.contains(QLatin1String("10.9.9.9")));
}

void TestAppOverview::twoWritableMasters()
{
    auto nodes = lab();
    nodes[1].db = master(false);
    auto f = appChecks(nodes, {});
    QCOMPARE(ids(f), QStringList{QStringLiteral("two-writable-masters")});
    QCOMPARE(f[0].nodes, (QStringList{QStringLiteral("db1"), QStringLiteral("db2")}));
    nodes[1].db = master(true); // read_only: not writable
    QVERIFY(appChecks(nodes, {}).empty());
}

void TestAppOverview::mooseFsMaintenanceRule()
{
    auto nodes = lab();
    nodes[3].mfs->chunkservers[1].maintenance = "on";
    auto f = appChecks(nodes, {}); // 1 of 2 = 50 %
    QCOMPARE(ids(f), QStringList{QStringLiteral("mfs-maintenance-20")});
    // 1 of 5 is exactly 20 %: the rule applies; 1 of 6 (17 %) does not.
    for (int i = 0; i < 3; ++i) {
        nodes[3].mfs->chunkservers.push_back(nodes[3].mfs->chunkservers[0]);
    }
    QCOMPARE(ids(appChecks(nodes, {})), QStringList{QStringLiteral("mfs-maintenance-20")});
    nodes[3].mfs->chunkservers.push_back(nodes[3].mfs->chunkservers[0]);
    QVERIFY(appChecks(nodes, {}).empty());
}

void TestAppOverview::realServerApacheDown()
{
    const auto nodes = lab();
    // web2's Apache is down, but only a real server in IPVS raises the check.
    QVERIFY(appChecks(nodes, {QStringLiteral("198.18.0.21")}).empty());
    const auto f = appChecks(nodes, {QStringLiteral("198.18.0.21"), QStringLiteral("198.18.0.22")});
    QCOMPARE(ids(f), QStringList{QStringLiteral("realserver-apache-down/web2")});
}

void TestAppOverview::edges()
{
    const auto e = observedEdges(lab());
    QCOMPARE(e.size(), std::size_t(3)); // 198.18.0.99 is not a node
    QCOMPARE(e[0].from, QStringLiteral("web1"));
    QCOMPARE(e[0].to, QStringLiteral("db1"));
    QCOMPARE(e[0].port, 3306);
    QCOMPARE(e[0].connections, 3u);
    QCOMPARE(e[1].to, QStringLiteral("db2"));
    QCOMPARE(e[1].connections, 0u);
    QCOMPARE(e[1].recentlyClosed, 40u);
    QCOMPARE(e[2].to, QStringLiteral("mfsmaster"));
    QCOMPARE(e[2].port, 9421);
}

QTEST_GUILESS_MAIN(TestAppOverview)
#include "tst_appoverview.moc"
