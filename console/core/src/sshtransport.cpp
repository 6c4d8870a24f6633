#include "hadeck/console/sshtransport.h"

#include "hadeck/console/logging.h"
#include "sshjumprelay.h"
#include "sshsession.h"

#include <libssh/callbacks.h>

#include <hadeck/protocol/jsonrpc.h>

#include <QCoreApplication>
#include <QSocketNotifier>

#include <string>
#include <vector>

namespace hadeck::console {

namespace detail {

namespace {
// The SSH transport's texts, under the catalog context "SshTransport".
struct SshText {
    Q_DECLARE_TR_FUNCTIONS(SshTransport)
};

QByteArray shellQuote(const QString& s)
{
    QByteArray b = s.toUtf8();
    b.replace('\'', "'\\''");
    return '\'' + b + '\'';
}

constexpr int kTickMs = 20;
constexpr std::size_t kMaxStderr = 4096;
} // namespace

class SshTransportPrivate : public QObject {
public:
    explicit SshTransportPrivate(SshTransport* q) : q(q)
    {
        m_tick.setInterval(kTickMs);
        QObject::connect(&m_tick, &QTimer::timeout, this, [this] { onTick(); });
        m_connectTimer.setSingleShot(true);
        QObject::connect(&m_connectTimer, &QTimer::timeout, this, [this, q] {
            const QString phase = m_target ? m_target->phaseName() : (m_jump ? m_jump->phaseName() : QString());
            failWith({TransportError::Kind::Network,
                      SshText::tr("%1: no connection after %2 s (%3)")
                          .arg(q->describe())
                          .arg(q->m_config.connectTimeoutMs / 1000)
                          .arg(phase)});
        });
        m_flushTimer.setInterval(10);
        QObject::connect(&m_flushTimer, &QTimer::timeout, this, [this] { pushOut(); });
    }
    ~SshTransportPrivate() override { teardown(); }

    void open();
    void teardown();
    bool write(const QByteArray& line);
    void resumeReading() { scheduleDrain(); }

    SshTransport* q;
    bool m_connected = false;
    bool m_bridge = false;

private:
    enum class ChannelPhase { None, Streamlocal, Session, Exec, Open };

    SshSession* makeSession(const SshEndpoint& ep);
    void startTarget(std::intptr_t fd);
    void onTick();
    void stepChannel();
    void drainTarget();
    void scheduleDrain()
    {
        if (m_drainScheduled)
            return;
        m_drainScheduled = true;
        QTimer::singleShot(0, this, [this] {
            m_drainScheduled = false;
            if (m_connected && m_channel)
                drainTarget();
        });
    }
    bool m_drainScheduled = false;
    void pushOut();
    void failWith(TransportError error);
    void onChannelEof();

    static void onExitStatus(ssh_session, ssh_channel, int status, void* userdata)
    {
        static_cast<SshTransportPrivate*>(userdata)->m_exitStatus = status;
    }

    SshSession* m_target = nullptr;
    ssh_channel m_channel = nullptr;
    ChannelPhase m_channelPhase = ChannelPhase::None;
    ssh_channel_callbacks_struct m_channelCallbacks{};
    int m_exitStatus = -1;
    QByteArray m_out;
    QByteArray m_stderr;
    rpc::LineFramer m_framer;

    SshSession* m_jump = nullptr;
    SshJumpRelay* m_relay = nullptr;

    QTimer m_tick;
    QTimer m_connectTimer;
    QTimer m_flushTimer;
};

SshSession* SshTransportPrivate::makeSession(const SshEndpoint& ep)
{
    auto* s = new SshSession(ep, q->m_config.knownHostsFile, q->m_config.useSshAgent, q->prompter(), this);
    QObject::connect(s, &SshSession::progress, q, &Transport::progress);
    QObject::connect(s, &SshSession::progress, this, [this](const QString& text) { qCDebug(lcSsh) << q->describe() << text; });
    QObject::connect(s, &SshSession::failed, this, [this](const TransportError& e) { failWith(e); });
    return s;
}

void SshTransportPrivate::open()
{
    teardown();
    qCDebug(lcSsh) << "opening" << q->describe();
    m_framer = rpc::LineFramer{Transport::kMaxFrame};
    m_exitStatus = -1;
    m_bridge = false;
    m_connectTimer.start(q->m_config.connectTimeoutMs);
    if (q->m_config.jump) {
        m_jump = makeSession(*q->m_config.jump);
        QObject::connect(m_jump, &SshSession::ready, this, [this] {
            emit q->progress(SshText::tr("opening a tunnel through %1").arg(m_jump->label()));
            const auto& t = q->m_config.target;
            m_relay = new SshJumpRelay(m_jump, t.host, t.port, this);
            QObject::connect(m_relay, &SshJumpRelay::failed, this, [this](const TransportError& e) { failWith(e); });
            QObject::connect(m_relay, &SshJumpRelay::opened, this, [this](std::intptr_t fd) { startTarget(fd); });
            m_relay->start();
        });
        m_jump->start();
        return;
    }
    startTarget(-1);
}

void SshTransportPrivate::startTarget(std::intptr_t fd)
{
    m_target = makeSession(q->m_config.target);
    QObject::connect(m_target, &SshSession::ready, this, [this] {
        m_channelPhase = ChannelPhase::Streamlocal;
        emit q->progress(SshText::tr("opening the agent socket %1").arg(q->m_config.agentSocket));
        m_tick.start();
        stepChannel();
    });
    QObject::connect(m_target, &SshSession::activity, this, [this] {
        if (m_channelPhase == ChannelPhase::Open)
            drainTarget();
        else
            stepChannel();
    });
    m_target->start(fd);
}

void SshTransportPrivate::onTick()
{
    if (m_target && m_target->isReady() && m_channelPhase != ChannelPhase::Open &&
        m_channelPhase != ChannelPhase::None)
        stepChannel();
}

void SshTransportPrivate::stepChannel()
{
    ssh_session s = m_target->handle();
    if (!m_channel) {
        m_channel = ssh_channel_new(s);
        if (!m_channel) {
            failWith({TransportError::Kind::Network, SshText::tr("%1: cannot create a channel").arg(q->describe())});
            return;
        }
    }
    if (m_channelPhase == ChannelPhase::Streamlocal) {
        const int rc = ssh_channel_open_forward_unix(m_channel, q->m_config.agentSocket.toUtf8().constData(),
                                                     "127.0.0.1", 0);
        if (rc == SSH_AGAIN)
            return;
        if (rc == SSH_OK) {
            m_channelPhase = ChannelPhase::Open;
        } else {
            // sshd says only "open failed" both when AllowStreamLocalForwarding is
            // off and when connect() on the socket failed; the bridge tells which.
            ssh_channel_free(m_channel);
            m_channel = nullptr;
            if (ssh_get_status(s) & (SSH_CLOSED | SSH_CLOSED_ERROR)) {
                failWith({TransportError::Kind::Network,
                          SshText::tr("%1: connection lost: %2").arg(q->describe(), QString::fromUtf8(ssh_get_error(s)))});
                return;
            }
            m_bridge = true;
            m_channelPhase = ChannelPhase::Session;
            emit q->progress(SshText::tr("streamlocal forwarding refused; starting %1 --bridge").arg(q->m_config.bridgeCommand));
            stepChannel();
            return;
        }
    } else if (m_channelPhase == ChannelPhase::Session) {
        const int rc = ssh_channel_open_session(m_channel);
        if (rc == SSH_AGAIN)
            return;
        if (rc != SSH_OK) {
            failWith({TransportError::Kind::Agent, SshText::tr("%1: sshd refused both the agent socket and a session channel: %2")
                                                       .arg(q->describe(), QString::fromUtf8(ssh_get_error(s)))});
            return;
        }
        ssh_callbacks_init(&m_channelCallbacks);
        m_channelCallbacks.userdata = this;
        m_channelCallbacks.channel_exit_status_function = &SshTransportPrivate::onExitStatus;
        ssh_set_channel_callbacks(m_channel, &m_channelCallbacks);
        m_channelPhase = ChannelPhase::Exec;
    }
    if (m_channelPhase == ChannelPhase::Exec) {
        QByteArray cmd = q->m_config.bridgeCommand.toUtf8() + " --bridge";
        if (q->m_config.agentSocket != SshTransportConfig{}.agentSocket)
            cmd += " --socket " + shellQuote(q->m_config.agentSocket);
        const int rc = ssh_channel_request_exec(m_channel, cmd.constData());
        if (rc == SSH_AGAIN)
            return;
        if (rc != SSH_OK) {
            failWith({TransportError::Kind::Agent, SshText::tr("%1: sshd refused to run %2: %3")
                                                       .arg(q->describe(), QString::fromUtf8(cmd),
                                                            QString::fromUtf8(ssh_get_error(s)))});
            return;
        }
        m_channelPhase = ChannelPhase::Open;
    }
    if (m_channelPhase != ChannelPhase::Open)
        return;
    m_tick.stop();
    m_connectTimer.stop();
    qCDebug(lcSsh) << q->describe() << "connected, bridge:" << m_bridge;
    m_connected = true;
    QPointer<SshTransport> guard(q);
    emit q->connected();
    if (guard && m_channel)
        drainTarget();
}

void SshTransportPrivate::drainTarget()
{
    if (!m_channel)
        return;
    QPointer<SshTransport> guard(q);
    char buf[16384];
    // Bounded work per call; while paused nothing is read, the SSH window fills
    // and the agent's side stops sending.
    qint64 budget = 1024 * 1024;
    for (;;) {
        if (q->isReadPaused())
            return;
        if (budget <= 0) {
            scheduleDrain();
            return;
        }
        // libssh buffers whole packets: one wake-up of the fd may carry several
        // messages, and the fd will not fire again for what is already buffered.
        int n = ssh_channel_poll(m_channel, 1);
        while (n > 0) {
            const int r = ssh_channel_read_nonblocking(m_channel, buf, sizeof buf, 1);
            if (r <= 0)
                break;
            if (static_cast<std::size_t>(m_stderr.size()) < kMaxStderr)
                m_stderr.append(buf, r);
            n = ssh_channel_poll(m_channel, 1);
        }
        n = ssh_channel_poll(m_channel, 0);
        if (n == SSH_ERROR) {
            failWith({TransportError::Kind::Network,
                      SshText::tr("%1: connection lost: %2")
                          .arg(q->describe(), QString::fromUtf8(ssh_get_error(m_target->handle())))});
            return;
        }
        if (n == SSH_EOF) {
            onChannelEof();
            return;
        }
        if (n == 0)
            break;
        const int r = ssh_channel_read_nonblocking(m_channel, buf, sizeof buf, 0);
        if (r == SSH_ERROR) {
            failWith({TransportError::Kind::Network, SshText::tr("%1: connection lost: %2")
                                                         .arg(q->describe(),
                                                              QString::fromUtf8(ssh_get_error(m_target->handle())))});
            return;
        }
        if (r <= 0)
            break;
        budget -= r;
        q->noteReceived(r);
        std::vector<std::string> lines;
        const bool ok = m_framer.feed(std::string_view(buf, static_cast<std::size_t>(r)), lines);
        for (const auto& l : lines) {
            emit q->lineReceived(QByteArray::fromStdString(l));
            if (!guard || !m_channel)
                return;
        }
        if (!ok) {
            failWith({TransportError::Kind::Protocol,
                      SshText::tr("%1 sent a message larger than %2 bytes").arg(q->describe()).arg(m_framer.maxFrame())});
            return;
        }
    }
    if (ssh_channel_is_closed(m_channel) || ssh_channel_is_eof(m_channel))
        onChannelEof();
    else if (!m_out.isEmpty())
        pushOut();
}

void SshTransportPrivate::onChannelEof()
{
    const QString err = QString::fromUtf8(m_stderr).trimmed();
    TransportError e{TransportError::Kind::Agent, {}};
    if (m_bridge) {
        // The shell's own "not found" (exit 127), not the bridge's report of a missing socket.
        const bool fromBridge = err.contains(QLatin1String("--bridge:"));
        if (m_exitStatus == 127 || (!fromBridge && (err.contains(QLatin1String("not found")) ||
                                                    err.contains(QLatin1String("No such file or directory"))))) {
            // Neither the agent's socket (streamlocal failed, or was refused) nor its program:
            // the node has no agent. Not an error of the node: it can be deployed.
            e.kind = TransportError::Kind::NotInstalled;
            e.message = SshText::tr("the HaDeck agent is not installed on %1: no socket %2 and no %3. Install it with "
                                    "\"Install agent\" or hadeckctl deploy %1.")
                            .arg(q->m_config.target.name, q->m_config.agentSocket, q->m_config.bridgeCommand);
        } else if (err.contains(QLatin1String("ermission denied")) || err.contains(QLatin1String("EACCES"))) {
            e.kind = TransportError::Kind::Permission;
            e.message = SshText::tr("user \"%1\" may not use the agent on %2 (permission none): %3. Add the user to the group "
                           "\"hadeck\" (read), \"hadeck-operator\" or \"hadeck-admin\" on that node.")
                            .arg(q->m_config.target.user, q->m_config.target.name, err);
        } else {
            e.message = SshText::tr("%1: the agent bridge ended (exit status %2)%3")
                            .arg(q->describe())
                            .arg(m_exitStatus)
                            .arg(err.isEmpty() ? QString() : QStringLiteral(": ") + err);
        }
    } else {
        e.message = SshText::tr("%1: the agent closed the connection").arg(q->describe());
    }
    failWith(e);
}

bool SshTransportPrivate::write(const QByteArray& line)
{
    if (!m_connected || !m_channel)
        return false;
    if (m_out.size() + line.size() > Transport::kMaxWriteBacklog) {
        // The agent sends but never reads: drop the link instead of queueing without limit.
        const qint64 queued = m_out.size();
        QTimer::singleShot(0, this, [this, queued] {
            if (m_connected)
                failWith({TransportError::Kind::Network,
                          SshText::tr("%1 does not read what the console sends (%2 bytes queued): link dropped")
                              .arg(q->describe())
                              .arg(queued)});
        });
        return false;
    }
    m_out += line;
    if (!line.endsWith('\n'))
        m_out += '\n';
    pushOut();
    return true;
}

void SshTransportPrivate::pushOut()
{
    if (!m_channel || !m_target) {
        m_flushTimer.stop();
        return;
    }
    while (!m_out.isEmpty()) {
        const int n = ssh_channel_write(m_channel, m_out.constData(), static_cast<uint32_t>(m_out.size()));
        if (n == SSH_ERROR) {
            // The bridge command may have ended before our first write (exit 127: the agent's
            // program is missing). Its stderr and exit status tell why; the write error does not.
            // libssh refuses the write once the close has arrived ("delayed close"), while the
            // command's stderr is still unread: neither "closed" nor "EOF" is reported yet.
            if (m_bridge) {
                char buf[4096];
                for (int r = 0; (r = ssh_channel_read_nonblocking(m_channel, buf, sizeof buf, 1)) > 0;) {
                    if (static_cast<std::size_t>(m_stderr.size()) < kMaxStderr)
                        m_stderr.append(buf, r);
                }
                if (m_exitStatus != -1 || !m_stderr.isEmpty()) {
                    onChannelEof();
                    return;
                }
            }
            failWith({TransportError::Kind::Network, SshText::tr("%1: write failed: %2")
                                                         .arg(q->describe(),
                                                              QString::fromUtf8(ssh_get_error(m_target->handle())))});
            return;
        }
        if (n <= 0)
            break; // remote window full; retried from the flush timer
        m_out.remove(0, n);
    }
    const int rc = m_target->flush();
    if (rc == SSH_ERROR) {
        failWith({TransportError::Kind::Network,
                  SshText::tr("%1: connection lost: %2").arg(q->describe(), QString::fromUtf8(ssh_get_error(m_target->handle())))});
        return;
    }
    if (!m_out.isEmpty() || rc == SSH_AGAIN) {
        if (!m_flushTimer.isActive())
            m_flushTimer.start();
    } else {
        m_flushTimer.stop();
    }
    // Flushing also reads packets; what it buffered will not wake the notifier.
    QTimer::singleShot(0, this, [this] { drainTarget(); });
}

void SshTransportPrivate::failWith(TransportError error)
{
    const bool wasUp = m_connected || m_target || m_jump;
    qCInfo(lcSsh) << q->describe() << "failed (kind" << int(error.kind) << "):" << error.message;
    teardown();
    if (!wasUp)
        return;
    emit q->disconnected(error);
}

void SshTransportPrivate::teardown()
{
    m_tick.stop();
    m_connectTimer.stop();
    m_flushTimer.stop();
    m_connected = false;
    m_out.clear();
    m_stderr.clear();
    if (m_channel) {
        ssh_channel_free(m_channel);
        m_channel = nullptr;
    }
    m_channelPhase = ChannelPhase::None;
    if (m_target) {
        m_target->disconnect(this);
        m_target->disconnect(q);
        m_target->quiesce();
        m_target->deleteLater();
        m_target = nullptr;
    }
    if (m_relay) {
        m_relay->disconnect(this);
        m_relay->shutdown(); // frees the channel before its jump session goes
        m_relay->deleteLater();
        m_relay = nullptr;
    }
    if (m_jump) {
        m_jump->disconnect(this);
        m_jump->disconnect(q);
        m_jump->quiesce();
        m_jump->deleteLater();
        m_jump = nullptr;
    }
}

} // namespace detail

SshTransport::SshTransport(SshTransportConfig config, QObject* parent)
    : Transport(parent), m_config(std::move(config)), d(std::make_unique<detail::SshTransportPrivate>(this))
{
}

SshTransport::~SshTransport() = default;

void SshTransport::open()
{
    d->open();
}

void SshTransport::close()
{
    d->teardown();
}

bool SshTransport::write(const QByteArray& line)
{
    return d->write(line);
}

void SshTransport::setReadPaused(bool paused)
{
    const bool was = isReadPaused();
    Transport::setReadPaused(paused);
    if (was && !paused && d->m_connected)
        d->resumeReading();
}

bool SshTransport::isConnected() const
{
    return d->m_connected;
}

bool SshTransport::usesBridge() const
{
    return d->m_connected && d->m_bridge;
}

QString SshTransport::describe() const
{
    QString route = QStringLiteral("%1@%2:%3").arg(m_config.target.user, m_config.target.host).arg(m_config.target.port);
    if (m_config.jump)
        route = tr("%1 via %2").arg(route, m_config.jump->name.isEmpty() ? m_config.jump->host : m_config.jump->name);
    return route;
}

} // namespace hadeck::console
