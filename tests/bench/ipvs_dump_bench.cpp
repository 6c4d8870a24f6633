// Full IPVS dump, 1000 services x 10 real servers: the agent's generic-netlink reader
// (the code the IpvsModule samples with: services, dests and 64-bit stats) against
// `ipvsadm -Ln` (and `-Ln --stats --exact`) run as a program and read to the end.
// Runs on a director with the real IPVS kernel (in the lab: `tests/lab/lab exec dir1 ...`).
//
// The process that builds the table is not the one that measures: the table is built in
// the parent through netlink, a child runs the benchmarks, and the parent removes exactly
// the services it added however the child ends (crash, abort, signal), so the director's
// own table is left as it was. Scratch addresses: 198.19.100.0/22 (services) and
// 198.19.120.0-198.19.159.255 (real servers), unused by the lab.

#include "hadeck/probes/ipvs_backend.h"

#include <benchmark/benchmark.h>

#include <linux/ip_vs.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/netlink.h>

#include <arpa/inet.h>
#include <dirent.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <set>
#include <string>
#include <thread>
#include <vector>

extern char** environ;

namespace {

constexpr int kServices = 1000;
constexpr int kDestsPerService = 10;

struct Endpoint {
    std::uint32_t addr = 0; // network order
    std::uint16_t port = 0; // host order
};

Endpoint serviceAt(int i)
{
    const auto a = static_cast<std::uint32_t>((198u << 24) | (19u << 16) | ((100u + static_cast<unsigned>(i) / 250u) << 8) |
                                              (1u + static_cast<unsigned>(i) % 250u));
    return {htonl(a), 80};
}

Endpoint destAt(int service, int j)
{
    const auto k = static_cast<unsigned>(service * kDestsPerService + j);
    const auto a = static_cast<std::uint32_t>((198u << 24) | (19u << 16) | ((120u + k / 250u) << 8) | (1u + k % 250u));
    return {htonl(a), 8080};
}

// ----------------------------------------------------------------- building the table

struct Netlink {
    nl_sock* sock = nullptr;
    int family = -1;
    Netlink()
    {
        sock = nl_socket_alloc();
        if (sock == nullptr || genl_connect(sock) < 0) {
            return;
        }
        family = genl_ctrl_resolve(sock, IPVS_GENL_NAME);
    }
    ~Netlink()
    {
        if (sock != nullptr) {
            nl_socket_free(sock);
        }
    }
    Netlink(const Netlink&) = delete;
    Netlink& operator=(const Netlink&) = delete;
    [[nodiscard]] bool ok() const { return sock != nullptr && family >= 0; }

    nl_msg* message(std::uint8_t cmd) const
    {
        nl_msg* m = nlmsg_alloc();
        if (m != nullptr && genlmsg_put(m, NL_AUTO_PORT, NL_AUTO_SEQ, family, 0, NLM_F_ACK, cmd, IPVS_GENL_VERSION) ==
                                nullptr) {
            nlmsg_free(m);
            return nullptr;
        }
        return m;
    }

    static bool putService(nl_msg* m, const Endpoint& s, bool full)
    {
        nlattr* n = nla_nest_start(m, IPVS_CMD_ATTR_SERVICE);
        std::array<unsigned char, 16> addr{};
        std::memcpy(addr.data(), &s.addr, 4);
        bool ok = n != nullptr && nla_put_u16(m, IPVS_SVC_ATTR_AF, AF_INET) == 0 &&
                  nla_put_u16(m, IPVS_SVC_ATTR_PROTOCOL, IPPROTO_TCP) == 0 &&
                  nla_put(m, IPVS_SVC_ATTR_ADDR, 16, addr.data()) == 0 &&
                  nla_put_u16(m, IPVS_SVC_ATTR_PORT, htons(s.port)) == 0;
        if (ok && full) {
            // NEW_SERVICE wants the whole entry: scheduler, flags, timeout and netmask.
            const ip_vs_flags flags{0, ~0u};
            ok = nla_put_string(m, IPVS_SVC_ATTR_SCHED_NAME, "wlc") == 0 &&
                 nla_put(m, IPVS_SVC_ATTR_FLAGS, sizeof flags, &flags) == 0 &&
                 nla_put_u32(m, IPVS_SVC_ATTR_TIMEOUT, 0) == 0 &&
                 nla_put_u32(m, IPVS_SVC_ATTR_NETMASK, 0xffffffffu) == 0;
        }
        if (ok) {
            nla_nest_end(m, n);
        }
        return ok;
    }

    /// @return 0 or a negative libnl error.
    int send(nl_msg* m) const { return m == nullptr ? -NLE_NOMEM : nl_send_sync(sock, m); }

    int addService(const Endpoint& s) const
    {
        nl_msg* m = message(IPVS_CMD_NEW_SERVICE);
        if (m == nullptr || !putService(m, s, true)) {
            nlmsg_free(m);
            return -NLE_NOMEM;
        }
        return send(m);
    }

    int addDest(const Endpoint& s, const Endpoint& d, std::uint32_t weight) const
    {
        nl_msg* m = message(IPVS_CMD_NEW_DEST);
        if (m == nullptr || !putService(m, s, false)) {
            nlmsg_free(m);
            return -NLE_NOMEM;
        }
        nlattr* n = nla_nest_start(m, IPVS_CMD_ATTR_DEST);
        std::array<unsigned char, 16> addr{};
        std::memcpy(addr.data(), &d.addr, 4);
        const bool ok = n != nullptr && nla_put(m, IPVS_DEST_ATTR_ADDR, 16, addr.data()) == 0 &&
                        nla_put_u16(m, IPVS_DEST_ATTR_PORT, htons(d.port)) == 0 &&
                        nla_put_u32(m, IPVS_DEST_ATTR_FWD_METHOD, IP_VS_CONN_F_DROUTE) == 0 &&
                        nla_put_u32(m, IPVS_DEST_ATTR_WEIGHT, weight) == 0 &&
                        nla_put_u32(m, IPVS_DEST_ATTR_U_THRESH, 0) == 0 &&
                        nla_put_u32(m, IPVS_DEST_ATTR_L_THRESH, 0) == 0 &&
                        nla_put_u16(m, IPVS_DEST_ATTR_ADDR_FAMILY, AF_INET) == 0;
        if (!ok) {
            nlmsg_free(m);
            return -NLE_NOMEM;
        }
        nla_nest_end(m, n);
        return send(m);
    }

    int delService(const Endpoint& s) const
    {
        nl_msg* m = message(IPVS_CMD_DEL_SERVICE);
        if (m == nullptr || !putService(m, s, false)) {
            nlmsg_free(m);
            return -NLE_NOMEM;
        }
        return send(m);
    }
};

std::string endpointText(const Endpoint& e)
{
    std::array<char, INET_ADDRSTRLEN> buf{};
    inet_ntop(AF_INET, &e.addr, buf.data(), buf.size());
    return std::string(buf.data()) + ":" + std::to_string(e.port);
}

// ----------------------------------------------------------------- the agent's memory

/// The hadeck-agent in this network namespace (the director's own), if one runs.
pid_t agentPid()
{
    std::array<char, 256> self{};
    if (readlink("/proc/self/ns/net", self.data(), self.size() - 1) < 0) {
        return 0;
    }
    DIR* d = opendir("/proc");
    if (d == nullptr) {
        return 0;
    }
    pid_t found = 0;
    while (dirent* e = readdir(d)) {
        const pid_t pid = std::atoi(e->d_name);
        if (pid <= 0) {
            continue;
        }
        std::ifstream comm("/proc/" + std::string(e->d_name) + "/comm");
        std::string name;
        std::getline(comm, name);
        std::array<char, 256> ns{};
        const std::string nsPath = "/proc/" + std::string(e->d_name) + "/ns/net";
        if (name == "hadeck-agent" && readlink(nsPath.c_str(), ns.data(), ns.size() - 1) > 0 &&
            std::strcmp(ns.data(), self.data()) == 0) {
            found = pid;
        }
    }
    closedir(d);
    return found;
}

long rssKb(pid_t pid)
{
    std::ifstream in("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind("VmRSS:", 0) == 0) {
            return std::atol(line.c_str() + 6);
        }
    }
    return -1;
}

long g_agentRssBeforeKb = -1;
long g_agentRssWithTableKb = -1;

// ----------------------------------------------------------------- what is measured

std::unique_ptr<hadeck::probes::IpvsBackend> g_backend;

std::size_t agentDump()
{
    auto list = g_backend->list();
    if (!list) {
        std::fprintf(stderr, "netlink dump failed: %s\n", list.error().message.c_str());
        std::exit(2);
    }
    std::size_t dests = 0;
    for (const auto& vs : *list) {
        dests += vs.realServers.size();
    }
    return dests;
}

/// Runs ipvsadm with @p args and reads all it prints; @return the number of lines.
std::size_t runIpvsadm(const std::vector<std::string>& args)
{
    std::array<int, 2> p{};
    if (pipe2(p.data(), O_CLOEXEC) != 0) {
        std::perror("pipe2");
        std::exit(2);
    }
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, p[1], STDOUT_FILENO);
    std::vector<std::string> argv{"ipvsadm"};
    argv.insert(argv.end(), args.begin(), args.end());
    std::vector<char*> cargs;
    for (auto& a : argv) {
        cargs.push_back(a.data());
    }
    cargs.push_back(nullptr);
    pid_t pid = 0;
    const int rc = posix_spawnp(&pid, "ipvsadm", &fa, nullptr, cargs.data(), environ);
    posix_spawn_file_actions_destroy(&fa);
    close(p[1]);
    if (rc != 0) {
        std::fprintf(stderr, "cannot run ipvsadm: %s\n", std::strerror(rc));
        std::exit(2);
    }
    std::array<char, 65536> buf{};
    std::size_t lines = 0;
    for (;;) {
        const ssize_t n = read(p[0], buf.data(), buf.size());
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            break;
        }
        lines += static_cast<std::size_t>(std::count(buf.data(), buf.data() + n, '\n'));
    }
    close(p[0]);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        std::fprintf(stderr, "ipvsadm failed (status %d)\n", status);
        std::exit(2);
    }
    return lines;
}

void BM_AgentNetlinkDump(benchmark::State& state)
{
    std::size_t dests = 0;
    for (auto _ : state) {
        dests = agentDump();
        benchmark::DoNotOptimize(dests);
    }
    state.counters["dests"] = static_cast<double>(dests);
}

void BM_IpvsadmLn(benchmark::State& state)
{
    std::size_t lines = 0;
    for (auto _ : state) {
        lines = runIpvsadm({"-Ln"});
    }
    state.counters["lines"] = static_cast<double>(lines);
}

void BM_IpvsadmLnStatsExact(benchmark::State& state)
{
    std::size_t lines = 0;
    for (auto _ : state) {
        lines = runIpvsadm({"-Ln", "--stats", "--exact"});
    }
    state.counters["lines"] = static_cast<double>(lines);
}

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    const auto n = v.size();
    return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/// The three readers taken in turn, so that they see the same machine moment by moment
/// (under software emulation the VM's speed drifts, and the director's own agent keeps
/// sampling the same table); the counters carry the medians and their ratios. Not
/// repeated: one run is already @p rounds of each.
void BM_Interleaved(benchmark::State& state)
{
    const auto rounds = static_cast<int>(state.range(0));
    std::vector<double> nl;
    std::vector<double> ln;
    std::vector<double> lnStats;
    using Clock = std::chrono::steady_clock;
    const auto ms = [](Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); };
    for (auto _ : state) {
        for (int i = 0; i < rounds; ++i) {
            auto t0 = Clock::now();
            benchmark::DoNotOptimize(agentDump());
            auto t1 = Clock::now();
            benchmark::DoNotOptimize(runIpvsadm({"-Ln"}));
            auto t2 = Clock::now();
            benchmark::DoNotOptimize(runIpvsadm({"-Ln", "--stats", "--exact"}));
            auto t3 = Clock::now();
            nl.push_back(ms(t1 - t0));
            ln.push_back(ms(t2 - t1));
            lnStats.push_back(ms(t3 - t2));
        }
    }
    const double mNl = median(nl);
    const double mLn = median(ln);
    const double mStats = median(lnStats);
    state.counters["agent_netlink_median_ms"] = mNl;
    state.counters["ipvsadm_Ln_median_ms"] = mLn;
    state.counters["ipvsadm_Ln_stats_exact_median_ms"] = mStats;
    state.counters["ratio_ipvsadm_Ln_over_agent"] = mLn / mNl;
    state.counters["ratio_ipvsadm_stats_over_agent"] = mStats / mNl;
    state.counters["agent_rss_before_kb"] = static_cast<double>(g_agentRssBeforeKb);
    state.counters["agent_rss_with_10k_dests_kb"] = static_cast<double>(g_agentRssWithTableKb);
    std::fprintf(stderr,
                 "interleaved medians over %d rounds: agent netlink %.1f ms, ipvsadm -Ln %.1f ms (x%.2f), "
                 "ipvsadm -Ln --stats --exact %.1f ms (x%.2f)\n",
                 rounds, mNl, mLn, mLn / mNl, mStats, mStats / mNl);
}

BENCHMARK(BM_AgentNetlinkDump)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_IpvsadmLn)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_IpvsadmLnStatsExact)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_Interleaved)->Arg(7)->Iterations(1)->Repetitions(1)->Unit(benchmark::kMillisecond)->UseRealTime();

// ----------------------------------------------------------------- the parent: table in, table out

volatile sig_atomic_t g_child = 0;
volatile sig_atomic_t g_stop = 0;

void onStopSignal(int /*signo*/)
{
    g_stop = 1;
    if (g_child > 0) {
        kill(static_cast<pid_t>(g_child), SIGTERM);
    }
}

int removeAdded(const Netlink& nl, const std::vector<Endpoint>& added)
{
    int failures = 0;
    for (const auto& s : added) {
        // Deleting a service deletes its real servers with it.
        if (const int err = nl.delService(s); err < 0) {
            std::fprintf(stderr, "cannot remove scratch service %s: %s (remove it with: ipvsadm -D -t %s)\n",
                         endpointText(s).c_str(), nl_geterror(err), endpointText(s).c_str());
            ++failures;
        }
    }
    return failures;
}

} // namespace

int main(int argc, char** argv)
{
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) {
        return 1;
    }
    Netlink nl;
    if (!nl.ok()) {
        std::fprintf(stderr, "no IPVS generic netlink family here (needs the ip_vs module and root); "
                             "in the lab run it on a director: tests/lab/lab exec dir1 %s\n",
                     argv[0]);
        return 1;
    }
    auto backend = hadeck::probes::makeNetlinkIpvsBackend();
    if (!backend) {
        std::fprintf(stderr, "%s\n", backend.error().message.c_str());
        return 1;
    }
    // A scratch service already present is someone else's (or a run that was killed with
    // SIGKILL): refuse rather than measure or delete a table that is not ours.
    if (auto before = (*backend)->list(); before) {
        std::set<std::string> ours;
        for (int i = 0; i < kServices; ++i) {
            ours.insert(endpointText(serviceAt(i)));
        }
        for (const auto& vs : *before) {
            if (ours.count(vs.address + ":" + std::to_string(vs.port)) != 0) {
                std::fprintf(stderr, "scratch service %s:80 already exists; remove the 198.19.100.0/22 services first\n",
                             vs.address.c_str());
                return 1;
            }
        }
    }
    struct sigaction sa {};
    sa.sa_handler = onStopSignal;
    sigemptyset(&sa.sa_mask);
    for (int s : {SIGINT, SIGTERM, SIGHUP}) {
        sigaction(s, &sa, nullptr);
    }
    signal(SIGPIPE, SIG_IGN);

    const pid_t agent = agentPid();
    if (agent > 0) {
        g_agentRssBeforeKb = rssKb(agent);
    }

    std::vector<Endpoint> added;
    added.reserve(kServices);
    const auto t0 = std::chrono::steady_clock::now();
    int buildError = 0;
    for (int i = 0; i < kServices && buildError == 0 && g_stop == 0; ++i) {
        const Endpoint s = serviceAt(i);
        if (const int err = nl.addService(s); err < 0) {
            std::fprintf(stderr, "adding service %s: %s\n", endpointText(s).c_str(), nl_geterror(err));
            buildError = err;
            break;
        }
        added.push_back(s);
        for (int j = 0; j < kDestsPerService && buildError == 0; ++j) {
            if (const int err = nl.addDest(s, destAt(i, j), static_cast<std::uint32_t>(1 + j)); err < 0) {
                std::fprintf(stderr, "adding real server %s to %s: %s\n", endpointText(destAt(i, j)).c_str(),
                             endpointText(s).c_str(), nl_geterror(err));
                buildError = err;
            }
        }
    }
    if (buildError != 0 || g_stop != 0) {
        removeAdded(nl, added);
        return 1;
    }
    std::fprintf(stderr, "built %d services x %d real servers through netlink in %.1f s\n", kServices,
                 kDestsPerService,
                 std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    if (agent > 0) {
        // The agent samples once a second (default); give it a few samples to hold the table.
        std::this_thread::sleep_for(std::chrono::seconds(4));
        g_agentRssWithTableKb = rssKb(agent);
        std::fprintf(stderr, "hadeck-agent (pid %d) RSS: %ld kB before, %ld kB holding the table\n",
                     static_cast<int>(agent), g_agentRssBeforeKb, g_agentRssWithTableKb);
    } else {
        std::fprintf(stderr, "no hadeck-agent in this network namespace: its RSS is not reported\n");
    }

    int rc = 1;
    const pid_t child = fork();
    if (child == 0) {
        for (int s : {SIGINT, SIGTERM, SIGHUP, SIGPIPE}) {
            signal(s, SIG_DFL);
        }
        g_backend = std::move(*backend);
        benchmark::RunSpecifiedBenchmarks();
        benchmark::Shutdown();
        std::fflush(stdout);
        _exit(0);
    }
    if (child > 0) {
        g_child = child;
        if (g_stop != 0) {
            kill(child, SIGTERM);
        }
        int status = 0;
        while (waitpid(child, &status, 0) < 0 && errno == EINTR) {
        }
        g_child = 0;
        rc = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        if (rc != 0) {
            std::fprintf(stderr, "the benchmark process failed (status %d)\n", status);
        }
    } else {
        std::perror("fork");
    }
    const int left = removeAdded(nl, added);
    std::fprintf(stderr, "removed %zu scratch services (%d failed)\n", added.size() - static_cast<std::size_t>(left),
                 left);
    return left != 0 ? 1 : rc;
}
