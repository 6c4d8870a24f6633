#include "hadeck/probes/appdata/apache_status.h"

#include "../text_util.h"

#include <charconv>
#include <cmath>
#include <map>
#include <string>

namespace hadeck::probes {

namespace {

using text::trim;

// "Key: value" lines; keys may contain spaces ("Total Accesses"). A key seen twice
// (BusyWorkers on event/worker with the async block) keeps its first value.
std::map<std::string, std::string_view, std::less<>> keyValues(std::string_view body, bool& sawNonKeyLine)
{
    std::map<std::string, std::string_view, std::less<>> kv;
    sawNonKeyLine = false;
    bool first = true;
    for (const auto raw : text::lines(body)) {
        const auto line = trim(raw);
        if (line.empty()) {
            continue;
        }
        const auto colon = line.find(':');
        if (colon == std::string_view::npos) {
            if (!first) {
                sawNonKeyLine = true; // e.g. "TLSSessionCacheStatus", a module hook's heading
            }
            first = false;
            continue;
        }
        first = false;
        const auto key = trim(line.substr(0, colon));
        kv.emplace(std::string(key), trim(line.substr(colon + 1)));
    }
    return kv;
}

std::optional<double> decimal(std::string_view s)
{
    // Apache prints ".0507813" and "5802.67"; from_chars accepts both.
    double v = 0;
    const auto* end = s.data() + s.size();
    const auto r = std::from_chars(s.data(), end, v);
    if (s.empty() || r.ec != std::errc() || r.ptr != end || !std::isfinite(v)) {
        return std::nullopt;
    }
    return v;
}

const char* scoreboardName(char c)
{
    switch (c) {
    case '_': return "waiting";
    case 'S': return "starting";
    case 'R': return "reading";
    case 'W': return "writing";
    case 'K': return "keepalive";
    case 'D': return "dns";
    case 'C': return "closing";
    case 'L': return "logging";
    case 'G': return "graceful";
    case 'I': return "idleCleanup";
    case '.': return "open";
    default: return nullptr;
    }
}

} // namespace

std::uint32_t activeWorkerSlots(const proto::ApacheStatus& status)
{
    std::uint32_t n = 0;
    for (const char c : std::string_view("RWKDCLG")) {
        if (const auto it = status.scoreboard.find(scoreboardName(c)); it != status.scoreboard.end()) {
            n += it->second;
        }
    }
    return n;
}

Expected<proto::ApacheStatus> parseApacheStatus(std::string_view body)
{
    bool extraLines = false;
    const auto kv = keyValues(body, extraLines);
    const auto get = [&](std::string_view k) -> std::optional<std::string_view> {
        const auto it = kv.find(k);
        return it == kv.end() ? std::nullopt : std::optional(it->second);
    };
    // Apache's signature: a ServerVersion that names Apache, an MPM and a scoreboard.
    const auto version = get("ServerVersion");
    const auto scoreboard = get("Scoreboard");
    if (!version || version->find("Apache") == std::string_view::npos || !scoreboard || !get("BusyWorkers") ||
        !get("IdleWorkers")) {
        return fail("not Apache's mod_status ?auto output (no ServerVersion naming Apache, BusyWorkers, "
                    "IdleWorkers and Scoreboard)");
    }
    proto::ApacheStatus s;
    s.state = proto::ApacheState::Ok;
    s.serverVersion = std::string(*version);
    s.mpm = std::string(get("ServerMPM").value_or(""));
    const auto u32 = [&](std::string_view key, std::uint32_t& out) -> bool {
        if (const auto v = get(key)) {
            if (const auto n = text::number<std::uint32_t>(*v)) {
                out = *n;
                return true;
            }
            return false;
        }
        return true; // absent: keep the default
    };
    std::uint64_t uptime = 0;
    if (const auto v = get("ServerUptimeSeconds")) {
        const auto n = text::number<std::uint64_t>(*v);
        if (!n) {
            return fail("mod_status: ServerUptimeSeconds is not a number");
        }
        uptime = *n;
    }
    s.uptimeSeconds = uptime;
    if (!u32("BusyWorkers", s.busyWorkers) || !u32("IdleWorkers", s.idleWorkers) ||
        !u32("ParentServerConfigGeneration", s.configGeneration) ||
        !u32("ParentServerMPMGeneration", s.mpmGeneration)) {
        return fail("mod_status: a worker count or generation is not a number");
    }
    if (const auto v = get("ConnsTotal")) {
        const auto n = text::number<std::uint32_t>(*v);
        if (!n) {
            return fail("mod_status: ConnsTotal is not a number");
        }
        s.connsTotal = *n;
    }
    if (const auto v = get("Total Accesses")) {
        const auto n = text::number<std::uint64_t>(*v);
        const auto kb = text::number<std::uint64_t>(get("Total kBytes").value_or(""));
        if (!n || !kb) {
            return fail("mod_status: Total Accesses or Total kBytes is not a number");
        }
        s.extendedStatus = true;
        s.totalAccesses = *n;
        s.totalKBytes = *kb;
        // ReqPerSec/BytesPerSec are missing while the uptime is 0.
        s.requestsPerSec = decimal(get("ReqPerSec").value_or("0")).value_or(0);
        s.bytesPerSec = decimal(get("BytesPerSec").value_or("0")).value_or(0);
    }
    for (const char c : *scoreboard) {
        const char* name = scoreboardName(c);
        if (!name) {
            return fail(std::string("mod_status: unknown scoreboard character '") + c + "'");
        }
        ++s.scoreboard[name];
    }
    s.serverLimit = static_cast<std::uint32_t>(scoreboard->size());
    return s;
}

Expected<proto::PhpFpmStatus> parsePhpFpmStatus(std::string_view body)
{
    bool extra = false;
    const auto kv = keyValues(body, extra);
    const auto pool = kv.find("pool");
    const auto pm = kv.find("process manager");
    if (pool == kv.end() || pm == kv.end() || kv.find("active processes") == kv.end()) {
        return fail("not php-fpm's status page (no pool, process manager and active processes)");
    }
    proto::PhpFpmStatus s;
    s.pool = std::string(pool->second);
    s.processManager = std::string(pm->second);
    bool ok = true;
    const auto num = [&](std::string_view key, auto& out) {
        using T = std::remove_reference_t<decltype(out)>;
        if (const auto it = kv.find(key); it != kv.end()) {
            if (const auto n = text::number<T>(it->second)) {
                out = *n;
            } else {
                ok = false;
            }
        }
    };
    num("accepted conn", s.acceptedConnections);
    num("listen queue", s.listenQueue);
    num("active processes", s.activeProcesses);
    num("idle processes", s.idleProcesses);
    num("total processes", s.totalProcesses);
    num("max children reached", s.maxChildrenReached);
    num("slow requests", s.slowRequests);
    if (!ok) {
        return fail("php-fpm status: a counter is not a number");
    }
    return s;
}

} // namespace hadeck::probes
