#pragma once

// Alarms raised by the agent itself (alarms.list, alarms.ack, "alarm" events).
// An alarm is identified by its key (rule + subject): while it is active the
// same condition never raises a second one (de-duplication). It is raised,
// then cleared when its condition is gone (or, for one-off events such as a
// VRRP state change, after the rule's hold time); an operator may acknowledge
// it at any time, which keeps it listed but marks who has seen it.

#include "hadeck/protocol/jsonrpc.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hadeck::proto {

using rpc::Json;

enum class AlarmSeverity { Info, Warning, Critical };
std::string_view toString(AlarmSeverity s);
std::optional<AlarmSeverity> alarmSeverityFromString(std::string_view s);

enum class AlarmState { Raised, Cleared };
std::string_view toString(AlarmState s);
std::optional<AlarmState> alarmStateFromString(std::string_view s);

/// Event types (the "type" of an `event` notification) the alarm engine reacts to.
namespace alarm_events {
/// Published by the firewall module when it rolled a ruleset back (its own
/// timer expired without a confirm): the same name as fw::kEventRolledBack.
inline constexpr std::string_view kFirewallRollback = "firewall.rolledBack";
/// Published by the keepalived module on a VRRP state change.
inline constexpr std::string_view kVrrpTransition = "vrrp.transition";
/// Published by the keepalived module when keepalived reports a real server UP/DOWN.
inline constexpr std::string_view kRealServerHealth = "realserver.health";
/// Published by the alarm module: {"type": "alarm", "change": "raised|cleared|acknowledged", "alarm": {...}}.
inline constexpr std::string_view kAlarm = "alarm";
} // namespace alarm_events

struct Alarm {
    std::uint64_t id = 0;
    std::string key;     // rule + ":" + subject; one active alarm per key
    std::string rule;    // "vrrp.fault", "host.disk", ...
    AlarmSeverity severity = AlarmSeverity::Warning;
    std::string node;
    std::string subject; // instance, mount point, service key, "" for node-wide
    std::string message;
    AlarmState state = AlarmState::Raised;
    double value = 0;     // the measured value when raised (and last seen)
    double threshold = 0; // the rule's threshold
    std::int64_t raisedAt = 0;  // unix seconds
    std::int64_t lastSeen = 0;
    std::int64_t clearedAt = 0; // 0 while raised
    bool acknowledged = false;
    std::string ackBy;
    std::int64_t ackAt = 0;
    std::string ackComment;
    bool operator==(const Alarm&) const = default;
};
void to_json(Json& j, const Alarm& v);
void from_json(const Json& j, Alarm& v);

/// The `event` notification of an alarm change; to_json adds "type": "alarm".
struct AlarmEvent {
    std::string node;
    std::string change; // raised, cleared, acknowledged
    Alarm alarm;
};
void to_json(Json& j, const AlarmEvent& v);
void from_json(const Json& j, AlarmEvent& v);

/// The "alarms" topic: the active alarms.
struct AlarmsTopic {
    std::vector<Alarm> active;
};
void to_json(Json& j, const AlarmsTopic& v);
void from_json(const Json& j, AlarmsTopic& v);
inline constexpr std::string_view kAlarmsTopic = "alarms";

struct AlarmsListParams {
    bool includeHistory = true;
    std::uint32_t limit = 200; // history entries, newest first
};
void to_json(Json& j, const AlarmsListParams& v);
void from_json(const Json& j, AlarmsListParams& v);

struct AlarmsListResult {
    std::vector<Alarm> active;  // oldest first
    std::vector<Alarm> history; // cleared alarms, newest first
};
void to_json(Json& j, const AlarmsListResult& v);
void from_json(const Json& j, AlarmsListResult& v);

struct AlarmAckParams {
    std::uint64_t id = 0;
    std::string comment;
};
void to_json(Json& j, const AlarmAckParams& v);
void from_json(const Json& j, AlarmAckParams& v);

} // namespace hadeck::proto
