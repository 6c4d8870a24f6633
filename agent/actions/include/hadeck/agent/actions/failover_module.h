#pragma once

// Forced failover on a director. Methods:
//   vrrp.release  (operate) {instance | group} → hadeck_failover track file set to 1: the instance goes to FAULT
//   vrrp.restore  (operate) {instance | group} → set to 0: the instance may become MASTER again (nopreempt aside)
//   vrrp.failoverStatus (read) → per instance: the track file, its value, whether HaDeck can drive it
//   keepalived.addFailoverTrack (admin) {instance} → adds the track_file lines, checks them with
//                  `keepalived -t`, then reloads keepalived
// Verification (the VIP moved, the peer is MASTER) is done by the console,
// which sees both directors.

#include "hadeck/agent/actions/director_access.h"
#include "hadeck/agent/module.h"
#include "hadeck/agent/registry.h"
#include "hadeck/protocol/methods.h"

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace hadeck::agent {

/// Adds the hadeck_failover track_file to @p instance in @p configText. Pure.
/// @return the new text, or why it cannot be done (instance not in this file, already present).
Expected<std::string> addFailoverTrack(const std::string& configText, const std::string& instance,
                                       const std::filesystem::path& trackFile);

/// What `keepalived -t` says about @p after that it did not already say about
/// @p before (each line without its "(file: Line N) " prefix, which an edit
/// shifts). keepalived -t exits non-zero on warnings too, so a configuration
/// that was accepted with warnings is judged by what the edit adds. Pure.
std::vector<std::string> newConfigComplaints(const std::string& before, const std::string& after);

class FailoverModule final : public Module {
public:
    explicit FailoverModule(std::unique_ptr<KeepalivedFactsSource> keepalived);
    ~FailoverModule() override;

    [[nodiscard]] std::string_view name() const override { return "failover"; }
    std::vector<proto::Role> detectRoles() override { return {}; }
    void start(AgentContext& context) override;

private:
    /// The instances a request names, with their track files; answers the error itself.
    /// @p affected receives every instance the writes reach (those sharing the files too).
    std::optional<std::vector<std::pair<std::string, std::filesystem::path>>>
    targets(const proto::FailoverTarget& params, TypedResponder<proto::FailoverWriteResult>& responder,
            std::vector<std::string>* affected = nullptr);
    void setValue(const proto::FailoverTarget& params, int value, TypedResponder<proto::FailoverWriteResult> responder);

    void release(const CallContext&, proto::FailoverTarget params, TypedResponder<proto::FailoverWriteResult> r);
    void restore(const CallContext&, proto::FailoverTarget params, TypedResponder<proto::FailoverWriteResult> r);
    void status(const CallContext&, proto::Empty, TypedResponder<proto::FailoverStatusResult> r);
    /// keepalived.addFailoverTrack: edits keepalived.conf safely (probes/keepalived_edit.h), then reloads keepalived.
    void addTrack(const CallContext&, proto::AddFailoverTrackParams params,
                  TypedResponder<proto::AddFailoverTrackResult> r);

    std::unique_ptr<KeepalivedFactsSource> m_keepalived;
    AgentContext* m_context = nullptr;
};

} // namespace hadeck::agent
