#include "hadeck/agent/actions/failover_module.h"

#include "action_util.h"

#include "hadeck/agent/actions/failover.h"
#include "hadeck/agent/event_loop.h"
#include "hadeck/agent/log.h"
#include "hadeck/agent/publisher.h"
#include "hadeck/agent/registry.h"
#include "hadeck/probes/keepalived_edit.h"
#include "hadeck/probes/process.h"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <set>
#include <sstream>

#include <sys/wait.h>
#include <unistd.h>

namespace hadeck::agent {

std::vector<std::string> newConfigComplaints(const std::string& before, const std::string& after)
{
    return probes::newKeepalivedComplaints(before, after);
}

Expected<std::string> addFailoverTrack(const std::string& configText, const std::string& instance,
                                       const std::filesystem::path& trackFile)
{
    return probes::addTrackFileToInstance(configText, "keepalived.conf", instance, kFailoverTrackName,
                                          trackFile.string());
}

FailoverModule::FailoverModule(std::unique_ptr<KeepalivedFactsSource> keepalived)
    : m_keepalived(std::move(keepalived))
{
}

FailoverModule::~FailoverModule() = default;

void FailoverModule::start(AgentContext& context)
{
    m_context = &context;
    auto& reg = context.registry;
    reg.add("vrrp.release", proto::PermissionLevel::Operate,
            [this](const CallContext&, const Json& p, Responder r) { setValue(p, 1, std::move(r)); },
            "Drive a VRRP instance or sync group to FAULT through the hadeck_failover track file");
    reg.add("vrrp.restore", proto::PermissionLevel::Operate,
            [this](const CallContext&, const Json& p, Responder r) { setValue(p, 0, std::move(r)); },
            "Clear the FAULT set by vrrp.release");
    reg.add("vrrp.failoverStatus", proto::PermissionLevel::Read,
            [this](const CallContext&, const Json&, Responder r) {
                auto facts = m_keepalived->facts(m_context->config.keepalived.config);
                if (!facts) {
                    r.error(rpc::Unavailable, facts.error().message);
                    return;
                }
                Json out = Json::object();
                for (const auto& [instance, file] : facts->failoverFiles) {
                    auto v = readTrackFile(file);
                    // The instances a release of this one would fault too (they share its file).
                    auto shared = affectedInstances(facts->failoverFiles, {instance});
                    shared.erase(std::remove(shared.begin(), shared.end(), instance), shared.end());
                    out[instance] = Json{{"file", file.string()},
                                         {"value", v && v->has_value() ? Json(**v) : Json(nullptr)},
                                         {"sharedWith", shared}};
                }
                r.result(Json{{"instances", out}});
            },
            "The hadeck_failover track file of each instance and its value");
    reg.add("keepalived.addFailoverTrack", proto::PermissionLevel::Admin,
            [this](const CallContext&, const Json& p, Responder r) {
                const std::string instance = p.is_object() ? p.value("instance", std::string()) : std::string();
                if (instance.empty()) {
                    r.error(rpc::InvalidParams, "\"instance\" is required");
                    return;
                }
                addTrack(instance, std::move(r));
            },
            "Add the hadeck_failover track_file to an instance, check with keepalived -t and reload");
}

std::optional<std::vector<std::pair<std::string, std::filesystem::path>>>
FailoverModule::targets(const Json& params, Responder& responder, std::vector<std::string>* affected)
{
    const std::string instance = params.is_object() ? params.value("instance", std::string()) : std::string();
    const std::string group = params.is_object() ? params.value("group", std::string()) : std::string();
    if (instance.empty() == group.empty()) {
        responder.error(rpc::InvalidParams, "give exactly one of \"instance\" or \"group\"");
        return std::nullopt;
    }
    auto facts = m_keepalived->facts(m_context->config.keepalived.config);
    if (!facts) {
        responder.error(rpc::Unavailable, "cannot read keepalived's configuration: " + facts.error().message);
        return std::nullopt;
    }
    std::vector<std::string> names;
    if (!group.empty()) {
        const auto g = facts->syncGroups.find(group);
        if (g == facts->syncGroups.end()) {
            responder.error(rpc::InvalidParams, "no vrrp_sync_group " + group + " in keepalived's configuration");
            return std::nullopt;
        }
        names = g->second;
    } else {
        names = {instance};
    }
    std::vector<std::pair<std::string, std::filesystem::path>> out;
    for (const auto& n : names) {
        const auto f = facts->failoverFiles.find(n);
        if (f == facts->failoverFiles.end()) {
            responder.error(rpc::PreconditionFailed,
                            "vrrp_instance " + n + " has no " + kFailoverTrackName +
                                " track_file, so it cannot be driven to FAULT. Add these lines to keepalived's "
                                "configuration, or call keepalived.addFailoverTrack (admin).",
                            Json{{"instance", n}, {"snippet", failoverTrackSnippet(kDefaultFailoverFile, n)}});
            return std::nullopt;
        }
        out.emplace_back(n, f->second);
    }
    if (affected != nullptr) {
        *affected = affectedInstances(facts->failoverFiles, names);
    }
    return out;
}

void FailoverModule::setValue(const Json& params, int value, Responder responder)
{
    std::vector<std::string> affected;
    auto list = targets(params, responder, &affected);
    if (!list) {
        return;
    }
    Json done = Json::array();
    for (const auto& [instance, file] : *list) {
        if (auto st = writeTrackFile(file, value); !st) {
            responder.error(rpc::ActionFailed, st.error().message, Json{{"written", done}, {"affected", affected}});
            return;
        }
        done.push_back(Json{{"instance", instance}, {"file", file.string()}, {"value", value}});
    }
    // The write time on this host's clock: the console compares it with the peer's
    // keepalived last_transition, which the same kind of clock stamps.
    const double at = detail::unixNow();
    m_context->publisher.event(
        Json{{"type", value ? "vrrp.released" : "vrrp.restored"}, {"instances", done}, {"affected", affected}, {"time", at}});
    // "affected": every instance keepalived faults (or clears) through the files written,
    // the ones sharing a track file with the named ones included.
    responder.result(Json{{"written", done}, {"affected", affected}, {"time", at}});
}

} // namespace hadeck::agent

namespace hadeck::agent {

void FailoverModule::addTrack(const std::string& instance, Responder responder)
{
    auto shared = std::make_shared<Responder>(std::move(responder));
    const std::filesystem::path path = m_context->config.keepalived.config;
    const std::string pidFile = m_context->config.keepalived.pidFile.string();
    // Everything that touches the disk or waits for keepalived -t runs off the loop.
    m_context->loop.offload(
        [path, pidFile, instance]() -> Json {
            auto edited = probes::editKeepalivedConfig(path, [&](const std::string& original) {
                return probes::addTrackFileToInstance(original, path.string(), instance, kFailoverTrackName,
                                                      kDefaultFailoverFile);
            });
            if (!edited) {
                const auto& e = edited.error();
                Json data{{"check", e.checkOutput}};
                if (e.code == rpc::PreconditionFailed && e.checkOutput.empty()) {
                    data["snippet"] = failoverTrackSnippet(kDefaultFailoverFile, instance);
                }
                return Json{{"code", e.code}, {"message", e.message}, {"data", data}};
            }
            // Only keepalived itself is reloaded: a stale pid file naming another process signals nothing.
            auto signalled = probes::signalProcessFromPidFile(pidFile, "keepalived", SIGHUP);
            Json out{{"file", path.string()},
                     {"backup", edited->backup.string()},
                     {"check", edited->checkOutput},
                     {"reloaded", signalled.hasValue()},
                     {"checkWarningsBefore", edited->warningsBefore}};
            if (!signalled) {
                out["reloadError"] = signalled.error().message;
            }
            return Json{{"result", out}};
        },
        [shared](Json outcome) {
            if (outcome.contains("result")) {
                shared->result(std::move(outcome["result"]));
                return;
            }
            shared->error(outcome.value("code", int(rpc::ActionFailed)), outcome.value("message", std::string()),
                          outcome.value("data", Json::object()));
        });
}

} // namespace hadeck::agent
