// The main window's widgets, built one area at a time: toolbar, banner, tabs, docks, status bar.
#include "app/mainwindow.h"

#include "app/clustersession.h"
#include "style/theme.h"
#include "topology/topologyview.h"
#include "firewall/firewallview.h"
#include "database/databaseview.h"
#include "storage/storageview.h"
#include "hosts/hostsview.h"
#include "logs/auditview.h"
#include "logs/logsview.h"

#include <QAction>
#include <QComboBox>
#include <QDockWidget>
#include <QFrame>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QToolBar>
#include <QToolButton>
#include <QTreeView>
#include <QVBoxLayout>

namespace hadeck::ui {

namespace {

QTreeView* makeTree(QWidget* parent)
{
    auto* v = new QTreeView(parent);
    v->setUniformRowHeights(true);
    v->setAlternatingRowColors(true);
    v->setSelectionBehavior(QAbstractItemView::SelectRows);
    v->setSelectionMode(QAbstractItemView::SingleSelection);
    v->setAllColumnsShowFocus(true);
    return v;
}

QToolButton* makeActionButton(QAction* action, QWidget* parent)
{
    auto* b = new QToolButton(parent);
    b->setDefaultAction(action);
    b->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    b->setAutoRaise(false);
    return b;
}

} // namespace

void MainWindow::createWidgets()
{
    createToolbar();
    createCentral();
    createTopologyTab();
    createServicesTab();
    createVrrpTab();
    createAppTabs();
    createClusterDock();
    createAlarmDock();
    createStatusBar();
}

void MainWindow::createToolbar()
{
    // Toolbar: the open clusters, then what is used most at night.
    m_toolbar = addToolBar(QString());
    m_toolbar->setObjectName(QStringLiteral("mainToolbar"));
    m_toolbar->setMovable(false);
    m_toolbar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_toolbar->setIconSize(QSize(18, 18));
    m_clusterCombo = new QComboBox(m_toolbar);
    m_clusterCombo->setMinimumWidth(180);
    m_clusterCombo->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    connect(m_clusterCombo, &QComboBox::activated, this, [this](int i) { setCurrentSession(m_sessions.value(i)); });
    m_toolbar->addWidget(m_clusterCombo);
    m_toolbar->addAction(m_openAct);
    m_toolbar->addAction(m_manageAct);
    m_toolbar->addSeparator();
    m_toolbar->addAction(m_drainAct);
    m_toolbar->addAction(m_restoreAct);
    m_toolbar->addAction(m_failoverAct);
    m_toolbar->addSeparator();
    m_toolbar->addAction(m_zoomFitAct);
}

void MainWindow::createCentral()
{
    auto* central = new QWidget(this);
    auto* centralLayout = new QVBoxLayout(central);
    centralLayout->setContentsMargins(6, 6, 6, 0);
    centralLayout->setSpacing(6);

    centralLayout->addWidget(createBanner(central));

    m_tabs = new QTabWidget(central);
    m_tabs->setDocumentMode(true);
    centralLayout->addWidget(m_tabs, 1);
    setCentralWidget(central);
}

QWidget* MainWindow::createBanner(QWidget* parent)
{
    // The health banner answers "is everything fine?" before anything else is read.
    m_banner = new QFrame(parent);
    m_banner->setObjectName(QStringLiteral("healthBanner"));
    m_banner->setAutoFillBackground(true);
    auto* bannerLayout = new QHBoxLayout(m_banner);
    bannerLayout->setContentsMargins(12, 8, 12, 8);
    m_bannerIcon = new QLabel(m_banner);
    m_bannerTitle = new QLabel(m_banner);
    QFont big = m_bannerTitle->font();
    big.setPointSizeF(big.pointSizeF() * 1.25);
    big.setBold(true);
    m_bannerTitle->setFont(big);
    m_bannerTitle->setTextFormat(Qt::PlainText);
    m_bannerDetail = new QLabel(m_banner);
    m_bannerDetail->setTextFormat(Qt::PlainText);
    m_bannerTitle->setObjectName(QStringLiteral("bannerTitle"));
    m_bannerDetail->setObjectName(QStringLiteral("bannerDetail"));
    // The title is the console's own short text ("All clear", "2 warnings"): it takes its whole
    // width (with Ignored it was squeezed, and the detail was drawn over it). Agent text (an
    // instance name in an alarm) is only in the detail, and must never drive the window's
    // width: the detail takes the room it is given; the tooltip has it all.
    m_bannerTitle->setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Preferred);
    m_bannerDetail->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    bannerLayout->addWidget(m_bannerIcon);
    bannerLayout->addWidget(m_bannerTitle);
    bannerLayout->addSpacing(12);
    bannerLayout->addWidget(m_bannerDetail, 1);
    return m_banner;
}

void MainWindow::createTopologyTab()
{
    m_topologyView = new TopologyView(m_tabs);
    m_tabs->addTab(m_topologyView, themedIcon(QStringLiteral("topology")), QString());
    connect(m_zoomInAct, &QAction::triggered, m_topologyView, &TopologyView::zoomIn);
    connect(m_zoomOutAct, &QAction::triggered, m_topologyView, &TopologyView::zoomOut);
    connect(m_zoomFitAct, &QAction::triggered, m_topologyView, &TopologyView::zoomToFit);
}

void MainWindow::createServicesTab()
{
    auto* servicesPage = new QWidget(m_tabs);
    auto* sl = new QVBoxLayout(servicesPage);
    sl->setContentsMargins(0, 6, 0, 0);
    auto* sbar = new QHBoxLayout;
    m_servicesFilter = new QLineEdit(servicesPage);
    m_servicesFilter->setClearButtonEnabled(true);
    m_servicesFilter->setMaximumWidth(320);
    m_drainButton = makeActionButton(m_drainAct, servicesPage);
    m_restoreButton = makeActionButton(m_restoreAct, servicesPage);
    m_servicesHint = new QLabel(servicesPage);
    m_servicesHint->setForegroundRole(QPalette::PlaceholderText);
    sbar->addWidget(m_servicesFilter);
    sbar->addSpacing(8);
    sbar->addWidget(m_drainButton);
    sbar->addWidget(m_restoreButton);
    sbar->addSpacing(8);
    sbar->addWidget(m_servicesHint, 1);
    sl->addLayout(sbar);
    m_services = makeTree(servicesPage);
    m_services->setSortingEnabled(true);
    m_services->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed);
    m_servicesProxy = new QSortFilterProxyModel(this);
    m_servicesProxy->setSortRole(ServicesModel::SortRole);
    m_servicesProxy->setSortCaseSensitivity(Qt::CaseInsensitive);
    m_servicesProxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_servicesProxy->setRecursiveFilteringEnabled(true);
    m_services->setModel(m_servicesProxy);
    connect(m_servicesFilter, &QLineEdit::textChanged, m_servicesProxy, &QSortFilterProxyModel::setFilterFixedString);
    connect(m_services, &QTreeView::clicked, this,
            [this](const QModelIndex& i) { selectFromIndex(i, ServicesModel::NodeNameRole); });
    sl->addWidget(m_services, 1);
    m_tabs->addTab(servicesPage, themedIcon(QStringLiteral("service")), QString());
}

void MainWindow::createVrrpTab()
{
    auto* vrrpPage = new QWidget(m_tabs);
    auto* vl = new QVBoxLayout(vrrpPage);
    vl->setContentsMargins(0, 6, 0, 0);
    auto* vbar = new QHBoxLayout;
    m_failoverButton = makeActionButton(m_failoverAct, vrrpPage);
    m_makeMasterButton = makeActionButton(m_makeMasterAct, vrrpPage);
    m_vrrpHint = new QLabel(vrrpPage);
    m_vrrpHint->setForegroundRole(QPalette::PlaceholderText);
    vbar->addWidget(m_failoverButton);
    vbar->addWidget(m_makeMasterButton);
    vbar->addSpacing(8);
    vbar->addWidget(m_vrrpHint, 1);
    vl->addLayout(vbar);
    m_vrrp = makeTree(vrrpPage);
    m_vrrp->setSortingEnabled(true);
    m_vrrpProxy = new QSortFilterProxyModel(this);
    m_vrrpProxy->setSortRole(VrrpModel::SortRole);
    m_vrrp->setModel(m_vrrpProxy);
    connect(m_vrrp, &QTreeView::clicked, this,
            [this](const QModelIndex& i) { selectFromIndex(i, VrrpModel::NodeNameRole); });
    vl->addWidget(m_vrrp, 1);
    m_tabs->addTab(vrrpPage, themedIcon(QStringLiteral("vrrp")), QString());
}

/// The application tabs, each its own view: firewall (nftables of the selected node or the gateway),
/// database, storage and hosts.
void MainWindow::createAppTabs()
{
    m_firewall = new FirewallView(m_tabs);
    m_tabs->addTab(m_firewall, themedIcon(QStringLiteral("status-lock")), QString());
    m_database = new DatabaseView(m_tabs);
    m_tabs->addTab(m_database, themedIcon(QStringLiteral("node-db")), QString());
    m_storage = new StorageView(m_tabs);
    m_tabs->addTab(m_storage, themedIcon(QStringLiteral("node-storage")), QString());
    m_hosts = new HostsView(m_tabs);
    m_tabs->addTab(m_hosts, themedIcon(QStringLiteral("node-web")), QString());
    m_logs = new LogsView(m_tabs);
    m_tabs->addTab(m_logs, themedIcon(QStringLiteral("status-info")), QString());
    m_audit = new AuditView(m_tabs);
    m_tabs->addTab(m_audit, themedIcon(QStringLiteral("status-lock")), QString());
}

void MainWindow::createClusterDock()
{
    m_treeDock = new QDockWidget(this);
    m_treeDock->setObjectName(QStringLiteral("clusterTreeDock"));
    m_tree = makeTree(m_treeDock);
    m_tree->setAlternatingRowColors(false);
    m_tree->setHeaderHidden(false);
    m_tree->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_tree, &QTreeView::clicked, this,
            [this](const QModelIndex& i) { selectFromIndex(i, ClusterTreeModel::NodeNameRole); });
    connect(m_tree, &QWidget::customContextMenuRequested, this, [this](const QPoint& pos) {
        const auto node = m_tree->indexAt(pos).data(ClusterTreeModel::NodeNameRole).toString();
        if (!node.isEmpty()) {
            selectFromIndex(m_tree->indexAt(pos), ClusterTreeModel::NodeNameRole);
            showNodeMenu(node, m_tree->viewport()->mapToGlobal(pos));
        }
    });
    m_tree->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_treeDock->setWidget(m_tree);
    addDockWidget(Qt::LeftDockWidgetArea, m_treeDock);
}

void MainWindow::createAlarmDock()
{
    m_alarmDock = new QDockWidget(this);
    m_alarmDock->setObjectName(QStringLiteral("alarmDock"));
    auto* split = new QSplitter(Qt::Horizontal, m_alarmDock);
    auto* alarmPane = new QWidget(split);
    auto* al = new QVBoxLayout(alarmPane);
    al->setContentsMargins(4, 4, 4, 4);
    m_alarmsTitle = new QLabel(alarmPane);
    QFont bold = m_alarmsTitle->font();
    bold.setBold(true);
    m_alarmsTitle->setFont(bold);
    m_alarms = new QListWidget(alarmPane);
    m_alarms->setWordWrap(true);
    m_alarms->setAlternatingRowColors(true);
    connect(m_alarms, &QListWidget::itemClicked, this, [this](QListWidgetItem* item) {
        if (m_current != nullptr) {
            m_current->selection().select(item->data(Qt::UserRole).toString());
        }
    });
    al->addWidget(m_alarmsTitle);
    al->addWidget(m_alarms, 1);
    auto* timelinePane = new QWidget(split);
    auto* tl = new QVBoxLayout(timelinePane);
    tl->setContentsMargins(4, 4, 4, 4);
    m_timelineTitle = new QLabel(timelinePane);
    m_timelineTitle->setFont(bold);
    m_timeline = new QTableView(timelinePane);
    m_timeline->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_timeline->setSelectionMode(QAbstractItemView::SingleSelection);
    m_timeline->verticalHeader()->hide();
    m_timeline->verticalHeader()->setDefaultSectionSize(m_timeline->fontMetrics().height() + 8);
    m_timeline->horizontalHeader()->setStretchLastSection(true);
    m_timeline->setAlternatingRowColors(true);
    m_timeline->setShowGrid(false);
    m_timeline->setWordWrap(false);
    connect(m_timeline, &QTableView::clicked, this,
            [this](const QModelIndex& i) { selectFromIndex(i, TimelineModel::NodeNameRole); });
    tl->addWidget(m_timelineTitle);
    tl->addWidget(m_timeline, 1);
    linkLogsToTimeline(m_logs, m_timeline);
    split->addWidget(alarmPane);
    split->addWidget(timelinePane);
    split->setStretchFactor(0, 2);
    split->setStretchFactor(1, 3);
    m_alarmDock->setWidget(split);
    addDockWidget(Qt::BottomDockWidgetArea, m_alarmDock);
}

void MainWindow::createStatusBar()
{
    m_statusNodes = new QLabel(this);
    m_statusAlarms = new QLabel(this);
    m_statusUpdated = new QLabel(this);
    statusBar()->addPermanentWidget(m_statusNodes);
    statusBar()->addPermanentWidget(m_statusAlarms);
    statusBar()->addPermanentWidget(m_statusUpdated);
}

} // namespace hadeck::ui
