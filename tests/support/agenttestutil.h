#pragma once

/// Speed and memory bounds do not hold under ASan/UBSan (several times slower, shadow
/// memory): such a test function skips there; the normal build checks it.
#ifdef HADECK_SANITIZED
#define HADECK_SKIP_BOUNDS_UNDER_SANITIZERS() QSKIP("speed and memory bounds are checked in the normal build")
#else
#define HADECK_SKIP_BOUNDS_UNDER_SANITIZERS() (void)0
#endif

// Helpers for tests that run the real hadeck-agent binary: a blocking line
// client over the unix socket, connecting as another unix user, the test
// users and groups, and an agent process gated on its sd_notify READY=1.

#include "hadeck/protocol/jsonrpc.h"
#include "hadeck/protocol/method.h"

#include <QByteArray>
#include <QProcess>
#include <QString>
#include <QTemporaryDir>

#include <atomic>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <sys/resource.h>
#include <sys/types.h>

namespace hadeck::test {

using rpc::Json;

/// A blocking client of one agent connection.
class LineClient {
public:
    LineClient() = default;
    explicit LineClient(int fd) : m_fd(fd) {}
    ~LineClient();
    LineClient(LineClient&& o) noexcept;
    LineClient& operator=(LineClient&& o) noexcept;
    LineClient(const LineClient&) = delete;
    LineClient& operator=(const LineClient&) = delete;

    /// Connects as the current user; -errno in error() on failure.
    static LineClient connectTo(const QString& socketPath);
    /// Connects as @p user (the fd is passed back from a child that dropped to that user).
    static LineClient connectAs(const QString& socketPath, const std::string& user);
    /// Connects as @p uid / @p gid with exactly the supplementary @p groups (e.g. none: a
    /// process that dropped its groups).
    static LineClient connectAsIds(const QString& socketPath, uid_t uid, gid_t gid, const std::vector<gid_t>& groups);

    [[nodiscard]] bool valid() const { return m_fd >= 0; }
    [[nodiscard]] int fd() const { return m_fd; }
    [[nodiscard]] int connectErrno() const { return m_errno; }

    bool sendRaw(const QByteArray& bytes);
    bool sendLine(const std::string& line) { return sendRaw(QByteArray::fromStdString(line + "\n")); }
    /// Next line, or nullopt on EOF/timeout.
    std::optional<std::string> readLine(int timeoutMs = 10000);
    /// The next line containing @p needle within @p timeoutMs; the lines before it are skipped.
    std::optional<std::string> readLineContaining(std::string_view needle, int timeoutMs = 15000);
    /// True when the peer closed (EOF) within the timeout, draining what is left.
    bool waitClosed(int timeoutMs = 10000);

    /// Sends a request and returns its response, skipping notifications.
    std::optional<Json> call(const std::string& method, const Json& params = nullptr, int timeoutMs = 10000);
    /// The same for a declared method (protocol/methods.h), named by its declaration.
    template <typename P, typename R>
    std::optional<Json> call(const proto::MethodSpec<P, R>& method, const Json& params = nullptr, int timeoutMs = 10000)
    {
        return call(std::string(method.name), params, timeoutMs);
    }

private:
    int m_fd = -1;
    int m_errno = 0;
    int m_nextId = 1;
    std::string m_buffer;
};

/// A local "status page" on 127.0.0.1 that accepts and then trickles one byte every 100 ms,
/// for ever: what holds an offload worker for a drain.local call as long as its deadline.
class TrickleServer {
public:
    TrickleServer();
    ~TrickleServer();
    TrickleServer(const TrickleServer&) = delete;
    TrickleServer& operator=(const TrickleServer&) = delete;
    [[nodiscard]] int port() const { return m_port; }

private:
    int m_fd = -1;
    int m_port = 0;
    std::atomic<bool> m_stop{false};
    std::thread m_thread;
};

/// The "error" message of a response, empty when it has none.
QString errorMessage(const std::optional<Json>& response);
/// The "error" code of a response, 0 when it has none.
int errorCode(const std::optional<Json>& response);

/// The number of open file descriptors of process @p pid (/proc/PID/fd).
int openFds(pid_t pid);
/// VmRSS of process @p pid (/proc/PID/status), in KiB; -1 when it cannot be read.
long rssKiBOf(pid_t pid);
/// The soft limit on open files of process @p pid (/proc/PID/limits); -1 when it cannot be read.
long softFdLimitOf(pid_t pid);
/// The process at the other end of the connected Unix socket @p fd (SO_PEERCRED); -1 if unknown.
pid_t peerPid(int fd);

/// The test users for tests that connect as them: ready (true) when this process is root
/// and ensureTestUsers() succeeded; otherwise false with the reason in @p why (for QSKIP).
bool testUsersReady(QString* why);

/// Creates the groups hadeck, hadeck-operator, hadeck-admin and the users
/// hadeck-t-read (hadeck), hadeck-t-op (hadeck, hadeck-operator), hadeck-t-admin
/// (hadeck, hadeck-admin) and hadeck-t-none (none of them). Needs root.
bool ensureTestUsers(QString* error);

/// One hadeck-agent process in a temporary directory: its config, state and log live there,
/// and so does its socket unless the test names another path.
class AgentProcess {
public:
    /// @param socketPath where the agent listens (default: agent.sock in the temporary directory).
    /// With a path given, a default agent.toml (that socket, state in the directory) is written at once.
    explicit AgentProcess(const QString& socketPath = QString());
    ~AgentProcess();
    AgentProcess(const AgentProcess&) = delete;
    AgentProcess& operator=(const AgentProcess&) = delete;

    [[nodiscard]] QString dir() const { return m_dir.path(); }
    [[nodiscard]] QString socketPath() const { return m_socket; }
    [[nodiscard]] QString configPath() const { return m_dir.path() + QStringLiteral("/agent.toml"); }
    [[nodiscard]] QString auditPath() const { return m_dir.path() + QStringLiteral("/state/audit.log"); }

    /// Writes agent.toml: the given body after the [socket]/[state] paths of this directory.
    void writeConfig(const QString& extraToml = QString(), const QString& socketTable = QString());
    /// The agent gets RLIMIT_NOFILE soft @p limit and hard @p hard (0: the same as soft), as
    /// under a tight unit or ulimit.
    void setFdLimit(unsigned long limit, unsigned long hard = 0);
    /// The agent runs as root with only @p capabilities in its bounding set (so in effect) and
    /// @p groups as its supplementary groups, as its systemd unit starts it
    /// (CapabilityBoundingSet=, SupplementaryGroups=).
    void setCredentials(std::vector<int> capabilities, std::vector<gid_t> groups);
    /// Starts the agent (again, after stop()) and waits for READY=1 on the notify socket.
    bool start(QString* error = nullptr);
    /// SIGTERM, then SIGKILL if it has not exited within 10 s.
    void stop();
    /// Starts the agent expecting it to fail; returns its exit code and stderr.
    int runExpectingFailure(QString* stderrText);
    /// Waits for the next sd_notify datagram containing @p key (e.g. "READY=1").
    bool waitNotify(const QByteArray& key, int timeoutMs = 10000);
    /// SIGTERM and wait; @return the exit code, or -1 if it did not exit.
    /// SIGTERM and wait: true when the agent exited 0; else @p why names the exit and the log's tail.
    bool stopCleanly(QString* why);
    int terminate();
    [[nodiscard]] pid_t pid() const;
    [[nodiscard]] QByteArray stderrText();
    /// VmRSS from /proc/PID/status, in KiB.
    [[nodiscard]] long rssKiB() const;

    static QString binary();

private:
    QTemporaryDir m_dir;
    QString m_socket;
    QProcess m_process;
    int m_notifyFd = -1;
    // What the child sets up before exec (setFdLimit, setCredentials).
    rlim_t m_fdSoft = 0;
    rlim_t m_fdHard = 0;
    bool m_credentials = false;
    std::vector<int> m_capabilities;
    std::vector<gid_t> m_groups;
};

} // namespace hadeck::test
