#pragma once

// Wires the daemon together: config, loop, server, dispatcher, audit log,
// modules and the built-in agent.* methods.

#include "hadeck/agent/audit_log.h"
#include "hadeck/agent/config.h"
#include "hadeck/agent/event_loop.h"
#include "hadeck/agent/module.h"
#include "hadeck/agent/publisher.h"
#include "hadeck/agent/registry.h"
#include "hadeck/agent/server.h"
#include "hadeck/protocol/methods.h"

#include <filesystem>
#include <memory>
#include <optional>
#include <vector>

namespace hadeck::agent {

struct AgentOptions {
    std::filesystem::path configPath{std::string(kDefaultConfigPath)};
    std::optional<std::filesystem::path> socketOverride;
};

class Agent {
public:
    explicit Agent(AgentOptions options);
    ~Agent();
    Agent(const Agent&) = delete;
    Agent& operator=(const Agent&) = delete;

    /// Loads the config, listens, notifies readiness and runs until SIGTERM.
    /// @return the process exit code.
    int run();

private:
    Expected<AgentConfig> readConfig() const;
    void registerBuiltins();
    void detectRoles();
    void reload();
    void shutdown(int signo);

    // Built-in methods (protocol/methods.h), one member each.
    void hello(const CallContext& caller, proto::HelloParams, TypedResponder<proto::HelloResult> r);
    void subscribe(const CallContext& caller, proto::SubscribeParams p, TypedResponder<proto::SubscribeResult> r);
    void unsubscribe(const CallContext& caller, proto::SubscribeParams p, TypedResponder<proto::SubscribeResult> r);
    void auditTail(const CallContext&, proto::AuditTailParams p, TypedResponder<proto::AuditTailResult> r);
    void methods(const CallContext& caller, proto::Empty, TypedResponder<proto::MethodsResult> r);
    void auditVerify(const CallContext&, proto::Empty, TypedResponder<proto::AuditVerifyResult> r);
    void setLogLevel(const CallContext&, proto::SetLogLevelParams p, TypedResponder<proto::SetLogLevelResult> r);
    void reloadCall(const CallContext&, proto::Empty, TypedResponder<proto::ReloadResult> r);

    AgentOptions m_options;
    AgentConfig m_config;
    // Before the loop, so it outlives it: offload workers may be writing an intent into it
    // when the agent stops, and answers dropped with the loop still audit their outcome.
    std::unique_ptr<AuditLog> m_audit;
    std::unique_ptr<EventLoop> m_loop;
    MethodRegistry m_registry;
    Publisher m_publisher;
    std::unique_ptr<Server> m_server;
    std::unique_ptr<AgentContext> m_context;
    std::vector<std::unique_ptr<Module>> m_modules;
    std::vector<proto::Role> m_roles;
    std::vector<EventSource> m_signals;
};

} // namespace hadeck::agent
