#pragma once

// The "ipvs" topic and methods on a director: samples the IPVS table every
// config.sampleInterval and publishes only what changed. Between samples it looks at the table
// every [modules.ipvs] change_poll_ms (default 100, 0: off) and publishes at once when its
// structure changed (a weight, a threshold, a service or real server added or removed: IPVS sends
// no netlink events for these). Counters alone wait for the sample. The quick looks are skipped
// while they would cost more than 1/20 of a CPU (a large table is looked at less often), and
// while nobody subscribes to the topic. Each compares the backend's cheap structure fingerprint
// (/proc/net/ip_vs) with the last and reads the whole table only when it moved; a threshold
// change, which that file does not show, waits for the sample.
//   ipvs.list       (read)    -> {"backend", "services": [VirtualService]}
//   ipvs.setWeight  (operate) {"service": "TCP 198.18.0.100:80", "address", "port", "weight"}
//                             -> the real server as it is after the change

#include "hadeck/agent/module.h"
#include "hadeck/agent/event_loop.h"
#include "hadeck/agent/registry.h"
#include "hadeck/protocol/methods.h"
#include "hadeck/probes/ipvs_backend.h"

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

namespace hadeck::probes {

class IpvsModule final : public agent::Module {
public:
    using BackendFactory = std::function<Expected<std::unique_ptr<IpvsBackend>>()>;

    explicit IpvsModule(BackendFactory factory = makeIpvsBackend);

    [[nodiscard]] std::string_view name() const override { return "ipvs"; }
    std::vector<proto::Role> detectRoles() override;
    void start(agent::AgentContext& context) override;
    void reload(const agent::AgentConfig& config) override;

    /// Takes one sample now and publishes the delta (the timer calls this).
    void sample();

private:
    void list(const agent::CallContext&, proto::Empty, agent::TypedResponder<proto::IpvsListResult> r);
    void setWeight(const agent::CallContext&, proto::SetWeightParams p, agent::TypedResponder<proto::RealServer> r);
    void startTimer();
    void updateWatch();
    void watch();
    Expected<std::vector<proto::VirtualService>> timedList();

    BackendFactory m_factory;
    std::unique_ptr<IpvsBackend> m_backend;
    std::string m_unavailable; // why there is no backend
    agent::AgentContext* m_context = nullptr;
    agent::EventSource m_timer;
    agent::EventSource m_watchTimer;
    std::chrono::steady_clock::duration m_listCost{};
    std::chrono::steady_clock::time_point m_lastList{};
    std::chrono::steady_clock::duration m_stampCost{};
    std::chrono::steady_clock::time_point m_lastStamp{};
    std::optional<std::uint64_t> m_stamp;                    // the structure's fingerprint at the last full read
    std::shared_ptr<int> m_alive = std::make_shared<int>(0); // observers hold it weakly
    std::vector<proto::VirtualService> m_last;
    bool m_haveSample = false;
};

} // namespace hadeck::probes
