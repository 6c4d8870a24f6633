#pragma once

// Agent configuration, /etc/hadeck/agent.toml. Every key is optional: a missing
// file gives the defaults below, which suit a Debian host. See installer/agent.toml.

#include "hadeck/protocol/expected.h"
#include "hadeck/protocol/jsonrpc.h"
#include "hadeck/protocol/types.h"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hadeck::agent {

using rpc::Json;

inline constexpr std::string_view kDefaultConfigPath = "/etc/hadeck/agent.toml";

struct KeepalivedPaths {
    std::filesystem::path config = "/etc/keepalived/keepalived.conf";
    std::filesystem::path pidFile = "/run/keepalived.pid";
    // Written by keepalived on SIGJSON / SIGUSR1 / SIGUSR2; it hard-codes /tmp.
    std::filesystem::path jsonDump = "/run/keepalived/keepalived.json"; // keepalived with TMPDIR=/run/keepalived
    std::filesystem::path dataDump = "/run/keepalived/keepalived.data";
    std::filesystem::path statsDump = "/run/keepalived/keepalived.stats";
};

struct AgentConfig {
    // [node]
    std::string nodeName; // empty in parseConfig(); loadConfig() fills in the hostname
    /// When set, replaces role detection entirely.
    std::optional<std::vector<proto::Role>> roles;

    // [socket]
    std::filesystem::path socketPath = "/run/hadeck/agent.sock";
    std::string socketGroup = "hadeck";
    unsigned socketMode = 0660;
    /// Largest request line. Requests are small; big data only flows to the console.
    std::size_t maxFrame = 1024U * 1024U;
    std::size_t clientOutputLimit = 8U * 1024U * 1024U;
    /// Kept well below the fd limit (the agent lowers it further if the limit is tight).
    std::size_t maxClients = 256;
    /// Connections one non-root uid may hold at once.
    std::size_t maxClientsPerUser = 16;
    /// A connection with no traffic and no subscription is closed after this.
    std::chrono::milliseconds idleTimeout{600000};
    /// A request line must be complete this long after its first byte.
    std::chrono::milliseconds frameTimeout{10000};
    /// Requests per second one non-root uid may send over all its connections
    /// (burst: twice that); beyond it the agent stops reading from them until
    /// the budget refills.
    std::size_t requestRate = 100;

    // [state]
    std::filesystem::path stateDir = "/var/lib/hadeck";
    std::filesystem::path auditPath = "/var/lib/hadeck/audit.log"; // follows state.dir unless set

    // [sample]
    std::chrono::milliseconds sampleInterval{1000};

    // [keepalived]
    KeepalivedPaths keepalived;

    // [modules.<name>]: free-form tables for modules, passed through unchecked.
    Json modules = Json::object();

    /// Unknown keys and other non-fatal remarks, "file:line:col: message".
    std::vector<std::string> warnings;
    /// The file these values came from; empty when only defaults are in use.
    std::filesystem::path source;
};

/// Parses TOML text. @p sourceName names the file in messages. An invalid
/// document or a bad value is an error "sourceName:line:column: message".
[[nodiscard]] Expected<AgentConfig> parseConfig(std::string_view text, std::string_view sourceName);

/// Reads @p path. A missing file gives the defaults; an unreadable or invalid one
/// is an error. Fills in nodeName from the hostname when the file has none.
[[nodiscard]] Expected<AgentConfig> loadConfig(const std::filesystem::path& path);

} // namespace hadeck::agent
