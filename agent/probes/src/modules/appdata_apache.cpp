// Apache mod_status (and php-fpm status) of a real server, fetched off the loop.

#include "hadeck/probes/appdata/apache_status.h"
#include "hadeck/probes/modules/appdata_modules.h"

#include "hadeck/agent/log.h"
#include "hadeck/agent/publisher.h"
#include "hadeck/agent/registry.h"
#include "hadeck/protocol/methods.h"

#include <cerrno>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <optional>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace hadeck::probes {

using agent::CallContext;
using agent::TypedResponder;

namespace {

constexpr std::string_view kDefaultStatusUrl = "http://127.0.0.1/server-status?auto";
constexpr const char* kEnableLines = "ExtendedStatus On\n<Location /server-status>\n    SetHandler server-status\n"
                                     "    Require local\n</Location>";

struct HttpReply {
    int status = 0;
    std::string body;
    std::string error; // transport failure
    bool refused = false;
};

/// The port of an http:// URL on a loopback address (127.x.x.x), else nullopt.
std::optional<std::uint16_t> loopbackPort(const std::string& url)
{
    constexpr std::string_view scheme = "http://127.";
    if (url.rfind(scheme, 0) != 0) {
        return std::nullopt;
    }
    const auto end = url.find('/', scheme.size());
    const auto hostPort = url.substr(0, end);
    const auto colon = hostPort.rfind(':');
    if (colon < scheme.size() - 1 || colon == std::string::npos) {
        return 80;
    }
    const int port = std::atoi(hostPort.c_str() + colon + 1);
    if (port <= 0 || port > 65535) {
        return std::nullopt;
    }
    return static_cast<std::uint16_t>(port);
}

/// GET over plain HTTP/1.0 to an IPv4 literal, bounded in time and size. Blocking: worker thread only.
HttpReply httpGet(const std::string& url, int timeoutMs)
{
    HttpReply r;
    constexpr std::string_view scheme = "http://";
    if (url.rfind(scheme, 0) != 0) {
        r.error = "only http:// URLs with an IPv4 address are supported: " + url;
        return r;
    }
    const auto rest = url.substr(scheme.size());
    const auto slash = rest.find('/');
    const auto hostPort = rest.substr(0, slash);
    const auto path = slash == std::string::npos ? std::string("/") : rest.substr(slash);
    const auto colon = hostPort.find(':');
    const auto host = hostPort.substr(0, colon);
    int port = 80;
    if (colon != std::string::npos) {
        port = std::atoi(hostPort.c_str() + colon + 1);
    }
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(port));
    if (port <= 0 || port > 65535 || ::inet_pton(AF_INET, host.c_str(), &addr.sin_addr) != 1) {
        r.error = "the status URL needs an IPv4 address and a valid port: " + url;
        return r;
    }
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0) {
        r.error = std::string("socket: ") + std::strerror(errno);
        return r;
    }
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
    const auto waitFor = [&](short events) -> bool {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) {
            return false;
        }
        pollfd p{fd, events, 0};
        return ::poll(&p, 1, static_cast<int>(left.count())) == 1;
    };
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 && errno != EINPROGRESS) {
        r.refused = errno == ECONNREFUSED;
        r.error = std::string("connect: ") + std::strerror(errno);
        ::close(fd);
        return r;
    }
    int soError = 0;
    socklen_t len = sizeof soError;
    if (!waitFor(POLLOUT) || ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &soError, &len) != 0 || soError != 0) {
        r.refused = soError == ECONNREFUSED;
        r.error = soError ? std::string("connect: ") + std::strerror(soError) : "connect: timed out";
        ::close(fd);
        return r;
    }
    const std::string request = "GET " + path + " HTTP/1.0\r\nHost: " + host + "\r\nUser-Agent: hadeck-agent\r\n\r\n";
    if (::send(fd, request.data(), request.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(request.size())) {
        r.error = "send failed";
        ::close(fd);
        return r;
    }
    std::string data;
    char buf[8192];
    while (data.size() < 1024 * 1024) {
        if (!waitFor(POLLIN)) {
            r.error = "no complete answer within " + std::to_string(timeoutMs) + " ms";
            ::close(fd);
            return r;
        }
        const auto n = ::recv(fd, buf, sizeof buf, 0);
        if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
            continue;
        }
        if (n <= 0) {
            break;
        }
        data.append(buf, static_cast<std::size_t>(n));
    }
    ::close(fd);
    // "HTTP/1.1 200 OK\r\n...\r\n\r\nbody"
    if (data.rfind("HTTP/", 0) != 0 || data.size() < 12) {
        r.error = "not an HTTP answer";
        return r;
    }
    r.status = std::atoi(data.c_str() + data.find(' ') + 1);
    const auto bodyAt = data.find("\r\n\r\n");
    r.body = bodyAt == std::string::npos ? std::string() : data.substr(bodyAt + 4);
    return r;
}

proto::ApacheStatus fetchStatus(const std::string& url, const std::string& fpmUrl)
{
    proto::ApacheStatus s;
    s.url = url;
    std::error_code ec;
    if (!std::filesystem::exists("/usr/sbin/apache2", ec) && !std::filesystem::exists("/usr/sbin/httpd", ec)) {
        s.state = proto::ApacheState::NotInstalled;
        s.reason = "Apache is not installed (no /usr/sbin/apache2 or /usr/sbin/httpd)";
        return s;
    }
    const auto reply = httpGet(url, 2000);
    if (!reply.error.empty()) {
        s.state = reply.refused ? proto::ApacheState::NotRunning : proto::ApacheState::Error;
        s.reason = reply.refused ? "nothing answers at " + url + " (Apache not running?): " + reply.error
                                 : reply.error;
        return s;
    }
    if (reply.status == 403 || reply.status == 401) {
        s.state = proto::ApacheState::AccessDenied;
        s.reason = "Apache refuses " + url + " (HTTP " + std::to_string(reply.status) +
                   "); allow the agent's address in the <Location /server-status> block: Require local";
        return s;
    }
    if (reply.status == 404) {
        s.state = proto::ApacheState::StatusDisabled;
        s.reason = std::string("mod_status is not enabled at ") + url + " (HTTP 404); add:\n" + kEnableLines;
        return s;
    }
    if (reply.status != 200) {
        s.state = proto::ApacheState::Error;
        s.reason = url + " answered HTTP " + std::to_string(reply.status);
        return s;
    }
    auto parsed = parseApacheStatus(reply.body);
    if (!parsed) {
        s.state = proto::ApacheState::NotApache;
        s.reason = url + " answers, but not with Apache's mod_status ?auto (" + parsed.error().message +
                   "); if it is Apache, add:\n" + kEnableLines;
        return s;
    }
    parsed->url = url;
    if (!fpmUrl.empty()) {
        const auto fpm = httpGet(fpmUrl, 2000);
        if (fpm.error.empty() && fpm.status == 200) {
            if (auto p = parsePhpFpmStatus(fpm.body)) {
                parsed->phpFpm = *p;
            }
        }
    }
    return std::move(*parsed);
}

} // namespace

void ApacheModule::start(agent::AgentContext& context)
{
    m_context = &context;
    m_url = moduleSetting(context.config, "apache", "status_url", std::string(kDefaultStatusUrl));
    m_fpmUrl = moduleSetting(context.config, "apache", "fpm_status_url", "");
    m_last.url = m_url;
    m_last.reason = "not sampled yet";
    context.registry.add(proto::methods::ApacheStatusGet, this, &ApacheModule::status);
    context.publisher.setSnapshot(std::string(proto::topic::Apache), [this] { return rpc::Json(m_last); });
    arm(context.config.sampleInterval);
}

void ApacheModule::status(const CallContext&, proto::Empty, TypedResponder<proto::ApacheStatus> r) { r.result(m_last); }

void ApacheModule::reload(const agent::AgentConfig& config)
{
    m_url = moduleSetting(config, "apache", "status_url", std::string(kDefaultStatusUrl));
    m_fpmUrl = moduleSetting(config, "apache", "fpm_status_url", "");
    if (config.sampleInterval != m_interval) {
        arm(config.sampleInterval);
    }
}

void ApacheModule::arm(std::chrono::milliseconds interval)
{
    m_interval = interval;
    auto timer = m_context->loop.addTimer(interval, true, [this] { poll(); });
    if (!timer) {
        agent::logError("apache: cannot start the sample timer: " + timer.error().message);
        return;
    }
    m_timer = std::move(*timer);
}

void ApacheModule::poll()
{
    if (m_inFlight) {
        return; // the previous fetch is still out (it times out after 2 s)
    }
    // A status URL on this node with nothing listening on its port (a director, a node without
    // Apache), as the host module's sample of a moment ago shows: the answer is known without
    // a worker thread and a refused connection every second.
    if (const auto port = loopbackPort(m_url); port && m_shared && m_shared->listening(*port) == false) {
        proto::ApacheStatus s;
        s.state = proto::ApacheState::NotRunning;
        s.reason =
            "nothing answers at " + m_url + " (Apache not running?): nothing listens on port " + std::to_string(*port);
        const bool changed = s.state != m_last.state || s.reason != m_last.reason;
        m_last = std::move(s);
        if (changed && m_context->publisher.subscriberCount(proto::topic::Apache) > 0) {
            m_context->publisher.publish(proto::topic::Apache, rpc::Json(m_last));
        }
        return;
    }
    m_inFlight = true;
    m_context->loop.offload([url = m_url,
                             fpm = m_fpmUrl]() -> Expected<proto::ApacheStatus> { return fetchStatus(url, fpm); },
                            [this](Expected<proto::ApacheStatus> sampled) {
                                m_inFlight = false;
                                proto::ApacheStatus s;
                                if (!sampled) {
                                    s.state = proto::ApacheState::Error;
                                    s.reason = sampled.error().message;
                                } else {
                                    s = std::move(*sampled);
                                }
                                const auto now = std::chrono::steady_clock::now();
                                if (s.state == proto::ApacheState::Ok && s.extendedStatus &&
                                    m_prevAt.time_since_epoch().count() != 0 && s.totalAccesses >= m_prevAccesses) {
                                    const double secs = std::chrono::duration<double>(now - m_prevAt).count();
                                    if (secs > 0) {
                                        // Requests/s over the last interval, not Apache's average since start.
                                        s.requestsPerSec = static_cast<double>(s.totalAccesses - m_prevAccesses) / secs;
                                        s.bytesPerSec =
                                            1024.0 * static_cast<double>(s.totalKBytes - std::min(s.totalKBytes, m_prevKBytes)) /
                                            secs;
                                    }
                                }
                                if (s.state == proto::ApacheState::Ok) {
                                    m_prevAccesses = s.totalAccesses;
                                    m_prevKBytes = s.totalKBytes;
                                    m_prevAt = now;
                                    const auto t = static_cast<std::int64_t>(std::time(nullptr));
                                    auto& h = m_shared->history;
                                    h.record(proto::series::ApacheBusyWorkers, t, s.busyWorkers);
                                    h.record("apache.idleWorkers", t, s.idleWorkers);
                                    h.record(proto::series::ApacheRequestsPerSec, t, s.requestsPerSec);
                                    h.record("apache.bytesPerSec", t, s.bytesPerSec);
                                    if (s.phpFpm) {
                                        h.record("phpfpm.activeProcesses", t, s.phpFpm->activeProcesses);
                                    }
                                }
                                const bool changed = rpc::Json(s) != rpc::Json(m_last);
                                m_last = std::move(s);
                                if (changed && m_context->publisher.subscriberCount(proto::topic::Apache) > 0) {
                                    m_context->publisher.publish(proto::topic::Apache, rpc::Json(m_last));
                                }
                            });
}

} // namespace hadeck::probes
