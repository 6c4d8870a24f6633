#include "logs/logmodel.h"

#include <QDateTime>

#include <algorithm>
#include <iterator>

namespace hadeck::ui {

namespace {
QString key(const QString& node, const QString& source) { return node + QLatin1Char('\n') + source; }

/// A batch this long that lands among the lines shown is merged in one reset: inserted line by
/// line, each insertion costs the Logs tab's proxy a pass over its rows (five nodes' 5,000-line
/// answers took seconds). A follow's few late lines are still inserted one by one; after a merge
/// the Logs tab puts its current line back (aboutToMerge).
constexpr std::size_t kMergeAtLeast = 64;
} // namespace

LogModel::LogModel(int capacity, QObject* parent) : QAbstractTableModel(parent), m_capacity(std::max(1, capacity)) {}

void LogModel::addLines(const QString& node, const QString& source, const std::vector<proto::LogLine>& lines)
{
    if (lines.empty()) {
        return;
    }
    const QString k = key(node, source);
    qint64 last = m_lastTime.value(k, 0);
    std::vector<Line> batch;
    batch.reserve(lines.size());
    for (const auto& l : lines) {
        Line line;
        line.ownTime = l.time > 0;
        line.time = line.ownTime ? l.time : last;
        last = line.time;
        line.seq = ++m_seq;
        line.node = node;
        line.source = source;
        line.text = QString::fromStdString(l.text);
        batch.push_back(std::move(line));
    }
    m_lastTime.insert(k, last);
    // The common case, a follow's new lines: all at or after the newest shown, in order.
    const bool inOrder = std::is_sorted(batch.begin(), batch.end(), [](const Line& a, const Line& b) { return a.time < b.time; });
    if (inOrder && (m_lines.empty() || batch.front().time >= m_lines.back().time)) {
        const int first = static_cast<int>(m_lines.size());
        beginInsertRows({}, first, first + static_cast<int>(batch.size()) - 1);
        for (auto& l : batch) {
            m_lines.push_back(std::move(l));
        }
        endInsertRows();
    } else if (batch.size() >= kMergeAtLeast) {
        merge(std::move(batch));
    } else {
        for (auto& l : batch) {
            insertLine(std::move(l));
        }
    }
    trim();
}

void LogModel::merge(std::vector<Line> batch)
{
    // The order insertLine gives line by line: by time; in one second, the lines shown first,
    // then the batch's in arrival order.
    const auto byTime = [](const Line& a, const Line& b) { return a.time < b.time; };
    std::stable_sort(batch.begin(), batch.end(), byTime);
    emit aboutToMerge();
    beginResetModel();
    std::deque<Line> merged;
    std::merge(std::make_move_iterator(m_lines.begin()), std::make_move_iterator(m_lines.end()),
               std::make_move_iterator(batch.begin()), std::make_move_iterator(batch.end()), std::back_inserter(merged),
               byTime);
    m_lines = std::move(merged);
    if (const auto excess = static_cast<std::ptrdiff_t>(m_lines.size()) - m_capacity; excess > 0) {
        m_lines.erase(m_lines.begin(), m_lines.begin() + excess);
    }
    endResetModel();
}

void LogModel::insertLine(Line line)
{
    // After every line of the same second or older: same-second lines keep their arrival order.
    const auto it = std::upper_bound(m_lines.begin(), m_lines.end(), line.time,
                                     [](qint64 t, const Line& l) { return t < l.time; });
    const int row = static_cast<int>(it - m_lines.begin());
    beginInsertRows({}, row, row);
    m_lines.insert(it, std::move(line));
    endInsertRows();
}

void LogModel::trim()
{
    const int excess = static_cast<int>(m_lines.size()) - m_capacity;
    if (excess <= 0) {
        return;
    }
    beginRemoveRows({}, 0, excess - 1);
    m_lines.erase(m_lines.begin(), m_lines.begin() + excess);
    endRemoveRows();
}

void LogModel::removeLines(const QString& node, const QString& source)
{
    const auto matches = [&](const Line& l) { return l.node == node && (source.isEmpty() || l.source == source); };
    // Contiguous runs are removed together (one signal each).
    int row = 0;
    while (row < static_cast<int>(m_lines.size())) {
        if (!matches(m_lines[static_cast<std::size_t>(row)])) {
            ++row;
            continue;
        }
        int end = row;
        while (end + 1 < static_cast<int>(m_lines.size()) && matches(m_lines[static_cast<std::size_t>(end + 1)])) {
            ++end;
        }
        beginRemoveRows({}, row, end);
        m_lines.erase(m_lines.begin() + row, m_lines.begin() + end + 1);
        endRemoveRows();
    }
    for (auto it = m_lastTime.begin(); it != m_lastTime.end();) {
        if (it.key().startsWith(node + QLatin1Char('\n')) && (source.isEmpty() || it.key() == key(node, source))) {
            it = m_lastTime.erase(it);
        } else {
            ++it;
        }
    }
}

void LogModel::clear()
{
    m_lastTime.clear();
    if (m_lines.empty()) {
        return;
    }
    beginResetModel();
    m_lines.clear();
    endResetModel();
}

int LogModel::rowAtTime(qint64 unixSeconds) const
{
    const auto it = std::lower_bound(m_lines.begin(), m_lines.end(), unixSeconds,
                                     [](const Line& l, qint64 t) { return l.time < t; });
    return static_cast<int>(it - m_lines.begin());
}

quint64 LogModel::seqAt(int row) const
{
    return row < 0 || row >= static_cast<int>(m_lines.size()) ? 0 : m_lines[static_cast<std::size_t>(row)].seq;
}

int LogModel::rowOfSeq(quint64 seq) const
{
    const auto it = std::find_if(m_lines.begin(), m_lines.end(), [seq](const Line& l) { return l.seq == seq; });
    return it == m_lines.end() ? -1 : static_cast<int>(it - m_lines.begin());
}

qint64 LogModel::timeAt(int row) const
{
    return row < 0 || row >= static_cast<int>(m_lines.size()) ? 0 : m_lines[static_cast<std::size_t>(row)].time;
}

int LogModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_lines.size());
}

int LogModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant LogModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) {
        return {};
    }
    const Line& l = m_lines[static_cast<std::size_t>(index.row())];
    switch (role) {
    case TimeRole: return l.time;
    case NodeNameRole: return l.node;
    case SourceRole: return l.source;
    case Qt::DisplayRole:
        switch (index.column()) {
        case Time:
            if (l.time <= 0) {
                return QString();
            }
            // A line without its own time shows none (its place comes from the line before).
            return l.ownTime ? QDateTime::fromSecsSinceEpoch(l.time).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"))
                             : QString();
        case Node: return l.node;
        case Source: return l.source;
        case Text: return l.text;
        default: return {};
        }
    case Qt::ToolTipRole:
        if (index.column() == Time && l.time > 0 && !l.ownTime) {
            return tr("No time of its own: shown after the line before it");
        }
        return {};
    default: return {};
    }
}

QVariant LogModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) {
        return {};
    }
    switch (section) {
    case Time: return tr("Time");
    //: Column header: the cluster machine (host) a row is about.
    case Node: return tr("Node");
    case Source: return tr("Source");
    case Text: return tr("Line");
    default: return {};
    }
}

void LogModel::retranslate() { emit headerDataChanged(Qt::Horizontal, 0, ColumnCount - 1); }

} // namespace hadeck::ui
