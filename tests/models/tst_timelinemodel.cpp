#include "app/language.h"
#include "models/timelinemodel.h"
#include "synthetic/syntheticcluster.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace hadeck;
using namespace hadeck::console;
using hadeck::ui::TimelineModel;

class TstTimelineModel : public QObject {
    Q_OBJECT
private slots:
    void collectsTransitionsAlarmsAndActions();
    void isBounded();
    void languageSwitchRetranslatesExistingLines();
};

void TstTimelineModel::collectsTransitionsAlarmsAndActions()
{
    ClusterModel cluster(QStringLiteral("t"));
    TimelineModel model(cluster);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    testing::SyntheticCluster source;
    source.open(cluster);
    cluster.flush();
    const int start = model.rowCount();
    source.setVrrpState(cluster, 0, proto::VrrpState::Fault);
    cluster.flush();
    cluster.recordAdminAction(QStringLiteral("lb1"), QStringLiteral("ops released MASTER on lb1"));
    cluster.flush();
    QVERIFY(model.rowCount() >= start + 3); // transition, no-master alarm, admin action
    // Newest first.
    QCOMPARE(model.data(model.index(0, TimelineModel::Message)).toString(), QStringLiteral("ops released MASTER on lb1"));
    QCOMPARE(model.data(model.index(0, TimelineModel::Node), TimelineModel::NodeNameRole).toString(),
             QStringLiteral("lb1"));
    bool sawTransition = false;
    bool sawAlarm = false;
    for (int row = 0; row < model.rowCount(); ++row) {
        const auto kind = static_cast<ClusterEvent::Kind>(model.data(model.index(row, 0), TimelineModel::KindRole).toInt());
        sawTransition |= kind == ClusterEvent::Kind::VrrpTransition;
        sawAlarm |= kind == ClusterEvent::Kind::AlarmRaised &&
                    model.data(model.index(row, TimelineModel::Message)).toString().contains(QStringLiteral("No MASTER"));
    }
    QVERIFY(sawTransition);
    QVERIFY(sawAlarm);
}

void TstTimelineModel::isBounded()
{
    ClusterModel cluster(QStringLiteral("t"));
    TimelineModel model(cluster, 10);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QList<ClusterEvent> burst;
    for (int i = 0; i < 25; ++i) {
        burst << ClusterEvent{i, ClusterEvent::Kind::AdminAction, Severity::Info, {}, QString::number(i), {}};
    }
    model.append(burst.mid(0, 7));
    model.append(burst.mid(7));
    QCOMPARE(model.rowCount(), 10);
    QCOMPARE(model.data(model.index(0, TimelineModel::Message)).toString(), QStringLiteral("24"));
    QCOMPARE(model.data(model.index(9, TimelineModel::Message)).toString(), QStringLiteral("15"));
}

void TstTimelineModel::languageSwitchRetranslatesExistingLines()
{
    ui::Language language;
    QVERIFY(language.apply(QStringLiteral("en")));
    ClusterModel cluster(QStringLiteral("t"));
    TimelineModel model(cluster);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    testing::SyntheticCluster source;
    source.open(cluster);
    cluster.flush();
    cluster.setLink(QStringLiteral("web1"), NodeState::Unreachable);
    cluster.flush();
    QModelIndex line;
    for (int r = 0; r < model.rowCount(); ++r) {
        if (model.eventAt(r).kind == ClusterEvent::Kind::LinkChange) {
            line = model.index(r, TimelineModel::Message);
            break;
        }
    }
    QVERIFY(line.isValid());
    QCOMPARE(line.data().toString(), QStringLiteral("web1 is now unreachable"));
    const QString alarmEn = model.index(0, TimelineModel::Message).data().toString();
    QCOMPARE(alarmEn, QStringLiteral("web1 is unreachable"));

    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    QSignalSpy headers(&model, &QAbstractItemModel::headerDataChanged);
    QVERIFY(language.apply(QStringLiteral("zh_CN")));
    QVERIFY(!changed.isEmpty()); // views repaint every line
    QVERIFY(!headers.isEmpty());
    // The sentence and the word inside it both follow the switch, from the catalog's own entries.
    const QString frame = QCoreApplication::translate("ClusterModel", "%1 is now %2");
    const QString word = QCoreApplication::translate("Names", "unreachable");
    QVERIFY2(frame != QStringLiteral("%1 is now %2"), "zh_CN catalog lacks the link sentence");
    QCOMPARE(line.data().toString(), QString(frame).replace(QStringLiteral("%1"), QStringLiteral("web1"))
                                         .replace(QStringLiteral("%2"), word));
    QVERIFY(model.index(0, TimelineModel::Message).data().toString() != alarmEn);
    QCOMPARE(model.headerData(TimelineModel::Message, Qt::Horizontal).toString(),
             QCoreApplication::translate("hadeck::ui::TimelineModel", "Message"));

    QVERIFY(language.apply(QStringLiteral("en")));
    QCOMPARE(line.data().toString(), QStringLiteral("web1 is now unreachable"));
}

QTEST_MAIN(TstTimelineModel)
#include "tst_timelinemodel.moc"
