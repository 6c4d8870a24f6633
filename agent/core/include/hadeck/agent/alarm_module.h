#pragma once

// Puts the AlarmEngine on the agent: every sample interval it reads the other
// modules' snapshots (vrrp, ipvs, host, apache, db, mfs, drain), decodes them
// with the wire types' checked from_json and lets the engine evaluate; it sees
// every event (VRRP transitions, keepalived's real server health, firewall
// rollbacks). Changes go out as `event` {"type": "alarm", "change", "alarm"}
// and on the "alarms" topic (snapshot: the active alarms). Serves alarms.list
// and alarms.ack. Runs on every node; a part whose module is absent is skipped.
// The active alarms (with their acks), the history and the next id are kept in
// <state dir>/alarms.json (written atomically after each change, coalesced on the
// loop) and put back at start, so a restart neither re-raises nor re-sends them.

#include "hadeck/agent/alarm_engine.h"
#include "hadeck/agent/event_loop.h"
#include "hadeck/agent/module.h"
#include "hadeck/agent/registry.h"

#include <filesystem>
#include <functional>
#include <map>
#include <string>

namespace hadeck::agent {

class AlarmModule final : public Module {
public:
    AlarmModule();
    [[nodiscard]] std::string_view name() const override { return "alarms"; }
    std::vector<proto::Role> detectRoles() override { return {}; }
    void start(AgentContext& context) override;
    void reload(const AgentConfig& config) override;

    /// Called with each change (raised, cleared, acknowledged), after it is published;
    /// the notification channels hang here.
    using Listener = std::function<void(std::string_view change, const proto::Alarm&)>;
    void addListener(Listener l) { m_listeners.push_back(std::move(l)); }

    AlarmEngine& engine() { return m_engine; }
    /// Raises (and publishes) an alarm from outside the rules, e.g. a failing channel.
    void raiseExternal(std::string_view rule, std::string subject, std::string message, proto::AlarmSeverity severity);
    void clearExternal(std::string_view rule, std::string_view subject);
    /// Reads the snapshots and evaluates now (also run by the timer).
    void evaluateNow();

private:
    // One member per wire method.
    void list(const CallContext&, proto::AlarmsListParams p, TypedResponder<proto::AlarmsListResult> r);
    void ack(const CallContext& caller, proto::AlarmAckParams p, TypedResponder<proto::Alarm> r);
    void emit(std::string_view change, const proto::Alarm& a);
    void loadState();
    void scheduleSave();
    void saveState();
    void onEvent(const rpc::Json& e);
    AlarmRules rulesFrom(const AgentConfig& config);

    AgentContext* m_context = nullptr;
    AlarmEngine m_engine;
    EventSource m_timer;
    std::map<std::string, std::string> m_rsHealth;
    static constexpr int kIpvsEvery = 5; // evaluations between two reads of the IPVS table
    static constexpr int kCpuCountEvery = 60; // evaluations between two counts of the online CPUs
    int m_cpuCountdown = 0;
    int m_cpuCount = 1;
    int m_ipvsCountdown = 0;
    std::optional<std::vector<proto::VirtualService>> m_ipvs;
    std::vector<Listener> m_listeners;
    std::filesystem::path m_statePath; // <state dir>/alarms.json
    bool m_savePending = false;
    /// Restored alarms not seen again clear after this long (the probes sample first).
    static constexpr std::int64_t kRestoreGraceSeconds = 30;
};

} // namespace hadeck::agent
