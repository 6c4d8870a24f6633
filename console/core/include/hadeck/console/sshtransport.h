#pragma once

#include "hadeck/console/transport.h"

#include <QString>

#include <memory>
#include <optional>

namespace hadeck::console {

/// One SSH hop: where to connect and as whom.
struct SshEndpoint {
    QString name; ///< inventory name, for messages and host key questions
    QString host;
    quint16 port = 22;
    QString user;
    QString keyFile; ///< private key; empty: ssh-agent only
};

struct SshTransportConfig {
    SshEndpoint target;
    /// ProxyJump: the target's SSH session runs inside a direct-tcpip channel of this one.
    std::optional<SshEndpoint> jump;
    /// known_hosts to verify against and update; empty: ~/.ssh/known_hosts.
    QString knownHostsFile;
    /// The agent's socket on the node.
    QString agentSocket = QStringLiteral("/run/hadeck/agent.sock");
    /// Remote program for the exec fallback when sshd refuses streamlocal forwarding.
    QString bridgeCommand = QStringLiteral("/usr/sbin/hadeck-agent"); // where the package installs it; not the remote PATH
    /// Try ssh-agent (SSH_AUTH_SOCK) before the key file.
    bool useSshAgent = true;
    /// From open() to connected(): covers resolution, handshake, auth and channel.
    int connectTimeoutMs = 15000;
};

namespace detail {
class SshTransportPrivate;
}

/// libssh 0.10 session run non-blocking on the Qt event loop (see interfaces.md §8).
/// Name resolution goes through QHostInfo so the loop never blocks.
class SshTransport final : public Transport {
    Q_OBJECT
public:
    explicit SshTransport(SshTransportConfig config, QObject* parent = nullptr);
    ~SshTransport() override;

    void open() override;
    void close() override;
    bool write(const QByteArray& line) override;
    void setReadPaused(bool paused) override;
    [[nodiscard]] bool isConnected() const override;
    [[nodiscard]] QString describe() const override;

    [[nodiscard]] const SshTransportConfig& config() const { return m_config; }
    /// True once the current connection uses the `--bridge` exec fallback.
    [[nodiscard]] bool usesBridge() const;

private:
    friend class detail::SshTransportPrivate;
    SshTransportConfig m_config;
    std::unique_ptr<detail::SshTransportPrivate> d;
};

} // namespace hadeck::console
