#pragma once

// Host health from /proc, as pure parsers over the files' text (moved from
// agent/daemon's host module), plus the rate arithmetic between two samples.
// Counters come in *Counters structs; rates are computed by the caller from two
// of them, so every parser stays a function of its input.

#include "hadeck/probes/proc_net_tcp.h"
#include "hadeck/protocol/appdata.h"
#include "hadeck/protocol/expected.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace hadeck::probes {

/// /proc/loadavg: load1/5/15, runnable and tasks.
Status parseLoadavg(std::string_view text, proto::HostStatus& out);
/// /proc/meminfo: MemTotal, MemAvailable (required), SwapTotal, SwapFree.
Status parseMeminfo(std::string_view text, proto::HostStatus& out);
/// /proc/uptime.
Status parseUptime(std::string_view text, proto::HostStatus& out);
/// /proc/pressure/{cpu,memory,io}. The cpu file has no "full" line before 5.13.
Expected<proto::Pressure> parsePressure(std::string_view text);

/// One "cpu" line of /proc/stat, in USER_HZ ticks.
struct CpuTicks {
    std::string name;
    std::uint64_t user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0;
    [[nodiscard]] std::uint64_t total() const { return user + nice + system + idle + iowait + irq + softirq + steal; }
};
/// /proc/stat: "cpu" (total) first, then cpu0, cpu1...
Expected<std::vector<CpuTicks>> parseProcStat(std::string_view text);
/// Busy, iowait and steal shares between two /proc/stat samples (matched by name).
std::vector<proto::CpuUsage> cpuUsage(const std::vector<CpuTicks>& before, const std::vector<CpuTicks>& after);

struct DiskCounters {
    std::string device;
    std::uint64_t reads = 0, sectorsRead = 0, writes = 0, sectorsWritten = 0, ioTicksMs = 0;
};
/// /proc/diskstats, whole disks only (no partitions, loop, ram or zram devices).
Expected<std::vector<DiskCounters>> parseDiskstats(std::string_view text);
std::vector<proto::DiskIo> diskRates(const std::vector<DiskCounters>& before, const std::vector<DiskCounters>& after,
                                     double seconds);

struct InterfaceCounters {
    std::string name;
    std::uint64_t rxBytes = 0, rxPackets = 0, rxErrors = 0, rxDropped = 0;
    std::uint64_t txBytes = 0, txPackets = 0, txErrors = 0, txDropped = 0;
};
/// /proc/net/dev (both header lines required).
Expected<std::vector<InterfaceCounters>> parseNetDev(std::string_view text);
std::vector<proto::InterfaceRates> interfaceRates(const std::vector<InterfaceCounters>& before,
                                                  const std::vector<InterfaceCounters>& after, double seconds);

struct Mount {
    std::string device;
    std::string mountPoint;
    std::string type;
};
/// /proc/mounts, filesystems that hold data only (no proc, sysfs, cgroup, overlay
/// lower layers...; tmpfs and fuse.mfs included). Octal escapes (\040) decoded.
Expected<std::vector<Mount>> parseMounts(std::string_view text);

/// TCP states and established connections grouped by local address:port (where
/// this node listens: inbound) and by remote address:port (outbound), from the
/// parsed /proc/net/tcp{,6} tables. Groups are sorted by count, largest first.
proto::TcpSummary tcpSummary(const std::vector<TcpSocket>& sockets);

/// The kernel's name of a TCP state ("ESTABLISHED"...), or "UNKNOWN".
std::string_view tcpStateName(int state);

} // namespace hadeck::probes
