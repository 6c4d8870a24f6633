#pragma once

// The Database tab: the replication topology of every node with a database
// server (role, read_only, IO/SQL threads, lag, master, last errors, GTID), a
// live chart of each replica's lag (sampled every second from the db topic the
// session's AppDataStore holds, and the agent's history when a replica first
// shows), and the operator actions on the selected
// server: replica start and stop, read_only on and off, each after the agent's
// preflight and a confirmation.

#include "appdata/appaction.h"
#include "appdata/nodepollview.h"

#include <QHash>
#include <QSet>

class QLabel;
class QPushButton;
class QTableView;

namespace hadeck::ui {

class ReplicationModel;
class TimeChart;

class DatabaseView final : public NodePollView {
    Q_OBJECT
public:
    explicit DatabaseView(QWidget* parent = nullptr);
    ~DatabaseView() override;

    void setSession(ClusterSession* session);

    [[nodiscard]] ReplicationModel* model() const { return m_model; }
    [[nodiscard]] TimeChart* lagChart() const { return m_chart; }
    [[nodiscard]] QTableView* table() const { return m_table; }
    [[nodiscard]] QString selectedNode() const;
    /// Answers the confirmations instead of a dialog (tests).
    AppAction::Confirm confirmHook;

public slots:
    /// Reads every online node's last db topic (a lag sample each).
    void refresh() override;
    void selectNode(const QString& node);
    void startReplica();
    void stopReplica();
    void toggleReadOnly();
    void exportCsv();
    void exportChart();

signals:
    /// After each refresh().
    void refreshed();
    void actionFinished(const QString& node, bool done, const QString& message);

private:
    void retranslate() override;
    void updateActions();
    /// @p node's last db topic into the table, and into the chart when @p sample.
    void readNode(const QString& node, bool sample);
    void loadHistory(const QString& node);
    void finish(const QString& node, bool done, const QString& message);

    QList<QMetaObject::Connection> m_links;
    ReplicationModel* m_model = nullptr;
    QTableView* m_table = nullptr;
    TimeChart* m_chart = nullptr;
    QLabel* m_chartTitle = nullptr;
    QPushButton* m_start = nullptr;
    QPushButton* m_stop = nullptr;
    QPushButton* m_readOnly = nullptr;
    QPushButton* m_csv = nullptr;
    QPushButton* m_png = nullptr;
    QSet<QString> m_historyAsked;
};

} // namespace hadeck::ui
