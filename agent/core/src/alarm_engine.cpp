#include "hadeck/agent/alarm_engine.h"

#include "hadeck/protocol/wire.h"

#include <algorithm>
#include <cstdio>
#include <set>

namespace hadeck::agent {

using proto::Alarm;
using proto::AlarmSeverity;
using proto::AlarmState;
namespace R = alarm_rules;

namespace {

std::string fmt(double v)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f", v);
    return buf;
}

std::string keyOf(std::string_view rule, std::string_view subject)
{
    std::string k(rule);
    k += ':';
    k += subject;
    return k;
}

} // namespace

AlarmRules AlarmRules::defaults()
{
    AlarmRules r;
    const auto add = [&](std::string_view name, double threshold, std::int64_t duration, AlarmSeverity s) {
        r.rules.emplace(std::string(name), AlarmRule{true, threshold, duration, s});
    };
    add(R::kVrrpStateChange, 0, 300, AlarmSeverity::Warning); // duration: hold time of the one-off alarm
    add(R::kVrrpFault, 0, 2, AlarmSeverity::Critical);
    add(R::kKeepalivedDown, 0, 0, AlarmSeverity::Critical);
    add(R::kVrrpMasterWithoutVip, 0, 3, AlarmSeverity::Critical);
    add(R::kVrrpBackupWithVip, 0, 3, AlarmSeverity::Critical);
    add(R::kRealServerDown, 0, 0, AlarmSeverity::Warning);
    add(R::kServiceNoHealthy, 0, 2, AlarmSeverity::Critical);
    add(R::kReplicationStopped, 0, 10, AlarmSeverity::Critical);
    add(R::kReplicationLag, 60, 30, AlarmSeverity::Warning); // seconds behind the master
    add(R::kChunkserverDisconnected, 0, 30, AlarmSeverity::Critical);
    add(R::kMissingChunks, 0, 0, AlarmSeverity::Critical);    // more than threshold chunks
    add(R::kUndergoalChunks, 0, 300, AlarmSeverity::Warning);
    add(R::kDiskFull, 90, 60, AlarmSeverity::Warning);        // % used
    add(R::kLoad, 2, 300, AlarmSeverity::Warning);            // load5 over threshold x cores
    add(R::kMemoryPressure, 10, 60, AlarmSeverity::Warning);  // PSI memory some avg10 %
    add(R::kApacheBusy, 90, 60, AlarmSeverity::Warning);      // % of ServerLimit
    add(R::kFirewallRollback, 0, 3600, AlarmSeverity::Critical); // duration: hold time
    add(R::kDrainHeld, 4, 0, AlarmSeverity::Warning);         // hours
    return r;
}

const AlarmRule* AlarmRules::find(std::string_view name) const
{
    const auto it = rules.find(name);
    return it == rules.end() ? nullptr : &it->second;
}

Expected<AlarmRules> AlarmRules::fromConfig(const rpc::Json& table, std::vector<std::string>& warnings)
{
    AlarmRules r = defaults();
    if (table.is_null()) {
        return r;
    }
    try {
        proto::wire::requireObject(table, "[modules.alarms]");
        for (const auto& [key, value] : table.items()) {
            if (key == "history") {
                std::int64_t h = 0;
                proto::wire::req(table, "history", h, std::int64_t{1}, std::int64_t{100000});
                r.historyLimit = static_cast<std::size_t>(h);
            } else if (key == "rules") {
                proto::wire::requireObject(value, "[modules.alarms.rules]");
                for (const auto& [name, rj] : value.items()) {
                    auto it = r.rules.find(name);
                    if (it == r.rules.end()) {
                        warnings.push_back("[modules.alarms.rules] unknown rule \"" + name + "\"");
                        continue;
                    }
                    proto::wire::requireObject(rj, name);
                    AlarmRule& rule = it->second;
                    for (const auto& [k, _] : rj.items()) {
                        if (k == "threshold") {
                            proto::wire::req(rj, "threshold", rule.threshold);
                            if (rule.threshold < 0) {
                                proto::wire::fail(name + ".threshold", "must not be negative");
                            }
                        } else if (k == "duration_s") {
                            proto::wire::req(rj, "duration_s", rule.durationSeconds, std::int64_t{0},
                                             std::int64_t{7 * 24 * 3600});
                        } else if (k == "enabled") {
                            proto::wire::req(rj, "enabled", rule.enabled);
                        } else if (k == "severity") {
                            proto::wire::reqEnum(rj, "severity", rule.severity, proto::alarmSeverityFromString);
                        } else {
                            warnings.push_back("[modules.alarms.rules.\"" + name + "\"] unknown key \"" + k + "\"");
                        }
                    }
                }
            } else {
                warnings.push_back("[modules.alarms] unknown key \"" + key + "\"");
            }
        }
    } catch (const proto::wire::DecodeError& e) {
        return fail(std::string("[modules.alarms]: ") + e.what());
    } catch (const rpc::Json::exception& e) {
        return fail(std::string("[modules.alarms]: ") + e.what());
    }
    return r;
}

AlarmEngine::AlarmEngine(AlarmRules rules, std::string node) : m_rules(std::move(rules)), m_node(std::move(node)) {}

void AlarmEngine::setRules(AlarmRules rules)
{
    m_rules = std::move(rules);
    while (m_history.size() > m_rules.historyLimit) {
        m_history.pop_front();
    }
}

void AlarmEngine::collect(const AlarmInputs& in, std::int64_t now, std::vector<Condition>& out) const
{
    using proto::VrrpState;
    const auto threshold = [&](std::string_view rule) {
        const AlarmRule* r = m_rules.find(rule);
        return r ? r->threshold : 0.0;
    };
    // Only where keepalived has instances to run: on other nodes it is not expected.
    if (in.keepalivedRunning && !*in.keepalivedRunning && in.vrrp && !in.vrrp->empty()) {
        out.push_back({std::string(R::kKeepalivedDown), "keepalived",
                       "keepalived is not running on " + m_node + ": its VRRP instances and health checks are stopped",
                       1});
    }
    if (in.vrrp) {
        for (const auto& v : *in.vrrp) {
            if (v.state == VrrpState::Fault) {
                out.push_back({std::string(R::kVrrpFault), v.name, "VRRP instance " + v.name + " is in FAULT", 1});
            }
            if (v.state == VrrpState::Master && !v.vips.empty() && !v.holdsVips) {
                out.push_back({std::string(R::kVrrpMasterWithoutVip), v.name,
                               "VRRP instance " + v.name + " is MASTER but its virtual addresses are not on this node", 1});
            }
            if (v.state == VrrpState::Backup && v.holdsVips) {
                out.push_back({std::string(R::kVrrpBackupWithVip), v.name,
                               "VRRP instance " + v.name + " is BACKUP but holds its virtual addresses", 1});
            }
        }
    }
    for (const auto& [subject, state] : in.realServerHealth) {
        if (state == "DOWN") {
            out.push_back({std::string(R::kRealServerDown), subject, "keepalived sees real server " + subject + " DOWN", 1});
        }
    }
    if (in.ipvs) {
        for (const auto& vs : *in.ipvs) {
            const auto healthy = std::count_if(vs.realServers.begin(), vs.realServers.end(),
                                               [](const proto::RealServer& rs) { return rs.weight > 0; });
            if (healthy == 0) {
                out.push_back({std::string(R::kServiceNoHealthy), vs.key(),
                               "virtual service " + vs.key() + " has no real server with a weight above 0 (" +
                                   std::to_string(vs.realServers.size()) + " listed)",
                               0});
            }
        }
    }
    if (in.db && in.db->state == proto::DbState::Ok && in.db->replica) {
        const auto& rep = *in.db->replica;
        if (rep.ioRunning != "Yes" || rep.sqlRunning != "Yes") {
            std::string msg = "replication stopped: IO thread " + rep.ioRunning + ", SQL thread " + rep.sqlRunning;
            if (!rep.lastIoError.empty()) {
                msg += "; IO error: " + rep.lastIoError;
            }
            if (!rep.lastSqlError.empty()) {
                msg += "; SQL error: " + rep.lastSqlError;
            }
            out.push_back({std::string(R::kReplicationStopped), rep.masterHost, std::move(msg), 1});
        } else if (rep.lagSeconds && static_cast<double>(*rep.lagSeconds) > threshold(R::kReplicationLag)) {
            out.push_back({std::string(R::kReplicationLag), rep.masterHost,
                           "replica " + std::to_string(*rep.lagSeconds) + " s behind " + rep.masterHost,
                           static_cast<double>(*rep.lagSeconds)});
        }
    }
    if (in.mfs && in.mfs->ok) {
        for (const auto& cs : in.mfs->chunkservers) {
            if (!cs.connected) {
                const std::string who = cs.host + ":" + std::to_string(cs.port);
                out.push_back({std::string(R::kChunkserverDisconnected), who,
                               "MooseFS chunkserver " + who + " is disconnected", 1});
            }
        }
        if (in.mfs->master) {
            const auto missing = static_cast<double>(in.mfs->master->missingChunks);
            if (missing > threshold(R::kMissingChunks)) {
                out.push_back({std::string(R::kMissingChunks), "",
                               "MooseFS has " + std::to_string(in.mfs->master->missingChunks) + " missing chunks", missing});
            }
            const auto under = static_cast<double>(in.mfs->master->undergoalChunks);
            if (under > threshold(R::kUndergoalChunks)) {
                out.push_back({std::string(R::kUndergoalChunks), "",
                               "MooseFS has " + std::to_string(in.mfs->master->undergoalChunks) + " undergoal chunks",
                               under});
            }
        }
    }
    if (in.host) {
        for (const auto& fs : in.host->filesystems) {
            const auto denom = static_cast<double>(fs.usedBytes + fs.availBytes);
            if (denom <= 0) {
                continue;
            }
            const double pct = 100.0 * static_cast<double>(fs.usedBytes) / denom;
            if (pct > threshold(R::kDiskFull)) {
                out.push_back({std::string(R::kDiskFull), fs.mountPoint,
                               "filesystem " + fs.mountPoint + " is " + fmt(pct) + " % full", pct});
            }
        }
        const double limit = threshold(R::kLoad) * std::max(1, in.cpuCount);
        if (in.host->load5 > limit) {
            out.push_back({std::string(R::kLoad), "",
                           "load average " + fmt(in.host->load5) + " is over " + fmt(limit) + " (" +
                               std::to_string(in.cpuCount) + " cores)",
                           in.host->load5});
        }
        if (in.host->memoryPressure && in.host->memoryPressure->someAvg10 > threshold(R::kMemoryPressure)) {
            out.push_back({std::string(R::kMemoryPressure), "",
                           "memory pressure: tasks stalled " + fmt(in.host->memoryPressure->someAvg10) +
                               " % of the last 10 s",
                           in.host->memoryPressure->someAvg10});
        }
    }
    if (in.apache && in.apache->state == proto::ApacheState::Ok && in.apache->serverLimit > 0) {
        const double pct = 100.0 * in.apache->busyWorkers / in.apache->serverLimit;
        if (pct > threshold(R::kApacheBusy)) {
            out.push_back({std::string(R::kApacheBusy), "",
                           "Apache has " + std::to_string(in.apache->busyWorkers) + " of " +
                               std::to_string(in.apache->serverLimit) + " workers busy (" + fmt(pct) + " %)",
                           pct});
        }
    }
    for (const auto& d : in.drains) {
        const double hours = static_cast<double>(now - d.since) / 3600.0;
        if (d.since > 0 && hours > threshold(R::kDrainHeld)) {
            out.push_back({std::string(R::kDrainHeld), d.dest + " " + d.service,
                           "real server " + d.dest + " drained for " + fmt(hours) + " h (drain " + d.id + ")", hours});
        }
    }
}

Alarm& AlarmEngine::raise(const Condition& c, const AlarmRule& rule, std::int64_t now)
{
    Alarm a;
    a.id = m_nextId++;
    a.key = keyOf(c.rule, c.subject);
    a.rule = c.rule;
    a.severity = rule.severity;
    a.node = m_node;
    a.subject = c.subject;
    a.message = c.message;
    a.state = AlarmState::Raised;
    a.value = c.value;
    a.threshold = rule.threshold;
    a.raisedAt = now;
    a.lastSeen = now;
    auto [it, _] = m_active.insert_or_assign(a.key, std::move(a));
    return it->second;
}

Alarm AlarmEngine::clear(std::map<std::string, Alarm>::iterator it, std::int64_t now)
{
    Alarm a = std::move(it->second);
    m_active.erase(it);
    m_eventUntil.erase(a.key);
    m_restoredUntil.erase(a.key);
    a.state = AlarmState::Cleared;
    a.clearedAt = now;
    m_history.push_back(a);
    while (m_history.size() > m_rules.historyLimit) {
        m_history.pop_front();
    }
    return a;
}

std::vector<Alarm> AlarmEngine::evaluate(const AlarmInputs& inputs, std::int64_t now)
{
    std::vector<Condition> conditions;
    collect(inputs, now, conditions);
    std::vector<Alarm> changes;
    std::set<std::string> present;
    for (const auto& c : conditions) {
        const AlarmRule* rule = m_rules.find(c.rule);
        if (!rule || !rule->enabled) {
            continue;
        }
        const std::string key = keyOf(c.rule, c.subject);
        present.insert(key);
        m_restoredUntil.erase(key); // seen again: an ordinary alarm from now on
        if (auto it = m_active.find(key); it != m_active.end()) {
            it->second.lastSeen = now;
            it->second.value = c.value;
            it->second.message = c.message;
            continue;
        }
        const auto [pending, fresh] = m_pendingSince.try_emplace(key, now);
        if (now - pending->second >= rule->durationSeconds) {
            m_pendingSince.erase(pending);
            changes.push_back(raise(c, *rule, now));
        }
    }
    std::erase_if(m_pendingSince, [&](const auto& p) { return !present.contains(p.first); });
    for (auto it = m_active.begin(); it != m_active.end();) {
        const std::string& key = it->first;
        bool clearIt = false;
        if (const auto ev = m_eventUntil.find(key); ev != m_eventUntil.end()) {
            clearIt = now >= ev->second;
        } else if (!m_external.contains(key)) {
            const AlarmRule* rule = m_rules.find(it->second.rule);
            clearIt = !present.contains(key) || !rule || !rule->enabled;
            if (const auto restored = m_restoredUntil.find(key); restored != m_restoredUntil.end()) {
                if (clearIt && now < restored->second && rule && rule->enabled) {
                    clearIt = false; // restored at start: the probes may not have sampled yet
                } else {
                    m_restoredUntil.erase(restored);
                }
            }
        }
        if (clearIt) {
            auto next = std::next(it);
            changes.push_back(clear(it, now));
            it = next;
        } else {
            ++it;
        }
    }
    return changes;
}

std::vector<Alarm> AlarmEngine::onEvent(const rpc::Json& event, std::int64_t now)
{
    std::vector<Alarm> changes;
    if (!event.is_object()) {
        return changes;
    }
    const auto str = [&](std::string_view k) {
        const auto it = event.find(k);
        return it != event.end() && it->is_string() ? it->get<std::string>() : std::string();
    };
    const std::string type = str("type");
    Condition c;
    if (type == proto::alarm_events::kVrrpTransition) {
        c = {std::string(R::kVrrpStateChange), str("instance"),
             "VRRP instance " + str("instance") + " went from " + str("from") + " to " + str("to"), 1};
    } else if (type == proto::alarm_events::kFirewallRollback) {
        std::string what = str("table");
        c = {std::string(R::kFirewallRollback), what,
             "the firewall ruleset" + (what.empty() ? std::string() : " " + what) + " was rolled back" +
                 (str("reason").empty() ? std::string() : ": " + str("reason")),
             1};
    } else {
        return changes;
    }
    const AlarmRule* rule = m_rules.find(c.rule);
    if (!rule || !rule->enabled) {
        return changes;
    }
    const std::string key = keyOf(c.rule, c.subject);
    if (auto it = m_active.find(key); it != m_active.end()) {
        // De-duplicated: the same alarm, newer facts, held longer.
        it->second.lastSeen = now;
        it->second.message = c.message;
        it->second.value += 1; // occurrences while raised
        m_eventUntil[key] = now + rule->durationSeconds;
        return changes;
    }
    changes.push_back(raise(c, *rule, now));
    m_eventUntil[key] = now + rule->durationSeconds;
    return changes;
}

std::optional<Alarm> AlarmEngine::raiseExternal(std::string rule, std::string subject, std::string message,
                                                AlarmSeverity severity, std::int64_t now)
{
    const std::string key = keyOf(rule, subject);
    m_external.insert(key);
    if (auto it = m_active.find(key); it != m_active.end()) {
        it->second.lastSeen = now;
        it->second.message = std::move(message);
        return std::nullopt;
    }
    const AlarmRule r{true, 0, 0, severity};
    return raise(Condition{std::move(rule), std::move(subject), std::move(message), 1}, r, now);
}

std::optional<Alarm> AlarmEngine::clearExternal(std::string_view rule, std::string_view subject, std::int64_t now)
{
    const std::string key = keyOf(rule, subject);
    m_external.erase(key);
    if (auto it = m_active.find(key); it != m_active.end()) {
        return clear(it, now);
    }
    return std::nullopt;
}

Expected<Alarm> AlarmEngine::acknowledge(std::uint64_t id, std::string user, std::string comment, std::int64_t now)
{
    const auto ack = [&](Alarm& a) {
        a.acknowledged = true;
        a.ackBy = std::move(user);
        a.ackAt = now;
        a.ackComment = std::move(comment);
        return a;
    };
    for (auto& [_, a] : m_active) {
        if (a.id == id) {
            return ack(a);
        }
    }
    for (auto& a : m_history) {
        if (a.id == id) {
            return ack(a);
        }
    }
    return fail("no alarm with id " + std::to_string(id) + " (it may have left the bounded history)",
                rpc::InvalidParams);
}

std::vector<Alarm> AlarmEngine::active() const
{
    std::vector<Alarm> out;
    out.reserve(m_active.size());
    for (const auto& [_, a] : m_active) {
        out.push_back(a);
    }
    std::sort(out.begin(), out.end(), [](const Alarm& a, const Alarm& b) { return a.id < b.id; });
    return out;
}

std::vector<Alarm> AlarmEngine::history(std::size_t limit) const
{
    std::vector<Alarm> out;
    for (auto it = m_history.rbegin(); it != m_history.rend() && out.size() < limit; ++it) {
        out.push_back(*it);
    }
    return out;
}

} // namespace hadeck::agent

namespace hadeck::agent {

AlarmEngineState AlarmEngine::state() const
{
    AlarmEngineState s;
    s.nextId = m_nextId;
    s.active = active();
    s.history.assign(m_history.begin(), m_history.end());
    return s;
}

void AlarmEngine::restore(AlarmEngineState saved, std::int64_t now, std::int64_t graceSeconds)
{
    std::uint64_t maxId = 0;
    for (auto& a : saved.history) {
        maxId = std::max(maxId, a.id);
        a.state = AlarmState::Cleared;
        m_history.push_back(std::move(a));
    }
    while (m_history.size() > m_rules.historyLimit) {
        m_history.pop_front();
    }
    for (auto& a : saved.active) {
        maxId = std::max(maxId, a.id);
        if (a.key.empty() || a.key != keyOf(a.rule, a.subject) || m_active.contains(a.key)) {
            continue;
        }
        a.state = AlarmState::Raised;
        a.node = m_node;
        const std::string key = a.key;
        const std::string rule = a.rule;
        const std::int64_t lastSeen = a.lastSeen;
        m_active.emplace(key, std::move(a));
        if (rule == R::kVrrpStateChange || rule == R::kFirewallRollback) {
            const AlarmRule* r = m_rules.find(rule);
            m_eventUntil[key] = lastSeen + (r ? r->durationSeconds : 0);
        } else if (rule == R::kChannelFailing) {
            m_external.insert(key);
        } else {
            m_restoredUntil[key] = now + graceSeconds;
        }
    }
    m_nextId = std::max({m_nextId, saved.nextId, maxId + 1});
}

} // namespace hadeck::agent
