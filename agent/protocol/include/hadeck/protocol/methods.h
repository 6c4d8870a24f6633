#pragma once

// The wire contract: every method the agent serves, declared once (see method.h
// for the shape). Params and result types live in the protocol headers beside
// this one (types.h, director.h, ...), each with checked to_json/from_json.
//
// Adding a method: declare its types, add a MethodSpec here and its entry in
// methods.cpp's table, register a handler with MethodRegistry::add(spec, ...)
// in the agent, call it with AgentClient::call(spec, ...) in the console. The
// methods-table test fails until all three agree.

#include "hadeck/protocol/method.h"
#include "hadeck/protocol/alarms.h"
#include "hadeck/protocol/appdata.h"
#include "hadeck/protocol/types.h"

namespace hadeck::proto::methods {

inline constexpr MethodSpec<HelloParams, HelloResult> Hello{
    "agent.hello", PermissionLevel::None,
    "Negotiates the protocol version; says who the caller is and what it may do."};
inline constexpr MethodSpec<Empty, PingResult> Ping{"agent.ping", PermissionLevel::Read,
                                                    "Liveness check; answers the agent's clock."};
inline constexpr MethodSpec<SubscribeParams, SubscribeResult> Subscribe{
    "agent.subscribe", PermissionLevel::Read,
    "Subscribes to state.delta topics and \"events\"; a topic with a snapshot sends it at once."};
inline constexpr MethodSpec<SubscribeParams, SubscribeResult> Unsubscribe{
    "agent.unsubscribe", PermissionLevel::Read, "Stops the given topics."};

// Application nodes (appdata.h): host health, Apache, databases, MooseFS, history, logs.
inline constexpr MethodSpec<Empty, HostStatus> HostStatusGet{
    "host.status", PermissionLevel::Read, "CPU, memory, pressure, load, filesystems, disks, interfaces and TCP groups of this node."};
inline constexpr MethodSpec<Empty, ApacheStatus> ApacheStatusGet{
    "apache.status", PermissionLevel::Read, "Apache mod_status (and php-fpm) of this real server, or why there is none."};
inline constexpr MethodSpec<Empty, DbStatus> DbStatusGet{
    "db.status", PermissionLevel::Read, "MariaDB/MySQL role, read_only, binlog and replica threads, lag and errors."};
inline constexpr MethodSpec<ReplicaActionParams, ActionResult> DbReplicaStart{
    "db.replicaStart", PermissionLevel::Operate, "Starts the replica threads (START REPLICA), after a preflight."};
inline constexpr MethodSpec<ReplicaActionParams, ActionResult> DbReplicaStop{
    "db.replicaStop", PermissionLevel::Operate, "Stops the replica threads (STOP REPLICA), after a preflight."};
inline constexpr MethodSpec<ReadOnlyParams, ActionResult> DbSetReadOnly{
    "db.setReadOnly", PermissionLevel::Operate, "Turns the server's global read_only on or off, after a preflight."};
inline constexpr MethodSpec<Empty, MfsStatus> MfsStatusGet{
    "mfs.status", PermissionLevel::Read, "MooseFS master info, chunkservers, metaloggers, disks and chunk health."};
inline constexpr MethodSpec<MfsMaintenanceParams, ActionResult> MfsSetMaintenance{
    "mfs.setMaintenance", PermissionLevel::Operate,
    "Chunkserver maintenance on or off; the preflight shows the master's 20 % rule."};
inline constexpr MethodSpec<HistoryParams, HistoryResult> HistoryGet{
    "history.get", PermissionLevel::Read, "A numeric series from the agent's rings (1 h at 1 s, 24 h at 1 min)."};
inline constexpr MethodSpec<LogsParams, LogsResult> LogsQuery{
    "logs.query", PermissionLevel::Read, "Lines of a named log source, bounded, with parsed timestamps."};

// Alarms raised by this agent (alarms.h).
inline constexpr MethodSpec<AlarmsListParams, AlarmsListResult> AlarmsList{
    "alarms.list", PermissionLevel::Read, "Active alarms of this node and the bounded history of cleared ones."};
inline constexpr MethodSpec<AlarmAckParams, Alarm> AlarmsAck{
    "alarms.ack", PermissionLevel::Operate, "Acknowledges an alarm by id (active or in the history); answers the alarm."};

} // namespace hadeck::proto::methods
