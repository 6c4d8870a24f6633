#include "agenttestutil.h"

#include "processutil.h"

#include <QDateTime>
#include <QDir>
#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QFile>
#include <QProcessEnvironment>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <arpa/inet.h>
#include <dirent.h>
#include <fcntl.h>
#include <grp.h>
#include <netinet/in.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <linux/capability.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

namespace hadeck::test {

namespace {

sockaddr_un unixAddress(const QString& path)
{
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    const QByteArray p = QFile::encodeName(path);
    std::memcpy(addr.sun_path, p.constData(), std::min<std::size_t>(p.size(), sizeof addr.sun_path - 1));
    return addr;
}

} // namespace

// ----------------------------------------------------------------- LineClient

LineClient::~LineClient()
{
    if (m_fd >= 0) {
        ::close(m_fd);
    }
}

LineClient::LineClient(LineClient&& o) noexcept
    : m_fd(std::exchange(o.m_fd, -1)), m_errno(o.m_errno), m_nextId(o.m_nextId), m_buffer(std::move(o.m_buffer))
{
}

LineClient& LineClient::operator=(LineClient&& o) noexcept
{
    if (this != &o) {
        if (m_fd >= 0) {
            ::close(m_fd);
        }
        m_fd = std::exchange(o.m_fd, -1);
        m_errno = o.m_errno;
        m_nextId = o.m_nextId;
        m_buffer = std::move(o.m_buffer);
    }
    return *this;
}

LineClient LineClient::connectTo(const QString& socketPath)
{
    const sockaddr_un addr = unixAddress(socketPath);
    const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (::connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) < 0) {
        LineClient failed;
        failed.m_errno = errno;
        ::close(fd);
        return failed;
    }
    return LineClient(fd);
}

LineClient LineClient::connectAs(const QString& socketPath, const std::string& user)
{
    LineClient failed;
    failed.m_errno = EINVAL;
    passwd* pw = ::getpwnam(user.c_str());
    if (pw == nullptr) {
        return failed;
    }
    const uid_t uid = pw->pw_uid;
    const gid_t gid = pw->pw_gid;
    int count = 64;
    std::vector<gid_t> groups(64);
    if (::getgrouplist(user.c_str(), gid, groups.data(), &count) < 0) {
        return failed;
    }
    groups.resize(static_cast<std::size_t>(count));
    return connectAsIds(socketPath, uid, gid, groups);
}

LineClient LineClient::connectAsIds(const QString& socketPath, uid_t uid, gid_t gid, const std::vector<gid_t>& groups)
{
    LineClient failed;
    failed.m_errno = EINVAL;
    // Everything that may allocate happens before fork(): the child only makes
    // async-signal-safe calls.
    const std::size_t count = groups.size();
    const sockaddr_un addr = unixAddress(socketPath);
    int pair[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) < 0) {
        return failed;
    }
    const pid_t child = ::fork();
    if (child == 0) {
        ::close(pair[0]);
        int result = 0;
        int fd = -1;
        if (::setgroups(count, groups.data()) < 0 || ::setgid(gid) < 0 || ::setuid(uid) < 0) {
            result = errno;
        } else {
            fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
            if (::connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) < 0) {
                result = errno;
            }
        }
        // Pass the connected fd back; SO_PEERCRED was fixed at connect().
        msghdr msg{};
        iovec iov{&result, sizeof result};
        msg.msg_iov = &iov;
        msg.msg_iovlen = 1;
        alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))] = {};
        if (result == 0) {
            msg.msg_control = control;
            msg.msg_controllen = sizeof control;
            cmsghdr* c = CMSG_FIRSTHDR(&msg);
            c->cmsg_level = SOL_SOCKET;
            c->cmsg_type = SCM_RIGHTS;
            c->cmsg_len = CMSG_LEN(sizeof(int));
            std::memcpy(CMSG_DATA(c), &fd, sizeof fd);
        }
        ::sendmsg(pair[1], &msg, 0);
        ::_exit(0);
    }
    ::close(pair[1]);
    int result = EIO;
    msghdr msg{};
    iovec iov{&result, sizeof result};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))] = {};
    msg.msg_control = control;
    msg.msg_controllen = sizeof control;
    const ssize_t n = ::recvmsg(pair[0], &msg, MSG_CMSG_CLOEXEC);
    ::close(pair[0]);
    int status = 0;
    ::waitpid(child, &status, 0);
    if (n != sizeof result || result != 0) {
        failed.m_errno = n == sizeof result ? result : EIO;
        return failed;
    }
    cmsghdr* c = CMSG_FIRSTHDR(&msg);
    if (c == nullptr || c->cmsg_type != SCM_RIGHTS) {
        return failed;
    }
    int fd = -1;
    std::memcpy(&fd, CMSG_DATA(c), sizeof fd);
    return LineClient(fd);
}

bool LineClient::sendRaw(const QByteArray& bytes)
{
    const char* p = bytes.constData();
    std::size_t left = static_cast<std::size_t>(bytes.size());
    while (left > 0) {
        const ssize_t n = ::send(m_fd, p, left, MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            return false;
        }
        p += n;
        left -= static_cast<std::size_t>(n);
    }
    return true;
}

std::optional<std::string> LineClient::readLineContaining(std::string_view needle, int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    while (!deadline.hasExpired()) {
        auto line = readLine(static_cast<int>(std::max<qint64>(1, deadline.remainingTime())));
        if (!line) {
            return std::nullopt; // closed, or nothing more within the time left
        }
        if (line->find(needle) != std::string::npos) {
            return line;
        }
    }
    return std::nullopt;
}

std::optional<std::string> LineClient::readLine(int timeoutMs)
{
    QElapsedTimer timer;
    timer.start();
    for (;;) {
        if (const auto nl = m_buffer.find('\n'); nl != std::string::npos) {
            std::string line = m_buffer.substr(0, nl);
            m_buffer.erase(0, nl + 1);
            return line;
        }
        const int left = timeoutMs - static_cast<int>(timer.elapsed());
        if (left <= 0) {
            return std::nullopt;
        }
        pollfd p{m_fd, POLLIN, 0};
        if (::poll(&p, 1, left) <= 0) {
            continue;
        }
        char buf[65536];
        const ssize_t n = ::recv(m_fd, buf, sizeof buf, 0);
        if (n <= 0) {
            return std::nullopt;
        }
        m_buffer.append(buf, static_cast<std::size_t>(n));
    }
}

bool LineClient::waitClosed(int timeoutMs)
{
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < timeoutMs) {
        pollfd p{m_fd, POLLIN, 0};
        if (::poll(&p, 1, 100) <= 0) {
            continue;
        }
        char buf[65536];
        const ssize_t n = ::recv(m_fd, buf, sizeof buf, 0);
        if (n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN)) {
            return true;
        }
    }
    return false;
}

std::optional<Json> LineClient::call(const std::string& method, const Json& params, int timeoutMs)
{
    const int id = m_nextId++;
    Json request{{"jsonrpc", "2.0"}, {"id", id}, {"method", method}};
    if (!params.is_null()) {
        request["params"] = params;
    }
    if (!sendLine(request.dump())) {
        return std::nullopt;
    }
    for (;;) {
        auto line = readLine(timeoutMs);
        if (!line) {
            return std::nullopt;
        }
        Json j = Json::parse(*line, nullptr, false);
        if (j.is_object() && j.contains("id") && j["id"] == id) {
            return j;
        }
    }
}

// ---------------------------------------------------------------- test users

TrickleServer::TrickleServer()
{
    m_fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(m_fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
    socklen_t len = sizeof a;
    ::getsockname(m_fd, reinterpret_cast<sockaddr*>(&a), &len);
    m_port = ntohs(a.sin_port);
    ::listen(m_fd, 16);
    m_thread = std::thread([this] {
        std::vector<int> clients;
        while (!m_stop) {
            pollfd p{m_fd, POLLIN, 0};
            if (::poll(&p, 1, 100) > 0) {
                clients.push_back(::accept(m_fd, nullptr, nullptr));
            }
            for (const int c : clients) {
                (void)::send(c, "H", 1, MSG_NOSIGNAL | MSG_DONTWAIT);
            }
        }
        for (const int c : clients) {
            ::close(c);
        }
    });
}

TrickleServer::~TrickleServer()
{
    m_stop = true;
    m_thread.join();
    ::close(m_fd);
}

QString errorMessage(const std::optional<Json>& response)
{
    if (!response || !response->contains("error")) {
        return {};
    }
    return QString::fromStdString((*response)["error"].value("message", std::string()));
}

int errorCode(const std::optional<Json>& response)
{
    if (!response || !response->contains("error")) {
        return 0;
    }
    return (*response)["error"].value("code", 0);
}

int openFds(pid_t pid)
{
    int n = 0;
    if (DIR* d = ::opendir(QStringLiteral("/proc/%1/fd").arg(pid).toLocal8Bit().constData())) {
        while (const dirent* e = ::readdir(d)) {
            n += e->d_name[0] != '.' ? 1 : 0;
        }
        ::closedir(d);
    }
    return n;
}

namespace {

/// What follows @p key on the first line of /proc/PID/@p file that starts with it; nullopt when
/// the file cannot be read or has no such line.
std::optional<QByteArray> procLine(pid_t pid, const char* file, const QByteArray& key)
{
    QFile f(QStringLiteral("/proc/%1/%2").arg(pid).arg(QLatin1String(file)));
    if (!f.open(QIODevice::ReadOnly)) {
        return std::nullopt;
    }
    for (const QByteArray& line : f.readAll().split('\n')) {
        if (line.startsWith(key)) {
            return line.mid(key.size()).simplified();
        }
    }
    return std::nullopt;
}

} // namespace

long rssKiBOf(pid_t pid)
{
    // "VmRSS:	   10548 kB"
    const auto v = procLine(pid, "status", "VmRSS:");
    return v ? v->split(' ').first().toLong() : -1;
}

long softFdLimitOf(pid_t pid)
{
    // "Max open files            1024                 524288               files"
    const auto v = procLine(pid, "limits", "Max open files");
    bool ok = false;
    const long soft = v ? v->split(' ').first().toLong(&ok) : -1;
    return ok ? soft : -1;
}

pid_t peerPid(int fd)
{
    ucred cred{};
    socklen_t len = sizeof cred;
    return ::getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) == 0 ? cred.pid : -1;
}

bool testUsersReady(QString* why)
{
    if (::geteuid() != 0) {
        *why = QStringLiteral("not root: cannot create the test users hadeck-t-* or connect as them");
        return false;
    }
    return ensureTestUsers(why);
}

bool ensureTestUsers(QString* error)
{
    if (!ensureSystemGroups(
            {QStringLiteral("hadeck"), QStringLiteral("hadeck-operator"), QStringLiteral("hadeck-admin")}, error)) {
        return false;
    }
    const std::pair<const char*, const char*> users[] = {
        // Operators and admins are in "hadeck" too: the socket itself is group hadeck, mode 0660.
        {"hadeck-t-read", "hadeck"},
        {"hadeck-t-op", "hadeck,hadeck-operator"},
        {"hadeck-t-admin", "hadeck,hadeck-admin"},
        {"hadeck-t-none", ""}};
    for (const auto& [user, groups] : users) {
        if (!ensureSystemUser(QString::fromLatin1(user), QString::fromLatin1(groups),
                              QStringLiteral("/usr/sbin/nologin"), error)) {
            return false;
        }
    }
    return true;
}

// -------------------------------------------------------------- AgentProcess

AgentProcess::AgentProcess(const QString& socketPath)
    : m_socket(socketPath.isEmpty() ? m_dir.path() + QStringLiteral("/agent.sock") : socketPath)
{
    // Other users must reach the socket inside.
    ::chmod(QFile::encodeName(m_dir.path()).constData(), 0755);
    m_notifyFd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    const sockaddr_un addr = unixAddress(m_dir.path() + QStringLiteral("/notify.sock"));
    ::bind(m_notifyFd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr);
    m_process.setProgram(binary());
    m_process.setArguments({QStringLiteral("--foreground"), QStringLiteral("--config"), configPath()});
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("NOTIFY_SOCKET"), m_dir.path() + QStringLiteral("/notify.sock"));
    m_process.setProcessEnvironment(env);
    // A file, not a pipe: a pipe nobody drains would block the agent's logging.
    m_process.setStandardErrorFile(m_dir.path() + QStringLiteral("/agent.stderr"), QIODevice::Append);
    if (!socketPath.isEmpty()) {
        writeConfig();
    }
}

AgentProcess::~AgentProcess()
{
    if (m_process.state() != QProcess::NotRunning) {
        m_process.kill();
        m_process.waitForFinished(5000);
    }
    if (m_notifyFd >= 0) {
        ::close(m_notifyFd);
    }
}

QString AgentProcess::binary()
{
    // HADECK_TEST_AGENT_BIN runs another build of the agent (e.g. one with sanitizers) under these tests.
    const QByteArray other = qgetenv("HADECK_TEST_AGENT_BIN");
    return other.isEmpty() ? QStringLiteral(HADECK_AGENT_BIN) : QString::fromLocal8Bit(other);
}

void AgentProcess::writeConfig(const QString& extraToml, const QString& socketTable)
{
    QFile f(configPath());
    f.open(QIODevice::WriteOnly | QIODevice::Truncate);
    const QString text = QStringLiteral("[socket]\npath = \"%1\"\n%2\n[state]\ndir = \"%3/state\"\n\n%4\n")
                             .arg(socketPath(), socketTable, m_dir.path(), extraToml);
    f.write(text.toUtf8());
}

void AgentProcess::setFdLimit(unsigned long limit, unsigned long hard)
{
    m_fdSoft = static_cast<rlim_t>(limit);
    m_fdHard = static_cast<rlim_t>(hard == 0 ? limit : hard);
}

void AgentProcess::setCredentials(std::vector<int> capabilities, std::vector<gid_t> groups)
{
    m_credentials = true;
    m_capabilities = std::move(capabilities);
    m_groups = std::move(groups);
}

bool AgentProcess::start(QString* error)
{
    QString ignored;
    if (error == nullptr) {
        error = &ignored;
    }
    stop();
    // A READY=1 left from an earlier run must not pass for this one's.
    char stale[4096];
    while (::recv(m_notifyFd, stale, sizeof stale, 0) > 0) {
    }
    // In the child between fork and exec: system calls only.
    int lastCap = 40;
    if (QFile f(QStringLiteral("/proc/sys/kernel/cap_last_cap")); f.open(QIODevice::ReadOnly)) {
        lastCap = f.readAll().trimmed().toInt();
    }
    m_process.setChildProcessModifier([soft = m_fdSoft, hard = m_fdHard, credentials = m_credentials,
                                       caps = m_capabilities, groups = m_groups, lastCap] {
        if (soft != 0) {
            const rlimit lim{soft, hard};
            if (::setrlimit(RLIMIT_NOFILE, &lim) != 0) {
                ::_exit(127);
            }
        }
        if (credentials) {
            // As systemd starts a unit: this bounding set, no inheritable or ambient capability
            // (uid 0's exec keeps bounding | inheritable), these supplementary groups.
            for (int c = 0; c <= lastCap; ++c) {
                if (std::find(caps.begin(), caps.end(), c) == caps.end() && ::prctl(PR_CAPBSET_DROP, c, 0, 0, 0) != 0) {
                    ::_exit(127);
                }
            }
            __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
            __user_cap_data_struct data[2]{};
            if (::syscall(SYS_capget, &header, data) != 0) {
                ::_exit(127);
            }
            data[0].inheritable = 0;
            data[1].inheritable = 0;
            if (::syscall(SYS_capset, &header, data) != 0 ||
                ::prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) != 0 ||
                ::setgroups(groups.size(), groups.data()) != 0) {
                ::_exit(127);
            }
        }
    });
    m_process.start();
    if (!m_process.waitForStarted(10000)) {
        *error = QStringLiteral("cannot start %1: %2").arg(binary(), m_process.errorString());
        return false;
    }
    if (!waitNotify("READY=1")) {
        m_process.waitForFinished(1000);
        *error = QStringLiteral("no READY=1; stderr: %1").arg(QString::fromUtf8(stderrText()));
        return false;
    }
    return true;
}

void AgentProcess::stop()
{
    if (m_process.state() == QProcess::NotRunning) {
        return;
    }
    if (terminate() == -1 && m_process.state() != QProcess::NotRunning) {
        m_process.kill();
        m_process.waitForFinished(5000);
    }
}

int AgentProcess::runExpectingFailure(QString* stderrText)
{
    m_process.start();
    if (!m_process.waitForFinished(10000)) {
        m_process.kill();
        m_process.waitForFinished(1000);
        return -1;
    }
    *stderrText = QString::fromUtf8(this->stderrText());
    return m_process.exitCode();
}

bool AgentProcess::waitNotify(const QByteArray& key, int timeoutMs)
{
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < timeoutMs) {
        pollfd p{m_notifyFd, POLLIN, 0};
        if (::poll(&p, 1, 50) > 0) {
            char buf[4096];
            const ssize_t n = ::recv(m_notifyFd, buf, sizeof buf, 0);
            if (n > 0 && QByteArray(buf, static_cast<int>(n)).split('\n').contains(key)) {
                return true;
            }
        }
        if (m_process.state() == QProcess::NotRunning) {
            return false;
        }
    }
    return false;
}

int AgentProcess::terminate()
{
    if (m_process.state() == QProcess::NotRunning) {
        return m_process.exitCode();
    }
    ::kill(static_cast<pid_t>(m_process.processId()), SIGTERM);
    if (!m_process.waitForFinished(10000)) {
        return -1;
    }
    return m_process.exitStatus() == QProcess::NormalExit ? m_process.exitCode() : -1;
}

bool AgentProcess::stopCleanly(QString* why)
{
    const int rc = terminate();
    if (rc == 0) {
        return true;
    }
    if (const QString keep = qEnvironmentVariable("HADECK_TEST_AGENT_LOGS"); !keep.isEmpty()) {
        QFile::copy(m_dir.path() + QStringLiteral("/agent.stderr"),
                    keep + QStringLiteral("/agent-%1.stderr").arg(QDateTime::currentMSecsSinceEpoch()));
    }
    if (why != nullptr) {
        *why = QStringLiteral("the agent exited with %1 on SIGTERM; its log ends:\n%2")
                   .arg(rc)
                   .arg(QString::fromUtf8(stderrText().right(6000)));
    }
    return false;
}

pid_t AgentProcess::pid() const { return static_cast<pid_t>(m_process.processId()); }

QByteArray AgentProcess::stderrText()
{
    QFile f(m_dir.path() + QStringLiteral("/agent.stderr"));
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

long AgentProcess::rssKiB() const { return rssKiBOf(pid()); }

} // namespace hadeck::test
