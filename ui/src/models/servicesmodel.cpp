#include "style/plaintext.h"
#include "models/servicesmodel.h"

#include "style/theme.h"

#include <QFont>

#include <QApplication>
#include <QLocale>
#include <QPalette>

#include <algorithm>
#include <iterator>

namespace hadeck::ui {

struct ServicesModel::Dest {
    std::string endpoint;
    std::string rawAddress; // as IPVS reports it: matched against a director's row without building strings
    std::uint16_t port = 0;
    QString address;
    QString label; // node name when known, else the endpoint
    QString nodeName;
    std::vector<Slot> perDir;
    Service* service = nullptr;
    int row = -1; // in its service; -1 until inserted at the end of the tick

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
    [[nodiscard]] bool absentEverywhere() const
    {
        return std::none_of(perDir.begin(), perDir.end(), [](const Slot& s) { return s.present; });
    }
};

struct ServicesModel::Service {
    std::string key;
    QString label;
    QString scheduler;
    std::vector<Slot> perDir; // totals per director
    std::vector<std::unique_ptr<Dest>> dests;
    std::unordered_map<std::string, int> destRow;
    std::vector<std::unique_ptr<Dest>> pending; // new real servers, inserted at the end of the tick
    std::unordered_map<std::string, Dest*> pendingByEndpoint;
    std::vector<int> dirtyRows;     // counters changed: the director columns only
    std::vector<int> dirtyNameRows; // also the name column (its icon follows weights, link and DR check)
    int row = -1; // -1 until inserted
    bool dirty = false;
    bool dirtyName = false;
    bool touched = false;

    void reindex()
    {
        destRow.clear();
        destRow.reserve(dests.size());
        for (int i = 0; i < static_cast<int>(dests.size()); ++i) {
            dests[static_cast<std::size_t>(i)]->row = i;
            destRow.emplace(dests[static_cast<std::size_t>(i)]->endpoint, i);
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

void ServicesModel::refresh(const console::ClusterChange& change)
{
    using C = console::ClusterChange;
    if (!change.has(C::Ipvs) && !change.has(C::Membership) && !change.has(C::Hello) && !change.has(C::Link) &&
        !change.has(C::DrCheck)) {
        return;
    }
    if (ipvsDirectors(m_cluster) != m_directors) {
        rebuild();
        return;
    }
    if (change.has(C::Ipvs)) {
        for (std::size_t di = 0; di < static_cast<std::size_t>(m_directors.size()); ++di) {
            const auto it = change.ipvs.constFind(m_directors[static_cast<int>(di)]);
            if (it == change.ipvs.constEnd()) {
                continue;
            }
            if (it->all) {
                scanDirector(di);
            } else {
                applyRows(di, it->rows);
            }
        }
    }
    if (change.has(C::Membership)) {
        relabel();
    }
    if (change.has(C::Link) || change.has(C::DrCheck) || change.has(C::Hello)) {
        // A real server's icon and tooltip show its link and LVS-DR check.
        for (const auto& node : change.nodes) {
            touchNode(node);
        }
    }
    prune();
    flushPending(true);
    emitChanges();
}

void ServicesModel::rebuild()
{
    // The column groups follow the set of directors: a change there is rare
    // (a director added to the inventory) and resets the table.
    beginResetModel();
    m_directors = ipvsDirectors(m_cluster);
    m_services.clear();
    m_serviceByKey.clear();
    m_newServices.clear();
    m_touched.clear();
    m_destsByNode.clear();
    for (std::size_t di = 0; di < static_cast<std::size_t>(m_directors.size()); ++di) {
        scanDirector(di);
    }
    m_prune = false;
    flushPending(false);
    for (auto* s : m_touched) {
        s->dirtyRows.clear();
        s->dirtyNameRows.clear();
        s->dirty = false;
        s->dirtyName = false;
        s->touched = false;
    }
    m_touched.clear();
    endResetModel();
}

ServicesModel::Service* ServicesModel::serviceFor(const proto::VirtualService& vs)
{
    std::string key = vs.key();
    if (const auto it = m_serviceByKey.find(key); it != m_serviceByKey.end()) {
        return it->second;
    }
    auto fresh = std::make_unique<Service>();
    fresh->key = key;
    fresh->label = QString::fromStdString(key);
    fresh->perDir.resize(static_cast<std::size_t>(m_directors.size()));
    auto* s = fresh.get();
    m_serviceByKey.emplace(std::move(key), s);
    m_newServices.push_back(std::move(fresh));
    touchService(*s);
    return s;
}

ServicesModel::Dest* ServicesModel::destFor(Service& s, const proto::RealServer& rs, int hint)
{
    // Directors list real servers in a stable order: the row at the same place is usually the one.
    if (hint >= 0 && hint < static_cast<int>(s.dests.size())) {
        auto* d = s.dests[static_cast<std::size_t>(hint)].get();
        if (d->port == rs.port && d->rawAddress == rs.address) {
            return d;
        }
    }
    std::string ep = rs.endpoint();
    if (const auto it = s.destRow.find(ep); it != s.destRow.end()) {
        return s.dests[static_cast<std::size_t>(it->second)].get();
    }
    if (const auto it = s.pendingByEndpoint.find(ep); it != s.pendingByEndpoint.end()) {
        return it->second;
    }
    auto fresh = std::make_unique<Dest>();
    fresh->endpoint = ep;
    fresh->rawAddress = rs.address;
    fresh->port = rs.port;
    fresh->address = QString::fromStdString(rs.address);
    const auto* node = m_cluster.nodeByAddress(fresh->address);
    fresh->nodeName = node ? node->name : QString();
    fresh->label = node ? node->name : QString::fromStdString(ep);
    fresh->perDir.resize(static_cast<std::size_t>(m_directors.size()));
    fresh->service = &s;
    auto* d = fresh.get();
    if (!d->nodeName.isEmpty()) {
        m_destsByNode[d->nodeName].push_back(d);
    }
    s.pendingByEndpoint.emplace(std::move(ep), d);
    s.pending.push_back(std::move(fresh));
    touchService(s);
    return d;
}

void ServicesModel::applyDest(std::size_t di, Service& s, Dest& d, const proto::RealServer& rs, bool adjustTotal)
{
    const Slot next{true, rs.weight, rs.activeConns, rs.inactiveConns, rs.stats.cps, rs.stats.inBps, m_generation};
    Slot& cur = d.perDir[di];
    if (!(cur == next)) {
        if (adjustTotal) {
            // Unsigned wrap-around makes "minus old, plus new" exact.
            Slot& total = s.perDir[di];
            total.present = true;
            total.weight = total.weight - cur.weight + next.weight;
            total.active = total.active - cur.active + next.active;
            total.inactive = total.inactive - cur.inactive + next.inactive;
            total.cps = total.cps - cur.cps + next.cps;
            total.bps = total.bps - cur.bps + next.bps;
        }
        touchRow(s, d, cur.present != next.present || cur.weight != next.weight);
        touchService(s);
    }
    cur = next;
}

void ServicesModel::scanDirector(std::size_t di)
{
    const int gen = ++m_generation;
    const auto* dir = m_cluster.node(m_directors[static_cast<int>(di)]);
    if (dir != nullptr) {
        for (const auto& vs : dir->ipvs) {
            Service& s = *serviceFor(vs);
            const QString scheduler = QString::fromStdString(vs.scheduler);
            if (s.scheduler != scheduler) {
                s.scheduler = scheduler;
                touchService(s, true);
            }
            Slot total;
            total.present = true;
            total.seen = gen;
            for (int ri = 0; ri < static_cast<int>(vs.realServers.size()); ++ri) {
                const auto& rs = vs.realServers[static_cast<std::size_t>(ri)];
                total.active += rs.activeConns;
                total.inactive += rs.inactiveConns;
                total.cps += rs.stats.cps;
                total.bps += rs.stats.inBps;
                total.weight += rs.weight;
                applyDest(di, s, *destFor(s, rs, ri), rs, false);
            }
            if (!(s.perDir[di] == total)) {
                touchService(s);
            }
            s.perDir[di] = total;
        }
    }
    // Slots this director stopped reporting (a service or real server removed there only).
    const auto clearStale = [&](Service& s) {
        if (s.perDir[di].present && s.perDir[di].seen != gen) {
            s.perDir[di] = Slot{};
            touchService(s);
            m_prune = true;
        }
        for (const auto& d : s.dests) {
            if (d->perDir[di].present && d->perDir[di].seen != gen) {
                d->perDir[di] = Slot{};
                touchRow(s, *d, true);
                touchService(s);
                m_prune = true;
            }
        }
    };
    for (auto& s : m_services) {
        clearStale(*s);
    }
}

void ServicesModel::applyRows(std::size_t di, const std::vector<std::pair<int, int>>& rows)
{
    const auto* dir = m_cluster.node(m_directors[static_cast<int>(di)]);
    if (dir == nullptr) {
        return;
    }
    int lastSi = -1;
    Service* last = nullptr; // rows come grouped by service: one key lookup per group
    for (const auto& [si, ri] : rows) {
        if (si < 0 || si >= static_cast<int>(dir->ipvs.size())) {
            continue;
        }
        const auto& vs = dir->ipvs[static_cast<std::size_t>(si)];
        if (si != lastSi) {
            last = serviceFor(vs);
            lastSi = si;
        }
        Service& s = *last;
        if (!s.perDir[di].present) {
            s.perDir[di] = Slot{};
            s.perDir[di].present = true;
            touchService(s);
        }
        if (ri < 0) {
            const QString scheduler = QString::fromStdString(vs.scheduler);
            if (s.scheduler != scheduler) {
                s.scheduler = scheduler;
                touchService(s, true);
            }
            continue;
        }
        if (ri >= static_cast<int>(vs.realServers.size())) {
            continue;
        }
        const auto& rs = vs.realServers[static_cast<std::size_t>(ri)];
        applyDest(di, s, *destFor(s, rs, ri), rs, true);
    }
}

void ServicesModel::relabel()
{
    // A node added to the inventory names the real-server rows at its address.
    for (auto& s : m_services) {
        for (auto& d : s->dests) {
            const auto* node = m_cluster.nodeByAddress(d->address);
            const QString name = node ? node->name : QString();
            if (name == d->nodeName) {
                continue;
            }
            forgetDest(*d);
            d->nodeName = name;
            d->label = node ? name : QString::fromStdString(d->endpoint);
            if (!name.isEmpty()) {
                m_destsByNode[name].push_back(d.get());
            }
            touchRow(*s, *d, true);
        }
    }
}

void ServicesModel::touchNode(const QString& node)
{
    const auto it = m_destsByNode.constFind(node);
    if (it == m_destsByNode.constEnd()) {
        return;
    }
    for (auto* d : *it) {
        touchRow(*d->service, *d, true);
    }
}

void ServicesModel::touchRow(Service& s, const Dest& d, bool name)
{
    if (d.row >= 0) {
        (name ? s.dirtyNameRows : s.dirtyRows).push_back(d.row);
    }
    if (!s.touched) {
        s.touched = true;
        m_touched.push_back(&s);
    }
}

void ServicesModel::touchService(Service& s, bool name)
{
    s.dirty = true;
    s.dirtyName = s.dirtyName || name;
    if (!s.touched) {
        s.touched = true;
        m_touched.push_back(&s);
    }
}

void ServicesModel::forgetDest(const Dest& d)
{
    if (d.nodeName.isEmpty()) {
        return;
    }
    auto it = m_destsByNode.find(d.nodeName);
    if (it == m_destsByNode.end()) {
        return;
    }
    auto& list = *it;
    list.erase(std::remove(list.begin(), list.end(), &d), list.end());
    if (list.empty()) {
        m_destsByNode.erase(it);
    }
}

void ServicesModel::prune()
{
    if (!m_prune) {
        return;
    }
    m_prune = false;
    // Bottom-up, so the rows still to visit keep their numbers.
    bool servicesRemoved = false;
    for (int row = static_cast<int>(m_services.size()) - 1; row >= 0; --row) {
        auto& s = *m_services[static_cast<std::size_t>(row)];
        const bool gone = std::none_of(s.perDir.begin(), s.perDir.end(), [](const Slot& x) { return x.present; });
        if (gone) {
            beginRemoveRows({}, row, row);
            for (const auto& d : s.dests) {
                forgetDest(*d);
            }
            for (const auto& d : s.pending) {
                forgetDest(*d);
            }
            if (s.touched) {
                m_touched.erase(std::remove(m_touched.begin(), m_touched.end(), &s), m_touched.end());
            }
            m_serviceByKey.erase(s.key);
            m_services.erase(m_services.begin() + row);
            endRemoveRows();
            servicesRemoved = true;
            continue;
        }
        const QModelIndex parentIdx = createIndex(row, 0, nullptr);
        bool removed = false;
        int hi = static_cast<int>(s.dests.size()) - 1;
        while (hi >= 0) {
            if (!s.dests[static_cast<std::size_t>(hi)]->absentEverywhere()) {
                --hi;
                continue;
            }
            int lo = hi;
            while (lo > 0 && s.dests[static_cast<std::size_t>(lo - 1)]->absentEverywhere()) {
                --lo;
            }
            beginRemoveRows(parentIdx, lo, hi);
            for (int r = lo; r <= hi; ++r) {
                forgetDest(*s.dests[static_cast<std::size_t>(r)]);
            }
            s.dests.erase(s.dests.begin() + lo, s.dests.begin() + hi + 1);
            endRemoveRows();
            removed = true;
            hi = lo - 1;
        }
        if (removed) {
            s.reindex();
            // Rows moved: what was marked by number is stale, so refresh the whole service.
            s.dirtyRows.clear();
            s.dirtyNameRows.clear();
            for (int r = 0; r < static_cast<int>(s.dests.size()); ++r) {
                s.dirtyNameRows.push_back(r);
            }
        }
    }
    if (servicesRemoved) {
        for (int row = 0; row < static_cast<int>(m_services.size()); ++row) {
            m_services[static_cast<std::size_t>(row)]->row = row;
        }
    }
}

void ServicesModel::flushPending(bool notify)
{
    // Insertions are appended; the view's proxy sorts.
    for (auto* s : m_touched) {
        if (s->pending.empty() || s->row < 0) {
            continue; // a new service takes its real servers along below
        }
        const int first = static_cast<int>(s->dests.size());
        if (notify) {
            beginInsertRows(createIndex(s->row, 0, nullptr), first, first + static_cast<int>(s->pending.size()) - 1);
        }
        for (auto& d : s->pending) {
            d->row = static_cast<int>(s->dests.size());
            s->destRow.emplace(d->endpoint, d->row);
            s->dests.push_back(std::move(d));
        }
        s->pending.clear();
        s->pendingByEndpoint.clear();
        if (notify) {
            endInsertRows();
        }
    }
    if (m_newServices.empty()) {
        return;
    }
    const int first = static_cast<int>(m_services.size());
    if (notify) {
        beginInsertRows({}, first, first + static_cast<int>(m_newServices.size()) - 1);
    }
    for (auto& s : m_newServices) {
        s->row = static_cast<int>(m_services.size());
        s->dests = std::move(s->pending);
        s->pending.clear();
        s->pendingByEndpoint.clear();
        s->reindex();
        s->dirtyRows.clear();
        s->dirtyNameRows.clear();
        s->dirty = false;
        s->dirtyName = false;
        m_services.push_back(std::move(s));
    }
    m_newServices.clear();
    if (notify) {
        endInsertRows();
    }
}

namespace {

/// Sorted runs of changed rows; a gap of a few unchanged rows is bridged so a
/// busy service costs a handful of signals, not one per row.
void sortUnique(std::vector<int>& rows)
{
    std::sort(rows.begin(), rows.end());
    rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
}

/// Runs of sorted rows; a gap of a few unchanged rows is bridged so a busy
/// service costs a handful of signals, not one per row.
template <typename Emit>
void emitRuns(const std::vector<int>& rows, Emit emitRange)
{
    constexpr int kBridge = 4;
    std::size_t i = 0;
    while (i < rows.size()) {
        const int lo = rows[i];
        int hi = lo;
        while (++i < rows.size() && rows[i] <= hi + 1 + kBridge) {
            hi = rows[i];
        }
        emitRange(lo, hi);
    }
}

/// @p rows without those in @p minus (both sorted).
std::vector<int> without(const std::vector<int>& rows, const std::vector<int>& minus)
{
    std::vector<int> out;
    out.reserve(rows.size());
    std::set_difference(rows.begin(), rows.end(), minus.begin(), minus.end(), std::back_inserter(out));
    return out;
}

} // namespace

void ServicesModel::emitChanges()
{
    // Counters touch only the director columns: leaving the name column out keeps
    // the sorting proxy from re-sorting 30,000 rows whose names did not change.
    const int lastColumn = columnCount() - 1;
    const int firstValue = m_directors.isEmpty() ? 0 : static_cast<int>(FirstDirectorColumn);
    std::vector<int> top;
    std::vector<int> topName;
    for (auto* s : m_touched) {
        s->touched = false;
        if (s->row < 0) {
            continue;
        }
        if (s->dirty) {
            (s->dirtyName ? topName : top).push_back(s->row);
            s->dirty = false;
            s->dirtyName = false;
        }
        if (s->dirtyRows.empty() && s->dirtyNameRows.empty()) {
            continue;
        }
        const QModelIndex p = createIndex(s->row, 0, nullptr);
        sortUnique(s->dirtyNameRows);
        sortUnique(s->dirtyRows);
        emitRuns(s->dirtyNameRows, [&](int lo, int hi) {
            emit dataChanged(index(lo, 0, p), index(hi, lastColumn, p));
        });
        emitRuns(without(s->dirtyRows, s->dirtyNameRows), [&](int lo, int hi) {
            emit dataChanged(index(lo, firstValue, p), index(hi, lastColumn, p));
        });
        s->dirtyRows.clear();
        s->dirtyNameRows.clear();
    }
    m_touched.clear();
    sortUnique(topName);
    sortUnique(top);
    emitRuns(topName, [&](int lo, int hi) { emit dataChanged(index(lo, 0), index(hi, lastColumn)); });
    emitRuns(without(top, topName),
             [&](int lo, int hi) { emit dataChanged(index(lo, firstValue), index(hi, lastColumn)); });
}

} // namespace hadeck::ui
