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

// Method names, permissions and payload types are declared in methods.h.

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
    std::string hint; // why the caller may do nothing, when it may not
};

/// The most topics one subscribe names, and one client holds (the agent keeps no more).
inline constexpr std::size_t kMaxTopics = 64;

struct SubscribeParams {
    std::vector<std::string> topics; // e.g. "ipvs", "vrrp", "host", "events"; at most kMaxTopics
};

/// The topics the caller is subscribed to after the call.
struct SubscribeResult {
    std::vector<std::string> topics;
};

struct PingResult {
    bool pong = true;
    std::int64_t time = 0; // the agent's clock, unix seconds
};

void to_json(Json& j, const HelloParams& v);
void from_json(const Json& j, HelloParams& v);
void to_json(Json& j, const HelloResult& v);
void from_json(const Json& j, HelloResult& v);
void to_json(Json& j, const SubscribeParams& v);
void from_json(const Json& j, SubscribeParams& v);
void to_json(Json& j, const SubscribeResult& v);
void from_json(const Json& j, SubscribeResult& v);
void to_json(Json& j, const PingResult& v);
void from_json(const Json& j, PingResult& v);

/// Decodes a typed payload; a missing, mistyped or out-of-range field is an
/// error value naming the field, never an exception.
template <typename T>
Expected<T> fromJson(const Json& j)
{
    try {
        return j.get<T>();
    } catch (const std::exception& e) {
        return fail(std::string("invalid payload: ") + e.what(), rpc::InvalidParams);
    }
}

/// Encodes a typed payload.
template <typename T>
Json toJson(const T& v)
{
    return Json(v);
}

} // namespace hadeck::proto
