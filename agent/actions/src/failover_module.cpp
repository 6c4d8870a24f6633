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
    reg.add(proto::methods::VrrpRelease, this, &FailoverModule::release);
    reg.add(proto::methods::VrrpRestore, this, &FailoverModule::restore);
    reg.add(proto::methods::VrrpFailoverStatus, this, &FailoverModule::status);
    reg.add(proto::methods::KeepalivedAddFailoverTrack, this, &FailoverModule::addTrack);
}

void FailoverModule::release(const CallContext&, proto::FailoverTarget params,
                             TypedResponder<proto::FailoverWriteResult> r)
{
    setValue(params, 1, std::move(r));
}

void FailoverModule::restore(const CallContext&, proto::FailoverTarget params,
                             TypedResponder<proto::FailoverWriteResult> r)
{
    setValue(params, 0, std::move(r));
}

void FailoverModule::status(const CallContext&, proto::Empty, TypedResponder<proto::FailoverStatusResult> r)
{
    auto facts = m_keepalived->facts(m_context->config.keepalived.config);
    if (!facts) {
        r.error(rpc::Unavailable, facts.error().message);
        return;
    }
    proto::FailoverStatusResult out;
    for (const auto& [instance, file] : facts->failoverFiles) {
        auto v = readTrackFile(file);
        // The instances a release of this one would fault too (they share its file).
        auto shared = affectedInstances(facts->failoverFiles, {instance});
        shared.erase(std::remove(shared.begin(), shared.end(), instance), shared.end());
        out.instances[instance] = proto::FailoverFileState{
            file.string(), v && v->has_value() ? std::optional<std::int64_t>(**v) : std::nullopt, std::move(shared)};
    }
    r.result(out);
}

void FailoverModule::addTrack(const CallContext&, proto::AddFailoverTrackParams p,
                              TypedResponder<proto::AddFailoverTrackResult> r)
{
    const std::string instance = p.instance; // checked non-empty by the declaration
    auto shared = std::make_shared<TypedResponder<proto::AddFailoverTrackResult>>(std::move(r));
    const std::filesystem::path path = m_context->config.keepalived.config;
    const std::string pidFile = m_context->config.keepalived.pidFile.string();
    // What a refusal carries besides its code and message (keepalived -t's output, the lines to add).
    auto refusal = std::make_shared<proto::TrackSnippetData>();
    // Everything that touches the disk or waits for keepalived -t runs off the loop.
    m_context->loop.offload(
        [path, pidFile, instance, refusal]() -> Expected<proto::AddFailoverTrackResult> {
            auto edited = probes::editKeepalivedConfig(path, [&](const std::string& original) {
                return probes::addTrackFileToInstance(original, path.string(), instance, kFailoverTrackName,
                                                      kDefaultFailoverFile);
            });
            if (!edited) {
                const auto& e = edited.error();
                refusal->check = e.checkOutput;
                if (e.code == rpc::PreconditionFailed && e.checkOutput.empty()) {
                    refusal->instance = instance;
                    refusal->snippet = failoverTrackSnippet(kDefaultFailoverFile, instance);
                }
                return fail(e.message, e.code);
            }
            // Only keepalived itself is reloaded: a stale pid file naming another process signals nothing.
            auto signalled = probes::signalProcessFromPidFile(pidFile, "keepalived", SIGHUP);
            proto::AddFailoverTrackResult done;
            done.file = path.string();
            done.backup = edited->backup.string();
            done.check = edited->checkOutput;
            done.reloaded = signalled.hasValue();
            done.checkWarningsBefore = edited->warningsBefore;
            if (!signalled) {
                done.reloadError = signalled.error().message;
            }
            return done;
        },
        [shared, refusal](Expected<proto::AddFailoverTrackResult> done) {
            if (done) {
                shared->result(*done);
                return;
            }
            const int code = done.error().code != 0 ? done.error().code : rpc::ActionFailed;
            shared->error(code, done.error().message, proto::toJson(*refusal));
        });
}

std::optional<std::vector<std::pair<std::string, std::filesystem::path>>>
FailoverModule::targets(const proto::FailoverTarget& params, TypedResponder<proto::FailoverWriteResult>& responder,
                        std::vector<std::string>* affected)
{
    const std::string& instance = params.instance;
    const std::string& group = params.group;
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
                            proto::toJson(proto::TrackSnippetData{n, failoverTrackSnippet(kDefaultFailoverFile, n), {}}));
            return std::nullopt;
        }
        out.emplace_back(n, f->second);
    }
    if (affected != nullptr) {
        *affected = affectedInstances(facts->failoverFiles, names);
    }
    return out;
}

void FailoverModule::setValue(const proto::FailoverTarget& params, int value,
                              TypedResponder<proto::FailoverWriteResult> responder)
{
    std::vector<std::string> affected;
    auto list = targets(params, responder, &affected);
    if (!list) {
        return;
    }
    // The caller named what it expects to move (what its preflight showed the admin): a
    // configuration changed since then moves nothing it did not name.
    if (params.affected) {
        std::vector<std::string> named = *params.affected;
        std::sort(named.begin(), named.end());
        named.erase(std::unique(named.begin(), named.end()), named.end());
        std::vector<std::string> moved = affected;
        std::sort(moved.begin(), moved.end());
        if (named != moved) {
            const auto join = [](const std::vector<std::string>& v) {
                std::string out;
                for (const auto& s : v) {
                    out.append(out.empty() ? "" : ", ").append(s);
                }
                return out.empty() ? std::string("nothing") : out;
            };
            responder.error(rpc::PreconditionFailed,
                            "the request expects " + join(named) + " to move, but keepalived's configuration makes " +
                                "this write move " + join(moved) +
                                " (instances share a track file); nothing was written. Look again and retry.",
                            proto::toJson(proto::FailoverWriteResult{{}, affected, 0}));
            return;
        }
    }
    std::vector<proto::TrackFileWrite> done;
    for (const auto& [instance, file] : *list) {
        if (auto st = writeTrackFile(file, value); !st) {
            responder.error(rpc::ActionFailed, st.error().message,
                            proto::toJson(proto::FailoverWriteResult{done, affected, 0}));
            return;
        }
        done.push_back(proto::TrackFileWrite{instance, file.string(), value});
    }
    // The write time on this host's clock: the console compares it with the peer's
    // keepalived last_transition, which the same kind of clock stamps.
    const double at = detail::unixNow();
    m_context->publisher.event(Json(proto::FailoverEvent{value != 0, done, affected, at}));
    responder.result(proto::FailoverWriteResult{std::move(done), std::move(affected), at});
}

} // namespace hadeck::agent
