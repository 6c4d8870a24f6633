#pragma once

// One libssh session to one endpoint, driven without blocking from the Qt event
// loop: resolve (QHostInfo), connect, verify the host key, authenticate. The
// owner then opens channels and is told when the socket has activity.

#include "hadeck/console/sshtransport.h"

#include <libssh/libssh.h>

#include <QObject>
#include <QPointer>
#include <QSocketNotifier>
#include <QString>
#include <QTimer>

#include <memory>
#include <utility>

namespace hadeck::console::detail {

/// libssh's global initialisation, once per process.
void ensureLibsshInit();
/// A key's SHA-256 fingerprint as OpenSSH prints it ("SHA256:..."); empty when it has none.
QString fingerprintOf(ssh_key key);
/// The host name as known_hosts spells it ("host" or "[host]:port").
QString knownHostsName(const QString& host, quint16 port);

class SshSession : public QObject {
    Q_OBJECT
public:
    SshSession(SshEndpoint endpoint, QString knownHostsFile, bool useSshAgent, CredentialPrompter* prompter,
               QObject* parent);
    ~SshSession() override;

    /// @param fd an already connected socket (jump relay) or -1 to resolve and connect.
    void start(std::intptr_t fd = -1);
    [[nodiscard]] ssh_session handle() const { return m_session; }
    [[nodiscard]] bool isReady() const { return m_phase == Phase::Ready; }
    [[nodiscard]] QString phaseName() const;
    [[nodiscard]] const SshEndpoint& endpoint() const { return m_ep; }
    [[nodiscard]] QString label() const; ///< user@host:port
    /// Stops watching the socket (before deleteLater: libssh may already have closed it).
    void quiesce()
    {
        m_tick.stop();
        m_notifier.reset();
    }
    /// Hands the ready session to the caller, who frees it; this object then only waits to be deleted.
    [[nodiscard]] ssh_session release()
    {
        quiesce();
        return std::exchange(m_session, nullptr);
    }
    /// Pushes libssh's queued output once: SSH_OK, SSH_AGAIN (still queued) or SSH_ERROR.
    int flush();

signals:
    void ready();
    void failed(const hadeck::console::TransportError& error);
    /// The socket has something for libssh (or a handshake tick): poll the channels.
    void activity();
    void progress(const QString& step);

private:
    enum class Phase { Idle, Resolving, Connecting, HostKey, AwaitingUser, AuthAgent, AuthKeyLoad, AuthKey, Ready, Failed };

    void step();
    void stepConnect();
    void stepHostKey();
    void stepAuthAgent();
    void stepAuthKeyLoad(const std::optional<QString>& passphrase);
    void stepAuthKey();
    void enterReady();
    void fail(TransportError::Kind kind, const QString& message);
    void fail(TransportError error);
    void watchSocket();
    QString knownHostsPath() const;
    QString libsshError() const;

    SshEndpoint m_ep;
    QString m_knownHosts;
    bool m_useAgent;
    CredentialPrompter* m_prompter;
    ssh_session m_session = nullptr;
    ssh_key m_userKey = nullptr;
    Phase m_phase = Phase::Idle;
    QString m_connectHost; ///< address actually dialled
    std::unique_ptr<QSocketNotifier> m_notifier;
    QTimer m_tick; ///< handshake polling: libssh may need a write-ready socket we do not watch
    QStringList m_authTried;
    int m_passphraseAttempt = 0;
    int m_lookupId = -1;
};

} // namespace hadeck::console::detail
