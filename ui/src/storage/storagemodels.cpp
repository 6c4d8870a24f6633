#include "storage/storagemodels.h"
#include "style/plaintext.h"

#include <QApplication>
#include <QBrush>
#include <QColor>
#include <QPainter>
#include <QStyleOptionProgressBar>

#include <algorithm>

namespace hadeck::ui {

namespace {
/// Room left and right of a space bar's text, inside its frame.
constexpr int kSpaceBarTextMargin = 6;
} // namespace

namespace {
QString q(const std::string& s) { return QString::fromStdString(s); }
QString serverKey(const proto::MfsChunkserver& cs) { return QStringLiteral("%1:%2").arg(q(cs.host)).arg(cs.port); }
double fraction(std::uint64_t used, std::uint64_t total)
{
    return total == 0 ? 0.0 : std::clamp(static_cast<double>(used) / static_cast<double>(total), 0.0, 1.0);
}
const QColor kBad(0xc0, 0x1c, 0x28);
} // namespace

QString formatBytes(std::uint64_t b)
{
    static const char* const units[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
    double v = static_cast<double>(b);
    int u = 0;
    while (v >= 1024 && u < 5) {
        v /= 1024;
        ++u;
    }
    return QString::number(v, 'f', u == 0 ? 0 : 1) + QLatin1Char(' ') + QLatin1String(units[u]);
}

// ------------------------------------------------------------------ chunkservers

ChunkserverModel::ChunkserverModel(QObject* parent) : QAbstractTableModel(parent) {}

bool ChunkserverModel::maintenanceOn(const proto::MfsChunkserver& cs)
{
    return !cs.maintenance.empty() && cs.maintenance != "off" && cs.maintenance != "-";
}

int ChunkserverModel::rowOf(const QString& host, quint16 port) const
{
    for (std::size_t i = 0; i < m_rows.size(); ++i) {
        if (q(m_rows[i].host) == host && m_rows[i].port == port) {
            return static_cast<int>(i);
        }
    }
    return -1;
}

const proto::MfsChunkserver* ChunkserverModel::chunkserver(int row) const
{
    return row < 0 || row >= static_cast<int>(m_rows.size()) ? nullptr : &m_rows[static_cast<std::size_t>(row)];
}

void ChunkserverModel::setChunkservers(const std::vector<proto::MfsChunkserver>& list)
{
    // Remove rows that left, update the rest in place, append the new ones.
    for (int r = static_cast<int>(m_rows.size()) - 1; r >= 0; --r) {
        const auto key = serverKey(m_rows[static_cast<std::size_t>(r)]);
        const bool kept = std::any_of(list.begin(), list.end(), [&](const auto& cs) { return serverKey(cs) == key; });
        if (!kept) {
            beginRemoveRows({}, r, r);
            m_rows.erase(m_rows.begin() + r);
            endRemoveRows();
        }
    }
    for (const auto& cs : list) {
        const int r = rowOf(q(cs.host), cs.port);
        if (r >= 0) {
            m_rows[static_cast<std::size_t>(r)] = cs;
            emit dataChanged(index(r, 0), index(r, ColumnCount - 1));
        } else {
            const int n = static_cast<int>(m_rows.size());
            beginInsertRows({}, n, n);
            m_rows.push_back(cs);
            endInsertRows();
        }
    }
}

int ChunkserverModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int ChunkserverModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QString ChunkserverModel::text(const proto::MfsChunkserver& cs, int column) const
{
    switch (column) {
    case Server: return serverKey(cs);
    case Id: return QString::number(cs.id);
    case Labels: return q(cs.labels);
    case Version: return q(cs.version);
    case State: return cs.connected ? tr("connected") : tr("disconnected");
    case Maintenance:
        if (!maintenanceOn(cs)) {
            return tr("off");
        }
        return cs.maintenance == "on" ? tr("on") : tr("on (%1)").arg(q(cs.maintenance));
    case Chunks: return QString::number(cs.chunks);
    case Space:
        return tr("%1 of %2 (%3 %)")
            .arg(formatBytes(cs.usedBytes), formatBytes(cs.totalBytes))
            .arg(fraction(cs.usedBytes, cs.totalBytes) * 100.0, 0, 'f', 1);
    case Errors: return QString::number(cs.errors);
    default: return {};
    }
}

QVariant ChunkserverModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) {
        return {};
    }
    const auto& cs = m_rows[static_cast<std::size_t>(index.row())];
    switch (role) {
    case Qt::DisplayRole: return text(cs, index.column());
    case Qt::ToolTipRole: return plainToolTip(text(cs, index.column()));
    case HostRole: return q(cs.host);
    case PortRole: return cs.port;
    case ServerRole: return serverKey(cs);
    case MaintenanceOnRole: return maintenanceOn(cs);
    case FractionRole: return index.column() == Space ? QVariant(fraction(cs.usedBytes, cs.totalBytes)) : QVariant();
    case SortRole:
        switch (index.column()) {
        case Id: return cs.id;
        case Chunks: return QVariant::fromValue<qulonglong>(cs.chunks);
        case Space: return fraction(cs.usedBytes, cs.totalBytes);
        case Errors: return QVariant::fromValue<qulonglong>(cs.errors);
        default: return text(cs, index.column());
        }
    case Qt::ForegroundRole:
        if ((index.column() == State && !cs.connected) || (index.column() == Errors && cs.errors > 0)) {
            return QBrush(kBad);
        }
        if (index.column() == Maintenance && maintenanceOn(cs)) {
            return QBrush(QColor(0xb5, 0x83, 0x00));
        }
        return {};
    default: return {};
    }
}

QVariant ChunkserverModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) {
        return {};
    }
    switch (section) {
    case Server: return tr("Chunkserver");
    case Id: return tr("Id");
    case Labels: return tr("Labels");
    case Version: return tr("Version");
    case State: return tr("State");
    case Maintenance: return tr("Maintenance");
    case Chunks: return tr("Chunks");
    case Space: return tr("Space used");
    case Errors: return tr("Disk errors");
    default: return {};
    }
}

void ChunkserverModel::retranslate()
{
    emit headerDataChanged(Qt::Horizontal, 0, ColumnCount - 1);
    if (!m_rows.empty()) {
        emit dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
    }
}

// ------------------------------------------------------------------ disks

ChunkDiskModel::ChunkDiskModel(QObject* parent) : QAbstractTableModel(parent) {}

void ChunkDiskModel::setDisks(const std::vector<proto::MfsDisk>& disks)
{
    const auto same = [](const proto::MfsDisk& a, const proto::MfsDisk& b) { return a.server == b.server && a.path == b.path; };
    const bool layoutSame = disks.size() == m_rows.size() && std::equal(disks.begin(), disks.end(), m_rows.begin(), same);
    if (!layoutSame) {
        beginResetModel();
        m_rows = disks;
        endResetModel();
        return;
    }
    m_rows = disks;
    if (!m_rows.empty()) {
        emit dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
    }
}

int ChunkDiskModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int ChunkDiskModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant ChunkDiskModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) {
        return {};
    }
    if (role == Qt::ToolTipRole) {
        return plainToolTip(data(index, Qt::DisplayRole));
    }
    const auto& d = m_rows[static_cast<std::size_t>(index.row())];
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case Server: return q(d.server);
        case Path: return q(d.path);
        case Status: return q(d.status);
        case Chunks: return QString::number(d.chunks);
        case Space:
            return tr("%1 of %2 (%3 %)")
                .arg(formatBytes(d.usedBytes), formatBytes(d.totalBytes))
                .arg(fraction(d.usedBytes, d.totalBytes) * 100.0, 0, 'f', 1);
        case Errors: return QString::number(d.errors);
        default: return {};
        }
    case ServerRole: return q(d.server);
    case FractionRole: return index.column() == Space ? QVariant(fraction(d.usedBytes, d.totalBytes)) : QVariant();
    case Qt::ForegroundRole: return index.column() == Errors && d.errors > 0 ? QVariant(QBrush(kBad)) : QVariant();
    default: return {};
    }
}

QVariant ChunkDiskModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) {
        return {};
    }
    switch (section) {
    case Server: return tr("Chunkserver");
    case Path: return tr("Disk");
    case Status: return tr("Status");
    case Chunks: return tr("Chunks");
    case Space: return tr("Space used");
    case Errors: return tr("Errors");
    default: return {};
    }
}

void ChunkDiskModel::retranslate()
{
    emit headerDataChanged(Qt::Horizontal, 0, ColumnCount - 1);
    if (!m_rows.empty()) {
        emit dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
    }
}

// ------------------------------------------------------------------ delegate

QSize SpaceBarDelegate::sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const
{
    QSize size = QStyledItemDelegate::sizeHint(option, index);
    const int textWidth = option.fontMetrics.horizontalAdvance(index.data(Qt::DisplayRole).toString());
    size.setWidth(std::max(size.width(), textWidth + 2 * kSpaceBarTextMargin + 4));
    return size;
}

void SpaceBarDelegate::paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const
{
    const QVariant f = index.data(ChunkserverModel::FractionRole);
    if (!f.isValid()) {
        QStyledItemDelegate::paint(painter, option, index);
        return;
    }
    QStyleOptionProgressBar bar;
    bar.rect = option.rect.adjusted(2, 2, -2, -2);
    bar.minimum = 0;
    bar.maximum = 1000;
    bar.progress = static_cast<int>(f.toDouble() * 1000.0);
    // The style wraps a progress bar's text that does not fit: one elided line reads better.
    bar.text = option.fontMetrics.elidedText(index.data(Qt::DisplayRole).toString(), Qt::ElideRight,
                                             std::max(0, bar.rect.width() - 2 * kSpaceBarTextMargin));
    bar.textVisible = true;
    bar.textAlignment = Qt::AlignCenter;
    bar.state = option.state | QStyle::State_Horizontal;
    bar.palette = option.palette;
    const QWidget* w = option.widget;
    QStyle* style = w != nullptr ? w->style() : QApplication::style();
    style->drawControl(QStyle::CE_ProgressBar, &bar, painter, w);
}

} // namespace hadeck::ui
