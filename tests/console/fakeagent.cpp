// hadeck-fakeagent: an agent that misbehaves on demand, on a unix socket (the
// local transport). The console tests start it beside a real agent and check
// that the console stays up, responsive and truthful.
//
//   hadeck-fakeagent --socket PATH [options]
//     --user TEXT          user name in the hello (\xHH, \n, \e escapes understood)
//     --node TEXT          node name in the hello
//     --hello-error TEXT   answer hello with this error (code -32000, or --error-code) instead
//     --error-code N       the code of --hello-error's error and of the answer to a method it
//                          does not serve (default -32601): any code, the console's own ones too
//     --hello-id-null TEXT answer the first request with id null and this error
//     --garbage            answer hello, then send a line that is not JSON
//     --silent             accept, read, never answer
//     --flood RATE         after hello, send RATE state.delta notifications per second
//     --seconds S          how long the flood runs (default 60)
//     --line-bytes N       pad each flood notification to about N bytes
//     --vrrp-name TEXT     flood/snapshot: the vrrp instance name (escapes understood)
//     --vrrp-state STATE   the vrrp instances' state (MASTER, BACKUP, FAULT)
//     --vrrp-twice         the vrrp snapshot holds two MASTER instances with one VRID on two interfaces
//     --requests N         after hello, send N requests to the console and stop reading
//     --no-read-after-hello  stop reading the console's lines after the hello
//     --stats FILE         on exit (SIGTERM), write "sent=N blocked_ms=M"
//     --ipvs JSON          the "ipvs" snapshot's and ipvs.list's services, as this JSON text,
//                          sent as written (numbers out of range, wrong types: \xHH escapes
//                          understood)
//     --ipvs-delta JSON    after the ipvs snapshot, a delta whose services are this JSON text
//     --removed JSON       after the ipvs snapshot, a delta whose removedServices is this JSON text
//     --roles JSON         the hello's roles, as this JSON text
//     --appdata TEXT       answer host, apache, db, mfs, logs and history with TEXT (escapes
//                          understood) in every text field; history of a named series fails
//                          with TEXT as the error message
//     --app KIND           a well-behaved application node: "web" (Apache answering, no database)
//                          or "db" (a database master, no Apache). Its host, apache and db topics
//                          are sent on subscribe; history.get of a named series answers three
//                          samples (11, 12, 13 at now-300, now-200, now-100 s); db.setReadOnly
//                          answers a preflight on a dry run, else flips read_only and pushes the
//                          db topic again
//     --read-only          --app db: read_only starts on
//     --log FILE           --app: each history.get and db.setReadOnly request's method and
//                          params, one JSON line each, appended as it comes
//
// Plain POSIX: one thread per connection, blocking writes, so a console that
// stops reading makes the flood block (the kernel pushes back).

#include <hadeck/protocol/appdata.h>
#include <hadeck/protocol/methods.h>
#include <hadeck/protocol/payloads.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <ctime>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <string>
#include <thread>

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

using Json = nlohmann::json;
using Clock = std::chrono::steady_clock;

namespace {

struct Options {
    std::string socket;
    std::string user = "fake";
    std::string node = "fake";
    std::string helloError;
    int errorCode = 0; // 0: the defaults above
    std::string helloIdNull;
    std::string vrrpName = "VI_1";
    std::string vrrpState = "MASTER";
    std::string stats;
    std::string appText;
    std::string ipvs;      // raw JSON text
    std::string ipvsDelta; // raw JSON text
    std::string removed;   // raw JSON text
    std::string roles;     // raw JSON text
    std::string app;       // --app: web, db
    std::string log;       // --app: the requests' log
    bool garbage = false;
    bool silent = false;
    bool vrrpTwice = false;
    bool noReadAfterHello = false;
    long flood = 0;
    long seconds = 60;
    long lineBytes = 0;
    long requests = 0;
};

Options g_opt;
std::atomic<long> g_sent{0};
std::atomic<bool> g_stop{false}; // SIGTERM
std::atomic<bool> g_readOnly{false}; // --app db: the server's read_only
std::mutex g_logMutex;

std::string unescape(const char* s)
{
    std::string out;
    for (const char* p = s; *p != 0; ++p) {
        if (*p != '\\' || p[1] == 0) {
            out += *p;
            continue;
        }
        ++p;
        switch (*p) {
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'e': out += '\x1b'; break;
        case 'a': out += '\a'; break;
        case '0': out += '\0'; break;
        case 'x':
            if (p[1] != 0 && p[2] != 0) {
                const char hex[3] = {p[1], p[2], 0};
                out += static_cast<char>(std::strtol(hex, nullptr, 16));
                p += 2;
            }
            break;
        default: out += *p; break;
        }
    }
    return out;
}

class Conn {
public:
    explicit Conn(int fd) : m_fd(fd) {}
    ~Conn() { ::close(m_fd); }
    Conn(const Conn&) = delete;
    Conn& operator=(const Conn&) = delete;

    bool send(const std::string& line) { return sendRaw(line + "\n"); }
    /// Bytes as they are (whole lines, each with its '\n').
    bool sendRaw(const std::string& data)
    {
        std::lock_guard lock(m_write);
        std::size_t off = 0;
        while (off < data.size()) {
            const ssize_t n = ::send(m_fd, data.data() + off, data.size() - off, MSG_NOSIGNAL);
            if (n <= 0)
                return false;
            off += static_cast<std::size_t>(n);
        }
        return true;
    }
    bool sendJson(const Json& j) { return send(j.dump(-1, ' ', false, Json::error_handler_t::replace)); }

    /// One line, false at EOF.
    bool readLine(std::string& line)
    {
        for (;;) {
            const auto nl = m_buf.find('\n');
            if (nl != std::string::npos) {
                line = m_buf.substr(0, nl);
                m_buf.erase(0, nl + 1);
                return true;
            }
            char chunk[65536];
            const ssize_t n = ::recv(m_fd, chunk, sizeof chunk, 0);
            if (n <= 0)
                return false;
            m_buf.append(chunk, static_cast<std::size_t>(n));
        }
    }

private:
    int m_fd;
    std::mutex m_write;
    std::string m_buf;
};

Json vrrpSnapshot(long seq)
{
    Json inst = Json::array();
    auto one = [&](const std::string& iface, int prio) {
        Json i;
        i["name"] = g_opt.vrrpName + (g_opt.vrrpTwice ? "_" + iface : std::string());
        i["state"] = g_opt.vrrpState;
        i["vrid"] = 51;
        i["interface"] = iface;
        i["priority"] = prio;
        i["effectivePriority"] = prio;
        i["vips"] = Json::array({iface == "eth0" ? "198.18.0.100/32" : "198.18.0.101/32"});
        inst.push_back(i);
    };
    one("eth0", 100);
    if (g_opt.vrrpTwice)
        one("eth1", 100);
    Json p;
    p["topic"] = "vrrp";
    p["snapshot"] = true;
    p["seq"] = seq;
    p["instances"] = inst;
    return Json{{"jsonrpc", "2.0"}, {"method", "state.delta"}, {"params", p}};
}

Json floodNote(long seq)
{
    Json note = vrrpSnapshot(seq);
    if (g_opt.lineBytes > 0) {
        const std::string probe = note.dump();
        if (static_cast<long>(probe.size()) < g_opt.lineBytes)
            note["params"]["pad"] = std::string(static_cast<std::size_t>(g_opt.lineBytes) - probe.size(), 'x');
    }
    return note;
}

void flood(Conn& c, const std::atomic<bool>& done)
{
    const auto start = Clock::now();
    const auto end = start + std::chrono::seconds(g_opt.seconds);
    const std::string line = floodNote(0).dump() + "\n";
    // Paced: every line due by now goes out in one write (at most 1 ms worth plus
    // 64 lines), so a high rate costs the agent few system calls.
    const long perBatch = std::max(1L, g_opt.flood / 1000) + 64;
    std::string batch;
    long i = 0;
    while (!g_stop && !done && Clock::now() < end) {
        const auto now = Clock::now();
        const long due = static_cast<long>(std::chrono::duration_cast<std::chrono::microseconds>(now - start).count() *
                                           g_opt.flood / 1000000) +
                         1;
        if (due <= i) {
            std::this_thread::sleep_until(start + std::chrono::microseconds((i * 1000000) / g_opt.flood));
            continue;
        }
        const long n = std::min(due - i, perBatch);
        batch.clear();
        for (long k = 0; k < n; ++k)
            batch += line;
        if (!c.sendRaw(batch))
            return;
        i += n;
        g_sent += n;
    }
}

/// The answer to an app/data method, each text field holding --appdata's text; null when
/// @p method is not one of them. @p fail: answer with an error whose message is the text.
Json appDataAnswer(const std::string& method, const Json& params, bool& fail)
{
    fail = false;
    namespace m = hadeck::proto::methods;
    namespace p = hadeck::proto;
    const std::string& t = g_opt.appText;
    if (method == m::HostStatusGet.name) {
        p::HostStatus h;
        h.memTotalKiB = 1000;
        h.memAvailableKiB = 500;
        h.cpus.push_back({"cpu", 10, 0, 0});
        h.filesystems.push_back({t, t, t, 100, 10, 90, 0, 0});
        h.errors.push_back(t);
        return p::toJson(h);
    }
    if (method == m::ApacheStatusGet.name) {
        p::ApacheStatus a;
        a.state = p::ApacheState::Ok;
        a.url = t;
        a.serverVersion = t;
        a.mpm = t;
        return p::toJson(a);
    }
    if (method == m::DbStatusGet.name) {
        p::DbStatus d;
        d.state = p::DbState::Ok;
        d.role = t;
        d.reason = t;
        d.version = t;
        p::ReplicaStatus r;
        r.ioRunning = t;
        r.sqlRunning = t;
        r.masterHost = t;
        r.lastIoError = t;
        d.replica = r;
        return p::toJson(d);
    }
    if (method == m::MfsStatusGet.name) {
        p::MfsStatus s;
        s.ok = true;
        s.reason = t;
        p::MfsMasterInfo master;
        master.version = t;
        s.master = master;
        p::MfsChunkserver cs;
        cs.host = t;
        cs.maintenance = t;
        cs.labels = t;
        cs.version = t;
        s.chunkservers.push_back(cs);
        s.metaloggers.push_back({t, t});
        return p::toJson(s);
    }
    if (method == m::LogsQuery.name) {
        p::LogsResult l;
        l.source = t;
        l.lines.push_back({1, t});
        l.lines.push_back({2, "last line"});
        l.sources.push_back(t);
        return p::toJson(l);
    }
    if (method == m::HistoryGet.name) {
        const auto hp = p::fromJson<p::HistoryParams>(params);
        if (!hp || !hp->series.empty()) {
            fail = true;
            return Json::object();
        }
        p::HistoryResult h;
        h.available = {t, "last.series"};
        return p::toJson(h);
    }
    return nullptr;
}

/// --app: the state.delta of @p topic ("host", "apache", "db") as the node's state is now.
Json appTopic(const std::string& topic)
{
    namespace p = hadeck::proto;
    Json payload;
    if (topic == p::topic::Host) {
        p::HostStatus h;
        h.load1 = g_opt.app == "web" ? 0.5 : 1.5;
        h.memTotalKiB = 1000;
        h.memAvailableKiB = 400;
        h.cpus.push_back({"cpu", 20, 0, 0});
        payload = p::toJson(h);
    } else if (topic == p::topic::Apache) {
        p::ApacheStatus a;
        if (g_opt.app == "web") {
            a.state = p::ApacheState::Ok;
            a.mpm = "event";
            a.busyWorkers = 7;
            a.idleWorkers = 43;
            a.serverLimit = 50;
            a.requestsPerSec = 12.5;
        } else {
            a.state = p::ApacheState::NotRunning;
            a.reason = "nothing listens on port 80";
        }
        payload = p::toJson(a);
    } else if (topic == p::topic::Db) {
        p::DbStatus d;
        if (g_opt.app == "db") {
            d.state = p::DbState::Ok;
            d.role = "master";
            d.version = "10.11.6-MariaDB";
            d.readOnly = g_readOnly;
            d.queriesPerSec = 42;
            d.gtidCurrentPos = "0-1-42";
        } else {
            d.state = p::DbState::NotInstalled;
            d.reason = "no database server";
        }
        payload = p::toJson(d);
    } else {
        return nullptr;
    }
    return Json{{"jsonrpc", "2.0"},
                {"method", p::notify::StateDelta},
                {"params", p::stateDeltaParams({topic, true}, std::move(payload))}};
}

void logRequest(const std::string& method, const Json& params)
{
    if (g_opt.log.empty())
        return;
    const std::lock_guard<std::mutex> lock(g_logMutex);
    if (FILE* f = std::fopen(g_opt.log.c_str(), "a")) {
        const std::string line = Json{{"method", method}, {"params", params}}.dump() + "\n";
        std::fwrite(line.data(), 1, line.size(), f);
        std::fclose(f);
    }
}

/// --app: the answer to history.get or db.setReadOnly (null for other methods). @p after: a
/// notification to send after the answer (the db topic once read_only changed).
Json appAnswer(const std::string& method, const Json& params, Json& after)
{
    namespace m = hadeck::proto::methods;
    namespace p = hadeck::proto;
    if (method == m::HistoryGet.name) {
        logRequest(method, params);
        const auto hp = p::fromJson<p::HistoryParams>(params);
        p::HistoryResult h;
        if (hp && !hp->series.empty()) {
            h.series = hp->series;
            h.step = hp->step;
            const auto now = static_cast<std::int64_t>(std::time(nullptr));
            h.times = {now - 300, now - 200, now - 100};
            h.values = {11, 12, 13};
        }
        return p::toJson(h);
    }
    if (method == m::DbSetReadOnly.name && g_opt.app == "db") {
        logRequest(method, params);
        const auto rp = p::fromJson<p::ReadOnlyParams>(params);
        p::ActionResult r;
        if (!rp) {
            return nullptr;
        }
        const bool was = g_readOnly;
        r.preflight.push_back(std::string("read_only is ") + (was ? "ON" : "OFF"));
        r.preflight.push_back(std::string("would run SET GLOBAL read_only = ") + (rp->on ? "ON" : "OFF"));
        if (rp->on) {
            r.warnings.push_back("writes from the web nodes will fail");
        }
        if (!rp->dryRun) {
            g_readOnly = rp->on;
            r.done = true;
            r.message = std::string("read_only is now ") + (rp->on ? "ON" : "OFF");
            after = appTopic(std::string(p::topic::Db));
        }
        return p::toJson(r);
    }
    return nullptr;
}

void serve(int fd)
{
    Conn c(fd);
    std::string line;
    std::thread floodThread;
    std::atomic<bool> done{false};
    bool hello = false;
    long reqId = 1000000;
    while (c.readLine(line)) {
        if (g_opt.silent)
            continue;
        Json req;
        try {
            req = Json::parse(line);
        } catch (...) {
            continue;
        }
        const Json id = req.value("id", Json());
        const std::string method = req.value("method", std::string());
        if (!g_opt.helloIdNull.empty()) {
            c.sendJson({{"jsonrpc", "2.0"}, {"id", nullptr},
                        {"error", {{"code", -32000}, {"message", g_opt.helloIdNull}}}});
            continue;
        }
        if (method == "agent.hello") {
            if (!g_opt.helloError.empty()) {
                c.sendJson(
                    {{"jsonrpc", "2.0"},
                     {"id", id},
                     {"error",
                      {{"code", g_opt.errorCode != 0 ? g_opt.errorCode : -32000}, {"message", g_opt.helloError}}}});
                continue;
            }
            Json r;
            r["protocolVersion"] = 1;
            r["agentVersion"] = "fake";
            r["node"] = g_opt.node;
            r["roles"] = Json::array({"director"});
            if (!g_opt.roles.empty()) {
                r["roles"] = "@roles@"; // spliced in as written below
            }
            r["capabilities"] = Json::array({"agent.hello", "agent.ping", "agent.subscribe"});
            r["user"] = g_opt.user;
            r["permission"] = "admin";
            r["hint"] = "";
            if (g_opt.roles.empty()) {
                c.sendJson({{"jsonrpc", "2.0"}, {"id", id}, {"result", r}});
            } else {
                std::string text = Json{{"jsonrpc", "2.0"}, {"id", id}, {"result", r}}.dump();
                text.replace(text.find("\"@roles@\""), 9, g_opt.roles);
                c.send(text);
            }
            hello = true;
            if (g_opt.garbage)
                c.send("this is not json-rpc <b>at all</b>");
            if (g_opt.requests > 0) {
                const std::string big(16, 'r');
                for (long k = 0; k < g_opt.requests && !g_stop; ++k) {
                    if (!c.sendJson({{"jsonrpc", "2.0"}, {"id", reqId++}, {"method", "console.poke"},
                                     {"params", {{"pad", big}}}}))
                        break;
                }
                while (!g_stop)
                    std::this_thread::sleep_for(std::chrono::milliseconds(50));
                break;
            }
            if (g_opt.noReadAfterHello) {
                while (!g_stop)
                    std::this_thread::sleep_for(std::chrono::milliseconds(50));
                break;
            }
            continue;
        }
        if (method == "agent.ping") {
            c.sendJson({{"jsonrpc", "2.0"}, {"id", id}, {"result", {{"pong", true}, {"time", 0}}}});
            continue;
        }
        if (method == "agent.subscribe") {
            Json topics = req.value("params", Json::object()).value("topics", Json::array());
            c.sendJson({{"jsonrpc", "2.0"}, {"id", id}, {"result", {{"topics", topics}}}});
            bool vrrp = false;
            bool ipvs = false;
            for (const auto& t : topics) {
                vrrp = vrrp || (t.is_string() && t.get<std::string>() == "vrrp");
                ipvs = ipvs || (t.is_string() && t.get<std::string>() == "ipvs");
            }
            if (vrrp && hello && g_opt.flood == 0)
                c.sendJson(vrrpSnapshot(1));
            for (const auto& t : topics) {
                if (hello && !g_opt.app.empty() && t.is_string()) {
                    if (const Json note = appTopic(t.get<std::string>()); !note.is_null())
                        c.sendJson(note);
                }
            }
            if (ipvs && hello && !g_opt.ipvs.empty()) {
                // An "ipvs" state.delta whose last field is JSON text as the options wrote it.
                const auto delta = [&c](bool snapshot, const char* fields, const std::string& raw) {
                    c.send(
                        std::string(R"({"jsonrpc":"2.0","method":"state.delta","params":{"topic":"ipvs","snapshot":)") +
                        (snapshot ? "true,\"seq\":1," : "false,\"seq\":2,") + fields + raw + "}}");
                };
                delta(true, R"("backend":"fake","services":)", g_opt.ipvs);
                if (!g_opt.ipvsDelta.empty())
                    delta(false, R"("services":)", g_opt.ipvsDelta);
                if (!g_opt.removed.empty())
                    delta(false, R"("services":[],"removedServices":)", g_opt.removed);
            }
            if (hello && g_opt.flood > 0 && !floodThread.joinable())
                floodThread = std::thread([&c, &done] { flood(c, done); });
            continue;
        }
        if (!g_opt.ipvs.empty() && !id.is_null() && method == hadeck::proto::methods::IpvsList.name) {
            c.send(R"({"jsonrpc":"2.0","id":)" + id.dump() + R"(,"result":{"backend":"fake","services":)" + g_opt.ipvs +
                   "}}");
            continue;
        }
        if (!g_opt.app.empty() && !id.is_null()) {
            Json after;
            const Json answer = appAnswer(method, req.value("params", Json::object()), after);
            if (!answer.is_null()) {
                c.sendJson({{"jsonrpc", "2.0"}, {"id", id}, {"result", answer}});
                if (!after.is_null())
                    c.sendJson(after);
                continue;
            }
        }
        if (!g_opt.appText.empty() && !id.is_null()) {
            bool fail = false;
            const Json answer = appDataAnswer(method, req.value("params", Json::object()), fail);
            if (fail) {
                c.sendJson({{"jsonrpc", "2.0"}, {"id", id}, {"error", {{"code", -32000}, {"message", g_opt.appText}}}});
                continue;
            }
            if (!answer.is_null()) {
                c.sendJson({{"jsonrpc", "2.0"}, {"id", id}, {"result", answer}});
                continue;
            }
        }
        if (!id.is_null())
            c.sendJson({{"jsonrpc", "2.0"},
                        {"id", id},
                        {"error",
                         {{"code", g_opt.errorCode != 0 ? g_opt.errorCode : -32601}, {"message", "no such method"}}}});
    }
    done = true;
    if (floodThread.joinable())
        floodThread.join();
}

void onTerm(int)
{
    g_stop = true;
}

} // namespace

int main(int argc, char** argv)
{
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto next = [&]() -> const char* { return i + 1 < argc ? argv[++i] : ""; };
        if (a == "--socket") g_opt.socket = next();
        else if (a == "--user") g_opt.user = unescape(next());
        else if (a == "--node") g_opt.node = unescape(next());
        else if (a == "--hello-error") g_opt.helloError = unescape(next());
        else if (a == "--hello-id-null") g_opt.helloIdNull = unescape(next());
        else if (a == "--error-code")
            g_opt.errorCode = std::atoi(next());
        else if (a == "--vrrp-name") g_opt.vrrpName = unescape(next());
        else if (a == "--vrrp-state") g_opt.vrrpState = next();
        else if (a == "--stats") g_opt.stats = next();
        else if (a == "--appdata")
            g_opt.appText = unescape(next());
        else if (a == "--ipvs")
            g_opt.ipvs = unescape(next());
        else if (a == "--removed")
            g_opt.removed = unescape(next());
        else if (a == "--ipvs-delta")
            g_opt.ipvsDelta = unescape(next());
        else if (a == "--roles")
            g_opt.roles = unescape(next());
        else if (a == "--app")
            g_opt.app = next();
        else if (a == "--log")
            g_opt.log = next();
        else if (a == "--read-only")
            g_readOnly = true;
        else if (a == "--garbage") g_opt.garbage = true;
        else if (a == "--silent") g_opt.silent = true;
        else if (a == "--vrrp-twice") g_opt.vrrpTwice = true;
        else if (a == "--no-read-after-hello") g_opt.noReadAfterHello = true;
        else if (a == "--flood") g_opt.flood = std::atol(next());
        else if (a == "--seconds") g_opt.seconds = std::atol(next());
        else if (a == "--line-bytes") g_opt.lineBytes = std::atol(next());
        else if (a == "--requests") g_opt.requests = std::atol(next());
        else {
            std::fprintf(stderr, "hadeck-fakeagent: unknown option %s\n", a.c_str());
            return 2;
        }
    }
    if (g_opt.socket.empty()) {
        std::fprintf(stderr, "hadeck-fakeagent: --socket PATH is required\n");
        return 2;
    }
    struct sigaction sa{};
    sa.sa_handler = onTerm;
    sigaction(SIGTERM, &sa, nullptr);
    sigaction(SIGINT, &sa, nullptr);

    const int srv = ::socket(AF_UNIX, SOCK_STREAM, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::strncpy(addr.sun_path, g_opt.socket.c_str(), sizeof addr.sun_path - 1);
    ::unlink(g_opt.socket.c_str());
    if (::bind(srv, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(srv, 16) != 0) {
        std::perror("hadeck-fakeagent: bind");
        return 1;
    }
    std::printf("ready\n");
    std::fflush(stdout);
    while (!g_stop) {
        pollfd p{srv, POLLIN, 0};
        if (::poll(&p, 1, 100) <= 0)
            continue;
        const int fd = ::accept(srv, nullptr, nullptr);
        if (fd < 0)
            continue;
        std::thread(serve, fd).detach();
    }
    if (!g_opt.stats.empty()) {
        if (FILE* f = std::fopen(g_opt.stats.c_str(), "w")) {
            std::fprintf(f, "sent=%ld\n", g_sent.load());
            std::fclose(f);
        }
    }
    ::close(srv);
    ::unlink(g_opt.socket.c_str());
    return 0;
}
