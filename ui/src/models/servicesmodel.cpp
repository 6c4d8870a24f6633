#include "style/plaintext.h"
#include "models/servicesmodel.h"
#include "models/servicesmodel_rows.h"

#include "style/theme.h"

#include <QFont>

#include <QApplication>
#include <QLocale>
#include <QPalette>

#include <algorithm>
#include <iterator>

namespace hadeck::ui {

namespace {

QString formatRate(std::uint64_t bytesPerSecond)
{
    return QLocale().formattedDataSize(static_cast<qint64>(bytesPerSecond), 1, QLocale::DataSizeTraditionalFormat) +
           QStringLiteral("/s");
}
} // namespace

ServicesModel::ServicesModel(const console::ClusterModel& cluster, QObject* parent)
    : QAbstractItemModel(parent), m_cluster(cluster)
{
    rebuild();
    connect(&cluster, &console::ClusterModel::changed, this, &ServicesModel::refresh);
}

ServicesModel::~ServicesModel() = default;

QString ServicesModel::directorOfColumn(int column) const
{
    if (column < FirstDirectorColumn) {
        return {};
    }
    return m_directors.value((column - FirstDirectorColumn) / GroupSize);
}

QModelIndex ServicesModel::index(int row, int column, const QModelIndex& parent) const
{
    if (row < 0 || column < 0 || column >= columnCount()) {
        return {};
    }
    if (!parent.isValid()) {
        return row < static_cast<int>(m_services.size()) ? createIndex(row, column, nullptr) : QModelIndex();
    }
    if (parent.internalPointer() != nullptr || parent.column() != 0) {
        return {};
    }
    auto* s = m_services.at(parent.row()).get();
    if (row >= static_cast<int>(s->dests.size())) {
        return {};
    }
    return createIndex(row, column, s);
}

QModelIndex ServicesModel::parent(const QModelIndex& child) const
{
    if (!child.isValid() || child.internalPointer() == nullptr) {
        return {};
    }
    const auto* s = static_cast<const Service*>(child.internalPointer());
    return createIndex(s->row, 0, nullptr);
}

int ServicesModel::rowCount(const QModelIndex& parent) const
{
    if (!parent.isValid()) {
        return static_cast<int>(m_services.size());
    }
    if (parent.internalPointer() == nullptr && parent.column() == 0) {
        return static_cast<int>(m_services.at(parent.row())->dests.size());
    }
    return 0;
}

int ServicesModel::columnCount(const QModelIndex& /*parent*/) const
{
    return FirstDirectorColumn + static_cast<int>(m_directors.size()) * GroupSize;
}

int ServicesModel::realServerRowCount() const
{
    int n = 0;
    for (const auto& s : m_services) {
        n += static_cast<int>(s->dests.size());
    }
    return n;
}

QModelIndex ServicesModel::firstIndexOfNode(const QString& node) const
{
    const Dest* first = nullptr;
    for (const auto* d : m_destsByNode.value(node)) {
        if (d->row >= 0 && (first == nullptr || std::pair(d->service->row, d->row) < std::pair(first->service->row, first->row))) {
            first = d;
        }
    }
    return first != nullptr ? createIndex(first->row, 0, first->service) : QModelIndex();
}

QVariant ServicesModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal) {
        return {};
    }
    if (role == Qt::TextAlignmentRole && section >= FirstDirectorColumn) {
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    }
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole) {
        return {};
    }
    if (section == Name) {
        return tr("Virtual service / real server");
    }
    if (section == Detail) {
        return tr("Scheduler");
    }
    const QString dir = directorOfColumn(section);
    switch ((section - FirstDirectorColumn) % GroupSize) {
    case Weight: return tr("%1 weight").arg(dir);
    case Active: return tr("%1 active").arg(dir);
    case Inactive: return tr("%1 inactive").arg(dir);
    case ConnRate: return tr("%1 conn/s").arg(dir);
    case ByteRate: return tr("%1 in").arg(dir);
    default: return {};
    }
}

Qt::ItemFlags ServicesModel::flags(const QModelIndex& index) const
{
    if (!index.isValid()) {
        return Qt::NoItemFlags;
    }
    Qt::ItemFlags f = Qt::ItemIsEnabled | Qt::ItemIsSelectable;
    if (index.internalPointer() != nullptr && index.column() >= FirstDirectorColumn &&
        (index.column() - FirstDirectorColumn) % GroupSize == Weight && m_actions != nullptr) {
        const auto* dir = m_cluster.node(directorOfColumn(index.column()));
        if (dir != nullptr && m_actions->availability(console::NodeAction::SetWeight, *dir).enabled) {
            f |= Qt::ItemIsEditable;
        }
    }
    return f;
}

bool ServicesModel::setData(const QModelIndex& index, const QVariant& value, int role)
{
    if (role != Qt::EditRole || !(flags(index) & Qt::ItemIsEditable)) {
        return false;
    }
    bool ok = false;
    const int weight = value.toInt(&ok);
    if (!ok || weight < 0 || weight > 65535) {
        emit actionFinished(false, tr("A weight is a whole number from 0 to 65535"));
        return false;
    }
    const auto* s = static_cast<const Service*>(index.internalPointer());
    const auto& d = *s->dests.at(index.row());
    // The cell shows what IPVS reports; it changes when the director's next delta confirms the edit.
    m_actions->setWeight(directorOfColumn(index.column()), QString::fromStdString(s->key),
                         QString::fromStdString(d.endpoint), weight,
                         [this](bool done, const QString& message) { emit actionFinished(done, message); });
    return true;
}

QVariant ServicesModel::data(const QModelIndex& index, int role) const
{
    // Tooltips carry agent text: always shown literally, never as rich text.
    if (role == Qt::ToolTipRole) {
        return plainToolTip(rawData(index, role));
    }
    return rawData(index, role);
}

QVariant ServicesModel::rawData(const QModelIndex& index, int role) const
{
    if (!index.isValid()) {
        return {};
    }
    if (index.internalPointer() == nullptr) {
        return serviceData(*m_services.at(index.row()), index.column(), role);
    }
    const auto* s = static_cast<const Service*>(index.internalPointer());
    return destData(*s, *s->dests.at(index.row()), index.column(), role);
}

QVariant ServicesModel::serviceData(const Service& s, int column, int role) const
{
    if (role == ServiceKeyRole) {
        return QString::fromStdString(s.key);
    }
    if (column == Name) {
        if (role == Qt::DisplayRole || role == SortRole) {
            return s.label;
        }
        if (role == Qt::DecorationRole) {
            return themedIcon(QStringLiteral("service"));
        }
        if (role == Qt::FontRole) {
            QFont f;
            f.setBold(true);
            return f;
        }
        return {};
    }
    if (column == Detail) {
        return role == Qt::DisplayRole || role == SortRole ? QVariant(s.scheduler) : QVariant();
    }
    const int di = (column - FirstDirectorColumn) / GroupSize;
    const auto& slot = s.perDir.at(di);
    if (role == DirectorRole) {
        return m_directors.value(di);
    }
    if (role == Qt::TextAlignmentRole) {
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    }
    if (!slot.present) {
        if (role == Qt::DisplayRole && (column - FirstDirectorColumn) % GroupSize == Weight) {
            return tr("absent");
        }
        if (role == Qt::BackgroundRole) {
            return tint(severityColor(console::Severity::Critical), qApp->palette());
        }
        return {};
    }
    if (role != Qt::DisplayRole && role != SortRole) {
        return {};
    }
    switch ((column - FirstDirectorColumn) % GroupSize) {
    case Weight: {
        int up = 0;
        for (const auto& d : s.dests) {
            up += (d->perDir.at(di).present && d->perDir.at(di).weight > 0) ? 1 : 0;
        }
        return role == SortRole ? QVariant(up) : QVariant(tr("%1/%2 up").arg(up).arg(s.dests.size()));
    }
    case Active: return slot.active;
    case Inactive: return slot.inactive;
    case ConnRate: return QVariant::fromValue(slot.cps);
    case ByteRate: return role == SortRole ? QVariant::fromValue(slot.bps) : QVariant(formatRate(slot.bps));
    default: return {};
    }
}

QVariant ServicesModel::destData(const Service& s, const Dest& d, int column, int role) const
{
    switch (role) {
    case NodeNameRole: return d.nodeName;
    case ServiceKeyRole: return QString::fromStdString(s.key);
    case EndpointRole: return QString::fromStdString(d.endpoint);
    case DriftRole: return d.drift();
    default: break;
    }
    if (column == Name) {
        if (role == Qt::DisplayRole || role == SortRole) {
            return d.label;
        }
        if (role == Qt::DecorationRole) {
            bool anyUp = false;
            bool allUp = true;
            for (const auto& slot : d.perDir) {
                anyUp |= slot.present && slot.weight > 0;
                allUp &= slot.present && slot.weight > 0;
            }
            const auto* node = m_cluster.node(d.nodeName);
            if (node != nullptr && (node->link == console::NodeState::Unreachable ||
                                    node->link == console::NodeState::ProtocolError ||
                                    (node->drCheck && !node->drCheck->ok))) {
                return statusIcon(QStringLiteral("down"), severityColor(console::Severity::Critical));
            }
            if (allUp) {
                return statusIcon(QStringLiteral("ok"), stateColor(console::NodeState::Online));
            }
            return anyUp ? statusIcon(QStringLiteral("warn"), severityColor(console::Severity::Warning))
                         : statusIcon(QStringLiteral("drain"), QColor(0x8a, 0x93, 0x9e));
        }
        if (role == Qt::ToolTipRole) {
            QString tip = QString::fromStdString(d.endpoint);
            const auto* node = m_cluster.node(d.nodeName);
            if (node != nullptr && node->drCheck && !node->drCheck->ok) {
                tip += QLatin1Char('\n') + tr("Fails the LVS-DR check: %1").arg(node->drCheck->failureSummary());
            }
            if (d.drift()) {
                tip += QLatin1Char('\n') + tr("Directors disagree on this real server");
            }
            return tip;
        }
        return {};
    }
    if (column == Detail) {
        return role == Qt::DisplayRole ? QVariant(d.address == d.label ? QString() : d.address) : QVariant();
    }
    const int di = (column - FirstDirectorColumn) / GroupSize;
    const int group = (column - FirstDirectorColumn) % GroupSize;
    const auto& slot = d.perDir.at(di);
    if (role == DirectorRole) {
        return m_directors.value(di);
    }
    if (role == Qt::TextAlignmentRole) {
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    }
    if (role == Qt::BackgroundRole && group == Weight && d.drift()) {
        return tint(slot.present ? severityColor(console::Severity::Warning)
                                 : severityColor(console::Severity::Critical),
                    qApp->palette());
    }
    if (!slot.present) {
        if (role == Qt::DisplayRole && group == Weight) {
            return tr("absent");
        }
        if (role == Qt::ToolTipRole) {
            return tr("%1 has no such real server in this service").arg(m_directors.value(di));
        }
        return {};
    }
    if (role == Qt::ForegroundRole && slot.weight == 0) {
        return qApp->palette().color(QPalette::Disabled, QPalette::Text);
    }
    if (role == Qt::ToolTipRole && group == Weight) {
        return slot.weight == 0 ? tr("Weight 0: no new connections (drained or taken out by a health check)")
                                : tr("Double-click to change the weight on %1").arg(m_directors.value(di));
    }
    if (role != Qt::DisplayRole && role != Qt::EditRole && role != SortRole) {
        return {};
    }
    switch (group) {
    case Weight: return slot.weight;
    case Active: return slot.active;
    case Inactive: return slot.inactive;
    case ConnRate: return QVariant::fromValue(slot.cps);
    case ByteRate: return role == SortRole ? QVariant::fromValue(slot.bps) : QVariant(formatRate(slot.bps));
    default: return {};
    }
}

} // namespace hadeck::ui
