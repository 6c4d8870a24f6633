#include "hadeck/protocol/types.h"

#include "hadeck/protocol/enum_names.h"

#include "hadeck/protocol/method.h"
#include "hadeck/protocol/wire.h"

#include <array>
#include <utility>

namespace hadeck::proto {

namespace {

constexpr EnumNames<PermissionLevel, 4> kLevels{{
    {PermissionLevel::None, "none"},
    {PermissionLevel::Read, "read"},
    {PermissionLevel::Operate, "operate"},
    {PermissionLevel::Admin, "admin"},
}};

constexpr EnumNames<Role, 7> kRoles{{
    {Role::Director, "director"},
    {Role::RealServer, "realserver"},
    {Role::Db, "db"},
    {Role::MfsMaster, "mfs-master"},
    {Role::MfsChunkserver, "mfs-chunkserver"},
    {Role::MfsMetalogger, "mfs-metalogger"},
    {Role::Gateway, "gateway"},
}};

} // namespace

std::string_view toString(PermissionLevel level) { return enumName(kLevels, level, "unknown"); }
std::optional<PermissionLevel> permissionFromString(std::string_view s) { return enumValue(kLevels, s); }
std::string_view toString(Role role) { return enumName(kRoles, role, "unknown"); }
std::optional<Role> roleFromString(std::string_view s) { return enumValue(kRoles, s); }

std::string_view groupFor(PermissionLevel level)
{
    switch (level) {
    case PermissionLevel::Read: return "hadeck";
    case PermissionLevel::Operate: return "hadeck-operator";
    case PermissionLevel::Admin: return "hadeck-admin";
    case PermissionLevel::None: break;
    }
    return "";
}

void to_json(Json& j, const HelloParams& v)
{
    j = Json{{"protocolVersion", v.protocolVersion}, {"client", v.client}};
}

void from_json(const Json& j, HelloParams& v)
{
    wire::requireObject(j);
    v.protocolVersion = kProtocolVersion;
    wire::opt(j, "protocolVersion", v.protocolVersion, 0, 1000000);
    wire::opt(j, "client", v.client);
}

void to_json(Json& j, const HelloResult& v)
{
    Json roles = Json::array();
    for (const Role r : v.roles) {
        roles.push_back(toString(r));
    }
    j = Json{{"protocolVersion", v.protocolVersion}, {"agentVersion", v.agentVersion}, {"node", v.node},
             {"roles", std::move(roles)}, {"capabilities", v.capabilities}, {"user", v.user},
             {"permission", toString(v.permission)}};
    if (!v.hint.empty()) {
        j["hint"] = v.hint;
    }
}

void from_json(const Json& j, HelloResult& v)
{
    wire::requireObject(j);
    wire::req(j, "protocolVersion", v.protocolVersion, 0, 1000000);
    wire::req(j, "agentVersion", v.agentVersion);
    wire::req(j, "node", v.node);
    std::vector<std::string> roles;
    wire::req(j, "roles", roles);
    v.roles.clear();
    for (const auto& r : roles) {
        // Roles from a newer agent that this console does not know are skipped.
        if (auto role = roleFromString(r)) {
            v.roles.push_back(*role);
        }
    }
    wire::req(j, "capabilities", v.capabilities);
    wire::req(j, "user", v.user);
    wire::reqEnum(j, "permission", v.permission, [](const std::string& s) { return permissionFromString(s); });
    wire::opt(j, "hint", v.hint);
}

void to_json(Json& j, const SubscribeParams& v) { j = Json{{"topics", v.topics}}; }

void from_json(const Json& j, SubscribeParams& v)
{
    wire::requireObject(j);
    v.topics.clear();
    wire::req(j, "topics", v.topics);
    if (v.topics.size() > kMaxTopics) {
        wire::fail("topics", "names at most " + std::to_string(kMaxTopics) + " topics");
    }
    for (const auto& t : v.topics) {
        if (t.empty() || t.size() > 64) {
            wire::fail("topics", "must hold topic names of 1 to 64 characters, e.g. [\"host\", \"events\"]");
        }
    }
}

void to_json(Json& j, const SubscribeResult& v) { j = Json{{"topics", v.topics}}; }

void from_json(const Json& j, SubscribeResult& v)
{
    wire::requireObject(j);
    wire::req(j, "topics", v.topics);
}

void to_json(Json& j, const PingResult& v) { j = Json{{"pong", v.pong}, {"time", v.time}}; }

void from_json(const Json& j, PingResult& v)
{
    wire::requireObject(j);
    wire::req(j, "pong", v.pong);
    wire::opt(j, "time", v.time);
}

void to_json(Json& j, const Empty&) { j = Json::object(); }

void from_json(const Json& j, Empty&)
{
    if (!j.is_null()) {
        wire::requireObject(j);
    }
}

} // namespace hadeck::proto
