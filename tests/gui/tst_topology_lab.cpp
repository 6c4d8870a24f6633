// The topology on the running lab, in English and Chinese: every layer live
// (the gateway, the VIP, both directors, web1 and web2, db1 above db2 with the
// replication lag on their edge, the MooseFS master and its chunkservers), and
// an observed edge from web1 to db1: the client requests PHP pages through the
// VIP, each page opens a connection to db1:3306, and web1's agent sees it in its
// established connections. Screenshots as test artifacts.

#include "guilab.h"

#include "topology/topologyscene.h"
#include "topology/topologyview.h"

#include <QFile>
#include <QProcess>
#include <QScopeGuard>
#include <QTabWidget>
#include <QTest>

using namespace hadeck;
using hadeck::ui::MainWindow;
using hadeck::ui::TopologyScene;
using Kind = TopologyScene::EdgeKind;

namespace {

QString artifacts() { return testing::artifactsDir(QStringLiteral("gui-topology-lab")); }

} // namespace

class TstTopologyLab : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void everyLayerLive_data();
    void everyLayerLive();

private:
    std::unique_ptr<MainWindow> m_window;
    ui::ClusterSession* m_session = nullptr;
    QProcess m_client;
};

void TstTopologyLab::initTestCase()
{
    if (!testing::labIsUp()) {
        QSKIP("the lab is not up (no /run/hadeck-lab/inventory.json)");
    }
    auto lab = testing::openLabWindow({QStringLiteral("db1"), QStringLiteral("db2"), QStringLiteral("mfsmaster"),
                                       QStringLiteral("web1"), QStringLiteral("dir1"), QStringLiteral("gw")},
                                      QSize(1600, 1000), 60000);
    m_window = std::move(lab.window);
    m_session = lab.session;
    QVERIFY2(lab.error.isEmpty(), qPrintable(lab.error));
    // The client asks for PHP pages through the VIP, 4 at a time, for the whole test (it is ended in cleanup).
    m_client.start(qEnvironmentVariable("HADECK_LAB"),
                   {QStringLiteral("exec"), QStringLiteral("client"), QStringLiteral("bash"), QStringLiteral("-c"),
                    QStringLiteral("end=$((SECONDS+240)); while [ $SECONDS -lt $end ]; do for j in 1 2 3 4; do "
                                   "curl -s -o /dev/null -m 5 http://198.18.0.100/index.php & done; wait; done")});
    QVERIFY(m_client.waitForStarted(10000));
}

void TstTopologyLab::cleanupTestCase()
{
    if (m_client.state() != QProcess::NotRunning) {
        m_client.terminate();
        if (!m_client.waitForFinished(5000)) {
            m_client.kill();
            m_client.waitForFinished(5000);
        }
    }
    m_window.reset();
}

void TstTopologyLab::everyLayerLive_data()
{
    QTest::addColumn<QString>("lang");
    QTest::newRow("en") << QStringLiteral("en");
    QTest::newRow("zh_CN") << QStringLiteral("zh_CN");
}

void TstTopologyLab::everyLayerLive()
{
    QFETCH(QString, lang);
    m_window->setLanguage(lang);
    m_window->tabs()->setCurrentIndex(MainWindow::TopologyTab);
    auto* scene = m_window->topologyScene();
    QVERIFY(scene != nullptr);
    const auto has = [&](const char* id) { return scene->itemFor(QString::fromLatin1(id)) != nullptr; };
    // Configured layers.
    QTRY_VERIFY_WITH_TIMEOUT(has("gw") && has("vip:198.18.0.100") && has("dir1") && has("dir2") && has("web1") &&
                                 has("web2") && has("db1") && has("db2") && has("mfsmaster") && has("cs1") &&
                                 has("cs2"),
                             30000);
    QTRY_VERIFY_WITH_TIMEOUT(scene->hasEdge(Kind::Standby, QStringLiteral("gw"), QStringLiteral("vip:198.18.0.100")),
                             30000);
    QTRY_VERIFY_WITH_TIMEOUT(scene->edgeCount(Kind::Traffic) >= 3, 30000); // VIP to its MASTER, MASTER to web1, web2
    // The DB master above its replica, the lag on the edge (from db2's db topic).
    QTRY_VERIFY_WITH_TIMEOUT(scene->hasEdge(Kind::Replication, QStringLiteral("db1"), QStringLiteral("db2")), 60000);
    const QString lag = scene->edgeLabel(Kind::Replication, QStringLiteral("db1"), QStringLiteral("db2"));
    qInfo("db1 -> db2: %s", qPrintable(lag));
    QVERIFY2(!lag.isEmpty(), "the replication edge carries the lag");
    QCOMPARE(scene->groupOf(QStringLiteral("db1")), TopologyScene::Group::Databases);
    QVERIFY(scene->itemFor(QStringLiteral("db1"))->x() < scene->itemFor(QStringLiteral("db2"))->x());
    // MooseFS: the master's own list of chunkservers (mfs topic of mfsmaster's agent).
    QTRY_VERIFY_WITH_TIMEOUT(scene->hasEdge(Kind::Storage, QStringLiteral("mfsmaster"), QStringLiteral("cs1")) &&
                                 scene->hasEdge(Kind::Storage, QStringLiteral("mfsmaster"), QStringLiteral("cs2")),
                             90000);
    // Observed: web1 to db1 (PHP pages), and what the mounts and the replication hold open.
    QTRY_VERIFY_WITH_TIMEOUT(scene->hasEdge(Kind::Observed, QStringLiteral("web1"), QStringLiteral("db1")), 60000);
    qInfo("web1 -> db1 observed: %s",
          qPrintable(scene->edgeLabel(Kind::Observed, QStringLiteral("web1"), QStringLiteral("db1"))));
    QVERIFY(scene->edgeLabel(Kind::Observed, QStringLiteral("web1"), QStringLiteral("db1"))
                .startsWith(QStringLiteral("3306")));
    QTRY_VERIFY_WITH_TIMEOUT(scene->hasEdge(Kind::Observed, QStringLiteral("db2"), QStringLiteral("db1")), 30000);
    QTRY_VERIFY_WITH_TIMEOUT(scene->hasEdge(Kind::Observed, QStringLiteral("web1"), QStringLiteral("mfsmaster")),
                             30000);
    qInfo("edges: %d traffic, %d standby, %d replication, %d storage, %d observed", scene->edgeCount(Kind::Traffic),
          scene->edgeCount(Kind::Standby), scene->edgeCount(Kind::Replication), scene->edgeCount(Kind::Storage),
          scene->edgeCount(Kind::Observed));
    // The legend in the language shown.
    auto* view = m_window->topologyView();
    QVERIFY(view->legend()->isVisible());
    QVERIFY(view->legend()->entries().contains(TopologyScene::edgeKindName(Kind::Observed)));
    view->zoomToFit();
    QCoreApplication::processEvents();
    QVERIFY(m_window->grab().save(QStringLiteral("%1/topology-lab_%2.png").arg(artifacts(), lang)));
    // Found and centred by search.
    QCOMPARE(view->findNext(QStringLiteral("db2")), QStringLiteral("db2"));
    QCOMPARE(m_session->selection().current(), QStringLiteral("db2"));
    QCoreApplication::processEvents();
    QVERIFY(view->grab().save(QStringLiteral("%1/topology-lab-search_%2.png").arg(artifacts(), lang)));
    view->zoomToFit();
}

QTEST_MAIN(TstTopologyLab)
#include "tst_topology_lab.moc"
