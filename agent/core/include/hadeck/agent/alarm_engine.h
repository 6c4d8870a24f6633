#pragma once

// The agent's alarm engine: pure over the probes' state. It lives in agent/core
// (not agent/probes or agent/actions) because it depends only on the wire types
// of agent/protocol, reads no file and changes nothing on the node; the
// AlarmModule (alarm_module.h) feeds it the modules' published snapshots and
// events and puts its results on the socket.
//
// Each rule has a threshold and a duration: a condition must hold for the
// duration before its alarm is raised, and the alarm clears as soon as the
// condition is gone. One-off events (a VRRP state change, a firewall rollback)
// raise at once and clear after the rule's duration (their hold time).
//
// Rules come from agent.toml:
//   [modules.alarms]
//   history = 500                          # cleared alarms kept
//   [modules.alarms.rules."host.disk"]     # any rule of AlarmRules::defaults()
//   threshold = 90
//   duration_s = 60
//   severity = "critical"                  # info, warning, critical
//   enabled = true

#include "hadeck/protocol/alarms.h"
#include "hadeck/protocol/appdata.h"
#include "hadeck/protocol/director.h"
#include "hadeck/protocol/expected.h"

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace hadeck::agent {

struct AlarmRule {
    bool enabled = true;
    double threshold = 0;
    std::int64_t durationSeconds = 0;
    proto::AlarmSeverity severity = proto::AlarmSeverity::Warning;
};

namespace alarm_rules {
inline constexpr std::string_view kVrrpStateChange = "vrrp.stateChange";
inline constexpr std::string_view kVrrpFault = "vrrp.fault";
inline constexpr std::string_view kKeepalivedDown = "keepalived.down";
inline constexpr std::string_view kVrrpMasterWithoutVip = "vrrp.masterWithoutVip";
inline constexpr std::string_view kVrrpBackupWithVip = "vrrp.backupWithVip";
inline constexpr std::string_view kRealServerDown = "ipvs.realServerDown";
inline constexpr std::string_view kServiceNoHealthy = "ipvs.serviceNoHealthy";
inline constexpr std::string_view kReplicationStopped = "db.replicationStopped";
inline constexpr std::string_view kReplicationLag = "db.replicationLag";
inline constexpr std::string_view kChunkserverDisconnected = "mfs.chunkserverDisconnected";
inline constexpr std::string_view kMissingChunks = "mfs.missingChunks";
inline constexpr std::string_view kUndergoalChunks = "mfs.undergoalChunks";
inline constexpr std::string_view kDiskFull = "host.disk";
inline constexpr std::string_view kLoad = "host.load";
inline constexpr std::string_view kMemoryPressure = "host.memoryPressure";
inline constexpr std::string_view kApacheBusy = "apache.busy";
inline constexpr std::string_view kFirewallRollback = "firewall.rollback";
inline constexpr std::string_view kDrainHeld = "drain.held";
/// Raised by the notification channels (not a rule of the engine): a channel that keeps failing.
inline constexpr std::string_view kChannelFailing = "notify.channelFailing";
} // namespace alarm_rules

struct AlarmRules {
    std::map<std::string, AlarmRule, std::less<>> rules;
    std::size_t historyLimit = 500;

    /// Every rule with its default threshold and duration.
    static AlarmRules defaults();
    /// defaults() with the [modules.alarms] table applied. Unknown rules and keys
    /// go to @p warnings; a value of the wrong type or range is an error.
    static Expected<AlarmRules> fromConfig(const rpc::Json& table, std::vector<std::string>& warnings);
    [[nodiscard]] const AlarmRule* find(std::string_view name) const;
};

/// A drain held by the drain module (its "drain" snapshot).
struct DrainHeldFact {
    std::string id;
    std::string dest; // "198.18.1.11:80" or the address
    std::string service;
    std::int64_t since = 0;
};

/// What the probes saw last; a missing part is a module that does not run here.
struct AlarmInputs {
    std::optional<std::vector<proto::VrrpInstance>> vrrp;
    /// Whether keepalived runs here (its pid alive and keepalived's), when the module knows.
    std::optional<bool> keepalivedRunning;
    std::optional<std::vector<proto::VirtualService>> ipvs;
    /// keepalived's view of real servers: "rs vs" -> "UP" / "DOWN".
    std::map<std::string, std::string> realServerHealth;
    std::optional<proto::DbStatus> db;
    std::optional<proto::MfsStatus> mfs;
    std::optional<proto::HostStatus> host;
    int cpuCount = 1;
    std::optional<proto::ApacheStatus> apache;
    std::vector<DrainHeldFact> drains;
};

/// What an agent restart keeps (agent/core alarm_module.cpp writes it to
/// <state dir>/alarms.json): the active alarms with their acknowledgements, the
/// bounded history and the next id, so a restart neither re-raises (and re-sends)
/// an alarm nor loses who acknowledged it.
struct AlarmEngineState {
    std::uint64_t nextId = 1;
    std::vector<proto::Alarm> active;
    std::vector<proto::Alarm> history; // oldest first
};

class AlarmEngine {
public:
    AlarmEngine(AlarmRules rules, std::string node);

    void setRules(AlarmRules rules);
    [[nodiscard]] const AlarmRules& rules() const { return m_rules; }

    /// Evaluates every rule at unix time @p now; returns the alarms raised or
    /// cleared by this evaluation (each in its new state).
    std::vector<proto::Alarm> evaluate(const AlarmInputs& inputs, std::int64_t now);
    /// Reacts to an agent event (vrrp.transition, firewall.rollback); returns the alarms raised.
    std::vector<proto::Alarm> onEvent(const rpc::Json& event, std::int64_t now);
    /// Raises (or refreshes) an alarm from outside the rules, e.g. a failing
    /// notification channel. Cleared by clearExternal().
    std::optional<proto::Alarm> raiseExternal(std::string rule, std::string subject, std::string message,
                                              proto::AlarmSeverity severity, std::int64_t now);
    std::optional<proto::Alarm> clearExternal(std::string_view rule, std::string_view subject, std::int64_t now);

    /// Acknowledges alarm @p id (active or in the history).
    Expected<proto::Alarm> acknowledge(std::uint64_t id, std::string user, std::string comment, std::int64_t now);

    /// The state to save (see AlarmEngineState).
    [[nodiscard]] AlarmEngineState state() const;
    /// Puts back a saved state at start, before the first evaluation. A restored alarm
    /// whose condition is not seen again clears, but not before @p graceSeconds have
    /// passed: the probes need a sample or two after a restart. A one-off alarm keeps
    /// its hold time (from its last occurrence); a channel alarm stays until its channel
    /// succeeds. Alarms already active (none at start) win over the restored ones.
    void restore(AlarmEngineState saved, std::int64_t now, std::int64_t graceSeconds);

    [[nodiscard]] std::vector<proto::Alarm> active() const;
    /// Cleared alarms, newest first, at most @p limit.
    [[nodiscard]] std::vector<proto::Alarm> history(std::size_t limit) const;

private:
    struct Condition {
        std::string rule;
        std::string subject;
        std::string message;
        double value = 0;
    };
    void collect(const AlarmInputs& inputs, std::int64_t now, std::vector<Condition>& out) const;
    proto::Alarm& raise(const Condition& c, const AlarmRule& rule, std::int64_t now);
    proto::Alarm clear(std::map<std::string, proto::Alarm>::iterator it, std::int64_t now);

    AlarmRules m_rules;
    std::string m_node;
    std::uint64_t m_nextId = 1;
    std::map<std::string, proto::Alarm> m_active;        // by key
    std::map<std::string, std::int64_t> m_pendingSince;  // condition first seen, by key
    std::map<std::string, std::int64_t> m_eventUntil;    // one-off alarms: clear at, by key
    std::set<std::string> m_external;                    // keys raised by raiseExternal()
    std::map<std::string, std::int64_t> m_restoredUntil; // restored alarms: kept until, unless seen again
    std::deque<proto::Alarm> m_history;                  // newest at the back
};

} // namespace hadeck::agent
