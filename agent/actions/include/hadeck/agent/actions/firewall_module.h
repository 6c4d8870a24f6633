#pragma once

// The node's nftables firewall on the agent's socket (issue 13). Methods are
// declared in agent/protocol (methods.h, firewall.h):
//   firewall.show / firewall.check / firewall.pending  (read)
//   firewall.apply / firewall.confirm / firewall.rollback (admin)
// Commit-confirmed: apply saves the running ruleset under <state>/firewall/,
// writes the pending record there *before* the change, applies the change set
// as one transaction and arms the agent's own timer. Without a confirm from a
// different connection in time the saved ruleset is restored and a
// firewall.rolledBack event raised. A pending record found at start is carried
// out at its original deadline (at once when it has passed). On confirm the
// ruleset is written to [modules.firewall] persist_path (default
// /etc/nftables.conf) atomically, the previous file kept as <path>.bak.
// Topic "firewall": counters at the sample rate, the whole ruleset on change.

#include "hadeck/agent/event_loop.h"
#include "hadeck/agent/module.h"
#include "hadeck/agent/registry.h"
#include "hadeck/protocol/firewall.h"

#include <deque>
#include <memory>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>

namespace hadeck::agent {

struct CallContext;

class FirewallModule final : public Module {
public:
    FirewallModule();
    ~FirewallModule() override;

    [[nodiscard]] std::string_view name() const override { return "firewall"; }
    std::vector<proto::Role> detectRoles() override { return {}; }
    void start(AgentContext& context) override;

private:
    // One member per wire method (agent/protocol declares them).
    void show(const CallContext&, proto::Empty, TypedResponder<proto::fw::Ruleset> r);
    void check(const CallContext&, proto::fw::CheckParams p, TypedResponder<proto::fw::CheckResult> r);
    void pending(const CallContext&, proto::Empty, TypedResponder<proto::fw::Pending> r);
    void apply(const CallContext& caller, proto::fw::ApplyParams p, TypedResponder<proto::fw::ApplyResult> r);
    void confirm(const CallContext& caller, proto::fw::ConfirmParams p, TypedResponder<proto::fw::ConfirmResult> r);
    void rollback(const CallContext& caller, proto::fw::RollbackParams p, TypedResponder<proto::fw::RollbackResult> r);

    struct PendingState {
        proto::fw::Pending info;
        int applyClientId = -1; // -1 after a restart: any connection is a new one
        std::string savedPath;
    };

    [[nodiscard]] std::filesystem::path dir() const;
    [[nodiscard]] std::filesystem::path persistPath() const;
    void arm(std::int64_t deadline);
    void rollbackPending(const std::string& reason);
    void remember(const std::string& hash, const std::string& listing);
    [[nodiscard]] std::optional<std::string> listingFor(const std::string& hash) const;
    void sample();

    AgentContext* m_context = nullptr;
    std::optional<PendingState> m_pending;
    bool m_busy = false;
    EventSource m_timer;
    EventSource m_sampler;
    bool m_sampling = false;
    std::string m_lastHash;
    /// The admin waiting for the answer of a rollback it asked for (null for the timer's).
    std::shared_ptr<TypedResponder<proto::fw::RollbackResult>> m_pendingResponder;
    /// Listings of recently shown rulesets by hash, to name what changed under a stale change set.
    std::deque<std::pair<std::string, std::string>> m_seen;
};

} // namespace hadeck::agent
