#include "logs/auditmodel.h"
#include "style/plaintext.h"

#include <QDateTime>

#include <algorithm>
#include <set>

namespace hadeck::ui {

namespace {
QString q(const std::string& s) { return QString::fromStdString(s); }
} // namespace

AuditModel::AuditModel(QObject* parent) : QAbstractTableModel(parent) {}

void AuditModel::rebuild(std::vector<Row> rows)
{
    std::stable_sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) {
        return a.e.time != b.e.time ? a.e.time < b.e.time : a.seq < b.seq;
    });
    beginResetModel();
    m_rows = std::move(rows);
    endResetModel();
}

void AuditModel::setEntries(const QString& node, const std::vector<proto::AuditRecord>& entries)
{
    std::vector<Row> rows;
    rows.reserve(m_rows.size() + entries.size());
    for (const auto& r : m_rows) {
        if (r.node != node) {
            rows.push_back(r);
        }
    }
    for (const auto& e : entries) {
        rows.push_back(Row{node, e, ++m_seq});
    }
    rebuild(std::move(rows));
}

void AuditModel::removeNode(const QString& node)
{
    std::vector<Row> rows;
    for (const auto& r : m_rows) {
        if (r.node != node) {
            rows.push_back(r);
        }
    }
    if (rows.size() != m_rows.size()) {
        rebuild(std::move(rows));
    }
}

void AuditModel::clear()
{
    if (m_rows.empty()) {
        return;
    }
    beginResetModel();
    m_rows.clear();
    endResetModel();
}

QStringList AuditModel::users() const
{
    std::set<std::string> u;
    for (const auto& r : m_rows) {
        if (!r.e.user.empty()) {
            u.insert(r.e.user);
        }
    }
    QStringList out;
    for (const auto& s : u) {
        out << q(s);
    }
    return out;
}

int AuditModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int AuditModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant AuditModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) {
        return {};
    }
    const Row& r = m_rows[static_cast<std::size_t>(index.row())];
    switch (role) {
    case TimeRole: return static_cast<qint64>(r.e.time);
    case NodeNameRole: return r.node;
    case UserRole: return q(r.e.user);
    case ActionRole: return q(r.e.method);
    case Qt::ToolTipRole:
        // Node text (user, action, params): a tooltip would render it as rich text.
        return plainToolTip(data(index, Qt::DisplayRole));
    case Qt::DisplayRole:
        switch (index.column()) {
        case Time:
            return r.e.time > 0 ? QDateTime::fromSecsSinceEpoch(r.e.time).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"))
                                : QString();
        case Node: return r.node;
        case User: return q(r.e.user);
        case Action: return q(r.e.method);
        case Phase:
            if (r.e.phase == "intent") {
                return tr("intent");
            }
            if (r.e.phase == "outcome") {
                return tr("outcome");
            }
            if (r.e.phase == "refused") {
                return tr("refused");
            }
            return q(r.e.phase);
        case Params: return q(r.e.params);
        case Result: return q(r.e.result);
        default: return {};
        }
    default: return {};
    }
}

QVariant AuditModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) {
        return {};
    }
    switch (section) {
    case Time: return tr("Time");
    //: Column header: the cluster machine (host) a row is about.
    case Node: return tr("Node");
    case User: return tr("User");
    case Action: return tr("Action");
    case Phase: return tr("Phase");
    case Params: return tr("Parameters");
    case Result: return tr("Result");
    default: return {};
    }
}

void AuditModel::retranslate()
{
    emit headerDataChanged(Qt::Horizontal, 0, ColumnCount - 1);
    if (!m_rows.empty()) {
        emit dataChanged(index(0, Phase), index(static_cast<int>(m_rows.size()) - 1, Phase));
    }
}

void AuditFilter::setUser(const QString& user)
{
    m_user = user;
    invalidateFilter();
}

void AuditFilter::setNodes(const QSet<QString>& nodes)
{
    m_nodes = nodes;
    invalidateFilter();
}

void AuditFilter::setAction(const QString& action)
{
    m_action = action;
    invalidateFilter();
}

bool AuditFilter::filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const
{
    const QModelIndex i = sourceModel()->index(sourceRow, 0, sourceParent);
    if (!m_user.isEmpty() && i.data(AuditModel::UserRole).toString() != m_user) {
        return false;
    }
    if (!m_nodes.isEmpty() && !m_nodes.contains(i.data(AuditModel::NodeNameRole).toString())) {
        return false;
    }
    return m_action.isEmpty() || i.data(AuditModel::ActionRole).toString().contains(m_action, Qt::CaseInsensitive);
}

} // namespace hadeck::ui
