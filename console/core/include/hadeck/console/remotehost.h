#pragma once

// A node reached over SSH for administration rather than for the agent: commands
// run to completion and files copied over SFTP. Blocking by design: each node's
// deployment runs it on a worker thread of its own, so nodes proceed in parallel
// and the caller's event loop never waits.

#include "hadeck/console/sshtransport.h"

#include <hadeck/protocol/expected.h>

#include <QByteArray>
#include <QString>

#include <functional>
#include <memory>

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
    /// Connects and authenticates. The host key must already be in known_hosts.
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
    QString knownHostsFile; ///< empty: ~/.ssh/known_hosts
    bool useSshAgent = true;
    int connectTimeoutMs = 15000;
};

/// The libssh implementation (SFTP for the copy). Not thread-safe: one thread at a time.
std::unique_ptr<RemoteHost> makeSshRemoteHost(SshRemoteConfig config);

/// Quotes @p s for a POSIX shell ('...').
QByteArray shellQuoted(const QString& s);

} // namespace hadeck::console
