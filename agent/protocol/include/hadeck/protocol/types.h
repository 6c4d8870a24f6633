#pragma once

// Typed payloads of the HaDeck protocol. Both sides use these; the console
// never pokes into raw JSON for a known method.

#include "hadeck/protocol/expected.h"
#include "hadeck/protocol/jsonrpc.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hadeck::proto {

using rpc::Json;

/// Bumped on incompatible wire changes; the console refuses a different major.
inline constexpr int kProtocolVersion = 1;

/// What a caller may do. Ordered: each level includes the ones below it.
enum class PermissionLevel { None = 0, Read = 1, Operate = 2, Admin = 3 };

std::string_view toString(PermissionLevel level);
std::optional<PermissionLevel> permissionFromString(std::string_view s);
/// The unix group that grants @p level ("hadeck", "hadeck-operator", "hadeck-admin").
std::string_view groupFor(PermissionLevel level);

/// Roles a node can play in the cluster, detected by the agent.
enum class Role { Director, RealServer, Db, MfsMaster, MfsChunkserver, MfsMetalogger, Gateway };

std::string_view toString(Role role);
std::optional<Role> roleFromString(std::string_view s);

/// Method names and the permission each needs. The agent's dispatcher and the
/// console both read this table, so a greyed-out button and a refusal agree.
namespace method {
inline constexpr std::string_view Hello = "agent.hello";
inline constexpr std::string_view Subscribe = "agent.subscribe";
inline constexpr std::string_view Unsubscribe = "agent.unsubscribe";
inline constexpr std::string_view Ping = "agent.ping";
} // namespace method

namespace notify {
inline constexpr std::string_view StateDelta = "state.delta";
inline constexpr std::string_view Event = "event";
} // namespace notify

struct HelloParams {
    int protocolVersion = kProtocolVersion;
    std::string client; // e.g. "hadeck 0.1.0"
};

struct HelloResult {
    int protocolVersion = kProtocolVersion;
    std::string agentVersion;
    std::string node;
    std::vector<Role> roles;
    std::vector<std::string> capabilities; // method names this agent serves
    std::string user;
    PermissionLevel permission = PermissionLevel::None;
};

struct SubscribeParams {
    std::vector<std::string> topics; // e.g. "ipvs", "vrrp", "host", "events"
};

void to_json(Json& j, const HelloParams& v);
void from_json(const Json& j, HelloParams& v);
void to_json(Json& j, const HelloResult& v);
void from_json(const Json& j, HelloResult& v);
void to_json(Json& j, const SubscribeParams& v);
void from_json(const Json& j, SubscribeParams& v);

/// Decodes a typed payload; a missing or mistyped field is an error value
/// naming the field, never an exception.
template <typename T>
Expected<T> fromJson(const Json& j)
{
    try {
        return j.get<T>();
    } catch (const std::exception& e) {
        return fail(std::string("invalid payload: ") + e.what(), rpc::InvalidParams);
    }
}

} // namespace hadeck::proto
