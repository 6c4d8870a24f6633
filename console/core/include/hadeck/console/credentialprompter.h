#pragma once

// How the transport asks a person something mid-handshake. The CLI answers on
// the terminal (or refuses with --batch); the GUI opens dialogs. The interface
// is continuation based so a GUI can answer later from a non-modal dialog
// without nesting event loops inside a socket callback.

#include <QString>

#include <functional>
#include <optional>

namespace hadeck::console {

enum class HostKeyDecision {
    Reject,        ///< do not connect
    AcceptOnce,    ///< connect this time, do not record the key
    AcceptAndSave, ///< connect and append the key to the known_hosts file
};

struct HostKeyQuestion {
    QString node;              ///< inventory name of the node ("dir1")
    QString host;              ///< address as connected to, e.g. "198.18.0.11"
    quint16 port = 22;
    QString keyType;           ///< "ssh-ed25519", "ecdsa-sha2-nistp256", ...
    QString sha256Fingerprint; ///< "SHA256:..." as OpenSSH prints it
    QString knownHostsFile;    ///< where an accepted key will be written
};

struct PassphraseQuestion {
    QString node;
    QString keyFile;
    int attempt = 1; ///< 2 and up after a wrong passphrase
};

class CredentialPrompter {
public:
    using HostKeyReply = std::function<void(HostKeyDecision)>;
    using PassphraseReply = std::function<void(std::optional<QString>)>;

    virtual ~CredentialPrompter() = default;

    /// The node presented a key that is not in known_hosts. Call @p reply exactly
    /// once, now or later, on the thread that asked. A changed key is never asked
    /// about: it is refused without a question.
    virtual void unknownHostKey(const HostKeyQuestion& question, HostKeyReply reply) = 0;

    /// The configured key file is encrypted. Reply std::nullopt to give up.
    virtual void passphrase(const PassphraseQuestion& question, PassphraseReply reply) = 0;
};

/// Answers every question with "no": for --batch and unattended use.
class RefusingPrompter final : public CredentialPrompter {
public:
    void unknownHostKey(const HostKeyQuestion&, HostKeyReply reply) override { reply(HostKeyDecision::Reject); }
    void passphrase(const PassphraseQuestion&, PassphraseReply reply) override { reply(std::nullopt); }
};

} // namespace hadeck::console
