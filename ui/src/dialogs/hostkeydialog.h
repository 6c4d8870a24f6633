#pragma once

#include "hadeck/console/credentialprompter.h"

#include <QDialog>
#include <QStringList>

namespace hadeck::ui {

/// What is known about a host key that no longer matches known_hosts.
struct ChangedHostKey {
    QString node;
    QString host;
    quint16 port = 22;
    QString knownHostsFile;
    QStringList recorded; ///< "ssh-ed25519 SHA256:..." per entry known_hosts has for the host
    QString presented;    ///< "SHA256:..." the server showed, empty if the transport did not say
    QString message;      ///< the transport's own words
};

/// The "SHA256:..." fingerprints known_hosts records for @p host:@p port, with
/// their key types, as `ssh-keygen -lf` prints them. Hashed names are matched too.
QStringList recordedHostKeys(const QString& knownHostsFile, const QString& host, quint16 port);

/// Fills a ChangedHostKey from the transport's refusal: the recorded keys come
/// from @p knownHostsFile, the presented one is the fingerprint in @p message that
/// is not among them (the message is translated, its fingerprints are not).
ChangedHostKey changedHostKey(const QString& node, const QString& host, quint16 port, const QString& knownHostsFile,
                              const QString& message);

/// Asks whether to trust a host key seen for the first time, showing the SHA256
/// fingerprint to compare with `ssh-keygen -lf` on the node's console; or, for a
/// CHANGED key, stops: there is no way to accept it here, only what to check and
/// how to remove the old key on purpose.
class HostKeyDialog final : public QDialog {
    Q_OBJECT
public:
    HostKeyDialog(const console::HostKeyQuestion& question, QWidget* parent = nullptr);
    HostKeyDialog(const ChangedHostKey& changed, QWidget* parent = nullptr);
    [[nodiscard]] console::HostKeyDecision decision() const { return m_decision; }
    [[nodiscard]] bool isChangedKeyWarning() const { return m_changed; }

private:
    console::HostKeyDecision m_decision = console::HostKeyDecision::Reject;
    bool m_changed = false;
};

} // namespace hadeck::ui
