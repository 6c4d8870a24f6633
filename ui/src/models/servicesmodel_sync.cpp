// ServicesModel's upkeep: the directors' IPVS tables merged into one row per service and
// real server as the cluster model changes, with the rows touched reported in runs.
#include "models/servicesmodel_rows.h"

#include "hadeck/console/model/clustermodel.h"

#include <algorithm>
#include <iterator>

namespace hadeck::ui {

namespace {

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
        emitRuns(s->dirtyNameRows,
                 [&](int lo, int hi) { emit dataChanged(index(lo, 0, p), index(hi, lastColumn, p)); });
        emitRuns(without(s->dirtyRows, s->dirtyNameRows),
                 [&](int lo, int hi) { emit dataChanged(index(lo, firstValue, p), index(hi, lastColumn, p)); });
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
