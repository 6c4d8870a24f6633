#pragma once

// A node reached over SSH for administration rather than for the agent: commands
// run to completion and files copied over SFTP. Blocking by design: each node's
// deployment runs it on a worker thread of its own, so nodes proceed in parallel
// and the caller's event loop never waits. The handshake (host key, passphrase,
// jump host) is the agent connection's own, run on that worker's event loop.

#include "hadeck/console/credentialprompter.h"
#include "hadeck/console/sshtransport.h"

#include <hadeck/protocol/expected.h>

#include <QByteArray>
#include <QObject>
#include <QPointer>
#include <QString>

#include <atomic>
#include <functional>
#include <memory>
#include <optional>

namespace hadeck::console {

struct RemoteCommandResult {
    int exitStatus = -1; ///< the remote command's exit status; -1 when it did not finish
    QByteArray out;      ///< its standard output
    QByteArray err;      ///< its standard error (bounded)
    QString failure;     ///< why it could not be run or finished (translated); empty when it ran

    [[nodiscard]] bool ran() const { return failure.isEmpty(); }
    [[nodiscard]] bool succeeded() const { return ran() && exitStatus == 0; }
};

class RemoteHost {
public:
    virtual ~RemoteHost() = default;
    /// Connects (through the jump host when one is configured) and authenticates. An unknown
    /// host key or an encrypted key file is asked about through the configured prompter; a
    /// changed host key is refused without a question.
    virtual Status open() = 0;
    /// Runs @p command (through the login shell) with @p input on its standard input,
    /// which is then closed. Gives up after @p timeoutMs.
    virtual RemoteCommandResult run(const QByteArray& command, const QByteArray& input, int timeoutMs) = 0;
    /// Copies @p localPath to @p remotePath (created with mode 0600). @p progress gets
    /// (bytes sent, total) and may return false to cancel.
    virtual Status upload(const QString& localPath, const QString& remotePath,
                          const std::function<bool(qint64, qint64)>& progress) = 0;
    /// The login name used on the node.
    [[nodiscard]] virtual QString user() const = 0;
};

struct SshRemoteConfig {
    SshEndpoint endpoint;
    /// ProxyJump, as for the agent's connection: the node's session runs inside a
    /// direct-tcpip channel of this one.
    std::optional<SshEndpoint> jump;
    QString knownHostsFile; ///< empty: ~/.ssh/known_hosts
    bool useSshAgent = true;
    /// The network's share of open(): time spent waiting for an answer of the prompter does not count.
    int connectTimeoutMs = 15000;
    /// Answers unknown host keys and passphrases (the same prompter as the agent's connection);
    /// not owned; null refuses both with a clear error.
    CredentialPrompter* prompter = nullptr;
    /// The prompter is called on this object's thread (a GUI's dialogs); null: on the thread of open().
    QPointer<QObject> prompterContext;
    /// Set from any thread to make open() give up waiting (a cancelled deployment).
    std::shared_ptr<std::atomic<bool>> cancelled;
};

/// The libssh implementation (SFTP for the copy). Not thread-safe: one thread at a time.
std::unique_ptr<RemoteHost> makeSshRemoteHost(SshRemoteConfig config);

/// Quotes @p s for a POSIX shell ('...').
QByteArray shellQuoted(const QString& s);

} // namespace hadeck::console
