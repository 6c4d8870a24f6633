#include "models/servicesmodel.h"

#include "style/theme.h"

#include <QFont>

#include <QApplication>
#include <QLocale>
#include <QPalette>

#include <algorithm>

namespace hadeck::ui {

struct ServicesModel::Dest {
    std::string endpoint;
    QString address;
    QString label; // node name when known, else the endpoint
    QString nodeName;
    std::vector<Slot> perDir;
    int seen = 0;

    [[nodiscard]] bool drift() const
    {
        // Absent on one director, or weighted differently: either way a failover changes traffic.
        for (const auto& s : perDir) {
            if (!s.present || s.weight != perDir.front().weight) {
                return true;
            }
        }
        return false;
    }
};

struct ServicesModel::Service {
    std::string key;
    QString label;
    QString scheduler;
    std::vector<Slot> perDir; // totals per director
    std::vector<std::unique_ptr<Dest>> dests;
    std::unordered_map<std::string, int> destRow;
    int seen = 0;

    void reindex()
    {
        destRow.clear();
        for (int i = 0; i < static_cast<int>(dests.size()); ++i) {
            destRow.emplace(dests[i]->endpoint, i);
        }
    }
};

namespace {

QString formatRate(std::uint64_t bytesPerSecond)
{
    return QLocale().formattedDataSize(static_cast<qint64>(bytesPerSecond), 1, QLocale::DataSizeTraditionalFormat) +
           QStringLiteral("/s");
}

QStringList ipvsDirectors(const console::ClusterModel& cluster)
{
    QStringList out;
    for (const auto& name : cluster.directors()) {
        const auto* n = cluster.node(name);
        if (n != nullptr && (n->hasIpvs || n->hasRole(proto::Role::Director))) {
            out << name;
        }
    }
    return out;
}

} // namespace

ServicesModel::ServicesModel(const console::ClusterModel& cluster, QObject* parent)
    : QAbstractItemModel(parent), m_cluster(cluster)
{
    m_directors = ipvsDirectors(cluster);
    update();
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
    for (int row = 0; row < static_cast<int>(m_services.size()); ++row) {
        if (m_services[row].get() == s) {
            return createIndex(row, 0, nullptr);
        }
    }
    return {};
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
    for (const auto& s : m_services) {
        for (int row = 0; row < static_cast<int>(s->dests.size()); ++row) {
            if (s->dests[row]->nodeName == node) {
                return createIndex(row, 0, s.get());
            }
        }
    }
    return {};
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

void ServicesModel::refresh(const console::ClusterChange& change)
{
    using C = console::ClusterChange;
    if (!change.has(C::Ipvs) && !change.has(C::Membership) && !change.has(C::Hello) && !change.has(C::Link) &&
        !change.has(C::DrCheck)) {
        return;
    }
    const QStringList dirs = ipvsDirectors(m_cluster);
    if (dirs != m_directors) {
        rebuild();
        return;
    }
    update();
}

void ServicesModel::rebuild()
{
    // The column groups follow the set of directors: a change there is rare
    // (a director added to the inventory) and resets the table.
    beginResetModel();
    m_directors = ipvsDirectors(m_cluster);
    m_services.clear();
    m_serviceByKey.clear();
    endResetModel();
    update();
}

void ServicesModel::update()
{
    const int gen = ++m_generation;
    const auto nDirs = static_cast<std::size_t>(m_directors.size());
    std::vector<std::unique_ptr<Service>> newServices;
    std::unordered_map<Service*, std::vector<std::unique_ptr<Dest>>> newDests;
    std::unordered_map<Service*, std::pair<int, int>> changedRows; // parent -> [lo, hi]
    int topLo = -1;
    int topHi = -1;

    const auto markRow = [&](Service* s, int row) {
        auto [it, inserted] = changedRows.try_emplace(s, row, row);
        if (!inserted) {
            it->second.first = std::min(it->second.first, row);
            it->second.second = std::max(it->second.second, row);
        }
    };

    for (std::size_t di = 0; di < nDirs; ++di) {
        const auto* dir = m_cluster.node(m_directors[static_cast<int>(di)]);
        if (dir == nullptr) {
            continue;
        }
        for (const auto& vs : dir->ipvs) {
            std::string key = vs.key();
            Service* s = nullptr;
            bool isNew = false;
            if (const auto it = m_serviceByKey.find(key); it != m_serviceByKey.end()) {
                s = it->second;
            } else {
                auto fresh = std::make_unique<Service>();
                fresh->key = key;
                fresh->label = QString::fromStdString(key);
                fresh->perDir.resize(nDirs);
                s = fresh.get();
                m_serviceByKey.emplace(std::move(key), s);
                newServices.push_back(std::move(fresh));
                isNew = true;
            }
            s->seen = gen;
            s->scheduler = QString::fromStdString(vs.scheduler);
            Slot total;
            total.present = true;
            total.seen = gen;
            for (const auto& rs : vs.realServers) {
                total.active += rs.activeConns;
                total.inactive += rs.inactiveConns;
                total.cps += rs.stats.cps;
                total.bps += rs.stats.inBps;
                total.weight += rs.weight;
                const std::string ep = rs.endpoint();
                Dest* d = nullptr;
                int row = -1;
                if (const auto it = s->destRow.find(ep); it != s->destRow.end()) {
                    row = it->second;
                    d = s->dests[row].get();
                } else {
                    auto& pending = newDests[s];
                    const auto found = std::find_if(pending.begin(), pending.end(),
                                                    [&](const auto& p) { return p->endpoint == ep; });
                    if (found != pending.end()) {
                        d = found->get();
                    } else {
                        auto fresh = std::make_unique<Dest>();
                        fresh->endpoint = ep;
                        fresh->address = QString::fromStdString(rs.address);
                        const auto* node = m_cluster.nodeByAddress(fresh->address);
                        fresh->nodeName = node ? node->name : QString();
                        fresh->label = node ? node->name : QString::fromStdString(ep);
                        fresh->perDir.resize(nDirs);
                        d = fresh.get();
                        pending.push_back(std::move(fresh));
                    }
                }
                d->seen = gen;
                Slot next{true, rs.weight, rs.activeConns, rs.inactiveConns, rs.stats.cps, rs.stats.inBps, gen};
                if (!(d->perDir[di] == next) && row >= 0 && !isNew) {
                    markRow(s, row);
                }
                d->perDir[di] = next;
            }
            if (!(s->perDir[di] == total)) {
                s->perDir[di] = total;
                if (!isNew) {
                    const auto row = static_cast<int>(
                        std::find_if(m_services.begin(), m_services.end(), [&](const auto& p) { return p.get() == s; }) -
                        m_services.begin());
                    topLo = topLo < 0 ? row : std::min(topLo, row);
                    topHi = std::max(topHi, row);
                }
            }
            s->perDir[di].seen = gen;
        }
    }

    // Slots a director stopped reporting (service or real server removed there only).
    for (int row = 0; row < static_cast<int>(m_services.size()); ++row) {
        auto& s = *m_services[row];
        if (s.seen != gen) {
            continue; // removed below
        }
        for (std::size_t di = 0; di < nDirs; ++di) {
            if (s.perDir[di].present && s.perDir[di].seen != gen) {
                s.perDir[di] = Slot{};
                topLo = topLo < 0 ? row : std::min(topLo, row);
                topHi = std::max(topHi, row);
            }
        }
        for (int drow = 0; drow < static_cast<int>(s.dests.size()); ++drow) {
            auto& d = *s.dests[drow];
            if (d.seen != gen) {
                continue;
            }
            for (std::size_t di = 0; di < nDirs; ++di) {
                if (d.perDir[di].present && d.perDir[di].seen != gen) {
                    d.perDir[di] = Slot{};
                    markRow(&s, drow);
                }
            }
        }
    }

    // Removals: bottom-up so the rows still to visit keep their numbers.
    for (int row = static_cast<int>(m_services.size()) - 1; row >= 0; --row) {
        auto& s = *m_services[row];
        if (s.seen != gen) {
            changedRows.erase(&s);
            beginRemoveRows({}, row, row);
            m_serviceByKey.erase(s.key);
            m_services.erase(m_services.begin() + row);
            endRemoveRows();
            continue;
        }
        bool removed = false;
        const QModelIndex parentIdx = createIndex(row, 0, nullptr);
        for (int drow = static_cast<int>(s.dests.size()) - 1; drow >= 0; --drow) {
            if (s.dests[drow]->seen != gen) {
                beginRemoveRows(parentIdx, drow, drow);
                s.dests.erase(s.dests.begin() + drow);
                endRemoveRows();
                removed = true;
            }
        }
        if (removed) {
            s.reindex();
            changedRows.erase(&s); // row numbers moved; refresh the whole service below
            if (!s.dests.empty()) {
                changedRows.emplace(&s, std::make_pair(0, static_cast<int>(s.dests.size()) - 1));
            }
        }
    }

    // Insertions: appended; the view's proxy sorts.
    for (auto& [s, dests] : newDests) {
        if (s->destRow.empty() && s->dests.empty() &&
            std::any_of(newServices.begin(), newServices.end(), [&](const auto& p) { return p.get() == s; })) {
            for (auto& d : dests) {
                s->dests.push_back(std::move(d));
            }
            s->reindex();
            continue; // inserted together with its service
        }
        const auto row = static_cast<int>(
            std::find_if(m_services.begin(), m_services.end(), [&](const auto& p) { return p.get() == s; }) -
            m_services.begin());
        const int first = static_cast<int>(s->dests.size());
        beginInsertRows(createIndex(row, 0, nullptr), first, first + static_cast<int>(dests.size()) - 1);
        for (auto& d : dests) {
            s->dests.push_back(std::move(d));
        }
        s->reindex();
        endInsertRows();
    }
    if (!newServices.empty()) {
        const int first = static_cast<int>(m_services.size());
        beginInsertRows({}, first, first + static_cast<int>(newServices.size()) - 1);
        for (auto& s : newServices) {
            m_services.push_back(std::move(s));
        }
        endInsertRows();
    }

    // One dataChanged per parent per tick.
    if (topLo >= 0 && topHi < static_cast<int>(m_services.size())) {
        emit dataChanged(index(topLo, 0), index(topHi, columnCount() - 1));
    }
    if (changedRows.empty()) {
        return;
    }
    for (int row = 0; row < static_cast<int>(m_services.size()); ++row) {
        Service* s = m_services[row].get();
        const auto it = changedRows.find(s);
        if (it == changedRows.end()) {
            continue;
        }
        const QModelIndex p = createIndex(row, 0, nullptr);
        emit dataChanged(index(it->second.first, 0, p), index(it->second.second, columnCount() - 1, p));
    }
}

} // namespace hadeck::ui
