#include "models/vrrpmodel.h"
#include "synthetic/syntheticcluster.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

#include <limits>

using namespace hadeck;
using namespace hadeck::console;
using hadeck::ui::VrrpModel;

namespace {
/// The model, under the tester, on the default synthetic cluster, opened.
struct Opened {
    ClusterModel cluster{QStringLiteral("t")};
    VrrpModel model{cluster};
    QAbstractItemModelTester tester{&model, QAbstractItemModelTester::FailureReportingMode::QtTest};
    testing::SyntheticCluster source;
    Opened()
    {
        source.open(cluster);
        cluster.flush();
    }
};
} // namespace

class TstVrrpModel : public QObject {
    Q_OBJECT
private slots:
    void instancesWithDirectors();
    void failoverShowsNewMaster();
    void splitBrainAndRemoval();
    void transitionTimeNoClockGivesIsNotShown();
};

void TstVrrpModel::instancesWithDirectors()
{
    ClusterModel cluster(QStringLiteral("t"));
    VrrpModel model(cluster);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    testing::SyntheticOptions options;
    options.services = 4; // two VIPs -> two instances
    testing::SyntheticCluster source(options);
    source.open(cluster);
    cluster.flush();
    QCOMPARE(model.rowCount(), 2);
    const auto vi1 = model.index(0, 0);
    QCOMPARE(model.data(vi1).toString(), QStringLiteral("VI_1"));
    QCOMPARE(model.data(model.index(0, VrrpModel::Vrid)).toInt(), 51);
    QCOMPARE(model.data(model.index(0, VrrpModel::State)).toString(), QStringLiteral("MASTER on lb1"));
    QCOMPARE(model.data(model.index(0, VrrpModel::SyncGroup)).toString(), QStringLiteral("VG_WEB"));
    QCOMPARE(model.rowCount(vi1), 2);
    QCOMPARE(model.data(model.index(0, VrrpModel::State, vi1)).toString(), QStringLiteral("MASTER"));
    QCOMPARE(model.data(model.index(1, VrrpModel::State, vi1)).toString(), QStringLiteral("BACKUP"));
    QCOMPARE(model.data(model.index(1, VrrpModel::Priority, vi1)).toString(), QStringLiteral("99"));
    QCOMPARE(model.data(model.index(0, VrrpModel::VipHolder, vi1)).toString(), QStringLiteral("yes"));
    QCOMPARE(model.firstIndexOfNode(QStringLiteral("lb2")).row(), 1);
}

void TstVrrpModel::failoverShowsNewMaster()
{
    Opened o;
    auto& [cluster, model, tester, source] = o;
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    source.setVrrpState(cluster, 0, proto::VrrpState::Backup);
    source.setVrrpState(cluster, 1, proto::VrrpState::Master);
    cluster.flush();
    QCOMPARE(changed.count(), 2); // members, and the instance summary
    QCOMPARE(model.data(model.index(0, VrrpModel::State)).toString(), QStringLiteral("MASTER on lb2"));
    QCOMPARE(model.data(model.index(0, VrrpModel::VipHolder)).toString(), QStringLiteral("lb2"));
}

void TstVrrpModel::splitBrainAndRemoval()
{
    Opened o;
    auto& [cluster, model, tester, source] = o;
    source.setVrrpState(cluster, 1, proto::VrrpState::Master);
    cluster.flush();
    QVERIFY(model.data(model.index(0, VrrpModel::State)).toString().startsWith(QStringLiteral("split brain")));
    cluster.setVrrp(QStringLiteral("lb2"), {});
    cluster.flush();
    QCOMPARE(model.rowCount(model.index(0, 0)), 1);
    cluster.setVrrp(QStringLiteral("lb1"), {});
    cluster.flush();
    QCOMPARE(model.rowCount(), 0);
}

/// lastTransition is an agent's number: one past the year 9999 (or not finite) is shown as no
/// time, as 0 is, not as a date in year 318857 (and is never made a qint64 it does not fit).
void TstVrrpModel::transitionTimeNoClockGivesIsNotShown()
{
    Opened o;
    auto& [cluster, model, tester, source] = o;
    for (const double t : {1.7e9, 1e13, 1e300, std::numeric_limits<double>::infinity(),
                           std::numeric_limits<double>::quiet_NaN(), -1.0}) {
        proto::VrrpInstance in;
        in.name = "VI_1";
        in.vrid = 51;
        in.state = proto::VrrpState::Master;
        in.lastTransition = t;
        cluster.setVrrp(QStringLiteral("lb1"), {in});
        cluster.flush();
        const auto member = model.firstIndexOfNode(QStringLiteral("lb1"));
        QVERIFY(member.isValid());
        const QString text =
            model.data(model.index(member.row(), VrrpModel::LastTransition, member.parent())).toString();
        QVERIFY2(text.isEmpty() == (t != 1.7e9), qPrintable(QStringLiteral("%1: \"%2\"").arg(t).arg(text)));
    }
}

QTEST_MAIN(TstVrrpModel)
#include "tst_vrrpmodel.moc"
