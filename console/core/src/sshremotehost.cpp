#include "hadeck/console/remotehost.h"

#include "hadeck/console/logging.h"
#include "sftpflags.h"

#include <libssh/libssh.h>
#include <libssh/sftp.h>

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QDir>
#include <QFile>

namespace hadeck::console {

namespace {
// Texts under the catalog context "RemoteHost".
struct RemoteText {
    Q_DECLARE_TR_FUNCTIONS(RemoteHost)
};

constexpr qsizetype kMaxStderr = 64 * 1024;
constexpr qsizetype kMaxStdout = 4 * 1024 * 1024;
constexpr qint64 kChunk = 32 * 1024;

class SshRemoteHost final : public RemoteHost {
public:
    explicit SshRemoteHost(SshRemoteConfig config) : m_cfg(std::move(config)) {}
    ~SshRemoteHost() override { closeSession(); }

    Status open() override;
    RemoteCommandResult run(const QByteArray& command, const QByteArray& input, int timeoutMs) override;
    Status upload(const QString& localPath, const QString& remotePath,
                  const std::function<bool(qint64, qint64)>& progress) override;
    [[nodiscard]] QString user() const override { return m_cfg.endpoint.user; }

private:
    [[nodiscard]] QString label() const
    {
        return QStringLiteral("%1@%2:%3").arg(m_cfg.endpoint.user, m_cfg.endpoint.host).arg(m_cfg.endpoint.port);
    }
    [[nodiscard]] QString lastError() const
    {
        return m_session ? QString::fromUtf8(ssh_get_error(m_session)) : QString();
    }
    Status failed(const QString& message)
    {
        closeSession();
        return fail(message.toStdString());
    }
    Status authenticate();
    void closeSession()
    {
        if (m_session) {
            ssh_disconnect(m_session);
            ssh_free(m_session);
            m_session = nullptr;
        }
    }

    SshRemoteConfig m_cfg;
    ssh_session m_session = nullptr;
};

Status SshRemoteHost::open()
{
    closeSession();
    m_session = ssh_new();
    if (!m_session)
        return fail(RemoteText::tr("cannot create an SSH session").toStdString());
    const auto& ep = m_cfg.endpoint;
    const QByteArray host = ep.host.toUtf8();
    const QByteArray user = ep.user.toUtf8();
    const unsigned int port = ep.port;
    const long timeoutSec = std::max(1, m_cfg.connectTimeoutMs / 1000);
    const QString kh =
        m_cfg.knownHostsFile.isEmpty() ? QDir::homePath() + QStringLiteral("/.ssh/known_hosts") : m_cfg.knownHostsFile;
    ssh_options_set(m_session, SSH_OPTIONS_HOST, host.constData());
    ssh_options_set(m_session, SSH_OPTIONS_PORT, &port);
    if (!user.isEmpty())
        ssh_options_set(m_session, SSH_OPTIONS_USER, user.constData());
    ssh_options_set(m_session, SSH_OPTIONS_TIMEOUT, &timeoutSec);
    ssh_options_set(m_session, SSH_OPTIONS_KNOWNHOSTS, QFile::encodeName(kh).constData());
    // Only what the inventory says: no ~/.ssh/config, as for the agent's connection.
    const bool noConfig = false;
    ssh_options_set(m_session, SSH_OPTIONS_PROCESS_CONFIG, &noConfig);
    if (ssh_connect(m_session) != SSH_OK)
        return failed(RemoteText::tr("cannot connect to %1: %2").arg(label(), lastError()));
    // The host key must be known already: deployment never accepts a key on its own.
    const enum ssh_known_hosts_e known = ssh_session_is_known_server(m_session);
    if (known != SSH_KNOWN_HOSTS_OK) {
        if (known == SSH_KNOWN_HOSTS_CHANGED || known == SSH_KNOWN_HOSTS_OTHER)
            return failed(
                RemoteText::tr("HOST KEY MISMATCH for %1 (%2 records another key): not deploying").arg(label(), kh));
        return failed(RemoteText::tr("the host key of %1 is not in %2: connect to the node once and accept its key, "
                                     "then deploy")
                          .arg(label(), kh));
    }
    return authenticate();
}

Status SshRemoteHost::authenticate()
{
    if (m_cfg.useSshAgent && !qEnvironmentVariableIsEmpty("SSH_AUTH_SOCK")) {
        if (ssh_userauth_agent(m_session, nullptr) == SSH_AUTH_SUCCESS)
            return {};
    }
    if (m_cfg.endpoint.keyFile.isEmpty())
        return failed(
            RemoteText::tr("%1 accepted no key from ssh-agent, and the inventory names no key file").arg(label()));
    ssh_key key = nullptr;
    const QByteArray path = QFile::encodeName(m_cfg.endpoint.keyFile);
    if (ssh_pki_import_privkey_file(path.constData(), nullptr, nullptr, nullptr, &key) != SSH_OK) {
        return failed(RemoteText::tr("cannot load the key %1 (an encrypted key must be loaded into ssh-agent for "
                                     "deployment)")
                          .arg(m_cfg.endpoint.keyFile));
    }
    const int rc = ssh_userauth_publickey(m_session, nullptr, key);
    ssh_key_free(key);
    if (rc != SSH_AUTH_SUCCESS)
        return failed(RemoteText::tr("%1 did not accept the key %2").arg(label(), m_cfg.endpoint.keyFile));
    return {};
}

RemoteCommandResult SshRemoteHost::run(const QByteArray& command, const QByteArray& input, int timeoutMs)
{
    RemoteCommandResult r;
    if (!m_session) {
        r.failure = RemoteText::tr("not connected");
        return r;
    }
    ssh_channel ch = ssh_channel_new(m_session);
    if (!ch || ssh_channel_open_session(ch) != SSH_OK || ssh_channel_request_exec(ch, command.constData()) != SSH_OK) {
        r.failure = RemoteText::tr("%1 refused to run a command: %2").arg(label(), lastError());
        if (ch)
            ssh_channel_free(ch);
        return r;
    }
    qsizetype written = 0;
    while (written < input.size()) {
        const int n = ssh_channel_write(ch, input.constData() + written, static_cast<uint32_t>(input.size() - written));
        if (n == SSH_ERROR)
            break;
        written += n;
    }
    ssh_channel_send_eof(ch);
    QDeadlineTimer deadline(timeoutMs);
    char buf[16384];
    bool timedOut = false;
    for (;;) {
        bool any = false;
        for (int isStderr : {0, 1}) {
            const int n = ssh_channel_read_timeout(ch, buf, sizeof buf, isStderr, 100);
            if (n == SSH_ERROR) {
                r.failure = RemoteText::tr("the connection to %1 broke: %2").arg(label(), lastError());
                ssh_channel_free(ch);
                return r;
            }
            if (n > 0) {
                any = true;
                QByteArray& sink = isStderr ? r.err : r.out;
                if (sink.size() < (isStderr ? kMaxStderr : kMaxStdout))
                    sink.append(buf, n);
            }
        }
        if (!any && (ssh_channel_is_eof(ch) || ssh_channel_is_closed(ch)))
            break;
        if (deadline.hasExpired()) {
            timedOut = true;
            break;
        }
    }
    if (timedOut) {
        r.failure = RemoteText::tr("%1: the command did not finish within %2 s").arg(label()).arg(timeoutMs / 1000);
        ssh_channel_close(ch);
        ssh_channel_free(ch);
        return r;
    }
    r.exitStatus = ssh_channel_get_exit_status(ch);
    ssh_channel_close(ch);
    ssh_channel_free(ch);
    return r;
}

Status SshRemoteHost::upload(const QString& localPath, const QString& remotePath,
                             const std::function<bool(qint64, qint64)>& progress)
{
    if (!m_session)
        return fail(RemoteText::tr("not connected").toStdString());
    QFile in(localPath);
    if (!in.open(QIODevice::ReadOnly))
        return fail(RemoteText::tr("cannot read %1: %2").arg(localPath, in.errorString()).toStdString());
    sftp_session sftp = sftp_new(m_session);
    if (!sftp || sftp_init(sftp) != SSH_OK) {
        const QString why = lastError();
        if (sftp)
            sftp_free(sftp);
        return fail(RemoteText::tr("%1 offers no SFTP (is the sftp subsystem enabled in sshd_config?): %2")
                        .arg(label(), why)
                        .toStdString());
    }
    const QByteArray remote = remotePath.toUtf8();
    sftp_file f = sftp_open(sftp, remote.constData(), detail::sftpCreateTruncateFlags(), 0600);
    if (!f) {
        const QString why = lastError();
        sftp_free(sftp);
        return fail(RemoteText::tr("cannot create %1 on %2: %3").arg(remotePath, label(), why).toStdString());
    }
    const qint64 total = in.size();
    qint64 sent = 0;
    QString error;
    while (!in.atEnd()) {
        const QByteArray chunk = in.read(kChunk);
        if (chunk.isEmpty()) {
            error = RemoteText::tr("cannot read %1: %2").arg(localPath, in.errorString());
            break;
        }
        qsizetype off = 0;
        while (off < chunk.size()) {
            const ssize_t n = sftp_write(f, chunk.constData() + off, static_cast<size_t>(chunk.size() - off));
            if (n < 0) {
                error = RemoteText::tr("writing %1 on %2 failed: %3").arg(remotePath, label(), lastError());
                break;
            }
            off += n;
        }
        if (!error.isEmpty())
            break;
        sent += chunk.size();
        if (progress && !progress(sent, total)) {
            error = RemoteText::tr("cancelled");
            break;
        }
    }
    if (sftp_close(f) != SSH_NO_ERROR && error.isEmpty())
        error = RemoteText::tr("closing %1 on %2 failed: %3").arg(remotePath, label(), lastError());
    sftp_free(sftp);
    if (!error.isEmpty())
        return fail(error.toStdString());
    qCDebug(lcSsh) << label() << "uploaded" << sent << "bytes to" << remotePath;
    return {};
}

} // namespace

std::unique_ptr<RemoteHost> makeSshRemoteHost(SshRemoteConfig config)
{
    return std::make_unique<SshRemoteHost>(std::move(config));
}

QByteArray shellQuoted(const QString& s)
{
    QByteArray b = s.toUtf8();
    b.replace('\'', "'\\''");
    return '\'' + b + '\'';
}

} // namespace hadeck::console
