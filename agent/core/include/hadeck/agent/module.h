#pragma once

// A module is one subsystem of the node (host, IPVS, keepalived, real server
// checks...). The daemon builds the list in agent/daemon/modules.cpp
// (makeModules()), asks each for the roles it detects, then starts them.

#include "hadeck/agent/config.h"
#include "hadeck/protocol/types.h"

#include <filesystem>
#include <string_view>
#include <vector>

namespace hadeck::agent {

class AuditLog;
class EventLoop;
class MethodRegistry;
class Publisher;

struct AgentContext {
    EventLoop& loop;
    MethodRegistry& registry;
    Publisher& publisher;
    AuditLog& audit;
    /// Stays valid for the agent's life; its contents change on SIGHUP (then reload() is called).
    const AgentConfig& config;
    std::filesystem::path stateDir;
};

class Module {
public:
    virtual ~Module();
    [[nodiscard]] virtual std::string_view name() const = 0;
    /// Roles this subsystem gives the node. Called before start() and again on
    /// reload; must be quick (a file or a netlink query, no process).
    virtual std::vector<proto::Role> detectRoles() = 0;
    /// Registers methods, timers and topics. Called once, on the loop thread.
    virtual void start(AgentContext& context) = 0;
    /// Called after SIGHUP with the new config.
    virtual void reload(const AgentConfig& /*config*/) {}
};

} // namespace hadeck::agent
