// Drives the real MainWindow: topology, services per director, VRRP, alarms,
// permission-aware actions, the language switch, and screenshots in English
// and Chinese (light and dark) saved as test artifacts.

#include "guitest.h"
#include "app/clustersession.h"
#include "app/mainwindow.h"
#include "hadeck/console/model/clusteractions.h"
#include "models/servicesmodel.h"
#include "models/vrrpmodel.h"
#include "synthetic/syntheticcluster.h"
#include "topology/topologyscene.h"
#include "topology/topologyview.h"

#include <QAction>
#include <QDir>
#include <QHeaderView>
#include <QListWidget>
#include <QSortFilterProxyModel>
#include <QTabWidget>
#include <QTableView>
#include <QTest>
#include <QTreeView>

using namespace hadeck;
using namespace hadeck::console;
using hadeck::testing::findRow;
using hadeck::ui::MainWindow;

namespace {

/// Where the cluster under test comes from. HADECK_GUI_SOURCE=lab selects the
/// lab cluster once its source exists; everything below is source-agnostic.
std::unique_ptr<testing::ClusterDataSource> makeSource()
{
    return std::make_unique<testing::SyntheticCluster>();
}

QString artifactsDir() { return testing::artifactsDir(QStringLiteral("gui")); }

} // namespace

class TstMainWindow : public QObject {
    Q_OBJECT
private slots:
    void init();
    void cleanup();
    void topologyShowsTheLayers();
    void clickInTopologySelectsEverywhere();
    void servicesTabShowsPerDirectorColumns();
    void vrrpTabShowsMasterAndBackupAndFailoverReachesTimeline();
    void alarmsReachTheDockAndBanner();
    void actionsAreGreyedWithAReason();
    void languageSwitchesAtRuntime();
    void screenshots_data();
    void screenshots();

private:
    void open();
    std::unique_ptr<MainWindow> m_window;
    std::unique_ptr<testing::ClusterDataSource> m_source;
    ui::ClusterSession* m_session = nullptr;
};

void TstMainWindow::init()
{
    m_window = std::make_unique<MainWindow>();
    m_window->setLanguage(QStringLiteral("en"));
    m_window->setTheme(ui::Theme::Light);
    m_window->resize(1440, 900);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    open();
}

void TstMainWindow::cleanup()
{
    m_window.reset();
    m_source.reset();
    m_session = nullptr;
}

void TstMainWindow::open()
{
    m_source = makeSource();
    auto session = std::make_unique<ui::ClusterSession>(QStringLiteral("gaokao-%1").arg(m_source->name()));
    m_source->open(session->model());
    m_source->advance(session->model());
    session->model().flush();
    m_session = m_window->addSession(std::move(session));
    QCoreApplication::processEvents();
}

void TstMainWindow::topologyShowsTheLayers()
{
    auto* scene = m_window->topologyScene();
    QVERIFY(scene != nullptr);
    QCOMPARE(scene->nodeItemCount(), static_cast<int>(m_session->model().nodes().size()));
    QCOMPARE(scene->vipItemCount(), 1);
    QVERIFY(scene->itemFor(QStringLiteral("lb1")) != nullptr);
    QVERIFY(scene->itemFor(QStringLiteral("web3")) != nullptr);
    QVERIFY(scene->itemFor(QStringLiteral("db2")) != nullptr);
    QVERIFY(scene->itemFor(QStringLiteral("chunk1")) != nullptr);
    // Directors sit above real servers, which sit above the data layer.
    QVERIFY(scene->itemFor(QStringLiteral("lb1"))->y() < scene->itemFor(QStringLiteral("web1"))->y());
    QVERIFY(scene->itemFor(QStringLiteral("web1"))->y() < scene->itemFor(QStringLiteral("db1"))->y());
    // VIP to 2 directors, gateway to VIP, 2 directors x 3 real servers, MooseFS master to 3 chunkservers.
    QCOMPARE(scene->edgeCount(), 2 + 1 + 6 + 3);
    QVERIFY(m_window->bannerText().contains(QStringLiteral("All clear")));
}

void TstMainWindow::clickInTopologySelectsEverywhere()
{
    m_window->tabs()->setCurrentIndex(MainWindow::TopologyTab);
    auto* view = m_window->topologyView();
    auto* item = m_window->topologyScene()->itemFor(QStringLiteral("web2"));
    view->ensureVisible(item);
    const QPoint pos = view->mapFromScene(item->sceneBoundingRect().center());
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, pos);
    QCOMPARE(m_session->selection().current(), QStringLiteral("web2"));
    QCOMPARE(m_window->clusterTree()->currentIndex().data().toString(), QStringLiteral("web2"));
    QCOMPARE(m_window->servicesView()->currentIndex().data(ui::ServicesModel::NodeNameRole).toString(),
             QStringLiteral("web2"));
    // And back: the tree selects in the topology.
    const auto lb2 = m_session->tree().indexOf(QStringLiteral("lb2"));
    QTest::mouseClick(m_window->clusterTree()->viewport(), Qt::LeftButton, {},
                      m_window->clusterTree()->visualRect(lb2).center());
    QCOMPARE(m_session->selection().current(), QStringLiteral("lb2"));
    QCOMPARE(m_window->vrrpView()->currentIndex().data(ui::VrrpModel::NodeNameRole).toString(), QStringLiteral("lb2"));
}

void TstMainWindow::servicesTabShowsPerDirectorColumns()
{
    m_window->tabs()->setCurrentIndex(MainWindow::ServicesTab);
    auto* view = m_window->servicesView();
    auto* header = view->header();
    QStringList titles;
    for (int c = 0; c < view->model()->columnCount(); ++c) {
        titles << view->model()->headerData(c, Qt::Horizontal).toString();
    }
    QVERIFY2(titles.contains(QStringLiteral("lb1 weight")), qPrintable(titles.join(',')));
    QVERIFY(titles.contains(QStringLiteral("lb2 weight")));
    QVERIFY(titles.contains(QStringLiteral("lb2 active")));
    QCOMPARE(header->count(), ui::ServicesModel::FirstDirectorColumn + 2 * ui::ServicesModel::GroupSize);
    // Drift: drain web1 on lb2 only; the row shows it.
    auto* synthetic = dynamic_cast<testing::SyntheticCluster*>(m_source.get());
    if (synthetic == nullptr) {
        QSKIP("drift is staged only on the synthetic source");
    }
    synthetic->setWeight(m_session->model(), 1, 0, 0, 0);
    m_session->model().flush();
    const auto http = findRow(view->model(), ui::ServicesModel::ServiceKeyRole, QStringLiteral("TCP 198.18.0.100:80"));
    QVERIFY(http.isValid());
    const auto web1 = findRow(view->model(), ui::ServicesModel::NodeNameRole, QStringLiteral("web1"), http);
    QVERIFY(web1.isValid());
    QVERIFY(web1.data(ui::ServicesModel::DriftRole).toBool());
    const auto lb2Weight = web1.siblingAtColumn(ui::ServicesModel::columnFor(1, ui::ServicesModel::Weight));
    QCOMPARE(lb2Weight.data().toInt(), 0);
    QVERIFY(lb2Weight.data(Qt::BackgroundRole).isValid());
    QVERIFY(view->isExpanded(web1.parent()));
}

void TstMainWindow::vrrpTabShowsMasterAndBackupAndFailoverReachesTimeline()
{
    m_window->tabs()->setCurrentIndex(MainWindow::VrrpTab);
    auto* model = m_window->vrrpView()->model();
    const auto inst = model->index(0, 0);
    QCOMPARE(model->index(0, ui::VrrpModel::State).data().toString(), QStringLiteral("MASTER on lb1"));
    QStringList states;
    for (int r = 0; r < model->rowCount(inst); ++r) {
        states << model->index(r, ui::VrrpModel::State, inst).data().toString();
    }
    states.sort();
    QCOMPARE(states, (QStringList{QStringLiteral("BACKUP"), QStringLiteral("MASTER")}));

    auto* synthetic = dynamic_cast<testing::SyntheticCluster*>(m_source.get());
    if (synthetic == nullptr) {
        QSKIP("the failover is staged only on the synthetic source");
    }
    synthetic->setVrrpState(m_session->model(), 0, proto::VrrpState::Backup);
    synthetic->setVrrpState(m_session->model(), 1, proto::VrrpState::Master);
    m_session->model().flush();
    QCOMPARE(model->index(0, ui::VrrpModel::State).data().toString(), QStringLiteral("MASTER on lb2"));
    auto* timeline = m_window->timelineView()->model();
    bool seen = false;
    for (int r = 0; r < timeline->rowCount(); ++r) {
        seen |= timeline->index(r, 4).data().toString().contains(QStringLiteral("BACKUP → MASTER"));
    }
    QVERIFY(seen);
}

void TstMainWindow::alarmsReachTheDockAndBanner()
{
    m_session->model().setLink(QStringLiteral("lb2"), NodeState::Unreachable, QStringLiteral("no route to host"));
    m_session->model().flush();
    QCOMPARE(m_window->alarmList()->count(), 1);
    QVERIFY(m_window->alarmList()->item(0)->text().contains(QStringLiteral("lb2")));
    QVERIFY2(m_window->bannerText().contains(QStringLiteral("1 critical alarm")), qPrintable(m_window->bannerText()));
    m_session->model().setLink(QStringLiteral("lb2"), NodeState::Online);
    m_session->model().flush();
    QVERIFY(m_window->bannerText().contains(QStringLiteral("All clear")));
}

void TstMainWindow::actionsAreGreyedWithAReason()
{
    auto* drain = m_window->nodeAction(NodeAction::Drain);
    QVERIFY(!drain->isEnabled());
    QVERIFY(drain->toolTip().contains(QStringLiteral("Select a node")));
    m_session->selection().select(QStringLiteral("web1"));
    QVERIFY(!drain->isEnabled()); // no action engine in this build: said so, not faked
    QVERIFY2(drain->toolTip().contains(QStringLiteral("Not available yet")), qPrintable(drain->toolTip()));
    m_session->model().setHello(QStringLiteral("web1"), testing::makeHello(QStringLiteral("web1"), {proto::Role::RealServer},
                                                                           proto::PermissionLevel::Read));
    m_session->model().flush();
    QVERIFY(!drain->isEnabled());
    QVERIFY2(drain->toolTip().contains(QStringLiteral("hadeck-operator")), qPrintable(drain->toolTip()));
    auto* failover = m_window->nodeAction(NodeAction::Failover);
    QVERIFY(failover->toolTip().contains(QStringLiteral("not a director")));
}

void TstMainWindow::languageSwitchesAtRuntime()
{
    m_window->setLanguage(QStringLiteral("zh_CN"));
    QCOMPARE(m_window->language(), QStringLiteral("zh_CN"));
    QCOMPARE(m_window->tabs()->tabText(MainWindow::TopologyTab), QStringLiteral("拓扑"));
    QVERIFY(m_window->bannerText().contains(QStringLiteral("一切正常")));
    QCOMPARE(m_window->vrrpView()->model()->headerData(ui::VrrpModel::State, Qt::Horizontal).toString(),
             QStringLiteral("状态"));
    m_window->setLanguage(QStringLiteral("en"));
    QCOMPARE(m_window->tabs()->tabText(MainWindow::TopologyTab), QStringLiteral("Topology"));
}

void TstMainWindow::screenshots_data()
{
    QTest::addColumn<QString>("lang");
    QTest::addColumn<QString>("theme");
    QTest::newRow("en-light") << QStringLiteral("en") << QStringLiteral("light");
    QTest::newRow("zh_CN-light") << QStringLiteral("zh_CN") << QStringLiteral("light");
    QTest::newRow("en-dark") << QStringLiteral("en") << QStringLiteral("dark");
    QTest::newRow("zh_CN-dark") << QStringLiteral("zh_CN") << QStringLiteral("dark");
}

void TstMainWindow::screenshots()
{
    QFETCH(QString, lang);
    QFETCH(QString, theme);
    m_window->setLanguage(lang);
    m_window->setTheme(ui::themeFromString(theme));
    // A cluster with something to look at: a drained real server and a DR-check failure.
    if (auto* synthetic = dynamic_cast<testing::SyntheticCluster*>(m_source.get())) {
        synthetic->setWeight(m_session->model(), 0, 0, 2, 0);
        synthetic->setWeight(m_session->model(), 1, 0, 2, 0);
        synthetic->setWeight(m_session->model(), 0, 1, 2, 0);
        synthetic->setWeight(m_session->model(), 1, 1, 2, 0);
        synthetic->advance(m_session->model());
    }
    m_session->model().flush();
    m_session->selection().select(QStringLiteral("web1"));
    const QString dir = artifactsDir();
    const QStringList names{QStringLiteral("topology"), QStringLiteral("services"), QStringLiteral("vrrp")};
    for (int tab = 0; tab < names.size(); ++tab) {
        m_window->tabs()->setCurrentIndex(tab);
        if (tab == MainWindow::TopologyTab) {
            m_window->topologyView()->zoomToFit();
        }
        QCoreApplication::processEvents();
        const QImage image = m_window->grab().toImage();
        QVERIFY(!image.isNull());
        QCOMPARE(image.size(), m_window->size() * m_window->devicePixelRatio());
        const QString path = QStringLiteral("%1/%2_%3_%4.png").arg(dir, names[tab], lang, theme);
        QVERIFY2(image.save(path), qPrintable(path));
    }
    m_window->setLanguage(QStringLiteral("en"));
}

QTEST_MAIN(TstMainWindow)
#include "tst_mainwindow.moc"
