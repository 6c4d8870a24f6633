#include "models/servicesmodel.h"
#include "synthetic/syntheticcluster.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace hadeck;
using namespace hadeck::console;
using hadeck::ui::ServicesModel;

namespace {
/// Records what reaches the action layer; its answer is the one the caller sets.
class RecordingActions final : public ClusterActions {
public:
    ActionAvailability availability(NodeAction action, const NodeSnapshot& node) const override
    {
        return permissionGate(action, node);
    }
    void drain(const QString&, Done done) override { done(false, {}); }
    void restore(const QString&, Done done) override { done(false, {}); }
    void setWeight(const QString& director, const QString& key, const QString& endpoint, int weight,
                   Done done) override
    {
        calls << QStringLiteral("%1 %2 %3 %4").arg(director, key, endpoint).arg(weight);
        done(true, QStringLiteral("ok"));
    }
    void failover(const QString&, int, Done done) override { done(false, {}); }
    QStringList calls;
};
} // namespace

class TstServicesModel : public QObject {
    Q_OBJECT
private slots:
    void columnGroupPerDirector();
    void driftIsVisible();
    void valueChangesAreOneDataChangedPerParent();
    void structuralChanges();
    void weightEditGoesThroughActionsAndPermission();
    void deltasSignalOnlyTheChangedRows();
    void deltaAddsAndRemovesRealServers();
};

void TstServicesModel::columnGroupPerDirector()
{
    ClusterModel cluster(QStringLiteral("t"));
    ServicesModel model(cluster);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    testing::SyntheticCluster source;
    source.open(cluster);
    cluster.flush();
    QCOMPARE(model.directors(), (QStringList{QStringLiteral("lb1"), QStringLiteral("lb2")}));
    QCOMPARE(model.columnCount(), ServicesModel::FirstDirectorColumn + 2 * ServicesModel::GroupSize);
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.realServerRowCount(), 6);
    QCOMPARE(model.headerData(ServicesModel::columnFor(1, ServicesModel::Weight), Qt::Horizontal).toString(),
             QStringLiteral("lb2 weight"));
    const auto svc = model.index(0, 0);
    QCOMPARE(model.data(svc).toString(), QStringLiteral("TCP 198.18.0.100:80"));
    const auto web1 = model.index(0, 0, svc);
    QCOMPARE(model.data(web1).toString(), QStringLiteral("web1"));
    QCOMPARE(model.data(web1, ServicesModel::NodeNameRole).toString(), QStringLiteral("web1"));
    QCOMPARE(model.data(model.index(0, ServicesModel::columnFor(0, ServicesModel::Weight), svc)).toInt(), 100);
    QCOMPARE(model.firstIndexOfNode(QStringLiteral("web3")).row(), 2);
}

void TstServicesModel::driftIsVisible()
{
    ClusterModel cluster(QStringLiteral("t"));
    ServicesModel model(cluster);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    testing::SyntheticCluster source;
    source.open(cluster);
    cluster.flush();
    const auto svc = model.index(0, 0);
    QVERIFY(!model.data(model.index(1, 0, svc), ServicesModel::DriftRole).toBool());
    source.setWeight(cluster, 1, 0, 1, 0); // lb2 drained web2 only
    cluster.flush();
    QVERIFY(model.data(model.index(1, 0, svc), ServicesModel::DriftRole).toBool());
    const auto w1 = model.index(1, ServicesModel::columnFor(0, ServicesModel::Weight), svc);
    const auto w2 = model.index(1, ServicesModel::columnFor(1, ServicesModel::Weight), svc);
    QCOMPARE(model.data(w1).toInt(), 100);
    QCOMPARE(model.data(w2).toInt(), 0);
    QVERIFY(model.data(w2, Qt::BackgroundRole).isValid());
    QCOMPARE(model.data(model.index(0, ServicesModel::columnFor(1, ServicesModel::Weight))).toString(),
             QStringLiteral("2/3 up"));
}

void TstServicesModel::valueChangesAreOneDataChangedPerParent()
{
    ClusterModel cluster(QStringLiteral("t"));
    ServicesModel model(cluster);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    testing::SyntheticCluster source;
    source.open(cluster);
    cluster.flush();
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    QSignalSpy structure(&model, &QAbstractItemModel::rowsInserted);
    source.advance(cluster);
    source.advance(cluster);
    cluster.flush();
    QCOMPARE(structure.count(), 0);
    QCOMPARE(changed.count(), 1 + 2); // the service rows, then each service's real servers
}

void TstServicesModel::structuralChanges()
{
    ClusterModel cluster(QStringLiteral("t"));
    ServicesModel model(cluster);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    testing::SyntheticCluster source;
    source.open(cluster);
    cluster.flush();
    auto table = source.ipvsOf(0);
    table[0].realServers.erase(table[0].realServers.begin()); // web1 gone from VIP:80 on lb1
    proto::RealServer extra;
    extra.address = "198.18.1.200";
    extra.port = 443;
    extra.weight = 5;
    table[1].realServers.push_back(extra);
    proto::VirtualService udp;
    udp.protocol = "udp";
    udp.address = "198.18.0.120";
    udp.port = 53;
    table.push_back(udp);
    cluster.setIpvs(QStringLiteral("lb1"), table);
    cluster.flush();
    QCOMPARE(model.rowCount(), 3);
    // web1 is still on lb2, so its row stays and shows "absent" for lb1.
    const auto svc = model.index(0, 0);
    QCOMPARE(model.rowCount(svc), 3);
    QCOMPARE(model.data(model.index(0, ServicesModel::columnFor(0, ServicesModel::Weight), svc)).toString(),
             QStringLiteral("absent"));
    QCOMPARE(model.rowCount(model.index(1, 0)), 4);
    QCOMPARE(model.data(model.index(3, 0, model.index(1, 0))).toString(), QStringLiteral("198.18.1.200:443"));
    // Now gone everywhere.
    auto table2 = source.ipvsOf(1);
    table2[0].realServers.erase(table2[0].realServers.begin());
    cluster.setIpvs(QStringLiteral("lb2"), table2);
    cluster.setIpvs(QStringLiteral("lb1"), {table[0]});
    cluster.flush();
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.rowCount(model.index(0, 0)), 2);
    // A third director adds a column group.
    cluster.addNode(QStringLiteral("lb3"), QStringLiteral("198.18.0.13"), {proto::Role::Director});
    cluster.flush();
    QCOMPARE(model.columnCount(), ServicesModel::FirstDirectorColumn + 3 * ServicesModel::GroupSize);
}

void TstServicesModel::weightEditGoesThroughActionsAndPermission()
{
    ClusterModel cluster(QStringLiteral("t"));
    ServicesModel model(cluster);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    RecordingActions actions;
    model.setActions(&actions);
    testing::SyntheticCluster source;
    source.open(cluster);
    cluster.setHello(QStringLiteral("lb2"),
                     testing::makeHello(QStringLiteral("lb2"), {proto::Role::Director}, proto::PermissionLevel::Read));
    cluster.flush();
    const auto svc = model.index(0, 0);
    const auto onLb1 = model.index(1, ServicesModel::columnFor(0, ServicesModel::Weight), svc);
    const auto onLb2 = model.index(1, ServicesModel::columnFor(1, ServicesModel::Weight), svc);
    QVERIFY(model.flags(onLb1) & Qt::ItemIsEditable);
    QVERIFY(!(model.flags(onLb2) & Qt::ItemIsEditable)); // read-only user there
    QVERIFY(!(model.flags(model.index(1, 0, svc)) & Qt::ItemIsEditable));
    QSignalSpy finished(&model, &ServicesModel::actionFinished);
    QVERIFY(model.setData(onLb1, 0));
    QCOMPARE(actions.calls, QStringList{QStringLiteral("lb1 TCP 198.18.0.100:80 198.18.1.13:80 0")});
    QCOMPARE(finished.count(), 1);
    QVERIFY(!model.setData(onLb2, 0));
    QVERIFY(!model.setData(onLb1, -4));
    QCOMPARE(actions.calls.size(), 1);
    // The cell keeps what IPVS reports until the director confirms.
    QCOMPARE(model.data(onLb1).toInt(), 100);
}

namespace {
rpc::Json ipvsDelta(const proto::VirtualService& service, std::vector<proto::RealServer> dests)
{
    auto changed = service;
    changed.realServers = std::move(dests);
    return rpc::Json{{"topic", "ipvs"}, {"services", rpc::Json::array({changed})}};
}
} // namespace

void TstServicesModel::deltasSignalOnlyTheChangedRows()
{
    testing::SyntheticOptions o;
    o.realServers = 40;
    ClusterModel cluster(QStringLiteral("t"));
    ServicesModel model(cluster);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    testing::SyntheticCluster source(o);
    source.open(cluster);
    cluster.flush();
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);

    // lb1 reports new counters for real servers 3 and 30 of the first service only.
    auto vs = source.ipvsOf(0).at(0);
    auto a = vs.realServers.at(3);
    auto b = vs.realServers.at(30);
    a.activeConns = 777;
    b.activeConns = 5;
    QVERIFY(cluster.applyStateDelta(QStringLiteral("lb1"), ipvsDelta(vs, {a, b})));
    cluster.flush();
    QCOMPARE(reset.count(), 0);
    const auto svc = model.index(0, 0);
    QList<int> rows;
    bool topLevel = false;
    for (const auto& args : changed) {
        const auto from = args.at(0).toModelIndex();
        const auto to = args.at(1).toModelIndex();
        if (!from.parent().isValid()) {
            topLevel = true;
            QCOMPARE(from.row(), 0); // the first service's totals, nothing else
            QCOMPARE(to.row(), 0);
            continue;
        }
        QCOMPARE(from.parent(), svc);
        for (int r = from.row(); r <= to.row(); ++r) {
            rows << r;
        }
    }
    QVERIFY(topLevel);
    QCOMPARE(rows, (QList<int>{3, 30})); // two runs, not the whole service
    const int activeCol = ServicesModel::columnFor(0, ServicesModel::Active);
    QCOMPARE(model.data(model.index(3, activeCol, svc)).toInt(), 777);
    // The service total follows the two changed rows exactly.
    int expected = 0;
    for (int r = 0; r < model.rowCount(svc); ++r) {
        expected += model.data(model.index(r, activeCol, svc)).toInt();
    }
    QCOMPARE(model.data(model.index(0, activeCol)).toInt(), expected);
    // lb2 did not change: its column still shows the old value.
    QCOMPARE(model.data(model.index(3, ServicesModel::columnFor(1, ServicesModel::Active), svc)).toInt(),
             static_cast<int>(source.ipvsOf(1).at(0).realServers.at(3).activeConns));
}

void TstServicesModel::deltaAddsAndRemovesRealServers()
{
    ClusterModel cluster(QStringLiteral("t"));
    ServicesModel model(cluster);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    testing::SyntheticCluster source;
    source.open(cluster);
    cluster.flush();
    const auto svc = model.index(0, 0);
    QCOMPARE(model.rowCount(svc), 3);

    // A new real server on lb1 only: a row appears, absent (drift) on lb2.
    auto vs = source.ipvsOf(0).at(0);
    proto::RealServer extra = vs.realServers.at(0);
    extra.address = "198.18.9.9";
    QVERIFY(cluster.applyStateDelta(QStringLiteral("lb1"), ipvsDelta(vs, {extra})));
    cluster.flush();
    QCOMPARE(model.rowCount(svc), 4);
    const auto added = model.index(3, 0, svc);
    QCOMPARE(model.data(added, ServicesModel::EndpointRole).toString(), QStringLiteral("198.18.9.9:80"));
    QVERIFY(model.data(added, ServicesModel::DriftRole).toBool());
    QCOMPARE(model.data(model.index(3, ServicesModel::columnFor(1, ServicesModel::Weight), svc)).toString(),
             QStringLiteral("absent"));

    // lb1 removes web2: still on lb2, so the row stays, absent on lb1.
    const rpc::Json removeWeb2{{"topic", "ipvs"},
                               {"removedDests", rpc::Json::array({rpc::Json{{"service", vs.key()},
                                                                            {"endpoint", vs.realServers.at(1).endpoint()}}})}};
    QVERIFY(cluster.applyStateDelta(QStringLiteral("lb1"), removeWeb2));
    cluster.flush();
    QCOMPARE(model.rowCount(svc), 4);
    const auto web2 = model.firstIndexOfNode(QStringLiteral("web2"));
    QCOMPARE(model.data(model.index(web2.row(), ServicesModel::columnFor(0, ServicesModel::Weight), svc)).toString(),
             QStringLiteral("absent"));

    // Gone from lb2 as well: the row goes.
    QVERIFY(cluster.applyStateDelta(QStringLiteral("lb2"), removeWeb2));
    cluster.flush();
    QCOMPARE(model.rowCount(svc), 3);
    for (int r = 0; r < model.rowCount(svc); ++r) {
        QVERIFY(model.data(model.index(r, 0, svc), ServicesModel::NodeNameRole).toString() != QStringLiteral("web2"));
    }
    QCOMPARE(model.firstIndexOfNode(QStringLiteral("web2")).parent(), model.index(1, 0)); // still in :443
    QCOMPARE(model.realServerRowCount(), 3 + 3);
}

QTEST_MAIN(TstServicesModel)
#include "tst_servicesmodel.moc"
