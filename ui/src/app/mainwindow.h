#pragma once

#include "app/language.h"

#include <QHash>
#include <QMainWindow>
#include <QPointer>

#include <memory>

class QAction;
class QActionGroup;
class QComboBox;
class QDockWidget;
class QLabel;
class QLineEdit;
class QListWidget;
class QMenu;
class QSortFilterProxyModel;
class QTabWidget;
class QTableView;
class QToolBar;
class QToolButton;
class QTreeView;

namespace hadeck::console {
class CredentialPrompter;
enum class NodeAction;
} // namespace hadeck::console

namespace hadeck::ui {

class ClusterSession;
class DatabaseView;
class StorageView;
class HostsView;
class LogsView;
class AuditView;
class FirewallView;
class TopologyScene;
class TopologyView;

class MainWindow final : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    /// Shows @p session (the window takes ownership) and makes it current.
    ClusterSession* addSession(std::unique_ptr<ClusterSession> session);
    [[nodiscard]] ClusterSession* currentSession() const { return m_current; }
    [[nodiscard]] QList<ClusterSession*> sessions() const { return m_sessions; }
    void setCurrentSession(ClusterSession* session);

    /// Opens an inventory file and connects to its nodes. @return an error text, empty on success.
    QString openClusterFile(const QString& path);

    void setLanguage(const QString& code);
    [[nodiscard]] QString language() const { return m_language.current(); }
    void setTheme(Theme theme);

    // For tests and screenshots.
    [[nodiscard]] QTabWidget* tabs() const { return m_tabs; }
    [[nodiscard]] TopologyScene* topologyScene() const;
    [[nodiscard]] TopologyView* topologyView() const { return m_topologyView; }
    [[nodiscard]] QTreeView* clusterTree() const { return m_tree; }
    [[nodiscard]] QTreeView* servicesView() const { return m_services; }
    [[nodiscard]] QTreeView* vrrpView() const { return m_vrrp; }
    /// The Firewall tab (null where the console core is not built).
    [[nodiscard]] FirewallView* firewallView() const { return m_firewall; }
    /// The Database tab (null where the console core is not built).
    [[nodiscard]] DatabaseView* databaseView() const { return m_database; }
    [[nodiscard]] StorageView* storageView() const { return m_storage; }
    [[nodiscard]] HostsView* hostsView() const { return m_hosts; }
    [[nodiscard]] LogsView* logsView() const { return m_logs; }
    [[nodiscard]] AuditView* auditView() const { return m_audit; }
    [[nodiscard]] QTableView* timelineView() const { return m_timeline; }
    [[nodiscard]] QListWidget* alarmList() const { return m_alarms; }
    [[nodiscard]] QAction* nodeAction(console::NodeAction action) const;
    [[nodiscard]] QString bannerText() const;
    enum Tab {
        TopologyTab = 0,
        ServicesTab = 1,
        VrrpTab = 2,
        FirewallTab = 3,
        DatabaseTab = 4,
        StorageTab = 5,
        HostsTab = 6,
        LogsTab = 7,
        AuditTab = 8
    };

protected:
    void changeEvent(QEvent* event) override;
    void closeEvent(QCloseEvent* event) override;

private:
    // Builders, one per area (mainwindow_actions.cpp, mainwindow_widgets.cpp).
    void createActions();
    void createMenus();
    void createWidgets();
    void createToolbar();
    void createCentral();
    QWidget* createBanner(QWidget* parent);
    void createTopologyTab();
    void createServicesTab();
    void createVrrpTab();
    void createAppTabs();
    void createClusterDock();
    void createAlarmDock();
    void createStatusBar();
    void retranslate();
    void restoreSettings();
    void onNodeSelected(const QString& node);
    void updateNodeActions();
    void updateBanner();
    void updateAlarms();
    void showNodeMenu(const QString& node, const QPoint& screenPos);
    void runAction(console::NodeAction action);
    void openDeployDialog();
    void openClusterDialog();
    void manageClusters();
    void closeCurrentSession();
    void saveScreenshotDialog();
    void showAbout();
    void selectFromIndex(const QModelIndex& index, int role);
    void expandServices();
    /// A node refused for a CHANGED host key gets the hard-stop warning, not a generic error.
    void warnIfHostKeyChanged(ClusterSession* session, const QString& node);

    Language m_language;
    QList<ClusterSession*> m_sessions;
    ClusterSession* m_current = nullptr;
    QList<QMetaObject::Connection> m_sessionLinks; // to the current session's models
    QHash<ClusterSession*, TopologyScene*> m_scenes;
    std::unique_ptr<console::CredentialPrompter> m_prompter;
    QHash<QString, QPointer<QDialog>> m_hostKeyWarnings; // "cluster/node" -> the open warning

    // Widgets (children of this).
    QTabWidget* m_tabs = nullptr;
    TopologyView* m_topologyView = nullptr;
    QTreeView* m_tree = nullptr;
    QTreeView* m_services = nullptr;
    QTreeView* m_vrrp = nullptr;
    FirewallView* m_firewall = nullptr;
    DatabaseView* m_database = nullptr;
    StorageView* m_storage = nullptr;
    HostsView* m_hosts = nullptr;
    LogsView* m_logs = nullptr;
    AuditView* m_audit = nullptr;
    QTableView* m_timeline = nullptr;
    QListWidget* m_alarms = nullptr;
    QSortFilterProxyModel* m_servicesProxy = nullptr;
    QSortFilterProxyModel* m_vrrpProxy = nullptr;
    QLineEdit* m_servicesFilter = nullptr;
    QComboBox* m_clusterCombo = nullptr;
    QDockWidget* m_treeDock = nullptr;
    QDockWidget* m_alarmDock = nullptr;
    QToolBar* m_toolbar = nullptr;
    QWidget* m_banner = nullptr;
    QLabel* m_bannerIcon = nullptr;
    QLabel* m_bannerTitle = nullptr;
    QLabel* m_bannerDetail = nullptr;
    QString m_bannerFullText; // what the banner says, before elision
    QLabel* m_statusNodes = nullptr;
    QLabel* m_statusAlarms = nullptr;
    QLabel* m_statusUpdated = nullptr;
    QLabel* m_servicesHint = nullptr;
    QLabel* m_vrrpHint = nullptr;
    QLabel* m_alarmsTitle = nullptr;
    QLabel* m_timelineTitle = nullptr;
    QToolButton* m_drainButton = nullptr;
    QToolButton* m_restoreButton = nullptr;
    QToolButton* m_failoverButton = nullptr;
    QToolButton* m_makeMasterButton = nullptr;

    QMenu* m_fileMenu = nullptr;
    QMenu* m_viewMenu = nullptr;
    QMenu* m_nodeMenu = nullptr;
    QMenu* m_languageMenu = nullptr;
    QMenu* m_themeMenu = nullptr;
    QMenu* m_helpMenu = nullptr;

    QAction* m_openAct = nullptr;
    QAction* m_manageAct = nullptr;
    QAction* m_closeAct = nullptr;
    QAction* m_screenshotAct = nullptr;
    QAction* m_quitAct = nullptr;
    QAction* m_zoomInAct = nullptr;
    QAction* m_zoomOutAct = nullptr;
    QAction* m_zoomFitAct = nullptr;
    QAction* m_tabActs[3] = {};
    QAction* m_drainAct = nullptr;
    QAction* m_restoreAct = nullptr;
    QAction* m_failoverAct = nullptr;
    QAction* m_makeMasterAct = nullptr;
    QAction* m_deployAct = nullptr;
    QAction* m_aboutAct = nullptr;
    QActionGroup* m_languageGroup = nullptr;
    QActionGroup* m_themeGroup = nullptr;
    QHash<QString, QAction*> m_languageActs;
    QHash<int, QAction*> m_themeActs;
    Theme m_theme = Theme::System;
};

} // namespace hadeck::ui
