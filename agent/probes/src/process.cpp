#include "hadeck/probes/process.h"

#include "hadeck/agent/files.h"

#include <sys/syscall.h>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <optional>
#include <utility>

extern char** environ; // NOLINT(readability-redundant-declaration)

namespace hadeck::probes {

Expected<ProcessResult> runProcess(const std::vector<std::string>& argv, int timeoutMs)
{
    if (argv.empty()) {
        return fail("no program to run");
    }
    std::array<int, 2> fds{};
    if (pipe2(fds.data(), O_CLOEXEC) != 0) {
        return fail(std::string("pipe: ") + std::strerror(errno));
    }
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
    posix_spawn_file_actions_adddup2(&fa, fds[1], 2);
    std::vector<char*> args;
    args.reserve(argv.size() + 1);
    for (const auto& a : argv) {
        args.push_back(const_cast<char*>(a.c_str())); // NOLINT(cppcoreguidelines-pro-type-const-cast): posix_spawn's API
    }
    args.push_back(nullptr);
    pid_t pid = -1;
    const int rc = posix_spawnp(&pid, args[0], &fa, nullptr, args.data(), environ);
    posix_spawn_file_actions_destroy(&fa);
    close(fds[1]);
    if (rc != 0) {
        close(fds[0]);
        return fail("cannot run " + argv[0] + ": " + std::strerror(rc));
    }
    ProcessResult result;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
    bool timedOut = false;
    std::array<char, 4096> buf{};
    for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) {
            timedOut = true;
            break;
        }
        pollfd p{fds[0], POLLIN, 0};
        const int n = poll(&p, 1, static_cast<int>(left.count()));
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            timedOut = n == 0;
            break;
        }
        const ssize_t got = read(fds[0], buf.data(), buf.size());
        if (got < 0 && errno == EINTR) {
            continue;
        }
        if (got <= 0) {
            break;
        }
        // Bounded: a runaway child cannot make the agent grow without limit.
        if (result.output.size() < (1u << 20)) {
            result.output.append(buf.data(), static_cast<std::size_t>(got));
        }
    }
    close(fds[0]);
    if (timedOut) {
        kill(pid, SIGKILL);
    }
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (timedOut) {
        return fail(argv[0] + " did not finish within " + std::to_string(timeoutMs) + " ms");
    }
    result.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return result;
}

} // namespace hadeck::probes

namespace hadeck::probes {

namespace {

std::string firstLine(const std::string& path)
{
    auto text = agent::files::readFile(path, 4096);
    if (!text) {
        return {};
    }
    return text->substr(0, text->find('\n'));
}

std::string exeBaseName(int pid)
{
    std::array<char, 4096> buf{};
    const std::string link = "/proc/" + std::to_string(pid) + "/exe";
    const ssize_t n = readlink(link.c_str(), buf.data(), buf.size() - 1);
    if (n <= 0) {
        return {};
    }
    std::string exe(buf.data(), static_cast<std::size_t>(n));
    constexpr std::string_view kDeleted = " (deleted)"; // the binary was upgraded under the running daemon
    if (exe.size() > kDeleted.size() && exe.compare(exe.size() - kDeleted.size(), kDeleted.size(), kDeleted) == 0) {
        exe.resize(exe.size() - kDeleted.size());
    }
    const auto slash = exe.rfind('/');
    return slash == std::string::npos ? exe : exe.substr(slash + 1);
}

/// The real and effective uid of @p pid, from /proc/PID/status ("Uid:\treal\teffective\t...").
std::optional<std::pair<long, long>> uidsOf(const std::string& digits)
{
    auto text = agent::files::readFile("/proc/" + digits + "/status", 16384);
    if (!text) {
        return std::nullopt;
    }
    const auto at = text->find("\nUid:");
    if (at == std::string::npos) {
        return std::nullopt;
    }
    long real = -1;
    long effective = -1;
    if (std::sscanf(text->c_str() + at + 5, "%ld %ld", &real, &effective) != 2) {
        return std::nullopt;
    }
    return std::pair{real, effective};
}

} // namespace

Expected<int> signalProcessFromPidFile(const std::string& pidFile, const std::string& expectedName, int signal)
{
    auto text = agent::files::readFile(pidFile, 64);
    if (!text) {
        return fail(text.error().message);
    }
    const std::string digits = text->substr(0, text->find_first_of("\n \t"));
    if (digits.empty() || digits.size() > 9 || digits.find_first_not_of("0123456789") != std::string::npos) {
        return fail(pidFile + " does not hold a process id");
    }
    const int pid = std::stoi(digits);
    if (pid <= 1) {
        return fail(pidFile + " names pid " + digits + ", which is never " + expectedName);
    }
    const int pidfd = static_cast<int>(syscall(SYS_pidfd_open, pid, 0));
    if (pidfd < 0) {
        return fail("pid " + digits + " from " + pidFile + " is not running (stale pid file)");
    }
    const std::string comm = firstLine("/proc/" + digits + "/comm");
    const bool matches = comm == expectedName || exeBaseName(pid) == expectedName;
    // The daemons the agent signals run as root: a user's process of that name is not it.
    const auto uids = uidsOf(digits);
    const bool root = uids && uids->first == 0 && uids->second == 0;
    // Still the same process as the pidfd's: then the /proc facts above were its own.
    const bool alive = syscall(SYS_pidfd_send_signal, pidfd, 0, nullptr, 0) == 0;
    if (!matches || !alive) {
        close(pidfd);
        return fail("pid " + digits + " from " + pidFile + " is " + (alive ? "\"" + comm + "\"" : "gone") +
                    ", not " + expectedName + " (stale pid file); nothing signalled");
    }
    if (!root) {
        close(pidfd);
        return fail("pid " + digits + " from " + pidFile + " is a \"" + comm + "\" not run by root (uid " +
                    (uids ? std::to_string(uids->first) : std::string("unknown")) + "), so not " + expectedName +
                    " (stale pid file); nothing signalled");
    }
    const int rc = static_cast<int>(syscall(SYS_pidfd_send_signal, pidfd, signal, nullptr, 0));
    const int err = errno;
    close(pidfd);
    if (rc != 0) {
        return fail("cannot signal " + expectedName + " (pid " + digits + "): " + std::strerror(err));
    }
    return pid;
}

} // namespace hadeck::probes
