#include "agent.h"

#include "modules.h"

#include "hadeck/protocol/methods.h"

#include "hadeck/agent/log.h"
#include "hadeck/protocol/types.h"
#include "hadeck/protocol/version.h"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <ctime>

#include <sys/resource.h>
#include <unistd.h>

#include <systemd/sd-daemon.h>

namespace hadeck::agent {

using proto::PermissionLevel;

namespace {

// The soft open-file limit (1024 by default under systemd) is raised to the
// hard one: clients, state files and children's pipes all need fds.
void raiseFdLimit()
{
    rlimit lim{};
    if (::getrlimit(RLIMIT_NOFILE, &lim) != 0 || lim.rlim_cur >= lim.rlim_max) {
        return;
    }
    const rlim_t was = lim.rlim_cur;
    lim.rlim_cur = lim.rlim_max;
    if (::setrlimit(RLIMIT_NOFILE, &lim) != 0) {
        logWarning(std::string("cannot raise the open-file limit: ") + std::strerror(errno));
        return;
    }
    logDebug("open-file limit raised from " + std::to_string(was) + " to " + std::to_string(lim.rlim_cur));
}

} // namespace

Agent::Agent(AgentOptions options) : m_options(std::move(options)) {}

Agent::~Agent()
{
    // Modules may hold event sources; they go before the loop.
    m_modules.clear();
    m_server.reset();
    m_signals.clear();
}

Expected<AgentConfig> Agent::readConfig() const
{
    auto config = loadConfig(m_options.configPath);
    if (!config) {
        return config;
    }
    if (m_options.socketOverride) {
        config->socketPath = *m_options.socketOverride;
    }
    for (const auto& w : config->warnings) {
        logWarning(w);
    }
    return config;
}

void Agent::detectRoles()
{
    if (m_config.roles) {
        m_roles = *m_config.roles;
        return;
    }
    std::vector<proto::Role> roles;
    for (const auto& module : m_modules) {
        try {
            for (const auto r : module->detectRoles()) {
                if (std::find(roles.begin(), roles.end(), r) == roles.end()) {
                    roles.push_back(r);
                }
            }
        } catch (const std::exception& e) {
            logError("module " + std::string(module->name()) + ": role detection failed: " + e.what());
        }
    }
    std::sort(roles.begin(), roles.end());
    m_roles = std::move(roles);
}

void Agent::registerBuiltins()
{
    m_registry.add(proto::methods::Hello, this, &Agent::hello);
    m_registry.add(proto::methods::Ping, [](const CallContext&, proto::Empty, TypedResponder<proto::PingResult> r) {
        r.result(proto::PingResult{true, static_cast<std::int64_t>(std::time(nullptr))});
    });
    m_registry.add(proto::methods::Subscribe, this, &Agent::subscribe);
    m_registry.add(proto::methods::Unsubscribe, this, &Agent::unsubscribe);
    m_registry.add(proto::methods::Methods, this, &Agent::methods);
    m_registry.add(proto::methods::AuditVerify, this, &Agent::auditVerify);
    m_registry.add(proto::methods::AuditTail, this, &Agent::auditTail);
    m_registry.add(proto::methods::SetLogLevel, this, &Agent::setLogLevel);
    m_registry.add(proto::methods::Reload, this, &Agent::reloadCall);
}

void Agent::hello(const CallContext& caller, proto::HelloParams, TypedResponder<proto::HelloResult> r)
{
    proto::HelloResult hello;
    hello.agentVersion = kVersion;
    hello.node = m_config.nodeName;
    hello.roles = m_roles;
    hello.capabilities = m_registry.callableAt(caller.level);
    hello.user = caller.user;
    hello.permission = caller.level;
    if (caller.level == PermissionLevel::None) {
        hello.hint = "user " + caller.user +
                     " is in none of the groups hadeck, hadeck-operator, "
                     "hadeck-admin; add it to \"hadeck\" for read access";
    }
    r.result(hello);
}

void Agent::subscribe(const CallContext& caller, proto::SubscribeParams p, TypedResponder<proto::SubscribeResult> r)
{
    // Unknown topics are never stored. A request naming none that exists is an
    // error; known ones beside unknown ones are kept, and the answer lists them.
    std::string unknown;
    bool anyKnown = false;
    for (const auto& t : p.topics) {
        if (m_publisher.isKnownTopic(t)) {
            anyKnown = true;
        } else if (unknown.size() < 200) {
            unknown += (unknown.empty() ? "" : ", ") + t;
        }
    }
    if (!anyKnown && !p.topics.empty()) {
        std::string known;
        for (const auto& t : m_publisher.knownTopics()) {
            known += (known.empty() ? "" : ", ") + t;
        }
        r.error(rpc::InvalidParams, "unknown topic(s) " + unknown + "; this agent publishes: " + known);
        return;
    }
    r.result(proto::SubscribeResult{m_publisher.subscribe(caller.clientId, p.topics)});
    m_publisher.sendSnapshots(caller.clientId, p.topics);
}

void Agent::unsubscribe(const CallContext& caller, proto::SubscribeParams p, TypedResponder<proto::SubscribeResult> r)
{
    r.result(proto::SubscribeResult{m_publisher.unsubscribe(caller.clientId, p.topics)});
}

void Agent::auditTail(const CallContext&, proto::AuditTailParams p, TypedResponder<proto::AuditTailResult> r)
{
    // Reading the log is slow work: off the loop.
    m_loop->offload([path = m_audit->path(), p] { return AuditLog::tail(path, p); },
                    [r = std::make_shared<TypedResponder<proto::AuditTailResult>>(std::move(r))](
                        Expected<proto::AuditTailResult> result) {
                        if (!result) {
                            r->error(rpc::ActionFailed, result.error().message);
                        } else {
                            r->result(*result);
                        }
                    });
}

void Agent::methods(const CallContext& caller, proto::Empty, TypedResponder<proto::MethodsResult> r)
{
    proto::MethodsResult out;
    for (const MethodInfo* m : m_registry.methods()) {
        out.methods.push_back(proto::MethodDescription{m->name, m->needed, std::string(proto::groupFor(m->needed)),
                                                       caller.level >= m->needed, m->description});
    }
    r.result(out);
}

void Agent::auditVerify(const CallContext&, proto::Empty, TypedResponder<proto::AuditVerifyResult> r)
{
    // Reading a long log is slow work: off the loop.
    m_loop->offload(
        [audit = m_audit.get(), path = m_audit->path()]() -> Expected<proto::AuditVerifyResult> {
            // The log as of one moment, while the writer goes on appending and rotating.
            auto v = audit->isOpen() ? audit->verifyLive() : AuditLog::verify(path);
            if (!v) {
                return Unexpected<Failure>{v.error()};
            }
            return proto::AuditVerifyResult{path.string(), v->ok, static_cast<std::uint64_t>(v->lines),
                                            static_cast<std::uint64_t>(v->brokenLine), v->reason};
        },
        [r = std::make_shared<TypedResponder<proto::AuditVerifyResult>>(std::move(r))](
            Expected<proto::AuditVerifyResult> result) {
            if (!result) {
                r->error(rpc::ActionFailed, result.error().message);
            } else {
                r->result(*result);
            }
        });
}

void Agent::setLogLevel(const CallContext&, proto::SetLogLevelParams p, TypedResponder<proto::SetLogLevelResult> r)
{
    switch (p.level) {
    case proto::LogLevelName::Debug: agent::setLogLevel(LogLevel::Debug); break;
    case proto::LogLevelName::Info: agent::setLogLevel(LogLevel::Info); break;
    case proto::LogLevelName::Warning: agent::setLogLevel(LogLevel::Warning); break;
    case proto::LogLevelName::Error: agent::setLogLevel(LogLevel::Error); break;
    }
    r.result(proto::SetLogLevelResult{p.level});
}

void Agent::reloadCall(const CallContext&, proto::Empty, TypedResponder<proto::ReloadResult> r)
{
    auto config = readConfig();
    if (!config) {
        r.error(rpc::PreconditionFailed, config.error().message);
        return;
    }
    reload();
    r.result(proto::ReloadResult{m_config.nodeName, m_config.warnings});
}

void Agent::reload()
{
    sd_notify(0, "RELOADING=1\nSTATUS=reloading configuration");
    auto config = readConfig();
    if (!config) {
        logError("reload refused, keeping the running configuration: " + config.error().message);
        sd_notify(0, "READY=1\nSTATUS=reload failed; running with the previous configuration");
        m_publisher.event(Json{{"type", proto::event::AgentReloadFailed}, {"node", m_config.nodeName},
                               {"message", config.error().message}});
        return;
    }
    if (config->socketPath != m_config.socketPath || config->auditPath != m_config.auditPath ||
        config->stateDir != m_config.stateDir) {
        logWarning("socket, state and audit paths change only on restart; keeping the running ones");
        config->socketPath = m_config.socketPath;
        config->auditPath = m_config.auditPath;
        config->stateDir = m_config.stateDir;
    }
    m_config = std::move(*config);
    m_server->applyLimits(m_config);
    for (const auto& module : m_modules) {
        try {
            module->reload(m_config);
        } catch (const std::exception& e) {
            logError("module " + std::string(module->name()) + ": reload failed: " + e.what());
        }
    }
    detectRoles();
    logInfo("configuration reloaded" + (m_config.source.empty() ? std::string(" (defaults)")
                                                                  : " from " + m_config.source.string()));
    m_publisher.event(Json{{"type", proto::event::AgentReloaded}, {"node", m_config.nodeName}});
    sd_notify(0, "READY=1\nSTATUS=running");
}

void Agent::shutdown(int signo)
{
    logInfo(std::string("shutting down on ") + sigabbrev_np(signo));
    sd_notify(0, "STOPPING=1");
    m_loop->exit(0);
}

int Agent::run()
{
    auto config = readConfig();
    if (!config) {
        logError(config.error().message);
        return 1;
    }
    m_config = std::move(*config);
    raiseFdLimit();

    auto loop = EventLoop::create();
    if (!loop) {
        logError("cannot create the event loop: " + loop.error().message);
        return 1;
    }
    m_loop = std::move(*loop);

    for (const int signo : {SIGTERM, SIGINT}) {
        auto s = m_loop->addSignal(signo, [this](int sig) { shutdown(sig); });
        if (!s) {
            logError("cannot watch signals: " + s.error().message);
            return 1;
        }
        m_signals.push_back(std::move(*s));
    }
    if (auto s = m_loop->addSignal(SIGHUP, [this](int) { reload(); }); s) {
        m_signals.push_back(std::move(*s));
    }
    // A console vanishing mid-write must not kill the agent.
    std::signal(SIGPIPE, SIG_IGN);

    m_audit = std::make_unique<AuditLog>(m_config.auditPath);
    if (auto opened = m_audit->open(); !opened) {
        // Reads still work; the dispatcher refuses changes while the log cannot be written.
        logError(opened.error().message);
    } else if (!m_audit->openWarning().empty()) {
        logError(m_audit->openWarning());
    }
    m_registry.setAuditLog(m_audit.get(), m_loop.get());

    registerBuiltins();
    m_context = std::make_unique<AgentContext>(
        AgentContext{*m_loop, m_registry, m_publisher, *m_audit, m_config, m_config.stateDir});
    const auto startModule = [this](Module& module) {
        try {
            module.start(*m_context);
        } catch (const std::exception& e) {
            logError("module " + std::string(module.name()) + " failed to start: " + e.what());
        }
    };
    // After a restart the held drains' weight 0 goes back first, before the other modules are
    // even built (IPVS, keepalived, nftables and application probes each cost time at start).
    m_modules.clear();
    m_modules.push_back(makeDrainModule());
    startModule(*m_modules.front());
    for (auto& module : makeModules()) {
        m_modules.push_back(std::move(module));
    }
    detectRoles();
    for (std::size_t i = 1; i < m_modules.size(); ++i) {
        startModule(*m_modules[i]);
    }

    m_server = std::make_unique<Server>(*m_loop, m_registry, m_publisher);
    if (auto listening = m_server->listen(m_config); !listening) {
        logError(listening.error().message);
        return 1;
    }
    logInfo("listening on " + m_config.socketPath.string() + " as node " + m_config.nodeName);
    sd_notifyf(0, "READY=1\nSTATUS=listening on %s\nMAINPID=%d", m_config.socketPath.c_str(),
               static_cast<int>(::getpid()));

    const int rc = m_loop->run();
    m_server->stop();
    m_modules.clear();
    if (rc < 0) {
        logError(std::string("event loop failed: ") + std::strerror(-rc));
        return 1;
    }
    return rc;
}

} // namespace hadeck::agent
