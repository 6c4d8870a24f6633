#pragma once

// Drains held by this director's agent, and the real-server side of drain
// progress. Methods:
//   drain.apply   (operate) {address, port?, service?, force?} → weight 0 on every matching dest, held
//   drain.restore (operate) {id} or {address, port?, service?} → the weight given back, and why
//   drain.list    (read)    → held drains, expire_quiescent_template
//   drain.local   (read)    {vip, port} → established connections to VIP:port here, Apache busy workers
// Topic "drain": the held list after each change. Events when a hold is re-asserted.
//
// When the hold is re-asserted: at start (before any other module starts), at once when
// keepalived's checker marks a real server UP (its lvs_notify_fifo / notify_fifo line, seen as a
// realserver.health event: the checker has just added the dest back at its configured weight),
// and every kReassertInterval while a drain is held, for weights written with no line (a reload,
// a config without a FIFO).

#include "hadeck/agent/actions/director_access.h"
#include "hadeck/agent/actions/drain_book.h"
#include "hadeck/agent/event_loop.h"
#include "hadeck/agent/module.h"
#include "hadeck/agent/registry.h"
#include "hadeck/probes/ipvs_backend.h"
#include "hadeck/protocol/methods.h"

#include <chrono>
#include <filesystem>
#include <memory>

namespace hadeck::agent {

class DrainModule final : public Module {
public:
    /// @param ipvs null on a node without IPVS (a real server): only drain.local is served.
    DrainModule(std::unique_ptr<probes::IpvsBackend> ipvs, std::unique_ptr<KeepalivedFactsSource> keepalived);
    ~DrainModule() override;

    [[nodiscard]] std::string_view name() const override { return "drain"; }
    std::vector<proto::Role> detectRoles() override { return {}; }
    void start(AgentContext& context) override;

    /// Re-asserts held drains against the current table now. @return dests re-weighted.
    std::size_t reassertNow();

    /// How often held drains are checked against the table: keepalived rewrites
    /// weights on reload and checker transitions, and the hold must win within 1 s.
    static constexpr std::chrono::milliseconds kReassertInterval{250};
    /// A second look after a checker's UP line, in case the line reached the agent before
    /// keepalived's add reached the kernel.
    static constexpr std::chrono::milliseconds kCheckerFollowUp{50};

private:
    void apply(const CallContext& caller, proto::DrainTarget params, TypedResponder<proto::DrainApplyResult> responder);
    void restore(const CallContext& caller, proto::DrainTarget params,
                 TypedResponder<proto::DrainRestoreResult> responder);
    void list(const CallContext& caller, proto::Empty, TypedResponder<proto::DrainBookState> responder);
    void local(const CallContext& caller, proto::DrainLocalParams params,
               TypedResponder<proto::DrainLocalResult> responder);
    [[nodiscard]] proto::DrainBookState book() const;
    Json bookJson() const;
    void persistAndPublish();
    /// Runs the re-assert timer while a drain is held, and stops it when none is.
    void armHold();
    void onEvent(const Json& event);

    std::unique_ptr<probes::IpvsBackend> m_ipvs;
    std::unique_ptr<KeepalivedFactsSource> m_keepalived;
    AgentContext* m_context = nullptr;
    std::filesystem::path m_bookPath;
    DrainBook m_book;
    bool m_bookBroken = false;
    EventSource m_timer;
    EventSource m_followUp;
    bool m_followUpPending = false;
};

} // namespace hadeck::agent
