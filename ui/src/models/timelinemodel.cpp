#include "style/plaintext.h"
#include "models/timelinemodel.h"

#include "style/theme.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QEvent>

namespace hadeck::ui {

TimelineModel::TimelineModel(const console::ClusterModel& cluster, int capacity, QObject* parent)
    : QAbstractTableModel(parent), m_capacity(std::max(1, capacity))
{
    connect(&cluster, &console::ClusterModel::eventsOccurred, this, &TimelineModel::append);
    // Models get no LanguageChange of their own; the application object does.
    if (auto* app = QCoreApplication::instance()) {
        app->installEventFilter(this);
    }
}

bool TimelineModel::eventFilter(QObject* watched, QEvent* event)
{
    if (event->type() == QEvent::LanguageChange && watched == QCoreApplication::instance()) {
        retranslate();
    }
    return QAbstractTableModel::eventFilter(watched, event);
}

void TimelineModel::retranslate()
{
    // Lines are rendered when shown: telling the views is enough.
    emit headerDataChanged(Qt::Horizontal, 0, ColumnCount - 1);
    if (!m_events.empty()) {
        emit dataChanged(index(0, 0), index(static_cast<int>(m_events.size()) - 1, ColumnCount - 1));
    }
}

QString TimelineModel::textAt(int row) const
{
    const auto& e = m_events.at(static_cast<std::size_t>(row));
    return e.message.isEmpty() ? e.text : e.message.render();
}

int TimelineModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_events.size());
}

int TimelineModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant TimelineModel::data(const QModelIndex& index, int role) const
{
    // Tooltips carry agent text: always shown literally, never as rich text.
    if (role == Qt::ToolTipRole) {
        return plainToolTip(rawData(index, role));
    }
    return rawData(index, role);
}

QVariant TimelineModel::rawData(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= static_cast<int>(m_events.size())) {
        return {};
    }
    const auto& e = m_events[static_cast<std::size_t>(index.row())];
    switch (role) {
    case NodeNameRole: return e.node;
    case SeverityRole: return static_cast<int>(e.severity);
    case KindRole: return static_cast<int>(e.kind);
    case TimeRole: return e.timeMs;
    case Qt::DisplayRole:
        switch (index.column()) {
        case Time: return QDateTime::fromMSecsSinceEpoch(e.timeMs).toString(QStringLiteral("HH:mm:ss"));
        case Severity: return console::severityName(e.severity);
        case Kind: return console::eventKindName(e.kind);
        case Node: return e.node;
        case Message: return textAt(index.row());
        default: return {};
        }
    case Qt::ToolTipRole:
        if (index.column() == Time) {
            return QDateTime::fromMSecsSinceEpoch(e.timeMs).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz"));
        }
        return index.column() == Message ? QVariant(textAt(index.row())) : QVariant();
    case Qt::DecorationRole:
        return index.column() == Severity ? QVariant(severityIcon(e.severity)) : QVariant();
    case Qt::ForegroundRole:
        if (index.column() == Severity && e.severity != console::Severity::Info) {
            return severityColor(e.severity);
        }
        return {};
    default: return {};
    }
}

QVariant TimelineModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) {
        return {};
    }
    switch (section) {
    case Time: return tr("Time");
    case Severity: return tr("Severity");
    case Kind: return tr("Kind");
    //: Column header: the cluster machine (host) a row is about.
    case Node: return tr("Node");
    case Message: return tr("Message");
    default: return {};
    }
}

void TimelineModel::append(const QList<console::ClusterEvent>& events)
{
    if (events.isEmpty()) {
        return;
    }
    // More than fit: only the newest capacity() entries are kept.
    const auto count = std::min<qsizetype>(events.size(), m_capacity);
    beginInsertRows({}, 0, static_cast<int>(count) - 1);
    for (auto i = events.size() - count; i < events.size(); ++i) {
        m_events.push_front(events.at(i));
    }
    endInsertRows();
    const int overflow = static_cast<int>(m_events.size()) - m_capacity;
    if (overflow > 0) {
        const int first = m_capacity;
        beginRemoveRows({}, first, first + overflow - 1);
        m_events.resize(static_cast<std::size_t>(m_capacity));
        endRemoveRows();
    }
}

} // namespace hadeck::ui
