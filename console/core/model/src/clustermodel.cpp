#include "hadeck/console/model/clustermodel.h"

#include "hadeck/console/checks/clusterchecks.h"
#include "hadeck/console/model/logging.h"

#include <QDateTime>

#include <algorithm>
#include <map>
#include <set>
#include <string_view>

namespace hadeck::console {

namespace {

QString qs(const std::string& s) { return QString::fromStdString(s); }

/// A sentence of this class, translated when shown (see TrText). The catalog files
/// these under "ClusterModel", not the namespaced class name tr() would use.
TrText trText(const char* source, std::vector<TrText> args)
{
    return TrText::of("ClusterModel", source, std::move(args));
}

/// linkName() as a TrText: the same context and words, so the same translations.
TrText linkText(NodeState link)
{
    const char* word = "";
    switch (link) {
    case NodeState::Connecting: word = QT_TRANSLATE_NOOP("Names", "connecting"); break;
    case NodeState::Online: word = QT_TRANSLATE_NOOP("Names", "online"); break;
    case NodeState::Degraded: word = QT_TRANSLATE_NOOP("Names", "degraded"); break;
    case NodeState::Unreachable: word = QT_TRANSLATE_NOOP("Names", "unreachable"); break;
    case NodeState::Refused: word = QT_TRANSLATE_NOOP("Names", "refused"); break;
    case NodeState::ProtocolError: word = QT_TRANSLATE_NOOP("Names", "protocol error"); break;
    case NodeState::NotInstalled: word = QT_TRANSLATE_NOOP("Names", "agent not installed"); break;
    case NodeState::VersionMismatch: word = QT_TRANSLATE_NOOP("Names", "protocol version mismatch"); break;
    }
    return TrText::of("Names", word);
}

/// Same real server of the same service, told apart without building endpoint strings.
bool sameDest(const proto::RealServer& a, const proto::RealServer& b)
{
    return a.port == b.port && a.address == b.address;
}

bool sameService(const proto::VirtualService& a, const proto::VirtualService& b)
{
    return a.port == b.port && a.fwmark == b.fwmark && a.af == b.af && a.address == b.address &&
           a.protocol == b.protocol;
}

/// Service fields other than the real servers differ.
bool serviceFieldsDiffer(const proto::VirtualService& a, const proto::VirtualService& b)
{
    return !sameService(a, b) || a.scheduler != b.scheduler || a.flags != b.flags || a.persistent != b.persistent ||
           a.timeout != b.timeout || a.netmask != b.netmask || a.peName != b.peName || !(a.stats == b.stats);
}

/// What the drift and DR checks read: a change here re-runs the table comparison.
bool structuralChange(const proto::RealServer& a, const proto::RealServer& b)
{
    return a.weight != b.weight || a.forward != b.forward;
}

/// "vrrp" deltas carry only the instances that changed; a snapshot has them all. At most
/// @p cap instances are kept: names past it are dropped, and counted in @p dropped.
std::vector<proto::VrrpInstance> mergeVrrp(const std::vector<proto::VrrpInstance>& known, StateDelta& delta,
                                           std::size_t cap, std::size_t& dropped)
{
    dropped = 0;
    if (delta.snapshot) {
        if (delta.instances.size() > cap) {
            dropped = delta.instances.size() - cap;
            delta.instances.resize(cap);
        }
        return std::move(delta.instances);
    }
    std::vector<proto::VrrpInstance> merged = known;
    // Name -> position, the first of a name as a linear search would find it.
    std::map<std::string, std::size_t, std::less<>> byName;
    for (std::size_t i = 0; i < merged.size(); ++i) {
        byName.emplace(merged[i].name, i);
    }
    for (auto& i : delta.instances) {
        const auto it = byName.find(i.name);
        if (it != byName.end()) {
            merged[it->second] = std::move(i);
        } else if (merged.size() < cap) {
            byName.emplace(i.name, merged.size());
            merged.push_back(std::move(i));
        } else {
            ++dropped;
        }
    }
    return merged;
}

} // namespace

ClusterModel::ClusterModel(QString clusterName, QObject* parent)
    : QObject(parent), m_clusterName(std::move(clusterName))
{
    m_timer.setSingleShot(true);
    m_timer.setInterval(250);
    connect(&m_timer, &QTimer::timeout, this, &ClusterModel::flush);
}

ClusterModel::~ClusterModel() = default;

void ClusterModel::setTickInterval(int ms) { m_timer.setInterval(std::max(0, ms)); }

NodeSnapshot* ClusterModel::find(const QString& name) { return m_byName.value(name, nullptr); }

const NodeSnapshot* ClusterModel::node(const QString& name) const { return m_byName.value(name, nullptr); }

QStringList ClusterModel::nodeNames() const
{
    QStringList names;
    names.reserve(static_cast<qsizetype>(m_nodes.size()));
    for (const auto& n : m_nodes) {
        names << n->name;
    }
    return names;
}

std::vector<const NodeSnapshot*> ClusterModel::nodes() const
{
    std::vector<const NodeSnapshot*> out;
    out.reserve(m_nodes.size());
    for (const auto& n : m_nodes) {
        out.push_back(n.get());
    }
    return out;
}

QStringList ClusterModel::directors() const
{
    QStringList names;
    for (const auto& n : m_nodes) {
        // A node whose agent publishes an empty table (no IPVS here) is not a director.
        if (n->hasRole(proto::Role::Director) || (n->hasIpvs && !n->ipvs.empty()) || (n->hasVrrp && !n->vrrp.empty())) {
            names << n->name;
        }
    }
    names.sort();
    return names;
}

const NodeSnapshot* ClusterModel::nodeByAddress(const QString& address) const
{
    return m_byAddress.value(address, nullptr);
}

bool ClusterModel::isRealServer(const QString& name) const
{
    const auto* n = node(name);
    if (n == nullptr) {
        return false;
    }
    if (n->hasRole(proto::Role::RealServer)) {
        return true;
    }
    for (const auto& d : directors()) {
        for (const auto& vs : node(d)->ipvs) {
            for (const auto& rs : vs.realServers) {
                if (qs(rs.address) == n->address) {
                    return true;
                }
            }
        }
    }
    return false;
}

HealthSummary ClusterModel::healthSummary() const
{
    HealthSummary h;
    for (const auto& n : m_nodes) {
        ++h.total;
        h.online += n->reachable() ? 1 : 0;
        h.connecting += n->link == NodeState::Connecting ? 1 : 0;
    }
    for (const auto& a : m_alarms) {
        h.critical += a.severity == Severity::Critical ? 1 : 0;
        h.warning += a.severity == Severity::Warning ? 1 : 0;
    }
    for (const auto& d : directors()) {
        for (const auto& i : node(d)->vrrp) {
            if (i.state == proto::VrrpState::Master) {
                std::pair<QString, QString> m{qs(i.name), d};
                if (std::find(h.masters.begin(), h.masters.end(), m) == h.masters.end()) {
                    h.masters.push_back(std::move(m));
                }
            }
        }
    }
    return h;
}

QStringList ClusterModel::unknownRealServers() const
{
    std::set<QString> found;
    for (const auto& n : m_nodes) {
        for (const auto& vs : n->ipvs) {
            for (const auto& rs : vs.realServers) {
                const QString addr = qs(rs.address);
                if (!m_byAddress.contains(addr)) {
                    found.insert(addr);
                }
            }
        }
    }
    return {found.begin(), found.end()};
}

void ClusterModel::markDirty(const QString& name, ClusterChange::Part part)
{
    m_pending.parts |= part;
    m_pending.nodes.insert(name);
    if (part == ClusterChange::Membership || part == ClusterChange::Link || part == ClusterChange::Hello) {
        m_driftDirty = true; // who counts as a live director may have changed
    }
    if (!m_timer.isActive()) {
        m_timer.start();
    }
}

void ClusterModel::emitEvent(ClusterEvent::Kind kind, Severity severity, const QString& node, const TrText& text)
{
    m_pendingEvents.push_back(ClusterEvent{QDateTime::currentMSecsSinceEpoch(), kind, severity, node, text.render(), text});
    if (!m_timer.isActive()) {
        m_timer.start();
    }
}

void ClusterModel::addNode(const QString& name, const QString& address, std::vector<proto::Role> roleHints)
{
    if (auto* existing = find(name)) {
        // Re-adding updates the inventory facts; the live state stays.
        m_byAddress.remove(existing->address);
        existing->address = address;
        existing->roleHints = std::move(roleHints);
        m_byAddress.insert(address, existing);
        markDirty(name, ClusterChange::Membership);
        return;
    }
    auto snap = std::make_unique<NodeSnapshot>();
    snap->name = name;
    snap->address = address;
    snap->roleHints = std::move(roleHints);
    snap->updatedMs = QDateTime::currentMSecsSinceEpoch();
    m_byName.insert(name, snap.get());
    if (!address.isEmpty()) {
        m_byAddress.insert(address, snap.get());
    }
    qCDebug(lcModel) << "node added:" << name << address;
    m_nodes.push_back(std::move(snap));
    markDirty(name, ClusterChange::Membership);
}

void ClusterModel::removeNode(const QString& name)
{
    const auto it = std::find_if(m_nodes.begin(), m_nodes.end(), [&](const auto& n) { return n->name == name; });
    if (it == m_nodes.end()) {
        return;
    }
    m_byName.remove(name);
    m_ipvsIndex.erase(it->get());
    if (m_byAddress.value((*it)->address) == it->get()) {
        m_byAddress.remove((*it)->address);
    }
    qCDebug(lcModel) << "node removed:" << name;
    m_nodes.erase(it);
    markDirty(name, ClusterChange::Membership);
}

void ClusterModel::setLink(const QString& name, NodeState link, const QString& error)
{
    auto* n = find(name);
    if (n == nullptr || (n->link == link && n->lastError == error)) {
        return;
    }
    qCDebug(lcModel) << "link of" << name << "is now" << linkText(link).source << error;
    const bool wasReachable = n->reachable();
    n->link = link;
    n->lastError = error;
    n->updatedMs = QDateTime::currentMSecsSinceEpoch();
    if (wasReachable != n->reachable() || link == NodeState::Refused) {
        const Severity sev = n->reachable() ? Severity::Info : Severity::Warning;
        TrText text = trText(QT_TRANSLATE_NOOP("ClusterModel", "%1 is now %2"), {name, linkText(link)});
        if (!error.isEmpty()) {
            text = TrText::concat({text, QString(QStringLiteral(": ") + error)});
        }
        emitEvent(ClusterEvent::Kind::LinkChange, sev, name, text);
    }
    markDirty(name, ClusterChange::Link);
}

void ClusterModel::setHello(const QString& name, const proto::HelloResult& hello)
{
    auto* n = find(name);
    if (n == nullptr) {
        return;
    }
    const bool rolesChanged = !n->hello || n->hello->roles != hello.roles;
    n->hello = hello;
    n->updatedMs = QDateTime::currentMSecsSinceEpoch();
    markDirty(name, ClusterChange::Hello);
    if (rolesChanged) {
        // A node whose roles change moves between layers: a structural change for the tree.
        m_pending.parts |= ClusterChange::Membership;
    }
}

void ClusterModel::detectVrrpTransitions(const NodeSnapshot& before, const std::vector<proto::VrrpInstance>& after)
{
    if (!before.hasVrrp) {
        return; // the first picture is not a transition
    }
    // Name -> instance before, the first of a name as a linear search would find it.
    std::map<std::string_view, const proto::VrrpInstance*> byName;
    for (const auto& o : before.vrrp) {
        byName.emplace(o.name, &o);
    }
    for (const auto& inst : after) {
        const auto it = byName.find(inst.name);
        if (it == byName.end() || it->second->state == inst.state) {
            continue;
        }
        const proto::VrrpInstance* old = it->second;
        const Severity sev = inst.state == proto::VrrpState::Fault ? Severity::Warning : Severity::Info;
        emitEvent(ClusterEvent::Kind::VrrpTransition, sev, before.name,
                  trText(QT_TRANSLATE_NOOP("ClusterModel", "%1: %2 (VRID %3) %4 → %5"),
                         {before.name, qs(inst.name), QString::number(inst.vrid), vrrpStateName(old->state),
                          vrrpStateName(inst.state)}));
    }
}

void ClusterModel::reportDest(const NodeSnapshot& n, const std::string& serviceKey, const proto::RealServer* before,
                              const proto::RealServer* after)
{
    if (!n.hasIpvs) {
        return; // the first picture is not news
    }
    // keepalived's checkers show up in IPVS as a dest removed, or set to weight 0
    // with inhibit_on_failure: both are what an admin calls "the real server went down".
    const auto& rs = after != nullptr ? *after : *before;
    const auto* owner = nodeByAddress(qs(rs.address));
    const QString who = owner != nullptr ? owner->name : qs(rs.endpoint());
    const QString key = qs(serviceKey);
    if (before == nullptr) {
        emitEvent(ClusterEvent::Kind::RealServerHealth, Severity::Info, who,
                  trText(QT_TRANSLATE_NOOP("ClusterModel", "%1 added to %2 on %3 (weight %4)"),
                         {who, key, n.name, QString::number(after->weight)}));
    } else if (after == nullptr) {
        emitEvent(ClusterEvent::Kind::RealServerHealth, Severity::Warning, who,
                  trText(QT_TRANSLATE_NOOP("ClusterModel", "%1 removed from %2 on %3"), {who, key, n.name}));
    } else if (before->weight != 0 && after->weight == 0) {
        emitEvent(ClusterEvent::Kind::RealServerHealth, Severity::Warning, who,
                  trText(QT_TRANSLATE_NOOP("ClusterModel", "%1 weight set to 0 in %2 on %3"), {who, key, n.name}));
    } else if (before->weight == 0 && after->weight != 0) {
        emitEvent(ClusterEvent::Kind::RealServerHealth, Severity::Info, who,
                  trText(QT_TRANSLATE_NOOP("ClusterModel", "%1 back in %2 on %3 (weight %4)"),
                         {who, key, n.name, QString::number(after->weight)}));
    }
}

void ClusterModel::reindexIpvs(const NodeSnapshot& n)
{
    auto& idx = m_ipvsIndex[&n];
    idx.services.clear();
    idx.dests.assign(n.ipvs.size(), {});
    for (int si = 0; si < static_cast<int>(n.ipvs.size()); ++si) {
        const auto& vs = n.ipvs[static_cast<std::size_t>(si)];
        idx.services.emplace(vs.key(), si);
        auto& dests = idx.dests[static_cast<std::size_t>(si)];
        dests.reserve(vs.realServers.size());
        for (int ri = 0; ri < static_cast<int>(vs.realServers.size()); ++ri) {
            dests.emplace(vs.realServers[static_cast<std::size_t>(ri)].endpoint(), ri);
        }
    }
}

void ClusterModel::ipvsChanged(NodeSnapshot& n, bool structural)
{
    n.hasIpvs = true;
    n.updatedMs = QDateTime::currentMSecsSinceEpoch();
    m_driftDirty = m_driftDirty || structural;
    markDirty(n.name, ClusterChange::Ipvs);
}

void ClusterModel::replaceIpvs(NodeSnapshot& n, std::vector<proto::VirtualService> table)
{
    if (!n.hasIpvs) {
        n.ipvs = std::move(table);
        reindexIpvs(n);
        m_pending.ipvs[n.name].all = true;
        ipvsChanged(n, true);
        return;
    }
    // Diff against what is known, so a snapshot that moves a few counters stays a few row updates.
    // Tables keep their order between snapshots: a position check spares most hash lookups.
    auto& idx = m_ipvsIndex[&n];
    const auto& old = n.ipvs;
    std::vector<std::vector<char>> seen(old.size());
    for (std::size_t i = 0; i < old.size(); ++i) {
        seen[i].assign(old[i].realServers.size(), 0);
    }
    std::vector<std::pair<int, int>> rows;
    bool samePlaces = table.size() == old.size();
    bool structural = false;
    for (int si = 0; si < static_cast<int>(table.size()); ++si) {
        const auto& vs = table[static_cast<std::size_t>(si)];
        int osi = -1;
        if (si < static_cast<int>(old.size()) && sameService(old[static_cast<std::size_t>(si)], vs)) {
            osi = si;
        } else if (const auto it = idx.services.find(vs.key()); it != idx.services.end()) {
            osi = it->second;
        }
        if (osi < 0) {
            structural = true;
            samePlaces = false;
            const std::string key = vs.key();
            for (const auto& rs : vs.realServers) {
                reportDest(n, key, nullptr, &rs);
            }
            continue;
        }
        const auto& ovs = old[static_cast<std::size_t>(osi)];
        samePlaces = samePlaces && osi == si && ovs.realServers.size() == vs.realServers.size();
        if (serviceFieldsDiffer(ovs, vs)) {
            rows.emplace_back(si, -1);
        }
        for (int ri = 0; ri < static_cast<int>(vs.realServers.size()); ++ri) {
            const auto& rs = vs.realServers[static_cast<std::size_t>(ri)];
            int ori = -1;
            if (ri < static_cast<int>(ovs.realServers.size()) && sameDest(ovs.realServers[static_cast<std::size_t>(ri)], rs)) {
                ori = ri;
            } else {
                const auto& dests = idx.dests[static_cast<std::size_t>(osi)];
                if (const auto d = dests.find(rs.endpoint()); d != dests.end()) {
                    ori = d->second;
                }
            }
            if (ori < 0) {
                structural = true;
                samePlaces = false;
                reportDest(n, ovs.key(), nullptr, &rs);
                continue;
            }
            samePlaces = samePlaces && ori == ri;
            seen[static_cast<std::size_t>(osi)][static_cast<std::size_t>(ori)] = 1;
            const auto& ors = ovs.realServers[static_cast<std::size_t>(ori)];
            if (!(ors == rs)) {
                rows.emplace_back(si, ri);
                if (structuralChange(ors, rs)) {
                    structural = true;
                    reportDest(n, ovs.key(), &ors, &rs);
                }
            }
        }
    }
    for (std::size_t si = 0; si < old.size(); ++si) {
        for (std::size_t ri = 0; ri < old[si].realServers.size(); ++ri) {
            if (seen[si][ri] == 0) {
                structural = true;
                samePlaces = false;
                reportDest(n, old[si].key(), &old[si].realServers[ri], nullptr);
            }
        }
    }
    if (samePlaces && rows.empty()) {
        return; // the same picture again
    }
    n.ipvs = std::move(table);
    auto& touch = m_pending.ipvs[n.name];
    if (samePlaces && !touch.all) {
        touch.rows.insert(touch.rows.end(), rows.begin(), rows.end());
    } else if (!samePlaces) {
        reindexIpvs(n);
        touch.all = true;
        touch.rows.clear();
    }
    ipvsChanged(n, structural);
}

void ClusterModel::mergeIpvs(NodeSnapshot& n, StateDelta& delta)
{
    // A delta's services carry only their added or changed real servers; removals
    // come apart (agent/probes ipvs_delta.h).
    if (!n.hasIpvs) {
        reindexIpvs(n);
    }
    auto& idx = m_ipvsIndex[&n];
    std::vector<std::pair<int, int>> rows;
    bool structural = false;
    bool moved = false; // rows shifted: indices recorded earlier in this tick are stale
    for (auto& vs : delta.services) {
        std::string key = vs.key();
        const auto it = idx.services.find(key);
        if (it == idx.services.end()) {
            const int si = static_cast<int>(n.ipvs.size());
            std::unordered_map<std::string, int> dests;
            for (int ri = 0; ri < static_cast<int>(vs.realServers.size()); ++ri) {
                const auto& rs = vs.realServers[static_cast<std::size_t>(ri)];
                reportDest(n, key, nullptr, &rs);
                dests.emplace(rs.endpoint(), ri);
                rows.emplace_back(si, ri);
            }
            rows.emplace_back(si, -1);
            idx.services.emplace(std::move(key), si);
            idx.dests.push_back(std::move(dests));
            n.ipvs.push_back(std::move(vs));
            structural = true;
            continue;
        }
        const int si = it->second;
        auto& cur = n.ipvs[static_cast<std::size_t>(si)];
        auto& dests = idx.dests[static_cast<std::size_t>(si)];
        for (auto& rs : vs.realServers) {
            std::string ep = rs.endpoint();
            const auto d = dests.find(ep);
            if (d == dests.end()) {
                const int ri = static_cast<int>(cur.realServers.size());
                reportDest(n, key, nullptr, &rs);
                dests.emplace(std::move(ep), ri);
                cur.realServers.push_back(std::move(rs));
                rows.emplace_back(si, ri);
                structural = true;
                continue;
            }
            auto& old = cur.realServers[static_cast<std::size_t>(d->second)];
            if (old == rs) {
                continue;
            }
            if (structuralChange(old, rs)) {
                structural = true;
                reportDest(n, key, &old, &rs);
            }
            old = std::move(rs);
            rows.emplace_back(si, d->second);
        }
        vs.realServers.clear();
        if (serviceFieldsDiffer(cur, vs)) {
            auto keep = std::move(cur.realServers);
            cur = std::move(vs);
            cur.realServers = std::move(keep);
            rows.emplace_back(si, -1);
        }
    }
    for (const auto& key : delta.removedServices) {
        const auto it = idx.services.find(key);
        if (it == idx.services.end()) {
            continue;
        }
        const auto si = static_cast<std::size_t>(it->second);
        for (const auto& rs : n.ipvs[si].realServers) {
            reportDest(n, key, &rs, nullptr);
        }
        n.ipvs.erase(n.ipvs.begin() + static_cast<std::ptrdiff_t>(si));
        reindexIpvs(n);
        moved = true;
    }
    for (const auto& [key, endpoint] : delta.removedDests) {
        const auto it = idx.services.find(key);
        if (it == idx.services.end()) {
            continue;
        }
        const auto si = static_cast<std::size_t>(it->second);
        auto& dests = idx.dests[si];
        const auto d = dests.find(endpoint);
        if (d == dests.end()) {
            continue;
        }
        auto& list = n.ipvs[si].realServers;
        reportDest(n, key, &list[static_cast<std::size_t>(d->second)], nullptr);
        list.erase(list.begin() + d->second);
        dests.clear();
        for (int ri = 0; ri < static_cast<int>(list.size()); ++ri) {
            dests.emplace(list[static_cast<std::size_t>(ri)].endpoint(), ri);
        }
        moved = true;
    }
    if (!moved && rows.empty() && n.hasIpvs) {
        return;
    }
    auto& touch = m_pending.ipvs[n.name];
    if (moved || !n.hasIpvs) {
        touch.all = true;
        touch.rows.clear();
    } else if (!touch.all) {
        touch.rows.insert(touch.rows.end(), rows.begin(), rows.end());
    }
    ipvsChanged(n, structural || moved);
}

void ClusterModel::setIpvs(const QString& name, std::vector<proto::VirtualService> services)
{
    if (auto* n = find(name)) {
        replaceIpvs(*n, std::move(services));
    }
}

void ClusterModel::setVrrp(const QString& name, std::vector<proto::VrrpInstance> instances)
{
    auto* n = find(name);
    if (instances.size() > kMaxVrrpInstances) {
        instances.resize(kMaxVrrpInstances);
    }
    if (n == nullptr || (n->hasVrrp && n->vrrp == instances)) {
        return;
    }
    detectVrrpTransitions(*n, instances);
    if (!n->hasVrrp || n->vrrp.empty() != instances.empty()) {
        m_driftDirty = true; // a node with VRRP instances is a director
    }
    n->vrrp = std::move(instances);
    n->hasVrrp = true;
    n->updatedMs = QDateTime::currentMSecsSinceEpoch();
    markDirty(name, ClusterChange::Vrrp);
}

void ClusterModel::setDrCheck(const QString& name, const DrCheck& check)
{
    auto* n = find(name);
    if (n == nullptr || n->drCheck == check) {
        return;
    }
    n->drCheck = check;
    n->updatedMs = QDateTime::currentMSecsSinceEpoch();
    markDirty(name, ClusterChange::DrCheck);
}

void ClusterModel::recordAdminAction(const QString& node, const QString& text)
{
    emitEvent(ClusterEvent::Kind::AdminAction, Severity::Info, node, TrText(text));
}

void ClusterModel::recordAdminAction(const QString& node, const TrText& text)
{
    emitEvent(ClusterEvent::Kind::AdminAction, Severity::Info, node, text);
}

Status ClusterModel::applyStateDelta(const QString& name, const rpc::Json& params)
{
    auto delta = decodeStateDelta(params);
    if (!delta) {
        noteUnreadableState(name, QString::fromStdString(delta.error().message));
        return fail(delta.error().message, delta.error().code);
    }
    return applyStateDelta(name, std::move(delta).value());
}

void ClusterModel::noteUnreadableState(const QString& name, const QString& why)
{
    qCWarning(lcModel) << "unreadable state.delta from" << name << ":" << why;
    auto* n = find(name);
    if (n == nullptr || n->unreadableState == why) {
        return;
    }
    n->unreadableState = why;
    n->updatedMs = QDateTime::currentMSecsSinceEpoch();
    markDirty(name, ClusterChange::Link);
}

Status ClusterModel::applyStateDelta(const QString& name, StateDelta delta)
{
    auto* n = find(name);
    if (n == nullptr) {
        qCDebug(lcModel) << "state.delta for a node not in the cluster:" << name;
        return fail("state.delta for a node not in the cluster: " + name.toStdString(), rpc::InvalidParams);
    }
    if (!n->unreadableState.isEmpty()) {
        n->unreadableState.clear();
        markDirty(name, ClusterChange::Link);
    }
    switch (delta.topic) {
    case StateDelta::Topic::Ipvs:
        if (delta.snapshot) {
            replaceIpvs(*n, std::move(delta.services));
        } else {
            mergeIpvs(*n, delta);
        }
        break;
    case StateDelta::Topic::Vrrp:
        if ((delta.running || delta.snapshot) && n->keepalivedRunning != delta.running) {
            n->keepalivedRunning = delta.running;
            n->updatedMs = QDateTime::currentMSecsSinceEpoch();
            markDirty(name, ClusterChange::Vrrp);
        }
        {
            std::size_t dropped = 0;
            auto merged = mergeVrrp(n->vrrp, delta, kMaxVrrpInstances, dropped);
            // Counted since the last snapshot, which starts over; logged once per overflow.
            const std::size_t total = (delta.snapshot ? 0 : n->vrrpDropped) + dropped;
            if (dropped > 0 && n->vrrpDropped == 0) {
                qCWarning(lcModel) << name << "reports more than" << kMaxVrrpInstances << "VRRP instances:" << dropped
                                   << "dropped, and any more until a snapshot fits";
            }
            if (total != n->vrrpDropped) {
                n->vrrpDropped = total;
                n->updatedMs = QDateTime::currentMSecsSinceEpoch();
                markDirty(name, ClusterChange::Vrrp);
            }
            setVrrp(name, std::move(merged));
        }
        break;
    case StateDelta::Topic::RealServer: setDrCheck(name, delta.drCheck); break;
    case StateDelta::Topic::Unknown: break;
    }
    return {};
}

void ClusterModel::rerunChecks()
{
    const auto all = nodes();
    std::vector<Alarm> fresh;
    checkReachability(all, fresh);
    checkVrrp(all, fresh);
    checkDrConformance(all, fresh);
    if (m_driftDirty) {
        m_driftAlarms.clear();
        checkIpvsDrift(all, m_driftAlarms);
        m_driftDirty = false;
    }
    fresh.insert(fresh.end(), m_driftAlarms.begin(), m_driftAlarms.end());
    sortAlarms(fresh);
    QList<Alarm> next(fresh.begin(), fresh.end());
    if (next == m_alarms) {
        return;
    }
    QHash<QString, const Alarm*> before;
    for (const auto& a : m_alarms) {
        before.insert(a.id, &a);
    }
    QSet<QString> nowIds;
    for (const auto& a : next) {
        nowIds.insert(a.id);
        if (!before.contains(a.id)) {
            emitEvent(ClusterEvent::Kind::AlarmRaised, a.severity, a.nodes.value(0),
                      a.message.isEmpty() ? TrText(a.text) : a.message);
        }
    }
    for (const auto& a : m_alarms) {
        if (!nowIds.contains(a.id)) {
            emitEvent(ClusterEvent::Kind::AlarmCleared, Severity::Info, a.nodes.value(0),
                      trText(QT_TRANSLATE_NOOP("ClusterModel", "Cleared: %1"), {a.message.isEmpty() ? TrText(a.text) : a.message}));
        }
    }
    m_alarms = std::move(next);
    emit alarmsChanged();
}

void ClusterModel::flush()
{
    m_timer.stop();
    if (m_pending.parts == 0 && m_pendingEvents.isEmpty()) {
        return;
    }
    ClusterChange change;
    std::swap(change, m_pending);
    if (change.parts != 0) {
        rerunChecks();
        emit changed(change);
    }
    if (!m_pendingEvents.isEmpty()) {
        QList<ClusterEvent> events;
        std::swap(events, m_pendingEvents);
        emit eventsOccurred(events);
    }
    // Events emitted while checking are already out; anything a slot fed us since goes next tick.
    if (m_pending.parts == 0 && m_pendingEvents.isEmpty()) {
        m_timer.stop();
    } else if (!m_timer.isActive()) {
        m_timer.start();
    }
}

} // namespace hadeck::console
