#pragma once

// Payloads of the application-node methods: host health, Apache (+ php-fpm),
// MariaDB/MySQL, MooseFS, history and logs. The agent's pure parsers fill these
// types directly; the console decodes them with the same checked from_json
// (wire.h). Field names are the wire keys.

#include "hadeck/protocol/jsonrpc.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hadeck::proto {

using rpc::Json;

// ---------------------------------------------------------------- host

struct CpuUsage {
    std::string name;   // "cpu" (total), "cpu0", ...
    double busyPct = 0; // over the last sample interval
    double iowaitPct = 0;
    double stealPct = 0;
};

struct Pressure { // PSI, one resource; absent where the kernel has no PSI
    double someAvg10 = 0;
    double someAvg60 = 0;
    double fullAvg10 = 0;
    double fullAvg60 = 0;
};

struct FilesystemUsage {
    std::string mountPoint;
    std::string device;
    std::string type;
    std::uint64_t totalBytes = 0;
    std::uint64_t availBytes = 0;
    std::uint64_t usedBytes = 0;
    std::uint64_t totalInodes = 0;
    std::uint64_t freeInodes = 0;
};

struct DiskIo {
    std::string device;
    double readBytesPerSec = 0;
    double writeBytesPerSec = 0;
    double readsPerSec = 0;
    double writesPerSec = 0;
    double busyPct = 0; // io_ticks over the interval
};

struct InterfaceRates {
    std::string name;
    double rxBytesPerSec = 0;
    double txBytesPerSec = 0;
    double rxPacketsPerSec = 0;
    double txPacketsPerSec = 0;
    std::uint64_t rxErrors = 0; // counters since boot
    std::uint64_t txErrors = 0;
    std::uint64_t rxDropped = 0;
    std::uint64_t txDropped = 0;
};

/// Established connections to or from one address:port.
struct ConnectionGroup {
    std::string address;
    std::uint16_t port = 0;
    std::uint32_t count = 0; // established now
    /// In TIME_WAIT on this node: connections this end closed within the last minute (the kernel
    /// keeps them 60 s). Short connections (PHP's to the database) are seldom open at the moment
    /// of a sample but always leave these.
    std::uint32_t recentlyClosed = 0;
};

struct TcpSummary {
    std::map<std::string, std::uint32_t> states; // "ESTABLISHED": 12, "TIME_WAIT": 3 ...
    /// Established (and recently closed), by local address:port where this node listens (inbound).
    std::vector<ConnectionGroup> byLocal;
    /// Established (and recently closed), by remote address:port where this node is the client
    /// (outbound): the observed edges.
    std::vector<ConnectionGroup> byRemote;
};

struct HostStatus {
    double load1 = 0;
    double load5 = 0;
    double load15 = 0;
    int runnable = 0;
    int tasks = 0;
    double uptimeSeconds = 0;
    std::uint64_t memTotalKiB = 0;
    std::uint64_t memAvailableKiB = 0;
    std::uint64_t swapTotalKiB = 0;
    std::uint64_t swapFreeKiB = 0;
    std::vector<CpuUsage> cpus; // total first
    std::optional<Pressure> cpuPressure;
    std::optional<Pressure> memoryPressure;
    std::optional<Pressure> ioPressure;
    std::vector<FilesystemUsage> filesystems;
    std::vector<DiskIo> disks;
    std::vector<InterfaceRates> interfaces;
    TcpSummary tcp;
    std::vector<std::string> errors; // sources that could not be read, with why
};

// ---------------------------------------------------------------- Apache + php-fpm

/// Why there are (no) Apache numbers.
enum class ApacheState { Ok, NotInstalled, NotRunning, StatusDisabled, AccessDenied, NotApache, Error };
std::string_view toString(ApacheState s);
std::optional<ApacheState> apacheStateFromString(std::string_view s);

struct PhpFpmStatus {
    std::string pool;
    std::string processManager;
    std::uint64_t acceptedConnections = 0;
    std::uint32_t listenQueue = 0;
    std::uint32_t activeProcesses = 0;
    std::uint32_t idleProcesses = 0;
    std::uint32_t totalProcesses = 0;
    std::uint64_t maxChildrenReached = 0;
    std::uint64_t slowRequests = 0;
};

struct ApacheStatus {
    ApacheState state = ApacheState::Error;
    std::string reason; // for every state but Ok: what is wrong and what to do
    std::string url;
    std::string serverVersion;
    std::string mpm; // prefork, worker, event
    std::uint32_t busyWorkers = 0;
    std::uint32_t idleWorkers = 0;
    std::uint32_t serverLimit = 0; // scoreboard slots (MaxRequestWorkers rounded up by the MPM)
    bool extendedStatus = false;
    std::uint64_t totalAccesses = 0;
    std::uint64_t totalKBytes = 0;
    double requestsPerSec = 0; // between two samples when both have ExtendedStatus, else Apache's average
    double bytesPerSec = 0;
    std::map<std::string, std::uint32_t> scoreboard; // "waiting": 70, "writing": 1, "open": 300 ...
    std::uint64_t uptimeSeconds = 0;
    std::uint32_t configGeneration = 0; // ParentServerConfigGeneration: 1 + graceful restarts
    std::uint32_t mpmGeneration = 0;
    std::optional<std::uint32_t> connsTotal; // event MPM
    std::optional<PhpFpmStatus> phpFpm;
};

// ---------------------------------------------------------------- MariaDB / MySQL

enum class DbState { Ok, NotInstalled, Unreachable, AccessDenied, Timeout, Error };
std::string_view toString(DbState s);
std::optional<DbState> dbStateFromString(std::string_view s);

struct ReplicaStatus {
    std::string ioRunning;  // Yes, No, Connecting, Preparing
    std::string sqlRunning; // Yes, No
    std::optional<std::int64_t> lagSeconds; // null unless both threads run
    std::string masterHost;
    std::uint16_t masterPort = 0;
    std::string lastIoError;
    std::string lastSqlError;
    std::uint32_t lastIoErrno = 0;
    std::uint32_t lastSqlErrno = 0;
    std::string usingGtid;
    std::string gtidIoPos;     // MariaDB Gtid_IO_Pos; MySQL Retrieved_Gtid_Set
    std::string executedGtids; // MySQL Executed_Gtid_Set
};

struct DbStatus {
    DbState state = DbState::Error;
    std::string reason;
    std::string role; // master, replica, standalone
    std::string version;
    bool readOnly = false;
    std::string binlogFile;
    std::uint64_t binlogPosition = 0;
    std::string gtidCurrentPos; // MariaDB gtid_current_pos or MySQL gtid_executed
    std::uint64_t uptimeSeconds = 0;
    std::uint32_t threadsConnected = 0;
    std::uint32_t threadsRunning = 0;
    double queriesPerSec = 0;
    std::uint64_t slowQueries = 0;
    std::optional<ReplicaStatus> replica;
};

// ---------------------------------------------------------------- MooseFS

struct MfsMasterInfo {
    std::string version;
    std::uint64_t ramUsedBytes = 0;
    std::uint64_t totalSpaceBytes = 0;
    std::uint64_t availSpaceBytes = 0;
    std::uint64_t files = 0;
    std::uint64_t directories = 0;
    std::uint64_t chunks = 0;
    std::uint64_t undergoalChunks = 0; // copies below goal, not zero
    std::uint64_t missingChunks = 0;   // no valid copy
    std::uint32_t chunkservers = 0;
};

struct MfsChunkserver {
    std::string host;
    std::uint16_t port = 0;
    std::uint32_t id = 0;
    std::string labels;
    std::string version;
    bool connected = true;
    std::string maintenance; // "off", "on", "on (temp)"...
    std::uint64_t chunks = 0;
    std::uint64_t usedBytes = 0;
    std::uint64_t totalBytes = 0;
    std::uint64_t errors = 0; // hdd errors reported
};

struct MfsMetalogger {
    std::string host;
    std::string version;
};

struct MfsDisk {
    std::string server; // ip:port
    std::string path;
    std::string status;
    std::uint64_t errors = 0;
    std::uint64_t chunks = 0;
    std::uint64_t usedBytes = 0;
    std::uint64_t totalBytes = 0;
};

struct MfsStatus {
    bool ok = false;
    std::string reason;
    std::optional<MfsMasterInfo> master;
    std::vector<MfsChunkserver> chunkservers; // disconnected ones included, connected=false
    std::vector<MfsMetalogger> metaloggers;
    std::vector<MfsDisk> disks;
};

// ---------------------------------------------------------------- history

/// The names of the series the agent records in its history (history.get's "series").
/// Per-device series are named "<prefix><device><suffix>", e.g. "net.eth0.rxBytesPerSec".
namespace series {
inline constexpr std::string_view HostLoad1 = "host.load1";
inline constexpr std::string_view HostCpuBusyPct = "host.cpuBusyPct";
inline constexpr std::string_view HostMemUsedPct = "host.memUsedPct";
inline constexpr std::string_view NetPrefix = "net.";
inline constexpr std::string_view NetRxSuffix = ".rxBytesPerSec";
inline constexpr std::string_view NetTxSuffix = ".txBytesPerSec";
inline constexpr std::string_view DiskPrefix = "disk.";
inline constexpr std::string_view DiskBusySuffix = ".busyPct";
inline constexpr std::string_view ApacheBusyWorkers = "apache.busyWorkers";
inline constexpr std::string_view ApacheRequestsPerSec = "apache.requestsPerSec";
inline constexpr std::string_view DbQueriesPerSec = "db.queriesPerSec";
inline constexpr std::string_view DbReplicaLagSeconds = "db.replicaLagSeconds";
/// "<prefix><device><suffix>": the series of one network interface or disk.
inline std::string perDevice(std::string_view prefix, std::string_view device, std::string_view suffix)
{
    std::string out(prefix);
    out.append(device).append(suffix);
    return out;
}
} // namespace series

struct HistoryParams {
    std::string series; // e.g. "host.load1", "apache.busyWorkers"; empty: list the series
    std::int64_t since = 0; // unix seconds; 0: everything kept
    std::uint32_t step = 1; // seconds; 1 reads the 1 s ring, >= 60 the 1 min ring
};

struct HistoryResult {
    std::string series;
    std::uint32_t step = 1;
    std::vector<std::int64_t> times; // unix seconds
    std::vector<double> values;
    std::vector<std::string> available; // every series the agent keeps
};

// ---------------------------------------------------------------- logs

struct LogsParams {
    std::string source; // a named source: "apache-access", "apache-error", "mariadb-error", "keepalived", ...
    std::int64_t since = 0;  // unix seconds, 0: no bound
    std::int64_t until = 0;  // unix seconds, 0: no bound
    std::string grep;        // plain substring filter
    std::uint32_t maxLines = 200;
    bool follow = false;     // also push new lines as log.line events until unsubscribe
};

struct LogLine {
    std::int64_t time = 0; // unix seconds parsed from the line, 0 when it has none
    std::string text;
};

struct LogsResult {
    std::string source;
    std::vector<LogLine> lines;
    bool truncated = false; // more matched than the bounds allow
    std::vector<std::string> sources; // every named source this node has
    std::string followTopic; // subscribe to it for new lines (when follow)
};

/// The topic of a followed log (LogsResult::followTopic): kLogTopicPrefix + the source.
/// Such topics exist only while someone follows them.
inline constexpr std::string_view kLogTopicPrefix = "log.";
std::string logTopic(std::string_view source);

/// A state.delta of a log topic: the new complete lines since the last one.
struct LogTopic {
    std::string source;
    std::vector<LogLine> lines;
};

// ---------------------------------------------------------------- actions

struct ReplicaActionParams {
    bool dryRun = false; // preflight only
};

struct ReadOnlyParams {
    bool on = true;
    bool dryRun = false;
};

struct MfsMaintenanceParams {
    std::string host; // chunkserver ip
    std::uint16_t port = 9422;
    bool on = true;
    bool dryRun = false;
};

struct ActionResult {
    bool done = false; // false for a dry run or a refused preflight
    std::vector<std::string> preflight; // what was checked, one finding a line
    std::vector<std::string> warnings;
    std::string message;
};

#define HADECK_APPDATA_JSON(T)                                                                                         \
    void to_json(Json& j, const T& v);                                                                                 \
    void from_json(const Json& j, T& v);
HADECK_APPDATA_JSON(CpuUsage)
HADECK_APPDATA_JSON(Pressure)
HADECK_APPDATA_JSON(FilesystemUsage)
HADECK_APPDATA_JSON(DiskIo)
HADECK_APPDATA_JSON(InterfaceRates)
HADECK_APPDATA_JSON(ConnectionGroup)
HADECK_APPDATA_JSON(TcpSummary)
HADECK_APPDATA_JSON(HostStatus)
HADECK_APPDATA_JSON(PhpFpmStatus)
HADECK_APPDATA_JSON(ApacheStatus)
HADECK_APPDATA_JSON(ReplicaStatus)
HADECK_APPDATA_JSON(DbStatus)
HADECK_APPDATA_JSON(MfsMasterInfo)
HADECK_APPDATA_JSON(MfsChunkserver)
HADECK_APPDATA_JSON(MfsMetalogger)
HADECK_APPDATA_JSON(MfsDisk)
HADECK_APPDATA_JSON(MfsStatus)
HADECK_APPDATA_JSON(HistoryParams)
HADECK_APPDATA_JSON(HistoryResult)
HADECK_APPDATA_JSON(LogsParams)
HADECK_APPDATA_JSON(LogLine)
HADECK_APPDATA_JSON(LogsResult)
HADECK_APPDATA_JSON(LogTopic)
HADECK_APPDATA_JSON(ReplicaActionParams)
HADECK_APPDATA_JSON(ReadOnlyParams)
HADECK_APPDATA_JSON(MfsMaintenanceParams)
HADECK_APPDATA_JSON(ActionResult)
#undef HADECK_APPDATA_JSON

} // namespace hadeck::proto
