#pragma once

// ProxyJump: a direct-tcpip channel of an authenticated jump session, relayed
// to one end of a socket pair so that the target's own SSH session can run over
// the other end (SSH_OPTIONS_FD). Driven from the Qt event loop of the thread
// the jump session lives on. Used by the agent's connection (SshTransport) and
// by deployment (SshRemoteHost), which runs it on a thread of its own.

#include "hadeck/console/transport.h"
#include "socketpair.h"

#include <libssh/libssh.h>

#include <QByteArray>
#include <QObject>
#include <QSocketNotifier>
#include <QString>
#include <QTimer>

#include <cstdint>
#include <memory>

namespace hadeck::console::detail {

class SshSession;

class SshJumpRelay : public QObject {
    Q_OBJECT
public:
    /// @p jump must be ready (authenticated) and outlive this relay.
    SshJumpRelay(SshSession* jump, QString targetHost, quint16 targetPort, QObject* parent = nullptr);
    ~SshJumpRelay() override;

    /// Opens the channel to the target; opened() or failed() follows.
    void start();
    [[nodiscard]] bool isOpen() const { return m_phase == Phase::Open; }
    /// Closes the channel and the console's end of the pair now (before the jump session goes);
    /// safe from inside this relay's own signals. Nothing is emitted afterwards.
    void shutdown();

signals:
    /// The tunnel is up: run the target's session over @p sessionFd (its owner closes it).
    void opened(std::intptr_t sessionFd);
    /// The tunnel could not be opened, or broke.
    void failed(const hadeck::console::TransportError& error);

private:
    enum class Phase { Idle, Opening, Open, Failed, Closed };

    void stepOpen();
    void pumpJumpToRelay();
    void pumpRelayToJump();
    void flushRelay();
    void fail(const QString& message);

    SshSession* m_jump;
    QString m_host;
    quint16 m_port;
    Phase m_phase = Phase::Idle;
    ssh_channel m_channel = nullptr;
    SocketPair m_relay;
    std::unique_ptr<QSocketNotifier> m_relayRead;
    std::unique_ptr<QSocketNotifier> m_relayWrite;
    QByteArray m_toRelay;
    QByteArray m_toJump;
    QTimer m_tick;
};

} // namespace hadeck::console::detail
