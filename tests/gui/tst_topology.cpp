// The topology at 300 nodes, offscreen, no lab: every layer (VIPs, directors, real
// servers, the DB master and its replicas with the lag on each edge, the MooseFS
// master and its chunkservers, the gateway); observed edges drawn apart from the
// configured ones; no two cards overlap; a group collapses into one card and its
// edges follow; search selects and centres a match (expanding its group); a tick
// with only new numbers does not lay the scene out again.

#include "guitest.h"
#include "topologyfixture.h"

#include "app/nodeselection.h"
#include "appdata/appdatastore.h"
#include "topology/topologyscene.h"
#include "topology/topologyview.h"

#include <QDateTime>
#include <QGraphicsPathItem>
#include <QLabel>
#include <QLineEdit>
#include <QTest>
#include <QToolButton>

using namespace hadeck;
using hadeck::ui::TopologyItem;
using hadeck::ui::TopologyScene;
using Kind = TopologyScene::EdgeKind;
using Group = TopologyScene::Group;

class TstTopology : public QObject {
    Q_OBJECT
private slots:
    void init();
    void cleanup();
    void everyLayerAt300();
    void noOverlaps();
    void observedDrawnApart();
    void observedEdgesAreHeld();
    void layoutOnlyWhenTheShapeChanges();
    void collapseAGroup();
    void collapseByClickingTheBand();
    void searchSelectsAndCentres();
    void screenshot();

private:
    std::unique_ptr<console::ClusterModel> m_model;
    std::unique_ptr<ui::AppDataStore> m_app;
    std::unique_ptr<ui::NodeSelection> m_selection;
    std::unique_ptr<testing::SyntheticCluster> m_source;
    std::unique_ptr<TopologyScene> m_scene;
    std::unique_ptr<ui::TopologyView> m_view;
};

void TstTopology::init()
{
    m_model = std::make_unique<console::ClusterModel>(QStringLiteral("t300"));
    m_app = std::make_unique<ui::AppDataStore>();
    m_selection = std::make_unique<ui::NodeSelection>();
    m_source = std::make_unique<testing::SyntheticCluster>(testing::topologyOptions300());
    m_source->open(*m_model);
    m_model->flush();
    testing::feedAppData(*m_app, *m_model);
    m_app->flush();
    m_scene = std::make_unique<TopologyScene>(*m_model, *m_selection, m_app.get());
    m_view = std::make_unique<ui::TopologyView>();
    m_view->setScene(m_scene.get());
    m_view->setSelection(m_selection.get());
    m_view->resize(1440, 900);
    m_view->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_view.get()));
    m_view->zoomToFit();
}

void TstTopology::cleanup()
{
    m_view.reset();
    m_scene.reset();
    m_source.reset();
    m_selection.reset();
    m_app.reset();
    m_model.reset();
}

void TstTopology::everyLayerAt300()
{
    QCOMPARE(static_cast<int>(m_model->nodes().size()), 300);
    QCOMPARE(m_scene->nodeItemCount(), 300);
    QCOMPARE(m_scene->vipItemCount(), 1);
    // One band per role, top to bottom.
    const auto y = [&](const char* id) { return m_scene->itemFor(QString::fromLatin1(id))->y(); };
    QVERIFY(y("gw1") < y("vip:198.18.0.100"));
    QVERIFY(y("vip:198.18.0.100") < y("lb1"));
    QVERIFY(y("lb1") < y("web1"));
    QVERIFY(y("web240") < y("db1"));
    QVERIFY(y("db6") < y("mfsmaster"));
    QCOMPARE(m_scene->groupOf(QStringLiteral("db3")), Group::Databases);
    QCOMPARE(m_scene->groupOf(QStringLiteral("chunk50")), Group::Storage);
    QCOMPARE(m_scene->members(Group::RealServers).size(), 240);
    // The DB master first, its replicas after it; the MooseFS master before its chunkservers.
    QCOMPARE(m_scene->members(Group::Databases).size(), 6);
    QVERIFY(m_scene->itemFor(QStringLiteral("db1"))->x() < m_scene->itemFor(QStringLiteral("db2"))->x());
    QVERIFY(m_scene->itemFor(QStringLiteral("mfsmaster"))->y() <= m_scene->itemFor(QStringLiteral("chunk1"))->y());
    QVERIFY(m_scene->itemFor(QStringLiteral("mfsmaster"))->x() < m_scene->itemFor(QStringLiteral("chunk1"))->x());
    // Configured edges: VIP to 2 directors, gateway to VIP, 2 directors x 240 real servers.
    QCOMPARE(m_scene->edgeCount(Kind::Traffic) + m_scene->edgeCount(Kind::Standby), 2 + 1 + 480);
    // Replication: db1 to each replica, the lag on the edge.
    QCOMPARE(m_scene->edgeCount(Kind::Replication), 5);
    for (int i = 2; i <= 6; ++i) {
        QCOMPARE(m_scene->edgeLabel(Kind::Replication, QStringLiteral("db1"), QStringLiteral("db%1").arg(i)),
                 QStringLiteral("lag %1 s").arg(i % 9));
    }
    // MooseFS: the master to each chunkserver.
    QCOMPARE(m_scene->edgeCount(Kind::Storage), 50);
    QVERIFY(m_scene->hasEdge(Kind::Storage, QStringLiteral("mfsmaster"), QStringLiteral("chunk17")));
    // Observed: 240 real servers to db1:3306 and to the MooseFS master, 5 replicas to db1, 50 chunkservers to the master.
    QCOMPARE(m_scene->edgeCount(Kind::Observed), 240 * 2 + 5 + 50);
    QVERIFY(m_scene->hasEdge(Kind::Observed, QStringLiteral("web1"), QStringLiteral("db1")));
    QVERIFY(m_scene->itemFor(QStringLiteral("db1"))->subtitle().contains(QStringLiteral("DB master")));
    QVERIFY(m_scene->itemFor(QStringLiteral("db2"))->subtitle().contains(QStringLiteral("DB replica")));
    QVERIFY(m_scene->itemFor(QStringLiteral("mfsmaster"))->subtitle().contains(QStringLiteral("MooseFS master")));
}

void TstTopology::noOverlaps()
{
    std::vector<const TopologyItem*> cards;
    for (auto* gi : m_scene->items()) {
        if (auto* t = dynamic_cast<TopologyItem*>(gi)) {
            cards.push_back(t);
        }
    }
    QCOMPARE(static_cast<int>(cards.size()), 301);
    int overlaps = 0;
    for (std::size_t i = 0; i < cards.size(); ++i) {
        const QRectF a = cards[i]->sceneBoundingRect();
        QVERIFY(m_scene->sceneRect().contains(a));
        for (std::size_t j = i + 1; j < cards.size(); ++j) {
            if (a.intersects(cards[j]->sceneBoundingRect())) {
                qWarning() << cards[i]->id() << "overlaps" << cards[j]->id();
                ++overlaps;
            }
        }
    }
    QCOMPARE(overlaps, 0);
    // Collapsed and expanded again: still none.
    m_scene->setCollapsed(Group::Storage, true);
    m_scene->setCollapsed(Group::Storage, false);
    QCOMPARE(m_scene->nodeItemCount(), 300);
}

void TstTopology::observedDrawnApart()
{
    const QPen observed = TopologyScene::edgePen(Kind::Observed);
    for (const auto kind :
         {Kind::Traffic, Kind::Standby, Kind::Drained, Kind::Replication, Kind::ReplicationBroken, Kind::Storage}) {
        const QPen configured = TopologyScene::edgePen(kind);
        QVERIFY2(configured.color() != observed.color() && configured.style() != observed.style(),
                 qPrintable(TopologyScene::edgeKindName(kind)));
    }
    // The drawn edge uses that pen, and the legend names it.
    int checked = 0;
    for (auto* gi : m_scene->items()) {
        if (auto* path = dynamic_cast<QGraphicsPathItem*>(gi);
            path != nullptr && path->pen().color() == observed.color()) {
            QCOMPARE(path->pen().style(), Qt::DashDotLine);
            ++checked;
        }
    }
    QCOMPARE(checked, m_scene->edgeCount(Kind::Observed));
    QVERIFY(m_view->legend()->isVisible());
    QVERIFY(m_view->legend()->entries().contains(TopologyScene::edgeKindName(Kind::Observed)));
    QCOMPARE(m_view->legend()->entries().size(), TopologyScene::kEdgeKindCount);
    // The Legend button hides and shows it.
    auto* toggle = m_view->findChild<QToolButton*>(QStringLiteral("topologyLegendToggle"));
    QVERIFY(toggle != nullptr);
    QTest::mouseClick(toggle, Qt::LeftButton);
    QVERIFY(!m_view->legend()->isVisible());
    QTest::mouseClick(toggle, Qt::LeftButton);
    QVERIFY(m_view->legend()->isVisible());
}

void TstTopology::observedEdgesAreHeld()
{
    // The clock the store ages edges by, from the time the fixture's edges were seen.
    qint64 now = QDateTime::currentMSecsSinceEpoch() + 1000;
    m_app->setClock([&] { return now; });
    m_app->setHost(QStringLiteral("web1"), testing::hostConnectedTo({{"198.18.2.31", 9421}})); // db1 no longer
    m_app->flush();
    // Not seen in the last sample, but seen 0 s ago: still drawn, with when.
    QVERIFY(m_scene->hasEdge(Kind::Observed, QStringLiteral("web1"), QStringLiteral("db1")));
    QVERIFY2(m_scene->edgeLabel(Kind::Observed, QStringLiteral("web1"), QStringLiteral("db1"))
                 .contains(QStringLiteral("ago")),
             qPrintable(m_scene->edgeLabel(Kind::Observed, QStringLiteral("web1"), QStringLiteral("db1"))));
    now += ui::AppDataStore::kObservedHoldMs + 1000;
    m_app->flush();
    QVERIFY(!m_scene->hasEdge(Kind::Observed, QStringLiteral("web1"), QStringLiteral("db1")));
    QVERIFY(m_scene->hasEdge(Kind::Observed, QStringLiteral("web1"), QStringLiteral("mfsmaster")));
}

void TstTopology::layoutOnlyWhenTheShapeChanges()
{
    const int layouts = m_scene->layoutCount();
    auto* web7 = m_scene->itemFor(QStringLiteral("web7"));
    const QPointF at = web7->pos();
    // Ten ticks of new counters, lags and space: no layout, the same cards in the same places.
    for (int tick = 1; tick <= 10; ++tick) {
        m_source->advance(*m_model);
        m_model->flush();
        testing::feedAppData(*m_app, *m_model, tick);
        m_app->flush();
    }
    QCOMPARE(m_scene->layoutCount(), layouts);
    QCOMPARE(m_scene->itemFor(QStringLiteral("web7")), web7);
    QCOMPARE(web7->pos(), at);
    QCOMPARE(m_scene->edgeLabel(Kind::Replication, QStringLiteral("db1"), QStringLiteral("db2")),
             QStringLiteral("lag %1 s").arg((2 + 10) % 9));
    // A replica stops: the edge changes kind, still no layout.
    m_app->setDb(QStringLiteral("db3"), testing::dbReplica("198.18.2.21", 0, false));
    m_app->flush();
    QVERIFY(m_scene->hasEdge(Kind::ReplicationBroken, QStringLiteral("db1"), QStringLiteral("db3")));
    QVERIFY(!m_scene->hasEdge(Kind::Replication, QStringLiteral("db1"), QStringLiteral("db3")));
    QCOMPARE(m_scene->layoutCount(), layouts);
    // A replica now replicates from db2 (a new link): that is a new shape.
    m_app->setDb(QStringLiteral("db4"), testing::dbReplica("198.18.2.22", 1));
    m_app->flush();
    QCOMPARE(m_scene->layoutCount(), layouts + 1);
    QVERIFY(m_scene->hasEdge(Kind::Replication, QStringLiteral("db2"), QStringLiteral("db4")));
    // A node goes away: a new shape.
    // A node leaves the inventory: a new shape. The directors still send it traffic, so it stays
    // drawn as a real server that is in no inventory.
    const QString address = m_model->node(QStringLiteral("web240"))->address;
    m_model->removeNode(QStringLiteral("web240"));
    m_model->flush();
    QCOMPARE(m_scene->layoutCount(), layouts + 2);
    QVERIFY(m_scene->itemFor(QStringLiteral("web240")) == nullptr);
    QVERIFY(m_scene->itemFor(QStringLiteral("rs:") + address) != nullptr);
    QCOMPARE(m_scene->nodeItemCount(), 300);
}

void TstTopology::collapseAGroup()
{
    m_selection->select(QStringLiteral("web12"));
    m_scene->setCollapsed(Group::RealServers, true);
    QVERIFY(m_scene->isCollapsed(Group::RealServers));
    QCOMPARE(m_scene->nodeItemCount(), 60);
    auto* card = m_scene->itemFor(TopologyScene::groupId(Group::RealServers));
    QVERIFY(card != nullptr);
    QCOMPARE(card->kind(), TopologyItem::Kind::Group);
    QVERIFY2(card->subtitle().contains(QStringLiteral("240")), qPrintable(card->subtitle()));
    QCOMPARE(m_scene->cardShowing(QStringLiteral("web12")), card);
    QVERIFY(card->marked()); // the selected node is inside
    // Edges to the members end at the group's card, once per kind and end.
    const QString g = card->id();
    QVERIFY(m_scene->hasEdge(Kind::Traffic, QStringLiteral("lb1"), g));
    QVERIFY(m_scene->hasEdge(Kind::Standby, QStringLiteral("lb2"), g));
    QVERIFY(m_scene->hasEdge(Kind::Observed, g, QStringLiteral("db1")));
    QVERIFY(m_scene->hasEdge(Kind::Observed, g, QStringLiteral("mfsmaster")));
    QCOMPARE(m_scene->edgeCount(Kind::Observed), 2 + 5 + 50);
    // Collapse the storage too: chunkservers to the master's... the master is inside: no self edge.
    m_scene->setCollapsed(Group::Storage, true);
    QCOMPARE(m_scene->nodeItemCount(), 60 - 51);
    QVERIFY(m_scene->hasEdge(Kind::Observed, g, TopologyScene::groupId(Group::Storage)));
    QVERIFY(!m_scene->hasEdge(Kind::Storage, TopologyScene::groupId(Group::Storage),
                              TopologyScene::groupId(Group::Storage)));
    // Expand: every card back.
    m_scene->setCollapsed(Group::RealServers, false);
    m_scene->setCollapsed(Group::Storage, false);
    QCOMPARE(m_scene->nodeItemCount(), 300);
    QVERIFY(m_scene->itemFor(QStringLiteral("web12"))->marked());
    QCOMPARE(m_scene->edgeCount(Kind::Observed), 240 * 2 + 5 + 50);
}

void TstTopology::collapseByClickingTheBand()
{
    // The band's title on the left is the switch.
    const QPointF inBand = m_scene->itemFor(QStringLiteral("db1"))->sceneBoundingRect().center();
    const QPointF header(m_scene->sceneRect().left() + 40, inBand.y());
    m_view->centerOn(header);
    QTest::mouseClick(m_view->viewport(), Qt::LeftButton, {}, m_view->mapFromScene(header));
    QVERIFY(m_scene->isCollapsed(Group::Databases));
    QCOMPARE(m_scene->nodeItemCount(), 294);
    const QPointF again(m_scene->sceneRect().left() + 40,
                        m_scene->itemFor(TopologyScene::groupId(Group::Databases))->sceneBoundingRect().center().y());
    m_view->centerOn(again);
    QTest::mouseClick(m_view->viewport(), Qt::LeftButton, {}, m_view->mapFromScene(again));
    QVERIFY(!m_scene->isCollapsed(Group::Databases));
    QCOMPARE(m_scene->nodeItemCount(), 300);
}

void TstTopology::searchSelectsAndCentres()
{
    const auto centred = [&](const QString& id) {
        const auto* item = m_scene->itemFor(id);
        return item != nullptr &&
               m_view->viewport()->rect().contains(m_view->mapFromScene(item->sceneBoundingRect().center()));
    };
    m_view->resetTransform();
    m_view->centerOn(m_scene->itemFor(QStringLiteral("gw1")));
    QVERIFY(!centred(QStringLiteral("web237")));
    // Ctrl+F, typed into the field, Enter.
    auto* field = m_view->searchField();
    m_view->activateWindow();
    m_view->setFocus();
    QTest::keyClick(m_view->viewport(), Qt::Key_F, Qt::ControlModifier);
    QTRY_VERIFY(field->hasFocus());
    QTest::keyClicks(field, QStringLiteral("web237"));
    QTest::keyClick(field, Qt::Key_Return);
    QCOMPARE(m_selection->current(), QStringLiteral("web237"));
    QVERIFY(centred(QStringLiteral("web237")));
    QVERIFY(m_scene->itemFor(QStringLiteral("web237"))->marked());
    // By address, inside a collapsed group: the group opens.
    m_scene->setCollapsed(Group::Storage, true);
    QCOMPARE(m_view->findNext(QStringLiteral("198.18.2.31")), QStringLiteral("mfsmaster"));
    QVERIFY(!m_scene->isCollapsed(Group::Storage));
    QCOMPARE(m_selection->current(), QStringLiteral("mfsmaster"));
    QVERIFY(centred(QStringLiteral("mfsmaster")));
    // Several matches: Enter walks through them.
    QCOMPARE(m_view->findNext(QStringLiteral("db")), QStringLiteral("db1"));
    QCOMPARE(m_view->findNext(QStringLiteral("db")), QStringLiteral("db2"));
    QVERIFY2(m_view->findChild<QLabel*>(QStringLiteral("topologySearchResult"))->text().contains(QStringLiteral("2")),
             "the result count is shown");
    // No match: nothing selected anew, said so.
    QCOMPARE(m_view->findNext(QStringLiteral("no-such-node")), QString());
    QCOMPARE(m_selection->current(), QStringLiteral("db2"));
    QCOMPARE(m_view->findChild<QLabel*>(QStringLiteral("topologySearchResult"))->text(), QStringLiteral("no match"));
}

void TstTopology::screenshot()
{
    const QString dir = testing::artifactsDir(QStringLiteral("gui-topology"));
    m_view->zoomToFit();
    QVERIFY(m_view->grab().save(dir + QStringLiteral("/topology-300-fit.png")));
    m_scene->setCollapsed(Group::RealServers, true);
    m_scene->setCollapsed(Group::Storage, true);
    m_view->zoomToFit();
    QVERIFY(m_view->grab().save(dir + QStringLiteral("/topology-300-collapsed.png")));
}

QTEST_MAIN(TstTopology)
#include "tst_topology.moc"
