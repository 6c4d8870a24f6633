#include "hadeck/agent/metrics.h"

#include "hadeck/agent/log.h"
#include "hadeck/agent/publisher.h"

#include <arpa/inet.h>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace hadeck::agent {

std::string escapeLabel(std::string_view v)
{
    std::string out;
    out.reserve(v.size());
    for (const char c : v) {
        if (c == '\\') {
            out += "\\\\";
        } else if (c == '"') {
            out += "\\\"";
        } else if (c == '\n') {
            out += "\\n";
        } else {
            out += c;
        }
    }
    return out;
}

namespace {

class Writer {
public:
    explicit Writer(std::string& out) : m_out(out) {}
    void family(std::string_view name, std::string_view type, std::string_view help)
    {
        m_out += "# HELP ";
        m_out += name;
        m_out += ' ';
        m_out += help;
        m_out += "\n# TYPE ";
        m_out += name;
        m_out += ' ';
        m_out += type;
        m_out += '\n';
    }
    void sample(std::string_view name, std::initializer_list<std::pair<std::string_view, std::string_view>> labels,
                double v)
    {
        m_out += name;
        if (labels.size() != 0) {
            m_out += '{';
            bool first = true;
            for (const auto& [k, val] : labels) {
                if (!first) {
                    m_out += ',';
                }
                first = false;
                m_out += k;
                m_out += "=\"";
                m_out += escapeLabel(val);
                m_out += '"';
            }
            m_out += '}';
        }
        m_out += ' ';
        char buf[40];
        if (std::isnan(v)) {
            m_out += "NaN";
        } else if (v == std::floor(v) && std::fabs(v) < 1e15) {
            std::snprintf(buf, sizeof buf, "%.0f", v);
            m_out += buf;
        } else {
            std::snprintf(buf, sizeof buf, "%.6g", v);
            m_out += buf;
        }
        m_out += '\n';
    }

private:
    std::string& m_out;
};

std::string protoName(const proto::VirtualService& vs)
{
    if (vs.fwmark != 0) {
        return "FWM";
    }
    std::string p = vs.protocol;
    for (auto& c : p) {
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    return p;
}

double d(std::uint64_t v) { return static_cast<double>(v); }

} // namespace

std::string metricsText(const MetricsInputs& in)
{
    std::string out;
    out.reserve(4096);
    Writer w(out);
    if (in.ipvs) {
        // node_exporter's ipvs collector: the same names and labels.
        struct Row {
            const proto::VirtualService* vs;
            const proto::RealServer* rs;
        };
        std::vector<Row> rows;
        for (const auto& vs : *in.ipvs) {
            for (const auto& rs : vs.realServers) {
                rows.push_back({&vs, &rs});
            }
        }
        const auto each = [&](std::string_view name, auto value) {
            for (const auto& r : rows) {
                const std::string port = std::to_string(r.vs->port);
                const std::string mark = r.vs->fwmark != 0 ? std::to_string(r.vs->fwmark) : std::string();
                const std::string rport = std::to_string(r.rs->port);
                const std::string pn = protoName(*r.vs);
                w.sample(name,
                         {{"local_address", r.vs->fwmark != 0 ? std::string_view() : std::string_view(r.vs->address)},
                          {"local_port", r.vs->fwmark != 0 ? std::string_view("0") : std::string_view(port)},
                          {"local_mark", mark},
                          {"proto", pn},
                          {"remote_address", r.rs->address},
                          {"remote_port", rport}},
                         value(*r.rs));
            }
        };
        w.family("node_ipvs_backend_connections_active", "gauge", "The current active connections by local and remote address.");
        each("node_ipvs_backend_connections_active", [](const proto::RealServer& rs) { return d(rs.activeConns); });
        w.family("node_ipvs_backend_connections_inactive", "gauge", "The current inactive connections by local and remote address.");
        each("node_ipvs_backend_connections_inactive", [](const proto::RealServer& rs) { return d(rs.inactiveConns); });
        w.family("node_ipvs_backend_weight", "gauge", "The current backend weight by local and remote address.");
        each("node_ipvs_backend_weight", [](const proto::RealServer& rs) { return d(rs.weight); });
        w.family("hadeck_ipvs_backend_connections_total", "counter", "Connections scheduled to the real server.");
        each("hadeck_ipvs_backend_connections_total", [](const proto::RealServer& rs) { return d(rs.stats.conns); });
        w.family("hadeck_ipvs_backend_incoming_bytes_total", "counter", "Bytes from clients to the real server.");
        each("hadeck_ipvs_backend_incoming_bytes_total", [](const proto::RealServer& rs) { return d(rs.stats.inBytes); });
        w.family("hadeck_ipvs_service_connections_total", "counter", "Connections to the virtual service.");
        for (const auto& vs : *in.ipvs) {
            w.sample("hadeck_ipvs_service_connections_total", {{"service", vs.key()}, {"scheduler", vs.scheduler}},
                     d(vs.stats.conns));
        }
        w.family("hadeck_ipvs_service_backends", "gauge", "Real servers of the virtual service, and those with weight above 0.");
        for (const auto& vs : *in.ipvs) {
            std::size_t up = 0;
            for (const auto& rs : vs.realServers) {
                up += rs.weight > 0 ? 1U : 0U;
            }
            w.sample("hadeck_ipvs_service_backends", {{"service", vs.key()}, {"state", "all"}}, d(vs.realServers.size()));
            w.sample("hadeck_ipvs_service_backends", {{"service", vs.key()}, {"state", "weighted"}}, d(up));
        }
    }
    if (in.vrrp) {
        // keepalived_exporter (gen2brain): state 0 INIT, 1 BACKUP, 2 MASTER, 3 FAULT.
        w.family("keepalived_vrrp_state", "gauge", "State of the VRRP instance (0 INIT, 1 BACKUP, 2 MASTER, 3 FAULT).");
        for (const auto& v : *in.vrrp) {
            const std::string vrid = std::to_string(v.vrid);
            std::string ips;
            for (const auto& ip : v.vips) {
                ips += (ips.empty() ? "" : ",") + ip;
            }
            w.sample("keepalived_vrrp_state", {{"iname", v.name}, {"intf", v.interface}, {"vrid", vrid}, {"ip_address", ips}},
                     static_cast<double>(static_cast<int>(v.state)));
        }
        const auto counter = [&](std::string_view name, std::string_view help, auto value) {
            w.family(name, "counter", help);
            for (const auto& v : *in.vrrp) {
                const std::string vrid = std::to_string(v.vrid);
                w.sample(name, {{"iname", v.name}, {"intf", v.interface}, {"vrid", vrid}}, value(v));
            }
        };
        counter("keepalived_advert_rcvd_total", "Advertisements received.", [](const proto::VrrpInstance& v) { return d(v.advertRcvd); });
        counter("keepalived_advert_sent_total", "Advertisements sent.", [](const proto::VrrpInstance& v) { return d(v.advertSent); });
        counter("keepalived_become_master_total", "Times the instance became MASTER.", [](const proto::VrrpInstance& v) { return d(v.becomeMaster); });
        counter("keepalived_release_master_total", "Times the instance released MASTER.", [](const proto::VrrpInstance& v) { return d(v.releaseMaster); });
        counter("keepalived_pri_zero_rcvd_total", "Priority 0 advertisements received.", [](const proto::VrrpInstance& v) { return d(v.priZeroRcvd); });
        counter("keepalived_pri_zero_sent_total", "Priority 0 advertisements sent.", [](const proto::VrrpInstance& v) { return d(v.priZeroSent); });
        w.family("hadeck_vrrp_holds_vips", "gauge", "1 when the instance's virtual addresses are on this node.");
        for (const auto& v : *in.vrrp) {
            w.sample("hadeck_vrrp_holds_vips", {{"iname", v.name}}, v.holdsVips ? 1 : 0);
        }
        w.family("hadeck_vrrp_effective_priority", "gauge", "Effective VRRP priority.");
        for (const auto& v : *in.vrrp) {
            w.sample("hadeck_vrrp_effective_priority", {{"iname", v.name}}, v.effectivePriority);
        }
    }
    if (in.db && in.db->state != proto::DbState::NotInstalled) {
        const auto& db = *in.db;
        const bool up = db.state == proto::DbState::Ok;
        w.family("mysql_up", "gauge", "Whether the MySQL/MariaDB server answered.");
        w.sample("mysql_up", {}, up ? 1 : 0);
        if (up) {
            w.family("mysql_global_status_uptime", "untyped", "Server uptime, seconds.");
            w.sample("mysql_global_status_uptime", {}, d(db.uptimeSeconds));
            w.family("mysql_global_status_threads_connected", "untyped", "Threads_connected.");
            w.sample("mysql_global_status_threads_connected", {}, db.threadsConnected);
            w.family("mysql_global_status_threads_running", "untyped", "Threads_running.");
            w.sample("mysql_global_status_threads_running", {}, db.threadsRunning);
            w.family("mysql_global_status_slow_queries", "untyped", "Slow_queries.");
            w.sample("mysql_global_status_slow_queries", {}, d(db.slowQueries));
            w.family("mysql_global_variables_read_only", "gauge", "Global read_only.");
            w.sample("mysql_global_variables_read_only", {}, db.readOnly ? 1 : 0);
            if (db.replica) {
                const auto& r = *db.replica;
                const std::string port = std::to_string(r.masterPort);
                w.family("mysql_slave_status_slave_io_running", "gauge", "Slave_IO_Running (1 Yes).");
                w.sample("mysql_slave_status_slave_io_running", {{"master_host", r.masterHost}, {"master_port", port}},
                         r.ioRunning == "Yes" ? 1 : 0);
                w.family("mysql_slave_status_slave_sql_running", "gauge", "Slave_SQL_Running (1 Yes).");
                w.sample("mysql_slave_status_slave_sql_running", {{"master_host", r.masterHost}, {"master_port", port}},
                         r.sqlRunning == "Yes" ? 1 : 0);
                if (r.lagSeconds) {
                    w.family("mysql_slave_status_seconds_behind_master", "gauge", "Seconds_Behind_Master.");
                    w.sample("mysql_slave_status_seconds_behind_master",
                             {{"master_host", r.masterHost}, {"master_port", port}}, static_cast<double>(*r.lagSeconds));
                }
            }
        }
    }
    if (in.mfs && in.mfs->ok) {
        const auto& m = *in.mfs;
        if (m.master) {
            w.family("hadeck_mfs_chunks", "gauge", "MooseFS chunks: all, missing (no valid copy), undergoal.");
            w.sample("hadeck_mfs_chunks", {{"state", "all"}}, d(m.master->chunks));
            w.sample("hadeck_mfs_chunks", {{"state", "missing"}}, d(m.master->missingChunks));
            w.sample("hadeck_mfs_chunks", {{"state", "undergoal"}}, d(m.master->undergoalChunks));
            w.family("hadeck_mfs_space_bytes", "gauge", "MooseFS total and available space.");
            w.sample("hadeck_mfs_space_bytes", {{"kind", "total"}}, d(m.master->totalSpaceBytes));
            w.sample("hadeck_mfs_space_bytes", {{"kind", "avail"}}, d(m.master->availSpaceBytes));
        }
        w.family("hadeck_mfs_chunkserver_connected", "gauge", "1 when the chunkserver is connected to the master.");
        for (const auto& cs : m.chunkservers) {
            const std::string port = std::to_string(cs.port);
            w.sample("hadeck_mfs_chunkserver_connected", {{"host", cs.host}, {"port", port}}, cs.connected ? 1 : 0);
        }
        w.family("hadeck_mfs_chunkserver_chunks", "gauge", "Chunks stored on the chunkserver.");
        for (const auto& cs : m.chunkservers) {
            const std::string port = std::to_string(cs.port);
            w.sample("hadeck_mfs_chunkserver_chunks", {{"host", cs.host}, {"port", port}}, d(cs.chunks));
        }
    }
    if (in.apache && in.apache->state != proto::ApacheState::NotInstalled) {
        const auto& a = *in.apache;
        const bool up = a.state == proto::ApacheState::Ok;
        w.family("apache_up", "gauge", "Could the apache server be reached.");
        w.sample("apache_up", {}, up ? 1 : 0);
        if (up) {
            w.family("apache_workers", "gauge", "Apache worker statuses.");
            w.sample("apache_workers", {{"state", "busy"}}, a.busyWorkers);
            w.sample("apache_workers", {{"state", "idle"}}, a.idleWorkers);
            w.family("apache_scoreboard", "gauge", "Apache scoreboard statuses.");
            for (const auto& [state, n] : a.scoreboard) {
                w.sample("apache_scoreboard", {{"state", state}}, n);
            }
            w.family("apache_accesses_total", "counter", "Current total apache accesses.");
            w.sample("apache_accesses_total", {}, d(a.totalAccesses));
            w.family("apache_sent_kilobytes_total", "counter", "Current total kbytes sent.");
            w.sample("apache_sent_kilobytes_total", {}, d(a.totalKBytes));
            w.family("apache_uptime_seconds_total", "counter", "Current uptime in seconds.");
            w.sample("apache_uptime_seconds_total", {}, d(a.uptimeSeconds));
            w.family("hadeck_apache_server_limit", "gauge", "Scoreboard slots (the busy-worker limit).");
            w.sample("hadeck_apache_server_limit", {}, a.serverLimit);
        }
    }
    if (in.host) {
        const auto& h = *in.host;
        w.family("node_load1", "gauge", "1m load average.");
        w.sample("node_load1", {}, h.load1);
        w.family("node_load5", "gauge", "5m load average.");
        w.sample("node_load5", {}, h.load5);
        w.family("node_load15", "gauge", "15m load average.");
        w.sample("node_load15", {}, h.load15);
        w.family("node_memory_MemTotal_bytes", "gauge", "Memory information field MemTotal_bytes.");
        w.sample("node_memory_MemTotal_bytes", {}, d(h.memTotalKiB) * 1024);
        w.family("node_memory_MemAvailable_bytes", "gauge", "Memory information field MemAvailable_bytes.");
        w.sample("node_memory_MemAvailable_bytes", {}, d(h.memAvailableKiB) * 1024);
        w.family("node_filesystem_size_bytes", "gauge", "Filesystem size in bytes.");
        for (const auto& fs : h.filesystems) {
            w.sample("node_filesystem_size_bytes", {{"device", fs.device}, {"fstype", fs.type}, {"mountpoint", fs.mountPoint}},
                     d(fs.totalBytes));
        }
        w.family("node_filesystem_avail_bytes", "gauge", "Filesystem space available to non-root users in bytes.");
        for (const auto& fs : h.filesystems) {
            w.sample("node_filesystem_avail_bytes", {{"device", fs.device}, {"fstype", fs.type}, {"mountpoint", fs.mountPoint}},
                     d(fs.availBytes));
        }
        if (h.memoryPressure || h.cpuPressure || h.ioPressure) {
            w.family("hadeck_pressure_some_avg10", "gauge", "PSI: share of the last 10 s some tasks stalled, percent.");
            if (h.cpuPressure) {
                w.sample("hadeck_pressure_some_avg10", {{"resource", "cpu"}}, h.cpuPressure->someAvg10);
            }
            if (h.memoryPressure) {
                w.sample("hadeck_pressure_some_avg10", {{"resource", "memory"}}, h.memoryPressure->someAvg10);
            }
            if (h.ioPressure) {
                w.sample("hadeck_pressure_some_avg10", {{"resource", "io"}}, h.ioPressure->someAvg10);
            }
        }
    }
    w.family("hadeck_alarms_active", "gauge", "Active alarms of this node by severity.");
    for (const auto sev : {proto::AlarmSeverity::Info, proto::AlarmSeverity::Warning, proto::AlarmSeverity::Critical}) {
        double n = 0;
        for (const auto& a : in.alarms) {
            n += a.severity == sev ? 1 : 0;
        }
        w.sample("hadeck_alarms_active", {{"severity", proto::toString(sev)}}, n);
    }
    w.family("hadeck_alarm_active", "gauge", "1 for each active alarm (acknowledged: 1 when an operator has seen it).");
    for (const auto& a : in.alarms) {
        w.sample("hadeck_alarm_active",
                 {{"rule", a.rule}, {"subject", a.subject}, {"severity", proto::toString(a.severity)},
                  {"acknowledged", a.acknowledged ? "1" : "0"}},
                 1);
    }
    w.family("hadeck_drains_held", "gauge", "Drains held by this director.");
    w.sample("hadeck_drains_held", {}, static_cast<double>(in.drains.size()));
    w.family("hadeck_drain_held_seconds", "gauge", "How long each drain has been held.");
    for (const auto& dr : in.drains) {
        w.sample("hadeck_drain_held_seconds", {{"service", dr.service}, {"dest", dr.dest}},
                 dr.since > 0 ? std::max(0.0, in.now - dr.since) : 0);
    }
    return out;
}

// ---- The endpoint ----------------------------------------------------------------

struct MetricsModule::Conn {
    int fd = -1;
    EventSource source;
    std::string in;
    std::string out;
    std::size_t sent = 0;
    ~Conn()
    {
        source.reset();
        if (fd >= 0) {
            ::close(fd);
        }
    }
};

MetricsModule::MetricsModule() = default;

MetricsModule::~MetricsModule()
{
    m_conns.clear();
    m_listen.reset();
    if (m_fd >= 0) {
        ::close(m_fd);
    }
}

void MetricsModule::start(AgentContext& context)
{
    m_context = &context;
    reload(context.config);
}

void MetricsModule::reload(const AgentConfig& config)
{
    std::string address;
    if (const auto it = config.modules.find("metrics"); it != config.modules.end() && it->is_object()) {
        address = it->value("listen", std::string());
    }
    if (address == m_address) {
        return;
    }
    m_listen.reset();
    if (m_fd >= 0) {
        ::close(m_fd);
        m_fd = -1;
    }
    m_address = address;
    if (!address.empty()) {
        listen(address);
    }
}

void MetricsModule::listen(const std::string& address)
{
    std::string host;
    std::string port;
    if (!address.empty() && address.front() == '[') {
        const auto close = address.find("]:");
        if (close != std::string::npos) {
            host = address.substr(1, close - 1);
            port = address.substr(close + 2);
        }
    } else if (const auto colon = address.rfind(':'); colon != std::string::npos) {
        host = address.substr(0, colon);
        port = address.substr(colon + 1);
    }
    char* end = nullptr;
    const long p = port.empty() ? -1 : std::strtol(port.c_str(), &end, 10);
    sockaddr_storage ss{};
    socklen_t len = 0;
    if (p > 0 && p < 65536 && end != nullptr && *end == '\0') {
        auto* v4 = reinterpret_cast<sockaddr_in*>(&ss);
        auto* v6 = reinterpret_cast<sockaddr_in6*>(&ss);
        if (inet_pton(AF_INET, host.c_str(), &v4->sin_addr) == 1) {
            v4->sin_family = AF_INET;
            v4->sin_port = htons(static_cast<std::uint16_t>(p));
            len = sizeof(sockaddr_in);
        } else if (inet_pton(AF_INET6, host.c_str(), &v6->sin6_addr) == 1) {
            v6->sin6_family = AF_INET6;
            v6->sin6_port = htons(static_cast<std::uint16_t>(p));
            len = sizeof(sockaddr_in6);
        }
    }
    if (len == 0) {
        logError("metrics: [modules.metrics] listen = \"" + address +
                 "\" is not an address:port such as \"127.0.0.1:9469\" or \"[::1]:9469\"; the endpoint stays off");
        return;
    }
    const int fd = ::socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    const int one = 1;
    if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0 ||
        ::bind(fd, reinterpret_cast<sockaddr*>(&ss), len) != 0 || ::listen(fd, 16) != 0) {
        logError("metrics: cannot listen on " + address + ": " + std::strerror(errno));
        if (fd >= 0) {
            ::close(fd);
        }
        return;
    }
    auto src = m_context->loop.addIo(fd, EPOLLIN, [this](std::uint32_t) { accept(); });
    if (!src) {
        ::close(fd);
        logError("metrics: " + src.error().message);
        return;
    }
    m_fd = fd;
    m_listen = std::move(*src);
    logInfo("metrics: serving /metrics on " + address);
}

void MetricsModule::accept()
{
    for (;;) {
        const int fd = ::accept4(m_fd, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) {
            return;
        }
        if (m_conns.size() >= 16) {
            ::close(fd);
            continue;
        }
        auto c = std::make_shared<Conn>();
        c->fd = fd;
        std::weak_ptr<Conn> weak = c;
        auto src = m_context->loop.addIo(fd, EPOLLIN, [this, weak](std::uint32_t ev) {
            auto conn = weak.lock();
            if (!conn) {
                return;
            }
            if ((ev & EPOLLOUT) != 0U) {
                flush(conn);
            } else {
                onReadable(conn);
            }
        });
        if (!src) {
            ::close(fd);
            c->fd = -1;
            continue;
        }
        c->source = std::move(*src);
        m_conns.emplace(c.get(), c);
    }
}

void MetricsModule::onReadable(const std::shared_ptr<Conn>& c)
{
    char buf[4096];
    const ssize_t n = ::read(c->fd, buf, sizeof buf);
    if (n <= 0) {
        if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
            drop(c);
        }
        return;
    }
    c->in.append(buf, static_cast<std::size_t>(n));
    if (c->in.size() > 16384) {
        drop(c);
        return;
    }
    if (c->in.find("\r\n\r\n") == std::string::npos && c->in.find("\n\n") == std::string::npos) {
        return;
    }
    std::string status = "200 OK";
    std::string type = "text/plain; version=0.0.4; charset=utf-8";
    std::string body;
    const bool get = c->in.rfind("GET ", 0) == 0;
    const auto pathEnd = c->in.find(' ', 4);
    const std::string path = get && pathEnd != std::string::npos ? c->in.substr(4, pathEnd - 4) : std::string();
    if (!get) {
        status = "405 Method Not Allowed";
        type = "text/plain";
        body = "only GET\n";
    } else if (path == "/metrics" || path.rfind("/metrics?", 0) == 0) {
        body = render();
    } else {
        status = "404 Not Found";
        type = "text/plain";
        body = "see /metrics\n";
    }
    c->out = "HTTP/1.1 " + status + "\r\nContent-Type: " + type + "\r\nContent-Length: " + std::to_string(body.size()) +
             "\r\nConnection: close\r\n\r\n" + body;
    (void)c->source.setIoEvents(EPOLLOUT);
    flush(c);
}

void MetricsModule::flush(const std::shared_ptr<Conn>& c)
{
    while (c->sent < c->out.size()) {
        const ssize_t n = ::send(c->fd, c->out.data() + c->sent, c->out.size() - c->sent, MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EAGAIN || errno == EINTR) {
                return; // EPOLLOUT brings us back
            }
            break;
        }
        c->sent += static_cast<std::size_t>(n);
    }
    drop(c);
}

void MetricsModule::drop(const std::shared_ptr<Conn>& c)
{
    // Freed after the current callback: its event source may be dispatching.
    Conn* key = c.get();
    (void)c->source.setEnabled(false);
    m_context->loop.defer([this, key] { m_conns.erase(key); });
}

std::string MetricsModule::render()
{
    Publisher& pub = m_context->publisher;
    MetricsInputs in;
    in.node = m_context->config.nodeName;
    in.now = static_cast<double>(std::time(nullptr));
    const auto get = [](const rpc::Json& j, auto& out) {
        if (j.is_null()) {
            return;
        }
        try {
            out = j.get<typename std::remove_reference_t<decltype(out)>::value_type>();
        } catch (const std::exception&) {
        }
    };
    if (const auto* t = pub.typedSnapshot<std::vector<proto::VirtualService>>("ipvs")) {
        in.ipvs = *t; // 10,000 dests: a copy, not a JSON round trip
    } else if (const auto v = pub.snapshot("ipvs"); v.is_object() && v.contains("services")) {
        get(v["services"], in.ipvs);
    }
    if (const auto v = pub.snapshot("vrrp"); v.is_object() && v.contains("instances")) {
        get(v["instances"], in.vrrp);
    }
    get(pub.snapshot("db"), in.db);
    get(pub.snapshot("mfs"), in.mfs);
    get(pub.snapshot("apache"), in.apache);
    get(pub.snapshot("host"), in.host);
    if (const auto a = pub.snapshot(proto::kAlarmsTopic); !a.is_null()) {
        if (auto t = proto::fromJson<proto::AlarmsTopic>(a)) {
            in.alarms = std::move(t->active);
        }
    }
    if (const auto dr = pub.snapshot("drain"); dr.is_object() && dr.contains("drains") && dr["drains"].is_array()) {
        for (const auto& j : dr["drains"]) {
            if (!j.is_object()) {
                continue;
            }
            MetricsDrain m;
            m.service = j.value("service", std::string());
            m.dest = j.value("address", std::string());
            if (j.contains("port") && j["port"].is_number_integer()) {
                m.dest += ":" + std::to_string(j["port"].get<int>());
            }
            if (j.contains("since") && j["since"].is_number()) {
                m.since = j["since"].get<double>();
            }
            in.drains.push_back(std::move(m));
        }
    }
    return metricsText(in);
}

} // namespace hadeck::agent
