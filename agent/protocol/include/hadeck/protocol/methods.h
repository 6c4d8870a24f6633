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
    "Dry run of a change set through libnftables: nft's own error with its line, or the diff; nothing changes."};
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

} // namespace hadeck::proto::methods
