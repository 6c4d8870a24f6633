#include "models/clustertreemodel.h"
#include "synthetic/syntheticcluster.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace hadeck;
using namespace hadeck::console;
using hadeck::ui::ClusterTreeModel;

class TstClusterTreeModel : public QObject {
    Q_OBJECT
private slots:
    void groupsNodesByLayer();
    void movesNodeWhenHelloRevealsRole();
    void removalAndStateColors();
};

void TstClusterTreeModel::groupsNodesByLayer()
{
    ClusterModel cluster(QStringLiteral("t"));
    ClusterTreeModel tree(cluster);
    QAbstractItemModelTester tester(&tree, QAbstractItemModelTester::FailureReportingMode::QtTest);
    testing::SyntheticCluster source;
    source.open(cluster);
    cluster.flush();
    QCOMPARE(tree.rowCount(), kLayerCount);
    QCOMPARE(tree.rowCount(tree.layerIndex(Layer::LoadBalancing)), 2);
    QCOMPARE(tree.rowCount(tree.layerIndex(Layer::Application)), 3);
    QCOMPARE(tree.rowCount(tree.layerIndex(Layer::Data)), 2 + 1 + 3); // db1, db2, mfsmaster, chunk1..3
    QCOMPARE(tree.rowCount(tree.layerIndex(Layer::Gateway)), 1);
    QCOMPARE(tree.rowCount(tree.layerIndex(Layer::Unassigned)), 0);
    const auto web2 = tree.indexOf(QStringLiteral("web2"));
    QVERIFY(web2.isValid());
    QCOMPARE(web2.row(), 1);
    QCOMPARE(tree.nodeAt(web2), QStringLiteral("web2"));
    QCOMPARE(web2.parent(), tree.layerIndex(Layer::Application));
    QCOMPARE(tree.data(tree.layerIndex(Layer::Application)).toString(), QStringLiteral("Application (3/3)"));
}

void TstClusterTreeModel::movesNodeWhenHelloRevealsRole()
{
    ClusterModel cluster(QStringLiteral("t"));
    ClusterTreeModel tree(cluster);
    QAbstractItemModelTester tester(&tree, QAbstractItemModelTester::FailureReportingMode::QtTest);
    cluster.addNode(QStringLiteral("b"), QStringLiteral("198.18.0.2"));
    cluster.addNode(QStringLiteral("a"), QStringLiteral("198.18.0.1"));
    cluster.flush();
    QCOMPARE(tree.rowCount(tree.layerIndex(Layer::Unassigned)), 2);
    QCOMPARE(tree.nodeAt(tree.index(0, 0, tree.layerIndex(Layer::Unassigned))), QStringLiteral("a"));
    QSignalSpy removed(&tree, &QAbstractItemModel::rowsRemoved);
    QSignalSpy inserted(&tree, &QAbstractItemModel::rowsInserted);
    cluster.setHello(QStringLiteral("b"), testing::makeHello(QStringLiteral("b"), {proto::Role::Director}));
    cluster.flush();
    QCOMPARE(removed.count(), 1);
    QCOMPARE(inserted.count(), 1);
    QCOMPARE(tree.indexOf(QStringLiteral("b")).parent(), tree.layerIndex(Layer::LoadBalancing));
}

void TstClusterTreeModel::removalAndStateColors()
{
    ClusterModel cluster(QStringLiteral("t"));
    ClusterTreeModel tree(cluster);
    QAbstractItemModelTester tester(&tree, QAbstractItemModelTester::FailureReportingMode::QtTest);
    testing::SyntheticCluster source;
    source.open(cluster);
    cluster.flush();
    QSignalSpy changed(&tree, &QAbstractItemModel::dataChanged);
    cluster.setLink(QStringLiteral("web1"), NodeState::Unreachable, QStringLiteral("timeout"));
    cluster.setLink(QStringLiteral("web3"), NodeState::Degraded);
    cluster.flush();
    // One range for the layer's rows, one for the layer row itself.
    QCOMPARE(changed.count(), 2);
    const auto web1 = tree.indexOf(QStringLiteral("web1"));
    const auto state = tree.index(web1.row(), ClusterTreeModel::State, web1.parent());
    QCOMPARE(tree.data(state).toString(), QStringLiteral("unreachable"));
    QVERIFY(tree.data(state, Qt::ToolTipRole).toString().contains(QStringLiteral("timeout")));
    QVERIFY(tree.data(state, Qt::ForegroundRole).isValid());
    cluster.removeNode(QStringLiteral("web2"));
    cluster.flush();
    QCOMPARE(tree.rowCount(tree.layerIndex(Layer::Application)), 2);
    QVERIFY(!tree.indexOf(QStringLiteral("web2")).isValid());
}

QTEST_MAIN(TstClusterTreeModel)
#include "tst_clustertreemodel.moc"
