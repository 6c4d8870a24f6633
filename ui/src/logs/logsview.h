#pragma once

// The Logs tab: the chosen log sources (apache-access, mariadb-error, keepalived, ...)
// of the chosen nodes, merged in time order (LogModel), filtered as typed, and
// followed: new lines come from the agents' log.<source> topics and the view keeps
// to the end while it is at the end. Selecting a moment elsewhere (a timeline
// event) scrolls the lines to it; selecting a line tells the window its moment,
// so the timeline can go to it too.

#include <QHash>
#include <QPointer>
#include <QSet>
#include <QWidget>

#include "hadeck/console/agentclient.h"

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;
class QSortFilterProxyModel;
class QTableView;
class QAbstractItemView;


namespace hadeck::ui {

class ClusterSession;
class LogModel;

class LogsView final : public QWidget {
    Q_OBJECT
public:
    explicit LogsView(QWidget* parent = nullptr);
    ~LogsView() override;

    void setSession(ClusterSession* session);

    [[nodiscard]] LogModel* model() const { return m_model; }
    [[nodiscard]] QSortFilterProxyModel* filtered() const { return m_filter; }
    [[nodiscard]] QTableView* table() const { return m_table; }
    [[nodiscard]] QListWidget* nodeList() const { return m_nodes; }
    [[nodiscard]] QListWidget* sourceList() const { return m_sources; }
    [[nodiscard]] QLabel* noticeLabel() const { return m_notice; }
    [[nodiscard]] QStringList checkedNodes() const;
    [[nodiscard]] QStringList checkedSources() const;
    [[nodiscard]] bool following() const;
    /// The topics followed now, as "node source".
    [[nodiscard]] QStringList followedTopics() const;

    /// The sources every agent may name (more are learned from the answers).
    static QStringList knownSources();

public slots:
    void setNodeChecked(const QString& node, bool checked);
    void setSourceChecked(const QString& source, bool checked);
    void setFollow(bool on);
    void setFilterText(const QString& text);
    /// Reads the chosen sources again (and follows them when Follow is on).
    void reload();
    /// Scrolls to (and selects) the first line at or after @p unixSeconds.
    void showMoment(qint64 unixSeconds);
    /// Back to where the lines were before the last showMoment().
    void back();
    void exportCsv();

signals:
    /// A line was selected by the user: its moment (unix seconds).
    void momentSelected(qint64 unixSeconds);
    /// Every logs.query of a reload() has answered.
    void loaded();
    /// New lines came from a followed topic.
    void followedLines(const QString& node, const QString& source, int count);

protected:
    void changeEvent(QEvent* event) override;

private:
    void retranslate();
    void unfollowAll();
    void query(const QString& node, const QString& source, int generation);
    void addSource(const QString& source, bool checked);
    void answered();
    console::AgentClient* client(const QString& node) const;

    ClusterSession* m_session = nullptr;
    LogModel* m_model = nullptr;
    QSortFilterProxyModel* m_filter = nullptr;
    QTableView* m_table = nullptr;
    QListWidget* m_nodes = nullptr;
    QListWidget* m_sources = nullptr;
    QLabel* m_nodesLabel = nullptr;
    QLabel* m_sourcesLabel = nullptr;
    QLabel* m_filterLabel = nullptr;
    QLabel* m_sinceLabel = nullptr;
    QLabel* m_notice = nullptr;
    QLineEdit* m_filterEdit = nullptr;
    QComboBox* m_since = nullptr;
    QCheckBox* m_follow = nullptr;
    QPushButton* m_reload = nullptr;
    QPushButton* m_back = nullptr;
    QPushButton* m_csv = nullptr;
    struct Follow {
        QPointer<console::AgentClient> client;
        int id = 0;
    };
    QHash<QString, Follow> m_follows; // "node\nsource"
    QStringList m_problems;           // what could not be read, shown in the notice
    QMetaObject::Connection m_poolLink;
    int m_pending = 0;
    int m_generation = 0;
    int m_backRow = -1;       // the source row shown before showMoment()
    bool m_atEnd = true;      // the view was at its end before new lines came
    bool m_programmatic = false;
    quint64 m_currentSeq = 0; // the current line across a merge (LogModel::aboutToMerge)
    quint64 m_backSeq = 0;    // the Back target across a merge
};

/// Clicking an event in @p timeline (a TimelineModel view) shows that moment in @p logs;
/// selecting a log line selects the timeline's event nearest to it.
void linkLogsToTimeline(LogsView* logs, QAbstractItemView* timeline);

} // namespace hadeck::ui
