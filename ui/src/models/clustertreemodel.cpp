#include "style/plaintext.h"
#include "models/clustertreemodel.h"

#include "style/theme.h"

#include <QFont>

#include <QStringList>

namespace hadeck::ui {

using console::Layer;

namespace {
constexpr quintptr kLayerRow = 0;
QString rolesText(const std::vector<proto::Role>& roles)
{
    QStringList names;
    for (const auto r : roles) {
        names << console::roleName(r);
    }
    return names.join(QStringLiteral(", "));
}
} // namespace

ClusterTreeModel::ClusterTreeModel(const console::ClusterModel& cluster, QObject* parent)
    : QAbstractItemModel(parent), m_cluster(cluster)
{
    for (const auto* n : cluster.nodes()) {
        m_layers[static_cast<int>(n->layer())] << n->name;
    }
    for (auto& l : m_layers) {
        l.sort();
    }
    connect(&cluster, &console::ClusterModel::changed, this, &ClusterTreeModel::onChanged);
}

QModelIndex ClusterTreeModel::index(int row, int column, const QModelIndex& parent) const
{
    if (row < 0 || column < 0 || column >= ColumnCount) {
        return {};
    }
    if (!parent.isValid()) {
        return row < console::kLayerCount ? createIndex(row, column, kLayerRow) : QModelIndex();
    }
    if (parent.internalId() != kLayerRow || parent.column() != 0) {
        return {};
    }
    if (row >= m_layers[parent.row()].size()) {
        return {};
    }
    return createIndex(row, column, static_cast<quintptr>(parent.row() + 1));
}

QModelIndex ClusterTreeModel::parent(const QModelIndex& child) const
{
    if (!child.isValid() || child.internalId() == kLayerRow) {
        return {};
    }
    return createIndex(static_cast<int>(child.internalId() - 1), 0, kLayerRow);
}

int ClusterTreeModel::rowCount(const QModelIndex& parent) const
{
    if (!parent.isValid()) {
        return console::kLayerCount;
    }
    if (parent.internalId() == kLayerRow && parent.column() == 0) {
        return static_cast<int>(m_layers[parent.row()].size());
    }
    return 0;
}

int ClusterTreeModel::columnCount(const QModelIndex& /*parent*/) const { return ColumnCount; }

QString ClusterTreeModel::nodeAt(const QModelIndex& index) const
{
    if (!index.isValid() || index.internalId() == kLayerRow) {
        return {};
    }
    const auto& names = m_layers[index.internalId() - 1];
    return index.row() < names.size() ? names.at(index.row()) : QString();
}

QModelIndex ClusterTreeModel::indexOf(const QString& node) const
{
    for (int l = 0; l < console::kLayerCount; ++l) {
        const auto row = m_layers[l].indexOf(node);
        if (row >= 0) {
            return createIndex(static_cast<int>(row), 0, static_cast<quintptr>(l + 1));
        }
    }
    return {};
}

QModelIndex ClusterTreeModel::layerIndex(Layer layer) const { return index(static_cast<int>(layer), 0); }

QVariant ClusterTreeModel::data(const QModelIndex& index, int role) const
{
    // Tooltips carry agent text: always shown literally, never as rich text.
    if (role == Qt::ToolTipRole) {
        return plainToolTip(rawData(index, role));
    }
    return rawData(index, role);
}

QVariant ClusterTreeModel::rawData(const QModelIndex& index, int role) const
{
    if (!index.isValid()) {
        return {};
    }
    if (index.internalId() == kLayerRow) {
        const auto layer = static_cast<Layer>(index.row());
        if (role == LayerRole) {
            return index.row();
        }
        if (index.column() != Name) {
            return {};
        }
        if (role == Qt::DisplayRole) {
            int online = 0;
            for (const auto& n : m_layers[index.row()]) {
                const auto* s = m_cluster.node(n);
                online += (s != nullptr && s->reachable()) ? 1 : 0;
            }
            return tr("%1 (%2/%3)").arg(console::layerName(layer)).arg(online).arg(m_layers[index.row()].size());
        }
        if (role == Qt::DecorationRole) {
            return layerIcon(layer);
        }
        if (role == Qt::FontRole) {
            QFont f;
            f.setBold(true);
            return f;
        }
        return {};
    }
    const QString name = nodeAt(index);
    const auto* n = m_cluster.node(name);
    if (n == nullptr) {
        return {};
    }
    switch (role) {
    case NodeNameRole: return name;
    case LayerRole: return static_cast<int>(n->layer());
    case StateRole: return static_cast<int>(n->link);
    case Qt::DisplayRole:
        switch (index.column()) {
        case Name: return name;
        case State: return console::linkName(n->link);
        case Roles: return rolesText(n->roles());
        case Address: return n->address;
        case Access:
            return n->hello ? tr("%1 (%2)").arg(QString::fromStdString(n->hello->user),
                                                console::permissionName(n->permission()))
                            : QString();
        default: return {};
        }
    case Qt::DecorationRole:
        if (index.column() == Name) {
            return roleIcon(n->roles());
        }
        if (index.column() == State) {
            return stateIcon(n->link);
        }
        return {};
    case Qt::ForegroundRole:
        if (index.column() == State) {
            return stateColor(n->link);
        }
        return {};
    case Qt::ToolTipRole: {
        QString tip = tr("%1 — %2").arg(name, console::linkName(n->link));
        if (!n->lastError.isEmpty()) {
            tip += QLatin1Char('\n') + n->lastError;
        }
        if (n->hello) {
            tip += QLatin1Char('\n') + tr("agent %1, user %2, %3 access")
                                           .arg(QString::fromStdString(n->hello->agentVersion),
                                                QString::fromStdString(n->hello->user),
                                                console::permissionName(n->permission()));
        }
        return tip;
    }
    default: return {};
    }
}

QVariant ClusterTreeModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) {
        return {};
    }
    switch (section) {
    //: Column header: the cluster machine (host) a row is about.
    case Name: return tr("Node");
    case State: return tr("State");
    case Roles: return tr("Roles");
    case Address: return tr("Address");
    case Access: return tr("Access");
    default: return {};
    }
}

void ClusterTreeModel::syncMembership()
{
    std::array<QStringList, console::kLayerCount> want;
    for (const auto* n : m_cluster.nodes()) {
        want[static_cast<int>(n->layer())] << n->name;
    }
    for (int l = 0; l < console::kLayerCount; ++l) {
        want[l].sort();
        auto& have = m_layers[l];
        const QModelIndex parentIdx = index(l, 0);
        // Both lists are sorted, so after removing what went away "have" is a
        // subsequence of "want" and the inserts land at their final rows.
        for (auto row = have.size() - 1; row >= 0; --row) {
            if (!want[l].contains(have.at(row))) {
                beginRemoveRows(parentIdx, static_cast<int>(row), static_cast<int>(row));
                have.removeAt(row);
                endRemoveRows();
            }
        }
        for (qsizetype row = 0; row < want[l].size(); ++row) {
            if (row >= have.size() || have.at(row) != want[l].at(row)) {
                beginInsertRows(parentIdx, static_cast<int>(row), static_cast<int>(row));
                have.insert(row, want[l].at(row));
                endInsertRows();
            }
        }
    }
}

void ClusterTreeModel::onChanged(const console::ClusterChange& change)
{
    if (change.has(console::ClusterChange::Membership)) {
        syncMembership();
    }
    // One dataChanged per layer, spanning the rows that changed.
    for (int l = 0; l < console::kLayerCount; ++l) {
        int lo = -1;
        int hi = -1;
        for (int row = 0; row < m_layers[l].size(); ++row) {
            if (change.nodes.contains(m_layers[l].at(row))) {
                lo = lo < 0 ? row : lo;
                hi = row;
            }
        }
        if (lo >= 0) {
            const QModelIndex p = index(l, 0);
            emit dataChanged(index(lo, 0, p), index(hi, ColumnCount - 1, p));
            emit dataChanged(p, p); // the layer's online count
        }
    }
}

} // namespace hadeck::ui
