#include "style/plaintext.h"
#include "app/mainwindow.h"

#include "app/clustersession.h"
#include "hadeck/console/credentialprompter.h"
#include "hadeck/console/model/clusteractions.h"
#include "style/theme.h"
#include "topology/topologyscene.h"
#include "topology/topologyview.h"

#include "dialogs/clustermanagerdialog.h"
#include "dialogs/dialogprompter.h"
#include "dialogs/hostkeydialog.h"
#include "dialogs/drainpanel.h"
#include "dialogs/failoverdialog.h"
#include "firewall/firewallview.h"
#include "database/databaseview.h"
#include "storage/storageview.h"
#include "hosts/hostsview.h"
#include "hadeck/console/inventory.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QComboBox>
#include <QDateTime>
#include <QDockWidget>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QSettings>
#include <QDir>
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

using console::NodeAction;

namespace {

QSettings settings() { return QSettings(QStringLiteral("HaDeck"), QStringLiteral("hadeck")); }

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

bool isRealServer(const console::ClusterModel& model, const QString& node)
{
    const auto* n = model.node(node);
    if (n == nullptr) {
        return false;
    }
    if (n->hasRole(proto::Role::RealServer)) {
        return true;
    }
    for (const auto& d : model.directors()) {
        for (const auto& vs : model.node(d)->ipvs) {
            for (const auto& rs : vs.realServers) {
                if (QString::fromStdString(rs.address) == n->address) {
                    return true;
                }
            }
        }
    }
    return false;
}

} // namespace

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent)
{
    initResources();
    setObjectName(QStringLiteral("MainWindow"));
    setWindowIcon(QIcon(QStringLiteral(":/icons/hadeck.svg")));
    m_prompter = std::make_unique<DialogPrompter>(this);
    createActions();
    createWidgets();
    createMenus();
    retranslate();
    restoreSettings();
    updateNodeActions();
    updateBanner();
}

MainWindow::~MainWindow()
{
    // Views let go of the session models before the sessions (and the prompter they use) go.
    m_topologyView->setScene(nullptr);
    m_tree->setModel(nullptr);
    m_servicesProxy->setSourceModel(nullptr);
    m_vrrpProxy->setSourceModel(nullptr);
    m_timeline->setModel(nullptr);
    m_current = nullptr;
    qDeleteAll(m_sessions);
    m_sessions.clear();
}

void MainWindow::createActions()
{
    m_openAct = new QAction(themedIcon(QStringLiteral("cluster-open")), {}, this);
    m_openAct->setShortcut(QKeySequence::Open);
    connect(m_openAct, &QAction::triggered, this, &MainWindow::openClusterDialog);
    m_manageAct = new QAction(themedIcon(QStringLiteral("cluster-manage")), {}, this);
    m_manageAct->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_M));
    connect(m_manageAct, &QAction::triggered, this, &MainWindow::manageClusters);
    m_closeAct = new QAction(this);
    m_closeAct->setShortcut(QKeySequence::Close);
    connect(m_closeAct, &QAction::triggered, this, &MainWindow::closeCurrentSession);
    m_screenshotAct = new QAction(this);
    m_screenshotAct->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_S));
    connect(m_screenshotAct, &QAction::triggered, this, &MainWindow::saveScreenshotDialog);
    m_quitAct = new QAction(themedIcon(QStringLiteral("quit")), {}, this);
    m_quitAct->setShortcut(QKeySequence::Quit);
    m_quitAct->setMenuRole(QAction::QuitRole);
    connect(m_quitAct, &QAction::triggered, this, &QWidget::close);

    m_zoomInAct = new QAction(themedIcon(QStringLiteral("zoom-in")), {}, this);
    m_zoomInAct->setShortcuts({QKeySequence::ZoomIn, QKeySequence(Qt::CTRL | Qt::Key_Equal)});
    m_zoomOutAct = new QAction(themedIcon(QStringLiteral("zoom-out")), {}, this);
    m_zoomOutAct->setShortcut(QKeySequence::ZoomOut);
    m_zoomFitAct = new QAction(themedIcon(QStringLiteral("zoom-fit")), {}, this);
    m_zoomFitAct->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_0));
    for (int i = 0; i < 3; ++i) {
        m_tabActs[i] = new QAction(this);
        m_tabActs[i]->setShortcut(QKeySequence(Qt::ALT | static_cast<Qt::Key>(Qt::Key_1 + i)));
        connect(m_tabActs[i], &QAction::triggered, this, [this, i] { m_tabs->setCurrentIndex(i); });
    }

    m_drainAct = new QAction(themedIcon(QStringLiteral("action-drain")), {}, this);
    m_drainAct->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_D));
    connect(m_drainAct, &QAction::triggered, this, [this] { runAction(NodeAction::Drain); });
    m_restoreAct = new QAction(themedIcon(QStringLiteral("action-restore")), {}, this);
    m_restoreAct->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_R));
    connect(m_restoreAct, &QAction::triggered, this, [this] { runAction(NodeAction::Restore); });
    m_failoverAct = new QAction(themedIcon(QStringLiteral("action-failover")), {}, this);
    m_failoverAct->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_F));
    connect(m_failoverAct, &QAction::triggered, this, [this] { runAction(NodeAction::Failover); });
    m_makeMasterAct = new QAction(themedIcon(QStringLiteral("vrrp")), {}, this);
    m_makeMasterAct->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_M));
    connect(m_makeMasterAct, &QAction::triggered, this, [this] { runAction(NodeAction::MakeMaster); });
    m_aboutAct = new QAction(this);
    m_aboutAct->setMenuRole(QAction::AboutRole);
    connect(m_aboutAct, &QAction::triggered, this, &MainWindow::showAbout);

    m_languageGroup = new QActionGroup(this);
    for (const auto& code : Language::available()) {
        auto* a = new QAction(Language::nativeName(code), m_languageGroup);
        a->setCheckable(true);
        connect(a, &QAction::triggered, this, [this, code] { setLanguage(code); });
        m_languageActs.insert(code, a);
    }
    m_themeGroup = new QActionGroup(this);
    for (const auto t : {Theme::System, Theme::Light, Theme::Dark}) {
        auto* a = new QAction(m_themeGroup);
        a->setCheckable(true);
        connect(a, &QAction::triggered, this, [this, t] { setTheme(t); });
        m_themeActs.insert(static_cast<int>(t), a);
    }
}

void MainWindow::createWidgets()
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

    auto* central = new QWidget(this);
    auto* centralLayout = new QVBoxLayout(central);
    centralLayout->setContentsMargins(6, 6, 6, 0);
    centralLayout->setSpacing(6);

    // The health banner answers "is everything fine?" before anything else is read.
    m_banner = new QFrame(central);
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
    // Agent text (an instance name in an alarm) must never drive the window's width:
    // the labels take the room they are given and elide; the tooltip has it all.
    m_bannerTitle->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_bannerDetail->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_bannerTitle->setMinimumWidth(120);
    bannerLayout->addWidget(m_bannerIcon);
    bannerLayout->addWidget(m_bannerTitle);
    bannerLayout->addSpacing(12);
    bannerLayout->addWidget(m_bannerDetail, 1);
    centralLayout->addWidget(m_banner);

    m_tabs = new QTabWidget(central);
    m_tabs->setDocumentMode(true);
    centralLayout->addWidget(m_tabs, 1);
    setCentralWidget(central);

    // Topology
    m_topologyView = new TopologyView(m_tabs);
    m_tabs->addTab(m_topologyView, themedIcon(QStringLiteral("topology")), QString());
    connect(m_zoomInAct, &QAction::triggered, m_topologyView, &TopologyView::zoomIn);
    connect(m_zoomOutAct, &QAction::triggered, m_topologyView, &TopologyView::zoomOut);
    connect(m_zoomFitAct, &QAction::triggered, m_topologyView, &TopologyView::zoomToFit);

    // Services
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

    // VRRP
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

    // Firewall (nftables of the selected node or the gateway)
    m_firewall = new FirewallView(m_tabs);
    m_tabs->addTab(m_firewall, themedIcon(QStringLiteral("status-lock")), QString());
    m_database = new DatabaseView(m_tabs);
    m_tabs->addTab(m_database, themedIcon(QStringLiteral("node-db")), QString());
    m_storage = new StorageView(m_tabs);
    m_tabs->addTab(m_storage, themedIcon(QStringLiteral("node-storage")), QString());
    m_hosts = new HostsView(m_tabs);
    m_tabs->addTab(m_hosts, themedIcon(QStringLiteral("node-web")), QString());

    // Cluster tree dock
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

    // Alarm and timeline dock
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
    split->addWidget(alarmPane);
    split->addWidget(timelinePane);
    split->setStretchFactor(0, 2);
    split->setStretchFactor(1, 3);
    m_alarmDock->setWidget(split);
    addDockWidget(Qt::BottomDockWidgetArea, m_alarmDock);

    m_statusNodes = new QLabel(this);
    m_statusAlarms = new QLabel(this);
    m_statusUpdated = new QLabel(this);
    statusBar()->addPermanentWidget(m_statusNodes);
    statusBar()->addPermanentWidget(m_statusAlarms);
    statusBar()->addPermanentWidget(m_statusUpdated);
}

void MainWindow::createMenus()
{
    m_fileMenu = menuBar()->addMenu(QString());
    m_fileMenu->addAction(m_openAct);
    m_fileMenu->addAction(m_manageAct);
    m_fileMenu->addAction(m_closeAct);
    m_fileMenu->addSeparator();
    m_fileMenu->addAction(m_screenshotAct);
    m_fileMenu->addSeparator();
    m_fileMenu->addAction(m_quitAct);

    m_viewMenu = menuBar()->addMenu(QString());
    for (auto* a : m_tabActs) {
        m_viewMenu->addAction(a);
    }
    m_viewMenu->addSeparator();
    m_viewMenu->addAction(m_zoomInAct);
    m_viewMenu->addAction(m_zoomOutAct);
    m_viewMenu->addAction(m_zoomFitAct);
    m_viewMenu->addSeparator();
    m_viewMenu->addAction(m_treeDock->toggleViewAction());
    m_viewMenu->addAction(m_alarmDock->toggleViewAction());
    m_themeMenu = m_viewMenu->addMenu(QString());
    for (const auto t : {Theme::System, Theme::Light, Theme::Dark}) {
        m_themeMenu->addAction(m_themeActs.value(static_cast<int>(t)));
    }
    m_languageMenu = m_viewMenu->addMenu(themedIcon(QStringLiteral("language")), QString());
    for (const auto& code : Language::available()) {
        m_languageMenu->addAction(m_languageActs.value(code));
    }

    m_nodeMenu = menuBar()->addMenu(QString());
    m_nodeMenu->setToolTipsVisible(true); // disabled entries say why
    m_nodeMenu->addAction(m_drainAct);
    m_nodeMenu->addAction(m_restoreAct);
    m_nodeMenu->addSeparator();
    m_nodeMenu->addAction(m_failoverAct);
    m_nodeMenu->addAction(m_makeMasterAct);

    m_helpMenu = menuBar()->addMenu(QString());
    m_helpMenu->addAction(m_aboutAct);
}

void MainWindow::retranslate()
{
    setWindowTitle(m_current ? tr("%1 — HaDeck").arg(m_current->name()) : tr("HaDeck"));
    m_toolbar->setWindowTitle(tr("Main toolbar"));
    m_openAct->setText(tr("&Open cluster…"));
    m_openAct->setStatusTip(tr("Open a cluster inventory file and connect to its nodes"));
    m_manageAct->setText(tr("&Manage clusters…"));
    m_manageAct->setStatusTip(tr("Create and edit cluster inventories"));
    m_closeAct->setText(tr("&Close cluster"));
    m_screenshotAct->setText(tr("Save &screenshot…"));
    m_quitAct->setText(tr("&Quit"));
    m_zoomInAct->setText(tr("Zoom &in"));
    m_zoomOutAct->setText(tr("Zoom &out"));
    m_zoomFitAct->setText(tr("&Fit topology"));
    m_tabActs[TopologyTab]->setText(tr("&Topology"));
    m_tabActs[ServicesTab]->setText(tr("&Services (IPVS)"));
    m_tabActs[VrrpTab]->setText(tr("&VRRP"));
    m_drainAct->setText(tr("&Drain"));
    m_restoreAct->setText(tr("&Restore"));
    m_failoverAct->setText(tr("&Fail over"));
    m_makeMasterAct->setText(tr("Make &master"));
    m_aboutAct->setText(tr("&About HaDeck"));
    m_themeActs.value(static_cast<int>(Theme::System))->setText(tr("Follow the &system"));
    m_themeActs.value(static_cast<int>(Theme::Light))->setText(tr("&Light"));
    m_themeActs.value(static_cast<int>(Theme::Dark))->setText(tr("&Dark"));
    m_fileMenu->setTitle(tr("&Cluster"));
    m_viewMenu->setTitle(tr("&View"));
    m_themeMenu->setTitle(tr("&Appearance"));
    m_languageMenu->setTitle(tr("&Language"));
    m_nodeMenu->setTitle(tr("&Node"));
    m_helpMenu->setTitle(tr("&Help"));
    m_tabs->setTabText(TopologyTab, tr("Topology"));
    m_tabs->setTabText(ServicesTab, tr("Services (IPVS)"));
    m_tabs->setTabText(VrrpTab, tr("VRRP"));
    if (m_firewall != nullptr) {
        m_tabs->setTabText(FirewallTab, tr("Firewall"));
    }
    if (m_database != nullptr) {
        m_tabs->setTabText(DatabaseTab, tr("Database"));
    }
    if (m_storage != nullptr) {
        m_tabs->setTabText(StorageTab, tr("Storage"));
    }
    if (m_hosts != nullptr) {
        m_tabs->setTabText(HostsTab, tr("Hosts"));
    }
    m_treeDock->setWindowTitle(tr("Cluster"));
    m_alarmDock->setWindowTitle(tr("Alarms and timeline"));
    m_timelineTitle->setText(tr("Timeline"));
    m_servicesFilter->setPlaceholderText(tr("Filter services and real servers…"));
    m_servicesHint->setText(tr("Drift between directors is highlighted. Double-click a weight to change it."));
    m_vrrpHint->setText(tr("One row per instance; expand it to compare the directors."));
    m_clusterCombo->setToolTip(tr("Open clusters"));
    if (m_current != nullptr) {
        for (QAbstractItemModel* m : std::initializer_list<QAbstractItemModel*>{
                 &m_current->tree(), &m_current->services(), &m_current->vrrp(), &m_current->timeline()}) {
            emit m->headerDataChanged(Qt::Horizontal, 0, m->columnCount() - 1);
        }
        if (auto* scene = m_scenes.value(m_current)) {
            scene->rebuild();
        }
    }
    for (auto* v : std::initializer_list<QAbstractItemView*>{m_tree, m_services, m_vrrp, m_timeline}) {
        v->viewport()->update();
    }
    updateNodeActions();
    updateBanner();
    updateAlarms();
}

void MainWindow::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::LanguageChange) {
        retranslate();
    } else if (event->type() == QEvent::PaletteChange) {
        clearIconCache();
        updateBanner();
    }
    QMainWindow::changeEvent(event);
}

void MainWindow::restoreSettings()
{
    auto s = settings();
    resize(1440, 900);
    resizeDocks({m_treeDock}, {300}, Qt::Horizontal);
    resizeDocks({m_alarmDock}, {240}, Qt::Vertical);
    restoreGeometry(s.value(QStringLiteral("window/geometry")).toByteArray());
    restoreState(s.value(QStringLiteral("window/state")).toByteArray());
    m_theme = themeFromString(s.value(QStringLiteral("view/theme"), QStringLiteral("system")).toString());
    if (auto* a = m_themeActs.value(static_cast<int>(m_theme))) {
        a->setChecked(true);
    }
    if (auto* a = m_languageActs.value(m_language.current())) {
        a->setChecked(true);
    }
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    auto s = settings();
    s.setValue(QStringLiteral("window/geometry"), saveGeometry());
    s.setValue(QStringLiteral("window/state"), saveState());
    QMainWindow::closeEvent(event);
}

void MainWindow::setLanguage(const QString& code)
{
    if (!m_language.apply(code)) {
        statusBar()->showMessage(tr("No translation for %1").arg(code), 5000);
    }
    if (auto* a = m_languageActs.value(m_language.current())) {
        a->setChecked(true);
    }
    settings().setValue(QStringLiteral("view/language"), m_language.current());
    retranslate(); // also reached through LanguageChange; this covers the offscreen case without events
}

void MainWindow::setTheme(Theme theme)
{
    m_theme = theme;
    applyTheme(theme);
    if (auto* a = m_themeActs.value(static_cast<int>(theme))) {
        a->setChecked(true);
    }
    settings().setValue(QStringLiteral("view/theme"), toString(theme));
    if (m_current != nullptr) {
        if (auto* scene = m_scenes.value(m_current)) {
            scene->rebuild();
        }
    }
    updateBanner();
    updateAlarms();
}

ClusterSession* MainWindow::addSession(std::unique_ptr<ClusterSession> owned)
{
    ClusterSession* session = owned.release();
    session->setParent(this);
    m_sessions << session;
    auto* scene = new TopologyScene(session->model(), session->selection(), session);
    m_scenes.insert(session, scene);
    connect(scene, &TopologyScene::contextMenuRequested, this, &MainWindow::showNodeMenu);
    connect(&session->selection(), &NodeSelection::selected, this, [this, session](const QString& node) {
        if (session == m_current) {
            onNodeSelected(node);
        }
    });
    connect(&session->model(), &console::ClusterModel::changed, this, [this, session] {
        if (session == m_current) {
            updateNodeActions();
            updateBanner();
            m_statusUpdated->setText(tr("Updated %1").arg(QTime::currentTime().toString(QStringLiteral("HH:mm:ss"))));
        }
    });
    connect(&session->model(), &console::ClusterModel::alarmsChanged, this, [this, session] {
        if (session == m_current) {
            updateAlarms();
            updateBanner();
        }
    });
    connect(&session->services(), &ServicesModel::actionFinished, this, [this](bool ok, const QString& message) {
        statusBar()->showMessage(ok ? message : tr("Not done: %1").arg(message), 8000);
    });
    connect(&session->services(), &QAbstractItemModel::rowsInserted, this, [this, session](const QModelIndex& parent) {
        if (session == m_current && !parent.isValid()) {
            expandServices();
        }
    });
    if (auto* pool = session->pool()) {
        connect(pool, &console::ConnectionPool::nodeStateChanged, this,
                [this, session](const QString& node, console::NodeState state, const QString& error) {
                    if (state == console::NodeState::Refused) {
                        warnIfHostKeyChanged(session, node, error);
                    }
                });
    }
    if (auto* live = session->liveActions()) {
        connect(live, &console::LiveActions::drainStarted, this,
                [this](console::DrainJob* job, const QString& realServer) {
                    auto* panel = new DrainPanel(job, realServer, this);
                    panel->show();
                });
        connect(live, &console::LiveActions::failoverStarted, this,
                [this](console::FailoverJob* job, const QString& director) {
                    auto* dialog = new FailoverDialog(job, director, this);
                    dialog->show();
                });
    }
    m_clusterCombo->addItem(stateIcon(console::NodeState::Online), session->name());
    setCurrentSession(session);
    session->start();
    return session;
}

void MainWindow::warnIfHostKeyChanged(ClusterSession* session, const QString& node, const QString& error)
{
    const auto* client = session->pool()->client(node);
    const auto* spec = session->inventory().node(node);
    if (client == nullptr || spec == nullptr || client->lastErrorKind() != console::TransportError::Kind::HostKeyChanged) {
        return;
    }
    const QString key = session->name() + QLatin1Char('/') + node;
    if (m_hostKeyWarnings.value(key)) {
        return; // already on screen
    }
    QString knownHosts = session->inventory().knownHosts;
    if (knownHosts.isEmpty()) {
        knownHosts = QDir::homePath() + QStringLiteral("/.ssh/known_hosts");
    }
    // Not modal: every other node keeps connecting while the admin reads.
    auto* dialog = new HostKeyDialog(changedHostKey(node, spec->address, spec->port, knownHosts, error), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    m_hostKeyWarnings.insert(key, dialog);
    dialog->show();
}

void MainWindow::setCurrentSession(ClusterSession* session)
{
    if (session == nullptr || session == m_current) {
        return;
    }
    m_current = session;
    // The links to the previous session's models go; only the current one's are kept.
    for (const auto& link : std::as_const(m_sessionLinks)) {
        disconnect(link);
    }
    m_sessionLinks.clear();
    m_clusterCombo->setCurrentIndex(static_cast<int>(m_sessions.indexOf(session)));
    m_tree->setModel(&session->tree());
    m_tree->expandAll();
    m_tree->header()->setSectionResizeMode(ClusterTreeModel::Name, QHeaderView::ResizeToContents);
    m_tree->header()->setSectionResizeMode(ClusterTreeModel::State, QHeaderView::ResizeToContents);
    m_tree->setColumnHidden(ClusterTreeModel::Roles, true);
    m_tree->setColumnHidden(ClusterTreeModel::Access, true);
    m_sessionLinks << connect(&session->tree(), &QAbstractItemModel::rowsInserted, m_tree,
                              [this](const QModelIndex& parent) { m_tree->expand(parent); });
    // Empty layers stay out of the way.
    const auto hideEmpty = [this, session] {
        if (session != m_current) {
            return;
        }
        for (int l = 0; l < console::kLayerCount; ++l) {
            m_tree->setRowHidden(l, {}, session->tree().rowCount(session->tree().index(l, 0)) == 0);
        }
    };
    hideEmpty();
    m_sessionLinks << connect(&session->tree(), &QAbstractItemModel::rowsInserted, this, hideEmpty);
    m_sessionLinks << connect(&session->tree(), &QAbstractItemModel::rowsRemoved, this, hideEmpty);
    m_sessionLinks << connect(&session->tree(), &QAbstractItemModel::modelReset, this, hideEmpty);

    m_servicesProxy->setSourceModel(&session->services());
    if (m_firewall != nullptr) {
        m_firewall->setSession(session);
    }
    if (m_database != nullptr) {
        m_database->setSession(session);
    }
    if (m_storage != nullptr) {
        m_storage->setSession(session);
    }
    if (m_hosts != nullptr) {
        m_hosts->setSession(session);
    }
    m_services->sortByColumn(ServicesModel::Name, Qt::AscendingOrder);
    expandServices();
    m_vrrpProxy->setSourceModel(&session->vrrp());
    m_vrrp->sortByColumn(VrrpModel::Vrid, Qt::AscendingOrder);
    m_vrrp->expandAll();
    m_sessionLinks << connect(&session->vrrp(), &QAbstractItemModel::rowsInserted, m_vrrp,
                              [this] { m_vrrp->expandAll(); });
    for (int c = 0; c < VrrpModel::ColumnCount; ++c) {
        m_vrrp->header()->setSectionResizeMode(c, QHeaderView::ResizeToContents);
    }
    m_timeline->setModel(&session->timeline());
    // Fixed widths from the font: content-sized columns jump on every new line at 1 Hz.
    const auto em = m_timeline->fontMetrics().horizontalAdvance(QLatin1Char('M'));
    m_timeline->setColumnWidth(TimelineModel::Time, 6 * em);
    m_timeline->setColumnWidth(TimelineModel::Severity, 9 * em);
    m_timeline->setColumnWidth(TimelineModel::Kind, 8 * em);
    m_timeline->setColumnWidth(TimelineModel::Node, 7 * em);
    m_topologyView->setScene(m_scenes.value(session));
    m_topologyView->zoomToFit();
    retranslate();
}

void MainWindow::expandServices()
{
    m_services->expandAll();
    m_services->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_services->header()->setStretchLastSection(false);
}

TopologyScene* MainWindow::topologyScene() const { return m_scenes.value(m_current, nullptr); }

QAction* MainWindow::nodeAction(NodeAction action) const
{
    switch (action) {
    case NodeAction::Drain: return m_drainAct;
    case NodeAction::Restore: return m_restoreAct;
    case NodeAction::Failover: return m_failoverAct;
    case NodeAction::MakeMaster: return m_makeMasterAct;
    case NodeAction::SetWeight: return nullptr;
    }
    return nullptr;
}

void MainWindow::selectFromIndex(const QModelIndex& index, int role)
{
    if (m_current == nullptr) {
        return;
    }
    const QString node = index.data(role).toString();
    if (!node.isEmpty()) {
        m_current->selection().select(node);
    }
}

void MainWindow::onNodeSelected(const QString& node)
{
    if (m_firewall != nullptr) {
        m_firewall->setNode(node);
    }
    const auto treeIdx = m_current->tree().indexOf(node);
    if (treeIdx.isValid() && m_tree->currentIndex() != treeIdx) {
        m_tree->setCurrentIndex(treeIdx);
        m_tree->scrollTo(treeIdx);
    }
    const auto sIdx = m_servicesProxy->mapFromSource(m_current->services().firstIndexOfNode(node));
    if (sIdx.isValid() && m_services->currentIndex().data(ServicesModel::NodeNameRole).toString() != node) {
        m_services->setCurrentIndex(sIdx);
        m_services->scrollTo(sIdx);
    }
    const auto vIdx = m_vrrpProxy->mapFromSource(m_current->vrrp().firstIndexOfNode(node));
    if (vIdx.isValid() && m_vrrp->currentIndex().data(VrrpModel::NodeNameRole).toString() != node) {
        m_vrrp->setCurrentIndex(vIdx);
    }
    m_topologyView->centerOnNode(node);
    updateNodeActions();
}

void MainWindow::updateNodeActions()
{
    const QString node = m_current ? m_current->selection().current() : QString();
    const auto* snap = m_current && !node.isEmpty() ? m_current->model().node(node) : nullptr;
    const auto apply = [&](QAction* a, NodeAction kind, bool applies, const QString& notApplicable) {
        console::ActionAvailability av;
        if (snap == nullptr) {
            av = {false, tr("Select a node first")};
        } else if (!applies) {
            av = {false, notApplicable};
        } else {
            av = m_current->actions().availability(kind, *snap);
        }
        a->setEnabled(av.enabled);
        const QString base = a->text().remove(QLatin1Char('&'));
        a->setToolTip(plainToolTip(av.enabled ? tr("%1 %2").arg(base, node) : tr("%1: %2").arg(base, av.reason)));
        a->setStatusTip(a->toolTip());
    };
    const bool rs = snap != nullptr && isRealServer(m_current->model(), node);
    const bool dir = snap != nullptr && snap->hasRole(proto::Role::Director);
    apply(m_drainAct, NodeAction::Drain, rs, tr("%1 is not a real server").arg(node));
    apply(m_restoreAct, NodeAction::Restore, rs, tr("%1 is not a real server").arg(node));
    apply(m_failoverAct, NodeAction::Failover, dir, tr("%1 is not a director").arg(node));
    apply(m_makeMasterAct, NodeAction::MakeMaster, dir, tr("%1 is not a director").arg(node));
    m_closeAct->setEnabled(m_current != nullptr);
}

void MainWindow::updateBanner()
{
    if (m_banner == nullptr) {
        return;
    }
    QColor color = stateColor(console::NodeState::Connecting);
    QString title = tr("No cluster open");
    QString detail = tr("Open a cluster inventory with Ctrl+O, or create one with Ctrl+M.");
    QIcon icon = statusIcon(QStringLiteral("info"), color);
    if (m_current != nullptr) {
        const auto& model = m_current->model();
        int online = 0;
        int total = 0;
        int connecting = 0;
        for (const auto* n : model.nodes()) {
            ++total;
            online += n->reachable() ? 1 : 0;
            connecting += n->link == console::NodeState::Connecting ? 1 : 0;
        }
        int critical = 0;
        int warning = 0;
        for (const auto& a : model.alarms()) {
            critical += a.severity == console::Severity::Critical ? 1 : 0;
            warning += a.severity == console::Severity::Warning ? 1 : 0;
        }
        QStringList masters;
        for (const auto& d : model.directors()) {
            for (const auto& i : model.node(d)->vrrp) {
                if (i.state == proto::VrrpState::Master) {
                    masters << tr("%1 MASTER on %2").arg(QString::fromStdString(i.name), d);
                }
            }
        }
        masters.removeDuplicates();
        const QString nodes = tr("%1 of %2 nodes online").arg(online).arg(total);
        detail = nodes + (masters.isEmpty() ? QString()
                                            : QStringLiteral("  ·  ") + masters.mid(0, 3).join(QStringLiteral(", ")));
        if (critical > 0) {
            color = severityColor(console::Severity::Critical);
            title = tr("%n critical alarm(s)", nullptr, critical);
            detail = model.alarms().front().text + QStringLiteral("  ·  ") + nodes;
            icon = statusIcon(QStringLiteral("down"), color);
        } else if (warning > 0) {
            color = severityColor(console::Severity::Warning);
            title = tr("%n warning(s)", nullptr, warning);
            detail = model.alarms().front().text + QStringLiteral("  ·  ") + nodes;
            icon = statusIcon(QStringLiteral("warn"), color);
        } else if (connecting > 0 && online < total) {
            title = tr("Connecting…");
            icon = statusIcon(QStringLiteral("pending"), color);
        } else {
            color = stateColor(console::NodeState::Online);
            title = tr("All clear");
            icon = statusIcon(QStringLiteral("ok"), color);
        }
        m_statusNodes->setText(nodes);
        m_statusAlarms->setText(tr("Alarms: %1").arg(critical + warning));
    } else {
        m_statusNodes->clear();
        m_statusAlarms->clear();
    }
    QPalette pal = m_banner->palette();
    pal.setColor(QPalette::Window, tint(color, qApp->palette(), isDark(qApp->palette()) ? 0.28 : 0.16));
    m_banner->setPalette(pal);
    m_bannerIcon->setPixmap(icon.pixmap(28, 28));
    const auto elided = [](const QString& s) {
        constexpr qsizetype kMax = 160;
        QString one = s;
        one.replace(QLatin1Char('\n'), QLatin1Char(' '));
        return one.size() > kMax ? one.left(kMax) + QChar(0x2026) : one;
    };
    m_bannerTitle->setText(elided(title));
    m_bannerDetail->setText(elided(detail));
    m_bannerFullText = title + QLatin1Char(' ') + detail;
    m_banner->setToolTip(plainToolTip(detail.isEmpty() ? title : title + QLatin1Char('\n') + detail));
}

QString MainWindow::bannerText() const { return m_bannerFullText; }

void MainWindow::updateAlarms()
{
    m_alarms->clear();
    if (m_current == nullptr) {
        m_alarmsTitle->setText(tr("Active alarms"));
        return;
    }
    const auto& alarms = m_current->model().alarms();
    m_alarmsTitle->setText(tr("Active alarms (%1)").arg(alarms.size()));
    if (alarms.isEmpty()) {
        auto* item = new QListWidgetItem(statusIcon(QStringLiteral("ok"), stateColor(console::NodeState::Online)),
                                         tr("No active alarms. The cross-node checks pass."), m_alarms);
        item->setFlags(Qt::ItemIsEnabled);
        return;
    }
    for (const auto& a : alarms) {
        auto* item = new QListWidgetItem(severityIcon(a.severity), a.text, m_alarms);
        item->setData(Qt::UserRole, a.nodes.value(0));
        item->setToolTip(plainToolTip(a.detail.isEmpty() ? a.text : a.text + QLatin1Char('\n') + a.detail));
    }
}

void MainWindow::showNodeMenu(const QString& node, const QPoint& screenPos)
{
    if (m_current == nullptr) {
        return;
    }
    m_current->selection().select(node);
    updateNodeActions();
    QMenu menu(this);
    menu.setToolTipsVisible(true);
    menu.addSection(node);
    menu.addAction(m_drainAct);
    menu.addAction(m_restoreAct);
    menu.addSeparator();
    menu.addAction(m_failoverAct);
    menu.addAction(m_makeMasterAct);
    menu.exec(screenPos);
}

namespace {
/// console::nodeActionName()'s source words, for texts translated when shown.
const char* actionSource(NodeAction action)
{
    switch (action) {
    case NodeAction::Drain: return QT_TRANSLATE_NOOP("ClusterActions", "Drain");
    case NodeAction::Restore: return QT_TRANSLATE_NOOP("ClusterActions", "Restore");
    case NodeAction::SetWeight: return QT_TRANSLATE_NOOP("ClusterActions", "Set weight");
    case NodeAction::Failover: return QT_TRANSLATE_NOOP("ClusterActions", "Fail over");
    case NodeAction::MakeMaster: return QT_TRANSLATE_NOOP("ClusterActions", "Make master");
    }
    return "";
}
} // namespace

void MainWindow::runAction(NodeAction action)
{
    if (m_current == nullptr) {
        return;
    }
    const QString node = m_current->selection().current();
    QPointer<MainWindow> self(this);
    ClusterSession* session = m_current;
    const auto done = [self, session, node, action](bool ok, const QString& message) {
        if (!self) {
            return;
        }
        // Kept untranslated so the timeline line follows a later language switch.
        const char* ctx = MainWindow::staticMetaObject.className();
        const auto name = console::TrText::of("ClusterActions", actionSource(action));
        const console::TrText outcome =
            ok ? console::TrText(message) : console::TrText::of(ctx, QT_TR_NOOP("failed: %1"), {message});
        session->model().recordAdminAction(node,
                                           console::TrText::of(ctx, QT_TR_NOOP("%1 on %2: %3"), {name, node, outcome}));
        self->statusBar()->showMessage(message, 8000);
    };
    switch (action) {
    case NodeAction::Drain: m_current->actions().drain(node, done); break;
    case NodeAction::Restore: m_current->actions().restore(node, done); break;
    case NodeAction::Failover:
    case NodeAction::MakeMaster: {
        const auto* snap = m_current->model().node(node);
        int vrid = snap && !snap->vrrp.empty() ? snap->vrrp.front().vrid : 0;
        // The instance picked on the VRRP tab, when it belongs to this director.
        const QModelIndex row = m_vrrp->currentIndex();
        if (row.isValid() && row.data(VrrpModel::NodeNameRole).toString() == node &&
            row.data(VrrpModel::VridRole).isValid()) {
            vrid = row.data(VrrpModel::VridRole).toInt();
        }
        m_current->actions().failover(node, vrid, done);
        break;
    }
    case NodeAction::SetWeight: break;
    }
}

void MainWindow::openClusterDialog()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Open cluster inventory"), console::clustersDirectory(),
                                                      tr("Cluster inventories (*.json *.toml);;All files (*)"));
    if (path.isEmpty()) {
        return;
    }
    const QString error = openClusterFile(path);
    if (!error.isEmpty()) {
        QMessageBox::warning(this, tr("Cannot open the cluster"), error);
    }
}

QString MainWindow::openClusterFile(const QString& path)
{
    auto inventory = console::loadInventory(path);
    if (!inventory) {
        return QString::fromStdString(inventory.error().message);
    }
    for (auto* s : m_sessions) {
        if (!s->sourcePath().isEmpty() && s->sourcePath() == inventory->sourcePath) {
            setCurrentSession(s);
            return {};
        }
    }
    addSession(std::make_unique<ClusterSession>(inventory.value(), m_prompter.get()));
    return {};
}

void MainWindow::manageClusters()
{
    ClusterManagerDialog dialog(m_current ? &m_current->model() : nullptr, this);
    if (dialog.exec() == QDialog::Accepted && !dialog.selectedPath().isEmpty()) {
        const QString error = openClusterFile(dialog.selectedPath());
        if (!error.isEmpty()) {
            QMessageBox::warning(this, tr("Cannot open the cluster"), error);
        }
    }
}

void MainWindow::closeCurrentSession()
{
    if (m_current == nullptr) {
        return;
    }
    ClusterSession* closing = m_current;
    const auto idx = m_sessions.indexOf(closing);
    m_sessions.removeAt(idx);
    m_clusterCombo->removeItem(static_cast<int>(idx));
    m_scenes.remove(closing);
    m_current = nullptr;
    m_topologyView->setScene(nullptr);
    m_tree->setModel(nullptr);
    m_servicesProxy->setSourceModel(nullptr);
    m_vrrpProxy->setSourceModel(nullptr);
    m_timeline->setModel(nullptr);
    closing->deleteLater();
    if (!m_sessions.isEmpty()) {
        setCurrentSession(m_sessions.front());
    } else {
        retranslate();
    }
}

void MainWindow::saveScreenshotDialog()
{
    const QString path = QFileDialog::getSaveFileName(this, tr("Save screenshot"), QStringLiteral("hadeck.png"),
                                                      tr("PNG images (*.png)"));
    if (!path.isEmpty() && !grab().save(path, "PNG")) {
        QMessageBox::warning(this, tr("Save screenshot"), tr("Could not write %1").arg(path));
    }
}

void MainWindow::showAbout()
{
    QMessageBox::about(this, tr("About HaDeck"),
                       tr("<h3>HaDeck %1</h3><p>The control room for LVS/keepalived high-availability web "
                          "clusters: directors, real servers, databases and storage, live.</p>")
                           .arg(QCoreApplication::applicationVersion()));
}

} // namespace hadeck::ui
