#include "hadeck/protocol/appdata.h"

#include "hadeck/protocol/enum_names.h"

#include "hadeck/protocol/wire.h"

#include <nlohmann/detail/macro_scope.hpp>

#include <array>
#include <type_traits>
#include <utility>

namespace hadeck::proto {

namespace {

template <typename T>
struct IsOptional : std::false_type {};
template <typename T>
struct IsOptional<std::optional<T>> : std::true_type {};
template <typename T>
struct IsVector : std::false_type {};
template <typename T>
struct IsVector<std::vector<T>> : std::true_type {};

constexpr EnumNames<ApacheState, 7> kApacheStates{{
    {ApacheState::Ok, "ok"},
    {ApacheState::NotInstalled, "notInstalled"},
    {ApacheState::NotRunning, "notRunning"},
    {ApacheState::StatusDisabled, "statusDisabled"},
    {ApacheState::AccessDenied, "accessDenied"},
    {ApacheState::NotApache, "notApache"},
    {ApacheState::Error, "error"},
}};
constexpr EnumNames<DbState, 6> kDbStates{{
    {DbState::Ok, "ok"},
    {DbState::NotInstalled, "notInstalled"},
    {DbState::Unreachable, "unreachable"},
    {DbState::AccessDenied, "accessDenied"},
    {DbState::Timeout, "timeout"},
    {DbState::Error, "error"},
}};

// Encoding of one field.
template <typename T>
Json encode(const T& v)
{
    if constexpr (std::is_same_v<T, ApacheState> || std::is_same_v<T, DbState>) {
        return Json(toString(v));
    } else if constexpr (IsOptional<T>::value) {
        return v ? encode(*v) : Json(nullptr);
    } else if constexpr (IsVector<T>::value) {
        Json a = Json::array();
        for (const auto& e : v) {
            a.push_back(encode(e));
        }
        return a;
    } else {
        return Json(v);
    }
}

// Checked decoding of one field (absent or null keeps the default).
template <typename T>
void decode(const Json& obj, std::string_view key, T& out)
{
    if constexpr (std::is_same_v<T, ApacheState>) {
        wire::optEnum(obj, key, out, apacheStateFromString);
    } else if constexpr (std::is_same_v<T, DbState>) {
        wire::optEnum(obj, key, out, dbStateFromString);
    } else if constexpr (std::is_same_v<T, std::optional<std::string>>) {
        wire::opt(obj, key, out);
    } else if constexpr (IsOptional<T>::value) {
        using V = typename T::value_type;
        const Json* j = wire::find(obj, key);
        if (!j || j->is_null()) {
            out.reset();
        } else if constexpr (std::is_class_v<V>) {
            wire::optObject(obj, key, out);
        } else {
            V v{};
            decode(obj, key, v);
            out = v;
        }
    } else if constexpr (std::is_same_v<T, std::vector<std::int64_t>> || std::is_same_v<T, std::vector<double>>) {
        const Json* j = wire::find(obj, key);
        if (!j || j->is_null()) {
            return;
        }
        if (!j->is_array()) {
            wire::fail(key, "must be an array");
        }
        T result;
        result.reserve(j->size());
        for (const Json& e : *j) {
            if constexpr (std::is_same_v<typename T::value_type, double>) {
                result.push_back(wire::number(e, key));
            } else {
                result.push_back(wire::integer<std::int64_t>(e, key));
            }
        }
        out = std::move(result);
    } else if constexpr (std::is_same_v<T, std::map<std::string, std::uint32_t>>) {
        const Json* j = wire::find(obj, key);
        if (!j || j->is_null()) {
            return;
        }
        if (!j->is_object()) {
            wire::fail(key, "must be an object");
        }
        T result;
        for (auto it = j->begin(); it != j->end(); ++it) {
            result[it.key()] = wire::integer<std::uint32_t>(it.value(), it.key());
        }
        out = std::move(result);
    } else if constexpr (std::is_class_v<T> && !IsVector<T>::value && !std::is_same_v<T, std::string>) {
        wire::optObject(obj, key, out);
    } else {
        wire::opt(obj, key, out);
    }
}

} // namespace

std::string_view toString(ApacheState s) { return enumName(kApacheStates, s, "error"); }
std::optional<ApacheState> apacheStateFromString(std::string_view s) { return enumValue(kApacheStates, s); }
std::string_view toString(DbState s) { return enumName(kDbStates, s, "error"); }
std::optional<DbState> dbStateFromString(std::string_view s) { return enumValue(kDbStates, s); }

#define HADECK_ENC(f) j[#f] = encode(v.f);
#define HADECK_DEC(f) decode(j, #f, v.f);
#define HADECK_WIRE(T, ...)                                                                                            \
    void to_json(Json& j, const T& v)                                                                                  \
    {                                                                                                                  \
        j = Json::object();                                                                                            \
        NLOHMANN_JSON_EXPAND(NLOHMANN_JSON_PASTE(HADECK_ENC, __VA_ARGS__))                                             \
    }                                                                                                                  \
    void from_json(const Json& j, T& v)                                                                                \
    {                                                                                                                  \
        wire::requireObject(j, #T);                                                                                    \
        v = T{};                                                                                                       \
        NLOHMANN_JSON_EXPAND(NLOHMANN_JSON_PASTE(HADECK_DEC, __VA_ARGS__))                                             \
    }

HADECK_WIRE(CpuUsage, name, busyPct, iowaitPct, stealPct)
HADECK_WIRE(Pressure, someAvg10, someAvg60, fullAvg10, fullAvg60)
HADECK_WIRE(FilesystemUsage, mountPoint, device, type, totalBytes, availBytes, usedBytes, totalInodes, freeInodes)
HADECK_WIRE(DiskIo, device, readBytesPerSec, writeBytesPerSec, readsPerSec, writesPerSec, busyPct)
HADECK_WIRE(InterfaceRates, name, rxBytesPerSec, txBytesPerSec, rxPacketsPerSec, txPacketsPerSec, rxErrors, txErrors,
            rxDropped, txDropped)
HADECK_WIRE(ConnectionGroup, address, port, count, recentlyClosed)
HADECK_WIRE(TcpSummary, states, byLocal, byRemote)
HADECK_WIRE(HostStatus, load1, load5, load15, runnable, tasks, uptimeSeconds, memTotalKiB, memAvailableKiB,
            swapTotalKiB, swapFreeKiB, cpus, cpuPressure, memoryPressure, ioPressure, filesystems, disks, interfaces,
            tcp, errors)
HADECK_WIRE(PhpFpmStatus, pool, processManager, acceptedConnections, listenQueue, activeProcesses, idleProcesses,
            totalProcesses, maxChildrenReached, slowRequests)
HADECK_WIRE(ApacheStatus, state, reason, url, serverVersion, mpm, busyWorkers, idleWorkers, serverLimit,
            extendedStatus, totalAccesses, totalKBytes, requestsPerSec, bytesPerSec, scoreboard, uptimeSeconds,
            configGeneration, mpmGeneration, connsTotal, phpFpm)
HADECK_WIRE(ReplicaStatus, ioRunning, sqlRunning, lagSeconds, masterHost, masterPort, lastIoError, lastSqlError,
            lastIoErrno, lastSqlErrno, usingGtid, gtidIoPos, executedGtids)
HADECK_WIRE(DbStatus, state, reason, role, version, readOnly, binlogFile, binlogPosition, gtidCurrentPos,
            uptimeSeconds, threadsConnected, threadsRunning, queriesPerSec, slowQueries, replica)
HADECK_WIRE(MfsMasterInfo, version, ramUsedBytes, totalSpaceBytes, availSpaceBytes, files, directories, chunks,
            undergoalChunks, missingChunks, chunkservers)
HADECK_WIRE(MfsChunkserver, host, port, id, labels, version, connected, maintenance, chunks, usedBytes, totalBytes,
            errors)
HADECK_WIRE(MfsMetalogger, host, version)
HADECK_WIRE(MfsDisk, server, path, status, errors, chunks, usedBytes, totalBytes)
HADECK_WIRE(MfsStatus, ok, reason, master, chunkservers, metaloggers, disks)
HADECK_WIRE(HistoryParams, series, since, step)
HADECK_WIRE(HistoryResult, series, step, times, values, available)
HADECK_WIRE(LogsParams, source, since, until, grep, maxLines, follow)
HADECK_WIRE(LogLine, time, text)
HADECK_WIRE(LogsResult, source, lines, truncated, sources, followTopic)
HADECK_WIRE(LogTopic, source, lines)

std::string logTopic(std::string_view source)
{
    std::string topic(kLogTopicPrefix);
    topic.append(source);
    return topic;
}
HADECK_WIRE(ReplicaActionParams, dryRun)
HADECK_WIRE(ReadOnlyParams, on, dryRun)
HADECK_WIRE(MfsMaintenanceParams, host, port, on, dryRun)
HADECK_WIRE(ActionResult, done, preflight, warnings, message)

} // namespace hadeck::proto
