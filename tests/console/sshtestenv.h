#pragma once

// Real OpenSSH and real agents for the console tests: an sshd on a free
// loopback port with generated host and user keys, and hadeck-agent processes
// on temporary sockets (AgentProcess). POSIX only (the console tests run on Linux).

#include "agenttestutil.h"
#include "processutil.h"

#include <hadeck/console/credentialprompter.h>

#include <QProcess>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>

#include <memory>

namespace hadeck::test {

/// "SHA256:..." of a public key file, as ssh-keygen prints it.
QString fingerprintOf(const QString& publicKeyFile);

/// Creates an ed25519 key pair at @p path (and path.pub). @return false on failure.
bool makeKey(const QString& path);

/// A free TCP port on 127.0.0.1 (bound, read, released).
quint16 freePort();

struct SshdOptions {
    bool allowStreamLocal = true;
    bool allowTcpForwarding = true;
    int maxStartups = 10;
};

class Sshd {
public:
    /// Generates a host key and a user key in a temp dir; nothing runs yet.
    Sshd();
    ~Sshd();
    Sshd(const Sshd&) = delete;
    Sshd& operator=(const Sshd&) = delete;

    /// Starts sshd (on the same port each time) and waits until it accepts.
    bool start(const SshdOptions& options = {}, QString* error = nullptr);
    /// Kills sshd and every session it forked, as a crash or power loss would.
    void kill();
    bool isRunning() const;

    quint16 port() const { return m_port; }
    QString dir() const { return m_dir.path(); }
    QString hostPublicKey() const { return m_dir.filePath(QStringLiteral("host_ed25519.pub")); }
    QString hostFingerprint() const { return fingerprintOf(hostPublicKey()); }
    QString userKey() const { return m_dir.filePath(QStringLiteral("id_ed25519")); }
    QString log() const;
    /// A known_hosts line for this sshd's host key ("[127.0.0.1]:port ssh-ed25519 AAAA...").
    QString knownHostsLine() const;
    /// Replaces the host key (a reinstalled host); takes effect at the next start().
    bool regenerateHostKey();

private:
    QTemporaryDir m_dir;
    quint16 m_port = 0;
    qint64 m_pid = 0;
    std::unique_ptr<QProcess> m_process;
};

/// The real hadeck-agent on a socket of the test's choosing: tests/support's launcher,
/// with its config, state and log in its own temporary directory.
using Agent = AgentProcess;

/// The built hadeck-agent (HADECK_TEST_AGENT_BIN names another build).
inline QString agentBinary() { return AgentProcess::binary(); }
/// The built hadeck-fakeagent (tests/console/fakeagent.cpp): an agent that misbehaves on demand.
QString fakeAgentBinary();

/// hadeck-fakeagent on @p socket with @p args; stopped (SIGTERM, then SIGKILL) when destroyed.
class FakeAgent {
public:
    FakeAgent(QString socket, QStringList args);
    ~FakeAgent();
    FakeAgent(const FakeAgent&) = delete;
    FakeAgent& operator=(const FakeAgent&) = delete;

    /// Starts it and waits (5 s) for its "ready" line or its socket, whichever comes first.
    bool start();
    [[nodiscard]] QString socket() const { return m_socket; }

private:
    QString m_socket;
    QStringList m_args;
    QProcess m_process;
};

/// The built hadeckctl.
QString hadeckctlBinary();

/// One firewall node in the test process's own network namespace (root): @p ruleset loaded
/// with nft, a real sshd on loopback and the agent behind it (its firewall persisted in dir()),
/// and an inventory of that one node, "web1", a real server.
class FirewallNode {
public:
    /// Why it cannot run here (not root, no sshd or hadeckctl); empty when it can.
    static QString cannotRun();
    /// Moves the process into a new network namespace and starts it all; false with @p error.
    bool start(const QString& ruleset, QString* error);
    /// More of agent.toml (after the firewall module's table), set before start().
    void setExtraConfig(const QString& toml) { m_extraConfig = toml; }
    [[nodiscard]] QString inventory() const { return m_inventory; }
    [[nodiscard]] QString dir() const { return m_dir.path(); }
    [[nodiscard]] QString filePath(const QString& name) const { return m_dir.filePath(name); }
    [[nodiscard]] Sshd& sshd() { return *m_sshd; }
    [[nodiscard]] Agent& agent() { return *m_agent; }
    [[nodiscard]] bool started() const { return m_agent != nullptr; }
    void stop();

private:
    QTemporaryDir m_dir;
    std::unique_ptr<Sshd> m_sshd;
    std::unique_ptr<Agent> m_agent;
    QString m_inventory;
    QString m_extraConfig;
};

/// Creates the groups hadeck, hadeck-operator, hadeck-admin and a login user
/// outside all of them (shell /bin/sh, unlocked). Needs root.
bool ensureOutsiderUser(const QString& user, QString* error);

/// Answers host key questions with a fixed decision and counts them.
class ScriptedPrompter final : public console::CredentialPrompter {
public:
    console::HostKeyDecision decision = console::HostKeyDecision::Reject;
    std::optional<QString> passphraseAnswer;
    int hostKeyQuestions = 0;
    int passphraseQuestions = 0;
    console::HostKeyQuestion lastQuestion;

    void unknownHostKey(const console::HostKeyQuestion& q, HostKeyReply reply) override
    {
        ++hostKeyQuestions;
        lastQuestion = q;
        reply(decision);
    }
    void passphrase(const console::PassphraseQuestion&, PassphraseReply reply) override
    {
        ++passphraseQuestions;
        reply(passphraseAnswer);
    }
};

} // namespace hadeck::test
