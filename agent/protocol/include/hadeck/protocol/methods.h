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
