#pragma once

// keepalived on a director: its configuration, its VRRP instances live, and
// which VIPs this host holds.
//   vrrp.list          (read) -> {"instances": [VrrpInstance], "source": "dump"|"config"}
//   keepalived.config  (read) {"validate"?: bool} -> typed view, diagnostics, real servers'
//                              health from the LVS notify FIFO, and `keepalived -t` output
// Topic "vrrp": {"instances": [changed instances]}; events {"type": "vrrp.transition", ...}.
//
// Live state comes from keepalived's JSON dump: the agent sends the signal
// `keepalived --signum=JSON` names to keepalived and reads the file on IN_CLOSE_WRITE.
// Transitions are pushed by keepalived's DBus signal VrrpStatusChange (`enable_dbus`) while
// keepalived is on the system bus, otherwise by the notify FIFO when the config has one
// (notify_fifo / vrrp_notify_fifo); never by both, so each transition is one event, whose
// "source" says which ("dbus", "fifo", "dump"). Each pushed transition also triggers a dump.
// While transitions are pushed, the periodic dump (priorities, counters) comes every
// [modules.keepalived] dump_interval_ms (default 5000); with nothing pushing them, every
// sample interval. vrrp.list {"fresh": true} answers from a dump written after the request.
// VIP ownership follows rtnl address events.
// The dump is believed only from a root-owned file nobody else may write (opened with
// O_NOFOLLOW), written after the running keepalived started. Whether keepalived runs
// (its pid file names a live keepalived) is "running" in vrrp.list and the "vrrp" topic,
// and each change is an event {"type": "keepalived.running", "running": bool}; with
// keepalived gone the instances are reported from the config, state STOP.

#include "hadeck/agent/event_loop.h"
#include "hadeck/agent/module.h"
#include "hadeck/agent/registry.h"
#include "hadeck/protocol/methods.h"
#include "hadeck/probes/keepalived_config.h"
#include "hadeck/probes/keepalived_runtime.h"
#include "hadeck/probes/modules/keepalived_bus.h"

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

struct nl_sock;

namespace hadeck::probes {

class KeepalivedModule final : public agent::Module {
public:
    KeepalivedModule();
    ~KeepalivedModule() override;
    KeepalivedModule(const KeepalivedModule&) = delete;
    KeepalivedModule& operator=(const KeepalivedModule&) = delete;

    [[nodiscard]] std::string_view name() const override { return "keepalived"; }
    std::vector<proto::Role> detectRoles() override;
    void start(agent::AgentContext& context) override;
    void reload(const agent::AgentConfig& config) override;

private:
    void list(const agent::CallContext&, proto::VrrpListParams p, agent::TypedResponder<proto::VrrpListResult> r);
    [[nodiscard]] proto::VrrpListResult listResult() const;
    /// Answers the fresh vrrp.list calls waiting for a dump: those the dump just read (written
    /// at @p dumpTime) is new enough for, or, with @p dumpTime 0, those whose wait is over.
    void answerFresh(double dumpTime);
    void armFreshDeadline();
    static constexpr double kFreshWait = proto::VrrpListParams::kFreshWaitMs / 1000.0;
    /// Whether keepalived's transitions reach the agent as they happen (DBus, or a notify FIFO
    /// that carries VRRP lines), so the periodic dump only refreshes priorities and counters.
    [[nodiscard]] bool transitionsPushed() const;
    void config(const agent::CallContext&, proto::KeepalivedConfigParams p,
                agent::TypedResponder<proto::KeepalivedConfigResult> r);
    void loadConfig();
    /// Reads keepalived.conf again when it or an include changed since it was read (size or mtime),
    /// and reopens the notify FIFOs when their paths changed.
    void refreshConfig();
    void closeFifos();
    void watchDump();
    void querySignal();
    void tick();
    void requestDump();
    /// Whether the pid file names a running keepalived; events and publishes when that changed.
    void checkRunning(bool statPidFile = true);
    void closePidfd();
    void readDump();
    void openFifos();
    void readFifo(int fd);
    void onNotify(const NotifyEvent& e);
    void connectBus();
    void onBusStatus(const std::string& path, std::uint32_t status);
    [[nodiscard]] bool busActive() const { return m_bus && m_bus->keepalivedPresent(); }
    void refreshAddresses();
    void startRtnl();
    void applyLocalFacts(proto::VrrpInstance& v) const;
    void publishChanges(std::vector<proto::VrrpInstance> fresh, const std::string& source);
    [[nodiscard]] std::vector<proto::VrrpInstance> fromConfig() const;
    [[nodiscard]] proto::KeepalivedConfigResult configDocument() const;

    agent::AgentContext* m_context = nullptr;
    std::optional<KeepalivedConfig> m_config;
    std::string m_configError;
    KeepalivedConfigFiles m_configFiles; // what was read, to see an edit
    int m_jsonSignal = 0;
    bool m_signalQueryPending = false;
    int m_badDumps = 0;
    bool m_dumpInFlight = false; // a dump signal sent, its file not read yet
    bool m_dumpWanted = false;   // another dump asked for while one was in flight
    std::chrono::steady_clock::time_point m_dumpRequestedAt{};
    std::uint64_t m_dumpRequests = 0;
    std::chrono::steady_clock::time_point m_lastDumpRefusal{};
    std::chrono::milliseconds m_dumpInterval{5000}; // periodic dumps while transitions are pushed
    struct FreshWaiter {
        double since = 0; // unix time of the request: a dump written before it does not answer
        agent::TypedResponder<proto::VrrpListResult> responder;
    };
    std::vector<FreshWaiter> m_freshWaiters;
    agent::EventSource m_freshDeadline;
    bool m_running = false;  // the pid file names a live keepalived
    int m_pid = 0;
    double m_startedAt = 0;  // its start (unix time); older dumps are not current
    // While the same keepalived runs, a pidfd on it: its exit is an event, a liveness check is a
    // poll, and dump signals go to exactly that process, with no file read.
    int m_pidfd = -1;
    std::string m_pidFileStamp; // the pid file's size, mtime and inode when m_pidfd was taken
    agent::EventSource m_pidfdSource;
    agent::EventSource m_dumpRetry;
    bool m_signalQueryWarned = false;
    agent::EventSource m_timer;
    agent::EventSource m_inotify;
    struct Fifo {
        std::string path;
        int fd = -1;
        agent::EventSource source;
        std::string buffer;
    };
    std::vector<Fifo> m_fifos;
    nl_sock* m_rtnl = nullptr;
    agent::EventSource m_rtnlSource;
    std::set<std::string> m_localAddresses; // "198.18.0.100/32" as held now
    std::vector<proto::VrrpInstance> m_instances;
    bool m_fromDump = false;
    std::map<std::string, PushedTransition> m_pushed; // pushed transitions no dump confirmed yet
    // keepalived's names from its FIFO lines -> UP/DOWN: "[rs]:tcp:80 [vs]:tcp:80", "[rs]:none:0 FWM 7",
    // "[rs]:tcp:80 [GROUP]:0" (KaVirtualServer::lvsName)
    std::map<std::string, std::string> m_rsHealth;
    std::unique_ptr<KeepalivedBus> m_bus;
    bool m_busWarned = false;
};

} // namespace hadeck::probes
