#include "hadeck/protocol/types.h"

#include <array>
#include <utility>

namespace hadeck::proto {

namespace {

constexpr std::array<std::pair<PermissionLevel, std::string_view>, 4> kLevels{{
    {PermissionLevel::None, "none"},
    {PermissionLevel::Read, "read"},
    {PermissionLevel::Operate, "operate"},
    {PermissionLevel::Admin, "admin"},
}};

constexpr std::array<std::pair<Role, std::string_view>, 7> kRoles{{
    {Role::Director, "director"},
    {Role::RealServer, "realserver"},
    {Role::Db, "db"},
    {Role::MfsMaster, "mfs-master"},
    {Role::MfsChunkserver, "mfs-chunkserver"},
    {Role::MfsMetalogger, "mfs-metalogger"},
    {Role::Gateway, "gateway"},
}};

template <typename E, std::size_t N>
std::string_view nameOf(const std::array<std::pair<E, std::string_view>, N>& table, E value)
{
    for (const auto& [v, name] : table) {
        if (v == value) {
            return name;
        }
    }
    return "unknown";
}

template <typename E, std::size_t N>
std::optional<E> valueOf(const std::array<std::pair<E, std::string_view>, N>& table, std::string_view s)
{
    for (const auto& [v, name] : table) {
        if (name == s) {
            return v;
        }
    }
    return std::nullopt;
}

} // namespace

std::string_view toString(PermissionLevel level) { return nameOf(kLevels, level); }
std::optional<PermissionLevel> permissionFromString(std::string_view s) { return valueOf(kLevels, s); }
std::string_view toString(Role role) { return nameOf(kRoles, role); }
std::optional<Role> roleFromString(std::string_view s) { return valueOf(kRoles, s); }

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
    v.protocolVersion = j.value("protocolVersion", kProtocolVersion);
    v.client = j.value("client", std::string());
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
}

void from_json(const Json& j, HelloResult& v)
{
    j.at("protocolVersion").get_to(v.protocolVersion);
    j.at("agentVersion").get_to(v.agentVersion);
    j.at("node").get_to(v.node);
    v.roles.clear();
    for (const auto& r : j.at("roles")) {
        // Roles from a newer agent that this console does not know are skipped.
        if (auto role = roleFromString(r.get<std::string>())) {
            v.roles.push_back(*role);
        }
    }
    j.at("capabilities").get_to(v.capabilities);
    j.at("user").get_to(v.user);
    v.permission = permissionFromString(j.at("permission").get<std::string>()).value_or(PermissionLevel::None);
}

void to_json(Json& j, const SubscribeParams& v) { j = Json{{"topics", v.topics}}; }

void from_json(const Json& j, SubscribeParams& v)
{
    v.topics.clear();
    if (const auto t = j.find("topics"); t != j.end()) {
        t->get_to(v.topics);
    }
}

} // namespace hadeck::proto
