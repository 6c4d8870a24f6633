#pragma once

// The shape of a wire method's declaration. Every method the agent serves is
// declared exactly once, in agent/protocol (methods.h), as a MethodSpec: its
// name, the permission it needs, a one-line summary, and the C++ types of its
// params and result (each with to_json/from_json, decoded with wire.h's checks).
//
// - The agent registers a handler against the spec (MethodRegistry::add(spec, ...)),
//   which decodes the params before the handler runs and encodes its typed result.
// - The console calls through the same spec (AgentClient::call(spec, ...),
//   ClusterRpc::call(node, spec, ...)) and gets the typed result or an error.
// - The console's greyed-out buttons read spec.permission, the same value the
//   agent's dispatcher enforces.
// - methodTable() lists every spec; a test compares it with a running agent's
//   agent.methods, so neither side can drift.
//
// No method name and no payload key is a string literal outside agent/protocol.

#include "hadeck/protocol/jsonrpc.h"

#include <span>
#include <string_view>

namespace hadeck::proto {

enum class PermissionLevel;

/// Params or result with nothing in them. Decodes from {} or null, encodes as {}.
struct Empty {
    bool operator==(const Empty&) const = default;
};
void to_json(rpc::Json& j, const Empty& v);
void from_json(const rpc::Json& j, Empty& v);

/// One entry of the method table (type-erased).
struct MethodEntry {
    std::string_view name;
    PermissionLevel permission;
    std::string_view summary;
};

/// The declaration of one wire method.
template <typename P, typename R>
struct MethodSpec {
    using Params = P;
    using Result = R;
    std::string_view name;
    PermissionLevel permission;
    std::string_view summary;

    [[nodiscard]] constexpr MethodEntry entry() const { return {name, permission, summary}; }
};

/// The declaration of one notification or event pushed by the agent.
template <typename P>
struct NotificationSpec {
    using Params = P;
    std::string_view name;
};

/// Every method, sorted by name (methods.cpp builds it from methods.h).
std::span<const MethodEntry> methodTable();
/// The table's entry for @p name, or null.
const MethodEntry* findMethod(std::string_view name);

} // namespace hadeck::proto
