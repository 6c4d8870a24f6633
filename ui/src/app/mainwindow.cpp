#include "app/mainwindow.h"
#include "dialogs/modal.h"

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
#include "logs/auditview.h"
#include "logs/logsview.h"
#include "hadeck/console/inventory.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QComboBox>
#include <QDateTime>
#include <QDockWidget>
#include <QFileDialog>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QSettings>
#include <QDir>
#include <QSortFilterProxyModel>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QToolBar>
#include <QTreeView>

namespace hadeck::ui {

namespace {

QSettings settings() { return QSettings(QStringLiteral("HaDeck"), QStringLiteral("hadeck")); }

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
    //: Menu action, a verb: take the selected real server out of rotation (weight 0 on every
    //: director) and wait for its open connections to end. Not "empty" or "discharge".
    m_drainAct->setText(tr("&Drain", "verb: take a real server out of rotation"));
    //: Menu action, a verb: put a drained real server back in rotation at its configured weight.
    //: Not a backup restore.
    m_restoreAct->setText(tr("&Restore", "verb: put a drained real server back in rotation"));
    //: Menu action, a verb: move the VRRP MASTER role (and the VIPs) to the other director.
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
    //: Menu title: actions on the selected cluster machine (a director, web, database or storage host).
    m_nodeMenu->setTitle(tr("&Node", "menu: the selected cluster machine"));
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
    m_tabs->setTabText(LogsTab, tr("Logs"));
    m_tabs->setTabText(AuditTab, tr("Audit"));
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
    auto* scene = new TopologyScene(session->model(), session->selection(), &session->appData(), session);
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
                [this, session](const QString& node, console::NodeState state, const QString&) {
                    if (state == console::NodeState::Refused) {
                        warnIfHostKeyChanged(session, node);
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

void MainWindow::warnIfHostKeyChanged(ClusterSession* session, const QString& node)
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
    auto* dialog = new HostKeyDialog(
        changedHostKey(node, spec->address, spec->port, client->lastTransportError(), knownHosts), this);
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
    m_logs->setSession(session);
    m_audit->setSession(session);
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
    m_topologyView->setSelection(&session->selection());
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

void MainWindow::openClusterDialog()
{
    const QString path = Modal::openFileName(this, tr("Open cluster inventory"), console::clustersDirectory(),
                                             tr("Cluster inventories (*.json *.toml);;All files (*)"));
    if (path.isEmpty()) {
        return;
    }
    const QString error = openClusterFile(path);
    if (!error.isEmpty()) {
        Modal::warning(this, tr("Cannot open the cluster"), error);
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
    if (Modal::exec(dialog) == QDialog::Accepted && !dialog.selectedPath().isEmpty()) {
        const QString error = openClusterFile(dialog.selectedPath());
        if (!error.isEmpty()) {
            Modal::warning(this, tr("Cannot open the cluster"), error);
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
    const QString path =
        Modal::saveFileName(this, tr("Save screenshot"), QStringLiteral("hadeck.png"), tr("PNG images (*.png)"));
    if (!path.isEmpty() && !grab().save(path, "PNG")) {
        Modal::warning(this, tr("Save screenshot"), tr("Could not write %1").arg(path));
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
