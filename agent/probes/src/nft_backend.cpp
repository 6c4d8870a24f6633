#include "hadeck/probes/nft_backend.h"

#include "hadeck/probes/nft_ruleset.h"
#include "hadeck/probes/proc_net_tcp.h"

#include "hadeck/agent/files.h"
#include "hadeck/agent/lazy_lib.h"

#include <nftables/libnftables.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <optional>
#include <cstdio>
#include <iterator>
#include <utility>

#include <arpa/inet.h>
#include <fcntl.h>
#include <ifaddrs.h>
#include <linux/netlink.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>

namespace hadeck::probes::nft {

namespace {

/// libnftables 1.0.6 calls exit() when it cannot open its netlink socket (a kernel
/// without nfnetlink, such as a minimal VM): the agent would die with it. So the
/// socket is tried here first, and its absence is an error like any other.
std::optional<std::string> netfilterNetlinkMissing()
{
    const int fd = ::socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_NETFILTER);
    if (fd < 0) {
        return std::string("nftables is not available on this kernel (netlink netfilter socket: ") +
               std::strerror(errno) + ")";
    }
    ::close(fd);
    return std::nullopt;
}

// libnftables is opened at the first ruleset read or change, not at start
// (hadeck/agent/lazy_lib.h): with libnftnl, libxtables, libjansson and libgmp it was 0.6 MiB of
// every agent's resident memory, and only the firewall module calls it.
struct NftApi {
    decltype(&::nft_ctx_new) ctxNew = nullptr;
    decltype(&::nft_ctx_free) ctxFree = nullptr;
    decltype(&::nft_ctx_output_set_flags) ctxOutputSetFlags = nullptr;
    decltype(&::nft_ctx_set_dry_run) ctxSetDryRun = nullptr;
    decltype(&::nft_ctx_buffer_output) ctxBufferOutput = nullptr;
    decltype(&::nft_ctx_buffer_error) ctxBufferError = nullptr;
    decltype(&::nft_run_cmd_from_buffer) runCmdFromBuffer = nullptr;
    decltype(&::nft_ctx_get_output_buffer) ctxGetOutputBuffer = nullptr;
    decltype(&::nft_ctx_get_error_buffer) ctxGetErrorBuffer = nullptr;
};

// nullptr with `error` set when libnftables cannot be loaded; loaded once, never unloaded.
const NftApi* nftApi(std::string& error)
{
    static constexpr const char* so = "libnftables.so.1";
    return hadeck::agent::lazy::loadOnce<NftApi>(
        so,
        [](void* h, NftApi& api, std::string& why) {
            return hadeck::agent::lazy::resolve(h, so, "nft_ctx_new", api.ctxNew, why) &&
                   hadeck::agent::lazy::resolve(h, so, "nft_ctx_free", api.ctxFree, why) &&
                   hadeck::agent::lazy::resolve(h, so, "nft_ctx_output_set_flags", api.ctxOutputSetFlags, why) &&
                   hadeck::agent::lazy::resolve(h, so, "nft_ctx_set_dry_run", api.ctxSetDryRun, why) &&
                   hadeck::agent::lazy::resolve(h, so, "nft_ctx_buffer_output", api.ctxBufferOutput, why) &&
                   hadeck::agent::lazy::resolve(h, so, "nft_ctx_buffer_error", api.ctxBufferError, why) &&
                   hadeck::agent::lazy::resolve(h, so, "nft_run_cmd_from_buffer", api.runCmdFromBuffer, why) &&
                   hadeck::agent::lazy::resolve(h, so, "nft_ctx_get_output_buffer", api.ctxGetOutputBuffer, why) &&
                   hadeck::agent::lazy::resolve(h, so, "nft_ctx_get_error_buffer", api.ctxGetErrorBuffer, why);
        },
        error);
}

} // namespace

std::optional<std::string> kernelWithoutNftables();

RunResult run(std::string_view script, RunOptions options)
{
    RunResult result;
    if (auto missing = kernelWithoutNftables()) {
        result.error = *missing;
        return result;
    }
    const NftApi* nft = nftApi(result.error);
    if (nft == nullptr) {
        return result;
    }
    nft_ctx* ctx = nft->ctxNew(NFT_CTX_DEFAULT);
    if (!ctx) {
        result.error = "cannot create a libnftables context";
        return result;
    }
    unsigned flags = 0;
    if (options.json) {
        flags |= NFT_CTX_OUTPUT_JSON;
    }
    if (options.handles) {
        flags |= NFT_CTX_OUTPUT_HANDLE;
    }
    nft->ctxOutputSetFlags(ctx, flags);
    nft->ctxSetDryRun(ctx, options.dryRun);
    nft->ctxBufferOutput(ctx);
    nft->ctxBufferError(ctx);
    const std::string buffer(script);
    const int rc = nft->runCmdFromBuffer(ctx, buffer.c_str());
    if (const char* out = nft->ctxGetOutputBuffer(ctx)) {
        result.output = out;
    }
    if (const char* err = nft->ctxGetErrorBuffer(ctx)) {
        result.error = err;
    }
    result.ok = rc == 0;
    if (!result.ok && result.error.empty()) {
        result.error = "nft failed without a message";
    }
    nft->ctxFree(ctx);
    return result;
}

namespace {

/// stdout of @p argv, or nullopt when it could not be run or failed.
std::optional<std::string> capture(const std::vector<std::string>& argv)
{
    if (::access(argv.front().c_str(), X_OK) != 0) {
        return std::nullopt;
    }
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) {
        return std::nullopt;
    }
    const pid_t pid = ::fork();
    if (pid < 0) {
        ::close(fds[0]);
        ::close(fds[1]);
        return std::nullopt;
    }
    if (pid == 0) {
        ::dup2(fds[1], 1);
        std::vector<char*> args;
        for (const auto& a : argv) {
            args.push_back(const_cast<char*>(a.c_str()));
        }
        args.push_back(nullptr);
        ::execv(args[0], args.data());
        ::_exit(127);
    }
    ::close(fds[1]);
    std::string out;
    std::array<char, 4096> buf{};
    ssize_t n = 0;
    while ((n = ::read(fds[0], buf.data(), buf.size())) > 0 || (n < 0 && errno == EINTR)) {
        if (n > 0) {
            out.append(buf.data(), static_cast<std::size_t>(n));
        }
    }
    ::close(fds[0]);
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        return std::nullopt;
    }
    return out;
}

/// The listing as `nft list ruleset` prints it: the -a listing without its "# handle N" comments
/// (one netlink dump less; on a large ruleset each costs seconds).
std::string withoutHandles(const std::string& listing)
{
    std::string out;
    out.reserve(listing.size());
    std::size_t start = 0;
    while (start < listing.size()) {
        auto nl = listing.find('\n', start);
        if (nl == std::string::npos) {
            nl = listing.size();
        }
        std::string_view line(listing.data() + start, nl - start);
        if (const auto h = line.rfind(" # handle "); h != std::string_view::npos) {
            line = line.substr(0, h);
        }
        out.append(line);
        out += '\n';
        start = nl + 1;
    }
    return out;
}

/// The file's text, "" when it cannot be read (the parsers then report nothing found).
std::string readFile(const char* path)
{
    auto text = agent::files::readFile(path, std::size_t{64} << 20U);
    return text ? std::move(*text) : std::string();
}

} // namespace

std::vector<std::string> establishedPeers(std::uint16_t port)
{
    std::vector<std::string> peers;
    for (const auto& [path, af] : {std::pair{"/proc/net/tcp", 4}, std::pair{"/proc/net/tcp6", 6}}) {
        auto table = parseProcNetTcp(readFile(path), af);
        if (!table) {
            continue;
        }
        for (const auto& s : table->sockets) {
            if (s.state == static_cast<int>(TcpState::Established) && s.localPort == port) {
                std::string addr = s.remoteAddress;
                if (addr.rfind("::ffff:", 0) == 0) {
                    addr = addr.substr(7);
                }
                if (std::find(peers.begin(), peers.end(), addr) == peers.end()) {
                    peers.push_back(addr);
                }
            }
        }
    }
    return peers;
}

void addHostFacts(proto::fw::Ruleset& ruleset)
{
    std::string legacy;
    for (const char* tool : {"/usr/sbin/iptables-legacy-save", "/usr/sbin/ip6tables-legacy-save"}) {
        if (auto out = capture({tool})) {
            if (legacyInUse(*out)) {
                legacy += *out;
            }
        }
    }
    ruleset.legacy = {};
    if (!legacy.empty()) {
        ruleset.legacy.present = true;
        ruleset.legacy.saveText = legacy;
        ruleset.legacy.note =
            "iptables-legacy rules are active: nft does not see them and HaDeck shows them read-only; "
            "they are evaluated after nft's hooks at the same priority and can still drop packets nft accepts";
    }
    ruleset.sshPeers = establishedPeers(22);
    ruleset.interfaces = interfaces();
    ruleset.defaultInterface = defaultRouteInterface(readFile("/proc/net/route"));
}

std::vector<proto::fw::Interface> interfaces()
{
    std::vector<proto::fw::Interface> out;
    ifaddrs* list = nullptr;
    if (::getifaddrs(&list) != 0) {
        return out;
    }
    const auto prefixLen = [](const unsigned char* mask, std::size_t n) {
        int len = 0;
        for (std::size_t i = 0; i < n; ++i) {
            for (int b = 7; b >= 0; --b) {
                len += (mask[i] >> b) & 1;
            }
        }
        return len;
    };
    for (const ifaddrs* a = list; a != nullptr; a = a->ifa_next) {
        if (a->ifa_addr == nullptr || a->ifa_name == nullptr) {
            continue;
        }
        const int af = a->ifa_addr->sa_family;
        if (af != AF_INET && af != AF_INET6) {
            continue;
        }
        char text[INET6_ADDRSTRLEN] = {};
        int len = 0;
        if (af == AF_INET) {
            const auto* in = reinterpret_cast<const sockaddr_in*>(a->ifa_addr);
            ::inet_ntop(AF_INET, &in->sin_addr, text, sizeof text);
            if (a->ifa_netmask != nullptr) {
                const auto* m = reinterpret_cast<const sockaddr_in*>(a->ifa_netmask);
                len = prefixLen(reinterpret_cast<const unsigned char*>(&m->sin_addr), 4);
            }
        } else {
            const auto* in6 = reinterpret_cast<const sockaddr_in6*>(a->ifa_addr);
            ::inet_ntop(AF_INET6, &in6->sin6_addr, text, sizeof text);
            if (a->ifa_netmask != nullptr) {
                const auto* m = reinterpret_cast<const sockaddr_in6*>(a->ifa_netmask);
                len = prefixLen(reinterpret_cast<const unsigned char*>(&m->sin6_addr), 16);
            }
        }
        auto it = std::find_if(out.begin(), out.end(), [&](const auto& i) { return i.name == a->ifa_name; });
        if (it == out.end()) {
            out.push_back(proto::fw::Interface{a->ifa_name, {}});
            it = std::prev(out.end());
        }
        it->addresses.push_back(std::string(text) + "/" + std::to_string(len));
    }
    ::freeifaddrs(list);
    return out;
}

Expected<Snapshot> readSnapshot(bool withHostFacts)
{
    Snapshot snap;
    const RunResult json = run("list ruleset", {.json = true, .handles = true});
    if (!json.ok) {
        return fail("nft list ruleset (JSON): " + json.error);
    }
    const RunResult text = run("list ruleset", {.handles = true});
    if (!text.ok) {
        return fail("nft -a list ruleset: " + text.error);
    }
    // libnftables prints its iptables-nft warnings on the error stream.
    auto parsed = parseRuleset(json.output, text.error + "\n" + text.output);
    if (!parsed) {
        return fail(parsed.error().message);
    }
    snap.ruleset = std::move(*parsed);
    snap.listing = text.output;
    snap.restorable = withoutHandles(text.output);
    if (withHostFacts) {
        addHostFacts(snap.ruleset);
    }
    return snap;
}

} // namespace hadeck::probes::nft

namespace hadeck::probes::nft {

namespace {

struct Child {
    int status = -1;
    bool timedOut = false;
    std::string out;
    std::string err;
};

constexpr int kChildTimeoutMs = 30000;
constexpr std::size_t kChildOutputMax = 64U << 20; // a listing of a very large ruleset fits

/// Runs @p argv with @p input on stdin; collects stdout and stderr (both at once, so neither
/// pipe can fill while the other is read). The child leads a process group of its own, which is
/// killed after kChildTimeoutMs.
std::optional<Child> runWithInput(const std::vector<std::string>& argv, const std::string& input)
{
    int in[2];
    int out[2];
    int err[2];
    if (::pipe2(in, O_CLOEXEC) != 0) {
        return std::nullopt;
    }
    if (::pipe2(out, O_CLOEXEC) != 0) {
        ::close(in[0]);
        ::close(in[1]);
        return std::nullopt;
    }
    if (::pipe2(err, O_CLOEXEC) != 0) {
        for (int fd : {in[0], in[1], out[0], out[1]}) {
            ::close(fd);
        }
        return std::nullopt;
    }
    std::vector<char*> args;
    for (const auto& a : argv) {
        args.push_back(const_cast<char*>(a.c_str()));
    }
    args.push_back(nullptr);
    const pid_t pid = ::fork();
    if (pid == 0) {
        ::setpgid(0, 0);
        ::dup2(in[0], 0);
        ::dup2(out[1], 1);
        ::dup2(err[1], 2);
        ::execv(args[0], args.data());
        ::_exit(127);
    }
    ::close(in[0]);
    ::close(out[1]);
    ::close(err[1]);
    if (pid < 0) {
        for (int fd : {in[1], out[0], err[0]}) {
            ::close(fd);
        }
        return std::nullopt;
    }
    ::fcntl(in[1], F_SETFL, O_NONBLOCK);
    Child c;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(kChildTimeoutMs);
    std::array<pollfd, 3> fds{pollfd{in[1], POLLOUT, 0}, pollfd{out[0], POLLIN, 0}, pollfd{err[0], POLLIN, 0}};
    std::size_t done = 0;
    if (input.empty()) {
        ::close(in[1]);
        fds[0].fd = -1;
    }
    std::array<char, 8192> buf{};
    while (fds[0].fd >= 0 || fds[1].fd >= 0 || fds[2].fd >= 0) {
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        const int n = left.count() > 0 ? ::poll(fds.data(), fds.size(), static_cast<int>(left.count())) : 0;
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            c.timedOut = true;
            break;
        }
        if (fds[0].fd >= 0 && fds[0].revents != 0) {
            const ssize_t w = ::write(in[1], input.data() + done, input.size() - done);
            if (w > 0) {
                done += static_cast<std::size_t>(w);
            }
            if ((w < 0 && errno != EINTR && errno != EAGAIN) || done == input.size()) {
                ::close(in[1]); // written, or the child stopped reading: it will say why
                fds[0].fd = -1;
            }
        }
        for (auto [slot, target] : {std::pair{1, &c.out}, std::pair{2, &c.err}}) {
            auto& p = fds[static_cast<std::size_t>(slot)];
            if (p.fd < 0 || p.revents == 0) {
                continue;
            }
            const ssize_t got = ::read(p.fd, buf.data(), buf.size());
            if (got < 0 && errno == EINTR) {
                continue;
            }
            if (got <= 0) {
                ::close(p.fd);
                p.fd = -1;
            } else if (target->size() < kChildOutputMax) {
                target->append(buf.data(), static_cast<std::size_t>(got));
            }
        }
    }
    for (const auto& p : fds) {
        if (p.fd >= 0) {
            ::close(p.fd);
        }
    }
    if (c.timedOut) {
        ::kill(-pid, SIGKILL); // the shell and the nft it started
        ::kill(pid, SIGKILL);  // in case it had not made its group yet
    }
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    c.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return c;
}

constexpr std::string_view kSeparator = "\n--- hadeck listing ---\n";

} // namespace

Expected<Snapshot> preview(const std::string& restorable, const std::string& script)
{
    const char* unshare = ::access("/usr/bin/unshare", X_OK) == 0 ? "/usr/bin/unshare" : "/bin/unshare";
    const std::string sh = "nft -f - && nft -j list ruleset && printf '" + std::string("\\n--- hadeck listing ---\\n") +
                           "' && nft -a list ruleset";
    auto child = runWithInput({unshare, "--net", "--", "/bin/sh", "-c", sh},
                              "flush ruleset\n" + restorable + "\n" + script);
    if (!child) {
        return fail("cannot run unshare for the preview");
    }
    if (child->timedOut) {
        return fail("the preview did not finish within " + std::to_string(kChildTimeoutMs / 1000) + " s");
    }
    if (child->status != 0) {
        return fail(child->err.empty() ? "the preview failed (exit " + std::to_string(child->status) + ")" : child->err);
    }
    const auto sep = child->out.find(kSeparator);
    if (sep == std::string::npos) {
        return fail("the preview printed no listing");
    }
    Snapshot snap;
    snap.listing = child->out.substr(sep + kSeparator.size());
    auto rs = parseRuleset(std::string_view(child->out).substr(0, sep), child->err + "\n" + snap.listing);
    if (!rs) {
        return fail(rs.error().message);
    }
    snap.ruleset = std::move(*rs);
    return snap;
}

// libnftables exits the process when it cannot open its netlink socket: whether this
// kernel has nfnetlink is asked once, with a socket of our own.
std::optional<std::string> kernelWithoutNftables()
{
    static const std::optional<std::string> missing = netfilterNetlinkMissing();
    return missing;
}

} // namespace hadeck::probes::nft
