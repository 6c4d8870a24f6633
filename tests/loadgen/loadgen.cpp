// hadeck-loadgen --target IP:PORT [--path /x] [--connections N] [--duration S]
//                [--think-ms MS] [--timeout-ms MS] --out FILE
//
// Keeps N HTTP/1.1 keep-alive connections busy for S seconds (one request in
// flight per connection, a think time between requests) and writes a JSON
// summary: requests, failures, the longest gap without any successful
// response, answers per server, and every connection with the server it
// reached and when it opened (unix ms), so a test can prove that a drained
// server got no new connections after a given moment.
//
// The server is the value of "server=NAME" in the body, or of the Server-Name
// header when present.
//
// Once it has had as many good answers as it keeps connections, it prints the
// line "flowing" on its standard output, so that a test waits for traffic to be
// under way instead of for a fixed time.

#include <nlohmann/json.hpp>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <string>
#include <vector>

namespace {

using Json = nlohmann::json;

double nowMs()
{
    return std::chrono::duration<double, std::milli>(std::chrono::system_clock::now().time_since_epoch()).count();
}

struct Options {
    std::string host;
    int port = 80;
    std::string path = "/";
    int connections = 8;
    double duration = 10;
    int thinkMs = 20;
    int timeoutMs = 3000;
    std::string out;
};

struct ConnRecord {
    double openedMs = 0;
    double closedMs = 0;
    std::string server; // of the first answer
    int requests = 0;
    std::string endReason;
};

struct Conn {
    int fd = -1;
    enum class State { Idle, Connecting, Sending, Reading } state = State::Idle;
    std::string out;
    std::size_t sent = 0;
    std::string in;
    double startedMs = 0; // of the current request
    double readyAtMs = 0; // next request not before
    int record = -1;
    int served = 0; // requests answered on this connection
};

struct Stats {
    long requests = 0;
    long ok = 0;
    long failed = 0;
    std::map<std::string, long> failures;
    std::map<std::string, long> perServer;
    double lastOkMs = 0;
    double longestGapMs = 0;
    double longestGapStartMs = 0;
    std::vector<double> latencies;
    std::vector<ConnRecord> conns;
};

[[noreturn]] void usage(const char* msg)
{
    std::fprintf(stderr, "hadeck-loadgen: %s\n", msg);
    std::exit(2);
}

Options parse(int argc, char** argv)
{
    Options o;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto next = [&]() -> std::string {
            if (i + 1 >= argc) {
                usage(("missing value after " + a).c_str());
            }
            return argv[++i];
        };
        if (a == "--target") {
            const std::string t = next();
            const auto colon = t.rfind(':');
            o.host = t.substr(0, colon);
            o.port = colon == std::string::npos ? 80 : std::atoi(t.c_str() + colon + 1);
        } else if (a == "--path") {
            o.path = next();
        } else if (a == "--connections") {
            o.connections = std::atoi(next().c_str());
        } else if (a == "--duration") {
            o.duration = std::atof(next().c_str());
        } else if (a == "--think-ms") {
            o.thinkMs = std::atoi(next().c_str());
        } else if (a == "--timeout-ms") {
            o.timeoutMs = std::atoi(next().c_str());
        } else if (a == "--out") {
            o.out = next();
        } else {
            usage(("unknown option " + a).c_str());
        }
    }
    if (o.host.empty() || o.out.empty() || o.connections < 1 || o.duration <= 0) {
        usage("need --target IP:PORT and --out FILE");
    }
    return o;
}

std::string serverOf(const std::string& headers, const std::string& body)
{
    const auto at = body.find("server=");
    if (at != std::string::npos) {
        const auto end = body.find_first_of("\r\n ", at + 7);
        return body.substr(at + 7, end == std::string::npos ? std::string::npos : end - at - 7);
    }
    const auto h = headers.find("\r\nServer-Name: ");
    if (h != std::string::npos) {
        return headers.substr(h + 15, headers.find("\r\n", h + 15) - h - 15);
    }
    return "unknown";
}

/// Decodes a chunked body that starts at @p at. @return false while incomplete.
bool dechunk(const std::string& in, std::size_t at, std::string& body)
{
    body.clear();
    for (;;) {
        const auto lineEnd = in.find("\r\n", at);
        if (lineEnd == std::string::npos) {
            return false;
        }
        const std::size_t size = std::strtoul(in.c_str() + at, nullptr, 16);
        at = lineEnd + 2;
        if (size == 0) {
            return in.find("\r\n", at) != std::string::npos; // trailer section ends with an empty line
        }
        if (in.size() < at + size + 2) {
            return false;
        }
        body.append(in, at, size);
        at += size + 2;
    }
}

class Runner {
public:
    explicit Runner(Options o) : m_o(std::move(o)), m_conns(static_cast<std::size_t>(m_o.connections)) {}

    void run()
    {
        const double start = nowMs();
        const double end = start + m_o.duration * 1000.0;
        m_stats.lastOkMs = start;
        std::vector<pollfd> fds(m_conns.size());
        while (nowMs() < end) {
            const double now = nowMs();
            int wait = 50;
            for (std::size_t i = 0; i < m_conns.size(); ++i) {
                Conn& c = m_conns[i];
                if (c.state == Conn::State::Idle && now >= c.readyAtMs) {
                    startRequest(c);
                }
                if (c.state != Conn::State::Idle && now - c.startedMs > m_o.timeoutMs) {
                    failRequest(c, "timeout");
                }
                fds[i].fd = c.state == Conn::State::Idle ? -1 : c.fd;
                fds[i].events = (c.state == Conn::State::Connecting || c.state == Conn::State::Sending) ? POLLOUT : POLLIN;
                fds[i].revents = 0;
                if (c.state == Conn::State::Idle) {
                    wait = std::min(wait, std::max(1, static_cast<int>(c.readyAtMs - now)));
                }
            }
            ::poll(fds.data(), fds.size(), wait);
            for (std::size_t i = 0; i < m_conns.size(); ++i) {
                if (fds[i].revents != 0 && m_conns[i].state != Conn::State::Idle) {
                    onReady(m_conns[i]);
                }
            }
        }
        const double stop = nowMs();
        noteGap(stop);
        for (auto& c : m_conns) {
            closeConn(c, "end of run");
        }
        write(start, stop);
    }

private:
    void noteGap(double at)
    {
        if (at - m_stats.lastOkMs > m_stats.longestGapMs) {
            m_stats.longestGapMs = at - m_stats.lastOkMs;
            m_stats.longestGapStartMs = m_stats.lastOkMs;
        }
    }

    void openConn(Conn& c)
    {
        c.fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        const int one = 1;
        ::setsockopt(c.fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        sockaddr_in sa{};
        sa.sin_family = AF_INET;
        sa.sin_port = htons(static_cast<std::uint16_t>(m_o.port));
        ::inet_pton(AF_INET, m_o.host.c_str(), &sa.sin_addr);
        ConnRecord r;
        r.openedMs = nowMs();
        m_stats.conns.push_back(r);
        c.record = static_cast<int>(m_stats.conns.size()) - 1;
        const int rc = ::connect(c.fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa);
        c.state = (rc == 0) ? Conn::State::Sending : Conn::State::Connecting;
        if (rc != 0 && errno != EINPROGRESS) {
            failRequest(c, std::string("connect: ") + std::strerror(errno));
        }
    }

    void closeConn(Conn& c, const std::string& reason)
    {
        if (c.fd >= 0) {
            ::close(c.fd);
            c.fd = -1;
            if (c.record >= 0) {
                m_stats.conns[static_cast<std::size_t>(c.record)].closedMs = nowMs();
                m_stats.conns[static_cast<std::size_t>(c.record)].endReason = reason;
            }
        }
        c.record = -1;
        c.served = 0;
    }

    void startRequest(Conn& c)
    {
        c.out = "GET " + m_o.path + " HTTP/1.1\r\nHost: " + m_o.host + "\r\nUser-Agent: hadeck-loadgen\r\n\r\n";
        c.sent = 0;
        c.in.clear();
        c.startedMs = nowMs();
        ++m_stats.requests;
        if (c.fd < 0) {
            openConn(c);
        } else {
            c.state = Conn::State::Sending;
        }
    }

    void failRequest(Conn& c, const std::string& why)
    {
        ++m_stats.failed;
        ++m_stats.failures[why];
        closeConn(c, why);
        c.state = Conn::State::Idle;
        c.readyAtMs = nowMs() + m_o.thinkMs;
    }

    void onReady(Conn& c)
    {
        if (c.state == Conn::State::Connecting) {
            int err = 0;
            socklen_t len = sizeof err;
            ::getsockopt(c.fd, SOL_SOCKET, SO_ERROR, &err, &len);
            if (err != 0) {
                failRequest(c, std::string("connect: ") + std::strerror(err));
                return;
            }
            c.state = Conn::State::Sending;
        }
        if (c.state == Conn::State::Sending) {
            const ssize_t n = ::send(c.fd, c.out.data() + c.sent, c.out.size() - c.sent, MSG_NOSIGNAL);
            if (n < 0) {
                if (errno != EAGAIN) {
                    // A keep-alive connection the server closed between requests: reopen and resend once.
                    retryOnFreshConnection(c);
                }
                return;
            }
            c.sent += static_cast<std::size_t>(n);
            if (c.sent == c.out.size()) {
                c.state = Conn::State::Reading;
            }
            return;
        }
        char buf[16384];
        const ssize_t n = ::recv(c.fd, buf, sizeof buf, 0);
        if (n < 0 && errno == EAGAIN) {
            return;
        }
        if (n <= 0) {
            if (c.in.empty()) {
                retryOnFreshConnection(c); // closed by the server before answering this request
            } else {
                failRequest(c, "connection closed mid-response");
            }
            return;
        }
        c.in.append(buf, static_cast<std::size_t>(n));
        const auto headEnd = c.in.find("\r\n\r\n");
        if (headEnd == std::string::npos) {
            return;
        }
        std::string lower = c.in.substr(0, headEnd);
        std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char ch) { return std::tolower(ch); });
        const auto cl = lower.find("content-length:");
        const bool chunked = lower.find("transfer-encoding: chunked") != std::string::npos;
        std::string body;
        if (chunked) {
            if (!dechunk(c.in, headEnd + 4, body)) {
                return;
            }
        } else {
            const std::size_t length = cl == std::string::npos ? 0 : static_cast<std::size_t>(std::atol(lower.c_str() + cl + 15));
            if (c.in.size() < headEnd + 4 + length) {
                return;
            }
            body = c.in.substr(headEnd + 4, length);
        }
        const std::string head = c.in.substr(0, headEnd);
        const double now = nowMs();
        const bool ok = head.compare(0, 7, "HTTP/1.") == 0 && head.compare(9, 3, "200") == 0;
        if (ok) {
            ++m_stats.ok;
            if (m_stats.ok == m_o.connections) {
                std::fputs("flowing\n", stdout);
                std::fflush(stdout);
            }
            noteGap(now);
            m_stats.lastOkMs = now;
            m_stats.latencies.push_back(now - c.startedMs);
            const std::string server = serverOf(head, body);
            ++m_stats.perServer[server];
            auto& rec = m_stats.conns[static_cast<std::size_t>(c.record)];
            if (rec.server.empty()) {
                rec.server = server;
            }
            ++rec.requests;
        } else {
            ++m_stats.failed;
            ++m_stats.failures["status " + head.substr(9, 3)];
        }
        const bool closes =
            lower.find("connection: close") != std::string::npos || (cl == std::string::npos && !chunked);
        if (closes) {
            closeConn(c, "server closed (keep-alive limit)");
        }
        ++c.served;
        c.state = Conn::State::Idle;
        c.readyAtMs = now + m_o.thinkMs;
    }

    void retryOnFreshConnection(Conn& c)
    {
        if (c.served == 0) {
            failRequest(c, "connection reset before an answer");
            return;
        }
        closeConn(c, "server closed idle keep-alive");
        --m_stats.requests; // the same request, sent again
        startRequest(c);
    }

    void write(double start, double stop)
    {
        std::sort(m_stats.latencies.begin(), m_stats.latencies.end());
        auto pct = [&](double p) {
            if (m_stats.latencies.empty()) {
                return 0.0;
            }
            return m_stats.latencies[static_cast<std::size_t>(p * double(m_stats.latencies.size() - 1))];
        };
        Json conns = Json::array();
        for (const auto& r : m_stats.conns) {
            conns.push_back(Json{{"opened", r.openedMs}, {"closed", r.closedMs}, {"server", r.server},
                                 {"requests", r.requests}, {"end", r.endReason}});
        }
        const Json j{{"start", start}, {"stop", stop}, {"requests", m_stats.requests}, {"ok", m_stats.ok},
                     {"failed", m_stats.failed}, {"failures", m_stats.failures}, {"perServer", m_stats.perServer},
                     {"longestGapMs", m_stats.longestGapMs}, {"longestGapStart", m_stats.longestGapStartMs},
                     {"latencyMs", {{"p50", pct(0.5)}, {"p99", pct(0.99)}, {"max", pct(1.0)}}},
                     {"connections", conns}};
        std::ofstream(m_o.out) << j.dump(1) << "\n";
    }

    Options m_o;
    std::vector<Conn> m_conns;
    Stats m_stats;
};

} // namespace

int main(int argc, char** argv)
{
    Runner(parse(argc, argv)).run();
    return 0;
}
