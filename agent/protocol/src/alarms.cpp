#include "hadeck/protocol/alarms.h"

#include "hadeck/protocol/wire.h"

namespace hadeck::proto {

std::string_view toString(AlarmSeverity s)
{
    switch (s) {
    case AlarmSeverity::Info:
        return "info";
    case AlarmSeverity::Warning:
        return "warning";
    case AlarmSeverity::Critical:
        return "critical";
    }
    return "warning";
}

std::optional<AlarmSeverity> alarmSeverityFromString(std::string_view s)
{
    if (s == "info") {
        return AlarmSeverity::Info;
    }
    if (s == "warning") {
        return AlarmSeverity::Warning;
    }
    if (s == "critical") {
        return AlarmSeverity::Critical;
    }
    return std::nullopt;
}

std::string_view toString(AlarmState s) { return s == AlarmState::Raised ? "raised" : "cleared"; }

std::optional<AlarmState> alarmStateFromString(std::string_view s)
{
    if (s == "raised") {
        return AlarmState::Raised;
    }
    if (s == "cleared") {
        return AlarmState::Cleared;
    }
    return std::nullopt;
}

void to_json(Json& j, const Alarm& v)
{
    j = Json{{"id", v.id},
             {"key", v.key},
             {"rule", v.rule},
             {"severity", toString(v.severity)},
             {"node", v.node},
             {"subject", v.subject},
             {"message", v.message},
             {"state", toString(v.state)},
             {"value", v.value},
             {"threshold", v.threshold},
             {"raisedAt", v.raisedAt},
             {"lastSeen", v.lastSeen},
             {"clearedAt", v.clearedAt},
             {"acknowledged", v.acknowledged},
             {"ackBy", v.ackBy},
             {"ackAt", v.ackAt},
             {"ackComment", v.ackComment}};
}

void from_json(const Json& j, Alarm& v)
{
    wire::requireObject(j, "alarm");
    v = Alarm{};
    wire::req(j, "id", v.id);
    wire::req(j, "key", v.key);
    wire::req(j, "rule", v.rule);
    wire::reqEnum(j, "severity", v.severity, alarmSeverityFromString);
    wire::opt(j, "node", v.node);
    wire::opt(j, "subject", v.subject);
    wire::opt(j, "message", v.message);
    wire::reqEnum(j, "state", v.state, alarmStateFromString);
    wire::opt(j, "value", v.value);
    wire::opt(j, "threshold", v.threshold);
    wire::req(j, "raisedAt", v.raisedAt);
    wire::opt(j, "lastSeen", v.lastSeen);
    wire::opt(j, "clearedAt", v.clearedAt);
    wire::opt(j, "acknowledged", v.acknowledged);
    wire::opt(j, "ackBy", v.ackBy);
    wire::opt(j, "ackAt", v.ackAt);
    wire::opt(j, "ackComment", v.ackComment);
}

void to_json(Json& j, const AlarmsListParams& v)
{
    j = Json{{"includeHistory", v.includeHistory}, {"limit", v.limit}};
}

void from_json(const Json& j, AlarmsListParams& v)
{
    v = AlarmsListParams{};
    if (j.is_null()) {
        return;
    }
    wire::requireObject(j);
    wire::opt(j, "includeHistory", v.includeHistory);
    wire::opt(j, "limit", v.limit, std::uint32_t{0}, std::uint32_t{10000});
}

void to_json(Json& j, const AlarmsListResult& v) { j = Json{{"active", v.active}, {"history", v.history}}; }

void from_json(const Json& j, AlarmsListResult& v)
{
    wire::requireObject(j);
    v = AlarmsListResult{};
    wire::req(j, "active", v.active);
    wire::opt(j, "history", v.history);
}

void to_json(Json& j, const AlarmAckParams& v) { j = Json{{"id", v.id}, {"comment", v.comment}}; }

void from_json(const Json& j, AlarmAckParams& v)
{
    wire::requireObject(j);
    v = AlarmAckParams{};
    wire::req(j, "id", v.id, std::uint64_t{1});
    wire::opt(j, "comment", v.comment);
    if (v.comment.size() > 1024) {
        wire::fail("comment", "must be at most 1024 characters");
    }
}

} // namespace hadeck::proto

namespace hadeck::proto {

void to_json(Json& j, const AlarmEvent& v)
{
    j = Json{{"type", alarm_events::kAlarm}, {"node", v.node}, {"change", v.change}, {"alarm", v.alarm}};
}

void from_json(const Json& j, AlarmEvent& v)
{
    wire::requireObject(j, "alarm event");
    v = AlarmEvent{};
    std::string type;
    wire::req(j, "type", type);
    if (type != alarm_events::kAlarm) {
        wire::fail("type", "is not \"alarm\"");
    }
    wire::opt(j, "node", v.node);
    wire::req(j, "change", v.change);
    wire::reqObject(j, "alarm", v.alarm);
}

void to_json(Json& j, const AlarmsTopic& v) { j = Json{{"active", v.active}}; }

void from_json(const Json& j, AlarmsTopic& v)
{
    wire::requireObject(j);
    v = AlarmsTopic{};
    wire::req(j, "active", v.active);
}

} // namespace hadeck::proto
