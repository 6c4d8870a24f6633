#pragma once

// Host basics from /proc (load, memory, uptime), published on topic "host"
// every sample interval and served by host.status.

#include "hadeck/agent/event_loop.h"
#include "hadeck/agent/module.h"
#include "hadeck/agent/registry.h"
#include "hadeck/protocol/methods.h"
#include "hadeck/protocol/expected.h"

#include <cstdint>
#include <string_view>

namespace hadeck::agent {

struct HostSample {
    double load1 = 0;
    double load5 = 0;
    double load15 = 0;
    int runnable = 0;
    int tasks = 0;
    std::uint64_t memTotalKiB = 0;
    std::uint64_t memAvailableKiB = 0;
    std::uint64_t swapTotalKiB = 0;
    std::uint64_t swapFreeKiB = 0;
    double uptimeSeconds = 0;
};

// Pure parsers over the text of the /proc files.
Status parseLoadavg(std::string_view text, HostSample& out);
Status parseMeminfo(std::string_view text, HostSample& out);
Status parseUptime(std::string_view text, HostSample& out);
Json toJson(const HostSample& sample);

class HostModule final : public Module {
public:
    [[nodiscard]] std::string_view name() const override { return "host"; }
    std::vector<proto::Role> detectRoles() override { return {}; }
    void start(AgentContext& context) override;
    void reload(const AgentConfig& config) override;

private:
    void status(const CallContext&, proto::Empty, TypedResponder<proto::HostStatus> r);
    void sample();
    void arm(std::chrono::milliseconds interval);

    AgentContext* m_context = nullptr;
    EventSource m_timer;
    std::chrono::milliseconds m_interval{0};
    Json m_last;
};

} // namespace hadeck::agent
