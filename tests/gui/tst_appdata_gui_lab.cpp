// The Database and Storage tabs on the running lab, in English and Chinese:
// db2's replica lag chart keeps moving while the replica is stopped (a gap: no
// lag is known) and restarted (the line resumes), both through the tab's buttons,
// the agent's preflight and the confirmation; chunkserver maintenance on cs2
// turned on from the Storage tab, seen there and in mfscli on the master, then off.
// Screenshots as test artifacts.

#include "guilab.h"

#include "charts/timechart.h"
#include "database/databaseview.h"
#include "database/replicationmodel.h"
#include "export/tableexport.h"
#include "hosts/hostsview.h"
#include "logs/auditmodel.h"
#include "logs/auditview.h"
#include "logs/logmodel.h"
#include "logs/logsview.h"
#include "storage/storagemodels.h"
#include "storage/storageview.h"

#include <QFile>
#include <QLabel>
#include <QProcess>
#include <QScopeGuard>
#include <QSet>
#include <QPushButton>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTableView>
#include <QTableWidget>
#include <QUuid>
#include <QTest>

using namespace hadeck;
using hadeck::ui::MainWindow;
using hadeck::ui::ReplicationModel;

namespace {

const QString kDb2 = QStringLiteral("db2");
const QString kCs2 = QStringLiteral("198.18.0.43");

QString artifacts() { return testing::artifactsDir(QStringLiteral("gui-appdata-lab")); }

bool save(QWidget* w, const QString& name, const QString& lang)
{
    return testing::saveShot(w, artifacts(), name, lang);
}

using testing::labExec;

/// cs2's row of `mfscli -SCS` on the master, as the admin would read it.
QByteArray mfscliCs2()
{
    const QByteArray out = labExec(QStringLiteral("mfsmaster"),
                                   {QStringLiteral("mfscli"), QStringLiteral("-H"), QStringLiteral("198.18.0.41"),
                                    QStringLiteral("-P"), QStringLiteral("9421"), QStringLiteral("-s"), QStringLiteral("|"),
                                    QStringLiteral("-SCS")});
    for (const auto& line : out.split('\n')) {
        if (line.contains("|" + kCs2.toLatin1() + "|")) {
            return line;
        }
    }
    return {};
}

} // namespace

class TstAppdataGuiLab : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void replicaLagChart_data();
    void replicaLagChart();
    void chunkserverMaintenance_data();
    void chunkserverMaintenance();
    void hostsCompared();
    void logsFollowApache_data();
    void logsFollowApache();
    void auditOfTheseActions_data();
    void auditOfTheseActions();

private:
    std::unique_ptr<MainWindow> m_window;
    ui::ClusterSession* m_session = nullptr;
};

void TstAppdataGuiLab::initTestCase()
{
    if (!testing::labIsUp()) {
        QSKIP("the lab is not up (no /run/hadeck-lab/inventory.json)");
    }
    auto lab = testing::openLabWindow(
        {QStringLiteral("db1"), QStringLiteral("db2"), QStringLiteral("mfsmaster"), QStringLiteral("web1")},
        QSize(1440, 900), 60000);
    m_window = std::move(lab.window);
    m_session = lab.session;
    QVERIFY2(lab.error.isEmpty(), qPrintable(lab.error));
}

void TstAppdataGuiLab::cleanupTestCase()
{
    m_window.reset();
    if (testing::labIsUp()) {
        // Leave the lab as found, whatever failed.
        labExec(kDb2, {QStringLiteral("mariadb"), QStringLiteral("-e"), QStringLiteral("START REPLICA")});
        labExec(QStringLiteral("mfsmaster"), {QStringLiteral("mfscli"), QStringLiteral("-H"), QStringLiteral("198.18.0.41"),
                                              QStringLiteral("-P"), QStringLiteral("9421"),
                                              QStringLiteral("-CM0/198.18.0.43/9422")});
    }
}

void TstAppdataGuiLab::replicaLagChart_data()
{
    QTest::addColumn<QString>("lang");
    QTest::newRow("en") << QStringLiteral("en");
    QTest::newRow("zh_CN") << QStringLiteral("zh_CN");
}

void TstAppdataGuiLab::replicaLagChart()
{
    QFETCH(QString, lang);
    m_window->setLanguage(lang);
    auto* view = m_window->databaseView();
    QVERIFY(view != nullptr);
    m_window->tabs()->setCurrentIndex(MainWindow::DatabaseTab);
    auto* model = view->model();
    auto* chart = view->lagChart();
    const auto threads = [&] {
        const int r = model->rowOf(kDb2);
        return r < 0 ? QString()
                     : model->index(r, ReplicationModel::IoThread).data().toString() + QLatin1Char('/') +
                           model->index(r, ReplicationModel::SqlThread).data().toString();
    };
    // db2 replicates from db1 (named by its node), both threads run, the lag is charted.
    QTRY_COMPARE_WITH_TIMEOUT(threads(), QStringLiteral("Yes/Yes"), 30000);
    // Named from the inventory, whether or not db1's own answer has come yet.
    QCOMPARE(model->masterNodeOf(kDb2), QStringLiteral("db1"));
    QTRY_VERIFY_WITH_TIMEOUT(model->rowOf(QStringLiteral("db1")) >= 0, 30000);
    QCOMPARE(model->masterNodeOf(kDb2), QStringLiteral("db1"));
    QTRY_VERIFY_WITH_TIMEOUT(chart->lastValue(kDb2).has_value() && chart->rawCount(kDb2) >= 3, 30000);

    QStringList confirmations;
    view->confirmHook = [&](const QString&, const QString& text) {
        confirmations << text;
        return true;
    };
    auto* stop = view->findChild<QPushButton*>(QStringLiteral("dbReplicaStop"));
    auto* start = view->findChild<QPushButton*>(QStringLiteral("dbReplicaStart"));
    QVERIFY(stop != nullptr && start != nullptr);
    view->selectNode(kDb2);
    QTRY_VERIFY_WITH_TIMEOUT(stop->isEnabled(), 5000);
    QSignalSpy finished(view, &ui::DatabaseView::actionFinished);
    // Whatever fails below, the replica runs again for the next language and test.
    auto restart = qScopeGuard([] { labExec(kDb2, {QStringLiteral("mariadb"), QStringLiteral("-e"), QStringLiteral("START REPLICA")}); });

    // Stop: the chart goes on (new samples), with no lag known (a gap).
    const int beforeStop = chart->rawCount(kDb2);
    QTest::mouseClick(stop, Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 90000);
    QVERIFY2(finished.at(0).at(1).toBool(), qPrintable(finished.at(0).at(2).toString()));
    QCOMPARE(confirmations.size(), 1);
    QVERIFY2(confirmations.front().contains(kDb2), qPrintable(confirmations.front()));
    QTRY_COMPARE_WITH_TIMEOUT(threads(), QStringLiteral("No/No"), 30000);
    QTRY_VERIFY_WITH_TIMEOUT(!chart->lastValue(kDb2).has_value(), 10000);
    const int stoppedAt = chart->rawCount(kDb2);
    qInfo("lag samples: %d before the stop, %d once stopped", beforeStop, stoppedAt);
    QTRY_VERIFY_WITH_TIMEOUT(chart->rawCount(kDb2) >= stoppedAt + 3, 15000); // still moving while stopped
    QVERIFY(!chart->lastValue(kDb2).has_value());
    QVERIFY(labExec(kDb2, {QStringLiteral("mariadb"), QStringLiteral("-e"), QStringLiteral("SHOW REPLICA STATUS\\G")})
                .contains("Slave_SQL_Running: No"));
    chart->flush();
    QVERIFY(save(m_window.get(), QStringLiteral("01-replica-stopped"), lang));

    // Start: the line resumes after the gap.
    QTest::mouseClick(start, Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 2, 90000);
    QVERIFY2(finished.at(1).at(1).toBool(), qPrintable(finished.at(1).at(2).toString()));
    QCOMPARE(confirmations.size(), 2);
    QTRY_COMPARE_WITH_TIMEOUT(threads(), QStringLiteral("Yes/Yes"), 30000);
    QTRY_VERIFY_WITH_TIMEOUT(chart->lastValue(kDb2).has_value(), 30000);
    const int restartedAt = chart->rawCount(kDb2);
    QTRY_VERIFY_WITH_TIMEOUT(chart->rawCount(kDb2) >= restartedAt + 3, 15000);
    chart->flush();
    QVERIFY2(chart->segmentCount(kDb2) >= 2, qPrintable(QString::number(chart->segmentCount(kDb2))));
    QVERIFY(save(m_window.get(), QStringLiteral("02-replica-restarted"), lang));
    QVERIFY(save(chart, QStringLiteral("03-lag-chart"), lang));
    view->confirmHook = nullptr;
}

void TstAppdataGuiLab::chunkserverMaintenance_data()
{
    QTest::addColumn<QString>("lang");
    QTest::newRow("en") << QStringLiteral("en");
    // The second toggle once failed its preflight under load ("mfsmaster did not answer
    // agent.ping within 2.5 s"): a missed ping dropped the link under the dry run. The
    // preflight now waits for the reconnect (AgentClient::ask), so both languages run.
    QTest::newRow("zh_CN") << QStringLiteral("zh_CN");
}

void TstAppdataGuiLab::chunkserverMaintenance()
{
    QFETCH(QString, lang);
    m_window->setLanguage(lang);
    auto* view = m_window->storageView();
    QVERIFY(view != nullptr);
    m_window->tabs()->setCurrentIndex(MainWindow::StorageTab);
    QTRY_COMPARE_WITH_TIMEOUT(view->masterNode(), QStringLiteral("mfsmaster"), 30000);
    auto* model = view->chunkservers();
    QTRY_VERIFY_WITH_TIMEOUT(model->rowOf(kCs2, 9422) >= 0, 30000);
    const auto maintenance = [&] {
        const int r = model->rowOf(kCs2, 9422);
        return r >= 0 && model->index(r, 0).data(ui::ChunkserverModel::MaintenanceOnRole).toBool();
    };
    // One mfs.status read runs several mfscli on the master (over 10 s in the lab, where -SHD
    // fails at its timeout): a change shows within a few reads.
    constexpr int kShownWithin = 90000;
    QVERIFY(mfscliCs2().contains("maintenance_off"));
    QTRY_VERIFY_WITH_TIMEOUT(!maintenance(), kShownWithin);
    QVERIFY(mfscliCs2().contains("maintenance_off"));
    QVERIFY(view->selectChunkserver(kCs2));
    // The disks shown are cs2's.
    QVERIFY(view->status().has_value());
    qInfo("mfs.status: %d disks, first %s; %d shown", int(view->status()->disks.size()),
          view->status()->disks.empty() ? "-" : view->status()->disks.front().server.c_str(), view->diskTable()->model()->rowCount());
    // The disks come from `mfscli -SHD` on the master; when the agent could not read them it
    // says why in the status, and the tab shows it (checked here), with no disk rows.
    const bool disksShown = QTest::qWaitFor([&] { return view->diskTable()->model()->rowCount() >= 1; }, 15000);
    QCOMPARE(disksShown, !view->status()->disks.empty());
    if (view->status()->disks.empty()) {
        QVERIFY(!view->status()->reason.empty());
        QVERIFY2(view->healthLabel()->text().contains(QString::fromStdString(view->status()->reason)),
                 qPrintable(view->healthLabel()->text()));
        qWarning("the agent read no disks: %s", view->status()->reason.c_str());
    }
    for (int r = 0; r < view->diskTable()->model()->rowCount(); ++r) {
        QVERIFY(view->diskTable()->model()->index(r, 0).data().toString().startsWith(kCs2 + QLatin1Char(':')));
    }
    QStringList confirmations;
    view->confirmHook = [&](const QString&, const QString& text) {
        confirmations << text;
        return true;
    };
    QSignalSpy finished(view, &ui::StorageView::actionFinished);
    auto off = qScopeGuard([] {
        labExec(QStringLiteral("mfsmaster"), {QStringLiteral("mfscli"), QStringLiteral("-H"), QStringLiteral("198.18.0.41"), QStringLiteral("-P"),
                                              QStringLiteral("9421"), QStringLiteral("-CM0/198.18.0.43/9422")});
    });
    auto* toggle = view->findChild<QPushButton*>(QStringLiteral("mfsMaintenance"));
    QVERIFY(toggle != nullptr);
    QTRY_VERIFY_WITH_TIMEOUT(toggle->isEnabled(), 5000);
    QTest::mouseClick(toggle, Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 90000);
    QVERIFY2(finished.at(0).at(1).toBool(), qPrintable(finished.at(0).at(2).toString()));
    QCOMPARE(confirmations.size(), 1);
    QVERIFY2(confirmations.front().contains(kCs2), qPrintable(confirmations.front()));
    QTRY_VERIFY_WITH_TIMEOUT(maintenance(), kShownWithin);
    QVERIFY2(mfscliCs2().contains("maintenance_on"), mfscliCs2().constData());
    QVERIFY(save(m_window.get(), QStringLiteral("04-cs2-maintenance-on"), lang));

    // And off again, the same way.
    QTRY_VERIFY_WITH_TIMEOUT(toggle->isEnabled(), 5000);
    QTest::mouseClick(toggle, Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 2, 90000);
    QVERIFY2(finished.at(1).at(1).toBool(), qPrintable(finished.at(1).at(2).toString()));
    QTRY_VERIFY_WITH_TIMEOUT(!maintenance(), kShownWithin);
    QVERIFY2(mfscliCs2().contains("maintenance_off"), mfscliCs2().constData());
    QVERIFY(save(m_window.get(), QStringLiteral("05-cs2-maintenance-off"), lang));
    view->confirmHook = nullptr;
}

/// The Hosts tab: several nodes on one chart, live samples and the agents' history.
void TstAppdataGuiLab::hostsCompared()
{
    m_window->setLanguage(QStringLiteral("en"));
    auto* view = m_window->hostsView();
    QVERIFY(view != nullptr);
    QSignalSpy history(view, &ui::HostsView::historyLoaded);
    m_window->tabs()->setCurrentIndex(MainWindow::HostsTab);
    view->setMetric(ui::HostsView::Metric::Load);
    view->setRange(ui::HostsView::Range::Hour);
    for (const auto& n : m_session->model().nodeNames()) {
        view->setNodeChecked(n, n == QStringLiteral("db1") || n == QStringLiteral("web1") || n == QStringLiteral("mfsmaster"));
    }
    QCOMPARE(view->checkedNodes().size(), 3);
    QCOMPARE(view->chart()->seriesKeys().size(), 3);
    // History first (the agents have kept load samples since the lab came up), then live samples.
    // Each compared node's own history: answers for the nodes unchecked above are not counted.
    const auto loaded = [&history] {
        QSet<QString> nodes;
        for (const auto& args : std::as_const(history)) {
            nodes.insert(args.at(0).toString());
        }
        return nodes;
    };
    const QStringList checked = view->checkedNodes(); // one list: its begin and end must be of the same
    const QSet<QString> compared(checked.cbegin(), checked.cend());
    QTRY_VERIFY_WITH_TIMEOUT(loaded().contains(compared), 30000);
    QCOMPARE(loaded(), compared);
    for (const auto& n : view->checkedNodes()) {
        const int before = view->chart()->rawCount(n);
        QVERIFY2(before >= 10, qPrintable(QStringLiteral("%1: %2 samples from history").arg(n).arg(before)));
        QTRY_VERIFY_WITH_TIMEOUT(view->chart()->rawCount(n) >= before + 2, 15000);
    }
    view->chart()->flush();
    QVERIFY(view->chart()->drawnPointsMax() <= 2 * view->chart()->viewport()->width());
    QVERIFY(save(m_window.get(), QStringLiteral("06-hosts-load"), QStringLiteral("en")));
    // Network needs the interfaces' names (from host.status), then their history, summed.
    history.clear();
    view->setMetric(ui::HostsView::Metric::Network);
    QTRY_VERIFY_WITH_TIMEOUT(loaded().contains(compared), 30000);
    QVERIFY(view->chart()->rawCount(QStringLiteral("web1")) >= 10);
    QString error;
    QVERIFY2(ui::TableExport::savePng(view->chart(), artifacts() + QStringLiteral("/07-hosts-network.png"), &error), qPrintable(error));
    QVERIFY(ui::TableExport::saveCsv(*m_window->storageView()->chunkservers(), artifacts() + QStringLiteral("/chunkservers.csv"), &error));
}

void TstAppdataGuiLab::logsFollowApache_data()
{
    QTest::addColumn<QString>("lang");
    QTest::newRow("en") << QStringLiteral("en");
    QTest::newRow("zh_CN") << QStringLiteral("zh_CN");
}

/// The Logs tab follows web1's and web2's Apache access logs while the client sends requests
/// through the VIP: the requests' lines arrive from the log.apache-access topics, merged in
/// time order across the two real servers.
void TstAppdataGuiLab::logsFollowApache()
{
    QFETCH(QString, lang);
    m_window->setLanguage(lang);
    auto* view = m_window->logsView();
    QVERIFY(view != nullptr);
    m_window->tabs()->setCurrentIndex(MainWindow::LogsTab);
    QTRY_VERIFY_WITH_TIMEOUT(m_session->model().node(QStringLiteral("web2")) != nullptr &&
                                 m_session->model().node(QStringLiteral("web2"))->link == console::NodeState::Online,
                             60000);
    for (const auto& n : m_session->model().nodeNames()) {
        view->setNodeChecked(n, n == QStringLiteral("web1") || n == QStringLiteral("web2"));
    }
    for (const auto& s : ui::LogsView::knownSources()) {
        view->setSourceChecked(s, s == QStringLiteral("apache-access"));
    }
    QSignalSpy loaded(view, &ui::LogsView::loaded);
    view->setFollow(true);
    QTRY_VERIFY_WITH_TIMEOUT(loaded.count() >= 1, 30000);
    QTRY_COMPARE_WITH_TIMEOUT(view->followedTopics(),
                              (QStringList{QStringLiteral("web1 apache-access"), QStringLiteral("web2 apache-access")}),
                              30000);
    // Requests with a marker only this run writes, through the VIP (both real servers serve).
    const QString marker = QUuid::createUuid().toString(QUuid::Id128).left(12);
    view->setFilterText(marker);
    QProcess load;
    load.start(
        qEnvironmentVariable("HADECK_LAB"),
        {QStringLiteral("exec"), QStringLiteral("client"), QStringLiteral("bash"), QStringLiteral("-c"),
         QStringLiteral("for i in $(seq 40); do curl -s -o /dev/null -m 5 http://198.18.0.100/?%1-$i; sleep 0.1; done")
             .arg(marker)});
    QVERIFY(load.waitForStarted());
    const auto nodesShown = [&] {
        QSet<QString> nodes;
        for (int r = 0; r < view->filtered()->rowCount(); ++r) {
            nodes.insert(view->filtered()->index(r, ui::LogModel::Node).data().toString());
        }
        return nodes;
    };
    QTRY_VERIFY_WITH_TIMEOUT(view->filtered()->rowCount() >= 10, 30000);
    QTRY_VERIFY_WITH_TIMEOUT(nodesShown().size() == 2, 30000);
    load.waitForFinished(60000);
    QTRY_VERIFY_WITH_TIMEOUT(view->filtered()->rowCount() >= 30, 30000);
    // Merged in time order across the nodes.
    qint64 last = 0;
    for (int r = 0; r < view->filtered()->rowCount(); ++r) {
        const qint64 t = view->filtered()->index(r, 0).data(ui::LogModel::TimeRole).toLongLong();
        QVERIFY(t >= last);
        last = t;
    }
    qInfo("%d access lines with the marker, from %d real servers", view->filtered()->rowCount(),
          int(nodesShown().size()));
    QVERIFY(save(m_window.get(), QStringLiteral("08-logs-follow"), lang));
    view->setFilterText({});
    view->setFollow(false);
    QTRY_VERIFY(view->followedTopics().isEmpty());
}

void TstAppdataGuiLab::auditOfTheseActions_data()
{
    QTest::addColumn<QString>("lang");
    QTest::newRow("en") << QStringLiteral("en");
    QTest::newRow("zh_CN") << QStringLiteral("zh_CN");
}

/// The Audit tab: the replica stops and starts and the maintenance toggles this test made are in
/// db2's and mfsmaster's audit logs (intent and outcome), filterable by node and action, and each
/// node's chain verifies.
void TstAppdataGuiLab::auditOfTheseActions()
{
    QFETCH(QString, lang);
    m_window->setLanguage(lang);
    auto* view = m_window->auditView();
    QVERIFY(view != nullptr);
    QSignalSpy loaded(view, &ui::AuditView::loaded);
    m_window->tabs()->setCurrentIndex(MainWindow::AuditTab);
    view->reload();
    QTRY_VERIFY_WITH_TIMEOUT(loaded.count() >= 1, 90000);
    const auto detail = [view](const QString& node) {
        for (int r = 0; r < view->chainTable()->rowCount(); ++r) {
            if (view->chainTable()->item(r, 0)->text() == node) {
                return view->chainTable()->item(r, 2)->text();
            }
        }
        return QStringLiteral("(no row)");
    };
    for (const char* n : {"db1", "db2", "mfsmaster", "web1"}) {
        const QString node = QString::fromLatin1(n);
        QVERIFY2(view->chainState(node) == QStringLiteral("ok"),
                 qPrintable(QStringLiteral("%1: %2 (%3)").arg(node, view->chainState(node), detail(node))));
    }
    view->setActionFilter(QStringLiteral("db.replicaStop"));
    int stops = 0;
    for (int r = 0; r < view->filtered()->rowCount(); ++r) {
        const auto i = view->filtered()->index(r, 0);
        QCOMPARE(i.data(ui::AuditModel::NodeNameRole).toString(), kDb2);
        stops += view->filtered()->index(r, ui::AuditModel::Phase).data().toString().isEmpty() ? 0 : 1;
    }
    // Each language's run of replicaLagChart stopped the replica once (intent and outcome, plus the dry runs).
    QVERIFY2(stops >= 2, qPrintable(QString::number(stops)));
    view->setActionFilter(QStringLiteral("mfs.setMaintenance"));
    QVERIFY(view->filtered()->rowCount() >= 2);
    view->setNodeChecked(QStringLiteral("mfsmaster"), false);
    QCOMPARE(view->filtered()->rowCount(), 0);
    view->setNodeChecked(QStringLiteral("mfsmaster"), true);
    view->setActionFilter({});
    QVERIFY(save(m_window.get(), QStringLiteral("09-audit"), lang));
}

QTEST_MAIN(TstAppdataGuiLab)
#include "tst_appdata_gui_lab.moc"
