// The main window's actions: their creation, menus, availability per selected node, and running them.
#include "app/mainwindow.h"

#include "app/clustersession.h"
#include "dialogs/deploydialog.h"
#include "hadeck/console/model/clusteractions.h"
#include "style/plaintext.h"
#include "style/theme.h"

#include <QAction>
#include <QActionGroup>
#include <QMenu>
#include <QMenuBar>
#include <QPointer>
#include <QStatusBar>
#include <QTabWidget>
#include <QDockWidget>
#include <QTreeView>

namespace hadeck::ui {

using console::NodeAction;

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
    m_deployAct = new QAction(themedIcon(QStringLiteral("node-unknown")), {}, this);
    connect(m_deployAct, &QAction::triggered, this, &MainWindow::openDeployDialog);
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
    m_nodeMenu->addSeparator();
    m_nodeMenu->addAction(m_deployAct);

    m_helpMenu = menuBar()->addMenu(QString());
    m_helpMenu->addAction(m_aboutAct);
}

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
    const bool rs = snap != nullptr && m_current->model().isRealServer(node);
    const bool dir = snap != nullptr && snap->hasRole(proto::Role::Director);
    apply(m_drainAct, NodeAction::Drain, rs, tr("%1 is not a real server").arg(node));
    apply(m_restoreAct, NodeAction::Restore, rs, tr("%1 is not a real server").arg(node));
    apply(m_failoverAct, NodeAction::Failover, dir, tr("%1 is not a director").arg(node));
    apply(m_makeMasterAct, NodeAction::MakeMaster, dir, tr("%1 is not a director").arg(node));
    // Install where the node has no agent; upgrade where it has one (the same action).
    const bool noAgent = snap != nullptr && snap->link == console::NodeState::NotInstalled;
    m_deployAct->setText(noAgent || snap == nullptr ? tr("&Install agent…") : tr("&Upgrade agent…"));
    const bool canDeploy = snap != nullptr && m_current->pool() != nullptr;
    m_deployAct->setEnabled(canDeploy);
    m_deployAct->setToolTip(plainToolTip(
        canDeploy
            ? tr("Install or upgrade hadeck-agent on %1 over SSH").arg(node)
            : (snap == nullptr ? tr("Select a node first") : tr("This session has no connections to deploy through"))));
    m_deployAct->setStatusTip(m_deployAct->toolTip());
    m_closeAct->setEnabled(m_current != nullptr);
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
    menu.addSeparator();
    menu.addAction(m_deployAct);
    menu.exec(screenPos);
}

void MainWindow::openDeployDialog()
{
    if (m_current == nullptr || m_current->pool() == nullptr) {
        return;
    }
    auto* dialog = new DeployDialog(m_current->pool(), m_current->selection().current(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->show();
}

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

} // namespace hadeck::ui
