// MooseFS through mfscli (-s '|'), run off the loop; chunkserver maintenance.

#include "hadeck/probes/appdata/mfscli.h"
#include "hadeck/probes/modules/appdata_modules.h"
#include "hadeck/probes/proc_net_tcp.h"
#include "hadeck/probes/process.h"

#include "hadeck/agent/log.h"
#include "hadeck/agent/publisher.h"
#include "hadeck/agent/registry.h"
#include "hadeck/protocol/methods.h"

#include <arpa/inet.h>

#include <cmath>
#include <ctime>
#include <sstream>

namespace hadeck::probes {

using agent::CallContext;
using agent::TypedResponder;

namespace {

/// From the host module's sample of a moment ago when there is one; otherwise a LISTEN-only
/// sock_diag dump, which spares the kernel its walk of the whole established-socket table.
bool listensLocally(const AppdataShared* shared, std::uint16_t port)
{
    if (shared) {
        if (const auto l = shared->listening(port)) {
            return *l;
        }
    }
    if (auto t = readTcpSockets(kTcpListenOnly)) {
        for (const auto& l : tcpListeners(*t)) {
            if (l.localPort == port) {
                return true;
            }
        }
    }
    return false;
}

std::vector<std::string> mfscli(const std::string& master, std::int64_t port, std::string arg)
{
    // -n: addresses as they are. Without it mfscli looks each one up in DNS, which took 10 s
    // (-SCS) and 25 s (-SHD) on a node without a reachable resolver: past the read's timeout.
    return {"mfscli",      "-H", master, "-P", std::to_string(port), "-n", "-s", std::string(1, kMfscliSeparator),
            std::move(arg)};
}

proto::MfsStatus readMfs(const std::string& master, std::int64_t port)
{
    proto::MfsStatus s;
    auto sin = runProcess(mfscli(master, port, "-SIN"), 10000);
    if (!sin || sin->exitCode != 0) {
        s.reason = "mfscli -SIN against " + master + ":" + std::to_string(port) + " failed: " +
                   (sin ? sin->output.substr(0, 300) : sin.error().message);
        return s;
    }
    auto info = parseMfsMasterInfo(sin->output);
    if (!info) {
        s.reason = info.error().message;
        return s;
    }
    s.master = *info;
    const auto section = [&](const char* arg, auto parse, auto& out) {
        auto r = runProcess(mfscli(master, port, arg), 10000);
        if (!r || r->exitCode != 0) {
            s.reason += std::string(s.reason.empty() ? "" : "; ") + "mfscli " + arg + " failed";
            return;
        }
        if (auto v = parse(r->output)) {
            out = std::move(*v);
        } else {
            s.reason += std::string(s.reason.empty() ? "" : "; ") + v.error().message;
        }
    };
    section("-SCS", parseMfsChunkservers, s.chunkservers);
    section("-SMB", parseMfsMetaloggers, s.metaloggers);
    section("-SHD", parseMfsDisks, s.disks);
    for (const auto& d : s.disks) {
        for (auto& cs : s.chunkservers) {
            if (d.server == cs.host + ":" + std::to_string(cs.port)) {
                cs.errors += d.errors;
            }
        }
    }
    s.master->chunkservers = static_cast<std::uint32_t>(s.chunkservers.size());
    s.ok = true;
    return s;
}

proto::ActionResult maintenance(const std::string& master, std::int64_t port, const proto::MfsMaintenanceParams& p)
{
    proto::ActionResult out;
    // The preflight needs the chunkservers only: one mfscli, not the four of a full read.
    proto::MfsStatus s;
    // Right after a chunkserver reconnects the master can take over 10 s to answer.
    auto scs = runProcess(mfscli(master, port, "-SCS"), 30000);
    if (!scs || scs->exitCode != 0) {
        out.message = "refused: mfscli -SCS against " + master + " failed: " +
                      (scs ? scs->output.substr(0, 300) : scs.error().message);
        return out;
    }
    if (auto cs = parseMfsChunkservers(scs->output)) {
        s.chunkservers = std::move(*cs);
    } else {
        out.message = "refused: " + cs.error().message;
        return out;
    }
    const proto::MfsChunkserver* target = nullptr;
    std::size_t inMaintenance = 0;
    for (const auto& cs : s.chunkservers) {
        if (cs.maintenance != "off" && cs.maintenance != "-") {
            ++inMaintenance;
        }
        if (cs.host == p.host && cs.port == p.port) {
            target = &cs;
        }
    }
    if (!target) {
        out.message = "refused: " + p.host + ":" + std::to_string(p.port) + " is not a chunkserver of this master";
        return out;
    }
    const bool already = target->maintenance != "off";
    const std::size_t after = inMaintenance + (p.on && !already ? 1 : 0) - (!p.on && already ? 1 : 0);
    const std::size_t total = s.chunkservers.size();
    const double pct = total ? 100.0 * static_cast<double>(after) / static_cast<double>(total) : 0;
    out.preflight.push_back(p.host + ":" + std::to_string(p.port) + (target->connected ? " connected" : " disconnected") +
                            ", maintenance " + target->maintenance);
    char line[200];
    std::snprintf(line, sizeof line, "after this: %zu of %zu chunkservers in maintenance (%.0f %%)", after, total, pct);
    out.preflight.push_back(line);
    out.preflight.push_back("the master ignores maintenance once 20 % or more of the chunkservers are in it");
    if (p.on && pct >= 20.0) {
        out.warnings.push_back(std::string(line) + ": at 20 % or more the master ignores maintenance and "
                                                   "replicates the chunks of these servers anyway");
    }
    const std::string cmd = std::string(p.on ? "-CM1/" : "-CM0/") + p.host + "/" + std::to_string(p.port);
    out.preflight.push_back("will run: mfscli " + cmd);
    if (p.dryRun) {
        out.message = "dry run: nothing changed";
        return out;
    }
    auto r = runProcess({"mfscli", "-H", master, "-P", std::to_string(port), cmd}, 30000);
    if (!r || r->exitCode != 0) {
        out.message = "failed: " + (r ? r->output.substr(0, 300) : r.error().message);
        return out;
    }
    out.done = true;
    out.message = r->output.substr(0, 300);
    return out;
}

} // namespace

std::vector<proto::Role> MooseFsModule::detectRoles()
{
    std::vector<proto::Role> roles;
    if (listensLocally(m_shared.get(), 9421)) {
        roles.push_back(proto::Role::MfsMaster);
    }
    if (listensLocally(m_shared.get(), 9422)) {
        roles.push_back(proto::Role::MfsChunkserver);
    }
    return roles;
}

void MooseFsModule::reload(const agent::AgentConfig& config)
{
    m_master = moduleSetting(config, "moosefs", "master", "127.0.0.1");
    m_port = moduleSetting(config, "moosefs", "port", 9421, 1, 65535);
    const auto interval = std::chrono::milliseconds(moduleSetting(config, "moosefs", "interval_ms", 5000, 1000, 3600000));
    if (m_context && interval != m_interval) {
        arm(interval);
    }
}

void MooseFsModule::start(agent::AgentContext& context)
{
    m_context = &context;
    m_last.reason = "not sampled yet";
    context.registry.add(proto::methods::MfsStatusGet, this, &MooseFsModule::status);
    context.publisher.setSnapshot(std::string(proto::topic::Mfs), [this] { return rpc::Json(m_last); });
    context.registry.add(proto::methods::MfsSetMaintenance, this, &MooseFsModule::setMaintenance);
    reload(context.config);
}

void MooseFsModule::status(const agent::CallContext&, proto::Empty, agent::TypedResponder<proto::MfsStatus> r)
{
    r.result(m_last);
}

void MooseFsModule::setMaintenance(const CallContext&, proto::MfsMaintenanceParams p,
                                   TypedResponder<proto::ActionResult> r)
{
    in_addr a{};
    if (::inet_pton(AF_INET, p.host.c_str(), &a) != 1 || p.port == 0) {
        r.error(rpc::InvalidParams, "host must be a chunkserver's IPv4 address and port its port (9422)");
        return;
    }
    m_context->loop.offload([master = m_master, port = m_port,
                             p]() -> Expected<proto::ActionResult> { return maintenance(master, port, p); },
                            [this, r = std::make_shared<TypedResponder<proto::ActionResult>>(std::move(r))](
                                const Expected<proto::ActionResult>& done) {
                                poll(); // show the change now, not at the next interval
                                answerAction(*r, done);
                            });
}

void MooseFsModule::arm(std::chrono::milliseconds interval)
{
    m_interval = interval;
    auto timer = m_context->loop.addTimer(interval, true, [this] { poll(); });
    if (!timer) {
        agent::logError("moosefs: cannot start the sample timer: " + timer.error().message);
        return;
    }
    m_timer = std::move(*timer);
    poll();
}

void MooseFsModule::poll()
{
    // Only the master's node (or one told where the master is) asks: mfscli costs a process per section.
    const bool configured = m_master != "127.0.0.1";
    if (m_inFlight || (!configured && !listensLocally(m_shared.get(), static_cast<std::uint16_t>(m_port)))) {
        if (!m_inFlight) {
            m_last = {};
            m_last.reason = "no MooseFS master on this node (nothing listens on " + std::to_string(m_port) + ")";
        }
        return;
    }
    m_inFlight = true;
    m_context->loop.offload([master = m_master,
                             port = m_port]() -> Expected<proto::MfsStatus> { return readMfs(master, port); },
                            [this](Expected<proto::MfsStatus> sampled) {
                                m_inFlight = false;
                                proto::MfsStatus s;
                                if (!sampled) {
                                    s.reason = sampled.error().message;
                                } else {
                                    s = std::move(*sampled);
                                }
                                if (s.ok && s.master) {
                                    const auto t = static_cast<std::int64_t>(std::time(nullptr));
                                    auto& h = m_shared->history;
                                    h.record("mfs.undergoalChunks", t, static_cast<double>(s.master->undergoalChunks));
                                    h.record("mfs.missingChunks", t, static_cast<double>(s.master->missingChunks));
                                    if (s.master->totalSpaceBytes > 0) {
                                        h.record("mfs.usedPct", t,
                                                 100.0 - 100.0 * static_cast<double>(s.master->availSpaceBytes) /
                                                             static_cast<double>(s.master->totalSpaceBytes));
                                    }
                                }
                                const bool changed = rpc::Json(s) != rpc::Json(m_last);
                                m_last = std::move(s);
                                if (changed && m_context->publisher.subscriberCount(proto::topic::Mfs) > 0) {
                                    m_context->publisher.publish(proto::topic::Mfs, rpc::Json(m_last));
                                }
                            });
}

} // namespace hadeck::probes
