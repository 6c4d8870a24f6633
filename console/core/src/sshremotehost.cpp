#include "hadeck/console/remotehost.h"

#include "hadeck/console/logging.h"
#include "crossthreadprompter.h"
#include "sftpflags.h"
#include "sshjumprelay.h"
#include "sshsession.h"

#include <libssh/libssh.h>
#include <libssh/sftp.h>

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QThread>
#include <QTimer>

#include <atomic>
#include <optional>

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
    [[nodiscard]] QString knownHostsPath() const
    {
        return m_cfg.knownHostsFile.isEmpty() ? QDir::homePath() + QStringLiteral("/.ssh/known_hosts")
                                              : m_cfg.knownHostsFile;
    }
    /// user@host:port, and the jump host when there is one.
    [[nodiscard]] QString describe() const
    {
        return m_cfg.jump ? RemoteText::tr("%1 via %2")
                                .arg(label(), m_cfg.jump->name.isEmpty() ? m_cfg.jump->host : m_cfg.jump->name)
                          : label();
    }
    void closeSession()
    {
        if (m_session) {
            ssh_disconnect(m_session);
            ssh_free(m_session);
            m_session = nullptr;
        }
        if (m_relayThread) {
            if (m_relayAnchor) {
                // The channel goes before its session: the relay first, then the jump session.
                QMetaObject::invokeMethod(
                    m_relayAnchor,
                    [this, anchor = m_relayAnchor] {
                        if (m_relay)
                            m_relay->shutdown();
                        delete anchor;
                    },
                    Qt::BlockingQueuedConnection);
            }
            m_relayThread->quit();
            m_relayThread->wait();
            m_relayThread.reset();
        }
        m_relayAnchor = nullptr;
        m_relay = nullptr;
        m_jumpPrompter.reset();
    }

    SshRemoteConfig m_cfg;
    ssh_session m_session = nullptr;
    // Through a jump host: the jump session and the relay live on m_relayThread, owned by m_relayAnchor.
    std::unique_ptr<QThread> m_relayThread;
    QObject* m_relayAnchor = nullptr;
    detail::SshJumpRelay* m_relay = nullptr;
    std::unique_ptr<detail::CrossThreadPrompter> m_jumpPrompter;
};

Status SshRemoteHost::open()
{
    closeSession();
    const auto& ep = m_cfg.endpoint;
    const QString kh = knownHostsPath();
    // Replies of the prompter and reports of the jump relay arrive on this thread, for this call only:
    // whatever comes after open() returned is dropped with this object.
    QObject scope;
    auto asking = std::make_shared<std::atomic<int>>(0);
    detail::CrossThreadPrompter prompter(m_cfg.prompter, m_cfg.prompterContext, &scope, asking);
    CredentialPrompter* const targetPrompter = m_cfg.prompter ? &prompter : nullptr;

    QEventLoop loop;
    bool finished = false;
    std::optional<QString> error;
    std::unique_ptr<detail::SshSession> target;
    const auto finish = [&](std::optional<QString> why) {
        if (finished)
            return;
        finished = true;
        error = std::move(why);
        loop.quit();
    };
    const auto startTarget = [&](std::intptr_t fd) {
        target = std::make_unique<detail::SshSession>(ep, kh, m_cfg.useSshAgent, targetPrompter, nullptr);
        QObject::connect(target.get(), &detail::SshSession::ready, &scope, [&] { finish(std::nullopt); });
        QObject::connect(target.get(), &detail::SshSession::failed, &scope,
                         [&](const TransportError& e) { finish(e.message); });
        target->start(fd);
    };

    if (m_cfg.jump) {
        // The jump session and its relay keep running on a thread of their own: the node's session
        // above them is used blocking by this thread once it is open.
        m_relayThread = std::make_unique<QThread>();
        m_relayThread->setObjectName(QStringLiteral("hadeck-jump"));
        m_relayThread->start();
        m_relayAnchor = new QObject;
        m_relayAnchor->moveToThread(m_relayThread.get());
        m_jumpPrompter =
            std::make_unique<detail::CrossThreadPrompter>(m_cfg.prompter, m_cfg.prompterContext, m_relayAnchor, asking);
        QObject* const anchor = m_relayAnchor;
        CredentialPrompter* const jumpPrompter = m_cfg.prompter ? m_jumpPrompter.get() : nullptr;
        const SshEndpoint jumpEp = *m_cfg.jump;
        const bool useAgent = m_cfg.useSshAgent;
        QMetaObject::invokeMethod(
            anchor,
            [&, anchor, jumpPrompter, jumpEp, useAgent] {
                auto* jump = new detail::SshSession(jumpEp, kh, useAgent, jumpPrompter, anchor);
                QObject::connect(jump, &detail::SshSession::failed, &scope,
                                 [&](const TransportError& e) { finish(e.message); });
                QObject::connect(
                    jump, &detail::SshSession::ready, anchor, [this, &scope, &finish, &startTarget, anchor, jump, ep] {
                        auto* relay = new detail::SshJumpRelay(jump, ep.host, ep.port, anchor);
                        m_relay = relay;
                        QObject::connect(relay, &detail::SshJumpRelay::opened, &scope,
                                         [&startTarget](std::intptr_t fd) { startTarget(fd); });
                        QObject::connect(relay, &detail::SshJumpRelay::failed, &scope,
                                         [&finish](const TransportError& e) { finish(e.message); });
                        // A tunnel that breaks later ends the node's session too (it sees the end of its socket).
                        QObject::connect(relay, &detail::SshJumpRelay::failed, anchor, [relay] { relay->shutdown(); });
                        relay->start();
                    });
                jump->start();
            },
            Qt::BlockingQueuedConnection);
    } else {
        startTarget(-1);
    }

    // The network has connectTimeoutMs; a question waiting for the admin stops that clock.
    QTimer watch;
    watch.setInterval(100);
    QElapsedTimer lap;
    lap.start();
    qint64 waited = 0;
    QObject::connect(&watch, &QTimer::timeout, &scope, [&] {
        const qint64 step = lap.restart();
        if (asking->load() == 0)
            waited += step;
        if (m_cfg.cancelled && m_cfg.cancelled->load())
            finish(RemoteText::tr("cancelled"));
        else if (waited >= m_cfg.connectTimeoutMs)
            finish(RemoteText::tr("%1: no connection after %2 s (%3)")
                       .arg(describe())
                       .arg(m_cfg.connectTimeoutMs / 1000)
                       .arg(target ? target->phaseName() : RemoteText::tr("at the jump host")));
    });
    watch.start();
    if (!finished)
        loop.exec();
    watch.stop();

    if (error || !target) {
        target.reset();
        return failed(error.value_or(RemoteText::tr("cannot connect to %1").arg(describe())));
    }
    m_session = target->release();
    target.reset();
    // From here on: blocking calls on this thread, each bounded by the connect timeout.
    ssh_set_blocking(m_session, 1);
    const long timeoutSec = std::max(1, m_cfg.connectTimeoutMs / 1000);
    ssh_options_set(m_session, SSH_OPTIONS_TIMEOUT, &timeoutSec);
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
