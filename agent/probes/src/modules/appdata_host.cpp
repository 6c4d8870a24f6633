// Host health module, the shared history and the history/logs methods.

#include "hadeck/probes/modules/appdata_modules.h"

#include "hadeck/agent/files.h"
#include "hadeck/agent/log.h"
#include "hadeck/agent/publisher.h"
#include "hadeck/agent/registry.h"
#include "hadeck/protocol/methods.h"

#include <algorithm>
#include <cerrno>
#include <ctime>
#include <filesystem>

#include <sys/statvfs.h>

namespace hadeck::probes {

using agent::CallContext;
using agent::TypedResponder;

namespace {

/// A followed log line longer than this without a newline is published in pieces.
constexpr std::size_t kMaxPartialLine = 64U * 1024U;

/// A /proc file's text, or "" with the reason (path and errno text) in @p readError.
std::string readSmallFile(const char* path, std::string& readError)
{
    auto text = agent::files::readFile(path, std::size_t{16} << 20U);
    if (!text) {
        readError = text.error().message;
        return {};
    }
    readError.clear();
    return std::move(*text);
}

std::int64_t unixNow() { return static_cast<std::int64_t>(std::time(nullptr)); }

} // namespace

void AppdataShared::recordNumbers(std::string_view prefix, const rpc::Json& j, std::int64_t t)
{
    for (auto it = j.begin(); it != j.end(); ++it) {
        if (it.value().is_number()) {
            history.record(std::string(prefix) + "." + it.key(), t, it.value().get<double>());
        }
    }
}

void answerAction(agent::TypedResponder<proto::ActionResult>& r, const Expected<proto::ActionResult>& done)
{
    if (!done) {
        r.error(rpc::ActionFailed, done.error().message);
        return;
    }
    const proto::ActionResult& res = *done;
    if (!res.done && res.message.rfind("dry run", 0) != 0) {
        r.error(rpc::ActionFailed, res.message, rpc::Json(res));
        return;
    }
    r.result(res);
}

// ---------------------------------------------------------------- host

proto::HostStatus HostModule::sample()
{
    proto::HostStatus s;
    const auto now = std::chrono::steady_clock::now();
    const double seconds =
        m_lastAt.time_since_epoch().count() == 0 ? 0.0 : std::chrono::duration<double>(now - m_lastAt).count();
    const auto note = [&s](const char* what, const std::string& why) { s.errors.push_back(std::string(what) + ": " + why); };
    std::string readError;
    // A file that cannot be read is reported as such, not as its empty text failing to parse.
    const auto noteRead = [&s, &readError, &note](const char* what, const std::string& parseError) {
        if (readError.empty()) {
            note(what, parseError);
        } else {
            s.errors.push_back(readError);
        }
    };
    if (auto r = parseLoadavg(readSmallFile("/proc/loadavg", readError), s); !r) {
        noteRead("/proc/loadavg", r.error().message);
    }
    if (auto r = parseMeminfo(readSmallFile("/proc/meminfo", readError), s); !r) {
        noteRead("/proc/meminfo", r.error().message);
    }
    if (auto r = parseUptime(readSmallFile("/proc/uptime", readError), s); !r) {
        noteRead("/proc/uptime", r.error().message);
    }
    if (auto cpu = parseProcStat(readSmallFile("/proc/stat", readError))) {
        s.cpus = cpuUsage(m_cpu, *cpu);
        m_cpu = std::move(*cpu);
    } else {
        noteRead("/proc/stat", cpu.error().message);
    }
    const std::pair<const char*, std::optional<proto::Pressure>*> psi[] = {
        {"/proc/pressure/cpu", &s.cpuPressure}, {"/proc/pressure/memory", &s.memoryPressure},
        {"/proc/pressure/io", &s.ioPressure}};
    for (const auto& [path, out] : psi) {
        // No file: no PSI in this kernel, not an error.
        if (auto text = agent::files::readFileIfExists(path, 4096); text && text->has_value()) {
            if (auto p = parsePressure(**text)) {
                *out = *p;
            }
        }
    }
    if (auto d = parseDiskstats(readSmallFile("/proc/diskstats", readError))) {
        s.disks = diskRates(m_disks, *d, seconds);
        m_disks = std::move(*d);
    } else {
        noteRead("/proc/diskstats", d.error().message);
    }
    if (auto n = parseNetDev(readSmallFile("/proc/net/dev", readError))) {
        s.interfaces = interfaceRates(m_ifaces, *n, seconds);
        m_ifaces = std::move(*n);
    } else {
        noteRead("/proc/net/dev", n.error().message);
    }
    // Filesystem usage changes slowly and statfs on a network mount (MooseFS) asks its
    // master: every 10 s is enough.
    if (m_fsAt.time_since_epoch().count() != 0 && now - m_fsAt < std::chrono::seconds(10)) {
        s.filesystems = m_fs;
    } else if (auto mounts = parseMounts(readSmallFile("/proc/mounts", readError))) {
        m_fsAt = now;
        for (const auto& m : *mounts) {
            // statvfs on a network mount can hang; only local and MooseFS (answers from the master's cache) here.
            if (m.type == "nfs" || m.type == "nfs4" || m.type == "cifs" || m.type == "tmpfs") {
                continue;
            }
            struct statvfs v {};
            if (::statvfs(m.mountPoint.c_str(), &v) != 0 || v.f_blocks == 0) {
                continue;
            }
            proto::FilesystemUsage f;
            f.mountPoint = m.mountPoint;
            f.device = m.device;
            f.type = m.type;
            f.totalBytes = static_cast<std::uint64_t>(v.f_blocks) * v.f_frsize;
            f.availBytes = static_cast<std::uint64_t>(v.f_bavail) * v.f_frsize;
            f.usedBytes = static_cast<std::uint64_t>(v.f_blocks - v.f_bfree) * v.f_frsize;
            f.totalInodes = v.f_files;
            f.freeInodes = v.f_ffree;
            s.filesystems.push_back(std::move(f));
        }
        m_fs = s.filesystems;
    } else {
        noteRead("/proc/mounts", mounts.error().message);
    }
    // Who listens, every sample: a LISTEN-only dump walks just the kernel's listener table. Every
    // other state makes the kernel walk its whole established-socket hash table (all namespaces',
    // sized by memory), so the states and connection groups are refreshed every sockets_interval_ms.
    const bool walkAll = m_tcpAt.time_since_epoch().count() == 0 || now - m_tcpAt >= m_socketsInterval;
    if (auto t = readTcpSockets(walkAll ? kAllTcpStates : kTcpListenOnly)) {
        if (walkAll) {
            m_tcp = tcpSummary(t->sockets);
            m_tcpAt = now;
        }
        if (m_shared) {
            m_shared->tcpListenPorts.clear();
            for (const auto& sock : t->sockets) {
                if (sock.state == static_cast<int>(TcpState::Listen)) {
                    m_shared->tcpListenPorts.insert(sock.localPort);
                }
            }
            m_shared->tcpListenAt = now;
        }
    } else {
        note("/proc/net/tcp", t.error().message);
    }
    s.tcp = m_tcp;
    m_lastAt = now;
    return s;
}

void HostModule::start(agent::AgentContext& context)
{
    m_context = &context;
    m_socketsInterval = socketsInterval(context.config);
    context.registry.add(proto::methods::HostStatusGet, this, &HostModule::status);
    context.publisher.setSnapshot(std::string(proto::topic::Host), [this] {
        if (!m_last) {
            m_last = sample();
        }
        return rpc::Json(*m_last);
    });
    arm(context.config.sampleInterval);
}

void HostModule::status(const CallContext&, proto::Empty, TypedResponder<proto::HostStatus> r)
{
    if (!m_last) {
        m_last = sample();
    }
    r.result(*m_last);
}

std::chrono::milliseconds HostModule::socketsInterval(const agent::AgentConfig& config)
{
    return std::chrono::milliseconds(
        moduleSetting(config, "host", "sockets_interval_ms", kDefaultSocketsIntervalMs, 1000, 3600000));
}

void HostModule::reload(const agent::AgentConfig& config)
{
    m_socketsInterval = socketsInterval(config);
    if (config.sampleInterval != m_interval) {
        arm(config.sampleInterval);
    }
}

void HostModule::arm(std::chrono::milliseconds interval)
{
    m_interval = interval;
    auto timer = m_context->loop.addTimer(interval, true, [this] {
        // Reading /proc never blocks, so this stays on the loop thread. It runs
        // whether or not anyone listens: the history keeps every sample.
        m_last = sample();
        const auto t = unixNow();
        const auto& s = *m_last;
        auto& h = m_shared->history;
        h.record(proto::series::HostLoad1, t, s.load1);
        if (!s.cpus.empty()) {
            h.record(proto::series::HostCpuBusyPct, t, s.cpus.front().busyPct);
            h.record("host.cpuIowaitPct", t, s.cpus.front().iowaitPct);
        }
        if (s.memTotalKiB > 0) {
            h.record(proto::series::HostMemUsedPct, t,
                     100.0 * static_cast<double>(s.memTotalKiB - s.memAvailableKiB) /
                         static_cast<double>(s.memTotalKiB));
        }
        if (s.swapTotalKiB > 0) {
            h.record("host.swapUsedPct", t, 100.0 * static_cast<double>(s.swapTotalKiB - s.swapFreeKiB) /
                                                static_cast<double>(s.swapTotalKiB));
        }
        for (const auto& d : s.disks) {
            h.record(proto::series::perDevice(proto::series::DiskPrefix, d.device, proto::series::DiskBusySuffix), t,
                     d.busyPct);
        }
        for (const auto& i : s.interfaces) {
            if (i.name != "lo") {
                h.record(proto::series::perDevice(proto::series::NetPrefix, i.name, proto::series::NetRxSuffix), t,
                         i.rxBytesPerSec);
                h.record(proto::series::perDevice(proto::series::NetPrefix, i.name, proto::series::NetTxSuffix), t,
                         i.txBytesPerSec);
            }
        }
        for (const auto& f : s.filesystems) {
            if (f.totalBytes > 0) {
                h.record("fs." + f.mountPoint + ".usedPct", t,
                         100.0 * static_cast<double>(f.usedBytes) / static_cast<double>(f.totalBytes));
            }
        }
        // Only when this sample walked the socket table: a repeated figure is not a sample.
        if (m_tcpAt == m_lastAt) {
            const auto e = s.tcp.states.find("ESTABLISHED");
            h.record("tcp.established", t, e != s.tcp.states.end() ? e->second : 0);
        }
        if (m_context->publisher.subscriberCount(proto::topic::Host) > 0) {
            m_context->publisher.publish(proto::topic::Host, rpc::Json(s));
        }
    });
    if (!timer) {
        agent::logError("host: cannot start the sample timer: " + timer.error().message);
        return;
    }
    m_timer = std::move(*timer);
}

// ---------------------------------------------------------------- history and logs

std::map<std::string, std::string> HistoryLogsModule::logSources(const agent::AgentConfig& config, bool warn)
{
    std::map<std::string, std::string> out;
    const std::pair<const char*, const char*> defaults[] = {
        {"apache-access", "/var/log/apache2/access.log"}, {"apache-error", "/var/log/apache2/error.log"},
        {"mariadb-error", "/var/log/mysql/error.log"},    {"syslog", "/var/log/syslog"},
        {"keepalived", "/var/log/keepalived.log"},        {"moosefs", "/var/log/mfs.log"}};
    std::error_code ec;
    for (const auto& [name, path] : defaults) {
        if (std::filesystem::is_regular_file(path, ec)) {
            out[name] = path;
        }
    }
    if (const auto m = config.modules.find("logs"); m != config.modules.end() && m->is_object()) {
        for (auto it = m->begin(); it != m->end(); ++it) {
            if (it.value().is_string() && !it.value().get<std::string>().empty() &&
                it.value().get<std::string>().front() == '/') {
                out[it.key()] = it.value().get<std::string>();
            } else if (warn) {
                agent::logWarning("[modules.logs] " + it.key() + " must be an absolute path");
            }
        }
    }
    return out;
}

namespace {

int monthIndex(std::string_view m)
{
    static constexpr std::string_view kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    for (int i = 0; i < 12; ++i) {
        if (m == kMonths[i]) {
            return i;
        }
    }
    return -1;
}

bool digits(std::string_view s, int& out)
{
    if (s.empty() || s.size() > 9) {
        return false;
    }
    out = 0;
    for (const char c : s) {
        if (c < '0' || c > '9') {
            return false;
        }
        out = out * 10 + (c - '0');
    }
    return true;
}

std::int64_t utc(int y, int mon, int d, int h, int mi, int s, int offsetMinutes = 0)
{
    if (y < 1970 || y > 9999 || mon < 0 || mon > 11 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) {
        return 0;
    }
    std::tm tm{};
    tm.tm_year = y - 1900;
    tm.tm_mon = mon;
    tm.tm_mday = d;
    tm.tm_hour = h;
    tm.tm_min = mi;
    tm.tm_sec = s;
    return static_cast<std::int64_t>(timegm(&tm)) - offsetMinutes * 60;
}

} // namespace

std::int64_t logLineTime(std::string_view line, int currentYear)
{
    int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
    // ISO 8601 / journal short-iso / MariaDB: "2026-12-02T02:22:24", "2026-12-02 02:22:24", "2026-12-02  2:22:24"
    if (line.size() >= 19 && line[4] == '-' && line[7] == '-' && digits(line.substr(0, 4), y) &&
        digits(line.substr(5, 2), mo) && digits(line.substr(8, 2), d)) {
        std::string_view rest = line.substr(10);
        while (!rest.empty() && (rest.front() == 'T' || rest.front() == ' ')) {
            rest.remove_prefix(1);
        }
        const auto c1 = rest.find(':');
        if (c1 != std::string_view::npos && c1 <= 2 && rest.size() >= c1 + 6 && digits(rest.substr(0, c1), h) &&
            digits(rest.substr(c1 + 1, 2), mi) && digits(rest.substr(c1 + 4, 2), s)) {
            return utc(y, mo - 1, d, h, mi, s);
        }
        return 0;
    }
    // Apache access: 'host - - [02/Dec/2026:02:22:26 +0000] "GET ..."'
    if (const auto b = line.find('['); b != std::string_view::npos && b < 200 && line.size() >= b + 27 &&
                                       line[b + 3] == '/' && line[b + 7] == '/' && line[b + 12] == ':') {
        const auto t = line.substr(b + 1);
        int off = 0;
        const int m = monthIndex(t.substr(3, 3));
        if (digits(t.substr(0, 2), d) && m >= 0 && digits(t.substr(7, 4), y) && digits(t.substr(12, 2), h) &&
            digits(t.substr(15, 2), mi) && digits(t.substr(18, 2), s) && digits(t.substr(22, 4), off)) {
            const int minutes = (off / 100) * 60 + off % 100;
            return utc(y, m, d, h, mi, s, t[21] == '-' ? -minutes : minutes);
        }
    }
    // Apache error: "[Wed Dec 02 02:22:24.501650 2026] ..."
    if (line.size() > 30 && line[0] == '[' && line[4] == ' ' && line[8] == ' ') {
        const int m = monthIndex(line.substr(5, 3));
        const auto close = line.find(']');
        if (m >= 0 && close != std::string_view::npos && close >= 25 && digits(line.substr(9, 2), d) &&
            digits(line.substr(12, 2), h) && digits(line.substr(15, 2), mi) && digits(line.substr(18, 2), s) &&
            digits(line.substr(close - 4, 4), y)) {
            return utc(y, m, d, h, mi, s);
        }
    }
    // BSD syslog: "Dec  2 02:22:24 host prog: ..." (no year: the current one)
    if (line.size() >= 15 && line[3] == ' ' && line[9] == ':' && line[12] == ':') {
        const int m = monthIndex(line.substr(0, 3));
        const auto day = line.substr(4, 2);
        if (m >= 0 && digits(day.front() == ' ' ? day.substr(1) : day, d) && digits(line.substr(7, 2), h) &&
            digits(line.substr(10, 2), mi) && digits(line.substr(13, 2), s)) {
            return utc(currentYear, m, d, h, mi, s);
        }
    }
    return 0;
}

proto::LogsResult filterLogLines(std::string_view text, const proto::LogsParams& p, std::size_t maxBytes,
                                 int currentYear)
{
    proto::LogsResult r;
    r.source = p.source;
    std::vector<proto::LogLine> matched;
    std::size_t start = 0;
    while (start < text.size()) {
        auto nl = text.find('\n', start);
        if (nl == std::string_view::npos) {
            nl = text.size();
        }
        const auto line = text.substr(start, nl - start);
        start = nl + 1;
        if (line.empty() || (!p.grep.empty() && line.find(p.grep) == std::string_view::npos)) {
            continue;
        }
        const std::int64_t t = logLineTime(line, currentYear);
        if ((p.since > 0 && t > 0 && t < p.since) || (p.until > 0 && t > 0 && t > p.until)) {
            continue;
        }
        matched.push_back({t, std::string(line.substr(0, 4096))});
    }
    // Keep the newest lines within both bounds.
    std::size_t bytes = 0;
    std::size_t keep = 0;
    const std::size_t maxLines = std::clamp<std::size_t>(p.maxLines, 1, 5000);
    for (auto it = matched.rbegin(); it != matched.rend(); ++it) {
        if (keep >= maxLines || bytes + it->text.size() > maxBytes) {
            r.truncated = true;
            break;
        }
        bytes += it->text.size();
        ++keep;
    }
    r.lines.assign(std::make_move_iterator(matched.end() - static_cast<long>(keep)),
                   std::make_move_iterator(matched.end()));
    return r;
}

void HistoryLogsModule::start(agent::AgentContext& context)
{
    m_context = &context;
    // logs.query with follow answers "log.<source>"; such topics exist only while followed.
    // Only for a configured source: any other name would be a topic nobody ever publishes.
    // (The config, which lives as long as the agent, not this module: the publisher outlives
    // the modules at exit.)
    context.publisher.acceptTopicPrefix(std::string(proto::kLogTopicPrefix),
                                        [&config = context.config](std::string_view name) {
                                            return logSources(config, false).count(std::string(name)) != 0;
                                        });
    context.registry.add(proto::methods::HistoryGet, this, &HistoryLogsModule::history);
    context.registry.add(proto::methods::LogsQuery, this, &HistoryLogsModule::logs);
}

void HistoryLogsModule::history(const CallContext&, proto::HistoryParams p, TypedResponder<proto::HistoryResult> r)
{
    proto::HistoryResult out;
    out.available = m_shared->history.series();
    out.series = p.series;
    if (!p.series.empty()) {
        if (std::find(out.available.begin(), out.available.end(), p.series) == out.available.end()) {
            r.error(rpc::InvalidParams, "no series \"" + p.series.substr(0, 100) +
                                            "\" on this node; \"available\" lists them (call with series \"\")");
            return;
        }
        auto pts = m_shared->history.query(p.series, p.since, p.step);
        out.step = pts.step;
        out.times = std::move(pts.times);
        out.values = std::move(pts.values);
    }
    r.result(out);
}

void HistoryLogsModule::logs(const CallContext&, proto::LogsParams p, TypedResponder<proto::LogsResult> r)
{
    const auto sources = logSources(m_context->config);
    const auto it = sources.find(p.source);
    if (it == sources.end()) {
        std::string names;
        for (const auto& [n, path] : sources) {
            names += (names.empty() ? "" : ", ") + n;
        }
        r.error(rpc::InvalidParams, "no log source \"" + p.source.substr(0, 100) +
                                        "\" on this node (sources: " + (names.empty() ? "none" : names) + ")");
        return;
    }
    // Reading a large file is slow work: off the loop, the last 4 MiB at most.
    m_context->loop.offload(
        [path = it->second, p]() -> Expected<proto::LogsResult> {
            constexpr std::size_t kTail = 4U * 1024U * 1024U;
            constexpr std::size_t kMaxBytes = 512U * 1024U;
            // A log sits in a directory its daemon's user may write: never through a link.
            auto tail = agent::files::readTail(path, kTail, agent::files::OpenAs::Regular);
            if (!tail) {
                return fail(tail.error().message);
            }
            std::string& text = tail->text;
            const std::uint64_t from = tail->from;
            if (from > 0) { // drop the partial first line
                const auto nl = text.find('\n');
                text.erase(0, nl == std::string::npos ? text.size() : nl + 1);
            }
            const std::time_t now = std::time(nullptr);
            std::tm tm{};
            gmtime_r(&now, &tm);
            auto result = filterLogLines(text, p, kMaxBytes, tm.tm_year + 1900);
            result.truncated = result.truncated || from > 0;
            return result;
        },
        [this, follow = p.follow, source = p.source, path = it->second,
         r = std::make_shared<TypedResponder<proto::LogsResult>>(std::move(r))](Expected<proto::LogsResult> read) {
            if (!read) {
                r->error(rpc::ActionFailed, read.error().message);
                return;
            }
            proto::LogsResult result = std::move(*read);
            for (const auto& [n, unused] : logSources(m_context->config)) {
                result.sources.push_back(n);
            }
            if (follow) {
                result.followTopic = proto::logTopic(source);
                this->follow(source, path);
            }
            r->result(result);
        });
}

} // namespace hadeck::probes

namespace hadeck::probes {

void HistoryLogsModule::follow(const std::string& source, const std::string& path)
{
    if (m_followers.count(source)) {
        m_followers[source].idleTicks = 0;
        return;
    }
    Follower f;
    f.path = path;
    std::error_code ec;
    f.offset = std::filesystem::file_size(path, ec);
    if (ec) {
        f.offset = 0;
    }
    auto timer = m_context->loop.addTimer(std::chrono::seconds(1), true, [this, source] {
        auto it = m_followers.find(source);
        if (it == m_followers.end()) {
            return;
        }
        Follower& fw = it->second;
        const std::string topic = proto::logTopic(source);
        // A follower nobody subscribed to for 30 s stops (the caller went away).
        if (m_context->publisher.subscriberCount(topic) == 0) {
            if (++fw.idleTicks >= 30) {
                m_followers.erase(it); // destroys this timer: safe from its own callback
            }
            return;
        }
        fw.idleTicks = 0;
        std::error_code sizeError;
        const auto size = std::filesystem::file_size(fw.path, sizeError);
        if (sizeError) {
            return;
        }
        if (size < fw.offset) { // truncated or rotated: start again from its beginning
            fw.offset = 0;
            fw.partial.clear();
        }
        if (size == fw.offset) {
            return;
        }
        // A local regular file's appended bytes: a short read, bounded to 256 KiB a second.
        auto read = agent::files::readAt(fw.path, fw.offset, std::min<std::uint64_t>(size - fw.offset, 256U * 1024U),
                                         agent::files::OpenAs::Regular);
        if (!read) {
            if (!fw.readFailing) {
                agent::logWarning("logs: cannot follow " + source + ": " + read.error().message);
            }
            fw.readFailing = true;
            return;
        }
        fw.readFailing = false;
        std::string chunk = std::move(*read);
        fw.offset += chunk.size();
        fw.partial += chunk;
        auto lastNl = fw.partial.rfind('\n');
        if (lastNl == std::string::npos) {
            if (fw.partial.size() < kMaxPartialLine) {
                return;
            }
            fw.partial += '\n'; // a line that never ends is shown in pieces, not kept growing
            lastNl = fw.partial.size() - 1;
        }
        const std::string complete = fw.partial.substr(0, lastNl + 1);
        fw.partial.erase(0, lastNl + 1);
        proto::LogsParams all;
        all.source = source;
        all.maxLines = 5000;
        const std::time_t now = std::time(nullptr);
        std::tm tm{};
        gmtime_r(&now, &tm);
        const auto lines = filterLogLines(complete, all, 512U * 1024U, tm.tm_year + 1900);
        m_context->publisher.publish(topic, rpc::Json(proto::LogTopic{source, lines.lines}));
    });
    if (!timer) {
        agent::logError("logs: cannot follow " + source + ": " + timer.error().message);
        return;
    }
    f.timer = std::move(*timer);
    m_followers.emplace(source, std::move(f));
}

} // namespace hadeck::probes
