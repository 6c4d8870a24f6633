#include "style/plaintext.h"
#include "models/vrrpmodel.h"

#include "style/theme.h"

#include <QApplication>
#include <QDateTime>
#include <QFont>

#include <algorithm>
#include <map>
#include <unordered_map>
#include <unordered_set>
#include <utility>

namespace hadeck::ui {

namespace {
QString vipsText(const proto::VrrpInstance& i)
{
    QStringList out;
    for (const auto& v : i.vips) {
        out << QString::fromStdString(v.substr(0, v.find(' ')));
    }
    return out.join(QStringLiteral(", "));
}
QString timeText(double unixSeconds)
{
    // An agent's number: not a number, or past the year 9999, is no time to show (nor a qint64).
    if (!(unixSeconds > 0 && unixSeconds < 253402300800.0)) {
        return {};
    }
    return QDateTime::fromMSecsSinceEpoch(static_cast<qint64>(unixSeconds * 1000))
        .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
}
} // namespace

VrrpModel::VrrpModel(const console::ClusterModel& cluster, QObject* parent)
    : QAbstractItemModel(parent), m_cluster(cluster)
{
    refresh(console::ClusterChange{console::ClusterChange::Vrrp, {}, {}});
    connect(&cluster, &console::ClusterModel::changed, this, &VrrpModel::refresh);
}

VrrpModel::~VrrpModel() = default;

int VrrpModel::rowOf(const Instance* i) const
{
    for (int row = 0; row < static_cast<int>(m_instances.size()); ++row) {
        if (m_instances[row].get() == i) {
            return row;
        }
    }
    return -1;
}

QModelIndex VrrpModel::index(int row, int column, const QModelIndex& parent) const
{
    if (row < 0 || column < 0 || column >= ColumnCount) {
        return {};
    }
    if (!parent.isValid()) {
        return row < static_cast<int>(m_instances.size()) ? createIndex(row, column, nullptr) : QModelIndex();
    }
    if (parent.internalPointer() != nullptr || parent.column() != 0) {
        return {};
    }
    auto* inst = m_instances.at(parent.row()).get();
    return row < static_cast<int>(inst->members.size()) ? createIndex(row, column, inst) : QModelIndex();
}

QModelIndex VrrpModel::parent(const QModelIndex& child) const
{
    if (!child.isValid() || child.internalPointer() == nullptr) {
        return {};
    }
    const int row = rowOf(static_cast<const Instance*>(child.internalPointer()));
    return row < 0 ? QModelIndex() : createIndex(row, 0, nullptr);
}

int VrrpModel::rowCount(const QModelIndex& parent) const
{
    if (!parent.isValid()) {
        return static_cast<int>(m_instances.size());
    }
    if (parent.internalPointer() == nullptr && parent.column() == 0) {
        return static_cast<int>(m_instances.at(parent.row())->members.size());
    }
    return 0;
}

int VrrpModel::columnCount(const QModelIndex& /*parent*/) const { return ColumnCount; }

QModelIndex VrrpModel::firstIndexOfNode(const QString& node) const
{
    for (const auto& inst : m_instances) {
        for (int row = 0; row < static_cast<int>(inst->members.size()); ++row) {
            if (inst->members[row]->director == node) {
                return createIndex(row, 0, inst.get());
            }
        }
    }
    return {};
}

QVariant VrrpModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) {
        return {};
    }
    switch (section) {
    case Name: return tr("Instance / director");
    case Vrid: return tr("VRID");
    case SyncGroup: return tr("Sync group");
    case State: return tr("State");
    case Priority: return tr("Priority");
    case Vips: return tr("VIPs");
    case VipHolder: return tr("Holds VIPs");
    case LastTransition: return tr("Last transition");
    case AdvertsSent: return tr("Adverts sent");
    case AdvertsReceived: return tr("Adverts received");
    case BecameMaster: return tr("Became master");
    default: return {};
    }
}

QVariant VrrpModel::data(const QModelIndex& index, int role) const
{
    // Tooltips carry agent text: always shown literally, never as rich text.
    if (role == Qt::ToolTipRole) {
        return plainToolTip(rawData(index, role));
    }
    return rawData(index, role);
}

QVariant VrrpModel::rawData(const QModelIndex& index, int role) const
{
    if (!index.isValid()) {
        return {};
    }
    if (index.internalPointer() == nullptr) {
        return instanceData(*m_instances.at(index.row()), index.column(), role);
    }
    const auto* inst = static_cast<const Instance*>(index.internalPointer());
    return memberData(*inst->members.at(index.row()), index.column(), role);
}

QVariant VrrpModel::instanceData(const Instance& i, int column, int role) const
{
    QStringList masters;
    QStringList holders;
    for (const auto& m : i.members) {
        if (m->instance.state == proto::VrrpState::Master) {
            masters << m->director;
        }
        if (m->instance.holdsVips) {
            holders << m->director;
        }
    }
    switch (role) {
    case InstanceNameRole: return i.name;
    case VridRole: return i.vrid;
    case Qt::FontRole:
        if (column == Name) {
            QFont f;
            f.setBold(true);
            return f;
        }
        return {};
    case Qt::DecorationRole:
        if (column == State) {
            if (masters.size() == 1) {
                return statusIcon(QStringLiteral("ok"), vrrpColor(proto::VrrpState::Master));
            }
            return statusIcon(QStringLiteral("down"), severityColor(console::Severity::Critical));
        }
        if (column == Name) {
            return themedIcon(QStringLiteral("vrrp"));
        }
        return {};
    case Qt::ForegroundRole:
        if (column == State && masters.size() != 1) {
            return severityColor(console::Severity::Critical);
        }
        return {};
    case Qt::DisplayRole:
    case SortRole:
        switch (column) {
        case Name: return i.name;
        case Vrid: return i.vrid;
        case SyncGroup:
            return i.members.empty() ? QString() : QString::fromStdString(i.members.front()->instance.syncGroup);
        case State:
            if (masters.isEmpty()) {
                return tr("no MASTER");
            }
            if (masters.size() > 1) {
                return tr("split brain: %1").arg(masters.join(QStringLiteral(", ")));
            }
            return tr("MASTER on %1").arg(masters.front());
        case Vips: return i.members.empty() ? QString() : vipsText(i.members.front()->instance);
        case VipHolder: return holders.join(QStringLiteral(", "));
        case LastTransition: {
            double last = 0;
            for (const auto& m : i.members) {
                last = std::max(last, m->instance.lastTransition);
            }
            return role == SortRole ? QVariant(last) : QVariant(timeText(last));
        }
        default: return {};
        }
    default: return {};
    }
}

QVariant VrrpModel::memberData(const Member& m, int column, int role) const
{
    const auto& in = m.instance;
    switch (role) {
    case NodeNameRole: return m.director;
    case InstanceNameRole: return QString::fromStdString(in.name);
    case VridRole: return in.vrid;
    case VrrpStateRole: return static_cast<int>(in.state);
    case Qt::DecorationRole:
        if (column == Name) {
            const auto* n = m_cluster.node(m.director);
            return stateIcon(n ? n->link : console::NodeState::Connecting);
        }
        if (column == State) {
            return statusIcon(in.state == proto::VrrpState::Master ? QStringLiteral("ok") : QStringLiteral("info"),
                              vrrpColor(in.state));
        }
        return {};
    case Qt::ForegroundRole:
        if (column == State) {
            return vrrpColor(in.state);
        }
        return {};
    case Qt::FontRole:
        if (column == State && in.state == proto::VrrpState::Master) {
            QFont f;
            f.setBold(true);
            return f;
        }
        return {};
    case Qt::ToolTipRole:
        if (column == Priority) {
            return tr("effective %1, configured %2, master advertises %3")
                .arg(in.effectivePriority)
                .arg(in.basePriority)
                .arg(in.masterPriority);
        }
        if (column == State && in.wantState != in.state) {
            return tr("wants %1").arg(console::vrrpStateName(in.wantState));
        }
        return {};
    case Qt::DisplayRole:
    case SortRole:
        switch (column) {
        case Name: return m.director;
        case Vrid: return in.vrid;
        case SyncGroup: return QString::fromStdString(in.syncGroup);
        case State: return console::vrrpStateName(in.state);
        case Priority:
            if (role == SortRole) {
                return in.effectivePriority;
            }
            return in.effectivePriority == in.basePriority
                       ? QString::number(in.effectivePriority)
                       : tr("%1 (base %2)").arg(in.effectivePriority).arg(in.basePriority);
        case Vips: return vipsText(in);
        case VipHolder: return in.holdsVips ? tr("yes") : tr("no");
        case LastTransition: return role == SortRole ? QVariant(in.lastTransition) : QVariant(timeText(in.lastTransition));
        case AdvertsSent: return QVariant::fromValue(in.advertSent);
        case AdvertsReceived: return QVariant::fromValue(in.advertRcvd);
        case BecameMaster: return QVariant::fromValue(in.becomeMaster);
        default: return {};
        }
    default: return {};
    }
}

void VrrpModel::refresh(const console::ClusterChange& change)
{
    using C = console::ClusterChange;
    if (!change.has(C::Vrrp) && !change.has(C::Membership) && !change.has(C::Link)) {
        return;
    }
    const int gen = ++m_generation;
    std::vector<std::unique_ptr<Instance>> fresh;
    std::vector<std::pair<Instance*, std::unique_ptr<Member>>> freshMembers;
    std::vector<std::pair<Instance*, int>> changed;
    // (name, VRID) -> instance, and whether it is new in this pass: one lookup per reported
    // instance instead of a search of every row.
    std::map<std::pair<QString, int>, std::pair<Instance*, bool>> byKey;
    for (const auto& p : m_instances) {
        byKey.emplace(std::make_pair(p->name, p->vrid), std::make_pair(p.get(), false));
    }
    for (const auto& dirName : m_cluster.directors()) {
        const auto* dir = m_cluster.node(dirName);
        if (dir == nullptr) {
            continue;
        }
        for (const auto& in : dir->vrrp) {
            const QString iname = QString::fromStdString(in.name);
            auto [found, added] = byKey.try_emplace(std::make_pair(iname, in.vrid), nullptr, true);
            if (added) {
                fresh.push_back(std::make_unique<Instance>());
                found->second.first = fresh.back().get();
                found->second.first->name = iname;
                found->second.first->vrid = in.vrid;
            }
            Instance* inst = found->second.first;
            const bool instIsFresh = found->second.second;
            inst->seen = gen;
            const auto m = std::find_if(inst->members.begin(), inst->members.end(),
                                        [&](const auto& p) { return p->director == dirName; });
            if (m != inst->members.end()) {
                (*m)->seen = gen;
                if (!((*m)->instance == in)) {
                    (*m)->instance = in;
                    changed.emplace_back(inst, static_cast<int>(m - inst->members.begin()));
                }
                continue;
            }
            auto member = std::make_unique<Member>(Member{dirName, in, gen});
            if (instIsFresh) {
                inst->members.push_back(std::move(member));
            } else {
                freshMembers.emplace_back(inst, std::move(member));
            }
        }
    }
    for (int row = static_cast<int>(m_instances.size()) - 1; row >= 0; --row) {
        auto& inst = *m_instances[row];
        if (inst.seen != gen) {
            beginRemoveRows({}, row, row);
            m_instances.erase(m_instances.begin() + row);
            endRemoveRows();
            continue;
        }
        for (int mrow = static_cast<int>(inst.members.size()) - 1; mrow >= 0; --mrow) {
            if (inst.members[mrow]->seen != gen) {
                beginRemoveRows(createIndex(row, 0, nullptr), mrow, mrow);
                inst.members.erase(inst.members.begin() + mrow);
                endRemoveRows();
            }
        }
    }
    std::unordered_map<const Instance*, int> rows; // after the removals above
    if (!freshMembers.empty()) {
        for (int row = 0; row < static_cast<int>(m_instances.size()); ++row) {
            rows.emplace(m_instances[row].get(), row);
        }
    }
    for (auto& [inst, member] : freshMembers) {
        const int row = rows.at(inst);
        const int mrow = static_cast<int>(inst->members.size());
        beginInsertRows(createIndex(row, 0, nullptr), mrow, mrow);
        inst->members.push_back(std::move(member));
        endInsertRows();
    }
    if (!fresh.empty()) {
        std::sort(fresh.begin(), fresh.end(), [](const auto& a, const auto& b) { return a->vrid < b->vrid; });
        const int first = static_cast<int>(m_instances.size());
        beginInsertRows({}, first, first + static_cast<int>(fresh.size()) - 1);
        for (auto& i : fresh) {
            m_instances.push_back(std::move(i));
        }
        endInsertRows();
    }
    // Removals may have invalidated member rows recorded above; re-resolve by pointer.
    if (!changed.empty()) {
        std::unordered_set<const Instance*> touched;
        for (const auto& c : changed) {
            touched.insert(c.first);
        }
        const int top = static_cast<int>(m_instances.size());
        for (int row = 0; row < top; ++row) {
            const Instance* inst = m_instances[row].get();
            if (!touched.contains(inst)) {
                continue;
            }
            const QModelIndex p = createIndex(row, 0, nullptr);
            emit dataChanged(index(0, 0, p), index(static_cast<int>(inst->members.size()) - 1, ColumnCount - 1, p));
            emit dataChanged(p, index(row, ColumnCount - 1));
        }
    }
}

} // namespace hadeck::ui
