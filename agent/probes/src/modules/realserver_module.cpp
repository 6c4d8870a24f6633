#include "hadeck/probes/modules/realserver_module.h"

#include "hadeck/agent/event_loop.h"
#include "hadeck/agent/files.h"
#include "hadeck/agent/log.h"
#include "hadeck/agent/registry.h"
#include "hadeck/probes/lvs_dr.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>

#include <unistd.h>

namespace hadeck::probes {

using agent::CallContext;
using agent::Json;
using agent::Responder;
using proto::PermissionLevel;

Json toJson(const std::vector<DrFinding>& findings)
{
    Json out = Json::array();
    for (const auto& f : findings) {
        Json j{{"check", f.check}, {"subject", f.subject}, {"severity", toString(f.severity)}, {"ok", f.ok()},
               {"message", f.message}};
        if (!f.breaks.empty()) {
            j["breaks"] = f.breaks;
        }
        if (!f.fix.empty()) {
            j["fix"] = f.fix;
        }
        if (f.effective) {
            j["all"] = f.allValue.value_or(0);
            j["interface"] = f.interfaceValue.value_or(0);
            j["effective"] = *f.effective;
            j["winner"] = f.winner;
        }
        out.push_back(std::move(j));
    }
    return out;
}

namespace {

std::vector<std::string> vipsOnLo()
{
    std::vector<std::string> out;
    auto snap = readDrSnapshot();
    if (!snap) {
        return out;
    }
    for (const auto& a : snap->addresses) {
        const bool loopback = a.address.rfind("127.", 0) == 0 || a.address == "::1";
        if (a.interface == "lo" && !loopback) {
            out.push_back(a.address);
        }
    }
    return out;
}

Json runCheck(const std::vector<std::string>& vips, const std::vector<std::uint16_t>& ports)
{
    auto snap = readDrSnapshot();
    if (!snap) {
        return Json{{"error", snap.error().message}};
    }
    const auto findings = checkLvsDr(*snap, DrExpectation{vips, ports});
    bool ok = true;
    for (const auto& f : findings) {
        ok = ok && f.ok();
    }
    return Json{{"ok", ok}, {"vips", vips}, {"findings", toJson(findings)}};
}

std::vector<std::string> stringList(const Json& j)
{
    std::vector<std::string> out;
    if (j.is_array()) {
        for (const auto& x : j) {
            if (x.is_string()) {
                out.push_back(x.get<std::string>());
            }
        }
    }
    return out;
}

} // namespace

std::vector<proto::Role> RealServerModule::detectRoles()
{
    if (!vipsOnLo().empty() || !configuredVips().empty()) {
        return {proto::Role::RealServer};
    }
    return {};
}

std::vector<std::string> RealServerModule::configuredVips() const
{
    if (m_context == nullptr) {
        return {};
    }
    const auto& m = m_context->config.modules;
    if (m.contains("realserver") && m["realserver"].is_object() && m["realserver"].contains("vips")) {
        return stringList(m["realserver"]["vips"]);
    }
    return {};
}

std::vector<std::uint16_t> RealServerModule::configuredPorts() const
{
    std::vector<std::uint16_t> out;
    if (m_context != nullptr) {
        const auto& m = m_context->config.modules;
        if (m.contains("realserver") && m["realserver"].is_object() && m["realserver"].contains("ports") &&
            m["realserver"]["ports"].is_array()) {
            for (const auto& p : m["realserver"]["ports"]) {
                if (p.is_number_unsigned() && p.get<unsigned>() <= 65535) {
                    out.push_back(static_cast<std::uint16_t>(p.get<unsigned>()));
                }
            }
        }
    }
    return out.empty() ? std::vector<std::uint16_t>{80} : out;
}

std::string RealServerModule::statePath() const { return (m_context->stateDir / "realserver.json").string(); }

void RealServerModule::start(agent::AgentContext& context)
{
    m_context = &context;
    const auto vipsFor = [this](const Json& params) {
        auto v = params.is_object() && params.contains("vips") ? stringList(params["vips"]) : configuredVips();
        return v.empty() ? vipsOnLo() : v;
    };

    context.registry.add(
        "realserver.check", PermissionLevel::Read,
        [this, vipsFor](const CallContext&, const Json& params, Responder r) {
            auto ports = configuredPorts();
            if (params.is_object() && params.contains("ports") && params["ports"].is_array()) {
                ports.clear();
                for (const auto& p : params["ports"]) {
                    if (p.is_number_unsigned() && p.get<unsigned>() <= 65535) {
                        ports.push_back(static_cast<std::uint16_t>(p.get<unsigned>()));
                    }
                }
            }
            const auto vips = vipsFor(params);
            auto shared = std::make_shared<Responder>(std::move(r));
            m_context->loop.offload([vips, ports] { return runCheck(vips, ports); },
                                    [shared](Json result) {
                                        if (result.contains("error")) {
                                            shared->error(rpc::Unavailable, result["error"].get<std::string>());
                                        } else {
                                            shared->result(std::move(result));
                                        }
                                    });
        },
        "The LVS-DR conformance check: VIP on lo, arp_ignore/arp_announce, rp_filter, listeners");

    const auto action = [this, vipsFor](bool apply) {
        return [this, vipsFor, apply](const CallContext&, const Json& params, Responder r) {
            const auto vips = apply ? vipsFor(params) : vipsFor(params);
            const auto ports = configuredPorts();
            const auto state = statePath();
            auto shared = std::make_shared<Responder>(std::move(r));
            m_context->loop.offload(
                [vips, ports, state, apply]() -> Json {
                    const auto st = apply ? applyDrSettings(vips) : revertDrSettings(vips);
                    if (!st) {
                        return Json{{"error", st.error().message}};
                    }
                    // The offload pool has several threads: writeFileAtomically takes a fresh mkostemp
                    // temporary per call, so concurrent applies never write into the same file.
                    Status persisted;
                    if (apply) {
                        persisted = agent::files::writeFileAtomically(
                            state, Json{{"applied", true}, {"vips", vips}}.dump() + "\n",
                            agent::files::WriteOptions{.mode = 0640, .createParents = true});
                    } else if (::unlink(state.c_str()) != 0 && errno != ENOENT) {
                        persisted = fail(state + ": " + std::strerror(errno));
                    }
                    if (!persisted) {
                        return Json{{"error", "applied, but cannot persist " + state + ": " + persisted.error().message}};
                    }
                    return runCheck(vips, ports);
                },
                [shared](Json result) {
                    if (result.contains("error")) {
                        shared->error(rpc::ActionFailed, result["error"].get<std::string>());
                    } else {
                        shared->result(std::move(result));
                    }
                });
        };
    };
    context.registry.add("realserver.apply", PermissionLevel::Admin, action(true),
                         "Puts the VIPs on lo and sets arp_ignore=1/arp_announce=2 (lvs_real start); persisted");
    context.registry.add("realserver.revert", PermissionLevel::Admin, action(false),
                         "Removes the VIPs from lo and resets the ARP sysctls (lvs_real stop); persisted");

    // Re-apply what an admin applied before a reboot.
    auto saved = agent::files::readFileIfExists(statePath());
    if (!saved) {
        agent::logError("realserver: " + saved.error().message);
    } else if (saved->has_value()) {
        const auto state = Json::parse(**saved, nullptr, false);
        if (!state.is_discarded() && state.value("applied", false)) {
            const auto vips = stringList(state.value("vips", Json::array()));
            context.loop.offload([vips] {
                const auto st = applyDrSettings(vips);
                return st ? Json{{"ok", true}} : Json{{"error", st.error().message}};
            },
                                 [](Json result) {
                                     if (result.contains("error")) {
                                         agent::logError("realserver: cannot re-apply the DR settings: " +
                                                         result["error"].get<std::string>());
                                     } else {
                                         agent::logInfo("realserver: re-applied the DR settings from the state file");
                                     }
                                 });
        }
    }
}

} // namespace hadeck::probes
