#include "sshsession.h"

#include "hadeck/console/credentialprompter.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHostAddress>
#include <QHostInfo>

#include <cstdlib>

namespace hadeck::console::detail {

namespace {

// The SSH transport's texts, under the catalog context "SshTransport".
struct SshText {
    Q_DECLARE_TR_FUNCTIONS(SshTransport)
};

int askedForPassphrase(const char*, char*, size_t, int, int, void* userdata)
{
    *static_cast<bool*>(userdata) = true;
    return -1;
}

} // namespace

SshSession::SshSession(SshEndpoint endpoint, QString knownHostsFile, bool useSshAgent, CredentialPrompter* prompter,
                       QObject* parent)
    : QObject(parent), m_ep(std::move(endpoint)), m_knownHosts(std::move(knownHostsFile)), m_useAgent(useSshAgent),
      m_prompter(prompter)
{
    ensureLibsshInit();
    m_tick.setInterval(20);
    connect(&m_tick, &QTimer::timeout, this, &SshSession::step);
}

SshSession::~SshSession()
{
    if (m_lookupId >= 0)
        QHostInfo::abortHostLookup(m_lookupId);
    m_notifier.reset();
    if (m_userKey)
        ssh_key_free(m_userKey);
    if (m_session) {
        ssh_disconnect(m_session);
        ssh_free(m_session);
    }
}

QString SshSession::label() const
{
    return QStringLiteral("%1@%2:%3").arg(m_ep.user, m_ep.host).arg(m_ep.port);
}

QString SshSession::knownHostsPath() const
{
    return m_knownHosts.isEmpty() ? QDir::homePath() + QStringLiteral("/.ssh/known_hosts") : m_knownHosts;
}

QString SshSession::libsshError() const
{
    return m_session ? QString::fromUtf8(ssh_get_error(m_session)) : QString();
}

QString SshSession::phaseName() const
{
    switch (m_phase) {
    case Phase::Idle:
        return SshText::tr("idle");
    case Phase::Resolving:
        return SshText::tr("resolving the address");
    case Phase::Connecting:
        return SshText::tr("SSH handshake");
    case Phase::HostKey:
    case Phase::AwaitingUser:
        return SshText::tr("verifying the host key");
    case Phase::AuthAgent:
    case Phase::AuthKeyLoad:
    case Phase::AuthKey:
        return SshText::tr("authenticating");
    case Phase::Ready:
        return SshText::tr("connected");
    case Phase::Failed:
        return SshText::tr("failed");
    }
    return {};
}

void SshSession::start(std::intptr_t fd)
{
    m_session = ssh_new();
    if (!m_session) {
        fail(TransportError::Kind::Network, SshText::tr("cannot create an SSH session (out of memory?)"));
        return;
    }
    ssh_set_blocking(m_session, 0);
    const int verbosity = SSH_LOG_NOLOG;
    bool processConfig = false;
    ssh_options_set(m_session, SSH_OPTIONS_LOG_VERBOSITY, &verbosity);
    ssh_options_set(m_session, SSH_OPTIONS_PROCESS_CONFIG, &processConfig);
    const unsigned int port = m_ep.port;
    ssh_options_set(m_session, SSH_OPTIONS_PORT, &port);
    if (!m_ep.user.isEmpty())
        ssh_options_set(m_session, SSH_OPTIONS_USER, m_ep.user.toUtf8().constData());
    const QString kh = knownHostsPath();
    ssh_options_set(m_session, SSH_OPTIONS_KNOWNHOSTS, QFile::encodeName(kh).constData());

    if (fd >= 0) {
        // Jump relay: the socket is already "connected" to the target through
        // the jump host, which resolves the name itself.
        auto sock = static_cast<socket_t>(fd);
        ssh_options_set(m_session, SSH_OPTIONS_HOST, m_ep.host.toUtf8().constData());
        ssh_options_set(m_session, SSH_OPTIONS_FD, &sock);
        m_connectHost = m_ep.host;
        m_phase = Phase::Connecting;
        emit progress(SshText::tr("SSH handshake with %1").arg(label()));
        m_tick.start();
        step();
        return;
    }
    QHostAddress literal;
    if (literal.setAddress(m_ep.host)) {
        m_connectHost = m_ep.host;
        m_phase = Phase::Connecting;
        emit progress(SshText::tr("SSH handshake with %1").arg(label()));
        m_tick.start();
        step();
        return;
    }
    // getaddrinfo inside ssh_connect would block the loop: resolve first.
    m_phase = Phase::Resolving;
    emit progress(SshText::tr("resolving %1").arg(m_ep.host));
    QPointer<SshSession> self(this);
    m_lookupId = QHostInfo::lookupHost(m_ep.host, this, [self](const QHostInfo& info) {
        if (!self)
            return;
        self->m_lookupId = -1;
        if (info.error() != QHostInfo::NoError || info.addresses().isEmpty()) {
            self->fail(TransportError::Kind::Resolve,
                       SshText::tr("cannot resolve %1: %2").arg(self->m_ep.host, info.errorString()));
            return;
        }
        QHostAddress pick = info.addresses().constFirst();
        for (const auto& a : info.addresses()) {
            if (a.protocol() == QAbstractSocket::IPv4Protocol) {
                pick = a;
                break;
            }
        }
        self->m_connectHost = pick.toString();
        self->m_phase = Phase::Connecting;
        emit self->progress(SshText::tr("SSH handshake with %1").arg(self->label()));
        self->m_tick.start();
        self->step();
    });
}

void SshSession::watchSocket()
{
    if (m_notifier || !m_session)
        return;
    const socket_t fd = ssh_get_fd(m_session);
    if (fd == SSH_INVALID_SOCKET)
        return;
    m_notifier = std::make_unique<QSocketNotifier>(static_cast<qintptr>(fd), QSocketNotifier::Read);
    connect(m_notifier.get(), &QSocketNotifier::activated, this, [this] {
        if (m_phase == Phase::Ready)
            emit activity();
        else
            step();
    });
}

void SshSession::step()
{
    QPointer<SshSession> self(this);
    switch (m_phase) {
    case Phase::Connecting:
        stepConnect();
        break;
    case Phase::HostKey:
        stepHostKey();
        break;
    case Phase::AuthAgent:
        stepAuthAgent();
        break;
    case Phase::AuthKey:
        stepAuthKey();
        break;
    case Phase::Ready:
        emit activity();
        break;
    default:
        break;
    }
}

void SshSession::stepConnect()
{
    // The host option names the dial target for ssh_connect; known_hosts is
    // checked against the inventory's spelling afterwards (see stepHostKey).
    ssh_options_set(m_session, SSH_OPTIONS_HOST, m_connectHost.toUtf8().constData());
    const int rc = ssh_connect(m_session);
    watchSocket();
    if (rc == SSH_AGAIN)
        return;
    if (rc != SSH_OK) {
        fail(TransportError::Kind::Network, SshText::tr("cannot connect to %1: %2").arg(label(), libsshError()));
        return;
    }
    m_phase = Phase::HostKey;
    stepHostKey();
}

void SshSession::stepHostKey()
{
    // As OpenSSH does, key the host by the name the user wrote, not the address it resolved to.
    ssh_options_set(m_session, SSH_OPTIONS_HOST, m_ep.host.toUtf8().constData());
    emit progress(SshText::tr("verifying the host key of %1").arg(label()));
    ssh_key serverKey = nullptr;
    if (ssh_get_server_publickey(m_session, &serverKey) != SSH_OK) {
        fail(TransportError::Kind::Network, SshText::tr("%1 sent no host key: %2").arg(label(), libsshError()));
        return;
    }
    const QString fp = fingerprintOf(serverKey);
    const QString type = QString::fromLatin1(ssh_key_type_to_char(ssh_key_type(serverKey)));
    ssh_key_free(serverKey);

    const enum ssh_known_hosts_e known = ssh_session_is_known_server(m_session);
    switch (known) {
    case SSH_KNOWN_HOSTS_OK:
        m_phase = Phase::AuthAgent;
        stepAuthAgent();
        return;
    case SSH_KNOWN_HOSTS_CHANGED:
    case SSH_KNOWN_HOSTS_OTHER: {
        TransportError e{TransportError::Kind::HostKeyChanged, {}};
        e.presented = HostKey{type, fp};
        e.recorded = knownHostKeys(knownHostsPath(), m_ep.host, m_ep.port);
        e.knownHostsFile = knownHostsPath();
        QStringList expected;
        for (const auto& k : std::as_const(e.recorded))
            expected << k.type + QLatin1Char(' ') + k.fingerprint;
        e.message =
            SshText::tr("HOST KEY MISMATCH for %1 (%2): %3 records %4, but the server presented %5 %6. Someone may be "
                        "intercepting the connection, or the host was reinstalled. Not connecting. If the change is "
                        "expected, remove the old entry from %3 and connect again.")
                .arg(m_ep.name, label(), knownHostsPath(),
                     expected.isEmpty() ? SshText::tr("a different key") : expected.join(QStringLiteral(", ")), type,
                     fp);
        fail(std::move(e));
        return;
    }
    case SSH_KNOWN_HOSTS_NOT_FOUND:
    case SSH_KNOWN_HOSTS_UNKNOWN:
        break;
    case SSH_KNOWN_HOSTS_ERROR:
    default:
        fail(TransportError::Kind::HostKeyUnknown,
             SshText::tr("cannot check the host key of %1 against %2: %3").arg(label(), knownHostsPath(), libsshError()));
        return;
    }

    if (!m_prompter) {
        fail(TransportError::Kind::HostKeyUnknown,
             SshText::tr("the host key of %1 (%2 %3) is not in %4, and nobody can be asked to accept it")
                 .arg(label(), type, fp, knownHostsPath()));
        return;
    }
    m_phase = Phase::AwaitingUser;
    m_tick.stop();
    if (m_notifier)
        m_notifier->setEnabled(false);
    HostKeyQuestion q{m_ep.name, m_ep.host, m_ep.port, type, fp, knownHostsPath()};
    QPointer<SshSession> self(this);
    m_prompter->unknownHostKey(q, [self, type, fp](HostKeyDecision decision) {
        if (!self || self->m_phase != Phase::AwaitingUser)
            return;
        if (self->m_notifier)
            self->m_notifier->setEnabled(true);
        if (decision == HostKeyDecision::Reject) {
            self->fail(TransportError::Kind::HostKeyUnknown,
                       SshText::tr("the host key of %1 (%2 %3) was not accepted").arg(self->label(), type, fp));
            return;
        }
        if (decision == HostKeyDecision::AcceptAndSave) {
            QDir().mkpath(QFileInfo(self->knownHostsPath()).absolutePath());
            if (ssh_session_update_known_hosts(self->m_session) != SSH_OK) {
                self->fail(TransportError::Kind::HostKeyUnknown,
                           SshText::tr("cannot record the host key of %1 in %2: %3")
                               .arg(self->label(), self->knownHostsPath(), self->libsshError()));
                return;
            }
        }
        self->m_phase = Phase::AuthAgent;
        self->m_tick.start();
        self->stepAuthAgent();
    });
}

void SshSession::stepAuthAgent()
{
    emit progress(SshText::tr("authenticating as %1").arg(m_ep.user));
    if (m_useAgent && !qEnvironmentVariableIsEmpty("SSH_AUTH_SOCK")) {
        const int rc = ssh_userauth_agent(m_session, nullptr);
        if (rc == SSH_AUTH_AGAIN)
            return;
        if (rc == SSH_AUTH_SUCCESS) {
            enterReady();
            return;
        }
        m_authTried << SshText::tr("ssh-agent");
    }
    m_phase = Phase::AuthKeyLoad;
    stepAuthKeyLoad(std::nullopt);
}

void SshSession::stepAuthKeyLoad(const std::optional<QString>& passphrase)
{
    if (m_ep.keyFile.isEmpty()) {
        fail(TransportError::Kind::Auth,
             SshText::tr("SSH authentication as %1 failed: tried %2; no key file is configured for this node")
                 .arg(label(), m_authTried.isEmpty() ? SshText::tr("nothing") : m_authTried.join(QStringLiteral(", "))));
        return;
    }
    if (!QFileInfo::exists(m_ep.keyFile)) {
        fail(TransportError::Kind::Auth, SshText::tr("the key file %1 for %2 does not exist").arg(m_ep.keyFile, label()));
        return;
    }
    bool asked = false;
    const QByteArray path = QFile::encodeName(m_ep.keyFile);
    int rc;
    if (passphrase) {
        QByteArray secret = passphrase->toUtf8();
        rc = ssh_pki_import_privkey_file(path.constData(), secret.constData(), nullptr, nullptr, &m_userKey);
        secret.fill(0); // the passphrase is not kept in memory after use
    } else {
        rc = ssh_pki_import_privkey_file(path.constData(), nullptr, &askedForPassphrase, &asked, &m_userKey);
    }
    if (rc == SSH_OK) {
        m_phase = Phase::AuthKey;
        m_tick.start();
        stepAuthKey();
        return;
    }
    if (!asked && !passphrase) {
        fail(TransportError::Kind::Auth, SshText::tr("cannot read the private key %1 for %2").arg(m_ep.keyFile, label()));
        return;
    }
    if (!m_prompter || m_passphraseAttempt >= 3) {
        fail(TransportError::Kind::Auth,
             passphrase ? SshText::tr("wrong passphrase for the key %1").arg(m_ep.keyFile)
                        : SshText::tr("the key %1 is encrypted and no passphrase can be asked for").arg(m_ep.keyFile));
        return;
    }
    ++m_passphraseAttempt;
    m_tick.stop();
    if (m_notifier)
        m_notifier->setEnabled(false);
    QPointer<SshSession> self(this);
    m_prompter->passphrase(PassphraseQuestion{m_ep.name, m_ep.keyFile, m_passphraseAttempt},
                           [self](std::optional<QString> answer) {
                               if (!self || self->m_phase != Phase::AuthKeyLoad)
                                   return;
                               if (self->m_notifier)
                                   self->m_notifier->setEnabled(true);
                               if (!answer) {
                                   self->fail(TransportError::Kind::Auth,
                                              SshText::tr("no passphrase given for the key %1").arg(self->m_ep.keyFile));
                                   return;
                               }
                               self->stepAuthKeyLoad(answer);
                               if (answer)
                                   answer->fill(QChar(u'\0')); // wiped after use
                           });
}

void SshSession::stepAuthKey()
{
    const int rc = ssh_userauth_publickey(m_session, nullptr, m_userKey);
    if (rc == SSH_AUTH_AGAIN)
        return;
    if (rc == SSH_AUTH_SUCCESS) {
        enterReady();
        return;
    }
    m_authTried << SshText::tr("key file %1").arg(m_ep.keyFile);
    if (rc == SSH_AUTH_ERROR) {
        fail(TransportError::Kind::Network, SshText::tr("SSH authentication with %1 broke off: %2").arg(label(), libsshError()));
        return;
    }
    fail(TransportError::Kind::Auth,
         SshText::tr("SSH authentication as %1 failed: the server accepted none of %2. Check that the public key is in "
            "~%3/.ssh/authorized_keys on %4.")
             .arg(label(), m_authTried.join(QStringLiteral(", ")), m_ep.user, m_ep.name));
}

void SshSession::enterReady()
{
    m_phase = Phase::Ready;
    m_tick.stop();
    if (m_userKey) {
        ssh_key_free(m_userKey);
        m_userKey = nullptr;
    }
    emit ready();
}

int SshSession::flush()
{
    if (!m_session)
        return SSH_ERROR;
    return ssh_blocking_flush(m_session, 0);
}

void SshSession::fail(TransportError::Kind kind, const QString& message) { fail(TransportError{kind, message}); }

void SshSession::fail(TransportError error)
{
    if (m_phase == Phase::Failed)
        return;
    m_phase = Phase::Failed;
    m_tick.stop();
    if (m_notifier)
        m_notifier->setEnabled(false);
    emit failed(error);
}

} // namespace hadeck::console::detail
