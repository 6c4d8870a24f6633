#include "database/replicationmodel.h"
#include "style/plaintext.h"

#include <QBrush>
#include <QColor>

namespace hadeck::ui {

namespace {
QString q(const std::string& s) { return QString::fromStdString(s); }
} // namespace

ReplicationModel::ReplicationModel(QObject* parent) : QAbstractTableModel(parent) {}

bool ReplicationModel::hasServer(const proto::DbStatus& status)
{
    return !(status.state == proto::DbState::NotInstalled ||
             (status.state == proto::DbState::Unreachable && status.reason.find("no MariaDB/MySQL socket") != std::string::npos));
}

int ReplicationModel::rowOf(const QString& node) const
{
    for (int i = 0; i < m_rows.size(); ++i) {
        if (m_rows[i].node == node) {
            return i;
        }
    }
    return -1;
}

const proto::DbStatus* ReplicationModel::status(const QString& node) const
{
    const int r = rowOf(node);
    return r < 0 ? nullptr : &m_rows[r].db;
}

QString ReplicationModel::masterNodeOf(const QString& node) const
{
    const int r = rowOf(node);
    if (r < 0 || !m_rows[r].db.replica) {
        return {};
    }
    const QString host = q(m_rows[r].db.replica->masterHost);
    for (const auto& other : m_rows) {
        if (other.address == host || other.node == host) {
            return other.node;
        }
    }
    if (const auto it = m_nodeByAddress.constFind(host); it != m_nodeByAddress.cend()) {
        return it.value();
    }
    for (const auto& name : m_nodeByAddress) {
        if (name == host) {
            return name;
        }
    }
    return {};
}

void ReplicationModel::setInventoryAddresses(const QHash<QString, QString>& nodeByAddress)
{
    m_nodeByAddress = nodeByAddress;
    if (!m_rows.isEmpty()) {
        emit dataChanged(index(0, Master), index(static_cast<int>(m_rows.size()) - 1, Master));
    }
}

void ReplicationModel::setStatus(const QString& node, const QString& address, const proto::DbStatus& status)
{
    const int r = rowOf(node);
    if (!hasServer(status)) {
        if (r >= 0) {
            removeNode(node);
        }
        return;
    }
    if (r < 0) {
        beginInsertRows({}, static_cast<int>(m_rows.size()), static_cast<int>(m_rows.size()));
        m_rows.append(Row{node, address, status, {}});
        endInsertRows();
        // A new server may be the master other rows name.
        if (m_rows.size() > 1) {
            emit dataChanged(index(0, Master), index(static_cast<int>(m_rows.size()) - 1, Master));
        }
        return;
    }
    m_rows[r].address = address;
    m_rows[r].db = status;
    m_rows[r].error.clear();
    emit dataChanged(index(r, 0), index(r, ColumnCount - 1));
}

void ReplicationModel::setError(const QString& node, const QString& error)
{
    const int r = rowOf(node);
    if (r < 0 || m_rows[r].error == error) {
        return;
    }
    m_rows[r].error = error;
    emit dataChanged(index(r, 0), index(r, ColumnCount - 1));
}

void ReplicationModel::removeNode(const QString& node)
{
    const int r = rowOf(node);
    if (r < 0) {
        return;
    }
    beginRemoveRows({}, r, r);
    m_rows.removeAt(r);
    endRemoveRows();
}

void ReplicationModel::clear()
{
    if (m_rows.isEmpty()) {
        return;
    }
    beginResetModel();
    m_rows.clear();
    endResetModel();
}

int ReplicationModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int ReplicationModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QString ReplicationModel::cellText(const Row& r, int column) const
{
    const auto& d = r.db;
    const auto& rep = d.replica;
    switch (column) {
    case Node: return r.node;
    case Role:
        if (d.state != proto::DbState::Ok) {
            return tr("%1 (%2)").arg(q(std::string(proto::toString(d.state))), q(d.reason));
        }
        if (d.role == "master") {
            return tr("master");
        }
        if (d.role == "replica") {
            return tr("replica");
        }
        if (d.role == "standalone") {
            return tr("standalone");
        }
        return q(d.role);
    case ReadOnly: return d.readOnly ? tr("on") : tr("off");
    case IoThread: return rep ? q(rep->ioRunning) : QString();
    case SqlThread: return rep ? q(rep->sqlRunning) : QString();
    case Lag:
        if (!rep) {
            return {};
        }
        return rep->lagSeconds ? tr("%1 s").arg(*rep->lagSeconds) : tr("unknown");
    case Master: {
        if (!rep) {
            return {};
        }
        const QString node = masterNodeOf(r.node);
        const QString host = QStringLiteral("%1:%2").arg(q(rep->masterHost)).arg(rep->masterPort);
        return node.isEmpty() ? tr("%1 (not in the inventory)").arg(host) : QStringLiteral("%1 (%2)").arg(node, host);
    }
    case LastError: {
        QStringList e;
        if (!r.error.isEmpty()) {
            e << tr("no answer: %1").arg(r.error);
        }
        if (rep && !rep->lastIoError.empty()) {
            e << tr("IO %1: %2").arg(rep->lastIoErrno).arg(q(rep->lastIoError));
        }
        if (rep && !rep->lastSqlError.empty()) {
            e << tr("SQL %1: %2").arg(rep->lastSqlErrno).arg(q(rep->lastSqlError));
        }
        return e.join(QStringLiteral("; "));
    }
    case Gtid:
        if (rep) {
            const std::string& io = rep->gtidIoPos;
            return tr("executed %1, received %2").arg(q(d.gtidCurrentPos.empty() ? rep->executedGtids : d.gtidCurrentPos), q(io));
        }
        return q(d.gtidCurrentPos);
    default: return {};
    }
}

QVariant ReplicationModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) {
        return {};
    }
    const Row& r = m_rows[index.row()];
    switch (role) {
    case Qt::DisplayRole: return cellText(r, index.column());
    case Qt::ToolTipRole: return plainToolTip(cellText(r, index.column()));
    case NodeNameRole: return r.node;
    case IsReplicaRole: return r.db.replica.has_value();
    case SortRole:
        if (index.column() == Lag) {
            return r.db.replica && r.db.replica->lagSeconds ? QVariant::fromValue<qlonglong>(*r.db.replica->lagSeconds)
                                                            : QVariant::fromValue<qlonglong>(-1);
        }
        return cellText(r, index.column());
    case Qt::ForegroundRole: {
        const bool bad = (!r.error.isEmpty()) || r.db.state != proto::DbState::Ok ||
                         (index.column() == IoThread && r.db.replica && r.db.replica->ioRunning != "Yes") ||
                         (index.column() == SqlThread && r.db.replica && r.db.replica->sqlRunning != "Yes") ||
                         (index.column() == LastError && !cellText(r, LastError).isEmpty());
        return bad ? QVariant(QBrush(QColor(0xc0, 0x1c, 0x28))) : QVariant();
    }
    default: return {};
    }
}

QVariant ReplicationModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) {
        return {};
    }
    switch (section) {
    //: Column header: the cluster machine (host) a row is about.
    case Node: return tr("Node");
    case Role: return tr("Role");
    case ReadOnly: return tr("read_only");
    case IoThread: return tr("IO thread");
    case SqlThread: return tr("SQL thread");
    case Lag: return tr("Lag");
    case Master: return tr("Master");
    case LastError: return tr("Last error");
    case Gtid: return tr("GTID");
    default: return {};
    }
}

void ReplicationModel::retranslate()
{
    emit headerDataChanged(Qt::Horizontal, 0, ColumnCount - 1);
    if (!m_rows.isEmpty()) {
        emit dataChanged(index(0, 0), index(static_cast<int>(m_rows.size()) - 1, ColumnCount - 1));
    }
}

} // namespace hadeck::ui
