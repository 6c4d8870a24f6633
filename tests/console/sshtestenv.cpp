#include "sshtestenv.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QThread>

#include <cerrno>
#include <cstring>

#include <grp.h>
#include <sched.h>
#include <pwd.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

namespace hadeck::test {

QString fingerprintOf(const QString& publicKeyFile)
{
    const QString out = QString::fromUtf8(runProgram(QStringLiteral("ssh-keygen"),
                                                     {QStringLiteral("-l"), QStringLiteral("-E"),
                                                      QStringLiteral("sha256"), QStringLiteral("-f"), publicKeyFile},
                                                     {.mergeChannels = true})
                                              .out);
    const auto fields = out.split(QLatin1Char(' '));
    return fields.size() > 1 ? fields[1] : QString();
}

bool makeKey(const QString& path)
{
    QFile::remove(path);
    QFile::remove(path + QStringLiteral(".pub"));
    return runProgram(QStringLiteral("ssh-keygen"),
                      {QStringLiteral("-q"), QStringLiteral("-t"), QStringLiteral("ed25519"), QStringLiteral("-N"),
                       QString(), QStringLiteral("-C"), QStringLiteral("hadeck-test"), QStringLiteral("-f"), path})
        .ok();
}

quint16 freePort()
{
    QTcpServer s;
    s.listen(QHostAddress::LocalHost, 0);
    return s.serverPort();
}

namespace {
/// Every descendant of @p pid, found through /proc.
QList<qint64> descendants(qint64 pid)
{
    QHash<qint64, QList<qint64>> children;
    const auto entries = QDir(QStringLiteral("/proc")).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const auto& e : entries) {
        bool ok = false;
        const qint64 p = e.toLongLong(&ok);
        if (!ok)
            continue;
        QFile f(QStringLiteral("/proc/%1/stat").arg(p));
        if (!f.open(QIODevice::ReadOnly))
            continue;
        const QByteArray stat = f.readAll();
        const int close = stat.lastIndexOf(')');
        const auto fields = stat.mid(close + 2).split(' ');
        if (fields.size() > 1)
            children[fields[1].toLongLong()].append(p);
    }
    QList<qint64> out;
    QList<qint64> todo{pid};
    while (!todo.isEmpty()) {
        const qint64 p = todo.takeFirst();
        for (qint64 c : children.value(p)) {
            out << c;
            todo << c;
        }
    }
    return out;
}

bool waitForPort(quint16 port, int ms)
{
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < ms) {
        QTcpSocket s;
        s.connectToHost(QHostAddress::LocalHost, port);
        if (s.waitForConnected(200))
            return true;
        QThread::msleep(50);
    }
    return false;
}
} // namespace

Sshd::Sshd()
{
    // Other users (the outsider test) must read authorized_keys and reach sockets here.
    ::chmod(QFile::encodeName(m_dir.path()).constData(), 0755);
    makeKey(m_dir.filePath(QStringLiteral("host_ed25519")));
    makeKey(userKey());
    QFile::copy(userKey() + QStringLiteral(".pub"), m_dir.filePath(QStringLiteral("authorized_keys")));
    QFile::setPermissions(m_dir.filePath(QStringLiteral("authorized_keys")),
                          QFile::ReadOwner | QFile::WriteOwner | QFile::ReadGroup | QFile::ReadOther);
    m_port = freePort();
}

Sshd::~Sshd()
{
    kill();
}

bool Sshd::regenerateHostKey()
{
    return makeKey(m_dir.filePath(QStringLiteral("host_ed25519")));
}

QString Sshd::knownHostsLine() const
{
    QFile f(hostPublicKey());
    f.open(QIODevice::ReadOnly);
    const auto fields = QString::fromUtf8(f.readAll()).trimmed().split(QLatin1Char(' '));
    return QStringLiteral("[127.0.0.1]:%1 %2 %3\n").arg(m_port).arg(fields.value(0), fields.value(1));
}

bool Sshd::start(const SshdOptions& o, QString* error)
{
    kill();
    QDir().mkpath(QStringLiteral("/run/sshd")); // privilege separation directory, needed when root
    const QString config = m_dir.filePath(QStringLiteral("sshd_config"));
    QFile f(config);
    f.open(QIODevice::WriteOnly | QIODevice::Truncate);
    const QString d = m_dir.path();
    f.write(QStringLiteral("Port %1\n"
                           "ListenAddress 127.0.0.1\n"
                           "HostKey %2/host_ed25519\n"
                           "PidFile %2/sshd.pid\n"
                           "AuthorizedKeysFile %2/authorized_keys\n"
                           "StrictModes no\n"
                           "UsePAM no\n"
                           "PasswordAuthentication no\n"
                           "KbdInteractiveAuthentication no\n"
                           "PubkeyAuthentication yes\n"
                           "PermitRootLogin prohibit-password\n"
                           "AllowStreamLocalForwarding %3\n"
                           "AllowTcpForwarding %4\n"
                           "MaxStartups %5\n"
                           "MaxSessions 1000\n"
                           "Subsystem sftp internal-sftp\n"
                           "LogLevel VERBOSE\n")
                .arg(m_port)
                .arg(d)
                .arg(o.allowStreamLocal ? QStringLiteral("yes") : QStringLiteral("no"))
                .arg(o.allowTcpForwarding ? QStringLiteral("yes") : QStringLiteral("no"))
                .arg(o.maxStartups)
                .toUtf8());
    f.close();
    m_process = std::make_unique<QProcess>();
    m_process->setProcessChannelMode(QProcess::MergedChannels);
    m_process->setStandardOutputFile(m_dir.filePath(QStringLiteral("sshd.log")), QIODevice::Append);
    m_process->start(QStringLiteral("/usr/sbin/sshd"),
                     {QStringLiteral("-D"), QStringLiteral("-e"), QStringLiteral("-f"), config});
    if (!m_process->waitForStarted(5000)) {
        if (error)
            *error = QStringLiteral("cannot start /usr/sbin/sshd: %1").arg(m_process->errorString());
        return false;
    }
    m_pid = m_process->processId();
    if (!waitForPort(m_port, 5000)) {
        if (error)
            *error = QStringLiteral("sshd did not listen on port %1: %2").arg(m_port).arg(log());
        return false;
    }
    return true;
}

bool Sshd::isRunning() const
{
    return m_process && m_process->state() == QProcess::Running;
}

void Sshd::kill()
{
    if (!m_process)
        return;
    if (m_pid > 0) {
        for (qint64 c : descendants(m_pid))
            ::kill(static_cast<pid_t>(c), SIGKILL);
    }
    m_process->kill();
    m_process->waitForFinished(5000);
    m_process.reset();
    m_pid = 0;
}

QString Sshd::log() const
{
    QFile f(m_dir.filePath(QStringLiteral("sshd.log")));
    f.open(QIODevice::ReadOnly);
    return QString::fromUtf8(f.readAll());
}

QString fakeAgentBinary() { return QStringLiteral(HADECK_BINARY_DIR "/bin/hadeck-fakeagent"); }

FakeAgent::FakeAgent(QString socket, QStringList args) : m_socket(std::move(socket)), m_args(std::move(args))
{
    // Its complaints go to the test's log; its standard output carries the "ready" line.
    m_process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
}

FakeAgent::~FakeAgent()
{
    if (m_process.state() != QProcess::NotRunning) {
        m_process.terminate();
        if (!m_process.waitForFinished(3000))
            m_process.kill();
        m_process.waitForFinished(3000);
    }
}

bool FakeAgent::start()
{
    m_process.start(fakeAgentBinary(), QStringList{QStringLiteral("--socket"), m_socket} + m_args);
    if (!m_process.waitForStarted(5000))
        return false;
    QByteArray said;
    return QTest::qWaitFor(
        [&] {
            said += m_process.readAllStandardOutput();
            return said.contains("ready") || QFile::exists(m_socket);
        },
        5000);
}

QString FirewallNode::cannotRun()
{
    if (::geteuid() != 0) {
        return QStringLiteral("needs root: a private network namespace, sshd and nftables");
    }
    if (!QFile::exists(QStringLiteral("/usr/sbin/sshd")) || !QFile::exists(hadeckctlBinary())) {
        return QStringLiteral("sshd or hadeckctl missing");
    }
    return {};
}

bool FirewallNode::start(const QString& ruleset, QString* error)
{
    qunsetenv("SSH_AUTH_SOCK"); // the node's own key, not an agent's
    if (::unshare(CLONE_NEWNET) != 0) {
        *error = QStringLiteral("unshare(CLONE_NEWNET): %1").arg(QString::fromLocal8Bit(std::strerror(errno)));
        return false;
    }
    for (const QStringList& cmd : {QStringList{QStringLiteral("ip"), QStringLiteral("link"), QStringLiteral("set"),
                                               QStringLiteral("lo"), QStringLiteral("up")},
                                   QStringList{QStringLiteral("nft"), QStringLiteral("-f"), ruleset}}) {
        const auto r = runProgram(cmd.first(), cmd.mid(1), {.mergeChannels = true});
        if (r.code != 0) {
            *error = cmd.join(QLatin1Char(' ')) + QStringLiteral(": ") + QString::fromUtf8(r.out);
            return false;
        }
    }
    m_sshd = std::make_unique<Sshd>();
    if (!m_sshd->start({}, error)) {
        return false;
    }
    const QString socket = m_dir.filePath(QStringLiteral("agent.sock"));
    m_agent = std::make_unique<Agent>(socket);
    // The persisted ruleset stays in the test's directory, the agent's state in its own.
    m_agent->writeConfig(QStringLiteral("[modules.firewall]\npersist_path = \"%1/nftables.conf\"\n").arg(m_dir.path()) +
                         m_extraConfig);
    if (!m_agent->start(error)) {
        return false;
    }
    QFile kh(m_dir.filePath(QStringLiteral("known_hosts")));
    QFile inv(m_dir.filePath(QStringLiteral("cluster.json")));
    if (!kh.open(QIODevice::WriteOnly) || !inv.open(QIODevice::WriteOnly)) {
        *error = QStringLiteral("cannot write in %1").arg(m_dir.path());
        return false;
    }
    kh.write(m_sshd->knownHostsLine().toUtf8());
    inv.write(
        QStringLiteral(R"({"name":"fw","knownHosts":"%1","nodes":[{"name":"web1","address":"127.0.0.1","port":%2,)"
                       R"("user":"root","key":"%3","jump":"","roles":["realserver"],"socket":"%4"}]})")
            .arg(kh.fileName())
            .arg(m_sshd->port())
            .arg(m_sshd->userKey(), socket)
            .toUtf8());
    m_inventory = inv.fileName();
    return true;
}

void FirewallNode::stop()
{
    m_agent.reset();
    m_sshd.reset();
}

QString hadeckctlBinary()
{
    return QStringLiteral(HADECK_BINARY_DIR "/bin/hadeckctl");
}

bool ensureOutsiderUser(const QString& user, QString* error)
{
    if (!ensureSystemGroups(
            {QStringLiteral("hadeck"), QStringLiteral("hadeck-operator"), QStringLiteral("hadeck-admin")}, error) ||
        !ensureSystemUser(user, QString(), QStringLiteral("/bin/sh"), error)) {
        return false;
    }
    // sshd without PAM refuses locked accounts ("!" in shadow); "*" is unusable for passwords but not locked.
    if (!runProgram(QStringLiteral("usermod"), {QStringLiteral("-p"), QStringLiteral("*"), user}).ok()) {
        *error = QStringLiteral("usermod -p %1 failed").arg(user);
        return false;
    }
    return true;
}

} // namespace hadeck::test
