#include "hadeck/probes/modules/realserver_module.h"

#include "hadeck/agent/event_loop.h"
#include "hadeck/agent/files.h"
#include "hadeck/agent/log.h"
#include "hadeck/agent/registry.h"
#include "hadeck/probes/lvs_dr.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
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
    context.registry.add(proto::methods::RealServerCheck, this, &RealServerModule::check);
    context.registry.add(proto::methods::RealServerApply, this, &RealServerModule::apply);
    context.registry.add(proto::methods::RealServerRevert, this, &RealServerModule::revert);

    // Re-apply what an admin applied before a reboot.
    auto saved = agent::files::readFileIfExists(statePath());
    if (!saved) {
        agent::logError("realserver: " + saved.error().message);
    } else if (saved->has_value()) {
        const auto state = Json::parse(**saved, nullptr, false);
        if (!state.is_discarded() && state.value("applied", false)) {
            const auto vips = stringList(state.value("vips", Json::array()));
            context.loop.offload(
                [vips] {
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

std::vector<std::string> RealServerModule::vipsFor(const std::optional<std::vector<std::string>>& given) const
{
    auto v = given ? *given : configuredVips();
    return v.empty() ? vipsOnLo() : v;
}

namespace {

/// Answers with the check's result, or @p failure with the error runCheck or the action reported.
void answerCheck(agent::TypedResponder<proto::DrCheckResult>& r, const Json& result, int failure)
{
    if (result.contains("error")) {
        r.error(failure, result["error"].get<std::string>());
        return;
    }
    auto decoded = proto::fromJson<proto::DrCheckResult>(result);
    if (!decoded) {
        r.error(rpc::InternalError, decoded.error().message);
        return;
    }
    r.result(*decoded);
}

} // namespace

void RealServerModule::check(const CallContext&, proto::RealServerCheckParams p,
                             agent::TypedResponder<proto::DrCheckResult> r)
{
    const auto ports = p.ports ? *p.ports : configuredPorts();
    const auto vips = vipsFor(p.vips);
    auto shared = std::make_shared<agent::TypedResponder<proto::DrCheckResult>>(std::move(r));
    m_context->loop.offload([vips, ports] { return runCheck(vips, ports); },
                            [shared](Json result) { answerCheck(*shared, result, rpc::Unavailable); });
}

void RealServerModule::apply(const CallContext&, proto::RealServerApplyParams p,
                             agent::TypedResponder<proto::DrCheckResult> r)
{
    applyOrRevert(vipsFor(p.vips), true, std::move(r));
}

void RealServerModule::revert(const CallContext&, proto::RealServerApplyParams p,
                              agent::TypedResponder<proto::DrCheckResult> r)
{
    applyOrRevert(vipsFor(p.vips), false, std::move(r));
}

void RealServerModule::applyOrRevert(std::vector<std::string> vips, bool apply,
                                     agent::TypedResponder<proto::DrCheckResult> r)
{
    const auto ports = configuredPorts();
    const auto state = statePath();
    auto shared = std::make_shared<agent::TypedResponder<proto::DrCheckResult>>(std::move(r));
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
        [shared](Json result) { answerCheck(*shared, result, rpc::ActionFailed); });
}

} // namespace hadeck::probes
