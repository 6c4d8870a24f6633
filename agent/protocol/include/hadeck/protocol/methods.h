#pragma once

// The wire contract: every method the agent serves, declared once (see method.h
// for the shape). Params and result types live in the protocol headers beside
// this one (types.h, director.h, ...), each with checked to_json/from_json.
//
// Adding a method: declare its types, add a MethodSpec here and to the list in
// method_list.h, register a handler with MethodRegistry::add(spec, ...)
// in the agent, call it with AgentClient::call(spec, ...) in the console. The
// methods-table test fails until all three agree.

#include "hadeck/protocol/method.h"
#include "hadeck/protocol/payloads.h"
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

// --- agent administration
inline constexpr MethodSpec<Empty, MethodsResult> Methods{
    "agent.methods", PermissionLevel::Read, "Every method with the permission level and unix group it needs."};
inline constexpr MethodSpec<Empty, AuditVerifyResult> AuditVerify{
    "agent.auditVerify", PermissionLevel::Read, "Verifies the audit log's hash chain and names the first broken line."};
inline constexpr MethodSpec<AuditTailParams, AuditTailResult> AuditTail{
    "agent.auditTail", PermissionLevel::Read,
    "The newest audit log entries (time, user, method, phase, params, result), filtered by time, user and method."};
inline constexpr MethodSpec<SetLogLevelParams, SetLogLevelResult> SetLogLevel{
    "agent.setLogLevel", PermissionLevel::Operate, "Changes the agent's log verbosity until the next restart."};
inline constexpr MethodSpec<Empty, ReloadResult> Reload{"agent.reload", PermissionLevel::Admin,
                                                        "Reloads the configuration file, as SIGHUP does."};

// --- probes
inline constexpr MethodSpec<Empty, IpvsListResult> IpvsList{
    "ipvs.list", PermissionLevel::Read, "The IPVS table: virtual services, real servers, counters and rates"};
inline constexpr MethodSpec<SetWeightParams, RealServer> IpvsSetWeight{
    "ipvs.setWeight", PermissionLevel::Operate,
    "Sets a real server's IPVS weight (0 drains it); keeps its other settings"};
inline constexpr MethodSpec<VrrpListParams, VrrpListResult> VrrpList{
    "vrrp.list", PermissionLevel::Read,
    "VRRP instances: state, priorities, VIPs and whether this host holds them, counters, track files"};
inline constexpr MethodSpec<KeepalivedConfigParams, KeepalivedConfigResult> KeepalivedConfig{
    "keepalived.config", PermissionLevel::Read,
    "keepalived's configuration as parsed (with includes), diagnostics with file:line, real servers' health"};
inline constexpr MethodSpec<RealServerCheckParams, DrCheckResult> RealServerCheck{
    "realserver.check", PermissionLevel::Read,
    "The LVS-DR conformance check: VIP on lo, arp_ignore/arp_announce, rp_filter, listeners"};
inline constexpr MethodSpec<RealServerApplyParams, DrCheckResult> RealServerApply{
    "realserver.apply", PermissionLevel::Admin,
    "Puts the VIPs on lo and sets arp_ignore=1/arp_announce=2 (lvs_real start); persisted"};
inline constexpr MethodSpec<RealServerApplyParams, DrCheckResult> RealServerRevert{
    "realserver.revert", PermissionLevel::Admin,
    "Removes the VIPs from lo and resets the ARP sysctls (lvs_real stop); persisted"};

// --- drains
inline constexpr MethodSpec<DrainLocalParams, DrainLocalResult> DrainLocal{
    "drain.local", PermissionLevel::Read,
    "Established connections to VIP:port on this node and Apache's busy workers (drain progress as the real "
    "server sees it)"};
inline constexpr MethodSpec<DrainTarget, DrainApplyResult> DrainApply{
    "drain.apply", PermissionLevel::Operate,
    "Set weight 0 on every matching real server of this director and hold it"};
inline constexpr MethodSpec<DrainTarget, DrainRestoreResult> DrainRestore{
    "drain.restore", PermissionLevel::Operate, "Release a held drain and give back the real server's weight"};
inline constexpr MethodSpec<Empty, DrainBookState> DrainList{"drain.list", PermissionLevel::Read,
                                                             "Drains held here"};

// --- forced failover
inline constexpr MethodSpec<FailoverTarget, FailoverWriteResult> VrrpRelease{
    "vrrp.release", PermissionLevel::Operate,
    "Drive a VRRP instance or sync group to FAULT through the hadeck_failover track file"};
inline constexpr MethodSpec<FailoverTarget, FailoverWriteResult> VrrpRestore{
    "vrrp.restore", PermissionLevel::Operate, "Clear the FAULT set by vrrp.release"};
inline constexpr MethodSpec<Empty, FailoverStatusResult> VrrpFailoverStatus{
    "vrrp.failoverStatus", PermissionLevel::Read, "The hadeck_failover track file of each instance and its value"};
inline constexpr MethodSpec<AddFailoverTrackParams, AddFailoverTrackResult> KeepalivedAddFailoverTrack{
    "keepalived.addFailoverTrack", PermissionLevel::Admin,
    "Add the hadeck_failover track_file to an instance, check with keepalived -t and reload"};

} // namespace hadeck::proto::methods

// --- Firewall (nftables), issue 13; payloads in firewall.h ---
#include "hadeck/protocol/firewall.h"

namespace hadeck::proto::methods {

inline constexpr MethodSpec<Empty, fw::Ruleset> FirewallShow{
    "firewall.show", PermissionLevel::Read,
    "The node's nftables ruleset (tables, chains, rules with counters and text, sets), its hash, "
    "iptables-legacy rules read-only, and the peers of established SSH connections."};
// Read, not Admin: a dry run changes nothing in the kernel or on disk (nft --check),
// so an operator or a reader can prepare and validate a change set for an admin to apply.
inline constexpr MethodSpec<fw::CheckParams, fw::CheckResult> FirewallCheck{
    "firewall.check", PermissionLevel::Read,
    "Dry run of a change set through libnftables: nft's own error with its line, or the diff; nothing changes. "
    "Raw nft text needs an admin."};
inline constexpr MethodSpec<fw::ApplyParams, fw::ApplyResult> FirewallApply{
    "firewall.apply", PermissionLevel::Admin,
    "Applies a change set as one transaction, commit-confirmed: rolled back unless confirmed from another "
    "connection within confirmWithin seconds (10..600, default 60)."};
inline constexpr MethodSpec<fw::ConfirmParams, fw::ConfirmResult> FirewallConfirm{
    "firewall.confirm", PermissionLevel::Admin,
    "Keeps a pending change (only from a different connection than the apply's) and persists the ruleset."};
inline constexpr MethodSpec<fw::RollbackParams, fw::RollbackResult> FirewallRollback{
    "firewall.rollback", PermissionLevel::Admin,
    "Rolls back the pending change now, or with none pending restores the last confirmed (persisted) ruleset."};
inline constexpr MethodSpec<Empty, fw::Pending> FirewallPending{
    "firewall.pending", PermissionLevel::Read, "The change waiting for confirmation, with its deadline."};
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
