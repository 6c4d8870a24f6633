#include "hadeck/console/checks/clusterchecks.h"

#include <QCoreApplication>

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <tuple>

namespace hadeck::console {

namespace {

QString qs(const std::string& s) { return QString::fromStdString(s); }

QString joinNames(const std::vector<const NodeSnapshot*>& nodes)
{
    QStringList names;
    for (const auto* n : nodes) {
        names << n->name;
    }
    return names.join(QStringLiteral(", "));
}

QStringList nameList(const std::vector<const NodeSnapshot*>& nodes)
{
    QStringList names;
    for (const auto* n : nodes) {
        names << n->name;
    }
    return names;
}

// An agent on a node without IPVS still publishes an (empty) table: only a
// director role or a non-empty table makes a director.
bool isDirector(const NodeSnapshot& n)
{
    return n.hasRole(proto::Role::Director) || (n.hasIpvs && !n.ipvs.empty()) || (n.hasVrrp && !n.vrrp.empty());
}

/// A director whose agent says keepalived is not running there (an agent that does not say is
/// believed as before). Every agent says it; off the directors keepalived is not expected.
bool keepalivedDown(const NodeSnapshot& n)
{
    return isDirector(n) && n.keepalivedRunning.has_value() && !*n.keepalivedRunning;
}

/// VIPs without the "/prefix dev ..." decoration, so "198.18.0.100/32" and
/// "198.18.0.100/24 dev v1" compare equal: keepalived reports them either way.
std::set<std::string> bareVips(const proto::VrrpInstance& i)
{
    std::set<std::string> out;
    for (const auto& v : i.vips) {
        out.insert(v.substr(0, v.find_first_of("/ ")));
    }
    return out;
}

QString joinSet(const std::set<std::string>& s)
{
    QStringList l;
    for (const auto& v : s) {
        l << qs(v);
    }
    return l.isEmpty() ? QCoreApplication::translate("ClusterChecks", "(none)") : l.join(QStringLiteral(" "));
}

} // namespace

namespace {

/// An alarm about one node: its id is PREFIX/NODE, its sentence @p source (translated in the
/// ClusterChecks context) with the node's name as %1.
Alarm nodeAlarm(const NodeSnapshot& n, const char* prefix, AlarmKind kind, Severity severity, const char* source,
                const QString& detail)
{
    Alarm a;
    a.id = QLatin1String(prefix) + QLatin1Char('/') + n.name;
    a.kind = kind;
    a.severity = severity;
    a.nodes = {n.name};
    a.message = TrText::of("ClusterChecks", source, {n.name});
    a.detail = detail;
    a.text = a.message.render();
    return a;
}

} // namespace

void checkReachability(const std::vector<const NodeSnapshot*>& nodes, std::vector<Alarm>& out)
{
    for (const auto* n : nodes) {
        if (n->reachable() && !n->unreadableState.isEmpty()) {
            out.push_back(nodeAlarm(*n, "unreadable", AlarmKind::StateUnreadable, Severity::Warning,
                                    QT_TRANSLATE_NOOP("ClusterChecks", "%1 sent a state this console cannot read; "
                                                                       "its last readable state is shown"),
                                    n->unreadableState));
        }
        switch (n->link) {
        case NodeState::Unreachable:
            // A lost director halves the redundancy of the whole site; a lost web node does not.
            out.push_back(nodeAlarm(*n, "unreachable", AlarmKind::NodeUnreachable,
                                    isDirector(*n) ? Severity::Critical : Severity::Warning,
                                    QT_TRANSLATE_NOOP("ClusterChecks", "%1 is unreachable"), n->lastError));
            break;
        case NodeState::Refused:
            out.push_back(nodeAlarm(*n, "refused", AlarmKind::NodeRefused, Severity::Critical,
                                    QT_TRANSLATE_NOOP("ClusterChecks", "%1 refused the connection (host key or login); "
                                                                       "it is not retried until you act"),
                                    n->lastError));
            break;
        case NodeState::NotInstalled:
            // Not an error: a node of the inventory that has no agent yet. Said once, as
            // information, with what to do.
            out.push_back(
                nodeAlarm(*n, "not-installed", AlarmKind::NodeUnreachable, Severity::Info,
                          QT_TRANSLATE_NOOP("ClusterChecks", "%1 has no HaDeck agent yet: use \"Install agent\" "
                                                             "(or hadeckctl deploy %1)"),
                          n->lastError));
            break;
        case NodeState::VersionMismatch:
            out.push_back(
                nodeAlarm(*n, "version", AlarmKind::NodeRefused, Severity::Warning,
                          QT_TRANSLATE_NOOP("ClusterChecks", "%1 runs an agent of another protocol version: "
                                                             "use \"Upgrade agent\" (or hadeckctl deploy %1)"),
                          n->lastError));
            break;
        case NodeState::ProtocolError:
            out.push_back(nodeAlarm(*n, "protocol", AlarmKind::NodeUnreachable,
                                    isDirector(*n) ? Severity::Critical : Severity::Warning,
                                    QT_TRANSLATE_NOOP("ClusterChecks", "%1 sent something this console cannot read "
                                                                       "(protocol error); it is retried"),
                                    n->lastError));
            break;
        case NodeState::Connecting:
        case NodeState::Online:
        case NodeState::Degraded: break;
        }
    }
}

QStringList directorsAwaitingVrrp(const std::vector<const NodeSnapshot*>& nodes)
{
    QStringList out;
    for (const auto* n : nodes) {
        // Unreachable and refused nodes have alarms of their own and may never answer:
        // waiting for them would hide a real outage.
        const bool pending = n->link == NodeState::Connecting || (n->reachable() && !n->hasVrrp);
        if (pending && isDirector(*n)) {
            out << n->name;
        }
    }
    return out;
}

void checkVrrp(const std::vector<const NodeSnapshot*>& nodes, std::vector<Alarm>& out)
{
    for (const auto* n : nodes) {
        if (!n->reachable() || !keepalivedDown(*n)) {
            continue;
        }
        Alarm a;
        a.id = QStringLiteral("keepalived-down/") + n->name;
        a.kind = AlarmKind::KeepalivedDown;
        a.severity = Severity::Critical;
        a.nodes = {n->name};
        a.message = TrText::of("ClusterChecks", QT_TRANSLATE_NOOP("ClusterChecks", "keepalived is not running on %1"),
                               {n->name});
        QStringList held;
        for (const auto& inst : n->vrrp) {
            if (inst.holdsVips) {
                held << qs(inst.name);
            }
        }
        if (!held.isEmpty()) {
            a.detail = QCoreApplication::translate("ClusterChecks", "its VIPs are still up: %1")
                           .arg(held.join(QStringLiteral(", ")));
        }
        a.text = a.message.render();
        out.push_back(a);
    }
    const bool awaiting = !directorsAwaitingVrrp(nodes).isEmpty();
    // One VRRP group: a VRID within one address family (keepalived allows the same
    // VRID for IPv4 and IPv6, and on different interfaces of one node).
    struct GroupKey {
        int vrid = 0;
        bool ipv6 = false;
        std::string interface; // set only where one node runs the VRID twice in a family
        bool operator<(const GroupKey& o) const
        {
            return std::tie(vrid, ipv6, interface) < std::tie(o.vrid, o.ipv6, o.interface);
        }
    };
    using Members = std::vector<std::pair<const NodeSnapshot*, const proto::VrrpInstance*>>;
    const auto isV6 = [](const proto::VrrpInstance& inst) {
        return !inst.vips.empty() && inst.vips.front().find(':') != std::string::npos;
    };
    std::map<GroupKey, Members> byFamily;
    for (const auto* n : nodes) {
        if (!n->reachable() || !n->hasVrrp) {
            continue;
        }
        for (const auto& inst : n->vrrp) {
            byFamily[GroupKey{inst.vrid, isV6(inst), {}}].emplace_back(n, &inst);
        }
    }
    std::map<GroupKey, Members> groups;
    for (auto& [key, members] : byFamily) {
        std::set<const NodeSnapshot*> seen;
        bool twice = false;
        for (const auto& m : members) {
            twice = twice || !seen.insert(m.first).second;
        }
        for (const auto& m : members) {
            GroupKey k = key;
            if (twice) {
                k.interface = m.second->interface;
            }
            groups[k].push_back(m);
        }
    }
    for (const auto& [key, members] : groups) {
        const int vrid = key.vrid;
        QString suffix;
        if (key.ipv6) {
            suffix += QStringLiteral("/ipv6");
        }
        if (!key.interface.empty()) {
            suffix += QLatin1Char('/') + qs(key.interface);
        }
        // A node counts once, however many of its instances claim MASTER. A node whose
        // keepalived is not running is never MASTER, whatever it said last; if it still
        // holds the VIPs (kill -9 leaves them up), it competes for them all the same.
        std::vector<const NodeSnapshot*> masters;
        std::vector<const NodeSnapshot*> contenders;  // masters, and dead nodes still holding the VIPs
        std::vector<const NodeSnapshot*> deadHolders; // dead nodes still holding the VIPs
        std::vector<const NodeSnapshot*> dead;
        const auto addOnce = [](std::vector<const NodeSnapshot*>& v, const NodeSnapshot* n) {
            if (std::find(v.begin(), v.end(), n) == v.end()) {
                v.push_back(n);
            }
        };
        for (const auto& [n, inst] : members) {
            const bool down = keepalivedDown(*n);
            const bool master = !down && inst->state == proto::VrrpState::Master;
            const bool stranded = down && inst->holdsVips;
            if (master) {
                addOnce(masters, n);
            }
            if (master || stranded) {
                addOnce(contenders, n);
            }
            if (stranded) {
                addOnce(deadHolders, n);
            }
            if (down) {
                addOnce(dead, n);
            }
        }
        const QString iname = qs(members.front().second->name);
        if (contenders.size() > 1) {
            Alarm a;
            a.id = QStringLiteral("split-brain/%1").arg(vrid) + suffix;
            a.kind = AlarmKind::SplitBrain;
            a.severity = Severity::Critical;
            a.nodes = nameList(contenders);
            if (deadHolders.empty()) {
                a.message = TrText::of("ClusterChecks",
                                       QT_TRANSLATE_NOOP("ClusterChecks", "Split brain: VRID %1 (%2) is MASTER on %3 at once"),
                                       {QString::number(vrid), iname, joinNames(masters)});
            } else {
                a.message = TrText::of("ClusterChecks",
                                       QT_TRANSLATE_NOOP("ClusterChecks",
                                                         "Split brain: the VIPs of VRID %1 (%2) are up on %3 at once; "
                                                         "keepalived is not running on %4, the likely cause (its VIPs "
                                                         "stay up after it dies)"),
                                       {QString::number(vrid), iname, joinNames(contenders), joinNames(deadHolders)});
            }
            a.text = a.message.render();
            out.push_back(a);
        } else if (masters.empty() && contenders.empty() && !awaiting) {
            std::vector<const NodeSnapshot*> all;
            QStringList states;
            for (const auto& [n, inst] : members) {
                all.push_back(n);
                states << n->name + QLatin1Char('=') + vrrpStateName(inst->state);
            }
            Alarm a;
            a.id = QStringLiteral("no-master/%1").arg(vrid) + suffix;
            a.kind = AlarmKind::NoMaster;
            a.severity = Severity::Critical;
            a.nodes = nameList(all);
            if (dead.empty()) {
                a.message = TrText::of("ClusterChecks",
                                       QT_TRANSLATE_NOOP("ClusterChecks", "No MASTER for VRID %1 (%2): its VIPs are down"),
                                       {QString::number(vrid), iname});
            } else {
                a.message = TrText::of("ClusterChecks",
                                       QT_TRANSLATE_NOOP("ClusterChecks", "No MASTER for VRID %1 (%2): its VIPs are down; "
                                                                          "keepalived is not running on %3"),
                                       {QString::number(vrid), iname, joinNames(dead)});
            }
            a.detail = states.join(QStringLiteral(", "));
            a.text = a.message.render();
            out.push_back(a);
        }
        if (members.size() > 1) {
            const auto reference = bareVips(*members.front().second);
            for (std::size_t i = 1; i < members.size(); ++i) {
                const auto other = bareVips(*members[i].second);
                if (other == reference) {
                    continue;
                }
                Alarm a;
                a.id = QStringLiteral("vip-diff/%1/%2").arg(vrid).arg(members[i].first->name) + suffix;
                a.kind = AlarmKind::VipSetDiffers;
                a.severity = Severity::Warning;
                a.nodes = {members.front().first->name, members[i].first->name};
                a.message = TrText::of("ClusterChecks",
                                       QT_TRANSLATE_NOOP("ClusterChecks", "VIP sets of VRID %1 differ between %2 and %3: "
                                                                          "a failover would lose addresses"),
                                       {QString::number(vrid), members.front().first->name, members[i].first->name});
                a.detail = QStringLiteral("%1: %2 | %3: %4")
                               .arg(members.front().first->name, joinSet(reference), members[i].first->name,
                                    joinSet(other));
                a.text = a.message.render();
                out.push_back(a);
            }
        }
    }
}

void checkIpvsDrift(const std::vector<const NodeSnapshot*>& nodes, std::vector<Alarm>& out)
{
    std::vector<const NodeSnapshot*> directors;
    for (const auto* n : nodes) {
        if (n->reachable() && n->hasIpvs && isDirector(*n)) {
            directors.push_back(n);
        }
    }
    if (directors.size() < 2) {
        return;
    }
    // Directors configured alike list the same services and real servers in the
    // same order: compare in place first, and build the keyed tables only when that fails.
    const auto sameInPlace = [](const NodeSnapshot& a, const NodeSnapshot& b) {
        if (a.ipvs.size() != b.ipvs.size()) {
            return false;
        }
        for (std::size_t i = 0; i < a.ipvs.size(); ++i) {
            const auto& sa = a.ipvs[i];
            const auto& sb = b.ipvs[i];
            if (sa.port != sb.port || sa.fwmark != sb.fwmark || sa.af != sb.af || sa.address != sb.address ||
                sa.protocol != sb.protocol || sa.realServers.size() != sb.realServers.size()) {
                return false;
            }
            for (std::size_t j = 0; j < sa.realServers.size(); ++j) {
                const auto& ra = sa.realServers[j];
                const auto& rb = sb.realServers[j];
                if (ra.port != rb.port || ra.weight != rb.weight || ra.address != rb.address) {
                    return false;
                }
            }
        }
        return true;
    };
    using Table = std::map<std::string, std::map<std::string, std::uint32_t>>; // service -> endpoint -> weight
    const auto tableOf = [](const NodeSnapshot& n) {
        Table t;
        for (const auto& vs : n.ipvs) {
            auto& dests = t[vs.key()];
            for (const auto& rs : vs.realServers) {
                dests[rs.endpoint()] = rs.weight;
            }
        }
        return t;
    };
    const auto* refNode = directors.front();
    std::optional<Table> refTable;
    for (std::size_t i = 1; i < directors.size(); ++i) {
        const auto* other = directors[i];
        if (sameInPlace(*refNode, *other)) {
            continue;
        }
        if (!refTable) {
            refTable = tableOf(*refNode);
        }
        const Table& ref = *refTable;
        const Table t = tableOf(*other);
        if (t == ref) {
            continue;
        }
        // Name the first difference: that is what the admin needs to start with.
        QStringList diffs;
        for (const auto& [svc, dests] : ref) {
            const auto it = t.find(svc);
            if (it == t.end()) {
                diffs << QCoreApplication::translate("ClusterChecks", "%1 missing on %2").arg(qs(svc), other->name);
                continue;
            }
            for (const auto& [ep, w] : dests) {
                const auto d = it->second.find(ep);
                if (d == it->second.end()) {
                    diffs << QCoreApplication::translate("ClusterChecks", "%1 %2 missing on %3")
                                 .arg(qs(svc), qs(ep), other->name);
                } else if (d->second != w) {
                    diffs << QCoreApplication::translate("ClusterChecks", "%1 %2 weight %3 on %4, %5 on %6")
                                 .arg(qs(svc), qs(ep))
                                 .arg(w)
                                 .arg(refNode->name)
                                 .arg(d->second)
                                 .arg(other->name);
                }
            }
            for (const auto& [ep, w] : it->second) {
                if (dests.count(ep) == 0) {
                    diffs << QCoreApplication::translate("ClusterChecks", "%1 %2 missing on %3")
                                 .arg(qs(svc), qs(ep), refNode->name);
                }
            }
        }
        for (const auto& [svc, dests] : t) {
            if (ref.count(svc) == 0) {
                diffs << QCoreApplication::translate("ClusterChecks", "%1 missing on %2").arg(qs(svc), refNode->name);
            }
        }
        Alarm a;
        a.id = QStringLiteral("ipvs-diff/%1/%2").arg(refNode->name, other->name);
        a.kind = AlarmKind::IpvsTableDiffers;
        a.severity = Severity::Warning;
        a.nodes = {refNode->name, other->name};
        const int count = static_cast<int>(diffs.size());
        a.message = TrText::of(
            "ClusterChecks",
            QT_TRANSLATE_NOOP("ClusterChecks", "IPVS tables differ between %1 and %2 (%n difference(s))"),
            {refNode->name, other->name}, count);
        a.detail = diffs.mid(0, 5).join(QStringLiteral("; "));
        a.text = a.message.render();
        out.push_back(a);
    }
}

void checkDrConformance(const std::vector<const NodeSnapshot*>& nodes, std::vector<Alarm>& out)
{
    // Only failing nodes need the IPVS scan, and usually none fails.
    std::map<std::string, const NodeSnapshot*> failing; // address -> node
    for (const auto* n : nodes) {
        if (n->drCheck && !n->drCheck->ok) {
            failing.emplace(n->address.toStdString(), n);
        }
    }
    if (failing.empty()) {
        return;
    }
    std::set<std::string> inIpvs; // failing addresses some director routes to
    for (const auto* n : nodes) {
        if (!n->hasIpvs) {
            continue;
        }
        for (const auto& vs : n->ipvs) {
            for (const auto& rs : vs.realServers) {
                if (rs.forward == proto::ForwardMethod::Route && failing.count(rs.address) != 0) {
                    inIpvs.insert(rs.address);
                }
            }
        }
    }
    for (const auto& [address, n] : failing) {
        const bool served = inIpvs.count(address) != 0;
        Alarm a;
        a.id = QStringLiteral("dr-check/") + n->name;
        a.kind = AlarmKind::DrCheckFailed;
        // In IPVS, a non-conforming real server steals ARP for the VIP or drops
        // the director's packets: that is an outage, not a style issue.
        a.severity = served ? Severity::Critical : Severity::Warning;
        a.nodes = {n->name};
        a.message = served ? TrText::of("ClusterChecks",
                                        QT_TRANSLATE_NOOP("ClusterChecks", "%1 is in IPVS but fails the LVS-DR check"),
                                        {n->name})
                           : TrText::of("ClusterChecks",
                                        QT_TRANSLATE_NOOP("ClusterChecks", "%1 fails the LVS-DR check"), {n->name});
        a.detail = n->drCheck->failureSummary();
        a.text = a.message.render();
        out.push_back(a);
    }
}

void sortAlarms(std::vector<Alarm>& alarms)
{
    std::stable_sort(alarms.begin(), alarms.end(), [](const Alarm& a, const Alarm& b) {
        if (a.severity != b.severity) {
            return a.severity > b.severity;
        }
        return a.id < b.id;
    });
}

QString TrText::render() const
{
    if (context == nullptr) {
        QString out = literal;
        for (const auto& a : args) {
            out += a.render();
        }
        return out;
    }
    const QString text = QCoreApplication::translate(context, source, nullptr, n);
    if (args.empty()) {
        return text;
    }
    // One pass over the translation, so a node name that contains "%2" stays as it is.
    QStringList values;
    for (const auto& a : args) {
        values << a.render();
    }
    QString out;
    out.reserve(text.size() + 32);
    for (qsizetype i = 0; i < text.size(); ++i) {
        if (text[i] == QLatin1Char('%') && i + 1 < text.size() && text[i + 1].isDigit()) {
            qsizetype j = i + 1;
            int number = 0;
            while (j < text.size() && text[j].isDigit() && j - i <= 2) {
                number = number * 10 + text[j].digitValue();
                ++j;
            }
            if (number >= 1 && number <= values.size()) {
                out += values[number - 1];
                i = j - 1;
                continue;
            }
        }
        out += text[i];
    }
    return out;
}

std::vector<Alarm> runClusterChecks(const std::vector<const NodeSnapshot*>& nodes)
{
    std::vector<Alarm> out;
    checkReachability(nodes, out);
    checkVrrp(nodes, out);
    checkIpvsDrift(nodes, out);
    checkDrConformance(nodes, out);
    sortAlarms(out);
    return out;
}

} // namespace hadeck::console
