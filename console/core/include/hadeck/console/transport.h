#pragma once

// A byte pipe to one node's agent, carrying newline-delimited JSON-RPC.
// Implementations: SshTransport (libssh, the normal path) and LocalTransport
// (a unix socket on this machine, for tests and a console on the node itself).

#include <QByteArray>
#include <QList>
#include <QMetaType>
#include <QObject>
#include <QString>

#include <cstddef>

namespace hadeck::console {

class CredentialPrompter;

/// A host key as an admin compares it: its type ("ssh-ed25519") and OpenSSH's SHA256 fingerprint.
struct HostKey {
    QString type;
    QString fingerprint; ///< "SHA256:..."
    bool operator==(const HostKey&) const = default;
};

/// The keys @p knownHostsFile records for @p host on @p port (known_hosts' "[host]:port" spelling
/// when not 22), hashed entries included, read with libssh's own parser. Empty when none or
/// the file is unreadable.
QList<HostKey> knownHostKeys(const QString& knownHostsFile, const QString& host, quint16 port);

/// Why a transport closed. The kind drives the node state: HostKey*, Auth and
/// Permission mean Refused (no automatic retry); the rest mean Unreachable.
struct TransportError {
    enum class Kind {
        None,            ///< closed on request
        Resolve,         ///< the host name did not resolve
        Network,         ///< TCP connect failed, connection lost, timeout
        HostKeyUnknown,  ///< not in known_hosts and the user did not accept it
        HostKeyChanged,  ///< known_hosts has a different key (CHANGED/OTHER): possible attack
        Auth,            ///< no offered key was accepted
        Permission,      ///< SSH worked but the user may not open the agent socket
        Agent,           ///< agent socket absent, bridge failed, or the agent closed the stream
        Protocol,        ///< the peer sent something that is not our protocol
        NotInstalled,    ///< SSH worked, but the node has neither the agent socket nor hadeck-agent
        VersionMismatch, ///< the agent speaks another protocol major version
    };
    Kind kind = Kind::None;
    QString message; ///< translated, names the node and what to do
    /// HostKeyUnknown and HostKeyChanged: what the server presented, what known_hosts records
    /// for it (HostKeyChanged), and which file was checked. Data, so that nobody reads them
    /// back out of the translated message.
    HostKey presented{};
    QList<HostKey> recorded{};
    QString knownHostsFile{};

    [[nodiscard]] bool isRefusal() const
    {
        return kind == Kind::HostKeyUnknown || kind == Kind::HostKeyChanged || kind == Kind::Auth ||
               kind == Kind::Permission;
    }
};

class Transport : public QObject {
    Q_OBJECT
public:
    using QObject::QObject;
    ~Transport() override = default;

    /// Starts connecting; returns at once. Emits connected() or disconnected().
    /// May be called again after disconnected() to reconnect.
    virtual void open() = 0;
    /// Closes without emitting disconnected().
    virtual void close() = 0;
    /// Queues one message; a missing trailing '\n' is added. @return false when not connected.
    virtual bool write(const QByteArray& line) = 0;
    [[nodiscard]] virtual bool isConnected() const = 0;
    /// Short human description of the route, e.g. "root@198.18.0.11:22 → /run/hadeck/agent.sock".
    [[nodiscard]] virtual QString describe() const = 0;

    /// Flow control: while paused the transport reads nothing more from the peer, so
    /// the kernel (or the SSH window) pushes back on an agent that sends faster than
    /// the console decodes. Lines already framed may still arrive.
    virtual void setReadPaused(bool paused) { m_readPaused = paused; }
    [[nodiscard]] bool isReadPaused() const { return m_readPaused; }
    /// Bytes read from the peer since construction: liveness is measured on the
    /// wire, not after the console has decoded what came.
    [[nodiscard]] quint64 receivedBytes() const { return m_received; }

    /// Queued bytes toward an agent that does not read past which the link is dropped.
    static constexpr qint64 kMaxWriteBacklog = 4 * 1024 * 1024;
    /// Longest line accepted from an agent: a 30,000-row IPVS snapshot is tens of MiB of
    /// JSON, and the decode backlog (not this) bounds the memory of many lines.
    static constexpr std::size_t kMaxFrame = 64U * 1024U * 1024U;

    /// Used for host key and passphrase questions; not owned. Null means refuse.
    void setPrompter(CredentialPrompter* prompter) { m_prompter = prompter; }
    [[nodiscard]] CredentialPrompter* prompter() const { return m_prompter; }

signals:
    void connected();
    /// One complete line, without the trailing newline.
    void lineReceived(const QByteArray& line);
    void disconnected(const hadeck::console::TransportError& error);
    /// Progress for status bars and logs ("resolving", "verifying host key", ...).
    void progress(const QString& step);

protected:
    void noteReceived(qint64 bytes) { m_received += static_cast<quint64>(bytes > 0 ? bytes : 0); }

private:
    CredentialPrompter* m_prompter = nullptr;
    quint64 m_received = 0;
    bool m_readPaused = false;
};

} // namespace hadeck::console

Q_DECLARE_METATYPE(hadeck::console::TransportError)
