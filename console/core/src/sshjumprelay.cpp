#include "sshjumprelay.h"

#include "sshsession.h"

#include <QCoreApplication>
#include <QPointer>

namespace hadeck::console::detail {

namespace {
// The SSH transport's texts, under the catalog context "SshTransport".
struct SshText {
    Q_DECLARE_TR_FUNCTIONS(SshTransport)
};

constexpr int kTickMs = 20;
constexpr qsizetype kRelayHighWater = 1 << 20;
} // namespace

SshJumpRelay::SshJumpRelay(SshSession* jump, QString targetHost, quint16 targetPort, QObject* parent)
    : QObject(parent)
    , m_jump(jump)
    , m_host(std::move(targetHost))
    , m_port(targetPort)
{
    m_tick.setInterval(kTickMs);
    connect(&m_tick, &QTimer::timeout, this, [this] {
        if (m_phase == Phase::Opening)
            stepOpen();
    });
    connect(m_jump, &SshSession::activity, this, [this] {
        if (m_phase == Phase::Opening)
            stepOpen();
        else if (m_phase == Phase::Open)
            pumpJumpToRelay();
    });
}

SshJumpRelay::~SshJumpRelay() { shutdown(); }

void SshJumpRelay::shutdown()
{
    m_phase = Phase::Closed;
    m_tick.stop();
    // The notifiers may be the ones whose signal is being handled: deleted later.
    if (m_relayRead) {
        m_relayRead->setEnabled(false);
        m_relayRead.release()->deleteLater();
    }
    if (m_relayWrite) {
        m_relayWrite->setEnabled(false);
        m_relayWrite.release()->deleteLater();
    }
    if (m_channel) {
        ssh_channel_free(m_channel);
        m_channel = nullptr;
    }
    socketClose(m_relay.console);
    socketClose(m_relay.session);
    m_relay = {};
    m_toRelay.clear();
    m_toJump.clear();
}

void SshJumpRelay::start()
{
    m_phase = Phase::Opening;
    m_tick.start();
    stepOpen();
}

void SshJumpRelay::fail(const QString& message)
{
    if (m_phase == Phase::Failed || m_phase == Phase::Closed)
        return;
    m_phase = Phase::Failed;
    m_tick.stop();
    if (m_relayRead)
        m_relayRead->setEnabled(false);
    if (m_relayWrite)
        m_relayWrite->setEnabled(false);
    emit failed(TransportError{TransportError::Kind::Network, message});
}

void SshJumpRelay::stepOpen()
{
    ssh_session s = m_jump->handle();
    if (!m_channel) {
        m_channel = ssh_channel_new(s);
        if (!m_channel) {
            fail(SshText::tr("%1: cannot create a channel").arg(m_jump->label()));
            return;
        }
    }
    const int rc = ssh_channel_open_forward(m_channel, m_host.toUtf8().constData(), m_port, "127.0.0.1", 0);
    if (rc == SSH_AGAIN)
        return;
    if (rc != SSH_OK) {
        fail(SshText::tr("jump host %1 could not open a connection to %2:%3: %4")
                 .arg(m_jump->label(), m_host)
                 .arg(m_port)
                 .arg(QString::fromUtf8(ssh_get_error(s))));
        return;
    }
    m_tick.stop();
    auto pair = makeSocketPair();
    if (!pair) {
        fail(SshText::tr("cannot create the jump relay: %1").arg(QString::fromStdString(pair.error().message)));
        return;
    }
    m_relay = *pair;
    m_phase = Phase::Open;
    m_relayRead = std::make_unique<QSocketNotifier>(static_cast<qintptr>(m_relay.console), QSocketNotifier::Read);
    connect(m_relayRead.get(), &QSocketNotifier::activated, this, [this] { pumpRelayToJump(); });
    m_relayWrite = std::make_unique<QSocketNotifier>(static_cast<qintptr>(m_relay.console), QSocketNotifier::Write);
    m_relayWrite->setEnabled(false);
    connect(m_relayWrite.get(), &QSocketNotifier::activated, this, [this] { flushRelay(); });
    const std::intptr_t sessionEnd = m_relay.session;
    m_relay.session = -1; // the target's session owns and closes it from here on
    QPointer<SshJumpRelay> self(this);
    emit opened(sessionEnd);
    if (self)
        pumpJumpToRelay();
}

void SshJumpRelay::pumpJumpToRelay()
{
    if (!m_channel || m_phase != Phase::Open)
        return;
    char buf[16384];
    for (;;) {
        if (m_toRelay.size() > kRelayHighWater)
            break; // the target session is not reading; let SSH flow control push back
        const int n = ssh_channel_poll(m_channel, 0);
        if (n == SSH_ERROR || n == SSH_EOF) {
            fail(SshText::tr("the tunnel through %1 closed: %2")
                     .arg(m_jump->label(), QString::fromUtf8(ssh_get_error(m_jump->handle()))));
            return;
        }
        if (n == 0)
            break;
        const int r = ssh_channel_read_nonblocking(m_channel, buf, sizeof buf, 0);
        if (r <= 0)
            break;
        m_toRelay.append(buf, r);
    }
    flushRelay();
}

void SshJumpRelay::flushRelay()
{
    if (m_phase != Phase::Open)
        return;
    while (!m_toRelay.isEmpty()) {
        const auto n = socketWrite(m_relay.console, m_toRelay.constData(), static_cast<std::size_t>(m_toRelay.size()));
        if (n == -2) {
            fail(SshText::tr("the jump relay broke"));
            return;
        }
        if (n == -1)
            break;
        m_toRelay.remove(0, static_cast<qsizetype>(n));
    }
    if (m_relayWrite)
        m_relayWrite->setEnabled(!m_toRelay.isEmpty());
}

void SshJumpRelay::pumpRelayToJump()
{
    if (!m_channel || m_phase != Phase::Open)
        return;
    char buf[16384];
    for (;;) {
        if (!m_toJump.isEmpty()) {
            const int w = ssh_channel_write(m_channel, m_toJump.constData(), static_cast<uint32_t>(m_toJump.size()));
            if (w == SSH_ERROR) {
                fail(SshText::tr("the tunnel through %1 broke: %2")
                         .arg(m_jump->label(), QString::fromUtf8(ssh_get_error(m_jump->handle()))));
                return;
            }
            m_toJump.remove(0, w);
            if (!m_toJump.isEmpty())
                break;
        }
        const auto n = socketRead(m_relay.console, buf, sizeof buf);
        if (n == -1)
            break;
        if (n == 0 || n == -2) {
            // The target session closed its end: nothing more to relay.
            if (m_relayRead)
                m_relayRead->setEnabled(false);
            break;
        }
        m_toJump.append(buf, static_cast<qsizetype>(n));
    }
    m_jump->flush();
    if (!m_toJump.isEmpty())
        QTimer::singleShot(5, this, [this] { pumpRelayToJump(); });
}

} // namespace hadeck::console::detail
