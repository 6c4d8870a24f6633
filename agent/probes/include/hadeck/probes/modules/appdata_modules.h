#pragma once

// The application-node modules: host health (every node), Apache + php-fpm
// (real servers), MariaDB/MySQL (db), MooseFS (the master's node), history and
// logs. They share one HistoryStore (AppdataShared) that every numeric sample
// feeds. Settings come from agent.toml's free-form [modules.<name>] tables:
//
//   [modules.apache]   status_url = "http://127.0.0.1/server-status?auto"
//                      fpm_status_url = ""            (php-fpm's pm.status_path through Apache)
//   [modules.mysql]    socket = "/run/mysqld/mysqld.sock"
//                      credentials_file = ""          (root-only my.cnf: [client] user/password)
//                      timeout_ms = 2000
//   [modules.moosefs]  master = "127.0.0.1", port = 9421, interval_ms = 5000
//   [modules.logs]     <name> = "/path/to/file"       (more named sources)

#include "hadeck/agent/event_loop.h"
#include "hadeck/agent/module_settings.h"
#include "hadeck/agent/module.h"
#include "hadeck/agent/registry.h"
#include "hadeck/probes/appdata/history.h"
#include "hadeck/probes/appdata/host_proc.h"
#include "hadeck/protocol/appdata.h"

#include <chrono>
#include <map>
#include <memory>
#include <set>
#include <optional>
#include <string>

namespace hadeck::probes {

struct AppdataShared {
    HistoryStore history;
    /// The TCP ports something listens on (any address), from the host module's last sample of
    /// /proc/net/tcp{,6}, and when that was: a probe of a local daemon asks it before connecting.
    std::set<std::uint16_t> tcpListenPorts;
    std::chrono::steady_clock::time_point tcpListenAt{};
    /// Whether something listens on @p port, from that sample while it is under 3 s old; no
    /// answer when it is older (the caller then looks itself).
    [[nodiscard]] std::optional<bool> listening(std::uint16_t port) const
    {
        if (std::chrono::steady_clock::now() - tcpListenAt >= std::chrono::seconds(3)) {
            return std::nullopt;
        }
        return tcpListenPorts.count(port) != 0;
    }
    /// Records every number of @p j (flattened "prefix.key") at unix time @p t.
    void recordNumbers(std::string_view prefix, const rpc::Json& j, std::int64_t t);
};

using agent::moduleSetting; // hadeck/agent/module_settings.h

/// Answers an application action (db.replica*, db.setReadOnly, mfs.setMaintenance) with what its
/// worker did: the result when it was done or was a dry run, else ActionFailed with its message
/// (and the result as the error's data); a worker that failed outright, with its failure.
void answerAction(agent::TypedResponder<proto::ActionResult>& r, const Expected<proto::ActionResult>& done);

class HostModule final : public agent::Module {
public:
    explicit HostModule(std::shared_ptr<AppdataShared> shared) : m_shared(std::move(shared)) {}
    [[nodiscard]] std::string_view name() const override { return "host"; }
    std::vector<proto::Role> detectRoles() override { return {}; }
    void start(agent::AgentContext& context) override;
    void reload(const agent::AgentConfig& config) override;

    /// One sample from /proc (and statvfs); rates against the previous sample.
    proto::HostStatus sample();

    /// How often the TCP states and connection groups are refreshed ([modules.host]
    /// sockets_interval_ms): each refresh costs a walk of the kernel's whole socket hash table.
    static constexpr std::int64_t kDefaultSocketsIntervalMs = 5000;

private:
    void status(const agent::CallContext&, proto::Empty, agent::TypedResponder<proto::HostStatus> r);
    void arm(std::chrono::milliseconds interval);
    static std::chrono::milliseconds socketsInterval(const agent::AgentConfig& config);

    std::shared_ptr<AppdataShared> m_shared;
    agent::AgentContext* m_context = nullptr;
    agent::EventSource m_timer;
    std::chrono::milliseconds m_interval{0};
    std::optional<proto::HostStatus> m_last;
    std::vector<CpuTicks> m_cpu;
    std::vector<DiskCounters> m_disks;
    std::vector<InterfaceCounters> m_ifaces;
    std::chrono::steady_clock::time_point m_lastAt{};
    std::vector<proto::FilesystemUsage> m_fs;
    std::chrono::steady_clock::time_point m_fsAt{};
    proto::TcpSummary m_tcp;
    std::chrono::steady_clock::time_point m_tcpAt{}; // == m_lastAt: the last sample walked the table
    std::chrono::milliseconds m_socketsInterval{kDefaultSocketsIntervalMs};
};

class ApacheModule final : public agent::Module {
public:
    explicit ApacheModule(std::shared_ptr<AppdataShared> shared) : m_shared(std::move(shared)) {}
    [[nodiscard]] std::string_view name() const override { return "apache"; }
    std::vector<proto::Role> detectRoles() override { return {}; }
    void start(agent::AgentContext& context) override;
    void reload(const agent::AgentConfig& config) override;

private:
    void status(const agent::CallContext&, proto::Empty, agent::TypedResponder<proto::ApacheStatus> r);
    void poll();
    void arm(std::chrono::milliseconds interval);

    std::shared_ptr<AppdataShared> m_shared;
    agent::AgentContext* m_context = nullptr;
    agent::EventSource m_timer;
    std::chrono::milliseconds m_interval{0};
    std::string m_url;
    std::string m_fpmUrl;
    bool m_inFlight = false;
    proto::ApacheStatus m_last;
    std::uint64_t m_prevAccesses = 0;
    std::uint64_t m_prevKBytes = 0;
    std::chrono::steady_clock::time_point m_prevAt{};
};

class MysqlModule final : public agent::Module {
public:
    explicit MysqlModule(std::shared_ptr<AppdataShared> shared);
    ~MysqlModule() override;
    [[nodiscard]] std::string_view name() const override { return "mysql"; }
    std::vector<proto::Role> detectRoles() override;
    void start(agent::AgentContext& context) override;
    void reload(const agent::AgentConfig& config) override;

    struct Connection; // the libmariadb handle, used by one worker at a time

private:
    void status(const agent::CallContext&, proto::Empty, agent::TypedResponder<proto::DbStatus> r);
    void replicaStart(const agent::CallContext&, proto::ReplicaActionParams p,
                      agent::TypedResponder<proto::ActionResult> r);
    void replicaStop(const agent::CallContext&, proto::ReplicaActionParams p,
                     agent::TypedResponder<proto::ActionResult> r);
    void setReadOnly(const agent::CallContext&, proto::ReadOnlyParams p, agent::TypedResponder<proto::ActionResult> r);
    /// Runs one of the actions above off the loop, then samples again to show its effect.
    void act(std::string name, bool on, bool dryRun, agent::TypedResponder<proto::ActionResult> r);
    void poll();
    void arm(std::chrono::milliseconds interval);

    std::shared_ptr<AppdataShared> m_shared;
    std::shared_ptr<Connection> m_conn;
    agent::AgentContext* m_context = nullptr;
    agent::EventSource m_timer;
    std::chrono::milliseconds m_interval{0};
    bool m_inFlight = false;
    proto::DbStatus m_last;
    std::uint64_t m_prevQuestions = 0;
    std::chrono::steady_clock::time_point m_prevAt{};
};

class MooseFsModule final : public agent::Module {
public:
    explicit MooseFsModule(std::shared_ptr<AppdataShared> shared) : m_shared(std::move(shared)) {}
    [[nodiscard]] std::string_view name() const override { return "moosefs"; }
    std::vector<proto::Role> detectRoles() override;
    void start(agent::AgentContext& context) override;
    void reload(const agent::AgentConfig& config) override;

private:
    void status(const agent::CallContext&, proto::Empty, agent::TypedResponder<proto::MfsStatus> r);
    void setMaintenance(const agent::CallContext&, proto::MfsMaintenanceParams p,
                        agent::TypedResponder<proto::ActionResult> r);
    void poll();
    void arm(std::chrono::milliseconds interval);

    std::shared_ptr<AppdataShared> m_shared;
    agent::AgentContext* m_context = nullptr;
    agent::EventSource m_timer;
    std::chrono::milliseconds m_interval{0};
    std::string m_master;
    std::int64_t m_port = 9421;
    bool m_inFlight = false;
    proto::MfsStatus m_last;
};

/// history.get and logs.query.
class HistoryLogsModule final : public agent::Module {
public:
    explicit HistoryLogsModule(std::shared_ptr<AppdataShared> shared) : m_shared(std::move(shared)) {}
    [[nodiscard]] std::string_view name() const override { return "history-logs"; }
    std::vector<proto::Role> detectRoles() override { return {}; }
    void start(agent::AgentContext& context) override;

    /// The named log sources of this node: defaults that exist, plus [modules.logs]
    /// (@p warn: log the entries refused).
    static std::map<std::string, std::string> logSources(const agent::AgentConfig& config, bool warn = true);

private:
    void history(const agent::CallContext&, proto::HistoryParams p, agent::TypedResponder<proto::HistoryResult> r);
    void logs(const agent::CallContext&, proto::LogsParams p, agent::TypedResponder<proto::LogsResult> r);
    /// Tails @p path for subscribers of "log.<source>": new complete lines, every second.
    void follow(const std::string& source, const std::string& path);

    struct Follower {
        std::string path;
        std::uint64_t offset = 0;
        std::string partial;
        int idleTicks = 0;
        /// The last read failed (logged once, until a read succeeds again).
        bool readFailing = false;
        agent::EventSource timer;
    };
    std::map<std::string, Follower> m_followers;
    std::shared_ptr<AppdataShared> m_shared;
    agent::AgentContext* m_context = nullptr;
};

/// Parses the timestamp at the start of a log line (Apache access/error, MariaDB,
/// syslog ISO 8601 and BSD, journal short-iso): unix seconds, or 0.
std::int64_t logLineTime(std::string_view line, int currentYear);

/// The last lines of @p text that match (substring @p grep, time within
/// [since, until] when non-zero), at most @p maxLines and @p maxBytes of text.
proto::LogsResult filterLogLines(std::string_view text, const proto::LogsParams& p, std::size_t maxBytes,
                                 int currentYear);

} // namespace hadeck::probes
