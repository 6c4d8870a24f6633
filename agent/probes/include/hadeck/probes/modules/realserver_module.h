#pragma once

// The LVS-DR real-server side.
//   realserver.check   (read)  {"vips"?: [...], "ports"?: [...]} -> {"ok", "findings": [...]}
//   realserver.apply   (admin) {"vips"?: [...]} -> what `lvs_real start` does, then the check
//   realserver.revert  (admin) {"vips"?: [...]} -> what `lvs_real stop` does, then the check
// VIPs default to [modules.realserver] vips in agent.toml, else to the non-loopback
// addresses found on lo. Ports default to [modules.realserver] ports, else 80.
//
// Persistence: apply writes <stateDir>/realserver.json ({"applied": true, "vips": [...]})
// and the agent re-applies it when it starts, so a reboot keeps the settings as long as
// the agent runs at boot; revert removes the file. One file the agent owns was chosen
// over sysctl.d plus interface configuration because Debian hosts differ in how they
// configure interfaces (ifupdown, systemd-networkd, NetworkManager), while the agent
// is the same everywhere.

#include "hadeck/agent/module.h"
#include "hadeck/agent/registry.h"
#include "hadeck/protocol/methods.h"
#include "hadeck/probes/lvs_dr.h"

#include <optional>
#include <string>
#include <vector>

namespace hadeck::probes {

class RealServerModule final : public agent::Module {
public:
    [[nodiscard]] std::string_view name() const override { return "realserver"; }
    std::vector<proto::Role> detectRoles() override;
    void start(agent::AgentContext& context) override;

private:
    void check(const agent::CallContext&, proto::RealServerCheckParams p, agent::TypedResponder<proto::DrCheckResult> r);
    void apply(const agent::CallContext&, proto::RealServerApplyParams p, agent::TypedResponder<proto::DrCheckResult> r);
    void revert(const agent::CallContext&, proto::RealServerApplyParams p, agent::TypedResponder<proto::DrCheckResult> r);
    void applyOrRevert(std::vector<std::string> vips, bool apply, agent::TypedResponder<proto::DrCheckResult> r);
    [[nodiscard]] std::vector<std::string> vipsFor(const std::optional<std::vector<std::string>>& given) const;
    [[nodiscard]] std::vector<std::string> configuredVips() const;
    [[nodiscard]] std::vector<std::uint16_t> configuredPorts() const;
    [[nodiscard]] std::string statePath() const;

    agent::AgentContext* m_context = nullptr;
};

/// The findings as JSON: [{"check", "subject", "severity", "message", "breaks", "fix", ...}].
proto::Json toJson(const std::vector<DrFinding>& findings);

} // namespace hadeck::probes
