#pragma once

// The Audit tab: the agents' audit logs (agent.auditTail) merged in time order,
// filtered by user, node and action, and each node's chain verification
// (agent.auditVerify: entries checked, or the first broken line and why).

#include <QHash>
#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;
class QTableView;
class QTableWidget;

namespace hadeck::ui {

class ClusterSession;
class AuditModel;
class AuditFilter;

class AuditView final : public QWidget {
    Q_OBJECT
public:
    explicit AuditView(QWidget* parent = nullptr);
    ~AuditView() override;

    void setSession(ClusterSession* session);

    [[nodiscard]] AuditModel* model() const { return m_model; }
    [[nodiscard]] AuditFilter* filtered() const { return m_filter; }
    [[nodiscard]] QTableView* table() const { return m_table; }
    [[nodiscard]] QListWidget* nodeList() const { return m_nodes; }
    /// One row per node: node, chain state, detail.
    [[nodiscard]] QTableWidget* chainTable() const { return m_chains; }
    /// The chain state shown for @p node: "ok", "broken", "error" or empty (not asked yet).
    [[nodiscard]] QString chainState(const QString& node) const { return m_chainState.value(node); }

public slots:
    /// Reads every online node's audit tail and verifies its chain.
    void reload();
    void setUserFilter(const QString& user);
    void setActionFilter(const QString& action);
    void setNodeChecked(const QString& node, bool checked);
    void exportCsv();

signals:
    /// Every call of a reload() has answered.
    void loaded();

protected:
    void changeEvent(QEvent* event) override;
    void showEvent(QShowEvent* event) override;

private:
    void retranslate();
    void applyNodeFilter();
    void setChain(const QString& node, const QString& state, const QString& text);
    void answered();
    void updateUsers();

    ClusterSession* m_session = nullptr;
    AuditModel* m_model = nullptr;
    AuditFilter* m_filter = nullptr;
    QTableView* m_table = nullptr;
    QListWidget* m_nodes = nullptr;
    QTableWidget* m_chains = nullptr;
    QLabel* m_userLabel = nullptr;
    QLabel* m_actionLabel = nullptr;
    QLabel* m_nodesLabel = nullptr;
    QLabel* m_chainsLabel = nullptr;
    QComboBox* m_user = nullptr;
    QLineEdit* m_action = nullptr;
    QPushButton* m_reload = nullptr;
    QPushButton* m_csv = nullptr;
    QHash<QString, QString> m_chainState;
    int m_pending = 0;
    int m_generation = 0;
    bool m_loadedOnce = false;
};

} // namespace hadeck::ui
