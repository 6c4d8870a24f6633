#pragma once

// The Logs tab's lines: the chosen sources of the chosen nodes merged into one
// list in time order (each line's own timestamp as the agent parsed it). A line
// without a timestamp (a stack trace's continuation, an unparsed format) keeps its
// place after the line before it from the same node and source. Lines that come
// later (a follow) but are older than the newest one shown are put in their place,
// not at the end (a long batch of them in one model reset). Bounded: the oldest lines go first.

#include "hadeck/protocol/appdata.h"

#include <QAbstractTableModel>
#include <QHash>

#include <deque>
#include <vector>

namespace hadeck::ui {

class LogModel final : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Time, Node, Source, Text, ColumnCount };
    enum Roles { TimeRole = Qt::UserRole + 1, NodeNameRole, SourceRole };

    explicit LogModel(int capacity = 20000, QObject* parent = nullptr);

    /// Lines of @p source on @p node, oldest first, as logs.query or a log.<source> topic sends them.
    void addLines(const QString& node, const QString& source, const std::vector<proto::LogLine>& lines);
    /// Removes every line of @p node (all sources when @p source is empty).
    void removeLines(const QString& node, const QString& source = {});
    void clear();

    /// The first row at or after @p unixSeconds (rowCount() when every line is older).
    [[nodiscard]] int rowAtTime(qint64 unixSeconds) const;
    /// The time used to order row @p row (unix seconds; a line without its own inherits).
    [[nodiscard]] qint64 timeAt(int row) const;
    [[nodiscard]] int capacity() const { return m_capacity; }
    /// The arrival number of row @p row (0 when out of range): a line's identity across a merge.
    [[nodiscard]] quint64 seqAt(int row) const;
    /// The row of the line with arrival number @p seq; -1 when it is gone.
    [[nodiscard]] int rowOfSeq(quint64 seq) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

public slots:
    void retranslate();

signals:
    /// Before a merge's model reset: the last moment to note which lines a view shows.
    void aboutToMerge();

private:
    struct Line {
        qint64 time = 0;      // for ordering: own or inherited
        bool ownTime = false; // the line carried its timestamp
        quint64 seq = 0;      // arrival order, ties broken by it
        QString node;
        QString source;
        QString text;
    };
    void insertLine(Line line);
    /// Merges a batch that lands among the lines shown, in one model reset.
    void merge(std::vector<Line> batch);
    void trim();

    std::deque<Line> m_lines;
    QHash<QString, qint64> m_lastTime; // "node\nsource" -> the last line's time
    quint64 m_seq = 0;
    int m_capacity;
};

} // namespace hadeck::ui
