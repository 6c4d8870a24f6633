#pragma once

// Every method of methods.h, once, as one list: the agent's method table (methods.cpp)
// and the console's decode fuzz target walk it. A spec declared in methods.h and left out
// here is neither in the table nor fuzzed, and the methods-table test fails (the agent
// serves a method that is not declared).

#include "hadeck/protocol/methods.h"

#include <tuple>

namespace hadeck::proto::methods {

inline constexpr auto kAll =
    std::tie(Hello, Ping, Subscribe, Unsubscribe, Methods, AuditVerify, AuditTail, SetLogLevel, Reload, IpvsList,
             IpvsSetWeight, VrrpList, KeepalivedConfig, RealServerCheck, RealServerApply, RealServerRevert, DrainLocal,
             DrainApply, DrainRestore, DrainList, VrrpRelease, VrrpRestore, VrrpFailoverStatus,
             KeepalivedAddFailoverTrack, FirewallShow, FirewallCheck, FirewallApply, FirewallConfirm, FirewallRollback,
             FirewallPending, HostStatusGet, ApacheStatusGet, DbStatusGet, DbReplicaStart, DbReplicaStop, DbSetReadOnly,
             MfsStatusGet, MfsSetMaintenance, HistoryGet, LogsQuery, AlarmsList, AlarmsAck);

} // namespace hadeck::proto::methods
