#include "hadeck/probes/appdata/host_proc.h"

#include "../text_util.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <set>
#include <tuple>

namespace hadeck::probes {

namespace {

bool toDouble(std::string_view s, double& out)
{
    const auto r = std::from_chars(s.data(), s.data() + s.size(), out);
    return !s.empty() && r.ec == std::errc() && r.ptr == s.data() + s.size() && std::isfinite(out);
}

template <typename T>
bool toInt(std::string_view s, T& out)
{
    if (const auto v = text::number<T>(s)) {
        out = *v;
        return true;
    }
    return false;
}

double rate(std::uint64_t before, std::uint64_t after, double seconds)
{
    // A counter that went back (wrap, device re-created) gives no rate rather than a huge one.
    return after >= before && seconds > 0 ? static_cast<double>(after - before) / seconds : 0.0;
}

template <typename T>
const T* byName(const std::vector<T>& v, const std::string& name, std::string T::*key)
{
    for (const auto& e : v) {
        if (e.*key == name) {
            return &e;
        }
    }
    return nullptr;
}

std::string unescapeMount(std::string_view s)
{
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '\\' && i + 3 < s.size()) {
            const auto oct = text::number<unsigned>(s.substr(i + 1, 3), 8);
            if (oct && *oct < 256) {
                out.push_back(static_cast<char>(*oct));
                i += 3;
                continue;
            }
        }
        out.push_back(s[i]);
    }
    return out;
}

} // namespace

Status parseLoadavg(std::string_view textIn, proto::HostStatus& out)
{
    // "0.52 0.58 0.59 2/389 12345"
    const auto w = text::words(textIn);
    const auto slash = w.size() >= 4 ? w[3].find('/') : std::string_view::npos;
    if (w.size() < 4 || !toDouble(w[0], out.load1) || !toDouble(w[1], out.load5) || !toDouble(w[2], out.load15) ||
        slash == std::string_view::npos || !toInt(w[3].substr(0, slash), out.runnable) ||
        !toInt(w[3].substr(slash + 1), out.tasks)) {
        return fail("unexpected /proc/loadavg format: \"" + std::string(textIn.substr(0, 80)) + "\"");
    }
    return {};
}

Status parseMeminfo(std::string_view textIn, proto::HostStatus& out)
{
    bool total = false;
    bool available = false;
    for (const auto line : text::lines(textIn)) {
        const auto colon = line.find(':');
        if (colon == std::string_view::npos) {
            continue;
        }
        const auto key = line.substr(0, colon);
        const auto w = text::words(line.substr(colon + 1));
        std::uint64_t value = 0;
        if (w.empty() || !toInt(w[0], value)) {
            continue;
        }
        if (key == "MemTotal") {
            out.memTotalKiB = value;
            total = true;
        } else if (key == "MemAvailable") {
            out.memAvailableKiB = value;
            available = true;
        } else if (key == "SwapTotal") {
            out.swapTotalKiB = value;
        } else if (key == "SwapFree") {
            out.swapFreeKiB = value;
        }
    }
    if (!total || !available) {
        return fail("/proc/meminfo lacks MemTotal or MemAvailable (kernel older than 3.14?)");
    }
    return {};
}

Status parseUptime(std::string_view textIn, proto::HostStatus& out)
{
    const auto w = text::words(textIn);
    if (w.empty() || !toDouble(w[0], out.uptimeSeconds)) {
        return fail("unexpected /proc/uptime format");
    }
    return {};
}

Expected<proto::Pressure> parsePressure(std::string_view textIn)
{
    proto::Pressure p;
    bool some = false;
    for (const auto line : text::lines(textIn)) {
        const auto w = text::words(line);
        if (w.size() < 3 || (w[0] != "some" && w[0] != "full")) {
            continue;
        }
        double a10 = 0;
        double a60 = 0;
        if (!text::startsWith(w[1], "avg10=") || !text::startsWith(w[2], "avg60=") || !toDouble(w[1].substr(6), a10) ||
            !toDouble(w[2].substr(6), a60)) {
            return fail("unexpected /proc/pressure line: \"" + std::string(line.substr(0, 80)) + "\"");
        }
        if (w[0] == "some") {
            p.someAvg10 = a10;
            p.someAvg60 = a60;
            some = true;
        } else {
            p.fullAvg10 = a10;
            p.fullAvg60 = a60;
        }
    }
    if (!some) {
        return fail("/proc/pressure file without a \"some\" line");
    }
    return p;
}

Expected<std::vector<CpuTicks>> parseProcStat(std::string_view textIn)
{
    std::vector<CpuTicks> out;
    for (const auto line : text::lines(textIn)) {
        if (!text::startsWith(line, "cpu")) {
            continue;
        }
        const auto w = text::words(line);
        CpuTicks t;
        t.name = std::string(w[0]);
        std::uint64_t* fields[] = {&t.user, &t.nice, &t.system, &t.idle, &t.iowait, &t.irq, &t.softirq, &t.steal};
        // Kernels since 2.6.11 print at least 8 numbers; guest times follow and are part of user.
        if (w.size() < 9) {
            return fail("/proc/stat: short line \"" + std::string(line.substr(0, 80)) + "\"");
        }
        for (std::size_t i = 0; i < 8; ++i) {
            if (!toInt(w[i + 1], *fields[i])) {
                return fail("/proc/stat: \"" + std::string(w[i + 1].substr(0, 30)) + "\" is not a counter");
            }
        }
        out.push_back(std::move(t));
    }
    if (out.empty() || out.front().name != "cpu") {
        return fail("/proc/stat without its \"cpu\" line");
    }
    return out;
}

std::vector<proto::CpuUsage> cpuUsage(const std::vector<CpuTicks>& before, const std::vector<CpuTicks>& after)
{
    std::vector<proto::CpuUsage> out;
    for (const auto& a : after) {
        const CpuTicks* b = byName(before, a.name, &CpuTicks::name);
        proto::CpuUsage u;
        u.name = a.name;
        if (b && a.total() > b->total()) {
            const double dt = static_cast<double>(a.total() - b->total());
            const auto d = [](std::uint64_t x, std::uint64_t y) { return y >= x ? static_cast<double>(y - x) : 0.0; };
            const double idle = d(b->idle, a.idle) + d(b->iowait, a.iowait);
            u.busyPct = std::clamp(100.0 * (dt - idle) / dt, 0.0, 100.0);
            u.iowaitPct = std::clamp(100.0 * d(b->iowait, a.iowait) / dt, 0.0, 100.0);
            u.stealPct = std::clamp(100.0 * d(b->steal, a.steal) / dt, 0.0, 100.0);
        }
        out.push_back(u);
    }
    return out;
}

Expected<std::vector<DiskCounters>> parseDiskstats(std::string_view textIn)
{
    std::vector<DiskCounters> out;
    std::set<std::string> names;
    std::vector<DiskCounters> all;
    for (const auto line : text::lines(textIn)) {
        const auto w = text::words(line);
        if (w.empty()) {
            continue;
        }
        if (w.size() < 14) {
            return fail("/proc/diskstats: short line \"" + std::string(line.substr(0, 80)) + "\"");
        }
        DiskCounters d;
        d.device = std::string(w[2]);
        std::uint64_t ignore = 0;
        if (!toInt(w[3], d.reads) || !toInt(w[5], d.sectorsRead) || !toInt(w[7], d.writes) ||
            !toInt(w[9], d.sectorsWritten) || !toInt(w[12], d.ioTicksMs) || !toInt(w[0], ignore)) {
            return fail("/proc/diskstats: a counter of " + d.device + " does not parse");
        }
        names.insert(d.device);
        all.push_back(std::move(d));
    }
    for (auto& d : all) {
        const auto& n = d.device;
        if (text::startsWith(n, "loop") || text::startsWith(n, "ram") || text::startsWith(n, "zram") ||
            text::startsWith(n, "sr")) {
            continue;
        }
        // A partition is a whole disk's name plus a number (sda1, vda2, nvme0n1p1, mmcblk0p1).
        bool partition = false;
        for (std::size_t cut = n.size(); cut > 0 && !partition; --cut) {
            if (cut < n.size() && names.count(n.substr(0, cut)) &&
                std::all_of(n.begin() + static_cast<long>(cut), n.end(),
                            [](char c) { return (c >= '0' && c <= '9') || c == 'p'; })) {
                partition = true;
            }
        }
        if (!partition) {
            out.push_back(std::move(d));
        }
    }
    return out;
}

std::vector<proto::DiskIo> diskRates(const std::vector<DiskCounters>& before, const std::vector<DiskCounters>& after,
                                     double seconds)
{
    std::vector<proto::DiskIo> out;
    for (const auto& a : after) {
        proto::DiskIo io;
        io.device = a.device;
        if (const DiskCounters* b = byName(before, a.device, &DiskCounters::device)) {
            io.readBytesPerSec = rate(b->sectorsRead, a.sectorsRead, seconds) * 512; // diskstats sectors are 512 B
            io.writeBytesPerSec = rate(b->sectorsWritten, a.sectorsWritten, seconds) * 512;
            io.readsPerSec = rate(b->reads, a.reads, seconds);
            io.writesPerSec = rate(b->writes, a.writes, seconds);
            io.busyPct = std::min(100.0, rate(b->ioTicksMs, a.ioTicksMs, seconds) / 10.0);
        }
        out.push_back(io);
    }
    return out;
}

Expected<std::vector<InterfaceCounters>> parseNetDev(std::string_view textIn)
{
    const auto ls = text::lines(textIn);
    if (ls.size() < 2 || ls[0].find("Receive") == std::string_view::npos ||
        ls[1].find("bytes") == std::string_view::npos) {
        return fail("/proc/net/dev without its two header lines");
    }
    std::vector<InterfaceCounters> out;
    for (std::size_t i = 2; i < ls.size(); ++i) {
        const auto colon = ls[i].find(':');
        if (text::trim(ls[i]).empty()) {
            continue;
        }
        if (colon == std::string_view::npos) {
            return fail("/proc/net/dev: line without an interface name");
        }
        InterfaceCounters c;
        c.name = std::string(text::trim(ls[i].substr(0, colon)));
        const auto w = text::words(ls[i].substr(colon + 1));
        if (w.size() < 16 || !toInt(w[0], c.rxBytes) || !toInt(w[1], c.rxPackets) || !toInt(w[2], c.rxErrors) ||
            !toInt(w[3], c.rxDropped) || !toInt(w[8], c.txBytes) || !toInt(w[9], c.txPackets) ||
            !toInt(w[10], c.txErrors) || !toInt(w[11], c.txDropped)) {
            return fail("/proc/net/dev: the counters of " + c.name + " do not parse");
        }
        out.push_back(std::move(c));
    }
    return out;
}

std::vector<proto::InterfaceRates> interfaceRates(const std::vector<InterfaceCounters>& before,
                                                  const std::vector<InterfaceCounters>& after, double seconds)
{
    std::vector<proto::InterfaceRates> out;
    for (const auto& a : after) {
        proto::InterfaceRates r;
        r.name = a.name;
        r.rxErrors = a.rxErrors;
        r.txErrors = a.txErrors;
        r.rxDropped = a.rxDropped;
        r.txDropped = a.txDropped;
        if (const InterfaceCounters* b = byName(before, a.name, &InterfaceCounters::name)) {
            r.rxBytesPerSec = rate(b->rxBytes, a.rxBytes, seconds);
            r.txBytesPerSec = rate(b->txBytes, a.txBytes, seconds);
            r.rxPacketsPerSec = rate(b->rxPackets, a.rxPackets, seconds);
            r.txPacketsPerSec = rate(b->txPackets, a.txPackets, seconds);
        }
        out.push_back(std::move(r));
    }
    return out;
}

Expected<std::vector<Mount>> parseMounts(std::string_view textIn)
{
    static const std::set<std::string, std::less<>> kPseudo{
        "proc",     "sysfs",    "cgroup", "cgroup2",    "devpts",  "mqueue",     "debugfs", "tracefs",
        "securityfs", "pstore", "bpf",    "configfs",   "fusectl", "hugetlbfs",  "autofs",  "binfmt_misc",
        "rpc_pipefs", "nsfs",   "devtmpfs", "efivarfs", "ramfs",   "fuse.lxcfs", "selinuxfs", "squashfs"};
    std::vector<Mount> out;
    std::set<std::string> seen;
    for (const auto line : text::lines(textIn)) {
        const auto w = text::words(line);
        if (w.empty()) {
            continue;
        }
        if (w.size() < 4) {
            return fail("/proc/mounts: short line \"" + std::string(line.substr(0, 80)) + "\"");
        }
        if (kPseudo.count(w[2])) {
            continue;
        }
        Mount m{unescapeMount(w[0]), unescapeMount(w[1]), std::string(w[2])};
        if (!seen.insert(m.mountPoint).second) {
            continue; // the same point mounted over: keep the first line
        }
        out.push_back(std::move(m));
    }
    return out;
}

std::string_view tcpStateName(int state)
{
    static constexpr std::string_view kNames[] = {"UNKNOWN",   "ESTABLISHED", "SYN_SENT", "SYN_RECV",
                                                  "FIN_WAIT1", "FIN_WAIT2",   "TIME_WAIT", "CLOSE",
                                                  "CLOSE_WAIT", "LAST_ACK",   "LISTEN",    "CLOSING",
                                                  "NEW_SYN_RECV"};
    return state > 0 && state < static_cast<int>(std::size(kNames)) ? kNames[state] : kNames[0];
}

proto::TcpSummary tcpSummary(const std::vector<TcpSocket>& sockets)
{
    proto::TcpSummary s;
    // Ports this node listens on: an established socket on such a local port is inbound.
    std::set<std::tuple<std::string, std::uint16_t>> listening;
    std::set<std::uint16_t> anyListening;
    for (const auto& t : sockets) {
        ++s.states[std::string(tcpStateName(t.state))];
        if (t.state == static_cast<int>(TcpState::Listen)) {
            listening.emplace(t.localAddress, t.localPort);
            if (t.localAddress == "0.0.0.0" || t.localAddress == "::") {
                anyListening.insert(t.localPort);
            }
        }
    }
    // (established, time-wait) per address:port.
    std::map<std::pair<std::string, std::uint16_t>, std::pair<std::uint32_t, std::uint32_t>> in;
    std::map<std::pair<std::string, std::uint16_t>, std::pair<std::uint32_t, std::uint32_t>> out;
    for (const auto& t : sockets) {
        const bool established = t.state == static_cast<int>(TcpState::Established);
        if (!established && t.state != static_cast<int>(TcpState::TimeWait)) {
            continue;
        }
        const bool inbound = anyListening.count(t.localPort) || listening.count({t.localAddress, t.localPort});
        auto& n = inbound ? in[{t.localAddress, t.localPort}] : out[{t.remoteAddress, t.remotePort}];
        ++(established ? n.first : n.second);
    }
    const auto toGroups = [](const auto& m) {
        std::vector<proto::ConnectionGroup> g;
        for (const auto& [k, n] : m) {
            g.push_back({k.first, k.second, n.first, n.second});
        }
        std::stable_sort(g.begin(), g.end(), [](const auto& a, const auto& b) {
            return std::pair(a.count, a.recentlyClosed) > std::pair(b.count, b.recentlyClosed);
        });
        return g;
    };
    s.byLocal = toGroups(in);
    s.byRemote = toGroups(out);
    return s;
}

} // namespace hadeck::probes
