#include "hadeck/console/model/clustermodel.h"

#include "hadeck/console/checks/clusterchecks.h"

#include <QDateTime>

#include <algorithm>
#include <map>
#include <set>

namespace hadeck::console {

namespace {

QString qs(const std::string& s) { return QString::fromStdString(s); }

template <typename T>
Expected<std::vector<T>> decodeArray(const rpc::Json& params, const char* key)
{
    const auto it = params.find(key);
    if (it == params.end() || !it->is_array()) {
        return fail(std::string("state.delta: \"") + key + "\" is missing or not an array", rpc::InvalidParams);
    }
    auto decoded = proto::fromJson<std::vector<T>>(*it);
    if (!decoded) {
        return fail(std::string("state.delta \"") + key + "\": " + decoded.error().message, rpc::InvalidParams);
    }
    return std::move(decoded).value();
}

/// Applies an "ipvs" delta from the agent to the table known so far: services
/// carry only their added or changed real servers, removals are listed apart
/// (agent/probes ipvs_delta.h). A snapshot replaces the table.
Expected<std::vector<proto::VirtualService>> mergeIpvs(std::vector<proto::VirtualService> table, const rpc::Json& params)
{
    const bool snapshot = params.value("snapshot", false);
    if (snapshot) {
        return decodeArray<proto::VirtualService>(params, "services");
    }
    if (params.contains("services")) {
        auto changed = decodeArray<proto::VirtualService>(params, "services");
        if (!changed) {
            return changed;
        }
        for (auto& vs : *changed) {
            auto it = std::find_if(table.begin(), table.end(), [&](const auto& t) { return t.key() == vs.key(); });
            if (it == table.end()) {
                table.push_back(std::move(vs));
                continue;
            }
            auto dests = std::move(it->realServers);
            for (auto& rs : vs.realServers) {
                auto d = std::find_if(dests.begin(), dests.end(),
                                      [&](const auto& x) { return x.endpoint() == rs.endpoint(); });
                if (d == dests.end()) {
                    dests.push_back(std::move(rs));
                } else {
                    *d = std::move(rs);
                }
            }
            vs.realServers = std::move(dests);
            *it = std::move(vs);
        }
    }
    try {
        for (const auto& key : params.value("removedServices", rpc::Json::array())) {
            const auto k = key.get<std::string>();
            table.erase(std::remove_if(table.begin(), table.end(), [&](const auto& t) { return t.key() == k; }),
                        table.end());
        }
        for (const auto& d : params.value("removedDests", rpc::Json::array())) {
            const auto service = d.at("service").get<std::string>();
            const auto endpoint = d.at("endpoint").get<std::string>();
            for (auto& vs : table) {
                if (vs.key() == service) {
                    auto& r = vs.realServers;
                    r.erase(std::remove_if(r.begin(), r.end(), [&](const auto& x) { return x.endpoint() == endpoint; }),
                            r.end());
                }
            }
        }
    } catch (const std::exception& e) {
        return fail(std::string("state.delta ipvs removals: ") + e.what(), rpc::InvalidParams);
    }
    return table;
}

/// "vrrp" deltas carry only the instances that changed; a snapshot has them all.
Expected<std::vector<proto::VrrpInstance>> mergeVrrp(std::vector<proto::VrrpInstance> known, const rpc::Json& params)
{
    auto changed = decodeArray<proto::VrrpInstance>(params, "instances");
    if (!changed || params.value("snapshot", false)) {
        return changed;
    }
    for (auto& i : *changed) {
        auto it = std::find_if(known.begin(), known.end(), [&](const auto& k) { return k.name == i.name; });
        if (it == known.end()) {
            known.push_back(std::move(i));
        } else {
            *it = std::move(i);
        }
    }
    return known;
}

Expected<DrCheck> decodeDrCheck(const rpc::Json& params)
{
    DrCheck check;
    const auto ok = params.find("ok");
    if (ok == params.end() || !ok->is_boolean()) {
        return fail("state.delta realserver: \"ok\" is missing or not a boolean", rpc::InvalidParams);
    }
    check.ok = ok->get<bool>();
    if (const auto items = params.find("checks"); items != params.end() && items->is_array()) {
        for (const auto& item : *items) {
            if (!item.is_object()) {
                return fail("state.delta realserver: a check is not an object", rpc::InvalidParams);
            }
            DrCheckItem line;
            line.name = qs(item.value("name", std::string()));
            line.ok = item.value("ok", true);
            line.detail = qs(item.value("detail", std::string()));
            check.items.push_back(std::move(line));
        }
    }
    return check;
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
    if (!m_timer.isActive()) {
        m_timer.start();
    }
}

void ClusterModel::emitEvent(ClusterEvent::Kind kind, Severity severity, const QString& node, const QString& text)
{
    m_pendingEvents.push_back(ClusterEvent{QDateTime::currentMSecsSinceEpoch(), kind, severity, node, text});
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
    if (m_byAddress.value((*it)->address) == it->get()) {
        m_byAddress.remove((*it)->address);
    }
    m_nodes.erase(it);
    markDirty(name, ClusterChange::Membership);
}

void ClusterModel::setLink(const QString& name, NodeState link, const QString& error)
{
    auto* n = find(name);
    if (n == nullptr || (n->link == link && n->lastError == error)) {
        return;
    }
    const bool wasReachable = n->reachable();
    n->link = link;
    n->lastError = error;
    n->updatedMs = QDateTime::currentMSecsSinceEpoch();
    if (wasReachable != n->reachable() || link == NodeState::Refused) {
        const Severity sev = n->reachable() ? Severity::Info : Severity::Warning;
        QString text = tr("%1 is now %2").arg(name, linkName(link));
        if (!error.isEmpty()) {
            text += QStringLiteral(": ") + error;
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
    for (const auto& inst : after) {
        const auto old = std::find_if(before.vrrp.begin(), before.vrrp.end(),
                                      [&](const auto& o) { return o.name == inst.name; });
        if (old == before.vrrp.end() || old->state == inst.state) {
            continue;
        }
        const Severity sev = inst.state == proto::VrrpState::Fault ? Severity::Warning : Severity::Info;
        emitEvent(ClusterEvent::Kind::VrrpTransition, sev, before.name,
                  tr("%1: %2 (VRID %3) %4 → %5")
                      .arg(before.name, qs(inst.name))
                      .arg(inst.vrid)
                      .arg(vrrpStateName(old->state), vrrpStateName(inst.state)));
    }
}

void ClusterModel::detectRealServerHealth(const NodeSnapshot& before, const std::vector<proto::VirtualService>& after)
{
    if (!before.hasIpvs) {
        return;
    }
    // keepalived's checkers show up in IPVS as a dest removed, or set to weight 0
    // with inhibit_on_failure: both are what an admin calls "the real server went down".
    std::map<std::pair<std::string, std::string>, std::uint32_t> old;
    for (const auto& vs : before.ipvs) {
        for (const auto& rs : vs.realServers) {
            old.emplace(std::make_pair(vs.key(), rs.endpoint()), rs.weight);
        }
    }
    std::set<std::pair<std::string, std::string>> seen;
    for (const auto& vs : after) {
        const std::string key = vs.key();
        for (const auto& rs : vs.realServers) {
            auto id = std::make_pair(key, rs.endpoint());
            seen.insert(id);
            const auto it = old.find(id);
            const QString who = nodeByAddress(qs(rs.address)) ? nodeByAddress(qs(rs.address))->name : qs(rs.endpoint());
            if (it == old.end()) {
                emitEvent(ClusterEvent::Kind::RealServerHealth, Severity::Info, who,
                          tr("%1 added to %2 on %3 (weight %4)").arg(who, qs(key), before.name).arg(rs.weight));
            } else if (it->second != 0 && rs.weight == 0) {
                emitEvent(ClusterEvent::Kind::RealServerHealth, Severity::Warning, who,
                          tr("%1 weight set to 0 in %2 on %3").arg(who, qs(key), before.name));
            } else if (it->second == 0 && rs.weight != 0) {
                emitEvent(ClusterEvent::Kind::RealServerHealth, Severity::Info, who,
                          tr("%1 back in %2 on %3 (weight %4)").arg(who, qs(key), before.name).arg(rs.weight));
            }
        }
    }
    for (const auto& [id, weight] : old) {
        if (seen.count(id) == 0) {
            const auto host = id.second.substr(0, id.second.rfind(':'));
            const auto* owner = nodeByAddress(qs(host));
            const QString who = owner ? owner->name : qs(id.second);
            emitEvent(ClusterEvent::Kind::RealServerHealth, Severity::Warning, who,
                      tr("%1 removed from %2 on %3").arg(who, qs(id.first), before.name));
        }
    }
}

void ClusterModel::setIpvs(const QString& name, std::vector<proto::VirtualService> services)
{
    auto* n = find(name);
    if (n == nullptr || (n->hasIpvs && n->ipvs == services)) {
        return;
    }
    detectRealServerHealth(*n, services);
    n->ipvs = std::move(services);
    n->hasIpvs = true;
    n->updatedMs = QDateTime::currentMSecsSinceEpoch();
    markDirty(name, ClusterChange::Ipvs);
}

void ClusterModel::setVrrp(const QString& name, std::vector<proto::VrrpInstance> instances)
{
    auto* n = find(name);
    if (n == nullptr || (n->hasVrrp && n->vrrp == instances)) {
        return;
    }
    detectVrrpTransitions(*n, instances);
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
    emitEvent(ClusterEvent::Kind::AdminAction, Severity::Info, node, text);
}

Status ClusterModel::applyStateDelta(const QString& name, const rpc::Json& params)
{
    if (!params.is_object()) {
        return fail("state.delta: params is not an object", rpc::InvalidParams);
    }
    if (find(name) == nullptr) {
        return fail("state.delta for a node not in the cluster: " + name.toStdString(), rpc::InvalidParams);
    }
    const auto topic = params.find("topic");
    if (topic == params.end() || !topic->is_string()) {
        return fail("state.delta: \"topic\" is missing or not a string", rpc::InvalidParams);
    }
    const auto t = topic->get<std::string>();
    if (t == "ipvs") {
        auto services = mergeIpvs(find(name)->ipvs, params);
        if (!services) {
            return fail(services.error().message, services.error().code);
        }
        setIpvs(name, std::move(services).value());
    } else if (t == "vrrp") {
        auto instances = mergeVrrp(find(name)->vrrp, params);
        if (!instances) {
            return fail(instances.error().message, instances.error().code);
        }
        setVrrp(name, std::move(instances).value());
    } else if (t == "realserver") {
        auto check = decodeDrCheck(params);
        if (!check) {
            return fail(check.error().message, check.error().code);
        }
        setDrCheck(name, check.value());
    }
    return {};
}

void ClusterModel::rerunChecks()
{
    const auto fresh = runClusterChecks(nodes());
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
            emitEvent(ClusterEvent::Kind::AlarmRaised, a.severity, a.nodes.value(0), a.text);
        }
    }
    for (const auto& a : m_alarms) {
        if (!nowIds.contains(a.id)) {
            emitEvent(ClusterEvent::Kind::AlarmCleared, Severity::Info, a.nodes.value(0),
                      tr("Cleared: %1").arg(a.text));
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
